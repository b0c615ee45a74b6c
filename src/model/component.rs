//! Components: the optional sections of a scenario (returns, customer support, ...) as parts of
//! the operation that own their settings and state, hear what happens to orders and report KPIs.

use crate::kernel::Context;
use crate::kpi::KpiDef;

use super::flow::Flow;
use super::inventory::Sku;
use super::orders::Order;
use super::{Event, PartEvent};

/// What happened to an order, as the order flow tells every component.
#[derive(Debug, Clone, Copy)]
pub(crate) enum News {
    /// An order was delivered (its last parcel); `sku` is its first line's SKU when stock is
    /// modelled.
    Delivered {
        /// The order as it ended.
        order: Order,
        /// Its first line's SKU, when stock is modelled.
        sku: Option<Sku>,
    },
}

/// Where a component's numbers go at the end of a run.
pub(crate) struct Report<'a> {
    /// KPI definitions and values, in output order.
    pub kpis: &'a mut Vec<(KpiDef, f64)>,
    /// The names of the daily columns; each component appends its own.
    pub daily_columns: &'a mut Vec<&'static str>,
    /// One row per day; each component appends its own columns.
    pub daily: &'a mut [Vec<f64>],
}

/// An optional section of the operation. A section the scenario does not model is not in the
/// operation's list at all, so a component never checks whether it is present.
pub(crate) trait Component<'s> {
    /// Schedules its first events (before the first order arrives).
    fn start(&mut self, _flow: &mut Flow<'s>, _ctx: &mut Context<Event>) {}

    /// The midnight that starts `day`, after the warehouse's shift handover.
    fn day_starts(&mut self, _day: u32, _flow: &mut Flow<'s>, _ctx: &mut Context<Event>) {}

    /// One of its own events (scheduled as `Event::Part(self's index, ...)`).
    fn handle(&mut self, event: PartEvent, flow: &mut Flow<'s>, ctx: &mut Context<Event>);

    /// Something happened to an order.
    fn hear(&mut self, _news: &News, _flow: &mut Flow<'s>, _ctx: &mut Context<Event>) {}

    /// Its costs so far, counted in the cost per order delivered.
    fn cost(&self) -> f64 {
        0.0
    }

    /// Appends its KPIs and its daily columns.
    fn report(&self, out: &mut Report<'_>);
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
}
