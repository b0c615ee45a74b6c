//! The files and printout of `o2d capacity`: capacity.csv, capacity_steps.csv and the resolved
//! scenario (written atomically), and what `--format` prints (table, CSV or JSON).

use serde::Serialize;

use super::export::{Columns, Plain, TomlText, csv::Csv, export, json};
use super::{Format, atomic, destination, resolved_toml_for, table};
use crate::error::Result;
use crate::experiment::capacity::{CapacityPoint, Judged, SearchOptions};
use crate::scenario::Scenario;

/// A row of `capacity.csv`: one point, the multiplier found, and the first target to break past it.
#[derive(Serialize)]
struct CapacityRow<'a> {
    point: usize,
    #[serde(flatten)]
    values: Columns<'a, String, TomlText<'a>>,
    status: &'static str,
    multiplier: Plain,
    orders_per_day: Plain,
    peak_day_orders: Plain,
    peak_orders_per_hour: Plain,
    peak_hour: Option<String>,
    breaks_at: Plain,
    breaking_kpi: Option<&'a str>,
    breaking_target: Option<&'a str>,
    breaking_verdict: Option<&'a str>,
    breaking_mean: Plain,
    breaking_ci95_low: Plain,
    breaking_ci95_high: Plain,
    breaking_unit: Option<&'a str>,
    breaking_limit: Option<&'a str>,
    steps: usize,
}

/// A row of `capacity_steps.csv`: one multiplier tried and one target's judgement there (no
/// target, with the limit, when a model limit stopped the step).
#[derive(Serialize)]
struct StepRow<'a> {
    point: usize,
    #[serde(flatten)]
    values: Columns<'a, String, TomlText<'a>>,
    step: usize,
    multiplier: Plain,
    orders_per_day: Plain,
    holds: bool,
    kpi: Option<&'a str>,
    target: Option<&'a str>,
    verdict: Option<&'a str>,
    mean: Plain,
    ci95_low: Plain,
    ci95_high: Plain,
    unit: Option<&'a str>,
    limit: Option<&'a str>,
}

/// A finished search: the scenario, how it searched, and what it found at each point.
pub struct Searched<'a> {
    /// The scenario at 1x.
    pub scenario: &'a Scenario,
    /// The varied keys (none without `--vary`).
    pub keys: &'a [String],
    /// The values of each varied key, as given.
    pub values: &'a [Vec<String>],
    /// Tolerance and cap.
    pub search: SearchOptions,
    /// What each point found.
    pub points: &'a [CapacityPoint],
}

impl Searched<'_> {
    /// The varied values at point `p` as columns.
    fn varied<'a>(&'a self, p: &'a CapacityPoint) -> Columns<'a, String, TomlText<'a>> {
        Columns { names: self.keys, values: p.values.iter().map(|(_, v)| TomlText(v)).collect() }
    }

    /// The command (after `o2d `) that repeats the search from the resolved scenario.
    fn rerun(&self) -> String {
        let mut rerun = format!(
            "capacity scenario.resolved.toml --tolerance {} --max-multiplier {}",
            self.search.tolerance, self.search.max_multiplier
        );
        for (k, values) in self.keys.iter().zip(self.values) {
            rerun.push_str(&format!(" --vary '{k}={}'", values.join(",")));
        }
        rerun
    }
}

/// One row per point.
fn points<'a>(s: &'a Searched<'_>) -> impl Iterator<Item = CapacityRow<'a>> {
    s.points.iter().map(|p| {
        let c = &p.capacity;
        let first: Option<&Judged> = c.breaking.first();
        CapacityRow {
            point: p.point,
            values: s.varied(p),
            status: c.status.as_str(),
            multiplier: Plain(c.multiplier),
            orders_per_day: Plain(c.orders_per_day),
            peak_day_orders: Plain(c.peak.map(|x| x.orders_that_day)),
            peak_orders_per_hour: Plain(c.peak.map(|x| x.orders_per_hour)),
            peak_hour: c.peak.map(|x| x.at.format("%Y-%m-%dT%H:%M:%S").to_string()),
            breaks_at: Plain(c.breaks_at),
            breaking_kpi: first.map(|j| j.kpi.as_str()),
            breaking_target: first.map(|j| j.target.as_str()),
            breaking_verdict: first.map(|j| j.verdict),
            breaking_mean: Plain(first.and_then(|j| j.mean)),
            breaking_ci95_low: Plain(first.and_then(|j| j.ci95_low)),
            breaking_ci95_high: Plain(first.and_then(|j| j.ci95_high)),
            breaking_unit: first.map(|j| j.unit),
            breaking_limit: c.breaking_limit.as_deref(),
            steps: c.steps.len(),
        }
    })
}

/// One row per point, step and target.
fn steps<'a>(s: &'a Searched<'_>) -> Vec<StepRow<'a>> {
    let mut rows = Vec::new();
    for p in s.points {
        for (i, step) in p.capacity.steps.iter().enumerate() {
            let row = |j: Option<&'a Judged>| StepRow {
                point: p.point,
                values: s.varied(p),
                step: i,
                multiplier: Plain(Some(step.multiplier)),
                orders_per_day: Plain(Some(step.orders_per_day)),
                holds: step.holds,
                kpi: j.map(|j| j.kpi.as_str()),
                target: j.map(|j| j.target.as_str()),
                verdict: j.map(|j| j.verdict),
                mean: Plain(j.and_then(|j| j.mean)),
                ci95_low: Plain(j.and_then(|j| j.ci95_low)),
                ci95_high: Plain(j.and_then(|j| j.ci95_high)),
                unit: j.map(|j| j.unit),
                limit: if j.is_none() { step.limit.as_deref() } else { None },
            };
            if step.targets.is_empty() {
                rows.push(row(None));
            }
            rows.extend(step.targets.iter().map(|j| row(Some(j))));
        }
    }
    rows
}

/// Writes capacity.csv, capacity_steps.csv and the resolved scenario into `dir`, atomically.
pub fn write(dir: &destination::ResultsDir, s: &Searched<'_>) -> Result<()> {
    let stage = atomic::StagedDir::new(dir, "capacity")?;
    stage.write("capacity.csv", &export(&Csv, points(s))?)?;
    stage.write("capacity_steps.csv", &export(&Csv, steps(s))?)?;
    stage.write("scenario.resolved.toml", resolved_toml_for(s.scenario, &s.rerun())?.as_bytes())?;
    stage.commit()
}

/// The whole search as one JSON object.
#[derive(Serialize)]
struct JsonReport<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u32,
    tolerance: f64,
    max_multiplier: f64,
    points: &'a [CapacityPoint],
}

/// What `--format` prints for a search.
pub fn render(format: Format, s: &Searched<'_>) -> Result<String> {
    match format {
        Format::Table => Ok(table::render_capacity(s.scenario, s.keys, s.points, s.search.tolerance)),
        Format::Csv => Ok(String::from_utf8_lossy(&export(&Csv, points(s))?).into_owned()),
        Format::Json => json::pretty(&JsonReport {
            scenario: &s.scenario.name,
            seed: s.scenario.seed,
            replications: s.scenario.replications,
            tolerance: s.search.tolerance,
            max_multiplier: s.search.max_multiplier,
            points: s.points,
        }),
    }
}
