//! Paired comparison of two scenarios run on common random numbers: per KPI, the difference
//! B - A replication by replication, its 95% interval, and whether it excludes zero.

use crate::error::Result;
use crate::kpi::KpiDef;
use crate::scenario::load::Override;
use crate::scenario::{self, Scenario, Source};
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

/// Loads scenario B from `source` with the `base` overrides, then B's own changes, on A's seed and
/// replication count: common random numbers, pair by pair.
pub fn load_b(source: &Source, base: &[Override], b_set: &[Override], a: &Scenario) -> Result<Scenario> {
    let mut overrides = base.to_vec();
    overrides.extend(b_set.iter().cloned());
    overrides.push(Override { key: "run.seed".into(), value: a.seed.to_string() });
    overrides.push(Override { key: "run.replications".into(), value: a.replications.to_string() });
    scenario::load(source, &overrides)
}
