//! The files and printout of `o2d staff`: each plan as files a planner can run (one roster CSV
//! per team, `date,start,end,agents`, the format `support.teams[].roster` reads, and the scenario
//! with those rosters in place of the teams' weekly shifts and dated overrides), the requirement
//! hour by hour, the plans' costs and every round's verdicts (written atomically), and what
//! `--format` prints.

use serde::Serialize;

use super::export::{Plain, csv::Csv, export, json};
use super::{Format, atomic, destination, resolved_toml_for, table};
use crate::error::{Error, Result};
use crate::experiment::staff::{Method, Plan, Staffed};
use crate::experiment::targets::TargetCheck;
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

/// A row of `requirement.csv`: one channel's need in one hour, as Erlang sized it and as the
/// final plan covers it.
#[derive(Serialize)]
struct RequirementRow<'a> {
    date: String,
    hour: u32,
    channel: &'a str,
    offered: Plain,
    handle_s: Plain,
    erlang_agents: Option<u32>,
    final_agents: Option<u32>,
    final_work_h: Plain,
    due_by: Option<String>,
}

/// A row of `staffing.csv`: people of a team on shift over a span of a day, in a plan.
#[derive(Serialize)]
struct StaffingRow<'a> {
    plan: &'a str,
    date: String,
    start: String,
    end: String,
    team: &'a str,
    agents: u32,
}

/// A row of `plans.csv`: the scenario as staffed, and each plan.
#[derive(Serialize)]
struct PlanRow<'a> {
    plan: &'a str,
    rounds: Option<usize>,
    converged: Option<bool>,
    agent_hours: Plain,
    cost: Plain,
    targets: usize,
    met: usize,
}

/// A row of `verdicts.csv`: one target judged in one round.
#[derive(Serialize)]
struct VerdictRow<'a> {
    plan: &'a str,
    round: u32,
    kpi: &'a str,
    window: Option<&'a str>,
    target: &'a str,
    mean: Plain,
    ci95_low: Plain,
    ci95_high: Plain,
    verdict: &'static str,
}

/// What `o2d staff` found, with the scenario and how it planned.
pub struct Written<'a> {
    /// The scenario as given.
    pub scenario: &'a Scenario,
    /// `--method`.
    pub method: Method,
    /// The runs and plans.
    pub staffed: &'a Staffed,
}

impl Written<'_> {
    /// The plans found, the Erlang one first.
    fn plans(&self) -> impl Iterator<Item = &Plan> {
        std::iter::once(&self.staffed.erlang).chain(&self.staffed.simulated)
    }

    /// The command (after `o2d `) that repeats the planning from the resolved scenario.
    fn rerun(&self) -> String {
        match self.method {
            Method::Erlang => "staff scenario.resolved.toml --method erlang".to_string(),
            Method::Simulation => "staff scenario.resolved.toml".to_string(),
        }
    }
}

/// How many of `checks` passed.
fn met(checks: &[TargetCheck]) -> usize {
    checks.iter().filter(|c| c.verdict == crate::experiment::targets::Verdict::Pass).count()
}

fn requirement_rows<'a>(w: &'a Written<'_>) -> impl Iterator<Item = RequirementRow<'a>> {
    let last = w.staffed.simulated.as_ref().unwrap_or(&w.staffed.erlang);
    w.staffed.erlang.needs.iter().zip(&last.needs).map(|(e, f)| RequirementRow {
        date: w.scenario.date_of_day(e.day).to_string(),
        hour: e.hour,
        channel: e.channel.name(),
        offered: Plain(Some(e.offered)),
        handle_s: Plain(Some(e.handle_s)),
        erlang_agents: e.is_live().then_some(e.agents),
        final_agents: f.is_live().then_some(f.agents),
        final_work_h: Plain((!f.is_live()).then_some(f.work_h)),
        due_by: (!f.is_live()).then(|| {
            let end = 24 * f.day + f.hour + f.wait_h + 1;
            format!("{} {}", w.scenario.date_of_day(end / 24), clock(end % 24))
        }),
    })
}

fn staffing_rows<'a>(w: &'a Written<'_>) -> Vec<StaffingRow<'a>> {
    let teams = &w.scenario.support.as_ref().expect("a plan has [support]").teams;
    let mut out = Vec::new();
    for plan in w.plans() {
        let mut rows: Vec<&RosterRow> = plan.rows.iter().collect();
        rows.sort_by_key(|r| (r.day, r.team, r.start_h, r.end_h));
        out.extend(rows.into_iter().map(|r| StaffingRow {
            plan: plan.name,
            date: w.scenario.date_of_day(r.day).to_string(),
            start: clock(r.start_h),
            end: clock(r.end_h),
            team: &teams[r.team].name,
            agents: r.agents,
        }));
    }
    out
}

fn plan_rows<'a>(w: &'a Written<'_>) -> Vec<PlanRow<'a>> {
    let s = w.staffed;
    let wage = w.scenario.support.as_ref().map_or(0.0, |x| x.agent_wage_per_hour);
    let mut out = vec![PlanRow {
        plan: "current",
        rounds: None,
        converged: None,
        agent_hours: Plain(Some(s.current_agent_hours)),
        cost: Plain(Some(s.current_agent_hours * wage)),
        targets: s.current_checks.len(),
        met: met(&s.current_checks),
    }];
    out.extend(w.plans().map(|p| {
        let last = p.rounds.last().map_or(&[][..], |r| &r.checks[..]);
        PlanRow {
            plan: p.name,
            rounds: Some(p.rounds.len()),
            converged: Some(p.converged),
            agent_hours: Plain(Some(p.agent_hours)),
            cost: Plain(Some(p.cost)),
            targets: last.len(),
            met: met(last),
        }
    }));
    out
}

fn verdict_rows<'a>(w: &'a Written<'_>) -> Vec<VerdictRow<'a>> {
    let row = |plan: &'a str, round: u32, c: &'a TargetCheck| VerdictRow {
        plan,
        round,
        kpi: &c.target.kpi,
        window: c.target.window.as_deref(),
        target: &c.target.text,
        mean: Plain(Some(c.summary.mean)),
        ci95_low: Plain(Some(c.summary.ci95_low)),
        ci95_high: Plain(Some(c.summary.ci95_high)),
        verdict: c.verdict.as_str(),
    };
    let s = w.staffed;
    let mut out: Vec<VerdictRow<'a>> = s.current_checks.iter().map(|c| row("current", 0, c)).collect();
    for plan in w.plans() {
        for r in &plan.rounds {
            out.extend(r.checks.iter().map(|c| row(plan.name, r.index, c)));
        }
    }
    out
}

/// Writes requirement.csv, staffing.csv, plans.csv, verdicts.csv, each plan as a scenario with
/// its rosters (`plan.toml` and `roster-<team>.csv` for the corrected plan, `erlang-plan.toml`
/// and `erlang-roster-<team>.csv` for the Erlang one) and the resolved scenario into `dir`,
/// atomically.
pub fn write(dir: &destination::ResultsDir, w: &Written<'_>) -> Result<()> {
    let stage = atomic::StagedDir::new(dir, "staff")?;
    stage.write("requirement.csv", &export(&Csv, requirement_rows(w))?)?;
    stage.write("staffing.csv", &export(&Csv, staffing_rows(w))?)?;
    stage.write("plans.csv", &export(&Csv, plan_rows(w))?)?;
    stage.write("verdicts.csv", &export(&Csv, verdict_rows(w))?)?;
    let sc = w.scenario;
    let names: Vec<&str> = sc.support.iter().flat_map(|s| &s.teams).map(|t| t.name.as_str()).collect();
    for plan in w.plans() {
        let prefix = if plan.name == "erlang" { "erlang-" } else { "" };
        let files: Vec<String> = roster_files(&names).into_iter().map(|f| format!("{prefix}{f}")).collect();
        for (team, file) in files.iter().enumerate() {
            if plan.rows.iter().any(|r| r.team == team) {
                stage.write(file, &roster_csv(sc, &plan.rows, team)?)?;
            }
        }
        let header = format!(
            "The {} staffing plan of {} written by o2d {} (`o2d {}`): {} agent-hours, {} in wages, {}.\n\
             Run it with: o2d run {prefix}plan.toml",
            if plan.name == "erlang" { "Erlang C" } else { "simulation-corrected" },
            sc.name,
            crate::VERSION,
            w.rerun(),
            plan.agent_hours.round(),
            plan.cost.round(),
            if plan.converged { "every target met" } else { "not every target met" },
        );
        stage.write(&format!("{prefix}plan.toml"), plan_toml(sc, &plan.rows, &files, &header)?.as_bytes())?;
    }
    stage.write("scenario.resolved.toml", resolved_toml_for(sc, &w.rerun())?.as_bytes())?;
    stage.commit()
}

/// The whole outcome as one JSON object.
#[derive(Serialize)]
struct JsonReport<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u32,
    method: &'static str,
    plans: Vec<PlanRow<'a>>,
    verdicts: Vec<VerdictRow<'a>>,
}

/// What `--format` prints.
pub fn render(format: Format, w: &Written<'_>) -> Result<String> {
    match format {
        Format::Table => Ok(table::render_staff(w.scenario, w.staffed)),
        Format::Csv => Ok(String::from_utf8_lossy(&export(&Csv, plan_rows(w))?).into_owned()),
        Format::Json => json::pretty(&JsonReport {
            scenario: &w.scenario.name,
            seed: w.scenario.seed,
            replications: w.scenario.replications,
            method: match w.method {
                Method::Erlang => "erlang",
                Method::Simulation => "simulation",
            },
            plans: plan_rows(w),
            verdicts: verdict_rows(w),
        }),
    }
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
