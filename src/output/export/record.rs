//! A row to named cells: a serde serializer that accepts a struct or map of scalars (and lists of
//! them) and keeps each field's name and [`Cell`]. Nested tables are refused: a row is flat.

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::{Cell, format_error};
use crate::error::Result;

/// The newtype name by which [`super::Plain`] marks a plain-decimal number.
pub(super) const PLAIN: &str = "o2d::export::Plain";
/// The newtype name by which [`super::TomlText`] marks TOML text.
pub(super) const TOML: &str = "o2d::export::TomlText";

/// The field names and cells of one row.
pub(super) fn fields<R: Serialize>(row: &R) -> Result<(Vec<String>, Vec<Cell>)> {
    let mut fields = Fields::default();
    row.serialize(&mut fields).map_err(|e| format_error("a row", e))?;
    Ok((fields.names, fields.cells))
}

/// The cells of one row whose fields must be `columns`, in order (`None` when they are not):
/// the names are compared as they come, never copied.
pub(super) fn cells_of<R: Serialize>(row: &R, columns: &[String]) -> Result<Option<Vec<Cell>>> {
    let mut fields =
        Fields { expected: Some(columns), cells: Vec::with_capacity(columns.len()), ..Fields::default() };
    row.serialize(&mut fields).map_err(|e| format_error("a row", e))?;
    Ok((!fields.mismatch && fields.cells.len() == columns.len()).then_some(fields.cells))
}

/// Why a value cannot be a row or a cell.
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

impl ser::Error for Refused {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Refused(msg.to_string())
    }
}

fn refuse<T>(what: &str) -> std::result::Result<T, Refused> {
    Err(Refused(format!("{what} cannot be a row or a cell")))
}

/// Collects the fields of one row: their names, or (with `expected`) whether they are those.
#[derive(Default)]
struct Fields<'e> {
    names: Vec<String>,
    cells: Vec<Cell>,
    /// The names the fields must have, in order.
    expected: Option<&'e [String]>,
    /// A field's name differed from `expected`.
    mismatch: bool,
}

impl Fields<'_> {
    /// The next field is called `name` (its cell not pushed yet).
    fn name(&mut self, name: &str) {
        match self.expected {
            Some(e) => self.mismatch |= e.get(self.cells.len()).is_none_or(|n| n != name),
            None => self.names.push(name.to_string()),
        }
    }
}

/// Refuses every scalar at the top level: a row is a struct or a map.
macro_rules! not_a_row {
    ($($f:ident($($t:ty),*)),*) => {
        $(fn $f(self, $(_: $t),*) -> std::result::Result<(), Refused> { refuse("a scalar") })*
    };
}

impl<'a, 'e> ser::Serializer for &'a mut Fields<'e> {
    type Ok = ();
    type Error = Refused;
    type SerializeSeq = Impossible<(), Refused>;
    type SerializeTuple = Impossible<(), Refused>;
    type SerializeTupleStruct = Impossible<(), Refused>;
    type SerializeTupleVariant = Impossible<(), Refused>;
    type SerializeMap = FieldMap<'a, 'e>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Refused>;

    not_a_row!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str)
    );

    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> std::result::Result<(), Refused> {
        v.serialize(self)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> std::result::Result<(), Refused> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> std::result::Result<(), Refused> {
        refuse("an enum")
    }
    fn serialize_seq(self, _: Option<usize>) -> std::result::Result<Self::SerializeSeq, Refused> {
        refuse("a list")
    }
    fn serialize_tuple(self, _: usize) -> std::result::Result<Self::SerializeTuple, Refused> {
        refuse("a tuple")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeTupleStruct, Refused> {
        refuse("a tuple")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeTupleVariant, Refused> {
        refuse("an enum")
    }
    fn serialize_map(self, _: Option<usize>) -> std::result::Result<Self::SerializeMap, Refused> {
        Ok(FieldMap { fields: self, key: None })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> std::result::Result<Self, Refused> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeStructVariant, Refused> {
        refuse("an enum")
    }
}

impl ser::SerializeStruct for &mut Fields<'_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> std::result::Result<(), Refused> {
        self.name(key);
        self.cells.push(v.serialize(CellOf)?);
        Ok(())
    }
    fn end(self) -> std::result::Result<(), Refused> {
        Ok(())
    }
}

/// The fields of a row written as a map (or flattened into a struct).
struct FieldMap<'a, 'e> {
    fields: &'a mut Fields<'e>,
    key: Option<String>,
}

impl ser::SerializeMap for FieldMap<'_, '_> {
    type Ok = ();
    type Error = Refused;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> std::result::Result<(), Refused> {
        match key.serialize(CellOf)? {
            Cell::Text(k) => {
                self.key = Some(k);
                Ok(())
            }
            _ => refuse("a key that is not text"),
        }
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> std::result::Result<(), Refused> {
        let key = self.key.take().ok_or_else(|| Refused("a value without a key".into()))?;
        self.fields.name(&key);
        self.fields.cells.push(v.serialize(CellOf)?);
        Ok(())
    }
    fn end(self) -> std::result::Result<(), Refused> {
        Ok(())
    }
}

/// One cell.
struct CellOf;

/// Whole numbers of every width.
macro_rules! ints {
    ($($f:ident($t:ty)),*) => {
        $(fn $f(self, v: $t) -> std::result::Result<Cell, Refused> { Ok(Cell::Int(i128::from(v))) })*
    };
}

impl ser::Serializer for CellOf {
    type Ok = Cell;
    type Error = Refused;
    type SerializeSeq = List;
    type SerializeTuple = List;
    type SerializeTupleStruct = Impossible<Cell, Refused>;
    type SerializeTupleVariant = Impossible<Cell, Refused>;
    type SerializeMap = Impossible<Cell, Refused>;
    type SerializeStruct = Impossible<Cell, Refused>;
    type SerializeStructVariant = Impossible<Cell, Refused>;

    ints!(
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64)
    );

    fn serialize_bool(self, v: bool) -> std::result::Result<Cell, Refused> {
        Ok(Cell::Bool(v))
    }
    fn serialize_f32(self, v: f32) -> std::result::Result<Cell, Refused> {
        Ok(Cell::Float(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> std::result::Result<Cell, Refused> {
        Ok(Cell::Float(v))
    }
    fn serialize_char(self, v: char) -> std::result::Result<Cell, Refused> {
        Ok(Cell::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> std::result::Result<Cell, Refused> {
        Ok(Cell::Text(v.to_string()))
    }
    fn serialize_bytes(self, _: &[u8]) -> std::result::Result<Cell, Refused> {
        refuse("bytes")
    }
    fn serialize_none(self) -> std::result::Result<Cell, Refused> {
        Ok(Cell::Empty)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> std::result::Result<Cell, Refused> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> std::result::Result<Cell, Refused> {
        Ok(Cell::Empty)
    }
    fn serialize_unit_struct(self, _: &'static str) -> std::result::Result<Cell, Refused> {
        Ok(Cell::Empty)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> std::result::Result<Cell, Refused> {
        Ok(Cell::Text(variant.to_string()))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        v: &T,
    ) -> std::result::Result<Cell, Refused> {
        match (name, v.serialize(self)?) {
            (PLAIN, Cell::Float(x)) => Ok(Cell::Plain(x)),
            (PLAIN, Cell::Empty) => Ok(Cell::Plain(f64::NAN)),
            (TOML, Cell::Text(text)) => {
                let typed = crate::experiment::sweep::json_value(&text);
                Ok(Cell::Toml { text: text.trim_matches('"').to_string(), typed })
            }
            (PLAIN | TOML, _) => refuse("a marked value of another type"),
            (_, cell) => Ok(cell),
        }
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> std::result::Result<Cell, Refused> {
        refuse("an enum with data")
    }
    fn serialize_seq(self, len: Option<usize>) -> std::result::Result<List, Refused> {
        Ok(List(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> std::result::Result<List, Refused> {
        Ok(List(Vec::with_capacity(len)))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeTupleStruct, Refused> {
        refuse("a tuple struct")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeTupleVariant, Refused> {
        refuse("an enum with data")
    }
    fn serialize_map(self, _: Option<usize>) -> std::result::Result<Self::SerializeMap, Refused> {
        refuse("a nested map")
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeStruct, Refused> {
        refuse("a nested struct")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeStructVariant, Refused> {
        refuse("an enum with data")
    }
}

/// The cells of a list.
struct List(Vec<Cell>);

impl ser::SerializeSeq for List {
    type Ok = Cell;
    type Error = Refused;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> std::result::Result<(), Refused> {
        self.0.push(v.serialize(CellOf)?);
        Ok(())
    }
    fn end(self) -> std::result::Result<Cell, Refused> {
        Ok(Cell::List(self.0))
    }
}

impl ser::SerializeTuple for List {
    type Ok = Cell;
    type Error = Refused;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> std::result::Result<(), Refused> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> std::result::Result<Cell, Refused> {
        ser::SerializeSeq::end(self)
    }
}
