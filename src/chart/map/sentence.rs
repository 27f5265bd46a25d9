//! The one-sentence summary of a map, e.g. « Nord (59) arrive en tête avec 2 648 lignes, soit
//! 29,6 % du total ; 96 départements sur 101 ont une valeur, de 3 à 2 648 ; médiane : 45. »
//! Codes without a territory get their own sentence ([`unmatched_sentence`]), shown beside.
//!
//! What must stay true: as for every chart, a share of the total is said only when the values
//! add up ([`Meaning::totals`]).

use crate::chart::figure::{self, Figure, Meaning};
use crate::chart::theme::Locale;
use crate::chart::ChartSpec;
use crate::core::query::QueryResult;

use super::geo::GeoLayer;
use super::{Level, MapData};

/// Lists at most this many unmatched codes in the sentence, then "…".
const LISTED: usize = 5;

/// The map's summary in `locale`. With `shapes` (the matched data and its layers) it names the
/// leading area and counts the areas; without (shapes not loaded yet) it reads the table only.
pub fn summary<L: std::borrow::Borrow<GeoLayer>>(
    spec: &ChartSpec,
    table: &QueryResult,
    meaning: &Meaning,
    locale: Locale,
    shapes: Option<(&MapData, &[L])>,
) -> String {
    let unit = spec
        .unit
        .as_deref()
        .filter(|_| meaning.figure == Figure::Amount);
    let fmt = |v: f64| figure::compact(v, meaning.figure, unit, locale);
    let fr = locale == Locale::Fr;
    let mut vals: Vec<(String, f64)> = match shapes {
        Some((d, layers)) => d
            .areas
            .iter()
            .filter_map(|a| {
                let area = layers.get(a.layer)?.borrow().areas.get(a.area)?;
                Some((format!("{} ({})", area.name, area.code), a.value?))
            })
            .collect(),
        None => (0..table.rows.len())
            .filter_map(|r| {
                Some((
                    super::data::label(table, r, 0)?,
                    super::data::number(table, r, 1)?,
                ))
            })
            .collect(),
    };
    if vals.is_empty() {
        return if fr {
            "Aucune donnée à afficher sur la carte.".into()
        } else {
            "No data to show on the map.".into()
        };
    }
    vals.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let (lead, top) = (&vals[0].0, vals[0].1);
    let total: f64 = vals.iter().map(|v| v.1).sum();
    let mut sorted: Vec<f64> = vals.iter().map(|v| v.1).collect();
    sorted.sort_by(f64::total_cmp);
    let m = sorted.len() / 2;
    let median = if sorted.len().is_multiple_of(2) {
        (sorted[m - 1] + sorted[m]) / 2.0
    } else {
        sorted[m]
    };
    let level = shapes
        .and_then(|(d, _)| d.level)
        .or(spec.map.level)
        .unwrap_or(Level::Departement);
    let share = if meaning.totals() && total > 0.0 {
        let p = match locale {
            Locale::Fr => crate::chart::format::fr_percent(top / total),
            Locale::En => crate::chart::format::en_percent(top / total),
        };
        if fr {
            format!(", soit {p} du total ({})", fmt(total))
        } else {
            format!(", {p} of the total ({})", fmt(total))
        }
    } else {
        String::new()
    };
    let n = vals.len();
    let of = shapes.map(|(d, _)| d.areas.len());
    let counted = match (fr, of) {
        (true, Some(all)) => format!(
            "{n} {} sur {all} {} une valeur",
            level.noun(all > 1, locale),
            if n > 1 { "ont" } else { "a" }
        ),
        (false, Some(all)) => format!(
            "{n} of {all} {} {} a value",
            level.noun(all > 1, locale),
            if n > 1 { "have" } else { "has" }
        ),
        (true, None) => format!("{n} {}", level.noun(n > 1, locale)),
        (false, None) => format!("{n} {}", level.noun(n > 1, locale)),
    };
    let range = if fr {
        format!(
            "de {} à {} ; médiane : {}",
            fmt(sorted[0]),
            fmt(sorted[n - 1]),
            fmt(median)
        )
    } else {
        format!(
            "from {} to {}; median: {}",
            fmt(sorted[0]),
            fmt(sorted[n - 1]),
            fmt(median)
        )
    };
    let s = if fr {
        format!(
            "{lead} arrive en tête avec {}{share} ; {counted}, {range}.",
            fmt(top)
        )
    } else {
        format!(
            "{lead} comes first with {}{share}; {counted}, {range}.",
            fmt(top)
        )
    };
    if fr {
        s.replace(" ;", "\u{202F};").replace(" :", "\u{A0}:")
    } else {
        s
    }
}

/// « 3 codes sans territoire : 99, ZZ, 2C. » (at most five listed, then "…").
pub fn unmatched_sentence(codes: &[String], locale: Locale) -> String {
    let mut list: Vec<&str> = codes.iter().take(LISTED).map(String::as_str).collect();
    if codes.len() > LISTED {
        list.push("…");
    }
    let mut list = list.join(", ");
    if !list.ends_with('…') {
        list.push('.');
    }
    let n = codes.len();
    match (locale, n) {
        (Locale::Fr, 1) => format!("1 code sans territoire\u{A0}: {list}"),
        (Locale::Fr, _) => format!("{n} codes sans territoire\u{A0}: {list}"),
        (Locale::En, 1) => format!("1 code without a territory: {list}"),
        (Locale::En, _) => format!("{n} codes without a territory: {list}"),
    }
}
