//! Yew components (thin): they read the app state from one context and dispatch actions.
//! All logic lives in `state`, `core` and `chart`; all browser calls in `web`.

pub mod analysis;
mod answers;
mod big_file;
pub mod chart_panel;
pub mod data_table;
pub mod dataset_info;
pub mod docs;
pub mod embed;
pub mod filters;
pub mod guide;
pub mod harness;
pub mod header;
mod hooks;
pub mod join_panel;
pub mod map_view;
pub mod portal_table;
pub mod share;
pub mod source_bar;
pub mod story;
pub mod story_chart;
pub mod story_editor;

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::core::ingest::IngestOptions;
use crate::state::app::{Engine, PortalSource, WORKER_MIN_BYTES};
use crate::state::catalog::{bundled, Catalog};
use crate::state::i18n::trf;
use crate::state::persona::{preset, Panel};
use crate::state::portal;
use crate::state::service::LocalEngine;
pub use crate::state::service::Request;
use crate::state::source::Src;
use crate::state::url::{JoinLink, UrlState};
use crate::state::{tr, Action, AppState, Lang, Msg, SourceInfo, SourceRef, Status, ViewSpec};
use crate::web::portal as web_portal;
use crate::web::{dom, history};

/// A link's `worker=`, `budget=` and `parts=`, read at each open.
type LinkPrefs = (Option<bool>, Option<u64>, Option<u8>);

pub use answers::{ask, table_of};
pub use harness::Harness;

thread_local! {
    /// The `src` the page shows, for the back/forward listener (which outlives renders).
    static CURRENT_SRC: Rc<RefCell<Option<String>>> = Rc::new(RefCell::new(None));
}

fn current_src_cell() -> Rc<RefCell<Option<String>>> {
    CURRENT_SRC.with(Rc::clone)
}
use crate::web::load::{self, CancelToken, LoadError};

/// Yew adapter for the pure reducer.
#[derive(Default)]
pub struct Store(pub AppState);

impl Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Store(self.0.apply(action)))
    }
}

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

/// The data the engine's worker read last, and where it came from.
pub type LastFile = Rc<RefCell<Option<(web_sys::Blob, SourceInfo)>>>;

/// What every component gets from the app.
#[derive(Clone)]
pub struct AppContext {
    pub store: UseReducerHandle<Store>,
    pub open: Callback<OpenRequest>,
    pub cancel: Callback<()>,
    pub catalog: Rc<Catalog>,
    /// The query service every panel asks (one cache per dataset generation).
    pub engine: Rc<LocalEngine>,
    /// The portal engine, asked instead when a portal dataset is computed by its portal.
    pub remote: Rc<crate::web::remote::PortalEngine>,
    /// The engine's Web Worker, asked instead when it holds the data (a big file from disk).
    pub worker: Rc<crate::web::worker_engine::WorkerEngine>,
    /// The file the worker read or was offered (a `File`, or the `Blob` of a download) with
    /// its source, for "read again" and the choice of columns.
    pub last_file: LastFile,
    /// The engine chosen for portal datasets, read when one opens (see [`Action::SetEngine`]).
    pub engine_pref: Rc<RefCell<Option<Engine>>>,
    /// The state's revision when this context value was made.
    pub revision: u64,
}

impl PartialEq for AppContext {
    fn eq(&self, other: &Self) -> bool {
        // Every action bumps the revision, so consumers re-render exactly when the state
        // changed (comparing the handles themselves is not reliable: they may share a cell).
        self.revision == other.revision && Rc::ptr_eq(&self.catalog, &other.catalog)
    }
}

/// What a view component reads from the context: the data, the view, the data's generation and
/// the language (defaults when there is no context).
pub fn view_parts(
    ctx: &Option<AppContext>,
) -> (
    Option<Rc<crate::core::Dataset>>,
    ViewSpec,
    u64,
    crate::state::Lang,
) {
    match ctx {
        Some(c) => (
            c.state().data.clone(),
            c.state().view.clone(),
            c.state().generation,
            c.state().lang,
        ),
        None => (None, ViewSpec::default(), 0, crate::state::Lang::Fr),
    }
}

impl AppContext {
    pub fn state(&self) -> &AppState {
        &self.store.0
    }
    pub fn dispatch(&self, action: Action) {
        self.store.dispatch(action);
    }
}

/// The page: a story (`?story=` or `?story_src=`, see `story.rs`) or the explorer.
#[component]
pub fn App() -> Html {
    let story = use_memo((), |_| {
        crate::state::story::StoryPageUrl::parse(&history::current_search())
    });
    match (*story).clone() {
        Some(url) => html! { <story::StoryPage {url} /> },
        None => html! { <Explorer /> },
    }
}

/// The explorer.
#[component]
fn Explorer() -> Html {
    let store = use_reducer(Store::default);
    let catalog = use_memo((), |_| bundled());
    let engine = use_memo((), |_| LocalEngine::new());
    let remote = use_memo((), |_| crate::web::remote::PortalEngine::default());
    let worker = use_memo((), |_| crate::web::worker_engine::WorkerEngine::default());
    {
        let dispatcher = store.dispatcher();
        let arrived = Callback::from(move |()| dispatcher.dispatch(Action::AnswersArrived));
        remote.set_notify(arrived.clone());
        worker.set_notify(arrived);
    }
    // The engine a link or the user chose for portal datasets, read when one opens.
    let engine_pref: Rc<RefCell<Option<Engine>>> = use_mut_ref(|| None);
    let cancel_token = use_mut_ref(CancelToken::default);
    // The file the worker read, for "read again" with other options.
    let last_file: LastFile = use_mut_ref(|| None);
    // The link's `worker=` and `budget=` (see `UrlState`), read when a file opens.
    let link_prefs: Rc<RefCell<LinkPrefs>> = use_mut_ref(|| (None, None, None));
    // The bytes of the open file stay in JavaScript memory, for "read again" corrections.
    let last_bytes: Rc<RefCell<Option<js_sys::Uint8Array>>> = use_mut_ref(|| None);
    // The view a link asked for, applied when its dataset has loaded.
    let pending_view: Rc<RefCell<Option<ViewSpec>>> = use_mut_ref(|| None);
    // The join a link asked for, applied once its data has loaded.
    let pending_join: Rc<RefCell<Option<JoinLink>>> = use_mut_ref(|| None);
    let url_notices = use_state(Vec::<String>::new);
    let url_synced = use_mut_ref(|| false);

    let open = {
        let dispatcher = store.dispatcher();
        let catalog = catalog.clone();
        let cancel_token = cancel_token.clone();
        let last_bytes = last_bytes.clone();
        let pending_view = pending_view.clone();
        let pending_join = pending_join.clone();
        let state_source = store.0.source.clone();
        let lang = store.0.lang;
        let engine_pref = engine_pref.clone();
        let worker = worker.clone();
        let link_prefs = link_prefs.clone();
        let last_file = last_file.clone();
        Callback::from(move |req: OpenRequest| {
            let engine_pref = engine_pref.clone();
            let worker = worker.clone();
            let last_file = last_file.clone();
            // Read at each request: the start-up request is made in the same task as the URL
            // is applied, before this callback is made again with the new state.
            let (worker_pref, budget_mb, parts) = *link_prefs.borrow();
            cancel_token.borrow().cancel();
            let token = CancelToken::default();
            *cancel_token.borrow_mut() = token.clone();
            let dispatcher = dispatcher.clone();
            let catalog = catalog.clone();
            let last_bytes = last_bytes.clone();
            let pending_view = pending_view.clone();
            let pending_join = pending_join.clone();
            let previous_source = state_source.clone();
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
                                parts: usize::from(parts.unwrap_or(1)),
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
                        let ids: Vec<&str> =
                            catalog.datasets.iter().map(|d| d.id.as_str()).collect();
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
                                        let engine = Engine::choose(
                                            *engine_pref.borrow(),
                                            meta.records_count,
                                        );
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
                    OpenRequest::File(f) => {
                        load::read_file_array(&f).await.map(load::Fetched::Array)
                    }
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
                            join_panel::apply_join_link(
                                &ds,
                                link,
                                &catalog,
                                &dispatcher,
                                lang,
                                &token,
                            )
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
    };

    let cancel = {
        let dispatcher = store.dispatcher();
        let cancel_token = cancel_token.clone();
        let lang = store.0.lang;
        Callback::from(move |()| {
            cancel_token.borrow().cancel();
            dispatcher.dispatch(Action::CancelLoading(tr(lang, Msg::Cancelled).to_string()));
        })
    };

    // Start-up: restore what the URL says (persona, language, view), then open its `src`
    // (a bundled id or a URL), else the default dataset. Back and forward do the same.
    {
        let open = open.clone();
        let catalog = catalog.clone();
        let dispatcher = store.dispatcher();
        let pending_view = pending_view.clone();
        let pending_join = pending_join.clone();
        let url_notices = url_notices.clone();
        let engine_pref = engine_pref.clone();
        use_effect_with((), move |_| {
            let restore = move |search: String, current_src: Option<String>| {
                let (url, notices) = UrlState::parse(&search);
                url_notices.set(notices);
                let src = url.src.clone();
                let view = url.view.clone();
                let options = url.options.clone();
                *pending_join.borrow_mut() = url.join.clone();
                *engine_pref.borrow_mut() = url.engine;
                *link_prefs.borrow_mut() = (url.worker, url.budget_mb, url.parts);
                dispatcher.dispatch(Action::ApplyUrl(Box::new(url)));
                let wanted = src
                    .clone()
                    .or_else(|| catalog.default_entry().map(|e| e.id.clone()));
                if wanted.is_some() && wanted == current_src && options.is_none() {
                    return;
                }
                *pending_view.borrow_mut() = view;
                let req = match (src, options) {
                    (Some(src), _) if catalog.find(&src).is_some() => OpenRequest::Bundled(src),
                    (Some(src), _) => OpenRequest::Url(src),
                    _ => OpenRequest::Bundled(
                        catalog
                            .default_entry()
                            .map(|e| e.id.clone())
                            .unwrap_or_default(),
                    ),
                };
                open.emit(req);
            };
            let restore = Rc::new(restore);
            restore(history::current_search(), None);
            let on_back = restore.clone();
            let current = current_src_cell();
            let listener =
                history::on_popstate(move |search| on_back(search, current.borrow().clone()));
            move || drop(listener)
        });
    }

    // The URL follows the view: one history entry per change, replaced in place for the first.
    {
        let query = match store.0.status {
            Status::Ready => Some(store.0.to_url().to_query()),
            _ => None,
        };
        *current_src_cell().borrow_mut() = store.0.to_url().src;
        let url_synced = url_synced.clone();
        use_effect_with(query, move |query| {
            if let Some(q) = query {
                let first = !*url_synced.borrow();
                history::set_search(q, !first);
                *url_synced.borrow_mut() = true;
            }
        });
    }

    // Embedded: report the height to the parent and accept views from allowed origins.
    {
        let embed = store.0.embed;
        let allowed = store.0.allow_origins.clone();
        let dispatcher = store.dispatcher();
        use_effect_with(embed, move |embed| {
            if *embed {
                crate::web::embed::watch_height();
                crate::web::embed::listen(allowed, move |view| {
                    dispatcher.dispatch(Action::SetView(view))
                });
            }
        });
    }

    // Keep `<html data-loupe>` and `<html lang>` in step with the state. Child components
    // have drawn by the time this parent effect runs.
    {
        let status = store.0.status.clone();
        let generation = store.0.generation;
        let lang = store.0.lang;
        // With the portal engine, "ready" waits for the portal's answers too (each arrival is
        // a new revision, so this runs again).
        let remote = remote.clone();
        let worker = worker.clone();
        let revision = store.0.revision;
        use_effect_with(
            (status, generation, lang, revision),
            move |(status, _, lang, _)| {
                dom::set_lang(lang.code());
                dom::set_status(match status {
                    Status::Idle | Status::Loading(_) => "loading",
                    Status::Ready if remote.busy() || worker.busy() => "loading",
                    Status::Ready => "ready",
                    Status::Error(_) => "error",
                });
            },
        );
    }

    let context = AppContext {
        store: store.clone(),
        open,
        cancel,
        catalog: catalog.clone(),
        engine: engine.clone(),
        remote: remote.clone(),
        worker: worker.clone(),
        last_file: last_file.clone(),
        engine_pref: engine_pref.clone(),
        revision: store.0.revision,
    };
    let state = &store.0;
    let lang = state.lang;

    let ondrop = {
        let open = context.open.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(file) = e
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|f| f.get(0))
            {
                open.emit(OpenRequest::File(file));
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());

    let preset = preset(state.persona).ok();
    let shows = |p: Panel| preset.as_ref().is_none_or(|pr| pr.shows(p));
    let alerts = html! {
        <>
            if let Status::Error(msg) = &state.status {
                <div class="alert alert-error" role="alert">
                    <p class="alert-title">{ tr(lang, Msg::ErrorTitle) }</p>
                    <p>{ msg.clone() }</p>
                </div>
            }
            if let Some(n) = &state.notice {
                <div class="alert alert-info" role="status"><p>{ n.clone() }</p></div>
            }
            if !url_notices.is_empty() {
                <div class="alert alert-info" role="status" data-testid="url-notice">
                    <p>{ trf(lang, Msg::UrlPartlyRead, &[&url_notices.join(tr(lang, Msg::ListSeparator))]) }</p>
                </div>
            }
        </>
    };

    if state.embed {
        return html! {
            <ContextProvider<AppContext> context={context}>
                <main class="embed" id="contenu">
                    { alerts }
                    if state.data.is_some() {
                        <embed::EmbedView />
                    }
                </main>
            </ContextProvider<AppContext>>
        };
    }

    html! {
        <ContextProvider<AppContext> context={context}>
            <div class="page" {ondrop} {ondragover}>
                <a class="skip-link" href="#contenu">{ tr(lang, Msg::SkipToContent) }</a>
                <header::SiteHeader />
                <main id="contenu" class="container" tabindex="-1">
                    <source_bar::SourceBar />
                    <big_file::ChoiceDialog />
                    { alerts }
                    <dataset_info::DatasetInfo show_report={shows(Panel::IngestReport) || !matches!(state.source.as_ref().map(|s| &s.reference), Some(SourceRef::Bundled(_)))} />
                    if state.data.is_some() {
                        if state.persona == crate::state::persona::Persona::Citizen { <story_editor::StoriesPanel /> }
                        if shows(Panel::Questions) { <guide::QuestionsPanel /> }
                        if shows(Panel::BigNumbers) { <guide::BigNumbers /> }
                        if shows(Panel::Filters) { <filters::FilterBar /> } else { <filters::MatchCount /> }
                        <chart_panel::ChartPanel controls={shows(Panel::ChartControls)} export={shows(Panel::Export)} />
                        if shows(Panel::FindCommune) { <guide::FindCommune /> }
                        if shows(Panel::Cite) || shows(Panel::Embed) { <share::SharePanel /> }
                        if state.persona != crate::state::persona::Persona::Citizen { <story_editor::StoryDraft /> }
                        if shows(Panel::Join) { <join_panel::JoinPanel /> }
                        if shows(Panel::Pivot) {
                            <analysis::GroupPanel />
                            <analysis::PivotPanel />
                        }
                        if shows(Panel::Table) {
                            <data_table::DataTable />
                        } else {
                            <details class="panel see-data">
                                <summary>{ tr(lang, Msg::SeeDataRows) }</summary>
                                <data_table::DataTable />
                            </details>
                        }
                        if shows(Panel::Documentation) { <docs::DocPanel /> }
                        if shows(Panel::Glossary) { <guide::GlossaryPanel /> }
                        if shows(Panel::Api) {
                            <p class="small api-link"><a href="api.html">{ tr(lang, Msg::ApiDocs) }</a></p>
                        }
                    }
                </main>
                <footer class="site-footer">
                    <div class="container">
                        <p>{ tr(lang, Msg::Footer) }</p>
                        <p class="small">{ trf(lang, Msg::FooterLicence, &[env!("CARGO_PKG_VERSION")]) }<a href="data/PROVENANCE.md">{ "PROVENANCE" }</a></p>
                    </div>
                </footer>
            </div>
        </ContextProvider<AppContext>>
    }
}
