//! A query's result as a table (group-by, pivot), with its caption, header scopes and exports.
//! A short result is rendered whole. A long one keeps only the rows in and near its viewport
//! in the DOM, as the data table does; a wide one (a pivot can have 1,000 columns) shows its
//! value columns by pages beside the row labels. Rendered whole, a pivot of 31 x 31 cells made
//! a frame of 60 ms on a two-core machine, and one of 500 x 1,000 would freeze the page.

use std::rc::Rc;

use yew::prelude::*;

use super::chart_panel::{int_text, locale};
use super::data_table::use_scroller;
use crate::chart::figure::{cell_text, figure_of, Figure};
use crate::core::export::{result_to_csv, CsvFlavor};
use crate::state::i18n::trf;
use crate::state::service::{Answer, Shared};
use crate::state::view::table_window::{column_page, PAGE_COLUMNS};
use crate::state::view::ColumnNotes;
use crate::state::{tr, Lang, Msg};
use crate::web::dom;

/// Results of up to this many rows are rendered whole (they print and read as a plain table).
pub const WHOLE_ROWS: usize = 40;

#[derive(Properties)]
pub struct Props {
    /// The engine's answer: a table (anything else renders nothing).
    pub answer: Shared,
    pub notes: ColumnNotes,
    pub caption: AttrValue,
    pub lang: Lang,
    pub testid: &'static str,
    /// Name of the exported file, without its extension.
    pub file: &'static str,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        // The same answer is the same table: comparing every cell would cost more than the render.
        Rc::ptr_eq(&self.answer, &other.answer)
            && self.notes == other.notes
            && self.caption == other.caption
            && self.lang == other.lang
            && self.testid == other.testid
            && self.file == other.file
    }
}

/// An answer compared by address; holding it keeps the address from being reused.
#[derive(Clone)]
struct Same(Shared);

impl PartialEq for Same {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[component]
pub fn ResultTable(p: &Props) -> Html {
    let key = Same(p.answer.clone());
    // The column page, for the answer it belongs to: a new answer starts at its first columns.
    let paged = {
        let key = key.clone();
        use_state(move || (key, 0usize))
    };
    let scroller = use_scroller(key.clone());
    let Ok(Answer::Table(t)) = p.answer.as_ref() else {
        return html! {};
    };
    let lang = p.lang;
    let values = t.columns.len().saturating_sub(1);
    let asked = if paged.0 == key { paged.1 } else { 0 };
    let (c0, c1) = column_page(values, asked);
    let paged_columns = values > PAGE_COLUMNS;
    // Indices of the columns shown: the row label, then the page of values.
    let shown: Vec<usize> = (0..t.columns.len().min(1)).chain(1 + c0..1 + c1).collect();
    let virtual_rows = t.rows.len() > WHOLE_ROWS;
    let (r0, r1) = if virtual_rows {
        let (a, b) = scroller.window(t.rows.len() as i32);
        (a as usize, (b as usize).max(a as usize))
    } else {
        (0, t.rows.len())
    };
    let csv = |flavor: CsvFlavor, suffix: &'static str| {
        let answer = p.answer.clone();
        let file = p.file;
        Callback::from(move |_| {
            if let Ok(Answer::Table(t)) = answer.as_ref() {
                let _ = dom::download(
                    &format!("{file}{suffix}.csv"),
                    "text/csv;charset=utf-8",
                    &result_to_csv(t, flavor),
                );
            }
        })
    };
    let go = |to: usize| {
        let (paged, key) = (paged.clone(), key.clone());
        Callback::from(move |_| paged.set((key.clone(), to)))
    };
    // How each column is written: years and codes as stored, documented rates as percentages.
    let figures: Vec<Figure> = t
        .columns
        .iter()
        .map(|c| figure_of(&c.name, c.ty, p.notes.get(&c.name)))
        .collect();
    let text = |i: usize, v: &crate::core::Value| {
        cell_text(v, figures.get(i).copied().unwrap_or_default(), locale(lang))
    };
    let row = |(i, r): (usize, &Vec<crate::core::Value>)| {
        let cells = shown.iter().filter_map(|&c| r.get(c).map(|v| (c, v)));
        html! {
            <tr class={virtual_rows.then_some("vt-row")} aria-rowindex={virtual_rows.then(|| (i + 2).to_string())}>
                { for cells.map(|(c, v)| if c == 0 {
                    html!{ <th scope="row">{ text(c, v) }</th> }
                } else {
                    html!{ <td class={if v.as_f64().is_some() { "num" } else { "" }}>{ text(c, v) }</td> }
                }) }
            </tr>
        }
    };
    let table = html! {
        <table class={classes!("table", virtual_rows.then_some("vt"))} data-testid={p.testid}
               aria-rowcount={virtual_rows.then(|| (t.rows.len() + 1).to_string())}>
            <caption>{ p.caption.clone() }</caption>
            <thead><tr>{ for shown.iter().map(|&c| {
                let col = &t.columns[c];
                html!{ <th scope="col" class={if col.ty.is_numeric() { "num" } else { "" }}>{ col.name.clone() }</th> }
            }) }</tr></thead>
            <tbody>
                if virtual_rows { { scroller.top_spacer(shown.len()) } }
                { for t.rows[r0..r1].iter().enumerate().map(|(i, r)| row((r0 + i, r))) }
                if virtual_rows { { scroller.bottom_spacer(shown.len()) } }
            </tbody>
        </table>
    };
    html! {
        <>
            if paged_columns {
                <div class="pager column-pager">
                    <p class="small" role="status" data-testid={format!("{}-columns", p.testid)}>
                        { trf(lang, Msg::ColumnsShown, &[
                            &int_text((c0 + 1) as i64, lang),
                            &int_text(c1 as i64, lang),
                            &int_text(values as i64, lang),
                        ]) }
                    </p>
                    <button type="button" class="btn btn-secondary btn-sm" disabled={c0 == 0} onclick={go(c0.saturating_sub(PAGE_COLUMNS))} data-testid={format!("{}-columns-previous", p.testid)}>{ tr(lang, Msg::PreviousColumns) }</button>
                    <button type="button" class="btn btn-secondary btn-sm" disabled={c1 >= values} onclick={go(c1)} data-testid={format!("{}-columns-next", p.testid)}>{ tr(lang, Msg::NextColumns) }</button>
                </div>
            }
            if virtual_rows {
                <div class="vt-viewport" tabindex="0" onscroll={scroller.onscroll.clone()} ref={scroller.viewport.clone()} aria-label={p.caption.clone()} data-testid={format!("{}-viewport", p.testid)}>
                    { table }
                </div>
            } else {
                <div class="table-scroll">{ table }</div>
            }
            <div class="export-row">
                <button type="button" class="btn btn-secondary btn-sm" onclick={csv(CsvFlavor::Standard, "")} data-testid={format!("{}-csv", p.testid)}>{ tr(lang, Msg::ExportCsv) }</button>
                <button type="button" class="btn btn-secondary btn-sm" onclick={csv(CsvFlavor::ExcelFr, "-excel-fr")}>{ tr(lang, Msg::ExportCsvFr) }</button>
            </div>
        </>
    }
}
