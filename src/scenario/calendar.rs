//! The holiday calendar (`[calendar]`): public holidays from a list and a file, kept as one flag
//! per day that carriers, delivery promises and warehouse shifts consult in constant time.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::files::RawFile;
use super::files::holidays::HolidaysFile;
use super::raw::RawScenario;

/// Days after the horizon whose holidays still count: a promise made near the end of the run
/// (up to 365 business days) may reach them.
pub const TAIL_DAYS: u32 = 2 * 366;

/// `[calendar]`: public holidays.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawCalendar {
    /// Public holidays (ISO dates), e.g. `["2026-12-25", "2026-12-26"]`.
    pub holidays: Vec<String>,
    /// A CSV file of holidays next to the scenario (columns `date`, optional `name`); its dates
    /// add to `holidays`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holidays_file: Option<RawFile>,
}

/// The holidays after validation. Without `[calendar]` no day is a holiday.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    /// Whether day `d` (index from the start date) is a holiday; days beyond the end are not.
    holiday: Vec<bool>,
    /// The holidays inside the horizon: day index and name ("" when none was given), by date.
    named: Vec<(u32, String)>,
}

impl Calendar {
    /// A calendar whose holidays are the days `days` (indices from the start date).
    pub fn with_holidays(days: &[u32]) -> Self {
        let mut c = Self::default();
        for &d in days {
            c.mark(d, String::new(), u32::MAX);
        }
        c
    }

    /// Whether day `day` (index from the start date) is a holiday.
    #[inline]
    pub fn is_holiday(&self, day: u64) -> bool {
        usize::try_from(day).ok().and_then(|d| self.holiday.get(d)).copied().unwrap_or(false)
    }

    /// The holidays inside the horizon: day index and name, by date.
    pub fn in_horizon(&self) -> &[(u32, String)] {
        &self.named
    }

    fn mark(&mut self, day: u32, name: String, horizon: u32) {
        let d = day as usize;
        if self.holiday.len() <= d {
            self.holiday.resize(d + 1, false);
        }
        if day < horizon {
            match self.named.binary_search_by_key(&day, |(d, _)| *d) {
                Ok(i) if self.named[i].1.is_empty() => self.named[i].1 = name,
                Ok(_) => {}
                Err(i) => self.named.insert(i, (day, name)),
            }
        }
        self.holiday[d] = true;
    }
}

/// Validates `[calendar]` (with its file, read by `files`): each listed date must be a date and
/// be listed once. Holidays before the start are ignored, and so are those more than
/// [`TAIL_DAYS`] after the end; a note says so when none falls inside the horizon.
pub(crate) fn validate_calendar(
    c: &mut Checker,
    raw: &RawScenario,
    file: Option<&HolidaysFile>,
    (start, days): (NaiveDate, u32),
    notes: &mut Vec<String>,
) -> Calendar {
    let mut calendar = Calendar::default();
    let Some(rc) = &raw.calendar else {
        if raw.fulfilment.shifts.iter().any(|s| !s.works_holidays) {
            notes.push(
                "fulfilment.shifts: `works_holidays = false` changes nothing without a [calendar] \
                 naming the holidays"
                    .to_string(),
            );
        }
        let support_shifts = raw.support.iter().flat_map(|s| &s.teams).flat_map(|t| &t.shifts);
        if support_shifts.into_iter().any(|s| !s.works_holidays) {
            notes.push(
                "support.teams: `works_holidays = false` changes nothing without a [calendar] \
                 naming the holidays"
                    .to_string(),
            );
        }
        return calendar;
    };
    let mut dates: Vec<(NaiveDate, String)> = Vec::new();
    for (i, text) in rc.holidays.iter().enumerate() {
        let path = format!("calendar.holidays[{i}]");
        let Some(date) = c.date(&path, text) else { continue };
        if let Some(j) = rc.holidays[..i].iter().position(|t| crate::units::parse_date(t) == Ok(date)) {
            c.fail_help(
                path,
                format!("{date} is listed twice (also at calendar.holidays[{j}])"),
                "list each holiday once".to_string(),
            );
            continue;
        }
        dates.push((date, String::new()));
    }
    dates.extend(file.iter().flat_map(|f| f.holidays.iter().cloned()));
    let limit = i64::from(days) + i64::from(TAIL_DAYS);
    for (date, name) in dates.iter().cloned() {
        let d = (date - start).num_days();
        if (0..limit).contains(&d) {
            calendar.mark(d as u32, name, days);
        }
    }
    if !dates.is_empty() && calendar.named.is_empty() {
        let end = start + chrono::Days::new(u64::from(days.max(1)) - 1);
        notes.push(format!(
            "calendar: none of its {} holidays falls in the horizon {start} .. {end}, so no day of \
             the run is a holiday",
            dates.len()
        ));
    }
    calendar
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(list: &[&str]) -> RawScenario {
        let holidays = list.iter().map(|s| s.to_string()).collect();
        RawScenario { calendar: Some(RawCalendar { holidays, holidays_file: None }), ..Default::default() }
    }

    fn start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 20).unwrap()
    }

    #[test]
    fn holidays_become_days_of_the_run_and_the_tail_after_it() {
        let mut c = Checker::default();
        let file = HolidaysFile {
            shown: "h.csv".into(),
            holidays: vec![(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(), "Christmas Day".into())],
        };
        let mut notes = Vec::new();
        let raw = raw(&["2026-12-25", "2027-01-01", "2026-01-01"]);
        let cal = validate_calendar(&mut c, &raw, Some(&file), (start(), 10), &mut notes);
        assert!(c.issues.is_empty(), "{:?}", c.issues);
        assert!(cal.is_holiday(5) && cal.is_holiday(12), "Christmas and New Year (after the run)");
        assert!(!cal.is_holiday(4) && !cal.is_holiday(6) && !cal.is_holiday(u64::MAX));
        assert_eq!(cal.in_horizon(), &[(5, "Christmas Day".to_string())]);
        assert!(notes.is_empty());
    }

    #[test]
    fn a_bad_or_repeated_date_is_an_error_at_its_entry_and_none_inside_is_noted() {
        let mut c = Checker::default();
        let mut notes = Vec::new();
        validate_calendar(
            &mut c,
            &raw(&["2026-12-25", "25.12.2026", "2026-12-25"]),
            None,
            (start(), 3),
            &mut notes,
        );
        let paths: Vec<&str> = c.issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["calendar.holidays[1]", "calendar.holidays[2]"]);
        assert!(c.issues[1].message.contains("listed twice (also at calendar.holidays[0])"));
        assert!(notes[0].contains("none of its 1 holidays falls in the horizon"), "{notes:?}");
    }
}
