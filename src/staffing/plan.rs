//! From hourly needs to shifts people can work: each channel's need goes to the team that serves
//! it, each team's day is covered by the cheapest shifts the rules allow ([`super::shifts`]),
//! and each shift becomes rows of a roster (a break splits a shift in two rows).

use crate::scenario::support::Support;

use super::requirement::Need;
use super::shifts::{Cover, NoPlan, Pattern, cheapest};

/// The shifts a plan may use, within a day of 24 hourly intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftRules {
    /// Shift lengths allowed, whole hours (a break included).
    pub lengths_h: Vec<u32>,
    /// The earliest start, hour of the day.
    pub earliest_start_h: u32,
    /// The latest end, hour of the day (24: midnight).
    pub latest_end_h: u32,
    /// Shifts this long or longer have an unpaid hour's break in their middle (`None`: no break).
    pub break_from_h: Option<u32>,
    /// What an hour on shift costs.
    pub wage_per_hour: f64,
    /// The most agents of a team in any hour (`None`: no cap).
    pub max_agents: Option<u32>,
}

impl ShiftRules {
    /// Every shift the rules allow: each length at each whole-hour start that ends in time, a
    /// break in the middle of the long ones.
    pub fn patterns(&self) -> Vec<Pattern> {
        let mut out = Vec::new();
        for start in self.earliest_start_h..self.latest_end_h.min(24) {
            for &len in &self.lengths_h {
                let end = start + len;
                if len == 0 || end > self.latest_end_h.min(24) {
                    continue;
                }
                let brk = self.break_from_h.filter(|&from| len >= from && len >= 3).map(|_| start + len / 2);
                let paid = len - u32::from(brk.is_some());
                out.push(Pattern {
                    name: format!("{start:02}:00-{end:02}:00"),
                    covers: (start..end).filter(|&h| Some(h) != brk).map(|h| h as usize).collect(),
                    cost: self.wage_per_hour * f64::from(paid),
                });
            }
        }
        out
    }
}

/// People of a team on shift over a span of one day: a roster row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RosterRow {
    /// The team's index in `support.teams`.
    pub team: usize,
    /// Day index of the horizon.
    pub day: u32,
    /// First hour on shift.
    pub start_h: u32,
    /// The hour the span ends (24: midnight).
    pub end_h: u32,
    /// People on it.
    pub agents: u32,
}

/// Each team's need for each day and hour, `[team][day][hour]`: every channel's need goes to
/// the first team that serves it (teams that share a channel pool their agents, which the
/// simulation then judges).
pub fn team_needs(support: &Support, days: u32, needs: &[Need]) -> Vec<Vec<[u32; 24]>> {
    let mut out = vec![vec![[0u32; 24]; days as usize]; support.teams.len()];
    for n in needs {
        if let Some(team) = support.teams.iter().position(|t| t.serves[n.channel])
            && let Some(day) = out[team].get_mut(n.day as usize)
        {
            day[n.hour as usize] += n.erlang;
        }
    }
    out
}

/// Why a team's day has no plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplanned {
    /// The team's index.
    pub team: usize,
    /// Day index.
    pub day: u32,
    /// What went wrong, with the hour in place of the interval.
    pub why: NoPlan,
}

/// The cheapest roster that covers `needs` (`[team][day][hour]`) under `rules`, one team-day at
/// a time, and its cost.
pub fn roster(needs: &[Vec<[u32; 24]>], rules: &ShiftRules) -> Result<(Vec<RosterRow>, f64), Unplanned> {
    let patterns = rules.patterns();
    let mut rows = Vec::new();
    let mut cost = 0.0;
    for (team, days) in needs.iter().enumerate() {
        for (day, need) in days.iter().enumerate() {
            let day = day as u32;
            let cover = Cover { need, patterns: &patterns, max_people: rules.max_agents };
            let plan = cheapest(&cover).map_err(|why| Unplanned { team, day, why })?;
            cost += cover.cost(&plan);
            for (p, &agents) in patterns.iter().zip(&plan).filter(|(_, n)| **n > 0) {
                rows.extend(spans(&p.covers).map(|(start_h, end_h)| RosterRow {
                    team,
                    day,
                    start_h,
                    end_h,
                    agents,
                }));
            }
        }
    }
    Ok((rows, cost))
}

/// The runs of consecutive hours in `covers` (increasing), as `(start, end)`.
fn spans(covers: &[usize]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let start = *covers.get(i)?;
        let mut end = start + 1;
        i += 1;
        while covers.get(i) == Some(&end) {
            end += 1;
            i += 1;
        }
        Some((start as u32, end as u32))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ShiftRules {
        ShiftRules {
            lengths_h: vec![4, 8],
            earliest_start_h: 6,
            latest_end_h: 24,
            break_from_h: Some(6),
            wage_per_hour: 20.0,
            max_agents: None,
        }
    }

    #[test]
    fn the_rules_give_every_start_and_length_that_fits_with_a_break_in_long_shifts() {
        let p = rules().patterns();
        // 4 h shifts start 06..=20, 8 h shifts 06..=16.
        assert_eq!(p.len(), 15 + 11);
        let long = p.iter().find(|p| p.name == "06:00-14:00").unwrap();
        assert_eq!(long.covers, vec![6, 7, 8, 9, 11, 12, 13], "the break is the fifth hour");
        assert_eq!(long.cost, 7.0 * 20.0, "the break is unpaid");
        assert!(p.iter().all(|p| p.covers.iter().all(|&h| (6..24).contains(&h))));
    }

    #[test]
    fn a_roster_covers_every_hour_of_every_team_day_and_splits_shifts_at_their_break() {
        let mut day = [0u32; 24];
        for (h, n) in day.iter_mut().enumerate().skip(7).take(15) {
            *n = 2 + (h as u32 % 5);
        }
        let needs = vec![vec![day, [0; 24]], vec![[0; 24], day]];
        let (rows, cost) = roster(&needs, &rules()).unwrap();
        for (team, days) in needs.iter().enumerate() {
            for (d, need) in days.iter().enumerate() {
                let mut got = [0u32; 24];
                for r in rows.iter().filter(|r| r.team == team && r.day == d as u32) {
                    for h in r.start_h..r.end_h {
                        got[h as usize] += r.agents;
                    }
                }
                assert!(
                    got.iter().zip(need).all(|(g, n)| g >= n),
                    "team {team} day {d}: {got:?} vs {need:?}"
                );
            }
        }
        let paid: u32 = rows.iter().map(|r| (r.end_h - r.start_h) * r.agents).sum();
        assert_eq!(cost, f64::from(paid) * 20.0, "the cost is the paid hours of the rows");
        assert_eq!(spans(&[6, 7, 8, 9, 11, 12, 13]).collect::<Vec<_>>(), vec![(6, 10), (11, 14)]);
        let night = vec![vec![{
            let mut d = [0u32; 24];
            d[3] = 1;
            d
        }]];
        assert_eq!(
            roster(&night, &rules()),
            Err(Unplanned { team: 0, day: 0, why: NoPlan::Uncovered(3) }),
            "an hour no shift may cover is named"
        );
    }
}
