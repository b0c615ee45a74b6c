//! The order flow of one replication: orders arrive, wait for stock, are picked and packed by the
//! warehouse's shifts, picked up by carriers and delivered. Components hear what happens to orders.

use rand::RngExt;

use crate::kernel::rng::{keyed, stream};
use crate::kernel::{Context, Time};
use crate::scenario::Scenario;
use crate::units::{MS_PER_DAY, MS_PER_HOUR, seconds_to_ms};

use super::carriers::{CarrierId, CarrierState, next_pickup, on_delivery_day};
use super::component::{News, Parts};
use super::customers::{Experience, NO_CUSTOMER};
use super::demand::{Arrivals, pick_by_share, promise, sample_lines};
use super::inventory_flow::{Allocation, InventoryState};
use super::orders::{Order, OrderId, Orders, flag};
use super::spans::{PerSpan, Spans};
use super::stats::{Day, FulfilmentStats};
use super::warehouse::{DayPlan, StaffChange, Station, StationId, plan_day};
use super::{Conservation, Event, MAX_OPEN_ORDERS, Streams, exp1, purpose, stats, trace};

/// How many places behind the next job a station starts loading the order record of.
const QUEUE_PREFETCH: usize = 16;

/// The order flow's state in one replication.
pub(crate) struct Flow<'s> {
    pub(super) sc: &'s Scenario,
    pub(super) rng: Streams,
    pub(super) arrivals: Arrivals,
    pub(super) orders: Orders,
    pub(super) pick: Station,
    pub(super) auto: Station,
    pub(super) pack: Station,
    pub(super) carriers: Vec<CarrierState>,
    pub(super) plan: DayPlan,
    /// Staff changes due at the next midnight (shifts ending at 24:00), made at the handover.
    pub(super) handover: Vec<StaffChange>,
    /// The horizon after the warm-up and each window: the spans statistics are kept for.
    pub(super) spans: Spans,
    pub(super) stats: PerSpan<FulfilmentStats>,
    pub(super) days: Vec<Day>,
    pub(super) totals: Conservation,
    pub(super) in_warehouse: u64,
    pub(super) in_transit: u64,
    /// Remainder parcels open (slots in `orders` that are not orders).
    pub(super) parcels_only_open: u64,
    /// Stock, when `[inventory]` is present.
    pub(super) inv: Option<InventoryState>,
    /// Mean seconds per manually picked line, and per automated line.
    pub(super) pick_s_per_line: f64,
    pub(super) auto_s_per_line: f64,
    pub(super) pack_s_per_order: f64,
    /// Set when a limit stops the run (or a replayed history no longer reads as checked).
    pub(super) limit_hit: Option<String>,
    /// The order history replayed instead of `arrivals`, when the scenario names one.
    pub(super) replay: Option<super::history::Replay<'s>>,
    /// Observer of the customers' requests (`o2d trace`); `None` costs nothing.
    pub(super) trace: Option<trace::Tracer<'s>>,
    /// Open orders at which the run stops: `MAX_OPEN_ORDERS` (lowered only by tests).
    pub(super) open_orders_cap: usize,
    /// With `[customers]`: the customer of each open order, by slot (empty without).
    customer_of: Vec<u32>,
    /// Whether the customer base is modelled (`customer_of` is kept).
    tracking_customers: bool,
    /// What support reported about customers since the customer model last read it.
    pub(super) experiences: Vec<super::customers::Mail>,
}

impl<'s> Flow<'s> {
    /// A fresh order flow for replication `replication` of `scenario`.
    pub(super) fn new(sc: &'s Scenario, replication: u64) -> Self {
        let seed = sc.seed;
        let f = &sc.fulfilment;
        let spans = Spans::new(sc);
        Self {
            sc,
            rng: Streams {
                arrivals: stream(seed, replication, "arrivals"),
                orders: stream(seed, replication, "orders"),
                supply: stream(seed, replication, "supply"),
            },
            arrivals: Arrivals::new(sc),
            orders: Orders::default(),
            pick: Station::default(),
            auto: Station::default(),
            pack: Station::default(),
            carriers: sc.carriers.iter().map(|_| CarrierState::default()).collect(),
            plan: DayPlan::default(),
            handover: Vec::new(),
            stats: PerSpan::new(&spans),
            days: vec![Day::default(); sc.days as usize],
            totals: Conservation::default(),
            in_warehouse: 0,
            in_transit: 0,
            parcels_only_open: 0,
            inv: sc.inventory.as_ref().map(|i| InventoryState::new(sc, i, &spans)),
            spans,
            pick_s_per_line: 3_600.0 / f.pick_rate_per_hour,
            auto_s_per_line: if f.automation.lines_per_hour > 0.0 {
                3_600.0 / f.automation.lines_per_hour
            } else {
                0.0
            },
            pack_s_per_order: 3_600.0 / f.pack_rate_per_hour,
            limit_hit: None,
            replay: None,
            trace: None,
            open_orders_cap: MAX_OPEN_ORDERS,
            customer_of: Vec::new(),
            tracking_customers: false,
            experiences: Vec::new(),
        }
    }

    /// Schedules the first reviews, the first order and the first pickups.
    pub(super) fn start(&mut self, ctx: &mut Context<Event>) {
        self.start_inventory(ctx);
        self.schedule_next_order(ctx);
        for (i, c) in self.sc.carriers.iter().enumerate() {
            if let Some(t) = next_pickup(self.sc, c, 0, ctx.horizon()) {
                ctx.schedule_at(t, Event::Pickup(CarrierId::new(i)));
            }
        }
    }

    /// Keeps the customer of each open order (`[customers]` is modelled).
    pub(super) fn track_customers(&mut self) {
        self.tracking_customers = true;
    }

    /// Order `id` is placed by customer `who`.
    pub(super) fn set_customer(&mut self, id: OrderId, who: u32) {
        let i = id as usize;
        if self.customer_of.len() <= i {
            crate::kernel::huge::resize_with(&mut self.customer_of, i + 1, || NO_CUSTOMER);
        }
        self.customer_of[i] = who;
    }

    /// Starts loading what an event about open order `id` reads: its record, its customer and
    /// its lines' SKUs (see `kernel::prefetch`).
    #[inline]
    pub(super) fn prefetch_order(&self, id: OrderId) {
        self.orders.prefetch(id);
        if let Some(c) = self.customer_of.get(id as usize) {
            crate::kernel::prefetch(c);
        }
        if let Some(skus) = self.inv.as_ref().and_then(|inv| inv.skus_of.get(id as usize)) {
            crate::kernel::prefetch(skus);
        }
    }

    /// The customer of open order `id` (`NO_CUSTOMER` without a customer model).
    #[inline]
    pub(super) fn customer_of(&self, id: OrderId) -> u32 {
        self.customer_of.get(id as usize).copied().unwrap_or(NO_CUSTOMER)
    }

    /// Reports an experience of customer `customer` to the customer model (none without one).
    #[inline]
    pub(super) fn report_experience(&mut self, customer: u32, experience: Experience, seed: u64) {
        if self.tracking_customers && customer != NO_CUSTOMER {
            self.experiences.push(super::customers::Mail { customer, experience, seed });
        }
    }

    pub(super) fn day_of(now: Time) -> usize {
        (now / MS_PER_DAY) as usize
    }

    /// The hour of the day (0..24) of `now`.
    pub(super) fn hour_of(now: Time) -> usize {
        (now % MS_PER_DAY / MS_PER_HOUR) as usize
    }

    pub(super) fn station(&mut self, id: StationId) -> &mut Station {
        match id {
            StationId::Pick => &mut self.pick,
            StationId::Auto => &mut self.auto,
            StationId::Pack => &mut self.pack,
        }
    }

    /// Starts as many jobs as free servers allow at station `id`; a cancelled order reached in
    /// a queue leaves it at once without work.
    pub(super) fn dispatch(&mut self, id: StationId, ctx: &mut Context<Event>) {
        while let Some(order) = self.station(id).start_next() {
            // Servers free up for the next job and, before long, for the one 16 places back:
            // their records load meanwhile.
            for k in [0, QUEUE_PREFETCH] {
                if let Some(next) = self.station(id).in_line(k) {
                    self.orders.prefetch(next);
                }
            }
            let o = *self.orders.get(order);
            if o.has(flag::CANCELLED) {
                self.station(id).finish();
                self.part_done(id, order, ctx);
                continue;
            }
            let seconds = match id {
                StationId::Pick => {
                    let manual = o.lines - o.auto_lines;
                    let r = &mut keyed(o.seed, purpose::PICK_TIME);
                    (0..manual).map(|_| exp1(r)).sum::<f64>() * self.pick_s_per_line
                }
                StationId::Auto => f64::from(o.auto_lines) * self.auto_s_per_line,
                StationId::Pack => exp1(&mut keyed(o.seed, purpose::PACK_TIME)) * self.pack_s_per_order,
            };
            let done = match id {
                StationId::Pack => Event::Packed(order),
                _ => Event::Picked(id, order),
            };
            ctx.schedule_in(seconds_to_ms(seconds), done);
        }
    }

    /// The demand model's (or the history's) next order: placed unless a component says it does
    /// not happen (the customer it falls to has left, or is put off by what they went through).
    pub(super) fn order_arrives(&mut self, parts: &mut Parts<'s>, ctx: &mut Context<Event>) {
        // Every order of a replayed history happened.
        if self.replay.is_some() || parts.order_happens() {
            self.place_order(parts, ctx);
        }
        self.schedule_next_order(ctx);
    }

    /// Places an order now: what it asks for, its promise, its stock, and the news of it.
    fn place_order(&mut self, parts: &mut Parts<'s>, ctx: &mut Context<Event>) {
        let now = ctx.now();
        if self.orders.open() >= self.open_orders_cap {
            self.limit_hit = Some(format!(
                "more than {} orders open at once on day {}: demand far exceeds what the \
                 operation ships; lower the demand or add capacity",
                self.open_orders_cap,
                Self::day_of(now) + 1
            ));
            ctx.halt();
            return;
        }
        let sc = self.sc;
        let d = &sc.demand;
        let r = &mut self.rng.orders;
        // A replayed order draws what a modelled one does, so that everything after checkout
        // draws the same numbers; the history's own values then replace the draws.
        let mut lines = sample_lines(d, r);
        let mut option_i = pick_by_share(r, d.shipping_options.iter().map(|o| o.share));
        if let Some(p) = self.replay.as_ref().map(|r| &r.pending) {
            lines = p.lines;
            option_i = p.option.map_or(option_i, usize::from);
        }
        let option = &d.shipping_options[option_i];
        let carrier_i =
            option.carriers[pick_by_share(r, option.carriers.iter().map(|&c| sc.carriers[c].share))];
        let flags = if option.express { flag::EXPRESS } else { 0 };
        let spans = self.spans.at(now);
        let p = promise(sc, option, now);
        let order_seed = r.random::<u64>();
        let order = Order {
            serial: 0, // assigned by `Orders::insert`
            seed: order_seed,
            placed_at: now,
            promised_by: p.deliver_by,
            dispatch_by: p.dispatch_by,
            shipped_at: 0,
            lines,
            auto_lines: 0,
            parts_pending: 0,
            // Lossless: validation allows at most MAX_SHIPPING_OPTIONS (u8::MAX) options.
            option: option_i as u8,
            carrier: CarrierId::new(carrier_i),
            attempts: 0,
            parcels_pending: 1,
            missing: 0,
            parent: OrderId::MAX,
            flags,
            spans,
        };
        let id = self.orders.insert(order);
        self.totals.placed += 1;
        self.trace_stored(id, self.totals.placed);
        let day = &mut self.days[Self::day_of(now)];
        day.orders += 1;
        day.lines += u64::from(lines);
        day.hourly_orders[Self::hour_of(now)] += 1;
        self.stats.each(spans, |s| s.orders += 1);
        parts.hear(&News::Placed(id), self, ctx);
        self.trace_begin();
        let customer = self.customer_of(id);
        let allocation = self.allocate(id, ctx);
        self.trace_arrival(id, &order, customer);
        match allocation {
            Allocation::Ready => {
                self.in_warehouse += 1;
                self.release_to_pick(id, ctx);
            }
            Allocation::Waiting => self.in_warehouse += 1,
            Allocation::Cancelled => {}
        }
    }

    /// Schedules the next order: the demand model's next arrival, or the history's next order
    /// (a history that no longer reads as checked stops the run).
    fn schedule_next_order(&mut self, ctx: &mut Context<Event>) {
        let next = match &mut self.replay {
            None => self.arrivals.next(&mut self.rng.arrivals),
            Some(replay) => match replay.advance() {
                Ok(t) => t,
                Err(why) => {
                    self.limit_hit = Some(why);
                    ctx.halt();
                    return;
                }
            },
        };
        if let Some(t) = next {
            ctx.schedule_at(t, Event::OrderArrives);
        }
    }

    /// Sends an order (or remainder parcel) whose units are all allocated to picking: splits its
    /// lines between automation and pickers and draws its picking errors.
    pub(super) fn release_to_pick(&mut self, id: OrderId, ctx: &mut Context<Event>) {
        let f = &self.sc.fulfilment;
        let o = self.orders.get_mut(id);
        let r = &mut keyed(o.seed, purpose::PICK_PLAN);
        let lines = o.lines;
        let auto_lines = if f.automation.share > 0.0 {
            (0..lines).filter(|_| r.random::<f64>() < f.automation.share).count() as u16
        } else {
            0
        };
        let manual_lines = lines - auto_lines;
        let wrong = (0..manual_lines).any(|_| r.random::<f64>() < f.wrong_item_rate)
            || (0..auto_lines).any(|_| r.random::<f64>() < f.automation.wrong_item_rate);
        if wrong {
            o.flags |= flag::WRONG_ITEM;
        }
        o.auto_lines = auto_lines;
        o.parts_pending = u8::from(manual_lines > 0) + u8::from(auto_lines > 0);
        let express = o.has(flag::EXPRESS);
        if manual_lines > 0 {
            self.pick.enqueue(id, express);
            self.dispatch(StationId::Pick, ctx);
        }
        if auto_lines > 0 {
            self.auto.enqueue(id, express);
            self.dispatch(StationId::Auto, ctx);
        }
    }

    /// The midnight that starts `day` (the kernel runs it before any event due then): the
    /// previous day's end-of-day snapshot, then the shift handover (joiners before leavers, so a
    /// station staffed on both sides of midnight is never empty), then the day's events.
    pub(super) fn day_starts(&mut self, day: u32, ctx: &mut Context<Event>) {
        let sc = self.sc;
        let mut plan = std::mem::take(&mut self.plan);
        plan_day(sc, day, &mut plan);
        let day_start = u64::from(day) * MS_PER_DAY;
        let mut handover = std::mem::take(&mut self.handover);
        handover.extend(plan.changes.iter().filter(|c| c.at == day_start));
        handover.sort_by_key(|c| c.delta < 0);
        for c in &handover {
            self.station(c.station).change_staff(c.delta);
        }
        for c in &handover {
            self.dispatch(c.station, ctx);
        }
        handover.clear();
        for c in plan.changes.iter().filter(|c| c.at > day_start) {
            if c.at >= day_start + MS_PER_DAY {
                handover.push(*c);
            } else {
                ctx.schedule_at(c.at, Event::Staff(c.station, c.delta as i32));
            }
        }
        self.handover = handover;
        let d = &mut self.days[day as usize];
        d.picker_hours = plan.picker_hours;
        d.worker_hours = plan.worker_hours;
        d.pick_capacity_lines = plan.picker_hours * sc.fulfilment.pick_rate_per_hour
            + plan.automation_hours * sc.fulfilment.automation.lines_per_hour;
        let wages = plan.worker_hours * sc.fulfilment.wage_per_hour;
        self.stats.each(self.spans.of_day(day as usize), |s| s.cost_fulfilment += wages);
        self.plan = plan;
    }

    pub(super) fn close_day(&mut self, day: usize) {
        if let Some(d) = self.days.get_mut(day) {
            d.backlog = self.in_warehouse;
            d.in_transit = self.in_transit;
        }
        if let Some(inv) = &mut self.inv {
            inv.close_day(day, self.spans.of_day(day));
        }
    }

    pub(super) fn picked(&mut self, station: StationId, id: OrderId, ctx: &mut Context<Event>) {
        self.station(station).finish();
        if station == StationId::Auto {
            let cost =
                f64::from(self.orders.get(id).auto_lines) * self.sc.fulfilment.automation.cost_per_line;
            self.stats.each(self.spans.at(ctx.now()), |s| s.cost_fulfilment += cost);
        }
        self.part_done(station, id, ctx);
        self.dispatch(station, ctx);
    }

    /// A station is done with its part of order `id` (worked, or skipped because cancelled):
    /// once every pick part is done the order goes to packing, or out if cancelled.
    fn part_done(&mut self, station: StationId, id: OrderId, ctx: &mut Context<Event>) {
        let o = self.orders.get_mut(id);
        let cancelled = o.has(flag::CANCELLED);
        if station == StationId::Pack {
            if cancelled {
                self.end_cancelled(id, ctx);
            }
            return;
        }
        o.parts_pending -= 1;
        if o.parts_pending > 0 {
            return;
        }
        if cancelled {
            self.end_cancelled(id, ctx);
        } else {
            let express = o.has(flag::EXPRESS);
            self.pack.enqueue(id, express);
            self.dispatch(StationId::Pack, ctx);
        }
    }

    /// Cancels open order `id` if it has not left the warehouse; returns whether it did.
    /// An order waiting for a pickup leaves the staging lane now; one in a warehouse queue or in
    /// a worker's hands is marked and leaves when the warehouse next reaches it.
    /// An order waiting for stock, or for a pickup, ends at once. A split order (one parcel
    /// may already be on its way) cannot be cancelled.
    pub fn cancel(&mut self, id: OrderId, ctx: &mut Context<Event>) -> bool {
        let o = self.orders.get_mut(id);
        if o.shipped_at != 0 || o.has(flag::CANCELLED | flag::SPLIT | flag::REMAINDER) {
            return false;
        }
        o.flags |= flag::CANCELLED;
        if o.missing > 0 {
            // Waiting for stock, in no warehouse queue: its queue entries go stale (`OrderRef`).
            self.end_cancelled(id, ctx);
            return true;
        }
        if o.has(flag::STAGED) {
            o.flags &= !flag::STAGED;
            self.carriers[o.carrier.index()].unstage();
            self.end_cancelled(id, ctx);
        }
        true
    }

    /// Counts a cancelled order out, returns its allocated units to stock and frees its slot.
    fn end_cancelled(&mut self, id: OrderId, ctx: &mut Context<Event>) {
        self.in_warehouse -= 1;
        self.count_cancelled(id);
        self.release_stock(id, ctx);
        self.end_order(id);
    }

    pub(super) fn count_cancelled(&mut self, id: OrderId) {
        self.totals.cancelled += 1;
        let spans = self.orders.get(id).spans;
        self.stats.each(spans, |s| s.cancelled += 1);
    }

    pub(super) fn packed(&mut self, id: OrderId, ctx: &mut Context<Event>) {
        self.pack.finish();
        if self.orders.get(id).has(flag::CANCELLED) {
            self.end_cancelled(id, ctx);
            self.dispatch(StationId::Pack, ctx);
            return;
        }
        let f = &self.sc.fulfilment;
        let o = self.orders.get_mut(id);
        let r = &mut keyed(o.seed, purpose::PACK_ERRORS);
        if r.random::<f64>() < f.wrong_address_rate {
            o.flags |= flag::WRONG_ADDRESS;
        }
        if r.random::<f64>() < f.damaged_packing_rate {
            o.flags |= flag::DAMAGED;
        }
        o.flags |= flag::STAGED;
        let carrier = o.carrier.index();
        let parcel = self.orders.reference(id);
        self.carriers[carrier].stage(parcel);
        self.dispatch(StationId::Pack, ctx);
    }

    pub(super) fn pickup(&mut self, carrier_i: CarrierId, parts: &mut Parts<'s>, ctx: &mut Context<Event>) {
        let sc = self.sc;
        let now = ctx.now();
        let ci = carrier_i.index();
        let carrier = &sc.carriers[ci];
        let n = self.carriers[ci].pickup_allowance(carrier, now);
        for _ in 0..n {
            if let Some(coming) = self.carriers[ci].coming() {
                self.prefetch_order(coming);
            }
            // Invariant: the allowance never exceeds the parcels still waiting in the lane.
            let id = self.carriers[ci].take(&self.orders).expect("allowance within staging").id;
            let r = &mut keyed(self.orders.get(id).seed, purpose::TRANSIT);
            let lost = r.random::<f64>() < carrier.loss_rate;
            let damaged = r.random::<f64>() < carrier.damage_rate;
            let mut transit = seconds_to_ms(carrier.transit.sample(r));
            let o = self.orders.get_mut(id);
            if o.has(flag::FAR) {
                transit += sc.inventory.as_ref().map_or(0, |i| i.cross_region_delay_ms);
            }
            o.shipped_at = now;
            o.flags &= !flag::STAGED;
            if lost {
                o.flags |= flag::LOST;
            }
            if damaged {
                o.flags |= flag::DAMAGED;
            }
            let counted = if o.has(flag::REMAINDER) { 0 } else { o.spans };
            let on_time = now <= o.dispatch_by;
            let lines = o.lines;
            let shipped_in = self.spans.at(now);
            if let Some(inv) = &mut self.inv {
                inv.shipped(lines, shipped_in);
            }
            self.in_warehouse -= 1;
            self.in_transit += 1;
            self.days[Self::day_of(now)].shipped += 1;
            self.stats.each(counted, |s| {
                s.shipped += 1;
                s.shipped_on_time += u64::from(on_time);
            });
            self.stats.each(shipped_in, |s| s.cost_shipping += carrier.cost_per_parcel);
            let at = if lost { now + transit } else { on_delivery_day(sc, carrier, now + transit) };
            ctx.schedule_at(at, Event::Attempt(id));
            if !self.orders.get(id).has(flag::REMAINDER | flag::REPLACEMENT) {
                parts.hear(&News::Shipped(id), self, ctx);
            }
        }
        if let Some(t) = next_pickup(sc, carrier, now, ctx.horizon()) {
            ctx.schedule_at(t, Event::Pickup(carrier_i));
        }
    }

    pub(super) fn attempt(&mut self, id: OrderId, parts: &mut Parts<'s>, ctx: &mut Context<Event>) {
        let sc = self.sc;
        let now = ctx.now();
        let o = *self.orders.get(id);
        if o.has(flag::LOST) {
            self.parcel_ended(id, parts, ctx);
            return;
        }
        let carrier = &sc.carriers[o.carrier.index()];
        let attempts = o.attempts + 1;
        self.orders.get_mut(id).attempts = attempts;
        let fails = (o.has(flag::WRONG_ADDRESS) && attempts == 1)
            || keyed(o.seed, purpose::ATTEMPT + u64::from(attempts)).random::<f64>()
                < carrier.failed_attempt_rate;
        if fails && u32::from(attempts) < carrier.max_attempts {
            let at = on_delivery_day(sc, carrier, now + carrier.reattempt_delay_ms);
            ctx.schedule_at(at, Event::Attempt(id));
            return;
        }
        // Delivered (the last attempt leaves the parcel at a pickup point).
        self.parcel_ended(id, parts, ctx);
    }

    /// A parcel is delivered or known lost. A remainder parcel passes its outcome to its order;
    /// an order ends when its last parcel does: lost if any parcel was lost, else delivered.
    fn parcel_ended(&mut self, id: OrderId, parts: &mut Parts<'s>, ctx: &mut Context<Event>) {
        let now = ctx.now();
        self.in_transit -= 1;
        let parcel = *self.orders.get(id);
        let lost = parcel.has(flag::LOST);
        if let Some(inv) = &mut self.inv {
            inv.units.arrived(parcel.lines, lost);
        }
        if parcel.has(flag::REPLACEMENT) {
            self.orders.remove(id);
            self.parcels_only_open -= 1;
            return;
        }
        let root = if parcel.has(flag::REMAINDER) {
            self.orders.remove(id);
            self.parcels_only_open -= 1;
            parcel.parent
        } else {
            id
        };
        let o = self.orders.get_mut(root);
        o.flags |= parcel.flags & (flag::LOST | flag::DAMAGED | flag::WRONG_ITEM | flag::WRONG_ADDRESS);
        o.parcels_pending -= 1;
        if o.parcels_pending > 0 {
            return;
        }
        let o = *o;
        let day = Self::day_of(now);
        if o.has(flag::LOST) {
            self.totals.lost += 1;
            self.days[day].lost += 1;
            self.stats.each(o.spans, |s| s.lost += 1);
            let customer = self.customer_of(root);
            parts.hear(&News::Lost { seed: o.seed, promised_by: o.promised_by, customer }, self, ctx);
            self.end_order(root);
            return;
        }
        self.totals.delivered += 1;
        let on_time = now <= o.promised_by;
        let d = &mut self.days[day];
        d.delivered += 1;
        d.delivered_on_time += u64::from(on_time);
        let damaged = o.has(flag::DAMAGED);
        let right = !o.has(flag::WRONG_ITEM);
        let clean = !damaged && right && !o.has(flag::WRONG_ADDRESS);
        let in_full = !o.has(flag::SPLIT);
        let cycle = stats::cycle_ms(o.placed_at, now);
        self.stats.each(o.spans, |s| {
            s.delivered += 1;
            s.on_time += u64::from(on_time);
            s.cycle.record_ms(cycle);
            s.damaged += u64::from(damaged);
            s.perfect += u64::from(on_time && clean && in_full);
            s.otif += u64::from(on_time && in_full && right);
        });
        let sku = self.first_sku(root);
        let customer = self.customer_of(root);
        parts.hear(&News::Delivered { id: root, order: o, sku, customer }, self, ctx);
        self.end_order(root);
    }

    /// Frees an ended order's slot (and its inventory bookkeeping).
    pub(super) fn end_order(&mut self, id: OrderId) {
        if let Some(inv) = &mut self.inv {
            inv.forget(id);
        }
        self.orders.remove(id);
    }
}
