//! Queries: one serializable [`Query`] value (reused as URL state, preset and JS API argument)
//! executed by free functions over columns: filter -> selection, group -> positions in
//! first-appearance order, aggregate -> table, then sort and limit.
//!
//! Column references are names, resolved against the dataset in one place; an unknown name is
//! a clear [`QueryError`], never a panic.
//!
//! Execution lives in the submodules: [`filter`] (filters -> [`Selection`]), [`group`] (rows ->
//! dense group ids in first-appearance order), [`aggregate`] (mergeable accumulators -> result
//! columns), [`sort`] (result rows and raw rows), [`pivot`], [`join`] and [`run`] (the
//! pipeline gluing them). Invariants: no per-row allocation or per-row [`Value`] on the hot
//! paths; a [`Selection`] returned by [`select`] is ascending; nulls never match `in`,
//! `not_in` or `between` (SQL semantics); sorting puts nulls last in both directions.

use serde::{Deserialize, Serialize};

use super::column::ColumnType;
use super::dataset::Dataset;
use super::value::Value;

pub mod aggregate;
pub mod budget;
pub mod filter;
pub mod group;
pub mod join;
pub mod pivot;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests;
mod run;
pub mod sort;
#[cfg(test)]
mod tests;

pub use filter::{select, Selector};
pub use join::{join, propose_keys, JoinHow, JoinReport, JoinSpec, KeyProposal, Relation, Repair};
pub(crate) use run::textify_column;
pub use run::{check_budgets, run, run_selected, OTHERS_LABEL};
pub use sort::sort_rows;

/// A literal in a filter: JSON null, boolean, number or string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Literal {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
}

/// One row predicate. JSON: `{"column":"region","op":"in","values":["Bretagne"]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Filter {
    In {
        column: String,
        values: Vec<Literal>,
    },
    NotIn {
        column: String,
        values: Vec<Literal>,
    },
    /// Inclusive bounds; numbers for numeric columns, numbers or ISO strings for dates.
    Between {
        column: String,
        #[serde(default)]
        min: Option<Literal>,
        #[serde(default)]
        max: Option<Literal>,
    },
    /// Case- and accent-insensitive substring match. `column` absent or `"*"`: any text column.
    Contains {
        #[serde(default)]
        column: Option<String>,
        #[serde(alias = "text")]
        value: String,
    },
    IsNull {
        column: String,
    },
    NotNull {
        column: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggOp {
    Count,
    CountDistinct,
    Sum,
    Mean,
    Median,
    Min,
    Max,
    /// This group's sum of `column` over the total sum (0 to 1); with no column, its count share.
    Share,
}

/// `{"op":"sum","column":"montant","as":"total"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    pub op: AggOp,
    #[serde(default)]
    pub column: Option<String>,
    /// Output column name; defaults to `op` or `op_column`.
    #[serde(default, rename = "as")]
    pub alias: Option<String>,
}

/// `{"column":"total","desc":true}`: sort by an output column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SortKey {
    pub column: String,
    #[serde(default)]
    pub desc: bool,
}

/// A two-dimensional pivot: rows x columns -> one aggregate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pivot {
    pub rows: String,
    pub columns: String,
    pub value: Aggregate,
}

/// The whole query. Every field has a default; unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    pub filter: Vec<Filter>,
    pub group_by: Vec<String>,
    pub aggregates: Vec<Aggregate>,
    pub sort: Vec<SortKey>,
    pub limit: Option<usize>,
    /// With `limit` on a grouped query: fold the remaining groups into one "Autres" row.
    pub others: bool,
    /// When set, the result is a pivot table (`group_by` and `aggregates` are ignored).
    pub pivot: Option<Pivot>,
}

/// A query's answer: named, typed columns and rows of values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryResult {
    pub columns: Vec<ResultColumn>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
}

/// Why a query cannot run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueryError {
    UnknownColumn(String),
    /// An aggregate that needs a column got none, or a numeric aggregate got a text column.
    BadAggregate(String),
    /// A filter value that does not fit the column (e.g. `between` on text with text bounds).
    BadFilter(String),
    /// The result would exceed a [`budget`]: `count` against `limit`.
    TooBig {
        what: budget::Budget,
        count: usize,
        limit: usize,
    },
    /// A remote engine (a portal) could not answer: the message says why, in the page's language.
    Remote(String),
}

impl QueryError {
    /// The message in one language (`Display` gives French / English).
    pub fn text(&self, french: bool) -> String {
        match self {
            QueryError::TooBig { what, count, limit } => {
                budget::message(*what, *count, *limit, french)
            }
            other => other.to_string(),
        }
    }
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::UnknownColumn(c) => {
                write!(f, "colonne inconnue « {c} » / unknown column \"{c}\"")
            }
            QueryError::BadAggregate(m) => write!(f, "agrégat invalide / bad aggregate: {m}"),
            QueryError::BadFilter(m) => write!(f, "filtre invalide / bad filter: {m}"),
            QueryError::Remote(m) => f.write_str(m),
            QueryError::TooBig { what, count, limit } => write!(
                f,
                "{} / {}",
                budget::message(*what, *count, *limit, true),
                budget::message(*what, *count, *limit, false)
            ),
        }
    }
}

impl std::error::Error for QueryError {}

impl From<super::dataset::UnknownColumn> for QueryError {
    fn from(e: super::dataset::UnknownColumn) -> Self {
        QueryError::UnknownColumn(e.0)
    }
}

/// Row indices of a dataset, as `u32` (a browser tab never holds 4 billion rows).
///
/// [`select`] returns them ascending; [`sort_rows`] returns them in display order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    rows: Vec<u32>,
}

impl Selection {
    /// Every row of a dataset of `n` rows, in order.
    pub fn all(n: usize) -> Self {
        Selection {
            rows: (0..n as u32).collect(),
        }
    }

    /// A selection holding exactly these row indices, in this order.
    pub fn from_rows(rows: Vec<u32>) -> Self {
        Selection { rows }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row indices as `usize`, in selection order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.rows.iter().map(|&r| r as usize)
    }

    pub fn as_slice(&self) -> &[u32] {
        &self.rows
    }

    pub fn into_vec(self) -> Vec<u32> {
        self.rows
    }
}

/// Each distinct value of `column` among the selected rows with its count, most frequent
/// first (ties: value order). Nulls are included as one [`Value::Null`] entry when present,
/// so a multi-select can offer "(vide)"; select them with `is_null`, since `in` never matches
/// nulls.
///
/// ```
/// use loupe::core::{Column, ColumnData, Dataset, NullMask, Value};
/// use loupe::core::query::{distinct_counts, Selection};
/// let col = Column::new("r", ColumnData::Text { codes: vec![0, 1, 1].into(), dict: vec!["a", "b"].into() }, NullMask::all_valid(3));
/// let ds = Dataset::from_columns(vec![col]);
/// let d = distinct_counts(&ds, "r", &Selection::all(3)).unwrap_or_default();
/// assert_eq!(d, vec![(Value::Text("b".into()), 2), (Value::Text("a".into()), 1)]);
/// ```
pub fn distinct_counts(
    ds: &Dataset,
    column: &str,
    sel: &Selection,
) -> Result<Vec<(Value, usize)>, QueryError> {
    let col = ds.column(column)?;
    let keys = group::key_codes(col, sel.as_slice());
    let groups = group::densify(
        keys.codes.iter().map(|&c| u64::from(c)),
        keys.card,
        sel.len(),
    );
    budget::check(
        budget::Budget::Distinct,
        groups.len(),
        budget::MAX_DISTINCT_VALUES,
    )?;
    let mut counts = vec![0usize; groups.len()];
    for &g in &groups.ids {
        counts[g as usize] += 1;
    }
    let mut out: Vec<(Value, usize)> = groups
        .first
        .iter()
        .zip(counts)
        .map(|(&pos, n)| (col.value(sel.as_slice()[pos as usize] as usize), n))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| sort::cmp_values(&a.0, &b.0)));
    Ok(out)
}
