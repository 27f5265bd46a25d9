//! Application state, pure Rust and natively tested: the catalogue, the interface strings,
//! the view spec and the app reducer. Nothing here may name a browser crate.

pub mod app;
pub mod big_file;
pub mod catalog;
pub mod glossary;
pub mod i18n;
pub mod odsql;
pub mod persona;
pub mod portal;
pub mod service;
pub mod source;
pub mod story;
pub mod url;
pub mod view;

pub use app::{Action, AppState, SourceInfo, SourceRef, Status};
pub use i18n::{tr, Lang, Msg};
pub use view::ViewSpec;
