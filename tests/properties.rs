//! Property tests: typed tables written as CSV in any supported dialect read back identical,
//! and no input whatsoever makes ingest panic.

// proptest is a native-only dev-dependency (see Cargo.toml).
#![cfg(not(target_arch = "wasm32"))]

use loupe::core::ingest::{read, IngestOptions, Loader};
use loupe::core::value::{days_from_civil, format_date, Value};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Col {
    Int(Vec<Option<i64>>),
    Dec(Vec<i64>), // cents
    Date(Vec<i32>),
    Bool(Vec<bool>),
    Text(Vec<String>),
}

const WORDS: [&str; 8] = [
    "Bretagne",
    "Île-de-France",
    "routes, ponts",
    "dit \"oui\"",
    "Saint-Étienne",
    "a;b",
    "x|y",
    "tab\tulé",
];

fn column(rows: usize) -> impl Strategy<Value = Col> {
    prop_oneof![
        proptest::collection::vec(proptest::option::weighted(0.9, -99_999i64..99_999), rows)
            .prop_map(|mut v| {
                v[0] = Some(v[0].unwrap_or(7));
                Col::Int(v)
            }),
        proptest::collection::vec(-10_000_000i64..10_000_000, rows).prop_map(Col::Dec),
        proptest::collection::vec(-20_000i32..30_000, rows).prop_map(Col::Date),
        proptest::collection::vec(any::<bool>(), rows).prop_map(Col::Bool),
        proptest::collection::vec(0usize..WORDS.len(), rows)
            .prop_map(|v| Col::Text(v.into_iter().map(|i| WORDS[i].to_string()).collect())),
    ]
}

#[derive(Debug, Clone)]
struct Dialect {
    delimiter: char,
    crlf: bool,
    comma_decimal: bool,
    bom: bool,
    latin1: bool,
}

fn dialect() -> impl Strategy<Value = Dialect> {
    (
        prop_oneof![Just(','), Just(';'), Just('\t'), Just('|')],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(delimiter, crlf, comma_decimal, bom, latin1)| Dialect {
            delimiter,
            crlf,
            comma_decimal,
            bom,
            latin1,
        })
}

fn quote(cell: &str, d: char) -> String {
    if cell.contains(d) || cell.contains('"') || cell.contains('\n') || cell.contains(',') {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

fn cell(col: &Col, r: usize, d: &Dialect) -> String {
    match col {
        Col::Int(v) => v[r].map_or(String::new(), |x| x.to_string()),
        Col::Dec(v) => {
            let sep = if d.comma_decimal { ',' } else { '.' };
            let sign = if v[r] < 0 { "-" } else { "" };
            format!("{sign}{}{sep}{:02}", v[r].abs() / 100, v[r].abs() % 100)
        }
        Col::Date(v) => format_date(v[r]),
        Col::Bool(v) => (if v[r] { "oui" } else { "non" }).to_string(),
        Col::Text(v) => v[r].clone(),
    }
}

fn expected(col: &Col, r: usize) -> Value {
    match col {
        Col::Int(v) => v[r].map_or(Value::Null, Value::Int),
        Col::Dec(v) => Value::Decimal {
            units: v[r],
            scale: 2,
        },
        Col::Date(v) => Value::Date(v[r]),
        Col::Bool(v) => Value::Bool(v[r]),
        Col::Text(v) => Value::Text(v[r].clone()),
    }
}

/// At least two columns: a one-column file has no delimiter to sniff.
fn table() -> impl Strategy<Value = (Vec<Col>, Dialect)> {
    (1usize..25, 2usize..6)
        .prop_flat_map(|(rows, cols)| (proptest::collection::vec(column(rows), cols), dialect()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn typed_tables_round_trip((cols, d) in table()) {
        let rows = match &cols[0] {
            Col::Int(v) => v.len(), Col::Dec(v) => v.len(), Col::Date(v) => v.len(),
            Col::Bool(v) => v.len(), Col::Text(v) => v.len(),
        };
        let eol = if d.crlf { "\r\n" } else { "\n" };
        let mut s = String::new();
        let header: Vec<String> = (0..cols.len()).map(|i| format!("col{i}")).collect();
        s.push_str(&header.join(&d.delimiter.to_string()));
        s.push_str(eol);
        for r in 0..rows {
            let line: Vec<String> = cols.iter().map(|c| quote(&cell(c, r, &d), d.delimiter)).collect();
            s.push_str(&line.join(&d.delimiter.to_string()));
            s.push_str(eol);
        }
        let mut bytes = Vec::new();
        if d.latin1 {
            let (enc, _, _) = encoding_rs::WINDOWS_1252.encode(&s);
            bytes.extend_from_slice(&enc);
        } else {
            if d.bom {
                bytes.extend_from_slice(b"\xEF\xBB\xBF");
            }
            bytes.extend_from_slice(s.as_bytes());
        }
        let ds = read(&bytes, &IngestOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(ds.report.delimiter.clone(), d.delimiter.to_string());
        prop_assert_eq!(ds.rows, rows);
        prop_assert_eq!(ds.columns.len(), cols.len());
        for (c, col) in cols.iter().enumerate() {
            for r in 0..rows {
                prop_assert_eq!(ds.columns[c].value(r), expected(col, r), "col {} row {}\n{}", c, r, s);
            }
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let _ = read(&bytes, &IngestOptions::default());
    }

    #[test]
    fn csv_like_noise_never_panics(s in "[a1,;\t|\"\r\n é0.:-]{0,400}", step in 1usize..50) {
        let _ = read(s.as_bytes(), &IngestOptions::default());
        if let Ok(mut l) = Loader::new(s.into_bytes(), IngestOptions::default()) {
            while !l.is_done() {
                l.step(step);
            }
            let ds = l.finish().map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(ds.columns.iter().all(|c| c.len() == ds.rows));
        }
    }
}

#[test]
fn truncated_french_files_never_panic() {
    let path = format!(
        "{}/tests/data/french/ofgl-finances/ofgl-base-communes.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(path).expect("data file");
    for cut in (0..bytes.len().min(40_000)).step_by(997) {
        let _ = read(&bytes[..cut], &IngestOptions::default());
    }
    assert!(days_from_civil(2024, 1, 1).is_some());
}
