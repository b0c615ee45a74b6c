//! `o2d staff`: the cheapest staffing plan that holds the support targets, found by simulation.
//!
//! 1. Run the scenario as it is staffed: the contacts each hour brings and their handle times.
//! 2. The plan a workforce tool would make: size every hour of operation of every channel by
//!    Erlang C and A on its own, cover the need with the cheapest shifts ([`crate::staffing`]),
//!    run it with every replication and judge the targets on their 95% intervals (inconclusive
//!    counts as not met). `Method::Erlang` stops there.
//! 3. o2d's plan: live channels sized as before, email and social as work due by their `sla`
//!    (carried across hours and days), covered, run and judged. Where a target fails, raise the
//!    hours of its window whose contacts missed their sla more often than the target allows,
//!    plan again, and run again, up to `[staffing].max_rounds` rounds.

use std::sync::atomic::AtomicBool;

use crate::error::{Error, Result};
use crate::kpi::{Comparison, Group, Target, find};
use crate::scenario::Scenario;
use crate::scenario::files::roster::RosterRow as FileRow;
use crate::scenario::staffing::Staffing;
use crate::scenario::support::{Channel, Roster, Support};
use crate::staffing::plan::{RosterRow, roster, team_needs};
use crate::staffing::requirement::{Need, Service, Sizing, needs, wait_hours};

use super::targets::{TargetCheck, Verdict, check};
use super::{RunOptions, RunResult, run};

/// The share by which each round raises an hour that failed (a live hour by at least one agent).
pub const RAISE_STEP: f64 = 0.2;

/// Steps of [`RAISE_STEP`] a round may take to change the roster (work that may wait is raised
/// until it outgrows the slack of the shifts it already has; 20 steps is five times its need).
const MAX_RAISES_A_ROUND: u32 = 20;

/// How far `o2d staff` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Erlang C and A per hour only, as a workforce tool plans (one verification run).
    Erlang,
    /// The Erlang plan, and o2d's plan corrected by simulation round by round.
    Simulation,
}

/// A plan: the roster, what it costs, and what its runs found.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `erlang` or `o2d`.
    pub name: &'static str,
    /// Each hour's need the plan covers, channel by channel.
    pub needs: Vec<Need>,
    /// The roster.
    pub rows: Vec<RosterRow>,
    /// Its paid agent-hours.
    pub agent_hours: f64,
    /// What it costs (`support.agent_wage_per_hour` an agent-hour).
    pub cost: f64,
    /// Each verification round, in order (the last is the plan's).
    pub rounds: Vec<Round>,
    /// Whether the last round met every target.
    pub converged: bool,
    /// The last round's late contacts that no shift allowed could have answered in time, per
    /// failed target and channel.
    pub out_of_reach: Vec<OutOfReach>,
    /// The last round's run.
    pub result: RunResult,
}

/// One verification round: a plan's cost and verdicts.
#[derive(Debug, Clone)]
pub struct Round {
    /// 1 for a plan's first.
    pub index: u32,
    /// Paid agent-hours of the round's plan.
    pub agent_hours: f64,
    /// What the round's plan costs.
    pub cost: f64,
    /// The staffing targets judged on the round's run.
    pub checks: Vec<TargetCheck>,
    /// Channel-hours raised after this round (0 when it met every target or was the last).
    pub raised: usize,
}

/// What `o2d staff` found: the scenario as staffed, and each plan.
#[derive(Debug, Clone)]
pub struct Staffed {
    /// The targets plans are judged on.
    pub targets: Vec<Target>,
    /// The run of the scenario as it is staffed.
    pub current: RunResult,
    /// Its agent-hours (the run's, averaged over replications).
    pub current_agent_hours: f64,
    /// The targets judged on it.
    pub current_checks: Vec<TargetCheck>,
    /// The Erlang plan (one round).
    pub erlang: Plan,
    /// The plan corrected by simulation (`None` with [`Method::Erlang`]).
    pub simulated: Option<Plan>,
}

/// Which run of `o2d staff` is going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The scenario as it is staffed.
    AsStaffed,
    /// The Erlang plan's run.
    Erlang,
    /// A round of o2d's plan (from 1).
    Round(u32),
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AsStaffed => f.write_str("as staffed"),
            Self::Erlang => f.write_str("Erlang C plan"),
            Self::Round(k) => write!(f, "o2d round {k}"),
        }
    }
}

/// What the command hears as the work goes on.
pub trait Progress: Sync {
    /// A run of `replications` starts.
    fn run_starts(&self, stage: Stage, replications: u32);
    /// A replication of the current run ended.
    fn replication_done(&self);
    /// A plan's run was judged.
    fn round_done(&self, stage: Stage, round: &Round);
}

/// The targets a plan must hold: the scenario's targets on support KPIs (its channels, its
/// contacts and their answers; not money); without any, each channel's `sla_attainment` at
/// least the service level and, where customers give up, its `abandonment_rate` at most the
/// cap, over the horizon, on the channels that had contacts in `current` (the run as staffed).
pub fn staffing_targets(sc: &Scenario, staffing: &Staffing, current: &RunResult) -> Vec<Target> {
    let defs = sc.kpi_defs();
    let own: Vec<Target> = sc
        .targets
        .iter()
        .filter(|t| {
            find(&defs, &t.kpi).is_some_and(|d| matches!(d.group(), Group::Support | Group::Channel(_)))
        })
        .cloned()
        .collect();
    if !own.is_empty() {
        return own;
    }
    let Some(support) = &sc.support else { return Vec::new() };
    let mut out = Vec::new();
    let contacted =
        |ch: Channel| current.summary(&format!("{}_tickets", ch.name())).is_some_and(|s| s.mean > 0.0);
    for ch in support.used.marked().filter(|&ch| contacted(ch)) {
        let target = |kpi: String, comparison, threshold: f64| Target {
            text: format!("{} {threshold}", if comparison == Comparison::AtLeast { ">=" } else { "<=" }),
            kpi,
            comparison,
            threshold,
            window: None,
        };
        out.push(target(
            format!("{}_sla_attainment", ch.name()),
            Comparison::AtLeast,
            staffing.service_level,
        ));
        if support.channels[ch].patience.is_some() {
            out.push(target(
                format!("{}_abandonment_rate", ch.name()),
                Comparison::AtMost,
                staffing.abandonment,
            ));
        }
    }
    out
}

/// `sc` staffed by `rows`: each team works its rows of the roster (a team without rows is
/// closed), with no weekly shifts and no dated extra agents.
pub fn with_roster(sc: &Scenario, rows: &[RosterRow]) -> Scenario {
    let mut out = sc.clone();
    if let Some(support) = out.support.as_mut() {
        support.overrides.clear();
        for (i, team) in support.teams.iter_mut().enumerate() {
            team.shifts.clear();
            let mine: Vec<FileRow> = rows
                .iter()
                .filter(|r| r.team == i)
                .enumerate()
                .map(|(line, r)| FileRow {
                    line: line + 2,
                    date: sc.date_of_day(r.day),
                    start_min: r.start_h * 60,
                    end_min: r.end_h * 60,
                    agents: r.agents,
                })
                .collect();
            team.roster = (!mine.is_empty()).then(|| Roster::new(&mine, sc.start_date, sc.days).0);
        }
    }
    out.name = format!("{}-plan", sc.name);
    out
}

/// Mean agent-hours on shift over the horizon of a run (the daily `agent_hours`).
fn agent_hours(result: &RunResult) -> f64 {
    let Some(col) = result.daily_columns.iter().position(|c| c == "agent_hours") else { return 0.0 };
    let total: f64 = result.replications.iter().flat_map(|r| &r.daily).map(|d| d[col]).sum();
    total / result.replications.len().max(1) as f64
}

/// Whether every check passed.
fn all_pass(checks: &[TargetCheck]) -> bool {
    checks.iter().all(|c| c.verdict == Verdict::Pass)
}

/// The channels a support target concerns: its channel's, or every channel used.
fn channels_of(sc: &Scenario, support: &Support, target: &Target) -> Vec<Channel> {
    let defs = sc.kpi_defs();
    match find(&defs, &target.kpi).map(|d| d.group()) {
        Some(Group::Channel(ch)) => vec![ch],
        _ => support.used.marked().collect(),
    }
}

/// The share of an hour's contacts a target lets miss the sla: what an `sla_attainment` target
/// leaves, else what the service level leaves.
fn allowed_late(target: &Target, staffing: &Staffing) -> f64 {
    let attainment = target.kpi.ends_with("sla_attainment")
        && matches!(target.comparison, Comparison::AtLeast | Comparison::Above);
    1.0 - if attainment { target.threshold } else { staffing.service_level }
}

/// Contacts of a failed target's channel that no shift `[staffing]` allows could answer within
/// their sla: they arrive too early or too late in the day.
#[derive(Debug, Clone, PartialEq)]
pub struct OutOfReach {
    /// The target, as a planner reads it.
    pub target: String,
    /// The channel.
    pub channel: Channel,
    /// The share of the channel's contacts in the target's window that missed the sla for it.
    pub share: f64,
    /// Whether that share alone is more than the target lets miss: no plan within the hours
    /// `[staffing]` allows can meet it.
    pub blocks: bool,
}

/// Where a run that failed some targets missed them.
struct Misses {
    /// The hours (of the horizon) to raise on each channel: within each failing target's
    /// window, those whose contacts missed the sla more often than it allows (or, when none
    /// did, every hour with a contact that missed it), and whose contacts a shift may answer in
    /// time (a live contact in its own hour; email and social by their deadline).
    raise: Vec<(Channel, usize)>,
    /// The late contacts no shift could have answered in time.
    out_of_reach: Vec<OutOfReach>,
}

/// Where `result` missed the targets of `failed`.
fn misses(sc: &Scenario, staffing: &Staffing, result: &RunResult, failed: &[&TargetCheck]) -> Misses {
    let mut out = Misses { raise: Vec::new(), out_of_reach: Vec::new() };
    let Some(support) = &sc.support else { return out };
    let coverable = staffing.rules.coverable();
    let mean = |col: &str| -> Option<Vec<f64>> {
        let c = result.hourly_columns.iter().position(|n| *n == col)?;
        let n = result.replications.len().max(1) as f64;
        let len = result.replications.first()?.hourly[c].len();
        Some((0..len).map(|i| result.replications.iter().map(|r| r.hourly[c][i]).sum::<f64>() / n).collect())
    };
    for check in failed {
        let t = &check.target;
        let days = match &t.window {
            Some(w) => {
                sc.windows.iter().find(|x| &x.name == w).map_or(sc.warmup_days..sc.days, |x| x.days.clone())
            }
            None => sc.warmup_days..sc.days,
        };
        let hours = 24 * days.start as usize..24 * days.end as usize;
        let allowed = allowed_late(t, staffing);
        let channels = channels_of(sc, support, t);
        // A channel's own attainment target that its unreachable contacts alone break cannot be
        // met by raising any hour.
        let own_attainment = channels.len() == 1 && t.kpi.ends_with("sla_attainment");
        for ch in channels {
            let (Some(offered), Some(late)) =
                (mean(&format!("{}_offered", ch.name())), mean(&format!("{}_late", ch.name())))
            else {
                continue;
            };
            // Every contact of hour i can be answered in time up to hour i + wait, the last of
            // them up to hour i + sla.
            let wait = if ch.is_real_time() { 0 } else { wait_hours(support, ch) as usize };
            let last = (support.channels[ch].sla_ms / 3_600_000) as usize;
            let any_open = |from: usize, to: usize| (from..=to).any(|h| coverable[h % 24]);
            let open = |i: &usize| late[*i] > 0.0 && any_open(*i, *i + wait);
            let mut over: Vec<usize> =
                hours.clone().filter(open).filter(|&i| late[i] > allowed * offered[i]).collect();
            if over.is_empty() {
                over = hours.clone().filter(open).collect();
            }
            let lost: f64 = hours.clone().filter(|&i| !any_open(i, i + last)).map(|i| late[i]).sum();
            let all: f64 = hours.clone().map(|i| offered[i]).sum();
            let blocks = own_attainment && lost > allowed * all;
            if lost > 0.0 && all > 0.0 {
                out.out_of_reach.push(OutOfReach {
                    target: t.label(),
                    channel: ch,
                    share: lost / all,
                    blocks,
                });
            }
            if !blocks {
                out.raise.extend(over.into_iter().map(|i| (ch, i)));
            }
        }
    }
    out.raise.sort_unstable_by_key(|&(ch, i)| (ch as usize, i));
    out.raise.dedup();
    out
}

/// Runs `sc` with the progress reported as `stage`.
fn run_stage(
    sc: &Scenario,
    stage: Stage,
    threads: usize,
    stop: &AtomicBool,
    progress: &dyn Progress,
) -> Result<RunResult> {
    progress.run_starts(stage, sc.replications);
    let tick = || progress.replication_done();
    let opts = RunOptions { threads, stop, on_replication_done: &tick, on_customers: None };
    let result = run(sc, &opts)?;
    result.check_ledgers()?;
    Ok(result)
}

/// The roster of `needs`, or why there is none.
fn plan_of(sc: &Scenario, staffing: &Staffing, needs: &[Need]) -> Result<(Vec<RosterRow>, f64)> {
    let support = sc.support.as_ref().expect("staffing plans need [support]");
    roster(&team_needs(support, sc.days, needs), &staffing.rules).map_err(|u| {
        let team = &support.teams[u.team].name;
        let date = sc.date_of_day(u.day);
        Error::Usage(format!(
            "no staffing plan for team {team:?} on {date}: {}; widen [staffing] earliest_start, latest_end \
             or max_agents",
            u.why
        ))
    })
}

/// The `[staffing]` of `sc`, or why it cannot be planned (it models no support).
pub fn staffing_of(sc: &Scenario) -> Result<&Staffing> {
    sc.staffing.as_ref().ok_or_else(|| {
        Error::Usage(format!(
            "scenario {:?} models no support: `o2d staff` plans support agents, so it needs a [support] table",
            sc.name
        ))
    })
}

/// A plan's roster run with every replication and judged on the targets.
struct Verified {
    rows: Vec<RosterRow>,
    agent_hours: f64,
    cost: f64,
    result: RunResult,
    checks: Vec<TargetCheck>,
}

/// The roster `(rows, cost)` run as `stage` and judged on `targets`.
fn verify(
    sc: &Scenario,
    staffing: &Staffing,
    targets: &[Target],
    (rows, cost): (Vec<RosterRow>, f64),
    stage: Stage,
    (threads, stop, progress): (usize, &AtomicBool, &dyn Progress),
) -> Result<Verified> {
    let agent_hours = cost / staffing.rules.wage_per_hour.max(f64::MIN_POSITIVE);
    let result = run_stage(&with_roster(sc, &rows), stage, threads, stop, progress)?;
    let checks = check(targets, &result);
    Ok(Verified { rows, agent_hours, cost, result, checks })
}

/// Finds the plans: see the module's documentation. `threads` and `stop` as a run takes them.
pub fn staff(
    sc: &Scenario,
    method: Method,
    threads: usize,
    stop: &AtomicBool,
    progress: &dyn Progress,
) -> Result<Staffed> {
    let staffing = staffing_of(sc)?;
    let how = (threads, stop, progress);
    let current = run_stage(sc, Stage::AsStaffed, threads, stop, progress)?;
    let targets = staffing_targets(sc, staffing, &current);
    let current_checks = check(&targets, &current);
    let service = Service { level: staffing.service_level, abandonment: staffing.abandonment };
    let open = staffing.rules.coverable();
    let sized = |sizing| needs(sc, &current, service, sizing, &open);

    let needs = sized(Sizing::PerHour);
    let v = verify(sc, staffing, &targets, plan_of(sc, staffing, &needs)?, Stage::Erlang, how)?;
    let round = Round { index: 1, agent_hours: v.agent_hours, cost: v.cost, checks: v.checks, raised: 0 };
    progress.round_done(Stage::Erlang, &round);
    let failed: Vec<&TargetCheck> = round.checks.iter().filter(|c| c.verdict != Verdict::Pass).collect();
    let out_of_reach = misses(sc, staffing, &v.result, &failed).out_of_reach;
    let erlang = Plan {
        name: "erlang",
        converged: failed.is_empty(),
        out_of_reach,
        needs,
        rows: v.rows,
        agent_hours: v.agent_hours,
        cost: v.cost,
        rounds: vec![round],
        result: v.result,
    };
    let simulated = match method {
        Method::Erlang => None,
        Method::Simulation => Some(corrected(sc, staffing, &targets, sized(Sizing::ByDeadline), how)?),
    };
    Ok(Staffed {
        targets,
        current_agent_hours: agent_hours(&current),
        current,
        current_checks,
        erlang,
        simulated,
    })
}

/// o2d's plan: `first` (work that may wait planned by its deadline) covered, run and judged, the
/// hours that failed raised, round after round until every target holds, no raise changes the
/// roster, or `[staffing].max_rounds` rounds ran.
fn corrected(
    sc: &Scenario,
    staffing: &Staffing,
    targets: &[Target],
    first: Vec<Need>,
    how: (usize, &AtomicBool, &dyn Progress),
) -> Result<Plan> {
    let needs_of = |raise: &[u32]| -> Vec<Need> {
        first.iter().zip(raise).map(|(n, &k)| n.raised(k, RAISE_STEP)).collect()
    };
    let mut raise = vec![0u32; first.len()];
    let mut needs = needs_of(&raise);
    let mut planned = plan_of(sc, staffing, &needs)?;
    let mut rounds: Vec<Round> = Vec::new();
    loop {
        let index = rounds.len() as u32 + 1;
        let v = verify(sc, staffing, targets, planned, Stage::Round(index), how)?;
        let passed = all_pass(&v.checks);
        let mut round =
            Round { index, agent_hours: v.agent_hours, cost: v.cost, checks: v.checks, raised: 0 };
        let mut next = None;
        let failed: Vec<&TargetCheck> = round.checks.iter().filter(|c| c.verdict != Verdict::Pass).collect();
        let Misses { raise: hours, out_of_reach } = misses(sc, staffing, &v.result, &failed);
        if !passed && index < staffing.max_rounds {
            // Raise the hours until the roster changes: a raise the shifts' slack absorbs would
            // only run the same plan again.
            let mut next_raise = raise.clone();
            for _ in 0..MAX_RAISES_A_ROUND {
                if hours.is_empty() {
                    break;
                }
                for (k, n) in next_raise.iter_mut().zip(&first) {
                    let at = 24 * n.day as usize + n.hour as usize;
                    if hours
                        .binary_search_by_key(&(n.channel as usize, at), |&(c, h)| (c as usize, h))
                        .is_ok()
                    {
                        *k += 1;
                    }
                }
                let next_needs = needs_of(&next_raise);
                let plan = plan_of(sc, staffing, &next_needs)?;
                if plan.0 != v.rows {
                    round.raised = hours.len();
                    next = Some((next_raise, next_needs, plan));
                    break;
                }
            }
        }
        how.2.round_done(Stage::Round(index), &round);
        rounds.push(round);
        let Some((next_raise, next_needs, plan)) = next else {
            return Ok(Plan {
                name: "o2d",
                converged: passed,
                out_of_reach,
                needs,
                rows: v.rows,
                agent_hours: v.agent_hours,
                cost: v.cost,
                rounds,
                result: v.result,
            });
        };
        (raise, needs, planned) = (next_raise, next_needs, plan);
    }
}
