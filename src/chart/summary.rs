//! One plain sentence that says what a chart shows, in French or English: the text alternative
//! for screen readers (RGAA asks for one) and the caption a journalist can paste. It reads the
//! same table the chart draws, with the same number formats.
//!
//! What must stay true: a share of the total, and the total itself, are said only when the
//! values add up ([`Meaning::totals`]: counts, sums of an additive measure). For a mean, a
//! median, an extreme or a rate the sentence gives the leader's value, its rank and the spread
//! of the values (lowest, highest, median) instead.

use crate::core::query::{AggOp, QueryResult};

use super::data::{self, Cols, XKind};
use super::figure::{self, Figure, Meaning};
use super::format::{en_number, fr_number};
use super::theme::{Locale, Theme};
use super::{ChartKind, ChartSpec};

/// The chart's summary in French for a summed amount (see [`summary`]), e.g. « Enseignement
/// scolaire arrive en tête avec 64,5 Md€, soit 18,3 % du total de 352 Md€ (12 valeurs de
/// « mission »). »
pub fn summary_fr(spec: &ChartSpec, table: &QueryResult) -> String {
    summary(spec, table, &Meaning::default(), Locale::Fr)
}

/// The chart's summary in English for a summed amount (see [`summary`]).
pub fn summary_en(spec: &ChartSpec, table: &QueryResult) -> String {
    summary(spec, table, &Meaning::default(), Locale::En)
}

/// The chart's summary in `locale`, its measure read as `meaning` says: shares and totals for
/// values that add up, value, rank and spread otherwise, e.g. « 97102 arrive en tête avec
/// 58 % (maximum de « taux_com ») ; 15 valeurs de « code_insee_commune », de 38 % à 58 % ;
/// médiane : 40 %. »
pub fn summary(spec: &ChartSpec, table: &QueryResult, meaning: &Meaning, locale: Locale) -> String {
    let s = sentence(spec, table, meaning, locale);
    match locale {
        // French typography: a narrow no-break space before `;` and a no-break space before `:`.
        Locale::Fr => s.replace(" ;", "\u{202F};").replace(" :", "\u{A0}:"),
        Locale::En => s,
    }
}

/// How the measure was aggregated, as words before its name: "maximum de", "mean of".
fn agg_words(agg: AggOp, l: Locale) -> &'static str {
    match (l, agg) {
        (Locale::Fr, AggOp::Sum) => "somme de",
        (Locale::Fr, AggOp::Mean) => "moyenne de",
        (Locale::Fr, AggOp::Median) => "médiane de",
        (Locale::Fr, AggOp::Min) => "minimum de",
        (Locale::Fr, AggOp::Max) => "maximum de",
        (Locale::Fr, AggOp::CountDistinct) => "valeurs distinctes de",
        (Locale::Fr, AggOp::Share) => "part de",
        (Locale::Fr, AggOp::Count) => "nombre de",
        (Locale::En, AggOp::Sum) => "sum of",
        (Locale::En, AggOp::Mean) => "mean of",
        (Locale::En, AggOp::Median) => "median of",
        (Locale::En, AggOp::Min) => "minimum of",
        (Locale::En, AggOp::Max) => "maximum of",
        (Locale::En, AggOp::CountDistinct) => "distinct values of",
        (Locale::En, AggOp::Share) => "share of",
        (Locale::En, AggOp::Count) => "count of",
    }
}

/// The median of sorted values.
fn median(sorted: &[f64]) -> f64 {
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

fn quote(s: &str, l: Locale) -> String {
    match l {
        Locale::Fr => format!("«\u{A0}{s}\u{A0}»"),
        Locale::En => format!("“{s}”"),
    }
}

fn values_of(n: usize, col: &str, l: Locale) -> String {
    let col = quote(col, l);
    match (l, n) {
        (Locale::Fr, 1) => format!("1 valeur de {col}"),
        (Locale::Fr, _) => format!("{n} valeurs de {col}"),
        (Locale::En, 1) => format!("1 value of {col}"),
        (Locale::En, _) => format!("{n} values of {col}"),
    }
}

fn sentence(spec: &ChartSpec, table: &QueryResult, meaning: &Meaning, l: Locale) -> String {
    let theme = Theme {
        locale: l,
        ..Theme::default()
    };
    let no_data = match l {
        Locale::Fr => "Aucune donnée à afficher.".to_string(),
        Locale::En => "No data to show.".to_string(),
    };
    let cols = match data::resolve(spec, table) {
        Ok(c) => c,
        Err(e) => return e.to_string(),
    };
    let Some(y) = cols.y.or(cols.x) else {
        return no_data;
    };
    // A rate carries its own `%`; a unit set for amounts would be written twice.
    let unit = spec
        .unit
        .as_deref()
        .filter(|_| meaning.figure == Figure::Amount);
    let fmt = |v: f64| figure::compact(v, meaning.figure, unit, l);
    let y_name = Cols::name(table, Some(y));
    let x_name = Cols::name(table, cols.x);
    match spec.kind {
        // Without its shapes (the map's own panel names the areas, see `map::summary`).
        ChartKind::Map => {
            super::map::summary::<super::map::geo::GeoLayer>(spec, table, meaning, l, None)
        }
        ChartKind::Bar | ChartKind::Ranking | ChartKind::Treemap | ChartKind::StackedBar => {
            let mut cats = match (meaning.totals(), cols.x, cols.series) {
                // Means or rates of stacked parts are not summed per bar: each part counts.
                (false, Some(x), Some(series)) => (0..table.rows.len())
                    .filter_map(|r| {
                        let v = data::number(table, r, y)?;
                        let name = format!(
                            "{} · {}",
                            data::label(table, r, x)?,
                            data::label(table, r, series)?
                        );
                        Some((name, v))
                    })
                    .collect(),
                _ => data::categories(table, cols.x, y),
            };
            // The engine's "Autres" row counts in the total but never "ranks first".
            let others = data::take_others(&mut cats);
            if cats.is_empty() {
                return no_data;
            }
            cats.sort_by(|a, b| b.1.total_cmp(&a.1));
            let (top, v) = &cats[0];
            if !meaning.totals() {
                // Stacked parts are ranked one by one: name them by both columns.
                let parts = match cols.series {
                    Some(_) => format!("{x_name} · {}", Cols::name(table, cols.series)),
                    None => x_name.clone(),
                };
                return spread(&cats, &parts, &y_name, meaning, l, &fmt);
            }
            let total: f64 = cats.iter().map(|c| c.1).sum::<f64>() + others.unwrap_or(0.0);
            let count = values_of(cats.len() + usize::from(others.is_some()), &x_name, l);
            let shares = cats.iter().all(|c| c.1 >= 0.0) && total > 0.0;
            match (l, shares) {
                (Locale::Fr, true) => format!(
                    "{top} arrive en tête avec {}, soit {} du total de {} ({count}).",
                    fmt(*v),
                    theme.percent(v / total),
                    fmt(total)
                ),
                (Locale::Fr, false) => format!("{top} arrive en tête avec {} ({count}).", fmt(*v)),
                (Locale::En, true) => format!(
                    "{top} ranks first with {}, {} of the total of {} ({count}).",
                    fmt(*v),
                    theme.percent(v / total),
                    fmt(total)
                ),
                (Locale::En, false) => format!("{top} ranks first with {} ({count}).", fmt(*v)),
            }
        }
        ChartKind::Line => {
            let Some(x) = cols.x else { return no_data };
            let kind = data::x_kind(table, x);
            // Summed over series: the sentence follows the total.
            let mut pts: Vec<(f64, String, f64)> = Vec::new();
            for r in 0..table.rows.len() {
                let (Some(v), Some(xl)) = (data::number(table, r, y), data::label(table, r, x))
                else {
                    continue;
                };
                let pos = data::x_position(table, r, x, kind);
                match pts.iter_mut().find(|p| p.1 == xl) {
                    Some(p) => p.2 += v,
                    None => pts.push((pos.unwrap_or(0.0), xl, v)),
                }
            }
            if kind == XKind::Category {
                pts.sort_by(|a, b| a.1.cmp(&b.1));
            } else {
                pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            }
            let (Some(first), Some(last)) = (pts.first(), pts.last()) else {
                return no_data;
            };
            let yq = quote(&y_name, l);
            if pts.len() == 1 {
                return match l {
                    Locale::Fr => format!("{yq} vaut {} en {}.", fmt(first.2), first.1),
                    Locale::En => format!("{yq} is {} in {}.", fmt(first.2), first.1),
                };
            }
            let change = if meaning.figure.is_rate() {
                // A rate moves by points: 10 % to 12 % is +2 points, not +20 %.
                format!(" ({})", figure::points(last.2 - first.2, meaning.figure, l))
            } else if first.2 != 0.0 {
                let c = (last.2 - first.2) / first.2.abs();
                let s = theme.percent(c);
                format!(" ({}{s})", if c > 0.0 { "+" } else { "" })
            } else {
                String::new()
            };
            let peak = pts.iter().fold(first, |m, p| if p.2 > m.2 { p } else { m });
            match l {
                Locale::Fr => format!(
                    "De {} à {}, {yq} passe de {} à {}{change} ; maximum : {} en {}.",
                    first.1,
                    last.1,
                    fmt(first.2),
                    fmt(last.2),
                    fmt(peak.2),
                    peak.1
                ),
                Locale::En => format!(
                    "From {} to {}, {yq} goes from {} to {}{change}; peak: {} in {}.",
                    first.1,
                    last.1,
                    fmt(first.2),
                    fmt(last.2),
                    fmt(peak.2),
                    peak.1
                ),
            }
        }
        ChartKind::Histogram => {
            let mut v = data::numbers(table, y);
            if v.is_empty() {
                return no_data;
            }
            v.sort_by(f64::total_cmp);
            let median = median(&v);
            let (lo, hi) = (v[0], v[v.len() - 1]);
            let count = values_of(v.len(), &y_name, l);
            match l {
                Locale::Fr => format!(
                    "{count}, de {} à {} ; médiane : {}.",
                    fmt(lo),
                    fmt(hi),
                    fmt(median)
                ),
                Locale::En => {
                    format!(
                        "{count}, from {} to {}; median: {}.",
                        fmt(lo),
                        fmt(hi),
                        fmt(median)
                    )
                }
            }
        }
        ChartKind::Scatter => {
            let Some(x) = cols.x else { return no_data };
            let kind = data::x_kind(table, x);
            let pts: Vec<(f64, f64)> = (0..table.rows.len())
                .filter_map(|r| {
                    Some((
                        data::x_position(table, r, x, kind)?,
                        data::number(table, r, y)?,
                    ))
                })
                .collect();
            if pts.is_empty() {
                return no_data;
            }
            let (xq, yq) = (quote(&x_name, l), quote(&y_name, l));
            match pearson(&pts) {
                Some(r) => {
                    let strength = strength(r, l);
                    match l {
                        Locale::Fr => format!(
                            "{} points ; corrélation entre {xq} et {yq} : {} ({strength}).",
                            pts.len(),
                            fr_number(r, 2)
                        ),
                        Locale::En => format!(
                            "{} points; correlation between {xq} and {yq}: {} ({strength}).",
                            pts.len(),
                            en_number(r, 2)
                        ),
                    }
                }
                None => match l {
                    Locale::Fr => format!("{} points de {yq} selon {xq}.", pts.len()),
                    Locale::En => format!("{} points of {yq} against {xq}.", pts.len()),
                },
            }
        }
        ChartKind::BigNumber => {
            let v = data::numbers(table, y);
            if v.is_empty() {
                return no_data;
            }
            let total: f64 = v.iter().sum();
            match l {
                Locale::Fr => format!("{}\u{A0}: {}.", quote(&y_name, l), fmt(total)),
                Locale::En => format!("{}: {}.", quote(&y_name, l), fmt(total)),
            }
        }
    }
}

/// The sentence for categories whose values do not add up: the leader with its value and how
/// it was obtained, then how many values there are, their range and their median.
fn spread(
    cats: &[(String, f64)],
    x_name: &str,
    y_name: &str,
    meaning: &Meaning,
    l: Locale,
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let (top, v) = &cats[0];
    let how = match meaning.agg {
        Some(agg) => format!(" ({} {})", agg_words(agg, l), quote(y_name, l)),
        None => String::new(),
    };
    if cats.len() == 1 {
        return match l {
            Locale::Fr => format!("{top} : {}{how}.", fmt(*v)),
            Locale::En => format!("{top}: {}{how}.", fmt(*v)),
        };
    }
    let mut sorted: Vec<f64> = cats.iter().map(|c| c.1).collect();
    sorted.sort_by(f64::total_cmp);
    let (lo, hi, mid) = (sorted[0], sorted[sorted.len() - 1], median(&sorted));
    let count = values_of(cats.len(), x_name, l);
    match l {
        Locale::Fr => format!(
            "{top} arrive en tête avec {}{how} ; {count}, de {} à {} ; médiane : {}.",
            fmt(*v),
            fmt(lo),
            fmt(hi),
            fmt(mid)
        ),
        Locale::En => format!(
            "{top} ranks first with {}{how}; {count}, from {} to {}; median: {}.",
            fmt(*v),
            fmt(lo),
            fmt(hi),
            fmt(mid)
        ),
    }
}

/// Pearson's correlation coefficient; `None` when a variable is constant or fewer than 3 points.
pub fn pearson(pts: &[(f64, f64)]) -> Option<f64> {
    if pts.len() < 3 {
        return None;
    }
    let n = pts.len() as f64;
    let (mx, my) = pts
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0 / n, b + p.1 / n));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pts {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some(sxy / (sxx.sqrt() * syy.sqrt()))
}

fn strength(r: f64, l: Locale) -> &'static str {
    let a = r.abs();
    match (l, a >= 0.7, a >= 0.4, a >= 0.2, r > 0.0) {
        (Locale::Fr, true, _, _, true) => "forte, positive",
        (Locale::Fr, true, _, _, false) => "forte, négative",
        (Locale::Fr, false, true, _, true) => "modérée, positive",
        (Locale::Fr, false, true, _, false) => "modérée, négative",
        (Locale::Fr, false, false, true, _) => "faible",
        (Locale::Fr, _, _, _, _) => "très faible ou nulle",
        (Locale::En, true, _, _, true) => "strong, positive",
        (Locale::En, true, _, _, false) => "strong, negative",
        (Locale::En, false, true, _, true) => "moderate, positive",
        (Locale::En, false, true, _, false) => "moderate, negative",
        (Locale::En, false, false, true, _) => "weak",
        (Locale::En, _, _, _, _) => "very weak or none",
    }
}
