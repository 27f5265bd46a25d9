//! Column profile: missing, distinct, top values with counts, min / max / mean, and values
//! that were invalid for the column's type.
//!
//! Invariants: computed from the stored column in a few passes over integers (text goes
//! through dictionary codes, never through strings per row); `top` holds at most
//! [`TOP_VALUES`] non-null values, most frequent first; `min`, `max` and `mean` are null
//! except for numbers (mean as a float) and dates / datetimes (mean as a date / datetime).

use serde::Serialize;

use super::column::{ColumnType, InvalidValue, KeyKind};
use super::dataset::Dataset;
use super::query::aggregate::aggregate;
use super::query::{distinct_counts, AggOp, Aggregate, QueryError, Selection};
use super::value::Value;

/// Number of most frequent values a profile lists.
pub const TOP_VALUES: usize = 10;

/// What a column holds, for the column panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
    pub key: Option<KeyKind>,
    pub rows: usize,
    /// Null cells (including cells that were invalid for the type).
    pub missing: usize,
    /// Distinct non-null values.
    pub distinct: usize,
    /// Most frequent non-null values with their counts.
    pub top: Vec<(Value, usize)>,
    pub min: Value,
    pub max: Value,
    pub mean: Value,
    /// Cells that did not parse as the column's type.
    pub invalid_count: usize,
    /// Up to [`crate::core::Column::MAX_INVALID_KEPT`] examples of them.
    pub invalid: Vec<InvalidValue>,
}

/// Profiles one column of the dataset.
///
/// ```
/// use loupe::core::{Column, ColumnData, Dataset, NullMask, Value};
/// use loupe::core::profile::profile;
/// let col = Column::new("n", ColumnData::Integer(vec![3, 1, 3]), NullMask::all_valid(3));
/// let p = profile(&Dataset::from_columns(vec![col]), "n").unwrap_or_else(|e| panic!("{e}"));
/// assert_eq!((p.distinct, p.min, p.max), (2, Value::Int(1), Value::Int(3)));
/// ```
pub fn profile(ds: &Dataset, column: &str) -> Result<Profile, QueryError> {
    let col = ds.column(column)?;
    let all = Selection::all(ds.rows);
    let mut counts = distinct_counts(ds, &col.name, &all)?;
    counts.retain(|(v, _)| !v.is_null());
    let distinct = counts.len();
    counts.truncate(TOP_VALUES);
    let ty = col.column_type();
    let ordered = ty.is_numeric() || matches!(ty, ColumnType::Date | ColumnType::Datetime);
    let stat = |op: AggOp| -> Result<Value, QueryError> {
        if !ordered {
            return Ok(Value::Null);
        }
        let agg = Aggregate {
            op,
            column: Some(col.name.clone()),
            alias: None,
        };
        let (c, _) = aggregate(ds, all.as_slice(), &vec![0; ds.rows], 1, &agg, None)?;
        Ok(c.values.into_iter().next().unwrap_or(Value::Null))
    };
    Ok(Profile {
        name: col.name.clone(),
        ty,
        key: col.key,
        rows: ds.rows,
        missing: col.valid.null_count(),
        distinct,
        top: counts,
        min: stat(AggOp::Min)?,
        max: stat(AggOp::Max)?,
        mean: stat(AggOp::Mean)?,
        invalid_count: col.invalid_count,
        invalid: col.invalid.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::budget;
    use crate::core::value::days_from_civil;

    #[test]
    fn profiles_numbers_dates_and_text() {
        let ds = budget();
        let p = |c: &str| profile(&ds, c).unwrap_or_else(|e| panic!("{e}"));
        let m = p("montant");
        assert_eq!(
            (m.ty, m.rows, m.missing, m.distinct),
            (ColumnType::Decimal, 8, 1, 7)
        );
        assert_eq!(
            (m.min, m.max, m.mean),
            (
                Value::Decimal {
                    units: -375,
                    scale: 2
                },
                Value::Decimal {
                    units: 10000,
                    scale: 2
                },
                Value::Float(20.0)
            )
        );
        let r = p("region");
        assert_eq!((r.missing, r.distinct), (1, 3));
        assert_eq!(r.top[0], (Value::Text("Bretagne".into()), 4));
        assert_eq!((r.min, r.mean), (Value::Null, Value::Null));
        let d = p("date");
        let day = |y, mo, dd| Value::Date(days_from_civil(y, mo, dd).unwrap_or(0));
        assert_eq!((d.min, d.max), (day(2019, 3, 1), day(2022, 5, 5)));
        assert!(matches!(d.mean, Value::Date(_)));
        assert_eq!(
            profile(&ds, "nope").err(),
            Some(QueryError::UnknownColumn("nope".into()))
        );
    }

    #[test]
    fn top_is_capped_and_profile_serializes() {
        let vals: Vec<Option<i64>> = (0..25).map(Some).collect();
        let ds = Dataset::from_columns(vec![crate::core::testing::int("n", &vals)]);
        let p = profile(&ds, "n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.distinct, p.top.len()), (25, TOP_VALUES));
        let json = serde_json::to_string(&p).unwrap_or_default();
        assert!(json.contains("\"type\":\"integer\""), "{json}");
    }
}
