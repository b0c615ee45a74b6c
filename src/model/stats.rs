//! Fulfilment statistics of one replication: streaming counters and histograms updated as orders
//! move, turned into KPI values and daily rows at the end. Fixed memory, whatever the horizon.

use crate::kernel::Time;
use crate::kpi::{FULFILMENT_KPIS, KpiDef};
use crate::stats::DurationHistogram;

/// Counters over orders placed after the warm-up (and costs incurred after it).
#[derive(Debug, Default, Clone)]
pub struct FulfilmentStats {
    /// Orders placed.
    pub orders: u64,
    /// Orders delivered.
    pub delivered: u64,
    /// Delivered by the promised date.
    pub on_time: u64,
    /// Handed to a carrier.
    pub shipped: u64,
    /// Handed over by the end of the promised dispatch day.
    pub shipped_on_time: u64,
    /// Lost in transit.
    pub lost: u64,
    /// Cancelled before leaving the warehouse.
    pub cancelled: u64,
    /// Delivered damaged.
    pub damaged: u64,
    /// Delivered on time, undamaged, right items, right address, in full.
    pub perfect: u64,
    /// Delivered on time, in full (one parcel), right items.
    pub otif: u64,
    /// Order-to-door times of delivered orders.
    pub cycle: DurationHistogram,
    /// Wages of worker-hours on shift.
    pub cost_fulfilment: f64,
    /// Parcels x cost per parcel.
    pub cost_shipping: f64,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { f64::NAN } else { a as f64 / b as f64 }
}

impl FulfilmentStats {
    /// KPI values in the order of `FULFILMENT_KPIS`, with `costs` every cost of the span (these
    /// counters' and every component's); NaN where undefined (nothing delivered).
    pub fn kpis(&self, costs: f64) -> Vec<f64> {
        let values = [
            self.orders as f64,
            ratio(self.on_time, self.delivered),
            ratio(self.otif, self.delivered),
            self.cycle.mean_s(),
            self.cycle.quantile_s(0.50),
            self.cycle.quantile_s(0.90),
            self.cycle.quantile_s(0.99),
            ratio(self.shipped_on_time, self.shipped),
            ratio(self.lost, self.shipped),
            ratio(self.damaged, self.delivered),
            ratio(self.perfect, self.delivered + self.lost),
            self.cost_fulfilment,
            self.cost_shipping,
            if self.delivered == 0 { f64::NAN } else { costs / self.delivered as f64 },
        ];
        values.to_vec()
    }

    /// The KPI definitions matching `kpis()`.
    pub fn defs() -> &'static [KpiDef] {
        FULFILMENT_KPIS
    }
}

/// One day's counters (all orders, warm-up included, so the series shows the whole run).
#[derive(Debug, Default, Clone, Copy)]
pub struct Day {
    /// Orders placed.
    pub orders: u64,
    /// Lines ordered.
    pub lines: u64,
    /// Parcels picked up by carriers.
    pub shipped: u64,
    /// Orders delivered.
    pub delivered: u64,
    /// Delivered by the promised date.
    pub delivered_on_time: u64,
    /// Parcels found lost.
    pub lost: u64,
    /// Orders in the warehouse (placed, not yet picked up) at the end of the day.
    pub backlog: u64,
    /// Parcels with carriers at the end of the day.
    pub in_transit: u64,
    /// Picker-hours on shift.
    pub picker_hours: f64,
    /// Lines the day's pickers and automation could pick at their rates.
    pub pick_capacity_lines: f64,
    /// Worker-hours on shift.
    pub worker_hours: f64,
    /// Orders placed in each hour of the day (the hourly series).
    pub hourly_orders: [u64; 24],
}

impl Day {
    /// The values in `FULFILMENT_DAILY_COLUMNS` order.
    pub fn values(&self) -> [f64; 12] {
        [
            self.orders as f64,
            self.lines as f64,
            self.shipped as f64,
            self.delivered as f64,
            self.delivered_on_time as f64,
            ratio(self.delivered_on_time, self.delivered),
            self.lost as f64,
            self.backlog as f64,
            self.in_transit as f64,
            self.picker_hours,
            self.pick_capacity_lines,
            self.worker_hours,
        ]
    }
}

/// Order-to-door time of an order, for the histogram.
#[inline]
pub fn cycle_ms(placed_at: Time, now: Time) -> u64 {
    now.saturating_sub(placed_at)
}
