//! The files and printout of `o2d compare`: compare.csv, each side's kpis.csv and resolved
//! scenario, written atomically, and what `--format` prints (table, CSV or JSON).

use std::path::Path;

use serde::Serialize;

use super::export::{Table, csv::Csv, export, json};
use super::{Format, atomic, destination, resolved_toml_for, run, table};
use crate::error::Result;
use crate::experiment::RunResult;
use crate::experiment::compare::KpiComparison;
use crate::scenario::Scenario;

/// A row of `compare.csv` (and of a KPI in the JSON printout).
#[derive(Serialize)]
struct Row<'a> {
    kpi: &'a str,
    unit: &'a str,
    a_mean: Option<f64>,
    b_mean: Option<f64>,
    diff_mean: Option<f64>,
    diff_ci95_low: Option<f64>,
    diff_ci95_high: Option<f64>,
    diff_ci95_clamped: bool,
    excludes_zero: bool,
    significant: bool,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// One row per KPI.
fn rows(comparisons: &[KpiComparison]) -> impl Iterator<Item = Row<'_>> {
    comparisons.iter().map(|c| Row {
        kpi: c.def.name,
        unit: c.def.unit.as_str(),
        a_mean: finite(c.a.mean),
        b_mean: finite(c.b.mean),
        diff_mean: finite(c.diff.mean),
        diff_ci95_low: finite(c.diff.ci95_low),
        diff_ci95_high: finite(c.diff.ci95_high),
        diff_ci95_clamped: c.diff.clamped,
        excludes_zero: c.excludes_zero(),
        significant: c.significant(),
    })
}

/// A finished comparison: both sides as they ran, and every KPI compared.
pub struct Compared<'a> {
    /// Scenario A.
    pub a: &'a Scenario,
    /// Scenario B.
    pub b: &'a Scenario,
    /// The label B goes by in the printout.
    pub b_label: &'a str,
    /// A's run.
    pub a_result: &'a RunResult,
    /// B's run.
    pub b_result: &'a RunResult,
    /// Every KPI compared.
    pub rows: &'a [KpiComparison],
}

/// Writes compare.csv, a.kpis.csv, b.kpis.csv and both resolved scenarios into `dir`, atomically.
pub fn write(dir: &destination::ResultsDir, c: &Compared<'_>) -> Result<()> {
    let stage = atomic::StagedDir::new(dir, "compare")?;
    stage.write("compare.csv", &export(&Csv, rows(c.rows))?)?;
    stage.write("a.kpis.csv", &run::kpis_csv(c.a_result)?)?;
    stage.write("b.kpis.csv", &run::kpis_csv(c.b_result)?)?;
    let rerun = "compare a.resolved.toml b.resolved.toml";
    stage.write("a.resolved.toml", resolved_toml_for(c.a, rerun)?.as_bytes())?;
    stage.write("b.resolved.toml", resolved_toml_for(c.b, rerun)?.as_bytes())?;
    stage.commit()
}

/// The JSON object printed by `--format json`.
#[derive(Serialize)]
struct JsonReport<'a> {
    a: &'a str,
    b: &'a str,
    seed: u64,
    replications: u32,
    kpis: serde_json::Map<String, serde_json::Value>,
}

/// What `--format` prints for a comparison.
pub fn render(format: Format, c: &Compared<'_>) -> Result<String> {
    let (a, replications) = (&c.a.name, c.a.replications);
    match format {
        Format::Table => Ok(table::render_compare(a, c.b_label, replications, c.rows)),
        Format::Csv => Ok(String::from_utf8_lossy(&export(&Csv, rows(c.rows))?).into_owned()),
        Format::Json => json::pretty(&JsonReport {
            a,
            b: c.b_label,
            seed: c.a.seed,
            replications,
            kpis: json::keyed(&Table::of(rows(c.rows))?, "kpi", json::KeyColumn::Removed)?,
        }),
    }
}

/// The label B goes by in the printout (its own name, or A's marked as changed by `--b-set`) and
/// the name of the comparison's results folder, `compare-<A>-vs-<B>`.
pub fn names(a_path: &Path, b_path: Option<&Path>, b: &Scenario) -> (String, String) {
    let stem = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (label, b_stem) = match b_path {
        Some(path) => (b.name.clone(), stem(path)),
        None => (format!("{} (--b-set)", b.name), format!("{}-changed", stem(a_path))),
    };
    (label, format!("compare-{}-vs-{b_stem}", stem(a_path)))
}
