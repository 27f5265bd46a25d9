//! Embedding in an iframe: the view posts its height to the parent (`{type: "loupe:height",
//! height}`) on load and on every change of size, and accepts `{type: "loupe:set-view", view}`
//! only from origins in the allow-list the embedding URL gave (`allow=`). Anything else is
//! ignored.

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::ViewSpec;

/// The height of the page's content. Not `documentElement.scrollHeight`, which never drops
/// below the frame's own height, so a frame taller than its content could never shrink.
fn document_height() -> f64 {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .map_or(0.0, |b| b.get_bounding_client_rect().height())
}

/// Posts the page's height to the parent frame. The height is not a secret, so any parent
/// may read it (`"*"`).
pub fn post_height() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"loupe:height".into());
    let _ = js_sys::Reflect::set(
        &msg,
        &"height".into(),
        &JsValue::from_f64(document_height().ceil()),
    );
    let _ = parent.post_message(&msg, "*");
}

/// Posts the height now and whenever the page's size changes. Keeps its observer alive.
pub fn watch_height() {
    post_height();
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    let callback = Closure::<dyn FnMut()>::new(post_height);
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&body);
        // The observer and its callback live as long as the page.
        std::mem::forget(observer);
        callback.forget();
    }
}

#[derive(Deserialize)]
struct SetView {
    #[serde(rename = "type")]
    kind: String,
    view: ViewSpec,
}

/// Parses a `loupe:set-view` message; `None` for anything else.
fn parse_set_view(data: JsValue) -> Option<ViewSpec> {
    let msg: SetView = serde_wasm_bindgen::from_value(data).ok()?;
    (msg.kind == "loupe:set-view").then_some(msg.view)
}

/// Calls `apply` with the view of each `loupe:set-view` message from an allowed origin.
pub fn listen(allowed: Vec<String>, apply: impl Fn(ViewSpec) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let closure =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if !allowed.iter().any(|o| *o == e.origin()) {
                return;
            }
            if let Some(view) = parse_set_view(e.data()) {
                apply(view);
            }
        });
    let _ = window.add_event_listener_with_callback("message", closure.as_ref().unchecked_ref());
    closure.forget();
}
