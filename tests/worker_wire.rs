//! The wire between the page and the engine's worker (`state/service/wire.rs`): every request
//! kind and every answer kind survives the trip exactly, including what the JS API's untagged
//! JSON would lose (dates, decimals' scale, NaN, infinities).

use loupe::chart::{ChartKind, ChartSpec};
use loupe::core::ingest::{read, IngestOptions};
use loupe::core::query::{AggOp, Aggregate, Filter, Literal, Query, QueryError, SortKey};
use loupe::core::Value;
use loupe::state::service::wire::{decode_answer, decode_request, encode_answer, encode_request};
use loupe::state::service::{Answer, LocalEngine, Request};

const CSV: &str = "code;nom;date;montant;taux\n\
01053;Bourg-en-Bresse;03/01/2024;1 234,50;0,5\n\
2A004;Ajaccio;15/02/2024;-3,25;\n\
01053;Bourg-en-Bresse;28/02/2024;10,00;0,25\n\
75056;Paris;;7,75;1,5\n";

fn requests() -> Vec<Request> {
    let filters = vec![
        Filter::In {
            column: "code".into(),
            values: vec![Literal::Text("01053".into()), Literal::Null],
        },
        Filter::Between {
            column: "montant".into(),
            min: Some(Literal::Number(-10.5)),
            max: None,
        },
        Filter::Contains {
            column: None,
            value: "bourg".into(),
        },
    ];
    vec![
        Request::Count {
            filters: filters.clone(),
        },
        Request::Chart {
            filters: vec![],
            chart: ChartSpec {
                kind: ChartKind::Bar,
                x: Some("nom".into()),
                y: Some("montant".into()),
                ..ChartSpec::default()
            },
            agg: AggOp::Sum,
            top: 10,
        },
        Request::Query {
            query: Query {
                group_by: vec!["code".into()],
                aggregates: vec![Aggregate {
                    op: AggOp::Sum,
                    column: Some("montant".into()),
                    alias: Some("total".into()),
                }],
                ..Query::default()
            },
        },
        Request::TableRows {
            filters: vec![],
            sort: Some(SortKey {
                column: "date".into(),
                desc: true,
            }),
        },
        Request::Distinct {
            column: "code".into(),
        },
        Request::Profile {
            column: "date".into(),
        },
        Request::Page {
            filters,
            sort: None,
            offset: 1,
            limit: 2,
        },
    ]
}

#[test]
fn every_request_kind_round_trips() {
    for req in requests() {
        let text = encode_request(&req);
        assert_eq!(decode_request(&text).as_ref(), Ok(&req), "{text}");
    }
    assert!(decode_request("{\"kind\":\"drop_table\"}").is_err());
}

#[test]
fn every_answer_round_trips_value_for_value() {
    let ds = read(CSV.as_bytes(), &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let engine = LocalEngine::new();
    let mut kinds = 0;
    for req in requests() {
        if matches!(req, Request::TableRows { .. }) {
            continue;
        }
        let answer = engine.answer(&ds, 1, &req);
        let back = decode_answer(&encode_answer(&answer)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, *answer, "{req:?}");
        kinds += 1;
    }
    assert_eq!(kinds, 6);
}

#[test]
fn dates_decimals_and_non_finite_floats_keep_their_kind() {
    // Written by hand: what the untagged JSON of the JS API would turn into integers or nulls.
    let table = loupe::core::query::QueryResult {
        columns: vec![],
        rows: vec![vec![
            Value::Date(19_725),
            Value::DateTime(1_700_000_000),
            Value::Decimal {
                units: 123_450,
                scale: 2,
            },
            Value::Int(19_725),
            Value::Float(f64::INFINITY),
            Value::Float(f64::NEG_INFINITY),
            Value::Float(2.0),
            Value::Text("01053".into()),
            Value::Null,
            Value::Bool(true),
        ]],
    };
    let back = decode_answer(&encode_answer(&Ok(Answer::Table(table.clone()))))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, Ok(Answer::Table(table)));
    let nan = encode_answer(&Ok(Answer::Distinct(vec![(Value::Float(f64::NAN), 3)])));
    match decode_answer(&nan) {
        Ok(Ok(Answer::Distinct(d))) => {
            assert!(matches!(d[0].0, Value::Float(f) if f.is_nan()));
            assert_eq!(d[0].1, 3);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn errors_cross_and_row_orders_do_not() {
    let err = Err(QueryError::UnknownColumn("x".into()));
    assert_eq!(decode_answer(&encode_answer(&err)), Ok(err));
    let rows = Ok(Answer::Rows(std::rc::Rc::new(
        loupe::core::query::Selection::all(3),
    )));
    assert!(matches!(
        decode_answer(&encode_answer(&rows)),
        Ok(Err(QueryError::Remote(_)))
    ));
}
