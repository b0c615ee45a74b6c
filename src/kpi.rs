//! The KPI catalogue (stable names, units, definitions), the columns of the daily series and KPI
//! targets such as `on_time_rate = ">= 0.95"`. Names only: values are computed by the models.

use serde::Serialize;

use crate::scenario::support::{Channel, ContactType, PerChannel};

/// How a KPI is measured; JSON and CSV carry these names, the table formats them for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A duration in seconds.
    #[serde(rename = "s")]
    Seconds,
    /// A share or rate, 0..1.
    Ratio,
    /// A count.
    Count,
    /// Money.
    Currency,
    /// A plain number on a scale of its own (tier 1..5, turns per year).
    Number,
}

impl Unit {
    /// The unit's name as written in CSV and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Seconds => "s",
            Unit::Ratio => "ratio",
            Unit::Count => "count",
            Unit::Currency => "currency",
            Unit::Number => "number",
        }
    }

    /// The unit a CSV or JSON `unit` field names (the inverse of `as_str`; unknown = count).
    pub fn from_name(name: &str) -> Unit {
        match name {
            "s" => Unit::Seconds,
            "ratio" => Unit::Ratio,
            "currency" => Unit::Currency,
            "number" => Unit::Number,
            _ => Unit::Count,
        }
    }
}

/// One KPI: its stable name, unit and definition.
#[derive(Clone, Copy, Debug)]
pub struct KpiDef {
    /// Stable name (`on_time_rate`).
    pub name: &'static str,
    /// Unit.
    pub unit: Unit,
    /// Definition, as written in docs/kpis.md.
    pub definition: &'static str,
}

impl KpiDef {
    /// Whether `v` is a value this KPI can take: a share in 0..=1, `nps` in -100..=100,
    /// `gross_margin` any amount, anything else >= 0; always finite. (NaN, "undefined in this replication", is not a value.)
    pub fn admits(&self, v: f64) -> bool {
        let (lo, hi) = self.bounds();
        v.is_finite() && lo <= v && v <= hi
    }

    /// The range of values this KPI can take: see [`bounds`].
    pub fn bounds(&self) -> (f64, f64) {
        bounds(self.name, self.unit)
    }
}

/// The range of values the KPI `name` in `unit` can take, (lowest, highest): a share 0..=1, `nps`
/// -100..=100, `gross_margin` any amount, anything else 0.. (times, counts, money). For KPIs known by name and unit only
/// (a sweep's or a shard's list).
pub fn bounds(name: &str, unit: Unit) -> (f64, f64) {
    match unit {
        Unit::Ratio => (0.0, 1.0),
        Unit::Number if name == "nps" => (-100.0, 100.0),
        // A margin is negative when costs exceed what the goods leave.
        Unit::Currency if name == "gross_margin" => (f64::NEG_INFINITY, f64::INFINITY),
        _ => (0.0, f64::INFINITY),
    }
}

const fn k(name: &'static str, unit: Unit, definition: &'static str) -> KpiDef {
    KpiDef { name, unit, definition }
}

/// Fulfilment KPIs, in output order. Orders count when placed after the warm-up.
pub const FULFILMENT_KPIS: &[KpiDef] = &[
    k("orders", Unit::Count, "orders placed after the warm-up"),
    k("on_time_rate", Unit::Ratio, "orders delivered by the end of the promised date / orders delivered"),
    k(
        "otif_rate",
        Unit::Ratio,
        "orders delivered on time, in full (not split into two parcels) and with the right items / orders delivered",
    ),
    k("order_cycle_time_mean", Unit::Seconds, "mean time from order to delivery, delivered orders"),
    k("order_cycle_time_p50", Unit::Seconds, "median time from order to delivery"),
    k("order_cycle_time_p90", Unit::Seconds, "90th percentile of time from order to delivery"),
    k("order_cycle_time_p99", Unit::Seconds, "99th percentile of time from order to delivery"),
    k(
        "ship_on_time_rate",
        Unit::Ratio,
        "orders handed to the carrier by the end of the promised dispatch day / orders shipped",
    ),
    k("lost_rate", Unit::Ratio, "parcels lost in transit / parcels shipped"),
    k("damaged_rate", Unit::Ratio, "orders delivered damaged (packing or transit) / orders delivered"),
    k(
        "perfect_order_rate",
        Unit::Ratio,
        "orders delivered on time, in full, undamaged, right items, right address / orders delivered or lost",
    ),
    k(
        "cost_fulfilment",
        Unit::Currency,
        "worker-hours on shift x wage + automated lines x cost per line, after the warm-up",
    ),
    k("cost_shipping", Unit::Currency, "parcels shipped x the carrier's cost per parcel, after the warm-up"),
    k(
        "cost_per_order_delivered",
        Unit::Currency,
        "every cost after the warm-up (cost_fulfilment + cost_shipping, and cost_returns and cost_support when modelled) / orders delivered: work left undone makes it higher, never lower",
    ),
];

/// Inventory KPIs, produced when `[inventory]` is present.
pub const INVENTORY_KPIS: &[KpiDef] = &[
    k("fill_rate", Unit::Ratio, "units served from stock on hand at order time / units ordered"),
    k(
        "backorder_rate",
        Unit::Ratio,
        "orders that had to wait for stock (backordered, or split into two parcels) / orders",
    ),
    k("cancel_rate", Unit::Ratio, "orders cancelled (stockout with `cancel`, or by the customer) / orders"),
    k("stockout_sku_days", Unit::Count, "sum over measured days of the SKUs with nothing on hand at day end"),
    k("avg_on_hand_units", Unit::Count, "time-average of units on hand, all SKUs, after the warm-up"),
    k(
        "inventory_turns",
        Unit::Number,
        "units shipped / average units on hand, per year (x 365 / measured days)",
    ),
    k(
        "lost_revenue",
        Unit::Currency,
        "units of orders cancelled for a stockout x unit price (each SKU's own with a catalogue)",
    ),
    k(
        "cross_region_rate",
        Unit::Ratio,
        "orders shipped from a warehouse other than the customer's own (it lacked stock) / orders",
    ),
];

/// Returns KPIs, produced when `[returns]` is present.
pub const RETURNS_KPIS: &[KpiDef] = &[
    k("return_rate", Unit::Ratio, "orders customers decide to return within the window / orders delivered"),
    k(
        "return_cycle_time_mean",
        Unit::Seconds,
        "mean time from a customer sending a return to its inspection",
    ),
    k("refund_time_mean", Unit::Seconds, "mean time from a customer sending a return to the refund"),
    k(
        "cost_returns",
        Unit::Currency,
        "returns x handling cost + refurbished units x refurbish cost (returns of measured orders)",
    ),
];

/// Columns of the daily series (every scenario), in order.
pub const FULFILMENT_DAILY_COLUMNS: &[&str] = &[
    "orders",
    "lines",
    "shipped",
    "delivered",
    "delivered_on_time",
    "on_time_rate",
    "lost",
    "backlog",
    "in_transit",
    "picker_hours",
    "pick_capacity_lines",
    "worker_hours",
];

/// Columns of the hourly series (every scenario), in order.
pub const FULFILMENT_HOURLY_COLUMNS: &[&str] = &["orders"];

/// Columns the inventory adds to the daily series.
pub const INVENTORY_DAILY_COLUMNS: &[&str] =
    &["on_hand_units", "backordered_units", "on_order_units", "purchase_orders_open", "skus_out_of_stock"];

/// Customer KPIs, produced when `[customers]` is present. Orders count in the span in which they
/// were placed, departures in the one in which the customer left.
pub const CUSTOMER_KPIS: &[KpiDef] = &[
    k("customers_new", Unit::Count, "customers who placed their first order"),
    k(
        "customers_lost",
        Unit::Count,
        "customers who left for good (after bad experiences or an unhappy survey)",
    ),
    k(
        "retention_rate",
        Unit::Ratio,
        "customers here when the span started and still here at its end / customers here when it started",
    ),
    k(
        "repeat_purchase_rate",
        Unit::Ratio,
        "orders placed by customers who had ordered before / orders placed",
    ),
    k("revenue", Unit::Currency, "orders placed x the order value of their customer's segment"),
    k(
        "gross_margin",
        Unit::Currency,
        "revenue x (1 - customers.product_cost_share) - every cost (fulfilment, shipping, and returns and support when modelled)",
    ),
    k(
        "lost_future_revenue",
        Unit::Currency,
        "for each customer who left: their segment's orders a year x its order value x customers.future_months / 12",
    ),
];

/// Columns the customer base adds to the daily series, before those of each segment.
pub const CUSTOMER_DAILY_COLUMNS: &[&str] = &["customers_active", "customers_new", "customers_lost"];

/// What each segment adds to the daily series, after its name: customers of the segment here at
/// the day's end, and those of the segment who left that day.
pub const SEGMENT_DAILY_COLUMNS: [&str; 2] = ["customers_active", "customers_lost"];

/// The daily columns of the customer base with `segments`: the whole base, then each segment's
/// (`customers_active_<segment>`, `customers_lost_<segment>`).
pub fn customer_daily_columns(segments: &[crate::scenario::customers::RawSegment]) -> Vec<String> {
    let mut cols = owned(CUSTOMER_DAILY_COLUMNS);
    for s in segments {
        cols.extend(SEGMENT_DAILY_COLUMNS.map(|c| format!("{c}_{}", s.name)));
    }
    cols
}

/// Column names as owned strings.
pub fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_string()).collect()
}

/// Columns the returns add to the daily series.
pub const RETURNS_DAILY_COLUMNS: &[&str] = &["returns_received", "refunds_paid"];

/// Support KPIs over all channels, produced when `[support]` is present. Tickets count when
/// created after the warm-up.
pub const SUPPORT_KPIS: &[KpiDef] = &[
    k("tickets", Unit::Count, "tickets created after the warm-up (self-served included)"),
    k("tickets_per_order", Unit::Number, "tickets / orders (can exceed 1)"),
    k(
        "frt_mean",
        Unit::Seconds,
        "mean first-response time: from the contact to the first agent reply, answered tickets",
    ),
    k("frt_p50", Unit::Seconds, "median first-response time"),
    k("frt_p90", Unit::Seconds, "90th percentile of first-response time"),
    k("resolution_time_mean", Unit::Seconds, "mean time from the contact to resolution, tickets resolved"),
    k("resolution_time_p90", Unit::Seconds, "90th percentile of time from the contact to resolution"),
    k(
        "sla_attainment",
        Unit::Ratio,
        "first replies within the channel's SLA / (tickets answered + tickets abandoned)",
    ),
    k(
        "abandonment_rate",
        Unit::Ratio,
        "real-time contacts abandoned in the queue / real-time contacts offered to agents",
    ),
    k("self_service_rate", Unit::Ratio, "tickets resolved by self-service, without an agent / tickets"),
    k("one_touch_rate", Unit::Ratio, "tickets resolved by one agent reply / tickets resolved by agents"),
    k(
        "agent_occupancy",
        Unit::Ratio,
        "agent time busy (a chat counts 1/concurrency) / (agent time on shift + overtime, the time agents spend finishing replies in hand after their shift ends), after the warm-up; at most 1",
    ),
    k(
        "backlog_end",
        Unit::Count,
        "tickets open at the end of the horizon (queued, in service, awaiting the customer or the back office)",
    ),
    k("csat", Unit::Ratio, "survey answers of 4 or 5 stars / all answers"),
    k(
        "nps",
        Unit::Number,
        "percent of answers scoring 5 (promoters) minus percent scoring 1-3 (detractors), -100..100",
    ),
    k(
        "service_tier",
        Unit::Number,
        "1 (unacceptable) .. 5 (stellar): the worst channel's tier by its first-response p90, capped by CSAT",
    ),
    k(
        "cost_support",
        Unit::Currency,
        "agent-hours x agent wage + back-office hours x its wage, after the warm-up",
    ),
];

macro_rules! channel_kpis {
    ($ch:literal) => {{
        const DEFS: &[KpiDef] = &[
            k(concat!($ch, "_tickets"), Unit::Count, concat!("tickets first offered on ", $ch)),
            k(concat!($ch, "_frt_mean"), Unit::Seconds, concat!("mean first-response time on ", $ch)),
            k(concat!($ch, "_frt_p50"), Unit::Seconds, concat!("median first-response time on ", $ch)),
            k(
                concat!($ch, "_frt_p90"),
                Unit::Seconds,
                concat!("90th percentile of first-response time on ", $ch),
            ),
            k(concat!($ch, "_sla_attainment"), Unit::Ratio, concat!("sla_attainment on ", $ch)),
            // Reported on real-time channels only (see `channel_kpis`).
            k(concat!($ch, "_abandonment_rate"), Unit::Ratio, concat!("abandonment_rate on ", $ch)),
        ];
        DEFS
    }};
}

/// The KPIs of support channel `ch`, reported for the channels a scenario uses: tickets, first
/// response and SLA, and on a real-time channel its abandonment rate last.
pub fn channel_kpis(ch: Channel) -> &'static [KpiDef] {
    let all = match ch {
        Channel::Email => channel_kpis!("email"),
        Channel::Chat => channel_kpis!("chat"),
        Channel::Phone => channel_kpis!("phone"),
        Channel::Social => channel_kpis!("social"),
        Channel::Sms => channel_kpis!("sms"),
    };
    if ch.is_real_time() { all } else { &all[..all.len() - 1] }
}

macro_rules! reason_kpis {
    ($r:literal) => {{
        const DEFS: &[KpiDef] = &[
            k(
                concat!($r, "_tickets"),
                Unit::Count,
                concat!("tickets of contact type ", $r, ", self-served included"),
            ),
            k(concat!($r, "_per_order"), Unit::Number, concat!($r, " tickets / orders")),
            k(
                concat!($r, "_frt_p90"),
                Unit::Seconds,
                concat!("90th percentile of first-response time of ", $r, " tickets, every channel"),
            ),
            k(
                concat!($r, "_resolution_time_mean"),
                Unit::Seconds,
                concat!("mean time from contact to resolution of ", $r, " tickets resolved by agents"),
            ),
        ];
        DEFS
    }};
}

/// The KPIs of one contact type (the reason a customer contacts support): tickets, per order,
/// first-response p90 and mean resolution time. Each type's tickets sum to `tickets`.
pub fn reason_kpis(kind: ContactType) -> &'static [KpiDef] {
    match kind {
        ContactType::Wismo => reason_kpis!("wismo"),
        ContactType::Tracking => reason_kpis!("tracking"),
        ContactType::ChangeOrder => reason_kpis!("change_order"),
        ContactType::CancelOrder => reason_kpis!("cancel_order"),
        ContactType::Damaged => reason_kpis!("damaged"),
        ContactType::WrongItem => reason_kpis!("wrong_item"),
        ContactType::Lost => reason_kpis!("lost"),
        ContactType::Returns => reason_kpis!("returns"),
        ContactType::Presale => reason_kpis!("presale"),
    }
}

/// The daily-series column of contact type `kind`: its tickets that day.
pub fn reason_daily_column(kind: ContactType) -> &'static str {
    reason_kpis(kind)[0].name
}

macro_rules! channel_daily_columns {
    ($ch:literal) => {
        &[
            concat!($ch, "_offered"),
            concat!($ch, "_answered"),
            concat!($ch, "_abandoned"),
            concat!($ch, "_frt_mean_s"),
            concat!($ch, "_agents"),
            concat!($ch, "_workload_h"),
            concat!($ch, "_agents_needed"),
            concat!($ch, "_occupancy"),
        ]
    };
}

/// The daily-series columns of support channel `ch`, for the channels a scenario uses.
pub fn channel_daily_columns(ch: Channel) -> &'static [&'static str] {
    match ch {
        Channel::Email => channel_daily_columns!("email"),
        Channel::Chat => channel_daily_columns!("chat"),
        Channel::Phone => channel_daily_columns!("phone"),
        Channel::Social => channel_daily_columns!("social"),
        Channel::Sms => channel_daily_columns!("sms"),
    }
}

macro_rules! channel_hourly_columns {
    ($ch:literal) => {
        &[
            concat!($ch, "_offered"),
            concat!($ch, "_agents"),
            concat!($ch, "_agents_needed"),
            concat!($ch, "_queue"),
            concat!($ch, "_late"),
        ]
    };
}

/// The hourly-series columns of support channel `ch`, for the channels a scenario uses.
pub fn channel_hourly_columns(ch: Channel) -> &'static [&'static str] {
    match ch {
        Channel::Email => channel_hourly_columns!("email"),
        Channel::Chat => channel_hourly_columns!("chat"),
        Channel::Phone => channel_hourly_columns!("phone"),
        Channel::Social => channel_hourly_columns!("social"),
        Channel::Sms => channel_hourly_columns!("sms"),
    }
}

/// The hourly support columns of a scenario whose used channels are `used`: tickets, then per
/// channel used.
pub fn support_hourly_columns(used: &PerChannel<bool>) -> Vec<&'static str> {
    let mut cols = vec!["tickets"];
    for ch in used.marked() {
        cols.extend_from_slice(channel_hourly_columns(ch));
    }
    cols
}

/// Overall daily support columns.
pub const SUPPORT_DAILY_COLUMNS: &[&str] =
    &["tickets", "self_served", "support_backlog", "agent_hours", "agent_occupancy"];

/// The daily support columns of a scenario whose used channels are `used`.
pub fn support_daily_columns(used: &PerChannel<bool>) -> Vec<&'static str> {
    let mut cols = SUPPORT_DAILY_COLUMNS.to_vec();
    cols.extend(ContactType::ALL.map(reason_daily_column));
    for ch in used.marked() {
        cols.extend_from_slice(channel_daily_columns(ch));
    }
    cols
}

/// The support KPIs of a scenario whose used channels are `used`: overall, per contact type, then
/// per channel.
pub fn support_kpis(used: &PerChannel<bool>) -> Vec<KpiDef> {
    let mut defs = SUPPORT_KPIS.to_vec();
    for kind in ContactType::ALL {
        defs.extend_from_slice(reason_kpis(kind));
    }
    for ch in used.marked() {
        defs.extend_from_slice(channel_kpis(ch));
    }
    defs
}

/// The group a KPI is shown under in the table, in table order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Orders, promises, cycle times and parcels.
    Delivery,
    /// Stock and replenishment.
    Inventory,
    /// Reverse logistics.
    Returns,
    /// Customer support over all channels.
    Support,
    /// Support by contact type (the reason a customer got in touch).
    Reasons,
    /// One support channel's own KPIs.
    Channel(Channel),
    /// The customer base.
    Customers,
    /// Money: costs and revenue lost.
    Cost,
}

impl Group {
    /// The group's name, as `--kpis` takes it and the table shows it.
    pub fn name(self) -> &'static str {
        match self {
            Group::Delivery => "delivery",
            Group::Inventory => "inventory",
            Group::Returns => "returns",
            Group::Support => "support",
            Group::Reasons => "reasons",
            Group::Channel(ch) => ch.name(),
            Group::Customers => "customers",
            Group::Cost => "cost",
        }
    }

    /// Every group name, in table order.
    pub fn names() -> Vec<&'static str> {
        let mut names = vec!["delivery", "inventory", "returns", "support", "reasons"];
        names.extend(Channel::names());
        names.extend(["customers", "cost"]);
        names
    }
}

impl KpiDef {
    /// The group this KPI is shown under: money in `cost`, a channel's KPIs under the channel,
    /// the rest by the section that produces them.
    pub fn group(&self) -> Group {
        let within = |list: &[KpiDef]| list.iter().any(|d| d.name == self.name);
        if self.unit == Unit::Currency {
            Group::Cost
        } else if let Some(ch) = Channel::ALL.into_iter().find(|ch| within(channel_kpis(*ch))) {
            Group::Channel(ch)
        } else if ContactType::ALL.into_iter().any(|kind| within(reason_kpis(kind))) {
            Group::Reasons
        } else if within(INVENTORY_KPIS) {
            Group::Inventory
        } else if within(RETURNS_KPIS) {
            Group::Returns
        } else if within(SUPPORT_KPIS) {
            Group::Support
        } else if within(CUSTOMER_KPIS) {
            Group::Customers
        } else {
            Group::Delivery
        }
    }
}

/// Looks a KPI up by name among `catalogue`.
pub fn find<'a>(catalogue: &'a [KpiDef], name: &str) -> Option<&'a KpiDef> {
    catalogue.iter().find(|d| d.name == name)
}

/// How a target compares the KPI with its threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `>=`
    AtLeast,
    /// `>`
    Above,
    /// `<=`
    AtMost,
    /// `<`
    Below,
}

impl Comparison {
    /// Whether `value` satisfies the comparison with `threshold`.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::AtLeast => value >= threshold,
            Comparison::Above => value > threshold,
            Comparison::AtMost => value <= threshold,
            Comparison::Below => value < threshold,
        }
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => ">=",
            Comparison::Above => ">",
            Comparison::AtMost => "<=",
            Comparison::Below => "<",
        }
    }
}

/// A KPI target from `[targets]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// KPI name.
    pub kpi: String,
    /// Comparison.
    pub comparison: Comparison,
    /// Threshold in the KPI's unit (seconds, ratio, ...).
    pub threshold: f64,
    /// As written, e.g. ">= 0.95".
    pub text: String,
    /// The window it judges (`[targets."Black Friday week"]`); `None` = the whole horizon.
    pub window: Option<String>,
}

impl Target {
    /// The KPI it judges, with its window when it names one: `on_time_rate`,
    /// `on_time_rate in "Black Friday week"`.
    pub fn label(&self) -> String {
        label(&self.kpi, self.window.as_deref())
    }
}

/// KPI `kpi` over window `window` as people read it: `on_time_rate in "Black Friday week"`, or the
/// name alone for the whole horizon (`None`).
pub fn label(kpi: &str, window: Option<&str>) -> String {
    match window {
        Some(w) => format!("{kpi} in {w:?}"),
        None => kpi.to_string(),
    }
}

/// Parses a target expression for a KPI of unit `unit`: `">= 0.95"`, `"<= 5m"`, `"> 97%"`.
pub fn parse_target(kpi: &str, unit: Unit, text: &str) -> Result<Target, String> {
    let t = text.trim();
    let (comparison, rest) = if let Some(r) = t.strip_prefix(">=") {
        (Comparison::AtLeast, r)
    } else if let Some(r) = t.strip_prefix("<=") {
        (Comparison::AtMost, r)
    } else if let Some(r) = t.strip_prefix('>') {
        (Comparison::Above, r)
    } else if let Some(r) = t.strip_prefix('<') {
        (Comparison::Below, r)
    } else {
        return Err(format!("`{text}` has no comparison: write e.g. \">= 0.95\" or \"<= 5m\""));
    };
    let rest = rest.trim();
    let threshold = match unit {
        Unit::Seconds => crate::units::parse_duration_s(rest)?,
        Unit::Ratio => {
            let (number, percent) = match rest.strip_suffix('%') {
                Some(n) => (n.trim(), true),
                None => (rest, false),
            };
            let v: f64 = number.parse().map_err(|_| format!("`{rest}` is not a number"))?;
            let v = if percent { v / 100.0 } else { v };
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("`{rest}` is outside 0..1: `{kpi}` is a share (write 0.95 or \"95%\")"));
            }
            v
        }
        Unit::Count | Unit::Currency | Unit::Number => {
            let v: f64 = rest.parse().map_err(|_| format!("`{rest}` is not a number"))?;
            if !v.is_finite() {
                return Err(format!("`{rest}` is not a finite number"));
            }
            v
        }
    };
    Ok(Target { kpi: kpi.to_string(), comparison, threshold, text: t.to_string(), window: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_with_units() {
        let t = parse_target("on_time_rate", Unit::Ratio, ">= 0.95").unwrap();
        assert_eq!((t.comparison, t.threshold), (Comparison::AtLeast, 0.95));
        let t = parse_target("on_time_rate", Unit::Ratio, "> 97%").unwrap();
        assert!((t.threshold - 0.97).abs() < 1e-12);
        let t = parse_target("order_cycle_time_p90", Unit::Seconds, "<= 4d").unwrap();
        assert_eq!((t.comparison, t.threshold), (Comparison::AtMost, 345_600.0));
        assert!(parse_target("on_time_rate", Unit::Ratio, ">= 95").is_err());
        assert!(parse_target("on_time_rate", Unit::Ratio, "0.95").is_err());
        assert!(parse_target("order_cycle_time_p90", Unit::Seconds, "<= 4").is_err());
    }

    #[test]
    fn a_kpi_admits_only_values_in_its_range() {
        let share = k("on_time_rate", Unit::Ratio, "");
        assert!(share.admits(0.0) && share.admits(1.0) && !share.admits(1.03) && !share.admits(f64::NAN));
        let nps = k("nps", Unit::Number, "");
        assert!(nps.admits(-100.0) && nps.admits(35.0) && !nps.admits(-101.0));
        let per_order = k("tickets_per_order", Unit::Number, "");
        assert!(per_order.admits(1.4) && !per_order.admits(-0.1) && !per_order.admits(f64::INFINITY));
    }

    #[test]
    fn channel_names_start_with_the_channel_and_abandonment_is_real_time_only() {
        for ch in Channel::ALL {
            let prefix = format!("{}_", ch.name());
            assert!(channel_kpis(ch).iter().all(|d| d.name.starts_with(&prefix)), "{ch:?}");
            assert!(channel_daily_columns(ch).iter().all(|c| c.starts_with(&prefix)), "{ch:?}");
            let abandonment = channel_kpis(ch).iter().any(|d| d.name.ends_with("_abandonment_rate"));
            assert_eq!(abandonment, ch.is_real_time(), "{ch:?}");
        }
    }

    #[test]
    fn kpi_names_are_unique() {
        let mut names: Vec<_> = FULFILMENT_KPIS.iter().map(|d| d.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FULFILMENT_KPIS.len());
    }
}
