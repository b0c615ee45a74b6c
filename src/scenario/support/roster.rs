//! A support team's roster after validation: the dated shifts of a workforce tool's export,
//! placed on the days of the horizon, with notes on rows outside it and days it leaves uncovered.

use chrono::NaiveDate;

use super::{AgentShift, Team};
use crate::scenario::check::Checker;
use crate::scenario::files::roster::{RosterFile, RosterRow};

/// A team's roster after validation: the shifts of each day of the horizon, in file order.
#[derive(Clone, Debug)]
pub struct Roster {
    /// Day d's shifts are `shifts[first[d]..first[d + 1]]`.
    first: Vec<u32>,
    shifts: Vec<AgentShift>,
}

impl Roster {
    /// The roster's rows dated inside the `days` of the horizon from `start`, by day; and the
    /// rows outside it.
    pub fn new(rows: &[RosterRow], start: NaiveDate, days: u32) -> (Roster, Vec<RosterRow>) {
        let day_of = |r: &RosterRow| u32::try_from((r.date - start).num_days()).ok().filter(|d| *d < days);
        let mut first = vec![0u32; days as usize + 1];
        for d in rows.iter().filter_map(day_of) {
            first[d as usize + 1] += 1;
        }
        for d in 0..days as usize {
            first[d + 1] += first[d];
        }
        let mut next = first.clone();
        let placeholder =
            AgentShift { days: [true; 7], start_min: 0, end_min: 0, agents: 0, works_holidays: true };
        let mut shifts = vec![placeholder.clone(); first[days as usize] as usize];
        let mut outside = Vec::new();
        for r in rows {
            let Some(d) = day_of(r) else {
                outside.push(*r);
                continue;
            };
            let at = &mut next[d as usize];
            shifts[*at as usize] = AgentShift {
                start_min: r.start_min,
                end_min: r.end_min,
                agents: r.agents,
                days: [true; 7],
                works_holidays: true,
            };
            *at += 1;
        }
        (Roster { first, shifts }, outside)
    }

    /// The shifts of day `day` (none past the horizon).
    pub fn on(&self, day: u32) -> &[AgentShift] {
        let d = day as usize;
        match (self.first.get(d), self.first.get(d + 1)) {
            (Some(&a), Some(&b)) => &self.shifts[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// A team's roster over the horizon: rows dated outside it are ignored with a note, days it
/// leaves without a row are noted (nobody of the team works then), and a roster with no row
/// inside the horizon is refused (the team would never work).
pub(super) fn in_horizon(
    c: &mut Checker,
    key: &str,
    team: &Team,
    file: &RosterFile,
    start: NaiveDate,
    horizon: u32,
) -> Roster {
    let (roster, outside) = Roster::new(&file.rows, start, horizon);
    let end = start + chrono::Days::new(u64::from(horizon.max(1)) - 1);
    if outside.len() == file.rows.len() {
        c.fail_help(
            key,
            format!(
                "none of the {} shifts of {} is dated inside the horizon {start} .. {end}: team `{}` would never work",
                file.rows.len(),
                file.file,
                team.name
            ),
            "check the roster's dates against `run.start_date` and `run.days`".to_string(),
        );
        return roster;
    }
    if let Some(first) = outside.first() {
        let n = outside.len();
        c.note(
            key,
            format!(
                "{n} {} of {} dated outside the horizon {start} .. {end} {} ignored (the first on line {}, {})",
                if n == 1 { "shift" } else { "shifts" },
                file.file,
                if n == 1 { "was" } else { "were" },
                first.line,
                first.date
            ),
        );
    }
    let uncovered: Vec<u32> = (0..horizon).filter(|&d| roster.on(d).is_empty()).collect();
    if !uncovered.is_empty() {
        const SHOWN: usize = 5;
        let mut dates: Vec<String> = uncovered
            .iter()
            .take(SHOWN)
            .map(|&d| (start + chrono::Days::new(u64::from(d))).to_string())
            .collect();
        if uncovered.len() > SHOWN {
            dates.push("...".to_string());
        }
        c.note(
            key,
            format!(
                "{} has no shift on {} of the {horizon} days ({}): nobody of team `{}` works then",
                file.file,
                uncovered.len(),
                dates.join(", "),
                team.name
            ),
        );
    }
    roster
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::support::PerChannel;

    fn row(line: usize, date: &str, start_min: u32, end_min: u32, agents: u32) -> RosterRow {
        RosterRow { line, date: date.parse().unwrap(), start_min, end_min, agents }
    }

    #[test]
    fn each_row_puts_its_agents_on_shift_that_date_and_rows_outside_the_horizon_are_set_aside() {
        let rows = [
            row(2, "2026-11-03", 480, 960, 4),
            row(3, "2026-10-31", 480, 960, 9),
            row(4, "2026-11-02", 600, 1440, 2),
            row(5, "2026-11-03", 720, 1200, 3),
            row(6, "2026-11-09", 0, 1440, 1),
        ];
        let start: NaiveDate = "2026-11-02".parse().unwrap();
        let (roster, outside) = Roster::new(&rows, start, 7);
        assert_eq!(outside.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 6]);
        let team = Team {
            name: "live".into(),
            serves: PerChannel::default(),
            chat_concurrency: 1,
            shifts: vec![],
            roster: Some(roster),
        };
        let on = |day: u32| -> Vec<(u32, u32, u32)> {
            team.shifts_on(day, 0, false).map(|s| (s.start_min, s.end_min, s.agents)).collect()
        };
        assert_eq!(on(0), [(600, 1440, 2)]);
        // Overlapping rows of one date are both on shift (12:00-16:00: 7 agents), in file order.
        assert_eq!(on(1), [(480, 960, 4), (720, 1200, 3)]);
        assert!(on(2).is_empty() && on(6).is_empty() && on(7).is_empty());
    }
}
