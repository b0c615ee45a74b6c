//! The order history a scenario replays (`demand.history`): a CSV of the orders placed, streamed,
//! never held: once at load to check every cell and count the orders of each day, then once per
//! replication to feed the orders to the model, its SHA-256 checked again at the end.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

use super::catalogue::Catalogue;
use super::table::{Col, Problems, Row, Table, parse_count};
use super::{Files, Found, RawFile, hex, issue};
use crate::error::{Error, Problem};
use crate::scenario::Scenario;
use crate::scenario::check::{Checker, Issue};
use crate::scenario::derived::MAX_LINES_PER_ORDER;
use crate::scenario::fit::{Fitted, Fitter};
use crate::scenario::raw::{RawDemand, RawScenario};
use crate::units::MS_PER_DAY;

/// The scenario key that names the file.
pub const KEY: &str = "demand.history";
/// Bytes an order history may have (it is streamed, so this only stops an endless device).
pub const MAX_HISTORY_BYTES: u64 = 64 * 1024 * 1024 * 1024;

/// The column of when each order was placed, and its other name (`o2d trace` writes `timestamp`).
pub const PLACED_AT: [&str; 2] = ["placed_at", "timestamp"];
/// The order's lines.
pub const LINES: &str = "lines";
/// The SKU of each line, space-separated ranks (1 = the most popular), as `o2d trace` writes them.
pub const SKUS: &str = "skus";
/// The shipping option's name.
pub const SHIPPING_OPTION: &str = "shipping_option";
/// The customer's number.
pub const CUSTOMER_ID: &str = "customer_id";
/// The request kind, in a trace of every request (`o2d trace`): only `order` rows are orders.
pub const KIND: &str = "kind";

/// The columns a history uses; any other column is ignored (real exports carry many).
#[derive(Clone, Copy, Debug)]
struct Columns {
    placed_at: Col,
    lines: Col,
    skus: Option<Col>,
    option: Option<Col>,
    customer: Option<Col>,
    kind: Option<Col>,
}

impl Columns {
    fn of<R: Read>(t: &Table<R>) -> Result<Self, Problem> {
        Ok(Self {
            placed_at: t.require_any(&PLACED_AT, "when each order was placed, e.g. 2026-11-27T10:15:00")?,
            lines: t.require(LINES, "the number of lines of each order")?,
            skus: t.column(SKUS),
            option: t.column(SHIPPING_OPTION),
            customer: t.column(CUSTOMER_ID),
            kind: t.column(KIND),
        })
    }

    /// Whether `row` is an order: any row of a file without a `kind` column, else a row of kind
    /// `order` (a trace of every request also holds status look-ups, returns, ...).
    fn is_order(&self, row: &Row<'_>) -> bool {
        self.kind.is_none_or(|k| row.text(k) == "order")
    }
}

/// What rows are checked against: the horizon, the shipping options and the catalogue size.
#[derive(Clone, Debug)]
struct Frame {
    /// 00:00 of the start date.
    start: NaiveDateTime,
    /// Milliseconds in the horizon.
    horizon_ms: i64,
    /// Shipping option names, in scenario order.
    options: Vec<String>,
    /// SKUs in the catalogue, when `[inventory]` is modelled.
    skus: Option<u32>,
    /// The SKU of each name of the planner's catalogue, when there is one: a history then names
    /// its SKUs as the catalogue (and `o2d trace`) does.
    names: Option<std::sync::Arc<std::collections::HashMap<String, u32>>>,
}

impl Frame {
    /// The frame of a raw scenario; `None` when its start date is not a date (validation says so).
    fn of_raw(raw: &RawScenario, catalogue: Option<&Catalogue>) -> Option<Self> {
        let start = crate::units::parse_date(&raw.run.start_date).ok()?;
        let days = raw.run.days.min(crate::scenario::MAX_DAYS);
        let options = raw.demand.shipping_options.iter().map(|o| o.name.clone());
        Some(Self::new(start, days, options, raw.inventory.as_ref().map(|i| i.skus), catalogue))
    }

    fn of(sc: &Scenario) -> Self {
        let options = sc.demand.shipping_options.iter().map(|o| o.name.clone());
        let inv = sc.inventory.as_ref();
        let catalogue = inv.and_then(|i| i.catalogue.as_deref());
        Self::new(sc.start_date, sc.days, options, inv.map(|i| i.skus), catalogue)
    }

    fn new(
        start: NaiveDate,
        days: u32,
        options: impl Iterator<Item = String>,
        skus: Option<u32>,
        catalogue: Option<&Catalogue>,
    ) -> Self {
        let names = catalogue.map(|c| {
            std::sync::Arc::new(c.skus.iter().enumerate().map(|(k, s)| (s.name.clone(), k as u32)).collect())
        });
        Self {
            start: start.and_hms_opt(0, 0, 0).unwrap_or_default(),
            horizon_ms: i64::from(days) * MS_PER_DAY as i64,
            options: options.collect(),
            skus,
            names,
        }
    }

    fn show(&self, at_ms: i64) -> String {
        (self.start + chrono::Duration::milliseconds(at_ms)).format("%Y-%m-%dT%H:%M:%S%.3f").to_string()
    }
}

/// One order of the history as read (the SKU list is reused from row to row).
#[derive(Clone, Debug, Default)]
pub struct HistoryOrder {
    /// When it was placed, milliseconds after 00:00 of the start date (negative: before it).
    pub at_ms: i64,
    /// Order lines, 1 ..= `MAX_LINES_PER_ORDER`.
    pub lines: u16,
    /// Index of the shipping option named, `None` when the file does not say.
    pub option: Option<u8>,
    /// The customer's number, `None` when the file does not say.
    pub customer: Option<u64>,
    /// The catalogue index (0-based) of each line's SKU; empty when the file does not say.
    pub skus: Vec<u32>,
}

/// The cell of `lines`: a whole number 1 ..= `MAX_LINES_PER_ORDER`.
fn parse_lines(text: &str) -> Result<u16, String> {
    match parse_count(text)? {
        0 => Err("0 lines: an order has at least 1 line".to_string()),
        n if n > u64::from(MAX_LINES_PER_ORDER) => {
            Err(format!("{n} lines is beyond the model's limit of {MAX_LINES_PER_ORDER} lines per order"))
        }
        n => Ok(n as u16),
    }
}

/// Reads one row into `out`, checking every cell it uses; the first bad cell is the problem.
fn parse_row(row: &Row<'_>, cols: &Columns, frame: &Frame, out: &mut HistoryOrder) -> Result<(), Problem> {
    let since = row.date_time(cols.placed_at)? - frame.start;
    // Whole milliseconds, rounded down: 0.5 ms before the start is before it, not at 0.
    let ms = since.num_milliseconds();
    out.at_ms = if since < chrono::TimeDelta::milliseconds(ms) { ms - 1 } else { ms };
    out.lines = row.parse(cols.lines, parse_lines)?;
    out.option = None;
    if let Some(c) = cols.option.filter(|&c| !row.is_empty(c)) {
        let name = row.text(c);
        let Some(i) = frame.options.iter().position(|o| o == name) else {
            let names: Vec<&str> = frame.options.iter().map(String::as_str).collect();
            let help = match crate::suggest::closest(name, &names) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!(
                    "the scenario's options are {}: add it to [[demand.shipping_options]], or leave the \
                     cell empty to draw an option by the shares",
                    names.join(", ")
                ),
            };
            let message = format!("no shipping option `{name}` in the scenario");
            return Err(row.problem(c, message, Some(help)));
        };
        // Lossless: validation allows at most MAX_SHIPPING_OPTIONS (u8::MAX) options.
        out.option = Some(i as u8);
    }
    out.customer = None;
    if let Some(c) = cols.customer.filter(|&c| !row.is_empty(c)) {
        let help = "customer ids are kept as numbers: number your customers, or leave the column out";
        out.customer = Some(row.parse(c, parse_count).map_err(|p| Problem { help: Some(help.into()), ..p })?);
    }
    out.skus.clear();
    if let Some(c) = cols.skus.filter(|&c| !row.is_empty(c)) {
        for word in row.text(c).split_whitespace() {
            if let Some(names) = &frame.names {
                let Some(&k) = names.get(word) else {
                    let message = format!("`{word}` is not a SKU of the catalogue (`inventory.catalogue`)");
                    let help =
                        "name each line's SKU as the catalogue's `sku` column does, separated by spaces";
                    return Err(row.problem(c, message, Some(help.into())));
                };
                out.skus.push(k);
                continue;
            }
            let sku = match (word.parse::<u32>(), frame.skus) {
                (Ok(0), _) | (Err(_), _) => {
                    let message =
                        format!("`{word}` is not a SKU: expected ranks 1, 2, .. (1 = the most popular)");
                    return Err(row.problem(
                        c,
                        message,
                        Some("separate the SKUs of a row with spaces".into()),
                    ));
                }
                (Ok(k), Some(n)) if k > n => {
                    let message = format!("SKU {k} is beyond the catalogue's {n} SKUs (`inventory.skus`)");
                    return Err(row.problem(c, message, None));
                }
                (Ok(k), _) => k - 1,
            };
            out.skus.push(sku);
        }
        if out.skus.len() != usize::from(out.lines) {
            let message = format!("{} SKUs for {} lines: give one SKU per line", out.skus.len(), out.lines);
            return Err(row.problem(c, message, Some("leave the cell empty to draw the SKUs".into())));
        }
    }
    Ok(())
}

/// The problem of a row placed before the row above it.
fn out_of_order(row: &Row<'_>, cols: &Columns, frame: &Frame, at_ms: i64, before: (i64, usize)) -> Problem {
    row.problem(
        cols.placed_at,
        format!(
            "placed at {}, before the order on line {} ({}): orders must be in time order",
            frame.show(at_ms),
            before.1,
            frame.show(before.0)
        ),
        Some(format!("sort the file by `{}`", row.name(cols.placed_at))),
    )
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

impl<R: Read> Hashing<R> {
    /// Reads what is left, and returns the SHA-256 of everything and the bytes read.
    fn finish(&mut self) -> std::io::Result<(String, u64)> {
        let mut buf = [0u8; 8192];
        while self.read(&mut buf)? > 0 {}
        Ok((hex(&std::mem::take(&mut self.hasher).finalize()), self.bytes))
    }
}

/// What validation and the model need to know of a history, from one pass over it at load.
#[derive(Clone, Debug)]
pub struct History {
    /// The path as shown in messages.
    pub shown: String,
    /// The absolute path, read again by each replication.
    pub path: PathBuf,
    /// SHA-256 of the content checked.
    pub sha256: String,
    /// Orders placed on each simulated day.
    pub orders_by_day: Vec<u64>,
    /// Lines of the orders inside the horizon.
    pub lines: u64,
    /// Rows in the file.
    pub rows: u64,
    /// Rows placed before the start date, and on or after the end of the horizon (ignored).
    pub before: u64,
    /// Rows placed on or after the end of the horizon (ignored).
    pub after: u64,
    /// First and last `placed_at` of the file, as written.
    pub span: Option<(String, String)>,
    /// Whether the file has a `skus` column with at least one SKU given.
    pub has_skus: bool,
}

impl History {
    /// Orders placed on simulated day `day`.
    pub fn orders_on(&self, day: u32) -> f64 {
        self.orders_by_day.get(day as usize).map_or(0.0, |n| *n as f64)
    }

    /// Orders inside the horizon.
    pub fn orders(&self) -> u64 {
        self.orders_by_day.iter().sum()
    }

    /// Mean lines (units) a day over the horizon.
    pub fn lines_per_day(&self) -> f64 {
        self.lines as f64 / self.orders_by_day.len().max(1) as f64
    }
}

/// Problems at scenario keys, and problems inside the file.
type Refused = (Vec<Issue>, Vec<Problem>);

/// Streams the history `file` names (scenario key [`KEY`]) once: checks every cell against the
/// scenario `raw`, counts the orders of each day and hashes it. `None` when the scenario's start
/// date is not a date (validation reports it).
pub(super) fn read(
    raw: &RawScenario,
    files: &Files,
    file: &RawFile,
    catalogue: Option<&Catalogue>,
) -> Result<Option<(Found, History)>, Refused> {
    let Some(frame) = Frame::of_raw(raw, catalogue) else { return Ok(None) };
    let path = files.path_of(file);
    let shown = path.display().to_string();
    let input = files.open_streaming(KEY, file, MAX_HISTORY_BYTES).map_err(|i| (vec![i], vec![]))?;
    let hashing = Hashing { inner: input, hasher: Sha256::new(), bytes: 0 };
    let mut table = Table::new(&shown, hashing).map_err(|p| (vec![], vec![p]))?;
    let cols = Columns::of(&table).map_err(|p| (vec![], vec![p]))?;
    let days = (frame.horizon_ms / MS_PER_DAY as i64) as usize;
    let mut h = History {
        shown: shown.clone(),
        path: PathBuf::new(),
        sha256: String::new(),
        orders_by_day: vec![0; days],
        lines: 0,
        rows: 0,
        before: 0,
        after: 0,
        span: None,
        has_skus: false,
    };
    let mut problems = Problems::default();
    let mut order = HistoryOrder::default();
    let mut last: Option<(i64, usize)> = None;
    let mut first_text = None;
    let mut last_text = String::new();
    while let Some(row) = problems.next_row(&mut table) {
        if !cols.is_order(&row) {
            continue;
        }
        h.rows += 1;
        if let Err(p) = parse_row(&row, &cols, &frame, &mut order) {
            problems.push(p);
            continue;
        }
        if let Some(before) = last.filter(|(at, _)| order.at_ms < *at) {
            problems.push(out_of_order(&row, &cols, &frame, order.at_ms, before));
            continue;
        }
        last = Some((order.at_ms, row.line()));
        let text = row.text(cols.placed_at);
        first_text.get_or_insert_with(|| text.to_string());
        last_text.clear();
        last_text.push_str(text);
        if order.at_ms < 0 {
            h.before += 1;
        } else if order.at_ms >= frame.horizon_ms {
            h.after += 1;
        } else {
            h.orders_by_day[(order.at_ms / MS_PER_DAY as i64) as usize] += 1;
            h.lines += u64::from(order.lines);
            h.has_skus |= !order.skus.is_empty();
        }
    }
    if !problems.0.is_empty() {
        return Err((vec![], problems.0));
    }
    let (sha256, bytes) = table
        .get_mut()
        .finish()
        .map_err(|e| (vec![issue(KEY, format!("cannot read {shown}: {e}"), None)], vec![]))?;
    if bytes > MAX_HISTORY_BYTES {
        let message =
            format!("{shown} is more than {MAX_HISTORY_BYTES} bytes: the limit for an order history");
        return Err((vec![issue(KEY, message, None)], vec![]));
    }
    let found = files.found(KEY, file, &path, sha256).map_err(|i| (vec![i], vec![]))?;
    h.path = found.absolute.clone();
    h.sha256 = found.sha256.clone();
    h.span = first_text.map(|f| (f, last_text));
    Ok(Some((found, h)))
}

/// The checks of a replayed history that need the validated scenario: it must place orders inside
/// the horizon. Returns the notes to show: rows ignored, and settings a replay does not use.
pub(crate) fn check(c: &mut Checker, sc: &Scenario, raw: &RawDemand) -> Vec<String> {
    let Some(h) = &sc.demand.history else { return Vec::new() };
    let first = sc.start_date;
    let end = sc.date_of_day(sc.days.saturating_sub(1));
    let mut notes = Vec::new();
    if h.rows == 0 {
        c.fail(KEY, format!("{} has no orders: only a header", h.shown));
        return notes;
    }
    if h.orders() == 0 {
        let (from, to) = h.span.clone().unwrap_or_default();
        c.fail_help(
            KEY,
            format!(
                "none of the {} orders of {} ({from} .. {to}) is placed in the horizon {first} .. {end}",
                h.rows, h.shown
            ),
            "set `run.start_date` and `run.days` to the days the history covers".to_string(),
        );
        return notes;
    }
    if h.before + h.after > 0 {
        notes.push(format!(
            "{KEY}: {} of the {} orders of {} are outside the horizon {first} .. {end} ({} before, {} after) \
             and are ignored",
            h.before + h.after,
            h.rows,
            h.shown,
            h.before,
            h.after
        ));
    }
    if h.has_skus && sc.inventory.is_none() {
        notes.push(format!(
            "{KEY}: the `skus` of {} are not used: SKUs are modelled with [inventory] only",
            h.shown
        ));
    }
    let model = RawDemand::default();
    let unused: Vec<&str> = [
        ("demand.orders_per_day", raw.orders_per_day != model.orders_per_day),
        ("demand.day_of_week", raw.day_of_week != model.day_of_week),
        ("demand.hourly_profile", raw.hourly_profile != model.hourly_profile),
        ("demand.trend_per_year", raw.trend_per_year != model.trend_per_year),
        ("demand.peaks", raw.peaks != model.peaks),
        ("demand.lines_per_order", raw.lines_per_order != model.lines_per_order),
    ]
    .into_iter()
    .filter_map(|(key, set)| set.then_some(key))
    .collect();
    if !unused.is_empty() {
        let verb = if unused.len() == 1 { "is" } else { "are" };
        notes.push(format!("{KEY} replaces the demand model: {} {verb} not used", unused.join(", ")));
    }
    notes
}

/// The orders of a history inside a scenario's horizon, streamed from the file for one
/// replication; the file must still be the one validated (same cells, same SHA-256).
pub struct HistoryStream {
    table: Table<Hashing<Box<dyn Read>>>,
    cols: Columns,
    frame: Frame,
    order: HistoryOrder,
    /// When the previous row was placed, and its line.
    last: Option<(i64, usize)>,
    sha256: String,
    done: bool,
}

impl HistoryStream {
    /// Opens the history `scenario` replays, as it was validated.
    pub fn open(scenario: &Scenario, history: &History) -> Result<Self, Error> {
        let file = RawFile::Path(history.path.display().to_string());
        let input = Files::new(None).open_streaming(KEY, &file, MAX_HISTORY_BYTES).map_err(|i| {
            Error::io(format!("{KEY}: cannot open {}", history.shown), std::io::Error::other(i.message))
        })?;
        let input: Box<dyn Read> = Box::new(input);
        let hashing = Hashing { inner: input, hasher: Sha256::new(), bytes: 0 };
        let mut stream = Self {
            table: Table::new(&history.shown, hashing)
                .map_err(|p| changed(&history.shown, &p.to_string()))?,
            cols: Columns { placed_at: 0, lines: 0, skus: None, option: None, customer: None, kind: None },
            frame: Frame::of(scenario),
            order: HistoryOrder::default(),
            last: None,
            sha256: history.sha256.clone(),
            done: false,
        };
        stream.cols = Columns::of(&stream.table).map_err(|p| changed(&history.shown, &p.to_string()))?;
        Ok(stream)
    }

    /// The next order inside the horizon, in file order; `None` after the last one, once the
    /// rest of the file has been read and its hash found unchanged.
    pub fn next_order(&mut self) -> Result<Option<&HistoryOrder>, Error> {
        if self.done {
            return Ok(None);
        }
        loop {
            let row = match self.table.next_row() {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err(p) => return Err(changed(&p.file, &p.to_string())),
            };
            let (cols, frame) = (&self.cols, &self.frame);
            if !cols.is_order(&row) {
                continue;
            }
            parse_row(&row, cols, frame, &mut self.order).map_err(|p| changed(&p.file, &p.to_string()))?;
            let at_ms = self.order.at_ms;
            if let Some(before) = self.last.filter(|(at, _)| at_ms < *at) {
                let p = out_of_order(&row, cols, frame, at_ms, before);
                return Err(changed(&p.file, &p.to_string()));
            }
            self.last = Some((at_ms, row.line()));
            if at_ms >= frame.horizon_ms {
                break;
            }
            if at_ms >= 0 {
                return Ok(Some(&self.order));
            }
        }
        self.done = true;
        let shown = self.table.file().to_string();
        let (sha256, _) =
            self.table.get_mut().finish().map_err(|e| Error::io(format!("{KEY}: cannot read {shown}"), e))?;
        if sha256 != self.sha256 {
            let why =
                format!("its SHA-256 is now {sha256}, it was {} when the scenario was checked", self.sha256);
            return Err(changed(&shown, &why));
        }
        Ok(None)
    }
}

/// Fits the demand model to the history at `path` (`o2d init --from-history`), streaming it: the
/// same columns and cell rules as `demand.history`, with any shipping option name.
pub fn fit(path: &Path) -> Result<Fitted, Error> {
    let shown = path.display().to_string();
    let file = RawFile::Path(shown.clone());
    let input = Files::new(None)
        .open_streaming("--from-history", &file, MAX_HISTORY_BYTES)
        .map_err(|i| Error::Input { path: path.to_path_buf(), message: i.message })?;
    let mut table = Table::new(&shown, input).map_err(|p| Error::Scenario(vec![p]))?;
    let cols = Columns::of(&table).map_err(|p| Error::Scenario(vec![p]))?;
    let mut fitter = Fitter::default();
    let mut problems = Problems::default();
    let mut last: Option<(NaiveDateTime, usize)> = None;
    while let Some(row) = problems.next_row(&mut table) {
        if !cols.is_order(&row) {
            continue;
        }
        let (Some(at), Some(lines)) =
            (problems.take(row.date_time(cols.placed_at)), problems.take(row.parse(cols.lines, parse_lines)))
        else {
            continue;
        };
        if let Some((before, line)) = last.filter(|(t, _)| at < *t) {
            let message = format!(
                "placed at {at}, before the order on line {line} ({before}): orders must be in time order"
            );
            let help = format!("sort the file by `{}`", row.name(cols.placed_at));
            problems.push(row.problem(cols.placed_at, message, Some(help)));
            continue;
        }
        last = Some((at, row.line()));
        let option = cols.option.map(|c| row.text(c)).filter(|t| !t.is_empty());
        if let Err(why) = fitter.add(at, lines, option) {
            problems.push(row.problem(cols.placed_at, why, None));
        }
    }
    if table.bytes_read() > MAX_HISTORY_BYTES {
        let message = format!("is more than {MAX_HISTORY_BYTES} bytes: the limit for an order history");
        return Err(Error::Input { path: path.to_path_buf(), message });
    }
    let fitted = problems.or(fitter.fit()).map_err(Error::Scenario)?;
    fitted.ok_or_else(|| Error::Input {
        path: path.to_path_buf(),
        message: "has no orders: only a header".to_string(),
    })
}

/// The error of a history that no longer reads as it did when the scenario was checked.
fn changed(shown: &str, why: &str) -> Error {
    Error::io(
        format!("{KEY}: {shown} changed after the scenario was checked; run again to check the new content"),
        std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame {
        Frame::new(
            NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            7,
            ["standard".to_string(), "express".to_string()].into_iter(),
            Some(100),
            None,
        )
    }

    fn parse(text: &str) -> Result<HistoryOrder, Problem> {
        let mut t = Table::new("h.csv", text.as_bytes()).unwrap();
        let cols = Columns::of(&t).unwrap();
        let row = t.next_row().unwrap().unwrap();
        let mut out = HistoryOrder::default();
        parse_row(&row, &cols, &frame(), &mut out).map(|_| out)
    }

    #[test]
    fn a_trace_row_reads_as_an_order() {
        let o = parse(
            "timestamp,replay_offset_s,order_id,customer_id,lines,skus,shipping_option,carrier\n\
             2026-11-03T10:00:00.250,0,1,42,2,7 1,express,parcel\n",
        )
        .unwrap();
        assert_eq!(o.at_ms, MS_PER_DAY as i64 + 36_000_250);
        assert_eq!((o.lines, o.option, o.customer), (2, Some(1), Some(42)));
        assert_eq!(o.skus, vec![6, 0]);
    }

    #[test]
    fn a_fraction_of_a_millisecond_before_the_start_is_before_it() {
        let o = parse("placed_at,lines\n2026-11-01T23:59:59.9995,1\n").unwrap();
        assert_eq!(o.at_ms, -1);
        let o = parse("placed_at,lines\n2026-11-02T00:00:00.0005,1\n").unwrap();
        assert_eq!(o.at_ms, 0);
    }

    #[test]
    fn optional_cells_left_empty_are_drawn() {
        let o = parse("placed_at,lines,skus,shipping_option,customer_id\n2026-11-02 08:00,1,,,\n").unwrap();
        assert_eq!((o.option, o.customer, o.skus.len()), (None, None, 0));
    }

    #[test]
    fn bad_cells_are_refused_with_the_reason() {
        let bad = |row: &str| parse(&format!("placed_at,lines,skus,shipping_option\n{row}\n")).unwrap_err();
        assert!(bad("2026-11-02 08:00,0,,").message.contains("at least 1 line"));
        assert!(bad("2026-11-02 08:00,1000,,").message.contains("limit of 999"));
        let p = bad("2026-11-02 08:00,1,,expres");
        assert_eq!((p.line, p.column, p.key.as_str()), (2, 21, "shipping_option"));
        assert!(p.help.unwrap().contains("did you mean `express`"));
        assert!(bad("2026-11-02 08:00,2,3,").message.contains("1 SKUs for 2 lines"));
        assert!(bad("2026-11-02 08:00,1,101,").message.contains("beyond the catalogue's 100 SKUs"));
        assert!(bad("2026-11-02 08:00,1,x,").message.contains("`x` is not a SKU"));
        assert!(bad("02/11/2026,1,,").message.contains("not a date and time"));
    }

    #[test]
    fn the_hash_covers_every_byte_read_and_the_rest() {
        let text = b"placed_at,lines\n2026-11-02 08:00,1\n2026-11-09 08:00,1\n";
        let mut h = Hashing { inner: &text[..], hasher: Sha256::new(), bytes: 0 };
        let mut first = [0u8; 10];
        h.read_exact(&mut first).unwrap();
        let (sha, bytes) = h.finish().unwrap();
        assert_eq!((sha, bytes), (super::super::sha256_hex(text), text.len() as u64));
    }
}
