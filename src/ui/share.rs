//! Cite, share and embed: the citation (source, vintage, licence, permalink), the permalink
//! itself, and the iframe code of the current view. A local file cannot travel in a link:
//! the panel says so instead of offering a broken one.

use yew::prelude::*;

use super::AppContext;
use crate::state::url::UrlState;
use crate::state::{tr, Lang, Msg, SourceRef};
use crate::web::history;

/// Escapes text for an HTML attribute value in double quotes.
fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The page address without its query string.
fn base_href() -> String {
    let href = history::current_href();
    href.split(['?', '#']).next().unwrap_or_default().to_string()
}

fn copy(text: String) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(&text);
    }
}

#[component]
pub fn SharePanel() -> Html {
    let copied = use_state(|| None::<&'static str>);
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let state = ctx.state();
    let lang = state.lang;
    let Some(source) = &state.source else { return html! {} };
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
        attr_escape(&format!("Loupe : {title}"))
    );
    let citation = match &source.entry {
        Some(e) => format!(
            "{} — {} ({}). {} : {}. {} : {}. Vue Loupe : {}",
            e.title.get(lang),
            e.producer,
            e.vintage,
            tr(lang, Msg::Source),
            e.source_url,
            tr(lang, Msg::Licence),
            e.licence,
            permalink
        ),
        None => format!("{title}. Vue Loupe : {permalink}"),
    };
    let copy_btn = |label: &'static str, text: String, key: &'static str| {
        let copied = copied.clone();
        let onclick = Callback::from(move |_| {
            copy(text.clone());
            copied.set(Some(key));
        });
        html! { <button type="button" class="btn btn-secondary btn-sm" {onclick} data-testid={format!("copy-{key}")}>{ label }</button> }
    };
    let fr = lang == Lang::Fr;
    html! {
        <section class="panel share" aria-labelledby="share-heading">
            <h2 id="share-heading">{ if fr { "Citer, partager, intégrer" } else { "Cite, share, embed" } }</h2>
            if !shareable {
                <p class="alert alert-info" data-testid="not-shareable">{ tr(lang, Msg::LocalFileNotShareable) }</p>
            } else {
                <div class="share-block">
                    <h3>{ if fr { "Citer cette vue" } else { "Cite this view" } }</h3>
                    <p class="citation" data-testid="citation">{ citation.clone() }</p>
                    { copy_btn(if fr { "Copier la citation" } else { "Copy citation" }, citation, "citation") }
                </div>
                <div class="share-block">
                    <h3><label for="permalink">{ if fr { "Lien permanent" } else { "Permalink" } }</label></h3>
                    <input id="permalink" class="input" readonly=true value={permalink.clone()} data-testid="permalink" />
                    { copy_btn(if fr { "Copier le lien" } else { "Copy link" }, permalink, "link") }
                </div>
                <div class="share-block">
                    <h3><label for="embed-code">{ if fr { "Code d'intégration" } else { "Embed code" } }</label></h3>
                    <textarea id="embed-code" class="input code" readonly=true rows="3" value={iframe.clone()} data-testid="embed-code" />
                    { copy_btn(if fr { "Copier le code d'intégration" } else { "Copy the embed code" }, iframe, "embed") }
                </div>
                if let Some(k) = *copied {
                    <p class="small" role="status">{ if fr { format!("Copié ({k}).") } else { format!("Copied ({k}).") } }</p>
                }
            }
        </section>
    }
}
