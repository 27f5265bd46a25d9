//! The table of a portal dataset that its portal computes: pages of 100 records asked of the
//! records endpoint in the table's order (the portal's window stops at its 10 000th record;
//! sorting or filtering brings other rows first), with the same headers as the local table and
//! the portal's export of the filtered rows in place of a download made in the page.

use yew::prelude::*;

use super::chart_panel::{column_notes, int_text, locale};
use super::data_table::{key_label, type_label};
use super::{view_parts, AppContext, Request};
use crate::chart::figure::{cell_text, Figure};
use crate::core::query::SortKey;
use crate::state::i18n::trf;
use crate::state::service::remote::PAGE_ROWS;
use crate::state::service::Answer;
use crate::state::view::column_figures;
use crate::state::{tr, Action, Msg};

#[component]
pub fn PortalTable() -> Html {
    let ctx = use_context::<AppContext>();
    let (data, view, generation, lang) = view_parts(&ctx);
    let offset = use_state(|| 0usize);
    // Back to the first page when the rows change.
    {
        let offset = offset.clone();
        let key = (generation, view.filters.clone(), view.table_sort.clone());
        use_effect_with(key, move |_| offset.set(0));
    }
    let figures: std::rc::Rc<Vec<Figure>> = {
        let data = data.clone();
        let notes = column_notes(&ctx);
        use_memo(generation, move |_| {
            data.as_ref()
                .map(|ds| column_figures(ds, &notes))
                .unwrap_or_default()
        })
    };
    let page = super::ask(
        &ctx,
        &Request::Page {
            filters: view.filters.clone(),
            sort: view.table_sort.clone(),
            offset: *offset,
            limit: PAGE_ROWS,
        },
    );
    let matching = match super::ask(
        &ctx,
        &Request::Count {
            filters: view.filters.clone(),
        },
    )
    .as_deref()
    {
        Some(Ok(Answer::Count(n))) => Some(*n),
        _ => None,
    };
    let (Some(ctx), Some(ds)) = (ctx, data) else {
        return html! {};
    };
    let state = ctx.state();
    let source = state.source.as_ref().and_then(|s| s.portal.clone());
    let labels: std::collections::HashMap<String, String> = source
        .as_ref()
        .map(|p| {
            p.meta
                .fields
                .iter()
                .filter_map(|f| f.label.clone().map(|l| (f.name.clone(), l)))
                .collect()
        })
        .unwrap_or_default();
    let export = source.as_ref().and_then(|p| {
        crate::state::odsql::export_url(
            &p.reference.origin,
            &p.reference.dataset_id,
            &view.filters,
            &crate::state::portal::fields_of(&ds),
        )
        .ok()
    });
    let sort_by = |name: String| {
        let ctx = ctx.clone();
        let view = view.clone();
        Callback::from(move |_| {
            let mut v = view.clone();
            v.table_sort = match &v.table_sort {
                Some(s) if s.column == name && !s.desc => Some(SortKey {
                    column: name.clone(),
                    desc: true,
                }),
                Some(s) if s.column == name => None,
                _ => Some(SortKey {
                    column: name.clone(),
                    desc: false,
                }),
            };
            ctx.dispatch(Action::SetView(v));
        })
    };
    let go = |to: usize| {
        let offset = offset.clone();
        Callback::from(move |_| offset.set(to))
    };
    let first = *offset;
    let (rows, error) = match page.as_deref() {
        Some(Ok(Answer::Table(t))) => (Some(t.rows.clone()), None),
        Some(Err(e)) => (None, Some(e.text(lang == crate::state::Lang::Fr))),
        _ => (None, None),
    };
    let shown = rows.as_ref().map_or(0, Vec::len);
    let total = matching.unwrap_or(0);
    let window_end = crate::state::odsql::RECORDS_MAX_WINDOW;
    let has_next = first + shown < total && first + 2 * PAGE_ROWS <= window_end;
    html! {
        <section class="panel" aria-labelledby="table-heading">
            <div class="table-head">
                <h2 id="table-heading">{ tr(lang, Msg::Table) }</h2>
                <div class="export-row">
                    if let Some(u) = export {
                        <a class="btn btn-secondary btn-sm" href={u} rel="noopener noreferrer" target="_blank" data-testid="export-rows-portal">{ tr(lang, Msg::ExportCsv) }</a>
                    }
                </div>
            </div>
            <p class="small" role="status" data-testid="portal-page">
                { match (rows.is_some(), matching) {
                    (true, Some(n)) => trf(lang, Msg::PortalPage, &[
                        &int_text((first + shown.min(1)) as i64, lang),
                        &int_text((first + shown) as i64, lang),
                        &int_text(n as i64, lang),
                    ]),
                    _ if error.is_some() => String::new(),
                    _ => tr(lang, Msg::PortalComputing).to_string(),
                } }
            </p>
            if let Some(e) = error {
                <p class="notice notice-error" role="alert" data-testid="portal-table-error">{ e }</p>
            }
            <div class="vt-viewport" tabindex="0" data-testid="table-viewport" aria-label={tr(lang, Msg::TableCaption)} aria-busy={rows.is_none().to_string()}>
                <table class="table" data-testid="data-table">
                    <caption class="sr-only">{ format!("{} ({} {})", tr(lang, Msg::TableCaption), int_text(total as i64, lang), tr(lang, Msg::Rows)) }</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="row-num">{ "#" }</th>
                            { for ds.columns.iter().map(|c| {
                                let label = labels.get(&c.name).filter(|l| **l != c.name);
                                let sorted = view.table_sort.as_ref().filter(|s| s.column == c.name);
                                let aria_sort = match sorted { Some(s) if s.desc => "descending", Some(_) => "ascending", None => "none" };
                                html! {
                                    <th scope="col" aria-sort={aria_sort}>
                                        <button type="button" class="th-sort" onclick={sort_by(c.name.clone())}
                                            title={trf(lang, Msg::SortBy, &[&c.name])}>
                                            { label.cloned().unwrap_or_else(|| c.name.clone()) }
                                            { match sorted { Some(s) if s.desc => " ▼", Some(_) => " ▲", None => "" } }
                                        </button>
                                        <span class="th-meta">
                                            if label.is_some() { <code class="th-name" data-testid="column-name">{ c.name.clone() }</code> }
                                            <span class="tag">{ type_label(c.column_type(), lang) }</span>
                                            if let Some(k) = c.key { <span class="tag tag-key">{ key_label(k, lang) }</span> }
                                        </span>
                                    </th>
                                }
                            }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.iter().flatten().enumerate().map(|(i, r)| html! {
                            <tr>
                                <td class="row-num">{ first + i + 1 }</td>
                                { for r.iter().enumerate().map(|(c, v)| {
                                    let figure = figures.get(c).copied().unwrap_or_default();
                                    let numeric = ds.columns.get(c).is_some_and(|col| col.column_type().is_numeric()) && figure != Figure::Code;
                                    html! { <td class={if numeric { "num" } else { "" }}>{ cell_text(v, figure, locale(lang)) }</td> }
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <div class="pager">
                <button type="button" class="btn btn-secondary btn-sm" disabled={first == 0} onclick={go(first.saturating_sub(PAGE_ROWS))} data-testid="page-previous">{ tr(lang, Msg::PreviousPage) }</button>
                <button type="button" class="btn btn-secondary btn-sm" disabled={!has_next} onclick={go(first + PAGE_ROWS)} data-testid="page-next">{ tr(lang, Msg::NextPage) }</button>
            </div>
        </section>
    }
}
