//! "Stop": while the engine's worker (or the portal) computes a view for longer than a moment,
//! a button goes back to the last view whose answers had all arrived. Going back supersedes
//! the running requests (`web/worker_engine.rs` drops them: the worker stops a selection
//! between two slices), and the older view's answers are already known.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use super::AppContext;
use crate::state::{tr, Action, Msg};

/// Milliseconds a view may take before "Stop" is offered (quick answers never flash it).
const OFFER_AFTER_MS: f64 = 700.0;

#[component]
pub fn StopQuery() -> Html {
    let ctx = use_context::<AppContext>();
    // The view on screen (and its dataset's generation): the moment is timed from its change,
    // not from each partial answer.
    let key = ctx.as_ref().map(|c| {
        let st = c.state();
        (st.generation, st.view.clone())
    });
    // The view for which the moment has passed: looked at again then.
    let waited = use_state(|| None::<(u64, crate::state::ViewSpec)>);
    {
        let waited = waited.clone();
        use_effect_with(key.clone(), move |key| {
            let alive = Rc::new(Cell::new(true));
            let still = alive.clone();
            let key = key.clone();
            wasm_bindgen_futures::spawn_local(async move {
                crate::web::portal::sleep_ms(OFFER_AFTER_MS).await;
                if still.get() {
                    waited.set(key);
                }
            });
            move || alive.set(false)
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };
    let st = ctx.state();
    let busy = ctx.worker.busy() || ctx.remote.busy();
    let back = ctx
        .settled
        .borrow()
        .clone()
        .filter(|(generation, view)| *generation == st.generation && *view != st.view);
    let (true, Some((_, back))) = (busy && waited.is_some() && *waited == key, back) else {
        return html! {};
    };
    let lang = st.lang;
    let stop = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            ctx.worker.drop_panel_requests();
            ctx.dispatch(Action::SetView(back.clone()));
        })
    };
    html! {
        <p class="query-busy" data-testid="query-busy">
            <span>{ tr(lang, Msg::WorkerComputing) }</span>
            <button type="button" class="btn btn-secondary btn-sm" onclick={stop} aria-describedby="stop-query-hint" data-testid="stop-query">{ tr(lang, Msg::StopQuery) }</button>
            <span class="small" id="stop-query-hint">{ tr(lang, Msg::StopQueryHint) }</span>
        </p>
    }
}
