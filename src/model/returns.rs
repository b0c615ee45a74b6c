//! Reverse logistics: a delivered order may come back (by reason, within the window), travels
//! back, waits for an inspector, is restocked, refurbished or scrapped, and is refunded.
//! Wrong-item returns trigger a replacement parcel.

use rand::RngExt;
use slab::Slab;

use crate::kernel::rng::keyed;
use crate::kernel::{Context, Time};
use crate::kpi::{RETURNS_DAILY_COLUMNS, RETURNS_KPIS};
use crate::scenario::returns::{Reason, Returns};
use crate::stats::DurationHistogram;
use crate::units::{MS_PER_DAY, MS_PER_MIN, seconds_to_ms, weekday_index};

use super::carriers::CarrierId;
use super::component::{Component, News, Others, Report};
use super::flow::Flow;
use super::inventory::Sku;
use super::orders::{Order, OrderId, flag};
use super::spans::{PerSpan, SpanMask, Spans};
use super::trace::Detail;
use super::warehouse::Station;
use super::{Event, PartEvent, purpose};

/// What happens to a return, and to the inspection team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnsEvent {
    /// A customer sends a delivered order back.
    Starts(ReturnId),
    /// A return parcel reaches the warehouse.
    Arrives(ReturnId),
    /// A return is inspected.
    Inspected(ReturnId),
    /// A refurbished unit is ready for the shelf.
    Refurbished(Sku),
    /// A refund reaches the customer.
    RefundPaid(ReturnId),
    /// Inspectors join (+) or leave (-).
    Inspectors(i32),
}

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
    /// The spans of the returned order.
    spans: SpanMask,
    /// Its customer.
    customer: u32,
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
struct ReturnsDay {
    received: u64,
    refunds: u64,
}

impl ReturnsDay {
    fn values(&self) -> [f64; 2] {
        [self.received as f64, self.refunds as f64]
    }
}

/// Reverse logistics in one replication: the returns in progress and the inspection station.
#[derive(Debug)]
pub(crate) struct ReturnsPart<'s> {
    config: &'s Returns,
    /// Its index in the operation's components, for its own events.
    me: u8,
    items: Slab<ReturnItem>,
    station: Station,
    /// Inspectors leaving at the next midnight (a shift ending at 24:00), at the handover.
    leaving_at_midnight: i64,
    stats: PerSpan<ReturnStats>,
    days: Vec<ReturnsDay>,
}

impl<'s> ReturnsPart<'s> {
    pub(super) fn new(config: &'s Returns, days: u32, spans: &Spans, me: u8) -> Self {
        Self {
            config,
            me,
            items: Slab::new(),
            station: Station::default(),
            leaving_at_midnight: 0,
            stats: PerSpan::new(spans),
            days: vec![ReturnsDay::default(); days as usize],
        }
    }

    fn event(&self, e: ReturnsEvent) -> Event {
        Event::Part(self.me, PartEvent::Returns(e))
    }

    /// The inspection shift of `day`: inspectors who start at midnight join at once (after
    /// those leaving at that midnight), the others join and leave at their times.
    fn plan_inspection(&mut self, day: u32, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let r = self.config;
        let day_start = u64::from(day) * MS_PER_DAY;
        let weekday = weekday_index(flow.sc.date_of_day(day));
        let mut at_midnight = std::mem::take(&mut self.leaving_at_midnight);
        if r.inspection_days[weekday] && r.inspectors > 0 {
            let n = i64::from(r.inspectors);
            for (at, delta) in [(r.inspection_start_min, n), (r.inspection_end_min, -n)] {
                let at = day_start + u64::from(at) * MS_PER_MIN;
                if at == day_start {
                    at_midnight += delta;
                } else if at >= day_start + MS_PER_DAY {
                    self.leaving_at_midnight += delta;
                } else {
                    ctx.schedule_at(at, self.event(ReturnsEvent::Inspectors(delta as i32)));
                }
            }
        }
        if at_midnight != 0 {
            self.station.change_staff(at_midnight);
            self.dispatch_inspection(ctx);
        }
    }
    /// A delivered order: the customer may return it, for the first reason that applies. Returns
    /// when the customer starts the return and why, if they do.
    fn consider_return(
        &mut self,
        order: &Order,
        sku: Option<Sku>,
        customer: u32,
        ctx: &mut Context<Event>,
    ) -> Option<(Time, Reason)> {
        let spans = order.spans;
        self.stats.each(spans, |s| s.delivered += 1);
        let r = &mut keyed(order.seed, purpose::RETURN);
        let rates = self.config.rates;
        let reason = if order.has(flag::WRONG_ITEM) && r.random::<f64>() < rates[Reason::WrongItem as usize] {
            Reason::WrongItem
        } else if order.has(flag::DAMAGED) && r.random::<f64>() < rates[Reason::Damaged as usize] {
            Reason::Damaged
        } else if r.random::<f64>() < rates[Reason::IncorrectInfo as usize] {
            Reason::IncorrectInfo
        } else if r.random::<f64>() < rates[Reason::DidntLike as usize] {
            Reason::DidntLike
        } else {
            return None;
        };
        let delay = seconds_to_ms(self.config.decision_delay.sample(r));
        if delay > self.config.window_ms {
            return None; // Too late: the customer keeps it.
        }
        // Counted at the decision, so returns sent after the horizon still count in the rate.
        self.stats.each(spans, |s| s.returns += 1);
        let id = self.items.insert(ReturnItem {
            seed: r.random::<u64>(),
            sku: sku.unwrap_or(NO_SKU),
            reason: reason as u8,
            spans,
            customer,
            started_at: 0,
        }) as ReturnId;
        ctx.schedule_in(delay, self.event(ReturnsEvent::Starts(id)));
        Some((ctx.now() + delay, reason))
    }

    /// The customer sends the unit back (a wrong item also gets a replacement parcel).
    fn return_starts(
        &mut self,
        id: ReturnId,
        flow: &mut Flow<'s>,
        others: &mut Others<'_, 's>,
        ctx: &mut Context<Event>,
    ) {
        let now = ctx.now();
        let item = &mut self.items[id as usize];
        item.started_at = now;
        let (sku, reason, spans, seed, customer) =
            (item.sku, item.reason, item.spans, item.seed, item.customer);
        let cost = self.config.cost_per_return;
        self.stats.each(spans, |s| s.cost += cost);
        let back = seconds_to_ms(self.config.ship_back.sample(&mut keyed(seed, SHIP_BACK)));
        ctx.schedule_in(back, self.event(ReturnsEvent::Arrives(id)));
        others.hear(&News::ReturnStarted { seed, customer }, flow, ctx);
        if let Some(inv) = &mut flow.inv
            && sku != NO_SKU
        {
            inv.units.returning(1);
        }
        if reason == Reason::WrongItem as u8 {
            send_replacement(flow, sku, keyed(seed, purpose::REPLACEMENT).random::<u64>(), ctx);
        }
    }

    /// A return parcel reaches the warehouse and queues for inspection.
    fn return_arrives(&mut self, id: ReturnId, ctx: &mut Context<Event>) {
        self.station.enqueue(id, false);
        if let Some(d) = self.days.get_mut(Flow::day_of(ctx.now())) {
            d.received += 1;
        }
        self.dispatch_inspection(ctx);
    }

    /// Inspectors take waiting returns while any is free.
    fn dispatch_inspection(&mut self, ctx: &mut Context<Event>) {
        while let Some(id) = self.station.start_next() {
            let seed = self.items[id as usize].seed;
            let t = seconds_to_ms(self.config.inspection_time.sample(&mut keyed(seed, INSPECTION)));
            ctx.schedule_in(t, self.event(ReturnsEvent::Inspected(id)));
        }
    }

    /// Inspection done: restock, refurbish or scrap; the refund is on its way.
    fn inspected(&mut self, id: ReturnId, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        self.station.finish();
        let now = ctx.now();
        let item = self.items[id as usize];
        self.stats.each(item.spans, |s| s.cycle.record_ms(now.saturating_sub(item.started_at)));
        let shares = self.config.outcomes[item.reason as usize];
        let r = &mut keyed(item.seed, OUTCOME);
        let u = r.random::<f64>();
        let refund = seconds_to_ms(self.config.refund_time.sample(r));
        ctx.schedule_in(refund, self.event(ReturnsEvent::RefundPaid(id)));
        if u < shares[0] {
            restock(flow, item.sku, ctx);
        } else if u < shares[0] + shares[1] {
            let cost = self.config.cost_per_refurbish;
            self.stats.each(item.spans, |s| s.cost += cost);
            let t = seconds_to_ms(self.config.refurbish_time.sample(r));
            ctx.schedule_in(t, self.event(ReturnsEvent::Refurbished(item.sku)));
        } else if let Some(inv) = &mut flow.inv
            && item.sku != NO_SKU
        {
            inv.units.scrapped(1);
        }
        self.dispatch_inspection(ctx);
    }

    /// The refund reaches the customer: the return is over.
    fn refund_paid(&mut self, id: ReturnId, ctx: &mut Context<Event>) {
        let item = self.items[id as usize];
        let took = ctx.now().saturating_sub(item.started_at);
        self.stats.each(item.spans, |s| s.refund.record_ms(took));
        if let Some(d) = self.days.get_mut(Flow::day_of(ctx.now())) {
            d.refunds += 1;
        }
        self.items.remove(id as usize);
    }
}

impl<'s> Component<'s> for ReturnsPart<'s> {
    fn day_starts(&mut self, day: u32, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        self.plan_inspection(day, flow, ctx);
    }

    fn handle(
        &mut self,
        event: PartEvent,
        flow: &mut Flow<'s>,
        others: &mut Others<'_, 's>,
        ctx: &mut Context<Event>,
    ) {
        let PartEvent::Returns(event) = event else { unreachable!("returns handles only its own events") };
        match event {
            ReturnsEvent::Starts(id) => self.return_starts(id, flow, others, ctx),
            ReturnsEvent::Arrives(id) => self.return_arrives(id, ctx),
            ReturnsEvent::Inspected(id) => self.inspected(id, flow, ctx),
            ReturnsEvent::Refurbished(sku) => restock(flow, sku, ctx),
            ReturnsEvent::RefundPaid(id) => self.refund_paid(id, ctx),
            ReturnsEvent::Inspectors(delta) => {
                self.station.change_staff(i64::from(delta));
                self.dispatch_inspection(ctx);
            }
        }
    }

    fn hear(&mut self, news: &News, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        if let News::Delivered { id, order, sku, customer } = news
            && let Some((at, reason)) = self.consider_return(order, *sku, *customer, ctx)
            && flow.tracing()
        {
            let sku = sku.zip(flow.sc.inventory.as_ref()).map(|(sku, inv)| sku % inv.skus);
            flow.trace_request(at, *id, *customer, Detail::Return { sku, reason });
        }
    }

    fn cost(&self, span: usize) -> f64 {
        self.stats.get(span).cost
    }

    fn report(&mut self, _flow: &Flow<'s>, out: &mut Report<'_>) {
        for (kpis, s) in out.kpis.iter_mut().zip(self.stats.iter()) {
            let rate = if s.delivered == 0 { f64::NAN } else { s.returns as f64 / s.delivered as f64 };
            let values = [rate, s.cycle.mean_s(), s.refund.mean_s(), s.cost];
            kpis.extend(RETURNS_KPIS.iter().copied().zip(values));
        }
        out.daily_columns.extend(crate::kpi::owned(RETURNS_DAILY_COLUMNS));
        for (row, day) in out.daily.iter_mut().zip(&self.days) {
            row.extend(day.values());
        }
    }
}

/// A returned unit goes back on the shelf, serving waiting orders first.
fn restock(flow: &mut Flow<'_>, sku: Sku, ctx: &mut Context<Event>) {
    if sku == NO_SKU {
        return;
    }
    if let Some(inv) = &mut flow.inv {
        inv.units.restocked(1);
    }
    flow.put_back(sku, ctx);
}

/// Ships a replacement for a wrong item: one unit of the ordered SKU, express, through the
/// warehouse and a carrier like any parcel, but not counted as an order.
fn send_replacement(flow: &mut Flow<'_>, sku: Sku, seed: u64, ctx: &mut Context<Event>) {
    let now = ctx.now();
    let sc = flow.sc;
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
    let id = flow.orders.insert(parcel);
    flow.parcels_only_open += 1;
    flow.in_warehouse += 1;
    if flow.allocate_replacement(id, sku, ctx) {
        flow.release_to_pick(id, ctx);
    }
}
