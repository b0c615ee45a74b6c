//! Reading a scenario's distribution table: which parameters each family takes and needs, unit
//! conversion, and the messages that name the parameter at fault.

use rand_distr::weighted::WeightedAliasIndex;

use super::{DistError, FAMILIES, Family, Quantity, RawDist, Sampler, UnitKind, positive};
use crate::suggest::closest;
use crate::units;

/// What a family accepts, for validation and messages.
pub(super) struct Spec {
    pub(super) name: &'static str,
    pub(super) takes: &'static [&'static str],
    pub(super) takes_text: &'static str,
    pub(super) needs_text: &'static str,
}

pub(super) const SPECS: &[Spec] = &[
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

pub(super) fn find_spec(name: &str) -> Result<&'static Spec, DistError> {
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
/// ([`crate::suggest::closest`]). Nothing shorter than three letters is taken for a family.
fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.trim().to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    FAMILIES.iter().find(|f| f.starts_with(&lower)).copied().or_else(|| closest(&lower, FAMILIES))
}

pub(super) fn given_fields(raw: &RawDist) -> [(&'static str, bool); 11] {
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
pub(super) struct Reader<'a> {
    pub(super) raw: &'a RawDist,
    pub(super) unit: UnitKind,
    pub(super) spec: &'static Spec,
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
    pub(super) fn require(&self, fields: &[&str]) -> Result<(), DistError> {
        match fields.iter().find(|f| !self.is_given(f)) {
            Some(missing) => Err(DistError::new(
                missing,
                format!("`{}` needs {}; `{missing}` is missing", self.spec.name, self.spec.needs_text),
            )),
            None => Ok(()),
        }
    }

    /// A required parameter measured in the distribution's unit, in base units.
    pub(super) fn value(&self, field: &str) -> Result<f64, DistError> {
        let q = self.get(field).expect("checked by require");
        convert(field, q, self.unit)
    }

    /// A required dimensionless parameter (a plain number whatever the unit).
    pub(super) fn plain(&self, field: &str) -> Result<f64, DistError> {
        let q = self.get(field).expect("checked by require");
        match q {
            Quantity::Number(n) => check_number(field, *n),
            Quantity::Text(s) => Err(DistError::new(
                field,
                format!("`{field}` is a plain number without a unit, e.g. 2, not \"{s}\""),
            )),
        }
    }

    pub(super) fn gamma_params(&self) -> Result<(f64, f64), DistError> {
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

    pub(super) fn empirical(&self) -> Result<(Family, Sampler), DistError> {
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
