//! `o2d trace`: one replication run by the same code as `o2d run`, with an observer that keeps
//! every order as it is placed (warm-up included, in order of placement). Records only; the
//! output layer writes them.

use std::ops::Range;
use std::sync::atomic::AtomicBool;

use crate::error::Result;
use crate::kernel::Time;
use crate::model::carriers::CarrierId;
use crate::model::inventory::Sku;
use crate::model::trace::Arrival;
use crate::scenario::Scenario;

use super::{Replication, trace_replication};

/// One order as it was placed.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Order number in the replication (1 for the first, warm-up included).
    pub order: u64,
    /// Customer id.
    pub customer: u64,
    /// When it was placed, engine time.
    pub placed_at: Time,
    /// Order lines (one unit each).
    pub lines: u16,
    /// Its SKUs in [`Arrivals::skus`].
    skus: Range<usize>,
    /// Index of the shipping option chosen.
    pub option: u8,
    /// The carrier chosen.
    pub carrier: CarrierId,
    /// End of the promised delivery date, engine time.
    pub promised_by: Time,
    /// Whether it counts in the KPIs (placed after the warm-up).
    pub measured: bool,
}

/// The orders one replication placed, and the replication's own results from the same run.
#[derive(Debug)]
pub struct Arrivals {
    /// Orders in order of placement.
    pub placed: Vec<Placed>,
    /// The SKUs of every order, one after the other.
    skus: Vec<Sku>,
    /// The replication's own results (KPIs).
    pub replication: Replication,
}

impl Arrivals {
    /// The SKU of each line of `order`, in line order (empty without `[inventory]`).
    pub fn skus(&self, order: &Placed) -> &[Sku] {
        &self.skus[order.skus.clone()]
    }
}

/// Runs replication `index` of `scenario` exactly as `o2d run` does and keeps every order placed.
pub fn arrivals(scenario: &Scenario, index: u64, stop: &AtomicBool) -> Result<Arrivals> {
    let mut placed: Vec<Placed> = Vec::new();
    let mut skus: Vec<Sku> = Vec::new();
    let replication = {
        let (placed, skus) = (&mut placed, &mut skus);
        let observer = Box::new(move |a: &Arrival<'_>| {
            let from = skus.len();
            skus.extend_from_slice(a.skus);
            placed.push(Placed {
                order: a.order,
                customer: a.customer,
                placed_at: a.placed_at,
                lines: a.lines,
                skus: from..skus.len(),
                option: a.option,
                carrier: a.carrier,
                promised_by: a.promised_by,
                measured: a.measured,
            });
        });
        trace_replication(scenario, index, stop, observer)?
    };
    Ok(Arrivals { placed, skus, replication })
}
