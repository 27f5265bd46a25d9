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
pub mod find_commune;
pub mod guide;
pub mod harness;
pub mod header;
mod hooks;
pub mod join_panel;
pub mod map_view;
mod open;
mod stop;
pub use stop::StopQuery;
pub mod portal_table;
pub mod result_table;
pub mod share;
pub mod source_bar;
pub mod story;
pub mod story_chart;
pub mod story_editor;

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::state::app::Engine;
use crate::state::catalog::{bundled, Catalog};
use crate::state::i18n::trf;
use crate::state::persona::{preset, Panel};
use crate::state::service::LocalEngine;
pub use crate::state::service::Request;
use crate::state::url::{JoinLink, UrlState};
use crate::state::{tr, Action, AppState, Msg, SourceInfo, SourceRef, Status, ViewSpec};
use crate::web::load::CancelToken;
use crate::web::{dom, history};

pub use answers::{ask, table_of};
pub use harness::Harness;
pub use open::OpenRequest;

thread_local! {
    /// The `src` the page shows, for the back/forward listener (which outlives renders).
    static CURRENT_SRC: Rc<RefCell<Option<String>>> = Rc::new(RefCell::new(None));
}

fn current_src_cell() -> Rc<RefCell<Option<String>>> {
    CURRENT_SRC.with(Rc::clone)
}

/// Yew adapter for the pure reducer.
#[derive(Default)]
pub struct Store(pub AppState);

impl Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Store(self.0.apply(action)))
    }
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
    /// The last view whose answers had all arrived, with its dataset's generation: what
    /// "Stop" goes back to while a newer view is being computed (see `filters::StopQuery`).
    pub settled: Rc<RefCell<Option<(u64, ViewSpec)>>>,
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
    let link_prefs: Rc<RefCell<open::LinkPrefs>> = use_mut_ref(|| (None, None, None));
    // The bytes of the open file stay in JavaScript memory, for "read again" corrections.
    let last_bytes: Rc<RefCell<Option<js_sys::Uint8Array>>> = use_mut_ref(|| None);
    // The view a link asked for, applied when its dataset has loaded.
    let pending_view: Rc<RefCell<Option<ViewSpec>>> = use_mut_ref(|| None);
    // The join a link asked for, applied once its data has loaded.
    let pending_join: Rc<RefCell<Option<JoinLink>>> = use_mut_ref(|| None);
    let url_notices = use_state(Vec::<String>::new);
    let url_synced = use_mut_ref(|| false);
    let settled: Rc<RefCell<Option<(u64, ViewSpec)>>> = use_mut_ref(|| None);

    let open = open::callback(open::OpenHandles {
        dispatcher: store.dispatcher(),
        catalog: catalog.clone(),
        cancel_token: cancel_token.clone(),
        last_bytes: last_bytes.clone(),
        pending_view: pending_view.clone(),
        pending_join: pending_join.clone(),
        state_source: store.0.source.clone(),
        lang: store.0.lang,
        engine_pref: engine_pref.clone(),
        worker: worker.clone(),
        link_prefs: link_prefs.clone(),
        last_file: last_file.clone(),
    });

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
        let view = store.0.view.clone();
        let settled = settled.clone();
        use_effect_with(
            (status, generation, lang, revision, view),
            move |(status, generation, lang, _, view)| {
                dom::set_lang(lang.code());
                if *status == Status::Ready && !remote.busy() && !worker.busy() {
                    *settled.borrow_mut() = Some((*generation, view.clone()));
                }
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
        settled,
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
    // A file dragged over the page: the engine's worker starts for it (see the file picker).
    let ondragover = {
        let worker = worker.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            worker.prepare();
        })
    };

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
                        if shows(Panel::FindCommune) { <find_commune::FindCommune /> }
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
