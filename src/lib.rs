//! Loupe: an open-data explorer that runs entirely in the browser.
//!
//! Layers (see README "Code map"): `core`, `chart` and `state` are pure Rust and tested with
//! plain `cargo test`; they never name a browser crate. `web` and `ui` exist only on wasm32
//! and are the only modules that touch browser APIs.

pub mod chart;
pub mod core;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
