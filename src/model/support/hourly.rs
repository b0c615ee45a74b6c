//! Support's hourly series: tickets, contacts offered, agents on shift, agents needed, the
//! queue and the contacts that missed the channel's sla, of each channel, hour by hour, kept
//! apart from the daily counters.

use super::*;
use crate::units::MS_PER_HOUR;

/// One day's support counters hour by hour (warm-up included, like the daily series).
#[derive(Debug, Default, Clone, Copy)]
pub struct SupportHours {
    tickets: [u64; 24],
    offered: PerChannel<[u64; 24]>,
    /// Agent-milliseconds on shift of the agents who can serve the channel.
    agent_ms: PerChannel<[f64; 24]>,
    /// Agent-milliseconds spent on the channel's replies.
    busy_ms: PerChannel<[f64; 24]>,
    /// Tickets waiting in the channel's queue at the end of the hour.
    queue: PerChannel<[u64; 24]>,
    /// Contacts made in the hour that were first answered after the channel's sla, or abandoned.
    late: PerChannel<[u64; 24]>,
}

/// The hourly series of a replication, and the next hour end whose queue is not yet recorded.
#[derive(Debug)]
pub(super) struct Hourly {
    days: Vec<SupportHours>,
    next_hour_end: Time,
}

/// Calls `add` with each hour's part, in milliseconds, of the interval `[from, to)`, with that
/// hour's day and its hour of the day, so a reply across an hour boundary counts in both hours
/// (and across midnight on both days) as `per_day` splits it between days.
#[inline(always)]
pub(super) fn per_hour<T>(days: &mut [T], from: Time, to: Time, mut add: impl FnMut(&mut T, usize, f64)) {
    let mut t = from;
    while t < to {
        let end = to.min((t / MS_PER_HOUR + 1) * MS_PER_HOUR);
        if let Some(d) = days.get_mut(Flow::day_of(t)) {
            add(d, Flow::hour_of(t), (end - t) as f64);
        }
        t = end;
    }
}

impl Hourly {
    pub(super) fn new(days: u32) -> Self {
        Self { days: vec![SupportHours::default(); days as usize], next_hour_end: MS_PER_HOUR }
    }

    /// A ticket reached support at `now`.
    #[inline(always)]
    pub(super) fn ticket(&mut self, now: Time) {
        if let Some(d) = self.days.get_mut(Flow::day_of(now)) {
            d.tickets[Flow::hour_of(now)] += 1;
        }
    }

    /// A contact was first offered to agents on `ch` at `now`.
    #[inline(always)]
    pub(super) fn offered(&mut self, ch: Channel, now: Time) {
        if let Some(d) = self.days.get_mut(Flow::day_of(now)) {
            d.offered[ch][Flow::hour_of(now)] += 1;
        }
    }

    /// A contact made on `ch` at `contact_at` missed the channel's sla (answered late, or
    /// abandoned): it counts in the hour it was made.
    #[inline(always)]
    pub(super) fn late(&mut self, ch: Channel, contact_at: Time) {
        if let Some(d) = self.days.get_mut(Flow::day_of(contact_at)) {
            d.late[ch][Flow::hour_of(contact_at)] += 1;
        }
    }

    /// `agents` agents serving the channels `serves` are on shift over `[from, to)`.
    pub(super) fn on_shift(&mut self, serves: &PerChannel<bool>, agents: f64, from: Time, to: Time) {
        per_hour(&mut self.days, from, to, |d, h, ms| {
            for ch in serves.marked() {
                d.agent_ms[ch][h] += ms * agents;
            }
        });
    }

    /// `agents` agents replied on `ch` over `[from, to)`.
    #[inline(always)]
    pub(super) fn busy(&mut self, ch: Channel, agents: f64, from: Time, to: Time) {
        per_hour(&mut self.days, from, to, |d, h, ms| d.busy_ms[ch][h] += ms * agents);
    }

    /// Records the queues `waiting` as they were at every hour end up to `now` (inclusive) not yet
    /// recorded: called before each change of a queue at `now`, and at the end of the run, so an
    /// hour's figure is the queue just before its end, as the daily snapshot is taken at midnight
    /// before any event due then.
    #[inline(always)]
    pub(super) fn queues_until(&mut self, now: Time, waiting: &PerChannel<u64>) {
        while self.next_hour_end <= now {
            let hour = self.next_hour_end / MS_PER_HOUR - 1;
            let Some(d) = self.days.get_mut((hour / 24) as usize) else { break };
            for (ch, &n) in waiting.iter() {
                d.queue[ch][(hour % 24) as usize] = n;
            }
            self.next_hour_end += MS_PER_HOUR;
        }
    }

    /// One column: `value(day, hour)` for each day and hour, at `24 * day + hour`.
    fn column(&self, value: impl Fn(&SupportHours, usize) -> f64) -> Vec<f64> {
        let value = &value;
        self.days.iter().flat_map(|d| (0..24).map(move |h| value(d, h))).collect()
    }

    /// Appends the support columns (in `support_hourly_columns` order) to `out`.
    pub(super) fn append_columns(&self, used: &PerChannel<bool>, target: f64, out: &mut Vec<Vec<f64>>) {
        let hour = MS_PER_HOUR as f64;
        out.push(self.column(|d, h| d.tickets[h] as f64));
        for ch in used.marked() {
            out.push(self.column(|d, h| d.offered[ch][h] as f64));
            out.push(self.column(|d, h| d.agent_ms[ch][h] / hour));
            out.push(self.column(|d, h| d.busy_ms[ch][h] / hour / target));
            out.push(self.column(|d, h| d.queue[ch][h] as f64));
            out.push(self.column(|d, h| d.late[ch][h] as f64));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(from: Time, to: Time) -> Vec<(usize, usize, f64)> {
        let mut days = [0usize, 1, 2];
        let mut parts = Vec::new();
        per_hour(&mut days, from, to, |d, h, ms| parts.push((*d, h, ms)));
        parts
    }

    #[test]
    fn an_interval_is_split_at_hour_boundaries_and_at_midnight() {
        let h = MS_PER_HOUR;
        // Within one hour: one part.
        assert_eq!(split(10 * h + 5, 10 * h + 65), vec![(0, 10, 60.0)]);
        // Across one hour boundary: 09:30 .. 11:15 is 30 min, 60 min and 15 min.
        assert_eq!(
            split(9 * h + h / 2, 11 * h + h / 4),
            vec![(0, 9, (h / 2) as f64), (0, 10, h as f64), (0, 11, (h / 4) as f64)]
        );
        // Across midnight: 23:40 on day 0 to 00:20 on day 1.
        let twenty = (20 * crate::units::MS_PER_MIN) as f64;
        assert_eq!(split(24 * h - 20 * 60_000, 24 * h + 20 * 60_000), vec![(0, 23, twenty), (1, 0, twenty)]);
        // Empty, and past the last day: nothing.
        assert!(split(5 * h, 5 * h).is_empty());
        assert!(split(72 * h, 73 * h).is_empty());
    }

    #[test]
    fn the_queue_at_each_hour_end_is_the_one_just_before_it() {
        let h = MS_PER_HOUR;
        let mut hourly = Hourly::new(2);
        let mut waiting = PerChannel::<u64>::default();
        waiting[Channel::Email] = 3;
        // A change at 02:30: hours 0 and 1 ended with 3 waiting.
        hourly.queues_until(2 * h + h / 2, &waiting);
        waiting[Channel::Email] = 5;
        // A change exactly at 04:00: hours 2 and 3 ended with 5 (the change at 04:00 is after).
        hourly.queues_until(4 * h, &waiting);
        waiting[Channel::Email] = 1;
        // The end of the run, after the last day: every hour recorded, no further.
        hourly.queues_until(48 * h, &waiting);
        let q = |day: usize, hour: usize| hourly.days[day].queue[Channel::Email][hour];
        assert_eq!([q(0, 0), q(0, 1), q(0, 2), q(0, 3), q(0, 4), q(1, 23)], [3, 3, 5, 5, 1, 1]);
        assert_eq!(hourly.next_hour_end, 49 * h);
    }
}
