//! Aggregate and pivot (power users): group by one or more columns with any of the engine's
//! aggregates and a top-N with an "Autres" row; a two-dimensional pivot with totals. Both
//! tables can be exported as CSV.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::chart_panel::column_notes;
use super::{view_parts, AppContext, Request};
use crate::core::query::{AggOp, Aggregate, Pivot};
use crate::core::ColumnType;
use crate::state::i18n::trf;
use crate::state::view::GroupSpec;
use crate::state::{tr, Action, Lang, Msg};

const OPS: [(AggOp, Msg); 8] = [
    (AggOp::Count, Msg::AggRowCount),
    (AggOp::Sum, Msg::AggSum),
    (AggOp::Mean, Msg::Mean),
    (AggOp::Median, Msg::AggMedian),
    (AggOp::Min, Msg::Min),
    (AggOp::Max, Msg::Max),
    (AggOp::Share, Msg::AggShare),
    (AggOp::CountDistinct, Msg::AggDistinctValues),
];

fn op_id(op: AggOp) -> String {
    format!("{op:?}")
}

fn select_value(e: &Event) -> Option<web_sys::HtmlSelectElement> {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
}

/// What a result panel shows under its controls: the table answered, an error, a hint, or
/// while the portal or the worker computes it, a status line above the last table answered
/// (dimmed, named `<testid>-stale` so that nothing takes it for the new one).
#[allow(clippy::too_many_arguments)]
fn result_area(
    answer: &Option<crate::state::service::Shared>,
    last: (Option<(crate::state::service::Shared, ())>, bool),
    pending: bool,
    hint: Msg,
    ctx: &Option<AppContext>,
    caption: &'static str,
    lang: Lang,
    (testid, stale_testid, file): (&'static str, &'static str, &'static str),
) -> Html {
    if let Some(Err(e)) = super::table_of(answer) {
        return html! { <p class="alert alert-error" role="alert" data-testid="query-error">{ e.text(lang == Lang::Fr) }</p> };
    }
    let (shown, fresh) = last;
    let table = shown.filter(|_| fresh || pending).map(|(a, ())| a);
    html! {
        <>
            if pending {
                <p class="small" role="status" aria-busy="true" data-testid="pending">{ tr(lang, Msg::PortalComputing) }</p>
            }
            if let Some(answer) = table {
                <div class={classes!("result", (!fresh).then_some("result-stale"))} aria-busy={(!fresh).then_some("true")}>
                    <super::result_table::ResultTable {answer} notes={column_notes(ctx)} {caption} {lang}
                        testid={if fresh { testid } else { stale_testid }} {file} />
                </div>
            } else if !pending {
                <p class="small">{ tr(lang, hint) }</p>
            }
        </>
    }
}

#[component]
pub fn GroupPanel() -> Html {
    let ctx = use_context::<AppContext>();
    let (data, view, generation, lang) = view_parts(&ctx);
    let ctx_opt = ctx.clone();
    // Recomputed only when the grouping or the filters change (the service caches the rest).
    let asked = view.group_query().is_some();
    let answer = view
        .group_query()
        .and_then(|query| super::ask(&ctx, &Request::Query { query }));
    let last = super::answers::use_last_table(generation, &answer, ());
    // Asked but not answered yet: the portal is computing it.
    let pending = asked && answer.is_none();
    let (Some(ctx), Some(ds)) = (ctx, data) else {
        return html! {};
    };
    let group = view.group.clone();
    let set_group = |f: fn(&mut GroupSpec, &web_sys::HtmlSelectElement)| {
        let ctx = ctx.clone();
        let view = view.clone();
        Callback::from(move |e: Event| {
            let Some(sel) = select_value(&e) else { return };
            let mut v = view.clone();
            f(&mut v.group, &sel);
            ctx.dispatch(Action::SetView(v));
        })
    };
    let on_by = set_group(|g, sel| {
        let opts = sel.selected_options();
        g.by = (0..opts.length())
            .filter_map(|i| opts.item(i))
            .filter_map(|o| o.get_attribute("value"))
            .collect();
    });
    let on_measure = set_group(|g, sel| {
        let col = sel.value();
        let op = g.aggregates.first().map_or(AggOp::Sum, |a| a.op);
        g.aggregates = if col.is_empty() {
            vec![]
        } else {
            vec![
                Aggregate {
                    op,
                    column: Some(col.clone()),
                    alias: None,
                },
                Aggregate {
                    op: AggOp::Count,
                    column: None,
                    alias: Some("n".into()),
                },
            ]
        };
    });
    let on_op = set_group(|g, sel| {
        let value = sel.value();
        if let Some((op, _)) = OPS.iter().find(|(o, _)| op_id(*o) == value) {
            if let Some(first) = g.aggregates.first_mut() {
                first.op = *op;
                first.alias = None;
            }
        }
    });
    let on_top = set_group(|g, sel| {
        g.limit = sel.value().parse::<usize>().ok().filter(|n| *n > 0);
        g.others = g.limit.is_some();
    });
    let measure = group
        .aggregates
        .first()
        .and_then(|a| a.column.clone())
        .unwrap_or_default();
    let op = group.aggregates.first().map_or(AggOp::Sum, |a| a.op);
    let numeric: Vec<String> = ds
        .columns
        .iter()
        .filter(|c| c.column_type().is_numeric())
        .map(|c| c.name.clone())
        .collect();
    html! {
        <section class="panel" aria-labelledby="group-heading">
            <h2 id="group-heading">{ tr(lang, Msg::GroupHeading) }</h2>
            <div class="controls">
                <div class="field">
                    <label for="group-by">{ tr(lang, Msg::GroupByMany) }</label>
                    <select id="group-by" class="select select-multi" multiple=true size="4" onchange={on_by} data-testid="group-by">
                        { for ds.columns.iter().filter(|c| c.column_type() != ColumnType::Float).map(|c| html!{
                            <option value={c.name.clone()} selected={group.by.contains(&c.name)}>{ c.name.clone() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="group-measure">{ tr(lang, Msg::Measure) }</label>
                    <select id="group-measure" class="select" onchange={on_measure} data-testid="group-measure">
                        <option value="" selected={measure.is_empty()}>{ tr(lang, Msg::CountOfRows) }</option>
                        { for numeric.iter().map(|n| html!{ <option value={n.clone()} selected={*n == measure}>{ n.clone() }</option> }) }
                    </select>
                </div>
                if !measure.is_empty() {
                    <div class="field">
                        <label for="group-op">{ tr(lang, Msg::Aggregate) }</label>
                        <select id="group-op" class="select" onchange={on_op} data-testid="group-op">
                            { for OPS.iter().skip(1).map(|(o, m)| html!{ <option value={op_id(*o)} selected={*o == op}>{ tr(lang, *m) }</option> }) }
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="group-top">{ tr(lang, Msg::KeepTop) }</label>
                    <select id="group-top" class="select" onchange={on_top} data-testid="group-top">
                        { for [0usize, 5, 10, 20, 50].iter().map(|n| html!{
                            <option value={n.to_string()} selected={group.limit.unwrap_or(0) == *n}>{ if *n == 0 { tr(lang, Msg::KeepAll).to_string() } else { format!("{n} + {}", tr(lang, Msg::Others)) } }</option>
                        }) }
                    </select>
                </div>
            </div>
            { result_area(&answer, last, pending, Msg::GroupHint, &ctx_opt, tr(lang, Msg::GroupedTable), lang, ("group-table", "group-table-stale", "loupe-regroupement")) }
        </section>
    }
}

#[component]
pub fn PivotPanel() -> Html {
    let ctx = use_context::<AppContext>();
    let (data, view, generation, lang) = view_parts(&ctx);
    let ctx_opt = ctx.clone();
    let asked = view.pivot_query().is_some();
    let answer = view
        .pivot_query()
        .and_then(|query| super::ask(&ctx, &Request::Query { query }));
    let last = super::answers::use_last_table(generation, &answer, ());
    // Asked but not answered yet: the portal is computing it.
    let pending = asked && answer.is_none();
    let (Some(ctx), Some(ds)) = (ctx, data) else {
        return html! {};
    };
    let pivot = view.pivot.clone();
    let set = |field: &'static str| {
        let ctx = ctx.clone();
        let view = view.clone();
        let first_text = ds
            .columns
            .iter()
            .find(|c| c.column_type() == ColumnType::Text)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        Callback::from(move |e: Event| {
            let Some(sel) = select_value(&e) else { return };
            let value = sel.value();
            let mut v = view.clone();
            let mut p = v.pivot.clone().unwrap_or(Pivot {
                rows: first_text.clone(),
                columns: first_text.clone(),
                value: Aggregate {
                    op: AggOp::Count,
                    column: None,
                    alias: None,
                },
            });
            match field {
                "rows" => p.rows = value,
                "columns" => p.columns = value,
                "measure" => {
                    p.value.column = (!value.is_empty()).then_some(value);
                    p.value.op = if p.value.column.is_some() {
                        AggOp::Sum
                    } else {
                        AggOp::Count
                    };
                }
                _ => {}
            }
            v.pivot = (!p.rows.is_empty() && !p.columns.is_empty()).then_some(p);
            ctx.dispatch(Action::SetView(v));
        })
    };
    let keys: Vec<String> = ds
        .columns
        .iter()
        .filter(|c| c.column_type() != ColumnType::Float)
        .map(|c| c.name.clone())
        .collect();
    let numeric: Vec<String> = ds
        .columns
        .iter()
        .filter(|c| c.column_type().is_numeric())
        .map(|c| c.name.clone())
        .collect();
    let current = |f: fn(&Pivot) -> Option<String>| pivot.as_ref().and_then(f).unwrap_or_default();
    let rows = current(|p| Some(p.rows.clone()));
    let cols = current(|p| Some(p.columns.clone()));
    let measure = current(|p| p.value.column.clone());
    html! {
        <section class="panel" aria-labelledby="pivot-heading">
            <h2 id="pivot-heading">{ tr(lang, Msg::PivotHeading) }</h2>
            <div class="controls">
                <div class="field"><label for="pivot-rows">{ tr(lang, Msg::PivotRows) }</label>
                    <select id="pivot-rows" class="select" onchange={set("rows")} data-testid="pivot-rows">
                        <option value="" selected={rows.is_empty()}>{ "—" }</option>
                        { for keys.iter().map(|n| html!{ <option value={n.clone()} selected={*n == rows}>{ n.clone() }</option> }) }
                    </select></div>
                <div class="field"><label for="pivot-cols">{ tr(lang, Msg::PivotColumns) }</label>
                    <select id="pivot-cols" class="select" onchange={set("columns")} data-testid="pivot-columns">
                        <option value="" selected={cols.is_empty()}>{ "—" }</option>
                        { for keys.iter().map(|n| html!{ <option value={n.clone()} selected={*n == cols}>{ n.clone() }</option> }) }
                    </select></div>
                <div class="field"><label for="pivot-measure">{ tr(lang, Msg::Measure) }</label>
                    <select id="pivot-measure" class="select" onchange={set("measure")} data-testid="pivot-measure">
                        <option value="" selected={measure.is_empty()}>{ tr(lang, Msg::CountOfRows) }</option>
                        { for numeric.iter().map(|n| html!{ <option value={n.clone()} selected={*n == measure}>{ trf(lang, Msg::PivotSumOf, &[n]) }</option> }) }
                    </select></div>
            </div>
            { result_area(&answer, last, pending, Msg::PivotHint, &ctx_opt, tr(lang, Msg::PivotCaption), lang, ("pivot-table", "pivot-table-stale", "loupe-tableau-croise")) }
        </section>
    }
}
