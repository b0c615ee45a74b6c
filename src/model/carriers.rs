//! Carriers: parcels wait in a staging lane for a pickup, a pickup takes what the day's capacity
//! allows, then transit, loss, damage and delivery attempts (only on the carrier's delivery days).

use std::collections::VecDeque;

use crate::kernel::Time;
use crate::scenario::{Carrier, Scenario};
use crate::units::{MS_PER_DAY, MS_PER_MIN};

use super::orders::{OrderId, OrderRef, Orders};

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

/// How many parcels ahead of the one taken a pickup starts loading the records it will read.
const LANE_PREFETCH: usize = 8;

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

    /// The parcel a few places behind the next one taken: a pickup takes parcels in a run, so
    /// what it reads of this one is worth loading now (see `kernel::prefetch`).
    #[inline]
    pub fn coming(&self) -> Option<OrderId> {
        self.staging.get(LANE_PREFETCH).map(|r| r.id)
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

/// The next pickup of `carrier` strictly after `after`, on its pickup days that are not holidays;
/// `None` if beyond the horizon.
pub fn next_pickup(scenario: &Scenario, carrier: &Carrier, after: Time, horizon: Time) -> Option<Time> {
    let mut day = after / MS_PER_DAY;
    let first_weekday = scenario.first_weekday();
    loop {
        let day_start = day * MS_PER_DAY;
        if day_start >= horizon {
            return None;
        }
        if carrier.pickup_days[((first_weekday + day) % 7) as usize] && !scenario.calendar.is_holiday(day) {
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
/// on a day the carrier does not deliver (not one of its delivery days, or a holiday).
pub fn on_delivery_day(scenario: &Scenario, carrier: &Carrier, at: Time) -> Time {
    let mut t = at;
    let first_weekday = scenario.first_weekday();
    // Ends: validation guarantees at least one delivery day a week, and holidays are finite.
    loop {
        let day = t / MS_PER_DAY;
        if carrier.delivery_days[((first_weekday + day) % 7) as usize] && !scenario.calendar.is_holiday(day) {
            return t;
        }
        t += MS_PER_DAY;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Source, load};
    use crate::units::MS_PER_HOUR;

    fn scenario(holidays: &str) -> Scenario {
        let text = format!("[run]\nstart_date = \"2026-11-02\"\n[calendar]\nholidays = [{holidays}]\n");
        load(&Source::Text { name: "t.toml".into(), text }, &[]).unwrap()
    }

    #[test]
    fn a_pickup_moves_past_a_holiday() {
        // 2026-11-02 is a Monday; the default carrier picks up at 12:00 and 18:00, Monday to Saturday.
        let sc = scenario("\"2026-11-03\"");
        let c = &sc.carriers[0];
        let after_monday = 19 * MS_PER_HOUR;
        assert_eq!(next_pickup(&sc, c, after_monday, sc.horizon()), Some(2 * MS_PER_DAY + 12 * MS_PER_HOUR));
        let plain = scenario("");
        assert_eq!(next_pickup(&plain, c, after_monday, sc.horizon()), Some(MS_PER_DAY + 12 * MS_PER_HOUR));
    }

    #[test]
    fn a_delivery_due_on_a_holiday_moves_to_the_next_delivery_day() {
        // Friday the 6th and Saturday the 7th are holidays, Sunday is no delivery day: Monday.
        let sc = scenario("\"2026-11-06\", \"2026-11-07\"");
        let c = &sc.carriers[0];
        let friday = 4 * MS_PER_DAY + 10 * MS_PER_HOUR;
        assert_eq!(on_delivery_day(&sc, c, friday), friday + 3 * MS_PER_DAY);
        assert_eq!(on_delivery_day(&sc, c, friday - MS_PER_DAY), friday - MS_PER_DAY, "Thursday delivers");
    }
}
