//! The embedded view (`?embed=1`): only the chart (or the table), its summary, a source line
//! and a link "Ouvrir dans Loupe"; it fits its container.

use yew::prelude::*;

use super::chart_panel::ChartPanel;
use super::AppContext;
use crate::state::i18n::trf;
use crate::state::{tr, Msg};
use crate::web::history;

#[component]
pub fn EmbedView() -> Html {
    let Some(ctx) = use_context::<AppContext>() else {
        return html! {};
    };
    let state = ctx.state();
    let lang = state.lang;
    let Some(source) = &state.source else {
        return html! {};
    };
    let mut url = state.to_url();
    url.embed = false;
    url.allow_origins.clear();
    let base = history::current_href();
    let base = base
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string();
    let open_href = format!("{base}{}", url.to_query());
    let producer = source
        .entry
        .as_ref()
        .map(|e| format!("{} · {}", e.producer, e.licence))
        .unwrap_or_default();
    html! {
        <div class="embed-view" data-testid="embed-view">
            <h1 class="embed-title" data-testid="dataset-title">{ source.title(lang) }</h1>
            <ChartPanel controls={false} export={false} />
            <p class="embed-source small">
                { trf(lang, Msg::LabelValue, &[tr(lang, Msg::Source), &producer]) }{ " — " }
                <a href={open_href} target="_blank" rel="noopener" data-testid="open-in-loupe">{ tr(lang, Msg::OpenInLoupe) }</a>
            </p>
        </div>
    }
}
