//! Stock of every SKU: on hand, on order and owed to backorders; replenishment by (s, S),
//! (r, Q) or periodic base-stock policies; first-come-first-served allocation of arriving stock.

use std::collections::VecDeque;

use rand_distr::Distribution;
use rand_distr::weighted::WeightedAliasIndex;

use crate::kernel::Time;
use crate::kernel::rng::StreamRng;
use crate::scenario::Scenario;
use crate::scenario::derived::{daily_demand_by_location, initial_stock, location_classes, popularity};
use crate::scenario::inventory::{Inventory, Policy};

use super::orders::OrderRef;

/// A stock location: SKU k (0 = most popular) at warehouse w is `w x skus + k`. With one
/// warehouse it is the SKU index.
pub type Sku = u32;

/// Resolved levels of one SKU's policy, in units.
#[derive(Debug, Clone, Copy)]
enum Rule {
    MinMax { s: i64, big_s: i64 },
    ReorderQuantity { r: i64, q: i64 },
    BaseStock { big_s: i64 },
}

/// A purchase order to place: `units` of `sku` now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purchase {
    /// SKU.
    pub sku: Sku,
    /// Units.
    pub units: u32,
}

/// The stock of the catalogue in one replication.
#[derive(Debug)]
pub struct Stock {
    picker: WeightedAliasIndex<f64>,
    rules: Vec<Rule>,
    on_hand: Vec<i64>,
    on_order: Vec<i64>,
    /// Units owed to orders waiting in `waiting` (counts in the inventory position).
    owed: Vec<i64>,
    /// Orders waiting for a unit of each SKU, first come first served (one entry per unit).
    waiting: Vec<VecDeque<OrderRef>>,
    /// ABC class of each SKU (0 = A).
    classes: Vec<u8>,
    capacity: Option<u64>,
    total_on_hand: i64,
    total_on_order: i64,
    skus_out: u64,
    /// Time-integral of units on hand (unit-milliseconds) since `since`.
    on_hand_area: f64,
    last_change: Time,
    since: Time,
}

impl Stock {
    /// The stock at the start of a run: initial levels, no purchase orders.
    pub fn new(scenario: &Scenario, inv: &Inventory) -> Self {
        let weights = popularity(inv);
        let per_day = daily_demand_by_location(scenario, inv);
        let classes = location_classes(inv);
        let rules = classes
            .iter()
            .zip(&per_day)
            .map(|(class, d)| match inv.policies[*class as usize] {
                Policy::MinMax { reorder_point, order_up_to } => {
                    Rule::MinMax { s: reorder_point.units(*d), big_s: order_up_to.units(*d) }
                }
                Policy::ReorderQuantity { reorder_point, order_quantity } => {
                    Rule::ReorderQuantity { r: reorder_point.units(*d), q: order_quantity.units(*d).max(1) }
                }
                Policy::BaseStock { order_up_to, .. } => Rule::BaseStock { big_s: order_up_to.units(*d) },
            })
            .collect();
        let on_hand = initial_stock(scenario, inv);
        let n = on_hand.len();
        let total_on_hand = on_hand.iter().sum();
        let skus_out = on_hand.iter().filter(|u| **u == 0).count() as u64;
        Self {
            // Invariant: validation guarantees at least one SKU and finite, positive weights.
            picker: WeightedAliasIndex::new(weights).expect("positive popularity weights"),
            rules,
            on_hand,
            on_order: vec![0; n],
            owed: vec![0; n],
            waiting: (0..n).map(|_| VecDeque::new()).collect(),
            classes,
            capacity: inv.capacity_units,
            total_on_hand,
            total_on_order: 0,
            skus_out,
            on_hand_area: 0.0,
            last_change: 0,
            since: 0,
        }
    }

    /// Whether warehouse `w` (of catalogue size `skus`) has a unit of every SKU in `lines`.
    pub fn has_all(&self, w: usize, skus: u32, lines: &[Sku]) -> bool {
        let base = w * skus as usize;
        let mut need_ok = true;
        // Lines may repeat a SKU: count what each needs.
        for (i, &k) in lines.iter().enumerate() {
            let need = lines[..=i].iter().filter(|&&x| x == k).count() as i64;
            need_ok &= self.on_hand[base + k as usize] >= need;
        }
        need_ok
    }

    /// Draws the SKU of one order line by popularity (a catalogue index).
    #[inline]
    pub fn pick_sku(&self, rng: &mut StreamRng) -> Sku {
        self.picker.sample(rng) as Sku
    }

    fn account(&mut self, now: Time) {
        if now > self.last_change {
            if now > self.since {
                let from = self.last_change.max(self.since);
                self.on_hand_area += self.total_on_hand as f64 * (now - from) as f64;
            }
            self.last_change = now;
        }
    }

    fn set_on_hand(&mut self, sku: Sku, units: i64, now: Time) {
        debug_assert!(units >= 0, "on hand never negative");
        self.account(now);
        let i = sku as usize;
        let before = self.on_hand[i];
        self.total_on_hand += units - before;
        match (before == 0, units == 0) {
            (false, true) => self.skus_out += 1,
            (true, false) => self.skus_out -= 1,
            _ => {}
        }
        self.on_hand[i] = units;
    }

    /// Takes one unit of `sku` from stock if there is one.
    #[inline]
    pub fn take(&mut self, sku: Sku, now: Time) -> bool {
        let have = self.on_hand[sku as usize];
        if have > 0 {
            self.set_on_hand(sku, have - 1, now);
            true
        } else {
            false
        }
    }

    /// Puts `units` of `sku` back on the shelf (restocked returns, released allocations) and
    /// returns the orders that now get a unit they were waiting for.
    pub fn put(&mut self, sku: Sku, units: u32, now: Time, served: &mut Vec<OrderRef>) {
        let i = sku as usize;
        let mut free = self.on_hand[i] + i64::from(units);
        while free > 0 {
            let Some(order) = self.waiting[i].pop_front() else { break };
            self.owed[i] -= 1;
            free -= 1;
            served.push(order);
        }
        self.set_on_hand(sku, free, now);
    }

    /// Records that `order` waits for one unit of `sku`.
    pub fn wait_for(&mut self, sku: Sku, order: OrderRef) {
        self.waiting[sku as usize].push_back(order);
        self.owed[sku as usize] += 1;
    }

    /// A purchase order's units arrive: they go to waiting orders first (FCFS), then the shelf.
    pub fn receive(&mut self, sku: Sku, units: u32, now: Time, served: &mut Vec<OrderRef>) {
        self.on_order[sku as usize] -= i64::from(units);
        self.total_on_order -= i64::from(units);
        self.put(sku, units, now, served);
    }

    /// Inventory position: on hand + on order - owed to backorders.
    pub fn position(&self, sku: Sku) -> i64 {
        let i = sku as usize;
        self.on_hand[i] + self.on_order[i] - self.owed[i]
    }

    /// The purchase a continuous-review policy asks for now, if any (periodic SKUs: none).
    #[inline]
    pub fn continuous_review(&mut self, sku: Sku) -> Option<Purchase> {
        let ip = self.position(sku);
        let want = match self.rules[sku as usize] {
            Rule::MinMax { s, big_s } if ip <= s => big_s - ip,
            Rule::ReorderQuantity { r, q } if ip <= r => q * ((r - ip) / q + 1),
            _ => 0,
        };
        self.order(sku, want)
    }

    /// The purchase a periodic review asks for (base-stock SKUs only).
    pub fn periodic_review(&mut self, sku: Sku) -> Option<Purchase> {
        let want = match self.rules[sku as usize] {
            Rule::BaseStock { big_s } => big_s - self.position(sku),
            _ => 0,
        };
        self.order(sku, want)
    }

    fn order(&mut self, sku: Sku, want: i64) -> Option<Purchase> {
        let room = self.capacity.map_or(i64::MAX, |c| c as i64 - self.total_on_hand - self.total_on_order);
        let units = want.min(room).min(i64::from(u32::MAX));
        if units <= 0 {
            return None;
        }
        self.on_order[sku as usize] += units;
        self.total_on_order += units;
        Some(Purchase { sku, units: units as u32 })
    }

    /// Starts averaging on-hand units from `t` (the warm-up end).
    pub fn measure_from(&mut self, t: Time) {
        self.since = t;
    }

    /// Units on hand integrated over the measured time up to `now` (unit-milliseconds), without
    /// changing the running sum, so the horizon's mean is the same whether or not days read it.
    pub fn on_hand_area_at(&self, now: Time) -> f64 {
        let from = self.last_change.max(self.since);
        if now > from {
            self.on_hand_area + self.total_on_hand as f64 * (now - from) as f64
        } else {
            self.on_hand_area
        }
    }

    /// Mean units on hand over the measured time up to `now`.
    pub fn mean_on_hand(&mut self, now: Time) -> f64 {
        self.account(now);
        let span = now.saturating_sub(self.since);
        if span == 0 { f64::NAN } else { self.on_hand_area / span as f64 }
    }

    /// SKUs with nothing on hand now.
    pub fn skus_out(&self) -> u64 {
        self.skus_out
    }

    /// Units on hand now, all SKUs.
    pub fn total_on_hand(&self) -> i64 {
        self.total_on_hand
    }

    /// Units on order now, all SKUs.
    pub fn total_on_order(&self) -> i64 {
        self.total_on_order
    }

    /// Units owed to waiting orders now, all SKUs.
    pub fn total_owed(&self) -> i64 {
        self.owed.iter().sum()
    }

    /// The ABC class of `sku` (0 = A).
    pub fn class_of(&self, sku: Sku) -> u8 {
        self.classes[sku as usize]
    }

    /// Number of SKUs.
    pub fn skus(&self) -> u32 {
        self.on_hand.len() as u32
    }

    /// Whether any SKU's on-hand count is negative (never, by construction; for tests).
    pub fn any_negative(&self) -> bool {
        self.on_hand.iter().any(|u| *u < 0)
    }
}
