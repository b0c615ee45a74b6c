//! Windows: named spans of dates (`[[run.windows]]`) whose KPIs are reported on their own as well
//! as over the whole horizon, and the targets that name one (`[targets."Black Friday week"]`).

use std::ops::Range;

use chrono::NaiveDate;

use super::check::Checker;
use super::raw::{RawScenario, RawTarget};
use crate::kpi::{self, KpiDef, Target};

/// Windows a scenario may name: with the horizon, each span of measurement is one bit of a 16-bit
/// mask (`model::spans`), and each costs a set of histograms in every replication.
pub const MAX_WINDOWS: usize = 15;

/// The name kpis.csv and `--window` give the whole horizon; no window may take it.
pub const HORIZON: &str = "all";

/// A validated window, placed on the run's days.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// Name, as written.
    pub name: String,
    /// First date, as written.
    pub from: NaiveDate,
    /// Last date (inclusive), as written.
    pub to: NaiveDate,
    /// The day indices measured: the window's days within the horizon after the warm-up (never
    /// empty: a window with no measured day is left out of `Scenario::windows` with a note).
    pub days: Range<u32>,
}

/// Validates `run.windows`; a window with no measured day (outside a shorter run, or within the
/// warm-up) is left out with a note, and one cut by the horizon or the warm-up keeps its days
/// inside with a note saying which.
pub(super) fn validate_windows(
    c: &mut Checker,
    raw: &RawScenario,
    start: NaiveDate,
    days: u32,
    warmup_days: u32,
) -> Vec<Window> {
    let list = &raw.run.windows;
    if list.len() > MAX_WINDOWS {
        c.fail_help(
            "run.windows",
            format!("{} windows are more than the {MAX_WINDOWS} a run reports", list.len()),
            "keep the spans you read on their own; the horizon is always reported".to_string(),
        );
        return Vec::new();
    }
    c.unique("run.windows", ".name", "windows", list.iter().map(|w| w.name.as_str()));
    let end = start + chrono::Days::new(u64::from(days.max(1)) - 1);
    let mut windows = Vec::new();
    for (i, w) in list.iter().enumerate() {
        let path = format!("run.windows[{i}]");
        if w.name.trim().is_empty() {
            c.fail_help(
                format!("{path}.name"),
                "a window needs a name",
                "e.g. name = \"Black Friday week\"".to_string(),
            );
        } else if w.name.eq_ignore_ascii_case(HORIZON) {
            c.fail_help(
                format!("{path}.name"),
                format!("`{HORIZON}` names the whole horizon in the outputs"),
                "give the window another name".to_string(),
            );
        }
        let (Some(from), Some(to)) =
            (c.date(&format!("{path}.from"), &w.from), c.date(&format!("{path}.to"), &w.to))
        else {
            continue;
        };
        if to < from {
            c.fail(format!("{path}.to"), format!("{to} is before the window's first date {from}"));
            continue;
        }
        let index = |d: NaiveDate| (d - start).num_days().clamp(-1, i64::from(days));
        let first = index(from).max(i64::from(warmup_days));
        let last = index(to).min(i64::from(days) - 1);
        if first > last {
            let why = if (0..i64::from(warmup_days)).contains(&index(to)) {
                let warmup_end = start + chrono::Days::new(u64::from(warmup_days) - 1);
                format!("lies within the warm-up {start} .. {warmup_end}")
            } else {
                format!("lies outside the horizon {start} .. {end}")
            };
            c.note(
                &path,
                format!("window `{}` {from} .. {to} {why}: it is not reported in this run", w.name),
            );
            continue;
        }
        let (first, last) = (first as u32, last as u32);
        let date = |d: u32| start + chrono::Days::new(u64::from(d));
        if date(first) != from || date(last) != to {
            c.note(
                &path,
                format!(
                    "window `{}` {from} .. {to} is cut to the days this run measures: {} .. {}",
                    w.name,
                    date(first),
                    date(last)
                ),
            );
        }
        windows.push(Window { name: w.name.clone(), from, to, days: first..last + 1 });
    }
    windows
}

/// Parses `[targets]` against the KPIs the scenario produces: a KPI's target judges the horizon,
/// a table named after a window judges that window. A window left out of this run (outside a
/// shorter horizon) leaves its targets unjudged, with a note.
pub(super) fn validate_targets(
    c: &mut Checker,
    raw: &RawScenario,
    catalogue: &[KpiDef],
    windows: &[Window],
) -> Vec<Target> {
    let mut targets = Vec::new();
    for (key, value) in &raw.targets {
        match value {
            RawTarget::Kpi(text) => {
                if let Some(t) = target(c, &format!("targets.{key}"), key, text, catalogue) {
                    targets.push(t);
                }
            }
            RawTarget::Window(table) => {
                let path = format!("targets.{}", quoted_key(key));
                if !raw.run.windows.iter().any(|w| w.name == *key) {
                    let names: Vec<&str> = raw.run.windows.iter().map(|w| w.name.as_str()).collect();
                    let help = match crate::suggest::closest(key, &names) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if names.is_empty() => {
                            "name a window of [[run.windows]], or write a KPI's target as a string"
                                .to_string()
                        }
                        None => format!("windows of this scenario: {}", names.join(", ")),
                    };
                    c.fail_help(path, format!("`{key}` is not a window of [[run.windows]]"), help);
                    continue;
                }
                let reported = windows.iter().any(|w| w.name == *key);
                for (kpi_name, text) in table {
                    let Some(mut t) = target(c, &format!("{path}.{kpi_name}"), kpi_name, text, catalogue)
                    else {
                        continue;
                    };
                    if reported {
                        t.window = Some(key.clone());
                        targets.push(t);
                    }
                }
                if !reported && !table.is_empty() {
                    c.note(
                        &path,
                        format!("window `{key}` is not reported in this run: its targets are not judged"),
                    );
                }
            }
        }
    }
    targets
}

/// One target `kpi_name = "text"` at `path`, checked against the catalogue.
fn target(c: &mut Checker, path: &str, kpi_name: &str, text: &str, catalogue: &[KpiDef]) -> Option<Target> {
    let Some(def) = kpi::find(catalogue, kpi_name) else {
        let names: Vec<&str> = catalogue.iter().map(|d| d.name).collect();
        let help = match crate::suggest::closest(kpi_name, &names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("KPIs this scenario produces: {}", names.join(", ")),
        };
        c.fail_help(path, format!("`{kpi_name}` is not a KPI this scenario produces"), help);
        return None;
    };
    match kpi::parse_target(kpi_name, def.unit, text) {
        Ok(t) => Some(t),
        Err(e) => {
            c.fail(path, e);
            None
        }
    }
}

/// A TOML key as written in a dotted path: bare when it can be, else quoted.
fn quoted_key(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-') {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}
