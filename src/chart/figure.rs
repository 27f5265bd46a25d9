//! What a number stands for, and therefore how it is written: an amount or a count (grouped
//! digits, `1 234 €`), a rate documented as a fraction of one (`0.58` -> `58 %`), a rate
//! written in percent (`58` -> `58 %`), or a code or a year that merely looks like a number
//! (`2024`, `45214200`, written as stored). This module owns that one rule, used by the charts,
//! their summaries, the data table, the commune finder and the big numbers alike.
//!
//! What must stay true:
//! - a year or a code never gets a thousands separator, in any language, anywhere;
//! - a column is a fraction or a percentage only because its documentation says so (a
//!   [`ColumnNote`] read from the dataset's Table Schema), never because its values happen to
//!   lie between 0 and 1;
//! - shares of a total, totals and "Autres" rows make sense only for additive figures: counts,
//!   and sums of a measure that adds up ([`Meaning::totals`]). A sum of rates, of averages, of
//!   maxima adds up to nothing.

use serde::{Deserialize, Serialize};

use crate::core::column::{Column, ColumnData, ColumnType};
use crate::core::query::AggOp;
use crate::core::value::Value;

use super::format::{en_compact, en_number, fr_compact, fr_number, UNIT_SEP_FR};
use super::theme::Locale;

/// How the values of a column are written.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Figure {
    /// An amount or a count: grouped digits (`1 234,5`), compact in charts (`12,3 M€`).
    #[default]
    Amount,
    /// A rate stored as a fraction of one: `0.1106` is written `11,06 %` (`11.06%`).
    Fraction,
    /// A rate stored in percent: `11.06` is written `11,06 %`.
    Percent,
    /// A code or a year: written as stored, never grouped (`2024`, `45214200`).
    Code,
}

impl Figure {
    /// Whether the figure is a rate (fraction or percent), which never adds up.
    pub fn is_rate(self) -> bool {
        matches!(self, Figure::Fraction | Figure::Percent)
    }
}

/// What a dataset's documentation says about one column, beyond its type. In a Table Schema
/// descriptor (`www/schemas/<id>.json`) these are custom field properties, which the Table
/// Schema specification allows:
///
/// - `"unit"`: the unit people write after the number; `"%"` makes the column a rate;
/// - `"fraction": true`: the rate is stored as a fraction of one (`0.58` means 58 %);
/// - `"additive": false`: summing the column over rows means nothing (an average, a
///   per-inhabitant amount, a tax parameter). Rates are never additive, whatever this says.
///
/// ```
/// use loupe::chart::figure::{ColumnNote, Figure};
/// let note: ColumnNote = serde_json::from_str(r#"{"unit": "%", "fraction": true}"#).unwrap();
/// assert_eq!(note.figure(), Some(Figure::Fraction));
/// assert!(!note.is_additive());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ColumnNote {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub fraction: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additive: Option<bool>,
}

impl ColumnNote {
    /// The figure the note declares, if it declares one.
    pub fn figure(&self) -> Option<Figure> {
        if self.fraction {
            Some(Figure::Fraction)
        } else if self.unit.as_deref() == Some("%") {
            Some(Figure::Percent)
        } else {
            None
        }
    }

    /// Whether summing the column over rows gives a meaningful total.
    pub fn is_additive(&self) -> bool {
        self.figure().is_none() && self.additive != Some(false)
    }
}

/// Whether a column's name says it holds a year (`exercice`, `annee`, `Année`, `year`,
/// `millésime`).
pub fn is_year_name(name: &str) -> bool {
    let n = name.to_lowercase();
    [
        "exercice",
        "annee",
        "année",
        "year",
        "millesime",
        "millésime",
    ]
    .iter()
    .any(|k| n.contains(k))
}

/// Whether a column's name says it holds codes, identifiers or years (`codeCPV`, `line_code`,
/// `exercice`, `id`), whose numbers must be shown as written, without thousands separators.
pub fn is_code_name(name: &str) -> bool {
    let n = name.to_lowercase();
    let tokens: Vec<&str> = n
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    n.starts_with("code")
        || n.contains("cpv")
        || is_year_name(&n)
        || matches!(n.as_str(), "com" | "dep" | "reg" | "arr" | "can")
        || tokens.iter().any(|t| {
            matches!(
                *t,
                "code" | "id" | "uid" | "siren" | "siret" | "cog" | "insee" | "nic"
            )
        })
}

/// The figure of a column known only by its name and type (a query result's column): the
/// documentation first, then codes and years by name; whole numbers otherwise are amounts.
pub fn figure_of(name: &str, ty: ColumnType, note: Option<&ColumnNote>) -> Figure {
    if let Some(f) = note.and_then(ColumnNote::figure) {
        return f;
    }
    if ty.is_numeric() && is_code_name(name) {
        return Figure::Code;
    }
    Figure::Amount
}

/// Years are recognised by value between these bounds (inclusive): older dates are history,
/// later ones are not years of public finance.
const YEARS: std::ops::RangeInclusive<i64> = 1800..=2200;

/// The figure of a dataset column: [`figure_of`], plus identifier columns (SIREN, INSEE codes)
/// and integer columns whose every value is a plausible year while their name says neither a
/// quantity nor an amount (`2019`, `2020`, … under a header such as `periode`).
pub fn column_figure(c: &Column, note: Option<&ColumnNote>) -> Figure {
    let by_name = figure_of(&c.name, c.column_type(), note);
    if by_name != Figure::Amount || note.and_then(ColumnNote::figure).is_some() {
        return by_name;
    }
    if c.key.is_some() {
        return Figure::Code;
    }
    let ColumnData::Integer(values) = &c.data else {
        return Figure::Amount;
    };
    let n = c.name.to_lowercase();
    let quantity = [
        "nb",
        "nombre",
        "montant",
        "population",
        "total",
        "count",
        "effectif",
        "eur",
    ]
    .iter()
    .any(|k| n.contains(k));
    let mut seen = false;
    for (row, v) in values.iter().enumerate() {
        if !c.valid.is_valid(row) {
            continue;
        }
        if !YEARS.contains(v) {
            return Figure::Amount;
        }
        seen = true;
    }
    if seen && !quantity {
        Figure::Code
    } else {
        Figure::Amount
    }
}

/// What the numbers of a chart mean, beyond the table: how the measure was aggregated per
/// category and what kind of figure it is. Derived from the view and the dataset's
/// documentation, never stored in a link.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Meaning {
    /// How the measure was aggregated per category; `None` when the chart reads the raw values
    /// (histograms, scatter plots).
    pub agg: Option<AggOp>,
    /// How the measure's values are written.
    pub figure: Figure,
    /// Whether the measure itself adds up over rows (an amount, a population), as opposed to a
    /// rate, an average or a tax parameter.
    pub additive: bool,
    /// How the `x` column's numbers are written when the chart places them on an axis (a rate
    /// in a scatter plot, a year along a line).
    pub x: Figure,
}

impl Default for Meaning {
    /// A summed amount: what charts assumed before they knew better.
    fn default() -> Self {
        Meaning {
            agg: Some(AggOp::Sum),
            figure: Figure::Amount,
            additive: true,
            x: Figure::Amount,
        }
    }
}

impl Meaning {
    /// Whether the chart's values add up to a meaningful total, so that totals, shares of the
    /// total and an "Autres" row can be shown: counts, and sums of an additive measure.
    pub fn totals(&self) -> bool {
        match self.agg {
            Some(AggOp::Count) => true,
            Some(AggOp::Sum) => self.additive && !self.figure.is_rate(),
            _ => false,
        }
    }
}

/// `v` as a short figure for a chart (axis ticks, data labels, summaries): compact amounts
/// (`12,3 M€`), rates with three significant digits (`11,1 %`), codes as written.
pub fn compact(v: f64, figure: Figure, unit: Option<&str>, locale: Locale) -> String {
    match figure {
        Figure::Amount => match locale {
            Locale::Fr => fr_compact(v, unit),
            Locale::En => en_compact(v, unit),
        },
        Figure::Fraction => compact(v * 100.0, Figure::Percent, None, locale),
        Figure::Percent => {
            let n = match locale {
                Locale::Fr => fr_compact(v, None),
                Locale::En => en_compact(v, None),
            };
            percent_sign(n, locale)
        }
        Figure::Code => code_number(v, locale),
    }
}

/// A rate difference in percentage points, signed: `+2,1 points`, `−0,5 point`.
pub fn points(delta: f64, figure: Figure, locale: Locale) -> String {
    let pts = match figure {
        Figure::Fraction => delta * 100.0,
        _ => delta,
    };
    let n = match locale {
        Locale::Fr => fr_compact(pts, None),
        Locale::En => en_compact(pts, None),
    };
    let sign = if pts > 0.0 && n != "0" { "+" } else { "" };
    // French writes "point" in the singular below two, as it does for every unit; English
    // only for exactly one.
    let one = n.trim_start_matches(super::format::MINUS) == "1";
    let word = match locale {
        Locale::Fr if pts.abs() < 2.0 => "point",
        Locale::En if one => "point",
        _ => "points",
    };
    format!("{sign}{n}\u{A0}{word}")
}

fn percent_sign(n: String, locale: Locale) -> String {
    match locale {
        Locale::Fr => format!("{n}{UNIT_SEP_FR}%"),
        Locale::En => format!("{n}%"),
    }
}

/// A code or year: whole numbers as digits only; anything else with the locale's decimal mark.
fn code_number(v: f64, locale: Locale) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v}");
    match locale {
        Locale::Fr => s.replace('.', ","),
        Locale::En => s,
    }
}

/// Decimals of a stored number as written in the file (`0.1106` -> 4), at most 6.
fn stored_decimals(v: &Value) -> usize {
    match v {
        Value::Decimal { scale, .. } => usize::from(*scale),
        Value::Float(f) => {
            let s = format!("{f}");
            s.split_once('.').map_or(0, |(_, d)| d.len()).min(6)
        }
        _ => 0,
    }
}

/// A cell for a table (the data table, the commune finder, the chart's data): numbers in full
/// with the decimals they were stored with, grouped in French; rates as percentages with the
/// stored precision (`0.1106` -> `11,06 %`); codes and years as stored (`2024`); text as is.
pub fn cell_text(v: &Value, figure: Figure, locale: Locale) -> String {
    let Some(x) = v.as_f64().filter(|_| !matches!(v, Value::Bool(_))) else {
        return v.to_plain_string();
    };
    match figure {
        Figure::Code => v.to_plain_string(),
        Figure::Fraction | Figure::Percent => {
            let (pct, decimals) = if figure == Figure::Fraction {
                (x * 100.0, stored_decimals(v).saturating_sub(2))
            } else {
                (x, stored_decimals(v))
            };
            let n = match locale {
                Locale::Fr => fr_number(pct, decimals),
                Locale::En => en_number(pct, decimals),
            };
            percent_sign(n, locale)
        }
        // English tables keep numbers as stored, as they always have; French ones group digits.
        Figure::Amount if locale == Locale::En => v.to_plain_string(),
        Figure::Amount => match v {
            Value::Float(f) if f.fract() != 0.0 => fr_number(*f, 4),
            _ => fr_number(x, stored_decimals(v)),
        },
    }
}
