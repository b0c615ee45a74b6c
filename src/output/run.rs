//! The files and printout of `o2d run`: kpis.csv, replications.csv, daily.csv, hourly.csv, engine.csv
//! and the resolved scenario, written atomically, and what `--format` prints (table, CSV or JSON).

use serde::Serialize;

use super::export::json;
use super::export::{Columns, Plain, Table, csv::Csv, export};
pub use super::table::check_shown;
use super::{Format, atomic, destination, resolved_toml_for, table};
use crate::error::Result;
use crate::experiment::{EngineStats, RunResult};
use crate::scenario::Scenario;
use crate::scenario::windows::HORIZON;
use crate::stats::Summary;

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// A row of `kpis.csv` (and of a KPI in the JSON printout).
#[derive(Debug, Serialize)]
pub(crate) struct KpiRow<'a> {
    kpi: &'a str,
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
    sd: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    /// Replications where the KPI is defined.
    replications: usize,
    /// Unit (`s`, `ratio`, `count`, `currency`, `number`).
    unit: &'a str,
    /// Whether the interval was cut at the KPI's range (a share within 0..1).
    ci95_clamped: bool,
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

/// A row of `kpis.csv`: the window (`all` for the whole horizon), then the KPI's summary.
#[derive(Debug, Serialize)]
struct WindowKpiRow<'a> {
    window: &'a str,
    #[serde(flatten)]
    row: KpiRow<'a>,
}

/// A row of `replications.csv`.
#[derive(Debug, Serialize)]
struct ReplicationRow<'a> {
    window: &'a str,
    replication: u64,
    kpi: &'a str,
    value: Option<f64>,
    unit: &'a str,
}

/// A row of `daily.csv`: the day, then the model's columns.
#[derive(Debug, Serialize)]
struct DailyRow<'a> {
    replication: u64,
    day: usize,
    date: String,
    warmup: bool,
    #[serde(flatten)]
    values: Columns<'a, String, Plain>,
}

/// A row of `hourly.csv`: the day and hour, then the model's columns.
#[derive(Debug, Serialize)]
struct HourlyRow<'a> {
    replication: u64,
    day: usize,
    date: String,
    hour: usize,
    warmup: bool,
    #[serde(flatten)]
    values: Columns<'a, &'static str, Plain>,
}

/// A row of `engine.csv`.
#[derive(Debug, Serialize)]
struct EngineRow {
    metric: &'static str,
    value: f64,
}

/// The KPI summaries `summaries` of a run (the horizon's or a window's), one row per KPI.
fn kpi_rows<'a>(result: &'a RunResult, summaries: &'a [Summary]) -> impl Iterator<Item = KpiRow<'a>> {
    result.kpis.iter().zip(summaries).map(|(d, s)| KpiRow::new(d.name, d.unit.as_str(), s))
}

/// `kpis.csv`: one row per KPI over the whole horizon (window `all`), then per KPI of each window.
pub(crate) fn kpis_csv(result: &RunResult) -> Result<Vec<u8>> {
    let horizon = std::iter::once((HORIZON, result.summaries.as_slice()));
    let windows = result.windows.iter().map(|w| (w.name.as_str(), w.summaries.as_slice()));
    export(
        &Csv,
        horizon.chain(windows).flat_map(|(window, summaries)| {
            kpi_rows(result, summaries).map(move |row| WindowKpiRow { window, row })
        }),
    )
}

/// `replications.csv`: one row per replication and KPI over the whole horizon (window `all`),
/// then the same for each window.
fn replications_csv(result: &RunResult) -> Result<Vec<u8>> {
    let windows = std::iter::once(HORIZON).chain(result.windows.iter().map(|w| w.name.as_str()));
    export(
        &Csv,
        windows.enumerate().flat_map(|(w, window)| {
            result.replications.iter().flat_map(move |r| {
                let values = if w == 0 { &r.kpis } else { &r.windows[w - 1] };
                result.kpis.iter().zip(values).map(move |(d, v)| ReplicationRow {
                    window,
                    replication: r.index,
                    kpi: d.name,
                    value: finite(*v),
                    unit: d.unit.as_str(),
                })
            })
        }),
    )
}

/// `daily.csv`: one row per replication and day; columns come from the model's list.
fn daily_csv(scenario: &Scenario, result: &RunResult) -> Result<Vec<u8>> {
    export(
        &Csv,
        result.replications.iter().flat_map(|r| {
            r.daily.iter().enumerate().map(move |(day, row)| DailyRow {
                replication: r.index,
                day,
                date: scenario.date_of_day(day as u32).to_string(),
                warmup: day < scenario.warmup_days as usize,
                values: Columns {
                    names: &result.daily_columns,
                    values: row.iter().map(|x| Plain::of(*x)).collect(),
                },
            })
        }),
    )
}

/// `hourly.csv`: one row per replication, day and hour; columns come from the model's list.
fn hourly_csv(scenario: &Scenario, result: &RunResult) -> Result<Vec<u8>> {
    export(
        &Csv,
        result.replications.iter().flat_map(|r| {
            // The model hands the series by column: row i takes the i-th value of each.
            (0..r.hourly.first().map_or(0, Vec::len)).map(move |i| {
                let day = i / 24;
                HourlyRow {
                    replication: r.index,
                    day,
                    date: scenario.date_of_day(day as u32).to_string(),
                    hour: i % 24,
                    warmup: day < scenario.warmup_days as usize,
                    values: Columns {
                        names: &result.hourly_columns,
                        values: r.hourly.iter().map(|column| Plain::of(column[i])).collect(),
                    },
                }
            })
        }),
    )
}

/// `engine.csv`: the machine's figures of the run.
fn engine_csv(e: &EngineStats) -> Result<Vec<u8>> {
    export(
        &Csv,
        [
            EngineRow { metric: "events", value: e.events as f64 },
            EngineRow { metric: "events_per_second", value: e.events_per_second },
            EngineRow { metric: "wall_seconds", value: e.wall_seconds },
            EngineRow { metric: "peak_rss_bytes", value: e.peak_rss_bytes as f64 },
            EngineRow { metric: "threads", value: e.threads as f64 },
        ],
    )
}

/// Starts staging a run's results for `dir` (`write` publishes them).
pub fn stage(dir: &destination::ResultsDir) -> Result<atomic::StagedDir> {
    atomic::StagedDir::new(dir, "run")
}

/// Writes every result file of a run into `stage` (from [`stage`], which may already hold
/// `customers.csv`) and publishes them atomically.
pub fn write(stage: atomic::StagedDir, scenario: &Scenario, result: &RunResult) -> Result<()> {
    write_with(stage, scenario, result, &resolved_toml(scenario)?)
}

/// The resolved scenario a run of `scenario` writes.
pub fn resolved_toml(scenario: &Scenario) -> Result<String> {
    resolved_toml_for(scenario, "run scenario.resolved.toml")
}

/// [`write`], with `resolved` as `scenario.resolved.toml` (a merge of shards writes theirs).
pub fn write_with(
    stage: atomic::StagedDir,
    scenario: &Scenario,
    result: &RunResult,
    resolved: &str,
) -> Result<()> {
    stage.write("kpis.csv", &kpis_csv(result)?)?;
    stage.write("replications.csv", &replications_csv(result)?)?;
    stage.write("daily.csv", &daily_csv(scenario, result)?)?;
    stage.write("hourly.csv", &hourly_csv(scenario, result)?)?;
    stage.write("engine.csv", &engine_csv(&result.engine)?)?;
    stage.write("scenario.resolved.toml", resolved.as_bytes())?;
    stage.commit()
}

/// The JSON object printed by `--format json`.
#[derive(Serialize)]
struct JsonReport<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u32,
    kpis: serde_json::Map<String, serde_json::Value>,
    /// Each window with its own KPIs, in the scenario's order.
    windows: Vec<JsonWindow<'a>>,
    engine: &'a EngineStats,
}

/// A window in the JSON printout.
#[derive(Serialize)]
struct JsonWindow<'a> {
    name: &'a str,
    from: String,
    to: String,
    kpis: serde_json::Map<String, serde_json::Value>,
}

/// KPI summaries keyed by KPI name, for the JSON printout.
fn keyed_kpis(
    result: &RunResult,
    summaries: &[Summary],
) -> Result<serde_json::Map<String, serde_json::Value>> {
    json::keyed(&Table::of(kpi_rows(result, summaries))?, "kpi", json::KeyColumn::TakenByLast)
}

/// What the table shows of a run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Shown<'a> {
    /// The KPIs and groups shown (all when empty: see [`check_shown`]).
    pub kpis: &'a [String],
    /// The window shown (`None`: the whole horizon; see [`check_window`]).
    pub window: Option<&'a str>,
}

/// Checks `--window NAME` against the scenario's windows: one it names but this run leaves out (a
/// shorter horizon) and an unknown one are refused with the reason.
pub fn check_window(scenario: &Scenario, window: Option<&str>) -> std::result::Result<(), String> {
    let Some(name) = window else { return Ok(()) };
    if scenario.windows.iter().any(|w| w.name == name) {
        return Ok(());
    }
    let written: Vec<&str> = scenario.resolved.run.windows.iter().map(|w| w.name.as_str()).collect();
    if written.contains(&name) {
        return Err(format!(
            "--window: `{name}` has no measured day in this run ({} days from {}, {} warm-up)",
            scenario.days, scenario.start_date, scenario.warmup_days
        ));
    }
    let help = match crate::suggest::closest(name, &written) {
        Some(k) => format!("did you mean `{k}`?"),
        None if written.is_empty() => "the scenario has no [[run.windows]]".to_string(),
        None => format!("windows: {}", written.join(", ")),
    };
    Err(format!("--window: `{name}` is not a window of the scenario (`{HORIZON}` is the horizon); {help}"))
}

/// What `--format` prints for a run; the table shows what `shown` asks for, CSV and JSON every
/// KPI of the horizon and of each window.
pub fn render(format: Format, scenario: &Scenario, result: &RunResult, shown: &Shown<'_>) -> Result<String> {
    match format {
        Format::Table => Ok(table::render(scenario, result, shown)),
        Format::Csv => Ok(String::from_utf8_lossy(&kpis_csv(result)?).into_owned()),
        Format::Json => json::pretty(&JsonReport {
            scenario: &scenario.name,
            seed: scenario.seed,
            replications: scenario.replications,
            kpis: keyed_kpis(result, &result.summaries)?,
            windows: result
                .windows
                .iter()
                .map(|w| {
                    Ok(JsonWindow {
                        name: &w.name,
                        from: w.from.to_string(),
                        to: w.to.to_string(),
                        kpis: keyed_kpis(result, &w.summaries)?,
                    })
                })
                .collect::<Result<_>>()?,
            engine: &result.engine,
        }),
    }
}
