//! Component stories in headless Chromium (wasm-bindgen-test): each mounts a Yew component
//! with a known state, lets the scheduler render (`yew::scheduler::flush()`, no sleeps), and
//! asserts on the DOM or the canvas.
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_components`
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use loupe::core::ingest::{read, IngestOptions};
use loupe::core::Dataset;
use loupe::state::catalog::bundled;
use loupe::state::{Action, AppState, SourceInfo, SourceRef};
use loupe::ui::chart_panel::ChartPanel;
use loupe::ui::data_table::DataTable;
use loupe::ui::guide::QuestionsPanel;
use loupe::ui::Harness;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const LFI: &[u8] = include_bytes!("../www/data/lfi_2026_etat_b_cp.csv");

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A fresh, visible root of a given width.
fn root(width: u32) -> web_sys::Element {
    let div = document().create_element("div").expect("div");
    let _ = div.set_attribute("id", &format!("root-{}", js_sys::Math::random()));
    let _ = div
        .dyn_ref::<web_sys::HtmlElement>()
        .map(|h| h.style().set_property("width", &format!("{width}px")));
    document()
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append");
    div
}

/// The state after loading `data` as the bundled dataset `id`.
fn loaded(id: &str, data: Dataset) -> AppState {
    let entry = bundled().find(id).cloned();
    AppState::default()
        .apply(Action::StartLoading {
            source: Box::new(SourceInfo {
                reference: SourceRef::Bundled(id.into()),
                entry,
                label: id.into(),
                portal: None,
                worker: None,
            }),
            options: IngestOptions::default(),
        })
        .apply(Action::FinishLoading {
            data: Rc::new(data),
            view: None,
        })
}

/// A synthetic dataset of `n` rows: a region label and an amount.
fn big(n: usize) -> Dataset {
    let mut csv = String::from("region;montant\n");
    let regions = ["Bretagne", "Normandie", "Occitanie", "Grand Est"];
    for i in 0..n {
        csv.push_str(&format!("{};{},{:02}\n", regions[i % 4], i % 997, i % 100));
    }
    read(csv.as_bytes(), &IngestOptions::default()).expect("reads")
}

#[derive(Properties, PartialEq)]
struct StoryProps {
    state: AppState,
    which: &'static str,
}

#[component]
fn Story(props: &StoryProps) -> Html {
    let inner = match props.which {
        "table" => html! { <DataTable /> },
        "chart" => html! { <ChartPanel controls={true} export={true} /> },
        _ => html! { <QuestionsPanel /> },
    };
    html! { <Harness state={props.state.clone()}>{ inner }</Harness> }
}

fn mount(state: AppState, which: &'static str, width: u32) -> web_sys::Element {
    let el = root(width);
    yew::Renderer::<Story>::with_root_and_props(el.clone(), StoryProps { state, which }).render();
    el
}

#[wasm_bindgen_test]
async fn the_table_renders_only_the_visible_rows_of_100k() {
    let el = mount(loaded("x", big(100_000)), "table", 900);
    yew::scheduler::flush().await;
    let rows = el.query_selector_all("tr.vt-row").expect("query").length();
    assert!(rows > 5 && rows < 60, "{rows} rows in the DOM");
    let caption = el
        .query_selector("caption")
        .ok()
        .flatten()
        .and_then(|c| c.text_content())
        .unwrap_or_default();
    assert!(
        caption.contains("100"),
        "caption gives the count: {caption}"
    );

    // Scroll to the far end: the last rows are rendered, still only a few of them.
    let viewport = el
        .query_selector("[data-testid=table-viewport]")
        .ok()
        .flatten()
        .expect("viewport");
    // The stylesheet is not loaded in this page: give the viewport its app height here.
    if let Some(h) = viewport.dyn_ref::<web_sys::HtmlElement>() {
        let _ = h.style().set_property("height", "468px");
        let _ = h.style().set_property("overflow", "auto");
        let _ = h.style().set_property("display", "block");
    }
    viewport.set_scroll_top(viewport.scroll_height());
    let _ = viewport.dispatch_event(&web_sys::Event::new("scroll").expect("event"));
    yew::scheduler::flush().await;
    let last = el
        .query_selector_all("tr.vt-row td.row-num")
        .expect("query");
    let last_number = last
        .item(last.length().saturating_sub(1))
        .and_then(|n| n.text_content())
        .and_then(|t| t.trim().parse::<usize>().ok())
        .unwrap_or(0);
    assert_eq!(last_number, 100_000, "the last row is reachable");
    assert!(last.length() < 60);
}

#[wasm_bindgen_test]
async fn the_chart_draws_ink_on_its_canvas_and_summarises_in_french() {
    let ds = read(LFI, &IngestOptions::default()).expect("reads");
    let el = mount(loaded("lfi-2026-credits", ds), "chart", 900);
    yew::scheduler::flush().await;
    let canvas: web_sys::HtmlCanvasElement = el
        .query_selector("canvas")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .expect("a canvas");
    assert!(canvas.width() >= 280 && canvas.height() >= 300);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .expect("2d");
    let data = ctx
        .get_image_data(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .expect("pixels")
        .data();
    let inked = data
        .chunks(4)
        .filter(|p| p[0] < 200 || p[1] < 200 || p[2] < 200)
        .count();
    assert!(inked > 1_000, "only {inked} coloured pixels");
    let summary = el
        .query_selector("[data-testid=chart-summary]")
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
        .unwrap_or_default();
    assert!(
        summary.contains('%') && summary.contains("Md€"),
        "summary: {summary}"
    );
}

#[wasm_bindgen_test]
async fn a_guided_question_is_pressed_when_clicked() {
    let ds = read(LFI, &IngestOptions::default()).expect("reads");
    let el = mount(loaded("lfi-2026-credits", ds), "questions", 900);
    yew::scheduler::flush().await;
    let buttons = el
        .query_selector_all("[data-testid=question]")
        .expect("query");
    assert!(buttons.length() >= 3);
    let pressed = |i: u32| {
        buttons
            .item(i)
            .and_then(|b| b.dyn_into::<web_sys::Element>().ok())
            .and_then(|b| b.get_attribute("aria-pressed"))
            .unwrap_or_default()
    };
    assert_eq!(
        (pressed(0).as_str(), pressed(1).as_str()),
        ("true", "false")
    );
    buttons
        .item(1)
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
        .expect("button")
        .click();
    yew::scheduler::flush().await;
    let buttons_after = el
        .query_selector_all("[data-testid=question]")
        .expect("query");
    let pressed_after = |i: u32| {
        buttons_after
            .item(i)
            .and_then(|b| b.dyn_into::<web_sys::Element>().ok())
            .and_then(|b| b.get_attribute("aria-pressed"))
            .unwrap_or_default()
    };
    assert_eq!(
        (pressed_after(0).as_str(), pressed_after(1).as_str()),
        ("false", "true")
    );
    let explanation = el
        .query_selector("[data-testid=explanation] a.term")
        .ok()
        .flatten();
    assert!(
        explanation.is_some(),
        "the explanation links a glossary term"
    );
}

#[wasm_bindgen_test]
async fn yielding_lets_pending_tasks_run_then_resumes() {
    // A timer task queued before the yields must have run by the time they return: the loader
    // really gives the event loop a turn between slices.
    let ran = Rc::new(std::cell::Cell::new(false));
    let flag = ran.clone();
    let cb = wasm_bindgen::closure::Closure::once_into_js(move || flag.set(true));
    let window = web_sys::window().expect("window");
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0);
    for _ in 0..50 {
        if ran.get() {
            break;
        }
        loupe::web::dom::yield_now().await;
    }
    assert!(ran.get(), "a queued timer ran during the yields");
}
