//! Loading data into the engine without blocking the page: bytes from a URL, a file or a
//! paste, parsed in slices by [`Loader`] with a yield to the event loop between slices, with
//! progress reports and cancellation.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::ingest::{IngestOptions, Loader, Progress, Source};
use crate::core::Dataset;

/// Longest stretch of parsing between two yields, in milliseconds. Under the ~50 ms that
/// RAIL counts as a long task, so input stays responsive during a load.
const SLICE_MS: f64 = 40.0;
/// Bytes parsed between two clock reads.
const STEP_BYTES: usize = 256 * 1024;

/// A cancellation flag shared between the page and a running load.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Rc<Cell<bool>>);

impl CancelToken {
    pub fn cancel(&self) {
        self.0.set(true);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.get()
    }
}

/// Why a load ended without a dataset.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    Cancelled,
    Fetch(String),
    Ingest(String),
}

/// Parses bytes that stay in a JavaScript `Uint8Array`, copying one window at a time into
/// WebAssembly memory (a UTF-8 file is never held whole in the engine's memory).
pub async fn parse_js(
    bytes: js_sys::Uint8Array,
    options: IngestOptions,
    on_progress: &dyn Fn(Progress),
    cancel: &CancelToken,
) -> Result<Dataset, LoadError> {
    let loader = Loader::from_source(Box::new(JsBytes::new(bytes)), options)
        .map_err(|e| LoadError::Ingest(e.to_string()))?;
    run(loader, on_progress, cancel).await
}

/// A `Uint8Array` as a [`Source`]. Its length is taken once: if the page shrinks or detaches
/// the buffer during a load, the missing bytes read as zeros instead of failing.
struct JsBytes {
    array: js_sys::Uint8Array,
    len: usize,
}

impl JsBytes {
    fn new(array: js_sys::Uint8Array) -> Self {
        let len = array.length() as usize;
        JsBytes { array, len }
    }
}

impl Source for JsBytes {
    fn len(&self) -> usize {
        self.len
    }

    fn read_at(&self, offset: usize, out: &mut [u8]) {
        let end = offset.saturating_add(out.len()).min(self.len);
        let (Ok(a), Ok(b)) = (u32::try_from(offset), u32::try_from(end)) else {
            out.fill(0);
            return;
        };
        let sub = self.array.subarray(a, b);
        let n = sub.length() as usize;
        if n <= out.len() && n == end.saturating_sub(offset) {
            sub.copy_to(&mut out[..n]);
            out[n..].fill(0);
        } else {
            out.fill(0);
        }
    }
}

/// Runs a loader to the end in slices of about [`SLICE_MS`], yielding between them.
async fn run(
    mut loader: Loader,
    on_progress: &dyn Fn(Progress),
    cancel: &CancelToken,
) -> Result<Dataset, LoadError> {
    // Sniffing and the type-inference sample were one task already: yield before parsing.
    super::dom::yield_now().await;
    if cancel.is_cancelled() {
        return Err(LoadError::Cancelled);
    }
    let mut slice_start = super::dom::now_ms();
    while !loader.is_done() {
        loader.step(STEP_BYTES);
        if super::dom::now_ms() - slice_start > SLICE_MS {
            on_progress(loader.progress());
            super::dom::yield_now().await;
            if cancel.is_cancelled() {
                return Err(LoadError::Cancelled);
            }
            slice_start = super::dom::now_ms();
        }
    }
    // `finish` (the dictionaries handed over, a column re-read as text if its type failed)
    // gets a fresh slice of its own.
    if super::dom::now_ms() - slice_start > SLICE_MS / 2.0 {
        super::dom::yield_now().await;
    }
    loader
        .finish()
        .map_err(|e| LoadError::Ingest(e.to_string()))
}

/// Fetches a URL (relative URLs resolve against the page) into bytes.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, LoadError> {
    fetch_array(url).await.map(|a| a.to_vec())
}

/// Fetches a URL into a JavaScript `Uint8Array`, which [`parse_js`] reads window by window
/// (the file is never held whole in WebAssembly memory).
pub async fn fetch_array(url: &str) -> Result<js_sys::Uint8Array, LoadError> {
    let window = web_sys::window().ok_or_else(|| LoadError::Fetch("no window".into()))?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| LoadError::Fetch(js_error(&e)))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|e| LoadError::Fetch(js_error(&e)))?;
    if !response.ok() {
        return Err(LoadError::Fetch(format!(
            "HTTP {} {}",
            response.status(),
            response.status_text()
        )));
    }
    let buffer = response
        .array_buffer()
        .map_err(|e| LoadError::Fetch(js_error(&e)))?;
    let buffer = JsFuture::from(buffer)
        .await
        .map_err(|e| LoadError::Fetch(js_error(&e)))?;
    Ok(js_sys::Uint8Array::new(&buffer))
}

/// Reads a file the user picked or dropped.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, LoadError> {
    read_file_array(file).await.map(|a| a.to_vec())
}

/// Reads a file into a JavaScript `Uint8Array` (see [`fetch_array`]).
pub async fn read_file_array(file: &web_sys::File) -> Result<js_sys::Uint8Array, LoadError> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| LoadError::Fetch(js_error(&e)))?;
    Ok(js_sys::Uint8Array::new(&buffer))
}

/// A JavaScript error as text.
pub fn js_error(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
