//! The requests of a trace file (`o2d trace`, CSV or JSON lines) as a load generator sends them:
//! when (the row's `replay_offset_s`, divided by the replay's speed-up), the method and path of
//! its kind's route, and a JSON body built from the row. The whole file is checked before anything
//! is sent ([`check`]), then streamed while it is sent ([`Plan`]); memory holds one row.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::routes::Routes;
use crate::error::{Error, Problem};
use crate::model::trace::RequestKind;
use crate::scenario::files::table::{MAX_LINE_BYTES, Table};

/// Bytes a trace file may have (it is streamed: this only stops an endless device).
pub const MAX_TRACE_BYTES: u64 = 64 * 1024 * 1024 * 1024;

/// What an order id of a copy adds per copy (`--rate-scale` above 1): copy `c` of order `n` is
/// order `n + c * COPY_STRIDE`, and so is its customer.
pub const COPY_STRIDE: u64 = 1_000_000_000;

/// How the trace's time and volume are changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaling {
    /// Time runs this many times faster than the trace's offsets say.
    pub speedup: f64,
    /// Requests per request of the trace: below 1 a share of the orders (with all their
    /// requests) is kept, above 1 whole orders are copied.
    pub rate_scale: f64,
}

/// One request to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// When, in microseconds after the replay starts.
    pub at_us: u64,
    /// Its kind.
    pub kind: RequestKind,
    /// Path and query (the target's base path first).
    pub path: String,
    /// JSON body, for methods that carry one.
    pub body: Option<Bytes>,
}

/// What a trace file plans, found by reading it whole before the replay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Requests of each kind, in the order of [`RequestKind::ALL`].
    pub by_kind: [u64; RequestKind::ALL.len()],
    /// The most requests planned in one second.
    pub peak_per_s: u64,
    /// When the last request is planned, in microseconds after the start.
    pub last_at_us: u64,
}

impl Summary {
    /// Requests in all.
    pub fn requests(&self) -> u64 {
        self.by_kind.iter().sum()
    }
}

/// Reads the whole trace at `path` as [`Plan`] would send it, refusing it (with the file, line,
/// column and key of each problem) if any row does not read; counts what it plans.
pub fn check(path: &Path, scaling: Scaling, routes: &Routes, base: &str) -> Result<Summary, Error> {
    let mut plan = Plan::open(path, scaling, routes, base)?;
    let mut s = Summary::default();
    let (mut second, mut in_second) = (0, 0);
    // Row by row: a row's copies are counted, not built (their paths and bodies cannot fail).
    while plan.next_row()? {
        let Some((row, copies)) = &plan.current else { break };
        let at_us = plan.at_us(row);
        s.by_kind[row.kind as usize] += copies;
        if *copies > 0 {
            s.last_at_us = at_us;
        }
        if at_us / 1_000_000 != second {
            (second, in_second) = (at_us / 1_000_000, 0);
        }
        in_second += copies;
        s.peak_per_s = s.peak_per_s.max(in_second);
    }
    Ok(s)
}

/// How far after the start a request may be planned, microseconds (a year): a later one is not
/// a load test but a mistake in the trace or the speed-up.
pub const MAX_AT_US: u64 = 365 * 24 * 3_600 * 1_000_000;

/// The requests of a trace file, one row read at a time.
pub struct Plan<'r> {
    rows: Rows,
    scaling: Scaling,
    routes: &'r Routes,
    base: String,
    /// The row being sent, and its copies still to send.
    current: Option<(TraceRow, u64)>,
    copy: u64,
    last_offset: f64,
}

impl<'r> Plan<'r> {
    /// Opens the trace at `path` (CSV, or JSON lines when its first byte is `{`); `base` is the
    /// target's path, put before each route's.
    pub fn open(path: &Path, scaling: Scaling, routes: &'r Routes, base: &str) -> Result<Self, Error> {
        let input = |e: std::io::Error| Error::Input { path: path.into(), message: e.to_string() };
        let file = File::open(path).map_err(input)?;
        if file.metadata().map_err(input)?.is_dir() {
            return Err(Error::Input { path: path.into(), message: "is a folder, not a trace file".into() });
        }
        let mut reader = BufReader::new(file.take(MAX_TRACE_BYTES + 1));
        let json = reader.fill_buf().map_err(input)?.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        let shown = path.display().to_string();
        let rows = if json {
            Rows::Json { file: shown, reader, line: 0, buf: Vec::new(), path: path.into() }
        } else {
            let table = Table::new(&shown, reader).map_err(|p| Error::Scenario(vec![p]))?;
            let col =
                |name: &str, what: &str| table.require(name, what).map_err(|p| Error::Scenario(vec![p]));
            let cols = CsvCols {
                offset: col("replay_offset_s", "when to send each request, seconds after the start")?,
                kind: col("kind", "each request's kind (order, status, ...)")?,
                order_id: col("order_id", "each request's order")?,
                customer_id: col("customer_id", "each request's customer")?,
                lines: table.column("lines"),
                skus: table.column("skus"),
                shipping_option: table.column("shipping_option"),
                carrier: table.column("carrier"),
                promised_date: table.column("promised_date"),
                region: table.column("region"),
                amount: table.column("amount"),
                reason: table.column("reason"),
            };
            Rows::Csv { file: shown, table: Box::new(table), cols }
        };
        Ok(Self {
            rows,
            scaling,
            routes,
            base: base.trim_end_matches('/').to_string(),
            current: None,
            copy: 0,
            last_offset: 0.0,
        })
    }

    /// The next request, in time order; `None` after the last.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Planned>, Error> {
        loop {
            if let Some((row, copies)) = &self.current
                && self.copy < *copies
            {
                let c = self.copy;
                self.copy += 1;
                return Ok(Some(self.planned(row, c)));
            }
            if !self.next_row()? {
                return Ok(None);
            }
        }
    }

    /// Reads and checks the next row into `current` with its number of copies; false after the
    /// last row.
    fn next_row(&mut self) -> Result<bool, Error> {
        let Some((row, at)) = self.rows.next()? else { return Ok(false) };
        let problem = |message: String, help: &str| {
            Error::Scenario(vec![at.problem("replay_offset_s", message, Some(help.to_string()))])
        };
        if row.offset_s < self.last_offset {
            return Err(problem(
                format!(
                    "{} is before the row above ({}): rows must be in time order",
                    row.offset_s, self.last_offset
                ),
                "write the trace with `o2d trace`, which writes rows in time order",
            ));
        }
        let at_us = row.offset_s * 1e6 / self.scaling.speedup;
        if at_us > MAX_AT_US as f64 {
            return Err(problem(
                format!("{} s, at this speed-up more than a year after the start", row.offset_s),
                "a replay is minutes or hours: give a larger --speedup, or trace a shorter window",
            ));
        }
        let copies = copies_of(row.order_id, self.scaling.rate_scale);
        if copies > 1 && row.order_id.max(row.customer_id) >= COPY_STRIDE {
            let message = format!(
                "order {} of customer {}: ids at or above {COPY_STRIDE} would collide with the copies                  --rate-scale makes (copy c of id n is n + c x {COPY_STRIDE})",
                row.order_id, row.customer_id
            );
            return Err(Error::Scenario(vec![at.problem("order_id", message, None)]));
        }
        self.last_offset = row.offset_s;
        self.current = Some((row, copies));
        self.copy = 0;
        Ok(true)
    }

    /// When `row` is sent, microseconds after the start (checked below [`MAX_AT_US`]).
    fn at_us(&self, row: &TraceRow) -> u64 {
        (row.offset_s * 1e6 / self.scaling.speedup).round() as u64
    }

    fn planned(&self, row: &TraceRow, copy: u64) -> Planned {
        let route = self.routes.of(row.kind);
        let (order_id, customer_id) =
            (row.order_id + copy * COPY_STRIDE, row.customer_id + copy * COPY_STRIDE);
        let mut path = self.base.clone();
        route.path_into(&mut path, order_id, customer_id);
        let body = route.has_body().then(|| Bytes::from(row.body(order_id, customer_id)));
        Planned { at_us: self.at_us(row), kind: row.kind, path, body }
    }
}

/// How many times the requests of order `order_id` are sent at `rate_scale`: its whole part,
/// plus one more for a share of the orders equal to its fraction, the same orders every time
/// (a hash of the order id), so an order's requests are all kept or all left out.
fn copies_of(order_id: u64, rate_scale: f64) -> u64 {
    use rand::RngExt;
    /// The purpose of the keyed stream that decides an order's extra copy.
    const EXTRA_COPY: u64 = 1;
    let whole = rate_scale.floor();
    let u: f64 = crate::kernel::rng::keyed(order_id, EXTRA_COPY).random();
    whole as u64 + u64::from(u < rate_scale - whole)
}

/// One row of a trace: what a request says, as read from a trace file (or as `o2d trace` is
/// about to write it, for the bodies of a k6 script).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TraceRow {
    /// Seconds after the start of the replay.
    #[serde(rename = "replay_offset_s")]
    pub offset_s: f64,
    /// The request's kind.
    #[serde(deserialize_with = "kind")]
    pub kind: RequestKind,
    /// The order.
    pub order_id: u64,
    /// The customer.
    pub customer_id: u64,
    /// Order lines.
    pub lines: Option<u64>,
    /// The SKU of each line (an order), or of the unit sent back (a return).
    #[serde(default, deserialize_with = "skus")]
    pub skus: Vec<String>,
    /// Shipping option name.
    pub shipping_option: Option<String>,
    /// Carrier name.
    pub carrier: Option<String>,
    /// Promised delivery date.
    pub promised_date: Option<String>,
    /// The customer's region.
    pub region: Option<String>,
    /// What the order costs.
    pub amount: Option<f64>,
    /// Why a unit is sent back.
    pub reason: Option<String>,
}

fn kind<'de, D: serde::Deserializer<'de>>(d: D) -> Result<RequestKind, D::Error> {
    let name = String::deserialize(d)?;
    RequestKind::parse(&name).map_err(serde::de::Error::custom)
}

/// SKUs as names or ranks (numbers), or `null`.
fn skus<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let list = Option::<Vec<serde_json::Value>>::deserialize(d)?.unwrap_or_default();
    list.into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(s),
            serde_json::Value::Number(n) => Ok(n.to_string()),
            other => Err(serde::de::Error::custom(format!("a SKU is a name or a number, not {other}"))),
        })
        .collect()
}

impl TraceRow {
    /// The JSON body of its request, about `order_id` of `customer_id` (its own ids, or a
    /// copy's): the ids, then what the row says beyond them; an order's or a return's SKUs as
    /// `items` of `sku` and `quantity` (lines of one SKU are one item).
    pub fn body(&self, order_id: u64, customer_id: u64) -> Vec<u8> {
        let row = self;
        #[derive(Serialize)]
        struct Item<'a> {
            sku: &'a str,
            quantity: u64,
        }
        #[derive(Serialize)]
        struct Body<'a> {
            order_id: u64,
            customer_id: u64,
            #[serde(skip_serializing_if = "Option::is_none")]
            items: Option<Vec<Item<'a>>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            lines: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            shipping_option: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            carrier: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            promised_date: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            region: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            amount: Option<f64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            reason: Option<&'a str>,
        }
        // Lines of the same SKU are one item with their quantity, in order of first appearance.
        let mut items: Vec<Item<'_>> = Vec::new();
        for sku in &row.skus {
            match items.iter_mut().find(|i| i.sku == sku) {
                Some(i) => i.quantity += 1,
                None => items.push(Item { sku, quantity: 1 }),
            }
        }
        let body = Body {
            order_id,
            customer_id,
            items: (!row.skus.is_empty()).then_some(items),
            lines: row.lines,
            shipping_option: row.shipping_option.as_deref(),
            carrier: row.carrier.as_deref(),
            promised_date: row.promised_date.as_deref(),
            region: row.region.as_deref(),
            amount: row.amount,
            reason: row.reason.as_deref(),
        };
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

/// The columns of a CSV trace.
struct CsvCols {
    offset: usize,
    kind: usize,
    order_id: usize,
    customer_id: usize,
    lines: Option<usize>,
    skus: Option<usize>,
    shipping_option: Option<usize>,
    carrier: Option<usize>,
    promised_date: Option<usize>,
    region: Option<usize>,
    amount: Option<usize>,
    reason: Option<usize>,
}

type Input = BufReader<std::io::Take<File>>;

/// The rows of a CSV or a JSON-lines trace.
enum Rows {
    Csv { file: String, table: Box<Table<Input>>, cols: CsvCols },
    Json { file: String, path: PathBuf, reader: Input, line: usize, buf: Vec<u8> },
}

/// Where a row is, to locate a problem found after it is read.
struct At {
    file: String,
    line: usize,
    /// Where its offset is.
    column: usize,
}

impl At {
    fn problem(&self, key: &str, message: String, help: Option<String>) -> Problem {
        Problem {
            file: self.file.clone(),
            line: self.line,
            column: self.column,
            key: key.into(),
            message,
            help,
        }
    }
}

impl Rows {
    fn next(&mut self) -> Result<Option<(TraceRow, At)>, Error> {
        match self {
            Rows::Csv { file, table, cols } => {
                let row = match table.next_row() {
                    Ok(Some(row)) => row,
                    Ok(None) => {
                        return if table.bytes_read() > MAX_TRACE_BYTES {
                            Err(too_large(file))
                        } else {
                            Ok(None)
                        };
                    }
                    Err(p) => return Err(Error::Scenario(vec![p])),
                };
                let one = |p: Problem| Error::Scenario(vec![p]);
                let text =
                    |c: Option<usize>| c.map(|c| row.text(c)).filter(|t| !t.is_empty()).map(str::to_string);
                let number = |c: usize, what: &str| {
                    row.parse(c, |t| t.parse::<u64>().map_err(|_| format!("`{t}` is not {what}")))
                };
                let offset = row
                    .parse(cols.offset, |t| match t.parse::<f64>() {
                        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
                        _ => Err(format!("`{t}` is not a number of seconds (0 or more)")),
                    })
                    .map_err(one)?;
                let r = TraceRow {
                    offset_s: offset,
                    kind: row.parse(cols.kind, RequestKind::parse).map_err(one)?,
                    order_id: number(cols.order_id, "an order id (a whole number)").map_err(one)?,
                    customer_id: number(cols.customer_id, "a customer id (a whole number)").map_err(one)?,
                    lines: match cols.lines.filter(|&c| !row.is_empty(c)) {
                        Some(c) => Some(number(c, "a number of lines").map_err(one)?),
                        None => None,
                    },
                    skus: text(cols.skus)
                        .map(|t| t.split_whitespace().map(str::to_string).collect())
                        .unwrap_or_default(),
                    shipping_option: text(cols.shipping_option),
                    carrier: text(cols.carrier),
                    promised_date: text(cols.promised_date),
                    region: text(cols.region),
                    amount: match cols.amount.filter(|&c| !row.is_empty(c)) {
                        Some(c) => Some(row.non_negative(c).map_err(one)?),
                        None => None,
                    },
                    reason: text(cols.reason),
                };
                let column = row.problem(cols.offset, String::new(), None).column;
                let at = At { file: file.clone(), line: row.line(), column };
                Ok(Some((r, at)))
            }
            Rows::Json { file, path, reader, line, buf } => loop {
                buf.clear();
                let limit = MAX_LINE_BYTES as u64 + 1;
                let n = (&mut *reader)
                    .take(limit)
                    .read_until(b'\n', buf)
                    .map_err(|e| Error::Input { path: path.clone(), message: e.to_string() })?;
                if n == 0 {
                    return if reader.get_ref().limit() == 0 { Err(too_large(file)) } else { Ok(None) };
                }
                *line += 1;
                if n as u64 >= limit && buf.last() != Some(&b'\n') {
                    let message = format!("a line longer than {MAX_LINE_BYTES} bytes: not a trace row");
                    return Err(Error::Scenario(vec![
                        At { file: file.clone(), line: *line, column: 1 }.problem("", message, None),
                    ]));
                }
                if buf.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                // Problems found after reading point at the offset.
                let column = buf
                    .windows(17)
                    .position(|w| w == b"\"replay_offset_s\"")
                    .map_or(1, |i| String::from_utf8_lossy(&buf[..i]).chars().count() + 1);
                let at = At { file: file.clone(), line: *line, column };
                let mut de = serde_json::Deserializer::from_slice(buf);
                let read = serde_path_to_error::deserialize::<_, TraceRow>(&mut de);
                if read.is_ok()
                    && let Err(e) = de.end()
                {
                    let message = "more after the row's object: one JSON object per line".to_string();
                    return Err(Error::Scenario(vec![Problem {
                        column: e.column(),
                        ..at.problem("", message, None)
                    }]));
                }
                return match read {
                    Ok(r) if r.offset_s.is_finite() && r.offset_s >= 0.0 => Ok(Some((r, at))),
                    Ok(r) => Err(Error::Scenario(vec![at.problem(
                        "replay_offset_s",
                        format!("{} is not a number of seconds (0 or more)", r.offset_s),
                        None,
                    )])),
                    Err(e) => {
                        let key = e.path().to_string();
                        let inner = e.into_inner();
                        Err(Error::Scenario(vec![Problem {
                            file: file.clone(),
                            line: *line,
                            column: inner.column(),
                            key: if key == "." { String::new() } else { key },
                            message: inner
                                .to_string()
                                .split(" at line")
                                .next()
                                .unwrap_or_default()
                                .to_string(),
                            help: Some(
                                "a row of `o2d trace --format jsonl`: one JSON object per line".into(),
                            ),
                        }]))
                    }
                };
            },
        }
    }
}

fn too_large(file: &str) -> Error {
    Error::Input {
        path: file.into(),
        message: format!("is more than {MAX_TRACE_BYTES} bytes: the limit for a trace"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_keep_the_rate_scale_on_average_and_whole_orders() {
        let n = 100_000;
        for scale in [0.25, 1.0, 1.5, 3.0] {
            let sent: u64 = (1..=n).map(|o| copies_of(o, scale)).sum();
            let expected = scale * n as f64;
            // Binomial: within 5 standard deviations of the fraction's share.
            let sd = (n as f64 * (scale.fract() * (1.0 - scale.fract()))).sqrt();
            assert!((sent as f64 - expected).abs() <= 5.0 * sd + 1e-9, "{scale}: {sent} vs {expected}");
            assert!((1..=100).all(|o| copies_of(o, scale) == copies_of(o, scale)));
        }
    }

    #[test]
    fn an_order_body_lists_its_items_with_quantities() {
        let row = TraceRow {
            kind: RequestKind::Order,
            order_id: 7,
            customer_id: 3,
            lines: Some(3),
            skus: vec!["A".into(), "B".into(), "A".into()],
            shipping_option: Some("standard".into()),
            amount: Some(12.5),
            ..TraceRow::default()
        };
        let body: serde_json::Value = serde_json::from_slice(&row.body(7, 3)).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"order_id": 7, "customer_id": 3, "items": [{"sku": "A", "quantity": 2},
                {"sku": "B", "quantity": 1}], "lines": 3, "shipping_option": "standard", "amount": 12.5})
        );
    }
}
