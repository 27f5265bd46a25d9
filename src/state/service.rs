//! The query service: the one place that turns what a panel shows into a [`Request`], runs it
//! against an engine once, and hands the same answer to every panel that asks again.
//!
//! Panels never call `core::query` themselves. They build a plain, serializable [`Request`]
//! (the selection count, the chart table, a grouped or pivot query, the table's row order, a
//! column's value frequencies) and ask the service. The browser engine ([`LocalEngine`]) keeps:
//! - one [`Selection`] per distinct filter list, so a view change filters the rows once and
//!   the count, chart, group, pivot and table all reuse it;
//! - one answer per request, so a panel whose own inputs did not change (the chart when the
//!   table is re-sorted) gets its previous answer back without computing anything.
//!
//! Requests and answers are plain values keyed by their JSON text, so the same protocol can be
//! carried to a Web Worker or translated for a remote engine (an Opendatasoft portal) without
//! the panels noticing. Every answer belongs to one dataset generation: a new dataset starts an
//! empty cache. What must stay true: an answer is exactly what `core::query` computes for the
//! request on that dataset (the cache never changes a result, only whether it is recomputed),
//! and the cache holds a bounded number of entries.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::chart::ChartSpec;
use crate::core::query::{
    self, AggOp, Filter, Literal, Query, QueryError, QueryResult, Selection, SortKey,
};
use crate::core::{Dataset, Value};

use super::view::{chart_rows, ViewSpec};

pub mod remote;
pub mod warm;
pub mod wire;

/// One question a panel asks about the current dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// How many rows match the filters.
    Count { filters: Vec<Filter> },
    /// The table a chart draws (see [`ViewSpec::chart_query`]).
    Chart {
        filters: Vec<Filter>,
        chart: ChartSpec,
        agg: AggOp,
        top: usize,
    },
    /// Any query (the grouping table, the pivot, the JS API): run over the filtered rows.
    Query { query: Query },
    /// The filtered rows in the table's display order.
    TableRows {
        filters: Vec<Filter>,
        sort: Option<SortKey>,
    },
    /// Each value of a column over all rows with its count, most frequent first.
    Distinct { column: String },
    /// A column's profile over all rows (missing, distinct, top values, min / max / mean).
    Profile { column: String },
    /// One page of the filtered rows in the table's order, as values (an engine that holds
    /// no rows, such as a portal, shows its table this way).
    Page {
        filters: Vec<Filter>,
        sort: Option<SortKey>,
        offset: usize,
        limit: usize,
    },
}

impl Request {
    /// The chart table of a view.
    pub fn chart(view: &ViewSpec) -> Request {
        Request::Chart {
            filters: view.filters.clone(),
            chart: view.chart.clone(),
            agg: view.agg,
            top: view.top,
        }
    }

    /// The rows of the table of a view.
    pub fn table_rows(view: &ViewSpec) -> Request {
        Request::TableRows {
            filters: view.filters.clone(),
            sort: view.table_sort.clone(),
        }
    }

    /// The filters whose selection this request starts from (`None`: all rows).
    pub fn filters(&self) -> Option<&[Filter]> {
        match self {
            Request::Count { filters }
            | Request::Chart { filters, .. }
            | Request::TableRows { filters, .. }
            | Request::Page { filters, .. } => Some(filters),
            Request::Query { query } => Some(&query.filter),
            Request::Distinct { .. } | Request::Profile { .. } => None,
        }
    }

    /// The panel question a request answers, whatever its filters: an asynchronous engine
    /// drops an older request of the same slot still waiting when a newer one comes.
    pub fn slot(&self) -> String {
        let mut r = self.clone();
        match &mut r {
            Request::Count { filters }
            | Request::Chart { filters, .. }
            | Request::TableRows { filters, .. }
            | Request::Page { filters, .. } => filters.clear(),
            Request::Query { query } => query.filter.clear(),
            Request::Distinct { .. } | Request::Profile { .. } => {}
        }
        serde_json::to_string(&r).unwrap_or_default()
    }

    /// The cache key: the request's JSON text (filters hold floats, so no `Hash` derive).
    /// `None` when the text would not identify the request: JSON writes NaN and infinities as
    /// `null`, which would make `min: inf` and no minimum share an answer.
    pub fn key(&self) -> Option<String> {
        let finite = |l: &Literal| !matches!(l, Literal::Number(x) if !x.is_finite());
        let ok = self.filters().unwrap_or_default().iter().all(|f| match f {
            Filter::In { values, .. } | Filter::NotIn { values, .. } => values.iter().all(finite),
            Filter::Between { min, max, .. } => min.iter().chain(max).all(finite),
            _ => true,
        });
        ok.then(|| serde_json::to_string(self).ok()).flatten()
    }
}

/// What an engine answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Count(usize),
    Table(QueryResult),
    /// Shared with the selection cache when the rows are in selection order.
    Rows(Rc<Selection>),
    Distinct(Vec<(Value, usize)>),
    Profile(Box<crate::core::profile::Profile>),
}

impl Answer {
    /// About how many bytes the answer holds (a [`Value`] is 32 bytes plus its text), so the
    /// cache stays within [`MAX_CACHE_BYTES`] however large each answer is.
    fn bytes(&self) -> usize {
        let text = |v: &Value| match v {
            Value::Text(t) => t.len(),
            _ => 0,
        };
        match self {
            Answer::Count(_) => 8,
            Answer::Table(t) => t
                .rows
                .iter()
                .map(|r| 24 + r.iter().map(|v| 32 + text(v)).sum::<usize>())
                .sum(),
            Answer::Rows(s) => s.len() * 4,
            Answer::Distinct(d) => d.iter().map(|(v, _)| 40 + text(v)).sum(),
            Answer::Profile(p) => 256 + p.top.iter().map(|(v, _)| 40 + text(v)).sum::<usize>(),
        }
    }
}

/// An answer shared by every panel that asked the same request.
pub type Shared = Rc<Result<Answer, QueryError>>;

/// Most answers kept (a view has half a dozen panels; the rest covers back and forth).
const MAX_ANSWERS: usize = 64;
/// Most bytes of answers kept: each answer is within a query budget already, but a few dozen
/// large ones (row orders of a big file, wide groupings) must not add up to the 4 GB that
/// WebAssembly can address. The newest answer is always kept.
const MAX_CACHE_BYTES: usize = 256 << 20;
/// Most selections kept (one per filter list recently shown).
const MAX_SELECTIONS: usize = 8;

/// Counters for tests and benchmarks: how much work the cache saved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Filter lists evaluated over the dataset.
    pub selections: usize,
    /// Requests computed (cache misses).
    pub computed: usize,
    /// Requests answered from the cache.
    pub reused: usize,
}

#[derive(Default)]
struct Cache {
    generation: u64,
    selections: Vec<(String, Rc<Selection>)>,
    answers: HashMap<String, (Shared, usize)>,
    /// Keys in insertion order, to evict the oldest beyond [`MAX_ANSWERS`].
    order: Vec<String>,
    /// Bytes of the answers kept.
    bytes: usize,
    stats: Stats,
}

/// The browser engine: `core::query` in this thread, behind the cache described above.
#[derive(Default)]
pub struct LocalEngine {
    cache: RefCell<Cache>,
}

impl LocalEngine {
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers `req` about `ds` (whose generation is `generation`), from the cache when the
    /// same request was answered for the same generation.
    pub fn answer(&self, ds: &Dataset, generation: u64, req: &Request) -> Shared {
        let key = req.key();
        self.at_generation(generation);
        {
            let mut c = self.cache.borrow_mut();
            if let Some((a, _)) = key.as_ref().and_then(|k| c.answers.get(k)).cloned() {
                c.stats.reused += 1;
                return a;
            }
            c.stats.computed += 1;
        }
        let answer = Rc::new(self.compute(ds, req));
        let Some(key) = key else {
            return answer;
        };
        let size = answer.as_ref().as_ref().map_or(64, Answer::bytes);
        let mut c = self.cache.borrow_mut();
        while !c.order.is_empty()
            && (c.order.len() >= MAX_ANSWERS || c.bytes + size > MAX_CACHE_BYTES)
        {
            let old = c.order.remove(0);
            if let Some((_, b)) = c.answers.remove(&old) {
                c.bytes -= b;
            }
        }
        c.order.push(key.clone());
        c.bytes += size;
        c.answers.insert(key, (answer.clone(), size));
        answer
    }

    /// Empties the cache if it holds another generation's answers.
    fn at_generation(&self, generation: u64) {
        let mut c = self.cache.borrow_mut();
        if c.generation != generation {
            *c = Cache {
                generation,
                ..Cache::default()
            };
        }
    }

    /// What the cache has saved so far (reset with each new generation).
    pub fn stats(&self) -> Stats {
        self.cache.borrow().stats
    }

    fn selection(&self, ds: &Dataset, filters: &[Filter]) -> Result<Rc<Selection>, QueryError> {
        if let Some(s) = self.known_selection(filters) {
            return Ok(s);
        }
        let generation = self.cache.borrow().generation;
        Ok(self.keep_selection(generation, filters, query::select(ds, filters)?))
    }

    fn known_selection(&self, filters: &[Filter]) -> Option<Rc<Selection>> {
        let key = serde_json::to_string(filters).unwrap_or_default();
        let c = self.cache.borrow();
        c.selections
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, s)| s.clone())
    }

    /// Whether the rows matching `filters` are known: answering a request with these filters
    /// reads no row to select.
    pub fn has_selection(&self, generation: u64, filters: &[Filter]) -> bool {
        self.at_generation(generation);
        self.known_selection(filters).is_some()
    }

    /// Keeps the rows matching `filters`, selected elsewhere (the worker reads them a slice at
    /// a time with [`query::Selector`], so that it can stop), for the requests that follow.
    pub fn keep_selection(
        &self,
        generation: u64,
        filters: &[Filter],
        sel: Selection,
    ) -> Rc<Selection> {
        self.at_generation(generation);
        let key = serde_json::to_string(filters).unwrap_or_default();
        let sel = Rc::new(sel);
        let mut c = self.cache.borrow_mut();
        c.stats.selections += 1;
        if c.selections.len() >= MAX_SELECTIONS {
            c.selections.remove(0);
        }
        c.selections.push((key, sel.clone()));
        sel
    }

    fn compute(&self, ds: &Dataset, req: &Request) -> Result<Answer, QueryError> {
        let sel = match req.filters() {
            Some(f) => self.selection(ds, f)?,
            None => Rc::new(Selection::all(ds.rows)),
        };
        Ok(match req {
            Request::Count { .. } => Answer::Count(sel.len()),
            Request::Chart {
                chart, agg, top, ..
            } => {
                let view = ViewSpec {
                    chart: chart.clone(),
                    agg: *agg,
                    top: *top,
                    ..ViewSpec::default()
                };
                Answer::Table(chart_rows(ds, &sel, &view)?)
            }
            Request::Query { query } => Answer::Table(query::run_selected(ds, &sel, query)?),
            Request::TableRows { sort, .. } => Answer::Rows(match sort {
                Some(s) => Rc::new(query::sort_rows(ds, &sel, std::slice::from_ref(s))?),
                None => sel,
            }),
            Request::Distinct { column } => {
                Answer::Distinct(query::distinct_counts(ds, column, &sel)?)
            }
            Request::Profile { column } => {
                Answer::Profile(Box::new(crate::core::profile::profile(ds, column)?))
            }
            Request::Page {
                sort,
                offset,
                limit,
                ..
            } => {
                let order = match sort {
                    Some(s) => query::sort_rows(ds, &sel, std::slice::from_ref(s))?,
                    None => (*sel).clone(),
                };
                let rows = order
                    .as_slice()
                    .iter()
                    .skip(*offset)
                    .take(*limit)
                    .map(|&r| ds.columns.iter().map(|c| c.value(r as usize)).collect())
                    .collect();
                Answer::Table(QueryResult {
                    columns: ds
                        .columns
                        .iter()
                        .map(|c| query::ResultColumn {
                            name: c.name.clone(),
                            ty: c.column_type(),
                        })
                        .collect(),
                    rows,
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::ChartKind;
    use crate::core::testing::{dec, text};
    use crate::core::Dataset;

    fn data() -> Dataset {
        Dataset::from_columns(vec![
            text(
                "region",
                &[Some("Bretagne"), Some("Corse"), Some("Bretagne"), None],
            ),
            dec("montant", &[Some(150), Some(200), Some(250), Some(5)], 2),
        ])
    }

    fn view() -> ViewSpec {
        ViewSpec {
            filters: vec![Filter::NotNull {
                column: "region".into(),
            }],
            chart: ChartSpec {
                kind: ChartKind::Ranking,
                x: Some("region".into()),
                y: Some("montant".into()),
                ..ChartSpec::default()
            },
            ..ViewSpec::default()
        }
    }

    #[test]
    fn a_view_filters_its_rows_once_for_every_panel() {
        let (ds, engine, v) = (data(), LocalEngine::new(), view());
        let count = engine.answer(
            &ds,
            1,
            &Request::Count {
                filters: v.filters.clone(),
            },
        );
        assert_eq!(*count, Ok(Answer::Count(3)));
        engine.answer(&ds, 1, &Request::chart(&v));
        engine.answer(&ds, 1, &Request::table_rows(&v));
        assert_eq!(engine.stats().selections, 1);
        assert_eq!(engine.stats().computed, 3);
    }

    #[test]
    fn sorting_the_table_does_not_recompute_the_chart() {
        let (ds, engine, mut v) = (data(), LocalEngine::new(), view());
        let first = engine.answer(&ds, 1, &Request::chart(&v));
        v.table_sort = Some(SortKey {
            column: "montant".into(),
            desc: true,
        });
        let again = engine.answer(&ds, 1, &Request::chart(&v));
        assert!(Rc::ptr_eq(&first, &again));
        let rows = engine.answer(&ds, 1, &Request::table_rows(&v));
        // Rows 2 (2.50), 1 (2.00), 0 (1.50): the null-region row 3 is filtered out.
        assert_eq!(
            *rows,
            Ok(Answer::Rows(Rc::new(Selection::from_rows(vec![2, 1, 0]))))
        );
        assert_eq!(engine.stats().reused, 1);
    }

    #[test]
    fn answers_equal_a_direct_run() {
        let (ds, engine, v) = (data(), LocalEngine::new(), view());
        let direct = query::run(&ds, &v.chart_query());
        let served = engine.answer(&ds, 1, &Request::chart(&v));
        match (&*served, direct) {
            (Ok(Answer::Table(a)), Ok(b)) => assert_eq!(*a, b),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_selection_read_elsewhere_serves_the_next_answers() {
        // The worker reads a selection a slice at a time, keeps it, then asks for the answer:
        // the answer must use it (no second scan), even as the engine's first request.
        let (ds, engine) = (data(), LocalEngine::new());
        let filters = vec![Filter::Between {
            column: "montant".into(),
            min: Some(Literal::Number(2.0)),
            max: None,
        }];
        assert!(!engine.has_selection(1, &filters));
        let mut sel = query::Selector::new(&ds, &filters).unwrap_or_else(|e| panic!("{e}"));
        while !sel.step(1) {}
        engine.keep_selection(1, &filters, sel.finish());
        assert!(engine.has_selection(1, &filters));
        // 2.00 and 2.50 (of 1.50, 2.00, 2.50, 0.05).
        let count = engine.answer(
            &ds,
            1,
            &Request::Count {
                filters: filters.clone(),
            },
        );
        assert_eq!(*count, Ok(Answer::Count(2)));
        assert_eq!(engine.stats().selections, 1, "the kept selection was used");
        // Another generation (another dataset) never sees it.
        assert!(!engine.has_selection(2, &filters));
    }

    #[test]
    fn a_new_generation_starts_an_empty_cache() {
        let (ds, engine, v) = (data(), LocalEngine::new(), view());
        engine.answer(&ds, 1, &Request::chart(&v));
        engine.answer(&ds, 2, &Request::chart(&v));
        assert_eq!(engine.stats().computed, 1);
        assert_eq!(engine.stats().reused, 0);
    }

    #[test]
    fn errors_are_answers_too() {
        let (ds, engine) = (data(), LocalEngine::new());
        let q = Query {
            group_by: vec!["nope".into()],
            ..Query::default()
        };
        let a = engine.answer(&ds, 1, &Request::Query { query: q });
        assert_eq!(*a, Err(QueryError::UnknownColumn("nope".into())));
    }

    #[test]
    fn non_finite_bounds_are_never_confused_with_no_bound() {
        let (ds, engine) = (data(), LocalEngine::new());
        let between = |min: Option<f64>| Request::Count {
            filters: vec![Filter::Between {
                column: "montant".into(),
                min: min.map(Literal::Number),
                max: None,
            }],
        };
        // JSON writes an infinite bound `null`, the text of "no minimum": such requests have
        // no key, are computed every time and never answered from another request's entry.
        assert!(between(None).key().is_some());
        assert_eq!(between(Some(f64::INFINITY)).key(), None);
        assert_eq!(between(Some(f64::NAN)).key(), None);
        engine.answer(&ds, 1, &between(None));
        engine.answer(&ds, 1, &between(Some(f64::INFINITY)));
        engine.answer(&ds, 1, &between(Some(f64::INFINITY)));
        assert_eq!(engine.stats().reused, 0);
        assert_eq!(engine.stats().computed, 3);
    }

    #[test]
    fn the_cache_is_bounded_in_bytes_too() {
        let n = 3_000_000;
        let ds = Dataset::from_columns(vec![crate::core::testing::int(
            "x",
            &(0..n as i64).map(Some).collect::<Vec<_>>(),
        )]);
        let engine = LocalEngine::new();
        // Each raw-row answer of 3M rows of one cell is counted 3M x (24 + 32) bytes = 168 MB:
        // only the newest fits in 256 MB.
        for limit in 0..4 {
            let q = Query {
                limit: Some(n - limit),
                ..Query::default()
            };
            engine.answer(&ds, 1, &Request::Query { query: q });
        }
        let c = engine.cache.borrow();
        assert!(c.bytes <= MAX_CACHE_BYTES, "{} bytes kept", c.bytes);
        assert_eq!(c.answers.len(), 1);
        // The newest: limit n - 3 rows.
        assert_eq!(c.bytes, (3_000_000 - 3) * 56);
    }

    #[test]
    fn the_cache_is_bounded() {
        let (ds, engine) = (data(), LocalEngine::new());
        for top in 0..(MAX_ANSWERS + 10) {
            let mut v = view();
            v.top = top + 1;
            engine.answer(&ds, 1, &Request::chart(&v));
        }
        assert!(engine.cache.borrow().answers.len() <= MAX_ANSWERS);
    }
}
