//! The value checker that section validators share: each check records a problem under its key
//! path and returns a usable value, so validation goes on and reports every problem at once.

use chrono::NaiveDate;

use super::Weekdays;
use crate::dist::{Dist, RawDist, UnitKind};
use crate::kernel::Time;
use crate::units;

/// A number as a person would write it: `95`, `0.03`, but `1e308` rather than 309 digits.
pub fn num(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-6) { format!("{x:e}") } else { format!("{x}") }
}

/// The largest amount of money one wage, price or cost may be (a billion).
pub const MAX_MONEY: f64 = 1e9;

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
    /// What was accepted but the user should know, each led by its key (`Scenario::notes`).
    pub notes: Vec<String>,
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
            self.fail(path, format!("{} is not a finite number", num(x)));
            false
        }
    }

    pub fn non_negative(&mut self, path: &str, x: f64) -> f64 {
        if self.finite(path, x) && x < 0.0 {
            self.fail(path, format!("{} is negative: must be >= 0", num(x)));
        }
        x
    }

    /// An amount of money: >= 0 and at most `MAX_MONEY`, so sums over a run stay finite (an
    /// infinite cost would otherwise be reported as an undefined KPI).
    pub fn money(&mut self, path: &str, x: f64) -> f64 {
        if self.finite(path, x) && x < 0.0 {
            self.fail(path, format!("{} is negative: must be >= 0", num(x)));
        } else if x > MAX_MONEY {
            self.fail(
                path,
                format!("{} is beyond the model's limit of {MAX_MONEY:e} for one amount", num(x)),
            );
        }
        x
    }

    pub fn positive(&mut self, path: &str, x: f64) -> f64 {
        if self.finite(path, x) && x <= 0.0 {
            self.fail(path, format!("{} must be > 0", num(x)));
        }
        x
    }

    /// A share in 0..=1; 95 reads as a percentage and gets a suggestion.
    pub fn share(&mut self, path: &str, x: f64) -> f64 {
        if !self.finite(path, x) {
            return x;
        }
        if x < 0.0 {
            self.fail(path, format!("{} is negative: a share must be between 0 and 1", num(x)));
        } else if x > 1.0 {
            let help = if x <= 100.0 {
                format!("shares are fractions: did you mean {}?", x / 100.0)
            } else {
                "shares are fractions between 0 and 1".to_string()
            };
            self.fail_help(path, format!("{} is above 1: a share must be between 0 and 1", num(x)), help);
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

    /// Each name of a list once: a second entry of the same name would shadow or double the first.
    /// `names` gives each entry's name; problems go to `{list}[i]{field}` as "two {what} are named".
    pub fn unique<'a>(&mut self, list: &str, field: &str, what: &str, names: impl Iterator<Item = &'a str>) {
        let names: Vec<&str> = names.collect();
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                self.fail(format!("{list}[{i}]{field}"), format!("two {what} are named `{name}`"));
            }
        }
    }

    /// Records what validation accepted but the user should know.
    pub fn note(&mut self, path: &str, message: impl Into<String>) {
        self.notes.push(format!("`{path}`: {}", message.into()));
    }

    /// A dated window (day indices from the start) wholly outside the `days` simulated changes
    /// nothing in this run (a shorter `--days` or a later start date leaves it out): a note says
    /// so. A window cut by the horizon applies on the days inside it.
    pub fn outside_horizon(
        &mut self,
        path: &str,
        what: &str,
        (from, to): (i64, i64),
        start: NaiveDate,
        days: u32,
    ) {
        if to < 0 || from >= i64::from(days) {
            let end = start + chrono::Days::new(u64::from(days.max(1)) - 1);
            let at = |d: i64| start + chrono::TimeDelta::days(d);
            self.note(
                path,
                format!("{what} {} .. {} lies outside the horizon {start} .. {end}: it changes nothing in this run", at(from), at(to)),
            );
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
