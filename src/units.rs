//! Units at the edges: durations with units (`"90s"`, `"1.5d"`), clock times (`"HH:MM"`),
//! ISO dates and weekdays, parsed from scenario text and formatted for humans. No simulation here.

use chrono::{Datelike, NaiveDate, Weekday};

/// Milliseconds in one second: the kernel's integer time unit is the millisecond.
pub const MS_PER_S: u64 = 1_000;
/// Milliseconds in one minute.
pub const MS_PER_MIN: u64 = 60 * MS_PER_S;
/// Milliseconds in one hour.
pub const MS_PER_HOUR: u64 = 60 * MS_PER_MIN;
/// Milliseconds in one day.
pub const MS_PER_DAY: u64 = 24 * MS_PER_HOUR;

/// The units a duration may be written in, with their length in seconds.
pub const DURATION_UNITS: &[(&str, f64)] =
    &[("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3_600.0), ("d", 86_400.0), ("w", 604_800.0)];

/// What a duration must look like, for error messages.
pub const DURATION_HELP: &str =
    "a number followed by a unit (ms, s, m, h, d, w), e.g. \"90s\", \"4m\", \"2h\", \"1.5d\"";

/// Parses a non-negative duration such as `"90s"` or `"1.5d"` into seconds.
pub fn parse_duration_s(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit_len = DURATION_UNITS.iter().find(|(u, _)| *u == unit).map(|(_, s)| *s);
    let (Some(unit_s), Ok(value)) = (unit_len, number.parse::<f64>()) else {
        return Err(format!("`{text}` is not a duration: expected {DURATION_HELP}"));
    };
    if !value.is_finite() {
        return Err(format!("`{text}` is not a finite duration"));
    }
    if value < 0.0 {
        return Err(format!("`{text}` is negative: durations must be >= 0"));
    }
    let seconds = value * unit_s;
    // A horizon of 100 years is far beyond any scenario and keeps milliseconds well inside u64.
    if seconds > 100.0 * 365.0 * 86_400.0 {
        return Err(format!("`{text}` is too long: durations must be at most 100 years"));
    }
    Ok(seconds)
}

/// Converts seconds to the kernel's integer milliseconds, rounding to the nearest.
#[inline]
pub fn seconds_to_ms(seconds: f64) -> u64 {
    round_nonneg(seconds * MS_PER_S as f64)
}

/// `x.round().max(0.0) as u64`, exactly (halves away from zero, negatives and NaN to 0,
/// saturating), in a few instructions: `f64::round` is a library call on the x86-64 baseline,
/// which has no rounding instruction, and the simulation rounds every duration it draws.
#[inline]
pub fn round_nonneg(x: f64) -> u64 {
    // From 2^52 up every f64 is a whole number (and a cast saturates).
    if x >= 4_503_599_627_370_496.0 {
        return x as u64;
    }
    // Truncation is exact, and so is the fraction it leaves (negatives and NaN cast to 0, and
    // their fraction is negative or NaN, never at least a half).
    let whole = x as u64;
    whole + u64::from(x - whole as f64 >= 0.5)
}

/// Parses a clock time `"HH:MM"` (00:00 to 24:00) into minutes after midnight.
pub fn parse_clock_min(text: &str) -> Result<u32, String> {
    let bad = || format!("`{text}` is not a clock time: expected \"HH:MM\" from 00:00 to 24:00");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Parses an ISO date `YYYY-MM-DD`, rejecting dates that do not exist.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date: expected an existing date as YYYY-MM-DD"))
}

/// The weekday names a scenario may use, Monday first.
pub const WEEKDAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Parses a weekday name (`"mon"` .. `"sun"`) into its index, Monday = 0.
pub fn parse_weekday(text: &str) -> Result<usize, String> {
    let lower = text.trim().to_ascii_lowercase();
    WEEKDAY_NAMES
        .iter()
        .position(|d| lower.starts_with(d) && (lower.len() == 3 || full_name(d) == lower))
        .ok_or_else(|| format!("`{text}` is not a weekday: expected one of {WEEKDAY_NAMES:?}"))
}

fn full_name(short: &str) -> &'static str {
    match short {
        "mon" => "monday",
        "tue" => "tuesday",
        "wed" => "wednesday",
        "thu" => "thursday",
        "fri" => "friday",
        "sat" => "saturday",
        _ => "sunday",
    }
}

/// The weekday index (Monday = 0) of a date.
pub fn weekday_index(date: NaiveDate) -> usize {
    match date.weekday() {
        Weekday::Mon => 0,
        Weekday::Tue => 1,
        Weekday::Wed => 2,
        Weekday::Thu => 3,
        Weekday::Fri => 4,
        Weekday::Sat => 5,
        Weekday::Sun => 6,
    }
}

/// Formats seconds for people: `850ms`, `42s`, `4m 12s`, `2h 05m`, `1d 03h`.
pub fn format_duration_human(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "-".to_string();
    }
    let s = seconds.max(0.0);
    if s < 1.0 {
        format!("{:.0}ms", s * 1000.0)
    } else if s < 60.0 {
        format!("{s:.1}s")
    } else if s < 3_600.0 {
        let m = (s / 60.0).floor();
        format!("{m:.0}m {:02.0}s", (s - m * 60.0).floor())
    } else if s < 86_400.0 {
        let h = (s / 3_600.0).floor();
        format!("{h:.0}h {:02.0}m", ((s - h * 3_600.0) / 60.0).floor())
    } else {
        let d = (s / 86_400.0).floor();
        format!("{d:.0}d {:02.0}h", ((s - d * 86_400.0) / 3_600.0).floor())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_matches_the_library_round_exactly() {
        let reference = |x: f64| x.round().max(0.0) as u64;
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            -0.5,
            -0.49,
            -7.5,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9_007_199_254_740_993.0,
            1e30,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
        ];
        // Every half and its neighbours over a wide range, and a spread of ordinary values.
        let mut k: f64 = 0.5;
        while k < 1e16 {
            values.extend([k, f64::from_bits(k.to_bits() - 1), f64::from_bits(k.to_bits() + 1)]);
            k = k * 3.0 + 0.5;
        }
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..100_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            values.push((x >> 11) as f64 / (1u64 << 53) as f64 * 1e7 - 1e3);
        }
        for v in values {
            assert_eq!(round_nonneg(v), reference(v), "{v:e}");
        }
    }

    #[test]
    fn durations_parse_with_every_unit() {
        assert_eq!(parse_duration_s("90s").unwrap(), 90.0);
        assert_eq!(parse_duration_s("4m").unwrap(), 240.0);
        assert_eq!(parse_duration_s("2h").unwrap(), 7_200.0);
        assert_eq!(parse_duration_s("1.5d").unwrap(), 129_600.0);
        assert_eq!(parse_duration_s("250ms").unwrap(), 0.25);
        assert_eq!(parse_duration_s("1w").unwrap(), 604_800.0);
    }

    #[test]
    fn durations_without_units_or_negative_are_refused() {
        assert!(parse_duration_s("5 minutes").is_err());
        assert!(parse_duration_s("5").is_err());
        assert!(parse_duration_s("-5m").is_err());
        assert!(parse_duration_s("").is_err());
        assert!(parse_duration_s("1e400s").is_err());
        assert!(parse_duration_s("200000000d").is_err());
    }

    #[test]
    fn clock_times_are_checked() {
        assert_eq!(parse_clock_min("06:30").unwrap(), 390);
        assert_eq!(parse_clock_min("24:00").unwrap(), 1_440);
        assert!(parse_clock_min("25:00").is_err());
        assert!(parse_clock_min("24:01").is_err());
        assert!(parse_clock_min("6:30").is_err());
        assert!(parse_clock_min("12:60").is_err());
    }

    #[test]
    fn dates_that_do_not_exist_are_refused() {
        assert!(parse_date("2026-11-27").is_ok());
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("27/11/2026").is_err());
        assert_eq!(weekday_index(parse_date("2026-11-27").unwrap()), 4);
    }

    #[test]
    fn weekdays_parse_short_and_long() {
        assert_eq!(parse_weekday("mon").unwrap(), 0);
        assert_eq!(parse_weekday("Sunday").unwrap(), 6);
        assert!(parse_weekday("mo").is_err());
        assert!(parse_weekday("monkey").is_err());
    }

    #[test]
    fn human_durations_read_well() {
        assert_eq!(format_duration_human(252.0), "4m 12s");
        assert_eq!(format_duration_human(7_500.0), "2h 05m");
        assert_eq!(format_duration_human(0.85), "850ms");
    }
}
