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

mod contacts;
mod hourly;
mod queues;
mod shifts;
mod stats;

use std::collections::VecDeque;

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use crate::kernel::rng::{StreamRng, keyed};
use crate::kernel::{Context, Time};
use crate::kpi::{SUPPORT_KPIS, channel_kpis, support_daily_columns, support_hourly_columns, support_kpis};
use crate::scenario::Scenario;
use crate::scenario::support::{Channel, ContactType, PerChannel, PerContact, Support};
use crate::stats::DurationHistogram;
use crate::units::{MS_PER_DAY, MS_PER_MIN, seconds_to_ms, weekday_index};

use super::component::{Component, News, Others, Report};
use super::customers::{Experience, NO_CUSTOMER};
use super::flow::Flow;
use super::orders::{OrderId, OrderRef, flag};
use super::spans::{PerSpan, SpanMask, Spans};
use super::warehouse::Station;
use super::{Event, PartEvent, purpose};
use hourly::Hourly;
pub use stats::{SupportDay, TicketLedger};
use stats::{SupportStats, per_day};

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
    /// The spans it counts in: those of the day of the contact (`model::spans`).
    spans: SpanMask,
    /// The customer (`NO_CUSTOMER` for a pre-sale question or without a customer model).
    customer: u32,
}

impl Ticket {
    /// A ticket of type `kind` not yet reaching support.
    fn pending(kind: ContactType, seed: u64, order: Option<OrderRef>, days_late: u8, customer: u32) -> Self {
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
            spans: 0,
            customer,
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
    /// The horizon after the warm-up and each window (`model::spans`).
    spans: Spans,
    stats: PerSpan<SupportStats>,
    days: Vec<SupportDay>,
    /// The hourly series, kept apart from the daily counters.
    hourly: Hourly,
    ledger: TicketLedger,
    last_touch: Time,
    /// What customers went through (abandoned contacts, failed actions, how satisfied each contact
    /// left them), for the
    /// customer model: handed to the flow after each event.
    outbox: Vec<(u32, Experience, u64)>,
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
    pub(super) fn new(sc: &'s Scenario, s: &'s Support, replication: u64, spans: &Spans, me: u8) -> Self {
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
            presale: crate::kernel::rng::stream(sc.seed, replication, "presale"),
            spans: spans.clone(),
            stats: PerSpan::new(spans),
            days: vec![SupportDay::default(); sc.days as usize],
            hourly: Hourly::new(sc.days),
            ledger: TicketLedger::default(),
            last_touch: 0,
            outbox: Vec::new(),
            plan: Vec::new(),
            handover: Vec::new(),
            hours: PerChannel::default(),
            wismo_due: vec![Vec::new(); sc.days as usize],
            wismo_spares: Vec::new(),
        }
    }

    /// Hands what customers went through since the last event to the customer model.
    #[inline(always)]
    fn post(&mut self, flow: &mut Flow<'s>) {
        for (customer, experience, seed) in self.outbox.drain(..) {
            flow.report_experience(customer, experience, seed);
        }
    }

    /// What `customer` went through, for the customer model (nothing for a ticket of nobody's,
    /// such as a pre-sale question).
    #[inline(always)]
    fn tell_customer(&mut self, customer: u32, experience: Experience, seed: u64) {
        if customer != NO_CUSTOMER {
            self.outbox.push((customer, experience, seed));
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
    fn change_staff(&mut self, team: Option<u8>, delta: i32, now: Time) {
        match team {
            Some(team) => {
                self.settle_overtime(team as usize, now);
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
    fn settle_overtime(&mut self, ti: usize, now: Time) {
        let cfg = self.cfg;
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
            let overtime = (now - st.changed_at) as f64 * agents;
            self.stats.each(self.spans.at(now), |s| s.overtime_agent_ms += overtime);
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
                crate::kernel::huge::push(&mut self.tickets, t);
                (self.tickets.len() - 1) as TicketId
            }
        }
    }

    fn remove(&mut self, id: TicketId) {
        self.tickets[id as usize].state = state::FREE;
        self.free.push(id);
    }

    /// Adds the queue-length area since the last change (Little's law bookkeeping) and records
    /// the queues at the hour ends passed since. Runs before every change of a queue.
    fn touch(&mut self, now: Time) {
        self.hourly.queues_until(now, &self.waiting);
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
    fn reachable_channel(&self, mut ch: Channel, now: Time) -> Channel {
        let cfg = self.cfg;
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
    fn team_with_room(&self, ch: Channel) -> Option<(usize, u32)> {
        let cfg = self.cfg;
        cfg.teams.iter().zip(&self.teams).enumerate().find_map(|(ti, (team, st))| {
            let need = team.units_per_reply(ch);
            let free = (st.on_shift * team.chat_concurrency).saturating_sub(st.busy_units);
            (team.serves[ch] && free >= need).then_some((ti, need))
        })
    }

    /// Team `team` starts a reply to ticket `id` (out of its queue), taking `need` capacity
    /// units: first-response counters, then the reply's end at its handle time.
    #[inline(always)]
    fn start_reply(&mut self, id: TicketId, team: usize, need: u32, ctx: &mut Context<Event>) {
        let cfg = self.cfg;
        let now = ctx.now();
        self.settle_overtime(team, now);
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
            let (kind, met) = (t.kind, frt <= cfg.channels[ch].sla_ms);
            self.stats.each(t.spans, |st| {
                st.channel_frt[ch].record_ms(frt);
                st.reason_frt[kind].record_ms(frt);
                st.answered[ch] += 1;
                st.sla_met[ch] += u64::from(met);
            });
            if !met {
                self.hourly.late(ch, t.contact_at);
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
        self.post(flow);
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
        self.post(flow);
    }

    #[inline]
    fn hear(&mut self, news: &News, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        match *news {
            News::Placed(id) => self.support_order_placed(id, flow, ctx),
            News::Shipped(id) => self.support_shipped(id, flow, ctx),
            News::Delivered { order, customer, .. } => self.support_delivered(&order, customer, flow, ctx),
            News::Lost { seed, promised_by, customer } => {
                self.support_lost(seed, promised_by, customer, flow, ctx)
            }
            News::ReturnStarted { seed, customer } => self.support_return_started(seed, customer, flow, ctx),
        }
        self.post(flow);
    }

    fn cost(&self, span: usize) -> f64 {
        self.support_cost(span)
    }

    fn report(&mut self, flow: &Flow<'s>, out: &mut Report<'_>) {
        let (kpis, days, ledger) = self.finish_support(&flow.stats, flow.sc.horizon());
        for (list, values) in out.kpis.iter_mut().zip(kpis) {
            list.extend(support_kpis(&self.cfg.used).into_iter().zip(values));
        }
        out.daily_columns.extend(crate::kpi::owned(&support_daily_columns(&self.cfg.used)));
        for (row, day) in out.daily.iter_mut().zip(days) {
            row.extend(day);
        }
        out.hourly_columns.extend(support_hourly_columns(&self.cfg.used));
        self.hourly.append_columns(&self.cfg.used, self.cfg.target_occupancy, out.hourly);
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
        let cols = support_daily_columns(&PerChannel::from_fn(|ch| ch == Channel::Chat));
        assert!(cols.contains(&"chat_frt_mean_s") && !cols.contains(&"email_offered"));
    }
}
