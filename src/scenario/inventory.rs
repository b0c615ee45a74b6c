//! The `[inventory]` section: catalogue, initial stock, replenishment policies by ABC class,
//! supplier and what a stockout does; raw serde types and their validated form.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::{Checker, num};
use super::files::RawFile;
use super::files::catalogue::Catalogue;
use crate::dist::{Dist, Quantity, RawDist, UnitKind};
use crate::kernel::Time;

/// `[inventory]`: stock of the catalogue in the warehouse. Without this section every SKU is
/// always in stock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawInventory {
    /// The planner's own SKU catalogue: a CSV file (path relative to the scenario file) with a
    /// row per SKU: `sku`, `demand_share` or `weight`, and optionally `unit_price`, `class`,
    /// `initial_stock` and `lead_time_days`. Replaces `skus` and `zipf_exponent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<RawFile>,
    /// SKUs in the catalogue; each order line is one unit of one SKU.
    pub skus: u32,
    /// Zipf exponent of SKU popularity: SKU k (1-based) is ordered in proportion to 1/k^s.
    pub zipf_exponent: f64,
    /// Cumulative demand shares closing classes A and B (ABC by popularity): A is the most
    /// popular SKUs up to the first share of demand, B up to the second, C the rest.
    pub abc_shares: Vec<f64>,
    /// Initial stock of each SKU: units (a number) or days of cover of its mean demand ("20d").
    pub initial_stock: Quantity,
    /// Storage capacity in units, all SKUs together; absent = unlimited. Purchase orders are cut
    /// so that stock on hand plus on order never exceeds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_units: Option<u64>,
    /// Replenishment policy for SKUs of classes without a policy of their own.
    pub policy: RawPolicy,
    /// Policies by class, overriding `policy` for SKUs of that class.
    pub class_policies: Vec<RawPolicy>,
    /// Supplier lead time from purchase order to arrival (duration distribution).
    pub lead_time: RawDist,
    /// Share of each purchase order that arrives on time; the rest arrives `late_delay` later.
    pub supplier_fill_rate: f64,
    /// Extra delay of the short part of a purchase order.
    pub late_delay: String,
    /// What a stockout does: "backorder" (the order waits for stock), "cancel" (the sale is lost),
    /// "split" (ship what is there now, the rest in a second parcel when stock arrives).
    pub stockout: String,
    /// Selling price of a unit, for revenue lost to cancelled sales.
    pub unit_price: f64,
    /// Stock locations; empty = one warehouse. Each holds every SKU with its own stock and
    /// replenishment (levels in days of cover use its share of demand); picking, packing and
    /// shipping are the one `[fulfilment]` operation's.
    pub warehouses: Vec<RawWarehouse>,
    /// Which warehouse an order ships from: "nearest_with_stock" (the customer's own, else the
    /// first other one, in file order, that has every line in stock, else their own) or
    /// "fixed_share" (always the customer's own). Customers belong to a warehouse by its share.
    pub assignment: String,
    /// Extra transit time of an order shipped from a warehouse that is not the customer's own.
    pub cross_region_delay: String,
}

/// `[[inventory.warehouses]]`: a stock location.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawWarehouse {
    /// Name.
    pub name: String,
    /// Share of customers (and of demand) whose own warehouse this is; shares sum to 1.
    pub share: f64,
}

impl Default for RawWarehouse {
    fn default() -> Self {
        Self { name: "main".into(), share: 1.0 }
    }
}

impl Default for RawInventory {
    fn default() -> Self {
        Self {
            catalogue: None,
            skus: 1_000,
            zipf_exponent: 1.0,
            abc_shares: vec![0.8, 0.95],
            initial_stock: Quantity::Text("21d".into()),
            capacity_units: None,
            policy: RawPolicy::default(),
            class_policies: vec![],
            lead_time: RawDist::lognormal(Quantity::Text("7d".into()), Quantity::Text("2d".into())),
            supplier_fill_rate: 1.0,
            late_delay: "7d".into(),
            stockout: "backorder".into(),
            unit_price: 40.0,
            warehouses: vec![],
            assignment: "nearest_with_stock".into(),
            cross_region_delay: "1d".into(),
        }
    }
}

/// A replenishment policy. Levels are units (a number) or days of cover of the SKU's mean
/// demand (a string such as "10d").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawPolicy {
    /// Class it applies to ("A", "B", "C"), in `class_policies` only.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub class: String,
    /// "s_S": continuous review, order up to `order_up_to` when the inventory position falls to
    /// `reorder_point` or below; "r_Q": continuous review, order `order_quantity` (as many times
    /// as needed) when it falls to `reorder_point` or below; "base_stock": periodic review every
    /// `review_period`, order up to `order_up_to`.
    pub kind: String,
    /// s or r.
    pub reorder_point: Quantity,
    /// S.
    pub order_up_to: Quantity,
    /// Q.
    pub order_quantity: Quantity,
    /// R, for "base_stock".
    pub review_period: String,
    /// Initial stock for this class (units or "Nd"), in `class_policies` only; default: the
    /// section's `initial_stock`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_stock: Option<Quantity>,
}

impl Default for RawPolicy {
    fn default() -> Self {
        Self {
            class: String::new(),
            kind: "s_S".into(),
            reorder_point: Quantity::Text("10d".into()),
            order_up_to: Quantity::Text("28d".into()),
            order_quantity: Quantity::Text("14d".into()),
            review_period: "7d".into(),
            initial_stock: None,
        }
    }
}

/// What a stockout does to an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stockout {
    /// The order waits for the missing units.
    Backorder,
    /// The order is cancelled: the sale is lost.
    Cancel,
    /// What is in stock ships now; the rest follows in a second parcel.
    Split,
}

/// A stock level as configured: units, or days of cover.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Level {
    /// Units.
    Units(f64),
    /// Days of the SKU's mean daily demand.
    Days(f64),
}

impl Level {
    /// The level in units for a SKU with mean daily demand `per_day`, rounded.
    pub fn units(self, per_day: f64) -> i64 {
        match self {
            Level::Units(u) => u.round() as i64,
            Level::Days(d) => (d * per_day).round() as i64,
        }
    }
}

/// A validated policy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Policy {
    /// Continuous review (s, S).
    MinMax {
        /// s.
        reorder_point: Level,
        /// S.
        order_up_to: Level,
    },
    /// Continuous review (r, Q).
    ReorderQuantity {
        /// r.
        reorder_point: Level,
        /// Q.
        order_quantity: Level,
    },
    /// Periodic review (R, S).
    BaseStock {
        /// R.
        review_period_ms: Time,
        /// S.
        order_up_to: Level,
    },
}

/// The validated `[inventory]`.
#[derive(Clone, Debug)]
pub struct Inventory {
    /// The planner's catalogue, when given: SKU k is its row k.
    pub catalogue: Option<std::sync::Arc<Catalogue>>,
    /// SKUs.
    pub skus: u32,
    /// Zipf exponent.
    pub zipf_exponent: f64,
    /// Cumulative shares closing A and B.
    pub abc_shares: [f64; 2],
    /// Initial stock per SKU of class A, B, C.
    pub initial_stock: [Level; 3],
    /// Capacity in units.
    pub capacity_units: Option<u64>,
    /// Policy for classes A, B, C.
    pub policies: [Policy; 3],
    /// Lead time, seconds.
    pub lead_time: Dist,
    /// On-time share of a purchase order.
    pub supplier_fill_rate: f64,
    /// Delay of the short part.
    pub late_delay_ms: Time,
    /// Stockout behaviour.
    pub stockout: Stockout,
    /// Unit price.
    pub unit_price: f64,
    /// Shares of demand by warehouse (one entry = one warehouse).
    pub warehouse_shares: Vec<f64>,
    /// The warehouses' names, in the same order (`main` when none is listed).
    pub warehouse_names: Vec<String>,
    /// Ship from another warehouse when the customer's own lacks stock.
    pub nearest_with_stock: bool,
    /// Extra transit from a warehouse that is not the customer's own, ms.
    pub cross_region_delay_ms: Time,
}

/// SKUs a catalogue may have at most.
pub const MAX_SKUS: u32 = 1_000_000;

impl Inventory {
    /// The catalogue row of stock location `loc` (SKU k at warehouse w is `w x skus + k`).
    fn row_of(&self, loc: u32) -> Option<&super::files::catalogue::CatalogueSku> {
        self.catalogue.as_ref().map(|c| &c.skus[(loc % self.skus) as usize])
    }

    /// The price of a unit of catalogue SKU `sku`: the catalogue's, else the section's.
    pub fn unit_price_of(&self, sku: u32) -> f64 {
        self.row_of(sku).and_then(|s| s.unit_price).unwrap_or(self.unit_price)
    }

    /// A supplier lead time, seconds, for stock location `loc`, from a draw of `lead_time`:
    /// the draw itself, or for a SKU with its own `lead_time_days` the draw scaled to that mean
    /// (same shape and coefficient of variation; a constant when the distribution's mean is 0).
    #[inline]
    pub fn lead_time_s(&self, loc: u32, draw: f64) -> f64 {
        match self.row_of(loc).and_then(|s| s.lead_time_days) {
            None => draw,
            Some(days) => {
                let mean = self.lead_time.mean();
                let own = days * 86_400.0;
                if mean > 0.0 { draw * own / mean } else { own }
            }
        }
    }
}

/// The largest stock level in units for one SKU; with `MAX_LEVEL_DAYS`, it keeps unit counts
/// summed over a million SKUs far inside `i64` (1e308 units used to wrap to negative stock).
pub const MAX_LEVEL_UNITS: f64 = 1e9;
/// The largest stock level in days of cover (ten years).
pub const MAX_LEVEL_DAYS: f64 = 3650.0;

fn level(c: &mut Checker, path: &str, q: &Quantity) -> Level {
    match q {
        Quantity::Number(n) => {
            c.non_negative(path, *n);
            if *n > MAX_LEVEL_UNITS {
                c.fail(
                    path,
                    format!("{} units is beyond the model's limit of {MAX_LEVEL_UNITS:e} a SKU", num(*n)),
                );
            }
            Level::Units(*n)
        }
        Quantity::Text(t) => match t.trim().strip_suffix('d').map(|n| n.trim().parse::<f64>()) {
            Some(Ok(d)) if d.is_finite() && d > MAX_LEVEL_DAYS => {
                c.fail(path, format!("`{t}` of cover is beyond the model's limit of {MAX_LEVEL_DAYS} days"));
                Level::Days(MAX_LEVEL_DAYS) // the limit, so comparisons with other levels stay quiet
            }
            Some(Ok(d)) if d.is_finite() && d >= 0.0 => Level::Days(d),
            _ => {
                c.fail_help(
                    path,
                    format!("`{t}` is not a stock level"),
                    "write units as a number (e.g. 40) or days of cover as \"10d\"".into(),
                );
                Level::Units(0.0)
            }
        },
    }
}

/// Compares two levels when they are in the same kind of unit.
fn above(a: Level, b: Level) -> bool {
    match (a, b) {
        (Level::Units(x), Level::Units(y)) | (Level::Days(x), Level::Days(y)) => x > y,
        _ => false,
    }
}

fn policy(c: &mut Checker, path: &str, p: &RawPolicy) -> Policy {
    let s = level(c, &format!("{path}.reorder_point"), &p.reorder_point);
    let big_s = level(c, &format!("{path}.order_up_to"), &p.order_up_to);
    let q = level(c, &format!("{path}.order_quantity"), &p.order_quantity);
    match p.kind.as_str() {
        "s_S" => {
            if above(s, big_s) {
                c.fail(
                    format!("{path}.reorder_point"),
                    "s is above S: the reorder point must not exceed order_up_to",
                );
            }
            Policy::MinMax { reorder_point: s, order_up_to: big_s }
        }
        "r_Q" => {
            if matches!(q, Level::Units(u) if u < 1.0) || matches!(q, Level::Days(d) if d <= 0.0) {
                c.fail(format!("{path}.order_quantity"), "Q must be at least 1 unit");
            }
            Policy::ReorderQuantity { reorder_point: s, order_quantity: q }
        }
        "base_stock" => {
            let r = c.duration_ms(&format!("{path}.review_period"), &p.review_period);
            if r < crate::units::MS_PER_HOUR {
                c.fail(
                    format!("{path}.review_period"),
                    "a review period of less than an hour is not periodic review",
                );
            }
            Policy::BaseStock { review_period_ms: r, order_up_to: big_s }
        }
        other => {
            c.fail_help(
                format!("{path}.kind"),
                format!("`{other}` is not a policy"),
                "one of \"s_S\", \"r_Q\", \"base_stock\"".into(),
            );
            Policy::MinMax { reorder_point: s, order_up_to: big_s }
        }
    }
}

/// Validates `[inventory]`; `catalogue` is the planner's file `raw.catalogue` names, as read.
pub(crate) fn validate_inventory(
    c: &mut Checker,
    raw: &RawInventory,
    catalogue: Option<std::sync::Arc<Catalogue>>,
) -> Inventory {
    if raw.skus == 0 {
        c.fail("inventory.skus", "the catalogue needs at least 1 SKU");
    }
    if raw.skus > MAX_SKUS {
        c.fail("inventory.skus", "more than 1,000,000 SKUs is beyond the model's limits");
    }
    let zipf_exponent = c.non_negative("inventory.zipf_exponent", raw.zipf_exponent);
    let mut abc = [0.8, 0.95];
    if raw.abc_shares.len() != 2 {
        c.fail("inventory.abc_shares", "needs two cumulative shares, e.g. [0.8, 0.95]");
    } else {
        abc = [
            c.share("inventory.abc_shares[0]", raw.abc_shares[0]),
            c.share("inventory.abc_shares[1]", raw.abc_shares[1]),
        ];
        if abc[0] > abc[1] {
            c.fail("inventory.abc_shares", "the A share must not exceed the cumulative B share");
        }
    }
    let initial_stock = level(c, "inventory.initial_stock", &raw.initial_stock);
    let default_policy = policy(c, "inventory.policy", &raw.policy);
    if !raw.policy.class.is_empty() {
        c.fail_help(
            "inventory.policy.class",
            "the base policy covers every class without one of its own: `class` belongs in class_policies",
            "move this policy to [[inventory.class_policies]], or remove `class`".to_string(),
        );
    }
    if raw.policy.initial_stock.is_some() {
        c.fail(
            "inventory.policy.initial_stock",
            "set `inventory.initial_stock`; per-class stock goes in class_policies",
        );
    }
    let (policies, initial) = class_policies(c, raw, default_policy, initial_stock);
    let lead_time = c.dist("inventory.lead_time", &raw.lead_time, UnitKind::Duration);
    let supplier_fill_rate = c.share("inventory.supplier_fill_rate", raw.supplier_fill_rate);
    let late_delay_ms = c.duration_ms("inventory.late_delay", &raw.late_delay);
    let stockout = match raw.stockout.as_str() {
        "backorder" => Stockout::Backorder,
        "cancel" => Stockout::Cancel,
        "split" => Stockout::Split,
        other => {
            c.fail_help(
                "inventory.stockout",
                format!("`{other}` is not a stockout behaviour"),
                "one of \"backorder\", \"cancel\", \"split\"".into(),
            );
            Stockout::Backorder
        }
    };
    let unit_price = c.money("inventory.unit_price", raw.unit_price);
    let (warehouse_shares, nearest_with_stock) = warehouses(c, raw);
    let warehouse_names = if raw.warehouses.is_empty() {
        vec![RawWarehouse::default().name]
    } else {
        raw.warehouses.iter().map(|w| w.name.clone()).collect()
    };
    let cross_region_delay_ms = c.duration_ms("inventory.cross_region_delay", &raw.cross_region_delay);
    Inventory {
        catalogue,
        skus: raw.skus.max(1),
        zipf_exponent,
        abc_shares: abc,
        initial_stock: initial,
        capacity_units: raw.capacity_units,
        policies,
        lead_time,
        supplier_fill_rate,
        late_delay_ms,
        stockout,
        unit_price,
        warehouse_shares,
        warehouse_names,
        nearest_with_stock,
        cross_region_delay_ms,
    }
}

/// The policy and initial stock of each ABC class: the base ones, replaced by each class's own.
fn class_policies(
    c: &mut Checker,
    raw: &RawInventory,
    default_policy: Policy,
    initial_stock: Level,
) -> ([Policy; 3], [Level; 3]) {
    let mut policies = [default_policy; 3];
    let mut initial = [initial_stock; 3];
    for (i, p) in raw.class_policies.iter().enumerate() {
        let path = format!("inventory.class_policies[{i}]");
        let parsed = policy(c, &path, p);
        let class = match p.class.as_str() {
            "A" => 0,
            "B" => 1,
            "C" => 2,
            other => {
                c.fail_help(
                    format!("{path}.class"),
                    format!("`{other}` is not a class"),
                    "one of \"A\", \"B\", \"C\"".into(),
                );
                continue;
            }
        };
        if raw.class_policies[..i].iter().any(|o| o.class == p.class) {
            c.fail(format!("{path}.class"), format!("class {} has a policy already", p.class));
        }
        policies[class] = parsed;
        if let Some(q) = &p.initial_stock {
            initial[class] = level(c, &format!("{path}.initial_stock"), q);
        }
    }
    (policies, initial)
}

/// The warehouses' demand shares (one warehouse with all of it when none is listed) and whether
/// an order goes to the nearest warehouse that has every line in stock.
fn warehouses(c: &mut Checker, raw: &RawInventory) -> (Vec<f64>, bool) {
    let mut warehouse_shares: Vec<f64> = raw
        .warehouses
        .iter()
        .enumerate()
        .map(|(i, w)| c.share(&format!("inventory.warehouses[{i}].share"), w.share))
        .collect();
    if warehouse_shares.is_empty() {
        warehouse_shares.push(1.0);
    } else {
        c.sums_to_one("inventory.warehouses", warehouse_shares.iter().copied());
    }
    if warehouse_shares.len() > 64 {
        c.fail("inventory.warehouses", "more than 64 warehouses");
    }
    if warehouse_shares.len() > 1 && u64::from(raw.skus) * warehouse_shares.len() as u64 > 4_000_000 {
        c.fail("inventory.warehouses", "SKUs x warehouses above 4,000,000 is beyond the model's limits");
    }
    c.unique("inventory.warehouses", ".name", "warehouses", raw.warehouses.iter().map(|w| w.name.as_str()));
    let nearest_with_stock = match raw.assignment.as_str() {
        "nearest_with_stock" => true,
        "fixed_share" => false,
        other => {
            c.fail_help(
                "inventory.assignment",
                format!("`{other}` is not an assignment rule"),
                "one of \"nearest_with_stock\", \"fixed_share\"".into(),
            );
            true
        }
    };
    (warehouse_shares, nearest_with_stock)
}
