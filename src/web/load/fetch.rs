//! Downloads: a URL's body streamed into one buffer for the page's engine, or gathered into a
//! `Blob` piece by piece for the engine's worker, with progress, Cancel, the size bound, and a
//! failed request told apart as a network failure, a CORS refusal or an HTTP error.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{js_error, CancelToken, LoadError, MAX_LOAD_BYTES};
use crate::core::ingest::Progress;
use crate::web::dom;

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
                        dom::yield_now().await;
                    }
                }
            }
            chunks.set_length(0);
            in_chunks = 0.0;
        }
        if done {
            break;
        }
        report(&mut last_report, total, length, on_progress);
    }
    if pieces.length() > 0 {
        return web_sys::Blob::new_with_blob_sequence(&pieces)
            .map(Fetched::Blob)
            .map_err(|e| LoadError::Network(js_error(&e)));
    }
    Ok(Fetched::Array(concat(
        chunks.iter().map(|c| c.unchecked_into()),
        total,
    )))
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
        report(&mut last_report, total, length, on_progress);
    }
    if let Some(buf) = out {
        return Ok(buf.subarray(0, total as u32));
    }
    Ok(concat(chunks.into_iter(), total))
}

/// Reports the bytes received so far, at most ten times a second (a report re-renders the
/// page: not one per network chunk).
fn report(last: &mut f64, total: f64, length: Option<f64>, on_progress: &dyn Fn(Progress)) {
    if dom::now_ms() - *last >= 100.0 {
        *last = dom::now_ms();
        on_progress(Progress {
            bytes_done: total as u64,
            bytes_total: length.unwrap_or(total).max(total) as u64,
            rows: 0,
        });
    }
}

/// The chunks, `total` bytes in all, in one buffer.
fn concat(chunks: impl Iterator<Item = js_sys::Uint8Array>, total: f64) -> js_sys::Uint8Array {
    let all = js_sys::Uint8Array::new_with_length(total as u32);
    let mut at = 0u32;
    for c in chunks {
        all.set(&c, at);
        at += c.length();
    }
    all
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
