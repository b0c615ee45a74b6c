//! The `[returns]` section: why customers send goods back, how long that takes, the inspection
//! station, what happens to returned units and when refunds are paid; raw and validated forms.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Weekdays;
use super::check::Checker;
use crate::dist::{Dist, Quantity, RawDist, UnitKind};

/// `[returns]`: reverse logistics. Without this section nobody returns anything.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawReturns {
    /// Share of delivered orders returned because the customer did not like the item.
    pub didnt_like_rate: f64,
    /// Share of orders with a wrong item (a picking error) that are returned.
    pub wrong_item_rate: f64,
    /// Share of orders delivered damaged (packing or transit) that are returned.
    pub damaged_rate: f64,
    /// Share of delivered orders returned because the product information was incorrect.
    pub incorrect_info_rate: f64,
    /// Returns are accepted within this time after delivery.
    pub window: String,
    /// Time from delivery to the customer's decision to return (beyond the window: kept).
    pub decision_delay: RawDist,
    /// Time for a return parcel to reach the warehouse.
    pub ship_back: RawDist,
    /// Inspectors on each inspection shift.
    pub inspectors: u32,
    /// Weekdays the inspection station works.
    pub inspection_days: Vec<String>,
    /// Inspection shift start.
    pub inspection_start: String,
    /// Inspection shift end.
    pub inspection_end: String,
    /// Time to inspect one return.
    pub inspection_time: RawDist,
    /// What happens to a unit returned because the customer did not like it.
    pub didnt_like_outcome: RawOutcome,
    /// ... because it was the wrong item.
    pub wrong_item_outcome: RawOutcome,
    /// ... because it was damaged.
    pub damaged_outcome: RawOutcome,
    /// ... because the product information was incorrect.
    pub incorrect_info_outcome: RawOutcome,
    /// Time to refurbish a unit before it is restocked.
    pub refurbish_time: RawDist,
    /// Time from inspection to the refund reaching the customer.
    pub refund_time: RawDist,
    /// Handling cost per return (label, transport, inspection).
    pub cost_per_return: f64,
    /// Extra cost per refurbished unit.
    pub cost_per_refurbish: f64,
}

impl Default for RawReturns {
    fn default() -> Self {
        let d = |v: &str| Quantity::Text(v.into());
        Self {
            didnt_like_rate: 0.08,
            wrong_item_rate: 0.9,
            damaged_rate: 0.8,
            incorrect_info_rate: 0.02,
            window: "30d".into(),
            decision_delay: RawDist::exponential(d("4d")),
            ship_back: RawDist::lognormal(d("3d"), d("1d")),
            inspectors: 2,
            inspection_days: ["mon", "tue", "wed", "thu", "fri"].map(String::from).to_vec(),
            inspection_start: "08:00".into(),
            inspection_end: "16:00".into(),
            inspection_time: RawDist::exponential(d("6m")),
            didnt_like_outcome: RawOutcome { restock: 0.85, refurbish: 0.1, scrap: 0.05 },
            wrong_item_outcome: RawOutcome { restock: 0.95, refurbish: 0.0, scrap: 0.05 },
            damaged_outcome: RawOutcome { restock: 0.0, refurbish: 0.4, scrap: 0.6 },
            incorrect_info_outcome: RawOutcome { restock: 0.9, refurbish: 0.05, scrap: 0.05 },
            refurbish_time: RawDist::lognormal(d("3d"), d("1d")),
            refund_time: RawDist::lognormal(d("2d"), d("1d")),
            cost_per_return: 7.5,
            cost_per_refurbish: 4.0,
        }
    }
}

/// Shares of returned units restocked, refurbished (then restocked) and scrapped; sum to 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOutcome {
    /// Back on the shelf after inspection.
    pub restock: f64,
    /// Restocked after refurbishing.
    pub refurbish: f64,
    /// Written off.
    pub scrap: f64,
}

/// Why a customer returns an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Did not like it.
    DidntLike = 0,
    /// Wrong item picked.
    WrongItem = 1,
    /// Arrived damaged.
    Damaged = 2,
    /// Product information was incorrect.
    IncorrectInfo = 3,
}

impl Reason {
    /// Its name, as the scenario's keys spell it (`didnt_like` of `didnt_like_rate`).
    pub fn name(self) -> &'static str {
        match self {
            Reason::DidntLike => "didnt_like",
            Reason::WrongItem => "wrong_item",
            Reason::Damaged => "damaged",
            Reason::IncorrectInfo => "incorrect_info",
        }
    }
}

/// The validated `[returns]`.
#[derive(Clone, Debug)]
pub struct Returns {
    /// Return probability by reason (see `Reason`).
    pub rates: [f64; 4],
    /// Window, ms.
    pub window_ms: u64,
    /// Decision delay, seconds.
    pub decision_delay: Dist,
    /// Ship-back time, seconds.
    pub ship_back: Dist,
    /// Inspectors per shift.
    pub inspectors: u32,
    /// Inspection weekdays.
    pub inspection_days: Weekdays,
    /// Shift start, minutes after midnight.
    pub inspection_start_min: u32,
    /// Shift end, minutes after midnight.
    pub inspection_end_min: u32,
    /// Inspection time, seconds.
    pub inspection_time: Dist,
    /// Outcome shares [restock, refurbish, scrap] by reason.
    pub outcomes: [[f64; 3]; 4],
    /// Refurbish time, seconds.
    pub refurbish_time: Dist,
    /// Refund time, seconds.
    pub refund_time: Dist,
    /// Handling cost per return.
    pub cost_per_return: f64,
    /// Cost per refurbished unit.
    pub cost_per_refurbish: f64,
}

fn outcome(c: &mut Checker, path: &str, o: &RawOutcome) -> [f64; 3] {
    let v = [
        c.share(&format!("{path}.restock"), o.restock),
        c.share(&format!("{path}.refurbish"), o.refurbish),
        c.share(&format!("{path}.scrap"), o.scrap),
    ];
    c.sums_to_one(path, v.iter().copied());
    v
}

/// Validates `[returns]`.
pub(crate) fn validate_returns(c: &mut Checker, r: &RawReturns) -> Returns {
    let start = c.clock("returns.inspection_start", &r.inspection_start);
    let end = c.clock("returns.inspection_end", &r.inspection_end);
    if end <= start {
        c.fail(
            "returns.inspection_end",
            format!(
                "the inspection shift ends at {} before it starts at {}",
                r.inspection_end, r.inspection_start
            ),
        );
    }
    Returns {
        rates: [
            c.share("returns.didnt_like_rate", r.didnt_like_rate),
            c.share("returns.wrong_item_rate", r.wrong_item_rate),
            c.share("returns.damaged_rate", r.damaged_rate),
            c.share("returns.incorrect_info_rate", r.incorrect_info_rate),
        ],
        window_ms: c.duration_ms("returns.window", &r.window),
        decision_delay: c.dist("returns.decision_delay", &r.decision_delay, UnitKind::Duration),
        ship_back: c.dist("returns.ship_back", &r.ship_back, UnitKind::Duration),
        inspectors: r.inspectors,
        inspection_days: c.weekdays("returns.inspection_days", &r.inspection_days),
        inspection_start_min: start,
        inspection_end_min: end,
        inspection_time: c.dist("returns.inspection_time", &r.inspection_time, UnitKind::Duration),
        outcomes: [
            outcome(c, "returns.didnt_like_outcome", &r.didnt_like_outcome),
            outcome(c, "returns.wrong_item_outcome", &r.wrong_item_outcome),
            outcome(c, "returns.damaged_outcome", &r.damaged_outcome),
            outcome(c, "returns.incorrect_info_outcome", &r.incorrect_info_outcome),
        ],
        refurbish_time: c.dist("returns.refurbish_time", &r.refurbish_time, UnitKind::Duration),
        refund_time: c.dist("returns.refund_time", &r.refund_time, UnitKind::Duration),
        cost_per_return: c.money("returns.cost_per_return", r.cost_per_return),
        cost_per_refurbish: c.money("returns.cost_per_refurbish", r.cost_per_refurbish),
    }
}
