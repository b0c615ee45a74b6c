//! Probability distributions as written in scenario tables: parsed, validated into base units
//! (seconds for durations) and sampled with `rand_distr`. No I/O and no simulation state here.

use std::fmt;

use rand::Rng;
use rand_distr::weighted::WeightedAliasIndex;
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Normal, Triangular, Uniform, Weibull};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::units;

/// A parameter as written in a scenario: a plain number or a string with a duration unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Quantity {
    /// A plain number, e.g. `3` or `0.5`: for counts and dimensionless parameters.
    Number(f64),
    /// A string with a duration unit, e.g. `"4m"` or `"1.5d"`.
    Text(String),
}

/// A distribution as written in a scenario inline table, e.g.
/// `{ dist = "lognormal", mean = "2d", sd = "12h" }`.
///
/// Every parameter is optional here; which ones are required depends on `dist` and is checked by
/// [`Dist::from_raw`].
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    /// The family: one of `constant`, `exponential`, `uniform`, `normal` (truncated at 0),
    /// `lognormal`, `gamma`, `weibull`, `triangular`, `erlang`, `empirical`.
    pub dist: String,
    /// The value of a `constant`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Quantity>,
    /// The mean (`exponential`, `normal`, `lognormal`, `gamma`, `erlang`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<Quantity>,
    /// The standard deviation of the value (`normal`, `lognormal`, `gamma`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<Quantity>,
    /// The smallest value (`uniform`, `triangular`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Quantity>,
    /// The largest value (`uniform`, `triangular`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Quantity>,
    /// The most likely value (`triangular`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Quantity>,
    /// The shape, a plain number (`gamma`, `weibull`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<Quantity>,
    /// The scale, in the unit of the values (`gamma`, `weibull`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Quantity>,
    /// The number of exponential stages, a plain integer >= 1 (`erlang`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<Quantity>,
    /// The values to draw from (`empirical`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<Quantity>>,
    /// The relative weight of each of `values`, plain numbers (`empirical`; equal if omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<f64>>,
}

impl RawDist {
    /// A `constant` distribution: always `value`.
    pub fn constant(value: Quantity) -> Self {
        RawDist { dist: "constant".to_string(), value: Some(value), ..RawDist::default() }
    }

    /// An `exponential` distribution with the given mean.
    pub fn exponential(mean: Quantity) -> Self {
        RawDist { dist: "exponential".to_string(), mean: Some(mean), ..RawDist::default() }
    }

    /// A `uniform` distribution between `min` and `max`.
    pub fn uniform(min: Quantity, max: Quantity) -> Self {
        RawDist { dist: "uniform".to_string(), min: Some(min), max: Some(max), ..RawDist::default() }
    }

    /// A `lognormal` distribution with the given mean and standard deviation of the value.
    pub fn lognormal(mean: Quantity, sd: Quantity) -> Self {
        RawDist { dist: "lognormal".to_string(), mean: Some(mean), sd: Some(sd), ..RawDist::default() }
    }
}

/// What a distribution's values measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    /// A length of time: parameters must be strings with units (`"4m"`), converted to seconds.
    Duration,
    /// A number of things: parameters must be plain numbers.
    Count,
}

/// One problem found in a [`RawDist`].
#[derive(Clone, Debug, PartialEq)]
pub struct DistError {
    /// The parameter key at fault (`"mean"`, `"sd"`, `"dist"`, ...), or `""` for the table as a
    /// whole.
    pub field: String,
    /// What is wrong and how to fix it, for a human.
    pub message: String,
}

impl DistError {
    fn new(field: &str, message: impl Into<String>) -> Self {
        DistError { field: field.to_string(), message: message.into() }
    }
}

impl fmt::Display for DistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DistError {}

/// The distribution families a scenario may name in `dist`.
pub const FAMILIES: &[&str] = &[
    "constant",
    "exponential",
    "uniform",
    "normal",
    "lognormal",
    "gamma",
    "weibull",
    "triangular",
    "erlang",
    "empirical",
];

/// A family's parameters in base units (seconds for durations), kept for inspection.
#[derive(Clone, Debug)]
enum Family {
    Constant { value: f64 },
    Exponential { mean: f64 },
    Uniform { min: f64, max: f64 },
    Normal { mean: f64, sd: f64 },
    LogNormal { mean: f64, sd: f64 },
    Gamma { shape: f64, scale: f64 },
    Weibull { shape: f64, scale: f64 },
    Triangular { min: f64, mode: f64, max: f64 },
    Erlang { k: u64, mean: f64 },
    Empirical { weights: Box<[f64]> },
}

/// The ready-built sampler; nothing in it allocates when sampled.
#[derive(Clone, Debug)]
enum Sampler {
    Constant(f64),
    Exponential(Exp<f64>),
    Uniform(Uniform<f64>),
    /// A normal truncated at 0 by rejection; validation keeps its mean >= 0, so at least half of
    /// the draws are accepted.
    TruncatedNormal(Normal<f64>),
    LogNormal(LogNormal<f64>),
    Gamma(Gamma<f64>),
    Weibull(Weibull<f64>),
    Triangular(Triangular<f64>),
    Empirical {
        index: WeightedAliasIndex<f64>,
        values: Box<[f64]>,
    },
}

/// A validated distribution whose values are in base units (seconds for durations).
#[derive(Clone, Debug)]
pub struct Dist {
    family: Family,
    sampler: Sampler,
    mean: f64,
    variance: f64,
}

impl Dist {
    /// Validates a scenario's distribution table and converts its parameters to base units.
    ///
    /// Returns the first problem found, naming the parameter at fault.
    pub fn from_raw(raw: &RawDist, unit: UnitKind) -> Result<Dist, DistError> {
        let spec = find_spec(&raw.dist)?;
        for (name, given) in given_fields(raw) {
            if given && !spec.takes.contains(&name) {
                return Err(DistError::new(
                    name,
                    format!("`{}` takes only {}; `{name}` does not apply", spec.name, spec.takes_text),
                ));
            }
        }
        let r = Reader { raw, unit, spec };
        let (family, sampler) = match spec.name {
            "constant" => {
                r.require(&["value"])?;
                let value = r.value("value")?;
                (Family::Constant { value }, Sampler::Constant(value))
            }
            "exponential" => {
                r.require(&["mean"])?;
                let mean = positive("mean", r.value("mean")?)?;
                (
                    Family::Exponential { mean },
                    Sampler::Exponential(Exp::new(1.0 / mean).map_err(|e| internal(&e))?),
                )
            }
            "uniform" => {
                r.require(&["min", "max"])?;
                let (min, max) = (r.value("min")?, r.value("max")?);
                if max < min {
                    return Err(DistError::new("max", "`max` must be >= `min`"));
                }
                let sampler = Uniform::new_inclusive(min, max).map_err(|e| internal(&e))?;
                (Family::Uniform { min, max }, Sampler::Uniform(sampler))
            }
            "normal" => {
                r.require(&["mean", "sd"])?;
                // Negative means are already rejected: the rejection sampler needs mean >= 0.
                let (mean, sd) = (r.value("mean")?, r.value("sd")?);
                let sampler = if sd == 0.0 {
                    Sampler::Constant(mean)
                } else {
                    Sampler::TruncatedNormal(Normal::new(mean, sd).map_err(|e| internal(&e))?)
                };
                (Family::Normal { mean, sd }, sampler)
            }
            "lognormal" => {
                r.require(&["mean", "sd"])?;
                let mean = positive("mean", r.value("mean")?)?;
                let sd = r.value("sd")?;
                let sampler = if sd == 0.0 {
                    Sampler::Constant(mean)
                } else {
                    let (mu, sigma) = lognormal_log_params(mean, sd);
                    Sampler::LogNormal(LogNormal::new(mu, sigma).map_err(|e| internal(&e))?)
                };
                (Family::LogNormal { mean, sd }, sampler)
            }
            "gamma" => {
                let (shape, scale) = r.gamma_params()?;
                let sampler = Gamma::new(shape, scale).map_err(|e| internal(&e))?;
                (Family::Gamma { shape, scale }, Sampler::Gamma(sampler))
            }
            "weibull" => {
                r.require(&["shape", "scale"])?;
                let shape = positive("shape", r.plain("shape")?)?;
                let scale = positive("scale", r.value("scale")?)?;
                let sampler = Weibull::new(scale, shape).map_err(|e| internal(&e))?;
                (Family::Weibull { shape, scale }, Sampler::Weibull(sampler))
            }
            "triangular" => {
                r.require(&["min", "mode", "max"])?;
                let (min, mode, max) = (r.value("min")?, r.value("mode")?, r.value("max")?);
                if max <= min {
                    return Err(DistError::new("max", "`max` must be > `min`"));
                }
                if mode < min || mode > max {
                    return Err(DistError::new("mode", "`mode` must lie between `min` and `max`"));
                }
                let sampler = Triangular::new(min, max, mode).map_err(|e| internal(&e))?;
                (Family::Triangular { min, mode, max }, Sampler::Triangular(sampler))
            }
            "erlang" => {
                r.require(&["k", "mean"])?;
                let k = r.plain("k")?;
                if k < 1.0 || k.fract() != 0.0 || k > 1e9 {
                    return Err(DistError::new(
                        "k",
                        format!("`k` must be a whole number of stages from 1 to 1e9, got {k}"),
                    ));
                }
                let mean = positive("mean", r.value("mean")?)?;
                let sampler = Gamma::new(k, mean / k).map_err(|e| internal(&e))?;
                (Family::Erlang { k: k as u64, mean }, Sampler::Gamma(sampler))
            }
            "empirical" => r.empirical()?,
            other => unreachable!("family `{other}` has a spec but no constructor"),
        };
        let (mean, variance) = moments(&family, &sampler);
        if !mean.is_finite() || !variance.is_finite() {
            return Err(DistError::new(
                "",
                format!("these `{}` parameters give an infinite mean or variance", spec.name),
            ));
        }
        Ok(Dist { family, sampler, mean, variance })
    }

    /// A distribution that always yields `value` (finite, >= 0).
    pub fn constant(value: f64) -> Dist {
        debug_assert!(value.is_finite() && value >= 0.0, "constant {value} must be finite and >= 0");
        let value = finite_nonneg(value);
        Dist {
            family: Family::Constant { value },
            sampler: Sampler::Constant(value),
            mean: value,
            variance: 0.0,
        }
    }

    /// An exponential distribution with the given mean, which must be finite and > 0.
    ///
    /// Never panics in release builds: an invalid mean gives a constant at that mean clamped to
    /// `[0, f64::MAX]` (NaN gives 0).
    pub fn exponential(mean: f64) -> Dist {
        debug_assert!(mean.is_finite() && mean > 0.0, "exponential mean {mean} must be finite and > 0");
        match Exp::new(1.0 / mean) {
            Ok(exp) if mean.is_finite() && mean > 0.0 => Dist {
                family: Family::Exponential { mean },
                sampler: Sampler::Exponential(exp),
                mean,
                variance: mean * mean,
            },
            _ => Dist::constant(if mean.is_nan() { 0.0 } else { finite_nonneg(mean) }),
        }
    }

    /// Draws one value, in base units: always finite and >= 0. Allocates nothing.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = match &self.sampler {
            Sampler::Constant(v) => *v,
            Sampler::Exponential(d) => d.sample(rng),
            Sampler::Uniform(d) => d.sample(rng),
            Sampler::TruncatedNormal(d) => loop {
                let x = d.sample(rng);
                if x >= 0.0 {
                    break x;
                }
            },
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::Gamma(d) => d.sample(rng),
            Sampler::Weibull(d) => d.sample(rng),
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::Empirical { index, values } => values[index.sample(rng)],
        };
        finite_nonneg(x)
    }

    /// The theoretical mean of what [`Dist::sample`] returns (for `normal`, of the normal
    /// truncated at 0).
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The theoretical variance of what [`Dist::sample`] returns (for `normal`, of the normal
    /// truncated at 0).
    pub fn variance(&self) -> f64 {
        self.variance
    }

    /// The family's name, one of [`FAMILIES`].
    pub fn family(&self) -> &'static str {
        match self.family {
            Family::Constant { .. } => "constant",
            Family::Exponential { .. } => "exponential",
            Family::Uniform { .. } => "uniform",
            Family::Normal { .. } => "normal",
            Family::LogNormal { .. } => "lognormal",
            Family::Gamma { .. } => "gamma",
            Family::Weibull { .. } => "weibull",
            Family::Triangular { .. } => "triangular",
            Family::Erlang { .. } => "erlang",
            Family::Empirical { .. } => "empirical",
        }
    }
}

/// Clamps into `[0, f64::MAX]`. Validation keeps every parameter finite, so this only guards
/// against overflow in the far tail of a heavy-tailed draw.
#[inline]
fn finite_nonneg(x: f64) -> f64 {
    if x < f64::MAX { x.max(0.0) } else { f64::MAX }
}

/// A sampler constructor refused parameters that validation had accepted: a bug here.
fn internal(e: &dyn fmt::Display) -> DistError {
    DistError::new("", format!("internal error building the sampler: {e}"))
}

fn positive(field: &str, x: f64) -> Result<f64, DistError> {
    if x > 0.0 { Ok(x) } else { Err(DistError::new(field, format!("`{field}` must be > 0"))) }
}

/// The mean and sd of the logarithm of a lognormal value with the given mean and sd.
fn lognormal_log_params(mean: f64, sd: f64) -> (f64, f64) {
    let cv = sd / mean;
    let sigma2 = cv.mul_add(cv, 1.0).ln();
    (mean.ln() - sigma2 / 2.0, sigma2.sqrt())
}

fn moments(family: &Family, sampler: &Sampler) -> (f64, f64) {
    match *family {
        Family::Constant { value } => (value, 0.0),
        Family::Exponential { mean } => (mean, mean * mean),
        Family::Uniform { min, max } => ((min + max) / 2.0, (max - min).powi(2) / 12.0),
        Family::Normal { mean, sd } => truncated_normal_moments(mean, sd),
        Family::LogNormal { mean, sd } => (mean, sd * sd),
        Family::Gamma { shape, scale } => (shape * scale, shape * scale * scale),
        Family::Weibull { shape, scale } => {
            let g1 = gamma_fn(1.0 + 1.0 / shape);
            let g2 = gamma_fn(1.0 + 2.0 / shape);
            (scale * g1, scale * scale * (g2 - g1 * g1).max(0.0))
        }
        Family::Triangular { min, mode, max } => (
            (min + mode + max) / 3.0,
            (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0,
        ),
        Family::Erlang { k, mean } => (mean, mean * mean / k as f64),
        Family::Empirical { ref weights } => {
            let Sampler::Empirical { values, .. } = sampler else {
                unreachable!("an empirical family always has an empirical sampler")
            };
            let total: f64 = weights.iter().sum();
            let mean = values.iter().zip(weights).map(|(v, w)| v * w).sum::<f64>() / total;
            let var = values.iter().zip(weights).map(|(v, w)| w * (v - mean).powi(2)).sum::<f64>() / total;
            (mean, var)
        }
    }
}

/// Mean and variance of a normal(`mu`, `sd`) truncated to `[0, inf)`, with `a = -mu/sd`,
/// `lambda = phi(a) / (1 - Phi(a))`: mean `mu + sd*lambda`, variance
/// `sd^2 (1 + a*lambda - lambda^2)`.
fn truncated_normal_moments(mu: f64, sd: f64) -> (f64, f64) {
    if sd == 0.0 {
        return (mu, 0.0);
    }
    let a = -mu / sd;
    let tail = 1.0 - std_normal_cdf(a);
    let lambda = std_normal_pdf(a) / tail;
    let var = sd * sd * (1.0 + a * lambda - lambda * lambda);
    (mu + sd * lambda, var.max(0.0))
}

fn std_normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

fn std_normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// The complementary error function, with fractional error below 1.2e-7 everywhere
/// (Chebyshev fit `erfcc` from Numerical Recipes, 2nd ed., section 6.2).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = [
        -1.265_512_23,
        1.000_023_68,
        0.374_091_96,
        0.096_784_18,
        -0.186_288_06,
        0.278_868_07,
        -1.135_203_98,
        1.488_515_87,
        -0.822_152_23,
        0.170_872_77,
    ]
    .iter()
    .rev()
    .fold(0.0, |acc, c| c + t * acc);
    let ans = t * (-z * z + poly).exp();
    if x >= 0.0 { ans } else { 2.0 - ans }
}

/// `ln Gamma(x)` for `x > 0` by the Lanczos approximation (g = 7, 9 terms; relative error about
/// 1e-15), with the reflection formula below 0.5.
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEF: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let sum = COEF[1..].iter().enumerate().fold(COEF[0], |acc, (i, c)| acc + c / (x + (i + 1) as f64));
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// `Gamma(x)` for `x > 0`.
fn gamma_fn(x: f64) -> f64 {
    ln_gamma(x).exp()
}

/// What a family accepts, for validation and messages.
struct Spec {
    name: &'static str,
    takes: &'static [&'static str],
    takes_text: &'static str,
    needs_text: &'static str,
}

const SPECS: &[Spec] = &[
    Spec { name: "constant", takes: &["value"], takes_text: "`value`", needs_text: "`value`" },
    Spec { name: "exponential", takes: &["mean"], takes_text: "`mean`", needs_text: "`mean`" },
    Spec {
        name: "uniform",
        takes: &["min", "max"],
        takes_text: "`min` and `max`",
        needs_text: "`min` and `max`",
    },
    Spec {
        name: "normal",
        takes: &["mean", "sd"],
        takes_text: "`mean` and `sd`",
        needs_text: "`mean` and `sd`",
    },
    Spec {
        name: "lognormal",
        takes: &["mean", "sd"],
        takes_text: "`mean` and `sd`",
        needs_text: "`mean` and `sd`",
    },
    Spec {
        name: "gamma",
        takes: &["shape", "scale", "mean", "sd"],
        takes_text: "`shape` and `scale`, or `mean` and `sd`",
        needs_text: "`shape` and `scale`, or `mean` and `sd`",
    },
    Spec {
        name: "weibull",
        takes: &["shape", "scale"],
        takes_text: "`shape` and `scale`",
        needs_text: "`shape` and `scale`",
    },
    Spec {
        name: "triangular",
        takes: &["min", "mode", "max"],
        takes_text: "`min`, `mode` and `max`",
        needs_text: "`min`, `mode` and `max`",
    },
    Spec {
        name: "erlang",
        takes: &["k", "mean"],
        takes_text: "`k` and `mean`",
        needs_text: "`k` and `mean`",
    },
    Spec {
        name: "empirical",
        takes: &["values", "weights"],
        takes_text: "`values` and `weights`",
        needs_text: "`values` (and optionally `weights`)",
    },
];

fn find_spec(name: &str) -> Result<&'static Spec, DistError> {
    if let Some(spec) = SPECS.iter().find(|s| s.name == name) {
        return Ok(spec);
    }
    let hint = suggest(name).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
    Err(DistError::new(
        "dist",
        format!("unknown distribution `{name}`{hint}; the families are: {}", FAMILIES.join(", ")),
    ))
}

/// The family closest to a misspelt name: one it abbreviates, or the nearest by edit distance
/// if that is small.
fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.trim().to_lowercase();
    if lower.len() >= 3
        && let Some(f) = FAMILIES.iter().find(|f| f.starts_with(&lower))
    {
        return Some(f);
    }
    let (best, dist) = FAMILIES.iter().map(|f| (*f, levenshtein(&lower, f))).min_by_key(|(_, d)| *d)?;
    (dist <= (lower.chars().count() / 3).max(2)).then_some(best)
}

/// Edit distance (insertions, deletions, substitutions) between two strings.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

fn given_fields(raw: &RawDist) -> [(&'static str, bool); 11] {
    [
        ("value", raw.value.is_some()),
        ("mean", raw.mean.is_some()),
        ("sd", raw.sd.is_some()),
        ("min", raw.min.is_some()),
        ("max", raw.max.is_some()),
        ("mode", raw.mode.is_some()),
        ("shape", raw.shape.is_some()),
        ("scale", raw.scale.is_some()),
        ("k", raw.k.is_some()),
        ("values", raw.values.is_some()),
        ("weights", raw.weights.is_some()),
    ]
}

/// Reads a RawDist's parameters for one family, converting units and checking signs.
struct Reader<'a> {
    raw: &'a RawDist,
    unit: UnitKind,
    spec: &'static Spec,
}

impl Reader<'_> {
    fn get(&self, field: &str) -> Option<&Quantity> {
        match field {
            "value" => self.raw.value.as_ref(),
            "mean" => self.raw.mean.as_ref(),
            "sd" => self.raw.sd.as_ref(),
            "min" => self.raw.min.as_ref(),
            "max" => self.raw.max.as_ref(),
            "mode" => self.raw.mode.as_ref(),
            "shape" => self.raw.shape.as_ref(),
            "scale" => self.raw.scale.as_ref(),
            "k" => self.raw.k.as_ref(),
            _ => None,
        }
    }

    fn is_given(&self, field: &str) -> bool {
        given_fields(self.raw).iter().any(|(name, given)| *name == field && *given)
    }

    /// Fails on the first of `fields` that is missing.
    fn require(&self, fields: &[&str]) -> Result<(), DistError> {
        match fields.iter().find(|f| !self.is_given(f)) {
            Some(missing) => Err(DistError::new(
                missing,
                format!("`{}` needs {}; `{missing}` is missing", self.spec.name, self.spec.needs_text),
            )),
            None => Ok(()),
        }
    }

    /// A required parameter measured in the distribution's unit, in base units.
    fn value(&self, field: &str) -> Result<f64, DistError> {
        let q = self.get(field).expect("checked by require");
        convert(field, q, self.unit)
    }

    /// A required dimensionless parameter (a plain number whatever the unit).
    fn plain(&self, field: &str) -> Result<f64, DistError> {
        let q = self.get(field).expect("checked by require");
        match q {
            Quantity::Number(n) => check_number(field, *n),
            Quantity::Text(s) => Err(DistError::new(
                field,
                format!("`{field}` is a plain number without a unit, e.g. 2, not \"{s}\""),
            )),
        }
    }

    fn gamma_params(&self) -> Result<(f64, f64), DistError> {
        let by_shape = self.is_given("shape") || self.is_given("scale");
        let by_moments = self.is_given("mean") || self.is_given("sd");
        if by_shape && by_moments {
            let field = if self.is_given("mean") { "mean" } else { "sd" };
            return Err(DistError::new(
                field,
                "`gamma` takes either `shape` and `scale`, or `mean` and `sd`, not a mix",
            ));
        }
        if by_moments {
            self.require(&["mean", "sd"])?;
            let mean = positive("mean", self.value("mean")?)?;
            let sd = positive("sd", self.value("sd")?)?;
            Ok(((mean / sd).powi(2), sd * sd / mean))
        } else {
            self.require(&["shape", "scale"])?;
            let shape = positive("shape", self.plain("shape")?)?;
            let scale = positive("scale", self.value("scale")?)?;
            Ok((shape, scale))
        }
    }

    fn empirical(&self) -> Result<(Family, Sampler), DistError> {
        self.require(&["values"])?;
        let raw_values = self.raw.values.as_deref().unwrap_or_default();
        if raw_values.is_empty() {
            return Err(DistError::new("values", "`values` must list at least one value"));
        }
        let values = raw_values
            .iter()
            .enumerate()
            .map(|(i, q)| {
                convert("values", q, self.unit)
                    .map_err(|e| DistError { message: format!("item {} of {}", i + 1, e.message), ..e })
            })
            .collect::<Result<Box<[f64]>, DistError>>()?;
        let weights: Box<[f64]> = match &self.raw.weights {
            None => vec![1.0; values.len()].into(),
            Some(w) => {
                if w.len() != values.len() {
                    return Err(DistError::new(
                        "weights",
                        format!(
                            "`weights` has {} entries but `values` has {}: give one weight per value",
                            w.len(),
                            values.len()
                        ),
                    ));
                }
                if let Some((i, x)) = w.iter().enumerate().find(|(_, x)| !(x.is_finite() && **x >= 0.0)) {
                    return Err(DistError::new(
                        "weights",
                        format!("weight {} is {x}: weights must be finite and >= 0", i + 1),
                    ));
                }
                if w.iter().sum::<f64>() <= 0.0 {
                    return Err(DistError::new("weights", "`weights` must not all be 0"));
                }
                w.clone().into()
            }
        };
        let index = WeightedAliasIndex::new(weights.to_vec())
            .map_err(|e| DistError::new("weights", format!("`weights` cannot be used: {e}")))?;
        Ok((Family::Empirical { weights }, Sampler::Empirical { index, values }))
    }
}

/// Converts a parameter measured in the distribution's unit to base units.
fn convert(field: &str, q: &Quantity, unit: UnitKind) -> Result<f64, DistError> {
    match (unit, q) {
        (UnitKind::Duration, Quantity::Text(s)) => {
            units::parse_duration_s(s).map_err(|e| DistError::new(field, format!("`{field}`: {e}")))
        }
        (UnitKind::Duration, Quantity::Number(n)) => Err(DistError::new(
            field,
            format!(
                "`{field}` is a duration: write it with a unit, e.g. \"4m\", not the bare number \
                 {n}; a duration is {}",
                units::DURATION_HELP
            ),
        )),
        (UnitKind::Count, Quantity::Number(n)) => check_number(field, *n),
        (UnitKind::Count, Quantity::Text(s)) => Err(DistError::new(
            field,
            format!("`{field}` is a count: write a plain number, e.g. 3, not the string \"{s}\""),
        )),
    }
}

fn check_number(field: &str, n: f64) -> Result<f64, DistError> {
    if !n.is_finite() {
        Err(DistError::new(field, format!("`{field}` must be a finite number, got {n}")))
    } else if n < 0.0 {
        Err(DistError::new(field, format!("`{field}` must be >= 0, got {n}")))
    } else {
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        toml::from_str::<Wrapper>(&format!("d = {toml_table}"))
            .unwrap_or_else(|e| panic!("{toml_table}: {e}"))
            .d
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
    fn erfc_matches_reference_values() {
        // Reference values to 16 digits (erfc from a high-precision table).
        let cases = [
            (0.0, 1.0),
            (0.5, 0.479_500_122_186_953_5),
            (1.0, 0.157_299_207_050_285_13),
            (2.0, 0.004_677_734_981_047_266),
            (-1.0, 1.842_700_792_949_715),
            (3.0, 2.209_049_699_858_544e-5),
        ];
        for (x, want) in cases {
            assert!(close(erfc(x), want, 1.2e-7), "erfc({x}) = {} vs {want}", erfc(x));
        }
        assert!((std_normal_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-7);
    }

    #[test]
    fn ln_gamma_matches_known_values() {
        let pi = std::f64::consts::PI;
        assert!(close(gamma_fn(5.0), 24.0, 1e-13));
        assert!(close(gamma_fn(1.0), 1.0, 1e-13));
        assert!(close(gamma_fn(0.5), pi.sqrt(), 1e-13));
        assert!(close(gamma_fn(1.5), pi.sqrt() / 2.0, 1e-13));
        assert!(close(gamma_fn(0.1), 9.513_507_698_668_732, 1e-12));
        assert!(close(ln_gamma(100.0), 359.134_205_369_575_4, 1e-13));
        assert!(close(gamma_fn(11.0), 3_628_800.0, 1e-12));
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
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
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
}
