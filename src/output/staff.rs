//! A staffing plan as files a planner can run: one roster CSV per team (`date,start,end,agents`,
//! the format `support.teams[].roster` reads) and the scenario with those rosters in place of
//! the teams' weekly shifts and dated overrides.

use serde::Serialize;

use super::export::{csv::Csv, export};
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::scenario::files::RawFile;
use crate::staffing::plan::RosterRow;

/// A row of a roster file.
#[derive(Debug, Serialize)]
struct Row {
    date: String,
    start: String,
    end: String,
    agents: u32,
}

/// A clock time on the hour, `"24:00"` for midnight.
fn clock(hour: u32) -> String {
    format!("{hour:02}:00")
}

/// The roster file name of each team of `names`: `roster-<name>.csv`, the name's characters a
/// file name cannot hold made `_`, numbered when two teams would share one.
pub fn roster_files(names: &[&str]) -> Vec<String> {
    let clean: Vec<String> = names
        .iter()
        .map(|n| {
            n.chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
                .collect()
        })
        .collect();
    clean
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let shared = clean.iter().filter(|o| *o == c).count() > 1;
            if shared { format!("roster-{}-{c}.csv", i + 1) } else { format!("roster-{c}.csv") }
        })
        .collect()
}

/// The roster of team `team`: its rows of `rows`, in day and start order.
pub fn roster_csv(scenario: &Scenario, rows: &[RosterRow], team: usize) -> Result<Vec<u8>> {
    let mut mine: Vec<&RosterRow> = rows.iter().filter(|r| r.team == team).collect();
    mine.sort_by_key(|r| (r.day, r.start_h, r.end_h));
    export(
        &Csv,
        mine.into_iter().map(|r| Row {
            date: scenario.date_of_day(r.day).to_string(),
            start: clock(r.start_h),
            end: clock(r.end_h),
            agents: r.agents,
        }),
    )
}

/// The scenario of the plan: `scenario` with each team that has rows in `rows` working its
/// roster file of `files` (named relative to the plan's folder), each other team closed, and no
/// dated overrides (the rosters hold every agent). `header` says where the plan came from.
pub fn plan_toml(scenario: &Scenario, rows: &[RosterRow], files: &[String], header: &str) -> Result<String> {
    let mut raw = super::resolved_raw(scenario);
    let support = raw.support.as_mut().ok_or_else(|| {
        Error::io("cannot write the plan", std::io::Error::other("the scenario models no support"))
    })?;
    support.overrides.clear();
    for (i, team) in support.teams.iter_mut().enumerate() {
        team.shifts.clear();
        team.roster = rows.iter().any(|r| r.team == i).then(|| RawFile::Path(files[i].clone()));
    }
    raw.run.name = Some(format!("{}-plan", scenario.name));
    let body = toml::to_string(&raw)
        .map_err(|e| Error::io("cannot format the plan's scenario", std::io::Error::other(e)))?;
    Ok(format!("{}\n\n{body}", header.lines().map(|l| format!("# {l}")).collect::<Vec<_>>().join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roster_files_are_named_after_their_team_and_never_shared() {
        assert_eq!(roster_files(&["live", "written"]), vec!["roster-live.csv", "roster-written.csv"]);
        assert_eq!(
            roster_files(&["a b", "a/b", "c"]),
            vec!["roster-1-a_b.csv", "roster-2-a_b.csv", "roster-c.csv"]
        );
    }
}
