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
    Text(
        &'a crate::core::column::Codes,
        std::sync::Arc<crate::core::column::TextRanks>,
    ),
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
                ranks.0[codes.get(a) as usize].cmp(&ranks.0[codes.get(b) as usize])
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
                data @ (ColumnData::Text { .. } | ColumnData::Strings(_)) => {
                    let (codes, _) = data
                        .text_codes()
                        .ok_or_else(|| QueryError::UnknownColumn(k.column.clone()))?;
                    RowKey::Text(codes, col.text_ranks().unwrap_or_default())
                }
            };
            Ok((key, &col.valid, k.desc))
        })
        .collect::<Result<_, QueryError>>()?;
    if keys.is_empty() {
        return Ok(sel.clone());
    }
    if let [(key, valid, desc)] = keys.as_slice() {
        return Ok(sort_by_one_key(sel.as_slice(), key, valid, *desc));
    }
    Ok(sort_by_comparator(sel.as_slice(), &keys))
}

/// The general path: a stable sort comparing key after key.
fn sort_by_comparator(sel: &[u32], keys: &[(RowKey, &NullMask, bool)]) -> Selection {
    let mut rows = sel.to_vec();
    rows.sort_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        for (key, valid, desc) in keys {
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
    Selection::from_rows(rows)
}

/// The one-header sort of the table, the common case: each valid row becomes a `u64` whose
/// unsigned order is the column's order (reversed for `desc`) paired with its position, so an
/// unstable sort of plain integers gives exactly the stable comparator's order, several times
/// faster (no bitmap test nor indirection per comparison); nulls follow in selection order.
fn sort_by_one_key(sel: &[u32], key: &RowKey, valid: &NullMask, desc: bool) -> Selection {
    const SIGN: u64 = 1 << 63;
    let order = |r: usize| -> u64 {
        match key {
            RowKey::I64(v) => (v[r] as u64) ^ SIGN,
            RowKey::I32(v) => (i64::from(v[r]) as u64) ^ SIGN,
            // The classic total-order transform, the same order as `f64::total_cmp`.
            RowKey::F64(v) => {
                let b = v[r].to_bits();
                if b & SIGN != 0 {
                    !b
                } else {
                    b ^ SIGN
                }
            }
            RowKey::Bool(v) => u64::from(v[r]),
            RowKey::Text(codes, ranks) => u64::from(ranks.0[codes.get(r) as usize]),
        }
    };
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(sel.len());
    let mut nulls: Vec<u32> = Vec::new();
    for (pos, &r) in sel.iter().enumerate() {
        if valid.is_valid(r as usize) {
            let k = order(r as usize);
            keyed.push((if desc { !k } else { k }, pos as u32));
        } else {
            nulls.push(r);
        }
    }
    keyed.sort_unstable();
    let mut rows: Vec<u32> = keyed
        .into_iter()
        .map(|(_, pos)| sel[pos as usize])
        .collect();
    rows.extend(nulls);
    Selection::from_rows(rows)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod one_key_tests {
    use proptest::prelude::*;

    use super::*;
    use crate::core::testing::{boolean, float, int, text};

    proptest! {
        /// The fast one-key path orders rows exactly as the stable comparator does, for every
        /// storage kind, both directions, with nulls, ties and any selection order.
        #[test]
        fn one_key_sort_equals_the_stable_comparator(
            vals in proptest::collection::vec(proptest::option::weighted(0.8, -5i64..5), 0..60),
            floats in proptest::collection::vec(proptest::option::weighted(0.8, prop_oneof![-3.0f64..3.0, Just(-0.0), Just(f64::NAN), Just(f64::INFINITY)]), 60),
            desc in any::<bool>(),
            shuffle in proptest::collection::vec(any::<u32>(), 60),
        ) {
            let n = vals.len();
            let words = ["b", "a", "é", "A", ""];
            let texts: Vec<Option<&str>> = vals.iter().map(|v| v.map(|x| words[x.unsigned_abs() as usize % 5])).collect();
            let bools: Vec<Option<bool>> = vals.iter().map(|v| v.map(|x| x > 0)).collect();
            let ds = Dataset::from_columns(vec![
                int("i", &vals),
                float("f", &floats[..n]),
                text("t", &texts),
                boolean("b", &bools),
            ]);
            let mut order: Vec<u32> = (0..n as u32).collect();
            order.sort_by_key(|&r| shuffle[r as usize]);
            let sel = Selection::from_rows(order);
            for name in ["i", "f", "t", "b"] {
                let col = ds.column(name).map_err(|e| TestCaseError::fail(e.0))?;
                let ranks = col.text_ranks().unwrap_or_default();
                let key = match &col.data {
                    ColumnData::Integer(v) => RowKey::I64(v),
                    ColumnData::Float(v) => RowKey::F64(v),
                    ColumnData::Boolean(v) => RowKey::Bool(v),
                    ColumnData::Text { codes, .. } => RowKey::Text(codes, ranks),
                    _ => return Err(TestCaseError::fail("unexpected type")),
                };
                let fast = sort_by_one_key(sel.as_slice(), &key, &col.valid, desc);
                let slow = sort_by_comparator(sel.as_slice(), &[(key, &col.valid, desc)]);
                prop_assert_eq!(fast, slow, "column {}", name);
            }
        }
    }
}
