//! The portal engine's plans and answers (`loupe::state::service::remote`): for each request,
//! the Explore API calls (written here by hand from the ODSQL manual), then the portal's bodies
//! (written here by hand, as the stand-in or a real portal would answer for the eight records
//! below) turned into an answer that must equal both a hand-computed figure and the browser
//! engine's answer over the same eight records.

use loupe::chart::{ChartKind, ChartSpec};
use loupe::core::ingest::{read, IngestOptions};
use loupe::core::query::{AggOp, Filter, Query, QueryError};
use loupe::core::{Dataset, Value};
use loupe::state::odsql::{Endpoint, Field};
use loupe::state::portal::fields_of;
use loupe::state::service::remote::{plan, Plan, Remote};
use loupe::state::service::{Answer, LocalEngine, Request};

/// Eight contracts. Hand sums: Bretagne 100.50 + 20.25 + 5.00 = 125.75 (3 rows); Corse 300.00
/// (1); Normandie 40.10 + 9.90 = 50.00 (2); Occitanie 7.00 (1); one region missing (1, 2.00).
const CSV: &str = "region;montant;annee;objet\n\
Bretagne;100,50;2023;Travaux de voirie\n\
Corse;300,00;2024;Fournitures\n\
Bretagne;20,25;2024;Travaux du port\n\
Normandie;40,10;2023;Services\n\
;2,00;2024;Services\n\
Bretagne;5,00;2023;Fournitures\n\
Normandie;9,90;2024;Travaux routiers\n\
Occitanie;7,00;2024;Services\n";

fn data() -> Dataset {
    read(CSV.as_bytes(), &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn plan_of(req: &Request) -> (Plan, Dataset) {
    let ds = data();
    let fields: Vec<Field> = fields_of(&ds);
    let p = plan(
        req,
        &Remote {
            sample: &ds,
            fields: &fields,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    (p, ds)
}

fn params(p: &Plan, i: usize) -> Vec<(String, String)> {
    p.calls[i].params.clone()
}

fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn local(ds: &Dataset, req: &Request) -> Answer {
    match &*LocalEngine::new().answer(ds, 1, req) {
        Ok(a) => a.clone(),
        Err(e) => panic!("{e}"),
    }
}

fn finish(p: &Plan, bodies: &[&str]) -> Answer {
    let b: Vec<Vec<u8>> = bodies.iter().map(|s| s.as_bytes().to_vec()).collect();
    p.finish(&b).unwrap_or_else(|e| panic!("{e}"))
}

fn dec(units: i64) -> Value {
    Value::Decimal { units, scale: 2 }
}

#[test]
fn a_count_is_one_call_of_count_star() {
    let req = Request::Count {
        filters: serde_json::from_str(r#"[{"column":"annee","op":"in","values":[2024]}]"#)
            .unwrap_or_default(),
    };
    let (p, ds) = plan_of(&req);
    assert_eq!(p.calls.len(), 1);
    assert_eq!(p.calls[0].endpoint, Endpoint::Records);
    assert_eq!(
        params(&p, 0),
        kv(&[
            ("select", "count(*) as n"),
            ("where", "annee = 2024"),
            ("limit", "1")
        ])
    );
    let a = finish(&p, &[r#"{"total_count":1,"results":[{"n":5}]}"#]);
    assert_eq!(a, Answer::Count(5));
    assert_eq!(a, local(&ds, &req));
}

fn ranking(top: usize, agg: AggOp, y: Option<&str>) -> Request {
    Request::Chart {
        filters: Vec::new(),
        chart: ChartSpec {
            kind: ChartKind::Ranking,
            x: Some("region".into()),
            y: y.map(str::to_string),
            ..ChartSpec::default()
        },
        agg,
        top,
    }
}

#[test]
fn a_top_n_with_autres_asks_one_group_more_and_the_total() {
    let req = ranking(2, AggOp::Sum, Some("montant"));
    let (p, ds) = plan_of(&req);
    assert_eq!(p.calls.len(), 2);
    assert_eq!(
        params(&p, 0),
        kv(&[
            (
                "select",
                "region, sum(montant) as montant, count(montant) as n0"
            ),
            ("group_by", "region"),
            ("order_by", "montant desc, region asc"),
            ("limit", "3"),
        ])
    );
    assert_eq!(
        params(&p, 1),
        kv(&[
            ("select", "sum(montant) as t0, count(montant) as t1"),
            ("limit", "1")
        ])
    );
    // The portal's numbers are JSON floats; the groups beyond the top 2 are Normandie (50.00),
    // Occitanie (7.00) and the missing region (2.00): "Autres" = 484.75 - 300 - 125.75 = 59.00.
    let a = finish(
        &p,
        &[
            r#"{"results":[{"region":"Corse","montant":300.0,"n0":1},{"region":"Bretagne","montant":125.75,"n0":3},{"region":"Normandie","montant":50.0,"n0":2}]}"#,
            r#"{"results":[{"t0":484.75,"t1":8}]}"#,
        ],
    );
    let Answer::Table(t) = &a else {
        panic!("{a:?}")
    };
    assert_eq!(
        t.rows,
        vec![
            vec![Value::Text("Corse".into()), dec(30000)],
            vec![Value::Text("Bretagne".into()), dec(12575)],
            vec![Value::Text("Autres".into()), dec(5900)],
        ]
    );
    assert_eq!(a, local(&ds, &req));
}

#[test]
fn no_autres_row_when_nothing_is_cut() {
    let req = ranking(5, AggOp::Count, None);
    let (p, ds) = plan_of(&req);
    assert_eq!(
        params(&p, 0),
        kv(&[
            ("select", "region, count(*) as n"),
            ("group_by", "region"),
            ("order_by", "n desc, region asc"),
            ("limit", "6"),
        ])
    );
    // Five groups (the null region is one) for a top 5: nothing folded. Ties (1, 1, 1) are
    // ordered by region, the missing one last, as the portal sorts them.
    let a = finish(
        &p,
        &[
            r#"{"results":[{"region":"Bretagne","n":3},{"region":"Normandie","n":2},{"region":"Corse","n":1},{"region":"Occitanie","n":1},{"region":null,"n":1}]}"#,
            r#"{"results":[{"t0":8}]}"#,
        ],
    );
    let Answer::Table(t) = &a else {
        panic!("{a:?}")
    };
    assert_eq!(t.rows.len(), 5);
    assert_eq!(
        t.rows[0],
        vec![Value::Text("Bretagne".into()), Value::Int(3)]
    );
    assert!(t.rows.iter().all(|r| r[0] != Value::Text("Autres".into())));
    assert_eq!(a, local(&ds, &req));
}

#[test]
fn a_pivot_of_sums_is_the_long_form_reshaped_with_exact_totals() {
    let q: Query = serde_json::from_str(
        r#"{"pivot":{"rows":"region","columns":"annee","value":{"op":"sum","column":"montant"}}}"#,
    )
    .unwrap_or_default();
    let req = Request::Query { query: q };
    let (p, ds) = plan_of(&req);
    assert_eq!(p.calls[0].endpoint, Endpoint::ExportsCsv);
    assert_eq!(
        params(&p, 0),
        kv(&[
            ("select", "region, annee, sum(montant) as value"),
            ("group_by", "region, annee"),
        ])
    );
    // The exports CSV of that call, as the portal writes it (`;`, decimal point).
    let body = "region;annee;value\nBretagne;2023;105.5\nBretagne;2024;20.25\nCorse;2024;300\n\
                Normandie;2023;40.1\nNormandie;2024;9.9\n;2024;2\nOccitanie;2024;7\n";
    let a = finish(&p, &[body]);
    let Answer::Table(t) = &a else {
        panic!("{a:?}")
    };
    // Hand totals: 2023 = 105.50 + 40.10 = 145.60; 2024 = 20.25 + 300 + 9.90 + 2 + 7 = 339.15.
    let total = t.rows.last().cloned().unwrap_or_default();
    assert_eq!(total[0], Value::Text("Total".into()));
    assert_eq!(&total[1..], &[dec(14560), dec(33915), dec(48475)]);
    assert_eq!(a, local(&ds, &req));
}

#[test]
fn a_pivot_of_counts_has_zero_in_empty_cells() {
    let q: Query = serde_json::from_str(
        r#"{"pivot":{"rows":"region","columns":"annee","value":{"op":"count"}}}"#,
    )
    .unwrap_or_default();
    let req = Request::Query { query: q };
    let (p, ds) = plan_of(&req);
    let body = "region;annee;value\nBretagne;2023;2\nBretagne;2024;1\nCorse;2024;1\n\
                Normandie;2023;1\nNormandie;2024;1\n;2024;1\nOccitanie;2024;1\n";
    let a = finish(&p, &[body]);
    assert_eq!(a, local(&ds, &req));
}

#[test]
fn a_substring_search_downloads_only_what_it_needs_and_counts_exactly() {
    // `contains` has no exact ODSQL (search and like are full-text): the text columns of the
    // rows the exact filter keeps are downloaded, and Loupe counts.
    let req = Request::Count {
        filters: serde_json::from_str(
            r#"[{"op":"contains","column":"objet","value":"travaux"},{"column":"annee","op":"in","values":[2024]}]"#,
        )
        .unwrap_or_default(),
    };
    let (p, ds) = plan_of(&req);
    assert_eq!(p.calls[0].endpoint, Endpoint::ExportsCsv);
    assert_eq!(
        params(&p, 0),
        kv(&[
            ("select", "objet, annee"),
            ("where", "annee = 2024"),
            ("limit", "200001"),
        ])
    );
    let body = "objet;annee\nFournitures;2024\nTravaux du port;2024\nServices;2024\n\
                Travaux routiers;2024\nServices;2024\n";
    let a = finish(&p, &[body]);
    assert_eq!(a, Answer::Count(2));
    assert_eq!(a, local(&ds, &req));
}

#[test]
fn a_median_is_computed_in_the_browser_from_the_needed_columns() {
    let q: Query = serde_json::from_str(
        r#"{"group_by":["annee"],"aggregates":[{"op":"median","column":"montant"}],"sort":[{"column":"annee"}]}"#,
    )
    .unwrap_or_default();
    let req = Request::Query { query: q };
    let (p, ds) = plan_of(&req);
    assert_eq!(params(&p, 0)[0], ("select".into(), "annee, montant".into()));
    let body = "annee;montant\n2023;100.5\n2024;300\n2024;20.25\n2023;40.1\n2024;2\n2023;5\n\
                2024;9.9\n2024;7\n";
    let a = finish(&p, &[body]);
    assert_eq!(a, local(&ds, &req));
}

#[test]
fn a_table_page_is_one_records_call_within_the_window() {
    let req = Request::Page {
        filters: Vec::new(),
        sort: Some(loupe::core::query::SortKey {
            column: "montant".into(),
            desc: true,
        }),
        offset: 100,
        limit: 100,
    };
    let (p, _) = plan_of(&req);
    assert_eq!(
        params(&p, 0),
        kv(&[
            ("order_by", "montant desc"),
            ("limit", "100"),
            ("offset", "100")
        ])
    );
    let far = Request::Page {
        filters: Vec::new(),
        sort: None,
        offset: 9_950,
        limit: 100,
    };
    let ds = data();
    let fields = fields_of(&ds);
    let e = plan(
        &far,
        &Remote {
            sample: &ds,
            fields: &fields,
        },
    );
    assert!(
        matches!(
            e,
            Err(QueryError::TooBig {
                count: 10_050,
                limit: 10_000,
                ..
            })
        ),
        "{e:?}"
    );
}

#[test]
fn a_page_reads_typed_values_from_json() {
    let req = Request::Page {
        filters: vec![Filter::NotNull {
            column: "region".into(),
        }],
        sort: None,
        offset: 0,
        limit: 2,
    };
    let (p, _) = plan_of(&req);
    let a = finish(
        &p,
        &[
            r#"{"results":[{"region":"Bretagne","montant":100.5,"annee":2023,"objet":"Travaux de voirie"},{"region":"Corse","montant":300,"annee":2024,"objet":null}]}"#,
        ],
    );
    let Answer::Table(t) = a else { panic!() };
    assert_eq!(
        t.rows[0],
        vec![
            Value::Text("Bretagne".into()),
            dec(10050),
            Value::Int(2023),
            Value::Text("Travaux de voirie".into())
        ]
    );
    assert_eq!(t.rows[1][3], Value::Null);
}

#[test]
fn unknown_columns_fail_before_any_call() {
    let req = Request::Query {
        query: serde_json::from_str(r#"{"group_by":["nope"]}"#).unwrap_or_default(),
    };
    let ds = data();
    let fields = fields_of(&ds);
    let e = plan(
        &req,
        &Remote {
            sample: &ds,
            fields: &fields,
        },
    );
    assert_eq!(e, Err(QueryError::UnknownColumn("nope".into())));
}

#[test]
fn a_garbage_answer_is_an_error_not_a_panic() {
    let (p, _) = plan_of(&Request::Count {
        filters: Vec::new(),
    });
    assert!(p.finish(&[b"<html>".to_vec()]).is_err());
    assert!(p.finish(&[]).is_err());
}

#[test]
fn a_share_is_the_group_sum_over_the_filtered_total() {
    let q: Query = serde_json::from_str(
        r#"{"group_by":["region"],"aggregates":[{"op":"share","column":"montant","as":"share"}],"sort":[{"column":"share","desc":true}],"limit":1}"#,
    )
    .unwrap_or_default();
    let req = Request::Query { query: q };
    let (p, ds) = plan_of(&req);
    assert_eq!(
        params(&p, 0),
        kv(&[
            ("select", "region, sum(montant) as share"),
            ("group_by", "region"),
            ("order_by", "share desc"),
            ("limit", "1"),
        ])
    );
    assert_eq!(
        params(&p, 1),
        kv(&[
            ("select", "sum(montant) as t0, count(montant) as t1"),
            ("limit", "1")
        ])
    );
    // Corse: 300 of 484.75.
    let a = finish(
        &p,
        &[
            r#"{"results":[{"region":"Corse","share":300.0}]}"#,
            r#"{"results":[{"t0":484.75}]}"#,
        ],
    );
    let Answer::Table(t) = &a else { panic!() };
    assert_eq!(
        t.rows,
        vec![vec![
            Value::Text("Corse".into()),
            Value::Float(300.0 / 484.75)
        ]]
    );
    assert_eq!(a, local(&ds, &req));
}

#[test]
fn a_profile_comes_from_every_value_with_its_count() {
    let req = Request::Profile {
        column: "region".into(),
    };
    let (p, ds) = plan_of(&req);
    assert_eq!(p.calls[0].endpoint, Endpoint::ExportsCsv);
    assert_eq!(
        params(&p, 0),
        kv(&[
            ("select", "region, count(*) as n"),
            ("group_by", "region"),
            ("order_by", "n desc, region asc"),
            ("limit", "1000001"),
        ])
    );
    let a = finish(
        &p,
        &["region;n\nBretagne;3\nNormandie;2\nCorse;1\nOccitanie;1\n;1\n"],
    );
    let (Answer::Profile(got), Answer::Profile(want)) = (&a, local(&ds, &req)) else {
        panic!("{a:?}")
    };
    // By hand: 8 rows, 1 missing, 4 distinct regions, Bretagne first with 3.
    assert_eq!((got.rows, got.missing, got.distinct), (8, 1, 4));
    assert_eq!(got.top[0], (Value::Text("Bretagne".into()), 3));
    assert_eq!(
        (got.rows, got.missing, got.distinct),
        (want.rows, want.missing, want.distinct)
    );
    assert_eq!(got.top[..2], want.top[..2]);

    let req = Request::Profile {
        column: "montant".into(),
    };
    let (p, ds) = plan_of(&req);
    let a = finish(
        &p,
        &["montant;n\n2;1\n5;1\n7;1\n9.9;1\n20.25;1\n40.1;1\n100.5;1\n300;1\n"],
    );
    let (Answer::Profile(got), Answer::Profile(want)) = (&a, local(&ds, &req)) else {
        panic!("{a:?}")
    };
    // By hand: 484.75 / 8 = 60.59375, from 2.00 to 300.00.
    assert_eq!((got.min.clone(), got.max.clone()), (dec(200), dec(30000)));
    assert_eq!(got.mean, Value::Float(60.59375));
    assert_eq!(
        (got.min.clone(), got.max.clone(), got.distinct, got.missing),
        (
            want.min.clone(),
            want.max.clone(),
            want.distinct,
            want.missing
        )
    );
    let (Value::Float(g), Value::Float(w)) = (&got.mean, &want.mean) else {
        panic!()
    };
    assert!((g - w).abs() < 1e-9);
}

#[test]
fn a_download_past_the_bound_says_so_instead_of_answering() {
    let req = Request::Count {
        filters: serde_json::from_str(r#"[{"op":"contains","column":"objet","value":"x"}]"#)
            .unwrap_or_default(),
    };
    let (p, _) = plan_of(&req);
    let mut body = String::from("objet\n");
    for i in 0..200_001 {
        body.push_str(&format!("x{i}\n"));
    }
    let e = p.finish(&[body.into_bytes()]);
    assert!(
        matches!(
            e,
            Err(QueryError::TooBig {
                count: 200_001,
                limit: 200_000,
                ..
            })
        ),
        "{e:?}"
    );
    let text = e.err().map(|e| e.text(true)).unwrap_or_default();
    assert!(text.contains("ouvrez le jeu dans le navigateur"), "{text}");
}

fn plan_on(ds: &Dataset, req: &Request) -> Plan {
    let fields = fields_of(ds);
    plan(
        req,
        &Remote {
            sample: ds,
            fields: &fields,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn raw_rows_behind_a_text_search_keep_every_column_and_their_sort() {
    let q: Query = serde_json::from_str(
        r#"{"filter":[{"op":"contains","column":"objet","value":"trav"}],"sort":[{"column":"montant","desc":true}],"limit":10}"#,
    )
    .unwrap_or_default();
    let req = Request::Query { query: q };
    let (p, ds) = plan_of(&req);
    assert_eq!(
        params(&p, 0)[0],
        ("select".into(), "region, montant, annee, objet".into())
    );
    let a = finish(&p, &[CSV]);
    let Answer::Table(t) = &a else { panic!() };
    // By hand: "Travaux de voirie" 100.50, "Travaux du port" 20.25, "Travaux routiers" 9.90.
    assert_eq!(t.columns.len(), 4);
    assert_eq!(
        t.rows.iter().map(|r| r[1].clone()).collect::<Vec<_>>(),
        vec![dec(10050), dec(2025), dec(990)]
    );
    assert_eq!(a, local(&ds, &req));
}

#[test]
fn a_table_page_behind_a_text_search_is_cut_here() {
    let req = Request::Page {
        filters: serde_json::from_str(r#"[{"op":"contains","column":"objet","value":"services"}]"#)
            .unwrap_or_default(),
        sort: None,
        offset: 1,
        limit: 100,
    };
    let (p, ds) = plan_of(&req);
    assert_eq!(p.calls[0].endpoint, Endpoint::ExportsCsv);
    let a = finish(&p, &[CSV]);
    let Answer::Table(t) = &a else { panic!() };
    // Three "Services" rows; from the second on: (missing region, 2.00) and Occitanie.
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0][0], Value::Null);
    assert_eq!(t.rows[1][0], Value::Text("Occitanie".into()));
    assert_eq!(a, local(&ds, &req));
}

#[test]
fn added_aggregates_never_take_a_column_name() {
    let ds = read(
        "n;value\na;1\na;2\nb;3\n".as_bytes(),
        &IngestOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let req = Request::Profile { column: "n".into() };
    let p = plan_on(&ds, &req);
    assert_eq!(
        p.calls[0].params[0],
        ("select".into(), "n, count(*) as n_".into())
    );
    let body = "n;n_\na;2\nb;1\n".as_bytes().to_vec();
    let Ok(Answer::Profile(got)) = p.finish(&[body]) else {
        panic!()
    };
    assert_eq!((got.rows, got.distinct), (3, 2));
    assert_eq!(got.top[0], (Value::Text("a".into()), 2));
    let pivot: Query = serde_json::from_str(
        r#"{"pivot":{"rows":"n","columns":"n","value":{"op":"sum","column":"value"}}}"#,
    )
    .unwrap_or_default();
    let p = plan_on(&ds, &Request::Query { query: pivot });
    assert_eq!(
        p.calls[0].params[0],
        ("select".into(), "n, n, sum(value) as value_".into())
    );
}

#[test]
fn decimal_shares_and_means_are_divided_in_units_as_the_engine_does() {
    let ds = read(
        "k;x\na;0,01\nb;0,02\nc;0,10\nc;0,10\nc;0,10\n".as_bytes(),
        &IngestOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let q: Query = serde_json::from_str(
        r#"{"group_by":["k"],"aggregates":[{"op":"share","column":"x","as":"s"}],"sort":[{"column":"k"}]}"#,
    )
    .unwrap_or_default();
    let req = Request::Query { query: q };
    let p = plan_on(&ds, &req);
    let a = p
        .finish(&[
            // Without a limit, the groups come as an export.
            b"k;s\na;0.01\nb;0.02\nc;0.30000000000000004\n".to_vec(),
            br#"{"results":[{"t0":0.33}]}"#.to_vec(),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a, local(&ds, &req));
    let req = Request::Profile { column: "x".into() };
    let p = plan_on(&ds, &req);
    let a = p
        .finish(&[b"x;n\n0.10;3\n0.01;1\n0.02;1\n".to_vec()])
        .unwrap_or_else(|e| panic!("{e}"));
    let (Answer::Profile(got), Answer::Profile(want)) = (&a, local(&ds, &req)) else {
        panic!()
    };
    assert_eq!(got.mean, want.mean);
}

#[test]
fn autres_is_null_when_the_groups_cut_hold_no_value() {
    let ds = read(
        "region;montant\nA;5\nB;\nC;\n".as_bytes(),
        &IngestOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let req = Request::Chart {
        filters: Vec::new(),
        chart: ChartSpec {
            kind: ChartKind::Ranking,
            x: Some("region".into()),
            y: Some("montant".into()),
            ..ChartSpec::default()
        },
        agg: AggOp::Sum,
        top: 1,
    };
    let p = plan_on(&ds, &req);
    let a = p
        .finish(&[
            br#"{"results":[{"region":"A","montant":5,"n0":1},{"region":"B","montant":null,"n0":0}]}"#.to_vec(),
            br#"{"results":[{"t0":5,"t1":1}]}"#.to_vec(),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    let Answer::Table(t) = &a else { panic!() };
    assert_eq!(t.rows[1], vec![Value::Text("Autres".into()), Value::Null]);
    assert_eq!(a, local(&ds, &req));
}

#[test]
fn a_map_is_computed_here_from_the_code_and_measure_columns() {
    let ds = read(
        "dep;montant\n1;10\n01;5\n2a;7\n75;1\n".as_bytes(),
        &IngestOptions {
            types: vec![("dep".into(), loupe::core::ColumnType::Text)],
            ..IngestOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let req = Request::Chart {
        filters: Vec::new(),
        chart: serde_json::from_str(r#"{"kind":"map","x":"dep","y":"montant"}"#)
            .unwrap_or_else(|e| panic!("{e}")),
        agg: AggOp::Sum,
        top: 10,
    };
    let p = plan_on(&ds, &req);
    assert_eq!(p.calls[0].endpoint, Endpoint::ExportsCsv);
    assert_eq!(
        p.calls[0].params[0],
        ("select".into(), "dep, montant".into())
    );
    let a = p
        .finish(&[b"dep;montant\n1;10\n01;5\n2a;7\n75;1\n".to_vec()])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a, local(&ds, &req));
    // By hand: `1` and `01` are the Ain (15), `2a` Corse-du-Sud (7), Paris (1).
    let Answer::Table(t) = &a else { panic!() };
    assert_eq!(t.rows.len(), 3);
}
