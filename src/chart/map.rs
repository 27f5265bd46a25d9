//! Choropleth maps of régions, départements and communes: the map's options in the chart spec
//! ([`MapOptions`]), the chart table of a map ([`map_rows`]: the measure aggregated by
//! territorial code, codes normalised and rolled up to the map's level), the matching of that
//! table to shapes ([`match_areas`]), the drawing on any plotters backend ([`render_map`],
//! [`render_map_svg`]) and the map's one-sentence summary ([`summary`]).
//!
//! What must stay true:
//! - no browser crate is named here: the shapes arrive as [`geo::GeoLayer`] values parsed from
//!   bytes the caller fetched;
//! - no data code is silently dropped: a code that matches no area is counted and listed
//!   ([`MapData::unmatched`]);
//! - the attribution "IGN – ADMIN EXPRESS COG 2018 ; INSEE" is drawn on every map, so every
//!   export carries it.

use std::borrow::Borrow;

use plotters::prelude::{IntoDrawingArea, SVGBackend};
use serde::{Deserialize, Serialize};

use crate::core::query::QueryResult;

use super::data;
use super::figure::Meaning;
use super::theme::{Locale, Theme};
use super::{ChartError, ChartSpec};

pub mod classes;
pub mod codes;
pub mod geo;
mod paint;
mod rows;
mod sentence;

pub use paint::{render_map, MapHit, MapLayout};
pub use rows::{data_level, map_rows};
pub use sentence::{summary, unmatched_sentence};

/// The attribution every map carries (IGN and INSEE, Licence Ouverte).
pub const ATTRIBUTION: &str = "IGN – ADMIN EXPRESS COG 2018 ; INSEE";

/// The territorial level of a map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Communes (finest).
    Commune,
    /// The 101 départements.
    Departement,
    /// The 18 régions (coarsest).
    Region,
}

impl Level {
    /// The identifier used in the view JSON and `data-map-level`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Commune => "commune",
            Level::Departement => "departement",
            Level::Region => "region",
        }
    }

    /// The level of a column's key kind, if it is a territory.
    pub fn of_key(kind: crate::core::column::KeyKind) -> Option<Level> {
        use crate::core::column::KeyKind;
        match kind {
            KeyKind::InseeCommune => Some(Level::Commune),
            KeyKind::Departement => Some(Level::Departement),
            KeyKind::Region => Some(Level::Region),
            _ => None,
        }
    }

    /// The area noun, singular or plural, in `locale`.
    pub fn noun(self, plural: bool, locale: Locale) -> &'static str {
        match (locale, self, plural) {
            (Locale::Fr, Level::Commune, false) => "commune",
            (Locale::Fr, Level::Commune, true) => "communes",
            (Locale::Fr, Level::Departement, false) => "département",
            (Locale::Fr, Level::Departement, true) => "départements",
            (Locale::Fr, Level::Region, false) => "région",
            (Locale::Fr, Level::Region, true) => "régions",
            (Locale::En, Level::Commune, false) => "commune",
            (Locale::En, Level::Commune, true) => "communes",
            (Locale::En, Level::Departement, false) => "département",
            (Locale::En, Level::Departement, true) => "départements",
            (Locale::En, Level::Region, false) => "region",
            (Locale::En, Level::Region, true) => "regions",
        }
    }
}

/// A map's own options in the chart spec: `{"kind":"map","x":"dep","level":"departement",
/// "zone":"59","classes":"jenks"}`. Every field is optional.
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug, Default)]
#[serde(default)]
pub struct MapOptions {
    /// The level drawn; by default the level of the `x` column's codes. A coarser level rolls
    /// the codes up (communes to départements or régions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// A département code (`59`) or a région code after `R` (`R32`): the map shows only the
    /// areas inside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// How values are cut into classes (quantiles by default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<classes::Method>,
}

/// A map's zone: a département (`59`, `2A`, `971`) or a région, written with an `R` because
/// région and département codes overlap (`R32` is Hauts-de-France, `32` the Gers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone<'a> {
    Departement(&'a str),
    Region(&'a str),
}

impl<'a> Zone<'a> {
    /// Reads a zone: `R32`/`r32` a région, a département code otherwise; `None` when neither.
    pub fn parse(z: &'a str) -> Option<Zone<'a>> {
        let z = z.trim();
        if let Some(r) = z.strip_prefix(['R', 'r']) {
            return codes::REGIONS.contains(&r).then_some(Zone::Region(r));
        }
        codes::region_of(z).map(|_| Zone::Departement(z))
    }

    /// The départements of the zone.
    pub fn departements(self) -> Vec<&'static str> {
        codes::DEPARTEMENT_REGION
            .iter()
            .filter(|(d, r)| match self {
                Zone::Departement(z) => *d == z,
                Zone::Region(z) => *r == z,
            })
            .map(|(d, _)| *d)
            .collect()
    }
}

/// Whether the code `code` of level `level` lies in `zone` (see [`Zone`]); an unreadable zone
/// holds nothing.
pub fn in_zone(code: &str, level: Level, zone: &str) -> bool {
    let Some(z) = Zone::parse(zone) else {
        return false;
    };
    let dep = match level {
        Level::Commune => codes::departement_of(code),
        Level::Departement => Some(code.to_string()),
        Level::Region => {
            return match z {
                Zone::Region(r) => code == r,
                Zone::Departement(d) => codes::region_of(d) == Some(code),
            }
        }
    };
    dep.is_some_and(|d| match z {
        Zone::Departement(z) => d == z,
        Zone::Region(r) => codes::region_of(&d) == Some(r),
    })
}

/// The shape files a map needs, as paths relative to the app (`geo/departements.json`,
/// `geo/communes/59.json`): for communes, the zone's départements, else the départements the
/// table's codes belong to.
pub fn files_for(level: Level, zone: Option<&str>, table: Option<&QueryResult>) -> Vec<String> {
    match level {
        Level::Region => vec!["geo/regions.json".into()],
        Level::Departement => vec!["geo/departements.json".into()],
        Level::Commune => {
            let mut deps: Vec<String> = match zone.and_then(Zone::parse) {
                Some(z) => z.departements().into_iter().map(str::to_string).collect(),
                None => table
                    .map(|t| {
                        (0..t.rows.len())
                            .filter_map(|r| data::label(t, r, 0))
                            .filter_map(|c| codes::departement_of(&c))
                            .filter(|d| codes::region_of(d).is_some())
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            deps.sort();
            deps.dedup();
            deps.into_iter()
                .map(|d| format!("geo/communes/{d}.json"))
                .collect()
        }
    }
}

/// One area of the map with the value the data gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaValue {
    /// Index of the layer, then of the area in it.
    pub layer: usize,
    pub area: usize,
    pub value: Option<f64>,
}

/// A map's table matched to its shapes.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MapData {
    /// Every area in the map's scope, with its value (or none).
    pub areas: Vec<AreaValue>,
    /// Distinct codes of the data that match no area, sorted.
    pub unmatched: Vec<String>,
    /// The level drawn.
    pub level: Option<Level>,
}

impl MapData {
    /// Areas drawn with a value.
    pub fn with_value(&self) -> usize {
        self.areas.iter().filter(|a| a.value.is_some()).count()
    }
}

/// Matches a map's table (codes in column 0, values in column 1, see [`map_rows`]) to the areas
/// of `layers` within `zone`: by code, else by name when exactly one area of the scope bears
/// it (folded: case, accents, `St`/`Saint`).
pub fn match_areas<L: Borrow<geo::GeoLayer>>(
    table: &QueryResult,
    layers: &[L],
    level: Level,
    zone: Option<&str>,
) -> MapData {
    use std::collections::HashMap;
    let layers: Vec<&geo::GeoLayer> = layers.iter().map(Borrow::borrow).collect();
    let mut areas = Vec::new();
    let mut by_code: HashMap<&str, usize> = HashMap::new();
    let mut by_name: HashMap<String, Option<usize>> = HashMap::new();
    for (li, layer) in layers.iter().enumerate() {
        for (ai, a) in layer.areas.iter().enumerate() {
            if zone.is_some_and(|z| !in_zone(&a.code, level, z)) {
                continue;
            }
            let i = areas.len();
            areas.push(AreaValue {
                layer: li,
                area: ai,
                value: None,
            });
            by_code.insert(a.code.as_str(), i);
            by_name
                .entry(codes::fold_name(&a.name))
                .and_modify(|e| *e = None)
                .or_insert(Some(i));
        }
    }
    let mut unmatched = Vec::new();
    let y = (table.columns.len() > 1).then_some(1);
    for r in 0..table.rows.len() {
        let Some(code) = data::label(table, r, 0) else {
            continue;
        };
        let value = y.and_then(|y| data::number(table, r, y));
        let hit = by_code
            .get(code.as_str())
            .copied()
            .or_else(|| by_name.get(&codes::fold_name(&code)).copied().flatten());
        match hit {
            Some(i) => {
                if let Some(v) = value {
                    areas[i].value = Some(areas[i].value.unwrap_or(0.0) + v);
                }
            }
            None => unmatched.push(code),
        }
    }
    unmatched.sort();
    unmatched.dedup();
    MapData {
        areas,
        unmatched,
        level: Some(level),
    }
}

/// The level a map spec draws: its `level`, else the default level of its table's codes
/// (communes when the codes are five characters long).
pub fn level_of(spec: &ChartSpec, table: &QueryResult) -> Level {
    spec.map.level.unwrap_or_else(|| {
        let labels: Vec<String> = (0..table.rows.len().min(500))
            .filter_map(|r| data::label(table, r, 0))
            .collect();
        codes::guess_level(labels.iter().map(String::as_str))
    })
}

/// The map as SVG text (the file a user downloads), with the default theme.
pub fn render_map_svg<L: Borrow<geo::GeoLayer>>(
    spec: &ChartSpec,
    table: &QueryResult,
    meaning: &Meaning,
    layers: &[L],
    width: u32,
    height: u32,
    locale: Locale,
) -> Result<String, ChartError> {
    let theme = Theme {
        font_scale: 1.24,
        locale,
        ..Theme::default()
    };
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        render_map(spec, table, meaning, layers, &area, &theme, None)?;
        area.present()
            .map_err(|e| ChartError::Drawing(e.to_string()))?;
    }
    Ok(out)
}
