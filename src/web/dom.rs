//! Small DOM helpers: the `data-loupe` status attribute, query-string reading, downloads,
//! yielding to the event loop, a clock, and the value of the field an event came from.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Sets `<html data-loupe="...">` (the automation contract: loading, ready, error).
pub fn set_status(status: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        set_if_changed(&root, "data-loupe", status);
    }
}

/// Sets `<html lang="...">` so that screen readers speak the right language.
pub fn set_lang(code: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        set_if_changed(&root, "lang", code);
    }
}

/// Sets an attribute only when its value changes: both are set after every render, and
/// writing `lang` on the root, even unchanged, costs the browser a pass over the whole document
/// (measured in Chromium: 20 writes took 113 ms, most of the longest main-thread task at the
/// end of a big file's load).
fn set_if_changed(el: &web_sys::Element, name: &str, value: &str) {
    if el.get_attribute(name).as_deref() != Some(value) {
        let _ = el.set_attribute(name, value);
    }
}

/// Milliseconds from page start.
/// The first file chosen in the `<input type="file">` an event came from.
pub fn chosen_file(e: &web_sys::Event) -> Option<web_sys::File> {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
}

pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Lets the browser paint and handle input, then resumes. Uses a `MessageChannel` rather
/// than `setTimeout(0)`, which browsers clamp to 4 ms once nested.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(
        &mut |resolve, _reject| match web_sys::MessageChannel::new() {
            Ok(channel) => {
                let port1 = channel.port1();
                let port2 = channel.port2();
                let handler = Closure::once_into_js(move || {
                    // Holding the channel here keeps it alive until the message is delivered.
                    let _keep = channel;
                    let _ = resolve.call0(&JsValue::NULL);
                });
                port1.set_onmessage(handler.dyn_ref::<js_sys::Function>());
                let _ = port2.post_message(&JsValue::NULL);
            }
            Err(_) => {
                let _ = resolve.call0(&JsValue::NULL);
            }
        },
    );
    let _ = JsFuture::from(promise).await;
}

/// Offers `bytes` to the user as a file download.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?;
    download_blob(name, &blob)
}

/// Offers a blob to the user as a file download.
pub fn download_blob(name: &str, blob: &web_sys::Blob) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// Offers a URL (e.g. a canvas data URL) as a file download.
pub fn download_url(name: &str, url: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(url);
    a.set_download(name);
    a.click();
    Ok(())
}

/// The value of the text input, select or text area an event came from (empty otherwise).
pub fn event_value(e: &web_sys::Event) -> String {
    let Some(t) = e.target() else {
        return String::new();
    };
    if let Some(i) = t.dyn_ref::<web_sys::HtmlInputElement>() {
        return i.value();
    }
    if let Some(s) = t.dyn_ref::<web_sys::HtmlSelectElement>() {
        return s.value();
    }
    t.dyn_ref::<web_sys::HtmlTextAreaElement>()
        .map(|a| a.value())
        .unwrap_or_default()
}
