//! Starting the engine's Web Workers (`worker-loader.js`). The page compiles the worker's
//! WebAssembly once and hands the compiled `WebAssembly.Module` to every worker it starts, as
//! the worker's first message: V8 keeps a module's code once for all its instances, so a
//! worker starts without compiling, and code another worker made hot runs optimised in it
//! from its first call. Until the module is compiled, or when compiling fails (an old
//! browser, a blocked fetch), a worker compiles the file itself, as a lone worker would.
//!
//! Measured in headless Chromium (2 cores), loads of 1M rows back to back through
//! `loupe.load`: each load's new helper worker took 126-185 ms to take its part when it
//! compiled and warmed its own code (see README, "Big files").

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The worker's loader script (copied next to the page by trunk).
pub const LOADER: &str = "./worker-loader.js";
/// The worker's WebAssembly, next to the page.
const WASM: &str = "./loupe-worker_bg.wasm";

/// Where compiling the worker module is.
enum Compile {
    NotStarted,
    /// Under way; these run once it is over.
    Running(Vec<Box<dyn FnOnce()>>),
    /// Done, or failed (it is never tried twice).
    Over,
}

thread_local! {
    static COMPILE: RefCell<Compile> = const { RefCell::new(Compile::NotStarted) };
    /// The compiled worker module, once compiled.
    static MODULE: RefCell<Option<js_sys::WebAssembly::Module>> = const { RefCell::new(None) };
    /// A worker sharing the module has run the warm-up load (`core::ingest::warm`).
    static WARMED: Cell<bool> = const { Cell::new(false) };
}

/// Whether compiling is over (done or failed): a worker started now gets all it ever will.
pub fn settled() -> bool {
    COMPILE.with(|c| matches!(*c.borrow(), Compile::Over))
}

/// Compiles the worker module if that has not started, and runs `then` once it is over
/// (at once when it already is).
pub fn compile_then(then: impl FnOnce() + 'static) {
    let mut then = Some(Box::new(then) as Box<dyn FnOnce()>);
    let start = COMPILE.with(|c| {
        let mut c = c.borrow_mut();
        match &mut *c {
            Compile::Over => false,
            Compile::Running(waiting) => {
                waiting.extend(then.take());
                false
            }
            Compile::NotStarted => {
                *c = Compile::Running(then.take().into_iter().collect());
                true
            }
        }
    });
    if let Some(f) = then {
        return f();
    }
    if !start {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        if let Ok(m) = compiled().await {
            MODULE.with(|slot| *slot.borrow_mut() = Some(m));
        }
        let waiting =
            COMPILE.with(
                |c| match std::mem::replace(&mut *c.borrow_mut(), Compile::Over) {
                    Compile::Running(waiting) => waiting,
                    _ => Vec::new(),
                },
            );
        for f in waiting {
            f();
        }
    });
}

async fn compiled() -> Result<js_sys::WebAssembly::Module, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(WASM))
        .await?
        .dyn_into()?;
    if !response.ok() {
        return Err(JsValue::NULL);
    }
    let bytes = JsFuture::from(response.array_buffer()?).await?;
    JsFuture::from(js_sys::WebAssembly::compile(&bytes))
        .await?
        .dyn_into()
}

/// Starts a worker: its first message is the compiled module, or none (it compiles itself).
pub fn worker() -> Result<web_sys::Worker, JsValue> {
    let worker = web_sys::Worker::new(LOADER)?;
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"t".into(), &"module".into())?;
    if let Some(m) = MODULE.with(|m| m.borrow().clone()) {
        js_sys::Reflect::set(&o, &"module".into(), &m)?;
    }
    worker.post_message(&o)?;
    Ok(worker)
}

/// Whether a worker that just started should run the loader's warm-up load, so that its first
/// part runs optimised code: yes when it compiled its own code, and for the first worker of
/// the shared module only (later ones share the code it made hot). Measured on 1M-row loads
/// back to back, helpers of the shared module without their own warm-up: their part taken
/// 4-5 ms after it was sent (47-49 ms with it), parsed as fast.
pub fn take_warm_up() -> bool {
    MODULE.with(|m| m.borrow().is_none()) || !WARMED.with(|w| w.replace(true))
}
