//! Order intake: a non-homogeneous Poisson process (orders/day x weekday x hour-of-day x peaks x
//! trend, or the planner's forecast) sampled by thinning, and what each order asks for (lines,
//! shipping option, promise).

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
    /// With an hourly forecast: each hour's orders / the day's busiest hour's (the acceptance
    /// probability of a candidate in that hour), replacing `hourly_share / max_share`.
    hour_accept: Option<Vec<[f64; 24]>>,
    /// Continuous time of the last candidate, in ms (kept fractional to avoid rounding drift).
    cursor_ms: f64,
}

impl Arrivals {
    /// The process for `scenario`, with every day's expected orders worked out once.
    pub fn new(scenario: &Scenario) -> Self {
        let d = &scenario.demand;
        let max_share = d.hourly_share.iter().cloned().fold(0.0, f64::max);
        let day_total: Vec<f64> = (0..scenario.days).map(|day| expected_orders_on(scenario, day)).collect();
        let hourly = d.forecast.as_ref().and_then(|f| f.hours.as_ref());
        let (day_bound_per_ms, hour_accept) = match hourly {
            None => (day_total.iter().map(|t| t * max_share / MS_PER_HOUR as f64).collect(), None),
            Some(hours) => {
                let busiest: Vec<f64> = hours.iter().map(|h| h.iter().cloned().fold(0.0, f64::max)).collect();
                let accept = hours
                    .iter()
                    .zip(&busiest)
                    .map(|(h, &top)| h.map(|x| if top > 0.0 { x / top } else { 0.0 }))
                    .collect();
                (busiest.iter().map(|top| top / MS_PER_HOUR as f64).collect(), Some(accept))
            }
        };
        Self {
            day_total,
            day_bound_per_ms,
            hourly_share: d.hourly_share,
            max_share,
            hour_accept,
            cursor_ms: 0.0,
        }
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
            let accept = match &self.hour_accept {
                None => self.hourly_share[hour] / self.max_share,
                Some(a) => a[day][hour],
            };
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
/// before the cutoff (else the next day; business-day options skip Saturday, Sunday and the
/// holidays of the calendar), then `promised_days` business or calendar days to the door.
pub fn promise(scenario: &Scenario, option: &ShippingOption, placed_at: Time) -> Promise {
    let day = placed_at / MS_PER_DAY;
    let minute = (placed_at % MS_PER_DAY) / MS_PER_MIN;
    let business = !option.calendar_days;
    let first_weekday = scenario.first_weekday();
    let calendar = &scenario.calendar;
    let is_off = |d: u64| (first_weekday + d) % 7 >= 5 || calendar.is_holiday(d);
    let mut dispatch = if minute < u64::from(scenario.fulfilment.cutoff_min) { day } else { day + 1 };
    while business && is_off(dispatch) {
        dispatch += 1;
    }
    let mut deliver = dispatch;
    let mut left = option.promised_days;
    while left > 0 {
        deliver += 1;
        if !(business && is_off(deliver)) {
            left -= 1;
        }
    }
    Promise { dispatch_by: (dispatch + 1) * MS_PER_DAY, deliver_by: (deliver + 1) * MS_PER_DAY }
}

/// Samples the number of lines of one order (rounded, 1 ..= MAX_LINES_PER_ORDER).
#[inline]
pub fn sample_lines(demand: &Demand, rng: &mut StreamRng) -> u16 {
    let x = crate::units::round_nonneg(demand.lines_per_order.sample(rng));
    x.clamp(1, u64::from(MAX_LINES_PER_ORDER)) as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::rng::stream;
    use crate::scenario::forecast::Forecast;
    use crate::scenario::{Source, load};

    fn scenario(text: &str) -> Scenario {
        load(&Source::Text { name: "t.toml".into(), text: text.into() }, &[]).unwrap()
    }

    fn with_forecast(days: u32, day_total: Vec<f64>, hours: Option<Vec<[f64; 24]>>) -> Scenario {
        let mut sc = scenario(&format!("[run]\nstart_date = \"2026-11-02\"\ndays = {days}\n"));
        sc.demand.forecast = Some(Forecast { file: "f.csv".into(), day_total, hours });
        sc
    }

    /// Orders placed on each day (and in each hour of the day) over `reps` replications.
    fn counts(sc: &Scenario, reps: u64) -> (Vec<f64>, [f64; 24]) {
        let mut per_day = vec![0.0; sc.days as usize];
        let mut per_hour = [0.0; 24];
        for rep in 0..reps {
            let mut rng = stream(7, rep, "arrivals");
            let mut arrivals = Arrivals::new(sc);
            while let Some(t) = arrivals.next(&mut rng) {
                per_day[(t / MS_PER_DAY) as usize] += 1.0;
                per_hour[((t % MS_PER_DAY) / MS_PER_HOUR) as usize] += 1.0;
            }
        }
        (per_day, per_hour)
    }

    #[test]
    fn a_forecast_sets_each_days_expected_orders() {
        let sc = with_forecast(3, vec![120.0, 0.0, 2.5], None);
        let expected: Vec<f64> = (0..4).map(|d| expected_orders_on(&sc, d)).collect();
        assert_eq!(expected, [120.0, 0.0, 2.5, 0.0], "the forecast, not orders_per_day x weekday");
        assert_eq!(Arrivals::new(&sc).expected_on(0), 120.0);
    }

    /// Poisson counts: over `reps` replications each day's mean must lie within 4.5 standard
    /// errors (sqrt(lambda / reps)) of the forecast, a false alarm about once in 150,000 days.
    #[test]
    fn orders_per_day_follow_a_daily_forecast_within_its_confidence_interval() {
        let forecast = vec![400.0, 50.0, 0.0, 1200.5, 7.0, 300.0, 900.0];
        let sc = with_forecast(7, forecast.clone(), None);
        let reps = 200;
        let (per_day, _) = counts(&sc, reps);
        for (day, (&n, &lambda)) in per_day.iter().zip(&forecast).enumerate() {
            let mean = n / reps as f64;
            let tolerance = 4.5 * (lambda / reps as f64).sqrt();
            assert!((mean - lambda).abs() <= tolerance, "day {day}: {mean} orders a day, forecast {lambda}");
        }
    }

    #[test]
    fn an_hourly_forecast_places_orders_in_its_hours_by_their_shares() {
        let mut hours = [[0.0; 24]; 2];
        hours[0][9] = 300.0;
        hours[0][20] = 100.0;
        hours[1][0] = 50.0;
        hours[1][23] = 150.0;
        let sc = with_forecast(2, vec![400.0, 200.0], Some(hours.to_vec()));
        let reps = 100;
        let (per_day, per_hour) = counts(&sc, reps);
        let used = [0, 9, 20, 23];
        assert!(per_hour.iter().enumerate().all(|(h, &n)| used.contains(&h) || n == 0.0), "{per_hour:?}");
        for (h, lambda) in [(9, 300.0), (20, 100.0), (0, 50.0), (23, 150.0)] {
            let mean = per_hour[h] / reps as f64;
            let tolerance = 4.5 * (lambda / reps as f64).sqrt();
            assert!((mean - lambda).abs() <= tolerance, "hour {h}: {mean} orders, forecast {lambda}");
        }
        assert_eq!(per_day.len(), 2);
    }

    #[test]
    fn a_business_day_promise_skips_a_holiday() {
        // 2026-11-02 is a Monday; Wednesday the 4th is a holiday.
        let text = "[run]\nstart_date = \"2026-11-02\"\n[calendar]\nholidays = [\"2026-11-04\"]\n";
        let sc = scenario(text);
        let standard = ShippingOption {
            calendar_days: false,
            promised_days: 3,
            ..sc.demand.shipping_options[0].clone()
        };
        let p = promise(&sc, &standard, 10 * MS_PER_HOUR);
        assert_eq!(p.dispatch_by, MS_PER_DAY, "Monday before the cutoff: dispatch Monday");
        assert_eq!(p.deliver_by, 5 * MS_PER_DAY, "Tue, (Wed off), Thu, Fri: by the end of Friday");
        let calendar = ShippingOption { calendar_days: true, ..standard.clone() };
        assert_eq!(promise(&sc, &calendar, 10 * MS_PER_HOUR).deliver_by, 4 * MS_PER_DAY);
        // Placed on the holiday after the cutoff the day before: dispatch moves to Thursday.
        assert_eq!(promise(&sc, &standard, MS_PER_DAY + 20 * MS_PER_HOUR).dispatch_by, 4 * MS_PER_DAY);
        let plain = scenario("[run]\nstart_date = \"2026-11-02\"\n");
        assert_eq!(promise(&plain, &standard, 10 * MS_PER_HOUR).deliver_by, 4 * MS_PER_DAY);
    }
}
