//! The value checker that section validators share: each check records a problem under its key
//! path and returns a usable value, so validation goes on and reports every problem at once.

use chrono::NaiveDate;

use super::Weekdays;
use crate::dist::{Dist, RawDist, UnitKind};
use crate::kernel::Time;
use crate::units;

/// A problem before it is located in the text: key path, message, suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub path: String,
    pub message: String,
    pub help: Option<String>,
}

/// Collects problems while checking values.
#[derive(Default)]
pub struct Checker {
    pub issues: Vec<Issue>,
}

impl Checker {
    pub fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue { path: path.into(), message: message.into(), help: None });
    }

    pub fn fail_help(&mut self, path: impl Into<String>, message: impl Into<String>, help: String) {
        self.issues.push(Issue { path: path.into(), message: message.into(), help: Some(help) });
    }

    pub fn finite(&mut self, path: &str, x: f64) -> bool {
        if x.is_finite() {
            true
        } else {
            self.fail(path, format!("{x} is not a finite number"));
            false
        }
    }

    pub fn non_negative(&mut self, path: &str, x: f64) -> f64 {
        if self.finite(path, x) && x < 0.0 {
            self.fail(path, format!("{x} is negative: must be >= 0"));
        }
        x
    }

    pub fn positive(&mut self, path: &str, x: f64) -> f64 {
        if self.finite(path, x) && x <= 0.0 {
            self.fail(path, format!("{x} must be > 0"));
        }
        x
    }

    /// A share in 0..=1; 95 reads as a percentage and gets a suggestion.
    pub fn share(&mut self, path: &str, x: f64) -> f64 {
        if !self.finite(path, x) {
            return x;
        }
        if x < 0.0 {
            self.fail(path, format!("{x} is negative: a share must be between 0 and 1"));
        } else if x > 1.0 {
            let help = if x <= 100.0 {
                format!("shares are fractions: did you mean {}?", x / 100.0)
            } else {
                "shares are fractions between 0 and 1".to_string()
            };
            self.fail_help(path, format!("{x} is above 1: a share must be between 0 and 1"), help);
        }
        x
    }

    pub fn duration_ms(&mut self, path: &str, text: &str) -> Time {
        match units::parse_duration_s(text) {
            Ok(s) => units::seconds_to_ms(s),
            Err(e) => {
                self.fail_help(path, e, format!("write {}", units::DURATION_HELP));
                0
            }
        }
    }

    pub fn clock(&mut self, path: &str, text: &str) -> u32 {
        units::parse_clock_min(text).unwrap_or_else(|e| {
            self.fail(path, e);
            0
        })
    }

    pub fn date(&mut self, path: &str, text: &str) -> Option<NaiveDate> {
        if text.trim().is_empty() {
            self.fail(path, "a date is needed here (ISO, YYYY-MM-DD)");
            return None;
        }
        match units::parse_date(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.fail(path, e);
                None
            }
        }
    }

    pub fn weekdays(&mut self, path: &str, names: &[String]) -> Weekdays {
        let mut mask = [false; 7];
        for (i, n) in names.iter().enumerate() {
            match units::parse_weekday(n) {
                Ok(d) => mask[d] = true,
                Err(e) => self.fail(format!("{path}[{i}]"), e),
            }
        }
        mask
    }

    pub fn dist(&mut self, path: &str, raw: &RawDist, unit: UnitKind) -> Dist {
        match Dist::from_raw(raw, unit) {
            Ok(d) => d,
            Err(e) => {
                let p = if e.field.is_empty() { path.to_string() } else { format!("{path}.{}", e.field) };
                self.fail(p, e.message);
                Dist::constant(1.0)
            }
        }
    }

    /// Shares of a list must sum to 1 (within rounding).
    pub fn sums_to_one(&mut self, path: &str, shares: impl Iterator<Item = f64>) {
        let total: f64 = shares.sum();
        if total.is_finite() && (total - 1.0).abs() > 1e-6 {
            self.fail_help(
                path,
                // Rounded, so 0.7 + 0.2 reads as 0.9 rather than 0.8999999999999999.
                format!("shares sum to {}, not 1", (total * 1e9).round() / 1e9),
                "make the `share` values of the entries add up to 1".to_string(),
            );
        }
    }
}
