//! Hostile and random views on real bundled data: whatever a shared `?view=` link, the panels
//! or `ds.query` can express, every query the page would run either answers or fails with a
//! `QueryError`, never panics, and never allocates beyond a fixed budget (measured by a
//! counting global allocator around the system one, so the figure is the real peak).
//!
//! The issue's case is checked by name: a pivot of `COM` x `LIBELLE` on the INSEE communes
//! table (about 37 000 x 37 000 cells) is refused with the pivot-columns budget.

#![allow(
    unsafe_code,
    reason = "a counting GlobalAlloc must implement an unsafe trait; it only forwards to System"
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use loupe::core::ingest::{read, IngestOptions};
use loupe::core::query::budget::Budget;
use loupe::core::query::{self, Query, QueryError};
use loupe::core::{Column, ColumnData, Dataset, NullMask};
use loupe::state::service::{LocalEngine, Request};
use loupe::state::ViewSpec;
use proptest::prelude::*;
use serde_json::{json, Value as Json};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to `System` with the same arguments; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Most bytes one view's queries may allocate above what was live before them. The datasets
/// here are a few MB; the largest legitimate answers (a group-by of every commune, the raw
/// rows of the table) stay far below this, while the unbounded pivot asked for ~10 GB.
const PEAK_BUDGET: usize = 256 << 20;

/// Tests in this file share the allocator counters: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn load(file: &str) -> &'static Dataset {
    static COMMUNES: OnceLock<Dataset> = OnceLock::new();
    static TH: OnceLock<Dataset> = OnceLock::new();
    let cell = match file {
        "insee_communes_2022.csv" => &COMMUNES,
        "taux_th_communes_2022.csv" => &TH,
        other => panic!("no cell for {other}"),
    };
    cell.get_or_init(|| {
        let path = format!("{}/www/data/{file}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).expect("bundled data file");
        read(&bytes, &IngestOptions::default()).expect("bundled data loads")
    })
}

fn communes() -> &'static Dataset {
    load("insee_communes_2022.csv")
}

/// Runs every query the page runs for `view` (count, chart, group, pivot, table order) through
/// the query service, returning the errors and the peak bytes allocated meanwhile.
fn run_view(ds: &Dataset, view: &ViewSpec) -> (Vec<QueryError>, usize) {
    let engine = LocalEngine::new();
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut requests = vec![
        Request::Count {
            filters: view.filters.clone(),
        },
        Request::chart(view),
        Request::table_rows(view),
    ];
    requests.extend(view.group_query().map(|query| Request::Query { query }));
    requests.extend(view.pivot_query().map(|query| Request::Query { query }));
    let mut errors = Vec::new();
    for r in &requests {
        let answer = engine.answer(ds, 1, r);
        if let Err(e) = &*answer {
            errors.push(e.clone());
        }
        // The dry run that drops a link's oversized parts refuses exactly what running refuses.
        if let Request::Query { query } = r {
            let too_big = |e: &QueryError| matches!(e, QueryError::TooBig { .. });
            let dry = query::check_budgets(ds, query);
            assert_eq!(
                dry.as_ref().err().is_some_and(too_big),
                answer.as_ref().as_ref().err().is_some_and(too_big),
                "check_budgets {dry:?} vs run {:?} for {query:?}",
                answer.as_ref().as_ref().err()
            );
        }
    }
    drop(engine);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    (errors, peak)
}

#[test]
fn the_issue_pivot_is_refused_before_allocating() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let ds = communes();
    let view: ViewSpec = serde_json::from_value(json!({
        "v": 1,
        "pivot": {"rows": "COM", "columns": "LIBELLE", "value": {"op": "count"}}
    }))
    .expect("view parses");
    let (errors, peak) = run_view(ds, &view);
    assert!(
        matches!(
            errors.as_slice(),
            [QueryError::TooBig {
                what: Budget::PivotColumns,
                ..
            }]
        ),
        "{errors:?}"
    );
    assert!(peak < PEAK_BUDGET, "peak {peak} bytes");
    // The same through the JS API's path (`query::run`), and the message names the figure.
    let q: Query = serde_json::from_value(json!({
        "pivot": {"rows": "COM", "columns": "LIBELLE", "value": {"op": "count"}}
    }))
    .expect("query parses");
    let e = query::run(ds, &q).expect_err("refused");
    let fr = e.text(true);
    assert!(
        fr.contains(" colonnes dans le tableau croisé (au plus 1\u{202f}000)"),
        "{fr}"
    );
    assert!(e
        .text(false)
        .contains("choose a column with fewer values, or filter"));
}

#[test]
fn raw_rows_without_a_limit_are_refused_beyond_the_budget_and_allowed_with_one() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // The whole communes table: 37 600 rows x 12 columns, well within the budget.
    let ds = communes();
    let all = query::run(ds, &Query::default()).expect("all rows fit");
    assert_eq!(all.rows.len(), 37_600);
    // One column of 4 000 001 integers: one cell more than the budget allows without a limit.
    let n = query::budget::MAX_RESULT_CELLS + 1;
    let big = Dataset::from_columns(vec![Column::new(
        "n",
        ColumnData::Integer((0..n as i64).collect()),
        NullMask::all_valid(n),
    )]);
    let e = query::run(&big, &Query::default()).expect_err("refused");
    assert_eq!(
        e,
        QueryError::TooBig {
            what: Budget::Rows,
            count: n,
            limit: query::budget::MAX_RESULT_CELLS
        }
    );
    let q = Query {
        limit: Some(10),
        ..Query::default()
    };
    assert_eq!(query::run(&big, &q).map(|r| r.rows.len()), Ok(10));
}

/// A column name of the dataset, or one it does not have.
fn column(names: &'static [String]) -> impl Strategy<Value = Json> {
    prop_oneof![
        10 => proptest::sample::select(names).prop_map(Json::from),
        1 => Just(Json::from("pas_une_colonne")),
    ]
}

fn literal() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        (-1e6f64..1e6).prop_map(Json::from),
        "[0-9A-Za-z ]{0,6}".prop_map(Json::from),
        Just(Json::from("01")),
        Just(Json::from("2A")),
        Just(Json::from("2022-01-01")),
    ]
}

fn filter(names: &'static [String]) -> impl Strategy<Value = Json> {
    const OPS: [&str; 6] = ["in", "not_in", "between", "contains", "is_null", "not_null"];
    (
        proptest::sample::select(&OPS[..]),
        column(names),
        proptest::collection::vec(literal(), 0..3),
    )
        .prop_map(|(op, c, vals)| match op {
            "between" => json!({"op": op, "column": c, "min": vals.first(), "max": vals.get(1)}),
            "contains" => json!({"op": op, "column": c, "value": vals.first().map(|v| v.to_string()).unwrap_or_default()}),
            "in" | "not_in" => json!({"op": op, "column": c, "values": vals}),
            _ => json!({"op": op, "column": c}),
        })
}

fn aggregate(names: &'static [String]) -> impl Strategy<Value = Json> {
    const OPS: [&str; 8] = [
        "count",
        "count_distinct",
        "sum",
        "mean",
        "median",
        "min",
        "max",
        "share",
    ];
    (
        proptest::sample::select(&OPS[..]),
        proptest::option::of(column(names)),
    )
        .prop_map(|(op, c)| json!({"op": op, "column": c}))
}

fn view(names: &'static [String]) -> impl Strategy<Value = Json> {
    const KINDS: [&str; 8] = [
        "bar",
        "ranking",
        "line",
        "stacked_bar",
        "histogram",
        "scatter",
        "treemap",
        "big_number",
    ];
    const AGGS: [&str; 8] = [
        "count",
        "count_distinct",
        "sum",
        "mean",
        "median",
        "min",
        "max",
        "share",
    ];
    (
        proptest::collection::vec(filter(names), 0..3),
        (
            proptest::sample::select(&KINDS[..]),
            proptest::option::of(column(names)),
            proptest::option::of(column(names)),
            proptest::option::of(column(names)),
        ),
        (proptest::sample::select(&AGGS[..]), 0usize..200),
        proptest::option::of(column(names)),
        (
            proptest::collection::vec(column(names), 0..3),
            proptest::collection::vec(aggregate(names), 0..3),
            proptest::option::of(0usize..100_000),
            any::<bool>(),
        ),
        proptest::option::of((column(names), column(names), aggregate(names))),
    )
        .prop_map(
            |(
                filters,
                (kind, x, y, series),
                (agg, top),
                sort,
                (by, aggregates, limit, others),
                pivot,
            )| {
                json!({
                    "v": 1,
                    "filters": filters,
                    "chart": {"kind": kind, "x": x, "y": y, "series": series},
                    "agg": agg,
                    "top": top,
                    "table_sort": sort.map(|c| json!({"column": c, "desc": true})),
                    "group": {"by": by, "aggregates": aggregates, "limit": limit, "others": others},
                    "pivot": pivot.map(|(r, c, v)| json!({"rows": r, "columns": c, "value": v})),
                })
            },
        )
}

fn names_of(ds: &'static Dataset) -> &'static [String] {
    let names: Vec<String> = ds.columns.iter().map(|c| c.name.clone()).collect();
    Box::leak(names.into_boxed_slice())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Views as a link carries them: parsed, fitted to the data as the page does, then every
    /// panel's query run. Unparseable views are what the URL codec rejects with a notice.
    #[test]
    fn any_view_answers_or_refuses_within_budget(v in view(names_of(communes()))) {
        let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let ds = communes();
        if let Ok(mut spec) = serde_json::from_value::<ViewSpec>(v.clone()) {
            spec.fit_to(ds);
            let (_, peak) = run_view(ds, &spec);
            prop_assert!(peak < PEAK_BUDGET, "peak {} MB for {}", peak >> 20, v);
        }
    }

    /// The same views without fitting (the JS API and embed messages reach the engine with
    /// whatever columns they name).
    #[test]
    fn unfitted_views_never_panic_or_overallocate(v in view(names_of(load("taux_th_communes_2022.csv")))) {
        let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let ds = load("taux_th_communes_2022.csv");
        if let Ok(spec) = serde_json::from_value::<ViewSpec>(v.clone()) {
            let (_, peak) = run_view(ds, &spec);
            prop_assert!(peak < PEAK_BUDGET, "peak {} MB for {}", peak >> 20, v);
        }
    }
}
