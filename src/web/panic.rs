//! A panic never leaves a dead page: the hook writes a visible `role="alert"` message (in
//! French and English) into the page, sets `data-loupe="error"`, and logs the details.

use crate::state::{tr, Lang, Msg};

/// Installs the panic hook. Safe to call more than once.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let detail = info.to_string();
        web_sys::console::error_1(&format!("Loupe panic: {detail}").into());
        super::dom::set_status("error");
        show_alert(&format!(
            "{} — {}",
            tr(Lang::Fr, Msg::PanicMessage),
            tr(Lang::En, Msg::PanicMessage)
        ));
    }));
}

/// Shows a fixed alert at the top of the page, outside the Yew tree (which may be dead).
pub fn show_alert(text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let Ok(el) = document.create_element("div") else {
        return;
    };
    let _ = el.set_attribute("role", "alert");
    let _ = el.set_attribute("class", "fatal-alert");
    el.set_text_content(Some(text));
    let _ = body.prepend_with_node_1(&el);
}
