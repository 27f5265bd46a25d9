//! A typed column: values in a plain vector plus a separate validity mask. Text is
//! dictionary-encoded (codes of 1, 2 or 4 bytes into the column's own dictionary) so that group-by,
//! distinct and frequency run over integers. Money is exact: `Decimal` stores scaled integers.
//!
//! Invariant: every data vector and the mask have exactly `len()` entries; a null slot holds
//! a default value (0, false, code 0) that must never be read as data.

use serde::{Deserialize, Serialize};

use super::value::Value;

mod codes;
mod dict;
mod strings;
pub use codes::Codes;
pub use dict::{Dict, CHUNK_BYTES};
pub use strings::{Encoded, Strings};

/// The logical type of a column, as the JS API and the UI name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    Integer,
    Decimal,
    Float,
    Boolean,
    Date,
    Datetime,
    Text,
}

impl ColumnType {
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::Integer => "integer",
            ColumnType::Decimal => "decimal",
            ColumnType::Float => "float",
            ColumnType::Boolean => "boolean",
            ColumnType::Date => "date",
            ColumnType::Datetime => "datetime",
            ColumnType::Text => "text",
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            ColumnType::Integer | ColumnType::Decimal | ColumnType::Float
        )
    }
}

/// Identifier kinds that joins and the UI rely on. A keyed column is always stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    Siren,
    Siret,
    InseeCommune,
    Departement,
    Region,
    PostalCode,
}

impl KeyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Siren => "siren",
            KeyKind::Siret => "siret",
            KeyKind::InseeCommune => "insee_commune",
            KeyKind::Departement => "departement",
            KeyKind::Region => "region",
            KeyKind::PostalCode => "postal_code",
        }
    }
}

/// Validity bitmap: bit set = value present.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NullMask {
    bits: Vec<u64>,
    len: usize,
}

impl NullMask {
    pub fn with_capacity(n: usize) -> Self {
        NullMask {
            bits: Vec::with_capacity(n.div_ceil(64)),
            len: 0,
        }
    }

    /// A mask of `len` entries, all valid.
    pub fn all_valid(len: usize) -> Self {
        let mut bits = vec![u64::MAX; len.div_ceil(64)];
        if !len.is_multiple_of(64) {
            if let Some(last) = bits.last_mut() {
                *last = (1u64 << (len % 64)) - 1;
            }
        }
        NullMask { bits, len }
    }

    #[inline]
    pub fn push(&mut self, valid: bool) {
        let bit = u64::from(valid) << (self.len % 64);
        if self.len.is_multiple_of(64) {
            self.bits.push(bit);
        } else if let Some(last) = self.bits.last_mut() {
            *last |= bit;
        }
        self.len += 1;
    }

    pub fn set(&mut self, i: usize, valid: bool) {
        if i >= self.len {
            return;
        }
        let (w, b) = (i / 64, i % 64);
        if valid {
            self.bits[w] |= 1u64 << b;
        } else {
            self.bits[w] &= !(1u64 << b);
        }
    }

    #[inline]
    pub fn is_valid(&self, i: usize) -> bool {
        i < self.len && (self.bits[i / 64] >> (i % 64)) & 1 == 1
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn null_count(&self) -> usize {
        self.len
            - self
                .bits
                .iter()
                .map(|w| w.count_ones() as usize)
                .sum::<usize>()
    }

    pub fn heap_bytes(&self) -> usize {
        self.bits.capacity() * 8
    }

    /// The bitmap's words (bit `i % 64` of word `i / 64` is entry `i`; bits past `len` are 0).
    pub fn words(&self) -> &[u64] {
        &self.bits
    }

    /// Appends the first `n` entries of another mask's words, whatever this mask's length.
    pub fn extend_words(&mut self, words: &[u64], n: usize) {
        let n = n.min(words.len() * 64);
        let shift = self.len % 64;
        if shift == 0 {
            self.bits.extend_from_slice(&words[..n.div_ceil(64)]);
        } else {
            for (k, &w) in words[..n.div_ceil(64)].iter().enumerate() {
                if let Some(last) = self.bits.last_mut() {
                    *last |= w << shift;
                }
                // The word's high bits start the next word, if entries remain for it.
                if self.len + k * 64 + (64 - shift) < self.len + n {
                    self.bits.push(w >> (64 - shift));
                }
            }
        }
        self.len += n;
        // Bits past `len` stay 0 (a mask compared with `==` or counted must not see them).
        if !self.len.is_multiple_of(64) {
            if let Some(last) = self.bits.last_mut() {
                *last &= (1u64 << (self.len % 64)) - 1;
            }
        }
        self.bits.truncate(self.len.div_ceil(64));
    }
}

/// The stored values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    Integer(Vec<i64>),
    /// Exact decimals: value = `units / 10^scale`, one scale per column.
    Decimal {
        units: Vec<i64>,
        scale: u8,
    },
    Float(Vec<f64>),
    Boolean(Vec<bool>),
    /// Days since 1970-01-01.
    Date(Vec<i32>),
    /// Seconds since 1970-01-01T00:00:00.
    Datetime(Vec<i64>),
    /// Dictionary-encoded text: `dict[codes[i]]`. The dictionary holds distinct strings in
    /// first-appearance order.
    Text {
        codes: Codes,
        dict: Dict,
    },
    /// Mostly-distinct text kept row by row (labels): see [`Strings`]. The same logical type
    /// as `Text`; [`ColumnData::text_codes`] gives both as codes and a dictionary.
    Strings(Strings),
}

impl ColumnData {
    pub fn column_type(&self) -> ColumnType {
        match self {
            ColumnData::Integer(_) => ColumnType::Integer,
            ColumnData::Decimal { .. } => ColumnType::Decimal,
            ColumnData::Float(_) => ColumnType::Float,
            ColumnData::Boolean(_) => ColumnType::Boolean,
            ColumnData::Date(_) => ColumnType::Date,
            ColumnData::Datetime(_) => ColumnType::Datetime,
            ColumnData::Text { .. } | ColumnData::Strings(_) => ColumnType::Text,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            ColumnData::Integer(v) => v.len(),
            ColumnData::Decimal { units, .. } => units.len(),
            ColumnData::Float(v) => v.len(),
            ColumnData::Boolean(v) => v.len(),
            ColumnData::Date(v) => v.len(),
            ColumnData::Datetime(v) => v.len(),
            ColumnData::Text { codes, .. } => codes.len(),
            ColumnData::Strings(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A text column as codes into a dictionary of distinct values (a [`Strings`] column's
    /// encoding is built on the first call); `None` for other types.
    pub fn text_codes(&self) -> Option<(&Codes, &Dict)> {
        match self {
            ColumnData::Text { codes, dict } => Some((codes, dict)),
            ColumnData::Strings(s) => {
                let (codes, dict) = s.encoded();
                Some((codes, dict))
            }
            _ => None,
        }
    }

    /// The number of distinct values of a text column if known without computing anything
    /// (a dictionary's length; `None` for a [`Strings`] column not yet encoded, which holds
    /// mostly distinct values, and for other types).
    pub fn known_distinct(&self) -> Option<usize> {
        match self {
            ColumnData::Text { dict, .. } => Some(dict.len()),
            ColumnData::Strings(s) if s.is_encoded() => Some(s.encoded().1.len()),
            _ => None,
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            ColumnData::Integer(v) => v.capacity() * 8,
            ColumnData::Decimal { units, .. } => units.capacity() * 8,
            ColumnData::Float(v) => v.capacity() * 8,
            ColumnData::Boolean(v) => v.capacity(),
            ColumnData::Date(v) => v.capacity() * 4,
            ColumnData::Datetime(v) => v.capacity() * 8,
            ColumnData::Text { codes, dict } => codes.heap_bytes() + dict.heap_bytes(),
            ColumnData::Strings(s) => s.heap_bytes(),
        }
    }
}

/// A value that could not be read as the column's type: kept for the profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvalidValue {
    /// Data row index (0-based, header excluded).
    pub row: usize,
    pub text: String,
}

/// One named, typed column of a dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub data: ColumnData,
    pub valid: NullMask,
    pub key: Option<KeyKind>,
    /// Cells that were not null and did not parse as `data`'s type (stored as null).
    /// At most [`Column::MAX_INVALID_KEPT`] examples are kept; `invalid_count` has the total.
    pub invalid: Vec<InvalidValue>,
    pub invalid_count: usize,
    /// The text dictionary's sort ranks, computed on first use (see [`Column::text_ranks`]).
    ranks: RankCache,
}

/// `(rank, order)` of a text dictionary: `rank[code]` is the code's position in string order,
/// `order[rank]` the code at that position.
pub type TextRanks = (Vec<u32>, Vec<u32>);

/// A lazily computed [`TextRanks`], ignored by `==` (it is derived from the data) and tagged
/// with the dictionary length it was computed for, so a column whose dictionary was replaced
/// never reads stale ranks.
#[derive(Debug, Clone, Default)]
struct RankCache(std::sync::OnceLock<(usize, std::sync::Arc<TextRanks>)>);

impl PartialEq for RankCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Column {
    /// A column of `ty` holding `values` (a value of another kind is null; decimals take the
    /// largest scale among them). For small tables built from query answers.
    pub fn from_values(name: impl Into<String>, ty: ColumnType, values: &[Value]) -> Column {
        let mut valid = NullMask::with_capacity(values.len());
        let scale = values
            .iter()
            .filter_map(|v| match v {
                Value::Decimal { scale, .. } => Some(*scale),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let mut ok = |b: bool| valid.push(b);
        let data = match ty {
            ColumnType::Integer => ColumnData::Integer(
                values
                    .iter()
                    .map(|v| match v {
                        Value::Int(i) => {
                            ok(true);
                            *i
                        }
                        _ => {
                            ok(false);
                            0
                        }
                    })
                    .collect(),
            ),
            ColumnType::Decimal => ColumnData::Decimal {
                units: values
                    .iter()
                    .map(|v| match v {
                        Value::Decimal { units, scale: s } => {
                            ok(true);
                            units * 10i64.pow(u32::from(scale - s))
                        }
                        _ => {
                            ok(false);
                            0
                        }
                    })
                    .collect(),
                scale,
            },
            ColumnType::Float => ColumnData::Float(
                values
                    .iter()
                    .map(|v| match v {
                        Value::Float(_) | Value::Int(_) | Value::Decimal { .. } => {
                            ok(true);
                            v.as_f64().unwrap_or(0.0)
                        }
                        _ => {
                            ok(false);
                            0.0
                        }
                    })
                    .collect(),
            ),
            ColumnType::Boolean => ColumnData::Boolean(
                values
                    .iter()
                    .map(|v| {
                        ok(matches!(v, Value::Bool(_)));
                        matches!(v, Value::Bool(true))
                    })
                    .collect(),
            ),
            ColumnType::Date => ColumnData::Date(
                values
                    .iter()
                    .map(|v| match v {
                        Value::Date(d) => {
                            ok(true);
                            *d
                        }
                        _ => {
                            ok(false);
                            0
                        }
                    })
                    .collect(),
            ),
            ColumnType::Datetime => ColumnData::Datetime(
                values
                    .iter()
                    .map(|v| match v {
                        Value::DateTime(d) => {
                            ok(true);
                            *d
                        }
                        _ => {
                            ok(false);
                            0
                        }
                    })
                    .collect(),
            ),
            ColumnType::Text => {
                let mut dict = Dict::new();
                let mut seen = std::collections::HashMap::new();
                let codes = values
                    .iter()
                    .map(|v| {
                        ok(!v.is_null());
                        let t = match v {
                            Value::Null => String::new(),
                            Value::Text(t) => t.clone(),
                            other => other.to_plain_string(),
                        };
                        *seen.entry(t).or_insert_with_key(|t| dict.push(t))
                    })
                    .collect();
                ColumnData::Text { codes, dict }
            }
        };
        Column::new(name, data, valid)
    }

    pub const MAX_INVALID_KEPT: usize = 100;

    /// A column whose every value is valid unless `valid` says otherwise.
    pub fn new(name: impl Into<String>, data: ColumnData, valid: NullMask) -> Self {
        Column {
            name: name.into(),
            data,
            valid,
            key: None,
            invalid: Vec::new(),
            invalid_count: 0,
            ranks: RankCache::default(),
        }
    }

    /// The sort ranks of a text column's dictionary, computed once per column (sorting the
    /// dictionary of a million labels takes a visible fraction of a second), `None` for other
    /// types.
    pub fn text_ranks(&self) -> Option<std::sync::Arc<TextRanks>> {
        let (_, dict) = self.data.text_codes()?;
        let (len, ranks) = self.ranks.0.get_or_init(|| {
            (
                dict.len(),
                std::sync::Arc::new(crate::core::query::aggregate::text_ranks(dict)),
            )
        });
        if *len == dict.len() {
            Some(ranks.clone())
        } else {
            Some(std::sync::Arc::new(
                crate::core::query::aggregate::text_ranks(dict),
            ))
        }
    }

    pub fn column_type(&self) -> ColumnType {
        self.data.column_type()
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    #[inline]
    pub fn is_valid(&self, row: usize) -> bool {
        self.valid.is_valid(row)
    }

    /// The cell at `row` as a detached [`Value`] (`Null` when masked or out of range).
    pub fn value(&self, row: usize) -> Value {
        if !self.valid.is_valid(row) {
            return Value::Null;
        }
        match &self.data {
            ColumnData::Integer(v) => Value::Int(v[row]),
            ColumnData::Decimal { units, scale } => Value::Decimal {
                units: units[row],
                scale: *scale,
            },
            ColumnData::Float(v) => Value::Float(v[row]),
            ColumnData::Boolean(v) => Value::Bool(v[row]),
            ColumnData::Date(v) => Value::Date(v[row]),
            ColumnData::Datetime(v) => Value::DateTime(v[row]),
            ColumnData::Text { codes, dict } => dict
                .get(codes.get(row) as usize)
                .map_or(Value::Null, |s| Value::Text(s.to_string())),
            ColumnData::Strings(s) => s
                .get(row)
                .map_or(Value::Null, |s| Value::Text(s.to_string())),
        }
    }

    /// The text of a text cell without cloning; `None` for null or non-text columns.
    #[inline]
    pub fn text(&self, row: usize) -> Option<&str> {
        match &self.data {
            ColumnData::Text { codes, dict } if self.valid.is_valid(row) => {
                dict.get(codes.get(row) as usize)
            }
            ColumnData::Strings(s) if self.valid.is_valid(row) => s.get(row),
            _ => None,
        }
    }

    /// The cell as a float (numbers, dates as days); `None` for null and text.
    #[inline]
    pub fn f64_at(&self, row: usize) -> Option<f64> {
        if !self.valid.is_valid(row) {
            return None;
        }
        match &self.data {
            ColumnData::Integer(v) => Some(v[row] as f64),
            ColumnData::Decimal { units, scale } => {
                Some(units[row] as f64 / 10f64.powi(i32::from(*scale)))
            }
            ColumnData::Float(v) => Some(v[row]),
            ColumnData::Boolean(v) => Some(if v[row] { 1.0 } else { 0.0 }),
            ColumnData::Date(v) => Some(f64::from(v[row])),
            ColumnData::Datetime(v) => Some(v[row] as f64),
            ColumnData::Text { .. } | ColumnData::Strings(_) => None,
        }
    }

    /// Approximate heap bytes held by this column.
    pub fn heap_bytes(&self) -> usize {
        self.data.heap_bytes() + self.valid.heap_bytes() + self.name.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_mask_tracks_validity_across_words() {
        let mut m = NullMask::with_capacity(130);
        for i in 0..130 {
            m.push(i % 3 != 0);
        }
        assert_eq!(m.len(), 130);
        assert!(!m.is_valid(0) && m.is_valid(1) && !m.is_valid(129) && m.is_valid(128));
        assert_eq!(m.null_count(), 44);
        m.set(0, true);
        assert_eq!(m.null_count(), 43);
        assert_eq!(NullMask::all_valid(65).null_count(), 0);
        assert!(!NullMask::all_valid(65).is_valid(65));
    }
}
