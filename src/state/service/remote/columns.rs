//! Answers about single columns: the raw values a histogram or a scatter plot reads, a
//! column's profile and its value counts (see the parent module for how they stay exact).

use super::{
    call, columns_export, fresh_alias, local, outs, scale_of, Finish, LocalRequest, Out, Plan,
    Remote, MAX_FALLBACK_ROWS,
};
use crate::core::column::{ColumnType, KeyKind};
use crate::core::query::{self, AggOp, Aggregate, Query, QueryError, ResultColumn};
use crate::core::Value;
use crate::state::odsql::{self, ApiCall, Endpoint};
use crate::state::view::{ViewSpec, MAX_CHART_POINTS, MAX_HISTOGRAM_VALUES};

/// Most raw values a histogram or a scatter plot reads from the portal: the first rows that
/// match, as many as the browser engine reads (spread evenly over all rows there) but never
/// more than [`MAX_FALLBACK_ROWS`]. When the answer has exactly this many rows, the page says
/// that the chart shows the first rows only.
pub fn raw_values_limit(kind: &crate::chart::ChartKind) -> usize {
    match kind {
        crate::chart::ChartKind::Histogram => MAX_HISTOGRAM_VALUES.min(MAX_FALLBACK_ROWS),
        _ => MAX_CHART_POINTS,
    }
}

/// Raw values of some columns (histograms, scatter plots): the first `most` matching rows
/// (a text search: the rows the exact filters keep, searched and charted here).
pub(super) fn raw_values(
    view: ViewSpec,
    names: &[String],
    most: usize,
    r: &Remote,
) -> Result<Plan, QueryError> {
    let filters = &view.filters;
    let w = match odsql::where_clause(filters, r.fields) {
        Ok(w) => w,
        Err(_) => return local(filters, names, LocalRequest::Chart(view.clone()), r),
    };
    let mut columns = Vec::new();
    for n in names {
        let c = r
            .sample
            .column(n)
            .map_err(|e| QueryError::UnknownColumn(e.0))?;
        columns.push(Out {
            column: ResultColumn {
                name: c.name.clone(),
                ty: c.column_type(),
            },
            scale: scale_of(&c.data),
        });
    }
    Ok(Plan {
        calls: vec![columns_export(names, w, most)],
        finish: Finish::Table {
            columns,
            max_rows: None,
        },
    })
}

/// A profile from every value of a column with its count, most frequent first: what
/// `core::profile::profile` computes from the rows (means of dates rounded to a day as there).
pub(super) fn profile_of(
    column: &ResultColumn,
    key: Option<KeyKind>,
    counts: Vec<Vec<Value>>,
) -> crate::core::profile::Profile {
    let ty = column.ty;
    let pairs: Vec<(Value, usize)> = counts
        .into_iter()
        .map(|mut r| {
            let n = r.pop().and_then(|v| v.as_f64()).unwrap_or(0.0) as usize;
            (r.pop().unwrap_or(Value::Null), n)
        })
        .collect();
    let rows = pairs.iter().map(|(_, n)| n).sum();
    let missing = pairs
        .iter()
        .filter(|(v, _)| v.is_null())
        .map(|(_, n)| n)
        .sum();
    let values: Vec<(Value, usize)> = pairs.into_iter().filter(|(v, _)| !v.is_null()).collect();
    let ordered = ty.is_numeric() || matches!(ty, ColumnType::Date | ColumnType::Datetime);
    let (mut min, mut max, mut mean) = (Value::Null, Value::Null, Value::Null);
    if ordered && !values.is_empty() {
        let key_of = |v: &Value| v.as_f64().unwrap_or(0.0);
        min = values
            .iter()
            .map(|(v, _)| v)
            .min_by(|a, b| key_of(a).total_cmp(&key_of(b)))
            .cloned()
            .unwrap_or(Value::Null);
        max = values
            .iter()
            .map(|(v, _)| v)
            .max_by(|a, b| key_of(a).total_cmp(&key_of(b)))
            .cloned()
            .unwrap_or(Value::Null);
        let n: usize = values.iter().map(|(_, n)| n).sum();
        // As the engine does: stored integers (decimal units, days, seconds) summed exactly,
        // then divided; floats summed as floats.
        let units = |v: &Value| match v {
            Value::Int(i) => Some((i128::from(*i), 0u8)),
            Value::Decimal { units, scale } => Some((i128::from(*units), *scale)),
            Value::Date(d) => Some((i128::from(*d), 0)),
            Value::DateTime(t) => Some((i128::from(*t), 0)),
            _ => None,
        };
        let x = if values.iter().all(|(v, _)| units(v).is_some()) {
            let scale = values
                .iter()
                .filter_map(|(v, _)| units(v).map(|u| u.1))
                .max()
                .unwrap_or(0);
            let sum: i128 = values
                .iter()
                .filter_map(|(v, c)| {
                    units(v).map(|(u, s)| u * 10i128.pow(u32::from(scale - s)) * *c as i128)
                })
                .sum();
            sum as f64 / n as f64 / 10f64.powi(i32::from(scale))
        } else {
            values
                .iter()
                .map(|(v, c)| key_of(v) * *c as f64)
                .sum::<f64>()
                / n as f64
        };
        mean = match ty {
            ColumnType::Date => Value::Date(x.round() as i32),
            ColumnType::Datetime => Value::DateTime(x.round() as i64),
            _ => Value::Float(x),
        };
    }
    let distinct = values.len();
    let mut top = values;
    top.truncate(crate::core::profile::TOP_VALUES);
    crate::core::profile::Profile {
        name: column.name.clone(),
        ty,
        key,
        rows,
        missing,
        distinct,
        top,
        min,
        max,
        mean,
        invalid_count: 0,
        invalid: Vec::new(),
    }
}

/// Every value of a column with its count, most frequent first (ties by value), as one export
/// call of at most [`query::budget::MAX_DISTINCT_VALUES`] + 1 groups, and its two columns.
pub(super) fn value_counts(column: &str, r: &Remote) -> Result<(ApiCall, Vec<Out>), QueryError> {
    let c = r
        .sample
        .column(column)
        .map_err(|e| QueryError::UnknownColumn(e.0))?;
    let f = odsql::quote_field(&c.name);
    let n = fresh_alias("n", r.sample);
    let q = Query {
        group_by: vec![c.name.clone()],
        aggregates: vec![Aggregate {
            op: AggOp::Count,
            column: None,
            alias: Some(n.clone()),
        }],
        ..Query::default()
    };
    let nq = odsql::quote_field(&n);
    let call = call(
        Endpoint::ExportsCsv,
        [
            ("select", Some(format!("{f}, count(*) as {nq}"))),
            ("group_by", Some(f.clone())),
            ("order_by", Some(format!("{nq} desc, {f} asc"))),
            (
                "limit",
                Some((query::budget::MAX_DISTINCT_VALUES + 1).to_string()),
            ),
        ],
    );
    Ok((call, outs(r.sample, &q, r)?))
}
