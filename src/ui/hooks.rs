//! Hooks shared by the components that draw on a canvas (the explorer's chart, the map, a
//! story step's chart).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The width a canvas is drawn at: its parent's width, known without asking the browser for
/// a layout in the middle of a render. The first drawing reads it (`clientWidth`, once); after
/// that a `ResizeObserver` on the parent keeps it, read after the browser's own layout, and
/// `tick` changes when it changes, so that a drawing keyed on it is redrawn at the new size.
/// Reading `clientWidth` in every redraw forced a synchronous layout of the whole page right
/// after each render's DOM changes: 15 ms of a 34 ms task when a filter was removed at 1M rows
/// (CPU profile, headless Chromium).
#[derive(Clone)]
pub struct CanvasWidth {
    pub tick: u32,
    inner: Rc<WidthCell>,
}

struct WidthCell {
    /// The parent's width: read once by the first drawing, then kept by the observer.
    width: Rc<Cell<Option<i32>>>,
    observed: RefCell<Option<web_sys::Element>>,
    observer: Option<web_sys::ResizeObserver>,
    _on_resize: Closure<dyn FnMut(js_sys::Array)>,
}

impl Drop for WidthCell {
    fn drop(&mut self) {
        if let Some(o) = &self.observer {
            o.disconnect();
        }
    }
}

impl CanvasWidth {
    /// The width to draw `canvas` at (280 to 1,400 px; 800 when it has no parent).
    pub fn of(&self, canvas: &web_sys::HtmlCanvasElement) -> u32 {
        let Some(parent) = canvas.parent_element() else {
            return 800;
        };
        let inner = &self.inner;
        if inner.observed.borrow().as_ref() != Some(&parent) {
            if let Some(o) = &inner.observer {
                o.disconnect();
                o.observe(&parent);
            }
            *inner.observed.borrow_mut() = Some(parent.clone());
            inner.width.set(None);
        }
        let width = inner.width.get().unwrap_or_else(|| {
            let w = parent.client_width();
            inner.width.set(Some(w));
            w
        });
        width.clamp(280, 1400) as u32
    }
}

/// See [`CanvasWidth`].
#[hook]
pub fn use_canvas_width() -> CanvasWidth {
    let tick = use_state(|| 0u32);
    let set = tick.setter();
    let inner = use_memo((), move |_| {
        let width: Rc<Cell<Option<i32>>> = Rc::new(Cell::new(None));
        let seen = width.clone();
        let count = Cell::new(0u32);
        // Called after the browser's layout: reading the width here forces nothing.
        let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let Ok(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() else {
                return;
            };
            let w = entry.target().client_width();
            // The first report after a drawing gives the width it was drawn at: no redraw.
            if seen.get() != Some(w) {
                seen.set(Some(w));
                count.set(count.get().wrapping_add(1));
                // Redrawn in a task of its own, not inside the observer's callback: a redraw
                // may change the box's height, which the browser would report as a
                // "ResizeObserver loop" error if it happened during this delivery.
                let (set, tick) = (set.clone(), count.get());
                wasm_bindgen_futures::spawn_local(async move {
                    crate::web::dom::yield_now().await;
                    set.set(tick);
                });
            }
        });
        let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
        WidthCell {
            width,
            observed: RefCell::new(None),
            observer,
            _on_resize: on_resize,
        }
    });
    CanvasWidth { tick: *tick, inner }
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
