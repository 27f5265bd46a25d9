//! "Find my commune": a search box over a commune-level dataset, by name or INSEE code; a
//! dataset with codes only finds the code through the bundled population table.

use std::rc::Rc;

use yew::prelude::*;

use super::chart_panel::{column_notes, locale};
use super::AppContext;
use super::Request;
use crate::chart::figure::cell_text;
use crate::core::ingest::{read, IngestOptions};
use crate::core::query::{self, Filter, Literal, Query};
use crate::core::{Dataset, KeyKind};
use crate::state::i18n::trf;
use crate::state::view::{best_name_matches, column_figures};
use crate::state::{tr, Action, Msg};

/// The name column of a commune-level dataset, if it has one.
fn commune_name_column(ds: &Dataset) -> Option<String> {
    let names = [
        "nom 2024 commune",
        "nom",
        "libelle",
        "nom_commune",
        "commune",
        "nccenr",
    ];
    names.iter().find_map(|n| {
        ds.columns
            .iter()
            .find(|c| c.name.to_lowercase() == *n)
            .map(|c| c.name.clone())
    })
}

fn commune_code_column(ds: &Dataset) -> Option<String> {
    ds.columns
        .iter()
        .find(|c| c.key == Some(KeyKind::InseeCommune))
        .map(|c| c.name.clone())
}

/// "Find my commune": filters the data on a commune, by name, or through the bundled
/// commune reference when the data only has INSEE codes.
#[component]
pub fn FindCommune() -> Html {
    let reference = use_state(|| None::<Rc<Dataset>>);
    let message = use_state(|| None::<String>);
    let input = use_node_ref();
    let Some(ctx) = use_context::<AppContext>() else {
        return html! {};
    };
    let state = ctx.state();
    let lang = state.lang;
    let Some(ds) = state.data.clone() else {
        return html! {};
    };
    let by_name = commune_name_column(&ds);
    let by_code = commune_code_column(&ds);
    if by_name.is_none() && by_code.is_none() {
        return html! {};
    }
    // When the portal or the engine's worker holds the dataset, the page has only its first
    // records: the names to match come from the engine (every value of the column, one
    // request), the rows shown from its first page.
    let remote = state.portal_engine().is_some() || state.worker_engine().is_some();
    let portal_names: Option<Rc<Vec<String>>> = by_name.as_ref().filter(|_| remote).and_then(|c| {
        match super::ask(&Some(ctx.clone()), &Request::Distinct { column: c.clone() }).as_deref() {
            Some(Ok(crate::state::service::Answer::Distinct(d))) => Some(Rc::new(
                d.iter()
                    .filter_map(|(v, _)| match v {
                        crate::core::Value::Text(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect(),
            )),
            _ => None,
        }
    });
    let onsubmit = {
        let portal_names = portal_names.clone();
        let ctx = ctx.clone();
        let input = input.clone();
        let reference = reference.clone();
        let message = message.clone();
        let catalog = ctx.catalog.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(text) = input
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value().trim().to_string())
            else {
                return;
            };
            if text.is_empty() {
                return;
            }
            if let Some(col) = &by_name {
                // Exact names first ("Rennes", not "Courtemont-Varennes"), then prefixes.
                let names = if remote {
                    let Some(all) = &portal_names else {
                        message.set(Some(tr(lang, Msg::PortalComputing).into()));
                        return;
                    };
                    best_name_matches(all.iter().map(String::as_str), &text, 20)
                } else {
                    match ctx
                        .state()
                        .data
                        .as_ref()
                        .and_then(|d| d.column(col).ok())
                        .and_then(|c| c.data.text_codes())
                    {
                        Some((_, dict)) => best_name_matches(dict.iter(), &text, 20),
                        None => Vec::new(),
                    }
                };
                if names.is_empty() {
                    message.set(Some(trf(lang, Msg::NoCommuneMatch, &[&text])));
                } else {
                    message.set(None);
                    ctx.dispatch(Action::AddFilter(Filter::In {
                        column: col.clone(),
                        values: names.into_iter().map(Literal::Text).collect(),
                    }));
                }
                return;
            }
            let Some(code_col) = by_code.clone() else {
                return;
            };
            let ctx = ctx.clone();
            let reference = reference.clone();
            let message = message.clone();
            let file = catalog
                .find("communes-population")
                .map(|e| e.file.clone())
                .unwrap_or_default();
            wasm_bindgen_futures::spawn_local(async move {
                let refds = match (*reference).clone() {
                    Some(r) => r,
                    None => match crate::web::load::fetch_bytes(&file)
                        .await
                        .ok()
                        .and_then(|b| read(&b, &IngestOptions::default()).ok())
                    {
                        Some(r) => {
                            let r = Rc::new(r);
                            reference.set(Some(r.clone()));
                            r
                        }
                        None => {
                            message.set(Some(tr(lang, Msg::CommuneReferenceUnavailable).into()));
                            return;
                        }
                    },
                };
                let names = match refds.column("nom").ok().and_then(|c| c.data.text_codes()) {
                    Some((_, dict)) => best_name_matches(dict.iter(), &text, 20),
                    None => Vec::new(),
                };
                let found = query::run(
                    &refds,
                    &Query {
                        filter: vec![Filter::In {
                            column: "nom".into(),
                            values: names.into_iter().map(Literal::Text).collect(),
                        }],
                        group_by: vec!["code_commune".into()],
                        limit: Some(50),
                        ..Query::default()
                    },
                );
                let codes: Vec<Literal> = found
                    .map(|r| {
                        r.rows
                            .iter()
                            .filter_map(|row| {
                                row.first().map(|v| Literal::Text(v.to_plain_string()))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if codes.is_empty() {
                    message.set(Some(trf(lang, Msg::NoCommuneMatch, &[&text])));
                } else {
                    message.set(None);
                    ctx.dispatch(Action::AddFilter(Filter::In {
                        column: code_col,
                        values: codes,
                    }));
                }
            });
        })
    };
    // The matching rows, shown as a small table once a commune filter is active.
    let filtered = !state.view.filters.is_empty();
    let rows: Vec<Vec<crate::core::Value>> = if filtered {
        // The same filtered rows the table shows, from the query service (not filtered again;
        // from the portal, its first page).
        let request = if remote {
            Request::Page {
                filters: state.view.filters.clone(),
                sort: None,
                offset: 0,
                limit: 8,
            }
        } else {
            Request::TableRows {
                filters: state.view.filters.clone(),
                sort: None,
            }
        };
        match super::ask(&Some(ctx.clone()), &request).as_deref() {
            Some(Ok(crate::state::service::Answer::Rows(s))) => s
                .as_slice()
                .iter()
                .take(8)
                .map(|&r| ds.columns.iter().map(|c| c.value(r as usize)).collect())
                .collect(),
            Some(Ok(crate::state::service::Answer::Table(t))) => {
                t.rows.iter().take(8).cloned().collect()
            }
            _ => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let shown: Vec<usize> = (0..ds.columns.len()).take(8).collect();
    // Years and codes as stored (`2024`, never `2 024`), rates as percentages: the table rule.
    let figures = if rows.is_empty() {
        Vec::new()
    } else {
        column_figures(&ds, &column_notes(&Some(ctx.clone())))
    };
    html! {
        <section class="panel find-commune" aria-labelledby="find-heading">
            <h2 id="find-heading">{ tr(lang, Msg::FindCommune) }</h2>
            <form class="search-form inline-form" {onsubmit} role="search">
                <label for="commune-search" class="sr-only">{ tr(lang, Msg::CommuneName) }</label>
                <input id="commune-search" class="input" type="search" ref={input} placeholder={tr(lang, Msg::CommunePlaceholder)} data-testid="commune-search" />
                <button type="submit" class="btn btn-sm">{ tr(lang, Msg::Search) }</button>
            </form>
            if let Some(m) = (*message).clone() { <p class="small" role="status">{ m }</p> }
            if !rows.is_empty() {
                <div class="table-scroll">
                    <table class="table" data-testid="commune-rows">
                        <caption>{ tr(lang, Msg::MatchingRows) }</caption>
                        <thead><tr>{ for shown.iter().map(|&c| html!{ <th scope="col">{ ds.columns[c].name.clone() }</th> }) }</tr></thead>
                        <tbody>{ for rows.iter().map(|r| html!{
                            <tr>{ for shown.iter().map(|&c| html!{ <td>{ r.get(c).map(|v| cell_text(v, figures.get(c).copied().unwrap_or_default(), locale(lang))).unwrap_or_default() }</td> }) }</tr>
                        }) }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}
