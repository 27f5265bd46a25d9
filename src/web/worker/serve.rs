//! The worker's answers to the page's requests: one at a time, in the order they arrive, each
//! request's rows selected a slice at a time so that a `drop` of the running request (a newer
//! view superseded it) stops it between two slices (see `web/worker.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{post, scope, wire, State};

/// Answers the next request in a task of its own, so that `drop` messages that arrived
/// meanwhile are seen before the following request starts.
pub(super) fn schedule(state: &Rc<RefCell<State>>) {
    if std::mem::replace(&mut state.borrow_mut().draining, true) {
        return;
    }
    let state = state.clone();
    let cb = Closure::once_into_js(move || drain(&state));
    let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0);
}

/// The generation of the worker's one dataset for its [`crate::state::service::LocalEngine`]'s
/// cache.
const GENERATION: u64 = 1;
/// Rows a query's selection reads between two looks at the clock.
const SELECT_ROWS: usize = 1 << 16;
/// Milliseconds a query's selection reads rows before the worker looks at its messages: a
/// `drop` of the running request (a newer view superseded it) stops it there.
const SLICE_MS: f64 = 30.0;

/// Answers the queued requests one after the other (`draining` stays set until the queue is
/// empty, so that a request arriving meanwhile waits for its turn).
fn drain(state: &Rc<RefCell<State>>) {
    let next = state.borrow_mut().queue.pop_front();
    let Some((id, text)) = next else {
        state.borrow_mut().draining = false;
        return;
    };
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let id = id as u64;
        let dropped = state.borrow_mut().dropped.remove(&id);
        if !dropped {
            state.borrow_mut().running = Some(id);
            let answer = serve(&state, id, &text).await;
            let mut st = state.borrow_mut();
            st.running = None;
            st.dropped.remove(&id);
            drop(st);
            match answer {
                Some(answer) => post(
                    "answer",
                    &[
                        ("id", (id as f64).into()),
                        ("text", wire::encode_answer(&answer).into()),
                    ],
                ),
                None => count_stopped(),
            }
        }
        state.borrow_mut().draining = false;
        if !state.borrow().queue.is_empty() {
            schedule(&state);
        }
    });
}

/// The answer to request `id`; `None` when the page dropped it while its rows were being
/// selected (the selection is read a slice at a time, and the worker's messages are seen
/// between slices: [`crate::core::query::Selector`]).
async fn serve(
    state: &Rc<RefCell<State>>,
    id: u64,
    text: &str,
) -> Option<Result<crate::state::service::Answer, crate::core::query::QueryError>> {
    use crate::core::query::{QueryError, Selector};
    let req = match wire::decode_request(text) {
        Ok(req) => req,
        Err(e) => return Some(Err(QueryError::Remote(e))),
    };
    let Some(ds) = state.borrow().data.clone() else {
        return Some(Err(QueryError::Remote(
            "aucune donnée chargée / no data loaded".into(),
        )));
    };
    if let Some(filters) = req.filters() {
        if !state.borrow().engine.has_selection(GENERATION, filters) {
            let mut sel = match Selector::new(&ds, filters) {
                Ok(sel) => sel,
                Err(e) => return Some(Err(e)),
            };
            loop {
                // Test hook: the end-to-end tests hold a selection before a slice to drop it
                // while it runs (`loupeHold`; `loupeHeld` says one is held).
                while global_flag("loupeHold") {
                    let _ =
                        js_sys::Reflect::set(&js_sys::global(), &"loupeHeld".into(), &true.into());
                    sleep_ms(10).await;
                    if state.borrow_mut().dropped.remove(&id) {
                        return None;
                    }
                }
                let t0 = js_sys::Date::now();
                let mut done = false;
                while !done && js_sys::Date::now() - t0 < SLICE_MS {
                    done = sel.step(SELECT_ROWS);
                }
                if done {
                    break;
                }
                crate::web::dom::yield_now().await;
                if state.borrow_mut().dropped.remove(&id) {
                    return None;
                }
            }
            state
                .borrow()
                .engine
                .keep_selection(GENERATION, filters, sel.finish());
        }
    }
    let answer = state.borrow().engine.answer(&ds, GENERATION, &req);
    Some((*answer).clone())
}

fn global_flag(name: &str) -> bool {
    js_sys::Reflect::get(&js_sys::global(), &name.into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Resolves after `ms` milliseconds (the worker's own timer: there is no `window` here).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Counts a request stopped while running in the worker's global `loupeStopped` (read by the
/// end-to-end tests through the worker's own scope).
fn count_stopped() {
    let key = JsValue::from_str("loupeStopped");
    let global = js_sys::global();
    let n = js_sys::Reflect::get(&global, &key)
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let _ = js_sys::Reflect::set(&global, &key, &(n + 1.0).into());
}
