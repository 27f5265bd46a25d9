//! A buffer already in the page, loaded on two cores: the page's engine reads the first half
//! while a helper worker reads the second, then the page appends the helper's part
//! (`core::ingest::parts`: the result equals a load by one loader, checked natively by
//! `tests/ingest_parts.rs`).
//!
//! The helper is given, in one transferred buffer, the file's head (so that it decides the
//! same dialect and types) and its half; it answers with its columns encoded, in a buffer
//! transferred back. One helper is kept started and idle ([`warm`]), so that a load does not
//! wait for a WebAssembly instance to boot; it is ended after its part (its memory goes with
//! it) and the next one starts a moment later. When the helper cannot help (it failed, the
//! text is transcoded, a quoted line break sits at the cut), the page reads the second half
//! itself: slower, never different.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{CancelToken, JsBytes, LoadError};
use crate::core::ingest::parts::unusable;
use crate::core::ingest::{IngestOptions, Loader, Progress};
use crate::core::Dataset;

/// Smallest buffer worth a second loader: below, starting the exchange costs more than half
/// the parse saves.
pub const MIN_BYTES: u32 = 24 << 20;
/// Bytes of the file's head the helper is given: more than the first window and the
/// type-inference sample read.
const HEAD_BYTES: u32 = 8 << 20;
/// The share of the buffer the page reads. The helper's half costs more than the page's: it
/// starts its loader only once the message is in, and encodes its columns and copies them
/// out; measured on the 1M-row peer file (2 cores), 0.6 loads fastest (0.55 and 0.65 within
/// noise of it, 0.5 ~10 % slower: the page then waits for the helper).
const PAGE_SHARE: f64 = 0.6;
/// Longest wait for a helper that has not started when the page is done with its part: past
/// it, the page reads the rest itself.
const BOOT_MS: f64 = 5000.0;

/// A started helper worker, and what it said.
struct Helper {
    worker: web_sys::Worker,
    ready: Rc<Cell<bool>>,
    /// Its WebAssembly memory when it said it was ready.
    memory: Rc<Cell<f64>>,
    /// The resolver of the promise its part is awaited with.
    answer: Rc<RefCell<Option<js_sys::Function>>>,
    /// What it answered before anyone waited.
    early: Rc<RefCell<Option<JsValue>>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

thread_local! {
    static SPARE: RefCell<Option<Helper>> = const { RefCell::new(None) };
}

fn get(o: &JsValue, k: &str) -> JsValue {
    js_sys::Reflect::get(o, &k.into()).unwrap_or(JsValue::UNDEFINED)
}

fn set(o: &js_sys::Object, k: &str, v: &JsValue) {
    let _ = js_sys::Reflect::set(o, &k.into(), v);
}

/// Whether this device has a second core to read on.
pub fn available() -> bool {
    web_sys::window().is_some_and(|w| w.navigator().hardware_concurrency() >= 2.0)
}

fn spawn() -> Option<Helper> {
    let worker = crate::web::spawn::worker().ok()?;
    let ready = Rc::new(Cell::new(false));
    let memory = Rc::new(Cell::new(0.0));
    let answer: Rc<RefCell<Option<js_sys::Function>>> = Rc::new(RefCell::new(None));
    let early = Rc::new(RefCell::new(None));
    let deliver = {
        let (answer, early) = (answer.clone(), early.clone());
        move |m: JsValue| match answer.borrow_mut().take() {
            Some(resolve) => {
                let _ = resolve.call1(&JsValue::NULL, &m);
            }
            None => *early.borrow_mut() = Some(m),
        }
    };
    let on_message = {
        let (ready, memory, deliver) = (ready.clone(), memory.clone(), deliver.clone());
        let worker = worker.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let m = e.data();
            match get(&m, "t").as_string().as_deref() {
                Some("ready") => {
                    memory.set(get(&m, "memory").as_f64().unwrap_or(0.0));
                    ready.set(true);
                    // A helper runs its code hot once when its code is not already hot
                    // (`web::spawn`), so that its part runs optimised code (see
                    // `core::ingest::warm`). Measured on the 1M FR file, helpers compiled
                    // apart and not warmed took 40-130 ms to open their part (the loader's
                    // set-up: 36 ms once hot) and parsed up to 1.6x slower.
                    if crate::web::spawn::take_warm_up() {
                        let o = js_sys::Object::new();
                        set(&o, "t", &"warm".into());
                        let _ = worker.post_message(&o);
                    }
                }
                Some("part") | Some("failed") => deliver(m),
                _ => {}
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let on_error =
        Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |_e: web_sys::ErrorEvent| {
            let o = js_sys::Object::new();
            set(&o, "t", &"failed".into());
            deliver(o.into());
        });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(Helper {
        worker,
        ready,
        memory,
        answer,
        early,
        _on_message: on_message,
        _on_error: on_error,
    })
}

thread_local! {
    static PAGE_WARM: Cell<bool> = const { Cell::new(false) };
    /// A load is using a helper: the next one starts when it ends, not before.
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// Starts the idle helper if there is none (and the device has a second core); the first
/// time, also runs the page's own loader hot once, in a task of its own (`core::ingest::warm`).
pub fn warm() {
    if !PAGE_WARM.with(|w| w.replace(true)) {
        if let Some(w) = web_sys::window() {
            let cb = Closure::once_into_js(|| {
                crate::core::ingest::warm_up();
            });
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0);
        }
    }
    if !available() || BUSY.with(Cell::get) {
        return;
    }
    // The first helper waits for the page's compiled module (`web::spawn`), so that every
    // helper shares its code.
    if !crate::web::spawn::settled() {
        return crate::web::spawn::compile_then(warm);
    }
    SPARE.with(|s| {
        let mut s = s.borrow_mut();
        if s.is_none() {
            *s = spawn();
        }
    });
}

/// WebAssembly memory held by the idle helper (counted in `loupe.memory()`).
pub fn spare_memory() -> f64 {
    SPARE.with(|s| s.borrow().as_ref().map_or(0.0, |h| h.memory.get()))
}

/// Whether [`parse`] would read `bytes` on two cores with these options.
pub fn worth_it(bytes: &js_sys::Uint8Array, options: &IngestOptions) -> bool {
    bytes.length() >= MIN_BYTES && options.sample_every.unwrap_or(1) <= 1 && available()
}

/// Loads `bytes` with the page's engine and a helper worker, each reading half (see the
/// module doc); the same dataset as [`super::parse_js`], and how many loaders' rows it holds
/// (2, or 1 when the page read everything itself).
pub async fn parse(
    bytes: js_sys::Uint8Array,
    options: IngestOptions,
    share: Option<f64>,
    on_progress: &dyn Fn(Progress),
    cancel: &CancelToken,
) -> Result<(Dataset, usize), LoadError> {
    let len = bytes.length();
    let mut head = vec![0u8; (len as usize).min(crate::core::content::HEAD_BYTES)];
    bytes.subarray(0, head.len() as u32).copy_to(&mut head);
    if let Some(kind) = crate::core::content::sniff(&head) {
        return Err(LoadError::NotCsv(kind));
    }
    let helper = SPARE.with(|s| s.borrow_mut().take()).or_else(spawn);
    BUSY.with(|b| b.set(true));
    let share = share
        .filter(|s| (0.1..=0.9).contains(s))
        .unwrap_or(PAGE_SHARE);
    let cut = (f64::from(len) * share) as u32;
    // The helper's message: the head and its range, in one buffer it will own. The range
    // starts one byte before the cut: the part starts at the first line that starts at or
    // after the cut, which it can tell at the cut itself only from the byte before.
    let t0 = super::super::dom::now_ms();
    let message = helper.as_ref().map(|_| {
        let tail = cut.saturating_sub(1);
        let h = HEAD_BYTES.min(tail);
        let data = js_sys::Uint8Array::new_with_length(h + (len - tail));
        data.set(&bytes.subarray(0, h), 0);
        data.set(&bytes.subarray(tail, len), h);
        let o = js_sys::Object::new();
        set(&o, "t", &"read_part".into());
        set(&o, "bytes", &data);
        set(&o, "head", &h.into());
        set(&o, "tail", &tail.into());
        set(&o, "from", &cut.into());
        set(&o, "len", &len.into());
        set(
            &o,
            "window",
            &(crate::core::ingest::WINDOW_BYTES as f64).into(),
        );
        set(
            &o,
            "options",
            &serde_json::to_string(&options).unwrap_or_default().into(),
        );
        (o, js_sys::Array::of1(&data.buffer()))
    });
    let copied = super::super::dom::now_ms();
    let message = RefCell::new(message);
    let sent = Cell::new(false);
    let sent_at = Cell::new(0.0);
    // Posts the message once the helper is ready (its handler is installed only then).
    let send = || {
        if sent.get() {
            return;
        }
        if let Some(h) = helper.as_ref().filter(|h| h.ready.get()) {
            if let Some((o, transfer)) = message.borrow_mut().take() {
                sent_at.set(js_sys::Date::now());
                sent.set(h.worker.post_message_with_transfer(&o, &transfer).is_ok());
            }
        }
    };
    send();
    let mut loader = match Loader::from_source(Box::new(JsBytes::new(bytes)), options) {
        Ok(l) => l,
        Err(e) => {
            end(helper);
            return Err(LoadError::Ingest(e.to_string()));
        }
    };
    loader.stop_at(u64::from(cut));
    let result = async {
        // The first part, in slices, posting to the helper as soon as it is ready.
        super::steps(&mut loader, on_progress, cancel, &mut || send()).await?;
        let own = super::super::dom::now_ms();
        // The helper not ready yet (it was not started in advance): wait for it, unless it
        // failed on the way or does not start within [`BOOT_MS`].
        let waited = own;
        while let Some(h) = helper
            .as_ref()
            .filter(|h| !sent.get() && h.early.borrow().is_none())
        {
            if h.ready.get() {
                send();
                break;
            }
            if super::super::dom::now_ms() - waited > BOOT_MS {
                break;
            }
            crate::web::portal::sleep_ms(2.0).await;
            if cancel.is_cancelled() {
                return Err(LoadError::Cancelled);
            }
        }
        let sent = sent.get();
        // Its part (or its failure).
        let part = match &helper {
            Some(h) if sent => {
                let early = h.early.borrow_mut().take();
                let m = match early {
                    Some(m) => m,
                    None => {
                        let answer = h.answer.clone();
                        let promise = js_sys::Promise::new(&mut |resolve, _| {
                            *answer.borrow_mut() = Some(resolve);
                        });
                        JsFuture::from(promise).await.unwrap_or(JsValue::NULL)
                    }
                };
                get(&m, "bytes").dyn_into::<js_sys::Uint8Array>().ok()
            }
            _ => None,
        };
        if cancel.is_cancelled() {
            return Err(LoadError::Cancelled);
        }
        let arrived = super::super::dom::now_ms();
        let appended = match part {
            Some(p) => loader.absorb(&mut crate::web::worker::JsInput::new(p), u64::MAX),
            None => loader.absorb(&mut unusable("no helper").as_slice(), u64::MAX),
        }
        .map_err(|e| LoadError::Ingest(e.to_string()))?;
        let absorbed = super::super::dom::now_ms();
        // What the helper could not read, the page reads (nothing when it was appended).
        super::super::dom::yield_now().await;
        super::steps(&mut loader, on_progress, cancel, &mut || {}).await?;
        super::super::dom::yield_now().await;
        let ds = loader
            .finish()
            .map_err(|e| LoadError::Ingest(e.to_string()))?;
        // Where the time went, for the benchmarks: `window.loupeSplit`, ms from the start.
        let o = js_sys::Object::new();
        let done = super::super::dom::now_ms();
        for (k, t) in [
            ("copied", copied),
            ("ownPart", own),
            ("helperPart", arrived),
            ("appended", absorbed),
            ("finished", done),
        ] {
            set(&o, k, &(t - t0).round().into());
        }
        // The helper's message was posted then (wall clock: its part says when it came in).
        set(&o, "sentAt", &sent_at.get().into());
        if let Some(w) = web_sys::window() {
            set(w.as_ref(), "loupeSplit", &o.into());
        }
        Ok((ds, if appended { 2 } else { 1 }))
    }
    .await;
    end(helper);
    result
}

/// Ends a load's helper (its memory goes with it), starting the next one first: the worker's
/// compiled, and by now optimised, WebAssembly then stays alive in the browser and is reused.
fn end(helper: Option<Helper>) {
    BUSY.with(|b| b.set(false));
    warm();
    if let Some(h) = helper {
        h.worker.terminate();
    }
}
