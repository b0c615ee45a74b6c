//! What the model hands an observer for `o2d trace`: every request a shop's order API would get
//! from the customers of one replication (orders placed, status polls, tracking look-ups,
//! changes, cancellations and returns), in time order. Plain records and the observer slot; no
//! I/O here: the output layer turns records into CSV or JSON lines.
//!
//! A request is often known before it happens (a customer decides to ask where their order is,
//! and asks hours later): the tracer keeps such requests until the clock passes them, so the
//! observer sees every request once, in order of time. What it keeps grows with the requests
//! decided and not yet due, never with the horizon.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::kernel::Time;
use crate::scenario::returns::Reason;

use super::carriers::CarrierId;
use super::customers::NO_CUSTOMER;
use super::flow::Flow;
use super::inventory::Sku;
use super::orders::{Order, OrderId};

/// The kinds of request, in the order they are listed everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum RequestKind {
    /// An order is placed (checkout).
    #[default]
    Order,
    /// The customer looks up the order's status ("where is my order?").
    Status,
    /// The customer looks up the parcel's tracking.
    Tracking,
    /// The customer asks to change the order.
    Change,
    /// The customer asks to cancel the order.
    Cancel,
    /// The customer starts a return.
    Return,
}

impl RequestKind {
    /// Every kind, in order.
    pub const ALL: [RequestKind; 6] = [
        RequestKind::Order,
        RequestKind::Status,
        RequestKind::Tracking,
        RequestKind::Change,
        RequestKind::Cancel,
        RequestKind::Return,
    ];

    /// Its name in traces, `--kinds` and replay settings.
    pub fn name(self) -> &'static str {
        match self {
            RequestKind::Order => "order",
            RequestKind::Status => "status",
            RequestKind::Tracking => "tracking",
            RequestKind::Change => "change",
            RequestKind::Cancel => "cancel",
            RequestKind::Return => "return",
        }
    }

    /// The kind named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind named `name`, or why it is none (with the names there are).
    pub fn parse(name: &str) -> Result<Self, String> {
        Self::from_name(name).ok_or_else(|| {
            let names = Self::ALL.map(Self::name).join(", ");
            format!("`{name}` is not a request kind: expected one of {names}")
        })
    }

    /// Its bit in a set of kinds.
    pub fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// What a request says beyond the order and the customer.
#[derive(Debug, Clone, Copy)]
pub enum Detail<'a> {
    /// An order placed.
    Order {
        /// Order lines (one unit each).
        lines: u16,
        /// The SKU of each line (in the catalogue, 0 = the most popular without one), in line
        /// order; empty when `[inventory]` is not modelled (SKUs are drawn only with inventory).
        skus: &'a [Sku],
        /// Index of the shipping option chosen.
        option: u8,
        /// The carrier chosen.
        carrier: CarrierId,
        /// End of the promised delivery date, engine time.
        promised_by: Time,
        /// The customer's own warehouse (their region), with `[inventory]`.
        warehouse: Option<u8>,
    },
    /// A status look-up.
    Status,
    /// A tracking look-up of the parcel with `carrier`.
    Tracking {
        /// The order's carrier.
        carrier: CarrierId,
    },
    /// A change request.
    Change,
    /// A cancellation request.
    Cancel,
    /// A return of one unit.
    Return {
        /// The SKU sent back (catalogue index), with `[inventory]`.
        sku: Option<Sku>,
        /// Why.
        reason: Reason,
    },
}

/// One request to the shop's API.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// When it is sent, engine time.
    pub at: Time,
    /// Order number in the replication: 1 for the first order placed, warm-up included.
    pub order: u64,
    /// Customer id: with `[customers]`, the customer's number in the base plus 1 (the base at
    /// the start first, then new customers as they join); else the `customer_id` a replayed
    /// history gives, or the order number (every order its own customer).
    pub customer: u64,
    /// Its kind and what it says.
    pub detail: Detail<'a>,
}

impl Request<'_> {
    /// Its kind.
    pub fn kind(&self) -> RequestKind {
        match self.detail {
            Detail::Order { .. } => RequestKind::Order,
            Detail::Status => RequestKind::Status,
            Detail::Tracking { .. } => RequestKind::Tracking,
            Detail::Change => RequestKind::Change,
            Detail::Cancel => RequestKind::Cancel,
            Detail::Return { .. } => RequestKind::Return,
        }
    }
}

/// A function called with every request, in order of time.
pub type RequestObserver<'s> = Box<dyn FnMut(&Request<'_>) + 's>;

/// A request decided and not yet due; ordered by time, then by when it was decided.
struct Coming {
    at: Time,
    seq: u64,
    request: Request<'static>,
}

impl PartialEq for Coming {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Coming {}
impl PartialOrd for Coming {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Coming {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

/// The observer, the requests decided and not yet due, and what it needs to know of open orders.
pub(crate) struct Tracer<'s> {
    observer: RequestObserver<'s>,
    /// The SKUs of the order being placed (scratch).
    pub(crate) skus: Vec<Sku>,
    /// The customer's own warehouse of the order being placed (scratch).
    pub(crate) warehouse: Option<u8>,
    /// For each order slot: the number and the customer id of the order in it.
    open: Vec<(u64, u64)>,
    coming: BinaryHeap<Reverse<Coming>>,
    decided: u64,
}

impl<'s> Tracer<'s> {
    pub(crate) fn new(observer: RequestObserver<'s>) -> Self {
        Self {
            observer,
            skus: Vec::new(),
            warehouse: None,
            open: Vec::new(),
            coming: BinaryHeap::new(),
            decided: 0,
        }
    }

    /// Hands the observer every request due before `time`, in order.
    pub(crate) fn release_before(&mut self, time: Time) {
        while let Some(Reverse(c)) = self.coming.peek()
            && c.at < time
        {
            let Some(Reverse(c)) = self.coming.pop() else { break };
            (self.observer)(&c.request);
        }
    }
}

impl Flow<'_> {
    /// Order `id` was just stored as the replication's order number `number` (tracing only).
    #[inline]
    pub(super) fn trace_stored(&mut self, id: OrderId, number: u64) {
        if let Some(t) = &mut self.trace {
            let customer = self.replay.as_ref().and_then(|r| r.pending.customer).unwrap_or(number);
            let slot = id as usize;
            if t.open.len() <= slot {
                t.open.resize(slot + 1, (0, 0));
            }
            t.open[slot] = (number, customer);
        }
    }

    /// Before an order's SKUs are drawn: empties the scratch (tracing only).
    #[inline]
    pub(super) fn trace_begin(&mut self) {
        if let Some(t) = &mut self.trace {
            t.skus.clear();
            t.warehouse = None;
        }
    }

    /// The order just placed in slot `id` (as it was before allocation), now: first every
    /// request due before now, then the order (tracing only). `customer` is the base's number of
    /// its customer (`NO_CUSTOMER` without a customer model).
    #[inline]
    pub(super) fn trace_arrival(&mut self, id: OrderId, order: &Order, customer: u32) {
        if let Some(t) = &mut self.trace {
            t.release_before(order.placed_at);
            let (number, fallback) = t.open[id as usize];
            (t.observer)(&Request {
                at: order.placed_at,
                order: number,
                customer: customer_id(customer, fallback),
                detail: Detail::Order {
                    lines: order.lines,
                    skus: &t.skus,
                    option: order.option,
                    carrier: order.carrier,
                    promised_by: order.promised_by,
                    warehouse: t.warehouse,
                },
            });
        }
    }

    /// A request about open order `id` of `customer` that will be sent at `at` (tracing only).
    #[inline]
    pub(super) fn trace_request(&mut self, at: Time, id: OrderId, customer: u32, detail: Detail<'static>) {
        if let Some(t) = &mut self.trace {
            let (order, fallback) = t.open[id as usize];
            let request = Request { at, order, customer: customer_id(customer, fallback), detail };
            t.decided += 1;
            t.coming.push(Reverse(Coming { at, seq: t.decided, request }));
        }
    }

    /// Whether requests are traced (to skip working out a request's details otherwise).
    #[inline]
    pub(super) fn tracing(&self) -> bool {
        self.trace.is_some()
    }

    /// The end of the run at `end`: every request due before it (tracing only).
    pub(super) fn trace_end(&mut self, end: Time) {
        if let Some(t) = &mut self.trace {
            t.release_before(end);
        }
    }
}

/// A request's customer id: the base's number plus 1, else `fallback`.
fn customer_id(customer: u32, fallback: u64) -> u64 {
    if customer == NO_CUSTOMER { fallback } else { u64::from(customer) + 1 }
}
