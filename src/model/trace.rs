//! What the model hands an observer when an order is placed (for `o2d trace`): plain records and
//! the observer slot. No I/O here: the output layer turns records into CSV or JSON lines.

use crate::kernel::Time;

use super::flow::Flow;
use super::inventory::Sku;
use super::orders::Order;

/// One order as it was placed.
#[derive(Debug, Clone, Copy)]
pub struct Arrival<'a> {
    /// Order number in the replication: 1 for the first order placed, warm-up included.
    pub order: u64,
    /// Customer id: with `[customers]`, the customer's number in the base plus 1 (the base at the
    /// start first, then new customers as they join); else the `customer_id` a replayed history
    /// gives, or the order number (every order its own customer).
    pub customer: u64,
    /// When it was placed, engine time.
    pub placed_at: Time,
    /// Order lines (one unit each).
    pub lines: u16,
    /// The SKU of each line, in line order; empty when `[inventory]` is not modelled (SKUs are
    /// drawn only with inventory).
    pub skus: &'a [Sku],
    /// Index of the shipping option chosen.
    pub option: u8,
    /// The carrier chosen.
    pub carrier: super::carriers::CarrierId,
    /// End of the promised delivery date, engine time.
    pub promised_by: Time,
    /// Whether it counts in the KPIs (placed after the warm-up).
    pub measured: bool,
}

/// A function called with every order placed.
pub type ArrivalObserver<'s> = Box<dyn FnMut(&Arrival<'_>) + 's>;

/// The observer and its scratch space (the SKUs of the order being placed).
pub(crate) struct Tracer<'s> {
    pub(crate) observer: ArrivalObserver<'s>,
    pub(crate) skus: Vec<Sku>,
}

impl Flow<'_> {
    /// Before an order's SKUs are drawn: empties the scratch list (tracing only).
    #[inline]
    pub(super) fn trace_begin(&mut self) {
        if let Some(t) = &mut self.trace {
            t.skus.clear();
        }
    }

    /// Hands the order just placed (as it was before allocation) to the observer, if any.
    #[inline]
    /// `customer` is the base's number of its customer (`NO_CUSTOMER` without a customer model).
    pub(super) fn trace_arrival(&mut self, order: &Order, customer: u32) {
        if let Some(t) = &mut self.trace {
            let n = self.totals.placed;
            let customer = if customer == super::customers::NO_CUSTOMER {
                self.replay.as_ref().and_then(|r| r.pending.customer).unwrap_or(n)
            } else {
                u64::from(customer) + 1
            };
            (t.observer)(&Arrival {
                order: n,
                customer,
                placed_at: order.placed_at,
                lines: order.lines,
                skus: &t.skus,
                option: order.option,
                carrier: order.carrier,
                promised_by: order.promised_by,
                measured: order.measured(),
            });
        }
    }
}
