//! Talking to an Opendatasoft portal: its metadata and catalogue as JSON, with the portal's
//! own failures told apart (unknown dataset, call quota, an answer that is not the API's).
//! The addresses come from `state::portal`; only the HTTP calls live here.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::load::{js_error, CancelToken, LoadError};
use crate::state::i18n::trf;
use crate::state::portal::{self, PortalMeta, PortalRef};
use crate::state::{Lang, Msg};

/// Longest wait before retrying a call the portal refused for its quota: a reset seconds away
/// is waited for; one hours away is reported with its time.
const MAX_RETRY_WAIT_S: f64 = 10.0;

/// Fetches a portal API address and returns its body; a 429 whose `Retry-After` is at most
/// [`MAX_RETRY_WAIT_S`] is retried once after that wait.
pub async fn get_json(url: &str, lang: Lang, cancel: &CancelToken) -> Result<Vec<u8>, LoadError> {
    get(url, lang, cancel, true).await
}

/// Fetches a portal API address (JSON when `json`, else an export in CSV) as [`get_json`].
pub async fn get(
    url: &str,
    lang: Lang,
    cancel: &CancelToken,
    json: bool,
) -> Result<Vec<u8>, LoadError> {
    let host = crate::state::source::host_of(url)
        .unwrap_or(url)
        .to_string();
    for attempt in 0..2 {
        let window = web_sys::window().ok_or_else(|| LoadError::Network("no window".into()))?;
        let response = JsFuture::from(window.fetch_with_str(url))
            .await
            .map_err(|e| LoadError::Network(js_error(&e)))?;
        let response: web_sys::Response = response
            .dyn_into()
            .map_err(|e| LoadError::Network(js_error(&e)))?;
        let body = JsFuture::from(
            response
                .array_buffer()
                .map_err(|e| LoadError::Network(js_error(&e)))?,
        )
        .await
        .map(|b| js_sys::Uint8Array::new(&b).to_vec())
        .unwrap_or_default();
        if cancel.is_cancelled() {
            return Err(LoadError::Cancelled);
        }
        let status = response.status();
        if response.ok() {
            let kind = crate::core::content::sniff(&body);
            let wrong = if json {
                kind != Some(crate::core::content::NotCsv::Json)
            } else {
                kind.is_some()
            };
            if wrong {
                return Err(LoadError::Refused(trf(lang, Msg::PortalNotApi, &[&host])));
            }
            return Ok(body);
        }
        if status == 429 {
            // The spec's quota answer gives `reset_time` in its body; `Retry-After` (seconds)
            // when the portal sends and exposes it.
            let retry_after = response
                .headers()
                .get("retry-after")
                .ok()
                .flatten()
                .and_then(|v| v.trim().parse::<f64>().ok());
            let reset = reset_time(&body);
            let wait = retry_after.or_else(|| {
                reset
                    .as_ref()
                    .map(|(ms, _)| (ms - js_sys::Date::now()) / 1000.0)
            });
            match wait {
                Some(s) if s <= MAX_RETRY_WAIT_S && attempt == 0 => {
                    sleep_ms(s.max(0.5) * 1000.0).await;
                    if cancel.is_cancelled() {
                        return Err(LoadError::Cancelled);
                    }
                    continue;
                }
                _ => {
                    let until = reset.map_or_else(|| "?".into(), |(_, text)| text);
                    return Err(LoadError::Refused(trf(
                        lang,
                        Msg::PortalQuota,
                        &[&host, &until],
                    )));
                }
            }
        }
        let detail = portal::error_message(&body).unwrap_or_else(|| response.status_text());
        return Err(LoadError::Http(
            format!("{status} {detail}").trim().to_string(),
        ));
    }
    Err(LoadError::Refused(trf(
        lang,
        Msg::PortalQuota,
        &[&host, "?"],
    )))
}

/// The `reset_time` of a quota answer: milliseconds since 1970 and `YYYY-MM-DD HH:MM UTC`
/// (converted from whatever offset the portal wrote).
fn reset_time(body: &[u8]) -> Option<(f64, String)> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let t = v.get("reset_time")?.as_str()?;
    let ms = js_sys::Date::parse(t);
    if ms.is_nan() {
        return None;
    }
    let iso = String::from(js_sys::Date::new(&ms.into()).to_iso_string());
    let text: String = iso.replace('T', " ").chars().take(16).collect();
    Some((ms, format!("{text} UTC")))
}

/// Resolves after `ms` milliseconds.
pub(crate) async fn sleep_ms(ms: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// A portal dataset's metadata; an unknown dataset is said so, naming the portal.
pub async fn metadata(
    p: &PortalRef,
    lang: Lang,
    cancel: &CancelToken,
) -> Result<PortalMeta, LoadError> {
    match get_json(&p.metadata_url(), lang, cancel).await {
        Ok(body) => portal::parse_metadata(&body).map_err(LoadError::Ingest),
        // Only a 404 means the portal has no such dataset (a 401 is a private one, a 5xx the
        // portal's own failure: those keep their status).
        Err(LoadError::Http(status)) if status.starts_with("404") => {
            let host = crate::state::source::host_of(&p.origin)
                .unwrap_or(&p.origin)
                .to_string();
            Err(LoadError::Refused(trf(
                lang,
                Msg::PortalUnknownDataset,
                &[&host, &p.dataset_id],
            )))
        }
        Err(e) => Err(e),
    }
}

/// Searches a portal's catalogue.
pub async fn search(
    origin: &str,
    text: &str,
    lang: Lang,
) -> Result<(Vec<PortalMeta>, Option<u64>), LoadError> {
    let body = get_json(
        &portal::search_url(origin, text),
        lang,
        &CancelToken::default(),
    )
    .await?;
    portal::parse_search(&body).map_err(LoadError::Ingest)
}
