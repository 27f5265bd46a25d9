//! What is open: title, source and licence, row and column counts, and the one-line ingest
//! report ("Détecté : …") with one-click corrections that read the file again.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{AppContext, OpenRequest};
use crate::core::ingest::{IngestOptions, IngestReport};
use crate::state::app::Engine;
use crate::state::i18n::trf;
use crate::state::{tr, Action, Lang, Msg};
use crate::ui::chart_panel::int_text;

/// The ingest report in one sentence.
pub fn detected_line(r: &IngestReport, lang: Lang) -> String {
    let delim = match r.delimiter.as_str() {
        "\t" => tr(lang, Msg::Tab).to_string(),
        d => d.to_string(),
    };
    let decimal = if r.decimal_separator == "," {
        tr(lang, Msg::DecimalComma)
    } else {
        tr(lang, Msg::DecimalDot)
    };
    let header = match r.header_row {
        Some(h) => trf(lang, Msg::HeaderOnLine, &[&(h + 1).to_string()]),
        None => tr(lang, Msg::NoHeader).to_string(),
    };
    let enc = match r.encoding.as_str() {
        "utf-8" if r.bom => "UTF-8 (BOM)".to_string(),
        "utf-8" => "UTF-8".to_string(),
        "windows-1252" => "Windows-1252".to_string(),
        other => other.to_uppercase(),
    };
    trf(lang, Msg::DetectedLine, &[&enc, &delim, decimal, &header])
}

#[derive(Properties, PartialEq)]
pub struct DatasetInfoProps {
    /// Show the ingest report and its corrections (power users, and always for own files).
    pub show_report: bool,
}

#[component]
pub fn DatasetInfo(props: &DatasetInfoProps) -> Html {
    let Some(ctx) = use_context::<AppContext>() else {
        return html! {};
    };
    let state = ctx.state();
    let lang = state.lang;
    let Some(source) = &state.source else {
        return html! {};
    };
    let title = source.title(lang);
    let data = state.data.clone();

    let reread = |field: &'static str| {
        let open = ctx.open.clone();
        let base: IngestOptions = state.options.clone();
        Callback::from(move |e: Event| {
            let Some(sel) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            else {
                return;
            };
            let v = sel.value();
            let mut o = base.clone();
            match field {
                "encoding" => o.encoding = Some(v),
                "delimiter" => o.delimiter = Some(if v == "tab" { "\t".into() } else { v }),
                "decimal" => o.decimal = Some(v),
                _ => {
                    if v == "none" {
                        o.header = Some(false);
                        o.header_row = None;
                    } else {
                        o.header = Some(true);
                        o.header_row = v.parse::<usize>().ok().map(|n| n.saturating_sub(1));
                    }
                }
            }
            open.emit(OpenRequest::Reread(o));
        })
    };

    // The other engine for a portal dataset: the choice is kept in the link, and the dataset
    // opens again.
    let switch_engine = {
        let ctx = ctx.clone();
        let other = source.portal.as_ref().map(|p| match p.engine {
            Engine::Portal => Engine::Browser,
            Engine::Browser => Engine::Portal,
        });
        let src = source.portal.as_ref().map(|p| p.reference.src());
        Callback::from(move |_: MouseEvent| {
            if let (Some(e), Some(src)) = (other, src.clone()) {
                *ctx.engine_pref.borrow_mut() = Some(e);
                ctx.dispatch(Action::SetEngine(Some(e)));
                ctx.open.emit(OpenRequest::Url(src));
            }
        })
    };

    html! {
        <section class="dataset-info" aria-labelledby="dataset-title">
            <h1 id="dataset-title" data-testid="dataset-title">{ title }</h1>
            if let Some(e) = &source.entry {
                <p class="source-line">
                    { trf(lang, Msg::LabelValue, &[tr(lang, Msg::Producer), &e.producer]) }{ " · " }{ trf(lang, Msg::LabelColon, &[tr(lang, Msg::Source)]) }{ " " }
                    <a href={e.source_url.clone()} rel="noopener noreferrer" target="_blank">{ e.source_url.clone() }</a>
                    { " · " }{ trf(lang, Msg::LabelValue, &[tr(lang, Msg::Licence), &e.licence]) }{ " · " }{ trf(lang, Msg::LabelValue, &[tr(lang, Msg::Vintage), &e.vintage]) }
                </p>
                if !e.row.get(lang).is_empty() {
                    <p class="source-line">{ trf(lang, Msg::LabelValue, &[tr(lang, Msg::RowIs), e.row.get(lang)]) }</p>
                }
            }
            if let Some(ds) = data {
                <p class="counts">
                    <span class="badge"><strong data-testid="row-count">{ int_text(state.total_rows() as i64, lang) }</strong>{ " " }{ tr(lang, Msg::Rows) }</span>
                    <span class="badge"><strong data-testid="column-count">{ int_text(ds.columns.len() as i64, lang) }</strong>{ " " }{ tr(lang, Msg::Columns) }</span>
                    if let Some(p) = &source.portal {
                        <span class={classes!("badge", "badge-engine", (p.engine == Engine::Portal).then_some("badge-remote"))}
                              data-testid="engine" data-engine={p.engine.as_str()}>
                            { tr(lang, if p.engine == Engine::Portal { Msg::EnginePortal } else { Msg::EngineBrowser }) }
                        </span>
                    }
                    if let Some(w) = &source.worker {
                        <span class="badge badge-engine badge-remote" data-testid="engine" data-engine="worker"
                              data-load-ms={w.ms.round().to_string()} data-memory={w.memory.to_string()} data-parts={w.parts.to_string()}
                              title={tr(lang, Msg::EngineWorkerHelp)}>
                            { tr(lang, Msg::EngineWorker) }
                        </span>
                        if let Some(p) = &w.partial {
                            <span class="badge" data-testid="partial-load">{ p.clone() }</span>
                        }
                    }
                </p>
                if let Some(p) = &source.portal {
                    <p class="engine-line small">
                        if p.engine == Engine::Portal {
                            { tr(lang, Msg::EnginePortalHelp) }{ " " }
                        }
                        <button type="button" class="btn btn-tertiary btn-sm" data-testid="engine-switch" onclick={switch_engine}>
                            { if p.engine == Engine::Portal {
                                trf(lang, Msg::UseBrowserEngine, &[&int_text(p.meta.records_count.unwrap_or(0) as i64, lang)])
                            } else {
                                tr(lang, Msg::UsePortalEngine).to_string()
                            } }
                        </button>
                    </p>
                }
                // A portal's export is always the same dialect (UTF-8, `;`, typed by the
                // metadata): nothing to detect or correct there.
                if props.show_report && source.portal.is_none() {
                <details class="ingest-report" data-testid="ingest-report">
                    <summary>{ detected_line(&ds.report, lang) }</summary>
                    <div class="corrections">
                        <div class="field">
                            <label for="fix-encoding">{ tr(lang, Msg::Encoding) }</label>
                            <select id="fix-encoding" class="select" onchange={reread("encoding")}>
                                { for ["utf-8", "windows-1252", "iso-8859-15", "utf-16le", "utf-16be"].iter().map(|e| html!{
                                    <option value={*e} selected={ds.report.encoding == *e}>{ *e }</option>
                                }) }
                            </select>
                        </div>
                        <div class="field">
                            <label for="fix-delimiter">{ tr(lang, Msg::Separator) }</label>
                            <select id="fix-delimiter" class="select" onchange={reread("delimiter")}>
                                { for [(",", ","), (";", ";"), ("tab", "\t"), ("|", "|"), (":", ":")].iter().map(|(label, d)| html!{
                                    <option value={*label} selected={ds.report.delimiter == *d}>{ if *label == "tab" { tr(lang, Msg::Tab) } else { *label } }</option>
                                }) }
                            </select>
                        </div>
                        <div class="field">
                            <label for="fix-decimal">{ tr(lang, Msg::Decimals) }</label>
                            <select id="fix-decimal" class="select" onchange={reread("decimal")}>
                                <option value="," selected={ds.report.decimal_separator == ","}>{ tr(lang, Msg::DecimalComma) }</option>
                                <option value="." selected={ds.report.decimal_separator != ","}>{ tr(lang, Msg::DecimalDot) }</option>
                            </select>
                        </div>
                        <div class="field">
                            <label for="fix-header">{ tr(lang, Msg::HeaderLine) }</label>
                            <select id="fix-header" class="select" onchange={reread("header")}>
                                <option value="none" selected={ds.report.header_row.is_none()}>{ tr(lang, Msg::NoHeader) }</option>
                                { for (1..=10usize).map(|n| html!{
                                    <option value={n.to_string()} selected={ds.report.header_row == Some(n - 1)}>{ n }</option>
                                }) }
                            </select>
                        </div>
                    </div>
                    if !ds.report.warnings.is_empty() {
                        <p class="small">{ trf(lang, Msg::WarningsCount, &[&ds.report.warnings.len().to_string()]) }</p>
                        <ul class="warnings">
                            { for ds.report.warnings.iter().take(20).map(|w| html!{
                                <li>{ match w.row { Some(r) => trf(lang, Msg::WarningAtLine, &[&r.to_string(), &w.message]), None => w.message.clone() } }</li>
                            }) }
                        </ul>
                    }
                </details>
                }
            }
        </section>
    }
}
