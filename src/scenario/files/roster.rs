//! Support rosters (`support.teams[i].roster`): a workforce tool's export of a team's dated
//! shifts, one CSV row per shift with its date, start, end and agents, instead of weekly shifts.

use std::sync::Arc;

use chrono::NaiveDate;

use super::table::{Problems, Table};
use super::{Files, MAX_TABLE_BYTES, issue};
use crate::error::Problem;
use crate::scenario::check::Issue;
use crate::scenario::support::{MAX_AGENTS, RawSupport, RawTeam};

/// Columns a roster has.
pub const COLUMNS: [&str; 4] = ["date", "start", "end", "agents"];

/// One row of a roster: `agents` agents on shift on `date` from `start_min` to `end_min`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RosterRow {
    /// Line in the file.
    pub line: usize,
    /// The day.
    pub date: NaiveDate,
    /// Start, minutes after midnight.
    pub start_min: u32,
    /// End, minutes after midnight (> start; 1440 for "24:00").
    pub end_min: u32,
    /// Agents on the shift.
    pub agents: u32,
}

/// A roster as read: its rows in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct RosterFile {
    /// The file as named in messages.
    pub file: String,
    /// Rows in file order.
    pub rows: Vec<RosterRow>,
}

/// Reads the roster of each team that names one (`None` for a team on weekly shifts), and records
/// each file (with its hash) in `raw` as the resolved scenario shows it; a rostered team's weekly
/// shifts are cleared there, as they are not used.
pub(super) fn read(
    raw: &mut Option<RawSupport>,
    files: &Files,
    issues: &mut Vec<Issue>,
    problems: &mut Vec<Problem>,
) -> Vec<Option<Arc<RosterFile>>> {
    let Some(support) = raw.as_mut() else { return Vec::new() };
    let default_shifts = RawTeam::default().shifts;
    let mut rosters = Vec::with_capacity(support.teams.len());
    for (i, team) in support.teams.iter_mut().enumerate() {
        let Some(file) = team.roster.clone() else {
            rosters.push(None);
            continue;
        };
        let key = format!("support.teams[{i}].roster");
        if !team.shifts.is_empty() && team.shifts != default_shifts {
            issues.push(issue(
                &format!("support.teams[{i}].shifts"),
                format!("team `{}` has a roster and weekly shifts: a team works one or the other", team.name),
                Some("remove the team's [[support.teams.shifts]], or its `roster`".to_string()),
            ));
        }
        let read = files.read(&key, &file, MAX_TABLE_BYTES).map_err(|e| issues.push(e)).ok();
        let parsed = read.and_then(|(found, bytes)| {
            let rows = parse(&found.shown, &bytes[..]).map_err(|mut p| problems.append(&mut p)).ok()?;
            team.roster = Some(found.pinned());
            team.shifts.clear();
            Some(Arc::new(RosterFile { file: found.shown, rows }))
        });
        rosters.push(parsed);
    }
    rosters
}

/// Parses a roster; `file` names it in messages. Every bad cell is a located problem.
pub fn parse<R: std::io::Read>(file: &str, input: R) -> Result<Vec<RosterRow>, Vec<Problem>> {
    let mut t = Table::new(file, input).map_err(|p| vec![p])?;
    let header = (|| {
        t.refuse_unknown(&COLUMNS)?;
        Ok::<_, Problem>((
            t.require("date", "the day of the shift")?,
            t.require("start", "when the shift starts, e.g. 08:00")?,
            t.require("end", "when the shift ends, e.g. 16:00, or 24:00 for midnight")?,
            t.require("agents", "agents on the shift")?,
        ))
    })();
    let (date, start, end, agents) = header.map_err(|p| vec![p])?;
    let mut problems = Problems::default();
    let mut rows = Vec::new();
    while let Some(row) = problems.next_row(&mut t) {
        let d = problems.take(row.date(date));
        let s = problems.take(row.clock(start));
        let e = problems.take(row.clock(end));
        let n = problems.take(row.parse(agents, |text| {
            let n = super::table::parse_count(text)?;
            if n > u64::from(MAX_AGENTS) {
                return Err(format!("{n} agents is beyond the model's range (at most {MAX_AGENTS} a shift)"));
            }
            Ok(n as u32)
        }));
        if let (Some(s), Some(e)) = (s, e)
            && e <= s
        {
            let message =
                format!("the shift ends at {} before it starts at {}", row.text(end), row.text(start));
            let help = "end must be after start on the same day (\"24:00\" for midnight); split a night \
                        shift in two rows";
            problems.push(row.problem(end, message, Some(help.to_string())));
        }
        if let (Some(date), Some(start_min), Some(end_min), Some(agents)) = (d, s, e, n) {
            rows.push(RosterRow { line: row.line(), date, start_min, end_min, agents });
        }
    }
    if rows.is_empty() && problems.0.is_empty() {
        let help = Some("add one row per shift below the header: date,start,end,agents".to_string());
        problems.push(t.header_problem(date, "the roster has no shifts".to_string(), help));
    }
    problems.or(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_dates_clock_times_and_agents() {
        let rows = parse(
            "r.csv",
            &b"date,start,end,agents\n2026-11-02,08:00,16:00,4\n2026-11-02,18:00,24:00,2\n"[..],
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[0].start_min, rows[0].end_min, rows[0].agents), (2, 480, 960, 4));
        assert_eq!(rows[1].end_min, 1440);
    }

    #[test]
    fn a_bad_cell_is_located_and_a_shift_must_end_after_it_starts() {
        let p = parse(
            "r.csv",
            &b"date,start,end,agents\n2026-11-02,08:00,16:00,four\n2026-11-03,16:00,08:00,1\n"[..],
        )
        .unwrap_err();
        assert_eq!((p[0].line, p[0].column, p[0].key.as_str()), (2, 24, "agents"));
        assert_eq!((p[1].line, p[1].column, p[1].key.as_str()), (3, 18, "end"));
        assert!(p[1].message.contains("ends at 08:00 before it starts at 16:00"), "{}", p[1].message);
        let p = parse("r.csv", &b"date,start,end\n"[..]).unwrap_err();
        assert!(p[0].message.contains("no column `agents`"), "{}", p[0].message);
    }
}
