//! The worker's side of parallel loads: a later part read and posted encoded (for the first
//! worker of a parallel load, or for the page, `load::split`), and an encoded part read from
//! a JS buffer.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{fail, get, parse, scope, set};
use crate::core::ingest::{IngestOptions, Loader};

/// A later part of a load the page runs itself (`load::split`): the file's head and the
/// part's range come in one transferred buffer; the part goes back encoded, as a helper's.
pub(super) fn read_part(msg: &JsValue) {
    let received = js_sys::Date::now();
    let Ok(bytes) = get(msg, "bytes").dyn_into::<js_sys::Uint8Array>() else {
        return fail("read", "no bytes");
    };
    let num = |k: &str| get(msg, k).as_f64().unwrap_or(0.0).max(0.0) as u64;
    let options: IngestOptions = get(msg, "options")
        .as_string()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let src = crate::web::load::SplitBytes::new(bytes, num("head"), num("tail"), num("len"));
    let window = (num("window") as usize).max(4096);
    let loader = Loader::from_source_in_windows(Box::new(src), options, window);
    let failed = Rc::new(RefCell::new(None));
    let from = num("from");
    wasm_bindgen_futures::spawn_local(async move {
        load_part(
            loader.map_err(|e| e.to_string()),
            1,
            from,
            u64::MAX,
            None,
            &failed,
            received,
        )
        .await;
    });
}

/// An encoded part in a JS buffer, read in order without copying it whole into wasm memory.
pub(crate) struct JsInput {
    bytes: js_sys::Uint8Array,
    at: u32,
}

impl JsInput {
    pub(crate) fn new(bytes: js_sys::Uint8Array) -> Self {
        JsInput { bytes, at: 0 }
    }
}

impl crate::core::ingest::parts::PartInput for JsInput {
    fn read_exact(&mut self, out: &mut [u8]) -> Result<(), crate::core::ingest::parts::PartError> {
        let end = u32::try_from(out.len())
            .ok()
            .and_then(|n| self.at.checked_add(n))
            .filter(|&e| e <= self.bytes.length())
            .ok_or_else(|| crate::core::ingest::parts::PartError("part truncated".into()))?;
        self.bytes.subarray(self.at, end).copy_to(out);
        self.at = end;
        Ok(())
    }
}

/// A later part of a parallel load: parses its range and posts it encoded (or says it is
/// unusable, so that the first part reads the range itself).
pub(super) async fn load_part(
    loader: Result<Loader, String>,
    k: usize,
    from: u64,
    to: u64,
    feed: Option<&Rc<super::feed::Feed>>,
    failed: &Rc<RefCell<Option<String>>>,
    received: f64,
) {
    let started = js_sys::Date::now();
    let mut parsed = started;
    let bytes = match loader.and_then(|mut l| l.start_part(from, to).map(|()| l).map_err(|e| e.0)) {
        Ok(mut l) => {
            if parse(&mut l, feed, failed, k, false).await.is_none() {
                return;
            }
            parsed = js_sys::Date::now();
            l.encode_part()
        }
        Err(why) => crate::core::ingest::parts::unusable(why),
    };
    let array = js_sys::Uint8Array::new_with_length(bytes.len() as u32);
    array.copy_from(&bytes);
    drop(bytes);
    let o = js_sys::Object::new();
    set(&o, "t", &"part".into());
    set(&o, "part", &(k as f64).into());
    set(&o, "bytes", &array);
    set(&o, "ms", &(js_sys::Date::now() - started).into());
    // Where the time went: parsing, then encoding and copying out.
    set(&o, "parse_ms", &(parsed - started).into());
    // When its message was received and when it started (wall clock, ms: the page's
    // `loupeSplit` says when it was sent).
    set(&o, "received", &received.into());
    set(&o, "started", &started.into());
    let transfer = js_sys::Array::of1(&array.buffer());
    let _ = scope().post_message_with_transfer(&o, &transfer);
}
