//! What fits a map: which columns hold territorial codes (a key kind of commune, département or
//! région), which one a map groups by, and the map suggested first for a dataset that has one.
//! Pure functions of the dataset's schema and values.

use crate::chart::map::{codes, Level, MapOptions};
use crate::chart::{ChartKind, ChartSpec};
use crate::core::{Column, Dataset};

/// Whether a column holds territorial codes a map can draw.
pub fn is_territory(c: &Column) -> bool {
    c.key.and_then(Level::of_key).is_some()
}

/// The column a map groups by: the first territorial column, the finest level first (a
/// commune column draws at every level).
pub fn territory_column(ds: &Dataset) -> Option<String> {
    ds.columns
        .iter()
        .filter_map(|c| Some((c.key.and_then(Level::of_key)?, c)))
        .min_by_key(|(l, _)| *l)
        .map(|(_, c)| c.name.clone())
}

/// The map suggested for `ds` with `measure` (`None`: a count), or `None` without a territorial
/// column. Communes spread over several départements are drawn by département first (a national
/// commune map is 35 000 shapes; the level select draws them).
pub fn suggest_map(
    ds: &Dataset,
    measure: Option<String>,
    unit: Option<String>,
) -> Option<ChartSpec> {
    let x = territory_column(ds)?;
    let col = ds.column(&x).ok()?;
    let level = col.key.and_then(Level::of_key)?;
    let level = if level == Level::Commune {
        let mut deps = std::collections::BTreeSet::new();
        for r in (0..ds.rows).step_by((ds.rows / 2000).max(1)) {
            let v = col.value(r).to_plain_string();
            if let Some(d) =
                codes::normalise(&v, Level::Commune).and_then(|c| codes::departement_of(&c))
            {
                deps.insert(d);
            }
        }
        if deps.len() > 1 {
            Level::Departement
        } else {
            Level::Commune
        }
    } else {
        level
    };
    Some(ChartSpec {
        kind: ChartKind::Map,
        x: Some(x),
        y: measure,
        unit,
        map: MapOptions {
            level: Some(level),
            ..MapOptions::default()
        },
        ..ChartSpec::default()
    })
}
