//! Replications on rayon: each replication is independent and seeded by its index, results are
//! sorted by replication before anything is summarised, so output never depends on thread count.

pub mod capacity;
pub mod compare;
mod history;
pub mod run_shard;
pub mod staff;
pub mod sweep;
pub mod targets;
pub mod tiny;
pub mod trace;

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::kernel::Simulation;
use crate::kpi::KpiDef;
use crate::model::customers::CustomerBase;
use crate::model::{Conservation, Operation};
use crate::scenario::Scenario;
use crate::stats::{Summary, summarize};

/// One replication's numbers.
#[derive(Debug, Clone)]
pub struct Replication {
    /// Replication index (0-based).
    pub index: u64,
    /// KPI values aligned with `RunResult::kpis`.
    pub kpis: Vec<f64>,
    /// For each window of the scenario, in order, its KPI values aligned with `RunResult::kpis`.
    pub windows: Vec<Vec<f64>>,
    /// Daily rows aligned with `RunResult::daily_columns`.
    pub daily: Vec<Vec<f64>>,
    /// The hourly series by column, aligned with `RunResult::hourly_columns`: each column holds
    /// its value for each day and hour, at `24 * day + hour`.
    pub hourly: Vec<Vec<f64>>,
    /// Order accounting at the end.
    pub conservation: Conservation,
    /// Unit accounting at the end, when inventory is modelled.
    pub units: Option<crate::model::inventory_flow::UnitLedger>,
    /// Conservation of tickets and Little's law, when support is modelled.
    pub tickets: Option<crate::model::support::TicketLedger>,
    /// Events handled.
    pub events: u64,
}

impl Replication {
    /// Whether every order, unit and ticket is accounted for at the end (and Little's law holds
    /// on the support queues' sample path).
    pub fn ledgers_hold(&self) -> bool {
        self.conservation.holds()
            && self.units.is_none_or(|u| u.holds())
            && self.tickets.is_none_or(|t| t.holds())
    }
}

/// Machine-dependent figures about the run itself (never in `kpis.csv`).
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct EngineStats {
    /// Events handled over all replications.
    pub events: u64,
    /// Events per wall-clock second.
    pub events_per_second: f64,
    /// Wall-clock seconds of the whole run.
    pub wall_seconds: f64,
    /// Peak resident memory of the process, bytes (0 where unknown).
    pub peak_rss_bytes: u64,
    /// Threads used.
    pub threads: usize,
}

/// A finished run: every replication and the summary of each KPI.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// KPI definitions, in output order.
    pub kpis: Vec<KpiDef>,
    /// Summary per KPI, aligned with `kpis`.
    pub summaries: Vec<Summary>,
    /// Each window of the scenario, in order, with its own summary per KPI.
    pub windows: Vec<WindowResult>,
    /// Daily series columns.
    pub daily_columns: Vec<String>,
    /// Hourly series columns.
    pub hourly_columns: Vec<&'static str>,
    /// Replications sorted by index.
    pub replications: Vec<Replication>,
    /// Engine figures.
    pub engine: EngineStats,
}

impl RunResult {
    /// Fails when a replication's orders, units or tickets are not all accounted for.
    pub fn check_ledgers(&self) -> Result<()> {
        match self.replications.iter().find(|r| !r.ledgers_hold()) {
            Some(r) => Err(Error::Limit(format!(
                "internal error: conservation failed in replication {}: orders {:?}, units {:?}, tickets {:?}",
                r.index, r.conservation, r.units, r.tickets
            ))),
            None => Ok(()),
        }
    }

    /// The values of KPI `k` across replications, in replication order.
    pub fn values_of(&self, k: usize) -> Vec<f64> {
        self.replications.iter().map(|r| r.kpis[k]).collect()
    }

    /// The summary of the KPI called `name`.
    pub fn summary(&self, name: &str) -> Option<&Summary> {
        self.kpis.iter().position(|d| d.name == name).map(|i| &self.summaries[i])
    }

    /// The summaries of window `window` (`None`: the horizon), aligned with `kpis`; `None` when
    /// the run has no such window.
    pub fn summaries_in(&self, window: Option<&str>) -> Option<&[Summary]> {
        match window {
            None => Some(&self.summaries),
            Some(name) => self.windows.iter().find(|w| w.name == name).map(|w| w.summaries.as_slice()),
        }
    }

    /// The summary of the KPI called `name` over window `window` (`None`: the horizon).
    pub fn summary_in(&self, window: Option<&str>, name: &str) -> Option<&Summary> {
        let i = self.kpis.iter().position(|d| d.name == name)?;
        self.summaries_in(window).map(|s| &s[i])
    }
}

/// A window's KPIs across replications.
#[derive(Debug, Clone)]
pub struct WindowResult {
    /// The window's name.
    pub name: String,
    /// First measured date.
    pub from: chrono::NaiveDate,
    /// Last measured date (inclusive).
    pub to: chrono::NaiveDate,
    /// Summary per KPI, aligned with `RunResult::kpis`.
    pub summaries: Vec<Summary>,
}

/// KPI definitions a scenario produces, in output order.
pub fn kpi_defs(scenario: &Scenario) -> Vec<KpiDef> {
    scenario.kpi_defs()
}

/// Runs replication `index` of `scenario`; `stop` interrupts it.
pub fn run_replication(scenario: &Scenario, index: u64, stop: &AtomicBool) -> Result<Replication> {
    run_replication_with_base(scenario, index, stop).map(|(r, _)| r)
}

/// Runs replication `index` as [`run_replication`] does, and hands back its customer base at the
/// end, when the scenario models customers.
fn run_replication_with_base(
    scenario: &Scenario,
    index: u64,
    stop: &AtomicBool,
) -> Result<(Replication, Option<CustomerBase>)> {
    replicate(history::attach(Operation::new(scenario, index), scenario)?, scenario, index, stop)
}

/// Runs replication `index` of `scenario` exactly as [`run_replication`] does, handing every
/// request its customers send to `observer`, in order of time (`o2d trace`).
pub fn trace_replication<'s>(
    scenario: &'s Scenario,
    index: u64,
    stop: &AtomicBool,
    observer: crate::model::trace::RequestObserver<'s>,
) -> Result<Replication> {
    let model = history::attach(Operation::new(scenario, index), scenario)?;
    replicate(model.observe_requests(observer), scenario, index, stop).map(|(r, _)| r)
}

fn replicate(
    model: Operation<'_>,
    scenario: &Scenario,
    index: u64,
    stop: &AtomicBool,
) -> Result<(Replication, Option<CustomerBase>)> {
    let mut sim = Simulation::new(model, scenario.warmup_end(), scenario.horizon());
    let events = sim.run_until_stopped(stop).map_err(|_| Error::Interrupted)?;
    if let Some(why) = sim.model().limit_hit() {
        return Err(Error::Limit(format!("replication {index}: {why}")));
    }
    let outcome = sim.into_model().finish();
    let daily_columns = scenario.daily_columns();
    assert_eq!(outcome.daily_columns, daily_columns, "the model's daily columns are the scenario's");
    let hourly_columns = scenario.hourly_columns();
    assert_eq!(outcome.hourly_columns, hourly_columns, "the model's hourly columns are the scenario's");
    let hours = 24 * scenario.days as usize;
    assert!(outcome.hourly.iter().all(|c| c.len() == hours), "every hourly column has 24 values a day");
    assert_eq!(outcome.windows.len(), scenario.windows.len(), "the model reports every window");
    let replication = Replication {
        index,
        kpis: kpi_values(scenario, &outcome.kpis),
        windows: outcome.windows,
        daily: outcome.daily,
        hourly: outcome.hourly,
        conservation: outcome.conservation,
        units: outcome.units,
        tickets: outcome.tickets,
        events,
    };
    Ok((replication, outcome.customers))
}

/// The values of a replication's KPIs, in the order of `kpi_defs(scenario)`, which the model
/// reports them in (each value comes with its definition; a mismatch is a bug, not a number).
fn kpi_values(scenario: &Scenario, kpis: &[(KpiDef, f64)]) -> Vec<f64> {
    let expected = kpi_defs(scenario);
    assert!(
        kpis.len() == expected.len() && kpis.iter().zip(&expected).all(|((d, _), e)| d.name == e.name),
        "the model reported KPIs {:?}, the scenario lists {:?}",
        kpis.iter().map(|(d, _)| d.name).collect::<Vec<_>>(),
        expected.iter().map(|d| d.name).collect::<Vec<_>>()
    );
    kpis.iter().map(|(_, v)| *v).collect()
}

/// How to run.
pub struct RunOptions<'a> {
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Set to stop early (Ctrl-C).
    pub stop: &'a AtomicBool,
    /// Called after each replication finishes (progress bars).
    pub on_replication_done: &'a (dyn Fn() + Sync),
    /// Called with each replication's index and customer base as it finishes, in no particular
    /// order, when the scenario models customers (`customers.csv`); the base is then dropped.
    pub on_customers: Option<CustomersSink<'a>>,
}

/// What takes each replication's customer base: see [`RunOptions::on_customers`].
pub type CustomersSink<'a> = &'a (dyn Fn(u64, &CustomerBase) -> Result<()> + Sync);

/// Runs `indices` replications of `scenario` on a pool of `threads`, sorted by index.
pub fn run_replications(
    scenario: &Scenario,
    indices: &[u64],
    opts: &RunOptions<'_>,
) -> Result<Vec<Replication>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {} threads: {e}", opts.threads)))?;
    let mut reps: Vec<Replication> = pool.install(|| {
        indices
            .par_iter()
            .map(|&i| {
                let (r, base) = run_replication_with_base(scenario, i, opts.stop)?;
                if let (Some(sink), Some(base)) = (opts.on_customers, base) {
                    sink(i, &base)?;
                }
                (opts.on_replication_done)();
                Ok(r)
            })
            .collect::<Result<Vec<_>>>()
    })?;
    reps.sort_by_key(|r| r.index);
    Ok(reps)
}

/// Runs all replications of `scenario` and summarises them.
pub fn run(scenario: &Scenario, opts: &RunOptions<'_>) -> Result<RunResult> {
    let started = Instant::now();
    let indices: Vec<u64> = (0..u64::from(scenario.replications)).collect();
    let replications = run_replications(scenario, &indices, opts)?;
    Ok(summarise(scenario, replications, started, opts.threads))
}

/// Why a precision run stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum PrecisionStop {
    /// Every watched KPI's relative half-width is within the precision.
    Reached,
    /// The replication cap was reached; the KPIs named were still too wide.
    Cap(Vec<String>),
}

/// Adds batches of `scenario.replications` replications (indices continue, so the result is
/// deterministic) until every target KPI (all KPIs when there are no targets) has a 95%
/// half-width within `precision` x |mean| on at least [`targets::MIN_REPLICATIONS`]
/// replications (fewer are not trusted, as for a verdict), or `max_replications` is reached.
pub fn run_to_precision(
    scenario: &Scenario,
    opts: &RunOptions<'_>,
    precision: f64,
    max_replications: u32,
) -> Result<(RunResult, PrecisionStop)> {
    let started = Instant::now();
    let batch = u64::from(scenario.replications.max(2));
    // (window, KPI) pairs: every KPI of the horizon, or each target's KPI in its window.
    let watched: Vec<(Option<String>, String)> = if scenario.targets.is_empty() {
        kpi_defs(scenario).iter().map(|d| (None, d.name.to_string())).collect()
    } else {
        scenario.targets.iter().map(|t| (t.window.clone(), t.kpi.clone())).collect()
    };
    let mut reps = Vec::new();
    loop {
        let from = reps.len() as u64;
        let to = (from + batch).min(u64::from(max_replications.max(2)));
        let indices: Vec<u64> = (from..to).collect();
        reps.extend(run_replications(scenario, &indices, opts)?);
        let result = summarise(scenario, reps.clone(), started, opts.threads);
        let wide: Vec<String> = watched
            .iter()
            .filter(|(window, k)| {
                result.summary_in(window.as_deref(), k).is_some_and(|s| {
                    let w = s.relative_half_width();
                    // A KPI whose mean is 0 in every replication is as precise as it gets.
                    s.n < targets::MIN_REPLICATIONS || !(w <= precision || s.sd == 0.0)
                })
            })
            .map(|(window, k)| crate::kpi::label(k, window.as_deref()))
            .collect();
        if wide.is_empty() {
            return Ok((result, PrecisionStop::Reached));
        }
        if to >= u64::from(max_replications) {
            return Ok((result, PrecisionStop::Cap(wide)));
        }
    }
}

/// Summarises replications already run (sorted by index).
pub fn summarise(
    scenario: &Scenario,
    replications: Vec<Replication>,
    started: Instant,
    threads: usize,
) -> RunResult {
    let kpis = kpi_defs(scenario);
    // Each interval is cut at its KPI's range (a share within 0..1): see `Summary::within`.
    let summarise_each = |values: &dyn Fn(&Replication) -> &[f64]| -> Vec<Summary> {
        kpis.iter()
            .enumerate()
            .map(|(k, d)| {
                let (lo, hi) = d.bounds();
                summarize(&replications.iter().map(|r| values(r)[k]).collect::<Vec<_>>()).within(lo, hi)
            })
            .collect()
    };
    let summaries = summarise_each(&|r| &r.kpis);
    let windows = scenario
        .windows
        .iter()
        .enumerate()
        .map(|(i, w)| WindowResult {
            name: w.name.clone(),
            from: scenario.date_of_day(w.days.start),
            to: scenario.date_of_day(w.days.end - 1),
            summaries: summarise_each(&|r| &r.windows[i]),
        })
        .collect();
    let wall_seconds = started.elapsed().as_secs_f64();
    let events: u64 = replications.iter().map(|r| r.events).sum();
    RunResult {
        kpis,
        summaries,
        windows,
        daily_columns: scenario.daily_columns(),
        hourly_columns: scenario.hourly_columns(),
        replications,
        engine: EngineStats {
            events,
            events_per_second: if wall_seconds > 0.0 { events as f64 / wall_seconds } else { 0.0 },
            wall_seconds,
            peak_rss_bytes: peak_rss_bytes(),
            threads: if threads == 0 { rayon::current_num_threads() } else { threads },
        },
    }
}

/// Peak resident set size of this process (Linux `VmHWM`), 0 elsewhere.
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}
