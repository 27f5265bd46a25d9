//! Entry point of the engine's Web Worker built by trunk (`web/worker.rs`).

#[cfg(target_arch = "wasm32")]
fn main() {
    loupe::web::worker::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Loupe worker runs in the browser, started by the app.");
}
