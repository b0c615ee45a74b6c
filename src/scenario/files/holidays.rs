//! The holidays file (`calendar.holidays_file`): one row per public holiday, `date` and an optional
//! `name`, so a country's calendar is data the planner keeps, not code.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::table::{Problems, Table};
use crate::error::Problem;

/// The columns a holidays file may have.
const COLUMNS: [&str; 2] = ["date", "name"];

/// A holidays file read.
#[derive(Clone, Debug, PartialEq)]
pub struct HolidaysFile {
    /// The file as named in messages.
    pub shown: String,
    /// Each holiday with its name ("" when the file gives none), in file order.
    pub holidays: Vec<(NaiveDate, String)>,
}

/// Reads the holidays in `bytes` (named `shown` in messages): every bad cell is a problem at its
/// line, column and column name, and so is a date given twice.
pub fn read(shown: &str, bytes: &[u8]) -> Result<HolidaysFile, Vec<Problem>> {
    let mut table = Table::new(shown, bytes).map_err(|p| vec![p])?;
    table.refuse_unknown(&COLUMNS).map_err(|p| vec![p])?;
    let date_col = table.require("date", "the holiday's date, YYYY-MM-DD").map_err(|p| vec![p])?;
    let name_col = table.column("name");
    let mut problems = Problems::default();
    let mut holidays = Vec::new();
    let mut first_line: HashMap<NaiveDate, usize> = HashMap::new();
    while let Some(row) = problems.next_row(&mut table) {
        let Some(date) = problems.take(row.date(date_col)) else { continue };
        if let Some(line) = first_line.get(&date) {
            let p = row.problem(
                date_col,
                format!("{date} is given twice (first on line {line})"),
                Some("give each holiday once".to_string()),
            );
            problems.push(p);
            continue;
        }
        first_line.insert(date, row.line());
        holidays.push((date, name_col.map_or_else(String::new, |c| row.text(c).to_string())));
    }
    problems.or(HolidaysFile { shown: shown.to_string(), holidays })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holidays_are_read_with_their_names() {
        let f = read("h.csv", b"date,name\n2026-12-25,Christmas Day\n2026-12-26,\n").unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(f.holidays, vec![(d(12, 25), "Christmas Day".into()), (d(12, 26), String::new())]);
        assert_eq!(read("h.csv", b"date\n2026-12-25\n").unwrap().holidays.len(), 1);
    }

    #[test]
    fn a_bad_date_and_a_repeated_one_are_located() {
        let p = read("h.csv", b"name,date\nX,2026-13-01\nY,2026-12-25\nZ,2026-12-25\n").unwrap_err();
        assert_eq!((p[0].line, p[0].column, p[0].key.as_str()), (2, 3, "date"));
        assert_eq!(p[1].line, 4);
        assert!(p[1].message.contains("given twice (first on line 3)"), "{}", p[1]);
        let p = read("h.csv", b"date,nmae\n").unwrap_err();
        assert!(p[0].help.as_deref().unwrap().contains("`name`"), "{}", p[0]);
    }
}
