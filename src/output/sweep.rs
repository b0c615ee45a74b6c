//! The files and printout of `o2d sweep` and `o2d merge`: sweep.csv, replications.csv and the
//! resolved scenario (written atomically), a shard file, and what `--format` prints.

use std::path::Path;

use serde::Serialize;

use super::export::{Columns, Plain, TomlText, csv::Csv, export, json::JsonArray};
use super::{Format, atomic, destination, table};
use crate::error::Result;
use crate::experiment::sweep::SweepResult;

/// A row of `sweep.csv` (and of the JSON printout): one point and KPI.
#[derive(Serialize)]
struct SummaryRow<'a> {
    point: usize,
    #[serde(flatten)]
    values: Columns<'a, String, TomlText<'a>>,
    kpi: &'a str,
    mean: Plain,
    ci95_low: Plain,
    ci95_high: Plain,
    sd: Plain,
    min: Plain,
    max: Plain,
    replications: usize,
    unit: &'a str,
    ci95_clamped: bool,
}

/// A row of a sweep's `replications.csv`: one point, replication and KPI.
#[derive(Serialize)]
struct ReplicationRow<'a> {
    point: usize,
    #[serde(flatten)]
    values: Columns<'a, String, TomlText<'a>>,
    replication: u64,
    kpi: &'a str,
    value: Plain,
    unit: &'a str,
}

/// The varied values at point `p` as columns.
fn varied(s: &SweepResult, p: usize) -> Columns<'_, String, TomlText<'_>> {
    Columns { names: &s.grid.keys, values: s.grid.point(p).into_iter().map(TomlText).collect() }
}

/// One row per point and KPI, varied keys as columns.
fn summaries(s: &SweepResult) -> impl Iterator<Item = SummaryRow<'_>> {
    (0..s.points()).flat_map(move |p| {
        s.kpis.iter().enumerate().map(move |(k, (name, unit))| {
            let m = s.summary(p, k);
            SummaryRow {
                point: p,
                values: varied(s, p),
                kpi: name,
                mean: Plain::of(m.mean),
                ci95_low: Plain::of(m.ci95_low),
                ci95_high: Plain::of(m.ci95_high),
                sd: Plain::of(m.sd),
                min: Plain::of(m.min),
                max: Plain::of(m.max),
                replications: m.n,
                unit,
                ci95_clamped: m.clamped,
            }
        })
    })
}

/// One row per point, replication and KPI.
fn replications(s: &SweepResult) -> impl Iterator<Item = ReplicationRow<'_>> {
    s.results.iter().flat_map(move |r| {
        s.kpis.iter().zip(&r.kpis).map(move |((name, unit), v)| ReplicationRow {
            point: r.job.point,
            values: varied(s, r.job.point),
            replication: r.job.replication,
            kpi: name,
            value: Plain(v.filter(|v| v.is_finite())),
            unit,
        })
    })
}

/// Writes the files of a whole sweep (from one run or merged shards) into `dir`, atomically:
/// identical either way, but for the command named in the marker.
pub fn write(dir: &destination::ResultsDir, result: &SweepResult, command: &str) -> Result<()> {
    let stage = atomic::StagedDir::new(dir, command)?;
    stage.write("sweep.csv", &export(&Csv, summaries(result))?)?;
    stage.write("replications.csv", &export(&Csv, replications(result))?)?;
    stage.write("scenario.resolved.toml", result.resolved_toml.as_bytes())?;
    stage.commit()
}

/// Writes shard `k` of `n` into `dir` (a folder shards share) as `shard-K-of-N.json`; refuses a
/// shard bigger than `o2d merge` reads. Returns the file's path.
pub fn write_shard(dir: &Path, result: &SweepResult) -> Result<std::path::PathBuf> {
    super::write_shard_file(dir, result.shard, result, "sweep --shard")
}

/// What `--format` prints for a sweep: the table, sweep.csv, or its rows as a JSON array.
pub fn render(format: Format, result: &SweepResult) -> Result<String> {
    match format {
        Format::Table => Ok(table::render_sweep(result)),
        Format::Csv => Ok(String::from_utf8_lossy(&export(&Csv, summaries(result))?).into_owned()),
        Format::Json => Ok(String::from_utf8_lossy(&export(&JsonArray, summaries(result))?).into_owned()),
    }
}
