//! Support's counters and what they become at the end of a run: the ticket ledger, the daily
//! series, the KPIs and the service tier.

use super::*;
use crate::model::stats::FulfilmentStats;

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

/// Streaming counters over the tickets of one span (`model::spans`): those created after the
/// warm-up, or in a window; hours and busy time by when they fall.
#[derive(Debug, Default)]
pub(super) struct SupportStats {
    pub(super) tickets: u64,
    pub(super) self_served: u64,
    pub(super) resolved_by_agents: u64,
    pub(super) one_touch: u64,
    pub(super) resolution: DurationHistogram,
    pub(super) channel_tickets: PerChannel<u64>,
    /// First-response times by channel; the overall histogram is their merge at the end.
    pub(super) channel_frt: PerChannel<DurationHistogram>,
    pub(super) answered: PerChannel<u64>,
    pub(super) sla_met: PerChannel<u64>,
    pub(super) offered_live: PerChannel<u64>,
    pub(super) abandoned: PerChannel<u64>,
    pub(super) answers: u64,
    pub(super) happy: u64,
    pub(super) promoters: u64,
    pub(super) detractors: u64,
    pub(super) busy_agent_ms: f64,
    /// Agent time spent finishing replies beyond the agents on shift, in agent-milliseconds.
    pub(super) overtime_agent_ms: f64,
    pub(super) agent_hours: f64,
    pub(super) back_office_hours: f64,
    /// Tickets, first-response times and agent resolutions (count, total ms) by contact type.
    pub(super) reason_tickets: PerContact<u64>,
    pub(super) reason_frt: PerContact<DurationHistogram>,
    pub(super) reason_resolved: PerContact<(u64, u64)>,
}

/// One day's support counters (warm-up included, so the series shows the whole run).
#[derive(Debug, Default, Clone, Copy)]
pub struct SupportDay {
    pub(super) tickets: u64,
    pub(super) reason_tickets: PerContact<u64>,
    pub(super) self_served: u64,
    pub(super) backlog: u64,
    pub(super) agent_hours: f64,
    pub(super) busy_agent_ms: f64,
    pub(super) overtime_agent_ms: f64,
    pub(super) overtime_agent_ms_by_channel: PerChannel<f64>,
    pub(super) offered: PerChannel<u64>,
    pub(super) answered: PerChannel<u64>,
    pub(super) abandoned: PerChannel<u64>,
    pub(super) frt_sum_s: PerChannel<f64>,
    pub(super) agent_hours_by_channel: PerChannel<f64>,
    pub(super) workload_s: PerChannel<f64>,
    pub(super) busy_agent_ms_by_channel: PerChannel<f64>,
}

pub(super) fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { f64::NAN } else { a as f64 / b as f64 }
}

/// Calls `add` with each day's part, in milliseconds, of the interval `[from, to)` (most intervals
/// lie within one day), so a reply or overtime across midnight counts on both days.
#[inline(always)]
pub(super) fn per_day(
    days: &mut [SupportDay],
    from: Time,
    to: Time,
    mut add: impl FnMut(&mut SupportDay, f64),
) {
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
pub(super) fn occupancy(busy_ms: f64, on_shift_ms: f64, overtime_ms: f64) -> f64 {
    let available = on_shift_ms + overtime_ms;
    if available > 0.0 { busy_ms / available } else { f64::NAN }
}

impl SupportDay {
    pub(super) fn values(&self, used: &PerChannel<bool>, target_occupancy: f64) -> Vec<f64> {
        let agent_ms = self.agent_hours * 3_600_000.0;
        let mut v = vec![
            self.tickets as f64,
            self.self_served as f64,
            self.backlog as f64,
            self.agent_hours,
            occupancy(self.busy_agent_ms, agent_ms, self.overtime_agent_ms),
        ];
        v.extend(self.reason_tickets.values().map(|&n| n as f64));
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
    /// The support KPIs of each span (in `support_kpis` order; `fulfilment` holds each span's
    /// orders), the daily rows and the ticket ledger at the end.
    pub(super) fn finish_support(
        &mut self,
        fulfilment: &PerSpan<FulfilmentStats>,
        now: Time,
    ) -> (Vec<Vec<f64>>, Vec<Vec<f64>>, TicketLedger) {
        // Tickets still waiting have waited until the end of the horizon.
        self.touch(now);
        for t in &self.tickets {
            if t.state == state::WAITING {
                self.ledger.wait_sum_ms += now - t.queued_at;
            }
        }
        self.ledger.open_scanned = self
            .tickets
            .iter()
            .filter(|t| matches!(t.state, state::WAITING | state::SERVING | state::AWAY | state::BACK_OFFICE))
            .count() as u64;
        let kpis = (0..self.spans.count())
            .map(|span| {
                // The horizon ends at the end of the run; a window at the end of its last day.
                let backlog = match self.spans.days_in(span).last() {
                    Some(last) if span > 0 => self.days[last].backlog,
                    _ => self.ledger.open,
                };
                self.span_kpis(self.stats.get(span), fulfilment.get(span).orders, backlog)
            })
            .collect();
        let daily = self.days.iter().map(|d| d.values(&self.cfg.used, self.cfg.target_occupancy)).collect();
        (kpis, daily, self.ledger)
    }

    /// The support KPIs of one span from its counters `st`, its `orders`, and the tickets open
    /// at its end.
    fn span_kpis(&self, st: &SupportStats, orders: u64, backlog: u64) -> Vec<f64> {
        let cfg = self.cfg;
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
            backlog as f64,
            csat,
            if st.answers == 0 {
                f64::NAN
            } else {
                100.0 * (st.promoters as f64 - st.detractors as f64) / st.answers as f64
            },
            service_tier(cfg, &p90, &st.channel_tickets, csat),
            self.cost_of(st),
        ];
        debug_assert_eq!(kpis.len(), SUPPORT_KPIS.len());
        for (kind, &n) in st.reason_tickets.iter() {
            let (resolved, total_ms) = st.reason_resolved[kind];
            kpis.extend([
                n as f64,
                ratio(n, orders),
                st.reason_frt[kind].quantile_s(0.90),
                if resolved == 0 { f64::NAN } else { total_ms as f64 / resolved as f64 / 1_000.0 },
            ]);
        }
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
        kpis
    }

    /// Support cost in span `span`, for `cost_per_order_delivered`.
    pub(super) fn support_cost(&self, span: usize) -> f64 {
        self.cost_of(self.stats.get(span))
    }

    /// Agent-hours and back-office hours of the counters `st`, at their wages.
    fn cost_of(&self, st: &SupportStats) -> f64 {
        st.agent_hours * self.cfg.agent_wage_per_hour
            + st.back_office_hours * self.cfg.back_office.wage_per_hour
    }
}
