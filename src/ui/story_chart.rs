//! One step's live chart in a story: the view drawn on a canvas through the same path as the
//! explorer's chart (the query service's chart table, `chart::render_with`, the one-sentence
//! summary), with the chart's data as a table on demand. It has no controls and ids of its
//! own (a story shows several charts in one page, the explorer's panel assumes one).
//!
//! What must stay true: the canvas keeps `data-testid="chart"`, an `aria-label` with the
//! summary sentence, and the same sentence as text beside it; `on_drawn` is called once the
//! canvas has been drawn (or the chart has failed with a sentence), for `data-loupe="ready"`.

use std::rc::Rc;

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use yew::prelude::*;

use super::chart_panel::locale;
use crate::chart::figure::{figure_of, Figure};
use crate::chart::{self, ChartSpec, Meaning, Theme};
use crate::core::query::QueryResult;
use crate::core::Dataset;
use crate::state::service::{Answer, LocalEngine, Request};
use crate::state::view::{chart_meaning, ColumnNotes};
use crate::state::{Lang, ViewSpec};

/// A dataset compared by pointer (a table of a million rows is never compared cell by cell).
#[derive(Clone)]
pub struct DataRef(pub Rc<Dataset>);

impl PartialEq for DataRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct StepChartProps {
    pub data: DataRef,
    pub view: ViewSpec,
    pub notes: ColumnNotes,
    pub lang: Lang,
    /// Unique in the page: the ids of the chart's elements derive from it.
    pub id: String,
    pub on_drawn: Callback<()>,
}

fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    width: u32,
    spec: &ChartSpec,
    table: &QueryResult,
    meaning: &Meaning,
    lang: Lang,
) {
    // As in the explorer: a shorter chart on a phone. A ranking of a few bars is only as tall
    // as its bars need (36 px a bar and 90 px of margins, the explorer's proportions), so that
    // a step of seven bars is not half white.
    let height = if width < 600 { 340 } else { 420 };
    let height = if spec.kind == chart::ChartKind::Ranking {
        (table.rows.len() as u32 * 36 + 90).clamp(220, height)
    } else {
        height
    };
    canvas.set_width(width);
    canvas.set_height(height);
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let area = backend.into_drawing_area();
    let _ = area.fill(&WHITE);
    let theme = Theme {
        locale: locale(lang),
        ..Theme::default()
    };
    let _ = chart::render_with(spec, table, meaning, &area, &theme);
    let _ = area.present();
}

#[component]
pub fn StepChart(props: &StepChartProps) -> Html {
    let canvas_ref = use_node_ref();
    let engine = use_memo((), |_| LocalEngine::new());
    let width = super::hooks::use_canvas_width();
    let resize_tick = width.tick;

    let lang = props.lang;
    let ds = &props.data.0;
    let view = &props.view;
    // As the explorer: a measure that must not be summed is averaged.
    let charted = view.charted(&chart_meaning(ds, view, &props.notes));
    let meaning = chart_meaning(ds, &charted, &props.notes);
    // One engine per step and one dataset per engine: the generation is constant.
    let answer = engine.answer(ds, 1, &Request::chart(&charted));
    let table: Option<Result<&QueryResult, String>> = match answer.as_ref() {
        Ok(Answer::Table(t)) => Some(Ok(t)),
        Ok(_) => None,
        Err(e) => Some(Err(e.text(lang == Lang::Fr))),
    };
    {
        let canvas_ref = canvas_ref.clone();
        let answer = answer.clone();
        let spec = view.chart.clone();
        let on_drawn = props.on_drawn.clone();
        use_effect_with(
            (Rc::as_ptr(&answer) as usize, spec, resize_tick, lang),
            move |(_, spec, _, lang)| {
                if let (Some(canvas), Ok(Answer::Table(t))) = (
                    canvas_ref.cast::<web_sys::HtmlCanvasElement>(),
                    answer.as_ref(),
                ) {
                    draw(&canvas, width.of(&canvas), spec, t, &meaning, *lang);
                }
                on_drawn.emit(());
            },
        );
    }
    let summary = match &table {
        Some(Ok(t)) => chart::summary(&view.chart, t, &meaning, locale(lang)),
        Some(Err(e)) => e.clone(),
        None => String::new(),
    };
    let figures: Vec<Figure> = match &table {
        Some(Ok(t)) => t
            .columns
            .iter()
            .map(|c| {
                if view.chart.y.as_deref() == Some(c.name.as_str()) {
                    meaning.figure
                } else {
                    figure_of(&c.name, c.ty, props.notes.get(&c.name))
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    html! {
        <div class="story-chart">
            <div class="chart-box" data-testid="chart-box">
                <canvas ref={canvas_ref} data-testid="chart" role="img" aria-label={summary.clone()}></canvas>
            </div>
            <p class="chart-summary" data-testid="chart-summary">{ summary }</p>
            if let Some(Ok(t)) = &table {
                { super::chart_panel::chart_data_table(t, &figures, lang, Some(format!("{}-table", props.id))) }
            }
        </div>
    }
}
