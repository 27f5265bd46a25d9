//! Opendatasoft portals (data.economie.gouv.fr and the others): which addresses name a portal
//! dataset, the Explore API v2.1 addresses Loupe calls, and the portal's metadata read as
//! Loupe's documentation.
//!
//! What must stay true: only what [`super::source::classify`] accepts reaches here (`https://`,
//! `http://` on the local machine); every address built here is under the portal's own
//! origin; the portal's HTML description is turned into plain text, never rendered as HTML;
//! a dataset id is kept to the characters portals use (letters, digits, `-`, `_`, `.`).

use serde::Deserialize;

use super::catalog::{Bilingual, CatalogEntry};
use crate::core::ColumnType;

/// The portal Loupe searches when the page does not say another (`?portal=`).
pub const DEFAULT_PORTAL: &str = "https://data.economie.gouv.fr";

/// The Explore API's root under a portal's origin.
pub const API_ROOT: &str = "/api/explore/v2.1";

/// One dataset of one portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalRef {
    /// `https://host[:port]`, lower-case scheme and host, no trailing slash.
    pub origin: String,
    pub dataset_id: String,
}

/// Reads a portal dataset from an address users copy: the dataset page
/// (`https://HOST/explore/dataset/ID/…`, also under a language prefix like `/fr/`) or any Explore
/// API address of the dataset (`https://HOST/api/explore/v2.1/catalog/datasets/ID…`, and the
/// older `/api/v2/`).
///
/// ```
/// use loupe::state::portal::parse_dataset_url;
/// let p = parse_dataset_url("https://data.economie.gouv.fr/explore/dataset/decp-v3-marches-valides/table/?sort=x").unwrap();
/// assert_eq!((p.origin.as_str(), p.dataset_id.as_str()), ("https://data.economie.gouv.fr", "decp-v3-marches-valides"));
/// ```
pub fn parse_dataset_url(url: &str) -> Option<PortalRef> {
    let lower = url.to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return None;
    };
    let rest = &url[scheme_len..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    if host.is_empty() || host.contains('@') || host.contains('\\') {
        return None;
    }
    let origin = format!("{}{}", &lower[..scheme_len], host.to_ascii_lowercase());
    let path = rest[host_end..].split(['?', '#']).next().unwrap_or("");
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let id = match segments.as_slice() {
        ["explore", "dataset", id, ..] | [_, "explore", "dataset", id, ..] => *id,
        ["api", "explore", "v2.1" | "v2.0", "catalog", "datasets", id, ..]
        | ["api", "v2", "catalog", "datasets", id, ..] => *id,
        _ => return None,
    };
    valid_id(id).then(|| PortalRef {
        origin,
        dataset_id: id.to_string(),
    })
}

fn valid_id(id: &str) -> bool {
    // At least one letter or digit: `.` and `..` are path steps, not ids.
    id.chars().any(|c| c.is_ascii_alphanumeric())
        && id.len() <= 200
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A portal origin from `?portal=`: `https://host[:port]` (or `http://` on the local machine),
/// nothing after the host; `None` otherwise.
pub fn parse_origin(v: &str) -> Option<String> {
    let v = v.trim_end_matches('/');
    match super::source::classify(v, &[]) {
        Ok(super::source::Src::Remote(u)) => {
            let lower = u.to_ascii_lowercase();
            let rest = lower.split_once("://")?.1;
            (!rest.contains(['/', '?', '#', '@'])).then_some(lower)
        }
        _ => None,
    }
}

impl PortalRef {
    fn dataset_api(&self) -> String {
        format!(
            "{}{API_ROOT}/catalog/datasets/{}",
            self.origin, self.dataset_id
        )
    }

    /// The dataset's metadata (title, licence, fields...).
    pub fn metadata_url(&self) -> String {
        self.dataset_api()
    }

    /// The whole dataset as CSV (the exports endpoint has no row limit).
    pub fn export_csv_url(&self) -> String {
        format!("{}/exports/csv", self.dataset_api())
    }

    /// The dataset's page on its portal, for people.
    pub fn page_url(&self) -> String {
        format!("{}/explore/dataset/{}/", self.origin, self.dataset_id)
    }

    /// What a link carries as `src`: the dataset page, which every portal user recognises.
    pub fn src(&self) -> String {
        self.page_url()
    }
}

/// The catalogue search of `origin` for `text` (full-text, as the portal's own search box):
/// the 20 most recently modified matches.
pub fn search_url(origin: &str, text: &str) -> String {
    let mut params = vec![
        ("limit", "20".to_string()),
        ("order_by", "modified desc".to_string()),
    ];
    let text = text.trim();
    if text.split(['"', '\\']).any(|w| !w.trim().is_empty()) {
        // A string literal alone in `where` is the portal's full-text search.
        let words: Vec<&str> = text
            .split(['"', '\\'])
            .flat_map(str::split_whitespace)
            .collect();
        params.insert(0, ("where", format!("\"{}\"", words.join(" "))));
    }
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", super::url::percent_encode(v)))
        .collect();
    format!("{origin}{API_ROOT}/catalog/datasets?{}", query.join("&"))
}

/// One field of a portal dataset.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PortalField {
    pub name: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default, rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub description: Option<String>,
}

impl PortalField {
    /// Loupe's type for the portal's, forced on ingest in both engines: the portal engine sees
    /// only the first records, so a type guessed from the values could differ from the one the
    /// whole download gives (integers first and a decimal later, amounts with one decimal
    /// first and two later, a column empty at first); the metadata's holds for every record.
    /// Text stays text (codes such as `01053` or `2A`); `double` is a float, as on the portal.
    pub fn forced_type(&self) -> Option<ColumnType> {
        self.loupe_type()
    }

    /// Loupe's name of the portal's type, for the documentation panel.
    pub fn loupe_type(&self) -> Option<ColumnType> {
        Some(match self.ty.as_str() {
            "int" => ColumnType::Integer,
            "double" => ColumnType::Float,
            "date" => ColumnType::Date,
            "datetime" => ColumnType::Datetime,
            "boolean" => ColumnType::Boolean,
            "text" => ColumnType::Text,
            _ => return None,
        })
    }
}

/// What the portal says about a dataset.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PortalMeta {
    pub dataset_id: String,
    pub title: String,
    /// The description as plain text (paragraphs separated by blank lines).
    pub description: String,
    pub publisher: String,
    pub license: String,
    pub modified: String,
    pub records_count: Option<u64>,
    pub keywords: Vec<String>,
    pub themes: Vec<String>,
    pub fields: Vec<PortalField>,
}

#[derive(Deserialize)]
struct RawDataset {
    #[serde(default)]
    dataset_id: String,
    #[serde(default)]
    metas: RawMetas,
    #[serde(default)]
    fields: Vec<PortalField>,
}

#[derive(Deserialize, Default)]
struct RawMetas {
    #[serde(default)]
    default: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct RawCatalog {
    #[serde(default)]
    total_count: Option<u64>,
    #[serde(default)]
    results: Vec<RawDataset>,
}

fn text_of(m: &serde_json::Map<String, serde_json::Value>, key: &str) -> String {
    match m.get(key) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

fn list_of(m: &serde_json::Map<String, serde_json::Value>, key: &str) -> Vec<String> {
    match m.get(key) {
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

impl From<RawDataset> for PortalMeta {
    fn from(d: RawDataset) -> Self {
        let m = &d.metas.default;
        PortalMeta {
            dataset_id: d.dataset_id.clone(),
            title: text_of(m, "title"),
            description: html_to_text(&text_of(m, "description")),
            publisher: text_of(m, "publisher"),
            license: text_of(m, "license"),
            modified: text_of(m, "modified"),
            records_count: m.get("records_count").and_then(|v| v.as_u64()),
            keywords: list_of(m, "keyword"),
            themes: list_of(m, "theme"),
            fields: d.fields,
        }
    }
}

/// Reads a dataset's metadata (the answer of [`PortalRef::metadata_url`]).
pub fn parse_metadata(json: &[u8]) -> Result<PortalMeta, String> {
    serde_json::from_slice::<RawDataset>(json)
        .map(PortalMeta::from)
        .map_err(|e| format!("métadonnées illisibles / unreadable metadata: {e}"))
}

/// Reads a catalogue search (the answer of [`search_url`]): the datasets and the total count.
pub fn parse_search(json: &[u8]) -> Result<(Vec<PortalMeta>, Option<u64>), String> {
    serde_json::from_slice::<RawCatalog>(json)
        .map(|c| {
            (
                c.results.into_iter().map(PortalMeta::from).collect(),
                c.total_count,
            )
        })
        .map_err(|e| format!("catalogue illisible / unreadable catalogue: {e}"))
}

/// The message of a portal's JSON error answer (`{"error_code": …, "message": …}`), if it is one.
pub fn error_message(json: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(json).ok()?;
    let message = v.get("message")?.as_str()?.to_string();
    Some(message)
}

impl PortalMeta {
    /// The ingest type overrides the metadata calls for (every field of a known type).
    pub fn type_overrides(&self) -> Vec<(String, ColumnType)> {
        self.fields
            .iter()
            .filter_map(|f| f.forced_type().map(|t| (f.name.clone(), t)))
            .collect()
    }

    /// A catalogue entry for the dataset, so that the page shows its title, producer, licence
    /// and vintage like those of a bundled dataset.
    pub fn entry(&self, portal: &PortalRef) -> CatalogEntry {
        let same = |s: &str| Bilingual {
            fr: s.to_string(),
            en: s.to_string(),
        };
        let title = if self.title.is_empty() {
            &portal.dataset_id
        } else {
            &self.title
        };
        CatalogEntry {
            id: portal.dataset_id.clone(),
            file: portal.export_csv_url(),
            title: same(title),
            producer: self.publisher.clone(),
            source_url: portal.page_url(),
            licence: self.license.clone(),
            vintage: self
                .modified
                .get(..10)
                .unwrap_or(&self.modified)
                .to_string(),
            row: same(""),
            chart: Default::default(),
            columns: Default::default(),
        }
    }
}

/// The official Explore API addresses of a view of a portal dataset: the call that computes
/// the chart's numbers, and the export of the filtered rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiLinks {
    /// The chart's numbers; `Err` says why no single ODSQL call computes them exactly.
    pub chart: Result<String, super::odsql::Inexact>,
    /// The chart folds groups past its top N into "Autres": the call gives the top N only.
    pub without_others: bool,
    /// The filtered rows as CSV.
    pub rows: Result<String, super::odsql::Inexact>,
}

/// The fields of a loaded dataset, as the translation to ODSQL needs them.
pub fn fields_of(ds: &crate::core::Dataset) -> Vec<super::odsql::Field> {
    ds.columns
        .iter()
        .map(|c| super::odsql::Field {
            name: c.name.clone(),
            ty: c.column_type(),
        })
        .collect()
}

/// The API addresses of `view` over a portal dataset loaded as `ds`, with the reasons written
/// in `lang`.
///
/// Maps, histograms and scatter plots are not drawn from `view.chart_query()` but from
/// [`super::view::chart_rows`]: a map matches and rolls codes up to its level, a histogram bins
/// up to a million raw values, a scatter plot samples its points evenly. No single ODSQL call
/// returns those numbers, so their chart link is `Err` with a sentence saying why; the export
/// of the filtered rows stays, since it holds the values they are drawn from.
pub fn api_links(
    portal: &PortalRef,
    ds: &crate::core::Dataset,
    view: &super::ViewSpec,
    lang: super::i18n::Lang,
) -> ApiLinks {
    use super::i18n::{tr, trf, Msg};
    use super::odsql;
    use crate::chart::ChartKind;
    let fields = fields_of(ds);
    let mut q = view.chart_query();
    let without_others = q.others && q.limit.is_some() && !q.group_by.is_empty();
    q.others = false;
    let drawn_in_page = |what: String| Err(odsql::Inexact { what });
    let chart = match view.chart.kind {
        ChartKind::Map => drawn_in_page(tr(lang, Msg::ApiUrlMap).to_string()),
        ChartKind::Histogram => drawn_in_page(tr(lang, Msg::ApiUrlHistogram).to_string()),
        ChartKind::Scatter => {
            let most = super::view::MAX_CHART_POINTS as f64;
            let most = match lang {
                super::i18n::Lang::Fr => crate::chart::format::fr_number(most, 0),
                super::i18n::Lang::En => crate::chart::format::en_number(most, 0),
            };
            drawn_in_page(trf(lang, Msg::ApiUrlScatter, &[&most]))
        }
        _ => odsql::translate(&q, &fields)
            .map(|call| odsql::url(&portal.origin, &portal.dataset_id, &call)),
    };
    ApiLinks {
        chart,
        without_others,
        rows: odsql::export_url(&portal.origin, &portal.dataset_id, &view.filters, &fields),
    }
}

/// Plain text of a portal description written in HTML: tags dropped, block ends and `<br>` as
/// line breaks, the common entities decoded, runs of blank lines folded. The result is shown
/// as text, so nothing in it can run.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        match name.as_str() {
            "br" => out.push('\n'),
            "p" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr"
            | "table" => out.push_str("\n\n"),
            _ => {}
        }
        // The content of a script or style element is not text.
        if (name == "script" || name == "style") && !rest[open + 1..].starts_with('/') {
            let end = format!("</{name}");
            match rest[open..].to_ascii_lowercase().find(&end) {
                Some(e) => {
                    rest = &rest[open + e..];
                    continue;
                }
                None => {
                    rest = "";
                    break;
                }
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#039;", "'")
        .replace("&rsquo;", "’")
        .replace("&eacute;", "é")
        .replace("&egrave;", "è")
        .replace("&agrave;", "à")
        .replace("&amp;", "&");
    let mut lines: Vec<&str> = Vec::new();
    for line in decoded.lines().map(str::trim) {
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! portal_urls {
        ($($name:ident: $input:expr => $want:expr;)*) => {$(
            #[test]
            fn $name() {
                let got = parse_dataset_url($input).map(|p| (p.origin, p.dataset_id));
                let want: Option<(&str, &str)> = $want;
                assert_eq!(got, want.map(|(o, i)| (o.to_string(), i.to_string())));
            }
        )*};
    }

    portal_urls! {
        dataset_page: "https://data.economie.gouv.fr/explore/dataset/decp-v3-marches-valides/" => Some(("https://data.economie.gouv.fr", "decp-v3-marches-valides"));
        dataset_page_tab_and_query: "https://data.economie.gouv.fr/explore/dataset/fichier-des-locaux/table/?disjunctive.x=1#hash" => Some(("https://data.economie.gouv.fr", "fichier-des-locaux"));
        dataset_page_language_prefix: "https://opendata.paris.fr/fr/explore/dataset/arbres/information/" => Some(("https://opendata.paris.fr", "arbres"));
        api_records: "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/balances-comptables/records?limit=10" => Some(("https://data.economie.gouv.fr", "balances-comptables"));
        api_metadata_upper_host: "https://DATA.economie.gouv.fr/api/explore/v2.1/catalog/datasets/x_y.z" => Some(("https://data.economie.gouv.fr", "x_y.z"));
        api_v2: "https://h.example/api/v2/catalog/datasets/abc/exports/csv" => Some(("https://h.example", "abc"));
        local_standin: "http://127.0.0.1:8123/explore/dataset/budget/" => Some(("http://127.0.0.1:8123", "budget"));
        catalogue_is_not_a_dataset: "https://data.economie.gouv.fr/explore/" => None;
        csv_file: "https://example.org/data/x.csv" => None;
        relative_path: "explore/dataset/x/" => None;
        odd_id: "https://h.example/explore/dataset/a%20b/" => None;
        dot_id: "https://h.example/explore/dataset/../" => None;
        userinfo: "https://evil@h.example/explore/dataset/x/" => None;
    }

    #[test]
    fn addresses_stay_under_the_portal() {
        let p = PortalRef {
            origin: "https://data.economie.gouv.fr".into(),
            dataset_id: "decp".into(),
        };
        assert_eq!(
            p.metadata_url(),
            "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/decp"
        );
        assert_eq!(
            p.export_csv_url(),
            "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/decp/exports/csv"
        );
        assert_eq!(
            search_url("https://data.economie.gouv.fr", " taxe \"foncière\" "),
            "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets?where=%22taxe%20fonci%C3%A8re%22&limit=20&order_by=modified%20desc"
        );
        assert_eq!(
            search_url("https://h.example", " \"\" "),
            "https://h.example/api/explore/v2.1/catalog/datasets?limit=20&order_by=modified%20desc"
        );
        assert_eq!(
            search_url("https://h.example", ""),
            "https://h.example/api/explore/v2.1/catalog/datasets?limit=20&order_by=modified%20desc"
        );
    }

    #[test]
    fn origins_are_https_hosts_only() {
        assert_eq!(
            parse_origin("https://data.economie.gouv.fr/"),
            Some("https://data.economie.gouv.fr".into())
        );
        assert_eq!(
            parse_origin("http://127.0.0.1:9000"),
            Some("http://127.0.0.1:9000".into())
        );
        assert_eq!(parse_origin("http://example.org"), None);
        assert_eq!(parse_origin("https://h.example/path"), None);
        assert_eq!(parse_origin("javascript:alert(1)"), None);
    }

    #[test]
    fn metadata_reads_as_documentation() {
        // The shape of the spec's example `dataset` answer, trimmed.
        let json = r#"{"dataset_id": "budget", "metas": {"default": {
            "title": "Budget de l'Etat", "description": "<p>Cr&eacute;dits <b>votés</b>.</p><p>Source : <a href=\"https://x\">DB</a><script>alert(1)</script></p>",
            "publisher": "DB", "license": "Licence Ouverte v2.0", "modified": "2025-06-01T10:00:00+00:00",
            "records_count": 1234, "keyword": ["budget", "LFI"], "theme": ["Finances publiques"]}},
            "fields": [{"name": "code_dep", "label": "Code département", "type": "text", "description": "INSEE"},
                       {"name": "montant", "label": "Montant (€)", "type": "double"}]}"#;
        let m = parse_metadata(json.as_bytes()).unwrap_or_default();
        assert_eq!(m.title, "Budget de l'Etat");
        assert_eq!(m.description, "Crédits votés.\n\nSource : DB");
        assert_eq!(m.records_count, Some(1234));
        assert_eq!(m.keywords, vec!["budget", "LFI"]);
        assert_eq!(m.themes, vec!["Finances publiques"]);
        assert_eq!(
            m.type_overrides(),
            vec![
                ("code_dep".to_string(), ColumnType::Text),
                ("montant".to_string(), ColumnType::Float)
            ]
        );
        assert_eq!(m.fields[1].label.as_deref(), Some("Montant (€)"));
        let p = PortalRef {
            origin: "https://h.example".into(),
            dataset_id: "budget".into(),
        };
        let e = m.entry(&p);
        assert_eq!(e.title.fr, "Budget de l'Etat");
        assert_eq!(e.vintage, "2025-06-01");
        assert_eq!(e.source_url, "https://h.example/explore/dataset/budget/");
    }

    #[test]
    fn a_ranking_view_links_to_its_grouped_records_call_and_its_filtered_export() {
        let ds = crate::core::ingest::read(
            "code_departement;montant\n01;1,5\n2A;2\n01;3\n".as_bytes(),
            &crate::core::ingest::IngestOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let view: super::super::ViewSpec = serde_json::from_str(
            r#"{"v":1,"filters":[{"op":"in","column":"code_departement","values":["01"]}],
                "chart":{"kind":"ranking","x":"code_departement","y":"montant"},"top":5}"#,
        )
        .unwrap_or_default();
        let p = PortalRef {
            origin: "https://h.example".into(),
            dataset_id: "budget".into(),
        };
        let links = api_links(&p, &ds, &view, super::super::i18n::Lang::Fr);
        // Written by hand from the manual: sum by département, largest first (ties by code), top 5.
        assert_eq!(
            links.chart.as_deref(),
            Ok("https://h.example/api/explore/v2.1/catalog/datasets/budget/records?select=code_departement%2C%20sum%28montant%29%20as%20montant&where=code_departement%20%3D%20%2201%22&group_by=code_departement&order_by=montant%20desc%2C%20code_departement%20asc&limit=5")
        );
        assert!(links.without_others);
        assert_eq!(
            links.rows.as_deref(),
            Ok("https://h.example/api/explore/v2.1/catalog/datasets/budget/exports/csv?where=code_departement%20%3D%20%2201%22")
        );
    }

    #[test]
    fn maps_histograms_and_scatter_plots_say_their_numbers_are_computed_in_the_page() {
        use super::super::i18n::{tr, Lang, Msg};
        // Codes as people write them: « 1 » is département 01, and 01001 and 01002 are two
        // communes of it. A département map of this column has one area, 01, holding 1 + 3 + 4,
        // while a call grouped by `code` would return three rows: no single call is exact.
        let ds = crate::core::ingest::read(
            "code;montant;taux\n1;1;0.1\n01001;3;0.2\n01002;4;0.3\n".as_bytes(),
            &crate::core::ingest::IngestOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let p = PortalRef {
            origin: "https://h.example".into(),
            dataset_id: "budget".into(),
        };
        let view = |chart: &str| -> super::super::ViewSpec {
            serde_json::from_str(&format!(
                r#"{{"v":1,"filters":[{{"op":"in","column":"code","values":["1"]}}],"chart":{chart}}}"#
            ))
            .unwrap_or_else(|e| panic!("{e}"))
        };
        let map = view(r#"{"kind":"map","x":"code","y":"montant","level":"departement"}"#);
        let histogram = view(r#"{"kind":"histogram","y":"taux"}"#);
        let scatter = view(r#"{"kind":"scatter","x":"montant","y":"taux"}"#);
        let export = "https://h.example/api/explore/v2.1/catalog/datasets/budget/exports/csv?where=code%20%3D%20%221%22";
        for (v, msg) in [(&map, Msg::ApiUrlMap), (&histogram, Msg::ApiUrlHistogram)] {
            for lang in [Lang::Fr, Lang::En] {
                let links = api_links(&p, &ds, v, lang);
                let why = links.chart.err().map(|e| e.what);
                assert_eq!(why.as_deref(), Some(tr(lang, msg)), "{:?}", v.chart.kind);
                assert!(!links.without_others);
                assert_eq!(
                    links.rows.as_deref(),
                    Ok(export),
                    "the rows they are drawn from"
                );
            }
        }
        let why = |lang| {
            api_links(&p, &ds, &scatter, lang)
                .chart
                .err()
                .map(|e| e.what)
        };
        assert_eq!(
            why(Lang::Fr).as_deref(),
            Some("le nuage de points place les lignes filtrées dans votre navigateur, et au-delà de 20\u{202F}000 points il n'en garde qu'un échantillon régulier ; l'export des lignes filtrées donne toutes ces lignes")
        );
        assert_eq!(
            why(Lang::En).as_deref(),
            Some("the scatter plot places the filtered rows in your browser, and past 20,000 points it keeps only an even sample of them; the export of the filtered rows gives all of those rows")
        );
        // The same columns as a bar chart: one grouped call, exact.
        let bar = view(r#"{"kind":"bar","x":"code","y":"montant"}"#);
        assert!(api_links(&p, &ds, &bar, Lang::Fr).chart.is_ok());
    }

    #[test]
    fn html_descriptions_become_plain_text() {
        assert_eq!(html_to_text("a<br>b<br/>c"), "a\nb\nc");
        assert_eq!(
            html_to_text("<ul><li>un</li><li>deux</li></ul>"),
            "un\n\ndeux"
        );
        assert_eq!(html_to_text("x &lt;b&gt; &amp; y"), "x <b> & y");
        assert_eq!(
            html_to_text("<style>p{}</style>ok<script>bad()</script>"),
            "ok"
        );
        assert_eq!(html_to_text("unclosed <b"), "unclosed");
    }

    #[test]
    fn searches_and_errors_are_read() {
        let json = br#"{"total_count": 2, "results": [{"dataset_id": "a", "metas": {"default": {"title": "A", "records_count": 5}}},
                                                     {"dataset_id": "b", "metas": {"default": {"title": "B"}}}]}"#;
        let (hits, total) = parse_search(json).unwrap_or_default();
        assert_eq!(total, Some(2));
        assert_eq!(
            hits.iter()
                .map(|h| h.dataset_id.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(hits[0].records_count, Some(5));
        assert_eq!(
            error_message(br#"{"error_code": "NotFound", "message": "Unknown dataset: x"}"#),
            Some("Unknown dataset: x".into())
        );
        assert_eq!(error_message(b"<html>"), None);
    }
}
