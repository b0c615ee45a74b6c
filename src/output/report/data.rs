//! Reading a results folder back for the report: kpis.csv, daily.csv, sweep.csv, compare.csv and
//! the resolved scenario. Parsing and across-replication summaries only; no simulation here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::kpi::Unit;
use crate::scenario::{self, Scenario, Source};
use crate::stats::{Summary, summarize};

/// A bad-input error about `path` (exit code 2).
pub(crate) fn bad(path: &Path, message: impl Into<String>) -> Error {
    Error::Input { path: path.to_path_buf(), message: message.into() }
}

/// Parses a CSV number; an empty cell (undefined) is NaN.
fn num(path: &Path, text: &str) -> Result<f64> {
    if text.is_empty() {
        return Ok(f64::NAN);
    }
    text.parse().map_err(|_| bad(path, format!("`{text}` is not a number")))
}

/// Reads a CSV file into its header and records.
fn read_csv(path: &Path) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let limit = crate::input::MAX_RESULT_FILE_BYTES;
    let bytes =
        crate::input::read_bounded(path, limit).map_err(|e| bad(path, e.message("result files", limit)))?;
    let mut rdr = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| bad(path, format!("not a CSV file: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| bad(path, format!("not a CSV file: {e}")))?;
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok((header, rows))
}

/// Index of column `name`, or a bad-input error naming the file.
fn column(path: &Path, header: &[String], name: &str) -> Result<usize> {
    header.iter().position(|h| h == name).ok_or_else(|| bad(path, format!("has no `{name}` column")))
}

/// One KPI's summary as written in kpis.csv (or one point of sweep.csv).
#[derive(Debug, Clone)]
pub struct Kpi {
    /// Stable KPI name.
    pub name: String,
    /// Unit.
    pub unit: Unit,
    /// The mean exactly as written in the file (the report's `data-value`).
    pub mean_text: String,
    /// Mean, interval, sd, min, max and n, as the experiment summarised them.
    pub summary: Summary,
}

/// Parses summary rows with columns `kpi, mean, ci95_low, ci95_high, sd, min, max,
/// replications, unit` (the layout of kpis.csv and the tail of sweep.csv).
fn kpi_from(path: &Path, header: &[String], row: &[String]) -> Result<Kpi> {
    let cell = |name: &str| -> Result<&str> {
        let i = column(path, header, name)?;
        Ok(row.get(i).map_or("", String::as_str))
    };
    let mean_text = cell("mean")?.to_string();
    let summary = Summary {
        mean: num(path, &mean_text)?,
        ci95_low: num(path, cell("ci95_low")?)?,
        ci95_high: num(path, cell("ci95_high")?)?,
        sd: num(path, cell("sd")?)?,
        min: num(path, cell("min")?)?,
        max: num(path, cell("max")?)?,
        n: cell("replications")?.parse().unwrap_or(0),
        // Files from before the column existed were never cut.
        clamped: column(path, header, "ci95_clamped").is_ok_and(|i| row.get(i).is_some_and(|c| c == "true")),
    };
    Ok(Kpi { name: cell("kpi")?.to_string(), unit: Unit::from_name(cell("unit")?), mean_text, summary })
}

/// The columns of a KPI summary row.
const SUMMARY_COLUMNS: [&str; 9] =
    ["kpi", "mean", "ci95_low", "ci95_high", "sd", "min", "max", "replications", "unit"];

/// Fails unless `header` has every summary column.
fn check_summary_header(path: &Path, header: &[String]) -> Result<()> {
    SUMMARY_COLUMNS.iter().try_for_each(|c| column(path, header, c).map(|_| ()))
}

/// The KPI summaries of a run: the horizon's, then each window's.
#[derive(Debug, Clone, Default)]
pub struct RunKpis {
    /// Over the whole horizon (window `all`).
    pub horizon: Vec<Kpi>,
    /// Each window's name and KPIs, in file order.
    pub windows: Vec<(String, Vec<Kpi>)>,
}

impl RunKpis {
    /// The KPI `name` over window `window` (`None`: the horizon).
    pub fn find(&self, window: Option<&str>, name: &str) -> Option<&Kpi> {
        let list = match window {
            None => &self.horizon,
            Some(w) => &self.windows.iter().find(|(n, _)| n == w)?.1,
        };
        list.iter().find(|k| k.name == name)
    }
}

/// Reads kpis.csv: rows of window `all` (every row, in a file without the `window` column) are
/// the horizon's, the others their window's.
pub fn read_kpis(path: &Path) -> Result<RunKpis> {
    let (header, rows) = read_csv(path)?;
    check_summary_header(path, &header)?;
    let window_col = header.iter().position(|h| h == "window");
    let mut out = RunKpis::default();
    for r in &rows {
        let kpi = kpi_from(path, &header, r)?;
        match window_col.and_then(|i| r.get(i)).map(String::as_str) {
            None | Some(crate::scenario::windows::HORIZON) => out.horizon.push(kpi),
            Some(w) => match out.windows.iter_mut().find(|(n, _)| n == w) {
                Some((_, list)) => list.push(kpi),
                None => out.windows.push((w.to_string(), vec![kpi])),
            },
        }
    }
    Ok(out)
}

/// daily.csv summarised across replications, day by day.
#[derive(Debug, Clone, Default)]
pub struct Daily {
    /// Calendar date of each day, as written (`2026-11-27`).
    pub dates: Vec<String>,
    /// Warm-up days at the start.
    pub warmup_days: usize,
    /// Per column (model columns only, in file order): one summary per day.
    pub columns: Vec<(String, Vec<Summary>)>,
}

impl Daily {
    /// The summaries of column `name`, when the file has it.
    pub fn get(&self, name: &str) -> Option<&[Summary]> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
    }

    /// Channels with support columns: every `X` with an `X_offered` column, in file order.
    pub fn channels(&self) -> Vec<String> {
        self.columns.iter().filter_map(|(n, _)| n.strip_suffix("_offered").map(str::to_string)).collect()
    }
}

/// Reads daily.csv and summarises every column across replications per day (Student-t 95%).
pub fn read_daily(path: &Path) -> Result<Daily> {
    let (header, rows) = read_csv(path)?;
    let day_col = column(path, &header, "day")?;
    let date_col = column(path, &header, "date")?;
    let warm_col = column(path, &header, "warmup")?;
    let fixed = ["replication", "day", "date", "warmup"];
    let data_cols: Vec<usize> = (0..header.len()).filter(|i| !fixed.contains(&header[*i].as_str())).collect();
    // day -> (date, warm-up, per data column: values across replications)
    let mut days: BTreeMap<usize, (String, bool, Vec<Vec<f64>>)> = BTreeMap::new();
    for row in &rows {
        let day: usize =
            row[day_col].parse().map_err(|_| bad(path, format!("`{}` is not a day index", row[day_col])))?;
        let entry = days.entry(day).or_insert_with(|| {
            (row[date_col].clone(), row[warm_col] == "true", vec![Vec::new(); data_cols.len()])
        });
        for (k, &c) in data_cols.iter().enumerate() {
            entry.2[k].push(num(path, row.get(c).map_or("", String::as_str))?);
        }
    }
    let mut daily = Daily {
        columns: data_cols.iter().map(|&c| (header[c].clone(), Vec::with_capacity(days.len()))).collect(),
        ..Daily::default()
    };
    for (date, warm, values) in days.into_values() {
        daily.dates.push(date);
        if warm {
            daily.warmup_days += 1;
        }
        for (k, v) in values.iter().enumerate() {
            daily.columns[k].1.push(summarize(v));
        }
    }
    Ok(daily)
}

/// sweep.csv: the varied keys and, per point, its key values and KPI summaries.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// Varied keys, in column order.
    pub keys: Vec<String>,
    /// Points in order: key values and KPIs.
    pub points: Vec<(Vec<String>, Vec<Kpi>)>,
}

impl Sweep {
    /// KPI names in file order.
    pub fn kpi_names(&self) -> Vec<&str> {
        self.points.first().map(|(_, k)| k.iter().map(|k| k.name.as_str()).collect()).unwrap_or_default()
    }

    /// The distinct values of key `k`, in first-seen order.
    pub fn values_of(&self, k: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (vals, _) in &self.points {
            if !out.contains(&vals[k]) {
                out.push(vals[k].clone());
            }
        }
        out
    }
}

/// Reads sweep.csv.
pub fn read_sweep(path: &Path) -> Result<Sweep> {
    let (header, rows) = read_csv(path)?;
    check_summary_header(path, &header)?;
    if rows.is_empty() {
        return Err(bad(path, "has no points"));
    }
    let point_col = column(path, &header, "point")?;
    let kpi_col = column(path, &header, "kpi")?;
    if kpi_col <= point_col {
        return Err(bad(path, "expected the varied keys between the `point` and `kpi` columns"));
    }
    let keys: Vec<String> = header[point_col + 1..kpi_col].to_vec();
    let mut points: Vec<(Vec<String>, Vec<Kpi>)> = Vec::new();
    let mut last_point = None;
    for row in &rows {
        let kpi = kpi_from(path, &header, row)?;
        if last_point != Some(&row[point_col]) {
            points.push((row[point_col + 1..kpi_col].to_vec(), Vec::new()));
            last_point = Some(&row[point_col]);
        }
        if let Some(p) = points.last_mut() {
            p.1.push(kpi);
        }
    }
    Ok(Sweep { keys, points })
}

/// One row of compare.csv: the paired difference B - A of one KPI.
#[derive(Debug, Clone)]
pub struct Difference {
    /// KPI name.
    pub kpi: String,
    /// Unit.
    pub unit: Unit,
    /// Mean under A.
    pub a_mean: f64,
    /// Mean under B.
    pub b_mean: f64,
    /// Mean paired difference.
    pub diff: f64,
    /// Its 95% interval.
    pub low: f64,
    /// Its 95% interval.
    pub high: f64,
    /// Whether the difference is significant (as the comparison judged it: the interval
    /// excludes zero and rests on enough pairs).
    pub significant: bool,
}

/// Reads compare.csv.
pub fn read_compare(path: &Path) -> Result<Vec<Difference>> {
    let (header, rows) = read_csv(path)?;
    let idx = |n: &str| column(path, &header, n);
    let ez = idx("significant")?;
    let (k, u, a, b, d, lo, hi) = (
        idx("kpi")?,
        idx("unit")?,
        idx("a_mean")?,
        idx("b_mean")?,
        idx("diff_mean")?,
        idx("diff_ci95_low")?,
        idx("diff_ci95_high")?,
    );
    rows.iter()
        .map(|r| {
            let cell = |i: usize| r.get(i).map_or("", String::as_str);
            Ok(Difference {
                kpi: cell(k).to_string(),
                unit: Unit::from_name(cell(u)),
                a_mean: num(path, cell(a))?,
                b_mean: num(path, cell(b))?,
                diff: num(path, cell(d))?,
                low: num(path, cell(lo))?,
                high: num(path, cell(hi))?,
                significant: cell(ez) == "true",
            })
        })
        .collect()
}

/// A resolved scenario read back: the validated scenario and the o2d version that wrote it.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The scenario, validated as `o2d run` would.
    pub scenario: Scenario,
    /// The o2d version from the file's first line (`# Resolved by o2d 0.1.0: ...`).
    pub version: String,
}

/// Loads a resolved scenario file written by o2d.
pub fn read_resolved(path: &Path) -> Result<Resolved> {
    let text = scenario::load::read_scenario_file(path)?;
    let version = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# Resolved by o2d "))
        .and_then(|l| l.split(':').next())
        .unwrap_or("unknown")
        .to_string();
    let scenario = scenario::load(&Source::File(PathBuf::from(path)), &[])?;
    Ok(Resolved { scenario, version })
}

/// What `o2d staff` wrote: the plans, their verdicts, and each plan's need and people per hour.
#[derive(Debug, Clone, Default)]
pub struct Staff {
    /// plans.csv: plan, agent-hours, cost, rounds (empty for the scenario as staffed), converged.
    pub plans: Vec<StaffPlan>,
    /// verdicts.csv, row by row.
    pub verdicts: Vec<StaffVerdict>,
    /// The date of each day of the horizon that requirement.csv covers.
    pub dates: Vec<String>,
    /// Contacts offered in each hour of the horizon, every channel together.
    pub offered: Vec<f64>,
    /// Agents the Erlang figures ask for in each hour, every channel together.
    pub erlang_agents: Vec<f64>,
    /// People on shift in each hour of each plan in staffing.csv (plan name first).
    pub on_shift: Vec<(String, Vec<f64>)>,
}

/// One row of verdicts.csv: a target judged in one round of a plan.
#[derive(Debug, Clone)]
pub struct StaffVerdict {
    /// `current`, `erlang` or `o2d`.
    pub plan: String,
    /// The plan's round (0 for the scenario as staffed).
    pub round: u32,
    /// The KPI judged.
    pub kpi: String,
    /// The target as a planner reads it: `kpi target` or `kpi in "window" target`.
    pub label: String,
    /// The KPI's mean.
    pub mean: f64,
    /// `pass`, `fail` or `inconclusive`.
    pub verdict: String,
}

/// One row of plans.csv.
#[derive(Debug, Clone)]
pub struct StaffPlan {
    /// `current`, `erlang` or `o2d`.
    pub name: String,
    /// Rounds it took (none for the scenario as staffed).
    pub rounds: String,
    /// `true`, `false` or empty.
    pub converged: String,
    /// Paid agent-hours.
    pub agent_hours: f64,
    /// Wages.
    pub cost: f64,
    /// Targets judged and met.
    pub met: String,
}

/// Reads the files of an `o2d staff` results folder.
pub fn read_staff(dir: &Path) -> Result<Staff> {
    let mut out = Staff::default();
    let path = dir.join("plans.csv");
    let (header, rows) = read_csv(&path)?;
    let col = |name: &str| column(&path, &header, name);
    let (plan, rounds, converged, hours, cost, targets, met) = (
        col("plan")?,
        col("rounds")?,
        col("converged")?,
        col("agent_hours")?,
        col("cost")?,
        col("targets")?,
        col("met")?,
    );
    for r in &rows {
        out.plans.push(StaffPlan {
            name: r[plan].clone(),
            rounds: r[rounds].clone(),
            converged: r[converged].clone(),
            agent_hours: num(&path, &r[hours])?,
            cost: num(&path, &r[cost])?,
            met: format!("{} of {}", r[met], r[targets]),
        });
    }
    let path = dir.join("verdicts.csv");
    let (header, rows) = read_csv(&path)?;
    let col = |name: &str| column(&path, &header, name);
    let (plan, round, kpi, window, target, mean, verdict) = (
        col("plan")?,
        col("round")?,
        col("kpi")?,
        col("window")?,
        col("target")?,
        col("mean")?,
        col("verdict")?,
    );
    for r in &rows {
        let label = if r[window].is_empty() {
            format!("{} {}", r[kpi], r[target])
        } else {
            format!("{} in \"{}\" {}", r[kpi], r[window], r[target])
        };
        out.verdicts.push(StaffVerdict {
            plan: r[plan].clone(),
            round: r[round].parse().map_err(|_| bad(&path, format!("`{}` is not a round", r[round])))?,
            kpi: r[kpi].clone(),
            label,
            mean: num(&path, &r[mean])?,
            verdict: r[verdict].clone(),
        });
    }
    let path = dir.join("requirement.csv");
    let (header, rows) = read_csv(&path)?;
    let col = |name: &str| column(&path, &header, name);
    let (date, hour, offered, erlang) = (col("date")?, col("hour")?, col("offered")?, col("erlang_agents")?);
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        if !index.contains_key(&r[date]) {
            index.insert(r[date].clone(), out.dates.len());
            out.dates.push(r[date].clone());
        }
    }
    let hours = 24 * out.dates.len();
    out.offered = vec![0.0; hours];
    out.erlang_agents = vec![0.0; hours];
    let at = |path: &Path, d: &str, h: &str| -> Result<usize> {
        let h: usize =
            h.parse().ok().filter(|h| *h < 24).ok_or_else(|| bad(path, format!("`{h}` is not an hour")))?;
        Ok(24 * index[d] + h)
    };
    for r in &rows {
        let i = at(&path, &r[date], &r[hour])?;
        out.offered[i] += num(&path, &r[offered])?;
        out.erlang_agents[i] += num(&path, &r[erlang])?.max(0.0);
    }
    let path = dir.join("staffing.csv");
    let (header, rows) = read_csv(&path)?;
    let col = |name: &str| column(&path, &header, name);
    let (plan, date, start, end, agents) =
        (col("plan")?, col("date")?, col("start")?, col("end")?, col("agents")?);
    let clock = |t: &str| -> Result<usize> {
        t.strip_suffix(":00")
            .and_then(|h| h.parse().ok())
            .filter(|h| *h <= 24)
            .ok_or_else(|| bad(&path, format!("`{t}` is not a time on the hour")))
    };
    for r in &rows {
        let Some(&day) = index.get(&r[date]) else { continue };
        if !out.on_shift.iter().any(|(n, _)| *n == r[plan]) {
            out.on_shift.push((r[plan].clone(), vec![0.0; hours]));
        }
        let people = num(&path, &r[agents])?;
        let series = &mut out.on_shift.iter_mut().find(|(n, _)| *n == r[plan]).expect("added above").1;
        for h in clock(&r[start])?..clock(&r[end])? {
            series[24 * day + h] += people;
        }
    }
    Ok(out)
}
