//! Opening a dataset: every [`OpenRequest`] (the file picker or a dropped file, a URL, a
//! bundled dataset, pasted text, a portal dataset, "read again") becomes one load, from the
//! fetch to `FinishLoading` and a link's pending view and join. Big files from disk (or any
//! with `?worker=1`) and downloads too big for the page go to the engine's worker
//! (`big_file.rs`). What must stay true: each request cancels the one before it (one cancel
//! token, shared with the app's Cancel button); a superseded request neither reports its
//! failure nor replaces the bytes kept for "read again"; the link's `worker=`, `budget=` and
//! `parts=` are read at each request, not when the callback is made.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::{big_file, join_panel, LastFile, Store};
use crate::core::ingest::IngestOptions;
use crate::state::app::{Engine, PortalSource, WORKER_MIN_BYTES};
use crate::state::catalog::Catalog;
use crate::state::portal;
use crate::state::source::Src;
use crate::state::url::JoinLink;
use crate::state::{tr, Action, Lang, Msg, SourceInfo, SourceRef, ViewSpec};
use crate::web::load::{self, CancelToken, LoadError};
use crate::web::portal as web_portal;
use crate::web::worker_engine::WorkerEngine;

/// A link's `worker=`, `budget=` and `parts=`, read at each open.
pub(super) type LinkPrefs = (Option<bool>, Option<u64>, Option<u8>);

/// Records a portal dataset opened in the portal engine brings into the page: enough to
/// detect its columns' types and key kinds, and to show its first rows.
const PORTAL_SAMPLE_ROWS: usize = 100;

/// A request to open data.
#[derive(Clone)]
pub enum OpenRequest {
    Bundled(String),
    Url(String),
    File(web_sys::File),
    Text(String),
    /// Read the current bytes again with other ingest options.
    Reread(IngestOptions),
    /// Read a file from disk in the engine's worker with these options (a choice of columns,
    /// rows or a sample when the whole file would not fit).
    BigFile(IngestOptions),
}

/// The app's handles the open flow reads and writes, taken when the callback is made (each
/// render of the explorer).
#[derive(Clone)]
pub(super) struct OpenHandles {
    pub dispatcher: UseReducerDispatcher<Store>,
    pub catalog: Rc<Catalog>,
    /// The current load's token, cancelled by the next request (and by the Cancel button).
    pub cancel_token: Rc<RefCell<CancelToken>>,
    /// The bytes of the open file, kept in JavaScript memory for "read again" corrections.
    pub last_bytes: Rc<RefCell<Option<js_sys::Uint8Array>>>,
    /// The view a link asked for, applied when its dataset has loaded.
    pub pending_view: Rc<RefCell<Option<ViewSpec>>>,
    /// The join a link asked for, applied once its data has loaded.
    pub pending_join: Rc<RefCell<Option<JoinLink>>>,
    /// The source shown when the callback was made, which "read again" reads.
    pub state_source: Option<SourceInfo>,
    pub lang: Lang,
    /// The engine chosen for portal datasets, read when one opens.
    pub engine_pref: Rc<RefCell<Option<Engine>>>,
    pub worker: Rc<WorkerEngine>,
    pub link_prefs: Rc<RefCell<LinkPrefs>>,
    /// The file the worker read, for "read again" with other options.
    pub last_file: LastFile,
}

/// The app's `open` callback: each request cancels the previous load and starts its own.
pub(super) fn callback(handles: OpenHandles) -> Callback<OpenRequest> {
    Callback::from(move |req: OpenRequest| {
        // Read at each request: the start-up request is made in the same task as the URL
        // is applied, before this callback is made again with the new state.
        let (worker_pref, budget_mb, parts) = *handles.link_prefs.borrow();
        handles.cancel_token.borrow().cancel();
        let token = CancelToken::default();
        *handles.cancel_token.borrow_mut() = token.clone();
        let OpenHandles {
            dispatcher,
            catalog,
            last_bytes,
            pending_view,
            pending_join,
            state_source: previous_source,
            lang,
            engine_pref,
            worker,
            last_file,
            ..
        } = handles.clone();

        wasm_bindgen_futures::spawn_local(async move {
            let (mut source, mut options) = match &req {
                OpenRequest::Bundled(id) => {
                    let entry = catalog.find(id).cloned();
                    let label = entry.as_ref().map_or(id.clone(), |e| e.file.clone());
                    (
                        SourceInfo {
                            reference: SourceRef::Bundled(id.clone()),
                            entry,
                            label,
                            portal: None,
                            worker: None,
                        },
                        IngestOptions::default(),
                    )
                }
                OpenRequest::Url(url) => (
                    SourceInfo {
                        reference: SourceRef::Url(url.clone()),
                        entry: None,
                        label: url.clone(),
                        portal: None,
                        worker: None,
                    },
                    IngestOptions::default(),
                ),
                OpenRequest::File(f) => (
                    SourceInfo {
                        reference: SourceRef::Local(f.name()),
                        entry: None,
                        label: f.name(),
                        portal: None,
                        worker: None,
                    },
                    IngestOptions::default(),
                ),
                OpenRequest::BigFile(o) => {
                    let Some((_, source)) = last_file.borrow().clone() else {
                        return;
                    };
                    (source, o.clone())
                }
                OpenRequest::Text(_) => (
                    SourceInfo {
                        reference: SourceRef::Pasted,
                        entry: None,
                        label: tr(lang, Msg::PastedText).into(),
                        portal: None,
                        worker: None,
                    },
                    IngestOptions::default(),
                ),
                OpenRequest::Reread(o) => {
                    let Some(src) = previous_source.clone() else {
                        return;
                    };
                    (src, o.clone())
                }
            };
            dispatcher.dispatch(Action::StartLoading {
                source: Box::new(source.clone()),
                options: options.clone(),
            });
            // A big file from disk (or any with `?worker=1`) goes to the engine's worker;
            // "read again" re-reads it there.
            let in_worker: Option<web_sys::Blob> = match &req {
                OpenRequest::File(f) => {
                    let big = worker_pref.unwrap_or(f.size() >= WORKER_MIN_BYTES);
                    let blob: &web_sys::Blob = f;
                    *last_file.borrow_mut() = big.then(|| (blob.clone(), source.clone()));
                    big.then(|| blob.clone())
                }
                OpenRequest::Reread(_) if source.worker.is_some() => {
                    last_file.borrow().as_ref().map(|(b, _)| b.clone())
                }
                OpenRequest::BigFile(_) => last_file.borrow().as_ref().map(|(b, _)| b.clone()),
                _ => None,
            };
            let open_in_worker =
                |blob: web_sys::Blob, mut source: SourceInfo, options: IngestOptions| {
                    source.worker = None;
                    let (worker, dispatcher, token, pending_view) = (
                        worker.clone(),
                        dispatcher.clone(),
                        token.clone(),
                        pending_view.clone(),
                    );
                    async move {
                        big_file::open(big_file::Open {
                            worker: &worker,
                            file: &blob,
                            source,
                            options,
                            budget_mb,
                            // 0: as the file's size and the device's cores say (`worker_engine::load`).
                            parts: parts.map_or(0, usize::from),
                            dispatcher,
                            token: &token,
                            lang,
                            pending_view,
                        })
                        .await
                    }
                };
            if let Some(blob) = in_worker {
                open_in_worker(blob, source, options).await;
                return;
            }
            // The download's progress, before parsing reports its own (a portal export
            // or a remote file can take a while to arrive).
            let download_dispatcher = dispatcher.clone();
            let on_download = move |p| download_dispatcher.dispatch(Action::ReportProgress(p));
            // A download whose announced size calls for the worker is gathered into a Blob.
            let blob_from = match worker_pref {
                None => Some(WORKER_MIN_BYTES),
                Some(true) => Some(0.0),
                Some(false) => None,
            };
            let fetch = |u: String| {
                let (on_download, token) = (on_download.clone(), token.clone());
                async move { load::fetch_for(&u, blob_from, &on_download, &token).await }
            };
            let bytes: Result<load::Fetched, LoadError> = match req {
                OpenRequest::Url(url) => {
                    let ids: Vec<&str> = catalog.datasets.iter().map(|d| d.id.as_str()).collect();
                    match crate::state::source::classify(&url, &ids) {
                        Ok(Src::Bundled(id)) => {
                            let file = catalog
                                .find(&id)
                                .map(|e| e.file.clone())
                                .unwrap_or_default();
                            load::fetch_array(&file).await.map(load::Fetched::Array)
                        }
                        Ok(Src::Remote(u)) => match portal::parse_dataset_url(&u) {
                            // A portal dataset: its metadata documents it, then the
                            // whole dataset comes through the exports endpoint.
                            Some(p) => match web_portal::metadata(&p, lang, &token).await {
                                Ok(meta) => {
                                    options.types = meta.type_overrides();
                                    source.entry = Some(meta.entry(&p));
                                    let engine =
                                        Engine::choose(*engine_pref.borrow(), meta.records_count);
                                    // The portal engine needs only the first records, for
                                    // the schema and the key kinds; the portal computes
                                    // every figure.
                                    let csv = match engine {
                                        Engine::Browser => p.export_csv_url(),
                                        Engine::Portal => format!(
                                            "{}?limit={}",
                                            p.export_csv_url(),
                                            PORTAL_SAMPLE_ROWS
                                        ),
                                    };
                                    source.portal = Some(Rc::new(PortalSource {
                                        reference: p,
                                        meta,
                                        engine,
                                    }));
                                    dispatcher.dispatch(Action::StartLoading {
                                        source: Box::new(source.clone()),
                                        options: options.clone(),
                                    });
                                    fetch(csv).await
                                }
                                Err(e) => Err(e),
                            },
                            None => fetch(u).await,
                        },
                        Ok(Src::Relative(u)) => fetch(u).await,
                        Err(r) => Err(LoadError::Refused(r.message(&url, lang == Lang::Fr))),
                    }
                }
                OpenRequest::Bundled(_) => {
                    let file = source
                        .entry
                        .as_ref()
                        .map(|e| e.file.clone())
                        .unwrap_or_default();
                    load::fetch_array(&file).await.map(load::Fetched::Array)
                }
                OpenRequest::File(f) => load::read_file_array(&f).await.map(load::Fetched::Array),
                OpenRequest::BigFile(_) => return,
                OpenRequest::Text(t) => {
                    Ok(load::Fetched::Array(js_sys::Uint8Array::from(t.as_bytes())))
                }
                OpenRequest::Reread(_) => last_bytes
                    .borrow()
                    .clone()
                    .map(load::Fetched::Array)
                    .ok_or_else(|| LoadError::Ingest(tr(lang, Msg::NothingToReread).into())),
            };
            // A newer request (or Cancel) superseded this one while it was fetching: it
            // must neither report its failure nor replace the bytes kept for "read again".
            if token.is_cancelled() {
                return;
            }
            let bytes = match bytes {
                Ok(load::Fetched::Array(b)) => b,
                Ok(load::Fetched::Blob(blob)) => {
                    *last_file.borrow_mut() = Some((blob.clone(), source.clone()));
                    open_in_worker(blob, source, options).await;
                    return;
                }
                Err(e) => {
                    dispatcher.dispatch(Action::FailLoading(e.text(&source.label, lang)));
                    return;
                }
            };
            *last_bytes.borrow_mut() = Some(bytes.clone());
            let progress_dispatcher = dispatcher.clone();
            let on_progress = move |p| progress_dispatcher.dispatch(Action::ReportProgress(p));
            match load::parse_js(bytes, options, &on_progress, &token).await {
                Ok(ds) => {
                    // The page holds this dataset: a worker's dataset is freed.
                    worker.stop();
                    let ds = Rc::new(ds);
                    let link_view = pending_view.borrow_mut().take();
                    dispatcher.dispatch(Action::FinishLoading {
                        data: ds.clone(),
                        view: link_view.clone(),
                    });
                    let link = pending_join.borrow_mut().take();
                    let remote = source
                        .portal
                        .as_ref()
                        .is_some_and(|p| p.engine == Engine::Portal);
                    if link.is_some() && remote {
                        // The page holds only the first records: a join needs them all.
                        dispatcher.dispatch(Action::Notify(format!(
                            "« join » : {}",
                            tr(lang, Msg::JoinNeedsBrowser)
                        )));
                    } else if let Some(link) = link {
                        // The link's view may name the reference's columns: it is applied
                        // again once the join has added them (a story step's join).
                        let view = link_view.clone();
                        join_panel::apply_join_link(&ds, link, &catalog, &dispatcher, lang, &token)
                            .await;
                        if let Some(view) = view {
                            if !token.is_cancelled() {
                                dispatcher.dispatch(Action::SetView(view));
                            }
                        }
                    }
                }
                Err(LoadError::Cancelled) => {}
                Err(e) => dispatcher.dispatch(Action::FailLoading(e.text(&source.label, lang))),
            }
        });
    })
}
