//! Loading data into the engine without blocking the page: bytes from a URL, a file or a
//! paste, parsed in slices by [`Loader`] with a yield to the event loop between slices, with
//! progress reports and cancellation.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::ingest::{IngestOptions, Loader, Progress, Source};
use crate::core::Dataset;

mod fetch;
pub mod split;
pub use fetch::{fetch_array, fetch_bytes, fetch_for, Fetched};

/// Longest stretch of parsing between two yields, in milliseconds. Under the 50 ms that
/// counts as a long task with room for what shares the task: in the page, the progress report
/// re-renders in the same task (7-13 ms measured on a 1M-row load, tests/bench/longtask.mjs),
/// which pushed 40 ms slices over 50 ms.
const SLICE_MS: f64 = 30.0;
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

/// Most bytes Loupe reads from one file or URL. WebAssembly's memory stops at 4 GB and a
/// dataset needs about 0.8 byte of it per byte of CSV (measured on a 1.0 GB French-dialect file:
/// 802 MB), beside the file's own copy in JavaScript memory; 2 GB leaves room for the queries.
pub const MAX_LOAD_BYTES: f64 = 2_000_000_000.0;

/// Largest file the engine's worker reads window by window (1 TB). Positions are `u64`, so a
/// file beyond 4 GiB streams through; this bound only keeps sizes far below 2^53, where the
/// browser's `f64` sizes stop being exact.
pub const MAX_FILE_BYTES: u64 = 1_000_000_000_000;

/// Why a load ended without a dataset: each cause has its own sentence in the page.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    Cancelled,
    /// The network failed (offline, unknown host, connection cut): the browser's reason.
    Network(String),
    /// The server answers but its CORS headers do not let this page read the file.
    Cors,
    /// The server answered with an error status (`404 Not Found`).
    Http(String),
    /// More bytes than [`MAX_LOAD_BYTES`]: the size when known, and whether the file is local.
    TooBig {
        size: Option<f64>,
        local: bool,
    },
    /// The bytes are a web page, JSON, an archive or another binary file.
    NotCsv(crate::core::content::NotCsv),
    /// A local file could not be read (moved, permissions): the browser's reason.
    LocalRead(String),
    /// The source itself was refused before anything was fetched (bilingual reason).
    Refused(String),
    Ingest(String),
    /// The file would need more memory than the budget: the user chooses what to load.
    Exceeds(Box<crate::core::ingest::MemoryEstimate>),
    /// A file beyond what the engine's worker reads ([`MAX_FILE_BYTES`]): its size.
    BeyondReach(f64),
}

impl LoadError {
    /// The same failure for the JS API (French / English in one sentence).
    pub fn bilingual(&self, source: &str) -> String {
        use crate::state::Lang;
        format!(
            "{} / {}",
            self.text(source, Lang::Fr),
            self.text(source, Lang::En)
        )
    }

    /// The sentence the page shows; `source` names the file or address.
    pub fn text(&self, source: &str, lang: crate::state::Lang) -> String {
        use crate::state::i18n::trf;
        use crate::state::{tr, Lang, Msg};
        let fr = lang == Lang::Fr;
        let host = crate::state::source::host_of(source).unwrap_or(source);
        let size = |b: f64| crate::state::source::size_text(b, fr);
        match self {
            LoadError::Cancelled => tr(lang, Msg::Cancelled).to_string(),
            LoadError::Network(why) => {
                format!("{} ({why})", trf(lang, Msg::NetworkFailed, &[host]))
            }
            LoadError::Cors => trf(lang, Msg::CorsRefused, &[host]),
            LoadError::Http(status) => trf(lang, Msg::HttpFailed, &[status, source]),
            LoadError::TooBig {
                size: s,
                local: true,
            } => trf(
                lang,
                Msg::LocalTooBig,
                &[&s.map(size).unwrap_or_default(), &size(MAX_LOAD_BYTES)],
            ),
            LoadError::TooBig { local: false, .. } => {
                trf(lang, Msg::RemoteTooBig, &[source, &size(MAX_LOAD_BYTES)])
            }
            LoadError::NotCsv(kind) => trf(lang, Msg::NotCsvContent, &[source, kind.name(fr)]),
            LoadError::LocalRead(why) => trf(lang, Msg::LocalReadFailed, &[why]),
            LoadError::Refused(m) | LoadError::Ingest(m) => m.clone(),
            LoadError::Exceeds(e) => trf(lang, Msg::TooBigForMemory, &[&size(e.bytes as f64)]),
            LoadError::BeyondReach(s) => trf(
                lang,
                Msg::LocalTooBig,
                &[&size(*s), &size(MAX_FILE_BYTES as f64)],
            ),
        }
    }
}

/// Parses bytes that stay in a JavaScript `Uint8Array`, copying one window at a time into
/// WebAssembly memory (a UTF-8 file is never held whole in the engine's memory).
pub async fn parse_js(
    bytes: js_sys::Uint8Array,
    options: IngestOptions,
    on_progress: &dyn Fn(Progress),
    cancel: &CancelToken,
) -> Result<Dataset, LoadError> {
    let head_len = bytes.length().min(crate::core::content::HEAD_BYTES as u32);
    let mut head = vec![0u8; head_len as usize];
    bytes.subarray(0, head_len).copy_to(&mut head);
    if let Some(kind) = crate::core::content::sniff(&head) {
        return Err(LoadError::NotCsv(kind));
    }
    let loader = Loader::from_source(Box::new(JsBytes::new(bytes)), options)
        .map_err(|e| LoadError::Ingest(e.to_string()))?;
    run(loader, on_progress, cancel).await
}

/// A `Uint8Array` as a [`Source`]. Its length is taken once: if the page shrinks or detaches
/// the buffer during a load, the missing bytes read as zeros instead of failing.
struct JsBytes {
    array: js_sys::Uint8Array,
    len: u64,
}

impl JsBytes {
    fn new(array: js_sys::Uint8Array) -> Self {
        let len = u64::from(array.length());
        JsBytes { array, len }
    }
}

impl Source for JsBytes {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, out: &mut [u8]) {
        let end = offset.saturating_add(out.len() as u64).min(self.len);
        let (Ok(a), Ok(b)) = (u32::try_from(offset), u32::try_from(end)) else {
            out.fill(0);
            return;
        };
        let sub = self.array.subarray(a, b);
        let n = sub.length() as usize;
        if n <= out.len() && u64::from(sub.length()) == end.saturating_sub(offset) {
            sub.copy_to(&mut out[..n]);
            out[n..].fill(0);
        } else {
            out.fill(0);
        }
    }
}

/// A file's head and one later range of it in one buffer, read at the file's offsets (what a
/// helper worker is given to read one part of a load, see [`split`]): bytes `[0, head)` then
/// bytes `[tail, len)`; the gap between reads as zeros (a part never reads there: it starts
/// at the first line at or after `tail`).
pub struct SplitBytes {
    array: js_sys::Uint8Array,
    head: u64,
    tail: u64,
    len: u64,
}

impl SplitBytes {
    pub fn new(array: js_sys::Uint8Array, head: u64, tail: u64, len: u64) -> Self {
        let head = head.min(tail);
        // Whatever the numbers say, never read past the buffer.
        let len = len.min(tail.saturating_add(u64::from(array.length()).saturating_sub(head)));
        SplitBytes {
            array,
            head,
            tail,
            len,
        }
    }
}

impl Source for SplitBytes {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, out: &mut [u8]) {
        out.fill(0);
        let end = offset.saturating_add(out.len() as u64).min(self.len);
        // File offset `tail` sits at buffer offset `head`.
        let back = self.tail - self.head;
        for (lo, hi, shift) in [(0, self.head, 0), (self.tail, self.len, back)] {
            let (lo, hi) = (lo.max(offset), hi.min(end));
            if lo < hi {
                let dst = (lo - offset) as usize..(hi - offset) as usize;
                copy_back(&self.array, lo - shift, hi - shift, &mut out[dst]);
            }
        }
    }
}

/// Copies buffer bytes `[a, b)` into `out`.
fn copy_back(array: &js_sys::Uint8Array, a: u64, b: u64, out: &mut [u8]) {
    if let (Ok(a), Ok(b)) = (u32::try_from(a), u32::try_from(b)) {
        if b <= array.length() && (b - a) as usize == out.len() {
            array.subarray(a, b).copy_to(out);
        }
    }
}

/// Bytes of this instance's WebAssembly memory (its linear memory's size).
pub fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0.0, |b| f64::from(b.byte_length()))
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
    let slice_start = steps(&mut loader, on_progress, cancel, &mut || {}).await?;
    // `finish` (the dictionaries handed over, a column re-read as text if its type failed)
    // gets a fresh slice of its own.
    if super::dom::now_ms() - slice_start > SLICE_MS / 2.0 {
        super::dom::yield_now().await;
    }
    loader
        .finish()
        .map_err(|e| LoadError::Ingest(e.to_string()))
}

/// Steps `loader` to its end (or its part's end) in slices of about [`SLICE_MS`], reporting
/// progress and calling `between` after each yield; returns when the last slice started.
async fn steps(
    loader: &mut Loader,
    on_progress: &dyn Fn(Progress),
    cancel: &CancelToken,
    between: &mut dyn FnMut(),
) -> Result<f64, LoadError> {
    let mut slice_start = super::dom::now_ms();
    while !loader.is_done() {
        loader.step(STEP_BYTES);
        if super::dom::now_ms() - slice_start > SLICE_MS {
            on_progress(loader.progress());
            super::dom::yield_now().await;
            if cancel.is_cancelled() {
                return Err(LoadError::Cancelled);
            }
            between();
            slice_start = super::dom::now_ms();
        }
    }
    Ok(slice_start)
}

/// Reads a file the user picked or dropped.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, LoadError> {
    read_file_array(file).await.map(|a| a.to_vec())
}

/// Reads a file into a JavaScript `Uint8Array` (see [`fetch_array`]); a file larger than
/// [`MAX_LOAD_BYTES`] is refused before anything is read.
pub async fn read_file_array(file: &web_sys::File) -> Result<js_sys::Uint8Array, LoadError> {
    if file.size() > MAX_LOAD_BYTES {
        return Err(LoadError::TooBig {
            size: Some(file.size()),
            local: true,
        });
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| LoadError::LocalRead(js_error(&e)))?;
    Ok(js_sys::Uint8Array::new(&buffer))
}

/// A JavaScript error as text.
pub fn js_error(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
