//! The table of a portal dataset that its portal computes: pages of 100 records asked of the
//! records endpoint in the table's order (the portal's window stops at its 10 000th record;
//! sorting or filtering brings other rows first), with the same headers as the local table and
//! the portal's export of the filtered rows in place of a download made in the page. The same
//! table pages through a big file held by the engine's Web Worker (no window there).

use yew::prelude::*;

use super::chart_panel::{column_notes, int_text, locale};
use super::data_table::{header_cell, use_scroller};
use super::{view_parts, AppContext, Request};
use crate::chart::figure::{cell_text, Figure};
use crate::state::i18n::trf;
use crate::state::service::remote::PAGE_ROWS;
use crate::state::service::Answer;
use crate::state::view::column_figures;
use crate::state::{tr, Action, Msg};

#[component]
pub fn PortalTable() -> Html {
    let ctx = use_context::<AppContext>();
    let (data, view, generation, lang) = view_parts(&ctx);
    // The page shown, for the rows it belongs to: other rows (a filter, a sort, another
    // dataset) start at the first page, with no request for the old offset.
    let rows_key = (generation, view.filters.clone(), view.table_sort.clone());
    let paged = {
        let rows_key = rows_key.clone();
        use_state(move || (rows_key, 0usize))
    };
    let offset = if paged.0 == rows_key { paged.1 } else { 0 };
    // Only the rows in and near the viewport are in the DOM, as in the local table: a page of
    // 100 records of a wide file is over a thousand cells, and rendering them all after every
    // filter made frames of 50-70 ms.
    let scroller = use_scroller((rows_key.clone(), offset));
    // The profile card of a column: computed by the portal (every value with its count).
    let profile_of = use_state(|| None::<String>);
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
            offset,
            limit: PAGE_ROWS,
        },
    );
    // The last page answered stays on screen, dimmed and marked busy, while the next one is
    // computed (with its offset, for its row numbers).
    let (page, page_offset, fresh) = match super::answers::use_last_table(generation, &page, offset)
    {
        (Some((p, o)), fresh) => (Some(p), o, fresh),
        (None, _) => (None, offset, false),
    };
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
            v.table_sort = super::data_table::next_sort(&v.table_sort, &name);
            ctx.dispatch(Action::SetView(v));
        })
    };
    let open_profile = |name: String| {
        let profile_of = profile_of.clone();
        Callback::from(move |_| profile_of.set(Some(name.clone())))
    };
    let close_profile = {
        let profile_of = profile_of.clone();
        Callback::from(move |_| profile_of.set(None))
    };
    let go = |to: usize| {
        let paged = paged.clone();
        let rows_key = rows_key.clone();
        Callback::from(move |_| paged.set((rows_key.clone(), to)))
    };
    let first = offset;
    let (rows, error) = match page.as_deref() {
        Some(Ok(Answer::Table(t))) => (Some(&t.rows), None),
        Some(Err(e)) => (None, Some(e.text(lang == crate::state::Lang::Fr))),
        _ => (None, None),
    };
    let shown = rows.map_or(0, Vec::len);
    let (from, to) = scroller.window(shown as i32);
    let (from, to) = (from as usize, (to as usize).max(from as usize));
    let total = matching.unwrap_or(0);
    // The portal's records endpoint stops at its window; the engine's worker pages anywhere.
    let in_worker = state.worker_engine().is_some();
    let window_end = if in_worker {
        usize::MAX
    } else {
        crate::state::odsql::RECORDS_MAX_WINDOW
    };
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
            if let Some(col) = (*profile_of).clone() {
                <super::filters::ProfileCard column={col} on_close={close_profile} />
            }
            <p class="small" role="status" data-testid="portal-page">
                { match (rows.is_some() && fresh, matching) {
                    (true, Some(n)) => trf(lang, Msg::PortalPage, &[
                        &int_text((first + shown.min(1)) as i64, lang),
                        &int_text((first + shown) as i64, lang),
                        &int_text(n as i64, lang),
                    ]),
                    _ if error.is_some() => String::new(),
                    _ if in_worker => tr(lang, Msg::WorkerComputing).to_string(),
                    _ => tr(lang, Msg::PortalComputing).to_string(),
                } }
            </p>
            if let Some(e) = error {
                <p class="notice notice-error" role="alert" data-testid="portal-table-error">{ e }</p>
            }
            <div class="vt-viewport" onscroll={scroller.onscroll.clone()} ref={scroller.viewport.clone()} tabindex="0" data-testid="table-viewport" aria-label={tr(lang, Msg::TableCaption)} aria-busy={(!fresh).to_string()}>
                <table class={classes!("table", "vt", (!fresh).then_some("vt-stale"))} data-testid="data-table" aria-rowcount={(total.max(shown) + 1).to_string()}>
                    <caption class="sr-only">{ format!("{} ({} {})", tr(lang, Msg::TableCaption), int_text(total as i64, lang), tr(lang, Msg::Rows)) }</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="row-num">{ "#" }</th>
                            { for ds.columns.iter().map(|c| header_cell(c, labels.get(&c.name), view.table_sort.as_ref(), lang, sort_by(c.name.clone()), open_profile(c.name.clone()))) }
                        </tr>
                    </thead>
                    <tbody>
                        { scroller.top_spacer(ds.columns.len() + 1) }
                        { for rows.iter().flat_map(|r| &r[from..to]).enumerate().map(|(i, r)| html! {
                            <tr class="vt-row" aria-rowindex={(page_offset + from + i + 2).to_string()}>
                                <td class="row-num">{ page_offset + from + i + 1 }</td>
                                { for r.iter().enumerate().map(|(c, v)| {
                                    let figure = figures.get(c).copied().unwrap_or_default();
                                    let numeric = ds.columns.get(c).is_some_and(|col| col.column_type().is_numeric()) && figure != Figure::Code;
                                    html! { <td class={if numeric { "num" } else { "" }}>{ cell_text(v, figure, locale(lang)) }</td> }
                                }) }
                            </tr>
                        }) }
                        { scroller.bottom_spacer(ds.columns.len() + 1) }
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
