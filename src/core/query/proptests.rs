//! Property tests: the fast paths agree with naive row-by-row evaluation.

use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::core::dataset::Dataset;
use crate::core::testing::{dec, int, text};

const REGIONS: [&str; 4] = ["Bretagne", "Corse", "Île-de-France", "Occitanie"];

type Row = (Option<usize>, Option<i64>, Option<i64>);

/// Rows of (region, exercice, montant in cents); `wide` spreads exercice beyond the dense
/// key range so the hash path is exercised too.
fn rows() -> impl Strategy<Value = (Vec<Row>, bool)> {
    let row = (
        proptest::option::weighted(0.9, 0..REGIONS.len()),
        proptest::option::weighted(0.9, 0i64..6),
        proptest::option::weighted(0.9, -1_000_000_000i64..1_000_000_000),
    );
    (proptest::collection::vec(row, 0..120), any::<bool>())
}

fn dataset(rows: &[Row], wide: bool) -> Dataset {
    let spread = |y: i64| if wide { y * 1_000_000_007 } else { 2015 + y };
    let regions: Vec<Option<&str>> = rows.iter().map(|r| r.0.map(|i| REGIONS[i])).collect();
    let years: Vec<Option<i64>> = rows.iter().map(|r| r.1.map(spread)).collect();
    let cents: Vec<Option<i64>> = rows.iter().map(|r| r.2).collect();
    Dataset::from_columns(vec![
        text("region", &regions),
        int("exercice", &years),
        dec("montant", &cents, 2),
    ])
}

fn key(v: &Value) -> String {
    format!("{v:?}")
}

proptest! {
    #[test]
    fn grouped_decimal_sums_equal_a_naive_sum((rows, wide) in rows()) {
        let ds = dataset(&rows, wide);
        let query: Query = serde_json::from_str(r#"{"group_by":["region","exercice"],"aggregates":[{"op":"sum","column":"montant"},{"op":"count"}]}"#)
            .unwrap_or_default();
        let r = run(&ds, &query).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut naive: HashMap<(String, String), (i128, bool, i64)> = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            let e = naive.entry((key(&ds.columns[0].value(i)), key(&ds.columns[1].value(i)))).or_default();
            if let Some(c) = row.2 {
                e.0 += i128::from(c);
                e.1 = true;
            }
            e.2 += 1;
        }
        prop_assert_eq!(r.rows.len(), naive.len());
        for row in &r.rows {
            let (sum, any, n) = naive[&(key(&row[0]), key(&row[1]))];
            let want = if any { Value::Decimal { units: sum as i64, scale: 2 } } else { Value::Null };
            prop_assert_eq!(&row[2], &want);
            prop_assert_eq!(&row[3], &Value::Int(n));
        }
    }

    #[test]
    fn filters_equal_naive_evaluation(
        (rows, wide) in rows(),
        picked in proptest::collection::vec(0..REGIONS.len(), 0..3),
        negate in any::<bool>(),
        lo in proptest::option::of(-1_000_000_000i64..1_000_000_000),
        hi in proptest::option::of(-1_000_000_000i64..1_000_000_000),
    ) {
        let ds = dataset(&rows, wide);
        let values = picked.iter().map(|&i| Literal::Text(REGIONS[i].into())).collect();
        let region = if negate {
            Filter::NotIn { column: "region".into(), values }
        } else {
            Filter::In { column: "region".into(), values }
        };
        let cents = |c: Option<i64>| c.map(|c| Literal::Number(c as f64 / 100.0));
        let between = Filter::Between { column: "montant".into(), min: cents(lo), max: cents(hi) };
        let got = select(&ds, &[region, between]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let want: Vec<u32> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.0.is_some_and(|g| picked.contains(&g) != negate))
            .filter(|(_, r)| r.2.is_some_and(|c| lo.is_none_or(|l| c >= l) && hi.is_none_or(|h| c <= h)))
            .map(|(i, _)| i as u32)
            .collect();
        prop_assert_eq!(got.into_vec(), want);
    }

    #[test]
    fn others_row_plus_top_rows_sum_to_the_total((rows, wide) in rows(), limit in 0usize..4) {
        let ds = dataset(&rows, wide);
        let spec = format!(r#"{{"group_by":["exercice"],"aggregates":[{{"op":"sum","column":"montant","as":"s"}},{{"op":"count","as":"n"}}],"sort":[{{"column":"s","desc":true}}],"limit":{limit},"others":true}}"#);
        let query: Query = serde_json::from_str(&spec).unwrap_or_default();
        let r = run(&ds, &query).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut sum = 0i128;
        let mut n = 0i64;
        for row in &r.rows {
            if let Value::Decimal { units, .. } = row[1] {
                sum += i128::from(units);
            }
            if let Value::Int(c) = row[2] {
                n += c;
            }
        }
        let total: i128 = rows.iter().filter_map(|r| r.2).map(i128::from).sum();
        prop_assert_eq!(sum, total);
        prop_assert_eq!(n, rows.len() as i64);
        prop_assert!(r.rows.len() <= limit + 1);
    }
}
