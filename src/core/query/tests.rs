//! Specifications of the query engine, as tables over the `budget` fixture
//! (see `core::testing::budget` for its eight rows).

use super::*;
use crate::core::testing::budget;
use crate::core::value::days_from_civil;

fn q(json: &str) -> Query {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn rows_of(filter_json: &str) -> Vec<u32> {
    let f: Filter =
        serde_json::from_str(filter_json).unwrap_or_else(|e| panic!("{filter_json}: {e}"));
    select(&budget(), &[f])
        .unwrap_or_else(|e| panic!("{filter_json}: {e}"))
        .into_vec()
}

fn t(s: &str) -> Value {
    Value::Text(s.into())
}

fn d(units: i64) -> Value {
    Value::Decimal { units, scale: 2 }
}

#[test]
fn each_filter_op_selects_the_expected_rows() {
    let cases: &[(&str, &[u32])] = &[
        (
            r#"{"column":"region","op":"in","values":["Bretagne"]}"#,
            &[0, 2, 4, 6],
        ),
        (
            r#"{"column":"region","op":"not_in","values":["Bretagne"]}"#,
            &[1, 3, 7],
        ),
        (r#"{"column":"region","op":"in","values":["Nowhere"]}"#, &[]),
        (
            r#"{"column":"exercice","op":"in","values":[2020]}"#,
            &[1, 2, 5],
        ),
        (
            r#"{"column":"exercice","op":"in","values":["2020"]}"#,
            &[1, 2, 5],
        ),
        (r#"{"column":"exercice","op":"in","values":[2020.5]}"#, &[]),
        (
            r#"{"column":"exercice","op":"in","values":[2019, 2022]}"#,
            &[0, 6],
        ),
        (
            r#"{"column":"exercice","op":"not_in","values":[2020]}"#,
            &[0, 3, 4, 6],
        ),
        (
            r#"{"column":"exercice","op":"between","min":2020,"max":2021}"#,
            &[1, 2, 3, 4, 5],
        ),
        (
            r#"{"column":"exercice","op":"between","min":2021}"#,
            &[3, 4, 6],
        ),
        (r#"{"column":"montant","op":"in","values":[10.5]}"#, &[0]),
        (r#"{"column":"montant","op":"in","values":["10,50"]}"#, &[0]),
        (
            r#"{"column":"montant","op":"between","max":5.25}"#,
            &[2, 5, 6],
        ),
        (
            r#"{"column":"montant","op":"not_in","values":[20]}"#,
            &[0, 2, 4, 5, 6, 7],
        ),
        (
            r#"{"column":"taux","op":"between","min":1,"max":2}"#,
            &[1, 3, 6],
        ),
        (r#"{"column":"taux","op":"in","values":[0.5]}"#, &[0]),
        (
            r#"{"column":"date","op":"between","min":"2020-01-01","max":"2020-12-31"}"#,
            &[1, 2, 5],
        ),
        (
            r#"{"column":"date","op":"between","min":2020,"max":2020}"#,
            &[1, 2, 5],
        ),
        (
            r#"{"column":"date","op":"in","values":["2020-06-15"]}"#,
            &[1],
        ),
        (
            r#"{"column":"date","op":"in","values":["15/06/2020"]}"#,
            &[1],
        ),
        (r#"{"column":"date","op":"in","values":["2020-06"]}"#, &[1]),
        (
            r#"{"column":"actif","op":"in","values":[true]}"#,
            &[0, 2, 5, 6],
        ),
        (
            r#"{"column":"region","op":"contains","value":"bret"}"#,
            &[0, 2, 4, 6],
        ),
        (r#"{"op":"contains","value":"ile"}"#, &[3]),
        (
            r#"{"column":"ministere","op":"contains","value":"ARMÉES"}"#,
            &[1, 4],
        ),
        (r#"{"column":"*","op":"contains","value":"sant"}"#, &[3, 6]),
        (
            r#"{"column":"exercice","op":"contains","value":"202"}"#,
            &[1, 2, 3, 4, 5, 6],
        ),
        (r#"{"column":"region","op":"is_null"}"#, &[5]),
        (
            r#"{"column":"montant","op":"not_null"}"#,
            &[0, 1, 2, 4, 5, 6, 7],
        ),
    ];
    for (json, want) in cases {
        assert_eq!(rows_of(json), *want, "{json}");
    }
}

#[test]
fn filters_are_anded_and_no_filter_selects_everything() {
    let ds = budget();
    let both = q(
        r#"{"filter":[{"column":"region","op":"in","values":["Bretagne"]},{"column":"exercice","op":"in","values":[2020]}]}"#,
    );
    assert_eq!(
        select(&ds, &both.filter).map(Selection::into_vec),
        Ok(vec![2])
    );
    assert_eq!(select(&ds, &[]).map(|s| s.len()), Ok(8));
}

#[test]
fn bad_filters_are_errors_not_panics() {
    let ds = budget();
    let bad = |json: &str| {
        let f: Filter = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
        select(&ds, &[f]).err()
    };
    assert_eq!(
        bad(r#"{"column":"nope","op":"in","values":[1]}"#),
        Some(QueryError::UnknownColumn("nope".into()))
    );
    assert!(matches!(
        bad(r#"{"column":"region","op":"between","min":"a"}"#),
        Some(QueryError::BadFilter(_))
    ));
    assert!(matches!(
        bad(r#"{"column":"exercice","op":"between","min":"soon"}"#),
        Some(QueryError::BadFilter(_))
    ));
}

#[test]
fn each_aggregate_over_all_rows() {
    let ds = budget();
    let day = |y, m, dd| Value::Date(days_from_civil(y, m, dd).unwrap_or(0));
    let cases: Vec<(&str, Value)> = vec![
        (r#"{"op":"count"}"#, Value::Int(8)),
        (r#"{"op":"count","column":"montant"}"#, Value::Int(7)),
        (
            r#"{"op":"count_distinct","column":"region"}"#,
            Value::Int(3),
        ),
        (r#"{"op":"sum","column":"montant"}"#, d(14000)),
        (r#"{"op":"sum","column":"exercice"}"#, Value::Int(14143)),
        (r#"{"op":"sum","column":"taux"}"#, Value::Float(10.5)),
        (r#"{"op":"sum","column":"actif"}"#, Value::Int(4)),
        (r#"{"op":"mean","column":"montant"}"#, Value::Float(20.0)),
        (r#"{"op":"mean","column":"taux"}"#, Value::Float(1.5)),
        (r#"{"op":"median","column":"montant"}"#, Value::Float(7.0)),
        (
            r#"{"op":"median","column":"exercice"}"#,
            Value::Float(2020.0),
        ),
        (r#"{"op":"median","column":"taux"}"#, Value::Float(1.5)),
        (r#"{"op":"min","column":"montant"}"#, d(-375)),
        (r#"{"op":"max","column":"montant"}"#, d(10000)),
        (r#"{"op":"min","column":"region"}"#, t("Bretagne")),
        (r#"{"op":"max","column":"region"}"#, t("Île-de-France")),
        (r#"{"op":"min","column":"date"}"#, day(2019, 3, 1)),
        (r#"{"op":"max","column":"date"}"#, day(2022, 5, 5)),
        (r#"{"op":"share","column":"montant"}"#, Value::Float(1.0)),
        (r#"{"op":"share"}"#, Value::Float(1.0)),
    ];
    for (agg, want) in cases {
        let r = run(&ds, &q(&format!(r#"{{"aggregates":[{agg}]}}"#)))
            .unwrap_or_else(|e| panic!("{agg}: {e}"));
        assert_eq!(r.rows, vec![vec![want]], "{agg}");
    }
}

#[test]
fn aggregate_types_and_errors() {
    let ds = budget();
    let r = run(&ds, &q(r#"{"aggregates":[{"op":"sum","column":"montant"},{"op":"count"},{"op":"mean","column":"exercice"}]}"#))
        .unwrap_or_else(|e| panic!("{e}"));
    let types: Vec<ColumnType> = r.columns.iter().map(|c| c.ty).collect();
    assert_eq!(
        types,
        vec![ColumnType::Decimal, ColumnType::Integer, ColumnType::Float]
    );
    assert_eq!(r.columns[0].name, "sum_montant");
    assert!(matches!(
        run(
            &ds,
            &q(r#"{"aggregates":[{"op":"sum","column":"region"}]}"#)
        ),
        Err(QueryError::BadAggregate(_))
    ));
    assert!(matches!(
        run(&ds, &q(r#"{"aggregates":[{"op":"sum"}]}"#)),
        Err(QueryError::BadAggregate(_))
    ));
    assert_eq!(
        run(&ds, &q(r#"{"group_by":["nope"]}"#)),
        Err(QueryError::UnknownColumn("nope".into()))
    );
    // No row: counts are 0, everything else is null.
    let empty = r#"{"filter":[{"column":"region","op":"in","values":["Nowhere"]}],"aggregates":[{"op":"count"},{"op":"sum","column":"montant"}]}"#;
    assert_eq!(
        run(&ds, &q(empty)).map(|r| r.rows),
        Ok(vec![vec![Value::Int(0), Value::Null]])
    );
}

#[test]
fn the_issue_spec_parses_and_runs_as_written() {
    let spec = r#"{"filter":[{"column":"region","op":"in","values":["Bretagne"]},{"column":"exercice","op":"between","min":2019,"max":2021}],"group_by":["ministere"],"aggregates":[{"op":"sum","column":"montant","as":"total"},{"op":"count","as":"n"}],"sort":[{"column":"total","desc":true}],"limit":10}"#;
    let r = run(&budget(), &q(spec)).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["ministere", "total", "n"]);
    assert_eq!(
        r.rows,
        vec![
            vec![t("Armées"), d(10000), Value::Int(1)],
            vec![t("Culture"), d(1575), Value::Int(2)]
        ]
    );
}

#[test]
fn group_by_without_aggregates_gives_distinct_keys() {
    let ds = budget();
    let first_seen = run(&ds, &q(r#"{"group_by":["ministere"]}"#)).map(|r| r.rows);
    assert_eq!(
        first_seen,
        Ok(vec![
            vec![t("Culture")],
            vec![t("Armées")],
            vec![t("Santé")]
        ])
    );
    let sorted = run(
        &ds,
        &q(r#"{"group_by":["ministere"],"sort":[{"column":"ministere"}]}"#),
    )
    .map(|r| r.rows);
    assert_eq!(
        sorted,
        Ok(vec![
            vec![t("Armées")],
            vec![t("Culture")],
            vec![t("Santé")]
        ])
    );
}

#[test]
fn sort_puts_nulls_last_both_ways_and_limit_cuts() {
    let ds = budget();
    for desc in [false, true] {
        let spec = format!(
            r#"{{"group_by":["region"],"aggregates":[{{"op":"count"}}],"sort":[{{"column":"region","desc":{desc}}}]}}"#
        );
        let r = run(&ds, &q(&spec)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            r.rows.last().map(|row| row[0].clone()),
            Some(Value::Null),
            "desc={desc}"
        );
    }
    let r = run(&ds, &q(r#"{"group_by":["exercice"],"aggregates":[{"op":"count","as":"n"}],"sort":[{"column":"n","desc":true}],"limit":2}"#))
        .map(|r| r.rows);
    assert_eq!(
        r,
        Ok(vec![
            vec![Value::Int(2020), Value::Int(3)],
            vec![Value::Int(2021), Value::Int(2)]
        ])
    );
}

#[test]
fn others_row_folds_the_rest_exactly() {
    let spec = r#"{"group_by":["ministere"],"aggregates":[{"op":"sum","column":"montant","as":"total"},{"op":"count","as":"n"},{"op":"mean","column":"montant","as":"moy"},{"op":"share","column":"montant","as":"part"}],"sort":[{"column":"total","desc":true}],"limit":1,"others":true}"#;
    let r = run(&budget(), &q(spec)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.rows,
        vec![
            vec![
                t("Armées"),
                d(12000),
                Value::Int(2),
                Value::Float(60.0),
                Value::Float(120.0 / 140.0)
            ],
            vec![
                t("Autres"),
                d(2000),
                Value::Int(6),
                Value::Float(4.0),
                Value::Float(20.0 / 140.0)
            ],
        ]
    );
    // A non-text first key becomes text so that "Autres" fits.
    let r = run(&budget(), &q(r#"{"group_by":["exercice"],"aggregates":[{"op":"count"}],"sort":[{"column":"count","desc":true}],"limit":1,"others":true}"#))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.columns[0].ty, ColumnType::Text);
    assert_eq!(
        r.rows,
        vec![
            vec![t("2020"), Value::Int(3)],
            vec![t("Autres"), Value::Int(5)]
        ]
    );
}

#[test]
fn raw_rows_honour_sort_and_limit() {
    let ds = budget();
    let r = run(&ds, &q(r#"{"filter":[{"column":"region","op":"in","values":["Corse"]}],"sort":[{"column":"montant","desc":true}],"limit":1}"#))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.columns.len(), 7);
    assert_eq!(r.rows.len(), 1);
    assert_eq!(
        r.rows[0][0..4],
        [t("Corse"), Value::Int(2020), t("Armées"), d(2000)]
    );
}

#[test]
fn sort_rows_orders_raw_rows_stably_with_nulls_last() {
    let ds = budget();
    let all = Selection::all(8);
    let by = |json: &str| -> Vec<u32> {
        let keys: Vec<SortKey> = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
        sort_rows(&ds, &all, &keys)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_vec()
    };
    assert_eq!(
        by(r#"[{"column":"montant","desc":true}]"#),
        [4, 1, 0, 7, 2, 5, 6, 3]
    );
    assert_eq!(
        by(r#"[{"column":"region"},{"column":"montant"}]"#),
        [6, 2, 0, 4, 7, 1, 3, 5]
    );
    assert_eq!(by(r#"[{"column":"actif"}]"#), [1, 4, 7, 0, 2, 5, 6, 3]);
}

#[test]
fn pivot_has_sorted_columns_row_totals_and_a_total_row() {
    let spec = r#"{"pivot":{"rows":"exercice","columns":"region","value":{"op":"count"}}}"#;
    let r = run(&budget(), &q(spec)).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "exercice",
            "Bretagne",
            "Corse",
            "Île-de-France",
            "(vide)",
            "Total"
        ]
    );
    let i = |n| Value::Int(n);
    assert_eq!(
        r.rows,
        vec![
            vec![t("2019"), i(1), i(0), i(0), i(0), i(1)],
            vec![t("2020"), i(1), i(1), i(0), i(1), i(3)],
            vec![t("2021"), i(1), i(0), i(1), i(0), i(2)],
            vec![t("2022"), i(1), i(0), i(0), i(0), i(1)],
            vec![t("(vide)"), i(0), i(1), i(0), i(0), i(1)],
            vec![t("Total"), i(4), i(2), i(1), i(1), i(8)],
        ]
    );
    let sums = r#"{"pivot":{"rows":"ministere","columns":"actif","value":{"op":"sum","column":"montant"}}}"#;
    let r = run(&budget(), &q(sums)).unwrap_or_else(|e| panic!("{e}"));
    // actif is false, true or null ("(vide)"); Santé's only montant with actif null is null.
    assert_eq!(
        r.rows[0],
        vec![t("Armées"), d(12000), Value::Null, Value::Null, d(12000)]
    );
    assert_eq!(
        r.rows.last(),
        Some(&vec![t("Total"), d(12700), d(1300), Value::Null, d(14000)])
    );
}

#[test]
fn long_form_pivot_is_group_by_two_columns() {
    let r = run(&budget(), &q(r#"{"group_by":["region","exercice"],"aggregates":[{"op":"count"}],"sort":[{"column":"region"},{"column":"exercice"}],"limit":3}"#))
        .map(|r| r.rows);
    let row = |a: &str, y: i64, n: i64| vec![t(a), Value::Int(y), Value::Int(n)];
    assert_eq!(
        r,
        Ok(vec![
            row("Bretagne", 2019, 1),
            row("Bretagne", 2020, 1),
            row("Bretagne", 2021, 1)
        ])
    );
}

#[test]
fn distinct_counts_are_by_count_then_value_with_nulls() {
    let ds = budget();
    let all = Selection::all(8);
    assert_eq!(
        distinct_counts(&ds, "region", &all),
        Ok(vec![
            (t("Bretagne"), 4),
            (t("Corse"), 2),
            (t("Île-de-France"), 1),
            (Value::Null, 1)
        ])
    );
    let some = Selection::from_rows(vec![1, 2, 5]);
    assert_eq!(
        distinct_counts(&ds, "exercice", &some),
        Ok(vec![(Value::Int(2020), 3)])
    );
}
