//! CSV: a header row of the table's columns, then one record per row. Numbers in their shortest
//! round-trip form ([`Cell::Plain`] in plain decimal), undefined values empty, a list
//! space-separated in one cell.

use super::{Cell, Exporter, format_error};
use crate::error::Result;

/// Comma-separated values with a header row (none when the table has neither rows nor columns).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Csv;

impl Exporter for Csv {
    fn write(
        &self,
        columns: &[String],
        header: bool,
        rows: &mut dyn Iterator<Item = Result<Vec<Cell>>>,
    ) -> Result<Vec<u8>> {
        let err = |e: ::csv::Error| format_error("CSV", e);
        let mut w = ::csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        if header && !columns.is_empty() {
            w.write_record(columns).map_err(err)?;
        }
        // One buffer for the cells written as text, so a row allocates nothing.
        let mut text = String::new();
        for row in rows {
            for cell in &row? {
                write_field(&mut w, cell, &mut text).map_err(err)?;
            }
            w.write_record(None::<&[u8]>).map_err(err)?;
        }
        w.into_inner().map_err(|e| format_error("CSV", e.to_string()))
    }
}

/// Writes a cell as one CSV field: numbers as the `csv` crate's serializer writes them (whole
/// numbers by `itoa`, floats by `ryu`), a [`Cell::Plain`] by `Display`.
fn write_field(w: &mut ::csv::Writer<Vec<u8>>, cell: &Cell, text: &mut String) -> ::csv::Result<()> {
    use std::fmt::Write;
    match cell {
        Cell::Empty => w.write_field([]),
        Cell::Bool(b) => w.write_field(if *b { "true" } else { "false" }),
        Cell::Int(i) => w.write_field(itoa::Buffer::new().format(*i)),
        Cell::Float(x) => w.write_field(ryu::Buffer::new().format(*x)),
        // Most plain numbers are counts: a whole number prints as `Display` prints it (no
        // fraction, no exponent below 1e15), faster by `itoa`. Negative zero keeps its sign.
        Cell::Plain(x) if x.fract() == 0.0 && x.abs() < 1e15 && !(*x == 0.0 && x.is_sign_negative()) => {
            w.write_field(itoa::Buffer::new().format(*x as i64))
        }
        Cell::Plain(x) if x.is_finite() => {
            text.clear();
            // Writing to a String cannot fail.
            let _ = write!(text, "{x}");
            w.write_field(text.as_bytes())
        }
        Cell::Plain(_) => w.write_field([]),
        Cell::Text(t) | Cell::Toml { text: t, .. } => w.write_field(t),
        Cell::List(cells) => w.write_field(cells.iter().map(self::text).collect::<Vec<_>>().join(" ")),
    }
}

/// A cell as text, for a list inside one field.
fn text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Bool(b) => b.to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(x) | Cell::Plain(x) => {
            if x.is_finite() {
                x.to_string()
            } else {
                String::new()
            }
        }
        Cell::Text(t) | Cell::Toml { text: t, .. } => t.clone(),
        Cell::List(cells) => cells.iter().map(text).collect::<Vec<_>>().join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_number_reads_as_display_writes_it() {
        let values =
            [0.0, -0.0, 1.0, -3.0, 27_253.0, 0.5, 1e-5, 999_999_999_999_999.0, 1e15, 1e20, -1e16, 2.5e-300];
        let rows = values.iter().map(|&x| Ok(vec![Cell::Plain(x)]));
        let bytes = Csv.write(&["x".to_string()], true, &mut rows.into_iter()).unwrap();
        let expected: String = std::iter::once("x".to_string())
            .chain(values.iter().map(|x| format!("{x}")))
            .map(|l| l + "\n")
            .collect();
        assert_eq!(String::from_utf8(bytes).unwrap(), expected);
    }
}
