//! The scenario file as written: serde structs with documented defaults and no unknown keys.
//! Values stay as the user wrote them (durations as strings); `validate` turns them into a model.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::dist::{Quantity, RawDist};

fn s(v: &str) -> String {
    v.to_string()
}

fn days(list: &[&str]) -> Vec<String> {
    list.iter().map(|d| s(d)).collect()
}

const MON_FRI: &[&str] = &["mon", "tue", "wed", "thu", "fri"];
const MON_SAT: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat"];
const EVERY_DAY: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A whole scenario. Every key has a default, so a file states only what differs.
/// A section a file leaves out runs with its defaults, except the optional sections named as such.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawScenario {
    /// Horizon, warm-up, replications and seed.
    pub run: RawRun,
    /// Order intake.
    pub demand: RawDemand,
    /// Warehouse pick and pack.
    pub fulfilment: RawFulfilment,
    /// Carriers that pick parcels up and deliver them.
    pub carriers: Vec<RawCarrier>,
    /// Stock and replenishment; optional: without it every SKU is always in stock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory: Option<super::inventory::RawInventory>,
    /// Reverse logistics; optional: without it nobody returns anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returns: Option<super::returns::RawReturns>,
    /// Customer support; optional: without it no contact is modelled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<super::support::RawSupport>,
    /// The customer base as entities who place the repeat orders, remember bad experiences and
    /// may leave; optional: without it every order is its own customer and nobody leaves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customers: Option<super::customers::RawCustomers>,
    /// What `o2d staff` plans to and the shifts it may plan; optional: without it `o2d staff`
    /// plans with the defaults. Needs `[support]`; `o2d run` ignores it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staffing: Option<super::staffing::RawStaffing>,
    /// Public holidays: no carrier pickups or deliveries, business-day promises skip them, and
    /// shifts with `works_holidays = false` stay closed; optional: without it no day is a holiday.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<super::calendar::RawCalendar>,
    /// KPI targets, e.g. `on_time_rate = ">= 0.95"` or `order_cycle_time_p90 = "<= 4d"`, judged
    /// on the whole horizon; a window's own targets in a table named after it,
    /// `[targets."Black Friday week"]`.
    pub targets: BTreeMap<String, RawTarget>,
    /// For `o2d sweep`: dotted key -> list of values, e.g. `"fulfilment.shifts[0].pickers" = [8, 10, 12]`.
    /// Every combination is a point; `o2d run` ignores this table.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(with = "BTreeMap<String, Vec<serde_json::Value>>")]
    pub sweep: BTreeMap<String, Vec<serde_json::Value>>,
}

/// `[run]`: what to simulate and how often.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawRun {
    /// Scenario name used for the output folder; default: the file name without `.toml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One line saying what question the scenario answers.
    pub description: String,
    /// First simulated day (ISO date).
    pub start_date: String,
    /// Simulated days, warm-up included.
    pub days: u32,
    /// Leading days excluded from the KPIs (the pipeline fills up).
    pub warmup_days: u32,
    /// Independent replications.
    pub replications: u32,
    /// Base random seed: same seed, same numbers.
    pub seed: u64,
    /// Currency of every amount (wages, prices, costs), shown with money in the table, e.g.
    /// "EUR"; absent = amounts without a currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Spans of dates whose KPIs are reported on their own as well as over the whole horizon,
    /// e.g. "Black Friday week"; none by default.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<RawWindow>,
}

/// `[[run.windows]]`: a named span of dates reported on its own.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawWindow {
    /// Name shown in the outputs and used by `--window` and `[targets."NAME"]`.
    pub name: String,
    /// First date (ISO).
    pub from: String,
    /// Last date, inclusive (ISO).
    pub to: String,
}

impl Default for RawRun {
    fn default() -> Self {
        Self {
            name: None,
            description: String::new(),
            start_date: s("2026-11-01"),
            days: 28,
            warmup_days: 0,
            replications: 10,
            seed: 1,
            currency: None,
            windows: Vec::new(),
        }
    }
}

/// `[demand]`: how many orders arrive, when, and what they ask for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawDemand {
    /// Mean orders on an ordinary day (before weekday factors, peaks and trend).
    pub orders_per_day: f64,
    /// Seven factors, Monday first, multiplying orders_per_day.
    pub day_of_week: Vec<f64>,
    /// 24 relative weights, one per hour from 00:00; normalised to the day's total.
    pub hourly_profile: Vec<f64>,
    /// Linear growth per year (0.1 = +10% a year, applied day by day).
    pub trend_per_year: f64,
    /// Named peaks (Black Friday, Cyber Monday, Christmas ...).
    pub peaks: Vec<RawPeak>,
    /// Lines per order (a count distribution; values are rounded, at least 1).
    pub lines_per_order: RawDist,
    /// Shipping options offered at checkout; their shares must sum to 1.
    pub shipping_options: Vec<RawShippingOption>,
    /// The planner's own forecast, a CSV file (`date,orders`, optionally `hour`) next to the
    /// scenario: it replaces orders_per_day x weekday x peaks x trend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast: Option<super::files::RawFile>,
    /// Multiplies every value of `forecast` (1.5 = 50% above it); `o2d capacity` scales this.
    #[serde(skip_serializing_if = "is_one")]
    #[schemars(extend("default" = 1.0))]
    pub forecast_scale: f64,
    /// An order history to replay instead of the demand model: a CSV file (path relative to the
    /// scenario file) with `placed_at`, `lines` and optional `skus`, `shipping_option`, `customer_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<super::files::RawFile>,
}

fn is_one(x: &f64) -> bool {
    *x == 1.0
}

fn is_true(x: &bool) -> bool {
    *x
}

impl Default for RawDemand {
    fn default() -> Self {
        Self {
            orders_per_day: 2_000.0,
            day_of_week: vec![1.05, 1.0, 1.0, 1.0, 0.95, 0.9, 1.1],
            hourly_profile: vec![
                0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 0.9, 1.2, 1.4, 1.5, 1.5, //
                1.6, 1.5, 1.4, 1.4, 1.4, 1.5, 1.7, 1.9, 2.0, 1.8, 1.2, 0.6,
            ],
            trend_per_year: 0.0,
            peaks: vec![],
            lines_per_order: RawDist {
                dist: s("empirical"),
                values: Some([1.0, 2.0, 3.0, 4.0, 5.0].map(Quantity::Number).to_vec()),
                weights: Some(vec![50.0, 25.0, 13.0, 7.0, 5.0]),
                ..RawDist::default()
            },
            shipping_options: vec![
                RawShippingOption {
                    name: s("standard"),
                    share: 0.8,
                    promised_days: 3,
                    ..RawShippingOption::default()
                },
                RawShippingOption {
                    name: s("express"),
                    share: 0.2,
                    promised_days: 1,
                    express: true,
                    ..RawShippingOption::default()
                },
            ],
            forecast: None,
            forecast_scale: 1.0,
            history: None,
        }
    }
}

/// `[[demand.peaks]]`: a dated surge in demand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawPeak {
    /// Name shown in reports, e.g. "Black Friday".
    pub name: String,
    /// First day at full strength (ISO date).
    pub date: String,
    /// Days at full strength.
    pub days: u32,
    /// Demand multiplier at full strength (3.5 = 3.5x an ordinary day).
    pub multiplier: f64,
    /// Days of linear ramp before the peak (up) and after it (down).
    pub ramp_days: u32,
}

impl Default for RawPeak {
    fn default() -> Self {
        Self { name: s("peak"), date: String::new(), days: 1, multiplier: 1.0, ramp_days: 0 }
    }
}

/// `[[demand.shipping_options]]`: a delivery promise offered at checkout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawShippingOption {
    /// Name, e.g. "standard".
    pub name: String,
    /// Share of orders choosing it (0..1).
    pub share: f64,
    /// Days from dispatch to the promised delivery date.
    pub promised_days: u32,
    /// Count calendar days instead of business days (Mon-Fri, not holidays).
    pub calendar_days: bool,
    /// Picked and packed before non-express orders.
    pub express: bool,
    /// Carriers allowed for it (by name, chosen by their shares); empty = all carriers.
    pub carriers: Vec<String>,
}

impl Default for RawShippingOption {
    fn default() -> Self {
        Self {
            name: s("standard"),
            share: 1.0,
            promised_days: 3,
            calendar_days: false,
            express: false,
            carriers: vec![],
        }
    }
}

/// `[fulfilment]`: the warehouse's shifts, rates, errors and automation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawFulfilment {
    /// Weekly shifts with their pickers and packers.
    pub shifts: Vec<RawShift>,
    /// Order lines one picker picks per hour (each line's time is exponential with this rate).
    pub pick_rate_per_hour: f64,
    /// Orders one packer packs per hour (exponential packing time with this rate).
    pub pack_rate_per_hour: f64,
    /// Orders placed before this clock time are promised dispatch the same day.
    pub same_day_cutoff: String,
    /// Share of manually picked lines that are the wrong item.
    pub wrong_item_rate: f64,
    /// Share of orders labelled with a wrong address (first delivery attempt fails).
    pub wrong_address_rate: f64,
    /// Share of orders damaged by poor packing.
    pub damaged_packing_rate: f64,
    /// Cost of one worker-hour on shift.
    pub wage_per_hour: f64,
    /// Automated picking.
    pub automation: RawAutomation,
    /// Dated extra staff (temporary peak workers).
    pub overrides: Vec<RawStaffOverride>,
}

impl Default for RawFulfilment {
    fn default() -> Self {
        Self {
            shifts: vec![
                RawShift {
                    name: s("early"),
                    days: days(MON_SAT),
                    start: s("06:00"),
                    end: s("14:00"),
                    pickers: 8,
                    packers: 6,
                    works_holidays: true,
                },
                RawShift {
                    name: s("late"),
                    days: days(MON_FRI),
                    start: s("14:00"),
                    end: s("22:00"),
                    pickers: 6,
                    packers: 5,
                    works_holidays: true,
                },
            ],
            pick_rate_per_hour: 60.0,
            pack_rate_per_hour: 30.0,
            same_day_cutoff: s("14:00"),
            wrong_item_rate: 0.003,
            wrong_address_rate: 0.001,
            damaged_packing_rate: 0.002,
            wage_per_hour: 25.0,
            automation: RawAutomation::default(),
            overrides: vec![],
        }
    }
}

/// `[[fulfilment.shifts]]`: a weekly shift.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawShift {
    /// Name, used by staffing overrides.
    pub name: String,
    /// Weekdays the shift works ("mon" .. "sun").
    pub days: Vec<String>,
    /// Start clock time.
    pub start: String,
    /// End clock time (after start; "24:00" for midnight).
    pub end: String,
    /// Pickers on the shift.
    pub pickers: u32,
    /// Packers on the shift.
    pub packers: u32,
    /// Whether it works on the holidays of `[calendar]` (an override with `open_extra_days`
    /// opens it on a holiday too).
    #[serde(skip_serializing_if = "is_true")]
    #[schemars(extend("default" = true))]
    pub works_holidays: bool,
}

impl Default for RawShift {
    fn default() -> Self {
        Self {
            name: s("day"),
            days: days(MON_FRI),
            start: s("08:00"),
            end: s("16:00"),
            pickers: 10,
            packers: 5,
            works_holidays: true,
        }
    }
}

/// `[fulfilment.automation]`: automated picking for a share of lines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawAutomation {
    /// Share of order lines routed to automation (0 = none).
    pub share: f64,
    /// Lines the automation picks per hour while running.
    pub lines_per_hour: f64,
    /// Daily start clock time.
    pub start: String,
    /// Daily end clock time.
    pub end: String,
    /// Weekdays it runs.
    pub days: Vec<String>,
    /// Share of automated lines that are the wrong item.
    pub wrong_item_rate: f64,
    /// Cost per automated line.
    pub cost_per_line: f64,
}

impl Default for RawAutomation {
    fn default() -> Self {
        Self {
            share: 0.0,
            lines_per_hour: 0.0,
            start: s("00:00"),
            end: s("24:00"),
            days: days(EVERY_DAY),
            wrong_item_rate: 0.0005,
            cost_per_line: 0.15,
        }
    }
}

/// `[[fulfilment.overrides]]`: extra staff on a range of dates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawStaffOverride {
    /// First date (ISO).
    pub from: String,
    /// Last date, inclusive (ISO).
    pub to: String,
    /// Shift name it applies to; empty = every shift.
    pub shift: String,
    /// Extra pickers on each matching shift.
    pub extra_pickers: u32,
    /// Extra packers on each matching shift.
    pub extra_packers: u32,
    /// Make the shift work on these dates even on a weekday it normally does not.
    pub open_extra_days: bool,
}

/// `[[carriers]]`: a parcel carrier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawCarrier {
    /// Name, used by shipping options.
    pub name: String,
    /// Relative share of orders among the carriers an option allows.
    pub share: f64,
    /// Clock times of pickups at the warehouse.
    pub pickups: Vec<String>,
    /// Weekdays with pickups.
    pub pickup_days: Vec<String>,
    /// Parcels taken per day at most; absent = unlimited. Parcels over capacity wait for the
    /// next pickup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_per_day: Option<u32>,
    /// Time from pickup to the first delivery attempt (a duration distribution).
    pub transit: RawDist,
    /// Weekdays with deliveries; an attempt due on another day moves to the next delivery day.
    pub delivery_days: Vec<String>,
    /// Share of parcels lost in transit.
    pub loss_rate: f64,
    /// Share of parcels damaged in transit.
    pub damage_rate: f64,
    /// Share of delivery attempts that fail (nobody home).
    pub failed_attempt_rate: f64,
    /// Time from a failed attempt to the next one.
    pub reattempt_delay: String,
    /// Attempts at the door; the last one leaves the parcel at a pickup point (delivered).
    pub max_attempts: u32,
    /// Cost per parcel.
    pub cost_per_parcel: f64,
    /// Dated capacity cuts (a strike, a hub outage): on these dates the carrier takes at most
    /// the disruption's `capacity_per_day`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disruptions: Vec<RawCarrierDisruption>,
}

/// `[[carriers.disruptions]]`: a range of dates on which a carrier's daily capacity is cut.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawCarrierDisruption {
    /// First date (ISO).
    pub from: String,
    /// Last date, inclusive (ISO).
    pub to: String,
    /// Parcels the carrier takes per day on these dates (0 = none); overlapping disruptions:
    /// the lowest applies.
    pub capacity_per_day: u32,
}

impl Default for RawCarrier {
    fn default() -> Self {
        Self {
            name: s("parcel"),
            share: 1.0,
            pickups: vec![s("12:00"), s("18:00")],
            pickup_days: days(MON_SAT),
            capacity_per_day: None,
            transit: RawDist::lognormal(Quantity::Text(s("1.5d")), Quantity::Text(s("12h"))),
            delivery_days: days(MON_SAT),
            loss_rate: 0.001,
            damage_rate: 0.003,
            failed_attempt_rate: 0.05,
            reattempt_delay: s("1d"),
            max_attempts: 3,
            cost_per_parcel: 5.5,
            disruptions: Vec::new(),
        }
    }
}

/// The carriers a scenario without `[[carriers]]` uses: one national parcel carrier.
pub fn default_carriers() -> Vec<RawCarrier> {
    vec![RawCarrier::default()]
}

/// A value of `[targets]`: a KPI's target over the horizon, or a window's table of targets.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum RawTarget {
    /// `on_time_rate = ">= 0.95"`.
    Kpi(String),
    /// `[targets."Black Friday week"]` with `on_time_rate = ">= 0.90"`: targets on that window.
    Window(BTreeMap<String, String>),
}

impl<'de> Deserialize<'de> for RawTarget {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = RawTarget;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a target such as \">= 0.95\", or a table of a window's targets such as \
                     [targets.\"Black Friday week\"]",
                )
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawTarget, E> {
                Ok(RawTarget::Kpi(v.to_string()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawTarget, A::Error> {
                let inner = serde::de::value::MapAccessDeserializer::new(map);
                BTreeMap::deserialize(inner).map(RawTarget::Window)
            }
        }
        d.deserialize_any(Visit)
    }
}
