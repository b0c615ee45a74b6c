//! Tests of the distributions: parsing and validation messages, theoretical moments against
//! textbook cases and numerical integration, and sample moments against theory.

use super::moments::{std_normal_cdf, std_normal_pdf, truncated_normal_moments};
use super::parse::SPECS;
use super::*;
use crate::units;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

fn num(x: f64) -> Quantity {
    Quantity::Number(x)
}

fn text(s: &str) -> Quantity {
    Quantity::Text(s.to_string())
}

fn count_dist(toml_table: &str) -> Result<Dist, DistError> {
    Dist::from_raw(&parse(toml_table), UnitKind::Count)
}

fn duration_dist(toml_table: &str) -> Result<Dist, DistError> {
    Dist::from_raw(&parse(toml_table), UnitKind::Duration)
}

#[derive(Deserialize)]
struct Wrapper {
    d: RawDist,
}

fn parse(toml_table: &str) -> RawDist {
    toml::from_str::<Wrapper>(&format!("d = {toml_table}")).unwrap_or_else(|e| panic!("{toml_table}: {e}")).d
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}

/// Statistical oracle: n = 200_000 draws from a fixed seed. The sample mean must lie within
/// 5 standard errors of `mean()`, se = sqrt(variance / n). The sample variance s^2 must lie
/// within 5 standard errors of `variance()`, where the standard error of s^2 is
/// sqrt((m4 - s^4 (n-3)/(n-1)) / n) with m4 the sample's 4th central moment (the exact
/// variance of s^2 with moments estimated from the sample; the (n-3)/(n-1) term keeps it
/// non-zero for two-point distributions, where m4 = s^4). Five standard errors make a false
/// failure about a 1-in-a-million event, and the seeds are fixed anyway.
fn check_moments(d: &Dist, seed: u64) {
    const N: usize = 200_000;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let xs: Vec<f64> = (0..N).map(|_| d.sample(&mut rng)).collect();
    assert!(xs.iter().all(|x| x.is_finite() && *x >= 0.0), "{d:?}: a sample is negative or not finite");
    let n = N as f64;
    let m = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    let m4 = xs.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n;
    let slack = 1e-9 * d.mean().abs().max(1.0);
    let se_mean = (d.variance() / n).sqrt();
    assert!(
        (m - d.mean()).abs() <= 5.0 * se_mean + slack,
        "{}: sample mean {m} vs theory {} (se {se_mean})",
        d.family(),
        d.mean()
    );
    let se_var = ((m4 - var * var * (n - 3.0) / (n - 1.0)).max(0.0) / n).sqrt();
    assert!(
        (var - d.variance()).abs() <= 5.0 * se_var + slack * slack,
        "{}: sample variance {var} vs theory {} (se {se_var})",
        d.family(),
        d.variance()
    );
}

#[test]
fn families_list_matches_specs() {
    let names: Vec<&str> = SPECS.iter().map(|s| s.name).collect();
    assert_eq!(names, FAMILIES);
}

#[test]
fn sample_moments_match_theory_for_every_family() {
    let cases = [
        r#"{ dist = "constant", value = 7 }"#,
        r#"{ dist = "exponential", mean = 4 }"#,
        r#"{ dist = "uniform", min = 2, max = 8 }"#,
        r#"{ dist = "uniform", min = 3, max = 3 }"#,
        r#"{ dist = "normal", mean = 100, sd = 10 }"#,
        r#"{ dist = "normal", mean = 0, sd = 2 }"#,
        r#"{ dist = "normal", mean = 1, sd = 3 }"#,
        r#"{ dist = "lognormal", mean = 10, sd = 5 }"#,
        r#"{ dist = "lognormal", mean = 10, sd = 0 }"#,
        r#"{ dist = "gamma", shape = 0.5, scale = 2 }"#,
        r#"{ dist = "gamma", shape = 3, scale = 1.5 }"#,
        r#"{ dist = "gamma", mean = 6, sd = 2 }"#,
        r#"{ dist = "weibull", shape = 1.5, scale = 4 }"#,
        r#"{ dist = "weibull", shape = 0.8, scale = 1 }"#,
        r#"{ dist = "triangular", min = 1, mode = 2, max = 6 }"#,
        r#"{ dist = "triangular", min = 0, mode = 0, max = 1 }"#,
        r#"{ dist = "erlang", k = 3, mean = 9 }"#,
        r#"{ dist = "empirical", values = [1, 2, 5], weights = [1, 1, 2] }"#,
        r#"{ dist = "empirical", values = [0, 10] }"#,
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (i, case) in cases.iter().enumerate() {
        let d = count_dist(case).unwrap_or_else(|e| panic!("{case}: {e}"));
        seen.insert(d.family());
        check_moments(&d, 1000 + i as u64);
    }
    assert_eq!(seen.len(), FAMILIES.len(), "every family is covered");
}

#[test]
fn duration_families_sample_in_seconds() {
    let d = duration_dist(r#"{ dist = "erlang", k = 2, mean = "4m" }"#).unwrap();
    assert_eq!(d.mean(), 240.0);
    check_moments(&d, 7);
    let d = duration_dist(r#"{ dist = "empirical", values = ["1m", "1h"], weights = [3, 1] }"#).unwrap();
    assert!(close(d.mean(), (3.0 * 60.0 + 3600.0) / 4.0, 1e-12));
    check_moments(&d, 8);
}

#[test]
fn theoretical_moments_match_textbook_cases() {
    // Lognormal by the value's mean and sd: recompute from the log parameters.
    let (mu, sigma) = lognormal_log_params(10.0, 5.0);
    let s2 = sigma * sigma;
    assert!(close((mu + s2 / 2.0).exp(), 10.0, 1e-12));
    assert!(close((s2.exp() - 1.0) * (2.0 * mu + s2).exp(), 25.0, 1e-12));
    let cases: &[(&str, f64, f64)] = &[
        (r#"{ dist = "lognormal", mean = 10, sd = 5 }"#, 10.0, 25.0),
        (r#"{ dist = "exponential", mean = 4 }"#, 4.0, 16.0),
        (r#"{ dist = "uniform", min = 2, max = 8 }"#, 5.0, 3.0),
        (r#"{ dist = "gamma", shape = 2, scale = 3 }"#, 6.0, 18.0),
        (r#"{ dist = "gamma", mean = 6, sd = 2 }"#, 6.0, 4.0),
        (r#"{ dist = "weibull", shape = 1, scale = 5 }"#, 5.0, 25.0),
        (
            r#"{ dist = "weibull", shape = 2, scale = 1 }"#,
            std::f64::consts::PI.sqrt() / 2.0,
            1.0 - std::f64::consts::FRAC_PI_4,
        ),
        (r#"{ dist = "triangular", min = 0, mode = 1, max = 2 }"#, 1.0, 1.0 / 6.0),
        (r#"{ dist = "erlang", k = 2, mean = 6 }"#, 6.0, 18.0),
        // Half-normal: mean sd*sqrt(2/pi), variance sd^2 (1 - 2/pi).
        (
            r#"{ dist = "normal", mean = 0, sd = 1 }"#,
            (2.0 / std::f64::consts::PI).sqrt(),
            1.0 - 2.0 / std::f64::consts::PI,
        ),
        (r#"{ dist = "empirical", values = [1, 2, 3], weights = [1, 1, 2] }"#, 2.25, 0.6875),
        (r#"{ dist = "constant", value = 3 }"#, 3.0, 0.0),
    ];
    for (case, mean, var) in cases {
        let d = count_dist(case).unwrap();
        assert!(close(d.mean(), *mean, 1e-6), "{case}: mean {}", d.mean());
        assert!(close(d.variance(), *var, 1e-6), "{case}: var {}", d.variance());
    }
}

#[test]
fn truncated_normal_moments_match_numerical_integration() {
    // Independent oracle: trapezoid integration of the density renormalised on [0, inf).
    for (mu, sd) in [(1.0, 3.0), (0.0, 1.0), (5.0, 2.0), (0.2, 10.0)] {
        let steps = 200_000;
        let hi = mu + 12.0 * sd;
        let h = hi / steps as f64;
        let (mut z, mut m1, mut m2) = (0.0, 0.0, 0.0);
        for i in 0..=steps {
            let x = i as f64 * h;
            let w = if i == 0 || i == steps { 0.5 } else { 1.0 };
            let p = w * std_normal_pdf((x - mu) / sd);
            z += p;
            m1 += p * x;
            m2 += p * x * x;
        }
        let (mean, var) = (m1 / z, m2 / z - (m1 / z).powi(2));
        let (tm, tv) = truncated_normal_moments(mu, sd);
        assert!(close(tm, mean, 1e-6), "mu {mu} sd {sd}: {tm} vs {mean}");
        assert!(close(tv, var, 1e-5), "mu {mu} sd {sd}: {tv} vs {var}");
    }
}

#[test]
fn truncated_normal_with_low_mean_never_goes_negative() {
    let d = count_dist(r#"{ dist = "normal", mean = 1, sd = 3 }"#).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(42);
    assert!((0..100_000).all(|_| d.sample(&mut rng) >= 0.0));
    let (m, v) = truncated_normal_moments(1.0, 3.0);
    assert_eq!((d.mean(), d.variance()), (m, v));
    assert!(d.mean() > 1.0, "truncation raises the mean");
    assert!(d.variance() < 9.0, "truncation lowers the variance");
    check_moments(&d, 43);
}

#[test]
fn the_normal_cdf_is_accurate_to_double_precision() {
    // Reference values of the standard normal CDF to 16 digits. The truncated normal's moments
    // rest on it: a Chebyshev fit of erfc good only to about 1e-7 would move them.
    let cases = [
        (0.0, 0.5),
        (1.0, 0.841_344_746_068_542_9),
        (-1.0, 0.158_655_253_931_457_05),
        (-3.0, 0.001_349_898_031_630_094_5),
        (1.959_963_984_540_054, 0.975),
    ];
    for (x, want) in cases {
        assert!(close(std_normal_cdf(x), want, 1e-10), "Phi({x}) = {} vs {want}", std_normal_cdf(x));
    }
}

#[test]
fn parses_durations_from_toml() {
    let d = duration_dist(r#"{ dist = "lognormal", mean = "2d", sd = "12h" }"#).unwrap();
    assert_eq!(d.family(), "lognormal");
    assert_eq!(d.mean(), 172_800.0);
    assert_eq!(d.variance(), 43_200.0 * 43_200.0);
    let d = duration_dist(r#"{ dist = "uniform", min = "90s", max = "1.5m" }"#).unwrap();
    assert_eq!((d.mean(), d.variance()), (90.0, 0.0));
    let d = duration_dist(r#"{ dist = "gamma", shape = 2, scale = "1h" }"#).unwrap();
    assert_eq!(d.mean(), 7200.0);
    let d = duration_dist(r#"{ dist = "constant", value = "250ms" }"#).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    assert_eq!(d.sample(&mut rng), 0.25);
}

#[test]
fn raw_constructors_round_trip_through_toml() {
    let raw = RawDist::lognormal(text("2d"), text("12h"));
    let d = Dist::from_raw(&raw, UnitKind::Duration).unwrap();
    assert_eq!(d.mean(), 172_800.0);
    assert_eq!(Dist::from_raw(&RawDist::exponential(num(3.0)), UnitKind::Count).unwrap().mean(), 3.0);
    assert_eq!(Dist::from_raw(&RawDist::constant(text("4m")), UnitKind::Duration).unwrap().mean(), 240.0);
    #[derive(Serialize)]
    struct Out {
        d: RawDist,
    }
    let written = toml::to_string(&Out { d: raw.clone() }).unwrap();
    assert!(!written.contains("min"), "unset fields are not written: {written}");
    let back: Wrapper = toml::from_str(&written).unwrap();
    assert_eq!(back.d, raw);
}

#[test]
fn unknown_table_keys_are_rejected_by_the_parser() {
    let r = toml::from_str::<Wrapper>(r#"d = { dist = "exponential", mean = 1, rate = 2 }"#);
    assert!(r.is_err());
}

#[test]
fn direct_constructors() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    let c = Dist::constant(2.5);
    assert_eq!((c.family(), c.mean(), c.variance(), c.sample(&mut rng)), ("constant", 2.5, 0.0, 2.5));
    let e = Dist::exponential(60.0);
    assert_eq!((e.family(), e.mean(), e.variance()), ("exponential", 60.0, 3600.0));
    check_moments(&e, 4);
}

#[test]
#[cfg(not(debug_assertions))]
fn exponential_with_a_bad_mean_does_not_panic_in_release() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let x = Dist::exponential(bad).sample(&mut rng);
        assert!(x.is_finite() && x >= 0.0);
    }
}

fn field_of(r: Result<Dist, DistError>) -> (String, String) {
    let e = r.expect_err("should be rejected");
    (e.field, e.message)
}

#[test]
fn unknown_family_is_named_with_a_suggestion() {
    let (field, msg) = field_of(count_dist(r#"{ dist = "lognormall", mean = 1, sd = 1 }"#));
    assert_eq!(field, "dist");
    assert!(msg.contains("did you mean `lognormal`?"), "{msg}");
    assert!(msg.contains("constant, exponential, uniform"), "{msg}");
    let (_, msg) = field_of(count_dist(r#"{ dist = "exp", mean = 1 }"#));
    assert!(msg.contains("did you mean `exponential`?"), "{msg}");
    let (_, msg) = field_of(count_dist(r#"{ dist = "Weibull", shape = 1, scale = 1 }"#));
    assert!(msg.contains("did you mean `weibull`?"), "{msg}");
    let (field, msg) = field_of(count_dist(r#"{ dist = "poisson", mean = 1 }"#));
    assert_eq!(field, "dist");
    assert!(!msg.contains("did you mean"), "{msg}");
    let (_, msg) = field_of(count_dist(r#"{ dist = "lgonormal", mean = 1, sd = 1 }"#));
    assert!(msg.contains("did you mean `lognormal`?"), "{msg}");
    let (_, msg) = field_of(count_dist(r#"{ dist = "exponential_distribution", mean = 1 }"#));
    assert!(msg.contains("did you mean `exponential`?"), "{msg}");
    for short in ["", "no"] {
        let (_, msg) = field_of(count_dist(&format!(r#"{{ dist = "{short}", mean = 1 }}"#)));
        assert!(!msg.contains("did you mean"), "{msg}");
    }
}

#[test]
fn validation_errors_name_the_field() {
    let count_cases: &[(&str, &str, &str)] = &[
        // Missing parameters.
        (r#"{ dist = "lognormal", mean = 1 }"#, "sd", "`lognormal` needs `mean` and `sd`"),
        (r#"{ dist = "constant" }"#, "value", "needs `value`"),
        (r#"{ dist = "triangular", min = 0, max = 1 }"#, "mode", "needs"),
        (r#"{ dist = "erlang", mean = 1 }"#, "k", "needs"),
        (r#"{ dist = "gamma" }"#, "shape", "or `mean` and `sd`"),
        (r#"{ dist = "gamma", mean = 1 }"#, "sd", "needs"),
        (r#"{ dist = "empirical", weights = [1] }"#, "values", "needs"),
        // Parameters that do not belong.
        (
            r#"{ dist = "exponential", mean = 1, sd = 1 }"#,
            "sd",
            "`exponential` takes only `mean`; `sd` does not apply",
        ),
        (r#"{ dist = "uniform", min = 0, max = 1, weights = [1] }"#, "weights", "does not apply"),
        (r#"{ dist = "gamma", shape = 1, scale = 1, mean = 1 }"#, "mean", "not a mix"),
        // Negative, NaN, infinite numbers.
        (r#"{ dist = "exponential", mean = -1 }"#, "mean", ">= 0"),
        (r#"{ dist = "exponential", mean = nan }"#, "mean", "finite"),
        (r#"{ dist = "uniform", min = 0, max = inf }"#, "max", "finite"),
        (r#"{ dist = "lognormal", mean = 1, sd = -2 }"#, "sd", ">= 0"),
        (r#"{ dist = "normal", mean = -1, sd = 1 }"#, "mean", ">= 0"),
        // Zero where > 0 is needed, and ordering constraints.
        (r#"{ dist = "exponential", mean = 0 }"#, "mean", "> 0"),
        (r#"{ dist = "lognormal", mean = 0, sd = 1 }"#, "mean", "> 0"),
        (r#"{ dist = "gamma", mean = 1, sd = 0 }"#, "sd", "> 0"),
        (r#"{ dist = "weibull", shape = 0, scale = 1 }"#, "shape", "> 0"),
        (r#"{ dist = "uniform", min = 2, max = 1 }"#, "max", ">= `min`"),
        (r#"{ dist = "triangular", min = 1, mode = 1, max = 1 }"#, "max", "> `min`"),
        (r#"{ dist = "triangular", min = 0, mode = 3, max = 1 }"#, "mode", "between"),
        // A count written as a string; a dimensionless parameter written with a unit.
        (r#"{ dist = "exponential", mean = "4m" }"#, "mean", "is a count"),
        (r#"{ dist = "weibull", shape = "2", scale = 1 }"#, "shape", "plain number"),
        // k not a positive integer.
        (r#"{ dist = "erlang", k = 2.5, mean = 1 }"#, "k", "whole number"),
        (r#"{ dist = "erlang", k = 0, mean = 1 }"#, "k", "whole number"),
        (r#"{ dist = "erlang", k = -3, mean = 1 }"#, "k", ">= 0"),
        (r#"{ dist = "erlang", k = "3", mean = 1 }"#, "k", "plain number"),
        // Empirical lists.
        (r#"{ dist = "empirical", values = [] }"#, "values", "at least one"),
        (r#"{ dist = "empirical", values = [1, 2], weights = [1] }"#, "weights", "one weight per value"),
        (r#"{ dist = "empirical", values = [1, 2], weights = [1, -1] }"#, "weights", ">= 0"),
        (r#"{ dist = "empirical", values = [1, 2], weights = [1, nan] }"#, "weights", "finite"),
        (r#"{ dist = "empirical", values = [1, 2], weights = [0, 0] }"#, "weights", "all be 0"),
        (r#"{ dist = "empirical", values = [1, -2] }"#, "values", "item 2"),
        // Moments that overflow.
        (r#"{ dist = "weibull", shape = 0.001, scale = 1 }"#, "", "infinite"),
    ];
    for (case, want_field, want_msg) in count_cases {
        let (field, msg) = field_of(count_dist(case));
        assert_eq!(&field, want_field, "{case}: {msg}");
        assert!(msg.contains(want_msg), "{case}: `{msg}` lacks `{want_msg}`");
    }
    let duration_cases: &[(&str, &str, &str)] = &[
        (
            r#"{ dist = "exponential", mean = 4 }"#,
            "mean",
            "`mean` is a duration: write it with a unit, e.g. \"4m\"",
        ),
        (r#"{ dist = "lognormal", mean = "2d", sd = 3600 }"#, "sd", units::DURATION_HELP),
        (r#"{ dist = "exponential", mean = "4 parsecs" }"#, "mean", "not a duration"),
        (r#"{ dist = "exponential", mean = "-4m" }"#, "mean", "negative"),
        (r#"{ dist = "erlang", k = "3m", mean = "1h" }"#, "k", "plain number"),
        (r#"{ dist = "gamma", shape = 2, scale = 60 }"#, "scale", "is a duration"),
        (r#"{ dist = "empirical", values = ["1m", 5] }"#, "values", "item 2"),
    ];
    for (case, want_field, want_msg) in duration_cases {
        let (field, msg) = field_of(duration_dist(case));
        assert_eq!(&field, want_field, "{case}: {msg}");
        assert!(msg.contains(want_msg), "{case}: `{msg}` lacks `{want_msg}`");
    }
}

#[test]
fn zero_spread_families_are_constant() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
    for case in [
        r#"{ dist = "lognormal", mean = 4, sd = 0 }"#,
        r#"{ dist = "normal", mean = 4, sd = 0 }"#,
        r#"{ dist = "uniform", min = 4, max = 4 }"#,
        r#"{ dist = "empirical", values = [4, 9], weights = [1, 0] }"#,
    ] {
        let d = count_dist(case).unwrap();
        assert_eq!((d.mean(), d.variance()), (4.0, 0.0), "{case}");
        assert!((0..1000).all(|_| d.sample(&mut rng) == 4.0), "{case}");
    }
}

#[test]
fn json_schema_is_generated() {
    let schema = schemars::schema_for!(RawDist);
    let text = format!("{schema:?}");
    assert!(text.contains("lognormal"), "doc comments become descriptions");
}
