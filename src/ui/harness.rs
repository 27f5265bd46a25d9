//! A test fixture component: an app context holding a given state, so that component stories
//! (`tests/web_components.rs`) can mount any panel without loading a file.

use yew::prelude::*;

use super::{AppContext, Store};
use crate::state::catalog::bundled;
use crate::state::AppState;

/// Props of [`Harness`].
#[derive(Properties, PartialEq)]
pub struct HarnessProps {
    pub state: AppState,
    #[prop_or_default]
    pub children: Html,
}

/// Provides an app context holding `state` to its children: the fixture of component stories
/// (`tests/web.rs`). Loading requests are ignored.
#[component]
pub fn Harness(props: &HarnessProps) -> Html {
    let initial = props.state.clone();
    let store = use_reducer(move || Store(initial));
    let catalog = use_memo((), |_| bundled());
    let engine = use_memo((), |_| crate::state::service::LocalEngine::new());
    let context = AppContext {
        store: store.clone(),
        open: Callback::noop(),
        cancel: Callback::noop(),
        catalog: catalog.clone(),
        engine: engine.clone(),
        remote: Default::default(),
        worker: Default::default(),
        last_file: Default::default(),
        engine_pref: Default::default(),
        settled: Default::default(),
        revision: store.0.revision,
    };
    html! { <ContextProvider<AppContext> context={context}>{ props.children.clone() }</ContextProvider<AppContext>> }
}
