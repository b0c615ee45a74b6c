//! The planner's demand forecast after validation: each day's expected orders over the horizon
//! (and each hour's, for an hourly forecast) times `demand.forecast_scale`, with every day present.

use chrono::NaiveDate;

use super::Scenario;
use super::check::{Checker, num};
use super::files::forecast::ForecastFile;
use super::raw::RawDemand;
use super::validate::MAX_ORDERS_PER_DAY;

/// Dates or hours a message names before "and N more".
const NAMED: usize = 12;

/// A forecast after validation.
#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    /// The file, as named in messages.
    pub file: String,
    /// Expected orders on each day of the horizon (scaled).
    pub day_total: Vec<f64>,
    /// An hourly forecast's expected orders in each hour of each day (scaled); `None` for a daily
    /// forecast, which `hourly_profile` spreads over the day.
    pub hours: Option<Vec<[f64; 24]>>,
}

impl Forecast {
    /// Expected orders on day `day` (0 past the horizon).
    #[inline]
    pub fn on(&self, day: u32) -> f64 {
        self.day_total.get(day as usize).copied().unwrap_or(0.0)
    }
}

/// Validates `demand.forecast` and `demand.forecast_scale` against the horizon: every day (every
/// hour of every day, for an hourly forecast) must have its row; rows outside it are noted.
pub(crate) fn validate_forecast(
    c: &mut Checker,
    d: &RawDemand,
    file: Option<&ForecastFile>,
    (start, days): (NaiveDate, u32),
    notes: &mut Vec<String>,
) -> Option<Forecast> {
    let scale = c.non_negative("demand.forecast_scale", d.forecast_scale);
    let Some(f) = file else {
        if d.forecast.is_none() && scale != 1.0 {
            c.fail_help(
                "demand.forecast_scale",
                "scales `demand.forecast`, and this scenario has none",
                "scale `demand.orders_per_day` instead, or give a forecast".to_string(),
            );
        }
        return None;
    };
    let end = start + chrono::Days::new(u64::from(days.max(1)) - 1);
    if f.outside > 0 {
        let rows = if f.outside == 1 { "row" } else { "rows" };
        notes.push(format!(
            "{}: {} {rows} outside the horizon {start} .. {end} {} ignored",
            f.shown,
            f.outside,
            if f.outside == 1 { "was" } else { "were" }
        ));
    }
    if let Some(ignored) = ignored_settings(d, f.hourly) {
        notes.push(format!("{}: ignored because the forecast replaces them: {ignored}", f.shown));
    }
    let per_day = if f.hourly { 24 } else { 1 };
    if f.slots.len() != days as usize * per_day {
        return None; // The horizon itself is invalid: validation reports it.
    }
    let missing = if f.hourly { missing_hours(f, start) } else { missing_days(f, start) };
    if let Some(missing) = missing {
        let (what, help) = if f.hourly {
            ("is hourly and misses", "every date of the horizon needs its 24 hours (0 .. 23)")
        } else {
            ("has no row for", "every date of the horizon needs a row")
        };
        c.fail_help(
            "demand.forecast",
            format!("{} {what} {missing}, inside the horizon {start} .. {end}", f.shown),
            format!("{help}; or move the run (`run.start_date`, `run.days`) onto the forecast's dates"),
        );
        return None;
    }
    let value = |i: usize| f.slots[i].unwrap_or(0.0) * scale;
    let hours: Option<Vec<[f64; 24]>> = f
        .hourly
        .then(|| (0..days as usize).map(|day| std::array::from_fn(|h| value(day * 24 + h))).collect());
    let day_total = match &hours {
        Some(hours) => hours.iter().map(|h| h.iter().sum()).collect(),
        None => (0..days as usize).map(value).collect(),
    };
    Some(Forecast { file: f.shown.clone(), day_total, hours })
}

/// The settings a forecast makes irrelevant that differ from their neutral value, as a phrase
/// (an hourly forecast also replaces `hourly_profile`).
fn ignored_settings(d: &RawDemand, hourly: bool) -> Option<String> {
    let default = RawDemand::default();
    let mut ignored = Vec::new();
    if d.orders_per_day != default.orders_per_day {
        ignored.push("`orders_per_day`".to_string());
    }
    if d.day_of_week != default.day_of_week {
        ignored.push("`day_of_week`".to_string());
    }
    if hourly && d.hourly_profile != default.hourly_profile {
        ignored.push("`hourly_profile`".to_string());
    }
    let surges: Vec<String> = d
        .peaks
        .iter()
        .filter(|p| p.multiplier != 1.0)
        .map(|p| format!("`{}` ({}x)", p.name, num(p.multiplier)))
        .collect();
    if !surges.is_empty() {
        ignored.push(format!("the multipliers of peaks {}", surges.join(", ")));
    }
    if d.trend_per_year != 0.0 {
        ignored.push(format!("`trend_per_year` ({})", num(d.trend_per_year)));
    }
    (!ignored.is_empty()).then(|| ignored.join(", "))
}

/// Missing dates of a daily forecast, runs compressed ("2026-11-03 .. 2026-11-05, 2026-11-09").
fn missing_days(f: &ForecastFile, start: NaiveDate) -> Option<String> {
    let days: Vec<usize> = (0..f.slots.len()).filter(|&d| f.slots[d].is_none()).collect();
    (!days.is_empty()).then(|| list(runs(&days).iter().map(|&(a, b)| span(start, a, b, ""))))
}

/// Missing hours of an hourly forecast: whole days as date runs, else each date's hours.
fn missing_hours(f: &ForecastFile, start: NaiveDate) -> Option<String> {
    let missing =
        |day: usize| -> Vec<usize> { (0..24).filter(|h| f.slots[day * 24 + h].is_none()).collect() };
    let whole: Vec<usize> = (0..f.slots.len() / 24).filter(|&d| missing(d).len() == 24).collect();
    let mut parts: Vec<(usize, String)> =
        runs(&whole).iter().map(|&(a, b)| (a, span(start, a, b, " (every hour)"))).collect();
    for day in 0..f.slots.len() / 24 {
        let hours = missing(day);
        if !hours.is_empty() && hours.len() < 24 {
            let hs: Vec<String> = runs(&hours)
                .iter()
                .map(|&(a, b)| if a == b { a.to_string() } else { format!("{a} .. {b}") })
                .collect();
            let word = if hours.len() == 1 { "hour" } else { "hours" };
            parts.push((day, format!("{} {word} {}", date(start, day), hs.join(", "))));
        }
    }
    parts.sort_by_key(|(day, _)| *day);
    (!parts.is_empty()).then(|| list(parts.into_iter().map(|(_, s)| s)))
}

fn date(start: NaiveDate, day: usize) -> NaiveDate {
    start + chrono::Days::new(day as u64)
}

fn span(start: NaiveDate, a: usize, b: usize, suffix: &str) -> String {
    if a == b {
        format!("{}{suffix}", date(start, a))
    } else {
        format!("{} .. {}{suffix}", date(start, a), date(start, b))
    }
}

/// Runs of consecutive numbers in ascending `xs`, as (first, last).
fn runs(xs: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &x in xs {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == x => *last = x,
            _ => out.push((x, x)),
        }
    }
    out
}

/// The first [`NAMED`] items joined, then how many more.
fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    let mut text = items[..items.len().min(NAMED)].join(", ");
    if items.len() > NAMED {
        text.push_str(&format!(" and {} more", items.len() - NAMED));
    }
    text
}

/// With a forecast, every day's expected orders must stay within `MAX_ORDERS_PER_DAY`: the first
/// day beyond it is blamed on the scale when one is set, else on the forecast's hours.
pub(crate) fn check_busiest_day(c: &mut Checker, sc: &Scenario, f: &Forecast) {
    let Some((day, orders)) =
        f.day_total.iter().enumerate().find(|(_, n)| n.is_nan() || **n > MAX_ORDERS_PER_DAY)
    else {
        return;
    };
    let date = sc.date_of_day(day as u32);
    let scaled = sc.resolved.demand.forecast_scale != 1.0;
    let key = if scaled { "demand.forecast_scale" } else { "demand.forecast" };
    let orders = if orders.is_finite() { num(orders.round()) } else { "more".to_string() };
    c.fail_help(
        key,
        format!(
            "{date} would expect {orders} orders ({} x forecast_scale): beyond the model's limit of \
             {} orders a day",
            f.file,
            num(MAX_ORDERS_PER_DAY)
        ),
        "lower forecast_scale, or the forecast's orders of that day".to_string(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(hourly: bool, slots: Vec<Option<f64>>) -> ForecastFile {
        ForecastFile { shown: "f.csv".into(), hourly, slots, outside: 0 }
    }

    fn start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
    }

    fn check(f: &ForecastFile, days: u32, scale: f64) -> (Option<Forecast>, Checker, Vec<String>) {
        let d = RawDemand {
            forecast_scale: scale,
            forecast: Some(super::super::files::RawFile::Path("f".into())),
            ..RawDemand::default()
        };
        let mut c = Checker::default();
        let mut notes = Vec::new();
        let out = validate_forecast(&mut c, &d, Some(f), (start(), days), &mut notes);
        (out, c, notes)
    }

    #[test]
    fn missing_dates_are_named_in_runs() {
        let mut slots = vec![Some(1.0); 10];
        for d in [2, 3, 4, 8] {
            slots[d] = None;
        }
        let (out, c, _) = check(&file(false, slots), 10, 1.0);
        assert!(out.is_none());
        assert_eq!(c.issues[0].path, "demand.forecast");
        assert_eq!(
            c.issues[0].message,
            "f.csv has no row for 2026-11-03 .. 2026-11-05, 2026-11-09, inside the horizon 2026-11-01 .. 2026-11-10"
        );
    }

    #[test]
    fn missing_hours_name_whole_days_and_single_hours() {
        let mut slots = vec![Some(1.0); 4 * 24];
        for h in 0..48 {
            slots[24 + h] = None; // days 1 and 2 wholly
        }
        slots[3 * 24 + 5] = None;
        slots[3 * 24 + 7] = None;
        slots[3 * 24 + 8] = None;
        let (_, c, _) = check(&file(true, slots), 4, 1.0);
        assert!(
            c.issues[0]
                .message
                .contains("misses 2026-11-02 .. 2026-11-03 (every hour), 2026-11-04 hours 5, 7 .. 8, inside"),
            "{}",
            c.issues[0].message
        );
    }

    #[test]
    fn the_scale_multiplies_every_value_and_hours_sum_to_the_day() {
        let slots: Vec<Option<f64>> = (0..48).map(|h| Some(h as f64)).collect();
        let (out, c, _) = check(&file(true, slots), 2, 2.0);
        assert!(c.issues.is_empty());
        let f = out.unwrap();
        assert_eq!(f.day_total, vec![2.0 * 276.0, 2.0 * 852.0]);
        assert_eq!(f.hours.unwrap()[1][23], 94.0);
    }

    #[test]
    fn rows_outside_and_ignored_settings_are_noted() {
        let mut f = file(false, vec![Some(1.0); 3]);
        f.outside = 12;
        let mut c = Checker::default();
        let mut notes = Vec::new();
        let mut d = RawDemand { trend_per_year: 0.1, ..RawDemand::default() };
        d.peaks.push(super::super::raw::RawPeak { name: "BF".into(), multiplier: 3.0, ..Default::default() });
        validate_forecast(&mut c, &d, Some(&f), (start(), 3), &mut notes);
        assert_eq!(notes[0], "f.csv: 12 rows outside the horizon 2026-11-01 .. 2026-11-03 were ignored");
        assert!(notes[1].contains("peaks `BF` (3x), `trend_per_year` (0.1)"), "{}", notes[1]);
        let hourly = file(true, vec![Some(1.0); 24]);
        let d = RawDemand { hourly_profile: vec![1.0; 24], ..RawDemand::default() };
        let mut notes = Vec::new();
        validate_forecast(&mut c, &d, Some(&hourly), (start(), 1), &mut notes);
        assert_eq!(notes, ["f.csv: ignored because the forecast replaces them: `hourly_profile`"]);
    }

    #[test]
    fn a_scale_without_a_forecast_is_refused() {
        let mut c = Checker::default();
        let d = RawDemand { forecast_scale: 2.0, ..RawDemand::default() };
        assert!(validate_forecast(&mut c, &d, None, (start(), 3), &mut Vec::new()).is_none());
        assert_eq!(c.issues[0].path, "demand.forecast_scale");
    }
}
