//! `o2d trace` files: the orders one replication placed, as CSV or JSON lines, with ISO 8601
//! timestamps and replay offsets. Formatting only; the records come from the model's observer.

use std::sync::atomic::AtomicBool;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::experiment::{Replication, trace_replication};
use crate::kernel::Time;
use crate::model::inventory::Sku;
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
}

/// One order as placed, owned.
#[derive(Debug, Clone)]
struct Placed {
    order: u64,
    customer: u64,
    placed_at: Time,
    lines: u16,
    skus: std::ops::Range<usize>,
    option: u8,
    carrier: crate::model::carriers::CarrierId,
    promised_by: Time,
    measured: bool,
}

/// One row of a trace file.
#[derive(Debug, Serialize)]
struct Row<'a> {
    timestamp: String,
    replay_offset_s: f64,
    order_id: u64,
    customer_id: u64,
    lines: u16,
    skus: Skus<'a>,
    shipping_option: &'a str,
    carrier: &'a str,
    promised_date: String,
    measured: bool,
}

/// SKU ranks (1 = most popular): a space-separated string in CSV, an array in JSON.
#[derive(Debug)]
struct Skus<'a>(&'a [Sku], bool);

impl Serialize for Skus<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let ranks = self.0.iter().map(|k| u64::from(*k) + 1);
        if self.1 {
            s.collect_seq(ranks)
        } else {
            s.serialize_str(&ranks.map(|r| r.to_string()).collect::<Vec<_>>().join(" "))
        }
    }
}

/// A finished trace: the file's bytes and the replication it came from.
#[derive(Debug)]
pub struct Trace {
    /// The CSV or JSON-lines text.
    pub bytes: Vec<u8>,
    /// Orders written.
    pub rows: u64,
    /// The replication's own results (KPIs), from the same run.
    pub replication: Replication,
}

/// Runs replication `replication` of `scenario` (the same code path as `o2d run`) and writes the
/// orders it placed, warm-up included, in order of placement.
///
/// `timestamp` is the scenario's start date at midnight plus the simulated time (ISO 8601, local
/// time, milliseconds). `replay_offset_s = (placed_at - placed_at of the first row) / 1000 /
/// speedup`: seconds after the replay starts at which a load tool should send the order.
pub fn trace(
    scenario: &Scenario,
    replication: u64,
    speedup: f64,
    format: TraceFormat,
    stop: &AtomicBool,
) -> Result<Trace> {
    if !(speedup.is_finite() && speedup > 0.0) {
        return Err(Error::Usage(format!("--speedup {speedup}: expected a positive number, e.g. 60")));
    }
    let mut placed: Vec<Placed> = Vec::new();
    let mut skus: Vec<Sku> = Vec::new();
    let replication = {
        let (placed, skus) = (&mut placed, &mut skus);
        let observer = Box::new(move |a: &crate::model::trace::Arrival<'_>| {
            let from = skus.len();
            skus.extend_from_slice(a.skus);
            placed.push(Placed {
                order: a.order,
                customer: a.customer,
                placed_at: a.placed_at,
                lines: a.lines,
                skus: from..skus.len(),
                option: a.option,
                carrier: a.carrier,
                promised_by: a.promised_by,
                measured: a.measured,
            });
        });
        trace_replication(scenario, replication, stop, observer)?
    };
    let midnight = scenario.start_date.and_hms_opt(0, 0, 0).unwrap_or_default();
    let first = placed.first().map_or(0, |p| p.placed_at);
    let row = |p: &Placed| Row {
        timestamp: (midnight + chrono::Duration::milliseconds(p.placed_at as i64))
            .format("%Y-%m-%dT%H:%M:%S%.3f")
            .to_string(),
        replay_offset_s: (p.placed_at - first) as f64 / 1000.0 / speedup,
        order_id: p.order,
        customer_id: p.customer,
        lines: p.lines,
        skus: Skus(&skus[p.skus.clone()], format == TraceFormat::Jsonl),
        shipping_option: &scenario.demand.shipping_options[usize::from(p.option)].name,
        carrier: &scenario.carriers[p.carrier.index()].name,
        // `promised_by` is the end of the promised day.
        promised_date: scenario
            .date_of_day((p.promised_by / MS_PER_DAY).saturating_sub(1) as u32)
            .format("%Y-%m-%d")
            .to_string(),
        measured: p.measured,
    };
    let fmt_err = |e: String| Error::io("cannot format the trace", std::io::Error::other(e));
    let bytes = match format {
        TraceFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::with_capacity(placed.len() * 96));
            for p in &placed {
                w.serialize(row(p)).map_err(|e| fmt_err(e.to_string()))?;
            }
            if placed.is_empty() {
                w.write_record([
                    "timestamp",
                    "replay_offset_s",
                    "order_id",
                    "customer_id",
                    "lines",
                    "skus",
                    "shipping_option",
                    "carrier",
                    "promised_date",
                    "measured",
                ])
                .map_err(|e| fmt_err(e.to_string()))?;
            }
            w.into_inner().map_err(|e| fmt_err(e.to_string()))?
        }
        TraceFormat::Jsonl => {
            let mut out = Vec::with_capacity(placed.len() * 160);
            for p in &placed {
                serde_json::to_writer(&mut out, &row(p)).map_err(|e| fmt_err(e.to_string()))?;
                out.push(b'\n');
            }
            out
        }
    };
    Ok(Trace { bytes, rows: placed.len() as u64, replication })
}
