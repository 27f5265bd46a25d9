//! The raw table, virtualised: only the visible rows are in the DOM, so a million rows scroll
//! smoothly. Headers show type and key kind, sort on click, and open the column profile.

use std::rc::Rc;

use yew::prelude::*;

use super::chart_panel::{column_notes, int_text, locale};
use super::{view_parts, AppContext, Request};
use crate::chart::figure::{cell_text, Figure};
use crate::core::export::CsvFlavor;
use crate::core::query::{Selection, SortKey};
use crate::state::i18n::trf;
use crate::state::service::Answer;
use crate::state::view::column_figures;
use crate::state::view::table_window::Window;
use crate::state::{tr, Action, Lang, Msg};

/// The scroll state of a virtualised table: which rows its viewport shows, and the spacers
/// that stand for the others. Shared by the local table (every filtered row) and the table of
/// a dataset held by a worker or a portal (a page of records).
pub struct Scroller {
    scroll_top: UseStateHandle<i32>,
    /// The scrolling element, brought back to the top when the rows change.
    pub viewport: NodeRef,
    pub onscroll: Callback<Event>,
    top: NodeRef,
    bottom: NodeRef,
    spacer_px: Rc<std::cell::RefCell<(i64, i64)>>,
}

/// A table's scroller, brought back to the top (its state and its element) when `key`, what
/// the rows are, changes.
#[hook]
pub fn use_scroller<K: PartialEq + 'static>(key: K) -> Scroller {
    let scroll_top = use_state(|| 0i32);
    let viewport = use_node_ref();
    let top = use_node_ref();
    let bottom = use_node_ref();
    let spacer_px = use_mut_ref(|| (0i64, 0i64));
    // Spacer heights are set through the CSS object model, not a `style` attribute, so that
    // the page works under a strict Content-Security-Policy (style-src 'self').
    {
        let (top, bottom, spacer_px) = (top.clone(), bottom.clone(), spacer_px.clone());
        use_effect(move || {
            let (top_px, bottom_px) = *spacer_px.borrow();
            for (node, px) in [(&top, top_px), (&bottom, bottom_px)] {
                if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                    let _ = el.style().set_property("height", &format!("{px}px"));
                }
            }
        });
    }
    {
        let (scroll_top, viewport) = (scroll_top.clone(), viewport.clone());
        use_effect_with(key, move |_| {
            // Only when scrolled: setting `scrollTop` lays the page out there and then (2 ms
            // in a profile of a view change), and the state follows the element's scrolls.
            if *scroll_top != 0 {
                if let Some(el) = viewport.cast::<web_sys::Element>() {
                    el.set_scroll_top(0);
                }
                scroll_top.set(0);
            }
        });
    }
    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                scroll_top.set(el.scroll_top());
            }
        })
    };
    Scroller {
        scroll_top,
        viewport,
        onscroll,
        top,
        bottom,
        spacer_px,
    }
}

impl Scroller {
    /// The rows to render, `first..last` of `total`, for the current scroll position.
    pub fn window(&self, total: i32) -> (i32, i32) {
        let w = Window::at(*self.scroll_top, total);
        *self.spacer_px.borrow_mut() = (w.top_px, w.bottom_px);
        (w.first, w.last)
    }

    pub fn top_spacer(&self, columns: usize) -> Html {
        spacer(&self.top, columns)
    }

    pub fn bottom_spacer(&self, columns: usize) -> Html {
        spacer(&self.bottom, columns)
    }
}

fn spacer(node: &NodeRef, columns: usize) -> Html {
    html! {
        <tr class="vt-spacer" aria-hidden="true" ref={node.clone()}><td colspan={columns.to_string()}></td></tr>
    }
}

/// The table order after a click on the header of `name`: ascending, then descending, then
/// the file's order.
pub fn next_sort(current: &Option<SortKey>, name: &str) -> Option<SortKey> {
    match current {
        Some(s) if s.column == name && !s.desc => Some(SortKey {
            column: name.to_string(),
            desc: true,
        }),
        Some(s) if s.column == name => None,
        _ => Some(SortKey {
            column: name.to_string(),
            desc: false,
        }),
    }
}

/// One column header of the data table: the portal's label when there is one (the name, used
/// in queries and links, beside it), type and key kind, sorting on click, and the profile.
pub fn header_cell(
    c: &crate::core::Column,
    label: Option<&String>,
    sort: Option<&SortKey>,
    lang: Lang,
    on_sort: Callback<MouseEvent>,
    on_profile: Callback<MouseEvent>,
) -> Html {
    let label = label.filter(|l| **l != c.name);
    let sorted = sort.filter(|s| s.column == c.name);
    let aria_sort = match sorted {
        Some(s) if s.desc => "descending",
        Some(_) => "ascending",
        None => "none",
    };
    html! {
        <th scope="col" aria-sort={aria_sort}>
            <button type="button" class="th-sort" onclick={on_sort}
                title={trf(lang, Msg::SortBy, &[&c.name])}>
                { label.cloned().unwrap_or_else(|| c.name.clone()) }
                { match sorted { Some(s) if s.desc => " ▼", Some(_) => " ▲", None => "" } }
            </button>
            <span class="th-meta">
                if label.is_some() { <code class="th-name" data-testid="column-name">{ c.name.clone() }</code> }
                <span class="tag">{ type_label(c.column_type(), lang) }</span>
                if let Some(k) = c.key { <span class="tag tag-key">{ key_label(k, lang) }</span> }
                <button type="button" class="th-profile" onclick={on_profile}
                    aria-label={trf(lang, Msg::LabelValue, &[tr(lang, Msg::Profile), &c.name])}>{ "ⓘ" }</button>
            </span>
        </th>
    }
}

/// A column type as the page names it.
pub fn type_label(t: crate::core::ColumnType, lang: Lang) -> &'static str {
    use crate::core::ColumnType::*;
    tr(
        lang,
        match t {
            Integer => Msg::TypeInteger,
            Decimal => Msg::TypeDecimal,
            Float => Msg::TypeFloat,
            Boolean => Msg::TypeBoolean,
            Date => Msg::TypeDate,
            Datetime => Msg::TypeDatetime,
            Text => Msg::TypeText,
        },
    )
}

/// A key kind (SIREN, INSEE code…) as the page names it.
pub fn key_label(k: crate::core::KeyKind, lang: Lang) -> &'static str {
    use crate::core::KeyKind::*;
    tr(
        lang,
        match k {
            Siren => Msg::KeySiren,
            Siret => Msg::KeySiret,
            InseeCommune => Msg::KeyInseeCommune,
            Departement => Msg::KeyDepartement,
            Region => Msg::KeyRegion,
            PostalCode => Msg::KeyPostalCode,
        },
    )
}

/// The table of the open dataset: virtualised over the rows in the page, or, when the portal
/// computes the dataset, paged through its records.
#[component]
pub fn DataTable() -> Html {
    let ctx = use_context::<AppContext>();
    if super::answers::remote(&ctx) {
        html! { <super::portal_table::PortalTable /> }
    } else {
        html! { <LocalTable /> }
    }
}

#[component]
fn LocalTable() -> Html {
    let ctx = use_context::<AppContext>();
    let profile_of = use_state(|| None::<String>);
    let (data, view, generation, lang) = view_parts(&ctx);
    // The filtered rows in display order, from the query service: the selection is shared with
    // the other panels, and a header click only re-sorts it.
    let answer = super::ask(&ctx, &Request::table_rows(&view));
    let selection: Option<&Selection> = match answer.as_deref() {
        Some(Ok(Answer::Rows(s))) => Some(s),
        _ => None,
    };
    // What the rows depend on (comparing a million indices per render would cost more than the
    // render; an answer's address could be reused by the next dataset's).
    let rows_key = (generation, view.filters.clone(), view.table_sort.clone());
    // How each column is written (rates as percentages, codes and years as stored), worked out
    // once per dataset: recognising years reads the integer columns.
    let figures: Rc<Vec<Figure>> = {
        let data = data.clone();
        let notes = column_notes(&ctx);
        use_memo(generation, move |_| {
            data.as_ref()
                .map(|ds| column_figures(ds, &notes))
                .unwrap_or_default()
        })
    };
    let scroller = use_scroller(rows_key);
    let (Some(ctx), Some(ds), Some(sel)) = (ctx.clone(), data, selection) else {
        return html! {};
    };

    let labels: std::collections::HashMap<String, String> = ctx
        .state()
        .source
        .as_ref()
        .and_then(|s| s.portal.as_ref())
        .map(|p| {
            p.meta
                .fields
                .iter()
                .filter_map(|f| f.label.clone().map(|l| (f.name.clone(), l)))
                .collect()
        })
        .unwrap_or_default();
    let total = sel.len() as i32;
    let (first, last) = scroller.window(total);
    let rows: Vec<u32> = sel.as_slice()[first as usize..last.max(first) as usize].to_vec();
    let sort_by = |name: String| {
        let ctx = ctx.clone();
        let view = view.clone();
        Callback::from(move |_| {
            let mut v = view.clone();
            v.table_sort = next_sort(&v.table_sort, &name);
            ctx.dispatch(Action::SetView(v));
        })
    };
    let open_profile = |name: String| {
        let profile_of = profile_of.clone();
        Callback::from(move |_| profile_of.set(Some(name.clone())))
    };
    // The filtered (and sorted) rows, every column, as CSV.
    let export_rows = |flavor: CsvFlavor, suffix: &'static str| {
        let ds = ds.clone();
        let sel = sel.clone();
        Callback::from(move |_| {
            let bytes = crate::core::export::rows_to_csv(&ds, &sel, flavor);
            let _ = crate::web::dom::download(
                &format!("loupe-lignes{suffix}.csv"),
                "text/csv;charset=utf-8",
                &bytes,
            );
        })
    };
    let close_profile = {
        let profile_of = profile_of.clone();
        Callback::from(move |_| profile_of.set(None))
    };

    html! {
        <section class="panel" aria-labelledby="table-heading">
            <div class="table-head">
                <h2 id="table-heading">{ tr(lang, Msg::Table) }</h2>
                <div class="export-row">
                    <span class="small">{ trf(lang, Msg::ExportRows, &[&int_text(i64::from(total), lang)]) }</span>
                    <button type="button" class="btn btn-secondary btn-sm" onclick={export_rows(CsvFlavor::Standard, "")} data-testid="export-rows-csv">{ tr(lang, Msg::ExportCsv) }</button>
                    <button type="button" class="btn btn-secondary btn-sm" onclick={export_rows(CsvFlavor::ExcelFr, "-excel-fr")} data-testid="export-rows-csv-fr">{ tr(lang, Msg::ExportCsvFr) }</button>
                </div>
            </div>
            if let Some(col) = (*profile_of).clone() {
                <super::filters::ProfileCard column={col} on_close={close_profile} />
            }
            <div class="vt-viewport" onscroll={scroller.onscroll.clone()} ref={scroller.viewport.clone()}
                 tabindex="0" data-testid="table-viewport" aria-label={tr(lang, Msg::TableCaption)}>
                <table class="table vt" data-testid="data-table" aria-rowcount={(total + 1).to_string()}>
                    <caption class="sr-only">{ format!("{} ({} {})", tr(lang, Msg::TableCaption), int_text(i64::from(total), lang), tr(lang, Msg::Rows)) }</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="row-num">{ "#" }</th>
                            { for ds.columns.iter().map(|c| header_cell(c, labels.get(&c.name), view.table_sort.as_ref(), lang, sort_by(c.name.clone()), open_profile(c.name.clone()))) }
                        </tr>
                    </thead>
                    <tbody>
                        { scroller.top_spacer(ds.columns.len() + 1) }
                        { for rows.iter().enumerate().map(|(i, &r)| html! {
                            <tr class="vt-row" aria-rowindex={(first as usize + i + 2).to_string()}>
                                <td class="row-num">{ first as usize + i + 1 }</td>
                                { for ds.columns.iter().enumerate().map(|(i, c)| {
                                    let v = c.value(r as usize);
                                    // Codes stored as numbers (CPV, years, line numbers) read as written.
                                    let figure = figures.get(i).copied().unwrap_or_default();
                                    let numeric = c.column_type().is_numeric() && figure != Figure::Code;
                                    let text = cell_text(&v, figure, locale(lang));
                                    html! { <td class={if numeric { "num" } else { "" }}>{ text }</td> }
                                }) }
                            </tr>
                        }) }
                        { scroller.bottom_spacer(ds.columns.len() + 1) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
