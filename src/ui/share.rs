//! Cite, share and embed: the citation (source, vintage, licence, permalink), the permalink
//! itself, and the iframe code of the current view. A local file cannot travel in a link:
//! the panel says so instead of offering a broken one.

use yew::prelude::*;

use super::AppContext;
use crate::state::i18n::trf;
use crate::state::url::UrlState;
use crate::state::{tr, Msg, SourceRef};
use crate::web::history;

/// Escapes text for an HTML attribute value in double quotes.
fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The page address without its query string.
fn base_href() -> String {
    let href = history::current_href();
    href.split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string()
}

fn copy(text: String) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(&text);
    }
}

#[component]
pub fn SharePanel() -> Html {
    let copied = use_state(|| None::<Msg>);
    let Some(ctx) = use_context::<AppContext>() else {
        return html! {};
    };
    let state = ctx.state();
    let lang = state.lang;
    let Some(source) = &state.source else {
        return html! {};
    };
    let shareable = matches!(source.reference, SourceRef::Bundled(_) | SourceRef::Url(_));
    let title = source.title(lang);
    let url: UrlState = state.to_url();
    let permalink = format!("{}{}", base_href(), url.to_query());
    let embed_url = {
        let mut u = url.clone();
        u.embed = true;
        format!("{}{}", base_href(), u.to_query())
    };
    let iframe = format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"560\" loading=\"lazy\" style=\"border:0\"></iframe>",
        attr_escape(&embed_url),
        attr_escape(&trf(lang, Msg::EmbedFrameTitle, &[&title]))
    );
    let citation = match &source.entry {
        Some(e) => trf(
            lang,
            Msg::Citation,
            &[
                e.title.get(lang),
                &e.producer,
                &e.vintage,
                &e.source_url,
                &e.licence,
                &permalink,
            ],
        ),
        None => trf(lang, Msg::CitationShort, &[&title, &permalink]),
    };
    // A portal dataset: the official Explore API calls of this view, for citing and scripting.
    let api_block = match (&source.portal, &state.data) {
        (Some(p), Some(ds)) => {
            let mut links = crate::state::portal::api_links(&p.reference, ds, &state.view, lang);
            // A join is made in this page: the portal has neither the joined columns nor rows.
            if state.join.is_some() {
                let joined = crate::state::odsql::Inexact {
                    what: tr(lang, Msg::ApiUrlJoined).to_string(),
                };
                links.chart = Err(joined.clone());
                links.rows = Err(joined);
            }
            html! {
                <div class="share-block" data-testid="api-links">
                    <h3>{ tr(lang, Msg::ApiUrlHeading) }</h3>
                    { match &links.chart {
                        Ok(u) => html! {
                            <p class="wrap"><a href={u.clone()} data-testid="api-url" rel="noopener noreferrer" target="_blank">{ u.clone() }</a>
                            if links.without_others { <span class="small">{ format!(" — {}", tr(lang, Msg::ApiUrlWithoutOthers)) }</span> }</p>
                        },
                        Err(why) => html! { <p class="small" data-testid="api-url-inexact">{ trf(lang, Msg::ApiUrlInexact, &[&why.what]) }</p> },
                    } }
                    if let Ok(u) = &links.rows {
                        <p class="wrap small">{ tr(lang, Msg::ApiExportRows) }{ " " }<a href={u.clone()} data-testid="api-export-url" rel="noopener noreferrer">{ u.clone() }</a></p>
                    }
                </div>
            }
        }
        _ => html! {},
    };
    let copy_btn = |label: Msg, text: String, key: &'static str, what: Msg| {
        let copied = copied.clone();
        let onclick = Callback::from(move |_| {
            copy(text.clone());
            copied.set(Some(what));
        });
        html! { <button type="button" class="btn btn-secondary btn-sm" {onclick} data-testid={format!("copy-{key}")}>{ tr(lang, label) }</button> }
    };
    html! {
        <section class="panel share" aria-labelledby="share-heading">
            <h2 id="share-heading">{ tr(lang, Msg::ShareHeading) }</h2>
            if !shareable {
                <p class="alert alert-info" data-testid="not-shareable">{ tr(lang, Msg::LocalFileNotShareable) }</p>
            } else {
                <div class="share-block">
                    <h3>{ tr(lang, Msg::CiteView) }</h3>
                    <p class="citation" data-testid="citation">{ citation.clone() }</p>
                    { copy_btn(Msg::CopyCitation, citation, "citation", Msg::CopiedCitation) }
                </div>
                <div class="share-block">
                    <h3><label for="permalink">{ tr(lang, Msg::Permalink) }</label></h3>
                    <input id="permalink" class="input" readonly=true value={permalink.clone()} data-testid="permalink" />
                    { copy_btn(Msg::CopyLink, permalink, "link", Msg::CopiedLink) }
                </div>
                <div class="share-block">
                    <h3><label for="embed-code">{ tr(lang, Msg::EmbedCode) }</label></h3>
                    <textarea id="embed-code" class="input code" readonly=true rows="3" value={iframe.clone()} data-testid="embed-code" />
                    { copy_btn(Msg::CopyEmbed, iframe, "embed", Msg::CopiedEmbed) }
                </div>
                { api_block }
                if let Some(k) = *copied {
                    <p class="small" role="status">{ trf(lang, Msg::Copied, &[tr(lang, k)]) }</p>
                }
            }
        </section>
    }
}
