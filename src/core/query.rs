//! Queries: one serializable [`Query`] value (reused as URL state, preset and JS API argument)
//! executed by free functions over columns: filter -> selection, group -> positions in
//! first-appearance order, aggregate -> table, then sort and limit.
//!
//! Column references are names, resolved against the dataset in one place; an unknown name is
//! a clear [`QueryError`], never a panic.

use serde::{Deserialize, Serialize};

use super::column::ColumnType;
use super::value::Value;

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
    In { column: String, values: Vec<Literal> },
    NotIn { column: String, values: Vec<Literal> },
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
    IsNull { column: String },
    NotNull { column: String },
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    UnknownColumn(String),
    /// An aggregate that needs a column got none, or a numeric aggregate got a text column.
    BadAggregate(String),
    /// A filter value that does not fit the column (e.g. `between` on text with text bounds).
    BadFilter(String),
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::UnknownColumn(c) => {
                write!(f, "colonne inconnue « {c} » / unknown column \"{c}\"")
            }
            QueryError::BadAggregate(m) => write!(f, "agrégat invalide / bad aggregate: {m}"),
            QueryError::BadFilter(m) => write!(f, "filtre invalide / bad filter: {m}"),
        }
    }
}

impl std::error::Error for QueryError {}
