//! Reverse logistics: a delivered order may come back (by reason, within the window), travels
//! back, waits for an inspector, is restocked, refurbished or scrapped, and is refunded.
//! Wrong-item returns trigger a replacement parcel.

use rand::RngExt;

use crate::kernel::rng::keyed;
use crate::kernel::{Context, Time};
use crate::kpi::RETURNS_KPIS;
use crate::scenario::returns::{Reason, Returns};
use crate::stats::DurationHistogram;
use crate::units::seconds_to_ms;

use super::carriers::CarrierId;
use super::inventory::Sku;
use super::orders::{Order, OrderId, flag};
use super::warehouse::Station;
use super::{Event, Operation, purpose};

/// Purposes of a return's keyed streams.
const SHIP_BACK: u64 = 1;
const INSPECTION: u64 = 2;
const OUTCOME: u64 = 3;

/// A return id: an index into the returns slab.
pub type ReturnId = u32;

/// No SKU is known (inventory not modelled).
const NO_SKU: Sku = Sku::MAX;

/// One return in progress.
#[derive(Debug, Clone, Copy, Default)]
struct ReturnItem {
    /// The return's own seed: its later draws come from streams keyed by it.
    seed: u64,
    sku: Sku,
    reason: u8,
    measured: bool,
    started_at: Time,
}

/// Counters over returns of orders placed after the warm-up.
#[derive(Debug, Clone, Default)]
struct ReturnStats {
    delivered: u64,
    returns: u64,
    cycle: DurationHistogram,
    refund: DurationHistogram,
    cost: f64,
}

/// One day of the returns series.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ReturnsDay {
    received: u64,
    refunds: u64,
}

impl ReturnsDay {
    pub(super) fn values(&self) -> [f64; 2] {
        [self.received as f64, self.refunds as f64]
    }
}

/// Columns the returns add to the daily series.
pub const RETURNS_DAILY_COLUMNS: &[&str] = &["returns_received", "refunds_paid"];

/// The returns side of one replication.
#[derive(Debug)]
pub(super) struct ReturnsState {
    config: Returns,
    items: Vec<ReturnItem>,
    free: Vec<ReturnId>,
    pub(super) station: Station,
    stats: ReturnStats,
    pub(super) days: Vec<ReturnsDay>,
}

impl ReturnsState {
    pub(super) fn new(config: &Returns, days: u32) -> Self {
        Self {
            config: config.clone(),
            items: Vec::new(),
            free: Vec::new(),
            station: Station::default(),
            stats: ReturnStats::default(),
            days: vec![ReturnsDay::default(); days as usize],
        }
    }

    fn insert(&mut self, item: ReturnItem) -> ReturnId {
        match self.free.pop() {
            Some(id) => {
                self.items[id as usize] = item;
                id
            }
            None => {
                self.items.push(item);
                (self.items.len() - 1) as ReturnId
            }
        }
    }

    /// KPI values in `RETURNS_KPIS` order.
    pub(super) fn kpis(&self) -> Vec<f64> {
        let s = &self.stats;
        let rate = if s.delivered == 0 { f64::NAN } else { s.returns as f64 / s.delivered as f64 };
        let v = vec![rate, s.cycle.mean_s(), s.refund.mean_s(), s.cost];
        debug_assert_eq!(v.len(), RETURNS_KPIS.len());
        v
    }

    /// Handling costs so far (for cost per order).
    pub(super) fn cost(&self) -> f64 {
        self.stats.cost
    }
}

impl Operation<'_> {
    /// A delivered order: the customer may return it, for the first reason that applies.
    pub(super) fn consider_return(&mut self, order: &Order, sku: Option<Sku>, ctx: &mut Context<Event>) {
        let Some(ret) = &mut self.returns else { return };
        let measured = order.has(flag::MEASURED);
        if measured {
            ret.stats.delivered += 1;
        }
        let r = &mut keyed(order.seed, purpose::RETURN);
        let rates = ret.config.rates;
        let reason = if order.has(flag::WRONG_ITEM) && r.random::<f64>() < rates[Reason::WrongItem as usize] {
            Reason::WrongItem
        } else if order.has(flag::DAMAGED) && r.random::<f64>() < rates[Reason::Damaged as usize] {
            Reason::Damaged
        } else if r.random::<f64>() < rates[Reason::IncorrectInfo as usize] {
            Reason::IncorrectInfo
        } else if r.random::<f64>() < rates[Reason::DidntLike as usize] {
            Reason::DidntLike
        } else {
            return;
        };
        let delay = seconds_to_ms(ret.config.decision_delay.sample(r));
        if delay > ret.config.window_ms {
            return; // Too late: the customer keeps it.
        }
        // Counted at the decision, so returns sent after the horizon still count in the rate.
        if measured {
            ret.stats.returns += 1;
        }
        let id = ret.insert(ReturnItem {
            seed: r.random::<u64>(),
            sku: sku.unwrap_or(NO_SKU),
            reason: reason as u8,
            measured,
            started_at: 0,
        });
        ctx.schedule_in(delay, Event::ReturnStarts(id));
    }

    /// The customer sends the unit back (a wrong item also gets a replacement parcel).
    pub(super) fn return_starts(&mut self, id: ReturnId, ctx: &mut Context<Event>) {
        let Some(ret) = &mut self.returns else { return };
        let now = ctx.now();
        let item = &mut ret.items[id as usize];
        item.started_at = now;
        let (sku, reason, measured, seed) = (item.sku, item.reason, item.measured, item.seed);
        if measured {
            ret.stats.cost += ret.config.cost_per_return;
        }
        let back = seconds_to_ms(ret.config.ship_back.sample(&mut keyed(seed, SHIP_BACK)));
        ctx.schedule_in(back, Event::ReturnArrives(id));
        self.support_return_started(seed, ctx);
        if let Some(inv) = &mut self.inv
            && sku != NO_SKU
        {
            inv.units.returning(1);
        }
        if reason == Reason::WrongItem as u8 {
            self.send_replacement(sku, keyed(seed, purpose::REPLACEMENT).random::<u64>(), ctx);
        }
    }

    /// A return parcel reaches the warehouse and queues for inspection.
    pub(super) fn return_arrives(&mut self, id: ReturnId, ctx: &mut Context<Event>) {
        let Some(ret) = &mut self.returns else { return };
        ret.station.enqueue(id, false);
        if let Some(d) = ret.days.get_mut(Self::day_of(ctx.now())) {
            d.received += 1;
        }
        self.dispatch_inspection(ctx);
    }

    /// Inspectors take waiting returns while any is free.
    pub(super) fn dispatch_inspection(&mut self, ctx: &mut Context<Event>) {
        let Some(ret) = &mut self.returns else { return };
        while let Some(id) = ret.station.start_next() {
            let seed = ret.items[id as usize].seed;
            let t = seconds_to_ms(ret.config.inspection_time.sample(&mut keyed(seed, INSPECTION)));
            ctx.schedule_in(t, Event::Inspected(id));
        }
    }

    /// Inspection done: restock, refurbish or scrap; the refund is on its way.
    pub(super) fn inspected(&mut self, id: ReturnId, ctx: &mut Context<Event>) {
        let Some(ret) = &mut self.returns else { return };
        ret.station.finish();
        let now = ctx.now();
        let item = ret.items[id as usize];
        if item.measured {
            ret.stats.cycle.record_ms(now.saturating_sub(item.started_at));
        }
        let shares = ret.config.outcomes[item.reason as usize];
        let r = &mut keyed(item.seed, OUTCOME);
        let u = r.random::<f64>();
        let refund = seconds_to_ms(ret.config.refund_time.sample(r));
        ctx.schedule_in(refund, Event::RefundPaid(id));
        if u < shares[0] {
            self.restock(item.sku, ctx);
        } else if u < shares[0] + shares[1] {
            if item.measured {
                ret.stats.cost += ret.config.cost_per_refurbish;
            }
            let t = seconds_to_ms(ret.config.refurbish_time.sample(r));
            ctx.schedule_in(t, Event::Refurbished(item.sku));
        } else if let Some(inv) = &mut self.inv
            && item.sku != NO_SKU
        {
            inv.units.scrapped(1);
        }
        self.dispatch_inspection(ctx);
    }

    /// A refurbished unit goes back on the shelf.
    pub(super) fn refurbished(&mut self, sku: Sku, ctx: &mut Context<Event>) {
        self.restock(sku, ctx);
    }

    /// A returned unit goes back on the shelf, serving waiting orders first.
    fn restock(&mut self, sku: Sku, ctx: &mut Context<Event>) {
        if sku == NO_SKU {
            return;
        }
        if let Some(inv) = &mut self.inv {
            inv.units.restocked(1);
        }
        self.put_back(sku, ctx);
    }

    /// The refund reaches the customer: the return is over.
    pub(super) fn refund_paid(&mut self, id: ReturnId, ctx: &mut Context<Event>) {
        let Some(ret) = &mut self.returns else { return };
        let item = ret.items[id as usize];
        if item.measured {
            ret.stats.refund.record_ms(ctx.now().saturating_sub(item.started_at));
        }
        if let Some(d) = ret.days.get_mut(Self::day_of(ctx.now())) {
            d.refunds += 1;
        }
        ret.free.push(id);
    }

    /// Ships a replacement for a wrong item: one unit of the ordered SKU, express, through the
    /// warehouse and a carrier like any parcel, but not counted as an order.
    fn send_replacement(&mut self, sku: Sku, seed: u64, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let sc = self.sc;
        let carrier = sc
            .demand
            .shipping_options
            .iter()
            .position(|o| o.express)
            .map_or(0, |i| sc.demand.shipping_options[i].carriers[0]);
        let parcel = Order {
            placed_at: now,
            promised_by: now,
            dispatch_by: now,
            lines: 1,
            parcels_pending: 1,
            carrier: CarrierId::new(carrier),
            parent: OrderId::MAX,
            flags: flag::REPLACEMENT | flag::EXPRESS,
            seed,
            ..Order::default()
        };
        let id = self.orders.insert(parcel);
        self.parcels_only_open += 1;
        self.in_warehouse += 1;
        if self.allocate_replacement(id, sku, ctx) {
            self.release_to_pick(id, ctx);
        }
    }
}
