//! Probability distributions as written in scenario tables: parsed, validated into base units
//! (seconds for durations) and sampled with `rand_distr`. No I/O and no simulation state here.

use std::fmt;

use rand::Rng;
use rand_distr::weighted::WeightedAliasIndex;
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Normal, Triangular, Uniform, Weibull};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use moments::{lognormal_log_params, moments};
use parse::{Reader, find_spec, given_fields};

mod moments;
mod parse;
#[cfg(test)]
mod tests;

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
