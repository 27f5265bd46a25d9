//! Gathering: a column's cells picked at a list of row indices, the building block of the
//! joined dataset.
//!
//! What must stay true: the result has exactly one cell per index, of the same type; an index
//! of [`NONE`] (an unmatched left row) or a null source cell gives a null; text columns keep
//! their dictionary (only the codes are gathered; text kept row by row is copied row by row)
//! and every column keeps its key kind.

use super::keys::NONE;
use crate::core::column::{Column, ColumnData, NullMask};

/// The column's cells at `rows` (null where [`NONE`]), same type, dictionary and key kind.
pub(super) fn gather(col: &Column, rows: &[u32]) -> Column {
    let mut valid = NullMask::with_capacity(rows.len());
    for &r in rows {
        valid.push(r != NONE && col.is_valid(r as usize));
    }
    fn pick<T: Copy + Default>(v: &[T], rows: &[u32]) -> Vec<T> {
        rows.iter()
            .map(|&r| v.get(r as usize).copied().unwrap_or_default())
            .collect()
    }
    let data = match &col.data {
        ColumnData::Integer(v) => ColumnData::Integer(pick(v, rows)),
        ColumnData::Decimal { units, scale } => ColumnData::Decimal {
            units: pick(units, rows),
            scale: *scale,
        },
        ColumnData::Float(v) => ColumnData::Float(pick(v, rows)),
        ColumnData::Boolean(v) => ColumnData::Boolean(pick(v, rows)),
        ColumnData::Date(v) => ColumnData::Date(pick(v, rows)),
        ColumnData::Datetime(v) => ColumnData::Datetime(pick(v, rows)),
        ColumnData::Text { codes, dict } => ColumnData::Text {
            codes: codes.pick(rows),
            dict: dict.clone(),
        },
        ColumnData::Strings(s) => ColumnData::Strings(s.pick(rows)),
    };
    let mut out = Column::new(col.name.clone(), data, valid);
    out.key = col.key;
    out
}
