//! Outputs of a run: the results folder (kpis.csv, replications.csv, daily.csv, engine.csv,
//! scenario.resolved.toml, written atomically) and what goes to stdout (table, CSV or JSON).

pub mod atomic;
pub mod destination;
pub mod report;
pub mod table;
pub mod trace;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::experiment::{EngineStats, RunResult};
use crate::scenario::Scenario;
use crate::stats::Summary;

/// What `--format` prints to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A table for people, in human units.
    #[default]
    Table,
    /// `kpis.csv` as CSV.
    Csv,
    /// One JSON object.
    Json,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// A row of `kpis.csv`.
#[derive(Debug, Serialize)]
pub struct KpiRow<'a> {
    /// KPI name.
    pub kpi: &'a str,
    /// Mean across replications.
    pub mean: Option<f64>,
    /// Lower 95% bound.
    pub ci95_low: Option<f64>,
    /// Upper 95% bound.
    pub ci95_high: Option<f64>,
    /// Standard deviation across replications.
    pub sd: Option<f64>,
    /// Smallest replication value.
    pub min: Option<f64>,
    /// Largest replication value.
    pub max: Option<f64>,
    /// Replications where the KPI is defined.
    pub replications: usize,
    /// Unit (`s`, `ratio`, `count`, `currency`, `number`).
    pub unit: &'a str,
    /// Whether the interval was cut at the KPI's range (a share within 0..1).
    pub ci95_clamped: bool,
}

impl<'a> KpiRow<'a> {
    fn new(kpi: &'a str, unit: &'a str, s: &Summary) -> Self {
        Self {
            kpi,
            mean: finite(s.mean),
            ci95_low: finite(s.ci95_low),
            ci95_high: finite(s.ci95_high),
            sd: finite(s.sd),
            min: finite(s.min),
            max: finite(s.max),
            replications: s.n,
            unit,
            ci95_clamped: s.clamped,
        }
    }
}

/// A row of `replications.csv`.
#[derive(Debug, Serialize)]
struct ReplicationRow<'a> {
    replication: u64,
    kpi: &'a str,
    value: Option<f64>,
    unit: &'a str,
}

/// A row of `engine.csv`.
#[derive(Debug, Serialize)]
struct EngineRow {
    metric: &'static str,
    value: f64,
}

fn csv_bytes<T: Serialize>(rows: impl IntoIterator<Item = T>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row).map_err(|e| Error::io("cannot format CSV", std::io::Error::other(e)))?;
    }
    w.into_inner().map_err(|e| Error::io("cannot format CSV", std::io::Error::other(e.to_string())))
}

/// `kpis.csv`: one row per KPI.
pub fn kpis_csv(result: &RunResult) -> Result<Vec<u8>> {
    csv_bytes(result.kpis.iter().zip(&result.summaries).map(|(d, s)| KpiRow::new(d.name, d.unit.as_str(), s)))
}

/// `replications.csv`: one row per replication and KPI.
pub fn replications_csv(result: &RunResult) -> Result<Vec<u8>> {
    csv_bytes(result.replications.iter().flat_map(|r| {
        result.kpis.iter().zip(&r.kpis).map(move |(d, v)| ReplicationRow {
            replication: r.index,
            kpi: d.name,
            value: finite(*v),
            unit: d.unit.as_str(),
        })
    }))
}

/// Formats a number for CSV: shortest round-trip form, empty when undefined.
fn number(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { String::new() }
}

/// `daily.csv`: one row per replication and day; columns come from the model's list.
pub fn daily_csv(scenario: &Scenario, result: &RunResult) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::io("cannot format CSV", std::io::Error::other(e));
    let mut header = vec!["replication", "day", "date", "warmup"];
    header.extend(result.daily_columns.iter());
    w.write_record(&header).map_err(err)?;
    for r in &result.replications {
        for (day, row) in r.daily.iter().enumerate() {
            let mut rec = vec![
                r.index.to_string(),
                day.to_string(),
                scenario.date_of_day(day as u32).to_string(),
                (day < scenario.warmup_days as usize).to_string(),
            ];
            rec.extend(row.iter().map(|x| number(*x)));
            w.write_record(&rec).map_err(err)?;
        }
    }
    w.into_inner().map_err(|e| Error::io("cannot format CSV", std::io::Error::other(e.to_string())))
}

fn engine_rows(e: &EngineStats) -> [EngineRow; 5] {
    [
        EngineRow { metric: "events", value: e.events as f64 },
        EngineRow { metric: "events_per_second", value: e.events_per_second },
        EngineRow { metric: "wall_seconds", value: e.wall_seconds },
        EngineRow { metric: "peak_rss_bytes", value: e.peak_rss_bytes as f64 },
        EngineRow { metric: "threads", value: e.threads as f64 },
    ]
}

/// `scenario.resolved.toml` of `o2d run`: see [`resolved_toml_for`].
pub fn resolved_toml(scenario: &Scenario) -> Result<String> {
    resolved_toml_for(scenario, "run scenario.resolved.toml")
}

/// The scenario with every default filled in, the o2d version, and the command (after `o2d `)
/// that re-runs it exactly. The `[run]` values come from the scenario as it ran (a precision run
/// changes its replications), and the header is written from the same values as the body, so
/// the two cannot disagree.
pub fn resolved_toml_for(scenario: &Scenario, rerun: &str) -> Result<String> {
    let mut raw = scenario.resolved.clone();
    raw.run.name = Some(scenario.name.clone());
    raw.run.replications = scenario.replications;
    raw.run.seed = scenario.seed;
    raw.run.days = scenario.days;
    raw.run.warmup_days = scenario.warmup_days;
    let body = toml::to_string(&raw)
        .map_err(|e| Error::io("cannot format the resolved scenario", std::io::Error::other(e)))?;
    Ok(format!(
        "# Resolved by o2d {}: every key with its value, defaults filled in.\n\
         # Seed {}, {} replications. Re-run exactly with: o2d {rerun}\n\n{body}",
        crate::VERSION,
        raw.run.seed,
        raw.run.replications
    ))
}

/// Writes every result file of a run into `dir`, atomically.
pub fn write_results(dir: &destination::ResultsDir, scenario: &Scenario, result: &RunResult) -> Result<()> {
    let stage = atomic::StagedDir::new(dir, "run")?;
    stage.write("kpis.csv", &kpis_csv(result)?)?;
    stage.write("replications.csv", &replications_csv(result)?)?;
    stage.write("daily.csv", &daily_csv(scenario, result)?)?;
    stage.write("engine.csv", &csv_bytes(engine_rows(&result.engine))?)?;
    stage.write("scenario.resolved.toml", resolved_toml(scenario)?.as_bytes())?;
    stage.commit()
}

/// The JSON object printed by `--format json`.
#[derive(Serialize)]
struct JsonReport<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u32,
    kpis: serde_json::Map<String, serde_json::Value>,
    engine: &'a EngineStats,
}

/// What `--format` prints for a run.
pub fn render(format: Format, scenario: &Scenario, result: &RunResult) -> Result<String> {
    match format {
        Format::Table => Ok(table::render(scenario, result)),
        Format::Csv => Ok(String::from_utf8_lossy(&kpis_csv(result)?).into_owned()),
        Format::Json => {
            let mut kpis = serde_json::Map::new();
            for (d, s) in result.kpis.iter().zip(&result.summaries) {
                let row = KpiRow::new(d.name, d.unit.as_str(), s);
                let mut v =
                    serde_json::to_value(&row).map_err(|e| Error::io("cannot format JSON", e.into()))?;
                if let Some(o) = v.as_object_mut() {
                    o.remove("kpi");
                }
                kpis.insert(d.name.to_string(), v);
            }
            let report = JsonReport {
                scenario: &scenario.name,
                seed: scenario.seed,
                replications: scenario.replications,
                kpis,
                engine: &result.engine,
            };
            let mut s = serde_json::to_string_pretty(&report)
                .map_err(|e| Error::io("cannot format JSON", e.into()))?;
            s.push('\n');
            Ok(s)
        }
    }
}
