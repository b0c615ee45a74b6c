//! The e-commerce operation as one kernel model: orders arrive, are picked and packed by the
//! warehouse's shifts, picked up by carriers and delivered. Free of I/O: it only returns numbers.

pub mod carriers;
mod component;
pub mod customers;
pub mod demand;
mod flow;
pub mod history;
pub mod inventory;
pub mod inventory_flow;
pub mod orders;
pub mod returns;
pub mod spans;
pub mod stats;
pub mod support;
pub mod trace;
pub mod warehouse;

use rand_distr::{Distribution, Exp1};

use crate::kernel::rng::StreamRng;
use crate::kernel::{Context, Model, Time};
use crate::kpi::{
    FULFILMENT_DAILY_COLUMNS, FULFILMENT_HOURLY_COLUMNS, FULFILMENT_KPIS, INVENTORY_DAILY_COLUMNS,
    INVENTORY_KPIS, KpiDef,
};
use crate::scenario::Scenario;
use crate::units::{MS_PER_DAY, MS_PER_HOUR};

use carriers::CarrierId;
use component::{Component, Parts, Report};
use flow::Flow;
use orders::OrderId;
use warehouse::StationId;

/// Orders open at once beyond which a run stops with an error instead of exhausting memory
/// (a demand far beyond what the operation can serve). 40 bytes an order: about 400 MB.
pub const MAX_OPEN_ORDERS: usize = 10_000_000;

/// Everything that can happen, as small `Copy` values holding ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The next order arrives.
    OrderArrives,
    /// Workers join or leave a station.
    Staff(StationId, i32),
    /// A pick part of an order is done at a station (manual or automated).
    Picked(StationId, OrderId),
    /// An order is packed.
    Packed(OrderId),
    /// A carrier's pickup at the warehouse.
    Pickup(CarrierId),
    /// A delivery attempt (or the moment a lost parcel is known lost).
    Attempt(OrderId),
    /// Units of a purchase order arrive from the supplier.
    Receive(inventory::Sku, u32),
    /// Periodic review of the SKUs of a class (0 = A, 1 = B, 2 = C) under base-stock policies.
    Review(u8),
    /// An event of the component at this index of the operation's list.
    Part(u8, PartEvent),
}

/// The events components schedule for themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartEvent {
    /// Reverse logistics.
    Returns(returns::ReturnsEvent),
    /// Customer support.
    Support(support::SupportEvent),
}

/// A standard exponential draw (mean 1).
#[inline]
fn exp1(rng: &mut StreamRng) -> f64 {
    Distribution::<f64>::sample(&Exp1, rng)
}

/// Random streams, one per concern, so a change in one model leaves the others' numbers alone.
/// What happens to an order after checkout draws from streams keyed by the order's own seed
/// (see `purpose`), so a staffing change that reorders the work leaves each order's numbers alone.
struct Streams {
    arrivals: StreamRng,
    orders: StreamRng,
    supply: StreamRng,
}

/// Purposes of an order's keyed streams.
pub(crate) mod purpose {
    /// Automation split and picking errors.
    pub const PICK_PLAN: u64 = 1;
    /// Manual picking time.
    pub const PICK_TIME: u64 = 2;
    /// Packing time.
    pub const PACK_TIME: u64 = 3;
    /// Packing errors.
    pub const PACK_ERRORS: u64 = 4;
    /// Loss, damage and transit time.
    pub const TRANSIT: u64 = 5;
    /// Delivery attempt n uses ATTEMPT + n.
    pub const ATTEMPT: u64 = 16;
    /// A split order's remainder parcel gets the order's seed mixed with this.
    pub const REMAINDER: u64 = 64;
    /// A replacement parcel's seed is the return's seed mixed with this.
    pub const REPLACEMENT: u64 = 65;
    /// Return decisions and the return's own numbers.
    pub const RETURN: u64 = 66;
    /// Whether a trigger of support contact type k creates a contact uses SUPPORT + k.
    pub const SUPPORT: u64 = 80;
    /// The WISMO check n days after the promised date uses WISMO_CHECK + n.
    pub const WISMO_CHECK: u64 = 100;
    /// The customer's own warehouse.
    pub const WAREHOUSE: u64 = 140;
    /// The customer's decisions after an experience use CUSTOMER and up.
    pub const CUSTOMER: u64 = 150;
}

/// What a finished replication reports.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Each KPI with its value over the horizon after the warm-up, in output order (the order of
    /// `Scenario::kpi_defs`).
    pub kpis: Vec<(KpiDef, f64)>,
    /// For each window of the scenario, in order, the value of each KPI of `kpis` over it.
    pub windows: Vec<Vec<f64>>,
    /// The names of the daily columns, in order (those of `Scenario::daily_columns`).
    pub daily_columns: Vec<String>,
    /// One row per day, a value per column.
    pub daily: Vec<Vec<f64>>,
    /// The names of the hourly columns, in order (those of `Scenario::hourly_columns`).
    pub hourly_columns: Vec<&'static str>,
    /// One vector per hourly column, holding its value for each day and hour (at `24 * day +
    /// hour`): by column, so the series costs a few allocations a run, not one per hour.
    pub hourly: Vec<Vec<f64>>,
    /// Conservation of orders at the end of the run.
    pub conservation: Conservation,
    /// Conservation of units, when inventory is modelled.
    pub units: Option<inventory_flow::UnitLedger>,
    /// Conservation of tickets and Little's law, when support is modelled.
    pub tickets: Option<support::TicketLedger>,
    /// The customer base at the end, when customers are modelled.
    pub customers: Option<customers::CustomerBase>,
}

/// The order count identity: placed = delivered + lost + cancelled + still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Conservation {
    /// Orders placed (warm-up included).
    pub placed: u64,
    /// Orders delivered.
    pub delivered: u64,
    /// Orders lost in transit.
    pub lost: u64,
    /// Orders cancelled before they left the warehouse.
    pub cancelled: u64,
    /// Orders still in the warehouse or with a carrier.
    pub open: u64,
}

impl Conservation {
    /// Whether every order is accounted for exactly once.
    pub fn holds(&self) -> bool {
        self.placed == self.delivered + self.lost + self.cancelled + self.open
    }
}

/// The operation in one replication: the order flow and the components the scenario models.
pub struct Operation<'s> {
    flow: Flow<'s>,
    parts: Parts<'s>,
}

impl<'s> Operation<'s> {
    /// A fresh operation for replication `replication` of `scenario`.
    pub fn new(sc: &'s Scenario, replication: u64) -> Self {
        let mut flow = Flow::new(sc, replication);
        let mut parts: Vec<Box<dyn Component<'s> + 's>> = Vec::new();
        // The customers come first: they say who places an order before anyone else hears of it.
        if let Some(c) = &sc.customers {
            flow.track_customers();
            parts.push(Box::new(customers::CustomersPart::new(sc, c, replication, &flow.spans)));
        }
        if let Some(r) = &sc.returns {
            let me = parts.len() as u8;
            parts.push(Box::new(returns::ReturnsPart::new(r, sc.days, &flow.spans, me)));
        }
        if let Some(s) = &sc.support {
            let me = parts.len() as u8;
            parts.push(Box::new(support::SupportPart::new(sc, s, replication, &flow.spans, me)));
        }
        Self { flow, parts: Parts(parts) }
    }

    /// Replays the orders of `feed` instead of the demand model's arrivals.
    pub fn replay(mut self, feed: Box<dyn history::OrderFeed + 's>) -> Self {
        self.flow.replay = Some(history::Replay { feed, pending: history::Pending::default() });
        self
    }

    /// Calls `observer` with every request the customers send the shop's API, in order of
    /// time (same run, same numbers: observing changes nothing).
    pub fn observe_requests(mut self, observer: trace::RequestObserver<'s>) -> Self {
        self.flow.trace = Some(trace::Tracer::new(observer));
        self
    }

    /// Why the run stopped early, if a limit was hit.
    pub fn limit_hit(&self) -> Option<&str> {
        self.flow.limit_hit.as_deref()
    }

    /// Orders open right now.
    pub fn open_orders(&self) -> usize {
        self.flow.orders.open()
    }

    /// Closes the run: the last day's counters, KPIs, daily and hourly rows and the conservation
    /// checks.
    pub fn finish(self) -> Outcome {
        let Self { mut flow, mut parts } = self;
        let last = flow.days.len().saturating_sub(1);
        flow.close_day(last);
        for part in &mut parts.0 {
            part.close_day(last);
        }
        flow.totals.open = flow.orders.open() as u64 - flow.parcels_only_open;
        let horizon = flow.sc.horizon();
        flow.trace_end(horizon);
        // Every cost of each span: the warehouse's, shipping, and each component's.
        let costs: Vec<f64> = flow
            .stats
            .iter()
            .enumerate()
            .map(|(span, s)| {
                s.cost_fulfilment + s.cost_shipping + parts.0.iter().map(|p| p.cost(span)).sum::<f64>()
            })
            .collect();
        // One list of KPIs per span: the horizon after the warm-up, then each window.
        let mut kpis: Vec<Vec<(KpiDef, f64)>> = flow
            .stats
            .iter()
            .zip(&costs)
            .map(|(stats, &all)| FULFILMENT_KPIS.iter().copied().zip(stats.kpis(all)).collect())
            .collect();
        let mut daily_columns = crate::kpi::owned(FULFILMENT_DAILY_COLUMNS);
        let mut daily: Vec<Vec<f64>> = flow.days.iter().map(|d| d.values().to_vec()).collect();
        let units = flow.inv.as_mut().map(|inv| {
            for (span, list) in kpis.iter_mut().enumerate() {
                let values = inv.kpis(flow.stats.get(span), &flow.spans, span, horizon);
                list.extend(INVENTORY_KPIS.iter().copied().zip(values));
            }
            daily_columns.extend(crate::kpi::owned(INVENTORY_DAILY_COLUMNS));
            for (row, extra) in daily.iter_mut().zip(&inv.days) {
                row.extend(extra.values());
            }
            inv.ledger()
        });
        let mut hourly_columns = FULFILMENT_HOURLY_COLUMNS.to_vec();
        let orders_by_hour = flow.days.iter().flat_map(|d| d.hourly_orders.map(|n| n as f64));
        let mut hourly: Vec<Vec<f64>> = vec![orders_by_hour.collect()];
        let mut tickets = None;
        let mut customers = None;
        let mut report = Report {
            kpis: &mut kpis,
            costs: &costs,
            daily_columns: &mut daily_columns,
            daily: &mut daily,
            hourly_columns: &mut hourly_columns,
            hourly: &mut hourly,
            tickets: &mut tickets,
            customers: &mut customers,
        };
        for part in &mut parts.0 {
            part.report(&flow, &mut report);
        }
        let mut spans = kpis.into_iter();
        let kpis = spans.next().expect("the horizon is always a span");
        let windows = spans.map(|list| list.into_iter().map(|(_, v)| v).collect()).collect();
        Outcome {
            kpis,
            windows,
            daily_columns,
            daily,
            hourly_columns,
            hourly,
            conservation: flow.totals,
            units,
            tickets,
            customers,
        }
    }
}

impl<'s> Model for Operation<'s> {
    type Event = Event;

    fn start(&mut self, ctx: &mut Context<Event>) {
        self.flow.start(ctx);
        for part in &mut self.parts.0 {
            part.start(&mut self.flow, ctx);
        }
    }

    #[inline]
    fn handle(&mut self, event: Event, ctx: &mut Context<Event>) {
        let (flow, parts) = (&mut self.flow, &mut self.parts);
        match event {
            Event::OrderArrives => flow.order_arrives(parts, ctx),
            Event::Staff(station, delta) => {
                flow.station(station).change_staff(i64::from(delta));
                flow.dispatch(station, ctx);
            }
            Event::Picked(station, id) => flow.picked(station, id, ctx),
            Event::Packed(id) => flow.packed(id, ctx),
            Event::Pickup(c) => flow.pickup(c, parts, ctx),
            Event::Attempt(id) => flow.attempt(id, parts, ctx),
            Event::Receive(sku, units) => flow.receive(sku, units, ctx),
            Event::Review(class) => flow.review(class, ctx),
            Event::Part(i, ev) => parts.handle(i, ev, flow, ctx),
        }
    }

    /// An order's next event reads its record and side tables.
    #[inline]
    fn prefetch(&self, event: &Event) {
        match *event {
            Event::Picked(_, id) | Event::Packed(id) | Event::Attempt(id) => self.flow.prefetch_order(id),
            _ => {}
        }
    }

    /// A day: the kernel starts each day before any event due at its midnight.
    fn period(&self) -> Option<Time> {
        Some(MS_PER_DAY)
    }

    fn period_starts(&mut self, day: u64, ctx: &mut Context<Event>) {
        // The kernel calls this only below the horizon, `days` days at most.
        let day = day as u32;
        if day > 0 {
            self.flow.close_day(day as usize - 1);
            for part in &mut self.parts.0 {
                part.close_day(day as usize - 1);
            }
        }
        self.flow.day_starts(day, ctx);
        for part in &mut self.parts.0 {
            part.day_starts(day, &mut self.flow, ctx);
        }
    }
}

/// Hours per millisecond, for rates.
pub const HOURS_PER_MS: f64 = 1.0 / MS_PER_HOUR as f64;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::Simulation;
    use crate::scenario::{Source, load};

    #[test]
    fn an_event_takes_16_bytes_so_its_calendar_entry_takes_24() {
        assert_eq!(std::mem::size_of::<Event>(), 16);
        assert!(std::mem::align_of::<Event>() <= 8);
    }

    #[test]
    fn the_open_orders_cap_stops_the_run_with_a_clear_message_instead_of_growing() {
        // 5,000 orders a day and nobody on shift: every order stays open.
        let text = "[run]\ndays = 5\n[demand]\norders_per_day = 5000\n\
                    [[fulfilment.shifts]]\nname = \"day\"\npickers = 0\npackers = 0\n";
        let sc = load(&Source::Text { name: "cap.toml".into(), text: text.into() }, &[]).unwrap();
        let mut op = Operation::new(&sc, 0);
        op.flow.open_orders_cap = 1_000;
        let mut sim = Simulation::new(op, sc.warmup_end(), sc.horizon());
        sim.run();
        assert_eq!(sim.model().open_orders(), 1_000, "no order is admitted beyond the cap");
        assert!(sim.now() < MS_PER_DAY, "the run halts on the day the cap is hit");
        assert_eq!(
            sim.model().limit_hit(),
            Some(
                "more than 1000 orders open at once on day 1: demand far exceeds what the operation \
                 ships; lower the demand or add capacity"
            )
        );
    }
}
