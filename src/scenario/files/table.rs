//! A CSV table read row by row, with every problem located as `file:line:column` and named by its
//! column: the header is checked first (required columns, duplicates, a file that is not CSV at
//! all), then each cell is parsed by the kind of file that reads it.

use std::io::Read;

use chrono::{NaiveDate, NaiveDateTime};
use csv::{ReaderBuilder, StringRecord};

use crate::error::Problem;
use crate::units;

/// Problems a file reports before reading stops: enough to fix a column at once, few enough to read.
pub const MAX_PROBLEMS: usize = 10;

/// Longest line a planner file may have: a row of a catalogue or history is a few hundred bytes,
/// so a longer line is not CSV (and reading it whole would grow memory with the file).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// A CSV file being read: its header, then one record at a time (memory stays one row).
pub struct Table<R> {
    file: String,
    reader: csv::Reader<LineLimit<R>>,
    /// Column names as written.
    header: Vec<String>,
    record: StringRecord,
}

/// One row of a [`Table`].
pub struct Row<'t> {
    file: &'t str,
    header: &'t [String],
    record: &'t StringRecord,
}

/// A column's place in the header.
pub type Col = usize;

impl<R: Read> Table<R> {
    /// Reads the header of `input`; `file` names it in messages.
    pub fn new(file: &str, input: R) -> Result<Self, Problem> {
        // Cells are trimmed as they are read (`Row::text`), not by the reader: its trimming
        // allocates a new record for every row.
        let input = LineLimit { inner: input, since_newline: 0 };
        let mut reader = ReaderBuilder::new().has_headers(true).from_reader(input);
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|name| name.trim().to_string()).collect(),
            Err(e) => return Err(csv_problem(file, &e)),
        };
        if header.iter().all(String::is_empty) {
            return Err(whole(
                file,
                "is empty: a CSV file starts with a header row naming its columns".into(),
                None,
            ));
        }
        if let Some(first) = header.first()
            && (first.contains('\0') || first.starts_with("PK\u{3}\u{4}"))
        {
            let help = "save it from the spreadsheet as CSV (comma-separated values)".to_string();
            return Err(whole(
                file,
                "is not a CSV text file (it looks like a binary file or a workbook)".into(),
                Some(help),
            ));
        }
        for (i, name) in header.iter().enumerate() {
            if let Some(j) = header[..i].iter().position(|h| h.eq_ignore_ascii_case(name)) {
                return Err(Problem {
                    file: file.to_string(),
                    line: 1,
                    column: column_of(&header, i),
                    key: name.clone(),
                    message: format!("column `{name}` appears twice (columns {} and {})", j + 1, i + 1),
                    help: Some("give each column once".to_string()),
                });
            }
        }
        Ok(Self { file: file.to_string(), reader, header, record: StringRecord::new() })
    }

    /// The file as named in messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The column named `name` (case does not matter), if the header has it.
    pub fn column(&self, name: &str) -> Option<Col> {
        self.header.iter().position(|h| h.eq_ignore_ascii_case(name))
    }

    /// The column named `name`, which must be there; `what` says what it holds.
    pub fn require(&self, name: &str, what: &str) -> Result<Col, Problem> {
        self.require_any(&[name], what)
    }

    /// The first column of `names` (the first is the name to use), which must be there.
    pub fn require_any(&self, names: &[&str], what: &str) -> Result<Col, Problem> {
        if let Some(c) = names.iter().find_map(|n| self.column(n)) {
            return Ok(c);
        }
        let found: Vec<&str> = self.header.iter().map(String::as_str).collect();
        let help = if found.len() == 1 && found[0].contains(';') {
            "the columns seem separated by `;`: o2d reads comma-separated files".to_string()
        } else if let Some(close) = crate::suggest::closest(names[0], &found) {
            format!("did you mean `{close}`? (the column must be named `{}`)", names[0])
        } else {
            format!("the header has: {}", found.join(", "))
        };
        Err(Problem {
            file: self.file.clone(),
            line: 1,
            column: 1,
            key: names[0].to_string(),
            message: format!("no column `{}` ({what})", names[0]),
            help: Some(help),
        })
    }

    /// Refuses a column whose name is not among `known`: a misspelt optional column would
    /// otherwise be ignored without a word.
    pub fn refuse_unknown(&self, known: &[&str]) -> Result<(), Problem> {
        for (i, name) in self.header.iter().enumerate() {
            if !known.iter().any(|k| k.eq_ignore_ascii_case(name)) {
                let help = match crate::suggest::closest(name, known) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("columns this file may have: {}", known.join(", ")),
                };
                return Err(self.header_problem(i, format!("unknown column `{name}`"), Some(help)));
            }
        }
        Ok(())
    }

    /// A problem with the header cell of column `col` (line 1): a column that conflicts with
    /// another, or a file with nothing below its header.
    pub fn header_problem(&self, col: Col, message: String, help: Option<String>) -> Problem {
        Problem {
            file: self.file.clone(),
            line: 1,
            column: column_of(&self.header, col),
            key: self.header.get(col).cloned().unwrap_or_default(),
            message,
            help,
        }
    }

    /// The next row, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, Problem> {
        Ok(if self.advance()? { Some(self.row()) } else { None })
    }

    /// Reads the next record; false at the end of the file.
    fn advance(&mut self) -> Result<bool, Problem> {
        self.reader.read_record(&mut self.record).map_err(|e| csv_problem(&self.file, &e))
    }

    /// The record read last.
    fn row(&self) -> Row<'_> {
        Row { file: &self.file, header: &self.header, record: &self.record }
    }

    /// The input underneath: what the table has not buffered yet is still to be read from it.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.reader.get_mut().inner
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }
}

impl Row<'_> {
    /// The line the row starts on (1-based; the header is line 1).
    pub fn line(&self) -> usize {
        self.record.position().map_or(0, |p| p.line() as usize)
    }

    /// The name of column `col` as the header writes it.
    pub fn name(&self, col: Col) -> &str {
        self.header.get(col).map_or("", String::as_str)
    }

    /// The cell in column `col`, trimmed ("" when the row is short).
    pub fn text(&self, col: Col) -> &str {
        self.record.get(col).map_or("", str::trim)
    }

    /// A problem with the cell in column `col`.
    pub fn problem(&self, col: Col, message: String, help: Option<String>) -> Problem {
        Problem {
            file: self.file.to_string(),
            line: self.line(),
            column: self.column(col),
            key: self.header.get(col).cloned().unwrap_or_default(),
            message,
            help,
        }
    }

    /// 1-based character column where cell `col` starts (exact for unquoted cells).
    fn column(&self, col: Col) -> usize {
        1 + (0..col).map(|i| self.record.get(i).map_or(0, |c| c.chars().count()) + 1).sum::<usize>()
    }

    /// The cell in column `col` parsed by `parse`, whose error says what was expected.
    pub fn parse<T>(&self, col: Col, parse: impl FnOnce(&str) -> Result<T, String>) -> Result<T, Problem> {
        let text = self.text(col);
        parse(text).map_err(|why| self.problem(col, why, None))
    }

    /// An ISO date (`2026-12-24`).
    pub fn date(&self, col: Col) -> Result<NaiveDate, Problem> {
        self.parse(col, parse_date)
    }

    /// A number >= 0.
    pub fn non_negative(&self, col: Col) -> Result<f64, Problem> {
        self.parse(col, parse_non_negative)
    }

    /// A whole number >= 0.
    pub fn count(&self, col: Col) -> Result<u64, Problem> {
        self.parse(col, parse_count)
    }

    /// A clock time (`08:30`, `24:00`), in minutes after midnight.
    pub fn clock(&self, col: Col) -> Result<u32, Problem> {
        self.parse(col, |t| {
            if t.is_empty() { Err(empty("a clock time such as 08:30")) } else { units::parse_clock_min(t) }
        })
    }

    /// A date and time (`2026-11-27T10:15:00`, `2026-11-27 10:15`, fractions of a second allowed).
    pub fn date_time(&self, col: Col) -> Result<NaiveDateTime, Problem> {
        self.parse(col, parse_date_time)
    }

    /// Whether the cell in column `col` is empty (an optional value left out).
    pub fn is_empty(&self, col: Col) -> bool {
        self.text(col).is_empty()
    }
}

/// A reader that fails once a line runs past [`MAX_LINE_BYTES`], so one endless "row" cannot
/// grow memory.
pub struct LineLimit<R> {
    inner: R,
    since_newline: usize,
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            self.since_newline = if b == b'\n' { 0 } else { self.since_newline + 1 };
            if self.since_newline > MAX_LINE_BYTES {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("a line longer than {MAX_LINE_BYTES} bytes: not a CSV table"),
                ));
            }
        }
        Ok(n)
    }
}

fn empty(what: &str) -> String {
    format!("the cell is empty: expected {what}")
}

/// An ISO date.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    if text.is_empty() {
        return Err(empty("a date (YYYY-MM-DD)"));
    }
    units::parse_date(text)
}

/// A finite number >= 0.
pub fn parse_non_negative(text: &str) -> Result<f64, String> {
    if text.is_empty() {
        return Err(empty("a number"));
    }
    match text.parse::<f64>() {
        Ok(x) if !x.is_finite() => Err(format!("`{text}` is not a finite number")),
        Ok(x) if x < 0.0 => Err(format!("{text} is negative: expected a number >= 0")),
        Ok(x) => Ok(x),
        Err(_) if text.contains(',') => Err(format!(
            "`{text}` is not a number: write decimals with a point and no thousands separators, e.g. 1234.5"
        )),
        Err(_) => Err(format!("`{text}` is not a number")),
    }
}

/// A whole number >= 0.
pub fn parse_count(text: &str) -> Result<u64, String> {
    if text.is_empty() {
        return Err(empty("a whole number"));
    }
    text.parse::<u64>().map_err(|_| match text.parse::<f64>() {
        Ok(x) if x < 0.0 => format!("{text} is negative: expected a whole number >= 0"),
        Ok(_) => format!("`{text}` is not a whole number"),
        Err(_) => format!("`{text}` is not a whole number"),
    })
}

/// A date and time, ISO 8601 with `T` or a space, with or without seconds and their fractions.
pub fn parse_date_time(text: &str) -> Result<NaiveDateTime, String> {
    if text.is_empty() {
        return Err(empty("a date and time (YYYY-MM-DDTHH:MM:SS)"));
    }
    const FORMATS: [&str; 4] =
        ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"];
    FORMATS.iter().find_map(|f| NaiveDateTime::parse_from_str(text, f).ok()).ok_or_else(|| {
        format!("`{text}` is not a date and time: expected YYYY-MM-DDTHH:MM:SS, e.g. 2026-11-27T10:15:00")
    })
}

/// 1-based character column where header cell `col` starts.
fn column_of(header: &[String], col: Col) -> usize {
    1 + header[..col].iter().map(|h| h.chars().count() + 1).sum::<usize>()
}

fn whole(file: &str, message: String, help: Option<String>) -> Problem {
    Problem { file: file.to_string(), line: 0, column: 0, key: String::new(), message, help }
}

/// A CSV-level problem (a row of the wrong length, text that is not UTF-8), located.
fn csv_problem(file: &str, e: &csv::Error) -> Problem {
    let line = |p: Option<&csv::Position>| p.map_or(0, |p| p.line() as usize);
    let (line, message, help) = match e.kind() {
        csv::ErrorKind::UnequalLengths { pos, expected_len, len } => (
            line(pos.as_ref()),
            format!("the row has {len} cells, the header has {expected_len} columns"),
            Some(
                "every row needs one cell per column (an empty cell is written as nothing between commas)"
                    .to_string(),
            ),
        ),
        csv::ErrorKind::Utf8 { pos, .. } => (
            line(pos.as_ref()),
            "is not UTF-8 text: CSV files must be UTF-8".to_string(),
            Some("export the file as CSV UTF-8".to_string()),
        ),
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            (0, format!("has {io}"), None)
        }
        csv::ErrorKind::Io(io) => (0, format!("cannot read: {io}"), None),
        _ => (0, format!("is not a CSV file o2d can read: {e}"), None),
    };
    Problem {
        file: file.to_string(),
        line,
        column: if line > 0 { 1 } else { 0 },
        key: String::new(),
        message,
        help,
    }
}

/// Collects a file's problems, up to [`MAX_PROBLEMS`].
#[derive(Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Records `p`; returns false once enough problems are known to stop reading.
    pub fn push(&mut self, p: Problem) -> bool {
        self.0.push(p);
        self.0.len() < MAX_PROBLEMS
    }

    /// The value, or records its problem (`None`).
    pub fn take<T>(&mut self, r: Result<T, Problem>) -> Option<T> {
        r.map_err(|p| self.0.push(p)).ok()
    }

    /// The next row of `table` to check: `None` at its end, once enough problems are known, or
    /// after a problem that ends the reading (the file cannot be read). A row the reader cannot
    /// split (too few or too many cells, text that is not UTF-8) is recorded and skipped.
    pub fn next_row<'t, R: Read>(&mut self, table: &'t mut Table<R>) -> Option<Row<'t>> {
        loop {
            if self.full() {
                return None;
            }
            match table.advance() {
                Ok(true) => break,
                Ok(false) => return None,
                Err(p) => {
                    let located = p.line > 0;
                    self.0.push(p);
                    if !located {
                        return None;
                    }
                }
            }
        }
        Some(table.row())
    }

    /// Whether to stop reading.
    pub fn full(&self) -> bool {
        self.0.len() >= MAX_PROBLEMS
    }

    /// `Ok(value)` when no problem was found.
    pub fn or<T>(self, value: T) -> Result<T, Vec<Problem>> {
        if self.0.is_empty() { Ok(value) } else { Err(self.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table<&[u8]> {
        Table::new("f.csv", text.as_bytes()).unwrap()
    }

    #[test]
    fn a_bad_cell_is_located_by_line_column_and_name() {
        let mut t = table("date,orders\n2026-12-01,100\n2026-12-02,lots\n");
        let orders = t.require("orders", "orders a day").unwrap();
        assert_eq!(t.next_row().unwrap().unwrap().non_negative(orders).unwrap(), 100.0);
        let row = t.next_row().unwrap().unwrap();
        let p = row.non_negative(orders).unwrap_err();
        assert_eq!((p.line, p.column, p.key.as_str()), (3, 12, "orders"));
        assert!(p.to_string().starts_with("f.csv:3:12: `orders`: `lots` is not a number"), "{p}");
    }

    #[test]
    fn cells_are_trimmed_and_located_where_they_start() {
        let mut t = table(" date , orders\n2026-12-01,  lots \n");
        let orders = t.require("orders", "orders a day").unwrap();
        let row = t.next_row().unwrap().unwrap();
        assert_eq!(row.text(orders), "lots");
        let p = row.non_negative(orders).unwrap_err();
        assert_eq!((p.line, p.column), (2, 12));
        assert!(p.message.contains("`lots` is not a number"), "{p}");
    }

    #[test]
    fn a_missing_column_suggests_the_close_one() {
        let t = table("dates,orders\n");
        let p = t.require("date", "the day").unwrap_err();
        assert!(p.help.unwrap().contains("did you mean `dates`"));
        let t = table("date;orders\n");
        assert!(t.require("date", "the day").unwrap_err().help.unwrap().contains("separated by `;`"));
    }

    #[test]
    fn a_short_row_and_a_binary_file_are_refused() {
        let mut t = table("date,orders\n2026-12-01\n");
        let p = t.next_row().err().unwrap();
        assert_eq!(p.line, 2);
        assert!(p.message.contains("1 cells, the header has 2"), "{p}");
        assert!(Table::new("x.xlsx", &b"PK\x03\x04\x00\x00rest"[..]).is_err());
        assert!(Table::new("e.csv", &b""[..]).is_err());
    }

    #[test]
    fn a_short_row_is_recorded_and_reading_goes_on_to_the_rows_after_it() {
        let mut t = table("date,orders\n2026-12-01,1\n2026-12-02\n2026-12-03,x\n");
        let mut problems = Problems::default();
        let mut read = Vec::new();
        while let Some(row) = problems.next_row(&mut t) {
            read.push(row.line());
            if let Err(p) = row.non_negative(1) {
                problems.push(p);
            }
        }
        assert_eq!(read, [2, 4]);
        let lines: Vec<usize> = problems.0.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 4], "the short row and the bad cell after it");
    }

    #[test]
    fn duplicate_and_unknown_columns_are_named() {
        assert!(Table::new("f.csv", &b"date,Date\n"[..]).err().unwrap().message.contains("appears twice"));
        let t = table("date,ordres\n");
        let p = t.refuse_unknown(&["date", "orders"]).unwrap_err();
        assert_eq!(p.column, 6);
        assert!(p.help.unwrap().contains("`orders`"));
    }

    #[test]
    fn a_byte_order_mark_quotes_and_spaces_read_as_a_spreadsheet_writes_them() {
        let mut t = table("\u{feff}Date , orders\n 2026-12-01 ,\"1000\"\n");
        assert_eq!(t.column("date"), Some(0));
        let orders = t.require("orders", "orders").unwrap();
        let row = t.next_row().unwrap().unwrap();
        assert_eq!(row.date(0).unwrap().to_string(), "2026-12-01");
        assert_eq!(row.non_negative(orders).unwrap(), 1000.0);
    }

    #[test]
    fn an_endless_line_is_refused_in_bounded_memory() {
        let endless = std::io::repeat(b'x').take(4 * MAX_LINE_BYTES as u64);
        let p = Table::new("big.csv", endless).err().unwrap();
        assert!(p.to_string().contains("a line longer than 1048576 bytes"), "{p}");
        let mut t = Table::new("f.csv", "a\n".as_bytes().chain(std::io::repeat(b'1').take(2 << 20))).unwrap();
        assert!(t.next_row().is_err());
    }

    #[test]
    fn cells_parse_with_reasons() {
        assert!(parse_non_negative("1,5").unwrap_err().contains("decimals with a point"));
        assert!(parse_non_negative("-1").unwrap_err().contains("negative"));
        assert!(parse_count("2.5").unwrap_err().contains("not a whole number"));
        assert!(parse_date_time("2026-11-27 10:15").is_ok());
        assert!(parse_date_time("2026-11-27T10:15:00.250").is_ok());
        assert!(parse_date_time("27/11/2026").is_err());
        assert!(parse_date("").unwrap_err().contains("empty"));
    }
}
