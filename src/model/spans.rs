//! What the KPIs are measured over: the horizon after the warm-up (span 0) and each window of the
//! scenario (spans 1..), as a bit mask per day, and statistics kept once per span. An order counts
//! in the spans of the day it was placed, a ticket in those of the day of the contact, a cost in
//! those of the day it was incurred.

use crate::kernel::Time;
use crate::scenario::Scenario;
use crate::units::MS_PER_DAY;

/// The spans a moment belongs to: bit 0 the horizon after the warm-up, bit i window i - 1.
pub type SpanMask = u16;

/// The spans of each day of a run.
#[derive(Debug, Clone)]
pub struct Spans {
    by_day: Vec<SpanMask>,
    count: usize,
}

impl Spans {
    /// The horizon after the warm-up and each window of `sc`.
    pub fn new(sc: &Scenario) -> Self {
        // Validation keeps at most MAX_WINDOWS (15) windows, so every span has a bit.
        const { assert!(crate::scenario::windows::MAX_WINDOWS < SpanMask::BITS as usize) };
        let by_day = (0..sc.days)
            .map(|day| {
                let measured = SpanMask::from(day >= sc.warmup_days);
                sc.windows
                    .iter()
                    .enumerate()
                    .filter(|(_, w)| w.days.contains(&day))
                    .fold(measured, |mask, (i, _)| mask | 1 << (i + 1))
            })
            .collect();
        Self { by_day, count: 1 + sc.windows.len() }
    }

    /// The spans of the moment `t` (none past the horizon).
    #[inline(always)]
    pub fn at(&self, t: Time) -> SpanMask {
        self.of_day((t / MS_PER_DAY) as usize)
    }

    /// The spans of day `day` (none past the horizon).
    #[inline(always)]
    pub fn of_day(&self, day: usize) -> SpanMask {
        self.by_day.get(day).copied().unwrap_or(0)
    }

    /// Spans: the horizon and each window.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The days in span `span`.
    pub fn days_in(&self, span: usize) -> impl Iterator<Item = usize> + '_ {
        self.by_day.iter().enumerate().filter(move |(_, m)| *m & 1 << span != 0).map(|(d, _)| d)
    }
}

/// Statistics `S` kept once per span.
#[derive(Debug, Clone)]
pub struct PerSpan<S>(Vec<S>);

impl<S: Default> PerSpan<S> {
    /// Fresh statistics for each of the spans of `spans`.
    pub fn new(spans: &Spans) -> Self {
        Self((0..spans.count()).map(|_| S::default()).collect())
    }
}

impl<S> PerSpan<S> {
    /// Calls `add` with the statistics of each span in `mask`.
    #[inline(always)]
    pub fn each(&mut self, mask: SpanMask, mut add: impl FnMut(&mut S)) {
        let mut m = mask;
        while m != 0 {
            add(&mut self.0[m.trailing_zeros() as usize]);
            m &= m - 1;
        }
    }

    /// The statistics of the horizon after the warm-up.
    pub fn horizon(&self) -> &S {
        &self.0[0]
    }

    /// The statistics of every span, the horizon first.
    pub fn iter(&self) -> std::slice::Iter<'_, S> {
        self.0.iter()
    }

    /// The statistics of span `i`.
    pub fn get(&self, i: usize) -> &S {
        &self.0[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Source, load};

    #[test]
    fn each_day_belongs_to_the_horizon_after_the_warm_up_and_to_the_windows_covering_it() {
        let text = "[run]\nstart_date = \"2026-11-01\"\ndays = 10\nwarmup_days = 2\n\
                    [[run.windows]]\nname = \"a\"\nfrom = \"2026-11-01\"\nto = \"2026-11-04\"\n\
                    [[run.windows]]\nname = \"b\"\nfrom = \"2026-11-04\"\nto = \"2026-11-20\"\n";
        let sc = load(&Source::Text { name: "w.toml".into(), text: text.into() }, &[]).unwrap();
        let spans = Spans::new(&sc);
        assert_eq!(spans.count(), 3);
        let masks: Vec<SpanMask> = (0..11).map(|d| spans.of_day(d)).collect();
        // Days 0-1 warm-up (window a cut to days 2-3), day 3 in both, b to the end; day 10 is past.
        assert_eq!(masks, [0, 0, 0b011, 0b111, 0b101, 0b101, 0b101, 0b101, 0b101, 0b101, 0]);
        assert_eq!(spans.at(3 * MS_PER_DAY + 5), 0b111);
        assert_eq!(spans.days_in(1).collect::<Vec<_>>(), [2, 3]);
        let mut counts = PerSpan::<u32>::new(&spans);
        for d in 0..11 {
            counts.each(spans.of_day(d), |c| *c += 1);
        }
        assert_eq!(counts.iter().copied().collect::<Vec<_>>(), [8, 2, 7]);
    }
}
