//! The engine's side of the Web Worker: a second WebAssembly instance of the engine that
//! parses a file read by slices and answers the page's requests, so that the page's thread
//! only renders. The page side is `web/worker_engine.rs`; the wire is `state/service/wire.rs`.
//!
//! Messages (plain objects, `t` names the kind):
//! - page → worker: `load {file, options, budget, cuts, part}` (a `File` is a handle, nothing
//!   is copied; `cuts` and `part` make it one part of a parallel load, see
//!   `core::ingest::parts`), `absorb {part, bytes}` (a later part, encoded, for part 0),
//!   `ask {id, req}`, `drop {id}` (a newer view superseded the request: dropped before its
//!   turn, or stopped between two slices of its selection if it is running).
//! - worker → page: `ready`, `progress {done, total, rows, part, merged}`, `part {part, bytes}`
//!   (a later part, encoded, its buffer transferred), `too_big {estimate}` (the whole
//!   file would need more memory than `budget`: nothing is loaded),
//!   `loaded {report, rows, head, keys}`, `failed {kind, message}`, `answer {id, text}`.
//!
//! What must stay true: the file is read one window at a time (from one stream read ahead of
//! the parse, or with `FileReaderSync`: `worker/feed.rs`; the loader asks for [`WINDOW`] bytes
//! at most at once), so no copy of the whole file exists in either thread; requests are
//! answered in the order they arrive, except those dropped (before their turn, or between two
//! slices of their selection: no slice reads rows for more than [`serve::SLICE_MS`]); one worker holds one dataset (a new load starts a new worker: the page
//! terminates the old one, which frees its memory at once).

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::ingest::{IngestOptions, Loader};
use crate::core::Dataset;
use crate::state::service::wire;
use crate::state::service::LocalEngine;

mod feed;
mod parts;
mod serve;
pub(crate) use parts::JsInput;
use parts::{load_part, read_part};
use serve::schedule;

/// Bytes read from the file per window.
pub const WINDOW: usize = 4 << 20;
/// Bytes parsed between two looks at the clock.
const STEP_BYTES: usize = 1 << 20;
/// Raw bytes of the file's start sent back with the result: the page parses them for its
/// schema sample (types forced to the whole file's; every figure is asked of the worker, but
/// the first chart's suggestion reads the sample's rows). At most [`HEAD_SAMPLE_ROWS`] lines of
/// them: the parse runs on the page at the end of the load (32-35 ms for 256 KB of the budget
/// file, ~2,400 rows, in traces of the 1 GB load).
pub const HEAD_SAMPLE_BYTES: usize = 256 << 10;
/// Lines of the head sent back at most (the header and ~600 rows; a portal's sample is 100).
pub const HEAD_SAMPLE_ROWS: usize = 601;
/// Bytes of the file's start the memory estimate reads (more bytes, better distinct counts).
const ESTIMATE_HEAD_BYTES: usize = 4 << 20;

#[derive(Default)]
struct State {
    /// Later parts of a parallel load, encoded, by number, until the first part appends them
    /// (`None`: the part's worker failed; the first part reads that range itself).
    arrived: std::collections::BTreeMap<usize, Option<js_sys::Uint8Array>>,
    /// Wakes the first part of a parallel load waiting for the next part.
    part_wake: Option<js_sys::Function>,
    data: Option<Rc<Dataset>>,
    engine: LocalEngine,
    queue: VecDeque<(f64, String)>,
    dropped: HashSet<u64>,
    /// The request being answered (its rows are being selected, a slice at a time).
    running: Option<u64>,
    draining: bool,
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn set(o: &js_sys::Object, k: &str, v: &JsValue) {
    let _ = js_sys::Reflect::set(o, &k.into(), v);
}

/// The worker's clock (`performance.now()`), in ms.
fn now_ms() -> f64 {
    scope().performance().map_or(0.0, |p| p.now())
}

fn get(o: &JsValue, k: &str) -> JsValue {
    js_sys::Reflect::get(o, &k.into()).unwrap_or(JsValue::UNDEFINED)
}

fn post(t: &str, fields: &[(&str, JsValue)]) {
    let o = js_sys::Object::new();
    set(&o, "t", &t.into());
    for (k, v) in fields {
        set(&o, k, v);
    }
    let _ = scope().post_message(&o);
}

/// Runs the worker: installs the message handler, then says `ready`.
pub fn run() {
    // A panic in the engine ends the worker: the page is told why, and says so.
    std::panic::set_hook(Box::new(|info| {
        fail("crash", &info.to_string());
    }));
    let state = Rc::new(RefCell::new(State::default()));
    let handler =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let data = e.data();
            match get(&data, "t").as_string().as_deref() {
                Some("load") => load(&state, &data),
                Some("read_part") => read_part(&data),
                // A worker started ahead of a load runs its code hot once (`ingest::warm`), and
                // the first questions too when it will serve them (`service::warm`).
                Some("warm") => {
                    crate::core::ingest::warm_up();
                    if get(&data, "queries").as_bool() == Some(true) {
                        crate::state::service::warm::warm_up();
                    }
                }
                Some("absorb") => {
                    let k = get(&data, "part").as_f64().unwrap_or(0.0) as usize;
                    let bytes = get(&data, "bytes").dyn_into::<js_sys::Uint8Array>().ok();
                    let wake = {
                        let mut st = state.borrow_mut();
                        st.arrived.insert(k, bytes);
                        st.part_wake.take()
                    };
                    if let Some(wake) = wake {
                        let _ = wake.call0(&JsValue::NULL);
                    }
                }
                Some("ask") => {
                    let id = get(&data, "id").as_f64().unwrap_or(0.0);
                    let req = get(&data, "req").as_string().unwrap_or_default();
                    state.borrow_mut().queue.push_back((id, req));
                    schedule(&state);
                }
                Some("drop") => {
                    // Only a request still queued or running: a drop that crosses its answer
                    // would otherwise stay in the set for good.
                    let id = get(&data, "id").as_f64().unwrap_or(0.0);
                    let mut st = state.borrow_mut();
                    if st.running == Some(id as u64) || st.queue.iter().any(|(q, _)| *q == id) {
                        st.dropped.insert(id as u64);
                    }
                }
                _ => {}
            }
        });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(
        "ready",
        &[("memory", super::load::wasm_memory_bytes().into())],
    );
}

/// The first `n` bytes of a file of `len` bytes, or all of them: a buffer length.
fn head_len(len: u64, n: usize) -> usize {
    usize::try_from(len).map_or(n, |len| len.min(n))
}

fn fail(kind: &str, message: &str) {
    post(
        "failed",
        &[("kind", kind.into()), ("message", message.into())],
    );
}

/// Parses `loader` to its end (or its part's end), posting progress; `None` when a read
/// failed (already reported). With a `feed`, the parse waits for the stream to hold the next
/// window and yields between steps, so that its chunks arrive while the parse goes on.
/// Progress of part 0 is its position in the text (and, once other parts are `merged`, the
/// whole load's rows); a later part's counts from its own start.
async fn parse(
    loader: &mut Loader,
    feed: Option<&Rc<feed::Feed>>,
    failed: &Rc<RefCell<Option<String>>>,
    part: usize,
    merged: bool,
) -> Option<()> {
    let mut last = js_sys::Date::now();
    let start = if part == 0 {
        0
    } else {
        loader.progress().bytes_done
    };
    while !loader.is_done() {
        if let Some(feed) = feed {
            feed.wait().await;
        }
        let t = now_ms();
        loader.step(STEP_BYTES);
        if let Some(feed) = feed {
            let t1 = now_ms();
            feed.step_ms.set(feed.step_ms.get() + t1 - t);
            feed.pump();
            // Chunks arrive only while the worker is idle. (Turns every 12 ms of parse
            // instead of every step, with 16 MB read ahead: no faster, measured.)
            crate::web::dom::yield_now().await;
            feed.yield_ms.set(feed.yield_ms.get() + now_ms() - t1);
        }
        let now = js_sys::Date::now();
        if now - last >= 100.0 {
            last = now;
            let p = loader.progress();
            post(
                "progress",
                &[
                    ("done", (p.bytes_done.saturating_sub(start) as f64).into()),
                    ("total", (p.bytes_total as f64).into()),
                    ("rows", (p.rows as f64).into()),
                    ("part", (part as f64).into()),
                    ("merged", merged.into()),
                ],
            );
        }
        if let Some(why) = failed.borrow().clone() {
            fail("read", &why);
            return None;
        }
    }
    if let Some(feed) = feed {
        feed.publish();
    }
    Some(())
}

/// The first part of a parallel load, once its own range is read: appends the later parts
/// in order as they arrive (reading a failed part's range itself), then finishes the load.
async fn gather(
    state: Rc<RefCell<State>>,
    mut loader: Loader,
    feed: Rc<feed::Feed>,
    ends: Vec<u64>,
    head: Vec<u8>,
    started: f64,
) {
    let mut appended = 1;
    for (k, &end) in ends.iter().enumerate().skip(1) {
        let part = loop {
            let arrived = state.borrow_mut().arrived.remove(&k);
            if let Some(part) = arrived {
                break part;
            }
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                state.borrow_mut().part_wake = Some(resolve);
            });
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        };
        let absorbed = match part {
            Some(bytes) => loader.absorb(&mut JsInput::new(bytes), end),
            None => Ok(false),
        };
        match absorbed {
            Err(e) => return fail("ingest", &e.to_string()),
            Ok(true) => appended += 1,
            Ok(false) => {}
        }
        if parse(&mut loader, Some(&feed), &feed.failed, 0, true)
            .await
            .is_none()
        {
            return;
        }
    }
    finish_load(&state, loader, &head, started, &feed.failed, appended);
}

fn load(state: &Rc<RefCell<State>>, msg: &JsValue) {
    let Ok(file) = get(msg, "file").dyn_into::<web_sys::Blob>() else {
        return fail("read", "no file");
    };
    let options: IngestOptions = get(msg, "options")
        .as_string()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    // Positions in the file are `u64`, read window by window: a file beyond 4 GiB streams
    // through. Sizes are exact in an `f64` up to 2^53; far below that, a file beyond
    // `MAX_FILE_BYTES` is refused, never read in part and shown as if it were whole.
    if file.size() > super::load::MAX_FILE_BYTES as f64 {
        return fail("beyond", &file.size().to_string());
    }
    let Ok(feed) = feed::Feed::new(file) else {
        return fail("read", "FileReaderSync");
    };
    let failed = feed.failed.clone();
    let src = feed.source();
    let mut head = vec![0u8; head_len(feed.len(), HEAD_SAMPLE_BYTES)];
    src.read_at(0, &mut head);
    if let Some(why) = failed.borrow().clone() {
        return fail("read", &why);
    }
    if let Some(kind) = crate::core::content::sniff(&head) {
        return fail("not_csv", &format!("{kind:?}"));
    }
    // Before loading: would the whole file fit the budget? (Only when the whole file is asked:
    // a projection, filter or sample is the user's answer to that question.)
    let budget = get(msg, "budget").as_f64().unwrap_or(0.0);
    let whole =
        options.columns.is_none() && options.row_filter.is_none() && options.sample_every.is_none();
    if budget > 0.0 && whole {
        let mut probe = vec![0u8; head_len(feed.len(), ESTIMATE_HEAD_BYTES)];
        src.read_at(0, &mut probe);
        if let Ok(est) = crate::core::ingest::estimate(&probe, feed.len(), &options) {
            if est.bytes as f64 > budget {
                let text = serde_json::to_string(&est).unwrap_or_default();
                return post("too_big", &[("estimate", text.into())]);
            }
        }
    }
    // A parallel load: `cuts` are the text offsets where parts 1.. start; `part` is this
    // worker's part (0 reads from the start and appends the others).
    let cuts: Vec<u64> = js_sys::Array::from(&get(msg, "cuts"))
        .iter()
        .filter_map(|v| v.as_f64())
        .map(|c| c as u64)
        .collect();
    let part = get(msg, "part").as_f64().unwrap_or(0.0) as usize;
    let started = js_sys::Date::now();
    let loader = Loader::from_source_in_windows(src, options, WINDOW);
    if part > 0 {
        let from = cuts.get(part - 1).copied().unwrap_or(u64::MAX);
        let to = cuts.get(part).copied().unwrap_or(u64::MAX);
        let loader = loader.map_err(|e| e.to_string());
        return wasm_bindgen_futures::spawn_local(async move {
            load_part(loader, part, from, to, Some(&feed), &failed, started).await;
        });
    }
    let mut loader = match loader {
        Ok(l) => l,
        Err(e) => return fail("ingest", &e.to_string()),
    };
    if let Some(&first_end) = cuts.first() {
        loader.stop_at(first_end);
    }
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if parse(&mut loader, Some(&feed), &failed, 0, false)
            .await
            .is_none()
        {
            return;
        }
        if cuts.is_empty() {
            return finish_load(&state, loader, &head, started, &failed, 1);
        }
        let ends = cuts.iter().copied().chain([u64::MAX]).collect();
        gather(state, loader, feed, ends, head, started).await;
    });
}

/// Builds the dataset, keeps it, and tells the page.
fn finish_load(
    state: &Rc<RefCell<State>>,
    loader: Loader,
    head: &[u8],
    started: f64,
    failed: &Rc<RefCell<Option<String>>>,
    parts: usize,
) {
    let ds = match loader.finish() {
        Ok(ds) => ds,
        Err(e) => return fail("ingest", &e.to_string()),
    };
    if let Some(why) = failed.borrow().clone() {
        return fail("read", &why);
    }
    let keys: Vec<(String, Option<crate::core::KeyKind>)> =
        ds.columns.iter().map(|c| (c.name.clone(), c.key)).collect();
    let types: Vec<(String, crate::core::ColumnType)> = ds
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.column_type()))
        .collect();
    let report = serde_json::to_string(&ds.report).unwrap_or_default();
    let rows = ds.rows;
    let head_array =
        js_sys::Uint8Array::from(crate::core::ingest::first_lines(head, HEAD_SAMPLE_ROWS));
    {
        let mut st = state.borrow_mut();
        st.data = Some(Rc::new(ds));
        st.engine = LocalEngine::new();
    }
    post(
        "loaded",
        &[
            ("report", report.into()),
            ("rows", (rows as f64).into()),
            ("head", head_array.into()),
            (
                "keys",
                serde_json::to_string(&keys).unwrap_or_default().into(),
            ),
            (
                "types",
                serde_json::to_string(&types).unwrap_or_default().into(),
            ),
            ("ms", (js_sys::Date::now() - started).into()),
            ("memory", super::load::wasm_memory_bytes().into()),
            ("parts", (parts as f64).into()),
        ],
    );
}
