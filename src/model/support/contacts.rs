//! What creates support contacts: orders placed, shipped, late, delivered damaged or wrong, lost
//! and returned, and pre-sale questions; each may become a pending ticket that reaches support.

use super::*;
use crate::model::trace::Detail;

impl<'s> SupportPart<'s> {
    #[inline(always)]
    pub(super) fn schedule_presale(&mut self, ctx: &mut Context<Event>) {
        let per_hour = self.cfg.contacts[ContactType::Presale].per_hour;
        if per_hour <= 0.0 {
            return;
        }
        let gap_s = crate::model::exp1(&mut self.presale) * 3_600.0 / per_hour;
        ctx.schedule_in(seconds_to_ms(gap_s).max(1), event(self.me, SupportEvent::Presale));
    }

    /// Stores pending ticket `t`, which reaches support after `delay` (ms), or after its type's
    /// delay when `None`.
    #[inline(always)]
    pub(super) fn pending_ticket(
        &mut self,
        t: Ticket,
        delay: Option<Time>,
        flow: &mut Flow<'s>,
        ctx: &mut Context<Event>,
    ) {
        let type_delay = &self.cfg.contacts[t.kind].delay;
        let delay =
            delay.unwrap_or_else(|| seconds_to_ms(type_delay.sample(&mut keyed(t.seed, draw::DELAY))));
        if flow.tracing()
            && let Some(r) = t.order
        {
            // Asked whatever happens meanwhile; status and tracking questions are traced when
            // they reach support, as one about an order delivered by then is not asked.
            let detail = match t.kind {
                ContactType::ChangeOrder => Some(Detail::Change),
                ContactType::CancelOrder => Some(Detail::Cancel),
                _ => None,
            };
            if let Some(detail) = detail {
                flow.trace_request(ctx.now() + delay, r.id, t.customer, detail);
            }
        }
        let id = self.insert(t);
        if delay == 0 {
            // Reaches support now: no event needed.
            self.ticket_arrives(id, flow, ctx);
        } else {
            ctx.schedule_in(delay, event(self.me, SupportEvent::Contact(id)));
        }
    }

    /// Draws whether trigger `kind` creates a contact from `customer` about an order with seed
    /// `order_seed`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn maybe_contact(
        &mut self,
        kind: ContactType,
        order_seed: u64,
        order: Option<OrderRef>,
        days_late: u8,
        customer: u32,
        flow: &mut Flow<'s>,
        ctx: &mut Context<Event>,
    ) {
        let cfg = self.cfg;
        let r = &mut keyed(order_seed, purpose::SUPPORT + kind.index() as u64);
        if r.random::<f64>() < cfg.contacts[kind].rate {
            let seed = r.random::<u64>();
            self.pending_ticket(Ticket::pending(kind, seed, order, days_late, customer), None, flow, ctx);
        }
    }

    /// An order was placed: anxious "where is my order?", change and cancel requests, and the
    /// check for lateness at the promised date.
    pub(super) fn support_order_placed(
        &mut self,
        id: OrderId,
        flow: &mut Flow<'s>,
        ctx: &mut Context<Event>,
    ) {
        let cfg = self.cfg;
        let o = *flow.orders.get(id);
        let r = Some(flow.orders.reference(id));
        let customer = flow.customer_of(id);
        for kind in [ContactType::Wismo, ContactType::ChangeOrder, ContactType::CancelOrder] {
            self.maybe_contact(kind, o.seed, r, 0, customer, flow, ctx);
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
    pub(super) fn run_wismo_checks(&mut self, day: u32, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let Some(list) = self.wismo_due.get_mut(day as usize) else { return };
        let mut due = std::mem::take(list);
        for &(r, n) in &due {
            self.wismo_check(r, n, flow, ctx);
        }
        due.clear();
        // A few emptied lists are kept for the days filling up next (a promise spans a few days);
        // more are freed.
        if due.capacity() > 0 && self.wismo_spares.len() < WISMO_SPARE_LISTS {
            self.wismo_spares.push(due);
        }
    }

    /// A parcel left with a carrier: tracking questions.
    pub(super) fn support_shipped(&mut self, id: OrderId, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
        let o = *flow.orders.get(id);
        let r = flow.orders.reference(id);
        let customer = flow.customer_of(id);
        self.maybe_contact(ContactType::Tracking, o.seed, Some(r), 0, customer, flow, ctx);
    }

    /// Order `o` of `customer` was delivered now: damaged or wrong items bring contacts (the
    /// customer model counts the bad experience itself).
    pub(super) fn support_delivered(
        &mut self,
        o: &super::super::orders::Order,
        customer: u32,
        flow: &mut Flow<'s>,
        ctx: &mut Context<Event>,
    ) {
        let late_days = days_late(o.promised_by, ctx.now());
        if o.has(flag::DAMAGED) {
            self.maybe_contact(ContactType::Damaged, o.seed, None, late_days, customer, flow, ctx);
        }
        if o.has(flag::WRONG_ITEM) {
            self.maybe_contact(ContactType::WrongItem, o.seed, None, late_days, customer, flow, ctx);
        }
    }

    /// A parcel of `customer` was lost: a contact.
    pub(super) fn support_lost(
        &mut self,
        seed: u64,
        promised_by: Time,
        customer: u32,
        flow: &mut Flow<'s>,
        ctx: &mut Context<Event>,
    ) {
        let late_days = days_late(promised_by, ctx.now());
        self.maybe_contact(ContactType::Lost, seed, None, late_days, customer, flow, ctx);
    }

    /// `customer` sent a return: return and refund status questions.
    pub(super) fn support_return_started(
        &mut self,
        seed: u64,
        customer: u32,
        flow: &mut Flow<'s>,
        ctx: &mut Context<Event>,
    ) {
        self.maybe_contact(ContactType::Returns, seed, None, 0, customer, flow, ctx);
    }

    pub(super) fn wismo_check(&mut self, r: OrderRef, n: u8, flow: &mut Flow<'s>, ctx: &mut Context<Event>) {
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
            let ticket = Ticket::pending(
                ContactType::Wismo,
                seed,
                Some(r),
                n.saturating_add(1),
                flow.customer_of(r.id),
            );
            self.pending_ticket(ticket, Some(delay), flow, ctx);
        } else if n < MAX_WISMO_DAYS {
            let tomorrow = ctx.now() / MS_PER_DAY + 1;
            self.check_at_start_of(tomorrow, r, n + 1);
        }
    }
}
