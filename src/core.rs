//! The columnar engine: ingest (decode, sniff, parse, infer), the dataset model, queries,
//! profiles and export. Pure Rust: nothing here may name a browser crate.

pub mod column;
pub mod content;
pub mod dataset;
pub mod export;
pub(crate) mod hash;
pub mod ingest;
pub mod profile;
pub mod query;
#[cfg(test)]
pub(crate) mod testing;
pub mod value;

pub use column::{Column, ColumnData, ColumnType, Dict, KeyKind, NullMask};
pub use dataset::Dataset;
pub use value::Value;
