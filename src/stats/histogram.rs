//! Fixed-memory histogram of non-negative durations (integer milliseconds) for percentiles and an exact mean.
//! Pure numerics over `hdrhistogram`: no I/O, no simulation state, no domain vocabulary.

use hdrhistogram::Histogram;

/// Streaming distribution of non-negative durations, recorded in milliseconds with 3 significant digits (hdrhistogram), for percentiles; memory is fixed, independent of how many values are recorded.
///
/// The range is fixed at construction (27,648 `u64` counters, about 216 KiB per histogram, which
/// `clone` copies): values from 1 ms up to [`DurationHistogram::MAX_MS`] (400 days) keep 3
/// significant digits, 0 is recorded as 0, and larger values are clamped to `MAX_MS`. The clamped value is what is recorded
/// everywhere, so the mean, the quantiles and the count always describe the same data.
#[derive(Clone, Debug)]
pub struct DurationHistogram {
    /// Counts per bucket; auto-resizing is off, so the counts array never grows.
    hist: Histogram<u64>,
    /// Zeros recorded, counted here rather than in `hist` (a wait is often none at all): the
    /// quantiles read them as `hist`'s first bucket would.
    zeros: u64,
    /// Exact sum of the recorded (clamped) values, in milliseconds.
    sum_ms: u128,
    /// Number of recorded values.
    count: u64,
}

impl DurationHistogram {
    /// Largest value kept distinct, in milliseconds: 400 days. Larger values are clamped to it.
    pub const MAX_MS: u64 = 400 * 24 * 60 * 60 * 1_000;

    /// Significant decimal digits kept by the histogram.
    const SIGFIG: u8 = 3;

    /// An empty histogram over the fixed range 0 ms ..= [`Self::MAX_MS`].
    pub fn new() -> Self {
        // `new_with_bounds` fails only for low == 0, high < 2 * low or sigfig > 5: not these constants.
        let hist = Histogram::new_with_bounds(1, Self::MAX_MS, Self::SIGFIG)
            .expect("constant histogram bounds are valid");
        debug_assert!(!hist.is_auto_resize());
        Self { hist, zeros: 0, sum_ms: 0, count: 0 }
    }

    /// Records one duration in milliseconds; values above [`Self::MAX_MS`] are clamped to it.
    /// Never panics and never allocates (the histogram's range is fixed, so it never resizes).
    #[inline]
    pub fn record_ms(&mut self, ms: u64) {
        self.count = self.count.saturating_add(1);
        if ms == 0 {
            self.zeros = self.zeros.saturating_add(1);
            return;
        }
        let ms = ms.min(Self::MAX_MS);
        self.hist.saturating_record(ms);
        self.sum_ms = self.sum_ms.saturating_add(u128::from(ms));
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Exact mean in seconds, from the running sum (not from bucket midpoints); NaN if empty.
    pub fn mean_s(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.sum_ms as f64 / self.count as f64 / 1_000.0 }
    }

    /// Value at quantile `q` (0 = minimum, 0.5 = median, 1 = maximum), in seconds; NaN if empty
    /// or `q` is NaN. `q` outside 0..=1 is clamped. As in HdrHistogram, the result is the highest
    /// value equivalent to the bucket reached, so it may exceed the true value by up to 0.1%
    /// (or 1 ms below 2 s); for `q == 0` it is the lowest equivalent value.
    pub fn quantile_s(&self, q: f64) -> f64 {
        if self.count == 0 || q.is_nan() {
            return f64::NAN;
        }
        let q = q.clamp(0.0, 1.0);
        if self.zeros == 0 {
            return self.hist.value_at_quantile(q) as f64 / 1_000.0;
        }
        // As `value_at_quantile` on the histogram with the zeros in its first bucket: the value
        // of the first bucket where the running count reaches ceil(q x total) (at least 1).
        let total = self.hist.len().saturating_add(self.zeros);
        let target = ((q * total as f64).ceil() as u64).max(1);
        let mut running = self.zeros;
        if running >= target {
            return 0.0;
        }
        for v in self.hist.iter_recorded() {
            running += v.count_at_value();
            if running >= target {
                return self.hist.highest_equivalent(v.value_iterated_to()) as f64 / 1_000.0;
            }
        }
        self.hist.max() as f64 / 1_000.0
    }

    /// Adds every value recorded in `other` to `self`. Never allocates.
    pub fn merge(&mut self, other: &DurationHistogram) {
        // Both histograms share the same fixed configuration and every recorded value is within
        // range, so `add` cannot fail; ignoring its Result cannot lose data.
        let added = self.hist.add(&other.hist);
        debug_assert!(added.is_ok());
        self.zeros = self.zeros.saturating_add(other.zeros);
        self.sum_ms = self.sum_ms.saturating_add(other.sum_ms);
        self.count = self.count.saturating_add(other.count);
    }

    /// Forgets every recorded value, keeping the allocated range.
    pub fn clear(&mut self) {
        // `reset` (not `clear`) also resets the histogram's min and max.
        self.hist.reset();
        self.zeros = 0;
        self.sum_ms = 0;
        self.count = 0;
    }
}

impl Default for DurationHistogram {
    /// Same as [`DurationHistogram::new`].
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel_close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    fn filled(values: impl IntoIterator<Item = u64>) -> DurationHistogram {
        let mut h = DurationHistogram::new();
        values.into_iter().for_each(|v| h.record_ms(v));
        h
    }

    #[test]
    fn zeros_counted_apart_give_the_quantiles_of_one_histogram_holding_them() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_xoshiro::SplitMix64::seed_from_u64(5);
        for zero_share in [0.0, 0.3, 0.5, 0.97, 1.0] {
            let values: Vec<u64> = (0..5_000)
                .map(|_| if rng.random::<f64>() < zero_share { 0 } else { rng.random_range(0..500_000) })
                .collect();
            // Merged from two halves, as replications are.
            let mut ours = filled(values[..2_000].iter().copied());
            ours.merge(&filled(values[2_000..].iter().copied()));
            let mut reference = Histogram::<u64>::new_with_bounds(1, DurationHistogram::MAX_MS, 3).unwrap();
            values.iter().for_each(|&v| reference.saturating_record(v));
            for q in [0.0, 1e-4, 0.1, 0.25, 0.5, 0.8, 0.9, 0.95, 0.97, 0.99, 0.999, 1.0] {
                let expected = reference.value_at_quantile(q) as f64 / 1_000.0;
                assert_eq!(ours.quantile_s(q), expected, "zero share {zero_share}, q {q}");
            }
            assert_eq!(ours.count(), 5_000);
        }
    }

    #[test]
    fn percentiles_and_exact_mean_of_uniform_ramp() {
        let h = filled(1..=100_000);
        assert_eq!(h.count(), 100_000);
        let p50 = h.quantile_s(0.5);
        let p99 = h.quantile_s(0.99);
        assert!(rel_close(p50, 50.0, 1e-3), "p50 {p50}");
        assert!(rel_close(p99, 99.0, 1e-3), "p99 {p99}");
        // Sum 1..=100000 = 5_000_050_000 ms over 100_000 values = 50.0005 s, exactly.
        assert!(rel_close(h.mean_s(), 50.0005, 1e-15), "mean {}", h.mean_s());
        assert_eq!(h.quantile_s(0.0), 0.001);
        assert!(rel_close(h.quantile_s(1.0), 100.0, 1e-3));
        // Out-of-range q is clamped, NaN q gives NaN.
        assert_eq!(h.quantile_s(-1.0), h.quantile_s(0.0));
        assert_eq!(h.quantile_s(2.0), h.quantile_s(1.0));
        assert!(h.quantile_s(f64::NAN).is_nan());
    }

    #[test]
    fn empty_and_zero() {
        let h = DurationHistogram::default();
        assert_eq!(h.count(), 0);
        assert!(h.mean_s().is_nan() && h.quantile_s(0.5).is_nan());

        let h = filled([0, 0, 0]);
        assert_eq!(h.count(), 3);
        assert_eq!(h.mean_s(), 0.0);
        assert_eq!(h.quantile_s(0.0), 0.0);
        assert_eq!(h.quantile_s(1.0), 0.0);
    }

    #[test]
    fn huge_values_are_clamped_to_the_range() {
        let max_s = DurationHistogram::MAX_MS as f64 / 1_000.0;
        let mut h = DurationHistogram::new();
        h.record_ms(u64::MAX);
        h.record_ms(DurationHistogram::MAX_MS + 1);
        h.record_ms(DurationHistogram::MAX_MS);
        assert_eq!(h.count(), 3);
        // The mean is of the clamped values.
        assert_eq!(h.mean_s(), max_s);
        assert!(rel_close(h.quantile_s(1.0), max_s, 1e-3));
        assert!(rel_close(h.quantile_s(0.0), max_s, 1e-3));
        // The range did not grow.
        assert!(!h.hist.is_auto_resize());
        assert_eq!(h.hist.high(), DurationHistogram::MAX_MS);
    }

    #[test]
    fn record_never_resizes_or_reallocates() {
        let mut h = DurationHistogram::new();
        let buckets = h.hist.distinct_values();
        let counts = h.hist.buckets();
        for v in [0, 1, 999, 123_456_789, DurationHistogram::MAX_MS, u64::MAX] {
            h.record_ms(v);
        }
        let other = filled([5, 50, u64::MAX]);
        h.merge(&other);
        h.clear();
        h.record_ms(7);
        assert_eq!(h.hist.distinct_values(), buckets);
        assert_eq!(h.hist.buckets(), counts);
        assert_eq!(h.hist.high(), DurationHistogram::MAX_MS);
    }

    #[test]
    fn merge_of_halves_equals_whole() {
        let whole = filled(1..=100_000);
        let mut a = filled(1..=30_000);
        let b = filled(30_001..=100_000);
        a.merge(&b);
        assert_eq!(a.count(), whole.count());
        assert_eq!(a.mean_s(), whole.mean_s());
        for q in [0.0, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0] {
            assert_eq!(a.quantile_s(q), whole.quantile_s(q), "q {q}");
        }
        // Merging into and from an empty histogram.
        let mut e = DurationHistogram::new();
        e.merge(&whole);
        e.merge(&DurationHistogram::new());
        assert_eq!(e.count(), whole.count());
        assert_eq!(e.quantile_s(0.5), whole.quantile_s(0.5));
    }

    #[test]
    fn clear_forgets_everything() {
        let mut h = filled([10, 20, 1_000_000]);
        h.clear();
        assert_eq!(h.count(), 0);
        assert!(h.mean_s().is_nan() && h.quantile_s(1.0).is_nan());
        h.record_ms(2_000);
        assert_eq!(h.mean_s(), 2.0);
        // Min and max were reset too, not kept from before the clear.
        assert_eq!(h.quantile_s(0.0), 2.0);
        assert_eq!(h.quantile_s(1.0), 2.0);
    }
}
