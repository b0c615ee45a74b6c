//! The theoretical mean and variance of each distribution family, and the special functions
//! they need (the normal CDF, the gamma function). Pure arithmetic.

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

/// The complementary error function, with fractional error below 1.2e-7 everywhere
/// (Chebyshev fit `erfcc` from Numerical Recipes, 2nd ed., section 6.2).
pub(super) fn erfc(x: f64) -> f64 {
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
pub(super) fn ln_gamma(x: f64) -> f64 {
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
pub(super) fn gamma_fn(x: f64) -> f64 {
    ln_gamma(x).exp()
}
