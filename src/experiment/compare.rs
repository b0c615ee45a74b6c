//! Paired comparison of two scenarios run on common random numbers: per KPI, the difference
//! B - A replication by replication, its 95% interval, and whether it excludes zero.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::kpi::KpiDef;
use crate::stats::{Summary, paired_difference};

use super::RunResult;
use super::targets::MIN_REPLICATIONS;

/// One KPI compared.
#[derive(Debug, Clone)]
pub struct KpiComparison {
    /// The KPI.
    pub def: KpiDef,
    /// Summary under A.
    pub a: Summary,
    /// Summary under B.
    pub b: Summary,
    /// Paired difference B - A.
    pub diff: Summary,
}

impl KpiComparison {
    /// Whether the difference's interval excludes zero.
    pub fn excludes_zero(&self) -> bool {
        self.diff.excludes(0.0)
    }

    /// Whether B differs from A: the interval excludes zero and rests on at least
    /// [`MIN_REPLICATIONS`] pairs (fewer are not judged, as for targets: a tied, zero-width
    /// interval from two pairs excludes zero without showing anything).
    pub fn significant(&self) -> bool {
        self.diff.n >= MIN_REPLICATIONS && self.excludes_zero()
    }
}

/// Compares every KPI both runs report, in A's order.
pub fn compare(a: &RunResult, b: &RunResult) -> Vec<KpiComparison> {
    a.kpis
        .iter()
        .enumerate()
        .filter_map(|(i, def)| {
            let j = b.kpis.iter().position(|d| d.name == def.name)?;
            // A difference of two values in lo..=hi lies in (lo - hi)..=(hi - lo).
            let (lo, hi) = def.bounds();
            Some(KpiComparison {
                def: *def,
                a: a.summaries[i],
                b: b.summaries[j],
                diff: paired_difference(&a.values_of(i), &b.values_of(j)).within(lo - hi, hi - lo),
            })
        })
        .collect()
}

/// A row of `compare.csv`.
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

/// `compare.csv`: one row per KPI.
pub fn compare_csv(rows: &[KpiComparison]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for c in rows {
        w.serialize(Row {
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
        .map_err(|e| Error::io("cannot format CSV", std::io::Error::other(e)))?;
    }
    w.into_inner().map_err(|e| Error::io("cannot format CSV", std::io::Error::other(e.to_string())))
}

/// The comparison as JSON: `{"a", "b", "seed", "replications", "kpis": {KPI: {...}}}`.
pub fn compare_json(a: &str, b: &str, seed: u64, replications: u32, rows: &[KpiComparison]) -> String {
    let mut kpis = serde_json::Map::new();
    for c in rows {
        kpis.insert(
            c.def.name.to_string(),
            serde_json::json!({
                "unit": c.def.unit.as_str(),
                "a_mean": finite(c.a.mean),
                "b_mean": finite(c.b.mean),
                "diff_mean": finite(c.diff.mean),
                "diff_ci95_low": finite(c.diff.ci95_low),
                "diff_ci95_high": finite(c.diff.ci95_high),
                "diff_ci95_clamped": c.diff.clamped,
                "excludes_zero": c.excludes_zero(),
                "significant": c.significant(),
            }),
        );
    }
    let v = serde_json::json!({ "a": a, "b": b, "seed": seed, "replications": replications, "kpis": kpis });
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}
