//! Carriers: parcels wait in a staging lane for a pickup, a pickup takes what the day's capacity
//! allows, then transit, loss, damage and delivery attempts (only on the carrier's delivery days).

use std::collections::VecDeque;

use crate::kernel::Time;
use crate::scenario::{Carrier, Scenario};
use crate::units::{MS_PER_DAY, MS_PER_MIN};

use super::orders::{OrderRef, Orders};

/// A carrier's index in the scenario's `carriers`: lossless, because validation refuses more
/// than `crate::scenario::MAX_CARRIERS` carriers.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CarrierId(u16);

impl CarrierId {
    /// The id of carrier `index` of the scenario.
    #[inline]
    pub fn new(index: usize) -> Self {
        // Invariant: validation caps the carriers at MAX_CARRIERS, which u16 holds.
        Self(u16::try_from(index).expect("carriers capped by validation"))
    }

    /// Its index in the scenario's `carriers`.
    #[inline]
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// A carrier's state in one replication.
#[derive(Debug, Default)]
pub struct CarrierState {
    /// Packed parcels waiting for a pickup, first packed first taken. A parcel cancelled while
    /// staged leaves its entry behind (its order's slot may be reused); pickups skip such
    /// entries, so a cancel costs O(1) instead of a search of the lane.
    staging: VecDeque<OrderRef>,
    /// Parcels in `staging` that are still waiting (the lane minus the cancelled entries).
    staged: usize,
    /// Day whose capacity `taken_today` counts.
    day: u64,
    /// Parcels taken on `day`.
    taken_today: u32,
}

impl CarrierState {
    /// Puts a packed parcel in the lane.
    #[inline]
    pub fn stage(&mut self, parcel: OrderRef) {
        self.staging.push_back(parcel);
        self.staged += 1;
    }

    /// A staged parcel was cancelled: it no longer counts as waiting (its entry stays behind).
    #[inline]
    pub fn unstage(&mut self) {
        self.staged -= 1;
    }

    /// Takes the first parcel still waiting, skipping entries of cancelled ones.
    #[inline]
    pub fn take(&mut self, orders: &Orders) -> Option<OrderRef> {
        while let Some(r) = self.staging.pop_front() {
            if orders.live(r).is_some() {
                self.staged -= 1;
                return Some(r);
            }
        }
        None
    }

    /// How many parcels the pickup at `now` may take under the daily capacity.
    pub fn pickup_allowance(&mut self, carrier: &Carrier, now: Time) -> usize {
        let day = now / MS_PER_DAY;
        if day != self.day {
            self.day = day;
            self.taken_today = 0;
        }
        let room = carrier.capacity_on(day as i64).map_or(u32::MAX, |c| c.saturating_sub(self.taken_today));
        let n = self.staged.min(room as usize);
        self.taken_today += n as u32;
        n
    }
}

/// The next pickup of `carrier` strictly after `after`, on its pickup days; `None` if beyond the
/// horizon.
pub fn next_pickup(scenario: &Scenario, carrier: &Carrier, after: Time, horizon: Time) -> Option<Time> {
    let mut day = after / MS_PER_DAY;
    let first_weekday = scenario.first_weekday();
    loop {
        let day_start = day * MS_PER_DAY;
        if day_start >= horizon {
            return None;
        }
        if carrier.pickup_days[((first_weekday + day) % 7) as usize] {
            let next = carrier
                .pickups_min
                .iter()
                .map(|m| day_start + u64::from(*m) * MS_PER_MIN)
                .find(|t| *t > after);
            if let Some(t) = next {
                return (t < horizon).then_some(t);
            }
        }
        day += 1;
    }
}

/// Moves a delivery attempt due at `at` to the same time on the next delivery day if `at` falls
/// on a day the carrier does not deliver.
pub fn on_delivery_day(scenario: &Scenario, carrier: &Carrier, at: Time) -> Time {
    let mut t = at;
    let first_weekday = scenario.first_weekday();
    // At most six skips: validation guarantees at least one delivery day a week.
    for _ in 0..7 {
        let day = t / MS_PER_DAY;
        if carrier.delivery_days[((first_weekday + day) % 7) as usize] {
            return t;
        }
        t += MS_PER_DAY;
    }
    t
}
