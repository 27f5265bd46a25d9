//! The bundled catalogue (`www/catalog.json`): which datasets ship with Loupe, with their
//! documentation (title, producer, source, licence, vintage, what one row is) and the default
//! chart for each. Column references are names, checked against the data by native tests.

use serde::{Deserialize, Serialize};

/// A text in French and English.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bilingual {
    pub fr: String,
    pub en: String,
}

impl Bilingual {
    pub fn get(&self, lang: super::i18n::Lang) -> &str {
        match lang {
            super::i18n::Lang::Fr => &self.fr,
            super::i18n::Lang::En => &self.en,
        }
    }
}

/// The default chart of a bundled dataset: `y` summed by `x` (or rows counted when no `y`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DefaultChart {
    pub kind: String,
    pub x: Option<String>,
    pub y: Option<String>,
    pub unit: Option<String>,
}

/// One bundled dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub id: String,
    /// Path relative to the page (never absolute: the app is hosted under sub-paths).
    pub file: String,
    pub title: Bilingual,
    pub producer: String,
    pub source_url: String,
    pub licence: String,
    pub vintage: String,
    pub row: Bilingual,
    #[serde(default)]
    pub chart: DefaultChart,
    /// What the dataset's Table Schema says about some columns (rates, measures that do not
    /// add up): a copy of the schema's `unit`, `fraction` and `additive` field properties,
    /// compiled in with the catalogue; `tests/schemas.rs` checks that the two agree.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub columns: super::view::ColumnNotes,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub version: u32,
    pub default: String,
    pub datasets: Vec<CatalogEntry>,
}

impl Catalog {
    /// Parses `catalog.json`.
    pub fn parse(json: &str) -> Result<Catalog, String> {
        serde_json::from_str(json)
            .map_err(|e| format!("catalogue illisible / unreadable catalog: {e}"))
    }

    pub fn find(&self, id: &str) -> Option<&CatalogEntry> {
        self.datasets.iter().find(|d| d.id == id)
    }

    pub fn default_entry(&self) -> Option<&CatalogEntry> {
        self.find(&self.default).or(self.datasets.first())
    }
}

/// The bundled catalogue, compiled in so that the page needs one request less.
pub const BUNDLED_JSON: &str = include_str!("../../www/catalog.json");

/// The bundled catalogue, parsed.
pub fn bundled() -> Catalog {
    Catalog::parse(BUNDLED_JSON).unwrap_or(Catalog {
        version: 1,
        default: String::new(),
        datasets: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalog_parses_and_names_existing_files() {
        let cat = Catalog::parse(BUNDLED_JSON).expect("catalog.json parses");
        assert!(cat.datasets.len() >= 6);
        assert!(cat.find(&cat.default).is_some(), "default id exists");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
        for d in &cat.datasets {
            assert!(!d.file.starts_with('/'), "{} must be a relative path", d.id);
            assert!(root.join(&d.file).is_file(), "{} is missing", d.file);
            assert!(!d.title.fr.is_empty() && !d.title.en.is_empty());
        }
        let mut ids: Vec<_> = cat.datasets.iter().map(|d| &d.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), cat.datasets.len(), "ids are unique");
    }
}
