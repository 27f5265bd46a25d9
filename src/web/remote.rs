//! The portal engine in the page: sends the calls a request's [`Plan`] names to the portal,
//! hands the bodies back to the plan, and keeps the answers. It is asynchronous: [`answer`]
//! returns at once, with the answer when it is known and `None` while it is on its way; the
//! app is told when answers arrive (a callback that re-renders the panels, which ask again).
//!
//! Requests per user action stay few: the same request is never sent twice at once or twice
//! per dataset (answers are kept, failures for [`RETRY_AFTER_MS`]), requests wait
//! [`BATCH_MS`] before leaving, and a newer request for the same panel's question (the same
//! request but for its filters, e.g. while typing a search) replaces an older one that has not
//! left yet.
//!
//! [`answer`]: PortalEngine::answer

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use yew::Callback;

use super::load::CancelToken;
use crate::core::query::QueryError;
use crate::core::Dataset;
use crate::state::app::PortalSource;
use crate::state::odsql::{self, Endpoint};
use crate::state::portal::fields_of;
use crate::state::service::remote::{plan, Remote};
use crate::state::service::{Answer, Request, Shared};
use crate::state::Lang;

/// How long a request waits for others of the same user action before it is sent.
const BATCH_MS: f64 = 250.0;
/// A failed request is asked again only after this long (a panel re-rendering must not
/// hammer a portal that refuses).
const RETRY_AFTER_MS: f64 = 15_000.0;
/// Most answers kept per dataset.
const MAX_ANSWERS: usize = 128;

/// Counters for the page, the tests and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Traffic {
    /// HTTP calls sent to the portal.
    pub calls: usize,
    /// Bytes of their bodies.
    pub bytes: usize,
}

#[derive(Default)]
struct Inner {
    generation: u64,
    answers: HashMap<String, Shared>,
    order: Vec<String>,
    failed: HashMap<String, (Shared, f64)>,
    in_flight: std::collections::HashSet<String>,
    /// Waiting to leave: (key, slot, state revision when asked, request).
    queue: Vec<(String, String, u64, Request)>,
    flush_scheduled: bool,
    traffic: Traffic,
}

/// The portal engine of the page (one per app; its cache follows the dataset generation).
#[derive(Default)]
pub struct PortalEngine {
    inner: RefCell<Inner>,
    notify: RefCell<Option<Callback<()>>>,
}

/// What the engine needs of the open dataset.
#[derive(Clone)]
struct Ctx {
    source: Rc<PortalSource>,
    sample: Rc<Dataset>,
    generation: u64,
    lang: Lang,
}

impl PortalEngine {
    /// Who to tell when answers arrive.
    pub fn set_notify(&self, cb: Callback<()>) {
        *self.notify.borrow_mut() = Some(cb);
    }

    /// Whether requests are waiting or on their way.
    pub fn busy(&self) -> bool {
        let inner = self.inner.borrow();
        !inner.queue.is_empty() || !inner.in_flight.is_empty()
    }

    /// Calls and bytes so far for the current dataset.
    pub fn traffic(&self) -> Traffic {
        self.inner.borrow().traffic
    }

    /// The answer to `req` if known; otherwise `None`, and the request is on its way.
    pub fn answer(
        self: &Rc<Self>,
        source: &Rc<PortalSource>,
        sample: &Rc<Dataset>,
        generation: u64,
        revision: u64,
        lang: Lang,
        req: &Request,
    ) -> Option<Shared> {
        // JSON writes infinities as null: such a request is keyed by its debug text instead,
        // which tells them apart (`min: inf` is not "no minimum").
        let key = req.key().unwrap_or_else(|| format!("{req:?}"));
        let mut inner = self.inner.borrow_mut();
        if inner.generation != generation {
            *inner = Inner {
                generation,
                ..Inner::default()
            };
        }
        if let Some(a) = inner.answers.get(&key) {
            return Some(a.clone());
        }
        if let Some((a, at)) = inner.failed.get(&key) {
            if js_sys::Date::now() - at < RETRY_AFTER_MS {
                return Some(a.clone());
            }
        }
        if inner.in_flight.contains(&key) || inner.queue.iter().any(|(k, ..)| *k == key) {
            return None;
        }
        // Same question asked at an older state (a keystroke ago): that one is not sent.
        // Requests of one render (same revision) all stay, whatever their slots.
        let slot = req.slot();
        inner
            .queue
            .retain(|(_, s, at, _)| *s != slot || *at >= revision);
        inner.queue.push((key, slot, revision, req.clone()));
        if !inner.flush_scheduled {
            inner.flush_scheduled = true;
            let engine = self.clone();
            let ctx = Ctx {
                source: source.clone(),
                sample: sample.clone(),
                generation,
                lang,
            };
            wasm_bindgen_futures::spawn_local(async move {
                super::portal::sleep_ms(BATCH_MS).await;
                engine.flush(ctx);
            });
        }
        None
    }

    fn flush(self: &Rc<Self>, ctx: Ctx) {
        let queue = {
            let mut inner = self.inner.borrow_mut();
            inner.flush_scheduled = false;
            if inner.generation != ctx.generation {
                return;
            }
            let q = std::mem::take(&mut inner.queue);
            for (k, ..) in &q {
                inner.in_flight.insert(k.clone());
            }
            q
        };
        // Plan every request of the batch, then send each distinct call once: two panels
        // that need the same total share one request.
        let fields = fields_of(&ctx.sample);
        let remote = Remote {
            sample: &ctx.sample,
            fields: &fields,
        };
        let r = &ctx.source.reference;
        let mut plans = Vec::new();
        let mut urls: Vec<(String, bool)> = Vec::new();
        for (key, _, _, req) in queue {
            match plan(&req, &remote) {
                Err(e) => self.store(ctx.generation, key, Rc::new(Err(e))),
                Ok(p) => {
                    let calls: Vec<String> = p
                        .calls
                        .iter()
                        .map(|c| {
                            let u = odsql::url(&r.origin, &r.dataset_id, c);
                            if !urls.iter().any(|(x, _)| *x == u) {
                                urls.push((u.clone(), c.endpoint == Endpoint::Records));
                            }
                            u
                        })
                        .collect();
                    plans.push((key, p, calls));
                }
            }
        }
        let batch = Rc::new(RefCell::new(Batch {
            plans,
            bodies: HashMap::new(),
        }));
        for (url, json) in urls {
            let engine = self.clone();
            let ctx = ctx.clone();
            let batch = batch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let body = super::portal::get(&url, ctx.lang, &CancelToken::default(), json)
                    .await
                    .map_err(|e| e.text(&ctx.source.reference.dataset_id, ctx.lang));
                if let Ok(b) = &body {
                    let mut inner = engine.inner.borrow_mut();
                    inner.traffic.calls += 1;
                    inner.traffic.bytes += b.len();
                }
                let done = {
                    let mut b = batch.borrow_mut();
                    b.bodies.insert(url, body);
                    b.take_done()
                };
                for (key, answer) in done {
                    engine.store(ctx.generation, key, Rc::new(answer));
                }
            });
        }
    }

    fn store(&self, generation: u64, key: String, answer: Shared) {
        {
            let mut inner = self.inner.borrow_mut();
            if inner.generation != generation {
                return;
            }
            inner.in_flight.remove(&key);
            if matches!(*answer, Err(QueryError::Remote(_))) {
                inner.failed.insert(key, (answer, js_sys::Date::now()));
            } else {
                if inner.order.len() >= MAX_ANSWERS {
                    let old = inner.order.remove(0);
                    inner.answers.remove(&old);
                }
                inner.order.push(key.clone());
                inner.answers.insert(key, answer);
            }
        }
        if let Some(cb) = self.notify.borrow().clone() {
            cb.emit(());
        }
    }
}

/// The requests of one batch waiting for their calls' bodies.
struct Batch {
    /// (request key, its plan, the URL of each of its calls)
    plans: Vec<(String, crate::state::service::remote::Plan, Vec<String>)>,
    bodies: HashMap<String, Result<Vec<u8>, String>>,
}

impl Batch {
    /// The answers of the plans whose every call has come back (a failed call fails its plan).
    fn take_done(&mut self) -> Vec<(String, Result<Answer, QueryError>)> {
        let mut done = Vec::new();
        let mut i = 0;
        while i < self.plans.len() {
            let (_, _, urls) = &self.plans[i];
            if !urls.iter().all(|u| self.bodies.contains_key(u)) {
                i += 1;
                continue;
            }
            let (key, plan, urls) = self.plans.remove(i);
            let mut bodies = Vec::with_capacity(urls.len());
            let mut failed = None;
            for u in &urls {
                match &self.bodies[u] {
                    Ok(b) => bodies.push(b.clone()),
                    Err(e) => failed = Some(e.clone()),
                }
            }
            done.push((
                key,
                match failed {
                    Some(e) => Err(QueryError::Remote(e)),
                    None => plan.finish(&bodies),
                },
            ));
        }
        done
    }
}

/// Answers `req` on the portal of `source` (no cache): plans the calls, sends them one after
/// the other, and combines their bodies. `on_body` gets each body's size.
pub async fn compute(
    source: &PortalSource,
    sample: &Dataset,
    req: &Request,
    lang: Lang,
    on_body: &dyn Fn(usize),
) -> Result<Answer, QueryError> {
    let fields = fields_of(sample);
    let p = plan(
        req,
        &Remote {
            sample,
            fields: &fields,
        },
    )?;
    let r = &source.reference;
    let mut bodies = Vec::with_capacity(p.calls.len());
    for call in &p.calls {
        let url = odsql::url(&r.origin, &r.dataset_id, call);
        let json = call.endpoint == Endpoint::Records;
        let body = super::portal::get(&url, lang, &CancelToken::default(), json)
            .await
            .map_err(|e| QueryError::Remote(e.text(&r.dataset_id, lang)))?;
        on_body(body.len());
        bodies.push(body);
    }
    p.finish(&bodies)
}
