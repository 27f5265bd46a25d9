//! The query pipeline: filter -> (pivot | raw rows | group -> aggregate) -> sort -> limit ->
//! "Autres" row.
//!
//! Invariants: with no `group_by` and no aggregate the result is the matching rows themselves
//! (every column); aggregates without `group_by` give exactly one row; groups come in
//! first-appearance order until `sort` reorders them. The "Autres" row (`others: true` with a
//! `limit` on a grouped query) is computed by re-aggregating the rows of the groups cut by the
//! limit, so every aggregate in it is exact (counts, sums, means, medians, min, max, distinct
//! counts, and shares of the whole filtered total); its first key is the text "Autres" (that
//! key column becomes a text column if it was not one) and its other keys are null.

use super::aggregate::aggregate;
use super::budget::{self, Budget};
use super::group::group_rows;
use super::sort::{sort_result_rows, sort_rows};
use super::{pivot, select, Query, QueryError, QueryResult, ResultColumn, Selection};
use crate::core::column::ColumnType;
use crate::core::dataset::Dataset;
use crate::core::value::Value;

/// Label of the row folding the groups beyond the limit.
pub const OTHERS_LABEL: &str = "Autres";

/// Runs a query against a dataset.
///
/// ```
/// use loupe::core::{Column, ColumnData, Dataset, NullMask, Value};
/// use loupe::core::query::{run, Query};
/// let region = Column::new("region", ColumnData::Text { codes: vec![0, 1, 0].into(), dict: vec!["Bretagne", "Corse"].into() }, NullMask::all_valid(3));
/// let montant = Column::new("montant", ColumnData::Decimal { units: vec![150, 200, 250], scale: 2 }, NullMask::all_valid(3));
/// let ds = Dataset::from_columns(vec![region, montant]);
/// let q: Query = serde_json::from_str(r#"{"group_by":["region"],"aggregates":[{"op":"sum","column":"montant","as":"total"}]}"#).unwrap_or_default();
/// let r = run(&ds, &q).unwrap_or_else(|e| panic!("{e}"));
/// assert_eq!(r.rows[0], vec![Value::Text("Bretagne".into()), Value::Decimal { units: 400, scale: 2 }]);
/// ```
pub fn run(ds: &Dataset, q: &Query) -> Result<QueryResult, QueryError> {
    let sel = select(ds, &q.filter)?;
    run_selected(ds, &sel, q)
}

/// Runs a query over rows already selected by its filters (`q.filter` is not applied again):
/// the query service selects once per view and hands the selection to every panel's query.
pub fn run_selected(ds: &Dataset, sel: &Selection, q: &Query) -> Result<QueryResult, QueryError> {
    if let Some(p) = &q.pivot {
        return pivot::pivot(ds, sel, p);
    }
    if q.group_by.is_empty() && q.aggregates.is_empty() {
        let take = q.limit.unwrap_or(usize::MAX).min(sel.len());
        budget::check(
            Budget::Rows,
            take.saturating_mul(ds.columns.len().max(1)),
            budget::MAX_RESULT_CELLS,
        )?;
        let sorted = sort_rows(ds, sel, &q.sort)?;
        let columns = ds
            .columns
            .iter()
            .map(|c| ResultColumn {
                name: c.name.clone(),
                ty: c.column_type(),
            })
            .collect();
        let rows = sorted.as_slice()[..take]
            .iter()
            .map(|&r| ds.columns.iter().map(|c| c.value(r as usize)).collect())
            .collect();
        return Ok(QueryResult { columns, rows });
    }

    let key_cols = q
        .group_by
        .iter()
        .map(|c| ds.column_index(c))
        .collect::<Result<Vec<_>, _>>()?;
    let rows = sel.as_slice();
    let groups = group_rows(ds, rows, &key_cols);
    let n = groups.len();
    // The table below holds every group (keys, measures and the group id) before the limit.
    budget::check(
        Budget::Groups,
        n.saturating_mul(key_cols.len() + q.aggregates.len() + 1),
        budget::MAX_RESULT_CELLS,
    )?;
    let mut columns = Vec::new();
    let mut values: Vec<Vec<Value>> = Vec::new();
    for &ci in &key_cols {
        let col = &ds.columns[ci];
        columns.push(ResultColumn {
            name: col.name.clone(),
            ty: col.column_type(),
        });
        values.push(
            groups
                .first
                .iter()
                .map(|&p| col.value(rows[p as usize] as usize))
                .collect(),
        );
    }
    let mut totals = Vec::new();
    for agg in &q.aggregates {
        let (c, total) = aggregate(ds, rows, &groups.ids, n, agg, None)?;
        columns.push(ResultColumn {
            name: c.name,
            ty: c.ty,
        });
        values.push(c.values);
        totals.push(total);
    }
    // Row-major, with the group id kept in a trailing cell until the limit is applied.
    let mut table: Vec<Vec<Value>> = (0..n)
        .map(|g| {
            values
                .iter()
                .map(|v| v[g].clone())
                .chain([Value::Int(g as i64)])
                .collect()
        })
        .collect();
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    sort_result_rows(&mut table, &names, &q.sort)?;
    let limit = q.limit.unwrap_or(usize::MAX);
    let cut: Vec<u32> = table
        .iter()
        .skip(limit)
        .filter_map(|r| group_of(r))
        .collect();
    table.truncate(limit);
    for r in &mut table {
        r.pop();
    }
    if q.others && !key_cols.is_empty() && !cut.is_empty() {
        let mut is_cut = vec![false; n];
        for &g in &cut {
            is_cut[g as usize] = true;
        }
        let rest: Vec<u32> = rows
            .iter()
            .zip(&groups.ids)
            .filter(|(_, &g)| is_cut[g as usize])
            .map(|(&r, _)| r)
            .collect();
        let zeros = vec![0u32; rest.len()];
        let mut row = vec![Value::Text(OTHERS_LABEL.into())];
        row.resize(key_cols.len(), Value::Null);
        for (agg, total) in q.aggregates.iter().zip(&totals) {
            let (c, _) = aggregate(ds, &rest, &zeros, 1, agg, *total)?;
            row.extend(c.values);
        }
        textify_column(&mut columns, &mut table, 0);
        table.push(row);
    }
    Ok(QueryResult {
        columns,
        rows: table,
    })
}

/// Whether `q` stays within its [`budget`]s on `ds`, without computing its result: the
/// filters, then the grouping of the keys (one pass over the rows), then the same checks
/// [`run`] makes before allocating. `Ok` for a query that would fail for another reason later
/// (an aggregate over text); that error comes from [`run`].
pub fn check_budgets(ds: &Dataset, q: &Query) -> Result<(), QueryError> {
    let sel = select(ds, &q.filter)?;
    if let Some(p) = &q.pivot {
        return pivot::check(ds, &sel, p);
    }
    if q.group_by.is_empty() && q.aggregates.is_empty() {
        let take = q.limit.unwrap_or(usize::MAX).min(sel.len());
        return budget::check(
            Budget::Rows,
            take.saturating_mul(ds.columns.len().max(1)),
            budget::MAX_RESULT_CELLS,
        );
    }
    let key_cols = q
        .group_by
        .iter()
        .map(|c| ds.column_index(c))
        .collect::<Result<Vec<_>, _>>()?;
    let n = group_rows(ds, sel.as_slice(), &key_cols).len();
    budget::check(
        Budget::Groups,
        n.saturating_mul(key_cols.len() + q.aggregates.len() + 1),
        budget::MAX_RESULT_CELLS,
    )
}

fn group_of(row: &[Value]) -> Option<u32> {
    match row.last() {
        Some(Value::Int(g)) => u32::try_from(*g).ok(),
        _ => None,
    }
}

/// Makes result column `i` a text column (for a label such as "Autres" or "Total" in a key
/// column of another type): its values become their plain text, nulls stay null.
pub(crate) fn textify_column(columns: &mut [ResultColumn], rows: &mut [Vec<Value>], i: usize) {
    let Some(col) = columns.get_mut(i) else {
        return;
    };
    if col.ty == ColumnType::Text {
        return;
    }
    col.ty = ColumnType::Text;
    for r in rows {
        if let Some(v) = r.get_mut(i) {
            if !v.is_null() {
                *v = Value::Text(v.to_plain_string());
            }
        }
    }
}
