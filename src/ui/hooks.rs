//! Hooks shared by the components that draw on a canvas (the explorer's chart, the map, a
//! story step's chart).

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A number that changes with every resize of the window: a drawing keyed on it is redrawn
/// at the new size. (Counted outside the state, so that every resize changes it, not only the
/// first.)
#[hook]
pub fn use_resize_tick() -> u32 {
    let tick = use_state(|| 0u32);
    let count = use_memo((), |_| Rc::new(Cell::new(0u32)));
    {
        let set = tick.setter();
        let count = (*count).clone();
        use_effect_with((), move |_| {
            let closure = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                count.set(count.get().wrapping_add(1));
                set.set(count.get());
            });
            if let Some(w) = web_sys::window() {
                let _ =
                    w.add_event_listener_with_callback("resize", closure.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = web_sys::window() {
                    let _ = w.remove_event_listener_with_callback(
                        "resize",
                        closure.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    *tick
}

/// Places the tooltip element `node` 12 px right of and below `at` (page pixels in the chart
/// box), through the CSS object model: a strict Content-Security-Policy forbids style
/// attributes.
#[hook]
pub fn use_tooltip_position(node: &NodeRef, at: Option<(f64, f64)>) {
    let node = node.clone();
    use_effect_with(at.map(|(x, y)| (x.to_bits(), y.to_bits())), move |_| {
        if let (Some((x, y)), Some(el)) = (at, node.cast::<web_sys::HtmlElement>()) {
            let style = el.style();
            let _ = style.set_property("left", &format!("{}px", x + 12.0));
            let _ = style.set_property("top", &format!("{}px", y + 12.0));
        }
    });
}
