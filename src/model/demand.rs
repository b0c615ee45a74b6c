//! Order intake: a non-homogeneous Poisson process (orders/day x weekday x hour-of-day x peaks x
//! trend) sampled by thinning, and what each order asks for (lines, shipping option, promise).

use rand::RngExt;
use rand_distr::{Distribution, Exp1};

use crate::kernel::Time;
use crate::kernel::rng::StreamRng;
use crate::scenario::derived::{MAX_LINES_PER_ORDER, expected_orders_on};
use crate::scenario::{Demand, Scenario, ShippingOption};
use crate::units::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MIN};

/// The arrival process: expected orders per day, and the thinning bound per day.
#[derive(Debug, Clone)]
pub struct Arrivals {
    /// Expected orders on each simulated day.
    day_total: Vec<f64>,
    /// Highest hourly rate of each day, in orders per millisecond (the thinning bound).
    day_bound_per_ms: Vec<f64>,
    /// Share of the day's orders in each hour.
    hourly_share: [f64; 24],
    /// Largest hourly share (so bound = day_total x max_share / hour).
    max_share: f64,
    /// Continuous time of the last candidate, in ms (kept fractional to avoid rounding drift).
    cursor_ms: f64,
}

impl Arrivals {
    /// The process for `scenario`, with every day's expected orders worked out once.
    pub fn new(scenario: &Scenario) -> Self {
        let d = &scenario.demand;
        let max_share = d.hourly_share.iter().cloned().fold(0.0, f64::max);
        let day_total: Vec<f64> = (0..scenario.days).map(|day| expected_orders_on(scenario, day)).collect();
        let day_bound_per_ms = day_total.iter().map(|t| t * max_share / MS_PER_HOUR as f64).collect();
        Self { day_total, day_bound_per_ms, hourly_share: d.hourly_share, max_share, cursor_ms: 0.0 }
    }

    /// Expected orders on day `day`.
    pub fn expected_on(&self, day: u32) -> f64 {
        self.day_total.get(day as usize).copied().unwrap_or(0.0)
    }

    /// The time of the next order after the previous one, or `None` past the last day.
    /// Thinning (Lewis and Shedler, 1979) with a bound per day: candidates at the day's highest
    /// hourly rate, each kept with probability rate(t) / bound.
    pub fn next(&mut self, rng: &mut StreamRng) -> Option<Time> {
        loop {
            let day = (self.cursor_ms / MS_PER_DAY as f64) as usize;
            let bound = *self.day_bound_per_ms.get(day)?;
            let day_end = ((day + 1) as u64 * MS_PER_DAY) as f64;
            if bound <= 0.0 {
                self.cursor_ms = day_end;
                continue;
            }
            let gap: f64 = Distribution::<f64>::sample(&Exp1, rng);
            let t = self.cursor_ms + gap / bound;
            if t >= day_end {
                // Memoryless: restart at the day boundary under the next day's bound.
                self.cursor_ms = day_end;
                continue;
            }
            self.cursor_ms = t;
            let hour = ((t as u64 % MS_PER_DAY) / MS_PER_HOUR) as usize;
            let accept = self.hourly_share[hour] / self.max_share;
            if accept >= 1.0 || rng.random::<f64>() < accept {
                return Some(t as Time);
            }
        }
    }
}

/// Picks an index by shares (which sum to about 1; the last entry takes any rounding).
#[inline]
pub fn pick_by_share(rng: &mut StreamRng, shares: impl Iterator<Item = f64> + Clone) -> usize {
    let total: f64 = shares.clone().sum();
    let mut u = rng.random::<f64>() * total;
    let mut last = 0;
    for (i, s) in shares.enumerate() {
        if u < s {
            return i;
        }
        u -= s;
        last = i;
    }
    last
}

/// The delivery promise made at checkout, in engine time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Promise {
    /// End of the day the order is promised to leave the warehouse.
    pub dispatch_by: Time,
    /// End of the promised delivery date.
    pub deliver_by: Time,
}

/// Works out the promise for an order placed at `placed_at` with `option`: dispatch the same day
/// before the cutoff (else the next day; business-day options skip Saturday and Sunday), then
/// `promised_days` business or calendar days to the door.
pub fn promise(scenario: &Scenario, option: &ShippingOption, placed_at: Time) -> Promise {
    let day = placed_at / MS_PER_DAY;
    let minute = (placed_at % MS_PER_DAY) / MS_PER_MIN;
    let business = !option.calendar_days;
    let first_weekday = scenario.first_weekday();
    let is_weekend = |d: u64| (first_weekday + d) % 7 >= 5;
    let mut dispatch = if minute < u64::from(scenario.fulfilment.cutoff_min) { day } else { day + 1 };
    while business && is_weekend(dispatch) {
        dispatch += 1;
    }
    let mut deliver = dispatch;
    let mut left = option.promised_days;
    while left > 0 {
        deliver += 1;
        if !(business && is_weekend(deliver)) {
            left -= 1;
        }
    }
    Promise { dispatch_by: (dispatch + 1) * MS_PER_DAY, deliver_by: (deliver + 1) * MS_PER_DAY }
}

/// Samples the number of lines of one order (rounded, 1 ..= MAX_LINES_PER_ORDER).
#[inline]
pub fn sample_lines(demand: &Demand, rng: &mut StreamRng) -> u16 {
    let x = demand.lines_per_order.sample(rng).round();
    x.clamp(1.0, f64::from(MAX_LINES_PER_ORDER)) as u16
}
