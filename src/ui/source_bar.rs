//! Data in: the bundled catalogue, a file picker (and drop anywhere on the page), a URL, and
//! a paste box. Shows load progress with a cancel button.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::portal::{PortalMeta, PortalRef};

use super::{AppContext, OpenRequest};
use crate::state::i18n::trf;
use crate::state::{tr, Msg, SourceRef, Status};
use crate::ui::chart_panel::int_text;

#[component]
pub fn SourceBar() -> Html {
    let Some(ctx) = use_context::<AppContext>() else {
        return html! {};
    };
    let state = ctx.state();
    let lang = state.lang;
    let url_ref = use_node_ref();
    let paste_ref = use_node_ref();
    // When the load in progress started, for its rate and time left.
    let started = use_mut_ref(|| None::<f64>);
    let elapsed_ms = match &state.status {
        Status::Loading(_) => {
            let now = crate::web::dom::now_ms();
            now - *started.borrow_mut().get_or_insert(now)
        }
        _ => {
            *started.borrow_mut() = None;
            0.0
        }
    };

    let current_id = match state.source.as_ref().map(|s| &s.reference) {
        Some(SourceRef::Bundled(id)) => id.clone(),
        _ => String::new(),
    };
    let on_pick = {
        let open = ctx.open.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                let id = sel.value();
                if !id.is_empty() {
                    open.emit(OpenRequest::Bundled(id));
                }
            }
        })
    };
    let on_file = {
        let open = ctx.open.clone();
        Callback::from(move |e: Event| {
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
            if let Some(file) = input
                .as_ref()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            {
                open.emit(OpenRequest::File(file));
            }
            if let Some(i) = input {
                i.set_value("");
            }
        })
    };
    let on_url = {
        let open = ctx.open.clone();
        let url_ref = url_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = url_ref.cast::<web_sys::HtmlInputElement>() {
                let url = input.value().trim().to_string();
                if !url.is_empty() {
                    open.emit(OpenRequest::Url(url));
                }
            }
        })
    };
    let on_paste = {
        let open = ctx.open.clone();
        let paste_ref = paste_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(area) = paste_ref.cast::<web_sys::HtmlTextAreaElement>() {
                let text = area.value();
                if !text.trim().is_empty() {
                    open.emit(OpenRequest::Text(text));
                }
            }
        })
    };
    let cancel = {
        let c = ctx.cancel.clone();
        Callback::from(move |_| c.emit(()))
    };

    // Opening the file picker starts the engine's worker for the file to come (a big file is
    // read there): it is ready, and warm, when the file is chosen.
    let prepare = {
        let worker = ctx.worker.clone();
        Callback::from(move |_: MouseEvent| worker.prepare())
    };
    let prepare_focus = {
        let worker = ctx.worker.clone();
        Callback::from(move |_: FocusEvent| worker.prepare())
    };
    html! {
        <section class="source-bar" aria-label={tr(lang, Msg::Catalogue)}>
            <div class="source-grid">
                <div class="field">
                    <label for="catalogue">{ tr(lang, Msg::ChooseDataset) }</label>
                    <select id="catalogue" class="select" onchange={on_pick} data-testid="catalogue">
                        if current_id.is_empty() {
                            <option value="" selected=true>{ "—" }</option>
                        }
                        { for ctx.catalog.datasets.iter().map(|d| html! {
                            <option value={d.id.clone()} selected={d.id == current_id}>{ d.title.get(lang).to_string() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="file-input">{ tr(lang, Msg::OpenFile) }</label>
                    // The native input stays focusable and labelled but is drawn by the label
                    // below, so that its button speaks the page's language.
                    <div class="file-picker">
                        <input id="file-input" class="file-input-native" type="file" accept=".csv,.tsv,.txt,text/csv,text/plain"
                            data-testid="file-input" onchange={on_file} onclick={prepare.clone()} onfocus={prepare_focus} />
                        <label for="file-input" class="btn btn-secondary file-button">{ tr(lang, Msg::Browse) }</label>
                    </div>
                    <p class="hint">{ tr(lang, Msg::DropHint) }</p>
                </div>
            </div>
            <PortalSearch />
            <details class="more-sources">
                <summary>{ format!("{} · {}", tr(lang, Msg::UrlLabel), tr(lang, Msg::PasteLabel)) }</summary>
                <form class="inline-form" onsubmit={on_url}>
                    <label for="url-input">{ tr(lang, Msg::UrlLabel) }</label>
                    <div class="input-row">
                        <input id="url-input" class="input" type="url" inputmode="url" placeholder={tr(lang, Msg::UrlPlaceholder)} ref={url_ref} data-testid="url-input" />
                        <button class="btn" type="submit">{ tr(lang, Msg::UrlOpen) }</button>
                    </div>
                </form>
                <form class="inline-form" onsubmit={on_paste}>
                    <label for="paste-input">{ tr(lang, Msg::PasteLabel) }</label>
                    <textarea id="paste-input" class="input" rows="4" ref={paste_ref} data-testid="paste-input" />
                    <button class="btn btn-secondary" type="submit">{ tr(lang, Msg::PasteOpen) }</button>
                </form>
            </details>
            if let Status::Loading(p) = &state.status {
                <div class="progress-box" role="status" aria-live="polite">
                    <label for="load-progress">{ tr(lang, Msg::Loading) }</label>
                    <progress id="load-progress" data-testid="load-progress"
                        max={p.bytes_total.max(1).to_string()} value={p.bytes_done.to_string()}></progress>
                    <span class="small" data-testid="load-progress-text">{ crate::state::source::progress_text(
                        p.bytes_done as f64, p.bytes_total as f64, p.rows, elapsed_ms, lang == crate::state::Lang::Fr) }</span>
                    <button type="button" class="btn btn-secondary btn-sm" onclick={cancel} data-testid="cancel-load">{ tr(lang, Msg::Cancel) }</button>
                </div>
            }
        </section>
    }
}

/// The "Portail" source: searches an Opendatasoft portal's catalogue (data.economie.gouv.fr
/// unless the link says `?portal=`) and opens a result; the results show what a user needs to
/// choose: title, publisher, records, last modification, theme.
#[component]
pub fn PortalSearch() -> Html {
    let ctx = use_context::<AppContext>();
    let input = use_node_ref();
    // Results with the portal that gave them: a result is only ever opened on its own portal.
    type Found = Result<(Vec<PortalMeta>, Option<u64>), String>;
    let results = use_state(|| None::<(String, Found)>);
    let busy = use_state(|| false);
    let Some(ctx) = ctx else { return html! {} };
    let lang = ctx.state().lang;
    let origin = ctx.state().portal_origin().to_string();
    let host = crate::state::source::host_of(&origin)
        .unwrap_or(&origin)
        .to_string();
    let on_search = {
        let (input, results, busy, origin) =
            (input.clone(), results.clone(), busy.clone(), origin.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = input
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let (results, busy, origin) = (results.clone(), busy.clone(), origin.clone());
            // One request per submitted search (no call per keystroke).
            if *busy {
                return;
            }
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let found = crate::web::portal::search(&origin, &text, lang).await;
                let label = origin.clone();
                results.set(Some((origin, found.map_err(|e| e.text(&label, lang)))));
                busy.set(false);
            });
        })
    };
    let shown = (*results)
        .clone()
        .filter(|(o, _)| *o == origin)
        .map(|(_, r)| r);
    let list = match shown {
        None => html! {},
        Some(Err(m)) => html! { <p class="alert alert-error" role="alert">{ m }</p> },
        Some(Ok((hits, total))) => {
            let shown = hits.len();
            html! {
                <>
                    <p class="small" role="status" data-testid="portal-count">{ trf(lang, Msg::PortalFound, &[
                        &int_text(total.unwrap_or(shown as u64) as i64, lang), &int_text(shown as i64, lang)]) }</p>
                    <ul class="portal-results" data-testid="portal-results">
                        { for hits.iter().map(|h| {
                            let reference = PortalRef { origin: origin.clone(), dataset_id: h.dataset_id.clone() };
                            let open = ctx.open.clone();
                            let src = reference.src();
                            let onclick = Callback::from(move |_| open.emit(OpenRequest::Url(src.clone())));
                            let mut facts = Vec::new();
                            if !h.publisher.is_empty() { facts.push(h.publisher.clone()); }
                            if let Some(n) = h.records_count { facts.push(format!("{} {}", int_text(n as i64, lang), tr(lang, Msg::Rows))); }
                            if !h.modified.is_empty() { facts.push(trf(lang, Msg::PortalModified, &[h.modified.get(..10).unwrap_or(&h.modified)])); }
                            if !h.themes.is_empty() { facts.push(h.themes.join(", ")); }
                            html! {
                                <li class="portal-result" data-testid="portal-result">
                                    <button type="button" class="btn btn-secondary btn-sm" {onclick}
                                        aria-label={trf(lang, Msg::LabelValue, &[tr(lang, Msg::UrlOpen), &h.title])}>{ tr(lang, Msg::UrlOpen) }</button>
                                    <span class="portal-title">{ if h.title.is_empty() { h.dataset_id.clone() } else { h.title.clone() } }</span>
                                    <span class="small">{ facts.join(" · ") }</span>
                                </li>
                            }
                        }) }
                    </ul>
                </>
            }
        }
    };
    html! {
        <details class="more-sources" data-testid="portal-source">
            <summary>{ trf(lang, Msg::PortalSource, &[&host]) }</summary>
            <form class="inline-form" onsubmit={on_search}>
                <label for="portal-search">{ trf(lang, Msg::PortalSearchLabel, &[&host]) }</label>
                <div class="input-row">
                    <input id="portal-search" class="input" type="search" ref={input} data-testid="portal-search" />
                    <button class="btn" type="submit" disabled={*busy}>{ tr(lang, Msg::Search) }</button>
                </div>
            </form>
            { list }
        </details>
    }
}
