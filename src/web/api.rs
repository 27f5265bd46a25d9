//! `window.loupe`: the JavaScript API for embedding developers, tests and benchmarks.
//! Documented in README ("API JavaScript"). Every method may return a Promise.
//!
//! ```js
//! const ds = await loupe.load(bytes, {delimiter: ";"});
//! ds.report(); ds.schema(); ds.profile("montant");
//! ds.query({group_by: ["ministere"], aggregates: [{op: "sum", column: "montant", as: "total"}]});
//! ds.free();
//! ```

use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::core::ingest::IngestOptions;
use crate::core::query::{self, Query};
use crate::core::Dataset;

mod js;
pub use js::value_to_js;
use js::{
    js_err, options_from_js, result_to_js, to_js, ApiField, ApiReport, ApiSource, ApiWarning,
};

/// A dataset loaded through the API. `free()` releases its memory.
#[wasm_bindgen]
pub struct DatasetHandle {
    ds: Rc<Dataset>,
    /// The portal dataset it came from (`loupe.open`), for `report().source` and `api_url`.
    portal: Option<Rc<crate::state::app::PortalSource>>,
    /// The engine's Web Worker holding the rows (`loupe.load` of a big buffer): `ds` is then
    /// the schema sample, and queries are answered by the worker, in Promises.
    worker: Option<ApiWorker>,
    /// Loaders whose rows it holds: 2 when a helper worker read the second half of an
    /// in-page load (`load::split`), else 1.
    parts: usize,
}

/// A dataset of the API held by its own worker engine (freed with the handle).
struct ApiWorker {
    engine: Rc<super::worker_engine::WorkerEngine>,
    load: u64,
    rows: usize,
    /// The worker's WebAssembly memory once loaded (counted by `loupe.memory()`).
    memory: f64,
}

thread_local! {
    /// WebAssembly memory of the API's live worker datasets.
    static WORKER_MEMORY: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

impl Drop for ApiWorker {
    fn drop(&mut self) {
        self.engine.stop();
        WORKER_MEMORY.with(|m| m.set((m.get() - self.memory).max(0.0)));
    }
}

/// The worker's answer to `req`, once it arrives.
async fn ask_worker(
    w: (Rc<super::worker_engine::WorkerEngine>, u64),
    req: crate::state::service::Request,
) -> crate::state::service::Shared {
    loop {
        if let Some(a) = w.0.answer_alone(w.1, &req) {
            // Each call computes afresh (the panels' cache is for the page's re-renders).
            w.0.forget(&req);
            return a;
        }
        w.0.arrival().await;
    }
}

#[wasm_bindgen]
impl DatasetHandle {
    /// What ingest detected: `{encoding, delimiter, header_row, decimal_separator, rows, warnings}`.
    pub fn report(&self) -> Result<JsValue, JsValue> {
        let r = &self.ds.report;
        to_js(&ApiReport {
            encoding: r.encoding.clone(),
            delimiter: r.delimiter.clone(),
            header_row: r.header_row,
            decimal_separator: r.decimal_separator.clone(),
            rows: self.rows(),
            columns: self.ds.columns.len(),
            line_ending: r.line_ending.clone(),
            bom: r.bom,
            ragged_rows: r.ragged_rows,
            warnings: r
                .warnings
                .iter()
                .map(|w| ApiWarning {
                    row: w.row,
                    message: w.message.clone(),
                })
                .collect(),
            engine: if self.remote().is_some() {
                "portal"
            } else {
                "browser"
            },
            source: self.portal.as_ref().map(|p| ApiSource {
                portal: p.reference.origin.clone(),
                dataset_id: p.reference.dataset_id.clone(),
                title: p.meta.title.clone(),
                license: p.meta.license.clone(),
                records_count: p.meta.records_count,
                modified: p.meta.modified.clone(),
            }),
            parts: self.parts,
        })
    }

    /// `[{name, type, key}]`.
    pub fn schema(&self) -> Result<JsValue, JsValue> {
        let fields: Vec<ApiField> = self
            .ds
            .columns
            .iter()
            .map(|c| ApiField {
                name: c.name.clone(),
                ty: c.column_type().as_str(),
                key: c.key.map(|k| k.as_str()),
            })
            .collect();
        to_js(&fields)
    }

    /// The profile of one column.
    /// (A Promise when the portal computes the dataset.)
    pub fn profile(&self, column: &str) -> Result<JsValue, JsValue> {
        if let Some(w) = self.in_worker() {
            let req = crate::state::service::Request::Profile {
                column: column.to_string(),
            };
            let future = async move {
                match &*ask_worker(w, req).await {
                    Ok(crate::state::service::Answer::Profile(p)) => to_js(p),
                    Ok(_) => Err(js_err("réponse inattendue / unexpected answer")),
                    Err(e) => Err(js_err(e)),
                }
            };
            return Ok(wasm_bindgen_futures::future_to_promise(future).into());
        }
        if let Some(p) = self.remote() {
            let (p, ds) = (p.clone(), self.ds.clone());
            let req = crate::state::service::Request::Profile {
                column: column.to_string(),
            };
            let future = async move {
                match super::remote::compute(&p, &ds, &req, crate::state::Lang::Fr, &|_| {}).await {
                    Ok(crate::state::service::Answer::Profile(p)) => to_js(&p),
                    Ok(_) => Err(js_err("réponse inattendue / unexpected answer")),
                    Err(e) => Err(js_err(e)),
                }
            };
            return Ok(wasm_bindgen_futures::future_to_promise(future).into());
        }
        let p = crate::core::profile::profile(&self.ds, column).map_err(js_err)?;
        to_js(&p)
    }

    /// Runs a query spec; returns `{columns: [{name, type}], rows: [[...]]}`.
    ///
    /// A dataset opened with `loupe.open(url, {engine: "portal"})` is computed by its portal:
    /// the result comes in a Promise (the same value the browser engine gives).
    pub fn query(&self, spec: JsValue) -> Result<JsValue, JsValue> {
        let q: Query = serde_wasm_bindgen::from_value(spec)
            .map_err(|e| js_err(format!("requête invalide / bad query: {e}")))?;
        if let Some(w) = self.in_worker() {
            let req = crate::state::service::Request::Query { query: q };
            let future = async move {
                match &*ask_worker(w, req).await {
                    Ok(crate::state::service::Answer::Table(t)) => result_to_js(t),
                    Ok(_) => Err(js_err("réponse inattendue / unexpected answer")),
                    Err(e) => Err(js_err(e)),
                }
            };
            return Ok(wasm_bindgen_futures::future_to_promise(future).into());
        }
        if let Some(p) = self.remote() {
            let (p, ds) = (p.clone(), self.ds.clone());
            let future = async move {
                let req = crate::state::service::Request::Query { query: q };
                match super::remote::compute(&p, &ds, &req, crate::state::Lang::Fr, &|_| {}).await {
                    Ok(crate::state::service::Answer::Table(t)) => result_to_js(&t),
                    Ok(_) => Err(js_err("réponse inattendue / unexpected answer")),
                    Err(e) => Err(js_err(e)),
                }
            };
            return Ok(wasm_bindgen_futures::future_to_promise(future).into());
        }
        let result = query::run(&self.ds, &q).map_err(js_err)?;
        result_to_js(&result)
    }

    /// Joins `other` onto this dataset: `{left_on, right_on, how, repairs}` ->
    /// `{dataset, report}` with `report.match_rate`, `matched`, `unmatched`,
    /// `duplicate_right_keys`, `unmatched_examples`, `relation` and the repairs on offer.
    pub fn join(&self, other: &DatasetHandle, spec: JsValue) -> Result<JsValue, JsValue> {
        self.local_rows()?;
        other.local_rows()?;
        let spec: crate::core::query::JoinSpec = serde_wasm_bindgen::from_value(spec)
            .map_err(|e| js_err(format!("jointure invalide / bad join: {e}")))?;
        let (joined, report) =
            crate::core::query::join::join(&self.ds, &other.ds, &spec).map_err(js_err)?;
        let out = Object::new();
        Reflect::set(
            &out,
            &"dataset".into(),
            &DatasetHandle {
                ds: Rc::new(joined),
                portal: None,
                worker: None,
                parts: 1,
            }
            .into(),
        )?;
        Reflect::set(&out, &"report".into(), &to_js(&report)?)?;
        Ok(out.into())
    }

    /// The address of the Explore API v2.1 call that computes `ds.query(spec)` on the portal
    /// the dataset came from (`loupe.open`); throws for a dataset not from a portal, or a
    /// query that no single ODSQL call computes exactly (the message says why).
    pub fn api_url(&self, spec: JsValue) -> Result<String, JsValue> {
        let q: Query = serde_wasm_bindgen::from_value(spec)
            .map_err(|e| js_err(format!("requête invalide / bad query: {e}")))?;
        let p = self.portal.as_ref().ok_or_else(|| {
            js_err(
                "ce jeu de données ne vient pas d'un portail / this dataset is not from a portal",
            )
        })?;
        let fields = crate::state::portal::fields_of(&self.ds);
        let call = crate::state::odsql::translate(&q, &fields).map_err(js_err)?;
        Ok(crate::state::odsql::url(
            &p.reference.origin,
            &p.reference.dataset_id,
            &call,
        ))
    }

    /// Proposed join keys with `other`, best first: `[{left, right, reason, repairs, match_rate}]`.
    pub fn propose_join(&self, other: &DatasetHandle) -> Result<JsValue, JsValue> {
        self.local_rows()?;
        other.local_rows()?;
        to_js(&crate::core::query::join::propose_keys(&self.ds, &other.ds))
    }

    /// Number of data rows.
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> usize {
        if let Some(w) = &self.worker {
            return w.rows;
        }
        match self.remote() {
            Some(p) => p.meta.records_count.unwrap_or(0) as usize,
            None => self.ds.rows,
        }
    }
}

impl DatasetHandle {
    /// `Ok` when the rows are in the page; a join needs them (the portal engine holds only
    /// the first records).
    fn local_rows(&self) -> Result<(), JsValue> {
        if self.worker.is_some() {
            return Err(js_err(
                "ce jeu est lu par le moteur en arrière-plan (Web Worker) : une jointure se fait dans la page, chargez-le avec {engine: \"page\"} / this dataset is held by the background engine (Web Worker): joins are made in the page, load it with {engine: \"page\"}",
            ));
        }
        match self.remote() {
            Some(_) => Err(js_err(
                "le portail calcule ce jeu : une jointure se fait dans le navigateur, ouvrez-le avec engine: \"browser\" / the portal computes this dataset: joins are made in the browser, open it with engine: \"browser\"",
            )),
            None => Ok(()),
        }
    }

    /// The worker engine and load number when a worker holds the rows.
    fn in_worker(&self) -> Option<(Rc<super::worker_engine::WorkerEngine>, u64)> {
        self.worker.as_ref().map(|w| (w.engine.clone(), w.load))
    }

    /// The portal source when its portal computes this dataset (the handle holds a sample).
    fn remote(&self) -> Option<&Rc<crate::state::app::PortalSource>> {
        self.portal
            .as_ref()
            .filter(|p| p.engine == crate::state::app::Engine::Portal)
    }

    pub fn dataset(&self) -> &Rc<Dataset> {
        &self.ds
    }
}

/// Loads bytes into a dataset: in the page by default, in slices that yield to it (a buffer
/// already in the page reads fastest there: measured at 1M rows, 1.03 s in the page against
/// 1.45-1.65 s in a worker, which must copy the buffer into a Blob and read it back by
/// slices); `{engine: "worker"}` loads it in the engine's Web Worker (`parts: n` workers at
/// once), whose queries then answer in Promises.
async fn load(bytes: Uint8Array, options: JsValue) -> Result<JsValue, JsValue> {
    let field = |k: &str| {
        options
            .is_object()
            .then(|| Reflect::get(&options, &k.into()).ok())
            .flatten()
    };
    let engine = field("engine").and_then(|v| v.as_string());
    let parts_asked = field("parts").and_then(|v| v.as_f64());
    let parts = parts_asked.unwrap_or(1.0);
    let in_worker = match engine.as_deref() {
        None | Some("auto") | Some("page") => false,
        Some("worker") => true,
        Some(other) => {
            return Err(js_err(format!(
                "moteur inconnu / unknown engine: {other} (page, worker)"
            )))
        }
    };
    let options = options_from_js(&options)?;
    let cancel = super::load::CancelToken::default();
    if in_worker {
        let engine = Rc::new(super::worker_engine::WorkerEngine::default());
        // A Blob of the bytes: every worker reads its part of it by slices.
        let blob = web_sys::Blob::new_with_u8_array_sequence(&Array::of1(&bytes))?;
        let loaded = engine
            .load(
                &blob,
                options,
                0.0,
                parts.max(1.0) as usize,
                &|_| {},
                &cancel,
            )
            .await
            .map_err(|e| match e {
                super::load::LoadError::Ingest(m) => js_err(m),
                other => js_err(other.bilingual("loupe.load")),
            })?;
        WORKER_MEMORY.with(|m| m.set(m.get() + loaded.memory));
        return Ok(DatasetHandle {
            ds: Rc::new(loaded.sample),
            portal: None,
            worker: Some(ApiWorker {
                engine,
                load: loaded.load,
                rows: loaded.rows,
                memory: loaded.memory,
            }),
            parts: 1,
        }
        .into());
    }
    // A large buffer is read on two cores (the page and a helper worker) unless `parts: 1`.
    let split = parts_asked != Some(1.0) && super::load::split::worth_it(&bytes, &options);
    let loaded = if split {
        // `share`: the page's share of the buffer (0.1 to 0.9), to measure the split with.
        let share = field("share").and_then(|v| v.as_f64());
        super::load::split::parse(bytes, options, share, &|_| {}, &cancel).await
    } else {
        super::load::parse_js(bytes, options, &|_| {}, &cancel)
            .await
            .map(|ds| (ds, 1))
    };
    let (ds, parts) = loaded.map_err(|e| match e {
        super::load::LoadError::Ingest(m) => js_err(m),
        other => js_err(other.bilingual("loupe.load")),
    })?;
    Ok(DatasetHandle {
        ds: Rc::new(ds),
        portal: None,
        worker: None,
        parts,
    }
    .into())
}

/// Bytes of WebAssembly memory in use (the linear memory's size).
fn memory_bytes() -> f64 {
    super::load::wasm_memory_bytes()
        + WORKER_MEMORY.with(std::cell::Cell::get)
        + super::load::split::spare_memory()
}

fn catalog_js() -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Item {
        id: String,
        title: String,
        file: String,
    }
    let items: Vec<Item> = crate::state::catalog::bundled()
        .datasets
        .into_iter()
        .map(|d| Item {
            id: d.id,
            title: d.title.fr,
            file: d.file,
        })
        .collect();
    to_js(&items)
}

/// `loupe.open(url, {engine})`: a portal dataset (its page or API address) or a CSV address,
/// downloaded whole into this page (`engine: "browser"` or `"auto"`).
async fn open(url: String, options: JsValue) -> Result<JsValue, JsValue> {
    use crate::state::source::{classify, Src};
    let engine = Reflect::get(&options, &"engine".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "auto".into());
    let forced = match engine.as_str() {
        "auto" => None,
        other => Some(crate::state::app::Engine::parse(other).ok_or_else(|| {
            js_err(format!(
                "moteur inconnu / unknown engine: {other} (auto, browser, portal)"
            ))
        })?),
    };
    let lang = crate::state::Lang::Fr;
    let cancel = super::load::CancelToken::default();
    let target = match classify(&url, &[]) {
        Ok(Src::Remote(u) | Src::Relative(u)) => u,
        Ok(Src::Bundled(_)) => url.clone(),
        Err(r) => {
            return Err(js_err(format!(
                "{} / {}",
                r.message(&url, true),
                r.message(&url, false)
            )))
        }
    };
    let bilingual = |e: super::load::LoadError| js_err(e.bilingual(&url));
    let (bytes, options, portal) = match crate::state::portal::parse_dataset_url(&target) {
        Some(p) => {
            let meta = super::portal::metadata(&p, lang, &cancel)
                .await
                .map_err(bilingual)?;
            let options = IngestOptions {
                types: meta.type_overrides(),
                ..IngestOptions::default()
            };
            let engine = crate::state::app::Engine::choose(forced, meta.records_count);
            // The portal engine reads the first records only, for the schema.
            let csv = match engine {
                crate::state::app::Engine::Browser => p.export_csv_url(),
                crate::state::app::Engine::Portal => format!("{}?limit=100", p.export_csv_url()),
            };
            let bytes = super::load::fetch_array(&csv).await.map_err(bilingual)?;
            let source = crate::state::app::PortalSource {
                reference: p,
                meta,
                engine,
            };
            (bytes, options, Some(Rc::new(source)))
        }
        None => (
            super::load::fetch_array(&target).await.map_err(bilingual)?,
            IngestOptions::default(),
            None,
        ),
    };
    let ds = super::load::parse_js(bytes, options, &|_| {}, &cancel)
        .await
        .map_err(bilingual)?;
    Ok(DatasetHandle {
        ds: Rc::new(ds),
        portal,
        worker: None,
        parts: 1,
    }
    .into())
}

/// `loupe.search_portal(text, {portal})`: `[{id, title, records_count, modified, publisher}]`.
async fn search_portal(text: String, options: JsValue) -> Result<JsValue, JsValue> {
    let origin = Reflect::get(&options, &"portal".into())
        .ok()
        .and_then(|v| v.as_string());
    let origin = match origin {
        Some(o) => crate::state::portal::parse_origin(&o)
            .ok_or_else(|| js_err(format!("portail refusé / portal refused: {o}")))?,
        None => crate::state::portal::DEFAULT_PORTAL.to_string(),
    };
    let (hits, _) = super::portal::search(&origin, &text, crate::state::Lang::Fr)
        .await
        .map_err(|e| js_err(e.bilingual(&origin)))?;
    #[derive(Serialize)]
    struct Hit {
        id: String,
        title: String,
        records_count: Option<u64>,
        modified: String,
        publisher: String,
    }
    let out: Vec<Hit> = hits
        .into_iter()
        .map(|h| Hit {
            id: h.dataset_id,
            title: h.title,
            records_count: h.records_count,
            modified: h.modified,
            publisher: h.publisher,
        })
        .collect();
    to_js(&out)
}

/// Defines `window.loupe`.
pub fn install() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let api = Object::new();
    let _ = Reflect::set(
        &api,
        &"version".into(),
        &JsValue::from_str(env!("CARGO_PKG_VERSION")),
    );

    let load_fn =
        Closure::<dyn FnMut(Uint8Array, JsValue) -> js_sys::Promise>::new(|bytes, options| {
            wasm_bindgen_futures::future_to_promise(load(bytes, options))
        });
    let _ = Reflect::set(&api, &"load".into(), load_fn.as_ref());
    load_fn.forget();

    let memory_fn = Closure::<dyn FnMut() -> js_sys::Promise>::new(|| {
        js_sys::Promise::resolve(&JsValue::from_f64(memory_bytes()))
    });
    let _ = Reflect::set(&api, &"memory".into(), memory_fn.as_ref());
    memory_fn.forget();

    let catalog_fn = Closure::<dyn FnMut() -> js_sys::Promise>::new(|| match catalog_js() {
        Ok(v) => js_sys::Promise::resolve(&v),
        Err(e) => js_sys::Promise::reject(&e),
    });
    let _ = Reflect::set(&api, &"catalog".into(), catalog_fn.as_ref());
    catalog_fn.forget();

    let open_fn = Closure::<dyn FnMut(String, JsValue) -> js_sys::Promise>::new(|url, options| {
        wasm_bindgen_futures::future_to_promise(open(url, options))
    });
    let _ = Reflect::set(&api, &"open".into(), open_fn.as_ref());
    open_fn.forget();

    let search_fn =
        Closure::<dyn FnMut(String, JsValue) -> js_sys::Promise>::new(|text, options| {
            wasm_bindgen_futures::future_to_promise(search_portal(text, options))
        });
    let _ = Reflect::set(&api, &"search_portal".into(), search_fn.as_ref());
    search_fn.forget();

    // `window.loupe` is a getter: the first script to use the API also starts the idle helper
    // worker of in-page loads (`load::split`), so a page that never uses it starts none.
    let getter = Closure::<dyn FnMut() -> JsValue>::new(move || {
        super::load::split::warm();
        api.clone().into()
    });
    let descriptor = Object::new();
    let _ = Reflect::set(&descriptor, &"get".into(), getter.as_ref());
    let _ = Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE);
    getter.forget();
    Object::define_property(&window, &"loupe".into(), &descriptor);
}
