//! The page URL as state: `?src=…&persona=…&lang=…&q=…&view=…&opts=…&embed=1`.
//!
//! `view` and `opts` are the [`ViewSpec`] and [`IngestOptions`] as JSON in unpadded base64url
//! (versioned by the spec's `v` field; every field has a default, so older links keep working).
//! Parsing never fails: a bad or hostile value is dropped and reported as a notice, never
//! executed and never put into the page or a request. `src` accepts a bundled id, an
//! `http(s)://` URL, or a relative path ending in `.csv`.

use serde::{Deserialize, Serialize};

use super::i18n::Lang;
use super::persona::Persona;
use super::view::ViewSpec;
use crate::core::ingest::IngestOptions;

/// Everything the URL carries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UrlState {
    pub src: Option<String>,
    pub persona: Option<Persona>,
    pub lang: Option<Lang>,
    /// A guided question's id.
    pub question: Option<String>,
    pub view: Option<ViewSpec>,
    pub options: Option<IngestOptions>,
    pub embed: bool,
    /// Origins allowed to send `loupe:set-view` messages to an embedded view.
    pub allow_origins: Vec<String>,
    /// A reference table joined onto the data.
    pub join: Option<JoinLink>,
    /// The Opendatasoft portal the "Portail" source searches (`https://host`).
    pub portal: Option<String>,
    /// The engine of a portal dataset (`engine=browser|portal`); absent: chosen by size.
    pub engine: Option<super::app::Engine>,
    /// Files from disk read by the engine's Web Worker (`worker=1`) or in the page
    /// (`worker=0`); absent: by size (see `AppState::use_worker`).
    pub worker: Option<bool>,
    /// The memory budget, in megabytes, for a file read by the worker (`budget=`): above it
    /// Loupe offers to load some columns, a filtered subset or a sample. Absent: the device's.
    pub budget_mb: Option<u64>,
    /// Workers that read a file from disk at once (`parts=2`...`4`: byte ranges parsed in
    /// parallel, see `core::ingest::parts`); absent: two for a file of 16-512 MB on a device
    /// of two cores or more, one otherwise (`web::worker_engine::load`).
    pub parts: Option<u8>,
}

/// A join in a link: the reference table's source and the join spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinLink {
    pub src: String,
    pub spec: crate::core::query::JoinSpec,
}

/// Longest accepted parameter value: longer ones are ignored (a link is not a data channel).
const MAX_PARAM: usize = 8_192;

impl UrlState {
    /// Parses a query string (with or without the leading `?`). Returns the state and one
    /// notice per ignored parameter.
    pub fn parse(query: &str) -> (UrlState, Vec<String>) {
        let mut s = UrlState::default();
        let mut notices = Vec::new();
        for pair in query
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (k, v) = (percent_decode(k), percent_decode(v));
            if v.len() > MAX_PARAM {
                notices.push(format!(
                    "paramètre « {k} » trop long, ignoré / parameter too long, ignored"
                ));
                continue;
            }
            let mut bad = || {
                notices.push(format!(
                    "paramètre « {} » ignoré / parameter ignored",
                    clip(&k)
                ))
            };
            match k.as_str() {
                "src" => match src_refusal(&v) {
                    None => s.src = Some(v),
                    Some(reason) => notices.push(format!("« src » : {reason}")),
                },
                "persona" => match Persona::parse(&v) {
                    Some(p) => s.persona = Some(p),
                    None => bad(),
                },
                "lang" => match Lang::parse(&v) {
                    Some(l) => s.lang = Some(l),
                    None => bad(),
                },
                "q" => match v
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    && !v.is_empty()
                {
                    true => s.question = Some(v),
                    false => bad(),
                },
                "view" => match decode_json::<ViewSpec>(&v) {
                    Some(view) => s.view = Some(view),
                    None => bad(),
                },
                "opts" => match decode_json::<IngestOptions>(&v) {
                    Some(o) => s.options = Some(o),
                    None => bad(),
                },
                "embed" => s.embed = v == "1" || v == "true",
                "join" => match decode_json::<JoinLink>(&v) {
                    Some(j) => match src_refusal(&j.src) {
                        None => s.join = Some(j),
                        Some(reason) => notices.push(format!("« join » : {reason}")),
                    },
                    None => bad(),
                },
                "portal" => match super::portal::parse_origin(&v) {
                    Some(o) => s.portal = Some(o),
                    None => bad(),
                },
                "worker" => match v.as_str() {
                    "1" | "true" => s.worker = Some(true),
                    "0" | "false" => s.worker = Some(false),
                    _ => bad(),
                },
                "budget" => match v.parse::<u64>() {
                    Ok(mb) if mb > 0 => s.budget_mb = Some(mb),
                    _ => bad(),
                },
                "parts" => match v.parse::<u8>() {
                    Ok(n @ 1..=4) => s.parts = Some(n),
                    _ => bad(),
                },
                "engine" => match super::app::Engine::parse(&v) {
                    Some(e) => s.engine = Some(e),
                    None => bad(),
                },
                "allow" => {
                    for origin in v.split(',').filter(|o| !o.is_empty()) {
                        if valid_origin(origin) {
                            s.allow_origins.push(origin.to_string());
                        } else {
                            bad();
                        }
                    }
                }
                _ => {}
            }
        }
        (s, notices)
    }

    /// The query string (with a leading `?`) that [`UrlState::parse`] reads back identically.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(src) = &self.src {
            parts.push(format!("src={}", percent_encode(src)));
        }
        if let Some(p) = self.persona {
            parts.push(format!("persona={}", p.id()));
        }
        if let Some(l) = self.lang {
            parts.push(format!("lang={}", l.code()));
        }
        if let Some(q) = &self.question {
            parts.push(format!("q={}", percent_encode(q)));
        }
        if let Some(v) = &self.view {
            parts.push(format!("view={}", encode_json(v)));
        }
        if let Some(o) = self
            .options
            .as_ref()
            .filter(|o| **o != IngestOptions::default())
        {
            parts.push(format!("opts={}", encode_json(o)));
        }
        if let Some(j) = &self.join {
            parts.push(format!("join={}", encode_json(j)));
        }
        if self.embed {
            parts.push("embed=1".into());
        }
        if let Some(p) = &self.portal {
            parts.push(format!("portal={}", percent_encode(p)));
        }
        if let Some(e) = self.engine {
            parts.push(format!("engine={}", e.as_str()));
        }
        if let Some(w) = self.worker {
            parts.push(format!("worker={}", u8::from(w)));
        }
        if let Some(mb) = self.budget_mb {
            parts.push(format!("budget={mb}"));
        }
        if let Some(n) = self.parts {
            parts.push(format!("parts={n}"));
        }
        if !self.allow_origins.is_empty() {
            parts.push(format!(
                "allow={}",
                percent_encode(&self.allow_origins.join(","))
            ));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Whether a `src` (or a join's `src`) may be used, by [`super::source::classify`]: `None`
/// when accepted (an id-like value is checked against the catalogue when it is opened), else
/// the bilingual reason shown in the page's URL notice.
pub fn src_refusal(v: &str) -> Option<String> {
    match super::source::classify(v, &[]) {
        Ok(_) | Err(super::source::Refusal::UnknownDataset { .. }) => None,
        Err(r) => Some(format!("{} / {}", r.message(v, true), r.message(v, false))),
    }
}

/// Whether a `src` may be used (see [`src_refusal`]).
pub fn valid_src(v: &str) -> bool {
    src_refusal(v).is_none()
}

/// `https://host[:port]` with nothing after it.
pub fn valid_origin(v: &str) -> bool {
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && r.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    })
}

fn encode_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v)
        .map(|j| base64url_encode(j.as_bytes()))
        .unwrap_or_default()
}

fn decode_json<T: for<'de> Deserialize<'de>>(v: &str) -> Option<T> {
    let bytes = base64url_decode(v)?;
    serde_json::from_slice(&bytes).ok()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Decodes unpadded (or padded) base64url; `None` on any other character.
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = B64.iter().position(|&b| b == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` and `+`; invalid escapes are kept as they are.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{ChartKind, ChartSpec};
    use crate::core::query::{Filter, Literal};

    #[test]
    fn base64url_round_trips() {
        for s in ["", "a", "ab", "abc", "abcd", "€ « ; » 01053"] {
            assert_eq!(
                base64url_decode(&base64url_encode(s.as_bytes())).as_deref(),
                Some(s.as_bytes())
            );
        }
        assert_eq!(base64url_encode(b"hello"), "aGVsbG8");
        assert_eq!(base64url_decode("a$b"), None);
    }

    #[test]
    fn percent_codec_round_trips_and_survives_bad_escapes() {
        let s = "https://data.example.fr/a b?x=1&y=é";
        assert_eq!(percent_decode(&percent_encode(s)), s);
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("a+b%20c"), "a b c");
    }

    #[test]
    fn a_full_view_round_trips_exactly() {
        let view = ViewSpec {
            filters: vec![
                Filter::In {
                    column: "region".into(),
                    values: vec![Literal::Text("Bretagne".into())],
                },
                Filter::Between {
                    column: "exercice".into(),
                    min: Some(Literal::Number(2019.0)),
                    max: None,
                },
            ],
            chart: ChartSpec {
                kind: ChartKind::Ranking,
                x: Some("ministere".into()),
                y: Some("montant".into()),
                ..ChartSpec::default()
            },
            top: 7,
            ..ViewSpec::default()
        };
        let state = UrlState {
            src: Some("lfi-2026-credits".into()),
            persona: Some(Persona::Journalist),
            lang: Some(Lang::En),
            question: Some("plus-grosses-missions".into()),
            view: Some(view),
            options: Some(IngestOptions {
                delimiter: Some(";".into()),
                ..IngestOptions::default()
            }),
            embed: true,
            allow_origins: vec!["https://data.economie.gouv.fr".into()],
            portal: Some("https://opendata.example.fr".into()),
            engine: Some(crate::state::app::Engine::Portal),
            worker: Some(true),
            budget_mb: Some(64),
            parts: Some(2),
            join: Some(JoinLink {
                src: "siren-communes-2022".into(),
                spec: crate::core::query::JoinSpec {
                    left_on: vec!["acheteur_id".into()],
                    right_on: vec!["SIREN".into()],
                    ..Default::default()
                },
            }),
        };
        let q = state.to_query();
        let (back, notices) = UrlState::parse(&q);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back, state);
        assert_eq!(
            back.to_query(),
            q,
            "reloading a view's URL gives the same URL back"
        );
    }

    #[test]
    fn hostile_values_are_dropped_with_a_notice() {
        let (s, notices) = UrlState::parse(
            "?src=javascript:alert(1)&persona=admin&lang=xx&view=%%%&q=<script>&allow=javascript:x&embed=1",
        );
        assert_eq!(s.src, None);
        assert_eq!(s.persona, None);
        assert_eq!(s.view, None);
        assert_eq!(s.question, None);
        assert!(s.allow_origins.is_empty());
        assert!(s.embed);
        assert_eq!(notices.len(), 6, "{notices:?}");
        assert!(!valid_src("data:text/csv,a"));
        assert!(!valid_src("//evil.example/x.csv"));
        assert!(valid_src("data/lfi_2026_etat_b_cp.csv"));
        assert!(valid_src("https://www.data.gouv.fr/fr/datasets/r/abc"));
        assert!(!valid_src("http://example.org/x.csv"));
        assert!(!valid_src("/\\evil.example/x.csv"));
        assert!(valid_src("http://127.0.0.1:8000/x.csv"));
        let (s, notices) = UrlState::parse("?src=http://example.org/x.csv");
        assert_eq!(s.src, None);
        assert!(notices[0].contains("https://"), "{notices:?}");
    }

    #[test]
    fn old_links_without_new_fields_still_parse() {
        // A v1 view written before `table_sort` existed.
        // (A kind other than the default, so that a view silently dropped to its default
        // could not pass.)
        let old = base64url_encode(br#"{"v":1,"chart":{"kind":"line","x":"REG"}}"#);
        let (s, notices) = UrlState::parse(&format!("view={old}"));
        assert!(notices.is_empty());
        let Some(view) = s.view else {
            panic!("the old view was dropped")
        };
        assert_eq!(view.chart.kind, ChartKind::Line);
        assert_eq!(view.chart.x.as_deref(), Some("REG"));
        // The fields it lacks take their documented defaults (README: top 15, agg sum).
        assert_eq!(view.top, 15);
        assert_eq!(view.agg, crate::core::query::AggOp::Sum);
        assert_eq!(view.table_sort, None);
    }
}
