//! Pivot tables: rows x columns -> one aggregate.
//!
//! Shape: result columns are `[rows-key, each distinct value of the column key in ascending
//! order ..., "Total"]`; result rows are the distinct row keys in ascending order, then one
//! final "Total" row. A null key is labelled "(vide)". Every total is aggregated from the
//! rows themselves (never by adding cells), so it is right for means, medians, min, max and
//! distinct counts too. An empty cell holds 0 for counts and null otherwise.
//! The long form (one row per pair) is simply `group_by` on the two columns.

use super::aggregate::{aggregate, AggColumn};
use super::budget::{self, Budget};
use super::group::{densify, key_codes};
use super::run::textify_column;
use super::sort::cmp_values;
use super::{AggOp, Pivot, QueryError, QueryResult, ResultColumn, Selection};
use crate::core::dataset::Dataset;
use crate::core::value::Value;

/// Label of the total row and column.
pub const TOTAL_LABEL: &str = "Total";
/// Label of a null key.
pub const NULL_LABEL: &str = "(vide)";

/// Builds the pivot table of `p` over the selected rows.
pub fn pivot(ds: &Dataset, sel: &Selection, p: &Pivot) -> Result<QueryResult, QueryError> {
    let Shape { rcol, ccol, rg, cg } = shape(ds, sel, p)?;
    let rows = sel.as_slice();
    let n = rows.len();
    let (nr, nc) = (rg.len(), cg.len());
    let cells = densify(
        rg.ids
            .iter()
            .zip(&cg.ids)
            .map(|(&r, &c)| u64::from(r) * nc as u64 + u64::from(c)),
        (nr as u64).saturating_mul(nc as u64),
        n,
    );
    let (cell_agg, _) = aggregate(ds, rows, &cells.ids, cells.len(), &p.value, None)?;
    let (row_tot, _) = aggregate(ds, rows, &rg.ids, nr, &p.value, None)?;
    let (col_tot, _) = aggregate(ds, rows, &cg.ids, nc, &p.value, None)?;
    let (grand, _) = aggregate(ds, rows, &vec![0; n], 1, &p.value, None)?;

    let empty = if matches!(p.value.op, AggOp::Count | AggOp::CountDistinct) {
        Value::Int(0)
    } else {
        Value::Null
    };
    let mut matrix = vec![vec![empty; nc]; nr];
    for (k, &pos) in cells.first.iter().enumerate() {
        let pos = pos as usize;
        matrix[rg.ids[pos] as usize][cg.ids[pos] as usize] = cell_agg.values[k].clone();
    }
    let row_labels: Vec<Value> = rg
        .first
        .iter()
        .map(|&p| rcol.value(rows[p as usize] as usize))
        .collect();
    let col_labels: Vec<Value> = cg
        .first
        .iter()
        .map(|&p| ccol.value(rows[p as usize] as usize))
        .collect();
    let row_order = sorted_order(&row_labels);
    let col_order = sorted_order(&col_labels);

    let AggColumn { ty, .. } = cell_agg;
    let mut columns = vec![ResultColumn {
        name: rcol.name.clone(),
        ty: rcol.column_type(),
    }];
    for &c in &col_order {
        let name = if col_labels[c].is_null() {
            NULL_LABEL.to_string()
        } else {
            col_labels[c].to_plain_string()
        };
        columns.push(ResultColumn { name, ty });
    }
    columns.push(ResultColumn {
        name: TOTAL_LABEL.into(),
        ty,
    });

    let mut table: Vec<Vec<Value>> = row_order
        .iter()
        .map(|&r| {
            let mut line = vec![row_labels[r].clone()];
            line.extend(col_order.iter().map(|&c| matrix[r][c].clone()));
            line.push(row_tot.values[r].clone());
            line
        })
        .collect();
    textify_column(&mut columns, &mut table, 0);
    for line in &mut table {
        if line[0].is_null() {
            line[0] = Value::Text(NULL_LABEL.into());
        }
    }
    let mut total = vec![Value::Text(TOTAL_LABEL.into())];
    total.extend(col_order.iter().map(|&c| col_tot.values[c].clone()));
    total.extend(grand.values);
    table.push(total);
    Ok(QueryResult {
        columns,
        rows: table,
    })
}

/// The row and column keys of a pivot, grouped, once its size is known to fit the budgets.
struct Shape<'a> {
    rcol: &'a crate::core::Column,
    ccol: &'a crate::core::Column,
    rg: super::group::Groups,
    cg: super::group::Groups,
}

/// Groups the row and column keys and checks the grid they make against the budgets: one pass
/// over the selected rows, nothing allocated in proportion to the grid.
fn shape<'a>(ds: &'a Dataset, sel: &Selection, p: &Pivot) -> Result<Shape<'a>, QueryError> {
    let rcol = ds.column(&p.rows)?;
    let ccol = ds.column(&p.columns)?;
    let rows = sel.as_slice();
    let n = rows.len();
    let rk = key_codes(rcol, rows);
    let rg = densify(rk.codes.iter().map(|&c| u64::from(c)), rk.card, n);
    let ck = key_codes(ccol, rows);
    let cg = densify(ck.codes.iter().map(|&c| u64::from(c)), ck.card, n);
    let (nr, nc) = (rg.len(), cg.len());
    // The dense grid is nr x nc values: refuse it before allocating (a pivot of two
    // identifier columns would ask for billions of cells).
    budget::check(Budget::PivotColumns, nc, budget::MAX_PIVOT_COLUMNS)?;
    budget::check(
        Budget::PivotCells,
        nr.saturating_mul(nc + 2),
        budget::MAX_PIVOT_CELLS,
    )?;
    Ok(Shape { rcol, ccol, rg, cg })
}

/// Whether the pivot `p` over `sel` fits the budgets, without computing it.
pub fn check(ds: &Dataset, sel: &Selection, p: &Pivot) -> Result<(), QueryError> {
    shape(ds, sel, p).map(|_| ())
}

/// Indices of `labels` in ascending value order (nulls last).
fn sorted_order(labels: &[Value]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|&a, &b| cmp_values(&labels[a], &labels[b]));
    order
}
