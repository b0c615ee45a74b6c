//! `o2d run --shard K/N` and `o2d merge` of run shards: a run's replications spread over jobs
//! (a cluster's array tasks), each writing its replications' results to a shard file, joined
//! into exactly the result the unsharded run has. Replication j goes to shard j mod N and is
//! seeded by its index alone, so it is the same replication wherever it runs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::scenario::{self, Scenario, Source};

use super::sweep::{check_shard_set, scenario_hash};
use super::{EngineStats, Replication, RunResult, summarise};

/// What a shard file of a run says it is (a sweep's shard has no `kind`).
pub const KIND: &str = "run";

/// One replication as a shard file holds it: every value the run's files are written from
/// (undefined values as `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardReplication {
    /// Replication index.
    pub index: u64,
    /// KPI values over the horizon, in the order of the scenario's KPIs.
    pub kpis: Vec<Option<f64>>,
    /// Each window's KPI values.
    pub windows: Vec<Vec<Option<f64>>>,
    /// Daily rows.
    pub daily: Vec<Vec<Option<f64>>>,
    /// The hourly series by column.
    pub hourly: Vec<Vec<Option<f64>>>,
    /// Events handled.
    pub events: u64,
}

/// The machine's figures of one shard's run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ShardEngine {
    /// Wall-clock seconds of the shard's run.
    pub wall_seconds: f64,
    /// Peak resident memory of the shard's process, bytes.
    pub peak_rss_bytes: u64,
    /// Threads the shard used.
    pub threads: usize,
}

/// A shard of a run: its replications and what a merge checks them against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunShard {
    /// Always [`KIND`].
    pub kind: String,
    /// o2d version that ran it.
    pub o2d: String,
    /// Scenario name.
    pub scenario: String,
    /// Replications of the whole run.
    pub replications: u32,
    /// [`scenario_hash`] of `resolved_toml`.
    pub scenario_hash: String,
    /// This shard (k, n).
    pub shard: (usize, usize),
    /// The resolved scenario, exactly as the unsharded run writes it.
    pub resolved_toml: String,
    /// The shard's machine figures.
    pub engine: ShardEngine,
    /// The shard's replications, by index.
    pub runs: Vec<ShardReplication>,
}

/// The replication indices of shard `k` of `n` of a run of `replications`: k, k + n, k + 2n, ...
pub fn indices(replications: u32, k: usize, n: usize) -> Vec<u64> {
    (k as u64..u64::from(replications)).step_by(n.max(1)).collect()
}

fn to_file(values: &[f64]) -> Vec<Option<f64>> {
    values.iter().map(|v| v.is_finite().then_some(*v)).collect()
}

fn from_file(values: &[Option<f64>]) -> Vec<f64> {
    values.iter().map(|v| v.unwrap_or(f64::NAN)).collect()
}

impl RunShard {
    /// Shard `shard` of the run of `scenario`: `result` holds its replications; `resolved_toml`
    /// is what the unsharded run writes as `scenario.resolved.toml`.
    pub fn new(
        scenario: &Scenario,
        shard: (usize, usize),
        resolved_toml: String,
        result: &RunResult,
    ) -> Self {
        RunShard {
            kind: KIND.to_string(),
            o2d: crate::VERSION.to_string(),
            scenario: scenario.name.clone(),
            replications: scenario.replications,
            scenario_hash: scenario_hash(&resolved_toml),
            shard,
            resolved_toml,
            engine: ShardEngine {
                wall_seconds: result.engine.wall_seconds,
                peak_rss_bytes: result.engine.peak_rss_bytes,
                threads: result.engine.threads,
            },
            runs: result
                .replications
                .iter()
                .map(|r| ShardReplication {
                    index: r.index,
                    kpis: to_file(&r.kpis),
                    windows: r.windows.iter().map(|w| to_file(w)).collect(),
                    daily: r.daily.iter().map(|d| to_file(d)).collect(),
                    hourly: r.hourly.iter().map(|h| to_file(h)).collect(),
                    events: r.events,
                })
                .collect(),
        }
    }
}

/// A merged run: the scenario, the run's result as the unsharded run has it, and the resolved
/// scenario text to write.
#[derive(Debug)]
pub struct Merged {
    /// The scenario, loaded from the shards' resolved scenario.
    pub scenario: Scenario,
    /// Every replication, summarised.
    pub result: RunResult,
    /// `scenario.resolved.toml`.
    pub resolved_toml: String,
}

/// Checks shard `s` (from `path`) on its own: written by this o2d, its hash its resolved
/// scenario's, a shard index below the count, and exactly the replications of its shard.
fn check_shard(path: &Path, s: &RunShard) -> Result<()> {
    let bad = |message: String| Error::Input { path: path.to_path_buf(), message };
    if s.o2d != crate::VERSION {
        return Err(bad(format!(
            "written by o2d {}, this is o2d {}: merge shards with the o2d that ran them",
            s.o2d,
            crate::VERSION
        )));
    }
    if s.scenario_hash != scenario_hash(&s.resolved_toml) {
        return Err(bad("its resolved scenario was edited after the run: run the shard again".into()));
    }
    let (k, n) = s.shard;
    if n == 0 || k >= n {
        return Err(bad(format!(
            "it says it is shard {k}/{n}: the shard count must be at least 1 and the shard index below it"
        )));
    }
    let expected = indices(s.replications, k, n);
    let got: Vec<u64> = s.runs.iter().map(|r| r.index).collect();
    if got != expected {
        return Err(bad(format!(
            "shard {k}/{n} of {} replications holds replications {got:?}, not {expected:?}",
            s.replications
        )));
    }
    Ok(())
}

/// Checks that every replication of shard `s` (from `path`) has the shape a run of `scenario`
/// gives (KPIs, windows, days, columns, hours) and every KPI value within its range.
fn check_values(path: &Path, s: &RunShard, scenario: &Scenario) -> Result<()> {
    let bad = |message: String| Error::Input { path: path.to_path_buf(), message };
    if s.replications != scenario.replications {
        return Err(bad(format!(
            "it says {} replications, its resolved scenario says {}",
            s.replications, scenario.replications
        )));
    }
    let defs = super::kpi_defs(scenario);
    let (daily, hourly) = (scenario.daily_columns().len(), scenario.hourly_columns().len());
    let days = scenario.days as usize;
    for r in &s.runs {
        let shape = |what: &str, got: usize, want: usize| -> Result<()> {
            if got == want {
                Ok(())
            } else {
                Err(bad(format!("replication {} has {got} {what}, the run has {want}", r.index)))
            }
        };
        shape("KPI values", r.kpis.len(), defs.len())?;
        shape("windows", r.windows.len(), scenario.windows.len())?;
        for w in &r.windows {
            shape("KPI values in a window", w.len(), defs.len())?;
        }
        shape("days", r.daily.len(), days)?;
        for row in &r.daily {
            shape("daily columns", row.len(), daily)?;
        }
        shape("hourly columns", r.hourly.len(), hourly)?;
        for column in &r.hourly {
            shape("hours in an hourly column", column.len(), 24 * days)?;
        }
        for values in std::iter::once(&r.kpis).chain(&r.windows) {
            for (d, v) in defs.iter().zip(values) {
                let (lo, hi) = d.bounds();
                if let Some(v) = *v
                    && !(lo <= v && v <= hi)
                {
                    return Err(bad(format!(
                        "replication {}: {} = {v} is outside its range {lo} ..= {hi}",
                        r.index, d.name
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Joins run shards (path, contents) into the run they are shards of. Each shard is checked on
/// its own ([`check_shard`]), then against the first: the same scenario (hash), replications and
/// shard count, every shard present once. Every refusal names the shard file and what is wrong.
pub fn merge(shards: Vec<(PathBuf, RunShard)>) -> Result<Merged> {
    let Some((first_path, first)) = shards.first() else {
        return Err(Error::Usage("no shard files to merge".into()));
    };
    for (path, s) in &shards {
        check_shard(path, s)?;
        if s.scenario_hash != first.scenario_hash || s.replications != first.replications {
            return Err(Error::Input {
                path: path.clone(),
                message: format!(
                    "it is a shard of another run than {} (scenario or replications differ)",
                    first_path.display()
                ),
            });
        }
    }
    check_shard_set(&shards.iter().map(|(p, s)| (p.as_path(), s.shard)).collect::<Vec<_>>())?;
    let started = Instant::now();
    let mut scenario = scenario::load(
        &Source::Text { name: first.scenario.clone(), text: first.resolved_toml.clone() },
        &[],
    )
    .map_err(|e| Error::Input {
        path: first_path.clone(),
        message: format!("its resolved scenario does not load here: {e}"),
    })?;
    scenario.name.clone_from(&first.scenario);
    for (path, s) in &shards {
        check_values(path, s, &scenario)?;
    }
    let mut replications: Vec<Replication> = shards
        .iter()
        .flat_map(|(_, s)| &s.runs)
        .map(|r| Replication {
            index: r.index,
            kpis: from_file(&r.kpis),
            windows: r.windows.iter().map(|w| from_file(w)).collect(),
            daily: r.daily.iter().map(|d| from_file(d)).collect(),
            hourly: r.hourly.iter().map(|h| from_file(h)).collect(),
            conservation: Default::default(),
            units: None,
            tickets: None,
            events: r.events,
        })
        .collect();
    replications.sort_by_key(|r| r.index);
    let mut result = summarise(&scenario, replications, started, 1);
    // The machine's figures are the shards': their wall time added up, the largest memory.
    let wall: f64 = shards.iter().map(|(_, s)| s.engine.wall_seconds).sum();
    result.engine = EngineStats {
        events: result.engine.events,
        events_per_second: if wall > 0.0 { result.engine.events as f64 / wall } else { 0.0 },
        wall_seconds: wall,
        peak_rss_bytes: shards.iter().map(|(_, s)| s.engine.peak_rss_bytes).max().unwrap_or(0),
        threads: shards.iter().map(|(_, s)| s.engine.threads).max().unwrap_or(1),
    };
    Ok(Merged { scenario, result, resolved_toml: first.resolved_toml.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_take_every_nth_replication_and_together_every_one_once() {
        assert_eq!(indices(10, 0, 3), vec![0, 3, 6, 9]);
        assert_eq!(indices(10, 2, 3), vec![2, 5, 8]);
        assert_eq!(indices(2, 3, 4), Vec::<u64>::new(), "a shard beyond the replications is empty");
        let mut all: Vec<u64> = (0..4).flat_map(|k| indices(30, k, 4)).collect();
        all.sort_unstable();
        assert_eq!(all, (0..30).collect::<Vec<_>>());
    }
}
