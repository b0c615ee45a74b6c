//! JSON: a table as an array of objects (pretty) or as JSON lines (one compact object a line), and
//! a table's rows as an object keyed by one column, for documents that nest them. Numbers are
//! numbers, undefined values `null`, TOML text the value it stands for.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Cell, Exporter, Table, format_error};
use crate::error::Result;

/// A pretty-printed array of one object per row, with a final newline.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JsonArray;

/// One compact object per row, each on its own line.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JsonLines;

impl Exporter for JsonArray {
    fn write(
        &self,
        columns: &[String],
        _header: bool,
        rows: &mut dyn Iterator<Item = Result<Vec<Cell>>>,
    ) -> Result<Vec<u8>> {
        let rows = rows.collect::<Result<Vec<_>>>()?;
        let objects: Vec<Object<'_>> = rows.iter().map(|r| Object(columns, r)).collect();
        Ok(pretty(&objects)?.into_bytes())
    }
}

impl Exporter for JsonLines {
    fn write(
        &self,
        columns: &[String],
        _header: bool,
        rows: &mut dyn Iterator<Item = Result<Vec<Cell>>>,
    ) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        for row in rows {
            serde_json::to_writer(&mut out, &Object(columns, &row?)).map_err(|e| format_error("JSON", e))?;
            out.push(b'\n');
        }
        Ok(out)
    }
}

/// A document (an object of named parts) pretty-printed, with a final newline.
pub(crate) fn pretty<T: Serialize + ?Sized>(document: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(document).map_err(|e| format_error("JSON", e))?;
    text.push('\n');
    Ok(text)
}

/// Where the other columns go when a row is keyed by one of its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyColumn {
    /// The key column is left out; the others keep their order.
    Removed,
    /// The last column takes the key column's place (the order `o2d run --format json` has
    /// always printed: `ci95_clamped` first).
    TakenByLast,
}

/// The rows of `table` as one object: each row under the text of its `key` column, without it.
pub(crate) fn keyed(table: &Table, key: &str, place: KeyColumn) -> Result<Map<String, Value>> {
    let k = table
        .columns
        .iter()
        .position(|c| c == key)
        .ok_or_else(|| format_error("JSON", format!("no `{key}` column")))?;
    let mut out = Map::new();
    for row in &table.rows {
        let mut object: Map<String, Value> =
            table.columns.iter().zip(row).map(|(column, cell)| (column.clone(), value(cell))).collect();
        match place {
            KeyColumn::Removed => object.shift_remove(key),
            KeyColumn::TakenByLast => object.swap_remove(key),
        };
        let name = match &row[k] {
            Cell::Text(t) => t.clone(),
            other => value(other).to_string(),
        };
        out.insert(name, Value::Object(object));
    }
    Ok(out)
}

/// A cell as a JSON value.
pub(crate) fn value(cell: &Cell) -> Value {
    match cell {
        Cell::Empty => Value::Null,
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Int(i) => {
            i64::try_from(*i).map_or_else(|_| u64::try_from(*i).map_or(Value::Null, Value::from), Value::from)
        }
        Cell::Float(x) | Cell::Plain(x) => x.is_finite().then_some(*x).map_or(Value::Null, Value::from),
        Cell::Text(t) => Value::String(t.clone()),
        Cell::Toml { typed, .. } => typed.clone(),
        Cell::List(cells) => Value::Array(cells.iter().map(value).collect()),
    }
}

/// A row as a JSON object.
struct Object<'a>(&'a [String], &'a [Cell]);

impl Serialize for Object<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().zip(self.1.iter().map(value)))
    }
}
