//! From hourly needs to shifts people can work: each channel's need goes to the team that serves
//! it, each team's day is covered by the cheapest shifts the rules allow ([`super::shifts`]),
//! and each shift becomes rows of a roster (a break splits a shift in two rows).
//!
//! Work that may wait (email, social) is planned earliest deadline first: each day, every span
//! of hours must hold the spare agent-hours (beyond the live channels' need) for the work that
//! arrives in it and is due by its end; a deadline in hours no shift may cover moves to the
//! last hour one may cover before it (or, if none since the work arrived, the first after).
//! What the day's plan leaves undone is carried into the next day.

use crate::scenario::support::Support;

use super::requirement::Need;
use super::shifts::{Cover, NoPlan, Pattern, Window, cheapest};

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
    /// The fewest agents of a team in every hour a shift may cover.
    pub min_agents: u32,
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

impl ShiftRules {
    /// Whether some shift the rules allow covers each hour of the day.
    pub fn coverable(&self) -> [bool; 24] {
        let mut coverable = [false; 24];
        for p in self.patterns() {
            for &h in &p.covers {
                coverable[h] = true;
            }
        }
        coverable
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

/// Work that may wait: agent-hours that arrive in one hour and are due by the end of another
/// (hours of the horizon).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deferred {
    /// The hour it arrives in.
    pub arrives: usize,
    /// The last hour it may be done in.
    pub due: usize,
    /// Agent-hours of it (still to do).
    pub work: f64,
}

/// A team's needs: each day's live need by hour, and the work that may wait, in arrival order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TeamNeeds {
    /// Agents each hour needs on the live channels, `[day][hour]`.
    pub live: Vec<[u32; 24]>,
    /// Work that may wait, in arrival order.
    pub deferred: Vec<Deferred>,
}

/// Each team's needs: every channel's need goes to the first team that serves it (teams that
/// share a channel pool their agents, which the simulation then judges).
pub fn team_needs(support: &Support, days: u32, needs: &[Need]) -> Vec<TeamNeeds> {
    let mut out =
        vec![TeamNeeds { live: vec![[0u32; 24]; days as usize], deferred: Vec::new() }; support.teams.len()];
    for n in needs {
        let Some(team) = support.teams.iter().position(|t| t.serves[n.channel]) else { continue };
        let t = &mut out[team];
        if let Some(day) = t.live.get_mut(n.day as usize) {
            day[n.hour as usize] += n.agents;
        }
        if n.work_h > 0.0 {
            let arrives = 24 * n.day as usize + n.hour as usize;
            t.deferred.push(Deferred { arrives, due: arrives + n.wait_h as usize, work: n.work_h });
        }
    }
    for t in &mut out {
        t.deferred.sort_by_key(|d| (d.arrives, d.due));
    }
    out
}

/// The last hour (of the horizon) `d` may be done in: its deadline, or the last hour before it
/// a shift may cover (a deadline at 02:00 with shifts from 06:00 to 24:00 means 23:00 the day
/// before), or, when no such hour follows its arrival, the first hour after a shift may cover.
fn last_hour(d: &Deferred, coverable: &[bool; 24]) -> usize {
    (d.arrives..=d.due.max(d.arrives))
        .rev()
        .find(|&h| coverable[h % 24])
        .or_else(|| (d.due..d.due + 24).find(|&h| coverable[h % 24]))
        .unwrap_or(d.due)
}

/// The windows of work that day `day` (its hours `24 day ..`) must hold: for each span from an
/// hour work arrives in to an hour some is due by, the work that arrives in it and must be done
/// by its end ([`last_hour`]; work already overdue by the first hour a shift may cover today).
/// `pending` in arrival order; `coverable`: the hours a shift may cover.
fn windows(pending: &[Deferred], day: usize, coverable: &[bool; 24]) -> Vec<Window> {
    let first = 24 * day;
    let opens = (0..24).find(|&h| coverable[h]).unwrap_or(0);
    // Each piece of work as (from, to) hours of the day, or none when it is not due today.
    let spans: Vec<(usize, usize, f64)> = pending
        .iter()
        .filter_map(|d| {
            let last = last_hour(d, coverable);
            if last >= first + 24 {
                return None;
            }
            let from = d.arrives.saturating_sub(first);
            let to = last.saturating_sub(first).max(opens).max(from);
            Some((from, to, d.work))
        })
        .collect();
    let mut froms: Vec<usize> = spans.iter().map(|s| s.0).collect();
    let mut tos: Vec<usize> = spans.iter().map(|s| s.1).collect();
    froms.sort_unstable();
    froms.dedup();
    tos.sort_unstable();
    tos.dedup();
    let mut out = Vec::new();
    for &a in &froms {
        for &b in tos.iter().filter(|&&b| b >= a) {
            let work: f64 = spans.iter().filter(|s| s.0 >= a && s.1 <= b).map(|s| s.2).sum();
            if work > 0.0 {
                out.push(Window { from: a, to: b, work });
            }
        }
    }
    out
}

/// Does the work of `pending` earliest deadline first with the spare agents of day `day`
/// (`spare[hour]`), removing what is done.
fn work_off(pending: &mut Vec<Deferred>, day: usize, spare: &[f64; 24]) {
    pending.sort_by_key(|d| (d.due, d.arrives));
    for (h, &hours) in spare.iter().enumerate() {
        let mut left = hours;
        for d in pending.iter_mut().filter(|d| d.arrives <= 24 * day + h) {
            if left <= 0.0 {
                break;
            }
            let done = d.work.min(left);
            d.work -= done;
            left -= done;
        }
    }
    pending.retain(|d| d.work > 1e-9);
    pending.sort_by_key(|d| (d.arrives, d.due));
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

/// The cheapest roster that covers `needs` under `rules`, one team-day at a time, and its cost.
pub fn roster(needs: &[TeamNeeds], rules: &ShiftRules) -> Result<(Vec<RosterRow>, f64), Unplanned> {
    let patterns = rules.patterns();
    let coverable = rules.coverable();
    let mut rows = Vec::new();
    let mut cost = 0.0;
    for (team, t) in needs.iter().enumerate() {
        let mut pending: Vec<Deferred> = Vec::new();
        let mut arriving = t.deferred.iter().peekable();
        for (day, need) in t.live.iter().enumerate() {
            while let Some(d) = arriving.next_if(|d| d.arrives < 24 * (day + 1)) {
                pending.push(*d);
            }
            let windows = windows(&pending, day, &coverable);
            let cover = Cover {
                need,
                windows: &windows,
                patterns: &patterns,
                min_people: rules.min_agents,
                max_people: rules.max_agents,
            };
            let day32 = day as u32;
            let plan = cheapest(&cover).map_err(|why| Unplanned { team, day: day32, why })?;
            cost += cover.cost(&plan);
            let on = cover.coverage(&plan);
            let spare: [f64; 24] = std::array::from_fn(|h| f64::from(on[h].saturating_sub(need[h])));
            work_off(&mut pending, day, &spare);
            for (p, &agents) in patterns.iter().zip(&plan).filter(|(_, n)| **n > 0) {
                rows.extend(spans(&p.covers).map(|(start_h, end_h)| RosterRow {
                    team,
                    day: day32,
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
            min_agents: 0,
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
        let team = |live: Vec<[u32; 24]>| TeamNeeds { live, deferred: Vec::new() };
        let needs = vec![team(vec![day, [0; 24]]), team(vec![[0; 24], day])];
        let (rows, cost) = roster(&needs, &rules()).unwrap();
        for (team, t) in needs.iter().enumerate() {
            for (d, need) in t.live.iter().enumerate() {
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
        let night = vec![team(vec![{
            let mut d = [0u32; 24];
            d[3] = 1;
            d
        }])];
        assert_eq!(
            roster(&night, &rules()),
            Err(Unplanned { team: 0, day: 0, why: NoPlan::Uncovered(3) }),
            "an hour no shift may cover is named"
        );
    }

    #[test]
    fn work_that_may_wait_is_done_by_its_deadline_or_the_first_hour_a_shift_may_cover() {
        let work = |arrives, due, work| Deferred { arrives, due, work };
        let needs = vec![TeamNeeds {
            live: vec![[0; 24]; 2],
            // Arrives at 02:00 while no shift may cover it, due 05:00: done at 06:00. Arrives at
            // 08:00, due by 10:00. Arrives at 20:00, due at 03:00 the next day, while no shift
            // may cover 00:00 to 06:00: done by 23:00. Arrives at 23:00, due at 10:00 the next
            // day.
            deferred: vec![work(2, 5, 3.0), work(8, 10, 5.0), work(20, 27, 1.5), work(23, 34, 2.0)],
        }];
        let (rows, _) = roster(&needs, &rules()).unwrap();
        let on = |day: u32, hours: std::ops::RangeInclusive<u32>| -> u32 {
            rows.iter()
                .filter(|r| r.day == day)
                .map(|r| hours.clone().filter(|h| (r.start_h..r.end_h).contains(h)).count() as u32 * r.agents)
                .sum()
        };
        assert!(on(0, 6..=6) >= 3, "the night's work at 06:00");
        assert!(on(0, 6..=10) >= 8, "and the morning's by 10:00");
        assert!(on(0, 20..=23) >= 2, "the evening's work before the night, not at 06:00");
        assert!(on(0, 23..=23) + on(1, 0..=10) >= 2, "the late work by 10:00 the next day");
        // Each day pays only for what it must do: the plan is not far above the work.
        let paid: u32 = rows.iter().map(|r| (r.end_h - r.start_h) * r.agents).sum();
        assert!((12..=20).contains(&paid), "{paid} agent-hours for 11.5 of work, shifts of 4");
    }
}
