//! Customer support: tickets created by what happens to orders (and pre-sale questions), channel
//! queues served by agent teams on shifts, the back office, CSAT, NPS and retention. No I/O.
//!
//! A ticket's life: a trigger (an order placed, late, shipped, damaged, lost, returned, or a
//! pre-sale question) may create a pending ticket that reaches support after a delay. It is then
//! resolved by self-service at once, or queues on its channel. An agent of a team that serves the
//! channel replies (first response); one reply resolves it with the contact type's one-touch
//! probability, else the customer writes back later and it queues again. Forwarded types become a
//! back-office case after the first reply and are resolved when the case is done. On a real-time
//! channel a customer who waits beyond their patience abandons, and may retry on another channel.
//!
//! The functions on every ticket's path are `#[inline(always)]`: left to the compiler, their
//! calls cost about 4% of the instructions of a support-only run (callgrind).

use std::collections::VecDeque;

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use crate::kernel::rng::{StreamRng, keyed};
use crate::kernel::{Context, Time};
use crate::kpi::{SUPPORT_KPIS, channel_daily_columns, channel_kpis, support_kpis};
use crate::scenario::Scenario;
use crate::scenario::support::{Channel, ContactType, PerChannel, PerContact, Support};
use crate::stats::DurationHistogram;
use crate::units::{MS_PER_DAY, MS_PER_MIN, seconds_to_ms, weekday_index};

use super::component::{Component, News, Others, Report};
use super::flow::Flow;
use super::orders::{OrderId, OrderRef, flag};
use super::warehouse::Station;
use super::{Event, PartEvent, purpose};

/// Tickets open at once beyond which a run stops with an error instead of exhausting memory.
pub const MAX_OPEN_TICKETS: u64 = 10_000_000;

/// A ticket id: an index into the tickets slab, reused once the ticket ends.
pub type TicketId = u32;

/// Replies after which a ticket is closed whatever the one-touch draw says.
const MAX_REPLIES: u8 = 6;
/// Days a late order is checked for a WISMO contact.
const MAX_WISMO_DAYS: u8 = 30;
/// Emptied per-day lists of WISMO checks kept for reuse.
const WISMO_SPARE_LISTS: usize = 8;

/// Support's events, small `Copy` values holding ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupportEvent {
    /// A pending ticket reaches support.
    Contact(TicketId),
    /// The next pre-sale question.
    Presale,
    /// An agent finishes a reply.
    Replied(TicketId),
    /// A customer waiting on a real-time channel gives up (if still in the same wait: token).
    Abandon(TicketId, u32),
    /// A customer writes back (follow-up) or retries after abandoning.
    CustomerBack(TicketId),
    /// The back office finishes a case.
    CaseDone(TicketId),
    /// Agents join (+) or leave (-) team `0`.
    Agents(u8, i32),
    /// Back-office staff join or leave.
    BackOfficeStaff(i32),
}

/// Ticket states.
mod state {
    pub const FREE: u8 = 0;
    pub const PENDING: u8 = 1;
    pub const WAITING: u8 = 2;
    pub const SERVING: u8 = 3;
    pub const AWAY: u8 = 4;
    pub const BACK_OFFICE: u8 = 5;
}

/// Ticket flags.
mod tflag {
    pub const MEASURED: u8 = 1;
    pub const ANSWERED: u8 = 2;
    pub const FAILED: u8 = 4;
    /// Abandoned once and retried on another channel.
    pub const RETRIED: u8 = 8;
}

/// Purposes of a ticket's keyed streams.
mod draw {
    pub const CHANNEL: u64 = 1;
    pub const SELF_SERVICE: u64 = 2;
    pub const DELAY: u64 = 3;
    pub const RETRY: u64 = 4;
    pub const SURVEY: u64 = 5;
    pub const CHURN: u64 = 6;
    pub const CASE: u64 = 7;
    /// Reply n uses HANDLE + 2n (handle time) and HANDLE + 2n + 1 (one-touch, follow-up delay).
    pub const HANDLE: u64 = 16;
    /// Entry n into a queue uses ENTRY + n for its patience.
    pub const ENTRY: u64 = 64;
}

/// One ticket: `Copy`, no heap.
#[derive(Debug, Clone, Copy)]
struct Ticket {
    seed: u64,
    created_at: Time,
    /// When the customer contacted on the current channel (creation, or a retry).
    contact_at: Time,
    queued_at: Time,
    started_at: Time,
    case_at: Time,
    order: Option<OrderRef>,
    token: u32,
    kind: ContactType,
    channel: Channel,
    state: u8,
    team: u8,
    replies: u8,
    entries: u8,
    days_late: u8,
    flags: u8,
}

impl Ticket {
    /// A ticket of type `kind` not yet reaching support.
    fn pending(kind: ContactType, seed: u64, order: Option<OrderRef>, days_late: u8) -> Self {
        Ticket {
            seed,
            created_at: 0,
            contact_at: 0,
            queued_at: 0,
            started_at: 0,
            case_at: 0,
            order,
            token: 0,
            kind,
            // Drawn when it reaches support.
            channel: Channel::Email,
            state: state::PENDING,
            team: 0,
            replies: 0,
            entries: 0,
            days_late,
            flags: 0,
        }
    }

    fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }
}

/// Agents of one team on shift, and the capacity units in use (an agent is `concurrency` units;
/// a chat takes one unit, any other reply a whole agent).
#[derive(Debug, Default, Clone, Copy)]
struct TeamState {
    on_shift: u32,
    busy_units: u32,
    /// When `on_shift` or `busy_units` last changed (overtime accrues from then).
    changed_at: Time,
}

/// The ticket count identity and the sample-path Little's law of the queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TicketLedger {
    /// Tickets that reached support.
    pub created: u64,
    /// Resolved (self-service, agent or back office).
    pub resolved: u64,
    /// Abandoned for good (not retried).
    pub abandoned: u64,
    /// Still open at the end (queued, in service, awaiting the customer or the back office).
    pub open: u64,
    /// Open tickets counted by scanning the slab at the end (must equal `open`).
    pub open_scanned: u64,
    /// ∫ tickets waiting dt over the run, in ticket-milliseconds.
    pub queue_area_ms: u64,
    /// Σ time each ticket spent waiting in a queue during the run, in milliseconds.
    pub wait_sum_ms: u64,
}

impl TicketLedger {
    /// Whether every ticket is accounted for once, and Little's law holds on the sample path
    /// (area under the queue-length curve = total time waited).
    pub fn holds(&self) -> bool {
        self.created == self.resolved + self.abandoned + self.open
            && self.open == self.open_scanned
            && self.queue_area_ms == self.wait_sum_ms
    }
}

/// Streaming counters over tickets created after the warm-up.
#[derive(Debug, Default)]
struct SupportStats {
    tickets: u64,
    self_served: u64,
    resolved_by_agents: u64,
    one_touch: u64,
    resolution: DurationHistogram,
    channel_tickets: PerChannel<u64>,
    /// First-response times by channel; the overall histogram is their merge at the end.
    channel_frt: PerChannel<DurationHistogram>,
    answered: PerChannel<u64>,
    sla_met: PerChannel<u64>,
    offered_live: PerChannel<u64>,
    abandoned: PerChannel<u64>,
    answers: u64,
    happy: u64,
    promoters: u64,
    detractors: u64,
    busy_agent_ms: f64,
    /// Agent time spent finishing replies beyond the agents on shift, in agent-milliseconds.
    overtime_agent_ms: f64,
    agent_hours: f64,
    back_office_hours: f64,
}

/// One day's support counters (warm-up included, so the series shows the whole run).
#[derive(Debug, Default, Clone, Copy)]
pub struct SupportDay {
    tickets: u64,
    self_served: u64,
    backlog: u64,
    agent_hours: f64,
    busy_agent_ms: f64,
    overtime_agent_ms: f64,
    overtime_agent_ms_by_channel: PerChannel<f64>,
    offered: PerChannel<u64>,
    answered: PerChannel<u64>,
    abandoned: PerChannel<u64>,
    frt_sum_s: PerChannel<f64>,
    agent_hours_by_channel: PerChannel<f64>,
    workload_s: PerChannel<f64>,
    busy_agent_ms_by_channel: PerChannel<f64>,
}

/// Overall daily support columns.
const DAILY: &[&str] = &["tickets", "self_served", "support_backlog", "agent_hours", "agent_occupancy"];

/// The daily support columns of a scenario whose used channels are `used`.
pub fn daily_columns(used: &PerChannel<bool>) -> Vec<&'static str> {
    let mut cols = DAILY.to_vec();
    for ch in used.marked() {
        cols.extend_from_slice(channel_daily_columns(ch));
    }
    cols
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { f64::NAN } else { a as f64 / b as f64 }
}

/// Calls `add` with each day's part, in milliseconds, of the interval `[from, to)` (most intervals
/// lie within one day), so a reply or overtime across midnight counts on both days.
#[inline(always)]
fn per_day(days: &mut [SupportDay], from: Time, to: Time, mut add: impl FnMut(&mut SupportDay, f64)) {
    let mut t = from;
    while t < to {
        let end = to.min((t / MS_PER_DAY + 1) * MS_PER_DAY);
        if let Some(d) = days.get_mut(Flow::day_of(t)) {
            add(d, (end - t) as f64);
        }
        t = end;
    }
}

/// Busy agent time over agent time on shift, overtime (replies finished after the shift ended)
/// counted as time on shift, so it never exceeds 1; NaN with no agent time.
fn occupancy(busy_ms: f64, on_shift_ms: f64, overtime_ms: f64) -> f64 {
    let available = on_shift_ms + overtime_ms;
    if available > 0.0 { busy_ms / available } else { f64::NAN }
}

impl SupportDay {
    fn values(&self, used: &PerChannel<bool>, target_occupancy: f64) -> Vec<f64> {
        let agent_ms = self.agent_hours * 3_600_000.0;
        let mut v = vec![
            self.tickets as f64,
            self.self_served as f64,
            self.backlog as f64,
            self.agent_hours,
            occupancy(self.busy_agent_ms, agent_ms, self.overtime_agent_ms),
        ];
        for ci in used.marked() {
            v.extend([
                self.offered[ci] as f64,
                self.answered[ci] as f64,
                self.abandoned[ci] as f64,
                if self.answered[ci] == 0 { f64::NAN } else { self.frt_sum_s[ci] / self.answered[ci] as f64 },
                self.agent_hours_by_channel[ci] / 24.0,
                self.workload_s[ci] / 3_600.0,
                self.busy_agent_ms_by_channel[ci] / 3_600_000.0 / 24.0 / target_occupancy,
                occupancy(
                    self.busy_agent_ms_by_channel[ci],
                    self.agent_hours_by_channel[ci] * 3_600_000.0,
                    self.overtime_agent_ms_by_channel[ci],
                ),
            ]);
        }
        v
    }
}

/// Customer support in one replication: its settings, tickets, queues, teams and counters.
pub(super) struct SupportPart<'s> {
    cfg: &'s Support,
    sc: &'s Scenario,
    /// Its index in the operation's components, for its own events.
    me: u8,
    tickets: Vec<Ticket>,
    free: Vec<TicketId>,
    queues: PerChannel<VecDeque<(TicketId, u32)>>,
    /// Live tickets in each channel's queue.
    waiting: PerChannel<u64>,
    /// Live tickets in all queues: the sum of `waiting`.
    queued: u64,
    next_token: u32,
    teams: Vec<TeamState>,
    /// Each contact type's channel when it can use only one (no channel draw).
    sure_channel: PerContact<Option<Channel>>,
    back_office: Station,
    presale: StreamRng,
    stats: SupportStats,
    days: Vec<SupportDay>,
    ledger: TicketLedger,
    last_touch: Time,
    /// Customers still with us, customers acquired during the run.
    active_customers: u64,
    acquired: u64,
    retention_rng: StreamRng,
    /// The day's staffing changes (at, delta, team or None for the back office), reused daily.
    plan: Vec<(Time, i32, Option<u8>)>,
    /// Staffing changes due at the next midnight (shifts ending at 24:00), made at the handover.
    handover: Vec<(Time, i32, Option<u8>)>,
    /// Each channel's opening hours today, [from, to): the first start to the last end of the
    /// staffed shifts of the teams serving it (empty when none works today).
    hours: PerChannel<(Time, Time)>,
    /// By day: the orders to check at that midnight for lateness, with the days past their
    /// promise, in the order the checks were set (the start of the day runs them; no calendar
    /// event per order, most of which would find the order delivered).
    wismo_due: Vec<Vec<(OrderRef, u8)>>,
    /// Emptied lists of `wismo_due`, for the days that fill up next.
    wismo_spares: Vec<Vec<(OrderRef, u8)>>,
}

impl<'s> SupportPart<'s> {
    pub(super) fn new(sc: &'s Scenario, s: &'s Support, seed: u64, replication: u64, me: u8) -> Self {
        Self {
            cfg: s,
            sc,
            me,
            tickets: Vec::new(),
            free: Vec::new(),
            queues: Default::default(),
            waiting: PerChannel::default(),
            queued: 0,
            next_token: 0,
            teams: vec![TeamState::default(); s.teams.len()],
            sure_channel: PerContact::from_fn(|kind| s.contacts[kind].sure_channel()),
            back_office: Station::default(),
            presale: crate::kernel::rng::stream(seed, replication, "presale"),
            stats: SupportStats::default(),
            days: vec![SupportDay::default(); sc.days as usize],
            ledger: TicketLedger::default(),
            last_touch: 0,
            active_customers: s.retention.customers,
            acquired: 0,
            retention_rng: crate::kernel::rng::stream(seed, replication, "retention"),
            plan: Vec::new(),
            handover: Vec::new(),
            hours: PerChannel::default(),
            wismo_due: vec![Vec::new(); sc.days as usize],
            wismo_spares: Vec::new(),
        }
    }

    /// Sets a lateness check of order `r` (`n` days past its promise) for the midnight that
    /// starts `day`; a day past the horizon never comes.
    fn check_at_start_of(&mut self, day: u64, r: OrderRef, n: u8) {
        let Some(list) = usize::try_from(day).ok().and_then(|d| self.wismo_due.get_mut(d)) else { return };
        if list.capacity() == 0
            && let Some(spare) = self.wismo_spares.pop()
        {
            *list = spare;
        }
        list.push((r, n));
    }

    /// Agents of `team` (the back office when `None`) join (`delta` > 0) or leave at `now`.
    fn change_staff(&mut self, cfg: &Support, team: Option<u8>, delta: i32, now: Time, measuring: bool) {
        match team {
            Some(team) => {
                self.settle_overtime(cfg, team as usize, now, measuring);
                let t = &mut self.teams[team as usize];
                t.on_shift = (i64::from(t.on_shift) + i64::from(delta)).max(0) as u32;
            }
            None => self.back_office.change_staff(i64::from(delta)),
        }
    }

    /// Accrues team `ti`'s overtime up to `now`: the capacity busy beyond the agents on shift
    /// (replies in hand when a shift ended), in agent-milliseconds. Runs before every change of
    /// the team's staff or busy units.
    #[inline(always)]
    fn settle_overtime(&mut self, cfg: &Support, ti: usize, now: Time, measuring: bool) {
        let team = &cfg.teams[ti];
        let st = &mut self.teams[ti];
        let capacity = st.on_shift * team.chat_concurrency;
        if st.busy_units > capacity {
            let agents = f64::from(st.busy_units - capacity) / f64::from(team.chat_concurrency);
            per_day(&mut self.days, st.changed_at, now, |day, ms| {
                day.overtime_agent_ms += ms * agents;
                for ch in team.serves.marked() {
                    day.overtime_agent_ms_by_channel[ch] += ms * agents;
                }
            });
            if measuring {
                self.stats.overtime_agent_ms += (now - st.changed_at) as f64 * agents;
            }
        }
        st.changed_at = now;
    }

    fn insert(&mut self, t: Ticket) -> TicketId {
        match self.free.pop() {
            Some(id) => {
                self.tickets[id as usize] = t;
                id
            }
            None => {
                self.tickets.push(t);
                (self.tickets.len() - 1) as TicketId
            }
        }
    }

    fn remove(&mut self, id: TicketId) {
        self.tickets[id as usize].state = state::FREE;
        self.free.push(id);
    }

    /// Adds the queue-length area since the last change (Little's law bookkeeping).
    fn touch(&mut self, now: Time) {
        let dt = now - self.last_touch;
        self.ledger.queue_area_ms += self.queued * dt;
        self.last_touch = now;
    }

    /// Takes the next ticket still waiting on channel `ch`, skipping stale entries.
    fn pop_live(&mut self, ch: Channel) -> Option<TicketId> {
        while let Some((id, token)) = self.queues[ch].pop_front() {
            let t = &self.tickets[id as usize];
            if t.state == state::WAITING && t.token == token {
                return Some(id);
            }
        }
        None
    }

    /// Takes ticket `id` out of its queue's live count (answered or abandoned) at `now`.
    fn leave_queue(&mut self, id: TicketId, now: Time) {
        self.touch(now);
        let t = &self.tickets[id as usize];
        self.waiting[t.channel] -= 1;
        self.queued -= 1;
        self.ledger.wait_sum_ms += now - t.queued_at;
    }

    /// The channel a customer turning to `ch` at `now` reaches: `ch`, or while it is a real-time
    /// channel outside its opening hours its `retry_channel`, and so on (at most one hop per
    /// channel: a loop of closed channels leaves the customer waiting on the last one).
    #[inline(always)]
    fn reachable_channel(&self, cfg: &Support, mut ch: Channel, now: Time) -> Channel {
        for _ in 0..Channel::COUNT {
            let (from, to) = self.hours[ch];
            if !ch.is_real_time() || (from <= now && now < to) {
                break;
            }
            ch = cfg.channels[ch].retry_channel;
        }
        ch
    }

    /// The first team, in file order, that serves channel `ch` and has room for a reply on it,
    /// and the capacity units that reply takes.
    fn team_with_room(&self, cfg: &Support, ch: Channel) -> Option<(usize, u32)> {
        cfg.teams.iter().zip(&self.teams).enumerate().find_map(|(ti, (team, st))| {
            let need = team.units_per_reply(ch);
            let free = (st.on_shift * team.chat_concurrency).saturating_sub(st.busy_units);
            (team.serves[ch] && free >= need).then_some((ti, need))
        })
    }

    /// Team `team` starts a reply to ticket `id` (out of its queue), taking `need` capacity
    /// units: first-response counters, then the reply's end at its handle time.
    #[inline(always)]
    fn start_reply(&mut self, cfg: &Support, id: TicketId, team: usize, need: u32, ctx: &mut Context<Event>) {
        let now = ctx.now();
        self.settle_overtime(cfg, team, now, ctx.measuring());
        self.teams[team].busy_units += need;
        let t = &mut self.tickets[id as usize];
        t.state = state::SERVING;
        t.team = team as u8;
        t.started_at = now;
        t.replies += 1;
        let ch = t.channel;
        let day = &mut self.days[Flow::day_of(now)];
        if !t.has(tflag::ANSWERED) {
            t.flags |= tflag::ANSWERED;
            let frt = now - t.contact_at;
            day.answered[ch] += 1;
            day.frt_sum_s[ch] += frt as f64 / 1_000.0;
            if t.has(tflag::MEASURED) {
                let st = &mut self.stats;
                st.channel_frt[ch].record_ms(frt);
                st.answered[ch] += 1;
                st.sla_met[ch] += u64::from(frt <= cfg.channels[ch].sla_ms);
            }
        }
        let handle_s = cfg.contacts[t.kind]
            .handle_time
            .sample(&mut keyed(t.seed, draw::HANDLE + 2 * u64::from(t.replies)))
            * cfg.channels[ch].handle_factor;
        day.workload_s[ch] += handle_s;
        ctx.schedule_in(seconds_to_ms(handle_s), event(self.me, SupportEvent::Replied(id)));
    }
}

/// The service tier (1..5) of a replication: the worst used channel's tier by its FRT p90, capped
/// by CSAT; NaN when no ticket reached an agent queue.
fn service_tier(s: &Support, p90_s: &PerChannel<f64>, offered: &PerChannel<u64>, csat: f64) -> f64 {
    let mut tier: Option<u32> = None;
    for (ch, &n) in offered.iter() {
        if n == 0 {
            continue;
        }
        let t = &s.tiers.frt_ms[ch];
        let p = p90_s[ch] * 1_000.0;
        let this = if p.is_nan() {
            1 // offered but never answered
        } else if p < t[0] as f64 {
            5
        } else if p < t[1] as f64 {
            4
        } else if p <= t[2] as f64 {
            3
        } else if p <= t[3] as f64 {
            2
        } else {
            1
        };
        tier = Some(tier.map_or(this, |x| x.min(this)));
    }
    let Some(mut tier) = tier else { return f64::NAN };
    if !csat.is_nan() {
        let cap = s.tiers.csat_min.iter().position(|&m| csat >= m).map_or(1, |i| 5 - i as u32);
        tier = tier.min(cap);
    }
    f64::from(tier)
}

impl<'s> SupportPart<'s> {
    #[inline(always)]
    fn schedule_presale(&mut self, ctx: &mut Context<Event>) {
        let per_hour = self.cfg.contacts[ContactType::Presale].per_hour;
        if per_hour <= 0.0 {
            return;
        }
        let gap_s = super::exp1(&mut self.presale) * 3_600.0 / per_hour;
        ctx.schedule_in(seconds_to_ms(gap_s).max(1), event(self.me, SupportEvent::Presale));
    }

    /// Whether an order the demand model offers is placed: new customers always order; an existing
    /// customer's order happens in proportion to the customers still with us.
    fn customer_orders(&mut self) -> bool {
        let r = &self.cfg.retention;
        let s = &mut *self;
        let u = s.retention_rng.random::<f64>();
        if u >= r.repeat_share {
            s.acquired += 1;
            s.active_customers += 1;
            return true;
        }
        let base = (r.customers + s.acquired) as f64;
        s.retention_rng.random::<f64>() * base < s.active_customers as f64
    }

    /// A customer had a bad experience: they leave for good with the churn probability.
    fn bad_experience(&mut self, seed: u64) {
        let churn = self.cfg.retention.churn_after_bad;
        let s = &mut *self;
        if keyed(seed, draw::CHURN).random::<f64>() < churn && s.active_customers > 0 {
            s.active_customers -= 1;
        }
    }

    /// Stores pending ticket `t`, which reaches support after `delay` (ms), or after its type's
    /// delay when `None`.
    #[inline(always)]
    fn pending_ticket(
        &mut self,
        t: Ticket,
        delay: Option<Time>,
        flow: &mut Flow<'s>,
        ctx: &mut Context<Event>,
    ) {
        let type_delay = &self.cfg.contacts[t.kind].delay;
        let delay =
            delay.unwrap_or_else(|| seconds_to_ms(type_delay.sample(&mut keyed(t.seed, draw::DELAY))));
        let id = self.insert(t);
        if delay == 0 {
            // Reaches support now: no event needed.
            self.ticket_arrives(id, flow, ctx);
        } else {
            ctx.schedule_in(delay, event(self.me, SupportEvent::Contact(id)));
        }
    }

    /// Draws whether trigger `kind` creates a contact for an order with seed `order_seed`.
    fn maybe_contact(
        &mut self,
        kind: ContactType,
        order_seed: u64,
        order: Option<OrderRef>,
        days_late: u8,
        flow: &mut Flow<'s>,
        ctx: &mut Context<Event>,
    ) {
        let cfg = self.cfg;
        let r = &mut keyed(order_seed, purpose::SUPPORT + kind.index() as u64);
        if r.random::<f64>() < cfg.contacts[kind].rate {
            let seed = r.random::<u64>();
            self.pending_ticket(Ticket::pending(kind, seed, order, days_late), None, flow, ctx);
        }
    }

    /// An order was placed: anxious "where is my order?", change and cancel requests, and the
    /// check for lateness at the promised date.
    fn support_order_placed(&mut self, id: OrderId, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let cfg = self.cfg;
        let o = *flow.orders.get(id);
        let r = Some(flow.orders.reference(id));
        for kind in [ContactType::Wismo, ContactType::ChangeOrder, ContactType::CancelOrder] {
            self.maybe_contact(kind, o.seed, r, 0, flow, ctx);
        }
        let w = &cfg.contacts[ContactType::Wismo];
        if w.late_rate > 0.0 || w.late_rate_per_day > 0.0 {
            // The promise ends at a midnight: the check runs when that day starts.
            let r = flow.orders.reference(id);
            self.check_at_start_of(o.promised_by / MS_PER_DAY, r, 0);
        }
    }

    /// Runs the lateness checks set for the midnight that starts `day`, in the order they were
    /// set (what one calendar event per check did, without the events).
    fn run_wismo_checks(&mut self, day: u32, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let s = &mut *self;
        let Some(list) = s.wismo_due.get_mut(day as usize) else { return };
        let mut due = std::mem::take(list);
        for &(r, n) in &due {
            self.wismo_check(r, n, flow, ctx);
        }
        due.clear();
        let s = &mut *self;
        // A few emptied lists are kept for the days filling up next (a promise spans a few days);
        // more are freed.
        if due.capacity() > 0 && s.wismo_spares.len() < WISMO_SPARE_LISTS {
            s.wismo_spares.push(due);
        }
    }

    /// A parcel left with a carrier: tracking questions.
    fn support_shipped(&mut self, id: OrderId, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let o = *flow.orders.get(id);
        let r = flow.orders.reference(id);
        self.maybe_contact(ContactType::Tracking, o.seed, Some(r), 0, flow, ctx);
    }

    /// An order was delivered at `now`: damaged or wrong items bring contacts; lateness and
    /// damage are bad experiences.
    fn support_delivered(
        &mut self,
        seed: u64,
        promised_by: Time,
        damaged: bool,
        wrong: bool,
        flow: &mut Flow<'s>,
        ctx: &mut Context<Event>,
    ) {
        let now = ctx.now();
        let late_days = days_late(promised_by, now);
        if damaged {
            self.maybe_contact(ContactType::Damaged, seed, None, late_days, flow, ctx);
        }
        if wrong {
            self.maybe_contact(ContactType::WrongItem, seed, None, late_days, flow, ctx);
        }
        if late_days > 0 || damaged || wrong {
            self.bad_experience(seed);
        }
    }

    /// A parcel was lost: a contact and a bad experience.
    fn support_lost(&mut self, seed: u64, promised_by: Time, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let late_days = days_late(promised_by, ctx.now());
        self.maybe_contact(ContactType::Lost, seed, None, late_days, flow, ctx);
        self.bad_experience(seed);
    }

    /// A customer sent a return: return and refund status questions.
    fn support_return_started(&mut self, seed: u64, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        self.maybe_contact(ContactType::Returns, seed, None, 0, flow, ctx);
    }

    fn wismo_check(&mut self, r: OrderRef, n: u8, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let cfg = self.cfg;
        let Some(o) = flow.orders.live(r).copied() else { return }; // delivered, lost or cancelled
        if o.has(flag::CANCELLED) {
            return;
        }
        let w = &cfg.contacts[ContactType::Wismo];
        let rng = &mut keyed(o.seed, purpose::WISMO_CHECK + u64::from(n));
        if n == 0 && rng.random::<f64>() < w.proactive_share {
            return; // told proactively: no contact about this delay
        }
        let p = (w.late_rate + w.late_rate_per_day * f64::from(n)).min(1.0);
        if rng.random::<f64>() < p {
            let seed = rng.random::<u64>();
            // The check runs at midnight; the customer gets in touch during the next waking hours.
            let delay = seconds_to_ms((7.0 + 15.0 * rng.random::<f64>()) * 3_600.0);
            let ticket = Ticket::pending(ContactType::Wismo, seed, Some(r), n.saturating_add(1));
            self.pending_ticket(ticket, Some(delay), flow, ctx);
        } else if n < MAX_WISMO_DAYS {
            let tomorrow = ctx.now() / MS_PER_DAY + 1;
            self.check_at_start_of(tomorrow, r, n + 1);
        }
    }

    /// Plans day `day`'s agent and back-office shifts and their hours.
    fn plan_support_day(&mut self, day: u32, ctx: &mut Context<Event>) {
        let sc = self.sc;
        let cfg = self.cfg;
        let s = &mut *self;
        let weekday = weekday_index(sc.date_of_day(day));
        let day_start = u64::from(day) * MS_PER_DAY;
        let day_i = i64::from(day);
        let measured = day >= sc.warmup_days;
        let mut changes = std::mem::take(&mut s.plan);
        changes.clear();
        let d = &mut s.days[day as usize];
        s.hours = PerChannel::from_fn(|_| (Time::MAX, 0));
        for (ti, team) in cfg.teams.iter().enumerate() {
            let extra: u32 = cfg
                .overrides
                .iter()
                .filter(|o| o.from_day <= day_i && day_i <= o.to_day && o.team.is_none_or(|t| t == ti))
                .map(|o| o.extra_agents)
                .sum();
            for sh in team.shifts.iter().filter(|sh| sh.days[weekday]) {
                let n = sh.agents + extra;
                if n == 0 {
                    continue;
                }
                let hours = f64::from(sh.end_min - sh.start_min) / 60.0 * f64::from(n);
                d.agent_hours += hours;
                let (start, end) = (
                    day_start + u64::from(sh.start_min) * MS_PER_MIN,
                    day_start + u64::from(sh.end_min) * MS_PER_MIN,
                );
                for ch in team.serves.marked() {
                    d.agent_hours_by_channel[ch] += hours;
                    let h = &mut s.hours[ch];
                    *h = (h.0.min(start), h.1.max(end));
                }
                if measured {
                    s.stats.agent_hours += hours;
                }
                changes.push((start, n as i32, Some(ti as u8)));
                changes.push((end, -(n as i32), Some(ti as u8)));
            }
        }
        let bo = &cfg.back_office;
        if bo.staff > 0 && bo.days[weekday] {
            let n = bo.staff as i32;
            changes.push((day_start + u64::from(bo.start_min) * MS_PER_MIN, n, None));
            changes.push((day_start + u64::from(bo.end_min) * MS_PER_MIN, -n, None));
            if measured {
                s.stats.back_office_hours +=
                    f64::from(bo.end_min - bo.start_min) / 60.0 * f64::from(bo.staff);
            }
        }
        // Leavers before joiners at the same instant during the day, so back-to-back shifts hand
        // over cleanly; at midnight (now) joiners before leavers, so round-the-clock cover never
        // lapses: the shifts ending at 24:00 yesterday leave after today's first shifts joined.
        changes.sort_by_key(|&(at, delta, _)| (at, delta > 0));
        let mut handover = std::mem::take(&mut s.handover);
        handover.extend(changes.iter().filter(|c| c.0 == day_start));
        handover.sort_by_key(|c| c.1 < 0);
        for &(_, delta, team) in &handover {
            s.change_staff(cfg, team, delta, day_start, measured);
        }
        handover.clear();
        for &(at, delta, team) in changes.iter().filter(|c| c.0 > day_start) {
            if at >= day_start + MS_PER_DAY {
                handover.push((at, delta, team));
                continue;
            }
            let ev = match team {
                Some(t) => SupportEvent::Agents(t, delta),
                None => SupportEvent::BackOfficeStaff(delta),
            };
            ctx.schedule_at(at, event(s.me, ev));
        }
        s.handover = handover;
        s.plan = changes;
        self.dispatch_agents(ctx);
        self.dispatch_back_office(ctx);
    }

    /// Closes day `day`'s support counters.
    fn close_support_day(&mut self, day: usize) {
        if let Some(d) = self.days.get_mut(day) {
            d.backlog = self.ledger.open;
        }
    }

    /// Handles a support event.
    fn support_event(&mut self, ev: SupportEvent, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        match ev {
            SupportEvent::Contact(id) => self.ticket_arrives(id, flow, ctx),
            SupportEvent::Presale => {
                let seed = self.presale.random::<u64>();
                self.pending_ticket(Ticket::pending(ContactType::Presale, seed, None, 0), Some(0), flow, ctx);
                self.schedule_presale(ctx);
            }
            SupportEvent::Replied(id) => self.replied(id, flow, ctx),
            SupportEvent::Abandon(id, token) => self.abandon(id, token, ctx),
            SupportEvent::CustomerBack(id) => self.enqueue(id, ctx),
            SupportEvent::CaseDone(id) => self.case_done(id, ctx),
            SupportEvent::Agents(team, delta) => {
                self.change_staff(self.cfg, Some(team), delta, ctx.now(), ctx.measuring());
                self.dispatch_agents(ctx);
            }
            SupportEvent::BackOfficeStaff(delta) => {
                self.change_staff(self.cfg, None, delta, ctx.now(), ctx.measuring());
                self.dispatch_back_office(ctx);
            }
        }
    }

    /// A pending ticket reaches support: counted, given a channel, self-served or queued.
    #[inline(always)]
    fn ticket_arrives(&mut self, id: TicketId, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let measuring = ctx.measuring();
        let cfg = self.cfg;
        let t = self.tickets[id as usize];
        // A "where is my order?" or tracking question about an order already delivered is not asked.
        let gone = t.order.is_some_and(|r| flow.orders.live(r).is_none());
        if gone && matches!(t.kind, ContactType::Wismo | ContactType::Tracking) {
            self.remove(id);
            return;
        }
        let c = &cfg.contacts[t.kind];
        let s = &*self;
        // A draw whose outcome is certain is skipped: each purpose has its own keyed stream, so
        // skipping one leaves every other number unchanged.
        // The channel the customer picks; `enqueue` moves them off it while it is closed.
        let ch = s.sure_channel[t.kind]
            .unwrap_or_else(|| c.channel_at(keyed(t.seed, draw::CHANNEL).random::<f64>()));
        let self_served =
            c.self_service > 0.0 && keyed(t.seed, draw::SELF_SERVICE).random::<f64>() < c.self_service;
        let s = &mut *self;
        if s.ledger.open >= MAX_OPEN_TICKETS {
            flow.limit_hit = Some(format!(
                "more than {MAX_OPEN_TICKETS} support tickets open at once on day {}: contacts far exceed what \
                 the agents answer; add agents or lower the contact rates",
                Flow::day_of(now) + 1
            ));
            ctx.halt();
            return;
        }
        let tk = &mut s.tickets[id as usize];
        tk.created_at = now;
        tk.contact_at = now;
        tk.channel = ch;
        if measuring {
            tk.flags |= tflag::MEASURED;
        }
        s.ledger.created += 1;
        let day = &mut s.days[Flow::day_of(now)];
        day.tickets += 1;
        if measuring {
            s.stats.tickets += 1;
        }
        if self_served {
            day.self_served += 1;
            s.ledger.resolved += 1;
            if measuring {
                s.stats.self_served += 1;
            }
            s.remove(id);
            return;
        }
        s.ledger.open += 1;
        self.enqueue(id, ctx);
    }

    /// Puts ticket `id` in its channel's queue (first contact, follow-up or retry): every path
    /// that puts a ticket on a channel comes here, so a closed real-time channel sends the
    /// customer to its fallback (`reachable_channel`) whatever brought them.
    #[inline(always)]
    fn enqueue(&mut self, id: TicketId, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let cfg = self.cfg;
        let s = &mut *self;
        s.touch(now);
        s.next_token = s.next_token.wrapping_add(1);
        let token = s.next_token;
        let ch = s.reachable_channel(cfg, s.tickets[id as usize].channel, now);
        let t = &mut s.tickets[id as usize];
        t.channel = ch;
        t.state = state::WAITING;
        t.token = token;
        t.queued_at = now;
        t.entries = t.entries.saturating_add(1);
        let (seed, entries, measured, first) = (t.seed, t.entries, t.has(tflag::MEASURED), t.replies == 0);
        if first {
            s.days[Flow::day_of(now)].offered[ch] += 1;
            if measured {
                s.stats.channel_tickets[ch] += 1;
            }
        }
        if let Some(p) = &cfg.channels[ch].patience {
            if measured {
                s.stats.offered_live[ch] += 1;
            }
            let wait = p.sample(&mut keyed(seed, draw::ENTRY + u64::from(entries)));
            ctx.schedule_in(seconds_to_ms(wait), event(s.me, SupportEvent::Abandon(id, token)));
        }
        // With no other ticket waiting, dispatching could start only this one, by the first team
        // (in file order) that serves its channel and has room: it need not pass through the queue.
        if s.queued == 0
            && let Some((team, need)) = s.team_with_room(cfg, ch)
        {
            s.start_reply(cfg, id, team, need, ctx);
            return;
        }
        s.queues[ch].push_back((id, token));
        s.waiting[ch] += 1;
        s.queued += 1;
        self.dispatch_agents(ctx);
    }

    /// Starts replies while agents have room: each team in file order, channels in routing order.
    fn dispatch_agents(&mut self, ctx: &mut Context<Event>) {
        let cfg = self.cfg;
        let s = &mut *self;
        for (ti, team) in cfg.teams.iter().enumerate() {
            let conc = team.chat_concurrency;
            'agents: while s.queued > 0 {
                let state = s.teams[ti];
                let free = (state.on_shift * conc).saturating_sub(state.busy_units);
                if free == 0 {
                    break;
                }
                for &ch in &cfg.priority {
                    if !team.serves[ch] || s.waiting[ch] == 0 {
                        continue;
                    }
                    let need = team.units_per_reply(ch);
                    if free < need {
                        continue;
                    }
                    let Some(id) = s.pop_live(ch) else { continue };
                    s.leave_queue(id, ctx.now());
                    s.start_reply(cfg, id, ti, need, ctx);
                    continue 'agents;
                }
                break;
            }
        }
    }

    /// An agent finished a reply: the agent's room frees; the ticket is resolved, goes to the back
    /// office, or waits for the customer to write back.
    #[inline(always)]
    fn replied(&mut self, id: TicketId, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let sc = self.sc;
        let cfg = self.cfg;
        let s = &mut *self;
        let t = s.tickets[id as usize];
        let team = &cfg.teams[t.team as usize];
        let need = team.units_per_reply(t.channel);
        s.settle_overtime(cfg, t.team as usize, now, now >= sc.warmup_end());
        s.teams[t.team as usize].busy_units -= need;
        let agents = f64::from(need) / f64::from(team.chat_concurrency);
        let busy = (now - t.started_at) as f64 * agents;
        per_day(&mut s.days, t.started_at, now, |day, ms| {
            day.busy_agent_ms += ms * agents;
            day.busy_agent_ms_by_channel[t.channel] += ms * agents;
        });
        if now >= sc.warmup_end() {
            s.stats.busy_agent_ms += busy;
        }
        let c = &cfg.contacts[t.kind];
        let first = t.replies == 1;
        if first {
            match t.kind {
                ContactType::ChangeOrder => {
                    let possible =
                        t.order.and_then(|r| flow.orders.live(r)).is_some_and(|o| o.shipped_at == 0);
                    if !possible {
                        self.ticket_flag(id, tflag::FAILED);
                    }
                }
                ContactType::CancelOrder => {
                    let live = t.order.and_then(|r| flow.orders.live(r).map(|_| r.id));
                    let cancelled = live.is_some_and(|oid| flow.cancel(oid, ctx));
                    if !cancelled {
                        // Already on its way or delivered: a cancel-and-refund case.
                        self.hand_to_back_office(id, ctx);
                        self.dispatch_agents(ctx);
                        return;
                    }
                }
                k if k.is_forwarded() => {
                    self.hand_to_back_office(id, ctx);
                    self.dispatch_agents(ctx);
                    return;
                }
                _ => {}
            }
        }
        // The one-touch draw is skipped when its outcome is certain (see `ticket_arrives`): a
        // probability of 1, or the last reply allowed.
        let follow_up = if c.one_touch >= 1.0 || t.replies >= MAX_REPLIES {
            None
        } else {
            let r = &mut keyed(t.seed, draw::HANDLE + 2 * u64::from(t.replies) + 1);
            (r.random::<f64>() >= c.one_touch).then(|| c.follow_up_delay.sample(r))
        };
        match follow_up {
            None => self.resolve(id, ctx),
            Some(back) => {
                let s = &mut *self;
                s.tickets[id as usize].state = state::AWAY;
                ctx.schedule_in(seconds_to_ms(back), event(self.me, SupportEvent::CustomerBack(id)));
            }
        }
        self.dispatch_agents(ctx);
    }

    fn ticket_flag(&mut self, id: TicketId, f: u8) {
        self.tickets[id as usize].flags |= f;
    }

    fn hand_to_back_office(&mut self, id: TicketId, ctx: &mut Context<Event>) {
        let s = &mut *self;
        let t = &mut s.tickets[id as usize];
        t.state = state::BACK_OFFICE;
        t.case_at = ctx.now();
        s.back_office.enqueue(id, false);
        self.dispatch_back_office(ctx);
    }

    fn dispatch_back_office(&mut self, ctx: &mut Context<Event>) {
        let cfg = self.cfg;
        let s = &mut *self;
        while let Some(id) = s.back_office.start_next() {
            let seed = s.tickets[id as usize].seed;
            let t = cfg.back_office.case_time.sample(&mut keyed(seed, draw::CASE));
            ctx.schedule_in(seconds_to_ms(t), event(s.me, SupportEvent::CaseDone(id)));
        }
    }

    fn case_done(&mut self, id: TicketId, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let sla = self.cfg.back_office.sla_ms;
        let s = &mut *self;
        s.back_office.finish();
        if now - s.tickets[id as usize].case_at > sla {
            s.tickets[id as usize].flags |= tflag::FAILED;
        }
        self.resolve(id, ctx);
        self.dispatch_back_office(ctx);
    }

    /// Ticket `id` is resolved by an agent or the back office.
    #[inline(always)]
    fn resolve(&mut self, id: TicketId, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let s = &mut *self;
        let t = s.tickets[id as usize];
        s.ledger.resolved += 1;
        s.ledger.open -= 1;
        if t.has(tflag::MEASURED) {
            s.stats.resolved_by_agents += 1;
            s.stats.one_touch += u64::from(t.replies == 1);
            s.stats.resolution.record_ms(now - t.created_at);
        }
        s.remove(id);
        self.survey(&t, false, now);
        if t.has(tflag::FAILED) {
            self.bad_experience(t.seed);
        }
    }

    /// A customer on a real-time channel gives up, unless the wait `token` is over already.
    fn abandon(&mut self, id: TicketId, token: u32, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let cfg = self.cfg;
        let s = &mut *self;
        let t = s.tickets[id as usize];
        if t.state != state::WAITING || t.token != token {
            return;
        }
        s.leave_queue(id, now);
        let ch = t.channel;
        s.days[Flow::day_of(now)].abandoned[ch] += 1;
        if t.has(tflag::MEASURED) {
            s.stats.abandoned[ch] += 1;
        }
        let chan = &cfg.channels[ch];
        let r = &mut keyed(t.seed, draw::RETRY + 8 * u64::from(t.entries));
        let retries = r.random::<f64>() < chan.retry_rate && !t.has(tflag::RETRIED);
        // Only real-time channels have abandonment, and each has a retry delay.
        if let (true, Some(delay)) = (retries, &chan.retry_delay) {
            let back = delay.sample(r);
            let tk = &mut s.tickets[id as usize];
            tk.state = state::AWAY;
            tk.flags |= tflag::RETRIED;
            tk.channel = chan.retry_channel;
            // The retry is a new contact on the new channel: its first response counts from then.
            tk.contact_at = now + seconds_to_ms(back);
            ctx.schedule_in(seconds_to_ms(back), event(self.me, SupportEvent::CustomerBack(id)));
            return;
        }
        s.ledger.abandoned += 1;
        s.ledger.open -= 1;
        s.remove(id);
        self.survey(&t, true, now);
        self.bad_experience(t.seed);
    }

    /// The CSAT survey of an ended ticket (see `[support.csat]`).
    #[inline(always)]
    fn survey(&mut self, t: &Ticket, abandoned: bool, now: Time) {
        if !t.has(tflag::MEASURED) {
            return;
        }
        let cfg = self.cfg;
        let k = &cfg.csat;
        let r = &mut keyed(t.seed, draw::SURVEY);
        if r.random::<f64>() >= k.answer_rate {
            return;
        }
        let sla_ms = cfg.channels[t.channel].sla_ms.max(1) as f64;
        let waited =
            if t.has(tflag::ANSWERED) { t.started_at.min(now) } else { now }.saturating_sub(t.contact_at);
        let beyond = (waited as f64 / sla_ms - 1.0).clamp(0.0, 3.0);
        let noise: f64 = StandardNormal.sample(r);
        let score = k.base
            - k.wait_penalty * beyond
            // An abandonment counts whether the customer then gave up or retried.
            - if abandoned || t.has(tflag::RETRIED) { k.abandon_penalty } else { 0.0 }
            - k.reopen_penalty * f64::from(t.replies.saturating_sub(1))
            - k.late_penalty_per_day * f64::from(t.days_late.min(3))
            - if t.has(tflag::FAILED) { k.failure_penalty } else { 0.0 }
            + if t.replies == 1 && !abandoned { k.one_touch_bonus } else { 0.0 }
            + k.noise_sd * noise;
        let stars = score.round().clamp(1.0, 5.0) as u8;
        let s = &mut self.stats;
        s.answers += 1;
        s.happy += u64::from(stars >= 4);
        s.promoters += u64::from(stars == 5);
        s.detractors += u64::from(stars <= 3);
    }

    /// The support KPIs (in `support_kpis` order), daily rows and the ticket ledger at the end.
    fn finish_support(&mut self, orders: u64, now: Time) -> (Vec<f64>, Vec<Vec<f64>>, TicketLedger) {
        let cfg = self.cfg;
        let s = self;
        // Tickets still waiting have waited until the end of the horizon.
        s.touch(now);
        for t in &s.tickets {
            if t.state == state::WAITING {
                s.ledger.wait_sum_ms += now - t.queued_at;
            }
        }
        s.ledger.open_scanned = s
            .tickets
            .iter()
            .filter(|t| matches!(t.state, state::WAITING | state::SERVING | state::AWAY | state::BACK_OFFICE))
            .count() as u64;
        let st = &s.stats;
        let answered: u64 = st.answered.values().sum();
        let abandoned: u64 = st.abandoned.values().sum();
        let offered_live: u64 = st.offered_live.values().sum();
        let sla_met: u64 = st.sla_met.values().sum();
        let csat = ratio(st.happy, st.answers);
        let agent_ms = st.agent_hours * 3_600_000.0;
        let p90 = PerChannel::from_fn(|ch| st.channel_frt[ch].quantile_s(0.90));
        let mut frt = DurationHistogram::new();
        for h in st.channel_frt.values() {
            frt.merge(h);
        }
        let customers = cfg.retention.customers as f64;
        let mut kpis = vec![
            st.tickets as f64,
            ratio(st.tickets, orders),
            frt.mean_s(),
            frt.quantile_s(0.50),
            frt.quantile_s(0.90),
            st.resolution.mean_s(),
            st.resolution.quantile_s(0.90),
            ratio(sla_met, answered + abandoned),
            ratio(abandoned, offered_live),
            ratio(st.self_served, st.tickets),
            ratio(st.one_touch, st.resolved_by_agents),
            occupancy(st.busy_agent_ms, agent_ms, st.overtime_agent_ms),
            s.ledger.open as f64,
            csat,
            if st.answers == 0 {
                f64::NAN
            } else {
                100.0 * (st.promoters as f64 - st.detractors as f64) / st.answers as f64
            },
            // Floored at 0: only a tiny base that loses more customers than it started with goes below.
            ((s.active_customers as f64 - s.acquired as f64) / customers).max(0.0),
            service_tier(cfg, &p90, &st.channel_tickets, csat),
            st.agent_hours * cfg.agent_wage_per_hour + st.back_office_hours * cfg.back_office.wage_per_hour,
        ];
        debug_assert_eq!(kpis.len(), SUPPORT_KPIS.len());
        for ci in cfg.used.marked() {
            let before = kpis.len();
            kpis.extend([
                st.channel_tickets[ci] as f64,
                st.channel_frt[ci].mean_s(),
                st.channel_frt[ci].quantile_s(0.50),
                p90[ci],
                ratio(st.sla_met[ci], st.answered[ci] + st.abandoned[ci]),
            ]);
            if ci.is_real_time() {
                kpis.push(ratio(st.abandoned[ci], st.offered_live[ci]));
            }
            debug_assert_eq!(kpis.len() - before, channel_kpis(ci).len());
        }
        let daily = s.days.iter().map(|d| d.values(&cfg.used, cfg.target_occupancy)).collect();
        (kpis, daily, s.ledger)
    }

    /// Support cost after the warm-up, for `cost_per_order_delivered`.
    fn support_cost(&self) -> f64 {
        self.stats.agent_hours * self.cfg.agent_wage_per_hour
            + self.stats.back_office_hours * self.cfg.back_office.wage_per_hour
    }
}

impl<'s> Component<'s> for SupportPart<'s> {
    fn start(&mut self, _flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        self.schedule_presale(ctx);
    }

    fn close_day(&mut self, day: usize) {
        self.close_support_day(day);
    }

    fn day_starts(&mut self, day: u32, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        self.plan_support_day(day, ctx);
        self.run_wismo_checks(day, flow, ctx);
    }

    #[inline]
    fn handle(
        &mut self,
        event: PartEvent,
        flow: &mut Flow<'s>,
        _: &mut Others<'_, 's>,
        ctx: &mut Context<Event>,
    ) {
        let PartEvent::Support(event) = event else { unreachable!("support handles only its own events") };
        self.support_event(event, flow, ctx);
    }

    #[inline]
    fn hear(&mut self, news: &News, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        match *news {
            News::Placed(id) => self.support_order_placed(id, flow, ctx),
            News::Shipped(id) => self.support_shipped(id, flow, ctx),
            News::Delivered { order, .. } => self.support_delivered(
                order.seed,
                order.promised_by,
                order.has(flag::DAMAGED),
                order.has(flag::WRONG_ITEM),
                flow,
                ctx,
            ),
            News::Lost { seed, promised_by } => self.support_lost(seed, promised_by, flow, ctx),
            News::ReturnStarted { seed } => self.support_return_started(seed, flow, ctx),
        }
    }

    #[inline]
    fn order_happens(&mut self) -> bool {
        self.customer_orders()
    }

    fn cost(&self) -> f64 {
        self.support_cost()
    }

    fn report(&mut self, flow: &Flow<'s>, out: &mut Report<'_>) {
        let (kpis, days, ledger) = self.finish_support(flow.stats.orders, flow.sc.horizon());
        out.kpis.extend(support_kpis(&self.cfg.used).into_iter().zip(kpis));
        out.daily_columns.extend(daily_columns(&self.cfg.used));
        for (row, day) in out.daily.iter_mut().zip(days) {
            row.extend(day);
        }
        *out.tickets = Some(ledger);
    }
}

/// Support's own event `e`, addressed to the component at index `me`.
#[inline(always)]
fn event(me: u8, e: SupportEvent) -> Event {
    Event::Part(me, PartEvent::Support(e))
}

/// Whole days (rounded up) an order delivered or found lost at `now` was past its promise.
fn days_late(promised_by: Time, now: Time) -> u8 {
    if now <= promised_by { 0 } else { (now - promised_by).div_ceil(MS_PER_DAY).min(255) as u8 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lateness_counts_started_days() {
        assert_eq!(days_late(10, 5), 0);
        assert_eq!(days_late(10, 10), 0);
        assert_eq!(days_late(10, 11), 1);
        assert_eq!(days_late(0, MS_PER_DAY), 1);
        assert_eq!(days_late(0, MS_PER_DAY + 1), 2);
    }

    #[test]
    fn a_ticket_ledger_holds_only_when_every_ticket_is_counted_once() {
        let mut l = TicketLedger {
            created: 10,
            resolved: 6,
            abandoned: 1,
            open: 3,
            open_scanned: 3,
            ..Default::default()
        };
        assert!(l.holds());
        l.open_scanned = 2;
        assert!(!l.holds());
        l.open_scanned = 3;
        l.queue_area_ms = 5;
        assert!(!l.holds(), "Little's law on the sample path");
    }

    #[test]
    fn support_columns_follow_the_channels_used() {
        let cols = daily_columns(&PerChannel::from_fn(|ch| ch == Channel::Chat));
        assert!(cols.contains(&"chat_frt_mean_s") && !cols.contains(&"email_offered"));
    }
}
