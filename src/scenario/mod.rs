//! Scenarios: the raw file (`raw`), loading with located errors and `--set` overrides (`load`),
//! and the validated types below that models use without re-checking anything.

pub mod calendar;
pub(crate) mod check;
pub mod customers;
pub mod derived;
pub mod files;
pub mod fit;
pub mod forecast;
pub mod inventory;
pub mod load;
pub mod name;
pub mod raw;
pub mod reference;
pub mod returns;
pub mod staffing;
pub mod support;
mod validate;
pub mod windows;

use chrono::NaiveDate;

use crate::dist::Dist;
use crate::kernel::Time;
use crate::kpi::Target;

pub use load::{Source, load};
pub use raw::RawScenario;
pub use validate::{MAX_CARRIERS, MAX_DAYS, MAX_REPLICATIONS, MAX_SHIPPING_OPTIONS};

/// A validated scenario: every value checked, converted to engine units (milliseconds, shares).
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Name used for the output folder.
    pub name: String,
    /// What question it answers.
    pub description: String,
    /// First simulated day.
    pub start_date: NaiveDate,
    /// Simulated days, warm-up included.
    pub days: u32,
    /// Leading days excluded from KPIs.
    pub warmup_days: u32,
    /// Replications to run.
    pub replications: u32,
    /// Base seed.
    pub seed: u64,
    /// Currency of every amount, when the scenario names one.
    pub currency: Option<String>,
    /// Order intake.
    pub demand: Demand,
    /// Warehouse.
    pub fulfilment: Fulfilment,
    /// Carriers (at least one).
    pub carriers: Vec<Carrier>,
    /// Stock, when modelled.
    pub inventory: Option<inventory::Inventory>,
    /// Reverse logistics, when modelled.
    pub returns: Option<returns::Returns>,
    /// Customer support, when modelled.
    pub support: Option<support::Support>,
    /// The customer base, when modelled.
    pub customers: Option<customers::Customers>,
    /// The goals and shift rules of `o2d staff` (`[staffing]` or its defaults), with `[support]`.
    pub staffing: Option<staffing::Staffing>,
    /// Public holidays (none without `[calendar]`).
    pub calendar: calendar::Calendar,
    /// Spans of dates reported on their own, each with at least one measured day.
    pub windows: Vec<windows::Window>,
    /// KPI targets.
    pub targets: Vec<Target>,
    /// The file with every default filled in, as it was validated.
    pub resolved: RawScenario,
    /// What validation accepted but the user should know (e.g. forecast rows outside the
    /// horizon were ignored); commands print them on stderr.
    pub notes: Vec<String>,
}

impl Scenario {
    /// The KPIs this scenario produces, in output order: fulfilment, then each optional
    /// section's own (in the order the model's components report).
    pub fn kpi_defs(&self) -> Vec<crate::kpi::KpiDef> {
        let mut defs = crate::kpi::FULFILMENT_KPIS.to_vec();
        if self.inventory.is_some() {
            defs.extend_from_slice(crate::kpi::INVENTORY_KPIS);
        }
        if self.customers.is_some() {
            defs.extend_from_slice(crate::kpi::CUSTOMER_KPIS);
        }
        if self.returns.is_some() {
            defs.extend_from_slice(crate::kpi::RETURNS_KPIS);
        }
        if let Some(s) = &self.support {
            defs.extend(crate::kpi::support_kpis(&s.used));
        }
        defs
    }

    /// The columns of the daily series, in order.
    pub fn daily_columns(&self) -> Vec<String> {
        let mut cols = crate::kpi::owned(crate::kpi::FULFILMENT_DAILY_COLUMNS);
        if self.inventory.is_some() {
            cols.extend(crate::kpi::owned(crate::kpi::INVENTORY_DAILY_COLUMNS));
        }
        if let Some(c) = &self.customers {
            cols.extend(crate::kpi::customer_daily_columns(&c.segments));
        }
        if self.returns.is_some() {
            cols.extend(crate::kpi::owned(crate::kpi::RETURNS_DAILY_COLUMNS));
        }
        if let Some(s) = &self.support {
            cols.extend(crate::kpi::owned(&crate::kpi::support_daily_columns(&s.used)));
        }
        cols
    }

    /// The columns of the hourly series, in order (inventory and returns add none).
    pub fn hourly_columns(&self) -> Vec<&'static str> {
        let mut cols = crate::kpi::FULFILMENT_HOURLY_COLUMNS.to_vec();
        if let Some(s) = &self.support {
            cols.extend(crate::kpi::support_hourly_columns(&s.used));
        }
        cols
    }

    /// The horizon in engine time.
    pub fn horizon(&self) -> Time {
        u64::from(self.days) * crate::units::MS_PER_DAY
    }

    /// The end of the warm-up in engine time.
    pub fn warmup_end(&self) -> Time {
        u64::from(self.warmup_days) * crate::units::MS_PER_DAY
    }

    /// The weekday (Monday = 0) of the first simulated day, without a calendar computation per
    /// call (simulated day d falls on weekday `(first_weekday() + d) % 7`).
    #[inline]
    pub fn first_weekday(&self) -> u64 {
        crate::units::weekday_index(self.start_date) as u64
    }

    /// The calendar date of simulated day `day` (0 = start date).
    pub fn date_of_day(&self, day: u32) -> NaiveDate {
        self.start_date + chrono::Days::new(u64::from(day))
    }
}

/// Weekdays as a mask, Monday = index 0.
pub type Weekdays = [bool; 7];

/// Demand after validation.
#[derive(Clone, Debug)]
pub struct Demand {
    /// Mean orders on an ordinary day.
    pub orders_per_day: f64,
    /// Weekday factors, Monday first.
    pub day_of_week: [f64; 7],
    /// Share of a day's orders in each hour (sums to 1).
    pub hourly_share: [f64; 24],
    /// Linear growth per year.
    pub trend_per_year: f64,
    /// Peaks, in file order.
    pub peaks: Vec<Peak>,
    /// Lines per order (count).
    pub lines_per_order: Dist,
    /// Shipping options (shares sum to 1).
    pub shipping_options: Vec<ShippingOption>,
    /// The planner's forecast, when given: it replaces orders/day x weekday x peaks x trend.
    pub forecast: Option<forecast::Forecast>,
    /// The order history replayed instead of the demand model above, when the scenario names one.
    pub history: Option<files::history::History>,
}

/// A peak after validation, in day indices relative to the start date.
#[derive(Clone, Debug)]
pub struct Peak {
    /// Display name.
    pub name: String,
    /// First full-strength day (may be negative or past the horizon while its ramp overlaps).
    pub first_day: i64,
    /// Full-strength days (>= 1).
    pub days: u32,
    /// Full-strength multiplier.
    pub multiplier: f64,
    /// Linear ramp days before and after.
    pub ramp_days: u32,
}

impl Peak {
    /// This peak's multiplier on day `day`: full inside, linear on the ramps, 1 elsewhere.
    pub fn factor_on(&self, day: i64) -> f64 {
        let last = self.first_day + i64::from(self.days) - 1;
        let ramp = i64::from(self.ramp_days);
        let distance = if day < self.first_day {
            self.first_day - day
        } else if day > last {
            day - last
        } else {
            0
        };
        if distance == 0 {
            self.multiplier
        } else if distance <= ramp {
            let reach = 1.0 - distance as f64 / (ramp + 1) as f64;
            1.0 + (self.multiplier - 1.0) * reach
        } else {
            1.0
        }
    }
}

/// A shipping option after validation.
#[derive(Clone, Debug)]
pub struct ShippingOption {
    /// Name.
    pub name: String,
    /// Share of orders.
    pub share: f64,
    /// Days from dispatch to the promised delivery date.
    pub promised_days: u32,
    /// Count calendar days rather than business days.
    pub calendar_days: bool,
    /// Served before non-express orders.
    pub express: bool,
    /// Indices of allowed carriers (never empty).
    pub carriers: Vec<usize>,
}

/// The warehouse after validation.
#[derive(Clone, Debug)]
pub struct Fulfilment {
    /// Weekly shifts.
    pub shifts: Vec<Shift>,
    /// Lines per picker-hour.
    pub pick_rate_per_hour: f64,
    /// Orders per packer-hour.
    pub pack_rate_per_hour: f64,
    /// Same-day cutoff in minutes after midnight.
    pub cutoff_min: u32,
    /// Wrong-item share per manual line.
    pub wrong_item_rate: f64,
    /// Wrong-address share per order.
    pub wrong_address_rate: f64,
    /// Damaged-packing share per order.
    pub damaged_packing_rate: f64,
    /// Cost of a worker-hour.
    pub wage_per_hour: f64,
    /// Automated picking.
    pub automation: Automation,
    /// Dated extra staff.
    pub overrides: Vec<StaffOverride>,
}

/// A weekly shift after validation.
#[derive(Clone, Debug)]
pub struct Shift {
    /// Name.
    pub name: String,
    /// Days it works.
    pub days: Weekdays,
    /// Start, minutes after midnight.
    pub start_min: u32,
    /// End, minutes after midnight (> start).
    pub end_min: u32,
    /// Pickers.
    pub pickers: u32,
    /// Packers.
    pub packers: u32,
    /// Whether it works on holidays.
    pub works_holidays: bool,
}

/// Automation after validation.
#[derive(Clone, Debug)]
pub struct Automation {
    /// Share of lines automated.
    pub share: f64,
    /// Lines per hour.
    pub lines_per_hour: f64,
    /// Start, minutes after midnight.
    pub start_min: u32,
    /// End, minutes after midnight.
    pub end_min: u32,
    /// Days it runs.
    pub days: Weekdays,
    /// Wrong-item share per automated line.
    pub wrong_item_rate: f64,
    /// Cost per automated line.
    pub cost_per_line: f64,
}

/// A staffing override after validation (day indices relative to the start date).
#[derive(Clone, Debug)]
pub struct StaffOverride {
    /// First day index.
    pub from_day: i64,
    /// Last day index, inclusive.
    pub to_day: i64,
    /// Shift index it applies to; `None` = every shift.
    pub shift: Option<usize>,
    /// Extra pickers.
    pub extra_pickers: u32,
    /// Extra packers.
    pub extra_packers: u32,
    /// Open the shift on these dates whatever the weekday.
    pub open_extra_days: bool,
}

/// A carrier after validation.
#[derive(Clone, Debug)]
pub struct Carrier {
    /// Name.
    pub name: String,
    /// Relative share among allowed carriers.
    pub share: f64,
    /// Pickup clock times in minutes after midnight, ascending.
    pub pickups_min: Vec<u32>,
    /// Days with pickups.
    pub pickup_days: Weekdays,
    /// Parcels per day at most.
    pub capacity_per_day: Option<u32>,
    /// Transit time, seconds.
    pub transit: Dist,
    /// Days with deliveries.
    pub delivery_days: Weekdays,
    /// Loss share.
    pub loss_rate: f64,
    /// Damage share.
    pub damage_rate: f64,
    /// Failed attempt share.
    pub failed_attempt_rate: f64,
    /// Delay to the next attempt.
    pub reattempt_delay_ms: Time,
    /// Attempts at the door (>= 1).
    pub max_attempts: u32,
    /// Cost per parcel.
    pub cost_per_parcel: f64,
    /// Dated capacity cuts.
    pub disruptions: Vec<CarrierDisruption>,
}

impl Carrier {
    /// Parcels the carrier takes on day `day` (index from the start date): the lowest
    /// disruption capacity covering the day, else `capacity_per_day`; `None` = unlimited.
    pub fn capacity_on(&self, day: i64) -> Option<u32> {
        let cut = self
            .disruptions
            .iter()
            .filter(|d| d.from_day <= day && day <= d.to_day)
            .map(|d| d.capacity_per_day)
            .min();
        match (cut, self.capacity_per_day) {
            (Some(c), Some(base)) => Some(c.min(base)),
            (Some(c), None) => Some(c),
            (None, base) => base,
        }
    }
}

/// A carrier disruption after validation (day indices relative to the start date).
#[derive(Clone, Debug)]
pub struct CarrierDisruption {
    /// First day index.
    pub from_day: i64,
    /// Last day index, inclusive.
    pub to_day: i64,
    /// Parcels per day at most on these days.
    pub capacity_per_day: u32,
}
