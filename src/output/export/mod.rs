//! The one exporter interface: a row type derives `Serialize`, [`export`] turns each row into
//! named cells (the header comes from the row type's field names) and an [`Exporter`] writes them.
//!
//! Each format is one file ([`csv`], [`json`]), so a new format is one more. Two field types say
//! how a value reads where formats differ: [`Plain`] (a number written in plain decimal in CSV,
//! `27253` not `27253.0`) and [`TomlText`] (a value as the TOML text it was given, bare in CSV,
//! the typed value in JSON). A list in one CSV cell is written space-separated.

pub(crate) mod csv;
pub(crate) mod json;
mod record;

use serde::Serialize;

use crate::error::{Error, Result};

/// One value of a row, as the formats see it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Undefined (`None`, unit): an empty CSV cell, JSON `null`.
    Empty,
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i128),
    /// A number in its shortest round-trip form (`320206.0`).
    Float(f64),
    /// A number in plain decimal in CSV (`320206`), a number in JSON: see [`Plain`]; not finite
    /// when undefined.
    Plain(f64),
    /// Text.
    Text(String),
    /// A value given as TOML text: the text in CSV, the typed value in JSON.
    Toml {
        /// The text as given, quotes of a TOML string removed.
        text: String,
        /// The value it stands for.
        typed: serde_json::Value,
    },
    /// A list (space-separated in one CSV cell, an array in JSON).
    List(Vec<Cell>),
}

/// Rows as named cells, held in memory (for documents that nest a table, e.g. JSON keyed by KPI).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Table {
    /// Column names.
    pub(crate) columns: Vec<String>,
    /// Rows, each with one cell per column.
    pub(crate) rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table of `rows`.
    pub(crate) fn of<R: Serialize>(rows: impl IntoIterator<Item = R>) -> Result<Self> {
        let mut rows = Rows::new(rows, None)?;
        let rows_vec = rows.by_ref().collect::<Result<Vec<_>>>()?;
        Ok(Table { columns: rows.columns, rows: rows_vec })
    }
}

/// A file format: writes a header of `columns` (as the format has one) and each row's cells.
pub(crate) trait Exporter {
    /// The bytes of the rows in this format; with `header` false, without the header a format
    /// writes before its rows (rows that continue a file written in parts).
    fn write(
        &self,
        columns: &[String],
        header: bool,
        rows: &mut dyn Iterator<Item = Result<Vec<Cell>>>,
    ) -> Result<Vec<u8>>;
}

/// The bytes of `rows` in `format`, one row at a time: the columns are the first row's fields
/// (nothing at all when there are no rows), and every row must have them.
pub(crate) fn export<R: Serialize>(
    format: &impl Exporter,
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>> {
    export_with(format, rows, None, true)
}

/// As [`export_or_header`], without the header: rows that continue a file written in parts.
pub(crate) fn export_continued<R: Serialize>(
    format: &impl Exporter,
    rows: impl IntoIterator<Item = R>,
    shape: &R,
) -> Result<Vec<u8>> {
    export_with(format, rows, Some(shape), false)
}

/// As [`export`], with the columns of `shape` when there are no rows (a file that keeps its
/// header when nothing happened).
pub(crate) fn export_or_header<R: Serialize>(
    format: &impl Exporter,
    rows: impl IntoIterator<Item = R>,
    shape: &R,
) -> Result<Vec<u8>> {
    export_with(format, rows, Some(shape), true)
}

/// The rows in `format`: columns from the first row, else from `shape`; the header if `header`.
fn export_with<R: Serialize>(
    format: &impl Exporter,
    rows: impl IntoIterator<Item = R>,
    shape: Option<&R>,
    header: bool,
) -> Result<Vec<u8>> {
    let mut rows = Rows::new(rows, shape)?;
    let columns = rows.columns.clone();
    format.write(&columns, header, &mut rows)
}

/// Rows turned into cells one at a time, checked against the first row's columns.
struct Rows<I> {
    columns: Vec<String>,
    first: Option<Vec<Cell>>,
    rest: I,
}

impl<R: Serialize, I: Iterator<Item = R>> Rows<I> {
    fn new(rows: impl IntoIterator<Item = R, IntoIter = I>, shape: Option<&R>) -> Result<Self> {
        let mut rest = rows.into_iter();
        let (columns, first) = match (rest.next(), shape) {
            (Some(row), _) => {
                let (columns, cells) = record::fields(&row)?;
                (columns, Some(cells))
            }
            (None, Some(shape)) => (record::fields(shape)?.0, None),
            (None, None) => (Vec::new(), None),
        };
        Ok(Rows { columns, first, rest })
    }
}

impl<R: Serialize, I: Iterator<Item = R>> Iterator for Rows<I> {
    type Item = Result<Vec<Cell>>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(first) = self.first.take() {
            return Some(Ok(first));
        }
        let row = self.rest.next()?;
        Some(record::cells_of(&row, &self.columns).and_then(|cells| match cells {
            Some(cells) => Ok(cells),
            None => {
                let columns = record::fields(&row)?.0;
                Err(format_error("a table", format!("a row has columns {columns:?}, not {:?}", self.columns)))
            }
        }))
    }
}

/// A number written in plain decimal in CSV (`27253`, `0.00001`; empty when undefined) and as a
/// number in JSON (`null` when undefined).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Plain(pub(crate) Option<f64>);

impl Plain {
    /// A defined value when `x` is finite.
    pub(crate) fn of(x: f64) -> Self {
        Plain(x.is_finite().then_some(x))
    }
}

impl Serialize for Plain {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(record::PLAIN, &self.0)
    }
}

/// A value given as TOML text (a grid value, `8` or `"fast"`): in CSV the text (a string without
/// its quotes), in JSON the value it is (`8`, `"fast"`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TomlText<'a>(pub(crate) &'a str);

impl Serialize for TomlText<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(record::TOML, self.0)
    }
}

/// Columns named at run time (varied keys, daily series), each with its value, in order; a row
/// type flattens them in among its own fields (`#[serde(flatten)]`).
#[derive(Debug, Clone)]
pub(crate) struct Columns<'a, K, V> {
    /// Column names.
    pub(crate) names: &'a [K],
    /// One value per name.
    pub(crate) values: Vec<V>,
}

impl<K: AsRef<str>, V: Serialize> Serialize for Columns<'_, K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.names.iter().map(AsRef::as_ref).zip(&self.values))
    }
}

/// An error while formatting output as `what` (exit code 3: o2d failed, not the input).
pub(crate) fn format_error(what: &str, message: impl std::fmt::Display) -> Error {
    Error::io(format!("cannot format {what}"), std::io::Error::other(message.to_string()))
}

#[cfg(test)]
mod tests {
    use super::csv::Csv;
    use super::json::{self, JsonArray, JsonLines, KeyColumn};
    use super::*;

    #[derive(Serialize)]
    struct Row<'a> {
        kpi: &'a str,
        mean: Option<f64>,
        #[serde(flatten)]
        varied: Columns<'a, &'static str, TomlText<'a>>,
        plain: Plain,
        skus: Vec<u64>,
        clamped: bool,
    }

    fn rows() -> Vec<Row<'static>> {
        let names: &'static [&'static str] = &["pickers", "mode"];
        vec![
            Row {
                kpi: "orders",
                mean: Some(320206.0),
                varied: Columns { names, values: vec![TomlText("8"), TomlText("\"fast\"")] },
                plain: Plain::of(27253.0),
                skus: vec![1, 5],
                clamped: false,
            },
            Row {
                kpi: "fill_rate",
                mean: None,
                varied: Columns { names, values: vec![TomlText("1.50"), TomlText("\"slow\"")] },
                plain: Plain::of(f64::NAN),
                skus: vec![],
                clamped: true,
            },
        ]
    }

    fn text(bytes: Result<Vec<u8>>) -> String {
        String::from_utf8(bytes.unwrap()).unwrap()
    }

    #[test]
    fn the_csv_header_is_the_row_type_s_fields_with_run_time_columns_in_their_place() {
        assert_eq!(
            text(export(&Csv, rows())),
            "kpi,mean,pickers,mode,plain,skus,clamped\n\
             orders,320206.0,8,fast,27253,1 5,false\n\
             fill_rate,,1.50,slow,,,true\n"
        );
    }

    #[test]
    fn json_has_the_same_keys_with_numbers_as_numbers_typed_values_and_null_where_undefined() {
        let lines = text(export(&JsonLines, rows()));
        assert_eq!(
            lines.lines().next().unwrap(),
            r#"{"kpi":"orders","mean":320206.0,"pickers":8,"mode":"fast","plain":27253.0,"skus":[1,5],"clamped":false}"#
        );
        let array: serde_json::Value = serde_json::from_slice(&export(&JsonArray, rows()).unwrap()).unwrap();
        assert_eq!(array[1]["mean"], serde_json::Value::Null);
        assert_eq!(array[1]["plain"], serde_json::Value::Null);
        assert_eq!(array[1]["pickers"], serde_json::json!(1.5));
    }

    #[test]
    fn a_file_without_rows_keeps_its_header_only_when_asked() {
        let shape = &rows()[0];
        assert_eq!(text(export(&Csv, Vec::<Row>::new())), "");
        assert_eq!(
            text(export_or_header(&Csv, Vec::<Row>::new(), shape)),
            "kpi,mean,pickers,mode,plain,skus,clamped\n"
        );
    }

    #[test]
    fn a_nested_table_is_refused_not_flattened() {
        #[derive(Serialize)]
        struct Inner {
            x: u8,
        }
        #[derive(Serialize)]
        struct Nested {
            inner: Inner,
        }
        assert!(export(&Csv, [Nested { inner: Inner { x: 1 } }]).is_err());
        assert!(export(&Csv, [1, 2]).is_err(), "a row is a struct or a map, not a number");
    }

    #[test]
    fn rows_keyed_by_a_column_leave_it_out_or_give_its_place_to_the_last() {
        let table = Table::of(rows()).unwrap();
        let keys = |place| {
            let keyed = json::keyed(&table, "kpi", place).unwrap();
            keyed["orders"].as_object().unwrap().keys().cloned().collect::<Vec<_>>().join(",")
        };
        assert_eq!(keys(KeyColumn::Removed), "mean,pickers,mode,plain,skus,clamped");
        assert_eq!(keys(KeyColumn::TakenByLast), "clamped,mean,pickers,mode,plain,skus");
    }
}
