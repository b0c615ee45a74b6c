//! Components: the optional sections of a scenario (returns, customer support, ...) as parts of
//! the operation that own their settings and state, hear what happens to orders and report KPIs.

use crate::kernel::{Context, Time};
use crate::kpi::KpiDef;

use super::flow::Flow;
use super::inventory::Sku;
use super::orders::{Order, OrderId};
use super::support::TicketLedger;
use super::{Event, PartEvent};

/// What happened to an order, as the order flow (or another component) tells every component.
#[derive(Debug, Clone, Copy)]
pub(crate) enum News {
    /// An order was placed (before stock is allocated to it).
    Placed(OrderId),
    /// An order's first parcel left with a carrier.
    Shipped(OrderId),
    /// An order's parcel was lost in transit: the order ends lost.
    Lost {
        /// The order's seed.
        seed: u64,
        /// The end of its promised delivery date.
        promised_by: Time,
        /// Its customer (`NO_CUSTOMER` without a customer model).
        customer: u32,
    },
    /// A customer sent a delivered order back.
    ReturnStarted {
        /// The return's seed.
        seed: u64,
        /// The customer sending it back.
        customer: u32,
    },
    /// An order was delivered (its last parcel); `sku` is its first line's SKU when stock is
    /// modelled.
    Delivered {
        /// Its slot (still open while the news is told).
        id: OrderId,
        /// The order as it ended.
        order: Order,
        /// Its first line's SKU, when stock is modelled.
        sku: Option<Sku>,
        /// Its customer (`NO_CUSTOMER` without a customer model).
        customer: u32,
    },
}

/// Where a component's numbers go at the end of a run.
pub(crate) struct Report<'a> {
    /// KPI definitions and values in output order, for each span (the horizon after the
    /// warm-up, then each window): each component appends its own to every span's list.
    pub kpis: &'a mut [Vec<(KpiDef, f64)>],
    /// Every cost of each span (warehouse, shipping and every component's), for margins.
    pub costs: &'a [f64],
    /// The names of the daily columns; each component appends its own.
    pub daily_columns: &'a mut Vec<String>,
    /// One row per day; each component appends its own columns.
    pub daily: &'a mut [Vec<f64>],
    /// The names of the hourly columns; each component appends its own (most add none).
    pub hourly_columns: &'a mut Vec<&'static str>,
    /// One vector per hourly column (its value for each day and hour, at `24 * day + hour`);
    /// each component appends its own columns.
    pub hourly: &'a mut Vec<Vec<f64>>,
    /// The ticket ledger, from customer support.
    pub tickets: &'a mut Option<TicketLedger>,
    /// The customer base at the end, from the customer model.
    pub customers: &'a mut Option<super::customers::CustomerBase>,
}

/// An optional section of the operation. A section the scenario does not model is not in the
/// operation's list at all, so a component never checks whether it is present.
pub(crate) trait Component<'s> {
    /// Schedules its first events (before the first order arrives).
    fn start(&mut self, _flow: &mut Flow<'s>, _ctx: &mut Context<Event>) {}

    /// The end of day `day` (at the next midnight, or the end of the run): the day's snapshot.
    fn close_day(&mut self, _day: usize) {}

    /// The midnight that starts `day`, after the warehouse's shift handover.
    fn day_starts(&mut self, _day: u32, _flow: &mut Flow<'s>, _ctx: &mut Context<Event>) {}

    /// One of its own events (scheduled as `Event::Part(its index, ...)`); `others` are the
    /// other components, to tell them news.
    fn handle(
        &mut self,
        event: PartEvent,
        flow: &mut Flow<'s>,
        others: &mut Others<'_, 's>,
        ctx: &mut Context<Event>,
    );

    /// Something happened to an order.
    fn hear(&mut self, _news: &News, _flow: &mut Flow<'s>, _ctx: &mut Context<Event>) {}

    /// Whether the next arrival the demand model offers is placed (a customer model may say the
    /// customer has left).
    fn order_happens(&mut self) -> bool {
        true
    }

    /// Its costs so far in span `span` (`model::spans`), counted in the cost per order delivered.
    fn cost(&self, _span: usize) -> f64 {
        0.0
    }

    /// Appends its KPIs and its daily and hourly columns at the end of the run.
    fn report(&mut self, flow: &Flow<'s>, out: &mut Report<'_>);
}

/// The components a scenario models, in the order they hear news and report.
pub(crate) struct Parts<'s>(pub(super) Vec<Box<dyn Component<'s> + 's>>);

impl<'s> Parts<'s> {
    /// Tells every component `news`.
    #[inline]
    pub(crate) fn hear(&mut self, news: &News, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        for part in &mut self.0 {
            part.hear(news, flow, ctx);
        }
    }

    /// Whether every component lets the next arrival be placed (each is asked, in order).
    #[inline]
    pub(crate) fn order_happens(&mut self) -> bool {
        let mut happens = true;
        for part in &mut self.0 {
            happens &= part.order_happens();
        }
        happens
    }

    /// Hands component `index` its own event, with the others to tell news to.
    #[inline]
    pub(crate) fn handle(
        &mut self,
        index: u8,
        event: PartEvent,
        flow: &mut Flow<'s>,
        ctx: &mut Context<Event>,
    ) {
        let (before, rest) = self.0.split_at_mut(usize::from(index));
        let (part, after) = rest.split_first_mut().expect("an event names a component of the list");
        part.handle(event, flow, &mut Others { before, after }, ctx);
    }
}

/// The components other than the one handling an event.
pub(crate) struct Others<'a, 's> {
    before: &'a mut [Box<dyn Component<'s> + 's>],
    after: &'a mut [Box<dyn Component<'s> + 's>],
}

impl<'s> Others<'_, 's> {
    /// Tells every other component `news`, in list order.
    pub(crate) fn hear(&mut self, news: &News, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        for part in self.before.iter_mut().chain(self.after.iter_mut()) {
            part.hear(news, flow, ctx);
        }
    }
}
