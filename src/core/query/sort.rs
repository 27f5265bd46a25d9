//! Sorting: result rows by output columns, and raw dataset rows by dataset columns (the table
//! view sorted by a header).
//!
//! Invariants: sorts are stable (equal keys keep their previous order); nulls go last in both
//! directions; numbers compare by value across integer, decimal and float; text compares by
//! string (byte order), using per-dictionary ranks so that raw-row sorts never touch strings.

use std::cmp::Ordering;

use super::{QueryError, Selection, SortKey};
use crate::core::column::{ColumnData, NullMask};
use crate::core::dataset::Dataset;
use crate::core::value::Value;

/// Total order on values for display: nulls last, then numbers (by value), booleans, dates,
/// datetimes, text. Values of different kinds compare by kind.
pub fn cmp_values(a: &Value, b: &Value) -> Ordering {
    use Value::*;
    match (a, b) {
        (Null, Null) => Ordering::Equal,
        (Null, _) => Ordering::Greater,
        (_, Null) => Ordering::Less,
        (Int(x), Int(y)) => x.cmp(y),
        (Decimal { units: x, scale: s }, Decimal { units: y, scale: t }) if s == t => x.cmp(y),
        (Text(x), Text(y)) => x.cmp(y),
        (Bool(x), Bool(y)) => x.cmp(y),
        (Date(x), Date(y)) => x.cmp(y),
        (DateTime(x), DateTime(y)) => x.cmp(y),
        (Int(_) | Decimal { .. } | Float(_), Int(_) | Decimal { .. } | Float(_)) => {
            let (x, y) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            x.total_cmp(&y)
        }
        _ => kind_rank(a).cmp(&kind_rank(b)),
    }
}

fn kind_rank(v: &Value) -> u8 {
    match v {
        Value::Int(_) | Value::Decimal { .. } | Value::Float(_) => 0,
        Value::Bool(_) => 1,
        Value::Date(_) => 2,
        Value::DateTime(_) => 3,
        Value::Text(_) => 4,
        Value::Null => 5,
    }
}

/// Sorts result rows stably by output columns (`names` are the result's column names).
pub fn sort_result_rows(
    rows: &mut [Vec<Value>],
    names: &[String],
    by: &[SortKey],
) -> Result<(), QueryError> {
    let keys: Vec<(usize, bool)> = by
        .iter()
        .map(|k| {
            names
                .iter()
                .position(|n| *n == k.column)
                .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(&k.column)))
                .map(|i| (i, k.desc))
                .ok_or_else(|| QueryError::UnknownColumn(k.column.clone()))
        })
        .collect::<Result<_, _>>()?;
    rows.sort_by(|a, b| {
        for &(i, desc) in &keys {
            let (x, y) = (&a[i], &b[i]);
            let ord = match (x.is_null(), y.is_null()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                _ if desc => cmp_values(y, x),
                _ => cmp_values(x, y),
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
    Ok(())
}

/// One raw-row sort key, over the column's storage.
enum RowKey<'a> {
    I64(&'a [i64]),
    I32(&'a [i32]),
    F64(&'a [f64]),
    Bool(&'a [bool]),
    /// Text: `ranks[code]` is the code's position in string order.
    Text(&'a [u32], std::sync::Arc<crate::core::column::TextRanks>),
}

impl RowKey<'_> {
    #[inline]
    fn cmp(&self, a: usize, b: usize) -> Ordering {
        match self {
            RowKey::I64(v) => v[a].cmp(&v[b]),
            RowKey::I32(v) => v[a].cmp(&v[b]),
            RowKey::F64(v) => v[a].total_cmp(&v[b]),
            RowKey::Bool(v) => v[a].cmp(&v[b]),
            RowKey::Text(codes, ranks) => {
                ranks.0[codes[a] as usize].cmp(&ranks.0[codes[b] as usize])
            }
        }
    }
}

/// Orders the rows of `sel` by dataset columns (stable, nulls last), for a table view sorted
/// by a header. An empty `by` returns the selection unchanged.
pub fn sort_rows(ds: &Dataset, sel: &Selection, by: &[SortKey]) -> Result<Selection, QueryError> {
    let keys: Vec<(RowKey, &NullMask, bool)> = by
        .iter()
        .map(|k| {
            let col = ds.column(&k.column)?;
            let key = match &col.data {
                ColumnData::Integer(v)
                | ColumnData::Datetime(v)
                | ColumnData::Decimal { units: v, .. } => RowKey::I64(v),
                ColumnData::Date(v) => RowKey::I32(v),
                ColumnData::Float(v) => RowKey::F64(v),
                ColumnData::Boolean(v) => RowKey::Bool(v),
                ColumnData::Text { codes, .. } => {
                    RowKey::Text(codes, col.text_ranks().unwrap_or_default())
                }
            };
            Ok((key, &col.valid, k.desc))
        })
        .collect::<Result<_, QueryError>>()?;
    let mut rows = sel.as_slice().to_vec();
    if keys.is_empty() {
        return Ok(Selection::from_rows(rows));
    }
    rows.sort_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        for (key, valid, desc) in &keys {
            let ord = match (valid.is_valid(a), valid.is_valid(b)) {
                (false, false) => Ordering::Equal,
                (false, true) => Ordering::Greater,
                (true, false) => Ordering::Less,
                (true, true) if *desc => key.cmp(b, a),
                (true, true) => key.cmp(a, b),
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
    Ok(Selection::from_rows(rows))
}
