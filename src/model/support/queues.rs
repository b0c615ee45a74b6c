//! A ticket's way through support: it arrives, is self-served or queues on its channel, agents
//! reply, the back office takes forwarded cases, customers abandon, retry and answer surveys.

use super::*;
use crate::model::trace::Detail;

impl<'s> SupportPart<'s> {
    /// Handles a support event.
    pub(super) fn support_event(&mut self, ev: SupportEvent, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        match ev {
            SupportEvent::Contact(id) => self.ticket_arrives(id, flow, ctx),
            SupportEvent::Presale => {
                let seed = self.presale.random::<u64>();
                let ticket = Ticket::pending(ContactType::Presale, seed, None, 0, NO_CUSTOMER);
                self.pending_ticket(ticket, Some(0), flow, ctx);
                self.schedule_presale(ctx);
            }
            SupportEvent::Replied(id) => self.replied(id, flow, ctx),
            SupportEvent::Abandon(id, token) => self.abandon(id, token, ctx),
            SupportEvent::CustomerBack(id) => self.enqueue(id, ctx),
            SupportEvent::CaseDone(id) => self.case_done(id, ctx),
            SupportEvent::Agents(team, delta) => {
                self.change_staff(Some(team), delta, ctx.now());
                self.dispatch_agents(ctx);
            }
            SupportEvent::BackOfficeStaff(delta) => {
                self.change_staff(None, delta, ctx.now());
                self.dispatch_back_office(ctx);
            }
        }
    }

    /// A pending ticket reaches support: counted, given a channel, self-served or queued.
    #[inline(always)]
    pub(super) fn ticket_arrives(&mut self, id: TicketId, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let spans = self.spans.at(now);
        let cfg = self.cfg;
        let t = self.tickets[id as usize];
        // A "where is my order?" or tracking question about an order already delivered is not asked.
        let gone = t.order.is_some_and(|r| flow.orders.live(r).is_none());
        if gone && matches!(t.kind, ContactType::Wismo | ContactType::Tracking) {
            self.remove(id);
            return;
        }
        if flow.tracing()
            && let Some(r) = t.order
        {
            match t.kind {
                ContactType::Wismo => flow.trace_request(now, r.id, t.customer, Detail::Status),
                ContactType::Tracking => {
                    let carrier = flow.orders.get(r.id).carrier;
                    flow.trace_request(now, r.id, t.customer, Detail::Tracking { carrier });
                }
                _ => {}
            }
        }
        let c = &cfg.contacts[t.kind];
        // A draw whose outcome is certain is skipped: each purpose has its own keyed stream, so
        // skipping one leaves every other number unchanged.
        // The channel the customer picks; `enqueue` moves them off it while it is closed.
        let ch = self.sure_channel[t.kind]
            .unwrap_or_else(|| c.channel_at(keyed(t.seed, draw::CHANNEL).random::<f64>()));
        let self_served =
            c.self_service > 0.0 && keyed(t.seed, draw::SELF_SERVICE).random::<f64>() < c.self_service;
        if self.ledger.open >= MAX_OPEN_TICKETS {
            flow.limit_hit = Some(format!(
                "more than {MAX_OPEN_TICKETS} support tickets open at once on day {}: contacts far exceed what \
                 the agents answer; add agents or lower the contact rates",
                Flow::day_of(now) + 1
            ));
            ctx.halt();
            return;
        }
        let tk = &mut self.tickets[id as usize];
        tk.created_at = now;
        tk.contact_at = now;
        tk.channel = ch;
        tk.spans = spans;
        self.ledger.created += 1;
        let kind = tk.kind;
        let day = &mut self.days[Flow::day_of(now)];
        day.tickets += 1;
        day.reason_tickets[kind] += 1;
        self.hourly.ticket(now);
        self.stats.each(spans, |s| {
            s.tickets += 1;
            s.reason_tickets[kind] += 1;
            s.self_served += u64::from(self_served);
        });
        if self_served {
            day.self_served += 1;
            self.ledger.resolved += 1;
            self.remove(id);
            return;
        }
        self.ledger.open += 1;
        self.enqueue(id, ctx);
    }

    /// Puts ticket `id` in its channel's queue (first contact, follow-up or retry): every path
    /// that puts a ticket on a channel comes here, so a closed real-time channel sends the
    /// customer to its fallback (`reachable_channel`) whatever brought them.
    #[inline(always)]
    pub(super) fn enqueue(&mut self, id: TicketId, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let cfg = self.cfg;
        self.touch(now);
        self.next_token = self.next_token.wrapping_add(1);
        let token = self.next_token;
        let ch = self.reachable_channel(self.tickets[id as usize].channel, now);
        let t = &mut self.tickets[id as usize];
        t.channel = ch;
        t.state = state::WAITING;
        t.token = token;
        t.queued_at = now;
        t.entries = t.entries.saturating_add(1);
        let (seed, entries, spans, first) = (t.seed, t.entries, t.spans, t.replies == 0);
        if first {
            self.days[Flow::day_of(now)].offered[ch] += 1;
            self.hourly.offered(ch, now);
            self.stats.each(spans, |s| s.channel_tickets[ch] += 1);
        }
        if let Some(p) = &cfg.channels[ch].patience {
            self.stats.each(spans, |s| s.offered_live[ch] += 1);
            let wait = p.sample(&mut keyed(seed, draw::ENTRY + u64::from(entries)));
            ctx.schedule_in(seconds_to_ms(wait), event(self.me, SupportEvent::Abandon(id, token)));
        }
        // With no other ticket waiting, dispatching could start only this one, by the first team
        // (in file order) that serves its channel and has room: it need not pass through the queue.
        if self.queued == 0
            && let Some((team, need)) = self.team_with_room(ch)
        {
            self.start_reply(id, team, need, ctx);
            return;
        }
        self.queues[ch].push_back((id, token));
        self.waiting[ch] += 1;
        self.queued += 1;
        self.dispatch_agents(ctx);
    }

    /// Starts replies while agents have room: each team in file order, channels in routing order.
    pub(super) fn dispatch_agents(&mut self, ctx: &mut Context<Event>) {
        let cfg = self.cfg;
        for (ti, team) in cfg.teams.iter().enumerate() {
            let conc = team.chat_concurrency;
            'agents: while self.queued > 0 {
                let state = self.teams[ti];
                let free = (state.on_shift * conc).saturating_sub(state.busy_units);
                if free == 0 {
                    break;
                }
                for &ch in &cfg.priority {
                    if !team.serves[ch] || self.waiting[ch] == 0 {
                        continue;
                    }
                    let need = team.units_per_reply(ch);
                    if free < need {
                        continue;
                    }
                    let Some(id) = self.pop_live(ch) else { continue };
                    self.leave_queue(id, ctx.now());
                    self.start_reply(id, ti, need, ctx);
                    continue 'agents;
                }
                break;
            }
        }
    }

    /// An agent finished a reply: the agent's room frees; the ticket is resolved, goes to the back
    /// office, or waits for the customer to write back.
    #[inline(always)]
    pub(super) fn replied(&mut self, id: TicketId, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let cfg = self.cfg;
        let t = self.tickets[id as usize];
        let team = &cfg.teams[t.team as usize];
        let need = team.units_per_reply(t.channel);
        self.settle_overtime(t.team as usize, now);
        self.teams[t.team as usize].busy_units -= need;
        let agents = f64::from(need) / f64::from(team.chat_concurrency);
        let busy = (now - t.started_at) as f64 * agents;
        per_day(&mut self.days, t.started_at, now, |day, ms| {
            day.busy_agent_ms += ms * agents;
            day.busy_agent_ms_by_channel[t.channel] += ms * agents;
        });
        self.hourly.busy(t.channel, agents, t.started_at, now);
        self.stats.each(self.spans.at(now), |s| s.busy_agent_ms += busy);
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
                self.tickets[id as usize].state = state::AWAY;
                ctx.schedule_in(seconds_to_ms(back), event(self.me, SupportEvent::CustomerBack(id)));
            }
        }
        self.dispatch_agents(ctx);
    }

    pub(super) fn ticket_flag(&mut self, id: TicketId, f: u8) {
        self.tickets[id as usize].flags |= f;
    }

    pub(super) fn hand_to_back_office(&mut self, id: TicketId, ctx: &mut Context<Event>) {
        let t = &mut self.tickets[id as usize];
        t.state = state::BACK_OFFICE;
        t.case_at = ctx.now();
        self.back_office.enqueue(id, false);
        self.dispatch_back_office(ctx);
    }

    pub(super) fn dispatch_back_office(&mut self, ctx: &mut Context<Event>) {
        let cfg = self.cfg;
        while let Some(id) = self.back_office.start_next() {
            let seed = self.tickets[id as usize].seed;
            let t = cfg.back_office.case_time.sample(&mut keyed(seed, draw::CASE));
            ctx.schedule_in(seconds_to_ms(t), event(self.me, SupportEvent::CaseDone(id)));
        }
    }

    pub(super) fn case_done(&mut self, id: TicketId, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let sla = self.cfg.back_office.sla_ms;
        self.back_office.finish();
        if now - self.tickets[id as usize].case_at > sla {
            self.tickets[id as usize].flags |= tflag::FAILED;
        }
        self.resolve(id, ctx);
        self.dispatch_back_office(ctx);
    }

    /// Ticket `id` is resolved by an agent or the back office.
    #[inline(always)]
    pub(super) fn resolve(&mut self, id: TicketId, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let t = self.tickets[id as usize];
        self.ledger.resolved += 1;
        self.ledger.open -= 1;
        self.stats.each(t.spans, |s| {
            s.resolved_by_agents += 1;
            s.one_touch += u64::from(t.replies == 1);
            s.resolution.record_ms(now - t.created_at);
            let r = &mut s.reason_resolved[t.kind];
            *r = (r.0 + 1, r.1 + (now - t.created_at));
        });
        self.remove(id);
        self.survey(&t, false, now);
        if t.has(tflag::FAILED) {
            self.tell_customer(t.customer, Experience::Bad, t.seed);
        }
    }

    /// A customer on a real-time channel gives up, unless the wait `token` is over already.
    pub(super) fn abandon(&mut self, id: TicketId, token: u32, ctx: &mut Context<Event>) {
        let now = ctx.now();
        let cfg = self.cfg;
        let t = self.tickets[id as usize];
        if t.state != state::WAITING || t.token != token {
            return;
        }
        self.leave_queue(id, now);
        let ch = t.channel;
        self.days[Flow::day_of(now)].abandoned[ch] += 1;
        self.hourly.late(ch, t.contact_at);
        self.stats.each(t.spans, |s| s.abandoned[ch] += 1);
        let chan = &cfg.channels[ch];
        let r = &mut keyed(t.seed, draw::RETRY + 8 * u64::from(t.entries));
        let retries = r.random::<f64>() < chan.retry_rate && !t.has(tflag::RETRIED);
        // Only real-time channels have abandonment, and each has a retry delay.
        if let (true, Some(delay)) = (retries, &chan.retry_delay) {
            let back = delay.sample(r);
            let tk = &mut self.tickets[id as usize];
            tk.state = state::AWAY;
            tk.flags |= tflag::RETRIED;
            tk.channel = chan.retry_channel;
            // The retry is a new contact on the new channel: its first response counts from then.
            tk.contact_at = now + seconds_to_ms(back);
            ctx.schedule_in(seconds_to_ms(back), event(self.me, SupportEvent::CustomerBack(id)));
            return;
        }
        self.ledger.abandoned += 1;
        self.ledger.open -= 1;
        self.remove(id);
        self.survey(&t, true, now);
        self.tell_customer(t.customer, Experience::Bad, t.seed);
    }

    /// How satisfied the customer of an ended ticket is, in stars (see `[support.csat]`): the
    /// customer model hears it whether or not they answer the survey; the CSAT and NPS of its
    /// spans count it only when they answer.
    #[inline(always)]
    pub(super) fn survey(&mut self, t: &Ticket, abandoned: bool, now: Time) {
        if t.spans == 0 && t.customer == NO_CUSTOMER {
            return;
        }
        let cfg = self.cfg;
        let k = &cfg.csat;
        let r = &mut keyed(t.seed, draw::SURVEY);
        let answers = r.random::<f64>() < k.answer_rate;
        if !answers && t.customer == NO_CUSTOMER {
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
        let stars = crate::units::round_nonneg(score).clamp(1, 5) as u8;
        self.stats.each(if answers { t.spans } else { 0 }, |s| {
            s.answers += 1;
            s.happy += u64::from(stars >= 4);
            s.promoters += u64::from(stars == 5);
            s.detractors += u64::from(stars <= 3);
        });
        // A complaint about an order gone wrong, resolved by an agent: a chance to win them back.
        let complaint = matches!(
            t.kind,
            ContactType::Wismo | ContactType::Damaged | ContactType::WrongItem | ContactType::Lost
        );
        let resolved_complaint = complaint && !abandoned && !t.has(tflag::FAILED);
        self.tell_customer(t.customer, Experience::Contact { stars, resolved_complaint }, t.seed);
    }
}
