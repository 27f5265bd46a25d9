//! A dataset: equally long columns plus what ingest learned about the file.
//!
//! Invariant: every column has `rows` entries; column names are unique and non-empty.

use super::column::{Column, ColumnType};
use super::ingest::IngestReport;

/// A loaded table.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub columns: Vec<Column>,
    pub rows: usize,
    pub report: IngestReport,
}

/// A column name that is not in the dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownColumn(pub String);

impl std::fmt::Display for UnknownColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "colonne inconnue / unknown column: « {} »", self.0)
    }
}

impl std::error::Error for UnknownColumn {}

impl Dataset {
    /// Builds a dataset from columns (all of the same length) with an empty report.
    pub fn from_columns(columns: Vec<Column>) -> Self {
        let rows = columns.first().map_or(0, Column::len);
        Dataset {
            columns,
            rows,
            report: IngestReport::default(),
        }
    }

    /// Position of a column by exact name, then by case-insensitive name.
    pub fn column_index(&self, name: &str) -> Result<usize, UnknownColumn> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .or_else(|| {
                self.columns
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(name))
            })
            .ok_or_else(|| UnknownColumn(name.to_string()))
    }

    pub fn column(&self, name: &str) -> Result<&Column, UnknownColumn> {
        self.column_index(name).map(|i| &self.columns[i])
    }

    /// `(name, type)` of every column, in order.
    pub fn schema(&self) -> Vec<(String, ColumnType)> {
        self.columns
            .iter()
            .map(|c| (c.name.clone(), c.column_type()))
            .collect()
    }

    /// Approximate heap bytes held by the columns.
    pub fn heap_bytes(&self) -> usize {
        self.columns.iter().map(Column::heap_bytes).sum()
    }
}
