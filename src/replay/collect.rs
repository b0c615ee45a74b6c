//! What a replay measures: each request's latency from the moment it was *meant* to be sent (so
//! a server that stalls is charged for every request the stall held up, the correction for
//! coordinated omission), in HDR histograms per request kind over the whole replay and per kind
//! and interval; status codes, failures, requests dropped at the in-flight cap and requests sent
//! late. Memory holds the intervals with requests still open, never the whole replay's histograms.

use std::collections::{BTreeMap, VecDeque};

use hdrhistogram::Histogram;

use crate::model::trace::RequestKind;

/// A request sent more than this after its planned time counts as sent late (the generator fell
/// behind its schedule), microseconds.
pub const LATE_AFTER_US: u64 = 10_000;

/// The longest latency a histogram holds, microseconds (an hour); longer ones count as an hour.
const MAX_LATENCY_US: u64 = 3_600_000_000;

const KINDS: usize = RequestKind::ALL.len();

/// Why a request got no response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Failure {
    /// No connection could be made, or it broke.
    Connection,
    /// No full response within the timeout.
    Timeout,
}

/// How a request ended: a status code, or a failure.
pub type Ending = Result<u16, Failure>;

/// The percentiles a replay reports, milliseconds; `None` without a response.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Latency {
    /// Requests measured: those answered, and those that timed out (at the time given up).
    pub count: u64,
    /// Median.
    pub p50_ms: Option<f64>,
    /// 90th percentile.
    pub p90_ms: Option<f64>,
    /// 99th percentile.
    pub p99_ms: Option<f64>,
    /// 99.9th percentile.
    pub p999_ms: Option<f64>,
    /// The longest.
    pub max_ms: Option<f64>,
}

impl Latency {
    fn of(h: &Histogram<u64>) -> Self {
        let ms = |us: u64| (!h.is_empty()).then_some(us as f64 / 1000.0);
        Self {
            count: h.len(),
            p50_ms: ms(h.value_at_quantile(0.5)),
            p90_ms: ms(h.value_at_quantile(0.9)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            p999_ms: ms(h.value_at_quantile(0.999)),
            max_ms: ms(h.max()),
        }
    }
}

/// Counts of one kind over a stretch of the replay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Requests planned (sent or dropped).
    pub planned: u64,
    /// Sent.
    pub sent: u64,
    /// Dropped: the in-flight cap was reached at their planned time.
    pub dropped: u64,
    /// Sent more than [`LATE_AFTER_US`] after their planned time.
    pub late: u64,
    /// Answered with a 2xx status.
    pub ok: u64,
    /// Answered with another status.
    pub not_ok: u64,
    /// No response (connection failure or timeout).
    pub failed: u64,
}

impl Counts {
    fn plus(self, o: &Counts) -> Counts {
        Counts {
            planned: self.planned + o.planned,
            sent: self.sent + o.sent,
            dropped: self.dropped + o.dropped,
            late: self.late + o.late,
            ok: self.ok + o.ok,
            not_ok: self.not_ok + o.not_ok,
            failed: self.failed + o.failed,
        }
    }
}

/// One kind over the whole replay.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KindResult {
    /// Its counts.
    pub counts: Counts,
    /// Its latency.
    pub latency: Latency,
    /// Responses by status code.
    pub statuses: BTreeMap<u16, u64>,
    /// Requests without a response, by why.
    pub failures: BTreeMap<Failure, u64>,
}

/// One kind in one interval of the replay (by planned send time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalRow {
    /// Interval of the replay, from 0 (each `Options::interval` long).
    pub interval: u64,
    /// The kind; `None` for all kinds together.
    pub kind: Option<RequestKind>,
    /// Its counts.
    pub counts: Counts,
    /// Its latency.
    pub latency: Latency,
}

/// Live figures for a progress line.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Live {
    /// Requests sent so far.
    pub sent: u64,
    /// Sent and not yet answered.
    pub in_flight: u64,
    /// Answered with a status other than 2xx, or not answered.
    pub errors: u64,
    /// Dropped at the in-flight cap.
    pub dropped: u64,
    /// The 99th percentile latency of the responses of the last 10 seconds, ms.
    pub p99_recent_ms: Option<f64>,
}

struct Interval {
    counts: [Counts; KINDS],
    histograms: [Option<Histogram<u64>>; KINDS],
    open: u64,
}

impl Interval {
    fn new() -> Self {
        Self { counts: [Counts::default(); KINDS], histograms: std::array::from_fn(|_| None), open: 0 }
    }
}

/// Everything measured so far.
pub struct Collector {
    kinds: [KindResult; KINDS],
    overall: [Histogram<u64>; KINDS],
    /// Intervals not yet closed, from `first` on.
    intervals: VecDeque<Interval>,
    first: u64,
    /// Intervals before this one get no more requests.
    scheduled_to: u64,
    closed: Vec<IntervalRow>,
    /// The responses of each of the last 10 seconds (by the second they ended in).
    recent: [(u64, Histogram<u64>); 10],
    live: Live,
}

/// Interval `interval` of the open `intervals`, the first of which is `first` (added when new; an interval
/// already closed gets nothing more, as the scheduler moves forward in time).
fn interval_of(intervals: &mut VecDeque<Interval>, first: u64, interval: u64) -> &mut Interval {
    let interval = interval.max(first);
    while first + (intervals.len() as u64) <= interval {
        intervals.push_back(Interval::new());
    }
    &mut intervals[(interval - first) as usize]
}

fn histogram(significant_digits: u8) -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_LATENCY_US, significant_digits).expect("valid histogram bounds")
}

impl Default for Collector {
    fn default() -> Self {
        Self {
            kinds: Default::default(),
            overall: std::array::from_fn(|_| histogram(3)),
            intervals: VecDeque::new(),
            first: 0,
            scheduled_to: 0,
            closed: Vec::new(),
            recent: std::array::from_fn(|_| (u64::MAX, histogram(2))),
            live: Live::default(),
        }
    }
}

impl Collector {
    /// A request of `kind` planned in `interval` was dropped (the in-flight cap).
    pub fn dropped(&mut self, kind: RequestKind, interval: u64) {
        let k = kind as usize;
        for c in
            [&mut interval_of(&mut self.intervals, self.first, interval).counts[k], &mut self.kinds[k].counts]
        {
            c.planned += 1;
            c.dropped += 1;
        }
        self.live.dropped += 1;
    }

    /// A request of `kind` planned in `interval` was sent `behind_us` after its planned time.
    pub fn sent(&mut self, kind: RequestKind, interval: u64, behind_us: u64) {
        let k = kind as usize;
        let late = u64::from(behind_us > LATE_AFTER_US);
        let m = interval_of(&mut self.intervals, self.first, interval);
        m.open += 1;
        for c in [&mut m.counts[k], &mut self.kinds[k].counts] {
            c.planned += 1;
            c.sent += 1;
            c.late += late;
        }
        self.live.sent += 1;
        self.live.in_flight += 1;
    }

    /// A request of `kind` planned in `interval` ended `latency_us` after its planned time, at
    /// `second` of the replay.
    pub fn done(&mut self, kind: RequestKind, interval: u64, latency_us: u64, second: u64, ending: Ending) {
        let k = kind as usize;
        let us = latency_us.clamp(1, MAX_LATENCY_US);
        self.live.in_flight -= 1;
        let result = &mut self.kinds[k];
        match ending {
            Ok(status) => *result.statuses.entry(status).or_default() += 1,
            Err(f) => *result.failures.entry(f).or_default() += 1,
        }
        // A request that timed out waited at least this long: left out, a stall longer than the
        // timeout would make the percentiles look better. One whose connection failed has no
        // latency to count.
        let measured = ending != Err(Failure::Connection);
        if measured {
            self.overall[k].saturating_record(us);
            let slot = &mut self.recent[(second % 10) as usize];
            if slot.0 != second {
                slot.1.reset();
                slot.0 = second;
            }
            slot.1.saturating_record(us);
        }
        let ok = matches!(ending, Ok(200..=299));
        self.live.errors += u64::from(!ok);
        let m = interval_of(&mut self.intervals, self.first, interval);
        m.open -= 1;
        for c in [&mut m.counts[k], &mut result.counts] {
            c.ok += u64::from(ok);
            c.not_ok += u64::from(matches!(ending, Ok(s) if !(200..=299).contains(&s)));
            c.failed += u64::from(ending.is_err());
        }
        if measured {
            m.histograms[k].get_or_insert_with(|| histogram(2)).saturating_record(us);
        }
        self.close_done();
    }

    /// No request planned before `interval` is still to be sent.
    pub fn scheduled_to(&mut self, interval: u64) {
        self.scheduled_to = self.scheduled_to.max(interval);
        self.close_done();
    }

    /// Requests sent and not yet answered.
    pub fn in_flight(&self) -> u64 {
        self.live.in_flight
    }

    /// The figures of the progress line at `second` of the replay.
    pub fn live(&self, second: u64) -> Live {
        let mut recent = histogram(2);
        for (s, h) in &self.recent {
            if *s != u64::MAX && *s + 10 > second {
                let _ = recent.add(h);
            }
        }
        Live {
            p99_recent_ms: (!recent.is_empty()).then(|| recent.value_at_quantile(0.99) as f64 / 1000.0),
            ..self.live
        }
    }

    /// Closes the intervals that are over: scheduled and with no request open.
    fn close_done(&mut self) {
        while self.first < self.scheduled_to && self.intervals.front().is_some_and(|m| m.open == 0) {
            self.close_first();
        }
    }

    fn close_first(&mut self) {
        if let Some(m) = self.intervals.pop_front()
            && m.counts.iter().any(|c| c.planned > 0)
        {
            let mut all = histogram(2);
            for kind in RequestKind::ALL {
                let k = kind as usize;
                if m.counts[k].planned > 0 {
                    let latency = m.histograms[k].as_ref().map(Latency::of).unwrap_or_default();
                    self.closed.push(IntervalRow {
                        interval: self.first,
                        kind: Some(kind),
                        counts: m.counts[k],
                        latency,
                    });
                }
                if let Some(h) = &m.histograms[k] {
                    let _ = all.add(h);
                }
            }
            let counts = m.counts.iter().fold(Counts::default(), |a, c| a.plus(c));
            self.closed.push(IntervalRow {
                interval: self.first,
                kind: None,
                counts,
                latency: Latency::of(&all),
            });
        }
        self.first += 1;
    }

    /// Everything measured: each kind over the replay, then all kinds together; and for each
    /// interval in order, each kind's row and one of all kinds together.
    pub fn finish(mut self) -> (Vec<KindResult>, Vec<IntervalRow>) {
        while !self.intervals.is_empty() {
            self.close_first();
        }
        let mut kinds = self.kinds.to_vec();
        let mut all = KindResult::default();
        let mut all_latencies = histogram(3);
        for (k, h) in kinds.iter_mut().zip(&self.overall) {
            k.latency = Latency::of(h);
            let _ = all_latencies.add(h);
            all.counts = all.counts.plus(&k.counts);
            for (status, n) in &k.statuses {
                *all.statuses.entry(*status).or_default() += n;
            }
            for (failure, n) in &k.failures {
                *all.failures.entry(*failure).or_default() += n;
            }
        }
        all.latency = Latency::of(&all_latencies);
        kinds.push(all);
        (kinds, self.closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_count_from_the_planned_time_per_kind_and_interval() {
        let mut c = Collector::default();
        c.sent(RequestKind::Order, 0, 0);
        c.sent(RequestKind::Order, 0, 20_000);
        c.dropped(RequestKind::Status, 1);
        c.sent(RequestKind::Status, 1, 0);
        c.scheduled_to(2);
        c.done(RequestKind::Order, 0, 5_000, 0, Ok(201));
        c.done(RequestKind::Status, 1, 250_000, 60, Ok(200));
        let live = c.live(60);
        assert_eq!((live.sent, live.in_flight, live.dropped), (3, 1, 1));
        c.done(RequestKind::Order, 0, 1_000_000, 61, Err(Failure::Timeout));
        let (kinds, intervals) = c.finish();
        let order = &kinds[RequestKind::Order as usize];
        assert_eq!(
            order.counts,
            Counts { planned: 2, sent: 2, dropped: 0, late: 1, ok: 1, not_ok: 0, failed: 1 }
        );
        assert_eq!(order.failures.get(&Failure::Timeout), Some(&1));
        // The timed-out request counts with the time it was given up at.
        assert_eq!(order.latency.count, 2);
        assert!((order.latency.max_ms.unwrap() - 1000.0).abs() < 1.0, "{:?}", order.latency);
        let status = &kinds[RequestKind::Status as usize];
        assert!((status.latency.p99_ms.unwrap() - 250.0).abs() < 0.5, "{:?}", status.latency);
        assert_eq!(kinds.len(), RequestKind::ALL.len() + 1);
        assert_eq!(kinds.last().unwrap().counts.planned, 4);
        // Interval 0: orders, then all kinds; interval 1: status, then all kinds.
        assert_eq!(intervals.len(), 4);
        assert_eq!((intervals[0].interval, intervals[0].kind), (0, Some(RequestKind::Order)));
        assert_eq!((intervals[1].interval, intervals[1].kind), (0, None));
        assert_eq!((intervals[2].interval, intervals[2].counts.dropped), (1, 1));
    }
}
