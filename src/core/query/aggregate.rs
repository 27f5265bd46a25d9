//! Aggregation: grouped rows -> one result column per [`Aggregate`].
//!
//! Every aggregate is a mergeable [`Accumulator`] (`Default + merge`), folded per group over
//! the raw column storage (no [`Value`] per row). Money stays exact: sums of integers and
//! decimals accumulate the stored `i64` units in an `i128`.
//!
//! Result types: `count` and `count_distinct` -> integer; `sum` -> the column's type
//! (integer, decimal with the column's scale, float; booleans count their `true`s); `mean` and
//! `median` -> float (date and datetime columns keep their type); `min` / `max` -> the
//! column's type (text compares by string); `share` -> float in 0..=1. An aggregate over no
//! value is null, except counts (0). A sum beyond `i64` units falls back to a float value.
//! Invariant: the result column has exactly one value per group.

use super::group::{densify, key_codes};
use super::{AggOp, Aggregate, QueryError};
use crate::core::column::{Column, ColumnData, ColumnType, NullMask};
use crate::core::dataset::Dataset;
use crate::core::value::Value;

/// A mergeable per-group accumulator: partial results of two chunks combine with `merge`.
pub trait Accumulator: Default + Clone {
    /// One input value.
    type In: Copy;
    fn push(&mut self, x: Self::In);
    /// Folds another partial result into this one.
    fn merge(&mut self, other: &Self);
}

/// Number of values seen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Count {
    pub n: u64,
}

impl Accumulator for Count {
    type In = ();
    fn push(&mut self, _: ()) {
        self.n += 1;
    }
    fn merge(&mut self, other: &Self) {
        self.n += other.n;
    }
}

/// Exact sum of integer storage units (integers, decimal units, dates, booleans).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntSum {
    pub sum: i128,
    pub n: u64,
}

impl Accumulator for IntSum {
    type In = i64;
    #[inline]
    fn push(&mut self, x: i64) {
        self.sum += i128::from(x);
        self.n += 1;
    }
    fn merge(&mut self, other: &Self) {
        self.sum += other.sum;
        self.n += other.n;
    }
}

/// Sum of floats.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FloatSum {
    pub sum: f64,
    pub n: u64,
}

impl Accumulator for FloatSum {
    type In = f64;
    #[inline]
    fn push(&mut self, x: f64) {
        self.sum += x;
        self.n += 1;
    }
    fn merge(&mut self, other: &Self) {
        self.sum += other.sum;
        self.n += other.n;
    }
}

/// Smallest and largest value seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Extremes<T> {
    pub min: Option<T>,
    pub max: Option<T>,
}

impl<T> Default for Extremes<T> {
    fn default() -> Self {
        Extremes {
            min: None,
            max: None,
        }
    }
}

impl<T: PartialOrd + Copy> Accumulator for Extremes<T> {
    type In = T;
    #[inline]
    fn push(&mut self, x: T) {
        if self.min.is_none_or(|m| x < m) {
            self.min = Some(x);
        }
        if self.max.is_none_or(|m| x > m) {
            self.max = Some(x);
        }
    }
    fn merge(&mut self, other: &Self) {
        if let Some(m) = other.min {
            self.push(m);
        }
        if let Some(m) = other.max {
            self.push(m);
        }
    }
}

/// All values, for the median (exact, not a sketch).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    pub values: Vec<f64>,
}

impl Accumulator for Sample {
    type In = f64;
    fn push(&mut self, x: f64) {
        self.values.push(x);
    }
    fn merge(&mut self, other: &Self) {
        self.values.extend_from_slice(&other.values);
    }
}

impl Sample {
    /// The median (mean of the two middle values for an even count); `None` when empty.
    pub fn median(&mut self) -> Option<f64> {
        let n = self.values.len();
        if n == 0 {
            return None;
        }
        let v = &mut self.values;
        let (_, &mut hi, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
        if n % 2 == 1 {
            return Some(hi);
        }
        let lo = v[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some((lo + hi) / 2.0)
    }
}

/// Folds `get(row)` into one accumulator per group; `rows[i]` belongs to group `ids[i]`.
pub fn fold<A: Accumulator>(
    rows: &[u32],
    ids: &[u32],
    groups: usize,
    get: impl Fn(usize) -> Option<A::In>,
) -> Vec<A> {
    let mut accs = vec![A::default(); groups];
    for (&r, &g) in rows.iter().zip(ids) {
        if let Some(x) = get(r as usize) {
            if let Some(acc) = accs.get_mut(g as usize) {
                acc.push(x);
            }
        }
    }
    accs
}

/// Like [`fold`] over a column's non-null rows; a column without nulls skips the mask.
pub fn fold_valid<A: Accumulator>(
    rows: &[u32],
    ids: &[u32],
    groups: usize,
    valid: &NullMask,
    get: impl Fn(usize) -> A::In,
) -> Vec<A> {
    if valid.null_count() == 0 {
        fold(rows, ids, groups, |r| Some(get(r)))
    } else {
        fold(rows, ids, groups, |r| valid.is_valid(r).then(|| get(r)))
    }
}

/// Folds a column stored as integers (integer, decimal, date, datetime, boolean) as `i64`;
/// `None` for float and text columns.
fn fold_ints<A: Accumulator<In = i64>>(
    col: &Column,
    rows: &[u32],
    ids: &[u32],
    n: usize,
) -> Option<Vec<A>> {
    let valid = &col.valid;
    Some(match &col.data {
        ColumnData::Integer(v) | ColumnData::Datetime(v) | ColumnData::Decimal { units: v, .. } => {
            fold_valid(rows, ids, n, valid, |r| v[r])
        }
        ColumnData::Date(v) => fold_valid(rows, ids, n, valid, |r| i64::from(v[r])),
        ColumnData::Boolean(v) => fold_valid(rows, ids, n, valid, |r| i64::from(v[r])),
        ColumnData::Float(_) | ColumnData::Text { .. } | ColumnData::Strings(_) => return None,
    })
}

/// One computed result column.
#[derive(Debug, Clone, PartialEq)]
pub struct AggColumn {
    pub name: String,
    pub ty: ColumnType,
    pub values: Vec<Value>,
}

/// The output name of an aggregate: its alias, else `op` or `op_column`.
pub fn output_name(a: &Aggregate) -> String {
    if let Some(alias) = &a.alias {
        return alias.clone();
    }
    let op = serde_json::to_value(a.op)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match &a.column {
        Some(c) => format!("{op}_{c}"),
        None => op,
    }
}

/// Computes `agg` for each of `groups` groups (`rows[i]` in group `ids[i]`). For `share`,
/// `share_total` is the denominator (the whole filtered total); `None` means the sum over
/// these groups. Returns the column and the share denominator used (for an "Autres" row).
pub fn aggregate(
    ds: &Dataset,
    rows: &[u32],
    ids: &[u32],
    groups: usize,
    agg: &Aggregate,
    share_total: Option<f64>,
) -> Result<(AggColumn, Option<f64>), QueryError> {
    let name = output_name(agg);
    let col = match &agg.column {
        Some(c) => Some(ds.column(c)?),
        None => None,
    };
    let bad = |why: &str| QueryError::BadAggregate(format!("{name}: {why}"));
    let need_col = || col.ok_or_else(|| bad("colonne manquante / missing column"));
    let not_numeric = || bad("colonne non numérique / not a numeric column");
    let mut total_used = None;
    let (ty, values): (ColumnType, Vec<Value>) = match agg.op {
        AggOp::Count => {
            let counts: Vec<Count> = match col {
                None => fold(rows, ids, groups, |_| Some(())),
                Some(c) => fold(rows, ids, groups, |r| c.valid.is_valid(r).then_some(())),
            };
            (
                ColumnType::Integer,
                counts.iter().map(|c| Value::Int(c.n as i64)).collect(),
            )
        }
        AggOp::CountDistinct => {
            let c = need_col()?;
            let keys = key_codes(c, rows);
            let pairs = ids
                .iter()
                .zip(&keys.codes)
                .map(|(&g, &k)| u64::from(g) * keys.card + u64::from(k));
            let seen = densify(pairs, (groups as u64).saturating_mul(keys.card), rows.len());
            let mut counts = vec![0i64; groups];
            for &pos in &seen.first {
                let pos = pos as usize;
                if keys.codes[pos] != 0 {
                    counts[ids[pos] as usize] += 1;
                }
            }
            (
                ColumnType::Integer,
                counts.into_iter().map(Value::Int).collect(),
            )
        }
        AggOp::Sum => {
            let c = need_col()?;
            match &c.data {
                ColumnData::Integer(_) | ColumnData::Boolean(_) | ColumnData::Decimal { .. } => {
                    let sums: Vec<IntSum> = fold_ints(c, rows, ids, groups).unwrap_or_default();
                    let scale = if let ColumnData::Decimal { scale, .. } = &c.data {
                        Some(*scale)
                    } else {
                        None
                    };
                    let ty = if scale.is_some() {
                        ColumnType::Decimal
                    } else {
                        ColumnType::Integer
                    };
                    (ty, sums.iter().map(|s| sum_value(s, scale)).collect())
                }
                ColumnData::Float(v) => {
                    let sums: Vec<FloatSum> = fold_valid(rows, ids, groups, &c.valid, |r| v[r]);
                    let vals = sums.iter().map(|s| {
                        if s.n == 0 {
                            Value::Null
                        } else {
                            Value::Float(s.sum)
                        }
                    });
                    (ColumnType::Float, vals.collect())
                }
                _ => return Err(not_numeric()),
            }
        }
        AggOp::Mean => {
            let c = need_col()?;
            let ty = time_or_float(c.column_type());
            let values = match &c.data {
                ColumnData::Float(v) => {
                    let sums: Vec<FloatSum> = fold_valid(rows, ids, groups, &c.valid, |r| v[r]);
                    sums.iter()
                        .map(|s| {
                            if s.n == 0 {
                                Value::Null
                            } else {
                                Value::Float(s.sum / s.n as f64)
                            }
                        })
                        .collect()
                }
                ColumnData::Text { .. } | ColumnData::Strings(_) => return Err(not_numeric()),
                _ => {
                    let sums: Vec<IntSum> = fold_ints(c, rows, ids, groups).unwrap_or_default();
                    let unit = unit_of(&c.data);
                    sums.iter()
                        .map(|s| {
                            if s.n == 0 {
                                Value::Null
                            } else {
                                float_as(ty, s.sum as f64 / s.n as f64 / unit)
                            }
                        })
                        .collect()
                }
            };
            (ty, values)
        }
        AggOp::Median => {
            let c = need_col()?;
            if c.column_type() == ColumnType::Text {
                return Err(not_numeric());
            }
            let ty = time_or_float(c.column_type());
            let mut samples: Vec<Sample> = fold(rows, ids, groups, |r| c.f64_at(r));
            (
                ty,
                samples
                    .iter_mut()
                    .map(|s| s.median().map_or(Value::Null, |m| float_as(ty, m)))
                    .collect(),
            )
        }
        AggOp::Min | AggOp::Max => {
            let c = need_col()?;
            let want_min = agg.op == AggOp::Min;
            let values = match &c.data {
                ColumnData::Float(v) => {
                    let ex: Vec<Extremes<f64>> = fold_valid(rows, ids, groups, &c.valid, |r| v[r]);
                    ex.iter()
                        .map(|e| pick(e, want_min).map_or(Value::Null, Value::Float))
                        .collect()
                }
                data @ (ColumnData::Text { .. } | ColumnData::Strings(_)) => {
                    let Some((codes, dict)) = data.text_codes() else {
                        return Err(not_numeric());
                    };
                    let ranks = c.text_ranks().unwrap_or_default();
                    let (rank, order) = (&ranks.0, &ranks.1);
                    let ex: Vec<Extremes<u32>> = fold(rows, ids, groups, |r| {
                        c.valid.is_valid(r).then(|| rank[codes.get(r) as usize])
                    });
                    ex.iter()
                        .map(|e| {
                            pick(e, want_min).map_or(Value::Null, |k| {
                                Value::Text(dict[order[k as usize] as usize].to_string())
                            })
                        })
                        .collect()
                }
                data => {
                    let ex: Vec<Extremes<i64>> =
                        fold_ints(c, rows, ids, groups).unwrap_or_default();
                    ex.iter()
                        .map(|e| pick(e, want_min).map_or(Value::Null, |x| int_value(data, x)))
                        .collect()
                }
            };
            (c.column_type(), values)
        }
        AggOp::Share => {
            let parts: Vec<f64> = match col {
                None => fold::<Count>(rows, ids, groups, |_| Some(()))
                    .iter()
                    .map(|c| c.n as f64)
                    .collect(),
                Some(c) => match &c.data {
                    ColumnData::Float(v) => {
                        fold::<FloatSum>(rows, ids, groups, |r| c.valid.is_valid(r).then(|| v[r]))
                            .iter()
                            .map(|s| s.sum)
                            .collect()
                    }
                    ColumnData::Integer(_)
                    | ColumnData::Decimal { .. }
                    | ColumnData::Boolean(_) => fold_ints::<IntSum>(c, rows, ids, groups)
                        .unwrap_or_default()
                        .iter()
                        .map(|s| s.sum as f64)
                        .collect(),
                    _ => return Err(not_numeric()),
                },
            };
            let total = share_total.unwrap_or_else(|| parts.iter().sum());
            total_used = Some(total);
            let vals = parts.iter().map(|p| {
                if total == 0.0 {
                    Value::Null
                } else {
                    Value::Float(p / total)
                }
            });
            (ColumnType::Float, vals.collect())
        }
    };
    Ok((AggColumn { name, ty, values }, total_used))
}

fn pick<T: Copy>(e: &Extremes<T>, want_min: bool) -> Option<T> {
    if want_min {
        e.min
    } else {
        e.max
    }
}

/// An exact sum as a value: integer or decimal units, a float only beyond `i64`.
fn sum_value(s: &IntSum, scale: Option<u8>) -> Value {
    if s.n == 0 {
        return Value::Null;
    }
    match (i64::try_from(s.sum), scale) {
        (Ok(units), Some(scale)) => Value::Decimal { units, scale },
        (Ok(i), None) => Value::Int(i),
        (Err(_), scale) => Value::Float(s.sum as f64 / 10f64.powi(i32::from(scale.unwrap_or(0)))),
    }
}

/// Storage units per value: `10^scale` for decimals, 1 otherwise.
fn unit_of(data: &ColumnData) -> f64 {
    match data {
        ColumnData::Decimal { scale, .. } => 10f64.powi(i32::from(*scale)),
        _ => 1.0,
    }
}

/// Mean and median keep dates and datetimes as such; everything else becomes a float.
fn time_or_float(ty: ColumnType) -> ColumnType {
    match ty {
        ColumnType::Date | ColumnType::Datetime => ty,
        _ => ColumnType::Float,
    }
}

fn float_as(ty: ColumnType, x: f64) -> Value {
    match ty {
        ColumnType::Date => Value::Date(x.round() as i32),
        ColumnType::Datetime => Value::DateTime(x.round() as i64),
        _ => Value::Float(x),
    }
}

/// A stored integer as a value of the column's type.
pub fn int_value(data: &ColumnData, x: i64) -> Value {
    match data {
        ColumnData::Decimal { scale, .. } => Value::Decimal {
            units: x,
            scale: *scale,
        },
        ColumnData::Date(_) => Value::Date(x as i32),
        ColumnData::Datetime(_) => Value::DateTime(x),
        ColumnData::Boolean(_) => Value::Bool(x != 0),
        _ => Value::Int(x),
    }
}

/// `(rank, order)`: `rank[code]` is the code's position in string order; `order[rank]` is the
/// code at that position.
pub fn text_ranks(dict: &crate::core::column::Dict) -> (Vec<u32>, Vec<u32>) {
    let mut order: Vec<u32> = (0..dict.len() as u32).collect();
    order.sort_by(|&a, &b| dict[a as usize].cmp(&dict[b as usize]));
    let mut rank = vec![0u32; dict.len()];
    for (pos, &code) in order.iter().enumerate() {
        rank[code as usize] = pos as u32;
    }
    (rank, order)
}
