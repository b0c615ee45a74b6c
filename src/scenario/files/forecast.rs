//! The demand forecast file (`demand.forecast`): `date,orders` rows, or `date,hour,orders` for an
//! hourly forecast, read onto the run's days; rows dated outside them are checked and counted.

use chrono::NaiveDate;

use super::table::{Col, Problems, Row, Table};
use crate::error::Problem;
use crate::scenario::raw::RawRun;
use crate::scenario::validate::{MAX_DAYS, MAX_ORDERS_PER_DAY};

/// The columns a forecast may have.
const COLUMNS: [&str; 3] = ["date", "hour", "orders"];

/// The days a forecast is read onto: the run's horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First day.
    pub start: NaiveDate,
    /// Days.
    pub days: u32,
}

impl Window {
    /// The horizon `run` states, when its start date is a date (else validation reports it, and
    /// the forecast's cells are checked without being kept).
    pub fn of(run: &RawRun) -> Option<Self> {
        let start = crate::units::parse_date(&run.start_date).ok()?;
        Some(Self { start, days: run.days.min(MAX_DAYS) })
    }

    /// Day index of `date`, when inside.
    fn day(&self, date: NaiveDate) -> Option<usize> {
        let d = (date - self.start).num_days();
        (0..i64::from(self.days)).contains(&d).then_some(d as usize)
    }
}

/// A forecast file read onto a window.
#[derive(Clone, Debug, PartialEq)]
pub struct ForecastFile {
    /// The file as named in messages.
    pub shown: String,
    /// Whether the rows give hours.
    pub hourly: bool,
    /// Expected orders of each slot of the window: one slot a day, or 24 (hour `h` of day `d` at
    /// `d * 24 + h`); `None` where no row gave it.
    pub slots: Vec<Option<f64>>,
    /// Rows dated outside the window (ignored).
    pub outside: usize,
}

/// Reads the forecast in `bytes` (named `shown` in messages) onto `window`. Every bad cell is a
/// problem at its line, column and column name; so is a date (or date and hour) given twice, and
/// a row with an hour in a daily forecast or without one in an hourly forecast.
pub fn read(shown: &str, bytes: &[u8], window: Option<Window>) -> Result<ForecastFile, Vec<Problem>> {
    let mut table = Table::new(shown, bytes).map_err(|p| vec![p])?;
    table.refuse_unknown(&COLUMNS).map_err(|p| vec![p])?;
    let date_col = table.require("date", "the day forecast, YYYY-MM-DD").map_err(|p| vec![p])?;
    let orders_col =
        table.require("orders", "the expected orders of the day or hour").map_err(|p| vec![p])?;
    let cols = Cols { date: date_col, orders: orders_col, hour: table.column("hour") };
    let mut problems = Problems::default();
    let mut grid = Grid { window, first: None, slots: Vec::new(), lines: Vec::new(), outside: 0 };
    while let Some(row) = problems.next_row(&mut table) {
        if let Err(p) = grid.add(&row, cols) {
            problems.push(p);
        }
    }
    let hourly = grid.first.is_some_and(|(hourly, _)| hourly);
    if grid.slots.is_empty()
        && let Some(w) = window
    {
        grid.slots = vec![None; w.days as usize * if hourly { 24 } else { 1 }];
    }
    problems.or(ForecastFile { shown: shown.to_string(), hourly, slots: grid.slots, outside: grid.outside })
}

#[derive(Clone, Copy)]
struct Cols {
    date: Col,
    orders: Col,
    hour: Option<Col>,
}

/// The forecast being read.
struct Grid {
    window: Option<Window>,
    /// Whether the first good row had an hour, and its line.
    first: Option<(bool, usize)>,
    slots: Vec<Option<f64>>,
    /// Line of the row that gave each slot (0: none yet).
    lines: Vec<u32>,
    outside: usize,
}

impl Grid {
    /// Checks one row and puts its orders in their slot; the first problem of the row is returned
    /// (a row's cells are independent, but one message a row is easier to act on).
    fn add(&mut self, row: &Row<'_>, cols: Cols) -> Result<(), Problem> {
        let date = row.date(cols.date)?;
        let hour = match cols.hour {
            Some(c) if !row.is_empty(c) => Some(row.parse(c, parse_hour)?),
            _ => None,
        };
        let orders = row.parse(cols.orders, parse_orders)?;
        let (hourly, first_line) = *self.first.get_or_insert((hour.is_some(), row.line()));
        if hourly != hour.is_some() {
            let col = cols.hour.unwrap_or(cols.date);
            let message = if hourly {
                format!("this row has no hour, but the forecast is hourly (line {first_line} has one)")
            } else {
                format!("this row has an hour, but the forecast is daily (line {first_line} has none)")
            };
            let help = "a forecast is either daily (no row has an hour) or hourly (every row has its \
                        hour, 0 .. 23)";
            return Err(row.problem(col, message, Some(help.to_string())));
        }
        let Some(window) = self.window else { return Ok(()) };
        let Some(day) = window.day(date) else {
            self.outside += 1;
            return Ok(());
        };
        let per_day = if hourly { 24 } else { 1 };
        if self.slots.is_empty() {
            self.slots = vec![None; window.days as usize * per_day];
            self.lines = vec![0; self.slots.len()];
        }
        let slot = day * per_day + usize::from(hour.unwrap_or(0));
        if self.lines[slot] != 0 {
            let what = match hour {
                Some(h) => format!("{date} hour {h}"),
                None => date.to_string(),
            };
            let help = if hourly { "give each date and hour once" } else { "give each date once" };
            return Err(row.problem(
                cols.date,
                format!("{what} is given twice (first on line {})", self.lines[slot]),
                Some(help.to_string()),
            ));
        }
        self.lines[slot] = u32::try_from(row.line()).unwrap_or(u32::MAX);
        self.slots[slot] = Some(orders);
        Ok(())
    }
}

/// An hour of the day, 0 .. 23.
fn parse_hour(text: &str) -> Result<u8, String> {
    let h = super::table::parse_count(text)?;
    if h > 23 {
        return Err(format!("hour {h} is not an hour of the day: expected a whole number 0 .. 23"));
    }
    Ok(h as u8)
}

/// Expected orders: a number >= 0 (fractions allowed: an expectation), within the model's limit.
fn parse_orders(text: &str) -> Result<f64, String> {
    let x = super::table::parse_non_negative(text)?;
    if x > MAX_ORDERS_PER_DAY {
        return Err(format!(
            "{text} orders is beyond the model's limit of {} orders a day",
            crate::scenario::check::num(MAX_ORDERS_PER_DAY)
        ));
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(days: u32) -> Option<Window> {
        Some(Window { start: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), days })
    }

    #[test]
    fn a_daily_forecast_fills_one_slot_a_day_and_counts_rows_outside() {
        let text = "date,orders\n2026-10-31,5\n2026-11-01,100.5\n2026-11-02,0\n2026-11-05,7\n";
        let f = read("f.csv", text.as_bytes(), window(3)).unwrap();
        assert!(!f.hourly);
        assert_eq!(f.slots, vec![Some(100.5), Some(0.0), None]);
        assert_eq!(f.outside, 2);
    }

    #[test]
    fn an_hourly_forecast_fills_24_slots_a_day() {
        let text = "Date,Hour,Orders\n2026-11-02,23,4\n2026-11-01,0,3\n";
        let f = read("f.csv", text.as_bytes(), window(2)).unwrap();
        assert!(f.hourly);
        assert_eq!(f.slots.len(), 48);
        assert_eq!((f.slots[0], f.slots[47], f.slots[1]), (Some(3.0), Some(4.0), None));
    }

    #[test]
    fn a_date_given_twice_is_refused_at_the_second_row() {
        let text = "date,orders\n2026-11-01,1\n2026-11-01,2\n";
        let p = read("f.csv", text.as_bytes(), window(3)).unwrap_err();
        assert_eq!((p[0].line, p[0].column, p[0].key.as_str()), (3, 1, "date"));
        assert!(p[0].message.contains("given twice (first on line 2)"), "{}", p[0]);
        let text = "date,hour,orders\n2026-11-01,5,1\n2026-11-01,5,2\n";
        let p = read("f.csv", text.as_bytes(), window(3)).unwrap_err();
        assert!(p[0].message.starts_with("2026-11-01 hour 5 is given twice"), "{}", p[0]);
    }

    #[test]
    fn mixed_rows_bad_hours_and_huge_orders_are_refused() {
        let text = "date,hour,orders\n2026-11-01,5,1\n2026-11-02,,2\n2026-11-03,24,1\n2026-11-04,1,6e7\n";
        let p = read("f.csv", text.as_bytes(), window(9)).unwrap_err();
        assert_eq!(p.len(), 3);
        assert!(p[0].message.contains("no hour, but the forecast is hourly (line 2"), "{}", p[0]);
        assert_eq!((p[1].line, p[1].column, p[1].key.as_str()), (4, 12, "hour"));
        assert_eq!(p[2].key, "orders");
        assert!(p[2].message.contains("beyond the model's limit"), "{}", p[2]);
    }

    #[test]
    fn unknown_columns_and_missing_ones_are_named() {
        let p = read("f.csv", b"date,ordres\n", window(1)).unwrap_err();
        assert!(p[0].help.as_deref().unwrap().contains("`orders`"), "{}", p[0]);
        let p = read("f.csv", b"date\n", window(1)).unwrap_err();
        assert!(p[0].message.contains("no column `orders`"), "{}", p[0]);
    }

    #[test]
    fn without_a_window_cells_are_still_checked() {
        assert!(read("f.csv", b"date,orders\n2026-11-01,x\n", None).is_err());
        let f = read("f.csv", b"date,orders\n2026-11-01,1\n", None).unwrap();
        assert!(f.slots.is_empty());
    }
}
