//! `o2d trace` files: the orders one replication placed, as CSV or JSON lines, with ISO 8601
//! timestamps and replay offsets. Writing only; the orders come from `experiment::trace`.

use serde::Serialize;

use super::export::{csv::Csv, export, export_or_header, json::JsonLines};
use crate::error::Result;
use crate::experiment::trace::{Arrivals, Placed};
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

/// One row of a trace file.
#[derive(Debug, Default, Serialize)]
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

/// The SKUs of an order's lines: their names in the planner's catalogue, or without one their
/// ranks in the generated catalogue (1 = most popular).
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Skus<'a> {
    Ranks(Vec<u64>),
    Names(Vec<&'a str>),
}

impl Default for Skus<'_> {
    fn default() -> Self {
        Skus::Ranks(Vec::new())
    }
}

/// The trace of `arrivals` (orders of `scenario`) in `format`: every order, warm-up included, in
/// order of placement; with no order, a CSV trace is its header.
///
/// `timestamp` is the scenario's start date at midnight plus the simulated time (ISO 8601, local
/// time, milliseconds). `replay_offset_s = (placed_at - placed_at of the first row) / 1000 /
/// speedup`: seconds after the replay starts at which a load tool should send the order.
pub fn write(scenario: &Scenario, arrivals: &Arrivals, speedup: f64, format: TraceFormat) -> Result<Vec<u8>> {
    let midnight = scenario.start_date.and_hms_opt(0, 0, 0).unwrap_or_default();
    let first = arrivals.placed.first().map_or(0, |p| p.placed_at);
    let catalogue = scenario.inventory.as_ref().and_then(|i| i.catalogue.as_deref());
    let row = |p: &Placed| Row {
        timestamp: (midnight + chrono::Duration::milliseconds(p.placed_at as i64))
            .format("%Y-%m-%dT%H:%M:%S%.3f")
            .to_string(),
        replay_offset_s: (p.placed_at - first) as f64 / 1000.0 / speedup,
        order_id: p.order,
        customer_id: p.customer,
        lines: p.lines,
        skus: match catalogue {
            Some(c) => {
                Skus::Names(arrivals.skus(p).iter().map(|&k| c.skus[k as usize].name.as_str()).collect())
            }
            None => Skus::Ranks(arrivals.skus(p).iter().map(|k| u64::from(*k) + 1).collect()),
        },
        shipping_option: &scenario.demand.shipping_options[usize::from(p.option)].name,
        carrier: &scenario.carriers[p.carrier.index()].name,
        // `promised_by` is the end of the promised day.
        promised_date: scenario
            .date_of_day((p.promised_by / MS_PER_DAY).saturating_sub(1) as u32)
            .format("%Y-%m-%d")
            .to_string(),
        measured: p.measured,
    };
    let rows = arrivals.placed.iter().map(row);
    match format {
        TraceFormat::Csv => export_or_header(&Csv, rows, &Row::default()),
        TraceFormat::Jsonl => export(&JsonLines, rows),
    }
}
