//! Opening a file from disk in the engine's Web Worker (`web/worker_engine.rs`): big files
//! (see [`crate::state::app::WORKER_MIN_BYTES`]) or any file with `?worker=1`. The page gets
//! the whole file's report and the first rows for the schema; every figure is asked of the
//! worker through the same requests as the portal engine's. A file whose estimated load
//! exceeds the memory budget is not loaded: [`ChoiceDialog`] offers some columns, a filtered
//! subset or a sample (`state/big_file.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::chart_panel::int_text;
use super::{AppContext, OpenRequest, Store};
use crate::core::ingest::{IngestOptions, RowFilter, RowOp};
use crate::state::app::WorkerSource;
use crate::state::big_file::{budget_bytes, partial_text, BigFileChoice};
use crate::state::i18n::trf;
use crate::state::source::size_text;
use crate::state::{tr, Action, Lang, Msg, SourceInfo, ViewSpec};
use crate::web::load::{CancelToken, LoadError};
use crate::web::worker_engine::WorkerEngine;

/// What opening a file in the worker needs from the app.
pub struct Open<'a> {
    pub worker: &'a Rc<WorkerEngine>,
    pub file: &'a web_sys::Blob,
    pub source: SourceInfo,
    pub options: IngestOptions,
    pub budget_mb: Option<u64>,
    /// Workers reading the file at once (`?parts=`).
    pub parts: usize,
    pub dispatcher: UseReducerDispatcher<Store>,
    pub token: &'a CancelToken,
    pub lang: Lang,
    pub pending_view: Rc<RefCell<Option<ViewSpec>>>,
}

/// The device's memory in gigabytes as the browser reports it (`navigator.deviceMemory`).
fn device_gb() -> Option<f64> {
    let nav = web_sys::window()?.navigator();
    js_sys::Reflect::get(&nav, &"deviceMemory".into())
        .ok()?
        .as_f64()
}

/// Loads the file in a fresh worker and shows it; failures are shown as for any load.
pub async fn open(o: Open<'_>) {
    let Open {
        worker,
        file,
        mut source,
        options,
        budget_mb,
        parts,
        dispatcher,
        token,
        lang,
        pending_view,
    } = o;
    // The page renders the load's start (the state changed in the same event) in this task;
    // the worker is started in the next one (a trace of a 1 GB pick: one task of 37-48 ms,
    // the render and starting the worker, with a compile of code run for the first time).
    crate::web::dom::yield_now().await;
    let progress = dispatcher.clone();
    let on_progress = move |p| progress.dispatch(Action::ReportProgress(p));
    let budget = budget_bytes(budget_mb, device_gb());
    match worker
        .load(file, options.clone(), budget, parts, &on_progress, token)
        .await
    {
        Ok(loaded) => {
            if token.is_cancelled() {
                return;
            }
            source.worker = Some(WorkerSource {
                rows: loaded.rows,
                bytes: file.size() as u64,
                partial: partial_text(&loaded.sample.report, lang == Lang::Fr),
                load: loaded.load,
                ms: loaded.ms,
                memory: loaded.memory,
                parts: loaded.parts,
            });
            dispatcher.dispatch(Action::StartLoading {
                source: Box::new(source),
                options,
            });
            let view = pending_view.borrow_mut().take();
            dispatcher.dispatch(Action::FinishLoading {
                data: Rc::new(loaded.sample),
                view,
            });
        }
        Err(LoadError::Cancelled) => {}
        Err(LoadError::Exceeds(estimate)) if !token.is_cancelled() => {
            dispatcher.dispatch(Action::OfferChoice(Box::new(BigFileChoice {
                label: source.label.clone(),
                size: file.size() as u64,
                budget,
                estimate: *estimate,
            })));
        }
        Err(e) => {
            if !token.is_cancelled() {
                dispatcher.dispatch(Action::FailLoading(e.text(&source.label, lang)));
            }
        }
    }
}

/// How the user chose to cut the file.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Columns,
    Filter,
    Sample,
}

/// The offer made when a file would not fit: some columns (with the size of each and of the
/// choice), the rows matching a simple filter, or a sample; then "Load" reads the file again
/// in the worker with that choice.
#[component]
pub fn ChoiceDialog() -> Html {
    let ctx = use_context::<AppContext>();
    match ctx.as_ref().and_then(|c| c.state().choice.clone()) {
        Some(choice) => html! { <ChoiceForm {choice} /> },
        None => html! {},
    }
}

#[derive(Properties, PartialEq)]
struct ChoiceProps {
    choice: Rc<BigFileChoice>,
}

/// The form of one offer (its state starts afresh with each offer).
#[component]
fn ChoiceForm(props: &ChoiceProps) -> Html {
    let ctx = use_context::<AppContext>();
    let choice = Some(props.choice.clone());
    let mode = use_state(|| Mode::Columns);
    // The columns kept: the largest are left out until the choice fits.
    let kept = {
        let choice = choice.clone();
        use_state(move || {
            let Some(c) = choice else { return Vec::new() };
            let mut cols: Vec<String> = c.columns().into_iter().map(|(n, ..)| n).collect();
            while cols.len() > 1
                && c.columns_bytes(&cols.iter().map(String::as_str).collect::<Vec<_>>()) as f64
                    > c.budget
            {
                cols.remove(0);
            }
            cols
        })
    };
    let filter = use_state(|| (String::new(), RowOp::Equals, String::new()));
    let sample = {
        let choice = choice.clone();
        use_state(move || choice.and_then(|c| c.sample_that_fits()).unwrap_or(10))
    };
    let (Some(ctx), Some(choice)) = (ctx, choice) else {
        return html! {};
    };
    let lang = ctx.state().lang;
    let fr = lang == Lang::Fr;
    let size = |b: f64| size_text(b, fr);
    let columns = choice.columns();
    let kept_refs: Vec<&str> = kept.iter().map(String::as_str).collect();
    let kept_bytes = choice.columns_bytes(&kept_refs) as f64;
    let sample_bytes = choice.estimate.for_sample(*sample) as f64;
    let fits = match *mode {
        Mode::Columns => !kept.is_empty() && kept_bytes <= choice.budget,
        Mode::Filter => !filter.0.is_empty() && !filter.2.trim().is_empty(),
        Mode::Sample => sample_bytes <= choice.budget,
    };
    let toggle = |name: String| {
        let kept = kept.clone();
        Callback::from(move |_: Event| {
            let mut k = (*kept).clone();
            match k.iter().position(|n| *n == name) {
                Some(i) => {
                    k.remove(i);
                }
                None => k.push(name.clone()),
            }
            kept.set(k);
        })
    };
    let set_mode = |m: Mode| {
        let mode = mode.clone();
        Callback::from(move |_: Event| mode.set(m))
    };
    let on_filter_column = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let (_, op, v) = (*filter).clone();
            filter.set((crate::web::dom::event_value(&e), op, v));
        })
    };
    let on_filter_op = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let (c, _, v) = (*filter).clone();
            let op = match crate::web::dom::event_value(&e).as_str() {
                "contains" => RowOp::Contains,
                "starts_with" => RowOp::StartsWith,
                _ => RowOp::Equals,
            };
            filter.set((c, op, v));
        })
    };
    let on_filter_value = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            let (c, op, _) = (*filter).clone();
            filter.set((c, op, crate::web::dom::event_value(&e)));
        })
    };
    let on_sample = {
        let sample = sample.clone();
        Callback::from(move |e: Event| {
            if let Ok(k) = crate::web::dom::event_value(&e).trim().parse::<usize>() {
                sample.set(k.clamp(2, 1_000_000));
            }
        })
    };
    let on_load = {
        let ctx = ctx.clone();
        let (mode, kept, filter, sample) =
            (mode.clone(), kept.clone(), filter.clone(), sample.clone());
        let order: Vec<String> = choice
            .estimate
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect();
        Callback::from(move |_: MouseEvent| {
            if ctx.last_file.borrow().is_none() {
                return;
            }
            let mut options = ctx.state().options.clone();
            match *mode {
                // In the file's order.
                Mode::Columns => {
                    options.columns =
                        Some(order.iter().filter(|n| kept.contains(n)).cloned().collect())
                }
                Mode::Filter => {
                    options.row_filter = Some(RowFilter {
                        column: filter.0.clone(),
                        op: filter.1,
                        value: filter.2.trim().to_string(),
                    })
                }
                Mode::Sample => options.sample_every = Some(*sample),
            }
            ctx.open.emit(OpenRequest::BigFile(options));
        })
    };
    let close = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::CloseChoice))
    };
    let rows_text = |n: u64| int_text(n as i64, lang);
    html! {
        <section class="panel big-file-choice" role="dialog" aria-labelledby="choice-heading" data-testid="big-file-choice">
            <h2 id="choice-heading">{ tr(lang, Msg::ChoiceHeading) }</h2>
            <p>{ trf(lang, Msg::ChoiceIntro, &[&choice.label, &size(choice.size as f64), &size(choice.estimate.bytes as f64), &size(choice.budget)]) }</p>
            <fieldset class="choice-mode">
                <legend class="sr-only">{ tr(lang, Msg::ChoiceHeading) }</legend>
                <div class="choice-option">
                    <input type="radio" id="choice-columns" name="choice-mode" checked={*mode == Mode::Columns} onchange={set_mode(Mode::Columns)} data-testid="choice-mode-columns" />
                    <label for="choice-columns">{ tr(lang, Msg::ChoiceColumns) }</label>
                </div>
                if *mode == Mode::Columns {
                    <ul class="choice-columns">
                        { for columns.iter().map(|(name, kind, bytes)| {
                            let id = format!("choice-col-{name}");
                            html! {
                                <li>
                                    <input type="checkbox" id={id.clone()} value={name.clone()} checked={kept.contains(name)} onchange={toggle(name.clone())} data-testid="choice-column" />
                                    <label for={id}>{ format!("{name} ({kind}) — {}", size(*bytes as f64)) }</label>
                                </li>
                            }
                        }) }
                    </ul>
                    <p class={classes!("small", (kept_bytes > choice.budget).then_some("notice-error"))} data-testid="choice-total" data-bytes={kept_bytes.to_string()}>
                        { trf(lang, Msg::ChoiceColumnsTotal, &[&size(kept_bytes), &size(choice.budget)]) }
                    </p>
                }
                <div class="choice-option">
                    <input type="radio" id="choice-filter" name="choice-mode" checked={*mode == Mode::Filter} onchange={set_mode(Mode::Filter)} data-testid="choice-mode-filter" />
                    <label for="choice-filter">{ tr(lang, Msg::ChoiceFilter) }</label>
                </div>
                if *mode == Mode::Filter {
                    <div class="input-row choice-filter">
                        <select class="input" aria-label={tr(lang, Msg::DocColumn)} onchange={on_filter_column} data-testid="choice-filter-column">
                            <option value="" selected={filter.0.is_empty()}>{ "—" }</option>
                            { for choice.estimate.columns.iter().map(|c| html! {
                                <option value={c.name.clone()} selected={filter.0 == c.name}>{ c.name.clone() }</option>
                            }) }
                        </select>
                        <select class="input" aria-label={tr(lang, Msg::ChoiceFilter)} onchange={on_filter_op} data-testid="choice-filter-op">
                            <option value="equals" selected={filter.1 == RowOp::Equals}>{ tr(lang, Msg::OpEquals) }</option>
                            <option value="contains" selected={filter.1 == RowOp::Contains}>{ tr(lang, Msg::OpContains) }</option>
                            <option value="starts_with" selected={filter.1 == RowOp::StartsWith}>{ tr(lang, Msg::OpStartsWith) }</option>
                        </select>
                        <input class="input" type="text" aria-label={tr(lang, Msg::Value)} value={filter.2.clone()} oninput={on_filter_value} data-testid="choice-filter-value" />
                    </div>
                    <p class="small">{ tr(lang, Msg::ChoiceFilterHelp) }</p>
                }
                <div class="choice-option">
                    <input type="radio" id="choice-sample" name="choice-mode" checked={*mode == Mode::Sample} onchange={set_mode(Mode::Sample)} data-testid="choice-mode-sample" />
                    <label for="choice-sample">{ trf(lang, Msg::ChoiceSample, &[&int_text(*sample as i64, lang)]) }</label>
                </div>
                if *mode == Mode::Sample {
                    <div class="input-row choice-sample">
                        <input class="input" type="number" min="2" step="1" aria-label={trf(lang, Msg::ChoiceSample, &["k"])} value={sample.to_string()} onchange={on_sample} data-testid="choice-sample-k" />
                        <span class="small" data-testid="choice-sample-size">{ trf(lang, Msg::ChoiceSampleSize, &[&rows_text(choice.estimate.rows.div_ceil(*sample as u64)), &size(sample_bytes)]) }</span>
                    </div>
                }
            </fieldset>
            <div class="input-row">
                <button type="button" class="btn" disabled={!fits} onclick={on_load} data-testid="choice-load">{ tr(lang, Msg::ChoiceLoad) }</button>
                <button type="button" class="btn btn-secondary" onclick={close} data-testid="choice-cancel">{ tr(lang, Msg::Cancel) }</button>
            </div>
        </section>
    }
}
