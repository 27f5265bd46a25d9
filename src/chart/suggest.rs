//! The default chart for a table, from the roles its columns play: a time column (dates, or
//! whole numbers that are years), measures (numbers), categories (text). The rules, first match
//! wins:
//!
//! 1. one row and a measure -> [`ChartKind::BigNumber`];
//! 2. a time column and a measure -> [`ChartKind::Line`];
//! 3. a category and a measure -> [`ChartKind::Ranking`];
//! 4. two measures -> [`ChartKind::Scatter`];
//! 5. one measure -> [`ChartKind::Histogram`];
//! 6. otherwise a [`ChartKind::Bar`] over the first column.
//!
//! The measure preferred is the first whose name says money or total (`montant`, `crédits`,
//! `total`, …); a money name also sets the unit to `€`.

use crate::core::column::ColumnType;
use crate::core::query::QueryResult;
use crate::core::value::Value;

use super::{ChartKind, ChartSpec};

/// Lower-case, accents removed, for name hints.
fn fold(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

/// Whether `name` contains one of `words` as a whole word (split on non-letters).
fn has_word(name: &str, words: &[&str]) -> bool {
    fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| words.contains(&w))
}

const YEAR_WORDS: &[&str] = &["annee", "annees", "year", "exercice", "an", "millesime"];
const MONEY_WORDS: &[&str] = &[
    "montant",
    "montants",
    "credit",
    "credits",
    "cp",
    "ae",
    "euros",
    "eur",
    "budget",
    "depense",
    "depenses",
    "recette",
    "recettes",
    "cout",
    "prix",
    "amount",
    "subvention",
    "dotation",
    "lfi",
    "plf",
    "plr",
    "execution",
    "solde",
    "dette",
];
const TOTAL_WORDS: &[&str] = &["total", "somme", "sum", "valeur", "value"];

/// Whether the measure column's name says money (sets the `€` unit).
pub fn is_money(name: &str) -> bool {
    has_word(name, MONEY_WORDS) || name.contains('€')
}

fn is_year_column(table: &QueryResult, i: usize) -> bool {
    let col = &table.columns[i];
    if col.ty != ColumnType::Integer {
        return false;
    }
    if has_word(&col.name, YEAR_WORDS) {
        return true;
    }
    let mut any = false;
    for row in &table.rows {
        match row.get(i) {
            Some(Value::Int(y)) if (1800..=2200).contains(y) => any = true,
            Some(Value::Null) | None => {}
            _ => return false,
        }
    }
    // Whole numbers between 1800 and 2200 are years only when another number can be measured.
    any && table
        .columns
        .iter()
        .enumerate()
        .any(|(j, c)| j != i && c.ty.is_numeric())
}

/// The default chart spec for `table` (see the module docs for the rules).
pub fn suggest(table: &QueryResult) -> ChartSpec {
    let n = table.columns.len();
    let years: Vec<usize> = (0..n).filter(|&i| is_year_column(table, i)).collect();
    let time = (0..n)
        .find(|&i| matches!(table.columns[i].ty, ColumnType::Date | ColumnType::Datetime))
        .or_else(|| years.first().copied());
    let measures: Vec<usize> = (0..n)
        .filter(|&i| table.columns[i].ty.is_numeric() && !years.contains(&i))
        .collect();
    let category =
        (0..n).find(|&i| matches!(table.columns[i].ty, ColumnType::Text | ColumnType::Boolean));
    let hinted = measures.iter().copied().find(|&i| {
        let name = &table.columns[i].name;
        is_money(name) || has_word(name, TOTAL_WORDS)
    });
    let preferred = hinted.or_else(|| measures.first().copied());
    let name = |i: usize| Some(table.columns[i].name.clone());
    let unit = preferred
        .filter(|&i| is_money(&table.columns[i].name))
        .map(|_| "€".to_string());
    let spec = |kind, x: Option<usize>, y: Option<usize>| ChartSpec {
        kind,
        x: x.and_then(name),
        y: y.and_then(name),
        series: None,
        title: None,
        unit: unit.clone(),
        map: Default::default(),
    };
    match (preferred, time, category) {
        (Some(m), _, _) if table.rows.len() == 1 => spec(ChartKind::BigNumber, None, Some(m)),
        (Some(m), Some(t), _) => spec(ChartKind::Line, Some(t), Some(m)),
        (Some(m), None, Some(c)) => spec(ChartKind::Ranking, Some(c), Some(m)),
        (Some(_), None, None) if measures.len() >= 2 => {
            // The named amount goes up the y axis; otherwise the first two numbers, in order.
            let (x, y) = match hinted {
                Some(h) => (measures.iter().copied().find(|&i| i != h).unwrap_or(h), h),
                None => (measures[0], measures[1]),
            };
            spec(ChartKind::Scatter, Some(x), Some(y))
        }
        (Some(m), None, None) => spec(ChartKind::Histogram, None, Some(m)),
        (None, _, _) => spec(ChartKind::Bar, (n > 0).then_some(0), None),
    }
}
