//! The page's side of the engine's Web Worker (`web/worker.rs`): starts the worker, hands it a
//! file to load, and asks it the panels' requests. Like the portal engine, it is asynchronous:
//! [`WorkerEngine::answer`] returns the answer when it is known and `None` while it is on its
//! way; the app re-renders when answers arrive, and the panels ask again.
//!
//! What must stay true: the page never parses the file nor runs a query over its rows (it
//! parses only the file's first [`super::worker::HEAD_SAMPLE_BYTES`] for the schema, with
//! the whole file's types forced); a newer request for the same panel question (the same
//! request but for its filters) drops the older one in the worker (before its turn, or between
//! two slices of its selection), even when the newer one is answered from here. A new
//! load starts a second worker while the first keeps answering for the data on screen: a
//! finished load terminates the old one (freeing its memory), a cancelled or failed load its
//! own; a dataset opened in the page terminates both.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

mod load;

use super::load::{js_error, CancelToken, LoadError};
use crate::core::query::QueryError;
use crate::core::Dataset;
use crate::state::service::{wire, Request, Shared};

/// Most answers kept.
const MAX_ANSWERS: usize = 128;
/// How often the page looks at its mailbox during a load, in milliseconds.
const POLL_MS: f64 = 40.0;

/// One worker and its handlers.
struct Slot {
    worker: web_sys::Worker,
    /// Tells this worker's messages apart from the other's.
    id: u64,
    ready: bool,
    /// Which part of a parallel load it reads (0: the worker that keeps the dataset).
    part: usize,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

#[derive(Default)]
struct Inner {
    /// The worker that holds the data on screen and answers its requests.
    serving: Option<Slot>,
    /// A worker loading the next file: it replaces `serving` once loaded, so that a cancelled
    /// or failed load leaves the data on screen working.
    loading: Option<Slot>,
    /// Workers reading the later parts of the load in progress (each ends when its part has
    /// been handed to `loading`).
    helpers: Vec<Slot>,
    /// A worker started ahead of the next load (the file picker was opened, a file dragged
    /// over the page): its WebAssembly is compiled and warmed by the time a file is chosen.
    spare: Option<Slot>,
    /// On a device of two cores or more, a second worker started with it, to read the second
    /// part of a file read in two (see `load::parts_for`), warmed the same way.
    spare_part: Option<Slot>,
    next_slot: u64,
    /// Messages of the loading worker other than `ready`, in arrival order.
    mailbox: VecDeque<JsValue>,
    /// The load the answers belong to (one per file loaded).
    load: u64,
    answers: HashMap<String, Shared>,
    order: Vec<String>,
    /// Requests on their way: id -> (key, slot; `None`: an API request, never superseded).
    in_flight: HashMap<u64, (String, Option<String>)>,
    next_id: u64,
    notify_scheduled: bool,
}

/// The worker engine of the page (one per app).
#[derive(Default)]
pub struct WorkerEngine {
    inner: RefCell<Inner>,
    notify: RefCell<Option<Callback<()>>>,
    /// Resolvers of [`WorkerEngine::arrival`]'s Promises.
    waiters: RefCell<Vec<js_sys::Function>>,
}

/// What a finished load gives the page.
pub struct Loaded {
    /// The schema sample: the file's first rows, typed as the whole file, with the whole
    /// file's report and key kinds.
    pub sample: Dataset,
    /// Rows of the whole dataset (in the worker).
    pub rows: usize,
    /// Milliseconds the worker spent loading.
    pub ms: f64,
    /// Which load this is: [`WorkerEngine::answer`] is asked with it.
    pub load: u64,
    /// Bytes of the worker's WebAssembly memory once loaded.
    pub memory: f64,
    /// Parts read by workers of their own and appended (1: the first worker read it all).
    pub parts: usize,
}

fn get(o: &JsValue, k: &str) -> JsValue {
    js_sys::Reflect::get(o, &k.into()).unwrap_or(JsValue::UNDEFINED)
}

fn message(t: &str, fields: &[(&str, JsValue)]) -> js_sys::Object {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"t".into(), &t.into());
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&o, &(*k).into(), v);
    }
    o
}

impl WorkerEngine {
    /// Who to tell when answers arrive.
    pub fn set_notify(&self, cb: Callback<()>) {
        *self.notify.borrow_mut() = Some(cb);
    }

    /// Resolves when the next answers arrive (the JS API awaits its queries so).
    pub async fn arrival(&self) {
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            self.waiters.borrow_mut().push(resolve);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }

    /// Whether requests are on their way.
    pub fn busy(&self) -> bool {
        !self.inner.borrow().in_flight.is_empty()
    }

    /// Starts a spare worker for the next load, if there is none (see `Inner::spare`).
    pub fn prepare(self: &Rc<Self>) {
        // The first spare waits for the page's compiled module (`web::spawn`).
        if !crate::web::spawn::settled() {
            let engine = self.clone();
            return crate::web::spawn::compile_then(move || engine.prepare());
        }
        if self.inner.borrow().spare.is_none() {
            if let Ok(slot) = self.spawn(0) {
                self.inner.borrow_mut().spare = Some(slot);
            }
        }
        if load::cores() >= 2 && self.inner.borrow().spare_part.is_none() {
            if let Ok(slot) = self.spawn(1) {
                self.inner.borrow_mut().spare_part = Some(slot);
            }
        }
    }

    /// Drops every panel's request on its way (« Arrêter »: the view goes back, and what the
    /// newer one asked must not keep the worker busy, whatever the older view asks again).
    /// The `window.loupe` API's requests are kept: each of them resolves.
    pub fn drop_panel_requests(&self) {
        let mut inner = self.inner.borrow_mut();
        let ids: Vec<u64> = inner
            .in_flight
            .iter()
            .filter(|(_, (_, slot))| slot.is_some())
            .map(|(id, _)| *id)
            .collect();
        for id in &ids {
            inner.in_flight.remove(id);
        }
        if let Some(s) = &inner.serving {
            for id in ids {
                let _ = s
                    .worker
                    .post_message(&message("drop", &[("id", (id as f64).into())]));
            }
        }
    }

    /// Terminates the workers (and the datasets they hold).
    pub fn stop(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.spare = None;
        inner.spare_part = None;
        inner.serving = None;
        inner.loading = None;
        inner.helpers.clear();
        inner.mailbox.clear();
        inner.in_flight.clear();
    }

    /// Terminates the loading worker, if any (a cancelled or failed load).
    fn stop_loading(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.loading = None;
        inner.helpers.clear();
        inner.mailbox.clear();
    }

    /// Starts fresh workers for a load of `parts` parts (the serving one keeps serving
    /// meanwhile).
    fn start(self: &Rc<Self>, parts: usize) -> Result<(), LoadError> {
        self.stop_loading();
        let spare = self.inner.borrow_mut().spare.take();
        let main = match spare {
            Some(slot) => slot,
            None => self.spawn(0)?,
        };
        self.inner.borrow_mut().loading = Some(main);
        for k in 1..parts {
            let spare = if k == 1 {
                self.inner.borrow_mut().spare_part.take()
            } else {
                None
            };
            let helper = match spare {
                Some(slot) => slot,
                None => self.spawn(k)?,
            };
            self.inner.borrow_mut().helpers.push(helper);
        }
        Ok(())
    }

    fn spawn(self: &Rc<Self>, part: usize) -> Result<Slot, LoadError> {
        let worker = crate::web::spawn::worker().map_err(|e| LoadError::Ingest(js_error(&e)))?;
        let id = {
            let mut inner = self.inner.borrow_mut();
            inner.next_slot += 1;
            inner.next_slot
        };
        let weak = Rc::downgrade(self);
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Some(engine) = weak.upgrade() {
                    engine.received(id, e.data());
                }
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let weak = Rc::downgrade(self);
        let on_error =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                if let Some(engine) = weak.upgrade() {
                    let m = message(
                        "failed",
                        &[("kind", "crash".into()), ("message", e.message().into())],
                    );
                    engine.received(id, m.into());
                }
            });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Slot {
            worker,
            id,
            ready: false,
            part,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn received(self: &Rc<Self>, slot: u64, data: JsValue) {
        let t = get(&data, "t").as_string();
        {
            // The spare worker: once ready, it runs the engine's hot paths once (`warm`).
            let mut inner = self.inner.borrow_mut();
            if let Some(spare) = inner.spare.as_mut().filter(|s| s.id == slot) {
                if t.as_deref() == Some("ready") {
                    spare.ready = true;
                    // It will serve the file's queries too: those are warmed as well.
                    let _ = spare
                        .worker
                        .post_message(&message("warm", &[("queries", true.into())]));
                }
                return;
            }
            // The spare second-part worker: its loader's hot paths only (it serves nothing).
            if let Some(spare) = inner.spare_part.as_mut().filter(|s| s.id == slot) {
                if t.as_deref() == Some("ready") {
                    spare.ready = true;
                    let _ = spare.worker.post_message(&message("warm", &[]));
                }
                return;
            }
        }
        if self.inner.borrow().helpers.iter().any(|h| h.id == slot) {
            return self.helper_message(slot, t.as_deref(), data);
        }
        let (loading, serving) = {
            let inner = self.inner.borrow();
            (
                inner.loading.as_ref().is_some_and(|s| s.id == slot),
                inner.serving.as_ref().is_some_and(|s| s.id == slot),
            )
        };
        if loading {
            let mut inner = self.inner.borrow_mut();
            match t.as_deref() {
                Some("ready") => {
                    if let Some(s) = inner.loading.as_mut() {
                        s.ready = true;
                    }
                }
                _ => inner.mailbox.push_back(data),
            }
            return;
        }
        if !serving {
            return;
        }
        match t.as_deref() {
            Some("answer") => {
                let id = get(&data, "id").as_f64().unwrap_or(-1.0) as u64;
                let text = get(&data, "text").as_string().unwrap_or_default();
                let answer =
                    wire::decode_answer(&text).unwrap_or_else(|e| Err(QueryError::Remote(e)));
                {
                    let mut inner = self.inner.borrow_mut();
                    let Some((key, _)) = inner.in_flight.remove(&id) else {
                        return;
                    };
                    if inner.order.len() >= MAX_ANSWERS {
                        let old = inner.order.remove(0);
                        inner.answers.remove(&old);
                    }
                    inner.order.push(key.clone());
                    inner.answers.insert(key, Rc::new(answer));
                }
                self.wake();
                self.schedule_notify();
            }
            Some("failed") => {
                // The worker died after loading (out of memory in a query): every request on
                // its way fails with the reason, and the page says so.
                let why = get(&data, "message").as_string().unwrap_or_default();
                let mut inner = self.inner.borrow_mut();
                // A dead worker answers nothing more: later requests get "engine stopped".
                inner.serving = None;
                for (_, (key, _)) in std::mem::take(&mut inner.in_flight) {
                    inner
                        .answers
                        .insert(key, Rc::new(Err(QueryError::Remote(why.clone()))));
                }
                drop(inner);
                self.wake();
                self.schedule_notify();
            }
            _ => {}
        }
    }

    /// Resolves every pending [`WorkerEngine::arrival`].
    fn wake(&self) {
        for resolve in std::mem::take(&mut *self.waiters.borrow_mut()) {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }

    /// Tells the app once for all the answers that arrived in one burst.
    fn schedule_notify(self: &Rc<Self>) {
        if std::mem::replace(&mut self.inner.borrow_mut().notify_scheduled, true) {
            return;
        }
        let engine = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            super::dom::yield_now().await;
            engine.inner.borrow_mut().notify_scheduled = false;
            let cb = engine.notify.borrow().clone();
            if let Some(cb) = cb {
                cb.emit(());
            }
        });
    }

    async fn next_message(&self, cancel: &CancelToken) -> Result<JsValue, LoadError> {
        loop {
            if cancel.is_cancelled() {
                self.stop_loading();
                return Err(LoadError::Cancelled);
            }
            if let Some(m) = self.inner.borrow_mut().mailbox.pop_front() {
                return Ok(m);
            }
            super::portal::sleep_ms(POLL_MS).await;
        }
    }

    /// The loading worker becomes the serving one (the old one and its dataset are freed);
    /// returns the new load's number.
    fn promote(&self) -> u64 {
        let mut inner = self.inner.borrow_mut();
        inner.serving = inner.loading.take();
        inner.helpers.clear();
        inner.mailbox.clear();
        inner.in_flight.clear();
        inner.answers.clear();
        inner.order.clear();
        inner.load += 1;
        inner.load
    }

    /// Drops the kept answer to `req`: the next [`WorkerEngine::answer`] asks the worker again.
    pub fn forget(&self, req: &Request) {
        let key = req.key().unwrap_or_else(|| format!("{req:?}"));
        let mut inner = self.inner.borrow_mut();
        inner.answers.remove(&key);
        inner.order.retain(|k| *k != key);
    }

    /// The answer to `req` if known; otherwise `None`, and the request is on its way. A panel's
    /// question: it supersedes the older one of the same panel (see the module doc).
    pub fn answer(self: &Rc<Self>, load: u64, req: &Request) -> Option<Shared> {
        self.answer_in(load, req, Some(req.slot()))
    }

    /// [`WorkerEngine::answer`] for a caller that awaits every answer it asked for (the
    /// `window.loupe` API: two queries at once that differ only by their filters both
    /// resolve): such a request neither supersedes nor is superseded.
    pub fn answer_alone(self: &Rc<Self>, load: u64, req: &Request) -> Option<Shared> {
        self.answer_in(load, req, None)
    }

    fn answer_in(
        self: &Rc<Self>,
        load: u64,
        req: &Request,
        slot: Option<String>,
    ) -> Option<Shared> {
        let key = req.key().unwrap_or_else(|| format!("{req:?}"));
        let mut inner = self.inner.borrow_mut();
        if inner.load != load || inner.serving.is_none() {
            return Some(Rc::new(Err(QueryError::Remote(
                "le moteur de ce fichier s'est arrêté : rouvrez-le / this file's engine stopped: open it again".into(),
            ))));
        }
        // A newer question of the same panel: the older one is dropped (before its turn, or
        // while its rows are being selected), even when the newer one's answer is known.
        let stale: Vec<u64> = inner
            .in_flight
            .iter()
            .filter(|(_, (k, s))| slot.is_some() && *s == slot && *k != key)
            .map(|(id, _)| *id)
            .collect();
        for old in &stale {
            inner.in_flight.remove(old);
        }
        let worker = inner.serving.as_ref().map(|s| s.worker.clone());
        if let Some(w) = &worker {
            for old in &stale {
                let _ = w.post_message(&message("drop", &[("id", (*old as f64).into())]));
            }
        }
        if let Some(a) = inner.answers.get(&key) {
            return Some(a.clone());
        }
        if inner.in_flight.values().any(|(k, _)| *k == key) {
            return None;
        }
        inner.next_id += 1;
        let id = inner.next_id;
        inner.in_flight.insert(id, (key, slot));
        drop(inner);
        if let Some(w) = worker {
            let _ = w.post_message(&message(
                "ask",
                &[
                    ("id", (id as f64).into()),
                    ("req", wire::encode_request(req).into()),
                ],
            ));
        }
        None
    }
}
