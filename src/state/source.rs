//! What a `src` (of `?src=`, of a `join=` link, of the URL field) may point to, decided before
//! anything is fetched.
//!
//! Accepted: a bundled dataset id, an `https://` URL, `http://` on the developer's own machine
//! (`localhost`, `127.0.0.1`, `[::1]`), and a same-origin relative path. Everything else is
//! refused with a reason the page shows: other schemes, plain `http://` to another host, and
//! paths that a browser would resolve to another host (`//host/x.csv`, `/\host/x.csv`,
//! `\\host\x.csv`: browsers read a backslash as a slash in web URLs). An id-like value that is
//! not in the catalogue is an unknown dataset, with the closest ids offered, never fetched as a
//! path (a static host would answer its `index.html`).
//!
//! What must stay true: [`classify`] is the only gate; whatever it accepts as a path has no
//! scheme, no authority and no backslash, so it resolves under the page's own origin.

/// Where an accepted `src` points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Src {
    /// A bundled dataset id.
    Bundled(String),
    /// An absolute `https://` URL, or `http://` to the local machine.
    Remote(String),
    /// A path under the page's own origin.
    Relative(String),
}

/// Why a `src` is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `http://` to a host other than the local machine.
    PlainHttp,
    /// A scheme other than `https` (`javascript:`, `data:`, `file:`, `ftp:`…).
    Scheme,
    /// A path a browser would send to another host.
    OtherHost,
    /// Spaces, control characters or quotes where a URL has none.
    Malformed,
    /// An id-like value that no bundled dataset has; the closest ids, best first.
    UnknownDataset { closest: Vec<String> },
}

impl Refusal {
    /// The reason, in French (`french`) or English, naming the refused value.
    pub fn message(&self, value: &str, french: bool) -> String {
        let v = clip(value);
        match (self, french) {
            (Refusal::PlainHttp, true) => format!(
                "« {v} » n'est pas sûr : seules les adresses https:// sont ouvertes (http:// seulement sur localhost)"
            ),
            (Refusal::PlainHttp, false) => format!(
                "\"{v}\" is not secure: only https:// addresses are opened (http:// on localhost only)"
            ),
            (Refusal::Scheme, true) => {
                format!("« {v} » n'est pas une adresse web https:// ni un fichier de ce site")
            }
            (Refusal::Scheme, false) => {
                format!("\"{v}\" is neither an https:// web address nor a file of this site")
            }
            (Refusal::OtherHost, true) => format!(
                "« {v} » mènerait vers un autre site : écrivez une adresse https:// complète"
            ),
            (Refusal::OtherHost, false) => format!(
                "\"{v}\" would lead to another site: write a full https:// address"
            ),
            (Refusal::Malformed, true) => format!("« {v} » n'est pas une adresse valide"),
            (Refusal::Malformed, false) => format!("\"{v}\" is not a valid address"),
            (Refusal::UnknownDataset { closest }, true) => {
                let mut m = format!("jeu de données inconnu « {v} »");
                if !closest.is_empty() {
                    m.push_str(&format!(" ; vouliez-vous dire : {} ?", closest.join(", ")));
                }
                m
            }
            (Refusal::UnknownDataset { closest }, false) => {
                let mut m = format!("unknown dataset \"{v}\"");
                if !closest.is_empty() {
                    m.push_str(&format!("; did you mean: {}?", closest.join(", ")));
                }
                m
            }
        }
    }
}

fn clip(v: &str) -> String {
    let mut s: String = v.chars().take(80).collect();
    if s.len() < v.len() {
        s.push('…');
    }
    s
}

/// Longest `src` accepted (a URL of a few hundred characters is already unusual).
pub const MAX_SRC: usize = 2048;

/// Decides what `v` points to, given the ids of the bundled catalogue.
///
/// ```
/// use loupe::state::source::{classify, Refusal, Src};
/// let ids = ["decp-travaux-2024", "taux-th-2022"];
/// assert_eq!(classify("taux-th-2022", &ids), Ok(Src::Bundled("taux-th-2022".into())));
/// assert_eq!(classify("/\\evil.example/x.csv", &ids), Err(Refusal::OtherHost));
/// ```
pub fn classify(v: &str, ids: &[&str]) -> Result<Src, Refusal> {
    if v.is_empty()
        || v.len() > MAX_SRC
        || v.chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
    {
        return Err(Refusal::Malformed);
    }
    if ids.contains(&v) {
        return Ok(Src::Bundled(v.to_string()));
    }
    let lower = v.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("https://") {
        return match authority(rest) {
            Some(_) if !v.contains('\\') => Ok(Src::Remote(v.to_string())),
            _ => Err(Refusal::Malformed),
        };
    }
    if let Some(rest) = lower.strip_prefix("http://") {
        return match authority(rest) {
            Some(host) if is_local(host) && !v.contains('\\') => Ok(Src::Remote(v.to_string())),
            Some(_) => Err(Refusal::PlainHttp),
            None => Err(Refusal::Malformed),
        };
    }
    if v.starts_with("//") || v.contains('\\') {
        return Err(Refusal::OtherHost);
    }
    // A scheme is letters, digits, `+`, `-`, `.` before the first `:` (RFC 3986 §3.1); a
    // colon after the first `/`, `?` or `#` is part of a path or query and harmless.
    let head = v.split(['/', '?', '#']).next().unwrap_or(v);
    if head.contains(':') {
        return Err(Refusal::Scheme);
    }
    let id_like = v.len() <= 64
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if id_like {
        return Err(Refusal::UnknownDataset {
            closest: closest_ids(v, ids, 3),
        });
    }
    Ok(Src::Relative(v.to_string()))
}

/// The host of `rest` (what follows `scheme://`), lower-cased, without port; `None` when empty.
fn authority(rest: &str) -> Option<&str> {
    let auth = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = auth.rsplit('@').next().unwrap_or(auth);
    let host = if host_port.starts_with('[') {
        // An IPv6 literal: up to its closing bracket (none: not an address).
        let end = host_port.find(']')?;
        &host_port[..=end]
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    };
    (!host.is_empty()).then_some(host)
}

fn is_local(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// The host of an absolute `http(s)://` address (`data.economie.gouv.fr`), `None` for a path.
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let auth = rest.split(['/', '?', '#']).next()?;
    let host = auth.rsplit('@').next()?;
    (!host.is_empty()).then_some(host)
}

/// A size in bytes as people read it, in decimal units (1 Go = 10⁹ octets, as disks count):
/// French `2,5 Go`, English `2.5 GB`; one decimal under 10, none above.
pub fn size_text(bytes: f64, french: bool) -> String {
    let units: [(&str, &str, f64); 4] = [
        ("Go", "GB", 1e9),
        ("Mo", "MB", 1e6),
        ("ko", "KB", 1e3),
        ("octets", "bytes", 1.0),
    ];
    let (fr, en, scale) = units
        .iter()
        .copied()
        .find(|(_, _, s)| bytes >= *s)
        .unwrap_or(units[3]);
    let x = bytes / scale;
    let mut n = if x < 10.0 && scale > 1.0 {
        format!("{:.1}", (x * 10.0).floor() / 10.0)
    } else {
        format!("{}", x.floor())
    };
    if n.ends_with(".0") {
        n.truncate(n.len() - 2);
    }
    if french {
        format!("{}\u{a0}{fr}", n.replace('.', ","))
    } else {
        format!("{n} {en}")
    }
}

/// Up to `n` catalogue ids closest to `v`: shared words first (`decp-2024h2-travaux` and
/// `decp-travaux-2024` share `decp`, `travaux` and `2024`), then edit distance; ids sharing
/// nothing and far by spelling are left out.
pub fn closest_ids(v: &str, ids: &[&str], n: usize) -> Vec<String> {
    let words = |s: &str| -> Vec<String> {
        s.to_ascii_lowercase()
            .split(['-', '_'])
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mine = words(v);
    let mut scored: Vec<(usize, usize, &str)> = ids
        .iter()
        .map(|id| {
            let theirs = words(id);
            let shared = mine
                .iter()
                .filter(|w| {
                    theirs.iter().any(|t| {
                        t == *w
                            || (t.len() >= 3 && w.starts_with(t.as_str()))
                            || (w.len() >= 3 && t.starts_with(w.as_str()))
                    })
                })
                .count();
            (shared, levenshtein(&v.to_ascii_lowercase(), id), *id)
        })
        .filter(|&(shared, dist, id)| shared > 0 || dist * 3 <= id.len())
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(b.2)));
    scored
        .into_iter()
        .take(n)
        .map(|(_, _, id)| id.to_string())
        .collect()
}

/// Edit distance (insertions, deletions, substitutions) between two short strings.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// What the page says about a load in progress: bytes and rows read, then, once the rate is
/// measurable (half a second in), the rate and the time left. `elapsed_ms` is the time since
/// the load started. Example (French): `312 Mo / 1,0 Go · 1 820 000 lignes · 68 Mo/s · encore
/// 11 s`.
pub fn progress_text(done: f64, total: f64, rows: usize, elapsed_ms: f64, french: bool) -> String {
    let n = |x: f64| {
        if french {
            crate::chart::format::fr_number(x, 0)
        } else {
            crate::chart::format::en_number(x, 0)
        }
    };
    let mut out = format!(
        "{} / {} · {} {}",
        size_text(done, french),
        size_text(total.max(done), french),
        n(rows as f64),
        if french { "lignes" } else { "rows" }
    );
    if elapsed_ms >= 500.0 && done > 0.0 {
        let rate = done / (elapsed_ms / 1000.0);
        out.push_str(&format!(" · {}/s", size_text(rate, french)));
        if total > done {
            let left = ((total - done) / rate).ceil();
            let left = if left >= 60.0 {
                format!("{} min {} s", n((left / 60.0).floor()), n(left % 60.0))
            } else {
                format!("{} s", n(left))
            };
            out.push_str(&if french {
                format!(" · encore {left}")
            } else {
                format!(" · {left} left")
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn progress_says_rate_and_time_left_once_measurable() {
        // 300 MB of 1 GB in 5 s: 60 MB/s, 700 MB left = 11.67 s, said as 12 s.
        let fr = super::progress_text(300e6, 1e9, 1_820_000, 5_000.0, true);
        assert_eq!(
            fr.replace(['\u{202f}', '\u{a0}'], " "),
            "300 Mo / 1 Go · 1 820 000 lignes · 60 Mo/s · encore 12 s"
        );
        let en = super::progress_text(300e6, 1e9, 1_820_000, 5_000.0, false);
        assert_eq!(en, "300 MB / 1 GB · 1,820,000 rows · 60 MB/s · 12 s left");
        // 100 MB of 7 GB in 2 s: 50 MB/s, 6.9 GB left = 138 s = 2 min 18 s.
        let long = super::progress_text(100e6, 7e9, 0, 2_000.0, false);
        assert!(long.ends_with("· 50 MB/s · 2 min 18 s left"), "{long}");
        // Too early for a rate: bytes and rows only.
        assert_eq!(
            super::progress_text(1e6, 2e6, 10, 200.0, false),
            "1 MB / 2 MB · 10 rows"
        );
        // Done: no time left.
        assert!(!super::progress_text(2e6, 2e6, 10, 900.0, false).contains("left"));
    }

    use super::*;

    const IDS: [&str; 8] = [
        "lfi-2026-credits",
        "lfi-2026-recettes",
        "decp-travaux-2024",
        "ofgl-communes-2024",
        "taux-th-2022",
        "insee-communes-2022",
        "communes-population",
        "siren-communes-2022",
    ];

    macro_rules! classifies {
        ($($name:ident: $input:expr => $want:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(classify($input, &IDS), $want);
            }
        )*};
    }

    classifies! {
        bundled_id: "taux-th-2022" => Ok(Src::Bundled("taux-th-2022".into()));
        https_url: "https://data.economie.gouv.fr/x.csv" => Ok(Src::Remote("https://data.economie.gouv.fr/x.csv".into()));
        https_upper_scheme: "HTTPS://example.org/a.csv" => Ok(Src::Remote("HTTPS://example.org/a.csv".into()));
        http_localhost: "http://localhost:8080/a.csv" => Ok(Src::Remote("http://localhost:8080/a.csv".into()));
        http_loopback: "http://127.0.0.1:9000/a.csv" => Ok(Src::Remote("http://127.0.0.1:9000/a.csv".into()));
        http_ipv6_loopback: "http://[::1]:9000/a.csv" => Ok(Src::Remote("http://[::1]:9000/a.csv".into()));
        plain_http_refused: "http://example.org/a.csv" => Err(Refusal::PlainHttp);
        localhost_as_userinfo_refused: "http://localhost@evil.example/a.csv" => Err(Refusal::PlainHttp);
        localhost_subdomain_refused: "http://localhost.evil.example/a.csv" => Err(Refusal::PlainHttp);
        relative_path: "data/x.csv" => Ok(Src::Relative("data/x.csv".into()));
        relative_dot_path: "./data/x.csv" => Ok(Src::Relative("./data/x.csv".into()));
        rooted_path: "/loupe/data/x.csv" => Ok(Src::Relative("/loupe/data/x.csv".into()));
        path_with_colon_in_query: "data/x.csv?t=12:00" => Ok(Src::Relative("data/x.csv?t=12:00".into()));
        scheme_relative_refused: "//evil.example/x.csv" => Err(Refusal::OtherHost);
        backslash_host_refused: "/\\evil.example/x.csv" => Err(Refusal::OtherHost);
        double_backslash_refused: "\\\\evil.example\\x.csv" => Err(Refusal::OtherHost);
        backslash_in_https_refused: "https:\\\\evil.example/x.csv" => Err(Refusal::OtherHost);
        javascript_refused: "javascript:alert(1)" => Err(Refusal::Scheme);
        data_url_refused: "data:text/csv,a,b" => Err(Refusal::Scheme);
        file_url_refused: "file:///etc/passwd" => Err(Refusal::Scheme);
        spaces_refused: "data/x y.csv" => Err(Refusal::Malformed);
        empty_refused: "" => Err(Refusal::Malformed);
        https_without_host_refused: "https:///x.csv" => Err(Refusal::Malformed);
        unclosed_ipv6_refused: "https://[" => Err(Refusal::Malformed);
        unclosed_ipv6_loopback_refused: "http://[::1" => Err(Refusal::Malformed);
        unclosed_ipv6_after_userinfo_refused: "https://a@[" => Err(Refusal::Malformed);
        mistyped_id_is_unknown: "decp-2024h2-travaux" => Err(Refusal::UnknownDataset { closest: vec!["decp-travaux-2024".into(), "ofgl-communes-2024".into()] });
        unrelated_id_offers_nothing: "zzz" => Err(Refusal::UnknownDataset { closest: vec![] });
    }

    #[test]
    fn a_one_letter_typo_finds_its_id_first() {
        assert_eq!(closest_ids("taux-th-2021", &IDS, 1), vec!["taux-th-2022"]);
        assert_eq!(
            closest_ids("insee-commune-2022", &IDS, 1),
            vec!["insee-communes-2022"]
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Any text, and any text after a scheme, is classified without panicking: `classify`
        /// runs on the page's URL at start-up, where a panic would stop the whole page.
        #[test]
        fn classify_never_panics(
            any in "\\PC{0,40}",
            scheme in proptest::sample::select(vec!["https://", "http://", "HTTP://", "//", "/\\", ""]),
            rest in "[\\[\\]@:/\\\\?#%a-z0-9.]{0,24}",
        ) {
            let _ = classify(&any, &IDS);
            let url = format!("{scheme}{rest}");
            if let Ok(Src::Relative(p)) = classify(&url, &IDS) {
                // What is accepted as a path never names another host.
                proptest::prop_assert!(!p.starts_with("//") && !p.contains('\\'), "{}", p);
            }
        }
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size_text(2_500_000_000.0, true), "2,5\u{a0}Go");
        assert_eq!(size_text(2_000_000_000.0, false), "2 GB");
        assert_eq!(size_text(170_400_000.0, true), "170\u{a0}Mo");
        assert_eq!(size_text(999.0, false), "999 bytes");
    }

    #[test]
    fn hosts_are_read_from_absolute_addresses_only() {
        assert_eq!(
            host_of("https://data.economie.gouv.fr/a.csv"),
            Some("data.economie.gouv.fr")
        );
        assert_eq!(host_of("http://127.0.0.1:8000"), Some("127.0.0.1:8000"));
        assert_eq!(host_of("data/x.csv"), None);
    }

    #[test]
    fn messages_name_the_value_and_the_way_out() {
        let r = Refusal::UnknownDataset {
            closest: vec!["decp-travaux-2024".into()],
        };
        assert_eq!(
            r.message("decp-2024h2-travaux", true),
            "jeu de données inconnu « decp-2024h2-travaux » ; vouliez-vous dire : decp-travaux-2024 ?"
        );
        assert_eq!(
            Refusal::PlainHttp.message("http://x.org/a.csv", false),
            "\"http://x.org/a.csv\" is not secure: only https:// addresses are opened (http:// on localhost only)"
        );
    }
}
