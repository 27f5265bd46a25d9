//! In-browser tests, run by wasm-bindgen-test in headless Chromium:
//!
//! ```text
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web
//! ```
//!
//! They prove that the engine behaves the same once compiled to wasm32 and run inside the
//! browser: first the small pieces (integer widths, float formatting, bit tricks), then whole
//! stories on real bundled files (`www/data`, `tests/e2e/fixtures`) — ingest through the
//! page's own loading path ([`loupe::web::load::parse_js`]: a JS `Uint8Array` read one window
//! at a time, yielding to the event loop between slices), queries, group-by sums and joins,
//! and the same through `window.loupe` as a page script calls it.
//!
//! Expected values never come from Loupe: each literal below was computed by a Python
//! one-liner on the CSV file itself (`csv` + `decimal` from the standard library), quoted in
//! the comment next to it. Natively this file compiles to nothing.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::inconsistent_digit_grouping,
    reason = "amounts in cents are written euros_cents (3_917_010_926_44 is 3 917 010 926,44 EUR), to read like the files"
)]

use std::collections::HashMap;

use js_sys::{Array, Function, Reflect, Uint8Array};
use loupe::core::column::NullMask;
use loupe::core::ingest::IngestOptions;
use loupe::core::query::{self, AggOp, Aggregate, JoinHow, JoinSpec, Query, QueryResult, Repair};
use loupe::core::value::{
    civil_from_days, days_from_civil, days_in_month, format_date, format_datetime, format_decimal,
    format_float, Value,
};
use loupe::core::{ColumnType, Dataset, KeyKind};
use loupe::web::load::{parse_js, CancelToken};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn runs_inside_a_browser_window() {
    // `run_in_browser` must really give a window with a document, not a worker or Node.
    let has_document = js_sys::eval("typeof window === 'object' && !!window.document")
        .ok()
        .and_then(|v| v.as_bool());
    assert_eq!(has_document, Some(true));
}

#[wasm_bindgen_test]
fn dates_format_as_iso() {
    assert_eq!(format_date(0), "1970-01-01");
    assert_eq!(format_date(-1), "1969-12-31");
    // 2000-03-01 follows a leap day in a year divisible by 400.
    assert_eq!(format_date(11_017), "2000-03-01");
    assert_eq!(format_datetime(86_399), "1970-01-01T23:59:59");
    assert_eq!(format_datetime(-1), "1969-12-31T23:59:59");
}

#[wasm_bindgen_test]
fn days_from_civil_matches_the_calendar() {
    assert_eq!(days_from_civil(1970, 1, 1), Some(0));
    assert_eq!(days_from_civil(2000, 1, 1), Some(10_957));
    // LFI 2026 is voted for the year starting 2026-01-01.
    assert_eq!(days_from_civil(2026, 1, 1), Some(20_454));
    assert_eq!(
        days_from_civil(2024, 2, 29).map(format_date).as_deref(),
        Some("2024-02-29")
    );
    assert_eq!(days_from_civil(2023, 2, 29), None);
    assert_eq!(days_from_civil(2026, 13, 1), None);
    assert_eq!(days_from_civil(2026, 4, 0), None);
    assert_eq!(days_in_month(1900, 2), 28);
    assert_eq!(days_in_month(2000, 2), 29);
}

#[wasm_bindgen_test]
fn civil_dates_round_trip_over_centuries() {
    // i64 arithmetic inside the algorithm must not overflow on wasm32's 32-bit usize.
    for days in (-800_000..800_000).step_by(997) {
        let (y, m, d) = civil_from_days(days);
        assert_eq!(
            days_from_civil(y, m, d),
            Some(days),
            "day {days} -> {y}-{m}-{d}"
        );
    }
}

#[wasm_bindgen_test]
fn decimals_and_floats_print_exactly() {
    assert_eq!(format_decimal(345_442_532_512, 2), "3454425325.12");
    assert_eq!(format_decimal(-5, 2), "-0.05");
    assert_eq!(format_decimal(i64::MIN, 0), i64::MIN.to_string());
    assert_eq!(format_float(3.0), "3");
    assert_eq!(format_float(0.1 + 0.2), "0.30000000000000004");
    assert_eq!(
        Value::Decimal {
            units: 123_456,
            scale: 2
        }
        .to_plain_string(),
        "1234.56"
    );
    assert_eq!(
        Value::Decimal {
            units: 123_456,
            scale: 2
        }
        .as_f64(),
        Some(1234.56)
    );
    assert_eq!(Value::Date(20_454).to_plain_string(), "2026-01-01");
    assert!(Value::Null.is_null() && Value::Text("x".into()).as_f64().is_none());
}

#[wasm_bindgen_test]
fn null_mask_counts_across_64_bit_words() {
    let mut mask = NullMask::with_capacity(200);
    for i in 0..200 {
        mask.push(i % 5 != 0);
    }
    assert_eq!(mask.len(), 200);
    assert_eq!(mask.null_count(), 40);
    assert!(!mask.is_valid(0) && mask.is_valid(1) && mask.is_valid(64) && !mask.is_valid(65));
    assert!(!mask.is_valid(200), "out of range is never valid");
    mask.set(0, true);
    mask.set(199, false);
    assert_eq!(mask.null_count(), 40);
    mask.set(500, true);
    assert_eq!(mask.len(), 200, "set out of range is ignored");

    let all = NullMask::all_valid(129);
    assert_eq!((all.len(), all.null_count()), (129, 0));
    assert!(all.is_valid(128) && !all.is_valid(129));
    assert!(NullMask::default().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Ingest, query and join on real files, inside the browser.
//
// Every file goes through `parse_js`, the path the page uses for a picked file or a fetched
// URL: the bytes stay in a JavaScript `Uint8Array`, are copied into WebAssembly memory one
// 1 MiB window at a time (the DECP, SIREN and population files span two or three windows) and
// the loader yields to the event loop between slices.

const LFI_B: &[u8] = include_bytes!("../www/data/lfi_2026_etat_b_cp.csv");
const LFI_A: &[u8] = include_bytes!("../www/data/lfi_2026_etat_a_recettes.csv");
const DECP: &[u8] = include_bytes!("../www/data/decp_2024h2_travaux.csv");
const OFGL: &[u8] = include_bytes!("../www/data/ofgl_communes_guadeloupe_2024.csv");
const SIREN_COMMUNES: &[u8] = include_bytes!("../www/data/siren_communes_2022.csv");
const POPULATION: &[u8] = include_bytes!("../www/data/communes_population.csv");
/// 5 made-up payment orders as a French spreadsheet exports them: Windows-1252 (`€` = 0x80,
/// `–` = 0x96), `;`, decimal commas, spaces as thousands separators, dd/mm/yyyy, CRLF.
const MANDATS_CP1252: &[u8] = include_bytes!("e2e/fixtures/mandats_cp1252.csv");

/// Loads bytes the way the page does (see above), with ingest's own guesses.
async fn load(bytes: &[u8]) -> Dataset {
    let array = Uint8Array::from(bytes);
    match parse_js(
        array,
        IngestOptions::default(),
        &|_| {},
        &CancelToken::default(),
    )
    .await
    {
        Ok(ds) => ds,
        Err(e) => panic!("load failed: {e:?}"),
    }
}

fn run(ds: &Dataset, q: &Query) -> QueryResult {
    query::run(ds, q).unwrap_or_else(|e| panic!("{e}"))
}

fn agg(op: AggOp, column: Option<&str>, alias: &str) -> Aggregate {
    Aggregate {
        op,
        column: column.map(str::to_string),
        alias: Some(alias.to_string()),
    }
}

/// An exact amount in hundredths (cents), from an integer or a decimal of scale <= 2 (a
/// decimal of larger scale must be a whole number of cents). Floats are refused: money sums
/// are meant to be exact.
fn cents(v: &Value) -> i128 {
    match v {
        Value::Int(i) => i128::from(*i) * 100,
        Value::Decimal { units, scale } if *scale <= 2 => {
            i128::from(*units) * 10i128.pow(u32::from(2 - *scale))
        }
        Value::Decimal { units, scale } => {
            let div = 10i128.pow(u32::from(*scale - 2));
            assert_eq!(
                i128::from(*units) % div,
                0,
                "{v:?} is not a whole number of cents"
            );
            i128::from(*units) / div
        }
        other => panic!("not an exact amount: {other:?}"),
    }
}

/// `group_by [by]`, count and sum of `measure`, as label -> (count, sum as f64, sum value).
/// A null key is labelled "".
fn group_sums(ds: &Dataset, by: &str, measure: &str) -> HashMap<String, (i64, Value)> {
    let q = Query {
        group_by: vec![by.into()],
        aggregates: vec![
            agg(AggOp::Count, None, "n"),
            agg(AggOp::Sum, Some(measure), "total"),
        ],
        ..Query::default()
    };
    let res = run(ds, &q);
    let names: Vec<&str> = res.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, [by, "n", "total"]);
    res.rows
        .iter()
        .map(|r| {
            let n = match r[1] {
                Value::Int(n) => n,
                ref other => panic!("count is {other:?}"),
            };
            (r[0].to_plain_string(), (n, r[2].clone()))
        })
        .collect()
}

fn col_type(ds: &Dataset, name: &str) -> ColumnType {
    ds.column(name)
        .unwrap_or_else(|e| panic!("{e}"))
        .column_type()
}

fn filter_in(column: &str, values: &[&str]) -> query::Filter {
    query::Filter::In {
        column: column.into(),
        values: values
            .iter()
            .map(|v| query::Literal::Text(v.to_string()))
            .collect(),
    }
}

#[wasm_bindgen_test]
async fn lfi_credits_load_with_types_and_an_exact_total() {
    let ds = load(LFI_B).await;
    // python3 -c "import csv;r=list(csv.DictReader(open('www/data/lfi_2026_etat_b_cp.csv')));print(len(r),len(r[0]))"
    // -> 32 9
    assert_eq!((ds.rows, ds.columns.len()), (32, 9));
    let r = &ds.report;
    assert_eq!(
        (
            r.encoding.as_str(),
            r.delimiter.as_str(),
            r.header_row,
            r.bom
        ),
        ("utf-8", ",", Some(0), false)
    );
    assert_eq!(
        ds.schema()
            .iter()
            .map(|(n, t)| format!("{n}:{}", t.as_str()))
            .collect::<Vec<_>>()[..5],
        [
            "mission_code:text",
            "mission_label:text",
            "cp_eur_jo:integer",
            "cp_eur_budget_annex:integer",
            "match_ok:boolean"
        ]
    );
    // python3 -c "import csv;print(sum(int(r['cp_eur_jo']) for r in csv.DictReader(open('www/data/lfi_2026_etat_b_cp.csv'))))"
    // -> 593890071649 (payment credits of the general budget, in euros)
    let total = run(
        &ds,
        &Query {
            aggregates: vec![agg(AggOp::Sum, Some("cp_eur_jo"), "total")],
            ..Query::default()
        },
    );
    assert_eq!(total.rows.len(), 1);
    assert_eq!(cents(&total.rows[0][0]), 593_890_071_649_00);
    // Every line matches the annex (`match_ok` is "true" on all 32 lines).
    let ok = run(
        &ds,
        &Query {
            filter: vec![query::Filter::In {
                column: "match_ok".into(),
                values: vec![query::Literal::Bool(true)],
            }],
            aggregates: vec![agg(AggOp::Count, None, "n")],
            ..Query::default()
        },
    );
    assert_eq!(ok.rows[0][0], Value::Int(32));
}

#[wasm_bindgen_test]
async fn lfi_revenue_lines_group_by_section_with_exact_sums() {
    let ds = load(LFI_A).await;
    // python3 -c "import csv;r=list(csv.DictReader(open('www/data/lfi_2026_etat_a_recettes.csv')));print(len(r),len(r[0]))"
    // -> 173 8
    assert_eq!((ds.rows, ds.columns.len()), (173, 8));
    assert_eq!(col_type(&ds, "amount_eur"), ColumnType::Integer);
    // A budget line code is an identifier (a code name): text, never a number.
    assert_eq!(col_type(&ds, "line_code"), ColumnType::Text);
    // python3 -c "import csv,collections as c;g=c.defaultdict(lambda:[0,0])
    //   for r in csv.DictReader(open('www/data/lfi_2026_etat_a_recettes.csv')): g[r['section']][0]+=1; g[r['section']][1]+=int(r['amount_eur'])
    //   print(dict(g))"
    // -> fiscal [84, 374064720803], non_fiscal [57, 28900104103],
    //    prelevements_sur_recettes [32, 73263965953]
    let q = Query {
        group_by: vec!["section".into()],
        aggregates: vec![
            agg(AggOp::Sum, Some("amount_eur"), "total"),
            agg(AggOp::Count, None, "n"),
        ],
        sort: vec![query::SortKey {
            column: "total".into(),
            desc: true,
        }],
        ..Query::default()
    };
    let res = run(&ds, &q);
    let got: Vec<(String, i128, Value)> = res
        .rows
        .iter()
        .map(|r| (r[0].to_plain_string(), cents(&r[1]), r[2].clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("fiscal".into(), 374_064_720_803_00, Value::Int(84)),
            (
                "prelevements_sur_recettes".into(),
                73_263_965_953_00,
                Value::Int(32)
            ),
            ("non_fiscal".into(), 28_900_104_103_00, Value::Int(57)),
        ]
    );
}

#[wasm_bindgen_test]
async fn decp_contracts_types_nulls_and_exact_group_sums() {
    let ds = load(DECP).await;
    // python3 -c "import csv;r=list(csv.DictReader(open('www/data/decp_2024h2_travaux.csv')));print(len(r),len(r[0]))"
    // -> 8957 17 (1.78 MB: two windows of the stream)
    assert_eq!((ds.rows, ds.columns.len()), (8957, 17));
    assert_eq!(col_type(&ds, "montant"), ColumnType::Decimal);
    assert_eq!(col_type(&ds, "dateNotification"), ColumnType::Date);
    assert_eq!(col_type(&ds, "procedure"), ColumnType::Text);
    // Identifiers stay text: region codes with a leading zero ("04"), SIRETs of 14 digits.
    assert_eq!(col_type(&ds, "acheteur_region_code"), ColumnType::Text);
    let buyer = ds.column("acheteur_id").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (buyer.column_type(), buyer.key),
        (ColumnType::Text, Some(KeyKind::Siret))
    );
    assert_eq!(buyer.text(0), Some("20006258600157"));
    // python3 -c "import csv;print(sum(r['procedure']=='' for r in csv.DictReader(open('www/data/decp_2024h2_travaux.csv'))))"
    // -> 14
    let procedure = ds.column("procedure").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(procedure.valid.null_count(), 14);

    // python3 -c "import csv,collections as c;from decimal import Decimal as D;g=c.defaultdict(lambda:[0,D(0)])
    //   for r in csv.DictReader(open('www/data/decp_2024h2_travaux.csv')): g[r['procedure']][0]+=1; g[r['procedure']][1]+=D(r['montant'])
    //   print(dict(g))"
    let want: [(&str, i64, i128); 8] = [
        ("Procédure adaptée", 6307, 3_917_010_926_44),
        ("Appel d'offres ouvert", 1615, 2_143_374_321_67),
        ("Dialogue compétitif", 283, 2_986_678_529_67),
        (
            "Marché passé sans publicité ni mise en concurrence préalable",
            170,
            46_555_248_93,
        ),
        ("Appel d'offres restreint", 51, 205_758_447_07),
        ("Procédure avec négociation", 505, 3_625_648_804_92),
        (
            "Marché négocié sans publicité ni mise en concurrence préalable",
            12,
            4_217_808_00,
        ),
        ("", 14, 2_203_632_45),
    ];
    let got = group_sums(&ds, "procedure", "montant");
    assert_eq!(got.len(), want.len(), "groups: {:?}", got.keys());
    for (label, n, sum) in want {
        let (gn, gsum) = got
            .get(label)
            .unwrap_or_else(|| panic!("no group {label:?}"));
        assert_eq!((*gn, cents(gsum)), (n, sum), "group {label:?}");
    }
    // -> total 12931447719.15, exact.
    let total = run(
        &ds,
        &Query {
            aggregates: vec![agg(AggOp::Sum, Some("montant"), "total")],
            ..Query::default()
        },
    );
    assert_eq!(cents(&total.rows[0][0]), 12_931_447_719_15);
    // A filter, then the same sum: only "Procédure adaptée".
    let adapted = run(
        &ds,
        &Query {
            filter: vec![filter_in("procedure", &["Procédure adaptée"])],
            aggregates: vec![
                agg(AggOp::Count, None, "n"),
                agg(AggOp::Sum, Some("montant"), "total"),
            ],
            ..Query::default()
        },
    );
    assert_eq!(adapted.rows[0][0], Value::Int(6307));
    assert_eq!(cents(&adapted.rows[0][1]), 3_917_010_926_44);
}

/// Amount by `Agrégat` in the OFGL file: (label, rows, sum) for a few aggregates whose amounts
/// all have at most two decimals, so the sum is exact in cents.
// python3 -c "import csv,collections as c;from decimal import Decimal as D;g=c.defaultdict(lambda:[0,D(0)])
//   for r in csv.DictReader(open('www/data/ofgl_communes_guadeloupe_2024.csv',encoding='utf-8-sig'),delimiter=';'): g[r['Agrégat']][0]+=1; g[r['Agrégat']][1]+=D(r['Montant'])
//   print(len(g), dict(g))"
// -> 50 groups; the ones below as printed.
const OFGL_SUMS: [(&str, i64, i128); 5] = [
    ("Frais de personnel", 56, 444_101_552_57),
    ("Dépenses totales", 56, 811_569_297_23),
    ("Impôts locaux", 32, 254_132_744_52),
    ("DETR", 8, 1_450_102_99),
    ("Concours de l'Etat", 44, 123_154_849_49),
];

/// Checks the OFGL sums above, to the cent. The `Montant` column is numeric; some of its
/// cells carry float noise in the file (`18978489.73999998811889` in total for one
/// aggregate), so its sums are compared as numbers within half a cent, whatever the type
/// ingest picked.
fn check_ofgl(ds: &Dataset) {
    // python3 -c "import csv;r=list(csv.DictReader(open('www/data/ofgl_communes_guadeloupe_2024.csv',encoding='utf-8-sig'),delimiter=';'));print(len(r),len(r[0]))"
    // -> 2505 42
    assert_eq!((ds.rows, ds.columns.len()), (2505, 42));
    assert_eq!(
        ds.columns[0].name, "Exercice",
        "the BOM is not part of the name"
    );
    assert!(col_type(ds, "Montant").is_numeric());
    assert_eq!(col_type(ds, "Exercice"), ColumnType::Integer);
    assert_eq!(col_type(ds, "Population totale"), ColumnType::Integer);
    assert_eq!(col_type(ds, "Code Insee 2024 Commune"), ColumnType::Text);
    let got = group_sums(ds, "Agrégat", "Montant");
    assert_eq!(got.len(), 50);
    for (label, n, sum) in OFGL_SUMS {
        let (gn, gsum) = got
            .get(label)
            .unwrap_or_else(|| panic!("no group {label:?}"));
        let v = gsum.as_f64().unwrap_or(f64::NAN);
        assert_eq!(*gn, n, "rows of {label:?}");
        assert!(
            (v * 100.0 - sum as f64).abs() < 0.5,
            "{label:?}: {v} vs {sum} cents"
        );
    }
    // python3 -c "import csv;print(set(r['Nom 2024 EPCI'] for r in csv.DictReader(open('www/data/ofgl_communes_guadeloupe_2024.csv',encoding='utf-8-sig'),delimiter=';')))"
    let epci = ds.column("Nom 2024 EPCI").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        epci.text(0),
        Some("Communauté d'agglomération Cap Excellence")
    );
}

#[wasm_bindgen_test]
async fn ofgl_semicolon_utf8_bom_file_groups_by_aggregate() {
    let ds = load(OFGL).await;
    let r = &ds.report;
    assert_eq!(
        (r.encoding.as_str(), r.bom, r.delimiter.as_str()),
        ("utf-8", true, ";")
    );
    assert_eq!(r.decimal_separator, ".");
    check_ofgl(&ds);
}

/// The OFGL file as a French spreadsheet would save it: Windows-1252 bytes, decimal commas in
/// every decimal number (`E` exponents), CRLF line ends, no BOM. The transformation is plain text work done
/// here (the file has no quotes; its only character outside Latin-1 is `€`, 0x80 in
/// Windows-1252), so the expected values are the same as for the original file.
fn ofgl_as_french_excel() -> Vec<u8> {
    let text = std::str::from_utf8(OFGL)
        .unwrap_or_else(|e| panic!("{e}"))
        .trim_start_matches('\u{feff}');
    // A decimal number, possibly in scientific notation (`4.10000000003492e-07` is in the
    // file; a French spreadsheet writes it `4,10000000003492E-07`).
    let decimal = |f: &str| {
        let (int, frac) = f.split_once('.').unwrap_or((f, ""));
        let mantissa = frac.split(['e', 'E']).next().unwrap_or("");
        let exponent = frac.get(mantissa.len() + 1..);
        !mantissa.is_empty()
            && int
                .trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit())
            && mantissa.bytes().all(|b| b.is_ascii_digit())
            && exponent.is_none_or(|e| {
                let e = e.trim_start_matches(['-', '+']);
                !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
            })
    };
    let mut out = Vec::with_capacity(OFGL.len() + 4096);
    for line in text.lines() {
        let fields: Vec<String> = line
            .split(';')
            .map(|f| {
                if decimal(f) {
                    f.replace('.', ",").replace('e', "E")
                } else {
                    f.to_string()
                }
            })
            .collect();
        for c in fields.join(";").chars() {
            match u32::from(c) {
                0x20AC => out.push(0x80),
                n if n < 0x80 || (0xA0..0x100).contains(&n) => out.push(n as u8),
                n => panic!("no Windows-1252 byte for U+{n:04X} in this test's encoder"),
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[wasm_bindgen_test]
async fn ofgl_as_windows_1252_with_decimal_commas_gives_the_same_answers() {
    let bytes = ofgl_as_french_excel();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the test file is not UTF-8"
    );
    let ds = load(&bytes).await;
    let r = &ds.report;
    assert_eq!(
        (
            r.encoding.as_str(),
            r.bom,
            r.delimiter.as_str(),
            r.decimal_separator.as_str(),
            r.line_ending.as_str()
        ),
        ("windows-1252", false, ";", ",", "\r\n")
    );
    assert!(ds.column("Montant en € par habitant").is_ok(), "€ decoded");
    assert!(ds.column("Nom 2024 Région").is_ok(), "é decoded");
    check_ofgl(&ds);
    // The same types as the UTF-8 original, column by column.
    let original = load(OFGL).await;
    assert_eq!(ds.schema(), original.schema());
}

#[wasm_bindgen_test]
async fn a_windows_1252_spreadsheet_export_reads_as_the_user_sees_it() {
    let ds = load(MANDATS_CP1252).await;
    let r = &ds.report;
    assert_eq!(
        (
            r.encoding.as_str(),
            r.delimiter.as_str(),
            r.decimal_separator.as_str(),
            r.rows
        ),
        ("windows-1252", ";", ",", 5)
    );
    // iconv -f cp1252 -t utf-8 tests/e2e/fixtures/mandats_cp1252.csv | head -1
    let names: Vec<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Code département",
            "Libellé",
            "Montant payé (€)",
            "Date de mandatement"
        ]
    );
    let codes = ds
        .column("Code département")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        codes.column_type(),
        ColumnType::Text,
        "01, 2A, 974 are codes"
    );
    assert_eq!(
        (0..5)
            .map(|i| codes.text(i).unwrap_or("?"))
            .collect::<Vec<_>>(),
        ["01", "2A", "09", "974", "75"]
    );
    let label = ds.column("Libellé").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(label.text(4), Some("Paris – Île-de-France"));
    assert_eq!(col_type(&ds, "Montant payé (€)"), ColumnType::Decimal);
    let date = ds
        .column("Date de mandatement")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(date.column_type(), ColumnType::Date);
    assert_eq!(date.value(0).to_plain_string(), "2026-01-15");
    // 1 234,56 + 987,10 + 12 000,00 + 45,5 + 0,99 = 14 268,15 (by hand, and
    // python3 -c "print(1234.56+987.10+12000+45.5+0.99)").
    let total = run(
        &ds,
        &Query {
            aggregates: vec![agg(AggOp::Sum, Some("Montant payé (€)"), "total")],
            ..Query::default()
        },
    );
    assert_eq!(cents(&total.rows[0][0]), 14_268_15);
}

#[wasm_bindgen_test]
async fn decp_buyers_join_the_siren_of_communes_through_the_siret_repair() {
    let decp = load(DECP).await;
    let siren = load(SIREN_COMMUNES).await;
    // python3 -c "import csv;r=list(csv.DictReader(open('www/data/siren_communes_2022.csv')));print(len(r),len(set(x['SIREN'] for x in r)))"
    // -> 34968 34968 (no duplicate key)
    assert_eq!(siren.rows, 34_968);
    let spec = |repairs: Vec<Repair>| JoinSpec {
        left_on: vec!["acheteur_id".into()],
        right_on: vec!["SIREN".into()],
        how: JoinHow::Left,
        repairs,
    };
    // As they are, 14-digit SIRETs never equal 9-digit SIRENs (the four 9-digit buyer ids,
    // 884123902, are not communes): nothing matches, and the report offers the repair.
    let (_, bare) = query::join(&decp, &siren, &spec(vec![])).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((bare.matched, bare.unmatched), (0, 8957));
    // python3 -c "import csv;s={r['SIREN'] for r in csv.DictReader(open('www/data/siren_communes_2022.csv'))}
    //   m=[r for r in csv.DictReader(open('www/data/decp_2024h2_travaux.csv')) if len(r['acheteur_id'])==14 and r['acheteur_id'][:9] in s]
    //   from decimal import Decimal as D;print(len(m),len({r['acheteur_id'][:9] for r in m}),sum(D(r['montant']) for r in m))"
    // -> 4351 838 3809980507.85
    let offered = bare
        .repairs
        .iter()
        .find(|e| e.repair == Repair::SiretToSiren)
        .unwrap_or_else(|| panic!("siret_to_siren not offered: {:?}", bare.repairs));
    assert_eq!(offered.matched, 4351);

    let (joined, rep) = query::join(&decp, &siren, &spec(vec![Repair::SiretToSiren]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((rep.matched, rep.unmatched), (4351, 4606));
    assert_eq!(rep.right_rows_used, 838);
    assert_eq!(joined.rows, 8957, "a left join keeps every contract");
    let nom = joined.column("nom").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(joined.rows - nom.valid.null_count(), 4351);
    // The joined table answers queries: the amount of the contracts whose buyer is a commune.
    let communes = run(
        &joined,
        &Query {
            filter: vec![query::Filter::NotNull {
                column: "nom".into(),
            }],
            aggregates: vec![
                agg(AggOp::Count, None, "n"),
                agg(AggOp::Sum, Some("montant"), "total"),
            ],
            ..Query::default()
        },
    );
    assert_eq!(communes.rows[0][0], Value::Int(4351));
    assert_eq!(cents(&communes.rows[0][1]), 3_809_980_507_85);
    let inner = JoinSpec {
        how: JoinHow::Inner,
        ..spec(vec![Repair::SiretToSiren])
    };
    let (only, _) = query::join(&decp, &siren, &inner).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(only.rows, 4351);
}

#[wasm_bindgen_test]
async fn ofgl_accounts_join_the_commune_population() {
    let ofgl = load(OFGL).await;
    let population = load(POPULATION).await;
    // python3 -c "import csv;r=list(csv.DictReader(open('www/data/communes_population.csv')));print(len(r))" -> 35014
    assert_eq!(population.rows, 35_014);
    let spec = JoinSpec {
        left_on: vec!["Code Insee 2024 Commune".into()],
        right_on: vec!["code_commune".into()],
        ..JoinSpec::default()
    };
    let (joined, rep) = query::join(&ofgl, &population, &spec).unwrap_or_else(|e| panic!("{e}"));
    // python3 -c "import csv;p={r['code_commune']:r for r in csv.DictReader(open('www/data/communes_population.csv'))}
    //   o=list(csv.DictReader(open('www/data/ofgl_communes_guadeloupe_2024.csv',encoding='utf-8-sig'),delimiter=';'))
    //   m=[r for r in o if r['Code Insee 2024 Commune'] in p];print(len(m),len({r['Code Insee 2024 Commune'] for r in m}),sum(int(p[r['Code Insee 2024 Commune']]['population']) for r in m))"
    // -> 2505 32 31031473 (every account line matches; 32 communes, many lines each)
    assert_eq!((rep.matched, rep.unmatched), (2505, 0));
    assert_eq!(rep.right_rows_used, 32);
    assert_eq!(rep.relation, query::Relation::ManyToOne);
    let sum = run(
        &joined,
        &Query {
            aggregates: vec![agg(AggOp::Sum, Some("population"), "total")],
            ..Query::default()
        },
    );
    assert_eq!(cents(&sum.rows[0][0]), 31_031_473_00);
}

// ---------------------------------------------------------------------------------------------
// The same through `window.loupe`, as a page script calls it (README, "API JavaScript").

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or_else(|e| panic!("{key}: {e:?}"))
}

/// Calls `obj[method](...args)` and awaits the result when it is a Promise.
async fn call(obj: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    let f: Function = get(obj, method)
        .dyn_into()
        .unwrap_or_else(|_| panic!("{method} is not a function"));
    let args: Array = args.iter().collect();
    let out = f
        .apply(obj, &args)
        .unwrap_or_else(|e| panic!("{method} threw {e:?}"));
    match out.dyn_into::<js_sys::Promise>() {
        Ok(p) => JsFuture::from(p)
            .await
            .unwrap_or_else(|e| panic!("{method} rejected {e:?}")),
        Err(v) => v,
    }
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
}

fn stringify(v: &JsValue) -> String {
    js_sys::JSON::stringify(v)
        .map(String::from)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn api() -> JsValue {
    loupe::web::api::install();
    let window = web_sys::window().unwrap_or_else(|| panic!("no window"));
    let api = get(&window.into(), "loupe");
    assert!(api.is_object(), "window.loupe is defined");
    api
}

#[wasm_bindgen_test]
async fn the_js_api_loads_queries_and_joins() {
    let loupe = api();
    let a = call(&loupe, "load", &[Uint8Array::from(LFI_A).into()]).await;
    assert_eq!(get(&a, "rows").as_f64(), Some(173.0));
    let report = call(&a, "report", &[]).await;
    assert_eq!(
        get(&report, "encoding").as_string().as_deref(),
        Some("utf-8")
    );
    assert_eq!(get(&report, "delimiter").as_string().as_deref(), Some(","));
    // Same figures as `lfi_revenue_lines_group_by_section_with_exact_sums`, as JSON numbers.
    let res = call(
        &a,
        "query",
        &[json(
            r#"{"group_by":["section"],
                "aggregates":[{"op":"sum","column":"amount_eur","as":"total"},{"op":"count","as":"n"}],
                "sort":[{"column":"total","desc":true}]}"#,
        )],
    )
    .await;
    assert_eq!(
        stringify(&get(&res, "rows")),
        r#"[["fiscal",374064720803,84],["prelevements_sur_recettes",73263965953,32],["non_fiscal",28900104103,57]]"#
    );
    assert_eq!(
        stringify(&get(&res, "columns")),
        r#"[{"name":"section","type":"text"},{"name":"total","type":"integer"},{"name":"n","type":"integer"}]"#
    );

    // A French export through the API: the report says what was detected.
    let m = call(&loupe, "load", &[Uint8Array::from(MANDATS_CP1252).into()]).await;
    let report = call(&m, "report", &[]).await;
    assert_eq!(
        (
            get(&report, "encoding").as_string(),
            get(&report, "delimiter").as_string(),
            get(&report, "decimal_separator").as_string()
        ),
        (
            Some("windows-1252".into()),
            Some(";".into()),
            Some(",".into())
        )
    );
    let schema = stringify(&call(&m, "schema", &[]).await);
    assert!(
        schema.contains(r#"{"name":"Montant payé (€)","type":"decimal""#),
        "{schema}"
    );
    // A filter on a date range through JSON: the two orders paid in January-February 2026
    // (01 Ain 1 234,56 and 2A Corse-du-Sud 987,10: 2 221,66).
    let res = call(
        &m,
        "query",
        &[json(
            r#"{"filter":[{"column":"Date de mandatement","op":"between","min":"2026-01-01","max":"2026-02-28"}],
                "aggregates":[{"op":"count","as":"n"},{"op":"sum","column":"Montant payé (€)","as":"total"}]}"#,
        )],
    )
    .await;
    assert_eq!(stringify(&get(&res, "rows")), "[[2,2221.66]]");

    // The DECP -> SIREN join of `decp_buyers_join_the_siren_of_communes_through_the_siret_repair`.
    let decp = call(&loupe, "load", &[Uint8Array::from(DECP).into()]).await;
    let siren = call(&loupe, "load", &[Uint8Array::from(SIREN_COMMUNES).into()]).await;
    let out = call(
        &decp,
        "join",
        &[
            siren.clone(),
            json(r#"{"left_on":["acheteur_id"],"right_on":["SIREN"],"how":"inner","repairs":["siret_to_siren"]}"#),
        ],
    )
    .await;
    let report = get(&out, "report");
    assert_eq!(get(&report, "matched").as_f64(), Some(4351.0));
    assert_eq!(get(&report, "unmatched").as_f64(), Some(4606.0));
    let joined = get(&out, "dataset");
    assert_eq!(get(&joined, "rows").as_f64(), Some(4351.0));
    for ds in [a, m, decp, siren, joined] {
        call(&ds, "free", &[]).await;
    }
}
