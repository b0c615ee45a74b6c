//! The files and printout of `o2d replay`: `replay.csv` (latency percentiles and counts per
//! request kind over the whole replay, then per interval) and `replay.json` (the same with the
//! settings, status codes and failures), written atomically into a results folder; and what
//! `--format` prints.

use serde::Serialize;

use super::export::{Plain, csv::Csv, export, json};
use super::{Format, atomic, destination};
use crate::error::Result;
use crate::model::trace::RequestKind;
use crate::replay::collect::{Counts, Failure, IntervalRow, KindResult, Latency};
use crate::replay::plan::Summary;
use crate::replay::{Options, Replayed};

/// What a replay did, with what it was asked to do.
pub struct Written<'a> {
    /// The trace file, as given.
    pub trace: &'a str,
    /// The replay's settings.
    pub options: &'a Options,
    /// What the trace planned.
    pub planned: &'a Summary,
    /// What was measured.
    pub replayed: &'a Replayed,
}

/// A row of `replay.csv`.
#[derive(Debug, Serialize)]
struct Row {
    /// Start of the interval, seconds after the replay started (by planned send time); empty for
    /// the whole replay.
    at_s: Option<f64>,
    kind: &'static str,
    planned: u64,
    sent: u64,
    dropped: u64,
    late: u64,
    ok: u64,
    not_ok: u64,
    failed: u64,
    p50_ms: Plain,
    p90_ms: Plain,
    p99_ms: Plain,
    p999_ms: Plain,
    max_ms: Plain,
}

fn row(at_s: Option<f64>, kind: Option<RequestKind>, c: &Counts, l: &Latency) -> Row {
    let ms = |x: Option<f64>| Plain(x.map(|v| (v * 1000.0).round() / 1000.0));
    Row {
        at_s,
        kind: kind.map_or("all", RequestKind::name),
        planned: c.planned,
        sent: c.sent,
        dropped: c.dropped,
        late: c.late,
        ok: c.ok,
        not_ok: c.not_ok,
        failed: c.failed,
        p50_ms: ms(l.p50_ms),
        p90_ms: ms(l.p90_ms),
        p99_ms: ms(l.p99_ms),
        p999_ms: ms(l.p999_ms),
        max_ms: ms(l.max_ms),
    }
}

/// The kind of entry `i` of `Replayed::kinds` (the last is all kinds together).
fn kind_at(i: usize) -> Option<RequestKind> {
    RequestKind::ALL.get(i).copied()
}

/// The whole replay's rows (kinds with a request, then all), then each interval's.
fn rows(w: &Written<'_>) -> impl Iterator<Item = Row> {
    let whole = w
        .replayed
        .kinds
        .iter()
        .enumerate()
        .filter(|(i, k)| k.counts.planned > 0 || kind_at(*i).is_none())
        .map(|(i, k)| row(None, kind_at(i), &k.counts, &k.latency));
    let intervals = w.replayed.intervals.iter().map(|i| interval_row(w, i));
    whole.collect::<Vec<_>>().into_iter().chain(intervals)
}

/// The row of interval `i`.
fn interval_row(w: &Written<'_>, i: &IntervalRow) -> Row {
    row(Some(i.interval as f64 * w.options.interval.as_secs_f64()), i.kind, &i.counts, &i.latency)
}

/// A kind in `replay.json`.
#[derive(Debug, Serialize)]
struct JsonKind<'a> {
    #[serde(flatten)]
    row: Row,
    statuses: std::collections::BTreeMap<String, u64>,
    failures: std::collections::BTreeMap<&'a str, u64>,
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    trace: &'a str,
    target: &'a str,
    speedup: f64,
    rate_scale: f64,
    max_in_flight: u64,
    timeout_s: f64,
    /// Requests the trace plans, all of them even when `--duration` cut the replay short.
    trace_requests: u64,
    planned_peak_per_s: u64,
    elapsed_s: f64,
    cut_short: bool,
    late_after_ms: f64,
    kinds: Vec<JsonKind<'a>>,
    interval_s: f64,
    intervals: Vec<Row>,
}

fn failure_name(f: Failure) -> &'static str {
    match f {
        Failure::Connection => "connection",
        Failure::Timeout => "timeout",
    }
}

fn json_kinds(w: &Written<'_>) -> Vec<JsonKind<'static>> {
    w.replayed
        .kinds
        .iter()
        .enumerate()
        .filter(|(i, k)| k.counts.planned > 0 || kind_at(*i).is_none())
        .map(|(i, k): (usize, &KindResult)| JsonKind {
            row: row(None, kind_at(i), &k.counts, &k.latency),
            statuses: k.statuses.iter().map(|(s, n)| (s.to_string(), *n)).collect(),
            failures: k.failures.iter().map(|(f, n)| (failure_name(*f), *n)).collect(),
        })
        .collect()
}

fn report<'a>(w: &'a Written<'a>) -> JsonReport<'a> {
    let o = w.options;
    JsonReport {
        trace: w.trace,
        target: &o.target.url,
        speedup: o.scaling.speedup,
        rate_scale: o.scaling.rate_scale,
        max_in_flight: o.max_in_flight,
        timeout_s: o.timeout.as_secs_f64(),
        trace_requests: w.planned.requests(),
        planned_peak_per_s: w.planned.peak_per_s,
        elapsed_s: (w.replayed.elapsed_s * 1000.0).round() / 1000.0,
        cut_short: w.replayed.cut_short,
        late_after_ms: crate::replay::collect::LATE_AFTER_US as f64 / 1000.0,
        kinds: json_kinds(w),
        interval_s: o.interval.as_secs_f64(),
        intervals: w.replayed.intervals.iter().map(|i| interval_row(w, i)).collect(),
    }
}

/// Writes `replay.csv` and `replay.json` into `dir`, atomically.
pub fn write(dir: &destination::ResultsDir, w: &Written<'_>) -> Result<()> {
    let stage = atomic::StagedDir::new(dir, "replay")?;
    stage.write("replay.csv", &export(&Csv, rows(w))?)?;
    stage.write("replay.json", json::pretty(&report(w))?.as_bytes())?;
    stage.commit()
}

/// What `--format` prints: a table of each kind, `replay.csv`, or `replay.json`.
pub fn render(format: Format, w: &Written<'_>) -> Result<String> {
    match format {
        Format::Table => Ok(table(w)),
        Format::Csv => Ok(String::from_utf8_lossy(&export(&Csv, rows(w))?).into_owned()),
        Format::Json => json::pretty(&report(w)),
    }
}

/// One line per kind: requests, how they ended, and latency from the planned send time.
fn table(w: &Written<'_>) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let ms = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.1}"));
    let _ = writeln!(
        out,
        "{:<9} {:>8} {:>8} {:>7} {:>7} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "kind", "sent", "ok", "errors", "dropped", "late", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"
    );
    for (i, k) in w.replayed.kinds.iter().enumerate() {
        if k.counts.planned == 0 && kind_at(i).is_some() {
            continue;
        }
        let (c, l) = (&k.counts, &k.latency);
        let _ = writeln!(
            out,
            "{:<9} {:>8} {:>8} {:>7} {:>7} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8}",
            kind_at(i).map_or("all", RequestKind::name),
            c.sent,
            c.ok,
            c.not_ok + c.failed,
            c.dropped,
            c.late,
            ms(l.p50_ms),
            ms(l.p90_ms),
            ms(l.p99_ms),
            ms(l.p999_ms),
            ms(l.max_ms)
        );
    }
    let all = w.replayed.kinds.last();
    let statuses = all
        .map(|k| {
            let mut parts: Vec<String> = k.statuses.iter().map(|(s, n)| format!("{s}: {n}")).collect();
            parts.extend(k.failures.iter().map(|(f, n)| format!("{}: {n}", failure_name(*f))));
            parts.join(", ")
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n{} requests in {:.1} s against {}{}; responses: {}",
        all.map_or(0, |k| k.counts.sent),
        w.replayed.elapsed_s,
        w.options.target.url,
        if w.replayed.cut_short { " (stopped at --duration)" } else { "" },
        if statuses.is_empty() { "none".to_string() } else { statuses }
    );
    let _ = writeln!(
        out,
        "Latency counts from each request's planned send time (corrected for coordinated omission)."
    );
    out
}
