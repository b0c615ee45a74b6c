//! The customer base as entities (`[customers]`): who places each order, what each customer
//! remembers of their orders and contacts, and who leaves.
//!
//! The demand model (or the forecast) gives the orders a base of customers who all stay and
//! are all content would place. Each of its orders is a **new customer**'s first order with
//! probability `new_share` (they join the base), else a **repeat order** that falls to a customer
//! of the base chosen in proportion to their segment's `orders_per_year`. That customer places it
//! only if still here, and then with probability `(1 - rate_drop_per_bad)^(bad experiences
//! remembered)`: the orders of customers who left or were put off are lost, so a bad peak lowers
//! the orders of the weeks after it. Each customer's repeat orders are thus a Poisson process
//! whose rate is their segment's share of the demand's repeat orders, lowered by experience.
//!
//! **Experiences** arrive by the order flow's news (late, damaged, wrong item, lost) and by
//! support through the flow's mailbox (abandoned contacts, failed actions, and how satisfied each
//! contact left the customer, whether or not they answer the survey).
//! Customers are numbered from 0 in the order they joined: the base at the start first.

use rand::RngExt;

use crate::kernel::rng::{StreamRng, keyed, stream};
use crate::kernel::{Context, Time, huge};
use crate::kpi::{CUSTOMER_KPIS, customer_daily_columns};
use crate::scenario::Scenario;
use crate::scenario::customers::{Customers, MAX_REMEMBERED_BAD};
use crate::scenario::derived::mean_expected_orders;
use crate::units::MS_PER_DAY;

use super::component::{Component, News, Others, Report};
use super::flow::Flow;
use super::spans::{PerSpan, Spans};
use super::{Event, PartEvent, purpose};

/// The customer of an order or ticket that has none (a pre-sale question, or no customer model).
pub const NO_CUSTOMER: u32 = u32::MAX;

/// A day index a customer has not reached (still with us).
const STILL_HERE: u16 = u16::MAX;

/// What happened to a customer, as support reports it through the flow's mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Experience {
    /// A bad experience: an abandoned contact or a failed action.
    Bad,
    /// A contact ended: how satisfied the customer is (1..=5 stars, the CSAT model's score,
    /// whether or not they answer the survey), after a complaint an agent resolved or not.
    Contact {
        /// Stars they would give.
        stars: u8,
        /// Whether it closed a complaint an agent resolved (a win-back when happy).
        resolved_complaint: bool,
    },
}

/// A customer's experience in the flow's mailbox: who, what, and the seed its churn draw is
/// keyed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mail {
    /// The customer.
    pub customer: u32,
    /// What happened.
    pub experience: Experience,
    /// The seed of the order or ticket it came from.
    pub seed: u64,
}

/// The random numbers of one choice of customer (see `CustomersPart::locate`).
#[derive(Debug, Clone, Copy)]
struct Draw {
    /// A new customer's order.
    new: bool,
    /// Picks the segment.
    segment: f64,
    /// Picks the member of the segment.
    member: f64,
}

/// Who an order of the demand model falls to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    /// A new customer, who joins the base.
    New,
    /// This customer of the base (who may have left, or be put off).
    Repeat(u32),
}

/// One customer: 12 bytes, no heap.
#[derive(Debug, Clone, Copy)]
struct Customer {
    /// Orders placed, before the run and in it (saturating).
    orders: u16,
    /// Orders placed in the run (saturating).
    placed: u16,
    /// The day they joined, counted from 1 (0: in the base at the start).
    joined_day: u16,
    /// The day they left, or `STILL_HERE`.
    left_day: u16,
    /// Bad experiences remembered (at most `MAX_REMEMBERED_BAD`).
    bad: u8,
    /// Bad experiences in the run (saturating).
    bad_total: u8,
    /// Their segment (index into the scenario's segments).
    segment: u8,
    /// How satisfied their last contact left them, in stars (0: no contact yet).
    last_stars: u8,
}

impl Customer {
    fn here(&self) -> bool {
        self.left_day == STILL_HERE
    }

    /// A customer of `segment` who has placed `orders` orders before the run, or who joins on
    /// day index `joined` with no order yet.
    fn new(orders: u32, joined: Option<usize>, segment: usize) -> Self {
        Self {
            orders: orders.min(u32::from(u16::MAX)) as u16,
            placed: 0,
            joined_day: joined.map_or(0, |d| (d + 1).min(usize::from(STILL_HERE) - 1) as u16),
            left_day: STILL_HERE,
            bad: 0,
            bad_total: 0,
            segment: segment as u8,
            last_stars: 0,
        }
    }
}

/// The base at the end of a replication, for `customers.csv`.
#[derive(Debug, Clone)]
pub struct CustomerBase {
    cfg: Customers,
    base: Vec<Customer>,
}

/// One customer at the end of a replication.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRow<'a> {
    /// Their id (1 for the first customer of the base at the start; as in the trace).
    pub id: u32,
    /// Their segment at the end.
    pub segment: &'a str,
    /// The day index they joined on (`None`: in the base at the start).
    pub joined_day: Option<u32>,
    /// Orders placed, before the run and in it.
    pub orders: u32,
    /// Orders placed in the run.
    pub orders_in_run: u32,
    /// Bad experiences in the run.
    pub bad_experiences: u32,
    /// Bad experiences their record still holds (win-backs forget one each; at most
    /// `MAX_REMEMBERED_BAD`).
    pub bad_remembered: u32,
    /// Stars their last contact left them at (`None`: no contact).
    pub last_contact_stars: Option<u32>,
    /// The day index they left on (`None`: still a customer).
    pub churned_day: Option<u32>,
    /// Value of the orders placed in the run, each at the order value of the segment the order
    /// put them in.
    pub revenue: f64,
}

impl CustomerBase {
    /// Every customer, in id order.
    pub fn rows(&self) -> impl Iterator<Item = CustomerRow<'_>> {
        let cfg = &self.cfg;
        self.base.iter().enumerate().map(move |(i, c)| {
            let orders = u32::from(c.orders);
            let first = orders - u32::from(c.placed).min(orders) + 1;
            CustomerRow {
                id: i as u32 + 1,
                segment: &cfg.segments[usize::from(c.segment)].name,
                joined_day: c.joined_day.checked_sub(1).map(u32::from),
                orders,
                orders_in_run: u32::from(c.placed),
                bad_experiences: u32::from(c.bad_total),
                bad_remembered: u32::from(c.bad),
                last_contact_stars: (c.last_stars > 0).then_some(u32::from(c.last_stars)),
                churned_day: (!c.here()).then_some(u32::from(c.left_day)),
                revenue: (first..=orders)
                    .fold(0.0, |sum, k| sum + cfg.segments[cfg.segment_of(k)].order_value),
            }
        })
    }
}

/// Counters of one span (`model::spans`).
#[derive(Debug, Clone, Copy, Default)]
struct CustomerStats {
    /// Orders placed by new customers, and by customers who had ordered before.
    new_orders: u64,
    repeat_orders: u64,
    /// Customers who left.
    lost: u64,
    /// Customers who left among those here when the span started.
    lost_of_those_at_start: u64,
    /// The revenue the customers who left would have brought over `future_months`.
    lost_future_revenue: f64,
    /// Value of the orders placed (each at its customer's segment's order value).
    order_value: f64,
}

/// One day of the customer series.
#[derive(Debug, Clone, Copy, Default)]
struct CustomersDay {
    /// Customers here at the day's start (for retention over a window).
    here_at_start: u64,
    /// At the day's end.
    here: u64,
    new: u64,
    lost: u64,
}

/// One day of a segment's series.
#[derive(Debug, Clone, Copy, Default)]
struct SegmentDay {
    /// Customers of the segment here at the day's end.
    here: u64,
    /// Customers of the segment who left that day.
    lost: u64,
}

/// Purposes of the keyed draws about a customer's experiences.
mod draw {
    /// Whether a bad experience makes the customer leave.
    pub const CHURN_BAD: u64 = super::purpose::CUSTOMER;
    /// Whether a contact that left them unhappy does.
    pub const CHURN_UNHAPPY: u64 = super::purpose::CUSTOMER + 1;
}

/// The customer base in one replication.
pub(crate) struct CustomersPart<'s> {
    cfg: &'s Customers,
    base: Vec<Customer>,
    /// Customers at the start.
    initial: u64,
    /// Customers here now.
    here: u64,
    /// Customers here now, by segment.
    here_by_segment: Vec<u64>,
    /// Each segment's share of the highest rate: its orders a year / the highest segment's.
    rate_share: Vec<f64>,
    /// The customers of each segment, those who left included (their orders are lost).
    members: Vec<Vec<u32>>,
    /// Each customer's place in their segment's `members`.
    place: Vec<u32>,
    /// Who the demand model's next order falls to, chosen as soon as the base is settled after
    /// the last one (so their record is loaded by the time the order comes).
    ahead: Option<Choice>,
    /// The random numbers of the choice after `ahead`.
    coming: Option<Draw>,
    /// The customer the next order placed falls to (`None`: a new customer).
    next: Option<u32>,
    /// New-or-repeat draws and the choice of the customer.
    rng: StreamRng,
    spans: Spans,
    /// The first day of each span.
    span_start: Vec<usize>,
    stats: PerSpan<CustomerStats>,
    days: Vec<CustomersDay>,
    /// Each day's `SegmentDay` of each segment, at `day * segments + segment`.
    segment_days: Vec<SegmentDay>,
}

impl<'s> CustomersPart<'s> {
    pub(super) fn new(sc: &'s Scenario, cfg: &'s Customers, replication: u64, spans: &Spans) -> Self {
        let initial = cfg.initial(mean_expected_orders(sc));
        let mut base = huge::with_capacity(initial as usize);
        // The base at the start, by the segments' shares, each at its segment's first order count.
        let mut bound = 0.0;
        for (i, s) in cfg.segments.iter().enumerate() {
            bound += s.initial_share * initial as f64;
            let until = if i + 1 == cfg.segments.len() { initial } else { bound.round() as u64 };
            while (base.len() as u64) < until {
                base.push(Customer::new(s.from_orders, None, i));
            }
        }
        let max_rate = cfg.max_rate();
        let mut here_by_segment = vec![0; cfg.segments.len()];
        let mut members = vec![Vec::new(); cfg.segments.len()];
        let mut place = huge::with_capacity(base.len());
        for (i, c) in base.iter().enumerate() {
            here_by_segment[usize::from(c.segment)] += 1;
            let list = &mut members[usize::from(c.segment)];
            place.push(list.len() as u32);
            huge::push(list, i as u32);
        }
        Self {
            cfg,
            base,
            initial,
            here: initial,
            here_by_segment,
            rate_share: cfg
                .segments
                .iter()
                .map(|s| if max_rate > 0.0 { s.orders_per_year / max_rate } else { 0.0 })
                .collect(),
            members,
            place,
            ahead: None,
            coming: None,
            next: None,
            rng: stream(sc.seed, replication, "customers"),
            spans: spans.clone(),
            span_start: (0..spans.count()).map(|s| spans.days_in(s).next().unwrap_or(0)).collect(),
            stats: PerSpan::new(spans),
            days: vec![CustomersDay::default(); sc.days as usize],
            segment_days: vec![SegmentDay::default(); sc.days as usize * cfg.segments.len()],
        }
    }

    /// The random numbers of one choice of customer.
    fn draw(&mut self) -> Draw {
        if self.rng.random::<f64>() < self.cfg.new_share {
            return Draw { new: true, segment: 0.0, member: 0.0 };
        }
        Draw { new: false, segment: self.rng.random(), member: self.rng.random() }
    }

    /// Where the repeat order of `draw` falls: a segment at random by its members times its rate,
    /// then one of its members at random (`None`: a new customer).
    fn locate(&self, draw: &Draw) -> Option<(usize, usize)> {
        let weights =
            || self.members.iter().zip(&self.rate_share).map(|(list, share)| list.len() as f64 * share);
        let total: f64 = weights().sum();
        if draw.new || total <= 0.0 {
            return None;
        }
        let mut at = draw.segment * total;
        // Rounding can leave `at` past the last weight: then the last segment that can be chosen.
        let segment = weights()
            .position(|w| {
                let hit = at < w;
                at -= w;
                hit
            })
            .or_else(|| weights().rposition(|w| w > 0.0))?;
        let n = self.members[segment].len();
        Some((segment, ((draw.member * n as f64) as usize).min(n - 1)))
    }

    /// Who the demand model's next order falls to: a new customer with probability `new_share`,
    /// else a customer of the base in proportion to their segment's rate. The numbers of the
    /// choice after it are drawn now, so the member list entry it will read is loaded meanwhile
    /// (the lists may change before then: the choice itself reads them as they are then).
    fn choose(&mut self) -> Choice {
        let draw = match self.coming.take() {
            Some(d) => d,
            None => self.draw(),
        };
        let choice = match self.locate(&draw) {
            Some((segment, i)) => {
                let who = self.members[segment][i];
                // Their record, and their place in their list should the order change segment.
                crate::kernel::prefetch(&self.base[who as usize]);
                crate::kernel::prefetch(&self.place[who as usize]);
                Choice::Repeat(who)
            }
            None => Choice::New,
        };
        let coming = self.draw();
        if let Some((segment, i)) = self.locate(&coming) {
            crate::kernel::prefetch(&self.members[segment][i]);
        }
        self.coming = Some(coming);
        choice
    }

    /// Whether the demand model's next order is placed, and by whom (kept in `next`): a new
    /// customer, or the customer of the base it falls to if they are still here and not put off.
    fn decide(&mut self) -> bool {
        let choice = match self.ahead.take() {
            Some(c) => c,
            None => self.choose(),
        };
        let Choice::Repeat(who) = choice else {
            self.next = None;
            return true;
        };
        let c = self.base[who as usize];
        let keep = (1.0 - self.cfg.rate_drop_per_bad).powi(i32::from(c.bad));
        if !c.here() || (c.bad > 0 && self.rng.random::<f64>() >= keep) {
            // Nothing changed: the next order's customer can be chosen now.
            self.ahead = Some(self.choose());
            return false;
        }
        self.next = Some(who);
        true
    }

    /// Moves customer `who` from segment `from` to segment `to`.
    fn change_segment(&mut self, who: u32, from: usize, to: usize) {
        let at = self.place[who as usize] as usize;
        let list = &mut self.members[from];
        list.swap_remove(at);
        if let Some(&moved) = list.get(at) {
            self.place[moved as usize] = at as u32;
        }
        self.place[who as usize] = self.members[to].len() as u32;
        huge::push(&mut self.members[to], who);
    }

    /// Reads the experiences support reported since the last look.
    #[inline]
    fn read_mailbox(&mut self, flow: &mut Flow<'s>, now: Time) {
        if flow.experiences.is_empty() {
            return;
        }
        let mut mail = std::mem::take(&mut flow.experiences);
        for r in mail.drain(..) {
            self.experience(r.customer, r.experience, r.seed, now);
        }
        flow.experiences = mail;
    }

    /// Customer `who` had `experience`; draws keyed by `seed`.
    fn experience(&mut self, who: u32, experience: Experience, seed: u64, now: Time) {
        let cfg = self.cfg;
        let Some(c) = self.base.get_mut(who as usize) else { return };
        if !c.here() {
            return;
        }
        let leaves = match experience {
            Experience::Bad => {
                c.bad = (c.bad + 1).min(MAX_REMEMBERED_BAD);
                c.bad_total = c.bad_total.saturating_add(1);
                keyed(seed, draw::CHURN_BAD).random::<f64>() < cfg.churn_after_bad
            }
            Experience::Contact { stars, resolved_complaint } => {
                c.last_stars = stars;
                if cfg.win_back && resolved_complaint && stars >= 4 {
                    c.bad = c.bad.saturating_sub(1);
                }
                stars <= 2
                    && keyed(seed, draw::CHURN_UNHAPPY).random::<f64>() < cfg.churn_after_unhappy_contact
            }
        };
        if leaves {
            self.leave(who, now);
        }
    }

    /// Customer `who` leaves at `now`.
    fn leave(&mut self, who: u32, now: Time) {
        let day = (now / MS_PER_DAY) as usize;
        let c = &mut self.base[who as usize];
        c.left_day = day.min(usize::from(STILL_HERE) - 1) as u16;
        let s = &self.cfg.segments[usize::from(c.segment)];
        let future = s.orders_per_year * s.order_value * self.cfg.future_months / 12.0;
        // Joined on day `joined_day - 1`, so here when a span starting on day f began if <= f.
        let joined = usize::from(c.joined_day);
        self.here -= 1;
        let segment = usize::from(c.segment);
        self.here_by_segment[segment] -= 1;
        if let Some(d) = self.days.get_mut(day) {
            d.lost += 1;
        }
        if let Some(d) = self.segment_days.get_mut(day * self.here_by_segment.len() + segment) {
            d.lost += 1;
        }
        let spans = self.spans.of_day(day);
        let at_start = (0..self.span_start.len())
            .filter(|&s| spans & 1 << s != 0 && joined <= self.span_start[s])
            .fold(0, |m, s| m | 1 << s);
        self.stats.each(spans, |s| {
            s.lost += 1;
            s.lost_future_revenue += future;
        });
        self.stats.each(at_start, |s| s.lost_of_those_at_start += 1);
    }

    /// Who places order `id`: the customer the flow is placing for, or a new one.
    fn placed(&mut self, id: super::orders::OrderId, flow: &mut Flow<'s>, now: Time) {
        let day = (now / MS_PER_DAY) as usize;
        let who = match self.next.take() {
            Some(c) => c,
            None => {
                let who = self.base.len() as u32;
                huge::push(&mut self.base, Customer::new(0, Some(day), 0));
                huge::push(&mut self.place, self.members[0].len() as u32);
                huge::push(&mut self.members[0], who);
                self.here += 1;
                self.here_by_segment[0] += 1;
                if let Some(d) = self.days.get_mut(day) {
                    d.new += 1;
                }
                (self.base.len() - 1) as u32
            }
        };
        flow.set_customer(id, who);
        let c = &mut self.base[who as usize];
        let repeat = c.orders > 0;
        c.orders = c.orders.saturating_add(1);
        c.placed = c.placed.saturating_add(1);
        let (from, segment) = (usize::from(c.segment), self.cfg.segment_of(u32::from(c.orders)));
        if segment != from {
            c.segment = segment as u8;
            self.here_by_segment[from] -= 1;
            self.here_by_segment[segment] += 1;
            self.change_segment(who, from, segment);
        }
        let value = self.cfg.segments[segment].order_value;
        // The base is settled until the next order: the next order's customer can be chosen.
        self.ahead = Some(self.choose());
        self.stats.each(self.spans.at(now), |s| {
            s.new_orders += u64::from(!repeat);
            s.repeat_orders += u64::from(repeat);
            s.order_value += value;
        });
    }
}

impl<'s> Component<'s> for CustomersPart<'s> {
    fn close_day(&mut self, day: usize) {
        if let Some(d) = self.days.get_mut(day) {
            d.here = self.here;
        }
        let n = self.here_by_segment.len();
        if let Some(days) = self.segment_days.get_mut(day * n..(day + 1) * n) {
            for (d, &here) in days.iter_mut().zip(&self.here_by_segment) {
                d.here = here;
            }
        }
    }

    fn day_starts(&mut self, day: u32, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        self.read_mailbox(flow, ctx.now());
        if let Some(d) = self.days.get_mut(day as usize) {
            d.here_at_start = self.here;
        }
    }

    fn handle(&mut self, _: PartEvent, _: &mut Flow<'s>, _: &mut Others<'_, 's>, _: &mut Context<Event>) {
        unreachable!("the customer model schedules no event of its own")
    }

    fn hear(&mut self, news: &News, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let now = ctx.now();
        self.read_mailbox(flow, now);
        match *news {
            News::Placed(id) => self.placed(id, flow, now),
            News::Delivered { order, customer, .. } => {
                use super::orders::flag;
                let late = now > order.promised_by;
                if late || order.has(flag::DAMAGED) || order.has(flag::WRONG_ITEM) {
                    self.experience(customer, Experience::Bad, order.seed, now);
                }
            }
            News::Lost { seed, customer, .. } => self.experience(customer, Experience::Bad, seed, now),
            _ => {}
        }
    }

    fn order_happens(&mut self) -> bool {
        self.decide()
    }

    fn report(&mut self, _flow: &Flow<'s>, out: &mut Report<'_>) {
        for (span, list) in out.kpis.iter_mut().enumerate() {
            let s = self.stats.get(span);
            let orders = s.new_orders + s.repeat_orders;
            let at_start = self.days.get(self.span_start[span]).map_or(self.initial, |d| d.here_at_start);
            let values = [
                s.new_orders as f64,
                s.lost as f64,
                if at_start == 0 {
                    f64::NAN
                } else {
                    1.0 - s.lost_of_those_at_start as f64 / at_start as f64
                },
                if orders == 0 { f64::NAN } else { s.repeat_orders as f64 / orders as f64 },
                s.order_value,
                s.order_value * (1.0 - self.cfg.product_cost_share) - out.costs[span],
                s.lost_future_revenue,
            ];
            list.extend(CUSTOMER_KPIS.iter().copied().zip(values));
        }
        *out.customers = Some(CustomerBase { cfg: self.cfg.clone(), base: std::mem::take(&mut self.base) });
        out.daily_columns.extend(customer_daily_columns(&self.cfg.segments));
        let segments = self.here_by_segment.len();
        for ((row, d), by_segment) in
            out.daily.iter_mut().zip(&self.days).zip(self.segment_days.chunks(segments))
        {
            row.extend([d.here as f64, d.new as f64, d.lost as f64]);
            row.extend(by_segment.iter().flat_map(|s| [s.here as f64, s.lost as f64]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Source, load};

    fn scenario(customers: &str) -> Scenario {
        let text = format!("[run]\ndays = 10\n[demand]\norders_per_day = 1000\n[customers]\n{customers}");
        load(&Source::Text { name: "c.toml".into(), text }, &[]).unwrap()
    }

    /// Half-width of the 99.9% interval of a binomial count of `n` trials at probability `p`.
    fn tolerance(n: f64, p: f64) -> f64 {
        3.3 * (n * p * (1.0 - p)).sqrt()
    }

    #[test]
    fn a_customer_is_a_12_byte_record() {
        // 5 million customers in 60 MB: the base's memory is the record times the customers.
        assert_eq!(std::mem::size_of::<Customer>(), 12);
    }

    #[test]
    fn survival_after_k_bad_experiences_follows_the_geometric_law() {
        let q: f64 = 0.2;
        let sc = scenario(&format!("customers = 20000\nchurn_after_bad = {q}\n"));
        let cfg = sc.customers.as_ref().unwrap();
        let mut part = CustomersPart::new(&sc, cfg, 0, &Spans::new(&sc));
        let n = part.base.len() as u32;
        for k in 1..=4u32 {
            for who in 0..n {
                // Each bad experience has its own seed, as each order or ticket does.
                part.experience(who, Experience::Bad, u64::from(who) << 8 | u64::from(k), 0);
            }
            let here = part.base.iter().filter(|c| c.here()).count() as f64;
            let expected = f64::from(n) * (1.0 - q).powi(k as i32);
            let tol = tolerance(f64::from(n), (1.0 - q).powi(k as i32));
            assert!((here - expected).abs() <= tol, "after {k}: {here} here, expected {expected} +- {tol}");
            assert_eq!(part.here as f64, here, "the count of customers here follows the records");
        }
    }

    #[test]
    fn repeat_orders_fall_to_customers_by_their_segments_rates_and_bad_experiences_put_them_off() {
        let sc = scenario(
            "customers = 10000\nnew_share = 0.25\nrate_drop_per_bad = 0.5\n\
             [[customers.segments]]\nname = \"low\"\nfrom_orders = 1\norders_per_year = 1\ninitial_share = 0.5\n\
             [[customers.segments]]\nname = \"high\"\nfrom_orders = 1000\norders_per_year = 3\ninitial_share = 0.5\n",
        );
        let cfg = sc.customers.as_ref().unwrap();
        let mut part = CustomersPart::new(&sc, cfg, 0, &Spans::new(&sc));
        // A quarter of the low segment remembers two bad experiences: kept with 0.5^2.
        for who in 0..1250 {
            part.base[who].bad = 2;
        }
        let trials = 200_000;
        let (mut new, mut low, mut high, mut lost) = (0.0, 0.0, 0.0, 0.0);
        for _ in 0..trials {
            if !part.decide() {
                lost += 1.0;
                continue;
            }
            match part.next {
                None => new += 1.0,
                Some(c) if c < 5000 => low += 1.0,
                Some(_) => high += 1.0,
            }
        }
        let t = f64::from(trials);
        let repeat = 0.75;
        // Low customers draw a quarter of the repeat orders (rates 1 : 3); a quarter of those fall
        // to the put-off customers, who place a quarter of theirs.
        let p_low = repeat * 0.25 * (0.75 + 0.25 * 0.25);
        let p_lost = repeat * 0.25 * 0.25 * 0.75;
        for (what, got, p) in
            [("new", new, 0.25), ("low", low, p_low), ("high", high, repeat * 0.75), ("lost", lost, p_lost)]
        {
            let tol = tolerance(t, p);
            assert!((got - t * p).abs() <= tol, "{what}: {got} vs {} +- {tol}", t * p);
        }
    }

    #[test]
    fn a_resolved_complaint_that_leaves_them_happy_forgets_a_bad_experience_and_an_unhappy_contact_may_lose_them()
     {
        let sc = scenario("customers = 1000\nchurn_after_bad = 0\nchurn_after_unhappy_contact = 1\n");
        let cfg = sc.customers.as_ref().unwrap();
        let mut part = CustomersPart::new(&sc, cfg, 0, &Spans::new(&sc));
        part.experience(0, Experience::Bad, 1, 0);
        part.experience(0, Experience::Bad, 2, 0);
        assert_eq!(part.base[0].bad, 2);
        part.experience(0, Experience::Contact { stars: 5, resolved_complaint: true }, 3, 0);
        assert_eq!(part.base[0].bad, 1, "won back: one bad experience forgotten");
        part.experience(0, Experience::Contact { stars: 4, resolved_complaint: false }, 4, 0);
        assert_eq!(part.base[0].bad, 1, "a happy contact without a resolved complaint forgets nothing");
        part.experience(0, Experience::Contact { stars: 2, resolved_complaint: false }, 5, 0);
        assert!(!part.base[0].here(), "an unhappy contact with churn probability 1 loses them");
        assert_eq!(part.here, 999);
    }
}
