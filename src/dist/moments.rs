//! The theoretical mean and variance of each distribution family, and the special functions
//! they need (the normal CDF, the gamma function). Pure arithmetic.

use statrs::function::erf::erfc;
use statrs::function::gamma::gamma;

use super::{Family, Sampler};

/// The mean and sd of the logarithm of a lognormal value with the given mean and sd.
pub(super) fn lognormal_log_params(mean: f64, sd: f64) -> (f64, f64) {
    let cv = sd / mean;
    let sigma2 = cv.mul_add(cv, 1.0).ln();
    (mean.ln() - sigma2 / 2.0, sigma2.sqrt())
}

pub(super) fn moments(family: &Family, sampler: &Sampler) -> (f64, f64) {
    match *family {
        Family::Constant { value } => (value, 0.0),
        Family::Exponential { mean } => (mean, mean * mean),
        Family::Uniform { min, max } => ((min + max) / 2.0, (max - min).powi(2) / 12.0),
        Family::Normal { mean, sd } => truncated_normal_moments(mean, sd),
        Family::LogNormal { mean, sd } => (mean, sd * sd),
        Family::Gamma { shape, scale } => (shape * scale, shape * scale * scale),
        Family::Weibull { shape, scale } => {
            let g1 = gamma(1.0 + 1.0 / shape);
            let g2 = gamma(1.0 + 2.0 / shape);
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
pub(super) fn truncated_normal_moments(mu: f64, sd: f64) -> (f64, f64) {
    if sd == 0.0 {
        return (mu, 0.0);
    }
    let a = -mu / sd;
    let tail = 1.0 - std_normal_cdf(a);
    let lambda = std_normal_pdf(a) / tail;
    let var = sd * sd * (1.0 + a * lambda - lambda * lambda);
    (mu + sd * lambda, var.max(0.0))
}

pub(super) fn std_normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

pub(super) fn std_normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}
