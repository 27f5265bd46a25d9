//! Property tests: the fast paths agree with naive row-by-row evaluation.

use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::core::column::{Column, ColumnData};
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
        // In either order: the first filter reads row ranges, the second the rows kept.
        let got = select(&ds, &[region.clone(), between.clone()]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let swapped = select(&ds, &[between, region]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(got.as_slice(), swapped.as_slice());
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

/// Labels for the row-by-row text tests: accents, case and a prefix of another value, so
/// `contains`, `in` and sort order all have something to get wrong.
const LABELS: [&str; 7] = [
    "Facture 12 Élysée",
    "facture 12 élysée",
    "Facture 1",
    "Avoir Œuvre",
    "Zèbre",
    "avoir",
    "Facture 12 Élysée bis",
];

/// The same rows with `libelle` as a dictionary column and as text kept row by row.
fn label_datasets(rows: &[(Option<usize>, Option<i64>, Option<i64>)]) -> (Dataset, Dataset) {
    let labels: Vec<Option<&str>> = rows.iter().map(|r| r.0.map(|i| LABELS[i])).collect();
    let years: Vec<Option<i64>> = rows.iter().map(|r| r.1.map(|y| 2015 + y)).collect();
    let cents: Vec<Option<i64>> = rows.iter().map(|r| r.2).collect();
    let with = |libelle: Column| {
        Dataset::from_columns(vec![
            libelle,
            int("exercice", &years),
            dec("montant", &cents, 2),
        ])
    };
    (
        with(text("libelle", &labels)),
        with(crate::core::testing::strings("libelle", &labels)),
    )
}

/// Every cell of a dataset, by value (a dictionary column and a row-by-row one compare equal).
fn cells(ds: &Dataset) -> Vec<Vec<Value>> {
    (0..ds.rows)
        .map(|r| ds.columns.iter().map(|c| c.value(r)).collect())
        .collect()
}

proptest! {
    /// Text kept row by row answers every query exactly as the dictionary column it replaces
    /// (the dictionary paths are the reference: they are checked against naive evaluation
    /// above and by the query tests).
    #[test]
    fn row_by_row_text_answers_as_the_dictionary(
        rows in proptest::collection::vec((
            proptest::option::weighted(0.85, 0..LABELS.len()),
            proptest::option::weighted(0.9, 0i64..4),
            proptest::option::weighted(0.9, -1_000_000i64..1_000_000),
        ), 0..80),
        picked in proptest::collection::vec(0..LABELS.len(), 0..3),
        needle in prop::sample::select(vec!["facture", "ÉLYSÉE", "oeuvre", "z", "", "bis"]),
    ) {
        let (dict, plain) = label_datasets(&rows);
        prop_assert!(matches!(plain.columns[0].data, ColumnData::Strings(_)));
        let values: Vec<String> = picked.iter().map(|&i| serde_json::to_string(LABELS[i]).unwrap_or_default()).collect();
        let values = values.join(",");
        let needle = serde_json::to_string(needle).unwrap_or_default();
        let queries = [
            format!(r#"{{"filter":[{{"op":"in","column":"libelle","values":[{values}]}}],"aggregates":[{{"op":"count"}}]}}"#),
            format!(r#"{{"filter":[{{"op":"not_in","column":"libelle","values":[{values}]}}],"group_by":["exercice"],"aggregates":[{{"op":"count"}}]}}"#),
            format!(r#"{{"filter":[{{"op":"contains","column":"libelle","value":{needle}}}],"aggregates":[{{"op":"count"}},{{"op":"sum","column":"montant"}}]}}"#),
            format!(r#"{{"filter":[{{"op":"contains","value":{needle}}}],"aggregates":[{{"op":"count"}}]}}"#),
            r#"{"filter":[{"op":"is_null","column":"libelle"}],"aggregates":[{"op":"count"}]}"#.to_string(),
            // A second filter runs over the rows the first one kept.
            format!(r#"{{"filter":[{{"op":"in","column":"exercice","values":[2016,2017]}},{{"op":"contains","column":"libelle","value":{needle}}},{{"op":"not_in","column":"libelle","values":[{values}]}}],"aggregates":[{{"op":"count"}},{{"op":"sum","column":"montant"}}]}}"#),
            r#"{"filter":[{"op":"between","column":"libelle","min":1,"max":2}],"aggregates":[{"op":"count"}]}"#.to_string(),
            r#"{"group_by":["libelle"],"aggregates":[{"op":"count"},{"op":"sum","column":"montant"}],"sort":[{"column":"libelle"}]}"#.to_string(),
            r#"{"group_by":["exercice"],"aggregates":[{"op":"min","column":"libelle"},{"op":"max","column":"libelle"},{"op":"count_distinct","column":"libelle"}]}"#.to_string(),
            r#"{"group_by":["libelle","exercice"],"aggregates":[{"op":"count"}],"limit":3,"others":true}"#.to_string(),
            r#"{"pivot":{"rows":"libelle","columns":"exercice","value":{"op":"sum","column":"montant"}}}"#.to_string(),
        ];
        for q in &queries {
            let query: Query = serde_json::from_str(q).map_err(|e| TestCaseError::fail(format!("{q}: {e}")))?;
            prop_assert_eq!(run(&dict, &query), run(&plain, &query), "{}", q);
        }
        // Table sorts, both directions (stable, nulls last).
        let all = filter::select(&dict, &[]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for desc in [false, true] {
            let by = [SortKey { column: "libelle".into(), desc }];
            let a = sort::sort_rows(&dict, &all, &by).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let b = sort::sort_rows(&plain, &all, &by).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(a.as_slice(), b.as_slice());
        }
        // Joins on the label, either side row by row.
        let names: Vec<Option<&str>> = LABELS.iter().map(|s| Some(*s)).collect();
        let lens: Vec<Option<i64>> = LABELS.iter().map(|s| Some(s.len() as i64)).collect();
        let right = |c: Column| Dataset::from_columns(vec![c, int("longueur", &lens)]);
        let spec = join::JoinSpec {
            left_on: vec!["libelle".into()],
            right_on: vec!["nom".into()],
            ..join::JoinSpec::default()
        };
        let reference = join::join(&dict, &right(text("nom", &names)), &spec)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (l, r) in [(&plain, text("nom", &names)), (&dict, crate::core::testing::strings("nom", &names)), (&plain, crate::core::testing::strings("nom", &names))] {
            let j = join::join(l, &right(r), &spec).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(cells(&j.0), cells(&reference.0));
            prop_assert_eq!(&j.1, &reference.1);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// A selection read a slice at a time (what the worker does, so that it can stop between
    /// slices) equals the selection read at once and, for `contains`, a naive scan, whatever
    /// the slices, on dictionary and row-by-row labels alike.
    #[test]
    fn a_selection_read_in_slices_equals_one_read_at_once(
        seed in any::<u64>(),
        n in 0usize..20_000,
        slices in proptest::collection::vec(1usize..9_000, 1..6),
        needle in prop::sample::select(vec!["facture", "ÉLYSÉE", "z", "bis"]),
    ) {
        let mut x = seed | 1;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        let rows: Vec<Row> = (0..n)
            .map(|_| {
                let label = next(10);
                let year = next(5);
                (
                    (label < LABELS.len() as u64).then_some(label as usize),
                    (year < 4).then_some(year as i64),
                    Some(next(1_000_000) as i64),
                )
            })
            .collect();
        let (dict, plain) = label_datasets(&rows);
        let needle_json = serde_json::to_string(needle).unwrap_or_default();
        let filter_sets = [
            format!(r#"[{{"op":"in","column":"exercice","values":[2016,2017]}},{{"op":"contains","value":{needle_json}}}]"#),
            format!(r#"[{{"op":"contains","column":"libelle","value":{needle_json}}}]"#),
            r#"[{"op":"not_in","column":"libelle","values":["Zèbre","avoir"]},{"op":"between","column":"montant","min":1000}]"#.to_string(),
            "[]".to_string(),
        ];
        let folded = filter::fold_text(needle);
        let naive: Vec<u32> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.0.is_some_and(|l| filter::fold_text(LABELS[l]).contains(&folded)))
            .map(|(i, _)| i as u32)
            .collect();
        for ds in [&dict, &plain] {
            for f in &filter_sets {
                let filters: Vec<Filter> = serde_json::from_str(f).map_err(|e| TestCaseError::fail(format!("{f}: {e}")))?;
                let whole = select(ds, &filters).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let mut s = Selector::new(ds, &filters).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let mut last = 0;
                for k in 0.. {
                    let done = s.step(slices[k % slices.len()]);
                    let (read, total) = s.read();
                    prop_assert_eq!(total, n);
                    prop_assert!(read <= total && (read > last || done), "{} -> {}", last, read);
                    last = read;
                    if done {
                        prop_assert_eq!(read, n);
                        break;
                    }
                }
                let stepped = s.finish().into_vec();
                if f.contains(r#""column":"libelle","value""#) {
                    prop_assert_eq!(&stepped, &naive, "{}", f);
                }
                prop_assert_eq!(stepped, whole.into_vec(), "{}", f);
            }
        }
    }
}
