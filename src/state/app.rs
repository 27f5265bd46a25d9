//! Application state: plain data changed only through [`AppState::apply`], a pure reducer
//! tested natively. The loaded dataset sits behind an `Rc` and is compared by pointer; a
//! generation counter changes with every new dataset so that views can key effects on it.

use std::rc::Rc;

use crate::core::ingest::{IngestOptions, Progress};
use crate::core::query::Filter;
use crate::core::Dataset;

use super::catalog::CatalogEntry;
use super::i18n::Lang;
use super::persona::{preset, Persona};
use super::view::ViewSpec;

/// Where the current data came from.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceRef {
    /// A bundled dataset, by catalogue id.
    Bundled(String),
    /// A remote file the user (or the page URL) gave.
    Url(String),
    /// A file from the user's disk: cannot travel in a link.
    Local(String),
    /// Text pasted into the page.
    Pasted,
}

/// What the page says about the data source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    pub reference: SourceRef,
    pub entry: Option<CatalogEntry>,
    /// File name or URL shown when there is no catalogue entry.
    pub label: String,
    /// The portal dataset the data came from, with the portal's metadata.
    pub portal: Option<Rc<PortalSource>>,
    /// Set when the engine's Web Worker holds the data (a big file from disk): the page holds
    /// only the file's first rows, for the schema, and every figure is asked of the worker.
    pub worker: Option<WorkerSource>,
}

/// A dataset held by the engine's Web Worker.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerSource {
    /// Rows of the whole dataset.
    pub rows: usize,
    /// Bytes of the file.
    pub bytes: u64,
    /// What was loaded when not the whole file (columns kept, a filter, a sample), in words.
    pub partial: Option<String>,
    /// Which load of the worker holds it (a newer load replaces the worker).
    pub load: u64,
    /// Milliseconds the worker took to load it, and bytes of the worker's memory then.
    pub ms: f64,
    pub memory: f64,
    /// Workers whose parts made the dataset (1: one read it all; see `?parts=`).
    pub parts: usize,
}

/// Files from disk at least this big are read by the engine's Web Worker (unless `?worker=0`):
/// below it, every query over the rows takes a few milliseconds in the page.
pub const WORKER_MIN_BYTES: f64 = 32.0 * 1024.0 * 1024.0;

/// A dataset opened from an Opendatasoft portal: where, and what the portal says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalSource {
    pub reference: super::portal::PortalRef,
    pub meta: super::portal::PortalMeta,
    /// Which engine computes the views: with [`Engine::Portal`] the page holds only the first
    /// records (for the schema) and every figure is asked of the portal.
    pub engine: Engine,
}

/// The engine that computes a portal dataset's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// The whole dataset downloaded and explored in the page.
    Browser,
    /// Nothing big downloaded: the portal computes counts, groups, pivots, sorts and pages.
    Portal,
}

/// Most records of a portal dataset that the automatic choice downloads into the page.
pub const AUTO_BROWSER_MAX_RECORDS: u64 = 200_000;

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Browser => "browser",
            Engine::Portal => "portal",
        }
    }

    pub fn parse(s: &str) -> Option<Engine> {
        match s.trim().to_ascii_lowercase().as_str() {
            "browser" | "navigateur" => Some(Engine::Browser),
            "portal" | "portail" => Some(Engine::Portal),
            _ => None,
        }
    }

    /// The engine for a dataset of `records` records: the forced one, else the browser up to
    /// [`AUTO_BROWSER_MAX_RECORDS`] (an unknown count too), the portal above.
    pub fn choose(forced: Option<Engine>, records: Option<u64>) -> Engine {
        forced.unwrap_or(match records {
            Some(n) if n > AUTO_BROWSER_MAX_RECORDS => Engine::Portal,
            _ => Engine::Browser,
        })
    }
}

impl SourceInfo {
    pub fn title(&self, lang: Lang) -> String {
        match &self.entry {
            Some(e) => e.title.get(lang).to_string(),
            None => self.label.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Idle,
    Loading(Progress),
    Ready,
    Error(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    pub status: Status,
    pub source: Option<SourceInfo>,
    pub data: Option<Rc<Dataset>>,
    /// Changes with every dataset loaded.
    pub generation: u64,
    pub view: ViewSpec,
    /// The ingest overrides the current data was read with.
    pub options: IngestOptions,
    /// A message shown once (e.g. a cancelled load), then cleared by the next action.
    pub notice: Option<String>,
    /// Changes with every action applied: views compare it instead of the whole state.
    pub revision: u64,
    pub persona: Persona,
    /// The guided question being answered (its id in the persona's preset).
    pub question: Option<String>,
    /// Embedded in another page (`?embed=1`): only the view is shown.
    pub embed: bool,
    /// Origins allowed to change an embedded view by message.
    pub allow_origins: Vec<String>,
    /// The reference table joined onto the data, if any.
    pub join: Option<JoinState>,
    /// The data before the join, to undo it.
    pub base_data: Option<Rc<Dataset>>,
    /// The source being loaded: it becomes [`AppState::source`] with its data, so that the
    /// page never shows one dataset with another's documentation, labels or API links.
    pub loading_source: Option<SourceInfo>,
    /// The portal the "Portail" source searches, when the link names one (`?portal=`);
    /// otherwise [`super::portal::DEFAULT_PORTAL`].
    pub portal: Option<String>,
    /// The engine the link or the user chose for portal datasets (`?engine=`); `None`: by size.
    pub engine: Option<Engine>,
    /// `?worker=`: files from disk read by the engine's worker or in the page (`None`: by size).
    pub worker_pref: Option<bool>,
    /// `?budget=`: the memory budget in megabytes for a file read by the worker.
    pub budget_mb: Option<u64>,
    /// `?parts=`: workers reading a file from disk at once.
    pub parts: Option<u8>,
    /// A file too big for the memory budget, waiting for the user to choose what to load.
    pub choice: Option<Rc<super::big_file::BigFileChoice>>,
}

/// A join applied to the current data.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinState {
    /// The reference table: a bundled id or a URL (shareable), or a file name (not).
    pub src: String,
    pub shareable: bool,
    pub label: String,
    pub spec: crate::core::query::JoinSpec,
    pub report: crate::core::query::JoinReport,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            lang: Lang::Fr,
            status: Status::Idle,
            source: None,
            data: None,
            generation: 0,
            view: ViewSpec::default(),
            options: IngestOptions::default(),
            notice: None,
            revision: 0,
            persona: Persona::Citizen,
            question: None,
            embed: false,
            allow_origins: Vec::new(),
            join: None,
            base_data: None,
            loading_source: None,
            portal: None,
            engine: None,
            worker_pref: None,
            budget_mb: None,
            parts: None,
            choice: None,
        }
    }
}

/// Everything that can change the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetLang(Lang),
    StartLoading {
        source: Box<SourceInfo>,
        options: IngestOptions,
    },
    ReportProgress(Progress),
    /// A dataset finished loading; `view` is the view to show (from a preset, a link or the
    /// catalogue), fitted to the data before use.
    FinishLoading {
        data: Rc<Dataset>,
        view: Option<ViewSpec>,
    },
    FailLoading(String),
    CancelLoading(String),
    /// A file would need more memory than the budget: offer columns, a filter or a sample.
    OfferChoice(Box<super::big_file::BigFileChoice>),
    /// The user closed that offer.
    CloseChoice,
    SetView(ViewSpec),
    SetPersona(Persona),
    /// Show a guided question of the current persona's preset (by id).
    AskQuestion(String),
    /// Restore what a URL carries (start-up, back and forward).
    ApplyUrl(Box<super::url::UrlState>),
    /// The data joined with a reference table replaces the data (the view is kept).
    ApplyJoin {
        data: Rc<Dataset>,
        join: Box<JoinState>,
    },
    /// Back to the data before the join.
    RemoveJoin,
    AddFilter(Filter),
    RemoveFilter(usize),
    /// Tell the user something that failed on the side (a link's join) without stopping.
    Notify(String),
    /// Answers of a remote engine arrived: the panels ask again (nothing else changes).
    AnswersArrived,
    /// The engine for portal datasets (`None`: by size).
    SetEngine(Option<Engine>),
}

/// Drops what a link's view asks beyond the query budgets (see [`ViewSpec::drop_oversized`])
/// and says so, as the URL notices do.
fn oversized_notice(view: &mut ViewSpec, data: &Dataset, lang: Lang) -> Option<String> {
    let refused = view.drop_oversized(data);
    if refused.is_empty() {
        return None;
    }
    let fr = lang == Lang::Fr;
    let why: Vec<String> = refused.iter().map(|e| e.text(fr)).collect();
    Some(super::i18n::trf(
        lang,
        super::i18n::Msg::UrlPartlyRead,
        &[&why.join(super::i18n::tr(lang, super::i18n::Msg::ListSeparator))],
    ))
}

impl AppState {
    /// The catalogue id of the current dataset, when it is a bundled one.
    pub fn dataset_id(&self) -> Option<&str> {
        match self.source.as_ref().map(|s| &s.reference) {
            Some(SourceRef::Bundled(id)) => Some(id),
            _ => None,
        }
    }

    /// The view to open a dataset with: the persona's guided view for it (the asked question
    /// first), else the catalogue's default chart, else a suggestion from the data.
    pub fn default_view(&self, data: &Dataset) -> (ViewSpec, Option<String>) {
        if let Some(id) = self.dataset_id() {
            if let Ok(p) = preset(self.persona) {
                if let Some(views) = p.views.get(id) {
                    let asked = self
                        .question
                        .as_ref()
                        .and_then(|q| views.iter().find(|g| &g.id == q));
                    if let Some(g) = asked.or(views.first()) {
                        return (g.view.clone(), Some(g.id.clone()));
                    }
                }
            }
            // A persona without views of its own (the expert) starts from the journalist's
            // first view: a meaningful chart (e.g. one accounting aggregate, not their sum).
            if let Some(g) = preset(Persona::Journalist)
                .ok()
                .and_then(|p| p.views.get(id).and_then(|v| v.first().cloned()))
            {
                return (g.view, None);
            }
            if let Some(chart) = self
                .source
                .as_ref()
                .and_then(|s| s.entry.as_ref())
                .map(|e| &e.chart)
            {
                if let Ok(kind) = serde_json::from_value::<crate::chart::ChartKind>(
                    serde_json::Value::String(chart.kind.clone()),
                ) {
                    let spec = crate::chart::ChartSpec {
                        kind,
                        x: chart.x.clone(),
                        y: chart.y.clone(),
                        unit: chart.unit.clone(),
                        ..Default::default()
                    };
                    return (
                        ViewSpec {
                            chart: spec,
                            ..ViewSpec::default()
                        },
                        None,
                    );
                }
            }
        }
        (
            ViewSpec {
                chart: super::view::suggest_chart(data),
                ..ViewSpec::default()
            },
            None,
        )
    }

    /// What the page URL should say for this state (a local or pasted file has no `src`).
    pub fn to_url(&self) -> super::url::UrlState {
        let src = match self.source.as_ref().map(|s| &s.reference) {
            Some(SourceRef::Bundled(id)) => Some(id.clone()),
            Some(SourceRef::Url(u)) => Some(u.clone()),
            _ => None,
        };
        super::url::UrlState {
            src,
            persona: Some(self.persona),
            lang: (self.lang != Lang::Fr).then_some(self.lang),
            question: self.question.clone(),
            view: self.data.as_ref().map(|_| self.view.clone()),
            options: Some(self.options.clone()).filter(|o| *o != IngestOptions::default()),
            embed: self.embed,
            allow_origins: self.allow_origins.clone(),
            join: self
                .join
                .as_ref()
                .filter(|j| j.shareable)
                .map(|j| super::url::JoinLink {
                    src: j.src.clone(),
                    spec: j.spec.clone(),
                }),
            portal: self.portal.clone(),
            engine: self.engine,
            worker: self.worker_pref,
            budget_mb: self.budget_mb,
            parts: self.parts,
        }
    }

    /// The portal dataset whose views the portal computes, when that is the engine in use.
    pub fn portal_engine(&self) -> Option<&Rc<PortalSource>> {
        self.source
            .as_ref()
            .and_then(|s| s.portal.as_ref())
            .filter(|p| p.engine == Engine::Portal)
    }

    /// The dataset the engine's Web Worker holds, when it holds the data.
    pub fn worker_engine(&self) -> Option<&WorkerSource> {
        self.source.as_ref().and_then(|s| s.worker.as_ref())
    }

    /// Whether a file of `bytes` from disk is read by the engine's worker.
    pub fn use_worker(&self, bytes: f64) -> bool {
        self.worker_pref.unwrap_or(bytes >= WORKER_MIN_BYTES)
    }

    /// The number of rows of the dataset: the portal's record count when the portal engine
    /// computes it, the worker's when the worker holds it (the page holds only a sample in
    /// both cases), else the rows loaded.
    pub fn total_rows(&self) -> usize {
        match (self.portal_engine(), self.worker_engine()) {
            (Some(p), _) => p.meta.records_count.unwrap_or(0) as usize,
            (None, Some(w)) => w.rows,
            (None, None) => self.data.as_ref().map_or(0, |d| d.rows),
        }
    }

    /// The portal the "Portail" source searches.
    pub fn portal_origin(&self) -> &str {
        self.portal
            .as_deref()
            .unwrap_or(super::portal::DEFAULT_PORTAL)
    }

    /// The pure reducer.
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        next.revision = self.revision + 1;
        if action == Action::AnswersArrived {
            // Only the revision changes: panels re-render and find their answers.
            return next;
        }
        next.notice = None;
        match action {
            Action::AnswersArrived => {}
            Action::SetEngine(e) => next.engine = e,
            Action::SetLang(lang) => next.lang = lang,
            Action::StartLoading { source, options } => {
                next.choice = None;
                next.status = Status::Loading(Progress::default());
                next.loading_source = Some(*source);
                next.options = options;
            }
            Action::ReportProgress(p) => {
                if matches!(next.status, Status::Loading(_)) {
                    next.status = Status::Loading(p);
                }
            }
            Action::FinishLoading { data, view } => {
                if let Some(s) = next.loading_source.take() {
                    next.source = Some(s);
                }
                let from_link = view.is_some();
                let (mut view, question) = match view {
                    Some(v) => (v, next.question.clone()),
                    None => next.default_view(&data),
                };
                next.question = question;
                view.fit_to(&data);
                // A link's pivot or grouping too big for the data is dropped, and the page
                // says so, rather than showing an error panel to whoever opens the link.
                if from_link {
                    next.notice = oversized_notice(&mut view, &data, self.lang);
                }
                next.view = view;
                next.data = Some(data);
                next.join = None;
                next.base_data = None;
                next.generation = self.generation + 1;
                next.status = Status::Ready;
            }
            Action::FailLoading(msg) => {
                next.status = Status::Error(msg);
                // With nothing loaded yet, the page names what failed; otherwise the data on
                // screen keeps its own source.
                let failed = next.loading_source.take();
                if next.data.is_none() {
                    next.source = failed;
                }
            }
            Action::Notify(msg) => next.notice = Some(msg),
            Action::OfferChoice(choice) => {
                next.loading_source = None;
                next.status = if next.data.is_some() {
                    Status::Ready
                } else {
                    Status::Idle
                };
                next.choice = Some(Rc::new(*choice));
            }
            Action::CloseChoice => next.choice = None,
            Action::CancelLoading(msg) => {
                next.loading_source = None;
                next.status = if next.data.is_some() {
                    Status::Ready
                } else {
                    Status::Idle
                };
                next.notice = Some(msg);
            }
            Action::SetView(mut view) => {
                next.question = None;
                if let Some(d) = &next.data {
                    view.fit_to(d);
                }
                next.view = view;
            }
            Action::ApplyJoin { data, join } => {
                if next.base_data.is_none() {
                    next.base_data = next.data.clone();
                }
                next.view.fit_to(&data);
                next.data = Some(data);
                next.join = Some(*join);
                next.generation = self.generation + 1;
            }
            Action::RemoveJoin => {
                if let Some(base) = next.base_data.take() {
                    next.view.fit_to(&base);
                    next.data = Some(base);
                    next.join = None;
                    next.generation = self.generation + 1;
                }
            }
            Action::SetPersona(p) => {
                next.persona = p;
                next.question = None;
                if let Some(d) = &next.data {
                    let (mut view, question) = next.default_view(d);
                    view.fit_to(d);
                    next.view = view;
                    next.question = question;
                }
            }
            Action::AskQuestion(id) => {
                let guided = self.dataset_id().and_then(|ds_id| {
                    preset(self.persona)
                        .ok()?
                        .views
                        .get(ds_id)?
                        .iter()
                        .find(|g| g.id == id)
                        .cloned()
                });
                if let Some(g) = guided {
                    let mut view = g.view;
                    if let Some(d) = &next.data {
                        view.fit_to(d);
                    }
                    next.view = view;
                    next.question = Some(id);
                }
            }
            Action::ApplyUrl(url) => {
                if let Some(l) = url.lang {
                    next.lang = l;
                }
                if let Some(p) = url.persona {
                    next.persona = p;
                }
                next.embed = url.embed;
                next.portal = url.portal.clone();
                next.engine = url.engine;
                next.worker_pref = url.worker;
                next.budget_mb = url.budget_mb;
                next.parts = url.parts;
                next.allow_origins = url.allow_origins.clone();
                // A view in the URL is exact: its question is the URL's (possibly none).
                if url.view.is_some() || url.question.is_some() {
                    next.question = url.question.clone();
                }
                if let Some(mut v) = url.view.clone() {
                    if let Some(d) = &next.data {
                        v.fit_to(d);
                        next.notice = oversized_notice(&mut v, d, next.lang);
                    }
                    next.view = v;
                }
            }
            Action::AddFilter(f) => {
                // One filter per column and kind: a new one replaces the old.
                let col = super::view::filter_column(&f).map(str::to_string);
                let same_kind = std::mem::discriminant(&f);
                next.view.filters.retain(|g| {
                    !(super::view::filter_column(g).map(str::to_string) == col
                        && std::mem::discriminant(g) == same_kind)
                });
                next.view.filters.push(f);
            }
            Action::RemoveFilter(i) => {
                if i < next.view.filters.len() {
                    next.view.filters.remove(i);
                }
            }
        }
        next
    }
}

#[cfg(test)]
mod tests;
