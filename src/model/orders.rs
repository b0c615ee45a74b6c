//! Orders in flight: a compact record per order in slots reused after the order ends, so memory
//! follows the orders open, not the orders ever placed. No logic of any stage.

use crate::kernel::{Time, prefetch};

/// Flags recorded on an order as things happen to it.
pub mod flag {
    /// A picked line was the wrong item.
    pub const WRONG_ITEM: u16 = 1;
    /// The label carries a wrong address.
    pub const WRONG_ADDRESS: u16 = 2;
    /// Damaged by packing or in transit.
    pub const DAMAGED: u16 = 4;
    /// Lost in transit.
    pub const LOST: u16 = 8;
    /// Express: served first.
    pub const EXPRESS: u16 = 32;
    /// Cancelled before it left the warehouse: leaves every queue as soon as it is reached.
    pub const CANCELLED: u16 = 64;
    /// Not an order but the second parcel of a split order (`parent` is the order).
    pub const REMAINDER: u16 = 128;
    /// Split at checkout: ships in two parcels, so not "in full".
    pub const SPLIT: u16 = 256;
    /// Waited for stock (backordered) before it could be picked.
    pub const BACKORDERED: u16 = 512;
    /// Not an order but a replacement parcel for a wrong item.
    pub const REPLACEMENT: u16 = 1024;
    /// Ships from a warehouse that is not the customer's own (extra transit).
    pub const FAR: u16 = 2048;
    /// Packed, in its carrier's staging lane, waiting for a pickup.
    pub const STAGED: u16 = 4096;
}

/// One order's state: 64 bytes aligned to a cache line (so reading an order costs one line, not
/// two), `Copy`, no heap.
#[derive(Clone, Copy, Debug, Default)]
#[repr(align(64))]
pub struct Order {
    /// Distinguishes this order from earlier ones that used the same slot (never 0 while open).
    pub serial: u32,
    /// The order's own random seed: every draw about it comes from streams keyed by this seed.
    pub seed: u64,
    /// When the customer placed it.
    pub placed_at: Time,
    /// End of the promised delivery date.
    pub promised_by: Time,
    /// End of the promised dispatch day.
    pub dispatch_by: Time,
    /// When the carrier picked it up (0 before).
    pub shipped_at: Time,
    /// Order lines.
    pub lines: u16,
    /// Lines picked by automation.
    pub auto_lines: u16,
    /// Pick parts (manual, automated) not yet done.
    pub parts_pending: u8,
    /// Shipping option index.
    pub option: u8,
    /// Carrier.
    pub carrier: super::carriers::CarrierId,
    /// Delivery attempts so far.
    pub attempts: u8,
    /// Parcels of this order not yet delivered or lost (2 for a split order, else 1).
    pub parcels_pending: u8,
    /// Units still awaited from stock before the order can be picked.
    pub missing: u16,
    /// For a remainder parcel: the order it belongs to.
    pub parent: OrderId,
    /// `flag::*` bits.
    pub flags: u16,
    /// The spans it counts in: those of the day it was placed (bit 0: after the warm-up).
    pub spans: super::spans::SpanMask,
}

impl Order {
    /// Whether it counts in the KPIs of the horizon (placed after the warm-up).
    #[inline]
    pub fn measured(&self) -> bool {
        self.spans & 1 != 0
    }

    /// Whether flag `f` is set.
    #[inline]
    pub fn has(&self, f: u16) -> bool {
        self.flags & f != 0
    }
}

/// Order id: an index into the slab, reused once the order ends.
pub type OrderId = u32;

/// A reference to an order that stays safe after the order ends and its slot is reused (e.g.
/// from a support ticket): it resolves only while the same order is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderRef {
    /// Slot.
    pub id: OrderId,
    /// Serial of the order in that slot.
    pub serial: u32,
}

/// Orders in flight, in reusable slots: the slot freed last is the next one used, so the records
/// in use stay packed at the front. A free slot holds serial 0.
#[derive(Debug, Default)]
pub struct Orders {
    slots: Vec<Order>,
    /// Free slots, the last freed on top.
    free: Vec<OrderId>,
    last_serial: u32,
}

impl Orders {
    /// Stores a new order (giving it a fresh serial) and returns its id.
    #[inline]
    pub fn insert(&mut self, mut order: Order) -> OrderId {
        self.last_serial = self.last_serial.wrapping_add(1).max(1);
        order.serial = self.last_serial;
        match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = order;
                id
            }
            None => {
                crate::kernel::huge::push(&mut self.slots, order);
                (self.slots.len() - 1) as OrderId
            }
        }
    }

    /// Frees an ended order's slot.
    #[inline]
    pub fn remove(&mut self, id: OrderId) {
        let slot = &mut self.slots[id as usize];
        assert!(slot.serial != 0, "order {id} removed twice");
        slot.serial = 0;
        self.free.push(id);
    }

    /// A lasting reference to the open order `id`.
    #[inline]
    pub fn reference(&self, id: OrderId) -> OrderRef {
        OrderRef { id, serial: self.get(id).serial }
    }

    /// The order `r` refers to, if it is still open.
    #[inline]
    pub fn live(&self, r: OrderRef) -> Option<&Order> {
        self.slots.get(r.id as usize).filter(|o| o.serial == r.serial && r.serial != 0)
    }

    /// The open order with id `id`.
    #[inline]
    pub fn get(&self, id: OrderId) -> &Order {
        let o = &self.slots[id as usize];
        debug_assert!(o.serial != 0, "order {id} is not open");
        o
    }

    /// The open order with id `id`, to update.
    #[inline]
    pub fn get_mut(&mut self, id: OrderId) -> &mut Order {
        let o = &mut self.slots[id as usize];
        debug_assert!(o.serial != 0, "order {id} is not open");
        o
    }

    /// Starts loading order `id`'s record into the cache, for an event that will read it soon.
    #[inline]
    pub fn prefetch(&self, id: OrderId) {
        if let Some(o) = self.slots.get(id as usize) {
            prefetch(o);
        }
    }

    /// Orders still open.
    pub fn open(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_reused_after_an_order_ends() {
        let mut o = Orders::default();
        let a = o.insert(Order::default());
        let b = o.insert(Order::default());
        assert_eq!(o.open(), 2);
        o.remove(a);
        assert_eq!(o.open(), 1);
        let c = o.insert(Order { lines: 3, ..Order::default() });
        assert_eq!(c, a);
        assert_eq!(o.get(c).lines, 3);
        assert_ne!(b, c);
    }

    #[test]
    fn a_reference_dies_with_its_order_even_when_the_slot_is_reused() {
        let mut o = Orders::default();
        let a = o.insert(Order::default());
        let r = o.reference(a);
        assert!(o.live(r).is_some());
        o.remove(a);
        assert!(o.live(r).is_none());
        let b = o.insert(Order::default());
        assert_eq!(a, b, "slot reused");
        assert!(o.live(r).is_none(), "the old reference does not see the new order");
        assert!(o.live(o.reference(b)).is_some());
    }

    #[test]
    fn an_order_record_stays_small() {
        assert_eq!(std::mem::size_of::<Order>(), 64);
        assert_eq!(std::mem::align_of::<Order>(), 64);
    }
}
