//! Entry point of the browser app built by trunk. Natively it only explains itself.

#[cfg(target_arch = "wasm32")]
fn main() {
    loupe::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Loupe runs in the browser: use `trunk serve` (see README).");
}
