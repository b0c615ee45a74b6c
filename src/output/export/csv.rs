//! CSV: a header row of the table's columns, then one record per row. Numbers in their shortest
//! round-trip form ([`Cell::Plain`] in plain decimal), undefined values empty, a list
//! space-separated in one cell.

use serde::Serialize;

use super::{Cell, Exporter, format_error};
use crate::error::Result;

/// Comma-separated values with a header row (none when the table has neither rows nor columns).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Csv;

impl Exporter for Csv {
    fn write(
        &self,
        columns: &[String],
        rows: &mut dyn Iterator<Item = Result<Vec<Cell>>>,
    ) -> Result<Vec<u8>> {
        let err = |e: ::csv::Error| format_error("CSV", e);
        let mut w = ::csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        if !columns.is_empty() {
            w.write_record(columns).map_err(err)?;
        }
        for row in rows {
            w.serialize(row?.iter().map(Field).collect::<Vec<_>>()).map_err(err)?;
        }
        w.into_inner().map_err(|e| format_error("CSV", e.to_string()))
    }
}

/// A cell as one CSV field.
struct Field<'a>(&'a Cell);

impl Serialize for Field<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Empty => s.serialize_none(),
            Cell::Bool(b) => s.serialize_bool(*b),
            Cell::Int(i) => s.serialize_i128(*i),
            Cell::Float(x) => s.serialize_f64(*x),
            Cell::Plain(x) if x.is_finite() => s.collect_str(x),
            Cell::Plain(_) => s.serialize_none(),
            Cell::Text(t) | Cell::Toml { text: t, .. } => s.serialize_str(t),
            Cell::List(cells) => s.serialize_str(&cells.iter().map(text).collect::<Vec<_>>().join(" ")),
        }
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
