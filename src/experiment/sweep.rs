//! Sweeps: a grid of scenario variants (every combination of the varied keys' values), the same
//! replications at every point on common random numbers, work spread by (point, replication),
//! a stable shard assignment for clusters, and shard files that merge into the unsharded output.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::kpi::KpiDef;
use crate::scenario::load::Override;
use crate::scenario::{self, Scenario, Source};
use crate::stats::summarize;

use super::run_replication;

/// The grid: varied keys in order, each with its values written as `--set` values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grid {
    /// Dotted keys.
    pub keys: Vec<String>,
    /// Values of each key, as TOML value text.
    pub values: Vec<Vec<String>>,
}

/// Parses `--vary KEY=V1,V2,..` or `--vary KEY=FROM..TO:STEP` (inclusive range).
pub fn parse_vary(text: &str) -> Result<(String, Vec<String>)> {
    let bad =
        |why: &str| Error::Usage(format!("--vary `{text}`: {why}; write KEY=V1,V2,.. or KEY=FROM..TO:STEP"));
    let (key, spec) = text.split_once('=').ok_or_else(|| bad("no `=`"))?;
    let (key, spec) = (key.trim(), spec.trim());
    if key.is_empty() || spec.is_empty() {
        return Err(bad("empty key or values"));
    }
    crate::scenario::load::check_key(key).map_err(|why| bad(&why))?;
    if let Some(why) = crate::scenario::load::unsweepable(key) {
        return Err(Error::Usage(format!("--vary `{text}`: `{key}` cannot be varied: {why}")));
    }
    if let Some((range, step)) = spec.split_once(':')
        && let Some((from, to)) = range.split_once("..")
    {
        let num = |s: &str| s.trim().parse::<f64>().map_err(|_| bad(&format!("`{s}` is not a number")));
        let (from, to, step) = (num(from)?, num(to)?, num(step)?);
        if ![from, to, step].iter().all(|x| x.is_finite()) {
            return Err(bad("a range needs finite numbers"));
        }
        if step <= 0.0 || to < from {
            return Err(bad("a range needs FROM <= TO and a positive STEP"));
        }
        let count = ((to - from) / step + 1e-9).floor() as usize + 1;
        if count > 10_000 {
            return Err(bad("more than 10,000 values"));
        }
        let integral = [from, step].iter().all(|x| x.fract() == 0.0);
        let values = (0..count)
            .map(|i| from + step * i as f64)
            .map(|v| if integral { format!("{}", v as i64) } else { format!("{v}") })
            .collect();
        return Ok((key.to_string(), values));
    }
    let values: Vec<String> =
        spec.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
    if let Some(v) = values.iter().enumerate().find_map(|(i, v)| values[..i].contains(v).then_some(v)) {
        return Err(bad(&format!("the value {v} is listed twice (two points would be the same)")));
    }
    Ok((key.to_string(), values))
}

fn toml_text(v: &serde_json::Value) -> Result<String> {
    toml::Value::try_from(v)
        .map(|t| t.to_string())
        .map_err(|e| Error::Usage(format!("sweep value {v} cannot be written as TOML: {e}")))
}

impl Grid {
    /// The grid of a scenario's `[sweep]` table (keys in sorted order) extended or overridden
    /// by `--vary` options (in the order given).
    pub fn new(table: &BTreeMap<String, Vec<serde_json::Value>>, vary: &[String]) -> Result<Self> {
        let mut keys = Vec::new();
        let mut values = Vec::new();
        for (k, vs) in table {
            keys.push(k.clone());
            values.push(vs.iter().map(toml_text).collect::<Result<Vec<_>>>()?);
        }
        for (n, v) in vary.iter().enumerate() {
            let (k, vs) = parse_vary(v)?;
            // Both would be kept or one dropped: neither is what the user meant.
            if let Some(first) = vary[..n].iter().find(|w| parse_vary(w).is_ok_and(|(wk, _)| wk == k)) {
                return Err(Error::Usage(format!(
                    "--vary `{v}`: `{k}` is varied twice (also by --vary `{first}`): give all its values in one --vary"
                )));
            }
            match keys.iter().position(|x| *x == k) {
                Some(i) => values[i] = vs,
                None => {
                    keys.push(k);
                    values.push(vs);
                }
            }
        }
        if keys.is_empty() {
            return Err(Error::Usage(
                "nothing to sweep: add a [sweep] table to the scenario or pass --vary KEY=V1,V2".into(),
            ));
        }
        if let Some(i) = values.iter().position(Vec::is_empty) {
            return Err(Error::Usage(format!("sweep key `{}` has no values", keys[i])));
        }
        let grid = Self { keys, values };
        if grid.points() > 1_000_000 {
            return Err(Error::Usage(format!("the grid has {} points: at most 1,000,000", grid.points())));
        }
        Ok(grid)
    }

    /// Number of points (the product of the value counts).
    pub fn points(&self) -> usize {
        self.values.iter().map(Vec::len).product()
    }

    /// The value of each key at point `p` (the last key varies fastest).
    pub fn point(&self, mut p: usize) -> Vec<&str> {
        let mut out = vec![""; self.keys.len()];
        for i in (0..self.keys.len()).rev() {
            let n = self.values[i].len();
            out[i] = &self.values[i][p % n];
            p /= n;
        }
        out
    }

    /// The overrides that make point `p`.
    pub fn overrides(&self, p: usize) -> Vec<Override> {
        self.keys
            .iter()
            .zip(self.point(p))
            .map(|(k, v)| Override { key: k.clone(), value: v.to_string() })
            .collect()
    }
}

/// One unit of sweep work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// Grid point.
    pub point: usize,
    /// Replication index.
    pub replication: u64,
}

/// Every job in (point, replication) order.
pub fn jobs(points: usize, replications: u32) -> Vec<Job> {
    (0..points)
        .flat_map(|point| (0..u64::from(replications)).map(move |replication| Job { point, replication }))
        .collect()
}

/// The jobs of shard `k` of `n` (0-based): job number j of the (point, replication) order goes to
/// shard j mod n. Stable: it depends only on the grid size and the replications.
pub fn shard(all: &[Job], k: usize, n: usize) -> Vec<Job> {
    all.iter().enumerate().filter(|(j, _)| j % n == k).map(|(_, job)| *job).collect()
}

/// Parses `K/N` (0 <= K < N).
pub fn parse_shard(text: &str) -> Result<(usize, usize)> {
    let bad = || Error::Usage(format!("--shard `{text}`: expected K/N with 0 <= K < N, e.g. 0/4"));
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if n == 0 || k >= n {
        return Err(bad());
    }
    Ok((k, n))
}

/// The KPI values of one job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobResult {
    /// Which job.
    pub job: Job,
    /// KPI values (None = undefined), aligned with the sweep's KPIs.
    pub kpis: Vec<Option<f64>>,
}

/// Everything a sweep (or a shard of one) produced: enough to write its files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    /// o2d version that ran it.
    pub o2d: String,
    /// Scenario name.
    pub scenario: String,
    /// The grid.
    pub grid: Grid,
    /// KPI names and units, in output order.
    pub kpis: Vec<(String, String)>,
    /// Replications per point.
    pub replications: u32,
    /// This shard (k, n); (0, 1) when unsharded.
    pub shard: (usize, usize),
    /// The base scenario, resolved.
    pub resolved_toml: String,
    /// Job results sorted by (point, replication).
    pub results: Vec<JobResult>,
}

/// Loads the scenario of every point (so bad values fail before anything runs).
pub fn load_points(source: &Source, base: &[Override], grid: &Grid) -> Result<Vec<Scenario>> {
    (0..grid.points()).map(|p| load_point(source, base, grid, p)).collect()
}

/// Loads point `p`: the base overrides, then the grid's; a problem a grid value caused is blamed
/// on `--vary KEY=VALUE` (the value that point sets), not on a `--set` the user never typed.
pub fn load_point(source: &Source, base: &[Override], grid: &Grid, p: usize) -> Result<Scenario> {
    let mut overrides = base.to_vec();
    let point = grid.overrides(p);
    overrides.extend(point.iter().cloned());
    scenario::load(source, &overrides).map_err(|e| match e {
        Error::Scenario(mut problems) => {
            for problem in &mut problems {
                if let Some(o) = point.iter().find(|o| problem.file == o.flag()) {
                    problem.file = format!("--vary {}={}", o.key, o.value);
                }
            }
            Error::Scenario(problems)
        }
        other => other,
    })
}

/// Runs `jobs` over the points' scenarios on `threads` threads; results sorted by job.
pub fn run_jobs(
    points: &[Scenario],
    jobs: &[Job],
    threads: usize,
    stop: &AtomicBool,
    on_done: &(dyn Fn() + Sync),
) -> Result<Vec<JobResult>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    let mut results = pool.install(|| {
        jobs.par_iter()
            .map(|job| {
                let r = run_replication(&points[job.point], job.replication, stop)?;
                on_done();
                Ok(JobResult {
                    job: *job,
                    kpis: r.kpis.iter().map(|v| v.is_finite().then_some(*v)).collect(),
                })
            })
            .collect::<Result<Vec<_>>>()
    })?;
    results.sort_by_key(|r| (r.job.point, r.job.replication));
    Ok(results)
}

/// The KPI names and units of a scenario, as a sweep records them.
pub fn kpi_names(defs: &[KpiDef]) -> Vec<(String, String)> {
    defs.iter().map(|d| (d.name.to_string(), d.unit.as_str().to_string())).collect()
}

/// Joins shards into the result of the whole sweep, checking they belong together and that
/// every job is present exactly once.
pub fn merge(shards: Vec<SweepResult>) -> Result<SweepResult> {
    let mut iter = shards.into_iter();
    let first = iter.next().ok_or_else(|| Error::Usage("no shard files to merge".into()))?;
    let n = first.shard.1;
    let mut seen = vec![false; n];
    seen[first.shard.0] = true;
    let mut merged = SweepResult { shard: (0, 1), ..first.clone() };
    for s in iter {
        let same = s.grid == first.grid
            && s.kpis == first.kpis
            && s.replications == first.replications
            && s.resolved_toml == first.resolved_toml
            && s.shard.1 == n;
        if !same {
            return Err(Error::Usage(format!(
                "shard {}/{} is not from the same sweep as shard {}/{} (grid, scenario, replications or shard count differ)",
                s.shard.0, s.shard.1, first.shard.0, n
            )));
        }
        if std::mem::replace(&mut seen[s.shard.0], true) {
            return Err(Error::Usage(format!("shard {}/{n} is given twice", s.shard.0)));
        }
        merged.results.extend(s.results);
    }
    if let Some(k) = seen.iter().position(|s| !s) {
        return Err(Error::Usage(format!("shard {k}/{n} is missing")));
    }
    merged.results.sort_by_key(|r| (r.job.point, r.job.replication));
    let expected = jobs(merged.grid.points(), merged.replications);
    if merged.results.iter().map(|r| r.job).ne(expected.iter().copied()) {
        return Err(Error::Usage("the shards do not hold every (point, replication) exactly once".into()));
    }
    Ok(merged)
}

fn number(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite()).map(|v| format!("{v}")).unwrap_or_default()
}

fn csv_err(e: csv::Error) -> Error {
    Error::io("cannot format CSV", std::io::Error::other(e))
}

/// `sweep.csv`: one row per point and KPI, varied keys as columns.
pub fn sweep_csv(s: &SweepResult) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(s.grid.keys.iter().cloned());
    header.extend(
        ["kpi", "mean", "ci95_low", "ci95_high", "sd", "min", "max", "replications", "unit"]
            .map(String::from),
    );
    w.write_record(&header).map_err(csv_err)?;
    let per_point = s.replications as usize;
    for (p, chunk) in s.results.chunks(per_point.max(1)).enumerate() {
        let values = s.grid.point(p);
        for (k, (name, unit)) in s.kpis.iter().enumerate() {
            let v: Vec<f64> = chunk.iter().map(|r| r.kpis[k].unwrap_or(f64::NAN)).collect();
            let m = summarize(&v);
            let mut rec = vec![p.to_string()];
            rec.extend(values.iter().map(|v| v.trim_matches('"').to_string()));
            rec.push(name.clone());
            for x in [m.mean, m.ci95_low, m.ci95_high, m.sd, m.min, m.max] {
                rec.push(number(Some(x)));
            }
            rec.push(m.n.to_string());
            rec.push(unit.clone());
            w.write_record(&rec).map_err(csv_err)?;
        }
    }
    w.into_inner().map_err(|e| Error::io("cannot format CSV", std::io::Error::other(e.to_string())))
}

/// `replications.csv` of a sweep: one row per point, replication and KPI.
pub fn replications_csv(s: &SweepResult) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(s.grid.keys.iter().cloned());
    header.extend(["replication", "kpi", "value", "unit"].map(String::from));
    w.write_record(&header).map_err(csv_err)?;
    for r in &s.results {
        let values = s.grid.point(r.job.point);
        for ((name, unit), v) in s.kpis.iter().zip(&r.kpis) {
            let mut rec = vec![r.job.point.to_string()];
            rec.extend(values.iter().map(|v| v.trim_matches('"').to_string()));
            rec.extend([r.job.replication.to_string(), name.clone(), number(*v), unit.clone()]);
            w.write_record(&rec).map_err(csv_err)?;
        }
    }
    w.into_inner().map_err(|e| Error::io("cannot format CSV", std::io::Error::other(e.to_string())))
}

/// The shard file name for shard `k` of `n`.
pub fn shard_file_name(k: usize, n: usize) -> String {
    format!("shard-{k}-of-{n}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_takes_lists_and_inclusive_ranges() {
        assert_eq!(
            parse_vary("a.b=1,2,3").unwrap(),
            ("a.b".into(), vec!["1".into(), "2".into(), "3".into()])
        );
        assert_eq!(parse_vary("k=10..60:25").unwrap().1, vec!["10", "35", "60"]);
        assert_eq!(parse_vary("k=0..0.8:0.4").unwrap().1, vec!["0", "0.4", "0.8"]);
        assert!(parse_vary("k=5..1:1").is_err());
        assert!(parse_vary("nokey").is_err());
    }

    #[test]
    fn points_enumerate_every_combination_last_key_fastest() {
        let g = Grid {
            keys: vec!["a".into(), "b".into()],
            values: vec![vec!["1".into(), "2".into()], vec!["x".into(), "y".into(), "z".into()]],
        };
        assert_eq!(g.points(), 6);
        assert_eq!(g.point(0), vec!["1", "x"]);
        assert_eq!(g.point(4), vec!["2", "y"]);
    }

    #[test]
    fn shards_partition_the_jobs() {
        let all = jobs(12, 5);
        let mut joined: Vec<Job> = (0..4).flat_map(|k| shard(&all, k, 4)).collect();
        joined.sort_by_key(|j| (j.point, j.replication));
        assert_eq!(joined, all);
        assert!(parse_shard("4/4").is_err());
        assert_eq!(parse_shard("3/4").unwrap(), (3, 4));
    }
}
