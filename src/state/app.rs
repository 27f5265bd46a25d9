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
    /// Changes with every action applied: views compare it instead of the whole state.
    pub revision: u64,
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
        next.revision = self.revision + 1;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::read;

    fn small() -> Rc<Dataset> {
        let csv = "mission;montant\nDéfense;10,5\nCulture;2,25\nDéfense;1\n";
        Rc::new(read(csv.as_bytes(), &IngestOptions::default()).expect("reads"))
    }

    fn bundled_source() -> SourceInfo {
        SourceInfo {
            reference: SourceRef::Bundled("x".into()),
            entry: None,
            label: "x.csv".into(),
        }
    }

    #[test]
    fn a_load_goes_loading_then_ready_and_keeps_its_source() {
        let s = AppState::default().apply(Action::StartLoading {
            source: Box::new(bundled_source()),
            options: IngestOptions::default(),
        });
        assert!(matches!(s.status, Status::Loading(_)));
        let s = s.apply(Action::ReportProgress(Progress {
            bytes_done: 5,
            bytes_total: 10,
            rows: 1,
        }));
        assert_eq!(
            s.status,
            Status::Loading(Progress {
                bytes_done: 5,
                bytes_total: 10,
                rows: 1
            })
        );
        let s = s.apply(Action::FinishLoading {
            data: small(),
            view: None,
        });
        assert_eq!(s.status, Status::Ready);
        assert_eq!(s.generation, 1);
        assert_eq!(
            s.source.as_ref().map(|s| &s.reference),
            Some(&SourceRef::Bundled("x".into()))
        );
        // The suggested chart ranks the text column by the amount.
        assert_eq!(s.view.chart.x.as_deref(), Some("mission"));
        assert_eq!(s.view.chart.y.as_deref(), Some("montant"));
    }

    #[test]
    fn filters_replace_same_kind_on_same_column_and_can_be_removed() {
        use crate::core::query::Literal;
        let s = AppState::default().apply(Action::FinishLoading {
            data: small(),
            view: None,
        });
        let f = |v: &str| Filter::In {
            column: "mission".into(),
            values: vec![Literal::Text(v.into())],
        };
        let s = s
            .apply(Action::AddFilter(f("Défense")))
            .apply(Action::AddFilter(f("Culture")));
        assert_eq!(s.view.filters, vec![f("Culture")]);
        let s = s.apply(Action::AddFilter(Filter::IsNull {
            column: "mission".into(),
        }));
        assert_eq!(s.view.filters.len(), 2);
        let s = s
            .apply(Action::RemoveFilter(0))
            .apply(Action::RemoveFilter(9));
        assert_eq!(
            s.view.filters,
            vec![Filter::IsNull {
                column: "mission".into()
            }]
        );
    }

    #[test]
    fn a_view_naming_missing_columns_falls_back_to_a_suggestion() {
        let mut v = ViewSpec::default();
        v.chart.x = Some("nope".into());
        v.filters.push(Filter::IsNull {
            column: "ghost".into(),
        });
        let s = AppState::default().apply(Action::FinishLoading {
            data: small(),
            view: Some(v),
        });
        assert_eq!(s.view.chart.x.as_deref(), Some("mission"));
        assert!(s.view.filters.is_empty());
    }

    #[test]
    fn cancelling_keeps_the_previous_data() {
        let s = AppState::default().apply(Action::FinishLoading {
            data: small(),
            view: None,
        });
        let s = s
            .apply(Action::StartLoading {
                source: Box::new(bundled_source()),
                options: IngestOptions::default(),
            })
            .apply(Action::CancelLoading("annulé".into()));
        assert_eq!(s.status, Status::Ready);
        assert_eq!(s.notice.as_deref(), Some("annulé"));
        assert!(s.data.is_some());
    }
}
