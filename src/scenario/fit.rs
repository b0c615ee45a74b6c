//! The demand model fitted to an order history (`o2d init --from-history`): orders a day, weekday
//! factors, hourly profile, lines per order, shipping option shares and peaks. Pure: no I/O.

use std::fmt::Write;

use chrono::{NaiveDate, NaiveDateTime, Timelike};

use super::{MAX_DAYS, MAX_SHIPPING_OPTIONS};
use crate::units::weekday_index;

/// A day is a peak (or a dip) when its orders differ from its weekday's median by more than this
/// share of the median ...
pub const PEAK_SHARE: f64 = 0.10;
/// ... and by more than this many Poisson standard deviations (the square root of the median),
/// so that a small shop's ordinary noise is not a peak.
pub const PEAK_SIGMAS: f64 = 4.0;
/// Consecutive peak days whose multipliers differ by at most this share of the first day's make
/// one peak.
pub const MERGE_SHARE: f64 = 0.10;

/// Counts of a history, one order at a time: memory follows the days it covers, not its orders.
#[derive(Debug, Default, Clone)]
pub struct Fitter {
    first: Option<NaiveDate>,
    by_day: Vec<u64>,
    by_hour: [u64; 24],
    /// Orders by their number of lines (index = lines).
    by_lines: Vec<u64>,
    options: Vec<(String, u64)>,
    unnamed: u64,
    orders: u64,
}

/// A peak (multiplier above 1) or a dip found in the history.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedPeak {
    /// First day.
    pub date: NaiveDate,
    /// Consecutive days.
    pub days: u32,
    /// Mean of its days' orders / their weekday's regular mean.
    pub multiplier: f64,
    /// Orders on its days.
    pub orders: u64,
}

/// The demand model fitted to a history.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The first day with an order.
    pub start_date: NaiveDate,
    /// Days from the first to the last order's day.
    pub days: u32,
    /// Orders in the history.
    pub orders: u64,
    /// Mean orders on a regular day (neither peak nor dip), averaged over the weekdays.
    pub orders_per_day: f64,
    /// Each weekday's regular mean / `orders_per_day`, Monday first (1 for a weekday without a
    /// regular day).
    pub day_of_week: [f64; 7],
    /// Regular days of each weekday, and their orders (the sampling error of each factor).
    pub regular_days: [u32; 7],
    /// Orders on the regular days of each weekday.
    pub regular_orders: [u64; 7],
    /// Orders placed in each hour of the day.
    pub by_hour: [u64; 24],
    /// Orders by number of lines: (lines, orders), ascending.
    pub lines: Vec<(u16, u64)>,
    /// Shipping options by name, in order of first appearance, with their orders.
    pub options: Vec<(String, u64)>,
    /// Orders that name no shipping option.
    pub unnamed_options: u64,
    /// Peaks and dips, in date order.
    pub peaks: Vec<FittedPeak>,
}

impl Fitter {
    /// Counts one order; refuses a history longer than a scenario can be, or with more shipping
    /// options than a scenario can have.
    pub fn add(&mut self, at: NaiveDateTime, lines: u16, option: Option<&str>) -> Result<(), String> {
        let first = *self.first.get_or_insert(at.date());
        let day = (at.date() - first).num_days();
        if day < 0 {
            return Err("placed before the first order: orders must be in time order".to_string());
        }
        if day >= i64::from(MAX_DAYS) {
            return Err(format!("the history spans more than {MAX_DAYS} days, the longest a scenario runs"));
        }
        let day = day as usize;
        if self.by_day.len() <= day {
            self.by_day.resize(day + 1, 0);
        }
        self.by_day[day] += 1;
        self.by_hour[at.hour() as usize] += 1;
        let l = usize::from(lines);
        if self.by_lines.len() <= l {
            self.by_lines.resize(l + 1, 0);
        }
        self.by_lines[l] += 1;
        match option {
            None => self.unnamed += 1,
            Some(name) => match self.options.iter().position(|(n, _)| n == name) {
                Some(i) => self.options[i].1 += 1,
                None if self.options.len() >= MAX_SHIPPING_OPTIONS => {
                    return Err(format!("more than {MAX_SHIPPING_OPTIONS} shipping options"));
                }
                None => self.options.push((name.to_string(), 1)),
            },
        }
        self.orders += 1;
        Ok(())
    }

    /// The fitted model; `None` without a single order.
    pub fn fit(&self) -> Option<Fitted> {
        let start = self.first?;
        let weekday = |d: usize| weekday_index(start + chrono::Days::new(d as u64));
        let median = weekday_medians(&self.by_day, weekday);
        let unusual = |d: usize| {
            let m = median[weekday(d)];
            (self.by_day[d] as f64 - m).abs() > (PEAK_SHARE * m).max(PEAK_SIGMAS * m.sqrt())
        };
        let (mut regular_days, mut regular_orders) = ([0u32; 7], [0u64; 7]);
        for (d, n) in self.by_day.iter().enumerate().filter(|(d, _)| !unusual(*d)) {
            regular_days[weekday(d)] += 1;
            regular_orders[weekday(d)] += n;
        }
        let means: Vec<f64> = (0..7)
            .filter(|&w| regular_days[w] > 0)
            .map(|w| regular_orders[w] as f64 / f64::from(regular_days[w]))
            .collect();
        let orders_per_day = if means.is_empty() {
            self.orders as f64 / self.by_day.len() as f64
        } else {
            means.iter().sum::<f64>() / means.len() as f64
        };
        let mut day_of_week = [1.0; 7];
        for w in (0..7).filter(|&w| regular_days[w] > 0 && orders_per_day > 0.0) {
            day_of_week[w] = regular_orders[w] as f64 / f64::from(regular_days[w]) / orders_per_day;
        }
        let multipliers = (0..self.by_day.len()).map(|d| {
            let expected = orders_per_day * day_of_week[weekday(d)];
            (unusual(d) && expected > 0.0).then(|| self.by_day[d] as f64 / expected)
        });
        Some(Fitted {
            start_date: start,
            days: self.by_day.len() as u32,
            orders: self.orders,
            orders_per_day,
            day_of_week,
            regular_days,
            regular_orders,
            by_hour: self.by_hour,
            lines: (self.by_lines.iter().enumerate())
                .filter(|(_, n)| **n > 0)
                .map(|(l, n)| (l as u16, *n))
                .collect(),
            options: self.options.clone(),
            unnamed_options: self.unnamed,
            peaks: merge_peaks(start, &self.by_day, multipliers),
        })
    }
}

/// The median orders of each weekday's days (0 for a weekday the history never reaches).
fn weekday_medians(by_day: &[u64], weekday: impl Fn(usize) -> usize) -> [f64; 7] {
    let mut median = [0.0; 7];
    for (w, m) in median.iter_mut().enumerate() {
        let mut counts: Vec<u64> =
            (0..by_day.len()).filter(|&d| weekday(d) == w).map(|d| by_day[d]).collect();
        counts.sort_unstable();
        let n = counts.len();
        if n > 0 {
            *m = if n % 2 == 1 {
                counts[n / 2] as f64
            } else {
                (counts[n / 2 - 1] + counts[n / 2]) as f64 / 2.0
            };
        }
    }
    median
}

/// Runs of consecutive unusual days (`Some(multiplier)`) whose multipliers stay within
/// [`MERGE_SHARE`] of the run's first day, as peaks with their mean multiplier.
fn merge_peaks(
    start: NaiveDate,
    by_day: &[u64],
    multipliers: impl Iterator<Item = Option<f64>>,
) -> Vec<FittedPeak> {
    let mut peaks: Vec<(FittedPeak, f64, f64)> = Vec::new(); // (peak, first multiplier, sum)
    let mut open = false;
    for (d, m) in multipliers.enumerate() {
        let Some(m) = m else {
            open = false;
            continue;
        };
        match peaks.last_mut() {
            Some((p, first, sum)) if open && (m - *first).abs() <= MERGE_SHARE * *first => {
                p.days += 1;
                p.orders += by_day[d];
                *sum += m;
                p.multiplier = *sum / f64::from(p.days);
            }
            _ => {
                let date = start + chrono::Days::new(d as u64);
                peaks.push((FittedPeak { date, days: 1, multiplier: m, orders: by_day[d] }, m, m));
            }
        }
        open = true;
    }
    peaks.into_iter().map(|(p, _, _)| p).collect()
}

impl Fitted {
    /// The mean lines per order.
    pub fn mean_lines(&self) -> f64 {
        let n: u64 = self.lines.iter().map(|(_, n)| n).sum();
        self.lines.iter().map(|(l, k)| f64::from(*l) * *k as f64).sum::<f64>() / n.max(1) as f64
    }

    /// Each hour's share of the orders x 24 (1 = an average hour).
    pub fn hourly_profile(&self) -> [f64; 24] {
        self.by_hour.map(|n| n as f64 * 24.0 / self.orders.max(1) as f64)
    }

    /// The last day with an order.
    pub fn end_date(&self) -> NaiveDate {
        self.start_date + chrono::Days::new(u64::from(self.days.saturating_sub(1)))
    }
}

/// Thousands separated by commas, as a planner writes them.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn list(values: impl Iterator<Item = String>) -> String {
    format!("[{}]", values.collect::<Vec<_>>().join(", "))
}

/// Shares of `counts` in ten-thousandths that sum to exactly 10,000 (the largest absorbs the
/// rounding), written as decimals.
fn shares(counts: &[u64]) -> Vec<String> {
    let total: u64 = counts.iter().sum::<u64>().max(1);
    let mut parts: Vec<i64> =
        counts.iter().map(|n| (*n as f64 * 10_000.0 / total as f64).round() as i64).collect();
    let rest = 10_000 - parts.iter().sum::<i64>();
    if let Some(i) = (0..parts.len()).max_by_key(|&i| parts[i]) {
        parts[i] += rest;
    }
    parts.iter().map(|p| format!("{}.{:04}", p / 10_000, p % 10_000)).collect()
}

/// The starter scenario `o2d init --from-history` writes: `[run]` on the history's days, the
/// fitted `[demand]` with a comment per value, and a warehouse sized for the busiest regular day.
/// `source` is the history as the scenario would name it.
pub fn starter(f: &Fitted, source: &str) -> String {
    let mut t = String::new();
    let (start, end) = (f.start_date, f.end_date());
    let regular: u32 = f.regular_days.iter().sum();
    let _ = writeln!(
        t,
        "# A starter scenario written by `o2d init --from-history {source}`: its [demand] is fitted\n\
         # from {} orders on {} days ({start} .. {end}). Every key has a default (see o2d's\n\
         # docs/scenarios.md, or `o2d schema`): state only what differs. Check it with\n\
         # `o2d validate FILE`, run it with `o2d run FILE`.\n",
        grouped(f.orders),
        f.days
    );
    let _ = writeln!(
        t,
        "[run]\ndescription = \"Fitted from {source}: what question does this scenario answer?\"\n\
         start_date = \"{start}\"   # the history's first day\n\
         days = {}               # the days the history covers\n\
         warmup_days = {}        # excluded from the KPIs while the pipeline fills\n\
         replications = 10\nseed = 1\n",
        f.days,
        f.days.saturating_sub(1).min(3)
    );
    let _ = writeln!(
        t,
        "[demand]\n# To replay the orders themselves instead of this fitted model:\n# history = \"{source}\"\n\
         orders_per_day = {:.0}   # fitted: mean orders on a regular day ({regular} days that are neither peak nor dip)\n\
         day_of_week = {}   # fitted: each weekday's regular mean / orders_per_day, Monday first\n\
         hourly_profile = {}   # fitted from {} orders: each hour's share x 24, from 00:00\n\
         trend_per_year = 0.0   # not fitted: set it if your demand grows\n\
         lines_per_order = {{ dist = \"empirical\", values = {}, weights = {} }}   # fitted: orders with each number of lines",
        f.orders_per_day,
        list(f.day_of_week.iter().map(|x| format!("{x:.3}"))),
        list(f.hourly_profile().iter().map(|x| format!("{x:.3}"))),
        grouped(f.orders),
        list(f.lines.iter().map(|(l, _)| l.to_string())),
        list(f.lines.iter().map(|(_, n)| n.to_string())),
    );
    write_peaks(&mut t, f);
    write_options(&mut t, f);
    write_operation(&mut t, f);
    t
}

fn write_peaks(t: &mut String, f: &Fitted) {
    if f.peaks.is_empty() {
        return;
    }
    let _ = writeln!(
        t,
        "\n# Peaks and dips, fitted: days whose orders differ from their weekday's median by more than\n\
         # {:.0}% and by more than {PEAK_SIGMAS} standard deviations (its square root); consecutive days\n\
         # within {:.0}% of each other are one entry (no ramps).",
        PEAK_SHARE * 100.0,
        MERGE_SHARE * 100.0
    );
    for p in &f.peaks {
        let kind = if p.multiplier >= 1.0 { "peak" } else { "dip" };
        let _ = writeln!(
            t,
            "\n[[demand.peaks]]\nname = \"{kind} {}\"\ndate = \"{}\"\ndays = {}\n\
             multiplier = {:.2}   # fitted: {} orders on {} day(s), over the weekday's regular mean",
            p.date,
            p.date,
            p.days,
            p.multiplier,
            grouped(p.orders),
            p.days
        );
    }
}

fn write_options(t: &mut String, f: &Fitted) {
    if f.options.is_empty() {
        let _ = writeln!(t, "\n# The history names no shipping option: the default options apply.");
        return;
    }
    let named: u64 = f.options.iter().map(|(_, n)| n).sum();
    let _ = writeln!(
        t,
        "\n# Shipping options, with the shares of the {} orders that name one{}. The history does not\n\
         # say how fast each one is: set promised_days, express and carriers.",
        grouped(named),
        if f.unnamed_options > 0 {
            format!(" ({} name none)", grouped(f.unnamed_options))
        } else {
            String::new()
        }
    );
    let counts: Vec<u64> = f.options.iter().map(|(_, n)| *n).collect();
    for ((name, n), share) in f.options.iter().zip(shares(&counts)) {
        let _ = writeln!(
            t,
            "\n[[demand.shipping_options]]\nname = {}\nshare = {share}   # fitted: {} orders\npromised_days = 3",
            toml_string(name),
            grouped(*n)
        );
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Pick rate, pack rate and shift hours of the warehouse written, and the headroom it is sized with.
const PICK_RATE: f64 = 60.0;
const PACK_RATE: f64 = 30.0;
const SHIFT_HOURS: f64 = 12.0;
const HEADROOM: f64 = 1.3;

fn write_operation(t: &mut String, f: &Fitted) {
    let busiest = f.orders_per_day * f.day_of_week.iter().cloned().fold(0.0, f64::max);
    let lines = busiest * f.mean_lines();
    let pickers = (lines / PICK_RATE / SHIFT_HOURS * HEADROOM).ceil().max(1.0);
    let packers = (busiest / PACK_RATE / SHIFT_HOURS * HEADROOM).ceil().max(1.0);
    let _ = writeln!(
        t,
        "\n[fulfilment]\npick_rate_per_hour = {PICK_RATE}     # lines per picker-hour\n\
         pack_rate_per_hour = {PACK_RATE}     # orders per packer-hour\nsame_day_cutoff = \"14:00\"\n\n\
         # Sized for the busiest regular weekday ({busiest:.0} orders, {lines:.0} lines) with {:.0}% headroom;\n\
         # the peaks need temporary staff: add [[fulfilment.overrides]] for them.\n\
         [[fulfilment.shifts]]\nname = \"day\"\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n\
         start = \"07:00\"\nend = \"19:00\"\npickers = {pickers}\npackers = {packers}\n\n\
         [[carriers]]\nname = \"parcel\"\npickups = [\"17:00\"]\n\
         transit = {{ dist = \"lognormal\", mean = \"1.5d\", sd = \"12h\" }}\ncost_per_parcel = 5.5\n\n\
         [targets]\non_time_rate = \">= 0.95\"",
        (HEADROOM - 1.0) * 100.0
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: NaiveDate, hour: u32) -> NaiveDateTime {
        date.and_hms_opt(hour, 0, 0).unwrap()
    }

    /// Four weeks of 1,000 orders a day x the weekday factor, a triple Friday in week 3, all at
    /// 10:00 or 20:00, one or two lines, "standard" or "express".
    fn fitter() -> Fitter {
        let start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(); // a Monday
        let factors = [1.2, 1.0, 1.0, 1.0, 0.9, 0.8, 1.1];
        let mut f = Fitter::default();
        for d in 0..28u64 {
            let date = start + chrono::Days::new(d);
            let n = (1000.0 * factors[(d % 7) as usize] * if d == 18 { 3.0 } else { 1.0 }) as u64;
            for i in 0..n {
                let option = if i % 4 == 0 { "express" } else { "standard" };
                f.add(at(date, if i % 3 == 0 { 20 } else { 10 }), 1 + (i % 2) as u16, Some(option)).unwrap();
            }
        }
        f
    }

    #[test]
    fn weekday_factors_peaks_hours_lines_and_options_are_recovered() {
        let f = fitter().fit().unwrap();
        assert_eq!((f.days, f.start_date.to_string().as_str()), (28, "2026-11-02"));
        assert!((f.orders_per_day - 1000.0).abs() < 1.0, "{}", f.orders_per_day);
        for (got, want) in f.day_of_week.iter().zip([1.2, 1.0, 1.0, 1.0, 0.9, 0.8, 1.1]) {
            assert!((got - want).abs() < 1e-3, "{:?}", f.day_of_week);
        }
        assert_eq!(f.regular_days, [4, 4, 4, 4, 3, 4, 4], "the peak Friday is not a regular day");
        assert_eq!(f.peaks.len(), 1);
        assert_eq!((f.peaks[0].date.to_string(), f.peaks[0].days), ("2026-11-20".to_string(), 1));
        assert!((f.peaks[0].multiplier - 3.0).abs() < 1e-3);
        let h = f.hourly_profile();
        assert!((h[10] - 16.0).abs() < 0.05 && (h[20] - 8.0).abs() < 0.05 && h[0] == 0.0, "{h:?}");
        assert_eq!(f.lines.iter().map(|l| l.0).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(f.options.iter().map(|o| o.0.as_str()).collect::<Vec<_>>(), vec!["express", "standard"]);
    }

    #[test]
    fn noise_within_four_standard_deviations_is_not_a_peak() {
        let mut f = Fitter::default();
        let start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        for d in 0..21u64 {
            // 100 orders a day, one day 135: 3.5 standard deviations (10), not a peak; 145 is.
            let n = match d {
                10 => 135,
                16 => 145,
                _ => 100,
            };
            for _ in 0..n {
                f.add(at(start + chrono::Days::new(d), 12), 1, None).unwrap();
            }
        }
        let fitted = f.fit().unwrap();
        assert_eq!(fitted.peaks.iter().map(|p| p.date.to_string()).collect::<Vec<_>>(), vec!["2026-11-18"]);
    }

    #[test]
    fn consecutive_peak_days_merge_while_their_multipliers_agree() {
        let start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let peaks = merge_peaks(
            start,
            &[10; 6],
            [None, Some(2.0), Some(2.1), Some(3.0), None, Some(0.4)].into_iter(),
        );
        let got: Vec<(u32, f64)> =
            peaks.iter().map(|p| (p.days, (p.multiplier * 1e6).round() / 1e6)).collect();
        assert_eq!(got, vec![(2, 2.05), (1, 3.0), (1, 0.4)]);
    }

    #[test]
    fn shares_sum_to_one_exactly_and_the_starter_validates() {
        assert_eq!(shares(&[1, 1, 1]), vec!["0.3333", "0.3333", "0.3334"]);
        let text = starter(&fitter().fit().unwrap(), "orders.csv");
        let sc = crate::scenario::load(
            &crate::scenario::Source::Text { name: "fit.toml".into(), text: text.clone() },
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(sc.days, 28);
        assert_eq!(sc.demand.peaks.len(), 1);
        assert!(text.contains("# fitted from 29,800 orders"), "{text}");
    }

    #[test]
    fn a_history_longer_than_a_scenario_is_refused() {
        let mut f = Fitter::default();
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        f.add(at(d, 1), 1, None).unwrap();
        let e = f.add(at(d + chrono::Days::new(u64::from(MAX_DAYS)), 1), 1, None).unwrap_err();
        assert!(e.contains("more than 3650 days"), "{e}");
        assert!(Fitter::default().fit().is_none());
    }
}
