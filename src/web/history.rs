//! The page URL as the view's home: read at start-up, pushed on every change of view (so that
//! back and forward walk through views), restored on `popstate`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The current query string, with its leading `?` (or empty).
pub fn current_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// Makes `search` the page's query string: a new history entry when `push`, else in place.
pub fn set_search(search: &str, push: bool) {
    let Some(window) = web_sys::window() else { return };
    if current_search() == search {
        return;
    }
    let Ok(history) = window.history() else { return };
    let path = window.location().pathname().unwrap_or_default();
    let url = format!("{path}{search}");
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    };
}

/// The page's full URL (for permalinks and embed codes).
pub fn current_href() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// Calls `f` with the new query string whenever the user goes back or forward. Returns the
/// listener, which must be kept alive (dropping it removes nothing; call `forget` to keep it).
pub fn on_popstate(f: impl Fn(String) + 'static) -> Option<Closure<dyn FnMut()>> {
    let window = web_sys::window()?;
    let closure = Closure::<dyn FnMut()>::new(move || f(current_search()));
    window.add_event_listener_with_callback("popstate", closure.as_ref().unchecked_ref()).ok()?;
    Some(closure)
}
