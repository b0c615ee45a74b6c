//! Streaming moments (Welford) and across-replication summaries with Student-t confidence intervals.
//! Pure numerics on `f64`: no I/O, no simulation state, no domain vocabulary.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Streaming mean and variance (Welford), plus min and max; O(1) memory.
///
/// `Welford::new()` and `Welford::default()` are the same empty accumulator (all fields zero),
/// so the derived `PartialEq` treats them as equal. Values should be finite: a NaN pushed in
/// propagates into the mean and variance.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Welford {
    count: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

impl Welford {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one observation.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.count += 1;
        if self.count == 1 {
            self.mean = x;
            self.m2 = 0.0;
            self.min = x;
            self.max = x;
        } else {
            let delta = x - self.mean;
            self.mean += delta / self.count as f64;
            self.m2 += delta * (x - self.mean);
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
    }

    /// Number of observations pushed (or merged in).
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Arithmetic mean; NaN when `count() == 0`.
    pub fn mean(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.mean }
    }

    /// Sample variance (divisor n - 1); NaN when `count() < 2`.
    pub fn variance(&self) -> f64 {
        if self.count < 2 {
            f64::NAN
        } else {
            // m2 is a sum of non-negative terms up to rounding; never report a negative variance.
            (self.m2 / (self.count - 1) as f64).max(0.0)
        }
    }

    /// Sample standard deviation, `variance().sqrt()`; NaN when `count() < 2`.
    pub fn sd(&self) -> f64 {
        self.variance().sqrt()
    }

    /// Smallest observation; NaN when empty.
    pub fn min(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.min }
    }

    /// Largest observation; NaN when empty.
    pub fn max(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.max }
    }

    /// Folds `other` into `self` (Chan, Golub and LeVeque's parallel combination), as if every
    /// observation of `other` had been pushed into `self`.
    pub fn merge(&mut self, other: &Welford) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *other;
            return;
        }
        let na = self.count as f64;
        let nb = other.count as f64;
        let n = na + nb;
        let delta = other.mean - self.mean;
        self.mean += delta * (nb / n);
        self.m2 += other.m2 + delta * delta * (na * nb / n);
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }
}

/// Across-replication summary of one KPI.
///
/// Fields are NaN where undefined (see [`summarize`]); `serde_json` writes NaN as `null`.
/// When produced by [`summarize_at`], `ci95_low` and `ci95_high` hold the interval at the
/// requested level (the names follow the default level of [`summarize`]).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Mean of the finite values.
    pub mean: f64,
    /// Lower bound of the two-sided Student-t confidence interval for the mean.
    pub ci95_low: f64,
    /// Upper bound of the two-sided Student-t confidence interval for the mean.
    pub ci95_high: f64,
    /// Sample standard deviation (divisor n - 1) of the finite values.
    pub sd: f64,
    /// Smallest finite value.
    pub min: f64,
    /// Largest finite value.
    pub max: f64,
    /// Number of finite values summarised.
    pub n: usize,
    /// Whether [`Summary::within`] cut the interval at the range the values can take.
    pub clamped: bool,
}

/// Summarises replication values with a 95% Student-t interval (df = n-1).
/// NaN values (KPI undefined in that replication, e.g. a rate with no denominator) are skipped; n counts the finite ones.
/// n == 0: all fields NaN, n = 0. n == 1: mean = min = max = the value, sd and CI bounds NaN.
/// sd == 0 with n >= 2: CI collapses to the mean.
///
/// Infinite values are skipped like NaN (only finite values are summarised).
pub fn summarize(values: &[f64]) -> Summary {
    summarize_at(values, 0.95)
}

/// Same at a chosen two-sided confidence level (0 < level < 1), e.g. 0.99.
///
/// A level outside (0, 1) or NaN gives NaN interval bounds (the other fields are still computed).
pub fn summarize_at(values: &[f64], level: f64) -> Summary {
    summarize_iter(values.iter().copied(), level)
}

/// Paired differences `b[i] - a[i]` summarised (common random numbers); pairs where either side is NaN are skipped. Panics never; if lengths differ use the shorter.
///
/// The interval is at 95%. Pairs with an infinite side are skipped too.
pub fn paired_difference(a: &[f64], b: &[f64]) -> Summary {
    let diffs = a.iter().zip(b).filter(|(x, y)| x.is_finite() && y.is_finite()).map(|(x, y)| y - x);
    summarize_iter(diffs, 0.95)
}

/// Above this many degrees of freedom [`t_quantile`] uses an asymptotic expansion instead of
/// statrs' inverse CDF, whose accuracy drifts beyond a few thousand and which does not
/// terminate near 1e8.
const LARGE_DF: f64 = 1_000.0;

/// Two-sided Student-t quantile t_{1-(1-level)/2, df}; df >= 1.
///
/// Any `df > 0` is accepted (non-integer too); `df = f64::INFINITY` gives the normal quantile.
/// Returns NaN, never panics, when `level` is not in (0, 1) or `df` is not positive.
/// Uses `statrs`' Student-t inverse CDF for `df <= 1000` and the Cornish-Fisher expansion
/// around the normal quantile (Abramowitz and Stegun 26.7.5) above, where statrs drifts (up to
/// 0.3% off at df = 1e6, and it does not terminate near df = 1e8); relative error below 1e-11
/// against 40-digit references for levels up to 0.999.
pub fn t_quantile(level: f64, df: f64) -> f64 {
    let valid = level > 0.0 && level < 1.0 && df > 0.0; // false for NaN too
    if !valid {
        return f64::NAN;
    }
    let p = 0.5 + 0.5 * level;
    if df <= LARGE_DF {
        match StudentsT::new(0.0, 1.0, df) {
            Ok(t) => t.inverse_cdf(p),
            Err(_) => f64::NAN,
        }
    } else {
        t_large_df(p, df)
    }
}

/// Student-t quantile at probability `p` (> 0.5) for large `df` by the Cornish-Fisher expansion
/// in 1/df around the normal quantile z (Abramowitz and Stegun 26.7.5, terms up to 1/df^4).
fn t_large_df(p: f64, df: f64) -> f64 {
    let z = match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(p),
        Err(_) => return f64::NAN,
    };
    let z2 = z * z;
    let g1 = z * (z2 + 1.0) / 4.0;
    let g2 = z * ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0;
    let g3 = z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0;
    let g4 = z * ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) / 92_160.0;
    let v = 1.0 / df;
    z + v * (g1 + v * (g2 + v * (g3 + v * g4)))
}

impl Summary {
    /// Half-width of the interval relative to |mean| (for precision stopping); NaN if undefined.
    ///
    /// Undefined means: fewer than two values, an invalid level, or a mean of zero.
    pub fn relative_half_width(&self) -> f64 {
        let r = 0.5 * (self.ci95_high - self.ci95_low) / self.mean.abs();
        if r.is_finite() { r } else { f64::NAN }
    }

    /// The summary with its interval cut to `[lo, hi]`, the range the summarised values (and so
    /// their mean) can take, e.g. 0..1 for shares; `clamped` says whether anything was cut. The
    /// true mean lies in that range, so cutting only removes impossible values and never lowers
    /// the interval's coverage (a Student-t interval from few values on a share near 0 or 1 easily
    /// reaches past it). Undefined (NaN) bounds stay undefined.
    pub fn within(self, lo: f64, hi: f64) -> Summary {
        let (low, high) = (self.ci95_low.max(lo), self.ci95_high.min(hi));
        let cut = |a: f64, b: f64| a.is_finite() && a != b;
        let clamped = self.clamped || cut(self.ci95_low, low) || cut(self.ci95_high, high);
        Summary {
            ci95_low: if self.ci95_low.is_nan() { f64::NAN } else { low },
            ci95_high: if self.ci95_high.is_nan() { f64::NAN } else { high },
            clamped,
            ..self
        }
    }

    /// True when `x` lies strictly outside the confidence interval (e.g. `excludes(0.0)` on a
    /// [`paired_difference`] means the difference is significant). False when the interval is
    /// undefined (NaN bounds) or `x` is NaN.
    pub fn excludes(&self, x: f64) -> bool {
        x < self.ci95_low || x > self.ci95_high
    }
}

/// Summary of the finite values of `values` at `level`; two passes over the (cloned) iterator,
/// no allocation.
fn summarize_iter<I>(values: I, level: f64) -> Summary
where
    I: Iterator<Item = f64> + Clone,
{
    let finite = values.filter(|x| x.is_finite());
    let (mut n, mut sum, mut min, mut max) = (0usize, 0.0f64, f64::INFINITY, f64::NEG_INFINITY);
    for x in finite.clone() {
        n += 1;
        sum += x;
        min = min.min(x);
        max = max.max(x);
    }
    let nan = f64::NAN;
    match n {
        0 => Summary {
            mean: nan,
            ci95_low: nan,
            ci95_high: nan,
            sd: nan,
            min: nan,
            max: nan,
            n: 0,
            clamped: false,
        },
        1 => Summary { mean: sum, ci95_low: nan, ci95_high: nan, sd: nan, min, max, n: 1, clamped: false },
        _ => {
            let nf = n as f64;
            let rough = sum / nf;
            // Corrected two-pass algorithm: the sum of deviations compensates rounding in `rough`.
            let (mut dev, mut dev2) = (0.0f64, 0.0f64);
            for x in finite {
                let d = x - rough;
                dev += d;
                dev2 += d * d;
            }
            // Keep the mean inside [min, max] despite rounding (e.g. all values equal).
            let mean = (rough + dev / nf).clamp(min, max);
            let sd = ((dev2 - dev * dev / nf) / (nf - 1.0)).max(0.0).sqrt();
            let t = t_quantile(level, nf - 1.0);
            let (ci95_low, ci95_high) = if t.is_nan() {
                (nan, nan)
            } else if sd == 0.0 {
                (mean, mean)
            } else {
                let h = t * sd / nf.sqrt();
                (mean - h, mean + h)
            };
            Summary { mean, ci95_low, ci95_high, sd, min, max, n, clamped: false }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SplitMix64 (Steele, Lea and Flood): a tiny, fixed-seed generator for the tests.
    struct SplitMix64(u64);

    impl SplitMix64 {
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// Uniform in (0, 1]: never 0, so `ln` below is finite.
        fn uniform(&mut self) -> f64 {
            ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
        }

        /// Standard normal by Box-Muller (cosine branch only; simple and exact in distribution).
        fn normal(&mut self) -> f64 {
            let u1 = self.uniform();
            let u2 = self.uniform();
            (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
        }
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    fn two_pass(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
        (mean, var)
    }

    #[test]
    fn welford_matches_two_pass_on_random_data() {
        let mut rng = SplitMix64(42);
        // A large offset makes the naive sum-of-squares formula fail; Welford must not.
        let xs: Vec<f64> = (0..10_000).map(|_| 1e6 + 3.0 * rng.normal()).collect();
        let mut w = Welford::new();
        for &x in &xs {
            w.push(x);
        }
        let (mean, var) = two_pass(&xs);
        assert_eq!(w.count(), 10_000);
        assert!(close(w.mean(), mean, 1e-12 * mean.abs()), "{} vs {}", w.mean(), mean);
        assert!(close(w.variance(), var, 1e-9 * var), "{} vs {}", w.variance(), var);
        assert!(close(w.sd(), var.sqrt(), 1e-9 * var.sqrt()));
        let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(w.min(), min);
        assert_eq!(w.max(), max);
    }

    #[test]
    fn welford_merge_of_halves_equals_whole() {
        let mut rng = SplitMix64(7);
        let xs: Vec<f64> = (0..1_001).map(|_| 50.0 + 10.0 * rng.normal()).collect();
        let mut whole = Welford::new();
        xs.iter().for_each(|&x| whole.push(x));
        let (left, right) = xs.split_at(400);
        let mut a = Welford::new();
        left.iter().for_each(|&x| a.push(x));
        let mut b = Welford::new();
        right.iter().for_each(|&x| b.push(x));
        a.merge(&b);
        assert_eq!(a.count(), whole.count());
        assert!(close(a.mean(), whole.mean(), 1e-12 * whole.mean().abs()));
        assert!(close(a.variance(), whole.variance(), 1e-10 * whole.variance()));
        assert_eq!(a.min(), whole.min());
        assert_eq!(a.max(), whole.max());

        // Merging with an empty accumulator, on either side, changes nothing.
        let mut e = Welford::new();
        e.merge(&whole);
        assert_eq!(e, whole);
        let mut w2 = whole;
        w2.merge(&Welford::default());
        assert_eq!(w2, whole);
    }

    #[test]
    fn welford_edge_cases() {
        let w = Welford::new();
        assert_eq!(w, Welford::default());
        assert_eq!(w.count(), 0);
        assert!(w.mean().is_nan() && w.variance().is_nan() && w.sd().is_nan());
        assert!(w.min().is_nan() && w.max().is_nan());
        let mut w = Welford::new();
        w.push(-2.5);
        assert_eq!((w.mean(), w.min(), w.max()), (-2.5, -2.5, -2.5));
        assert!(w.variance().is_nan());
        w.push(-2.5);
        assert_eq!(w.variance(), 0.0);
    }

    #[test]
    fn t_quantile_matches_table_values() {
        // Printed t tables, three decimals.
        for (level, df, table) in [
            (0.95, 1.0, 12.706),
            (0.95, 4.0, 2.776),
            (0.95, 29.0, 2.045),
            (0.99, 10.0, 3.169),
            (0.95, 1e6, 1.960),
        ] {
            let t = t_quantile(level, df);
            assert!(close(t, table, 5e-4), "t({level}, {df}) = {t}, table {table}");
        }
        // Exact closed forms: df = 1 is Cauchy, df = 2 has t = (2p-1) / sqrt(2p(1-p)).
        let p: f64 = 0.975;
        assert!(close(t_quantile(0.95, 1.0), (std::f64::consts::PI * (p - 0.5)).tan(), 1e-9));
        let t2 = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
        assert!(close(t_quantile(0.95, 2.0), t2, 1e-9));
        // Large df: the normal quantile 1.959963984540054 plus (z^3 + z) / (4 df).
        let z = 1.959_963_984_540_054;
        assert!(close(t_quantile(0.95, f64::INFINITY), z, 1e-12));
        let t_1e6 = t_quantile(0.95, 1e6);
        assert!(close(t_1e6, z + (z * z * z + z) / 4e6, 1e-10), "{t_1e6}");
    }

    #[test]
    fn t_quantile_matches_high_precision_reference() {
        // Oracle: quantiles computed with mpmath at 40 digits, by root-finding
        // 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2 = (1 + level) / 2 (regularized incomplete beta).
        // statrs alone is off by up to 0.3% at df = 1e6 (and hangs near df = 1e8); below the
        // switch at df = 1000 statrs is used, above it the Cornish-Fisher expansion.
        let reference = [
            (0.5, 1.0, 1.0),
            (0.5, 4.0, 0.7406970841126826),
            (0.5, 10.0, 0.6998120613124317),
            (0.5, 29.0, 0.6830438608216132),
            (0.5, 100.0, 0.6769510430114715),
            (0.5, 300.0, 0.6753084163073658),
            (0.5, 1000.0, 0.6747351646070094),
            (0.5, 3000.0, 0.6745715373368374),
            (0.5, 10000.0, 0.6745142844835924),
            (0.5, 100000.0, 0.6744922035532922),
            (0.5, 1000000.0, 0.6744899955310873),
            (0.95, 1.0, 12.706204736174705),
            (0.95, 4.0, 2.7764451051977943),
            (0.95, 10.0, 2.228138851986275),
            (0.95, 29.0, 2.0452296421327043),
            (0.95, 100.0, 1.9839715185235522),
            (0.95, 300.0, 1.967903011261087),
            (0.95, 1000.0, 1.9623390808264085),
            (0.95, 3000.0, 1.9607550553224584),
            (0.95, 10000.0, 1.9602012398906263),
            (0.95, 100000.0, 1.9599877075346095),
            (0.95, 1000000.0, 1.959966356814107),
            (0.99, 1.0, 63.65674116287158),
            (0.99, 4.0, 4.604094871349993),
            (0.99, 10.0, 3.1692726726169513),
            (0.99, 29.0, 2.7563859036706053),
            (0.99, 100.0, 2.6258905214380177),
            (0.99, 300.0, 2.5923164108477925),
            (0.99, 1000.0, 2.580754698065951),
            (0.99, 3000.0, 2.5774691348386085),
            (0.99, 10000.0, 2.5763210466685287),
            (0.99, 100000.0, 2.575878469908375),
            (0.99, 1000000.0, 2.5758342201053344),
            (0.999, 1.0, 636.6192487687197),
            (0.999, 4.0, 8.610301581379275),
            (0.999, 10.0, 4.586893858702636),
            (0.999, 29.0, 3.659405019466333),
            (0.999, 100.0, 3.39049131116423),
            (0.999, 300.0, 3.3232515129741875),
            (0.999, 1000.0, 3.300282648423913),
            (0.999, 3000.0, 3.29377288068547),
            (0.999, 10000.0, 3.291499965941605),
            (0.999, 100000.0, 3.2906240314118826),
            (0.999, 1000000.0, 3.290536461248691),
        ];
        for (level, df, r) in reference {
            let t = t_quantile(level, df);
            assert!(close(t, r, 1e-11 * r), "t({level}, {df}) = {t}, reference {r}");
        }
        // Decreasing in df, across the switch and up to the normal limit, without hanging.
        for level in [0.5, 0.8, 0.95, 0.99, 0.999] {
            let mut prev = f64::INFINITY;
            for df in [1.0, 10.0, 999.0, 1_000.0, 1_000.5, 1e5, 1e8, 1e15, f64::INFINITY] {
                let t = t_quantile(level, df);
                assert!(t <= prev && t > 0.0, "level {level} df {df}: {t} after {prev}");
                prev = t;
            }
        }
    }

    #[test]
    fn t_quantile_rejects_invalid_input_without_panicking() {
        for (level, df) in [
            (0.0, 5.0),
            (1.0, 5.0),
            (-0.5, 5.0),
            (1.5, 5.0),
            (f64::NAN, 5.0),
            (0.95, 0.0),
            (0.95, -1.0),
            (0.95, f64::NAN),
        ] {
            assert!(t_quantile(level, df).is_nan(), "({level}, {df})");
        }
    }

    #[test]
    fn summarize_known_sample() {
        let s = summarize(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(s.n, 5);
        assert!(close(s.mean, 3.0, 1e-12));
        assert!(close(s.sd, 1.5811, 1e-4));
        assert_eq!((s.min, s.max), (1.0, 5.0));
        let h = 2.776 * 2.5f64.sqrt() / 5f64.sqrt();
        assert!(close(s.ci95_low, 3.0 - h, 1e-3), "{}", s.ci95_low);
        assert!(close(s.ci95_high, 3.0 + h, 1e-3), "{}", s.ci95_high);
        assert!(close(s.relative_half_width(), h / 3.0, 1e-3));
        assert!(s.excludes(0.0) && s.excludes(5.0) && !s.excludes(3.0) && !s.excludes(f64::NAN));

        // Same data at 99%: wider, with t(0.99, 4) = 4.604.
        let s99 = summarize_at(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.99);
        let h99 = 4.604 * 2.5f64.sqrt() / 5f64.sqrt();
        assert!(close(s99.ci95_high - s99.mean, h99, 1e-3));
        // Invalid level: bounds NaN, the rest still computed.
        let bad = summarize_at(&[1.0, 2.0, 3.0], 1.0);
        assert!(bad.ci95_low.is_nan() && bad.ci95_high.is_nan() && bad.mean == 2.0);
    }

    #[test]
    fn summarize_skips_nan_and_handles_small_n() {
        let with_nan = summarize(&[f64::NAN, 1.0, 2.0, f64::NAN, 3.0, 4.0, 5.0]);
        assert_eq!(with_nan, summarize(&[1.0, 2.0, 3.0, 4.0, 5.0]));
        let with_inf = summarize(&[f64::INFINITY, 1.0, 2.0, 3.0, 4.0, f64::NEG_INFINITY, 5.0]);
        assert_eq!(with_inf, summarize(&[1.0, 2.0, 3.0, 4.0, 5.0]));

        for empty in [&[][..], &[f64::NAN, f64::NAN][..]] {
            let s = summarize(empty);
            assert_eq!(s.n, 0);
            for v in [s.mean, s.ci95_low, s.ci95_high, s.sd, s.min, s.max] {
                assert!(v.is_nan());
            }
            assert!(s.relative_half_width().is_nan() && !s.excludes(0.0));
        }

        let one = summarize(&[f64::NAN, 7.5]);
        assert_eq!(one.n, 1);
        assert_eq!((one.mean, one.min, one.max), (7.5, 7.5, 7.5));
        assert!(one.sd.is_nan() && one.ci95_low.is_nan() && one.ci95_high.is_nan());
        assert!(one.relative_half_width().is_nan() && !one.excludes(0.0));

        let constant = summarize(&[0.1, 0.1, 0.1]);
        assert_eq!(constant.sd, 0.0);
        assert_eq!((constant.ci95_low, constant.ci95_high), (0.1, 0.1));
        assert_eq!(constant.mean, 0.1);
        assert_eq!(constant.relative_half_width(), 0.0);

        // Zero mean: relative half-width undefined.
        assert!(summarize(&[-1.0, 1.0]).relative_half_width().is_nan());
    }

    #[test]
    fn summarize_ci_coverage_is_nominal() {
        // Oracle: for i.i.d. normal data the Student-t interval is exact, so each of the 2000
        // independent intervals covers the true mean with probability 0.95 and the number of
        // covering intervals is Binomial(2000, 0.95). The observed coverage must lie within
        // three binomial standard deviations, 0.95 +- 3 * sqrt(0.95 * 0.05 / 2000) = +-0.0146.
        // A normal (z = 1.96) interval would cover only ~0.918 at n = 10 and fail.
        const REPS: usize = 2_000;
        const N: usize = 10;
        let (mu, sigma) = (3.0, 2.0);
        let mut rng = SplitMix64(0x05EE_D2024);
        let mut covered = 0usize;
        let mut sample = [0.0f64; N];
        for _ in 0..REPS {
            for x in &mut sample {
                *x = mu + sigma * rng.normal();
            }
            let s = summarize(&sample);
            if s.ci95_low <= mu && mu <= s.ci95_high {
                covered += 1;
            }
        }
        let coverage = covered as f64 / REPS as f64;
        let tol = 3.0 * (0.95f64 * 0.05 / REPS as f64).sqrt();
        assert!((coverage - 0.95).abs() <= tol, "coverage {coverage} outside 0.95 +- {tol}");
    }

    #[test]
    fn paired_difference_uses_common_random_numbers() {
        // b = a + 1 + small noise, with a varying a lot between replications: the paired
        // interval must contain the true difference 1 and be far narrower than the unpaired one.
        let mut rng = SplitMix64(99);
        let n = 20;
        let a: Vec<f64> = (0..n).map(|_| 100.0 + 15.0 * rng.normal()).collect();
        let b: Vec<f64> = a.iter().map(|x| x + 1.0 + 0.05 * rng.normal()).collect();
        let d = paired_difference(&a, &b);
        assert_eq!(d.n, n);
        assert!(d.ci95_low <= 1.0 && 1.0 <= d.ci95_high, "{d:?}");
        assert!(d.excludes(0.0));

        let (sa, sb) = (summarize(&a), summarize(&b));
        let nf = n as f64;
        let unpaired_half =
            t_quantile(0.95, 2.0 * nf - 2.0) * (sa.sd.powi(2) / nf + sb.sd.powi(2) / nf).sqrt();
        let paired_half = 0.5 * (d.ci95_high - d.ci95_low);
        assert!(paired_half < unpaired_half / 10.0, "{paired_half} vs {unpaired_half}");
        assert!(sb.mean - sa.mean - unpaired_half <= 0.0, "the unpaired interval should still contain 0");
    }

    #[test]
    fn paired_difference_skips_nan_and_uses_shorter_length() {
        let a = [1.0, f64::NAN, 3.0, 4.0, 100.0];
        let b = [2.0, 5.0, f64::NAN, 6.0];
        let d = paired_difference(&a, &b);
        assert_eq!(d.n, 2);
        assert_eq!(d.mean, 1.5);
        assert_eq!(paired_difference(&[], &[1.0]).n, 0);
    }

    #[test]
    fn intervals_are_cut_at_the_range_and_say_so() {
        // A share near 1 from two values: the Student-t interval reaches past 1.
        let s = summarize(&[0.97, 0.99]);
        assert!(s.ci95_high > 1.0 && !s.clamped);
        let cut = s.within(0.0, 1.0);
        assert_eq!((cut.ci95_high, cut.ci95_low, cut.mean, cut.sd), (1.0, s.ci95_low.max(0.0), s.mean, s.sd));
        assert!(cut.clamped);
        let inside = summarize(&[0.4, 0.5, 0.6]).within(0.0, 1.0);
        assert!(!inside.clamped && inside == summarize(&[0.4, 0.5, 0.6]));
        let undefined = summarize(&[0.5]).within(0.0, 1.0);
        assert!(undefined.ci95_low.is_nan() && undefined.ci95_high.is_nan() && !undefined.clamped);
        let below = summarize(&[0.0, 0.003]).within(0.0, f64::INFINITY);
        assert!(below.clamped && below.ci95_low == 0.0);
    }

    #[test]
    fn summary_implements_serialize() {
        fn assert_serialize<T: serde::Serialize>(_: &T) {}
        assert_serialize(&summarize(&[1.0, 2.0]));
    }
}
