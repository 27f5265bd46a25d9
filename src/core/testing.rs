//! Test-only builders: datasets made directly from column values, independent of ingest.

use super::column::{Column, ColumnData, NullMask};
use super::dataset::Dataset;
use super::query::filter::parse_date;

fn mask<T>(vals: &[Option<T>]) -> NullMask {
    let mut m = NullMask::with_capacity(vals.len());
    for v in vals {
        m.push(v.is_some());
    }
    m
}

/// A text column; the dictionary is built in first-appearance order.
pub fn text(name: &str, vals: &[Option<&str>]) -> Column {
    let mut dict: Vec<String> = Vec::new();
    let codes = vals
        .iter()
        .map(|v| match v {
            None => 0,
            Some(s) => match dict.iter().position(|d| d == s) {
                Some(i) => i as u32,
                None => {
                    dict.push(s.to_string());
                    dict.len() as u32 - 1
                }
            },
        })
        .collect();
    Column::new(
        name,
        ColumnData::Text {
            codes,
            dict: dict.into(),
        },
        mask(vals),
    )
}

/// A text column kept row by row ([`crate::core::column::Strings`]), as ingest stores
/// mostly-distinct labels.
pub fn strings(name: &str, vals: &[Option<&str>]) -> Column {
    let values: super::column::Strings = vals.iter().map(|v| v.unwrap_or("")).collect();
    Column::new(name, ColumnData::Strings(values), mask(vals))
}

pub fn int(name: &str, vals: &[Option<i64>]) -> Column {
    let data = vals.iter().map(|v| v.unwrap_or(0)).collect();
    Column::new(name, ColumnData::Integer(data), mask(vals))
}

/// A decimal column from scaled units (`1050` at scale 2 is 10.50).
pub fn dec(name: &str, units: &[Option<i64>], scale: u8) -> Column {
    let data = units.iter().map(|v| v.unwrap_or(0)).collect();
    Column::new(
        name,
        ColumnData::Decimal { units: data, scale },
        mask(units),
    )
}

pub fn float(name: &str, vals: &[Option<f64>]) -> Column {
    let data = vals.iter().map(|v| v.unwrap_or(0.0)).collect();
    Column::new(name, ColumnData::Float(data), mask(vals))
}

pub fn boolean(name: &str, vals: &[Option<bool>]) -> Column {
    let data = vals.iter().map(|v| v.unwrap_or(false)).collect();
    Column::new(name, ColumnData::Boolean(data), mask(vals))
}

/// A date column from ISO strings.
pub fn date(name: &str, vals: &[Option<&str>]) -> Column {
    let days: Vec<Option<i32>> = vals.iter().map(|v| v.and_then(parse_date)).collect();
    let data = days.iter().map(|v| v.unwrap_or(0)).collect();
    Column::new(name, ColumnData::Date(data), mask(&days))
}

/// A small budget-shaped dataset (8 rows, a few nulls):
///
/// | # | region   | exercice | ministere | montant | taux | date       | actif |
/// |---|----------|----------|-----------|---------|------|------------|-------|
/// | 0 | Bretagne | 2019     | Culture   | 10.50   | 0.5  | 2019-03-01 | true  |
/// | 1 | Corse    | 2020     | Armées    | 20.00   | 1.5  | 2020-06-15 | false |
/// | 2 | Bretagne | 2020     | Culture   | 5.25    | null | 2020-12-31 | true  |
/// | 3 | Île-de-F.| 2021     | Santé     | null    | 2.0  | null       | null  |
/// | 4 | Bretagne | 2021     | Armées    | 100.00  | 3.0  | 2021-01-01 | false |
/// | 5 | null     | 2020     | Culture   | 1.00    | 0.0  | 2020-01-01 | true  |
/// | 6 | Bretagne | 2022     | Santé     | -3.75   | 1.0  | 2022-05-05 | true  |
/// | 7 | Corse    | null     | Culture   | 7.00    | 2.5  | 2019-07-14 | false |
pub fn budget() -> Dataset {
    Dataset::from_columns(vec![
        text(
            "region",
            &[
                Some("Bretagne"),
                Some("Corse"),
                Some("Bretagne"),
                Some("Île-de-France"),
                Some("Bretagne"),
                None,
                Some("Bretagne"),
                Some("Corse"),
            ],
        ),
        int(
            "exercice",
            &[
                Some(2019),
                Some(2020),
                Some(2020),
                Some(2021),
                Some(2021),
                Some(2020),
                Some(2022),
                None,
            ],
        ),
        text(
            "ministere",
            &[
                Some("Culture"),
                Some("Armées"),
                Some("Culture"),
                Some("Santé"),
                Some("Armées"),
                Some("Culture"),
                Some("Santé"),
                Some("Culture"),
            ],
        ),
        dec(
            "montant",
            &[
                Some(1050),
                Some(2000),
                Some(525),
                None,
                Some(10000),
                Some(100),
                Some(-375),
                Some(700),
            ],
            2,
        ),
        float(
            "taux",
            &[
                Some(0.5),
                Some(1.5),
                None,
                Some(2.0),
                Some(3.0),
                Some(0.0),
                Some(1.0),
                Some(2.5),
            ],
        ),
        date(
            "date",
            &[
                Some("2019-03-01"),
                Some("2020-06-15"),
                Some("2020-12-31"),
                None,
                Some("2021-01-01"),
                Some("2020-01-01"),
                Some("2022-05-05"),
                Some("2019-07-14"),
            ],
        ),
        boolean(
            "actif",
            &[
                Some(true),
                Some(false),
                Some(true),
                None,
                Some(false),
                Some(true),
                Some(true),
                Some(false),
            ],
        ),
    ])
}
