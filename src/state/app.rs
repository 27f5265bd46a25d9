//! Application state: plain data changed only through [`AppState::apply`], a pure reducer
//! tested natively. The loaded dataset sits behind an `Rc` and is compared by pointer; a
//! generation counter changes with every new dataset so that views can key effects on it.

use std::rc::Rc;

use crate::core::ingest::{IngestOptions, Progress};
use crate::core::query::Filter;
use crate::core::Dataset;

use super::catalog::CatalogEntry;
use super::i18n::Lang;
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
    SetView(ViewSpec),
    AddFilter(Filter),
    RemoveFilter(usize),
    ClearFilters,
}

impl AppState {
    /// The pure reducer.
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        next.notice = None;
        match action {
            Action::SetLang(lang) => next.lang = lang,
            Action::StartLoading { source, options } => {
                next.status = Status::Loading(Progress::default());
                next.source = Some(*source);
                next.options = options;
            }
            Action::ReportProgress(p) => {
                if matches!(next.status, Status::Loading(_)) {
                    next.status = Status::Loading(p);
                }
            }
            Action::FinishLoading { data, view } => {
                let mut view = view.unwrap_or_else(|| ViewSpec {
                    chart: super::view::suggest_chart(&data),
                    ..ViewSpec::default()
                });
                view.fit_to(&data);
                next.view = view;
                next.data = Some(data);
                next.generation = self.generation + 1;
                next.status = Status::Ready;
            }
            Action::FailLoading(msg) => next.status = Status::Error(msg),
            Action::CancelLoading(msg) => {
                next.status = if next.data.is_some() {
                    Status::Ready
                } else {
                    Status::Idle
                };
                next.notice = Some(msg);
            }
            Action::SetView(mut view) => {
                if let Some(d) = &next.data {
                    view.fit_to(d);
                }
                next.view = view;
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
            Action::ClearFilters => next.view.filters.clear(),
        }
        next
    }
}
