//! Capacity search: the largest demand multiplier at which every `[targets]` entry still holds on
//! its 95% interval (doubling, then bisection, on common random numbers). Numbers only, no I/O.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::kpi::{Comparison, Unit};
use crate::scenario::derived::expected_orders_on;
use crate::scenario::load::Override;
use crate::scenario::{self, Scenario, Source};
use crate::units::MS_PER_HOUR;

use super::sweep::Grid;
use super::targets::{self, Verdict};
use super::{RunOptions, run};

/// The key the multiplier scales.
pub const DEMAND_KEY: &str = "demand.orders_per_day";
/// The key the multiplier scales when the scenario has a forecast.
pub const FORECAST_KEY: &str = "demand.forecast_scale";
/// Default relative tolerance of the bisection: it stops when `hi - lo <= tolerance x lo`.
pub const DEFAULT_TOLERANCE: f64 = 0.05;
/// Default highest multiplier tried when doubling.
pub const DEFAULT_MAX_MULTIPLIER: f64 = 64.0;
/// Lowest multiplier tried when targets fail already at 1x (halving from 1).
pub const MIN_MULTIPLIER: f64 = 1.0 / 64.0;

/// How a search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Targets hold at 1x and break at a higher multiplier, found to the tolerance.
    Found,
    /// Targets already fail at 1x; the multiplier found is below 1.
    FailsAtOne,
    /// Targets still hold at the cap: the multiplier is the cap, a lower bound.
    HoldsToCap,
    /// Targets fail even at the lowest multiplier tried.
    FailsEverywhere,
}

impl Status {
    /// Lower-case name (as in CSV and JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Found => "found",
            Status::FailsAtOne => "fails_at_1x",
            Status::HoldsToCap => "holds_to_cap",
            Status::FailsEverywhere => "fails_everywhere",
        }
    }
}

/// One target's judgement at one step.
#[derive(Debug, Clone, Serialize)]
pub struct Judged {
    /// KPI name, with the window a target names (`on_time_rate in "Black Friday week"`).
    pub kpi: String,
    /// The target as written (`>= 0.95`).
    pub target: String,
    /// Threshold in the KPI's unit.
    pub threshold: f64,
    /// `pass`, `fail` or `inconclusive`.
    pub verdict: &'static str,
    /// Mean across replications.
    pub mean: Option<f64>,
    /// 95% interval.
    pub ci95_low: Option<f64>,
    /// 95% interval.
    pub ci95_high: Option<f64>,
    /// Whether the interval was cut at the KPI's range.
    pub ci95_clamped: bool,
    /// How far the mean is on the wrong side of the threshold, as a share of the threshold
    /// (0 when the mean is on the right side).
    pub shortfall: f64,
    /// The KPI's unit (`s`, `ratio`, ...).
    pub unit: &'static str,
}

/// One multiplier tried.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Demand multiplier.
    pub multiplier: f64,
    /// `demand.orders_per_day` at this multiplier (with a forecast: its mean a day).
    pub orders_per_day: f64,
    /// Whether every target passed.
    pub holds: bool,
    /// Set when the step stopped on a model limit (counts as not holding).
    pub limit: Option<String>,
    /// Every target's judgement (empty when a limit stopped the step).
    pub targets: Vec<Judged>,
}

/// The busiest hour of a scenario's demand model.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PeakHour {
    /// Expected orders in that hour.
    pub orders_per_hour: f64,
    /// Expected orders on that day.
    pub orders_that_day: f64,
    /// Start of the hour, ISO 8601 local date-time (`2026-11-27T20:00:00`).
    #[serde(serialize_with = "iso")]
    pub at: chrono::NaiveDateTime,
}

fn iso<S: serde::Serializer>(t: &chrono::NaiveDateTime, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&t.format("%Y-%m-%dT%H:%M:%S").to_string())
}

/// The busiest hour over the measured days (after the warm-up) of `scenario`, from its demand
/// model: expected orders on the day (orders/day x weekday x strongest peak x trend, or the
/// forecast's) x the largest hour-of-day share, or an hourly forecast's busiest hour. Expected
/// values, not a sample.
pub fn peak_hour(scenario: &Scenario) -> PeakHour {
    if let Some(hours) = scenario.demand.forecast.as_ref().and_then(|f| f.hours.as_ref()) {
        return forecast_peak_hour(scenario, hours);
    }
    let shares = &scenario.demand.hourly_share;
    let (hour, share) =
        shares.iter().enumerate().fold((0, 0.0), |best, (h, &s)| if s > best.1 { (h, s) } else { best });
    let first = scenario.warmup_days.min(scenario.days.saturating_sub(1));
    let (day, total) = (first..scenario.days)
        .map(|d| (d, expected_orders_on(scenario, d)))
        .fold((first, f64::MIN), |best, (d, t)| if t > best.1 { (d, t) } else { best });
    let total = total.max(0.0);
    let midnight = scenario.date_of_day(day).and_hms_opt(0, 0, 0).unwrap_or_default();
    let at = midnight + chrono::Duration::milliseconds((hour as u64 * MS_PER_HOUR) as i64);
    PeakHour { orders_per_hour: total * share, orders_that_day: total, at }
}

/// The busiest hour of an hourly forecast over the measured days (the first, on a tie).
fn forecast_peak_hour(scenario: &Scenario, hours: &[[f64; 24]]) -> PeakHour {
    let first = scenario.warmup_days.min(scenario.days.saturating_sub(1));
    let (mut best_day, mut best_hour, mut best) = (first, 0, f64::MIN);
    for day in first..scenario.days {
        for (hour, &x) in hours[day as usize].iter().enumerate() {
            if x > best {
                (best_day, best_hour, best) = (day, hour, x);
            }
        }
    }
    let midnight = scenario.date_of_day(best_day).and_hms_opt(0, 0, 0).unwrap_or_default();
    let at = midnight + chrono::Duration::milliseconds((best_hour as u64 * MS_PER_HOUR) as i64);
    let that_day = expected_orders_on(scenario, best_day);
    PeakHour { orders_per_hour: best.max(0.0), orders_that_day: that_day, at }
}

/// Refuses a scenario whose demand cannot be scaled: a replayed order history.
pub fn scalable(sc: &Scenario) -> Result<()> {
    if sc.demand.history.is_some() {
        return Err(Error::Usage(format!(
            "`{}` replays an order history (demand.history): its orders are the file's and cannot be \
             scaled; capacity needs a demand model: fit one with `o2d init --from-history FILE` and \
             search that scenario",
            sc.name
        )));
    }
    Ok(())
}

/// What a search found.
#[derive(Debug, Clone, Serialize)]
pub struct Capacity {
    /// How it ended.
    pub status: Status,
    /// The largest multiplier tried at which every target held (None: none held).
    pub multiplier: Option<f64>,
    /// `demand.orders_per_day` at that multiplier.
    pub orders_per_day: Option<f64>,
    /// The busiest hour at that multiplier.
    pub peak: Option<PeakHour>,
    /// The smallest multiplier tried above it at which a target did not hold.
    pub breaks_at: Option<f64>,
    /// The targets that did not hold at `breaks_at`, the furthest off first.
    pub breaking: Vec<Judged>,
    /// Why `breaks_at` failed when a model limit stopped it.
    pub breaking_limit: Option<String>,
    /// Every step, in the order tried.
    pub steps: Vec<Step>,
}

/// How to search.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    /// Relative tolerance of the bisection (`hi - lo <= tolerance x lo`).
    pub tolerance: f64,
    /// Highest multiplier tried when doubling.
    pub max_multiplier: f64,
}

impl SearchOptions {
    /// Refuses a tolerance outside 0..1 and a cap outside 1..=1,000,000.
    pub fn check(&self) -> Result<()> {
        if !(self.tolerance > 0.0 && self.tolerance < 1.0) {
            return Err(Error::Usage(format!(
                "--tolerance {}: expected a share between 0 and 1, e.g. 0.05",
                self.tolerance
            )));
        }
        if !(self.max_multiplier >= 1.0 && self.max_multiplier <= 1e6) {
            return Err(Error::Usage(format!(
                "--max-multiplier {}: expected a number from 1 to 1000000",
                self.max_multiplier
            )));
        }
        Ok(())
    }
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self { tolerance: DEFAULT_TOLERANCE, max_multiplier: DEFAULT_MAX_MULTIPLIER }
    }
}

/// The key of the direct-rate demand of support (pre-sale questions), scaled with orders.
pub const PRESALE_KEY: &str = "support.contacts.presale.per_hour";

/// The demand a multiplier scales: orders per day (or the forecast's scale) and, with support,
/// pre-sale questions per hour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaseDemand {
    /// `demand.orders_per_day`; with a forecast, the forecast's mean orders a day.
    pub orders_per_day: f64,
    /// `demand.forecast_scale`, when the scenario has a forecast (which the multiplier scales
    /// instead of `orders_per_day`, which a forecast replaces).
    pub forecast_scale: Option<f64>,
    /// `support.contacts.presale.per_hour`, when support is modelled.
    pub presale_per_hour: Option<f64>,
}

impl BaseDemand {
    /// The base demand of a loaded scenario.
    pub fn of(sc: &crate::scenario::Scenario) -> Self {
        let presale = crate::scenario::support::ContactType::Presale;
        Self {
            orders_per_day: orders_per_day(sc),
            forecast_scale: sc.demand.forecast.as_ref().map(|_| sc.resolved.demand.forecast_scale),
            presale_per_hour: sc.support.as_ref().map(|s| s.contacts[presale].per_hour),
        }
    }
}

/// `demand.orders_per_day`, or with a forecast the forecast's mean orders a day.
fn orders_per_day(sc: &Scenario) -> f64 {
    match &sc.demand.forecast {
        Some(_) => crate::scenario::derived::ordinary_orders_per_day(sc),
        None => sc.demand.orders_per_day,
    }
}

/// The overrides that load the scenario at `multiplier` times its base demand (orders, and the
/// pre-sale questions that arrive independently of orders).
pub fn scaled(base: &[Override], demand: &BaseDemand, multiplier: f64) -> Vec<Override> {
    let mut o = base.to_vec();
    o.push(match demand.forecast_scale {
        Some(scale) => Override { key: FORECAST_KEY.to_string(), value: format!("{}", scale * multiplier) },
        None => {
            Override { key: DEMAND_KEY.to_string(), value: format!("{}", demand.orders_per_day * multiplier) }
        }
    });
    if let Some(p) = demand.presale_per_hour {
        o.push(Override { key: PRESALE_KEY.to_string(), value: format!("{}", p * multiplier) });
    }
    o
}

fn shortfall(c: Comparison, threshold: f64, mean: f64) -> f64 {
    if !mean.is_finite() {
        return f64::INFINITY;
    }
    let off = match c {
        Comparison::AtLeast | Comparison::Above => threshold - mean,
        Comparison::AtMost | Comparison::Below => mean - threshold,
    };
    let scale = if threshold == 0.0 { 1.0 } else { threshold.abs() };
    (off / scale).max(0.0)
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Runs one step: the scenario at `multiplier`, judged against its targets.
fn step(
    source: &Source,
    base: &[Override],
    demand: &BaseDemand,
    multiplier: f64,
    opts: &RunOptions<'_>,
) -> Result<Step> {
    let sc = scenario::load(source, &scaled(base, demand, multiplier))?;
    let orders_per_day = orders_per_day(&sc);
    let result = match run(&sc, opts) {
        Ok(r) => r,
        Err(Error::Limit(why)) => {
            return Ok(Step { multiplier, orders_per_day, holds: false, limit: Some(why), targets: vec![] });
        }
        Err(e) => return Err(e),
    };
    let defs = &result.kpis;
    let checks = targets::check(&sc.targets, &result);
    let mut judged = Vec::new();
    for t in &sc.targets {
        let unit = defs.iter().find(|d| d.name == t.kpi).map_or(Unit::Number, |d| d.unit);
        let j = match checks.iter().find(|c| c.target == *t) {
            Some(c) => Judged {
                kpi: t.label(),
                target: t.text.clone(),
                threshold: t.threshold,
                verdict: c.verdict.as_str(),
                mean: finite(c.summary.mean),
                ci95_low: finite(c.summary.ci95_low),
                ci95_high: finite(c.summary.ci95_high),
                ci95_clamped: c.summary.clamped,
                shortfall: shortfall(t.comparison, t.threshold, c.summary.mean),
                unit: unit.as_str(),
            },
            // A target on a KPI this scenario does not report cannot hold.
            None => Judged {
                kpi: t.label(),
                target: t.text.clone(),
                threshold: t.threshold,
                verdict: Verdict::Inconclusive.as_str(),
                mean: None,
                ci95_low: None,
                ci95_high: None,
                ci95_clamped: false,
                shortfall: f64::INFINITY,
                unit: unit.as_str(),
            },
        };
        judged.push(j);
    }
    let holds = judged.iter().all(|j| j.verdict == Verdict::Pass.as_str());
    Ok(Step { multiplier, orders_per_day, holds, limit: None, targets: judged })
}

/// Searches the largest multiplier of `source` (with `base` overrides) at which every target
/// holds.
///
/// The multiplier scales `demand.orders_per_day` through the ordinary override mechanism, so
/// weekday factors, peaks and trend (all multipliers of it) scale with it; with a forecast it
/// scales `demand.forecast_scale`, so every day and hour of the forecast. Every step runs the
/// scenario's replications with the scenario's seed (common random numbers), so the search is
/// deterministic. A target holds only when its judgement is `pass`: "inconclusive" counts as not
/// holding, and so does a step stopped by a model limit (more orders open than the model allows).
///
/// Steps: 1x first; if it holds, double until a target does not hold (or the cap holds); if it
/// does not, halve down to [`MIN_MULTIPLIER`]; then bisect between the last multiplier that
/// held and the first that did not until they are within the tolerance. Assumes the verdict
/// is monotone in demand (more demand never helps); the answer is the largest multiplier tried
/// that held, with one that did not within the tolerance above it.
pub fn search(
    source: &Source,
    base: &[Override],
    opts: &RunOptions<'_>,
    search: SearchOptions,
    on_step: &dyn Fn(&Step),
) -> Result<Capacity> {
    search.check()?;
    let sc = scenario::load(source, base)?;
    scalable(&sc)?;
    if sc.targets.is_empty() {
        return Err(Error::Usage(format!(
            "`{}` has no [targets]: capacity searches for the largest demand at which every target \
             holds; add e.g. `[targets]` with `on_time_rate = \">= 0.95\"`",
            sc.name
        )));
    }
    if (sc.replications as usize) < targets::MIN_REPLICATIONS {
        let min = targets::MIN_REPLICATIONS;
        return Err(Error::Usage(format!(
            "`{}` runs {} replications: capacity judges every target at every step, and a pass or \
             fail needs at least {min} replications (fewer are always inconclusive); pass \
             --replications {min} or more, or set run.replications",
            sc.name, sc.replications
        )));
    }
    let demand = BaseDemand::of(&sc);
    let base_opd = demand.orders_per_day;
    if base_opd <= 0.0 {
        let what = if demand.forecast_scale.is_some() {
            "its forecast x forecast_scale is 0"
        } else {
            "orders_per_day = 0"
        };
        return Err(Error::Usage(format!("`{}` has no demand ({what}): nothing to scale", sc.name)));
    }
    let mut steps: Vec<Step> = Vec::new();
    let try_at = |m: f64, steps: &mut Vec<Step>| -> Result<bool> {
        let s = step(source, base, &demand, m, opts)?;
        on_step(&s);
        let holds = s.holds;
        steps.push(s);
        Ok(holds)
    };
    let (mut lo, mut hi): (Option<f64>, Option<f64>);
    let status;
    if try_at(1.0, &mut steps)? {
        lo = Some(1.0);
        hi = None;
        let mut m = 2.0;
        while m <= search.max_multiplier {
            if try_at(m, &mut steps)? {
                lo = Some(m);
                m *= 2.0;
            } else {
                hi = Some(m);
                break;
            }
        }
        if hi.is_none() && lo.is_some_and(|l| l < search.max_multiplier) {
            // The cap is not a power of two: try it exactly.
            let cap = search.max_multiplier;
            if try_at(cap, &mut steps)? { lo = Some(cap) } else { hi = Some(cap) }
        }
        status = if hi.is_none() { Status::HoldsToCap } else { Status::Found };
    } else {
        hi = Some(1.0);
        lo = None;
        let mut m = 0.5;
        while m >= MIN_MULTIPLIER {
            if try_at(m, &mut steps)? {
                lo = Some(m);
                break;
            }
            hi = Some(m);
            m /= 2.0;
        }
        status = if lo.is_none() { Status::FailsEverywhere } else { Status::FailsAtOne };
    }
    if let (Some(mut l), Some(mut h)) = (lo, hi) {
        while h - l > search.tolerance * l {
            let mid = (l + h) / 2.0;
            if try_at(mid, &mut steps)? { l = mid } else { h = mid }
        }
        lo = Some(l);
        hi = Some(h);
    }
    let at = |m: Option<f64>| m.and_then(|m| steps.iter().find(|s| s.multiplier == m));
    let (breaking, breaking_limit) = match at(hi) {
        Some(s) => {
            let mut b: Vec<Judged> =
                s.targets.iter().filter(|j| j.verdict != Verdict::Pass.as_str()).cloned().collect();
            b.sort_by(|x, y| y.shortfall.total_cmp(&x.shortfall));
            (b, s.limit.clone())
        }
        None => (vec![], None),
    };
    let peak = match lo {
        Some(m) => Some(peak_hour(&scenario::load(source, &scaled(base, &demand, m))?)),
        None => None,
    };
    Ok(Capacity {
        status,
        multiplier: lo,
        orders_per_day: lo.map(|m| base_opd * m),
        peak,
        breaks_at: hi,
        breaking,
        breaking_limit,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_a_forecast_the_multiplier_scales_the_forecast_not_orders_per_day() {
        let plain = BaseDemand { orders_per_day: 2000.0, forecast_scale: None, presale_per_hour: None };
        let o = scaled(&[], &plain, 1.5);
        assert_eq!((o[0].key.as_str(), o[0].value.as_str()), (DEMAND_KEY, "3000"));
        let forecast = BaseDemand { forecast_scale: Some(1.2), ..plain };
        let o = scaled(&[], &forecast, 2.0);
        assert_eq!(o.len(), 1);
        assert_eq!((o[0].key.as_str(), o[0].value.as_str()), (FORECAST_KEY, "2.4"));
    }

    #[test]
    fn an_hourly_forecasts_busiest_hour_is_the_peak_hour() {
        let text = "[run]\nstart_date = \"2026-11-02\"\ndays = 3\nwarmup_days = 1\n";
        let mut sc = scenario::load(&Source::Text { name: "t.toml".into(), text: text.into() }, &[]).unwrap();
        let mut hours = vec![[1.0; 24]; 3];
        hours[0][5] = 900.0; // in the warm-up: not measured
        hours[2][17] = 40.0;
        let day_total = hours.iter().map(|h| h.iter().sum()).collect();
        sc.demand.forecast =
            Some(crate::scenario::forecast::Forecast { file: "f".into(), day_total, hours: Some(hours) });
        let p = peak_hour(&sc);
        assert_eq!(p.orders_per_hour, 40.0);
        assert_eq!(p.orders_that_day, 63.0);
        assert_eq!(p.at.to_string(), "2026-11-04 17:00:00");
    }

    #[test]
    fn shortfall_is_the_relative_distance_on_the_wrong_side() {
        assert!((shortfall(Comparison::AtLeast, 0.95, 0.90) - 0.05 / 0.95).abs() < 1e-12);
        assert_eq!(shortfall(Comparison::AtLeast, 0.95, 0.97), 0.0);
        assert!((shortfall(Comparison::AtMost, 100.0, 150.0) - 0.5).abs() < 1e-12);
        assert!(shortfall(Comparison::AtMost, 100.0, f64::NAN).is_infinite());
    }
}

/// The search at one point of a `--vary` grid (no grid: one point with no keys).
#[derive(Debug, Clone, Serialize)]
pub struct CapacityPoint {
    /// Grid point index.
    pub point: usize,
    /// Varied keys and their values at this point (values as TOML text; in JSON the values
    /// themselves, `8` not `"8"`).
    #[serde(serialize_with = "typed_pairs")]
    pub values: Vec<(String, String)>,
    /// What the search found.
    pub capacity: Capacity,
}

/// `(key, value)` pairs with each value as the TOML value its text is.
fn typed_pairs<S: serde::Serializer>(
    values: &[(String, String)],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    let typed: Vec<(&String, serde_json::Value)> =
        values.iter().map(|(k, v)| (k, super::sweep::json_value(v))).collect();
    typed.serialize(s)
}

/// The overrides of each point of `grid` (one point without a grid): `base`, then the point's
/// values. Every point loads (and is checked) here, before anything runs.
pub fn point_overrides(
    source: &Source,
    base: &[Override],
    grid: Option<&Grid>,
) -> Result<Vec<Vec<Override>>> {
    let Some(g) = grid else { return Ok(vec![base.to_vec()]) };
    (0..g.points())
        .map(|p| {
            super::sweep::load_point(source, base, g, p)?;
            let mut o = base.to_vec();
            o.extend(g.overrides(p));
            Ok(o)
        })
        .collect()
}

/// Searches once per point (`points` from [`point_overrides`]); `on_step` hears of every step
/// with its point.
pub fn search_grid(
    source: &Source,
    grid: Option<&Grid>,
    points: &[Vec<Override>],
    opts: &RunOptions<'_>,
    options: SearchOptions,
    on_step: &dyn Fn(usize, &Step),
) -> Result<Vec<CapacityPoint>> {
    let mut found = Vec::with_capacity(points.len());
    for (p, o) in points.iter().enumerate() {
        let values: Vec<(String, String)> = grid.map_or(vec![], |g| {
            g.keys.iter().cloned().zip(g.point(p).iter().map(|v| v.to_string())).collect()
        });
        let capacity = search(source, o, opts, options, &|s: &Step| on_step(p, s))?;
        found.push(CapacityPoint { point: p, values, capacity });
    }
    Ok(found)
}
