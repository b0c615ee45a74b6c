//! Sweeps: a grid of scenario variants (every combination of the varied keys' values), the same
//! replications at every point on common random numbers, work spread by (point, replication),
//! a stable shard assignment for clusters, and shard files that merge into the unsharded output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::kpi::KpiDef;
use crate::scenario::load::Override;
use crate::scenario::{self, Scenario, Source};
use crate::stats::{Summary, summarize};

use super::run_replication;

/// The grid: varied keys in order, each with its values written as `--set` values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grid {
    /// Dotted keys.
    pub keys: Vec<String>,
    /// Values of each key, as TOML value text (in JSON: the values themselves, `8` not `"8"`).
    #[serde(with = "typed_values")]
    pub values: Vec<Vec<String>>,
}

/// Grid values in JSON (shard files) as the values they are, read back as their TOML text.
mod typed_values {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(values: &[Vec<String>], s: S) -> Result<S::Ok, S::Error> {
        let typed: Vec<Vec<serde_json::Value>> =
            values.iter().map(|vs| vs.iter().map(|v| super::json_value(v)).collect()).collect();
        typed.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<String>>, D::Error> {
        let typed = Vec::<Vec<serde_json::Value>>::deserialize(d)?;
        typed
            .iter()
            .map(|vs| vs.iter().map(|v| super::toml_text(v).map_err(serde::de::Error::custom)).collect())
            .collect()
    }
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

/// A value written as `--set` text, as the TOML value it is (a string when it is not TOML).
pub fn json_value(text: &str) -> serde_json::Value {
    toml::from_str::<toml::Table>(&format!("v = {text}"))
        .ok()
        .and_then(|t| t.get("v").and_then(|x| serde_json::to_value(x).ok()))
        .unwrap_or_else(|| serde_json::Value::String(text.to_string()))
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

    /// The grid as a scenario's `[sweep]` table: each value as the TOML value its text is (a
    /// string when it is not TOML), so the resolved scenario states the grid.
    pub fn table(&self) -> BTreeMap<String, Vec<serde_json::Value>> {
        self.keys
            .iter()
            .zip(&self.values)
            .map(|(k, vs)| (k.clone(), vs.iter().map(|v| json_value(v)).collect()))
            .collect()
    }

    /// The same grid as its `[sweep]` table reads back: keys sorted, values as TOML writes them
    /// (`250.0` for `250.0`, `0.5` for `0.50`). A sweep runs on this grid so that re-running its
    /// resolved scenario repeats it point for point.
    pub fn canonical(&self) -> Result<Self> {
        Self::new(&self.table(), &[])
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
    /// Base random seed.
    pub seed: u64,
    /// [`scenario_hash`] of `resolved_toml`.
    pub scenario_hash: String,
    /// This shard (k, n); (0, 1) when unsharded.
    pub shard: (usize, usize),
    /// The base scenario, resolved.
    pub resolved_toml: String,
    /// Job results sorted by (point, replication).
    pub results: Vec<JobResult>,
}

impl SweepResult {
    /// The result of running `jobs` of the sweep of `scenario` over `grid` (`points`, the scenario
    /// at each point; `shard`, when only a shard ran), with the resolved scenario that re-runs it.
    pub fn new(
        scenario: &Scenario,
        grid: Grid,
        points: &[Scenario],
        shard: Option<(usize, usize)>,
        resolved_toml: String,
        results: Vec<JobResult>,
    ) -> Self {
        Self {
            o2d: crate::VERSION.to_string(),
            scenario: scenario.name.clone(),
            grid,
            kpis: points.first().map_or(vec![], |p| kpi_names(&super::kpi_defs(p))),
            replications: scenario.replications,
            seed: scenario.seed,
            scenario_hash: scenario_hash(&resolved_toml),
            shard: shard.unwrap_or((0, 1)),
            resolved_toml,
            results,
        }
    }

    /// Grid points.
    pub fn points(&self) -> usize {
        self.grid.points()
    }

    /// The summary of KPI `k` across the replications of point `p` (results sorted by job).
    pub fn summary(&self, p: usize, k: usize) -> Summary {
        let per_point = (self.replications as usize).max(1);
        let chunk = self.results.chunks(per_point).nth(p).unwrap_or_default();
        let v: Vec<f64> =
            chunk.iter().map(|r| r.kpis.get(k).copied().flatten().unwrap_or(f64::NAN)).collect();
        let (name, unit) = &self.kpis[k];
        let (lo, hi) = crate::kpi::bounds(name, crate::kpi::Unit::from_name(unit));
        summarize(&v).within(lo, hi)
    }
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

/// The hash a shard records of its resolved scenario (FNV-1a over the text), so that a merge
/// sees a resolved scenario edited after the run.
pub fn scenario_hash(resolved_toml: &str) -> String {
    format!("fnv1a64:{:016x}", crate::kernel::rng::name_hash(resolved_toml))
}

/// A job's place in the (point, replication) order.
fn job_number(job: Job, replications: u32) -> u64 {
    job.point as u64 * u64::from(replications) + job.replication
}

/// The job with number `j` in the (point, replication) order.
fn job_at(j: u64, replications: u32) -> Job {
    let r = u64::from(replications.max(1));
    Job { point: (j / r) as usize, replication: j % r }
}

fn describe(job: Job) -> String {
    format!("job (point {}, replication {})", job.point, job.replication)
}

/// Checks one shard file on its own, as strictly as a scenario: written by this o2d, its resolved
/// scenario loads (so its replications are within the bound every scenario has) and matches its
/// hash, seed, replications, name, grid and KPI list, and it holds exactly its own jobs, each with
/// one value per KPI inside the KPI's range.
fn check_shard(path: &Path, s: &SweepResult) -> Result<()> {
    let bad = |message: String| Error::Input { path: path.to_path_buf(), message };
    if s.o2d != crate::VERSION {
        return Err(bad(format!(
            "written by o2d {}, this is o2d {}: merge shards with the o2d that ran them",
            s.o2d,
            crate::VERSION
        )));
    }
    let (k, n) = s.shard;
    if n == 0 || k >= n {
        return Err(bad(format!(
            "it says it is shard {k}/{n}: the shard count must be at least 1 and the shard index below it"
        )));
    }
    let source =
        Source::Text { name: format!("{} (resolved_toml)", path.display()), text: s.resolved_toml.clone() };
    let sc = scenario::load(&source, &[])
        .map_err(|e| bad(format!("its resolved scenario (resolved_toml) does not load:\n{e}")))?;
    if s.scenario_hash != scenario_hash(&s.resolved_toml) {
        return Err(bad(format!(
            "its resolved scenario (resolved_toml) does not match its scenario_hash {}: it was edited after the run",
            s.scenario_hash
        )));
    }
    let mismatch = |what: &str, shard: String, resolved: String| {
        bad(format!("it says {what} {shard}, its resolved scenario says {resolved}"))
    };
    if s.seed != sc.seed {
        return Err(mismatch("seed", s.seed.to_string(), sc.seed.to_string()));
    }
    if s.replications != sc.replications {
        return Err(mismatch("replications", s.replications.to_string(), sc.replications.to_string()));
    }
    if s.scenario != sc.name {
        return Err(mismatch("scenario", s.scenario.clone(), sc.name.clone()));
    }
    let grid = Grid::new(&sc.resolved.sweep, &[]).map_err(|e| bad(format!("its resolved scenario: {e}")))?;
    if s.grid != grid {
        return Err(bad(format!(
            "its grid {:?} = {:?} is not the grid of its resolved scenario's [sweep] table, {:?} = {:?}",
            s.grid.keys, s.grid.values, grid.keys, grid.values
        )));
    }
    let point0 = scenario::load(&source, &grid.overrides(0))
        .map_err(|e| bad(format!("its grid's first point: {e}")))?;
    if s.kpis != kpi_names(&super::kpi_defs(&point0)) {
        return Err(bad("its list of KPIs is not the list its scenario reports".to_string()));
    }
    let bounds: Vec<(f64, f64)> = s
        .kpis
        .iter()
        .map(|(name, unit)| crate::kpi::bounds(name, crate::kpi::Unit::from_name(unit)))
        .collect();
    let total = grid.points() as u64 * u64::from(s.replications);
    let mut numbers = Vec::with_capacity(s.results.len());
    for r in &s.results {
        let job = describe(r.job);
        if r.job.point >= grid.points() || r.job.replication >= u64::from(s.replications) {
            return Err(bad(format!(
                "{job} is not in this sweep of {} points x {} replications",
                grid.points(),
                s.replications
            )));
        }
        let j = job_number(r.job, s.replications);
        if j % n as u64 != k as u64 {
            return Err(bad(format!(
                "{job} belongs to shard {}/{n}, not to this shard {k}/{n}",
                j % n as u64
            )));
        }
        if r.kpis.len() != s.kpis.len() {
            return Err(bad(format!(
                "{job} has {} KPI values, the sweep has {} KPIs",
                r.kpis.len(),
                s.kpis.len()
            )));
        }
        for (((name, _), v), (lo, hi)) in s.kpis.iter().zip(&r.kpis).zip(&bounds) {
            if let Some(v) = *v
                && !(v.is_finite() && *lo <= v && v <= *hi)
            {
                return Err(bad(format!("{job}: {name} = {v} is outside its range {lo} ..= {hi}")));
            }
        }
        numbers.push(j);
    }
    numbers.sort_unstable();
    if let Some(w) = numbers.windows(2).find(|w| w[0] == w[1]) {
        return Err(bad(format!("{} appears twice", describe(job_at(w[0], s.replications)))));
    }
    // The shard's jobs are k, k + n, k + 2n, ... below the total; those present are distinct
    // members of that sequence, so the first one that differs from it is absent.
    let mut expected = (k as u64..total).step_by(n);
    let absent =
        numbers.iter().find_map(|&j| expected.next().filter(|&e| e != j)).or_else(|| expected.next());
    if let Some(e) = absent {
        return Err(bad(format!("{} is missing", describe(job_at(e, s.replications)))));
    }
    Ok(())
}

/// Checks that `shards` (each file with its (k, n)) are every shard of one count exactly once:
/// the same count as the first, no index twice, none missing. Refusals name the files.
pub fn check_shard_set(shards: &[(&Path, (usize, usize))]) -> Result<()> {
    let Some(&(first_path, first)) = shards.first() else {
        return Err(Error::Usage("no shard files to merge".into()));
    };
    let mut seen: BTreeMap<usize, &Path> = BTreeMap::new();
    for &(path, (k, n)) in shards {
        let bad = |message: String| Error::Input { path: path.to_path_buf(), message };
        if n != first.1 {
            return Err(bad(format!(
                "it is shard {k}/{n}, {} is shard {}/{}: the shard counts differ",
                first_path.display(),
                first.0,
                first.1
            )));
        }
        if let Some(other) = seen.insert(k, path) {
            return Err(bad(format!(
                "{} and {} are both shard {k}/{n}: give each shard once",
                other.display(),
                path.display()
            )));
        }
    }
    let n = first.1;
    let missing: Vec<usize> = (0..n).filter(|k| !seen.contains_key(k)).take(10).collect();
    if !missing.is_empty() {
        let absent = n - seen.len();
        let names: Vec<String> = missing.iter().map(|k| format!("{k}/{n}")).collect();
        let given: Vec<String> = shards.iter().map(|(p, _)| p.display().to_string()).collect();
        return Err(Error::Usage(if absent == 1 {
            format!("shard {} is missing (given: {})", names[0], given.join(", "))
        } else {
            format!(
                "{absent} of {n} shards are missing: {}{} (given: {})",
                names.join(", "),
                if absent > names.len() { ", ..." } else { "" },
                given.join(", ")
            )
        }));
    }
    Ok(())
}

/// Joins shard files (path, contents) into the result of the whole sweep. Each shard is checked
/// on its own ([`check_shard`]), then against the first: the same scenario (hash) and shard
/// count, every shard present once. Every refusal names the shard file and what is wrong.
pub fn merge(shards: Vec<(PathBuf, SweepResult)>) -> Result<SweepResult> {
    let Some((first_path, first)) = shards.first() else {
        return Err(Error::Usage("no shard files to merge".into()));
    };
    for (path, s) in &shards {
        check_shard(path, s)?;
        if s.scenario_hash != first.scenario_hash {
            return Err(Error::Input {
                path: path.clone(),
                message: format!(
                    "not from the same sweep as {}: their resolved scenarios differ (scenario_hash)",
                    first_path.display()
                ),
            });
        }
    }
    check_shard_set(&shards.iter().map(|(p, s)| (p.as_path(), s.shard)).collect::<Vec<_>>())?;
    let mut merged = SweepResult { shard: (0, 1), results: Vec::new(), ..first.clone() };
    for (_, s) in shards {
        merged.results.extend(s.results);
    }
    merged.results.sort_by_key(|r| (r.job.point, r.job.replication));
    Ok(merged)
}

/// Reads one shard file (at most [`crate::input::MAX_SHARD_BYTES`]): JSON naming a scenario
/// whose name can be a folder name. [`merge`] checks the rest.
pub fn read_shard(path: &Path) -> Result<SweepResult> {
    match read_any_shard(path)? {
        Shard::Sweep(s) => Ok(*s),
        Shard::Run(_) => {
            Err(Error::Input { path: path.to_path_buf(), message: "a shard of a run, not of a sweep".into() })
        }
    }
}

/// A shard file of either kind.
#[derive(Debug)]
pub enum Shard {
    /// Of `o2d sweep --shard`.
    Sweep(Box<SweepResult>),
    /// Of `o2d run --shard`.
    Run(Box<super::run_shard::RunShard>),
}

/// Reads a shard file of a run or a sweep (a run's says `"kind": "run"`).
pub fn read_any_shard(path: &Path) -> Result<Shard> {
    #[derive(Deserialize)]
    struct Kind {
        kind: Option<String>,
    }
    let bad = |message: String| Error::Input { path: path.to_path_buf(), message };
    let limit = crate::input::MAX_SHARD_BYTES;
    let bytes = crate::input::read_bounded(path, limit).map_err(|e| bad(e.message("shard files", limit)))?;
    let not_a_shard = |e: serde_json::Error| bad(format!("not an o2d shard file: {e}"));
    let kind: Kind = serde_json::from_slice(&bytes).map_err(not_a_shard)?;
    let (shard, name) = if kind.kind.as_deref() == Some(super::run_shard::KIND) {
        let run: super::run_shard::RunShard = serde_json::from_slice(&bytes).map_err(not_a_shard)?;
        let name = run.scenario.clone();
        (Shard::Run(Box::new(run)), name)
    } else {
        let sweep: SweepResult = serde_json::from_slice(&bytes).map_err(not_a_shard)?;
        let name = sweep.scenario.clone();
        (Shard::Sweep(Box::new(sweep)), name)
    };
    // The name becomes a folder name: a shard file is input like any other.
    if let Some(why) = crate::scenario::name::problem(&name) {
        return Err(bad(format!("\"scenario\": `{}` {why}; not an o2d shard file", name.escape_debug())));
    }
    Ok(shard)
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
