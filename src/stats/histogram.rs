//! Fixed-memory histogram of non-negative durations (integer milliseconds) for percentiles and an exact mean.
//! Pure numerics: no I/O, no simulation state, no domain vocabulary.

/// Bits of the sub-bucket index: 2,048 sub-buckets keep 3 significant decimal digits.
const SUB_BUCKET_BITS: u32 = 11;
/// Half the sub-buckets: every bucket past the first uses only its upper half.
const HALF: usize = 1 << (SUB_BUCKET_BITS - 1);
/// Counters of the fixed range 0 ..= `MAX_MS`: 26 buckets past the first's 2,048 sub-buckets
/// (checked against `hdrhistogram` in the tests).
const COUNTERS: usize = 27 * HALF;

/// Streaming distribution of non-negative durations, recorded in milliseconds with 3 significant
/// digits, for percentiles; memory is fixed, independent of how many values are recorded.
///
/// The buckets are HdrHistogram's (`hdrhistogram::Histogram::new_with_bounds(1, MAX_MS, 3)`):
/// values below 2,048 ms exactly, then 1,024 sub-buckets per power of two, and the quantiles are
/// the values that histogram reports, to the bit (tested against it). The bucket is worked out
/// inline with no branch (a record is on the path of every ticket and every order); 0 falls in
/// the first counter, as there.
///
/// The range is fixed at construction (27,648 `u64` counters, about 216 KiB per histogram, which
/// `clone` copies): values up to [`DurationHistogram::MAX_MS`] (400 days) keep 3 significant
/// digits, and larger values are clamped to `MAX_MS`. The clamped value is what is recorded
/// everywhere, so the mean, the quantiles and the count always describe the same data.
#[derive(Clone, Debug)]
pub struct DurationHistogram {
    /// Counts per bucket, in HdrHistogram's order; never grows.
    counts: Vec<u64>,
    /// Exact sum of the recorded (clamped) values, in milliseconds.
    sum_ms: u128,
    /// Number of recorded values.
    count: u64,
}

/// The counter of `ms` (at most `MAX_MS`): its bucket is the power of two above the first
/// bucket's range, its sub-bucket the value shifted down by it.
#[inline(always)]
fn index_of(ms: u64) -> usize {
    let bucket = 64 - SUB_BUCKET_BITS - (ms | ((1 << SUB_BUCKET_BITS) - 1)).leading_zeros();
    (((bucket as usize) + 1) * HALF) + (ms >> bucket) as usize - HALF
}

/// The lowest value counted in counter `index`, and the width of its bucket.
fn value_of(index: usize) -> (u64, u64) {
    let (bucket, sub) = match index / HALF {
        0 => (0, index),
        b => (b - 1, index % HALF + HALF),
    };
    ((sub as u64) << bucket, 1 << bucket)
}

impl DurationHistogram {
    /// Largest value kept distinct, in milliseconds: 400 days. Larger values are clamped to it.
    pub const MAX_MS: u64 = 400 * 24 * 60 * 60 * 1_000;

    /// An empty histogram over the fixed range 0 ms ..= [`Self::MAX_MS`].
    pub fn new() -> Self {
        Self { counts: vec![0; COUNTERS], sum_ms: 0, count: 0 }
    }

    /// Records one duration in milliseconds; values above [`Self::MAX_MS`] are clamped to it.
    /// Never panics and never allocates.
    #[inline(always)]
    pub fn record_ms(&mut self, ms: u64) {
        let ms = ms.min(Self::MAX_MS);
        self.counts[index_of(ms)] += 1;
        self.sum_ms += u128::from(ms);
        self.count += 1;
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
        // The first counter where the running count reaches ceil(q x count), at least 1.
        let target = ((q * self.count as f64).ceil() as u64).max(1);
        let mut running = 0u64;
        let index = self
            .counts
            .iter()
            .position(|&c| {
                running += c;
                running >= target
            })
            .unwrap_or(COUNTERS - 1);
        let (low, width) = value_of(index);
        let ms = if q == 0.0 { low } else { low + width - 1 };
        ms as f64 / 1_000.0
    }

    /// Adds every value recorded in `other` to `self`. Never allocates.
    pub fn merge(&mut self, other: &DurationHistogram) {
        for (c, o) in self.counts.iter_mut().zip(&other.counts) {
            *c += o;
        }
        self.sum_ms += other.sum_ms;
        self.count += other.count;
    }

    /// Forgets every recorded value, keeping the allocated range.
    pub fn clear(&mut self) {
        self.counts.fill(0);
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
    use hdrhistogram::Histogram;

    /// The histogram whose buckets and quantiles `DurationHistogram` reproduces.
    fn reference() -> Histogram<u64> {
        Histogram::new_with_bounds(1, DurationHistogram::MAX_MS, 3).unwrap()
    }

    #[test]
    fn the_buckets_are_hdrhistograms() {
        let h = reference();
        assert_eq!(h.distinct_values(), COUNTERS);
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_xoshiro::SplitMix64::seed_from_u64(9);
        let edges = (0..36).flat_map(|k| [(1u64 << k) - 1, 1 << k, (1 << k) + 1]);
        let random =
            (0..100_000).map(|_| rng.random_range(0..=DurationHistogram::MAX_MS) >> rng.random_range(0..36));
        for ms in edges.chain(random).chain([DurationHistogram::MAX_MS - 1, DurationHistogram::MAX_MS]) {
            let ms = ms.min(DurationHistogram::MAX_MS);
            let (low, width) = value_of(index_of(ms));
            assert_eq!(low, h.lowest_equivalent(ms), "{ms} ms");
            assert_eq!(low + width - 1, h.highest_equivalent(ms), "{ms} ms");
            assert!(index_of(ms) < COUNTERS);
        }
    }

    #[test]
    fn the_counters_tile_the_range_in_order() {
        let mut next_low = 0;
        for i in 0..COUNTERS {
            let (low, width) = value_of(i);
            assert_eq!(low, next_low, "counter {i} starts where the one before ends");
            assert_eq!((index_of(low), index_of(low + width - 1)), (i, i), "counter {i}");
            next_low = low + width;
        }
        assert!(index_of(DurationHistogram::MAX_MS) < COUNTERS);
    }

    #[test]
    fn quantiles_over_the_whole_range_are_hdrhistograms() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_xoshiro::SplitMix64::seed_from_u64(11);
        let mut ours = DurationHistogram::new();
        let mut theirs = reference();
        for _ in 0..20_000 {
            // Spread over every power of two, some past the range (clamped).
            let ms = rng.random::<u64>() >> rng.random_range(27..64);
            ours.record_ms(ms);
            theirs.saturating_record(ms.min(DurationHistogram::MAX_MS));
        }
        for q in [0.0, 1e-5, 0.01, 0.1, 0.5, 0.9, 0.99, 0.9999, 1.0] {
            assert_eq!(ours.quantile_s(q), theirs.value_at_quantile(q) as f64 / 1_000.0, "q {q}");
        }
    }

    fn rel_close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    fn filled(values: impl IntoIterator<Item = u64>) -> DurationHistogram {
        let mut h = DurationHistogram::new();
        values.into_iter().for_each(|v| h.record_ms(v));
        h
    }

    #[test]
    fn zeros_and_merged_halves_give_the_quantiles_of_one_hdrhistogram() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_xoshiro::SplitMix64::seed_from_u64(5);
        for zero_share in [0.0, 0.3, 0.5, 0.97, 1.0] {
            let values: Vec<u64> = (0..5_000)
                .map(|_| if rng.random::<f64>() < zero_share { 0 } else { rng.random_range(0..500_000) })
                .collect();
            // Merged from two halves, as replications are.
            let mut ours = filled(values[..2_000].iter().copied());
            ours.merge(&filled(values[2_000..].iter().copied()));
            let mut reference = reference();
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
        assert_eq!(h.counts.len(), COUNTERS);
    }

    #[test]
    fn record_never_resizes_or_reallocates() {
        let mut h = DurationHistogram::new();
        let counters = h.counts.as_ptr();
        for v in [0, 1, 999, 123_456_789, DurationHistogram::MAX_MS, u64::MAX] {
            h.record_ms(v);
        }
        let other = filled([5, 50, u64::MAX]);
        h.merge(&other);
        h.clear();
        h.record_ms(7);
        assert_eq!(h.counts.len(), COUNTERS);
        assert_eq!(h.counts.as_ptr(), counters);
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
