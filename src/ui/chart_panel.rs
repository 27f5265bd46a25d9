//! The chart: controls (kind, category, measure, aggregate), the plotters drawing on a canvas
//! with hover values, a one-sentence summary, the chart's data as an accessible table, and
//! exports (CSV standard / Excel FR, PNG, SVG).

use std::rc::Rc;

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{view_parts, AppContext};
use crate::chart::figure::{cell_text, figure_of, Figure};
use crate::chart::{self, ChartKind, ChartLayout, ChartSpec, Meaning, Theme};
use crate::core::export::{result_to_csv, CsvFlavor};
use crate::core::query::{AggOp, QueryResult};
use crate::core::ColumnType;
use crate::state::i18n::trf;
use crate::state::service::Request;
use crate::state::view::{chart_meaning, ColumnNotes};
use crate::state::{tr, Action, Lang, Msg};
use crate::web::dom;

/// An integer in the interface's language (`12 345` in French, `12,345` in English).
pub fn int_text(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Fr => chart::format::fr_number(n as f64, 0),
        Lang::En => chart::format::en_number(n as f64, 0),
    }
}

/// The chart conventions of the interface's language.
pub fn locale(lang: Lang) -> chart::Locale {
    match lang {
        Lang::Fr => chart::Locale::Fr,
        Lang::En => chart::Locale::En,
    }
}

/// What the chart of `view` means on the open data (how its measure is aggregated and
/// written, whether it adds up); the default meaning when no data is open.
pub fn view_meaning(
    data: &Option<Rc<crate::core::Dataset>>,
    view: &crate::state::ViewSpec,
    notes: &ColumnNotes,
) -> crate::chart::Meaning {
    data.as_ref()
        .map(|ds| chart_meaning(ds, view, notes))
        .unwrap_or_default()
}

/// What the open dataset's documentation says about its columns (rates, measures that do not
/// add up); empty for a file that is not in the catalogue.
pub fn column_notes(ctx: &Option<AppContext>) -> ColumnNotes {
    ctx.as_ref()
        .and_then(|c| c.state().source.as_ref())
        .and_then(|s| s.entry.as_ref())
        .map(|e| e.columns.clone())
        .unwrap_or_default()
}

/// A change to the view made from a select's value.
pub(super) type ViewEdit = Rc<dyn Fn(&mut crate::state::ViewSpec, String)>;

/// A select's `change` that edits the view with `f` (given the selected value).
pub(super) fn on_select(
    ctx: &AppContext,
    view: &crate::state::ViewSpec,
    f: ViewEdit,
) -> Callback<Event> {
    let ctx = ctx.clone();
    let view = view.clone();
    Callback::from(move |e: Event| {
        let Some(sel) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        else {
            return;
        };
        let mut v = view.clone();
        f(&mut v, sel.value());
        ctx.dispatch(Action::SetView(v));
    })
}

/// The numbers of a chart as a table, folded under the chart (the first 200 rows), each cell
/// written as the chart writes it (`figures`, one per column). `id`: the table's element id.
pub(super) fn chart_data_table(
    t: &QueryResult,
    figures: &[Figure],
    lang: Lang,
    id: Option<String>,
) -> Html {
    html! {
        <details class="chart-data">
            <summary>{ tr(lang, Msg::ChartDataTable) }</summary>
            <div class="table-scroll">
                <table class="table" data-testid="chart-data-table" id={id}>
                    <caption>{ tr(lang, Msg::ChartDataTable) }</caption>
                    <thead><tr>{ for t.columns.iter().map(|c| html!{ <th scope="col">{ c.name.clone() }</th> }) }</tr></thead>
                    <tbody>
                        { for t.rows.iter().take(200).map(|r| html!{
                            <tr>{ for r.iter().zip(figures).map(|(v, f)| html!{ <td class={if v.as_f64().is_some() && *f != Figure::Code { "num" } else { "" }}>{ cell_text(v, *f, locale(lang)) }</td> }) }</tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </details>
    }
}

const KINDS: [(ChartKind, Msg); 9] = [
    (ChartKind::Map, Msg::KindMap),
    (ChartKind::Ranking, Msg::KindRanking),
    (ChartKind::Bar, Msg::KindBar),
    (ChartKind::Line, Msg::KindLine),
    (ChartKind::StackedBar, Msg::KindStackedBar),
    (ChartKind::Treemap, Msg::KindTreemap),
    (ChartKind::Histogram, Msg::KindHistogram),
    (ChartKind::Scatter, Msg::KindScatter),
    (ChartKind::BigNumber, Msg::KindBigNumber),
];

const AGGS: [(AggOp, Msg); 6] = [
    (AggOp::Sum, Msg::AggSum),
    (AggOp::Mean, Msg::Mean),
    (AggOp::Median, Msg::AggMedian),
    (AggOp::Min, Msg::Min),
    (AggOp::Max, Msg::Max),
    (AggOp::CountDistinct, Msg::AggDistinctCount),
];

fn kind_id(k: &ChartKind) -> &'static str {
    match k {
        ChartKind::Bar => "bar",
        ChartKind::Ranking => "ranking",
        ChartKind::Line => "line",
        ChartKind::StackedBar => "stacked_bar",
        ChartKind::Histogram => "histogram",
        ChartKind::Scatter => "scatter",
        ChartKind::Treemap => "treemap",
        ChartKind::BigNumber => "big_number",
        ChartKind::Map => "map",
    }
}

fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    width: u32,
    spec: &ChartSpec,
    table: &QueryResult,
    meaning: &Meaning,
    lang: Lang,
) -> Option<ChartLayout> {
    let height = if width < 600 { 340 } else { 440 };
    canvas.set_width(width);
    canvas.set_height(height);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let area = backend.into_drawing_area();
    let _ = area.fill(&WHITE);
    let theme = Theme {
        locale: locale(lang),
        ..Theme::default()
    };
    let layout = chart::render_with(spec, table, meaning, &area, &theme).ok();
    let _ = area.present();
    layout
}

#[derive(Properties, PartialEq)]
pub struct ChartPanelProps {
    /// Show the chart controls (kind, category, measure, aggregate).
    pub controls: bool,
    /// Show the export buttons.
    pub export: bool,
}

#[component]
pub fn ChartPanel(props: &ChartPanelProps) -> Html {
    let ctx = use_context::<AppContext>();
    let canvas_ref = use_node_ref();
    let layout = use_state(|| None::<Rc<ChartLayout>>);
    let tooltip = use_state(|| None::<(f64, f64, String)>);
    let width = super::hooks::use_canvas_width();
    let resize_tick = width.tick;
    let tooltip_ref = use_node_ref();
    // Position the tooltip through the CSS object model (strict CSP forbids style attributes).
    super::hooks::use_tooltip_position(&tooltip_ref, (*tooltip).as_ref().map(|(x, y, _)| (*x, *y)));

    let (data, view, _, lang) = view_parts(&ctx);
    let notes = column_notes(&ctx);
    // The chart never sums what does not add up: a rate summed by the view is averaged.
    let charted = view.charted(&view_meaning(&data, &view, &notes));
    let meaning = view_meaning(&data, &charted, &notes);
    // The chart's own inputs only: sorting the table or changing the pivot reuses this answer.
    let table = super::ask(&ctx, &Request::chart(&charted));

    {
        let canvas_ref = canvas_ref.clone();
        let layout = layout.clone();
        let table = table.clone();
        let spec = view.chart.clone();
        use_effect_with(
            (table.clone(), spec.clone(), meaning, resize_tick, lang),
            move |_| {
                if let (Some(canvas), Some(Ok(t))) = (
                    canvas_ref.cast::<web_sys::HtmlCanvasElement>(),
                    super::table_of(&table),
                ) {
                    layout.set(
                        draw(&canvas, width.of(&canvas), &spec, t, &meaning, lang).map(Rc::new),
                    );
                }
            },
        );
    }

    let Some(ctx) = ctx else { return html! {} };
    let Some(ds) = data else { return html! {} };

    let set_view = |f: ViewEdit| on_select(&ctx, &view, f);
    let on_kind = {
        let ds = ds.clone();
        set_view(Rc::new(move |v, s| {
            if let Some((k, _)) = KINDS.iter().find(|(k, _)| kind_id(k) == s) {
                v.set_chart_kind(k.clone(), &ds);
            }
        }))
    };
    let kinds = crate::state::view::applicable_kinds(&ds);
    let on_x = set_view(Rc::new(|v, s| v.chart.x = (!s.is_empty()).then_some(s)));
    let on_y = set_view(Rc::new(|v, s| {
        v.chart.y = (!s.is_empty()).then_some(s);
        v.chart.unit = None;
    }));
    let on_series = set_view(Rc::new(|v, s| {
        v.chart.series = (!s.is_empty()).then_some(s)
    }));
    let on_agg = set_view(Rc::new(|v, s| {
        if let Some((a, _)) = AGGS.iter().find(|(a, _)| format!("{a:?}") == s) {
            v.agg = *a;
        }
    }));

    let on_move = {
        let layout = layout.clone();
        let tooltip = tooltip.clone();
        Callback::from(move |e: MouseEvent| {
            let (x, y) = (e.offset_x(), e.offset_y());
            // Thin marks (points, slim bars) get a few pixels of slack so they can be hit.
            let hit = layout.as_ref().and_then(|l| {
                l.marks.iter().find(|m| {
                    x >= m.x - 3
                        && x <= m.x + m.w.max(3) + 3
                        && y >= m.y - 3
                        && y <= m.y + m.h.max(3) + 3
                })
            });
            tooltip.set(hit.map(|m| {
                (
                    f64::from(x),
                    f64::from(y),
                    trf(lang, Msg::LabelValue, &[&m.label, &m.formatted]),
                )
            }));
        })
    };
    let on_leave = {
        let tooltip = tooltip.clone();
        Callback::from(move |_| tooltip.set(None))
    };

    let export_csv = |flavor: CsvFlavor, suffix: &'static str| {
        let table = table.clone();
        Callback::from(move |_| {
            if let Some(Ok(t)) = super::table_of(&table) {
                let _ = dom::download(
                    &format!("loupe-graphique{suffix}.csv"),
                    "text/csv;charset=utf-8",
                    &result_to_csv(t, flavor),
                );
            }
        })
    };
    let export_svg = {
        let table = table.clone();
        let spec = view.chart.clone();
        Callback::from(move |_| {
            if let Some(Ok(t)) = super::table_of(&table) {
                if let Ok(svg) = chart::render_svg_with(&spec, t, &meaning, 1000, 600) {
                    let _ = dom::download("loupe-graphique.svg", "image/svg+xml", svg.as_bytes());
                }
            }
        })
    };
    let export_png = {
        let canvas_ref = canvas_ref.clone();
        Callback::from(move |_| {
            if let Some(canvas) = canvas_ref.cast::<web_sys::HtmlCanvasElement>() {
                if let Ok(url) = canvas.to_data_url() {
                    let _ = dom::download_url("loupe-graphique.png", &url);
                }
            }
        })
    };

    let text_columns: Vec<String> = ds
        .columns
        .iter()
        .filter(|c| c.column_type() != ColumnType::Float || c.key.is_some())
        .map(|c| c.name.clone())
        .collect();
    let numeric_columns: Vec<String> = ds
        .columns
        .iter()
        .filter(|c| c.column_type().is_numeric() && c.key.is_none())
        .map(|c| c.name.clone())
        .collect();
    let summary = match super::table_of(&table) {
        Some(Ok(t)) => chart::summary(&view.chart, t, &meaning, locale(lang)),
        Some(Err(e)) => e.text(lang == Lang::Fr),
        None => String::new(),
    };
    // The portal gives the first rows, not rows spread evenly as the browser reads them.
    let first_rows_only = match (&view.chart.kind, super::table_of(&table)) {
        (ChartKind::Histogram | ChartKind::Scatter, Some(Ok(t)))
            if ctx.state().portal_engine().is_some()
                && t.rows.len()
                    >= crate::state::service::remote::raw_values_limit(&view.chart.kind) =>
        {
            Some(t.rows.len())
        }
        _ => None,
    };
    let kind = kind_id(&view.chart.kind);
    // A rate or a measure documented as not adding up is never offered a sum.
    let sums = meaning.additive && !meaning.figure.is_rate();
    // How each column of the chart's data is written: the measure as the chart writes it,
    // codes and years as stored.
    let figures: Vec<Figure> = match super::table_of(&table) {
        Some(Ok(t)) => t
            .columns
            .iter()
            .map(|c| {
                if view.chart.y.as_deref() == Some(c.name.as_str()) {
                    meaning.figure
                } else {
                    figure_of(&c.name, c.ty, notes.get(&c.name))
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let option = |name: &String, current: &Option<String>| {
        html! { <option value={name.clone()} selected={current.as_deref() == Some(name.as_str())}>{ name.clone() }</option> }
    };

    html! {
        <section class="panel chart-panel" aria-labelledby="chart-heading">
            <h2 id="chart-heading">{ tr(lang, Msg::Chart) }</h2>
            if props.controls {
            <div class="controls">
                <div class="field">
                    <label for="chart-kind">{ tr(lang, Msg::ChartKind) }</label>
                    <select id="chart-kind" class="select" onchange={on_kind} data-testid="chart-kind">
                        { for KINDS.iter().filter(|(k, _)| kinds.contains(k)).map(|(k, m)| html!{
                            <option value={kind_id(k)} selected={kind == kind_id(k)}>{ tr(lang, *m) }</option>
                        }) }
                    </select>
                </div>
                if !matches!(view.chart.kind, ChartKind::Histogram | ChartKind::BigNumber) {
                    <div class="field">
                        <label for="chart-x">{ tr(lang, Msg::Category) }</label>
                        <select id="chart-x" class="select" onchange={on_x} data-testid="chart-x">
                            { for text_columns.iter().map(|n| option(n, &view.chart.x)) }
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="chart-y">{ tr(lang, Msg::Measure) }</label>
                    <select id="chart-y" class="select" onchange={on_y} data-testid="chart-y">
                        <option value="" selected={view.chart.y.is_none()}>{ tr(lang, Msg::CountOfRows) }</option>
                        { for numeric_columns.iter().map(|n| option(n, &view.chart.y)) }
                    </select>
                </div>
                if view.chart.y.is_some() && !matches!(view.chart.kind, ChartKind::Histogram | ChartKind::Scatter) {
                    <div class="field">
                        <label for="chart-agg">{ tr(lang, Msg::Aggregate) }</label>
                        <select id="chart-agg" class="select" onchange={on_agg} data-testid="chart-agg">
                            { for AGGS.iter().filter(|(a, _)| *a != AggOp::Sum || sums).map(|(a, m)| html!{
                                <option value={format!("{a:?}")} selected={charted.agg == *a}>{ tr(lang, *m) }</option>
                            }) }
                        </select>
                    </div>
                }
                if view.chart.kind == ChartKind::StackedBar {
                    <div class="field">
                        <label for="chart-series">{ tr(lang, Msg::Series) }</label>
                        <select id="chart-series" class="select" onchange={on_series}>
                            <option value="" selected={view.chart.series.is_none()}>{ "—" }</option>
                            { for text_columns.iter().map(|n| option(n, &view.chart.series)) }
                        </select>
                    </div>
                }
            </div>
            }
            if view.chart.kind == ChartKind::Map {
                <super::map_view::MapView controls={props.controls} export={props.export} />
            } else {
            <div class="chart-box" data-testid="chart-box">
                <canvas ref={canvas_ref} data-testid="chart" role="img" aria-label={summary.clone()}
                    onmousemove={on_move.clone()} onclick={on_move} onmouseleave={on_leave}></canvas>
                if let Some((_, _, text)) = (*tooltip).clone() {
                    <div class="tooltip" role="tooltip" ref={tooltip_ref.clone()} data-testid="chart-tooltip">{ text }</div>
                }
            </div>
            if table.is_none() {
                <p class="small" role="status" aria-busy="true" data-testid="pending">{ tr(lang, Msg::PortalComputing) }</p>
            }
            if let Some(n) = first_rows_only {
                <p class="small" data-testid="first-rows-only">{ trf(lang, Msg::PortalFirstRows, &[&int_text(n as i64, lang)]) }</p>
            }
            <p class="chart-summary" data-testid="chart-summary">{ summary }</p>
            if props.export {
            <div class="export-row">
                <span class="small">{ trf(lang, Msg::LabelColon, &[tr(lang, Msg::Export)]) }</span>
                <button type="button" class="btn btn-secondary btn-sm" data-testid="export-csv" onclick={export_csv(CsvFlavor::Standard, "")}>{ tr(lang, Msg::ExportCsv) }</button>
                <button type="button" class="btn btn-secondary btn-sm" data-testid="export-csv-fr" onclick={export_csv(CsvFlavor::ExcelFr, "-excel-fr")}>{ tr(lang, Msg::ExportCsvFr) }</button>
                <button type="button" class="btn btn-secondary btn-sm" data-testid="export-png" onclick={export_png}>{ tr(lang, Msg::ExportPng) }</button>
                <button type="button" class="btn btn-secondary btn-sm" data-testid="export-svg" onclick={export_svg}>{ tr(lang, Msg::ExportSvg) }</button>
            </div>
            }
            if let Some(Ok(t)) = super::table_of(&table) {
                { chart_data_table(t, &figures, lang, None) }
            }
            }
        </section>
    }
}
