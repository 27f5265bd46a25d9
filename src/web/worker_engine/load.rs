//! Loading a file in the worker (and its helpers, for a parallel load): the `load` message,
//! progress as parts report it, each helper's part handed to the first worker, and the page's
//! schema sample from the `loaded` answer.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{get, message, Loaded, WorkerEngine};
use crate::core::ingest::{IngestOptions, IngestReport, Progress};
use crate::web::load::{js_error, CancelToken, LoadError};

impl WorkerEngine {
    /// Loads `file` (a `File` from disk, or a `Blob` a download was gathered into) in a fresh
    /// worker, reporting progress, and builds the page's schema sample.
    pub async fn load(
        self: &Rc<Self>,
        file: &web_sys::Blob,
        options: IngestOptions,
        budget: f64,
        parts: usize,
        on_progress: &dyn Fn(Progress),
        cancel: &CancelToken,
    ) -> Result<Loaded, LoadError> {
        let parts = parts_for(file.size(), &options, parts);
        self.start(parts)?;
        // Until its wasm has set `onmessage`, a message to the worker has no handler.
        while !{
            let inner = self.inner.borrow();
            inner.loading.as_ref().is_some_and(|s| s.ready) && inner.helpers.iter().all(|h| h.ready)
        } {
            if cancel.is_cancelled() {
                self.stop_loading();
                return Err(LoadError::Cancelled);
            }
            let failed = self.inner.borrow_mut().mailbox.pop_front();
            if let Some(e) = failed.as_ref().and_then(failure) {
                self.stop_loading();
                return Err(e);
            }
            crate::web::portal::sleep_ms(5.0).await;
        }
        // Nominal cuts in the file's bytes (each part finds its first line from there).
        let size = file.size();
        let cuts = js_sys::Array::new();
        for k in 1..parts {
            cuts.push(&((size * k as f64 / parts as f64).floor()).into());
        }
        let opts = serde_json::to_string(&options).unwrap_or_default();
        let load_msg = |part: usize, budget: f64| {
            message(
                "load",
                &[
                    ("file", file.into()),
                    ("options", opts.clone().into()),
                    ("budget", budget.into()),
                    ("cuts", cuts.clone().into()),
                    ("part", (part as f64).into()),
                ],
            )
        };
        let posted = {
            let mut inner = self.inner.borrow_mut();
            let mut posted = match &inner.loading {
                Some(s) => s.worker.post_message(&load_msg(0, budget)),
                None => Ok(()),
            };
            // A helper that cannot be started is dropped: the first worker reads its range.
            let mut unstarted = Vec::new();
            inner.helpers.retain(|h| {
                let ok = h.worker.post_message(&load_msg(h.part, 0.0)).is_ok();
                if !ok {
                    unstarted.push(h.part);
                }
                ok
            });
            if let Some(s) = &inner.loading {
                for part in unstarted {
                    let bare = message("absorb", &[("part", (part as f64).into())]);
                    posted = posted.and(s.worker.post_message(&bare));
                }
            }
            posted
        };
        if let Err(e) = posted {
            self.stop_loading();
            return Err(LoadError::Ingest(js_error(&e)));
        }
        warm_page_loader();
        let total = file.size() as u64;
        // Bytes and rows read by each part; once part 0 has appended others, its own figures
        // are the whole load's.
        let mut done = vec![(0.0, 0.0); parts];
        loop {
            let m = self.next_message(cancel).await?;
            match get(&m, "t").as_string().as_deref() {
                Some("progress") => {
                    let k = get(&m, "part").as_f64().unwrap_or(0.0) as usize;
                    let figures = (
                        get(&m, "done").as_f64().unwrap_or(0.0),
                        get(&m, "rows").as_f64().unwrap_or(0.0),
                    );
                    if let Some(d) = done.get_mut(k) {
                        *d = figures;
                    }
                    let (bytes, rows) = if get(&m, "merged").as_bool() == Some(true) {
                        figures
                    } else {
                        done.iter().fold((0.0, 0.0), |a, d| (a.0 + d.0, a.1 + d.1))
                    };
                    on_progress(Progress {
                        bytes_done: (bytes as u64).min(total),
                        bytes_total: total,
                        rows: rows as usize,
                    })
                }
                Some("loaded") => {
                    let mut loaded = sample_of(&m, options, 0);
                    if loaded.is_err() {
                        self.stop();
                        return loaded;
                    }
                    // Parsing the schema sample (~25 ms for 256 KB on a slow machine; now at most 600 rows) and
                    // the first render of the dataset (~20 ms) are two tasks, not one. The
                    // new worker replaces the serving one only after the yield, and only if
                    // the load was not cancelled meanwhile (the data on screen keeps its
                    // worker then).
                    crate::web::dom::yield_now().await;
                    if cancel.is_cancelled() {
                        self.stop_loading();
                        return Err(LoadError::Cancelled);
                    }
                    let load = self.promote();
                    if let Ok(l) = loaded.as_mut() {
                        l.load = load;
                    }
                    return loaded;
                }
                Some("too_big") => {
                    self.stop_loading();
                    let est = get(&m, "estimate")
                        .as_string()
                        .and_then(|t| serde_json::from_str(&t).ok())
                        .unwrap_or_default();
                    return Err(LoadError::Exceeds(Box::new(est)));
                }
                _ => {
                    if let Some(e) = failure(&m) {
                        self.stop_loading();
                        return Err(e);
                    }
                }
            }
        }
    }
}

impl WorkerEngine {
    /// A message of a worker reading a later part: its part goes to the loading worker (the
    /// buffer is transferred, not copied) and the helper ends; a failed helper's part is
    /// read by the loading worker itself.
    pub(super) fn helper_message(&self, slot: u64, t: Option<&str>, data: JsValue) {
        let mut inner = self.inner.borrow_mut();
        let Some(i) = inner.helpers.iter().position(|h| h.id == slot) else {
            return;
        };
        match t {
            Some("ready") => inner.helpers[i].ready = true,
            Some("progress") => inner.mailbox.push_back(data),
            Some("part") | Some("failed") => {
                let helper = inner.helpers.remove(i);
                let bytes = get(&data, "bytes");
                let msg = message(
                    "absorb",
                    &[
                        ("part", (helper.part as f64).into()),
                        ("bytes", bytes.clone()),
                    ],
                );
                if let Some(main) = &inner.loading {
                    let sent = match bytes.dyn_ref::<js_sys::Uint8Array>() {
                        Some(a) => main
                            .worker
                            .post_message_with_transfer(&msg, &js_sys::Array::of1(&a.buffer())),
                        None => main.worker.post_message(&msg),
                    };
                    if sent.is_err() {
                        // The part could not be handed over (too big to clone, a detached
                        // buffer): the first worker reads that range itself, as for a failed part.
                        let bare = message("absorb", &[("part", (helper.part as f64).into())]);
                        if main.worker.post_message(&bare).is_err() {
                            inner.mailbox.push_back(
                                message(
                                    "failed",
                                    &[("kind", "crash".into()), ("message", "postMessage".into())],
                                )
                                .into(),
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The device's logical cores, as the browser says (1 when it does not).
pub(super) fn cores() -> usize {
    web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .unwrap_or(1.0)
        .max(1.0) as usize
}

/// How many workers read a file (`asked`: `?parts=`, 0 when absent): see
/// [`crate::core::ingest::parts::parts_for`].
fn parts_for(size: f64, options: &IngestOptions, asked: usize) -> usize {
    crate::core::ingest::parts::parts_for(
        size as u64,
        options.sample_every.unwrap_or(1) > 1,
        asked,
        cores(),
    )
}

/// The failure a worker message reports, if it is one.
fn failure(m: &JsValue) -> Option<LoadError> {
    if get(m, "t").as_string().as_deref() != Some("failed") {
        return None;
    }
    let why = get(m, "message").as_string().unwrap_or_default();
    Some(match get(m, "kind").as_string().as_deref() {
        Some("read") => LoadError::LocalRead(why),
        Some("beyond") => LoadError::BeyondReach(why.parse().unwrap_or(0.0)),
        Some("not_csv") => LoadError::Ingest(why),
        Some("crash") => LoadError::Ingest(format!(
            "Le moteur s'est arrêté pendant la lecture ({why}) / The engine stopped while reading ({why})"
        )),
        _ => LoadError::Ingest(why),
    })
}

/// The page's schema sample from a `loaded` message: the head bytes cut at their last line
/// break, parsed with the whole file's types and dialect, given the whole file's report and
/// key kinds.
fn sample_of(m: &JsValue, mut options: IngestOptions, load: u64) -> Result<Loaded, LoadError> {
    let report: IngestReport = get(m, "report")
        .as_string()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let keys: Vec<(String, Option<crate::core::KeyKind>)> = get(m, "keys")
        .as_string()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let types: Vec<(String, crate::core::ColumnType)> = get(m, "types")
        .as_string()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let rows = get(m, "rows").as_f64().unwrap_or(0.0) as usize;
    let ms = get(m, "ms").as_f64().unwrap_or(0.0);
    let memory = get(m, "memory").as_f64().unwrap_or(0.0);
    let parts = get(m, "parts").as_f64().unwrap_or(1.0) as usize;
    let head = get(m, "head")
        .dyn_into::<js_sys::Uint8Array>()
        .map(|a| a.to_vec())
        .unwrap_or_default();
    let cut = head
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(head.len(), |i| i + 1);
    options.types = types;
    options.encoding = Some(report.encoding.clone());
    options.delimiter = Some(report.delimiter.clone());
    let mut sample = crate::core::ingest::read(&head[..cut], &options)
        .map_err(|e| LoadError::Ingest(e.to_string()))?;
    for c in &mut sample.columns {
        if let Some((_, k)) = keys.iter().find(|(n, _)| *n == c.name) {
            c.key = *k;
        }
    }
    sample.report = report;
    Ok(Loaded {
        sample,
        rows,
        ms,
        load,
        memory,
        parts,
    })
}

thread_local! {
    static PAGE_LOADER_WARM: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs the page's own loader once on a small file, in a task of its own, while the worker
/// reads: the schema sample parsed at the end of the load would otherwise be the first call of
/// much of that code on the page (the bundled files take other paths), and WebAssembly compiles
/// a function on its first call (`wasm.CompileLazy`, 11 ms of the 34 ms task that parsed the
/// sample in a trace of the 1 GB load).
fn warm_page_loader() {
    if PAGE_LOADER_WARM.with(|w| w.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        crate::web::dom::yield_now().await;
        let csv = crate::core::ingest::warm_up_csv_rows(400);
        let _ = crate::core::ingest::read(&csv, &IngestOptions::default());
    });
}
