//! `o2d trace` files: the requests of one replication's customers, as CSV or JSON lines, with
//! ISO 8601 timestamps and replay offsets, written as they come (a trace of a whole season never
//! sits in memory). Writing only; the requests come from `experiment::trace`.

use std::io::Write;

use serde::Serialize;

use super::export::{Plain, csv::Csv, export, export_continued, export_or_header, json::JsonLines};
use crate::error::{Error, Result};
use crate::experiment::trace::Selection;
use crate::kernel::Time;
use crate::model::trace::{Detail, Request, RequestKind};
use crate::scenario::Scenario;
use crate::units::MS_PER_DAY;

/// File format of a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TraceFormat {
    /// CSV with a header row; SKUs space-separated in one column.
    #[default]
    Csv,
    /// One JSON object per line; SKUs as an array.
    Jsonl,
    /// A k6 script: every request in order, and arrival-rate stages of 10 seconds that follow
    /// the trace's shape (at most a day of replay, [`k6_fits`]).
    K6,
}

/// One row of a trace file: the columns every kind shares, then those of some kinds (empty, or
/// `null` in JSON, for the others).
#[derive(Debug, Default, Serialize)]
struct Row<'a> {
    timestamp: String,
    replay_offset_s: f64,
    kind: &'static str,
    order_id: u64,
    customer_id: u64,
    lines: Option<u16>,
    skus: Option<Skus<'a>>,
    shipping_option: Option<&'a str>,
    carrier: Option<&'a str>,
    promised_date: Option<String>,
    region: Option<&'a str>,
    amount: Option<Plain>,
    reason: Option<&'static str>,
    measured: bool,
}

/// The SKUs of a request: their names in the planner's catalogue, or without one their ranks in
/// the generated catalogue (1 = most popular).
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Skus<'a> {
    Ranks(Vec<u64>),
    Names(Vec<&'a str>),
}

/// Rows formatted at a time: enough to make writing cheap, few enough to keep memory flat.
const ROWS_PER_WRITE: usize = 4096;

/// What a trace holds, once written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Rows of each kind, in the order of [`RequestKind::ALL`].
    pub by_kind: [u64; RequestKind::ALL.len()],
}

impl Written {
    /// Rows in all.
    pub fn rows(&self) -> u64 {
        self.by_kind.iter().sum()
    }
}

/// Writes the requests of one replication of `scenario` to `out` in `format` as they come.
///
/// `timestamp` is the scenario's start date at midnight plus the simulated time (ISO 8601, local
/// time, milliseconds). `replay_offset_s = (time - origin) / 1000 / speedup`: seconds after the
/// replay starts at which a load tool sends the request, where the origin is the start of the
/// window traced, or without one the first request.
pub struct TraceWriter<'a, W: Write> {
    scenario: &'a Scenario,
    format: TraceFormat,
    speedup: f64,
    origin: Option<Time>,
    rows: Vec<Row<'a>>,
    started: bool,
    written: Written,
    out: W,
    failed: Option<Error>,
    /// Requests in each stage of a k6 script, from the origin on.
    per_stage: Vec<u64>,
    /// The trace's scenario and replication, for a k6 script's header.
    about: String,
}

impl<'a, W: Write> TraceWriter<'a, W> {
    /// A writer to `out`; `origin` is the start of the window traced, if any; `about` says
    /// what the trace is (a k6 script's first line).
    pub fn new(
        scenario: &'a Scenario,
        format: TraceFormat,
        speedup: f64,
        origin: Option<Time>,
        about: String,
        out: W,
    ) -> Self {
        Self {
            per_stage: Vec::new(),
            about,
            scenario,
            format,
            speedup,
            origin,
            rows: Vec::with_capacity(ROWS_PER_WRITE),
            started: false,
            written: Written::default(),
            out,
            failed: None,
        }
    }

    /// Adds `request` (the next in time order). After a failure to write, does nothing: the
    /// failure is reported by [`TraceWriter::finish`].
    pub fn push(&mut self, request: &Request<'_>) {
        if self.failed.is_some() {
            return;
        }
        let origin = *self.origin.get_or_insert(request.at);
        let row = row(self.scenario, request, origin, self.speedup);
        self.written.by_kind[request.kind() as usize] += 1;
        if self.format == TraceFormat::K6 {
            // Bounded by the caller: a k6 script covers at most `k6::MAX_SECONDS` of replay.
            let stage = (row.replay_offset_s / k6::STAGE_S) as usize;
            if self.per_stage.len() <= stage {
                self.per_stage.resize(stage + 1, 0);
            }
            self.per_stage[stage] += 1;
        }
        self.rows.push(row);
        if self.rows.len() >= ROWS_PER_WRITE
            && let Err(e) = self.write_rows()
        {
            self.failed = Some(e);
        }
    }

    /// Writes what is left (a CSV trace without any request is its header) and flushes; returns
    /// the output and what was written.
    pub fn finish(mut self) -> Result<(W, Written)> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if !self.rows.is_empty() || !self.started {
            self.write_rows()?;
        }
        if self.format == TraceFormat::K6 {
            let end = k6::footer(&self.per_stage);
            self.out.write_all(end.as_bytes()).map_err(|e| Error::io("cannot write the trace", e))?;
        }
        self.out.flush().map_err(|e| Error::io("cannot write the trace", e))?;
        Ok((self.out, self.written))
    }

    fn write_rows(&mut self) -> Result<()> {
        let rows = self.rows.drain(..);
        let bytes = match (self.format, self.started) {
            (TraceFormat::Csv, false) => export_or_header(&Csv, rows, &Row::default())?,
            (TraceFormat::Csv, true) => export_continued(&Csv, rows, &Row::default())?,
            (TraceFormat::Jsonl, _) => export(&JsonLines, rows)?,
            (TraceFormat::K6, started) => {
                let mut text = if started { String::new() } else { k6::header(&self.about) };
                for row in rows {
                    k6::request(&mut text, &row);
                }
                text.into_bytes()
            }
        };
        self.started = true;
        self.out.write_all(&bytes).map_err(|e| Error::io("cannot write the trace", e))
    }
}

/// Engine time `at` of `sc` as an ISO 8601 local date-time with milliseconds.
pub fn timestamp(sc: &Scenario, at: Time) -> String {
    let midnight = sc.start_date.and_hms_opt(0, 0, 0).unwrap_or_default();
    (midnight + chrono::Duration::milliseconds(at as i64)).format("%Y-%m-%dT%H:%M:%S%.3f").to_string()
}

/// Whether a trace of a window of `window_ms` at `speedup` fits a k6 script (at most a day of
/// replay); refused with the reason otherwise.
pub fn k6_fits(window_ms: Time, speedup: f64) -> Result<()> {
    let seconds = window_ms as f64 / 1000.0 / speedup;
    if seconds <= k6::MAX_SECONDS {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "--format k6: the window replays in {:.1} days at --speedup {speedup}; k6 holds a script in memory, \
         so one covers at most a day: trace a window (--from, --to, --peak) or give a larger --speedup",
        seconds / 86_400.0
    )))
}

/// What a trace is: replication `replication` of `sc` in `selection`'s window, at `speedup`.
pub fn about(sc: &Scenario, replication: u64, selection: &Selection, speedup: f64) -> String {
    format!(
        "the requests of replication {replication} of scenario `{}` from {} to {}, {speedup}x faster than simulated",
        sc.name,
        timestamp(sc, selection.from),
        timestamp(sc, selection.to)
    )
}

/// The line that says what a trace file holds: its rows, of each kind.
pub fn summary(written: &Written, replication: u64, path: &std::path::Path) -> String {
    let kinds: Vec<String> = RequestKind::ALL
        .iter()
        .zip(written.by_kind)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {}", k.name()))
        .collect();
    let detail = if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) };
    format!("{} requests{detail} of replication {replication} written to {}", written.rows(), path.display())
}

/// A k6 script of the requests: the routes to edit, every request in order, arrival-rate stages.
mod k6 {
    use std::fmt::Write;

    use super::{Row, Skus};
    use crate::model::trace::RequestKind;
    use crate::replay::plan::TraceRow;
    use crate::replay::routes::Routes;

    /// The script up to its requests.
    pub(super) fn header(about: &str) -> String {
        let mut out = format!(
            "// A k6 script written by o2d {}: {about}.\n\
             // Run it against a test system: k6 run -e BASE_URL=http://127.0.0.1:8080 script.js\n\
             // Each iteration sends the next request of the trace; the arrival rate follows the trace\n\
             // 10 seconds at a time (the stages at the end), so the peak keeps its shape and its mix.\n\
             import http from 'k6/http';\n\
             import exec from 'k6/execution';\n\
             import {{ SharedArray }} from 'k6/data';\n\n\
             // Method and path of each request kind: edit them to match the API.\n\
             const routes = {{\n",
            crate::VERSION
        );
        let routes = Routes::default();
        for kind in RequestKind::ALL {
            let r = routes.of(kind);
            let _ = writeln!(out, "  '{}': ['{}', '{}'],", kind.name(), r.method, r.template);
        }
        out.push_str(
            "};\n\n\
             // Every request in time order: [seconds after the start, kind, order id, customer id, JSON body].\n\
             const requests = new SharedArray('requests', () => [\n",
        );
        out
    }

    /// One request of the array: its body as `o2d replay` sends it.
    pub(super) fn request(out: &mut String, row: &Row<'_>) {
        let trace_row = TraceRow {
            offset_s: row.replay_offset_s,
            kind: RequestKind::from_name(row.kind).unwrap_or_default(),
            order_id: row.order_id,
            customer_id: row.customer_id,
            lines: row.lines.map(u64::from),
            skus: match &row.skus {
                Some(Skus::Names(n)) => n.iter().map(|s| s.to_string()).collect(),
                Some(Skus::Ranks(r)) => r.iter().map(u64::to_string).collect(),
                None => Vec::new(),
            },
            shipping_option: row.shipping_option.map(str::to_string),
            carrier: row.carrier.map(str::to_string),
            promised_date: row.promised_date.clone(),
            region: row.region.map(str::to_string),
            amount: row.amount.and_then(|a| a.0),
            reason: row.reason.map(str::to_string),
        };
        let body = String::from_utf8_lossy(&trace_row.body(row.order_id, row.customer_id)).into_owned();
        // A JSON string is a JavaScript string literal.
        let body = serde_json::to_string(&body).unwrap_or_default();
        let _ = writeln!(
            out,
            "  [{}, '{}', {}, {}, {body}],",
            ryu::Buffer::new().format(row.replay_offset_s),
            row.kind,
            row.order_id,
            row.customer_id
        );
    }

    /// Seconds of replay a stage of the script covers.
    pub(super) const STAGE_S: f64 = 10.0;

    /// Seconds of replay a k6 script may cover (a day): k6 holds the whole script in memory.
    pub(super) const MAX_SECONDS: f64 = 86_400.0;

    /// The end of the array, the stages and the function each iteration runs.
    pub(super) fn footer(per_stage: &[u64]) -> String {
        let mut out =
            String::from("]);\n\n// Requests in each 10 seconds of the replay.\nconst perStage = [");
        for (i, n) in per_stage.iter().enumerate() {
            if i % 20 == 0 {
                out.push_str("\n  ");
            }
            let _ = write!(out, "{n}, ");
        }
        out.push_str(FOOTER);
        out
    }

    const FOOTER: &str = r#"
];

export const options = {
  scenarios: {
    trace: {
      executor: 'ramping-arrival-rate',
      timeUnit: '10s',
      startRate: 0,
      // Each stage jumps to its rate and holds it for its 10 seconds (a ramp would lag the trace).
      stages: perStage.flatMap((n) => [{ target: n, duration: '0s' }, { target: n, duration: '10s' }]),
      preAllocatedVUs: 50,
      maxVUs: 2000,
    },
  },
};

export default function () {
  const r = requests[exec.scenario.iterationInTest];
  if (!r) return;
  const [, kind, order, customer, body] = r;
  const [method, path] = routes[kind];
  const url = __ENV.BASE_URL + path.replace('{order_id}', order).replace('{customer_id}', customer);
  const bodyless = method === 'GET' || method === 'HEAD' || method === 'DELETE';
  http.request(method, url, bodyless ? null : body, {
    headers: bodyless ? {} : { 'Content-Type': 'application/json' },
    tags: { kind },
  });
}
"#;
}

/// The row of `request`.
fn row<'a>(sc: &'a Scenario, request: &Request<'_>, origin: Time, speedup: f64) -> Row<'a> {
    let inventory = sc.inventory.as_ref();
    let catalogue = inventory.and_then(|i| i.catalogue.as_deref());
    let skus = |list: &[u32]| match catalogue {
        Some(c) => Skus::Names(list.iter().map(|&k| c.skus[k as usize].name.as_str()).collect()),
        None => Skus::Ranks(list.iter().map(|&k| u64::from(k) + 1).collect()),
    };
    let mut row = Row {
        timestamp: timestamp(sc, request.at),
        replay_offset_s: request.at.saturating_sub(origin) as f64 / (1000.0 * speedup),
        kind: request.kind().name(),
        order_id: request.order,
        customer_id: request.customer,
        measured: request.at >= sc.warmup_end(),
        ..Row::default()
    };
    match request.detail {
        Detail::Order { lines, skus: list, option, carrier, promised_by, warehouse } => {
            row.lines = Some(lines);
            row.skus = Some(skus(list));
            row.shipping_option = Some(&sc.demand.shipping_options[usize::from(option)].name);
            row.carrier = Some(&sc.carriers[carrier.index()].name);
            // `promised_by` is the end of the promised day.
            row.promised_date = Some(
                sc.date_of_day((promised_by / MS_PER_DAY).saturating_sub(1) as u32)
                    .format("%Y-%m-%d")
                    .to_string(),
            );
            if let Some(inv) = inventory {
                row.region = warehouse.map(|w| inv.warehouse_names[usize::from(w)].as_str());
                let amount: f64 = list.iter().map(|&k| inv.unit_price_of(k)).sum();
                row.amount = Some(Plain::of((amount * 100.0).round() / 100.0));
            }
        }
        Detail::Tracking { carrier } => row.carrier = Some(&sc.carriers[carrier.index()].name),
        Detail::Return { sku, reason } => {
            row.lines = Some(1);
            row.skus = sku.map(|k| skus(&[k]));
            row.reason = Some(reason.name());
        }
        Detail::Status | Detail::Change | Detail::Cancel => {}
    }
    row
}
