//! How stock meets the order flow: allocation at checkout, the three stockout behaviours,
//! purchase orders and reviews, first-come-first-served service of backorders, and the unit
//! ledger that proves units are neither created nor lost.

use rand::RngExt;

use crate::kernel::rng::StreamRng;
use crate::kernel::{Context, Time};
use crate::scenario::Scenario;
use crate::scenario::inventory::{Inventory, Policy, Stockout};
use crate::units::{MS_PER_DAY, seconds_to_ms};

use super::Event;
use super::flow::Flow;
use super::inventory::{Purchase, Sku, Stock};
use super::orders::{OrderId, OrderRef, flag};
use super::spans::{PerSpan, SpanMask, Spans};
use super::stats::FulfilmentStats;

/// Where an order stands after allocation at checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Allocation {
    /// Every unit is allocated (or the order was split): pick it.
    Ready,
    /// Units are missing: it waits for stock (backorder).
    Waiting,
    /// Units are missing and stockouts cancel: the sale is lost.
    Cancelled,
}

/// Every unit that ever entered stock is in exactly one place; at the end of a run
/// `initial + received = on_hand + allocated + outbound + delivered + lost + returning +
/// scrapped`, where `delivered` counts units customers kept (or still have).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitLedger {
    /// Units on the shelves at the start.
    pub initial: i64,
    /// Units received from suppliers.
    pub received: i64,
    /// Units on the shelves at the end.
    pub on_hand: i64,
    /// Units allocated to orders still in the warehouse.
    pub allocated: i64,
    /// Units in parcels with carriers.
    pub outbound: i64,
    /// Units in delivered parcels.
    pub delivered: i64,
    /// Units in lost parcels.
    pub lost: i64,
    /// Units on their way back from customers or waiting for inspection or refurbishing.
    pub returning: i64,
    /// Returned units written off.
    pub scrapped: i64,
    /// Returned units put back on the shelf (already counted in `on_hand`; for information).
    pub restocked: i64,
}

impl UnitLedger {
    /// Whether the identity holds.
    pub fn holds(&self) -> bool {
        self.initial + self.received
            == self.on_hand
                + self.allocated
                + self.outbound
                + self.delivered
                + self.lost
                + self.returning
                + self.scrapped
    }

    /// A parcel of `units` left with a carrier.
    pub(super) fn shipped(&mut self, units: u16) {
        self.allocated -= i64::from(units);
        self.outbound += i64::from(units);
    }

    /// `units` delivered units are sent back by customers.
    pub(super) fn returning(&mut self, units: i64) {
        self.delivered -= units;
        self.returning += units;
    }

    /// `units` returned units go back on the shelf.
    pub(super) fn restocked(&mut self, units: i64) {
        self.returning -= units;
        self.restocked += units;
    }

    /// `units` returned units are written off.
    pub(super) fn scrapped(&mut self, units: i64) {
        self.returning -= units;
        self.scrapped += units;
    }

    /// A parcel of `units` was delivered or lost.
    pub(super) fn arrived(&mut self, units: u16, lost: bool) {
        self.outbound -= i64::from(units);
        if lost {
            self.lost += i64::from(units);
        } else {
            self.delivered += i64::from(units);
        }
    }
}

/// One day of the inventory series.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct InventoryDay {
    on_hand: i64,
    owed: i64,
    on_order: i64,
    purchase_orders_open: u64,
    skus_out: u64,
    /// Units on hand integrated over the measured time up to the day's end (unit-milliseconds).
    on_hand_area: f64,
}

impl InventoryDay {
    pub(super) fn values(&self) -> [f64; 5] {
        [
            self.on_hand as f64,
            self.owed as f64,
            self.on_order as f64,
            self.purchase_orders_open as f64,
            self.skus_out as f64,
        ]
    }
}

/// Inventory counters over orders placed after the warm-up.
#[derive(Debug, Clone, Copy, Default)]
struct InventoryStats {
    units_ordered: u64,
    units_filled: u64,
    orders_waited: u64,
    units_lost_sales: u64,
    /// Revenue of the lost units at each SKU's own price (counted with a catalogue only).
    revenue_lost: f64,
    stockout_sku_days: u64,
    units_shipped: u64,
    orders_far: u64,
}

/// The inventory side of one replication.
#[derive(Debug)]
pub(super) struct InventoryState {
    config: Inventory,
    stock: Stock,
    /// SKUs of each open order's lines, by slot: allocated units first, then missing ones.
    pub(super) skus_of: Vec<Vec<Sku>>,
    missing_scratch: Vec<Sku>,
    /// SKUs drawn for the order being allocated (catalogue indices).
    drawn_scratch: Vec<Sku>,
    served_scratch: Vec<OrderRef>,
    purchase_orders_open: u64,
    stats: PerSpan<InventoryStats>,
    pub(super) units: UnitLedger,
    pub(super) days: Vec<InventoryDay>,
}

impl InventoryState {
    pub(super) fn new(sc: &Scenario, config: &Inventory, spans: &Spans) -> Self {
        let mut stock = Stock::new(sc, config);
        stock.measure_from(sc.warmup_end());
        let initial = stock.total_on_hand();
        Self {
            config: config.clone(),
            stock,
            skus_of: Vec::new(),
            missing_scratch: Vec::new(),
            drawn_scratch: Vec::new(),
            served_scratch: Vec::new(),
            purchase_orders_open: 0,
            stats: PerSpan::new(spans),
            units: UnitLedger { initial, ..UnitLedger::default() },
            days: vec![InventoryDay::default(); sc.days as usize],
        }
    }

    /// A parcel of `units` left with a carrier (counted for turns in the spans `spans`).
    pub(super) fn shipped(&mut self, units: u16, spans: SpanMask) {
        self.units.shipped(units);
        self.stats.each(spans, |s| s.units_shipped += u64::from(units));
    }

    /// Drops the line list of an ended order (the vector's memory is kept for reuse).
    pub(super) fn forget(&mut self, id: OrderId) {
        if let Some(v) = self.skus_of.get_mut(id as usize) {
            v.clear();
        }
    }

    fn lines_of(&mut self, id: OrderId) -> &mut Vec<Sku> {
        let i = id as usize;
        if self.skus_of.len() <= i {
            crate::kernel::huge::resize_with(&mut self.skus_of, i + 1, Vec::new);
        }
        &mut self.skus_of[i]
    }

    /// Records day `day`'s end; `spans` are the day's spans.
    pub(super) fn close_day(&mut self, day: usize, spans: SpanMask) {
        let skus_out = self.stock.skus_out();
        self.stats.each(spans, |s| s.stockout_sku_days += skus_out);
        if let Some(d) = self.days.get_mut(day) {
            *d = InventoryDay {
                on_hand: self.stock.total_on_hand(),
                owed: self.stock.total_owed(),
                on_order: self.stock.total_on_order(),
                purchase_orders_open: self.purchase_orders_open,
                skus_out,
                on_hand_area: self.stock.on_hand_area_at((day as u64 + 1) * MS_PER_DAY),
            };
        }
    }

    /// KPI values of span `span` in the order of `INVENTORY_KPIS` (the run checks the names);
    /// `fulfilment` holds the span's order counts.
    pub(super) fn kpis(
        &mut self,
        fulfilment: &FulfilmentStats,
        spans: &Spans,
        span: usize,
        horizon: Time,
    ) -> Vec<f64> {
        let s = *self.stats.get(span);
        let ratio = |a: u64, b: u64| if b == 0 { f64::NAN } else { a as f64 / b as f64 };
        let days: Vec<usize> = spans.days_in(span).collect();
        let measured_days = days.len() as f64;
        let mean_on_hand = match (span, days.first(), days.last()) {
            (0, ..) => self.stock.mean_on_hand(horizon),
            (_, Some(&first), Some(&last)) => {
                let before = first.checked_sub(1).map_or(0.0, |d| self.days[d].on_hand_area);
                (self.days[last].on_hand_area - before) / (measured_days * MS_PER_DAY as f64)
            }
            _ => f64::NAN,
        };
        let turns = if mean_on_hand > 0.0 {
            s.units_shipped as f64 / mean_on_hand * 365.0 / measured_days
        } else {
            f64::NAN
        };
        let values = vec![
            ratio(s.units_filled, s.units_ordered),
            ratio(s.orders_waited, fulfilment.orders),
            ratio(fulfilment.cancelled, fulfilment.orders),
            s.stockout_sku_days as f64,
            mean_on_hand,
            turns,
            if self.config.catalogue.is_some() {
                s.revenue_lost
            } else {
                s.units_lost_sales as f64 * self.config.unit_price
            },
            ratio(s.orders_far, fulfilment.orders),
        ];
        values
    }

    /// The warehouse that ships an order whose lines are `drawn` (catalogue SKUs), and the
    /// customer's own: the customer's by share, or under `nearest_with_stock` the first other
    /// warehouse with every line in stock when theirs lacks one.
    fn warehouse_for(&self, order_seed: u64, drawn: &[Sku]) -> (usize, usize) {
        let shares = &self.config.warehouse_shares;
        if shares.len() == 1 {
            return (0, 0);
        }
        let r = &mut crate::kernel::rng::keyed(order_seed, super::purpose::WAREHOUSE);
        let home = super::demand::pick_by_share(r, shares.iter().copied());
        let skus = self.config.skus;
        if !self.config.nearest_with_stock || self.stock.has_all(home, skus, drawn) {
            return (home, home);
        }
        match (0..shares.len()).find(|&w| w != home && self.stock.has_all(w, skus, drawn)) {
            Some(w) => (w, home),
            None => (home, home),
        }
    }

    /// The unit ledger with the stock's final counts.
    pub(super) fn ledger(&self) -> UnitLedger {
        UnitLedger { on_hand: self.stock.total_on_hand(), ..self.units }
    }
}

/// Places a purchase order: the on-time part arrives after the lead time, the short part
/// `late_delay` later.
fn place_purchase(inv: &mut InventoryState, rng: &mut StreamRng, p: Purchase, ctx: &mut Context<Event>) {
    let lead = seconds_to_ms(inv.config.lead_time_s(p.sku, inv.config.lead_time.sample(rng)));
    let exact = f64::from(p.units) * inv.config.supplier_fill_rate;
    let on_time = (exact.floor() as u32 + u32::from(rng.random::<f64>() < exact.fract())).min(p.units);
    let late = p.units - on_time;
    if on_time > 0 {
        inv.purchase_orders_open += 1;
        ctx.schedule_in(lead, Event::Receive(p.sku, on_time));
    }
    if late > 0 {
        inv.purchase_orders_open += 1;
        ctx.schedule_in(lead + inv.config.late_delay_ms, Event::Receive(p.sku, late));
    }
}

/// Lets continuous review react to a change in `sku`'s position.
fn review_sku(inv: &mut InventoryState, rng: &mut StreamRng, sku: Sku, ctx: &mut Context<Event>) {
    if let Some(p) = inv.stock.continuous_review(sku) {
        place_purchase(inv, rng, p, ctx);
    }
}

impl Flow<'_> {
    /// Schedules the periodic reviews of base-stock classes.
    pub(super) fn start_inventory(&mut self, ctx: &mut Context<Event>) {
        let Some(inv) = &self.inv else { return };
        for (class, p) in inv.config.policies.iter().enumerate() {
            if matches!(p, Policy::BaseStock { .. }) {
                ctx.schedule_at(0, Event::Review(class as u8));
            }
        }
    }

    /// Allocates stock to a new order's lines; on a stockout, backorders, cancels or splits.
    pub(super) fn allocate(&mut self, id: OrderId, ctx: &mut Context<Event>) -> Allocation {
        let Some(inv) = &mut self.inv else { return Allocation::Ready };
        let now = ctx.now();
        let order = *self.orders.get(id);
        let counted = order.spans;
        let mut lines = std::mem::take(inv.lines_of(id));
        let mut missing = std::mem::take(&mut inv.missing_scratch);
        lines.clear();
        missing.clear();
        let mut drawn = std::mem::take(&mut inv.drawn_scratch);
        drawn.clear();
        drawn.extend((0..order.lines).map(|_| inv.stock.pick_sku(&mut self.rng.orders)));
        if let Some(skus) = self.replay.as_ref().map(|r| &r.pending.skus).filter(|s| !s.is_empty()) {
            // The history's SKUs, drawn first all the same (see `order_arrives`).
            drawn.copy_from_slice(skus);
        }
        let (w, home) = inv.warehouse_for(order.seed, &drawn);
        if let Some(t) = &mut self.trace {
            // Lossless: validation allows at most 64 warehouses.
            t.warehouse = Some(home as u8);
        }
        if w != home {
            self.orders.get_mut(id).flags |= flag::FAR;
            inv.stats.each(counted, |s| s.orders_far += 1);
        }
        let base = w as Sku * inv.config.skus;
        for &k in &drawn {
            let sku = base + k;
            if let Some(t) = &mut self.trace {
                t.skus.push(k);
            }
            if inv.stock.take(sku, now) {
                inv.units.allocated += 1;
                lines.push(sku);
                review_sku(inv, &mut self.rng.supply, sku, ctx);
            } else {
                missing.push(sku);
            }
        }
        let filled = lines.len() as u64;
        inv.stats.each(counted, |s| {
            s.units_ordered += u64::from(order.lines);
            s.units_filled += filled;
        });
        let outcome = match inv.config.stockout {
            _ if missing.is_empty() => Allocation::Ready,
            Stockout::Cancel => {
                let mut served = Vec::new();
                for &sku in &lines {
                    inv.units.allocated -= 1;
                    // Nobody waits for a SKU that was just in stock, so nothing is served.
                    inv.stock.put(sku, 1, now, &mut served);
                }
                debug_assert!(served.is_empty());
                if counted != 0 {
                    let revenue = if inv.config.catalogue.is_some() {
                        drawn.iter().map(|&k| inv.config.unit_price_of(k)).sum::<f64>()
                    } else {
                        0.0
                    };
                    inv.stats.each(counted, |s| {
                        s.units_lost_sales += u64::from(order.lines);
                        s.revenue_lost += revenue;
                    });
                }
                lines.clear();
                Allocation::Cancelled
            }
            Stockout::Split if !lines.is_empty() => Allocation::Ready,
            Stockout::Backorder | Stockout::Split => Allocation::Waiting,
        };
        if !missing.is_empty() && outcome != Allocation::Cancelled {
            inv.stats.each(counted, |s| s.orders_waited += 1);
        }
        let allocated = lines.len() as u16;
        *inv.lines_of(id) = lines;
        match outcome {
            Allocation::Cancelled => {
                self.count_cancelled(id);
                self.end_order(id);
            }
            Allocation::Ready if !missing.is_empty() => {
                // Split: this order ships what was allocated; a remainder parcel waits.
                let o = self.orders.get_mut(id);
                o.lines = allocated;
                o.parcels_pending = 2;
                o.flags |= flag::SPLIT | flag::BACKORDERED;
                let rest = super::orders::Order {
                    lines: missing.len() as u16,
                    missing: missing.len() as u16,
                    parent: id,
                    parcels_pending: 1,
                    seed: crate::kernel::rng::keyed(o.seed, super::purpose::REMAINDER).random::<u64>(),
                    flags: (o.flags & (flag::EXPRESS | flag::FAR)) | flag::REMAINDER,
                    ..*o
                };
                let rest_id = self.orders.insert(rest);
                self.parcels_only_open += 1;
                self.in_warehouse += 1;
                self.wait_for_units(rest_id, &missing, ctx);
            }
            Allocation::Waiting => {
                let o = self.orders.get_mut(id);
                o.missing = missing.len() as u16;
                o.flags |= flag::BACKORDERED;
                self.wait_for_units(id, &missing, ctx);
            }
            Allocation::Ready => {}
        }
        if let Some(inv) = &mut self.inv {
            missing.clear();
            inv.missing_scratch = missing;
            inv.drawn_scratch = drawn;
        }
        outcome
    }

    /// Queues order `id` once per missing unit and lets continuous review react.
    fn wait_for_units(&mut self, id: OrderId, missing: &[Sku], ctx: &mut Context<Event>) {
        let r = self.orders.reference(id);
        let Some(inv) = &mut self.inv else { return };
        inv.lines_of(id).extend_from_slice(missing);
        for &sku in missing {
            inv.stock.wait_for(sku, r);
            review_sku(inv, &mut self.rng.supply, sku, ctx);
        }
    }

    /// Units arrive from a supplier: waiting orders are served first come first served.
    pub(super) fn receive(&mut self, sku: Sku, units: u32, ctx: &mut Context<Event>) {
        let Some(inv) = &mut self.inv else { return };
        inv.purchase_orders_open -= 1;
        inv.units.received += i64::from(units);
        let mut served = std::mem::take(&mut inv.served_scratch);
        inv.stock.receive(sku, units, ctx.now(), &mut served);
        self.serve(sku, &mut served, ctx);
        if let Some(inv) = &mut self.inv {
            inv.served_scratch = served;
        }
    }

    /// Gives each served order its unit of `sku`; an order that ended meanwhile (cancelled)
    /// hands its unit on to the next in line.
    fn serve(&mut self, sku: Sku, served: &mut Vec<OrderRef>, ctx: &mut Context<Event>) {
        let now = ctx.now();
        while let Some(r) = served.pop() {
            let live = self.orders.live(r).is_some_and(|o| !o.has(flag::CANCELLED));
            let Some(inv) = &mut self.inv else { return };
            if !live {
                inv.stock.put(sku, 1, now, served);
                continue;
            }
            inv.units.allocated += 1;
            let lines = inv.lines_of(r.id);
            let o = self.orders.get_mut(r.id);
            let first_missing = usize::from(o.lines - o.missing);
            if let Some(pos) = lines[first_missing..].iter().position(|s| *s == sku) {
                lines.swap(first_missing, first_missing + pos);
            }
            o.missing -= 1;
            if o.missing == 0 {
                self.release_to_pick(r.id, ctx);
            }
        }
    }

    /// Puts one unit of `sku` back on the shelf, serving a waiting order first if there is one.
    pub(super) fn put_back(&mut self, sku: Sku, ctx: &mut Context<Event>) {
        let Some(inv) = &mut self.inv else { return };
        let mut served = std::mem::take(&mut inv.served_scratch);
        inv.stock.put(sku, 1, ctx.now(), &mut served);
        self.serve(sku, &mut served, ctx);
        if let Some(inv) = &mut self.inv {
            inv.served_scratch = served;
        }
    }

    /// The first line's SKU of order `id`, when inventory is modelled.
    pub(super) fn first_sku(&self, id: OrderId) -> Option<Sku> {
        self.inv.as_ref().and_then(|inv| inv.skus_of.get(id as usize)).and_then(|v| v.first().copied())
    }

    /// Allocates the one unit of a replacement parcel; `false` if it must wait for stock.
    pub(super) fn allocate_replacement(&mut self, id: OrderId, sku: Sku, ctx: &mut Context<Event>) -> bool {
        let Some(inv) = &mut self.inv else { return true };
        if sku == Sku::MAX {
            return true;
        }
        let now = ctx.now();
        if inv.stock.take(sku, now) {
            inv.units.allocated += 1;
            inv.lines_of(id).push(sku);
            review_sku(inv, &mut self.rng.supply, sku, ctx);
            return true;
        }
        self.orders.get_mut(id).missing = 1;
        self.wait_for_units(id, &[sku], ctx);
        false
    }

    /// Returns a cancelled order's allocated units to stock (serving waiting orders first).
    pub(super) fn release_stock(&mut self, id: OrderId, ctx: &mut Context<Event>) {
        let Some(inv) = &mut self.inv else { return };
        let o = *self.orders.get(id);
        let allocated = usize::from(o.lines - o.missing);
        let lines = std::mem::take(inv.lines_of(id));
        let mut served = Vec::new();
        for &sku in &lines[..allocated.min(lines.len())] {
            if let Some(inv) = &mut self.inv {
                inv.units.allocated -= 1;
                inv.stock.put(sku, 1, ctx.now(), &mut served);
            }
            self.serve(sku, &mut served, ctx);
        }
        if let Some(inv) = &mut self.inv {
            *inv.lines_of(id) = lines;
        }
    }

    /// A periodic review of class `class`: every base-stock SKU orders up to its level.
    pub(super) fn review(&mut self, class: u8, ctx: &mut Context<Event>) {
        let Some(inv) = &mut self.inv else { return };
        let Policy::BaseStock { review_period_ms, .. } = inv.config.policies[class as usize] else { return };
        let mut sku = 0;
        while sku < inv.stock.skus() {
            if inv.stock.class_of(sku) == class
                && let Some(p) = inv.stock.periodic_review(sku)
            {
                place_purchase(inv, &mut self.rng.supply, p, ctx);
            }
            sku += 1;
        }
        ctx.schedule_in(review_period_ms, Event::Review(class));
    }
}
