//! Loading data into the engine without blocking the page: bytes from a URL, a file or a
//! paste, parsed in slices by [`Loader`] with a yield to the event loop between slices, with
//! progress reports and cancellation.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::ingest::{IngestOptions, Loader, Progress, Source};
use crate::core::Dataset;

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
/// (the file is never held whole in WebAssembly memory). The body is read as a stream and
/// abandoned as soon as it passes [`MAX_LOAD_BYTES`]; a failed request is told apart as a
/// network failure, a CORS refusal or an HTTP error status.
pub async fn fetch_array(url: &str) -> Result<js_sys::Uint8Array, LoadError> {
    match fetch_for(url, None, &|_| {}, &CancelToken::default()).await? {
        Fetched::Array(a) => Ok(a),
        // Not asked for (`blob_from` is `None`).
        Fetched::Blob(_) => Err(LoadError::Network("blob".into())),
    }
}

/// What a fetch gave: bytes for the page's engine, or a `Blob` for the engine's worker.
pub enum Fetched {
    Array(js_sys::Uint8Array),
    Blob(web_sys::Blob),
}

/// Fetches a URL; when the server announces an uncompressed length of at least `blob_from`
/// bytes, or announces none (or only a compressed one) and the body turns out to pass
/// `blob_from` bytes, the body is gathered into a `Blob` (never one JavaScript buffer, never in
/// the page's WebAssembly memory) for the engine's worker, without the [`MAX_LOAD_BYTES`]
/// bound: the worker's memory budget decides what to load. Otherwise the bytes, as [`fetch_array`]
/// (reporting the bytes received as the body streams in: `bytes_total` is the announced
/// length, or the bytes so far when the server announces none; stopping when `cancel` is set).
pub async fn fetch_for(
    url: &str,
    blob_from: Option<f64>,
    on_progress: &dyn Fn(Progress),
    cancel: &CancelToken,
) -> Result<Fetched, LoadError> {
    let window = web_sys::window().ok_or_else(|| LoadError::Network("no window".into()))?;
    let response = match JsFuture::from(window.fetch_with_str(url)).await {
        Ok(r) => r,
        Err(e) => return Err(failed_fetch(&window, url, &e).await),
    };
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|e| LoadError::Network(js_error(&e)))?;
    if !response.ok() {
        return Err(LoadError::Http(
            format!("{} {}", response.status(), response.status_text())
                .trim()
                .to_string(),
        ));
    }
    let headers = response.headers();
    let length = headers
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<f64>().ok());
    let encoded = headers
        .get("content-encoding")
        .ok()
        .flatten()
        .is_some_and(|e| !e.is_empty() && e != "identity");
    let to_blob = !encoded && blob_from.zip(length).is_some_and(|(from, n)| n >= from);
    if length.is_some_and(|n| n > MAX_LOAD_BYTES) && !encoded && !to_blob {
        return Err(LoadError::TooBig {
            size: length,
            local: false,
        });
    }
    let Some(body) = response.body() else {
        let buffer = response
            .array_buffer()
            .map_err(|e| LoadError::Network(js_error(&e)))?;
        let buffer = JsFuture::from(buffer)
            .await
            .map_err(|e| LoadError::Network(js_error(&e)))?;
        return Ok(Fetched::Array(js_sys::Uint8Array::new(&buffer)));
    };
    let length = length.filter(|_| !encoded);
    match blob_from {
        // Big enough by the announced size: a Blob from the first byte.
        Some(_) if to_blob => read_gathered(body, length, 0.0, on_progress, cancel).await,
        // No usable length (none announced, or the compressed size): chunks as they come,
        // turned into a Blob once past `from` bytes.
        Some(from) if length.is_none() => {
            read_gathered(body, None, from, on_progress, cancel).await
        }
        _ => read_stream(body, length, on_progress, cancel)
            .await
            .map(Fetched::Array),
    }
}

/// The next chunk of a response body (`None` at its end); a cancelled load stops the body.
async fn next_chunk(
    reader: &web_sys::ReadableStreamDefaultReader,
    cancel: &CancelToken,
) -> Result<Option<js_sys::Uint8Array>, LoadError> {
    let step = JsFuture::from(reader.read())
        .await
        .map_err(|e| LoadError::Network(js_error(&e)))?;
    if cancel.is_cancelled() {
        let _ = reader.cancel();
        return Err(LoadError::Cancelled);
    }
    let done = js_sys::Reflect::get(&step, &"done".into())
        .ok()
        .and_then(|d| d.as_bool())
        .unwrap_or(true);
    if done {
        return Ok(None);
    }
    Ok(js_sys::Reflect::get(&step, &"value".into())
        .ok()
        .map(|v| v.unchecked_into::<js_sys::Uint8Array>()))
}

/// Bytes of network chunks gathered before they become one piece of the `Blob` (each piece is
/// one copy of a few megabytes, a short task; the final `Blob` only references its pieces).
const BLOB_PIECE: u32 = 8 << 20;

/// Reads a response body chunk by chunk; once `blob_from` bytes have come, the chunks are
/// gathered into a `Blob` piece by piece (never one JavaScript buffer, never the page's
/// WebAssembly memory: the worker reads it by slices), and the body is returned as that
/// `Blob`. A body that ends below `blob_from` becomes one buffer, like [`read_stream`]'s.
/// `length` (the announced size, if any) only scales the progress.
async fn read_gathered(
    body: web_sys::ReadableStream,
    length: Option<f64>,
    blob_from: f64,
    on_progress: &dyn Fn(Progress),
    cancel: &CancelToken,
) -> Result<Fetched, LoadError> {
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let pieces = js_sys::Array::new();
    let chunks = js_sys::Array::new();
    let mut in_chunks: f64 = 0.0;
    let mut total: f64 = 0.0;
    let mut last_report = f64::NEG_INFINITY;
    let blob_of = |parts: &js_sys::Array| {
        web_sys::Blob::new_with_u8_array_sequence(parts)
            .or_else(|_| web_sys::Blob::new_with_blob_sequence(parts))
            .map_err(|e| LoadError::Network(js_error(&e)))
    };
    loop {
        let chunk = next_chunk(&reader, cancel).await?;
        let done = chunk.is_none();
        if let Some(chunk) = chunk {
            in_chunks += f64::from(chunk.length());
            total += f64::from(chunk.length());
            chunks.push(&chunk);
        }
        let gathering = total >= blob_from;
        if !gathering && total > MAX_LOAD_BYTES {
            let _ = reader.cancel();
            return Err(LoadError::TooBig {
                size: None,
                local: false,
            });
        }
        if gathering && (in_chunks >= f64::from(BLOB_PIECE) || (done && chunks.length() > 0)) {
            // The chunks kept until the body passed `blob_from` are several pieces' worth:
            // one piece at a time, yielding between them (each copy a short task).
            let n = chunks.length();
            let mut group = js_sys::Array::new();
            let mut in_group: f64 = 0.0;
            for i in 0..n {
                let c: js_sys::Uint8Array = chunks.get(i).unchecked_into();
                in_group += f64::from(c.length());
                group.push(&c);
                if in_group >= f64::from(BLOB_PIECE) || i + 1 == n {
                    let piece = blob_of(&group)?;
                    pieces.push(&piece);
                    group = js_sys::Array::new();
                    in_group = 0.0;
                    if i + 1 < n {
                        super::dom::yield_now().await;
                    }
                }
            }
            chunks.set_length(0);
            in_chunks = 0.0;
        }
        if done {
            break;
        }
        if super::dom::now_ms() - last_report >= 100.0 {
            last_report = super::dom::now_ms();
            on_progress(Progress {
                bytes_done: total as u64,
                bytes_total: length.unwrap_or(total).max(total) as u64,
                rows: 0,
            });
        }
    }
    if pieces.length() > 0 {
        return web_sys::Blob::new_with_blob_sequence(&pieces)
            .map(Fetched::Blob)
            .map_err(|e| LoadError::Network(js_error(&e)));
    }
    let all = js_sys::Uint8Array::new_with_length(total as u32);
    let mut at = 0u32;
    for c in chunks.iter() {
        let c: js_sys::Uint8Array = c.unchecked_into();
        all.set(&c, at);
        at += c.length();
    }
    Ok(Fetched::Array(all))
}

/// Reads a response body chunk by chunk; with a known length (no compression) the chunks go
/// straight into one buffer of that size, so the file is never held twice.
async fn read_stream(
    body: web_sys::ReadableStream,
    length: Option<f64>,
    on_progress: &dyn Fn(Progress),
    cancel: &CancelToken,
) -> Result<js_sys::Uint8Array, LoadError> {
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut out = length.and_then(try_new_array);
    let mut chunks: Vec<js_sys::Uint8Array> = Vec::new();
    let mut total: f64 = 0.0;
    let mut last_report = f64::NEG_INFINITY;
    loop {
        let Some(chunk) = next_chunk(&reader, cancel).await? else {
            break;
        };
        let n = f64::from(chunk.length());
        if total + n > MAX_LOAD_BYTES {
            let _ = reader.cancel();
            return Err(LoadError::TooBig {
                size: None,
                local: false,
            });
        }
        match &out {
            // The server said the length: copy in place, unless it sends more than it said.
            Some(buf) if total + n <= f64::from(buf.length()) => buf.set(&chunk, total as u32),
            Some(buf) => {
                chunks.push(buf.subarray(0, total as u32));
                chunks.push(chunk);
                out = None;
            }
            None => chunks.push(chunk),
        }
        total += n;
        // A report re-renders the page: at most ten a second, not one per network chunk.
        if super::dom::now_ms() - last_report >= 100.0 {
            last_report = super::dom::now_ms();
            on_progress(Progress {
                bytes_done: total as u64,
                bytes_total: length.unwrap_or(total).max(total) as u64,
                rows: 0,
            });
        }
    }
    if let Some(buf) = out {
        return Ok(buf.subarray(0, total as u32));
    }
    let all = js_sys::Uint8Array::new_with_length(total as u32);
    let mut at = 0u32;
    for c in chunks {
        all.set(&c, at);
        at += c.length();
    }
    Ok(all)
}

/// A zeroed `Uint8Array` of `n` bytes, or `None` when the browser refuses the allocation
/// (a `RangeError`, e.g. a server announcing a length a phone cannot hold): the caller then
/// collects chunks as they come instead of trusting the announced length.
fn try_new_array(n: f64) -> Option<js_sys::Uint8Array> {
    let ctor = js_sys::Reflect::get(&js_sys::global(), &"Uint8Array".into()).ok()?;
    let ctor: js_sys::Function = ctor.dyn_into().ok()?;
    js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&n.into()))
        .ok()?
        .dyn_into()
        .ok()
}

/// Why `fetch` itself failed: browsers report a CORS refusal and a network failure with the
/// same error, so a cross-origin URL is asked again in `no-cors` mode (whose answer the page
/// cannot read, but which succeeds when the server is reachable): success means CORS.
async fn failed_fetch(window: &web_sys::Window, url: &str, e: &wasm_bindgen::JsValue) -> LoadError {
    let why = js_error(e);
    let same_origin =
        web_sys::Url::new_with_base(url, &window.location().href().unwrap_or_default())
            .ok()
            .map(|u| u.origin())
            == window.location().origin().ok();
    if same_origin {
        return LoadError::Network(why);
    }
    let init = web_sys::RequestInit::new();
    init.set_mode(web_sys::RequestMode::NoCors);
    match JsFuture::from(window.fetch_with_str_and_init(url, &init)).await {
        Ok(_) => LoadError::Cors,
        Err(_) => LoadError::Network(why),
    }
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
