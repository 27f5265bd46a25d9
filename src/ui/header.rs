//! The site header: the Loupe name and tagline (no State marks of our own), and the
//! language switch.

use yew::prelude::*;

use super::AppContext;
use crate::state::persona::{preset, Persona};
use crate::state::{tr, Action, Msg};

#[component]
pub fn SiteHeader() -> Html {
    let Some(ctx) = use_context::<AppContext>() else {
        return html! {};
    };
    let lang = ctx.state().lang;
    let switch = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::SetLang(lang.other())))
    };
    html! {
        <header class="site-header">
            <div class="container header-row">
                <div class="brand">
                    <svg class="brand-mark" viewBox="0 0 32 32" width="36" height="36" aria-hidden="true" focusable="false">
                        <circle cx="13" cy="13" r="9" fill="none" stroke="currentColor" stroke-width="3"/>
                        <line x1="20" y1="20" x2="29" y2="29" stroke="currentColor" stroke-width="4" stroke-linecap="round"/>
                    </svg>
                    <div>
                        <p class="brand-name">{ "Loupe" }</p>
                        <p class="brand-tagline">{ tr(lang, Msg::Tagline) }</p>
                    </div>
                </div>
                <div class="header-tools">
                    <nav class="persona-switch" aria-label={tr(lang, Msg::PersonaSwitch)} data-testid="persona-switch">
                        { for Persona::ALL.iter().map(|p| {
                            let ctx = ctx.clone();
                            let p = *p;
                            let label = preset(p).map(|pr| pr.label.get(lang).to_string()).unwrap_or_else(|_| p.id().to_string());
                            let current = ctx.state().persona == p;
                            let onclick = Callback::from(move |_| ctx.dispatch(Action::SetPersona(p)));
                            html! {
                                <button type="button" class={classes!("persona", current.then_some("persona-active"))}
                                    aria-pressed={current.to_string()} {onclick} data-testid={format!("persona-{}", p.id())}>{ label }</button>
                            }
                        }) }
                    </nav>
                    <button type="button" class="btn btn-tertiary btn-sm" lang={lang.other().code()} onclick={switch} data-testid="lang-switch">
                        { tr(lang, Msg::SwitchLanguage) }
                    </button>
                </div>
            </div>
        </header>
    }
}
