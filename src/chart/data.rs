//! From a result table to what charts plot: column names resolved once, then categories with
//! summed amounts, numbers, point pairs and pivots. Nulls and non-numbers are skipped here, so
//! the drawing code only ever sees finite numbers.

use crate::core::column::ColumnType;
use crate::core::query::QueryResult;
use crate::core::value::Value;

use super::{ChartError, ChartSpec};

/// Column positions a chart uses, after defaults from [`super::suggest`].
#[derive(Clone, Debug, PartialEq)]
pub struct Cols {
    pub x: Option<usize>,
    pub y: Option<usize>,
    pub series: Option<usize>,
}

impl Cols {
    /// The name of column `i`.
    pub fn name(table: &QueryResult, i: Option<usize>) -> String {
        i.and_then(|i| table.columns.get(i))
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }
}

fn find(table: &QueryResult, name: &str) -> Result<usize, ChartError> {
    table
        .columns
        .iter()
        .position(|c| c.name == name)
        .ok_or_else(|| ChartError::UnknownColumn(name.to_string()))
}

/// Resolves the spec's column names; missing `x`/`y` come from [`super::suggest`].
pub fn resolve(spec: &ChartSpec, table: &QueryResult) -> Result<Cols, ChartError> {
    let fallback = super::suggest(table);
    let x = spec
        .x
        .as_deref()
        .or(fallback.x.as_deref())
        .map(|n| find(table, n))
        .transpose()?;
    let y = spec
        .y
        .as_deref()
        .or(fallback.y.as_deref())
        .map(|n| find(table, n))
        .transpose()?;
    let series = spec.series.as_deref().map(|n| find(table, n)).transpose()?;
    if let Some(i) = y {
        if table.columns[i].ty == ColumnType::Text {
            return Err(ChartError::NotNumeric(table.columns[i].name.clone()));
        }
    }
    Ok(Cols { x, y, series })
}

fn cell(table: &QueryResult, row: usize, col: usize) -> Option<&Value> {
    table
        .rows
        .get(row)
        .and_then(|r| r.get(col))
        .filter(|v| !v.is_null())
}

/// A finite number in `row`, `col`.
pub fn number(table: &QueryResult, row: usize, col: usize) -> Option<f64> {
    cell(table, row, col)
        .and_then(Value::as_f64)
        .filter(|v| v.is_finite())
}

/// The category label in `row`, `col` (ISO dates, plain years).
pub fn label(table: &QueryResult, row: usize, col: usize) -> Option<String> {
    cell(table, row, col).map(Value::to_plain_string)
}

/// (category, summed amount) in first-appearance order. Rows with a null category or amount are
/// skipped; repeated categories are summed. Without an `x` column each row is its own category
/// named by its position.
pub fn categories(table: &QueryResult, x: Option<usize>, y: usize) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for row in 0..table.rows.len() {
        let Some(v) = number(table, row, y) else {
            continue;
        };
        let name = match x {
            Some(x) => match label(table, row, x) {
                Some(n) => n,
                None => continue,
            },
            None => (row + 1).to_string(),
        };
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 += v,
            None => out.push((name, v)),
        }
    }
    out
}

/// Removes the row the engine already folded ("Autres", or "Others") and returns its value,
/// so that a chart that sorts its categories can keep it last and merge its own tail into it.
pub fn take_others(cats: &mut Vec<(String, f64)>) -> Option<f64> {
    let pos = cats
        .iter()
        .position(|(n, _)| n == "Autres" || n == "Others")?;
    Some(cats.remove(pos).1)
}

/// Every finite number of column `col`.
pub fn numbers(table: &QueryResult, col: usize) -> Vec<f64> {
    (0..table.rows.len())
        .filter_map(|r| number(table, r, col))
        .collect()
}

/// A pivot of amounts: `x` categories by `series` values, summed, first-appearance order.
pub struct Pivot {
    pub xs: Vec<String>,
    pub series: Vec<String>,
    /// `values[i][j]`: category `xs[i]`, series `series[j]` (0 when absent).
    pub values: Vec<Vec<f64>>,
}

/// Pivots `y` by `x` and `series` (a missing series column gives one series named after `y`).
pub fn pivot(table: &QueryResult, x: Option<usize>, series: Option<usize>, y: usize) -> Pivot {
    let mut p = Pivot {
        xs: Vec::new(),
        series: Vec::new(),
        values: Vec::new(),
    };
    let y_name = Cols::name(table, Some(y));
    for row in 0..table.rows.len() {
        let Some(v) = number(table, row, y) else {
            continue;
        };
        let xn = match x {
            Some(x) => match label(table, row, x) {
                Some(n) => n,
                None => continue,
            },
            None => (row + 1).to_string(),
        };
        let sn = match series {
            Some(s) => match label(table, row, s) {
                Some(n) => n,
                None => continue,
            },
            None => y_name.clone(),
        };
        let i = match p.xs.iter().position(|n| *n == xn) {
            Some(i) => i,
            None => {
                p.xs.push(xn);
                p.values.push(vec![0.0; p.series.len()]);
                p.xs.len() - 1
            }
        };
        let j = match p.series.iter().position(|n| *n == sn) {
            Some(j) => j,
            None => {
                p.series.push(sn);
                for r in &mut p.values {
                    r.push(0.0);
                }
                p.series.len() - 1
            }
        };
        p.values[i][j] += v;
    }
    p
}

/// How an `x` column is placed along a time/number axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum XKind {
    /// Whole numbers (years, counts).
    Integer,
    /// Days since 1970.
    Date,
    /// Any other number.
    Number,
    /// Text: one slot per distinct value, sorted.
    Category,
}

/// The kind of `x` axis a column gets.
pub fn x_kind(table: &QueryResult, x: usize) -> XKind {
    match table.columns.get(x).map(|c| c.ty) {
        Some(ColumnType::Integer) | Some(ColumnType::Boolean) => XKind::Integer,
        Some(ColumnType::Date) | Some(ColumnType::Datetime) => XKind::Date,
        Some(ColumnType::Decimal) | Some(ColumnType::Float) => XKind::Number,
        _ => XKind::Category,
    }
}

/// The position of `row` on an `x` axis of kind `kind` (datetimes become days).
pub fn x_position(table: &QueryResult, row: usize, x: usize, kind: XKind) -> Option<f64> {
    match (kind, cell(table, row, x)) {
        (_, Some(Value::DateTime(s))) => Some(*s as f64 / 86_400.0),
        (XKind::Category, _) => None,
        _ => number(table, row, x),
    }
}
