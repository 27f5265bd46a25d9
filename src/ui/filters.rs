//! Filters: a free-text search, per-column filters by type (values with counts and a search
//! box for text; ranges for numbers and dates; missing values), removable chips, and the live
//! count of matching rows announced to screen readers. Also the column profile card.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::chart_panel::int_text;
use super::data_table::type_label;
use super::{view_parts, AppContext, Request};
use crate::core::query::{Filter, Literal};
use crate::core::ColumnType;
use crate::state::i18n::trf;
use crate::state::service::Answer;
use crate::state::{tr, Action, Lang, Msg};

fn literal_text(l: &Literal) -> String {
    match l {
        Literal::Null => "∅".into(),
        Literal::Bool(b) => b.to_string(),
        Literal::Number(n) => {
            crate::chart::format::fr_number(*n, if n.fract() == 0.0 { 0 } else { 2 })
        }
        Literal::Text(t) => t.clone(),
    }
}

/// A filter as a short sentence for its chip.
pub fn describe(f: &Filter, lang: Lang) -> String {
    let list = |v: &[Literal]| {
        let mut s: Vec<String> = v.iter().take(3).map(literal_text).collect();
        if v.len() > 3 {
            s.push(format!("+{}", v.len() - 3));
        }
        s.join(", ")
    };
    match f {
        Filter::In { column, values } => format!("{column} ∈ {}", list(values)),
        Filter::NotIn { column, values } => format!("{column} ∉ {}", list(values)),
        Filter::Between { column, min, max } => format!(
            "{} ≤ {column} ≤ {}",
            min.as_ref().map_or("…".into(), literal_text),
            max.as_ref().map_or("…".into(), literal_text)
        ),
        Filter::Contains { column, value } => match column.as_deref().filter(|c| *c != "*") {
            Some(c) => trf(lang, Msg::FilterContains, &[c, value]),
            None => trf(lang, Msg::FilterTextContains, &[value]),
        },
        Filter::IsNull { column } => trf(lang, Msg::FilterMissing, &[column]),
        Filter::NotNull { column } => trf(lang, Msg::FilterPresent, &[column]),
    }
}

#[component]
pub fn FilterBar() -> Html {
    let ctx = use_context::<AppContext>();
    let editing = use_state(|| None::<String>);
    let value_search = use_state(String::new);
    let checked = use_state(Vec::<String>::new);
    let range = use_state(|| (String::new(), String::new()));
    let (data, _, _, lang) = view_parts(&ctx);
    let ctx_opt = ctx.clone();
    let (Some(ctx), Some(ds)) = (ctx, data) else {
        return html! {};
    };

    let on_search = {
        let ctx = ctx.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: Option<web_sys::HtmlFormElement> = e.target_dyn_into();
            let value = form
                .and_then(|f| f.elements().named_item("q"))
                .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            if value.trim().is_empty() {
                return;
            }
            ctx.dispatch(Action::AddFilter(Filter::Contains {
                column: None,
                value: value.trim().to_string(),
            }));
        })
    };
    let on_pick_column = {
        let editing = editing.clone();
        let checked = checked.clone();
        let range = range.clone();
        let value_search = value_search.clone();
        Callback::from(move |e: Event| {
            let v = crate::web::dom::event_value(&e);
            checked.set(Vec::new());
            range.set((String::new(), String::new()));
            value_search.set(String::new());
            editing.set((!v.is_empty()).then_some(v));
        })
    };

    let editor = (*editing)
        .clone()
        .and_then(|name| ds.column(&name).ok().map(|c| (name, c)));
    let editor_html = match editor {
        None => html! {},
        Some((name, col)) => {
            let apply = {
                let ctx = ctx.clone();
                let editing = editing.clone();
                let checked = checked.clone();
                let range = range.clone();
                let name = name.clone();
                let ty = col.column_type();
                Callback::from(move |_| {
                    let f = if ty == ColumnType::Text || ty == ColumnType::Boolean {
                        if checked.is_empty() {
                            return;
                        }
                        Filter::In {
                            column: name.clone(),
                            values: checked.iter().map(|s| Literal::Text(s.clone())).collect(),
                        }
                    } else {
                        let lit = |s: &str| -> Option<Literal> {
                            let s = s.trim();
                            if s.is_empty() {
                                None
                            } else if ty == ColumnType::Date || ty == ColumnType::Datetime {
                                Some(Literal::Text(s.to_string()))
                            } else {
                                s.replace(',', ".")
                                    .replace([' ', '\u{a0}', '\u{202f}'], "")
                                    .parse::<f64>()
                                    .ok()
                                    // `inf` and `NaN` parse, but a bound must be a number.
                                    .filter(|x| x.is_finite())
                                    .map(Literal::Number)
                            }
                        };
                        let (min, max) = (lit(&range.0), lit(&range.1));
                        if min.is_none() && max.is_none() {
                            return;
                        }
                        Filter::Between {
                            column: name.clone(),
                            min,
                            max,
                        }
                    };
                    ctx.dispatch(Action::AddFilter(f));
                    editing.set(None);
                })
            };
            let nulls = {
                let ctx = ctx.clone();
                let editing = editing.clone();
                let name = name.clone();
                Callback::from(move |_| {
                    ctx.dispatch(Action::AddFilter(Filter::IsNull {
                        column: name.clone(),
                    }));
                    editing.set(None);
                })
            };
            let body = if matches!(col.column_type(), ColumnType::Text | ColumnType::Boolean) {
                // Counted once per dataset and column by the query service: each keystroke of
                // the value search only filters this list.
                let answer = super::ask(
                    &ctx_opt,
                    &Request::Distinct {
                        column: name.clone(),
                    },
                );
                let (counts, refused): (&[(crate::core::Value, usize)], _) = match answer.as_deref()
                {
                    Some(Ok(Answer::Distinct(d))) => (d, None),
                    Some(Err(e)) => (&[], Some(e.text(lang == Lang::Fr))),
                    _ => (&[], None),
                };
                let needle = value_search.to_lowercase();
                let on_value_search = {
                    let value_search = value_search.clone();
                    Callback::from(move |e: InputEvent| {
                        if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                            value_search.set(i.value());
                        }
                    })
                };
                html! {
                    <>
                        <label for="value-search">{ tr(lang, Msg::Search) }</label>
                        <input id="value-search" class="input" type="search" oninput={on_value_search} value={(*value_search).clone()} data-testid="value-search" />
                        if let Some(m) = refused {
                            <p class="alert alert-error" role="alert" data-testid="query-error">{ m }</p>
                        }
                        <fieldset class="value-list" data-testid="value-list">
                            <legend class="sr-only">{ name.clone() }</legend>
                            { for counts.iter().map(|(v, n)| (v.to_plain_string(), *n)).filter(|(s, _)| needle.is_empty() || s.to_lowercase().contains(&needle)).take(100).enumerate().map(|(i, (s, n))| {
                                let id = format!("val-{i}");
                                let is_checked = checked.contains(&s);
                                let toggle = {
                                    let checked = checked.clone();
                                    let s = s.clone();
                                    Callback::from(move |_| {
                                        let mut c = (*checked).clone();
                                        if let Some(p) = c.iter().position(|x| *x == s) { c.remove(p); } else { c.push(s.clone()); }
                                        checked.set(c);
                                    })
                                };
                                html! {
                                    <div class="checkbox">
                                        <input type="checkbox" id={id.clone()} checked={is_checked} onchange={toggle} />
                                        <label for={id}>{ if s.is_empty() { "∅".to_string() } else { s.clone() } }<span class="count">{ int_text(n as i64, lang) }</span></label>
                                    </div>
                                }
                            }) }
                        </fieldset>
                    </>
                }
            } else {
                let (lo, hi) = (*range).clone();
                let set_lo = {
                    let range = range.clone();
                    Callback::from(move |e: Event| {
                        range.set((crate::web::dom::event_value(&e), range.1.clone()))
                    })
                };
                let set_hi = {
                    let range = range.clone();
                    Callback::from(move |e: Event| {
                        range.set((range.0.clone(), crate::web::dom::event_value(&e)))
                    })
                };
                let kind = if matches!(col.column_type(), ColumnType::Date | ColumnType::Datetime) {
                    "date"
                } else {
                    "text"
                };
                html! {
                    <div class="input-row">
                        <div class="field"><label for="range-min">{ tr(lang, Msg::Min) }</label>
                            <input id="range-min" class="input" type={kind} inputmode="decimal" value={lo} onchange={set_lo} data-testid="range-min" /></div>
                        <div class="field"><label for="range-max">{ tr(lang, Msg::Max) }</label>
                            <input id="range-max" class="input" type={kind} inputmode="decimal" value={hi} onchange={set_hi} data-testid="range-max" /></div>
                    </div>
                }
            };
            html! {
                <div class="filter-editor" data-testid="filter-editor">
                    { body }
                    <div class="input-row">
                        <button type="button" class="btn btn-sm" onclick={apply} data-testid="apply-filter">{ tr(lang, Msg::AddFilter) }</button>
                        <button type="button" class="btn btn-secondary btn-sm" onclick={nulls}>{ tr(lang, Msg::NullOnly) }</button>
                    </div>
                </div>
            }
        }
    };

    html! {
        <section class="panel filters" aria-labelledby="filters-heading">
            <h2 id="filters-heading">{ tr(lang, Msg::Filters) }</h2>
            <div class="filter-row">
                <form class="inline-form search-form" onsubmit={on_search} role="search">
                    <label for="text-search" class="sr-only">{ tr(lang, Msg::SearchAll) }</label>
                    <input id="text-search" name="q" class="input" type="search" placeholder={tr(lang, Msg::SearchAll)} data-testid="text-search" />
                    <button type="submit" class="btn btn-sm">{ tr(lang, Msg::Search) }</button>
                </form>
                <div class="field">
                    <label for="filter-column">{ tr(lang, Msg::AddFilter) }</label>
                    <select id="filter-column" class="select" onchange={on_pick_column} data-testid="filter-column">
                        <option value="" selected={editing.is_none()}>{ "—" }</option>
                        { for ds.columns.iter().map(|c| html!{ <option value={c.name.clone()} selected={editing.as_deref() == Some(c.name.as_str())}>{ c.name.clone() }</option> }) }
                    </select>
                </div>
            </div>
            { editor_html }
            <FilterChips />
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ProfileProps {
    pub column: String,
    pub on_close: Callback<()>,
}

/// The profile of one column: missing, distinct, top values, min / max / mean, invalid values.
#[component]
pub fn ProfileCard(props: &ProfileProps) -> Html {
    let Some(ctx) = use_context::<AppContext>() else {
        return html! {};
    };
    let lang = ctx.state().lang;
    let Some(ds) = ctx.state().data.clone() else {
        return html! {};
    };
    let close = {
        let c = props.on_close.clone();
        Callback::from(move |_| c.emit(()))
    };
    // From the query service: computed by the portal when the portal holds the dataset.
    let answer = super::ask(
        &Some(ctx.clone()),
        &Request::Profile {
            column: props.column.clone(),
        },
    );
    let body = match answer.as_deref() {
        None => html! { <p class="small" aria-busy="true">{ tr(lang, Msg::PortalComputing) }</p> },
        Some(Err(e)) => html! { <p>{ e.text(lang == Lang::Fr) }</p> },
        Some(Ok(Answer::Profile(p))) => {
            let stat =
                |label: Msg, v: String| html! { <><dt>{ tr(lang, label) }</dt><dd>{ v }</dd></> };
            // Years and codes as stored, documented rates as percentages.
            let notes = super::chart_panel::column_notes(&Some(ctx.clone()));
            let figure = ds
                .column(&props.column)
                .map(|c| crate::chart::figure::column_figure(c, notes.get(&props.column)))
                .unwrap_or_default();
            let display_value = |v: &crate::core::Value, lang: Lang| {
                crate::chart::figure::cell_text(v, figure, super::chart_panel::locale(lang))
            };
            html! {
                <>
                    <dl class="stats">
                        { stat(Msg::Type, type_label(p.ty, lang).to_string()) }
                        { stat(Msg::Missing, int_text(p.missing as i64, lang)) }
                        { stat(Msg::Distinct, int_text(p.distinct as i64, lang)) }
                        if !p.min.is_null() { { stat(Msg::Min, display_value(&p.min, lang)) } }
                        if !p.max.is_null() { { stat(Msg::Max, display_value(&p.max, lang)) } }
                        if let Some(m) = p.mean.as_f64() { { stat(Msg::Mean, crate::chart::format::fr_number(m, 2)) } }
                        { stat(Msg::Invalid, int_text(p.invalid_count as i64, lang)) }
                    </dl>
                    <table class="table">
                        <caption>{ tr(lang, Msg::TopValues) }</caption>
                        <thead><tr><th scope="col">{ tr(lang, Msg::Value) }</th><th scope="col">{ tr(lang, Msg::Count) }</th></tr></thead>
                        <tbody>{ for p.top.iter().map(|(v, n)| html!{ <tr><td>{ display_value(v, lang) }</td><td class="num">{ int_text(*n as i64, lang) }</td></tr> }) }</tbody>
                    </table>
                </>
            }
        }
        Some(Ok(_)) => html! {},
    };
    html! {
        <div class="profile-card" role="region" aria-label={trf(lang, Msg::LabelValue, &[tr(lang, Msg::Profile), &props.column])} data-testid="profile-card">
            <div class="profile-head">
                <h3>{ trf(lang, Msg::LabelValue, &[tr(lang, Msg::Profile), &props.column]) }</h3>
                <button type="button" class="btn btn-tertiary btn-sm" onclick={close}>{ tr(lang, Msg::Close) }</button>
            </div>
            { body }
        </div>
    }
}

/// The active filters as removable chips, then the live count of matching rows (announced to
/// screen readers). Shared by the filter bar and the pages that do not show it.
#[component]
pub fn FilterChips() -> Html {
    let ctx = use_context::<AppContext>();
    let (data, view, _, lang) = view_parts(&ctx);
    let count = super::ask(
        &ctx,
        &Request::Count {
            filters: view.filters.clone(),
        },
    );
    let matching = match count.as_deref() {
        Some(Ok(Answer::Count(n))) => Some(*n),
        _ => None,
    };
    // A count the portal could not give says why (the rest of the page keeps working).
    let failed = match count.as_deref() {
        Some(Err(e)) => Some(e.text(lang == crate::state::Lang::Fr)),
        _ => None,
    };
    let (Some(ctx), Some(_)) = (ctx, data) else {
        return html! {};
    };
    html! {
        <>
            if !view.filters.is_empty() {
                <ul class="chips" aria-label={tr(lang, Msg::Filters)}>
                    { for view.filters.iter().enumerate().map(|(i, f)| {
                        let ctx = ctx.clone();
                        let text = describe(f, lang);
                        let remove = Callback::from(move |_| ctx.dispatch(Action::RemoveFilter(i)));
                        html! {
                            <li class="chip" data-testid="filter-chip">
                                <span>{ text.clone() }</span>
                                <button type="button" onclick={remove} aria-label={trf(lang, Msg::LabelValue, &[tr(lang, Msg::RemoveFilter), &text])}>{ "×" }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
            <p class="match-count" role="status" aria-live="polite" data-testid="match-count">
                <strong>{ matching.map_or_else(|| "…".to_string(), |n| int_text(n as i64, lang)) }</strong>{ format!(" {} / {}", tr(lang, Msg::RowsMatching), int_text(ctx.state().total_rows() as i64, lang)) }
                if let Some(why) = failed { <span class="small">{ " — " }{ why }</span> }
            </p>
            <super::StopQuery />
        </>
    }
}

/// The chips and the live count alone, for pages that do not show the full filter bar.
#[component]
pub fn MatchCount() -> Html {
    html! { <div class="match-line"><FilterChips /></div> }
}
