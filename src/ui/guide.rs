//! The citizen's way in: guided questions (each answered by the chart and two or three plain
//! sentences with glossary links), big numbers, and the glossary itself ("find my commune" is
//! in `find_commune.rs`).

use yew::prelude::*;

use super::chart_panel::{column_notes, int_text, locale};
use super::Request;
use super::{view_parts, AppContext};
use crate::chart::figure;
use crate::chart::format::{en_percent, fr_percent};
use crate::core::query::{AggOp, Aggregate, Query};
use crate::core::Value;
use crate::state::glossary::{self, link_terms, Segment, Term};
use crate::state::i18n::trf;
use crate::state::persona::preset;
use crate::state::{tr, Action, Lang, Msg};

/// A sentence with its glossary terms as links to their definitions.
pub fn linked(text: &str, terms: &[Term]) -> Html {
    html! {
        { for link_terms(text, terms).into_iter().map(|s| match s {
            Segment::Text(t) => html! { { t } },
            Segment::Term(t, i) => html! { <a class="term" href={format!("#{}", terms[i].anchor())}>{ t }</a> },
        }) }
    }
}

#[component]
pub fn QuestionsPanel() -> Html {
    let terms = use_memo((), |_| glossary::bundled());
    let Some(ctx) = use_context::<AppContext>() else {
        return html! {};
    };
    let state = ctx.state();
    let lang = state.lang;
    let Some(id) = state.dataset_id() else {
        return html! {};
    };
    let Ok(p) = preset(state.persona) else {
        return html! {};
    };
    let Some(views) = p.views.get(id) else {
        return html! {};
    };
    let current = views
        .iter()
        .find(|g| Some(&g.id) == state.question.as_ref());
    html! {
        <section class="panel questions" aria-labelledby="questions-heading">
            <h2 id="questions-heading">{ tr(lang, Msg::Questions) }</h2>
            <ul class="question-list">
                { for views.iter().map(|g| {
                    let ctx = ctx.clone();
                    let gid = g.id.clone();
                    let pressed = Some(&g.id) == state.question.as_ref();
                    let onclick = Callback::from(move |_| ctx.dispatch(Action::AskQuestion(gid.clone())));
                    html! {
                        <li><button type="button" class={classes!("question", pressed.then_some("question-active"))}
                            aria-pressed={pressed.to_string()} {onclick} data-testid="question">{ g.question.get(lang).to_string() }</button></li>
                    }
                }) }
            </ul>
            if let Some(g) = current {
                if !g.explanation.get(lang).is_empty() {
                    <p class="explanation" data-testid="explanation">{ linked(g.explanation.get(lang), &terms) }</p>
                }
            }
        </section>
    }
}

/// Key figures of the current view: the rows counted and, for a measure that adds up, its
/// total and the leader's share of it; for a rate or another measure that does not add up, its
/// median and its range instead (a total of rates means nothing).
#[component]
pub fn BigNumbers() -> Html {
    let ctx = use_context::<AppContext>();
    let (data, view, _, lang) = view_parts(&ctx);
    let notes = column_notes(&ctx);
    let meaning = super::chart_panel::view_meaning(&data, &view, &notes);
    let adds_up = meaning.additive && !meaning.figure.is_rate();
    // Asked of the query service: the filtered rows are shared with the other panels, and
    // neither a table sort nor a pivot change recomputes these figures.
    let mut aggregates = vec![Aggregate {
        op: AggOp::Count,
        column: None,
        alias: Some("n".into()),
    }];
    // The median is asked apart: where the portal computes the dataset it is computed from
    // downloaded values, which may be refused for size; the other figures still show.
    let ops: &[AggOp] = if adds_up {
        &[AggOp::Sum]
    } else {
        &[AggOp::Min, AggOp::Max]
    };
    let median_answer = view.chart.y.as_ref().filter(|_| !adds_up).and_then(|y| {
        super::ask(
            &ctx,
            &Request::Query {
                query: Query {
                    filter: view.filters.clone(),
                    aggregates: vec![Aggregate {
                        op: AggOp::Median,
                        column: Some(y.clone()),
                        alias: Some("Median".into()),
                    }],
                    ..Query::default()
                },
            },
        )
    });
    let median = match super::table_of(&median_answer) {
        Some(Ok(t)) => t
            .rows
            .first()
            .and_then(|r| r.first())
            .and_then(Value::as_f64),
        _ => None,
    };
    if let Some(y) = &view.chart.y {
        for op in ops {
            aggregates.push(Aggregate {
                op: *op,
                column: Some(y.clone()),
                alias: Some(format!("{op:?}")),
            });
        }
    }
    let totals = super::ask(
        &ctx,
        &Request::Query {
            query: Query {
                filter: view.filters.clone(),
                aggregates,
                ..Query::default()
            },
        },
    );
    let leader_answer = view.chart.x.as_ref().filter(|_| adds_up).and_then(|x| {
        super::ask(
            &ctx,
            &Request::Query {
                query: Query {
                    filter: view.filters.clone(),
                    group_by: vec![x.clone()],
                    aggregates: vec![Aggregate {
                        op: AggOp::Share,
                        column: view.chart.y.clone(),
                        alias: Some("share".into()),
                    }],
                    // Ties broken by the category, as the chart ranks them.
                    sort: vec![
                        crate::core::query::SortKey {
                            column: "share".into(),
                            desc: true,
                        },
                        crate::core::query::SortKey {
                            column: x.clone(),
                            desc: false,
                        },
                    ],
                    limit: Some(1),
                    ..Query::default()
                },
            },
        )
    });
    let leader = match super::table_of(&leader_answer) {
        Some(Ok(r)) => r
            .rows
            .first()
            .and_then(|first| Some((first.first()?.to_plain_string(), first.get(1)?.as_f64()?))),
        _ => None,
    };
    let row = match super::table_of(&totals) {
        Some(Ok(t)) => t.rows.first().cloned(),
        _ => None,
    };
    let Some(ctx) = ctx else { return html! {} };
    let Some(row) = row else {
        return html! {};
    };
    // A rate carries its own `%`; a unit set for amounts would be written twice.
    let unit = view
        .chart
        .unit
        .clone()
        .filter(|_| meaning.figure == figure::Figure::Amount);
    let compact = |v: f64| figure::compact(v, meaning.figure, unit.as_deref(), locale(lang));
    let n = row.first().and_then(Value::as_f64).unwrap_or(0.0);
    let total = row.get(1).and_then(Value::as_f64).filter(|_| adds_up);
    let range = match (
        row.get(1).and_then(Value::as_f64),
        row.get(2).and_then(Value::as_f64),
    ) {
        (Some(lo), Some(hi)) if !adds_up => Some(format!("{}\u{A0}– {}", compact(lo), compact(hi))),
        _ => None,
    };
    let _ = &ctx;
    html! {
        <section class="big-numbers" aria-label={tr(lang, Msg::KeyFigures)} data-testid="big-numbers">
            if let (Some(t), Some(y)) = (total, view.chart.y.as_ref()) {
                <div class="big-number"><p class="big-value">{ compact(t) }</p><p class="big-label">{ trf(lang, Msg::LabelValue, &[tr(lang, Msg::Total), y]) }</p></div>
            }
            if let (Some(m), Some(y)) = (median, view.chart.y.as_ref()) {
                <div class="big-number"><p class="big-value">{ compact(m) }</p><p class="big-label">{ trf(lang, Msg::LabelValue, &[tr(lang, Msg::AggMedian), y]) }</p></div>
            }
            if let (Some(r), Some(y)) = (range, view.chart.y.as_ref()) {
                <div class="big-number"><p class="big-value">{ r }</p><p class="big-label">{ trf(lang, Msg::LabelValue, &[&format!("{} – {}", tr(lang, Msg::Min), tr(lang, Msg::Max)), y]) }</p></div>
            }
            <div class="big-number"><p class="big-value">{ int_text(n as i64, lang) }</p><p class="big-label">{ tr(lang, Msg::Rows) }</p></div>
            if let Some((name, share)) = leader {
                <div class="big-number">
                    <p class="big-value">{ match lang { Lang::Fr => fr_percent(share), Lang::En => en_percent(share) } }</p>
                    <p class="big-label">{ trf(lang, Msg::LeaderFor, &[&name]) }</p>
                </div>
            }
        </section>
    }
}

#[component]
pub fn GlossaryPanel() -> Html {
    let terms = use_memo((), |_| glossary::bundled());
    let Some(ctx) = use_context::<AppContext>() else {
        return html! {};
    };
    let state = ctx.state();
    let lang = state.lang;
    // Terms met on this page (questions, explanations, title) first; the rest folded away.
    let mut texts: Vec<String> = Vec::new();
    if let Some(src) = &state.source {
        texts.push(src.title(lang));
        if let Some(e) = &src.entry {
            texts.push(e.row.get(lang).to_string());
        }
    }
    if let (Some(id), Ok(p)) = (state.dataset_id(), preset(state.persona)) {
        for g in p.views.get(id).into_iter().flatten() {
            texts.push(g.question.get(lang).to_string());
            texts.push(g.explanation.get(lang).to_string());
        }
    }
    let mut relevant = vec![false; terms.len()];
    for t in &texts {
        for seg in link_terms(t, &terms) {
            if let Segment::Term(_, i) = seg {
                relevant[i] = true;
            }
        }
    }
    let entry = |t: &Term| {
        html! {
            <>
                <dt id={t.anchor()}>{ t.term.clone() }</dt>
                <dd>{ t.definition(lang).to_string() }</dd>
            </>
        }
    };
    let others = relevant.iter().filter(|r| !**r).count();
    html! {
        <section class="panel glossary" id="glossaire" aria-labelledby="glossary-heading">
            <h2 id="glossary-heading">{ tr(lang, Msg::Glossary) }</h2>
            <dl class="glossary-list" data-testid="glossary">
                { for terms.iter().zip(&relevant).filter(|(_, r)| **r).map(|(t, _)| entry(t)) }
            </dl>
            if others > 0 {
                <details class="glossary-more">
                    <summary>{ trf(lang, Msg::GlossaryOthers, &[&others.to_string()]) }</summary>
                    <dl class="glossary-list">
                        { for terms.iter().zip(&relevant).filter(|(_, r)| !**r).map(|(t, _)| entry(t)) }
                    </dl>
                </details>
            }
        </section>
    }
}
