//! The only layer that touches browser APIs: start-up, the panic hook, reading files and URLs,
//! downloads, the canvas, and the `window.loupe` JavaScript API. Everything else is delegated
//! to the pure modules.

pub mod api;
pub mod dom;
pub mod embed;
pub mod geo;
pub mod history;
pub mod load;
pub mod panic;
pub mod portal;
pub mod remote;
pub mod spawn;
pub mod worker;
pub mod worker_engine;

/// Starts the app: panic hook, `window.loupe`, then the Yew tree.
pub fn start() {
    panic::install();
    dom::set_status("loading");
    api::install();
    yew::Renderer::<crate::ui::App>::new().render();
}
