//! What fits the data: the first chart suggested for a dataset, the chart kinds it can draw,
//! refitting a view's columns when its chart kind changes, what a chart's numbers mean on a
//! dataset (rates, measures that do not add up: [`chart_meaning`], [`ViewSpec::charted`]), how
//! each column is written ([`column_figures`]), and the ranking of commune names typed by a
//! user. Pure functions of the dataset's schema, its documentation notes and its values.

use super::ViewSpec;
use crate::chart::figure::{column_figure, figure_of, is_year_name as looks_like_year, ColumnNote};
use crate::chart::{ChartKind, ChartSpec, Figure, Meaning};
use crate::core::query::AggOp;
use crate::core::{ColumnType, Dataset};

/// A first chart that fits the data: a year or date column and an amount give a line; a
/// category with few values and an amount give a ranking; otherwise a count by category.
pub fn suggest_chart(ds: &Dataset) -> ChartSpec {
    let numeric: Vec<&str> = ds
        .columns
        .iter()
        .filter(|c| c.column_type().is_numeric() && c.key.is_none() && !looks_like_year(&c.name))
        .map(|c| c.name.as_str())
        .collect();
    // Prefer amounts: a name that says money, else the first numeric column.
    let measure = numeric
        .iter()
        .find(|n| is_amount_name(n))
        .or(numeric.first())
        .map(|s| s.to_string());
    let time = ds.columns.iter().find(|c| {
        matches!(c.column_type(), ColumnType::Date)
            || (looks_like_year(&c.name) && c.column_type() == ColumnType::Integer)
    });
    let category = ds
        .columns
        .iter()
        .filter_map(|c| category_score(c, ds.rows).map(|score| (score, c.name.clone())))
        .max_by_key(|(score, _)| *score)
        .map(|(_, name)| name);
    let unit = measure
        .as_deref()
        .filter(|m| is_amount_name(m))
        .map(|_| "€".to_string());
    // Territorial codes: a map first.
    if let Some(map) = super::map_fit::suggest_map(ds, measure.clone(), unit.clone()) {
        return map;
    }
    if let (Some(t), Some(_)) = (time, &measure) {
        let distinct_years = match &t.data {
            crate::core::ColumnData::Integer(v) => {
                let mut v = v.clone();
                v.sort_unstable();
                v.dedup();
                v.len()
            }
            _ => 3,
        };
        if distinct_years > 2 {
            return ChartSpec {
                kind: ChartKind::Line,
                x: Some(t.name.clone()),
                y: measure,
                unit,
                ..ChartSpec::default()
            };
        }
    }
    match (category, measure) {
        (Some(x), y) => ChartSpec {
            kind: ChartKind::Ranking,
            x: Some(x),
            y,
            unit,
            ..ChartSpec::default()
        },
        (None, Some(y)) => ChartSpec {
            kind: ChartKind::Histogram,
            y: Some(y),
            ..ChartSpec::default()
        },
        (None, None) => ChartSpec {
            kind: ChartKind::BigNumber,
            ..ChartSpec::default()
        },
    }
}

/// How good a text column is as a chart's categories: labels beat codes and URLs, a
/// moderate number of distinct values beats a unique identifier. `None` when unusable.
fn category_score(c: &crate::core::Column, rows: usize) -> Option<(bool, bool, bool, bool, usize)> {
    // Distinct values (text kept row by row holds mostly distinct values: many) and a sample.
    let (distinct, sample): (usize, Vec<&str>) = match &c.data {
        crate::core::ColumnData::Text { dict, .. } => (dict.len(), dict.iter().take(200).collect()),
        crate::core::ColumnData::Strings(s) => (
            c.data.known_distinct().unwrap_or(rows).max(2),
            s.values()
                .iter()
                .filter(|v| !v.is_empty())
                .take(200)
                .collect(),
        ),
        _ => return None,
    };
    if distinct < 2 || sample.is_empty() {
        return None;
    }
    let urls = sample
        .iter()
        .filter(|s| s.starts_with("http://") || s.starts_with("https://"))
        .count();
    let not_url = urls * 2 < sample.len();
    let n = c.name.to_lowercase();
    let label_name = [
        "label",
        "libelle",
        "libellé",
        "nom",
        "name",
        "intitule",
        "intitulé",
        "titre",
        "mission",
        "ministere",
        "ministère",
    ]
    .iter()
    .any(|k| n.contains(k));
    let moderate = distinct <= 60 || (distinct <= 5_000 && distinct * 2 <= rows.max(2));
    let avg = sample.iter().map(|s| s.chars().count()).sum::<usize>() / sample.len();
    Some((
        not_url,
        // Text kept row by row is mostly distinct values: a label there is no category
        // (grouping it would also build its dictionary, as much memory again).
        moderate || (label_name && !matches!(c.data, crate::core::ColumnData::Strings(_))),
        c.key.is_none(),
        label_name,
        avg.min(40),
    ))
}

fn is_amount_name(name: &str) -> bool {
    let n = name.to_lowercase();
    [
        "montant", "amount", "eur", "cp_", "ae_", "credit", "crédit", "valeur", "value", "recette",
        "depense", "dépense",
    ]
    .iter()
    .any(|k| n.contains(k))
}

/// The chart kinds that can draw this dataset: a scatter plot needs two numeric columns, a
/// histogram one; category charts need a category or a number to count by.
pub fn applicable_kinds(ds: &Dataset) -> Vec<ChartKind> {
    let numerics = ds
        .columns
        .iter()
        .filter(|c| c.column_type().is_numeric() && c.key.is_none())
        .count();
    let mut kinds = vec![
        ChartKind::Ranking,
        ChartKind::Bar,
        ChartKind::Line,
        ChartKind::StackedBar,
        ChartKind::Treemap,
    ];
    if numerics >= 1 {
        kinds.push(ChartKind::Histogram);
    }
    if numerics >= 2 {
        kinds.push(ChartKind::Scatter);
    }
    kinds.push(ChartKind::BigNumber);
    if super::map_fit::territory_column(ds).is_some() {
        kinds.insert(0, ChartKind::Map);
    }
    kinds
}

impl ViewSpec {
    /// Switches the chart kind and makes its columns fit it: histograms and big numbers have
    /// no category; a scatter plot needs two numbers; category charts need a category (and a
    /// line prefers a year or a date). Columns that do not fit are replaced by sensible ones.
    pub fn set_chart_kind(&mut self, kind: ChartKind, ds: &Dataset) {
        let is_numeric = |n: &Option<String>| {
            n.as_deref()
                .and_then(|n| ds.column(n).ok())
                .is_some_and(|c| c.column_type().is_numeric() && c.key.is_none())
        };
        let numerics: Vec<String> = ds
            .columns
            .iter()
            .filter(|c| c.column_type().is_numeric() && c.key.is_none())
            .map(|c| c.name.clone())
            .collect();
        let suggested = suggest_chart(ds);
        let chart = &mut self.chart;
        match kind {
            ChartKind::Map => {
                chart.series = None;
                let geo_ok = chart
                    .x
                    .as_deref()
                    .and_then(|x| ds.column(x).ok())
                    .is_some_and(super::map_fit::is_territory);
                if !geo_ok {
                    chart.x = super::map_fit::territory_column(ds);
                }
                if !is_numeric(&chart.y) {
                    chart.y = None;
                }
            }
            ChartKind::Histogram | ChartKind::BigNumber => {
                chart.x = None;
                chart.series = None;
                if !is_numeric(&chart.y) {
                    chart.y = numerics.first().cloned().or(suggested.y);
                }
            }
            ChartKind::Scatter => {
                chart.series = None;
                if !is_numeric(&chart.y) {
                    chart.y = numerics.first().cloned();
                }
                if !is_numeric(&chart.x) || chart.x == chart.y {
                    chart.x = numerics
                        .iter()
                        .find(|n| Some(*n) != chart.y.as_ref())
                        .cloned();
                }
            }
            ChartKind::Line => {
                let time = ds.columns.iter().find(|c| {
                    c.column_type() == ColumnType::Date
                        || (looks_like_year(&c.name) && c.column_type() == ColumnType::Integer)
                });
                let x_ok = chart
                    .x
                    .as_deref()
                    .and_then(|x| ds.column(x).ok())
                    .is_some_and(|c| {
                        matches!(c.column_type(), ColumnType::Date | ColumnType::Datetime)
                            || looks_like_year(&c.name)
                    });
                if !x_ok {
                    chart.x = time.map(|c| c.name.clone()).or(suggested.x.clone());
                }
            }
            ChartKind::Bar | ChartKind::Ranking | ChartKind::Treemap | ChartKind::StackedBar => {
                let x_ok = chart
                    .x
                    .as_deref()
                    .and_then(|x| ds.column(x).ok())
                    .is_some_and(|c| c.column_type() != ColumnType::Float);
                if !x_ok || chart.x == chart.y {
                    chart.x = suggested.x.clone();
                }
                if kind == ChartKind::StackedBar
                    && (chart.series.is_none() || chart.series == chart.x)
                {
                    chart.series = ds
                        .columns
                        .iter()
                        .filter(|c| Some(&c.name) != chart.x.as_ref())
                        .find(|c| matches!(&c.data, crate::core::ColumnData::Text { dict, .. } if (2..=12).contains(&dict.len())))
                        .map(|c| c.name.clone());
                }
            }
        }
        if matches!(kind, ChartKind::Histogram | ChartKind::Scatter) {
            chart.unit = None;
        }
        // Only stacked bars query a series; a series left over from them would name a column
        // the other kinds' queries do not return.
        if kind != ChartKind::StackedBar {
            chart.series = None;
        }
        chart.kind = kind;
    }
}

pub use crate::chart::figure::is_code_name;

/// The notes a dataset's documentation gives about its columns (rates, non-additive measures),
/// by column name; empty for a file that comes without documentation.
pub type ColumnNotes = std::collections::BTreeMap<String, ColumnNote>;

/// What the chart of `view` means on `ds`: how its measure is aggregated, whether it is a rate
/// (written `58 %`) and whether it adds up, from the columns' `notes`.
pub fn chart_meaning(ds: &Dataset, view: &ViewSpec, notes: &ColumnNotes) -> Meaning {
    let Some(y) = view.chart.y.as_deref() else {
        return Meaning {
            agg: Some(AggOp::Count),
            figure: Figure::Amount,
            additive: true,
            x: x_figure(ds, view, notes),
        };
    };
    let note = notes.get(y);
    let figure = match ds.column(y) {
        Ok(c) => column_figure(c, note),
        Err(_) => figure_of(y, ColumnType::Float, note),
    };
    let raw = matches!(view.chart.kind, ChartKind::Histogram | ChartKind::Scatter);
    let agg = if raw { None } else { Some(view.agg) };
    let additive = note.is_none_or(ColumnNote::is_additive);
    // Counting distinct values gives whole numbers, whatever they count.
    let figure = match agg {
        Some(AggOp::CountDistinct | AggOp::Count) => Figure::Amount,
        _ => figure,
    };
    Meaning {
        agg,
        figure,
        additive,
        x: x_figure(ds, view, notes),
    }
}

/// How the chart's `x` column is written, when it holds numbers.
fn x_figure(ds: &Dataset, view: &ViewSpec, notes: &ColumnNotes) -> Figure {
    view.chart
        .x
        .as_deref()
        .and_then(|x| ds.column(x).ok())
        .map_or(Figure::Amount, |c| column_figure(c, notes.get(&c.name)))
}

/// How every column of `ds` is written in tables (see [`crate::chart::figure`]): rates as
/// percentages, codes and years as stored, other numbers as amounts. Reads every value of the
/// integer columns once (to recognise years), so callers keep the result while the data lasts.
pub fn column_figures(ds: &Dataset, notes: &ColumnNotes) -> Vec<Figure> {
    ds.columns
        .iter()
        .map(|c| column_figure(c, notes.get(&c.name)))
        .collect()
}

impl ViewSpec {
    /// The view as charted: a measure that must not be summed (a rate, an average, a tax
    /// parameter) is averaged instead, so that no chart adds rates up.
    pub fn charted(&self, meaning: &Meaning) -> ViewSpec {
        let mut v = self.clone();
        if v.agg == AggOp::Sum
            && v.chart.y.is_some()
            && (!meaning.additive || meaning.figure.is_rate())
        {
            v.agg = AggOp::Mean;
        }
        v
    }
}

/// Names matching what a user typed to find a commune, best first: exact matches (ignoring
/// case and accents), else names starting with it (shortest first), else names containing it.
pub fn best_name_matches<'a>(
    names: impl IntoIterator<Item = &'a str>,
    typed: &str,
    max: usize,
) -> Vec<String> {
    let fold = crate::core::query::filter::fold_text;
    let want = fold(typed.trim());
    if want.is_empty() {
        return Vec::new();
    }
    let mut exact = Vec::new();
    let mut prefix = Vec::new();
    let mut contains = Vec::new();
    for n in names {
        let f = fold(n);
        if f == want {
            exact.push(n.to_string());
        } else if f.starts_with(&want) {
            prefix.push(n.to_string());
        } else if f.contains(&want) {
            contains.push(n.to_string());
        }
    }
    let mut pick = if !exact.is_empty() {
        exact
    } else if !prefix.is_empty() {
        prefix
    } else {
        contains
    };
    pick.sort_by_key(|n| (n.chars().count(), n.clone()));
    pick.dedup();
    pick.truncate(max);
    pick
}

#[cfg(test)]
mod code_name_tests {
    use super::is_code_name;

    #[test]
    fn codes_are_recognised_by_name() {
        for n in [
            "codeCPV",
            "line_code",
            "acheteur_id",
            "Code Insee 2024 Commune",
            "exercice",
            "SIREN",
            "COM",
            "uid",
        ] {
            assert!(is_code_name(n), "{n}");
        }
        for n in [
            "montant",
            "population",
            "cp_eur_jo",
            "dureeMois",
            "offresRecues",
            "taux_com",
        ] {
            assert!(!is_code_name(n), "{n}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{dec, strings, text};

    #[test]
    fn a_label_kept_row_by_row_is_no_default_category() {
        // No time column: a ranking. `libelle` (mostly distinct, kept row by row) and
        // `ministere` (a few values) are both label-named; the few values win.
        let n = 3000;
        let labels: Vec<String> = (0..n)
            .map(|i| format!("Facture n° {i} du marché"))
            .collect();
        let libelle: Vec<Option<&str>> = labels.iter().map(|s| Some(s.as_str())).collect();
        let ministere: Vec<Option<&str>> = (0..n)
            .map(|i| Some(["Armées", "Culture", "Justice"][i % 3]))
            .collect();
        let cents: Vec<Option<i64>> = (0..n).map(|i| Some(i as i64 * 100)).collect();
        let ds = Dataset::from_columns(vec![
            strings("libelle", &libelle),
            text("ministere", &ministere),
            dec("montant", &cents, 2),
        ]);
        let s = suggest_chart(&ds);
        assert_eq!(s.x.as_deref(), Some("ministere"));
        // Choosing did not build the label's dictionary.
        let built = ds.column("libelle").map(|c| c.data.known_distinct());
        assert_eq!(built.ok(), Some(None));
    }
}
