//! `[customers]`: the customer base as entities. Segments by orders placed, each with its own
//! purchase rate and order value; churn and a lower purchase rate after bad experiences; win-back
//! after a complaint resolved to the customer's satisfaction. Raw and validated forms.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;

/// Segments a scenario may list (a customer's segment is stored in one byte).
pub const MAX_SEGMENTS: usize = 16;

/// Customers a base may hold, at the start or after new ones joined: 12 bytes each, so 600 MB.
pub const MAX_BASE: u64 = 50_000_000;

/// Bad experiences a customer's record remembers at most (more count as this many).
pub const MAX_REMEMBERED_BAD: u8 = 7;

/// `[customers]`: a base of customers who place the repeat orders, remember what happened to
/// them and may leave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawCustomers {
    /// Customers at the start; absent: as many as place the demand model's repeat orders (the
    /// share `1 - new_share` of its orders on its average day) at the segments' `orders_per_year`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customers: Option<u64>,
    /// Share of the demand model's orders placed by new customers, who join the base; each other
    /// order falls to a customer of the base, chosen in proportion to their segment's rate, and is
    /// lost if that customer has left or is put off by bad experiences.
    pub new_share: f64,
    /// Probability that a bad experience (an order late, damaged, with a wrong item or lost; an
    /// abandoned contact; a failed action) makes the customer leave for good, whether or not
    /// they contact support.
    pub churn_after_bad: f64,
    /// Probability that a contact that leaves the customer at 1 or 2 stars (the CSAT model's
    /// score, whether or not they answer the survey) makes them leave.
    pub churn_after_unhappy_contact: f64,
    /// Share by which each remembered bad experience lowers a customer's purchase rate
    /// (0.2: two bad experiences leave 0.8 x 0.8 = 64% of it).
    pub rate_drop_per_bad: f64,
    /// Win-back: a complaint an agent resolves to the customer's satisfaction (4 or 5 stars)
    /// makes the record forget one bad experience.
    pub win_back: bool,
    /// Months of purchases a departed customer would still have made, for `lost_future_revenue`.
    pub future_months: f64,
    /// The cost of the goods sold, as a share of revenue, for `gross_margin`.
    pub product_cost_share: f64,
    /// Segments by orders placed so far; a customer is in the last segment whose `from_orders`
    /// they have reached.
    pub segments: Vec<RawSegment>,
}

impl Default for RawCustomers {
    fn default() -> Self {
        Self {
            customers: None,
            new_share: 0.4,
            churn_after_bad: 0.1,
            churn_after_unhappy_contact: 0.15,
            rate_drop_per_bad: 0.2,
            win_back: true,
            future_months: 12.0,
            product_cost_share: 0.5,
            segments: vec![
                RawSegment::new("new", 1, 1.5, 55.0, 0.4),
                RawSegment::new("returning", 2, 3.0, 60.0, 0.4),
                RawSegment::new("loyal", 5, 8.0, 70.0, 0.2),
            ],
        }
    }
}

/// `[[customers.segments]]`: customers who have placed at least `from_orders` orders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawSegment {
    /// Name shown in the outputs and in its columns of daily.csv: letters, digits, `_` and `-`.
    pub name: String,
    /// Orders placed from which a customer belongs to this segment (the first segment starts at 1).
    pub from_orders: u32,
    /// Repeat orders a year of a content customer of this segment: the base shares the demand
    /// model's repeat orders in proportion to these rates (so with the base sized to the demand,
    /// a customer at the start orders at this rate); also what `lost_future_revenue` counts.
    pub orders_per_year: f64,
    /// Value of an order, in `run.currency`.
    pub order_value: f64,
    /// Share of the customers at the start in this segment.
    pub initial_share: f64,
}

impl RawSegment {
    fn new(name: &str, from_orders: u32, orders_per_year: f64, order_value: f64, initial_share: f64) -> Self {
        Self { name: name.to_string(), from_orders, orders_per_year, order_value, initial_share }
    }
}

impl Default for RawSegment {
    fn default() -> Self {
        Self::new("segment", 1, 1.0, 50.0, 0.0)
    }
}

/// The validated customer model.
#[derive(Clone, Debug, PartialEq)]
pub struct Customers {
    /// Customers at the start (`None`: sized to the demand model's repeat orders).
    pub customers: Option<u64>,
    /// Share of the demand model's orders placed by new customers.
    pub new_share: f64,
    /// Churn probability per bad experience.
    pub churn_after_bad: f64,
    /// Churn probability after a contact that leaves the customer at 1 or 2 stars.
    pub churn_after_unhappy_contact: f64,
    /// Purchase-rate drop per remembered bad experience.
    pub rate_drop_per_bad: f64,
    /// Whether a resolved complaint with a happy survey forgets a bad experience.
    pub win_back: bool,
    /// Months of future purchases a departed customer takes away.
    pub future_months: f64,
    /// Cost of the goods sold, as a share of revenue.
    pub product_cost_share: f64,
    /// Segments in `from_orders` order (the first from 1), their raw values checked.
    pub segments: Vec<RawSegment>,
}

impl Customers {
    /// Customers at the start: as given, or as many as place the demand model's repeat orders
    /// (the share `1 - new_share` of `mean_orders` a day, `derived::mean_expected_orders`) at the
    /// segments' rates.
    pub fn initial(&self, mean_orders: f64) -> u64 {
        self.customers.unwrap_or_else(|| {
            let rate = self.mean_initial_rate();
            if rate > 0.0 { (mean_orders * (1.0 - self.new_share) * 365.0 / rate).round() as u64 } else { 0 }
        })
    }

    /// The segment of a customer who has placed `orders` orders (the first for 0 or 1).
    pub fn segment_of(&self, orders: u32) -> usize {
        self.segments.iter().rposition(|s| s.from_orders <= orders).unwrap_or(0)
    }

    /// Mean repeat orders a year of a customer at the start (the segments' rates by their shares).
    pub fn mean_initial_rate(&self) -> f64 {
        self.segments.iter().map(|s| s.initial_share * s.orders_per_year).sum()
    }

    /// The highest repeat rate of any segment, orders a year.
    pub fn max_rate(&self) -> f64 {
        self.segments.iter().map(|s| s.orders_per_year).fold(0.0, f64::max)
    }
}

/// `name` with every character a column name cannot hold made `_` (`"vip"` for an empty one).
fn suggested_name(name: &str) -> String {
    let fixed: String = name
        .trim()
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() || ch == '-' { ch } else { '_' })
        .collect();
    if fixed.is_empty() { "vip".to_string() } else { fixed }
}

/// Validates `[customers]`; `history`: the scenario replays an order history.
pub(super) fn validate_customers(c: &mut Checker, r: &RawCustomers, history: bool) -> Customers {
    let p = "customers";
    if history {
        c.fail_help(
            p,
            "a replayed history already says who ordered and when: the customer model, whose base \
             decides which repeat orders happen, cannot run on it yet",
            "leave [customers] out to replay the history, or fit a demand model with \
             `o2d init --from-history` and model the customers on it"
                .to_string(),
        );
    }
    if r.customers == Some(0) {
        c.fail_help(
            format!("{p}.customers"),
            "a base of 0 customers places no repeat order",
            "leave `customers` out to size the base to the demand, or give at least 1".to_string(),
        );
    }
    let new_share = c.share(&format!("{p}.new_share"), r.new_share);
    let future_months = c.non_negative(&format!("{p}.future_months"), r.future_months);
    if r.segments.is_empty() {
        c.fail_help(
            format!("{p}.segments"),
            "needs at least one segment",
            "e.g. [[customers.segments]] name = \"all\", orders_per_year = 3, order_value = 60, initial_share = 1"
                .to_string(),
        );
    }
    if r.segments.len() > MAX_SEGMENTS {
        c.fail(format!("{p}.segments"), format!("more than {MAX_SEGMENTS} segments"));
    }
    c.unique(&format!("{p}.segments"), ".name", "segments", r.segments.iter().map(|s| s.name.as_str()));
    let mut segments = Vec::new();
    for (i, s) in r.segments.iter().enumerate() {
        let sp = format!("{p}.segments[{i}]");
        if s.name.is_empty() || !s.name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
        {
            c.fail_help(
                format!("{sp}.name"),
                format!(
                    "{:?} cannot name the segment's columns of daily.csv (`customers_active_<name>`): \
                     use letters, digits, `_` and `-`",
                    s.name
                ),
                format!("e.g. name = {:?}", suggested_name(&s.name)),
            );
        }
        if i == 0 && s.from_orders != 1 {
            c.fail_help(
                format!("{sp}.from_orders"),
                format!("the first segment starts at {}: a customer has at least 1 order", s.from_orders),
                "set from_orders = 1 on the first segment".to_string(),
            );
        }
        if let Some(prev) = i.checked_sub(1).map(|j| &r.segments[j])
            && s.from_orders <= prev.from_orders
        {
            c.fail(
                format!("{sp}.from_orders"),
                format!(
                    "{} is not above the previous segment's {}: list segments by growing from_orders",
                    s.from_orders, prev.from_orders
                ),
            );
        }
        c.non_negative(&format!("{sp}.orders_per_year"), s.orders_per_year);
        c.non_negative(&format!("{sp}.order_value"), s.order_value);
        c.share(&format!("{sp}.initial_share"), s.initial_share);
        segments.push(s.clone());
    }
    let total: f64 = segments.iter().map(|s| s.initial_share).sum();
    if !segments.is_empty() && total.is_finite() && (total - 1.0).abs() > 1e-6 {
        c.fail_help(
            format!("{p}.segments"),
            format!("initial shares sum to {}, not 1", (total * 1e9).round() / 1e9),
            "make the segments' `initial_share` values add up to 1".to_string(),
        );
    }
    let model = Customers {
        customers: r.customers,
        new_share,
        churn_after_bad: c.share(&format!("{p}.churn_after_bad"), r.churn_after_bad),
        churn_after_unhappy_contact: c
            .share(&format!("{p}.churn_after_unhappy_contact"), r.churn_after_unhappy_contact),
        rate_drop_per_bad: c.share(&format!("{p}.rate_drop_per_bad"), r.rate_drop_per_bad),
        win_back: r.win_back,
        future_months,
        product_cost_share: c.share(&format!("{p}.product_cost_share"), r.product_cost_share),
        segments,
    };
    // A repeat order picks a customer at random and keeps them with probability (their rate) /
    // (the highest): every rate above 0, and within a factor 1,000, keeps that quick.
    let max = model.max_rate();
    for (i, s) in model.segments.iter().enumerate() {
        if new_share < 1.0 && !(s.orders_per_year > 0.0 && s.orders_per_year * 1_000.0 >= max) {
            c.fail_help(
                format!("{p}.segments[{i}].orders_per_year"),
                format!(
                    "{} orders a year: repeat orders fall to customers in proportion to their segment's rate, \
                     which must be above 0 and within a factor 1,000 of the highest ({max})",
                    s.orders_per_year
                ),
                "give every segment a rate of its own, or set new_share = 1 (every order a new customer's)"
                    .to_string(),
            );
        }
    }
    model
}
