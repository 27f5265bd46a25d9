//! Dialect sniffing and file-level behaviour on small named fixtures (`tests/fixtures/`).

use loupe::core::column::ColumnType;
use loupe::core::ingest::{read, IngestOptions, Loader};
use loupe::core::Dataset;

fn load(name: &str) -> Dataset {
    load_with(name, IngestOptions::default())
}

fn load_with(name: &str, opts: IngestOptions) -> Dataset {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture exists");
    read(&bytes, &opts).expect("fixture loads")
}

fn names(ds: &Dataset) -> Vec<&str> {
    ds.columns.iter().map(|c| c.name.as_str()).collect()
}

fn types(ds: &Dataset) -> Vec<&str> {
    ds.columns
        .iter()
        .map(|c| c.column_type().as_str())
        .collect()
}

fn cell(ds: &Dataset, col: usize, row: usize) -> String {
    ds.columns[col].value(row).to_plain_string()
}

#[test]
fn semicolon_bom_decimal_comma() {
    let ds = load("semicolon_decimal_comma.csv");
    assert_eq!(
        (
            ds.report.delimiter.as_str(),
            ds.report.bom,
            ds.report.encoding.as_str()
        ),
        (";", true, "utf-8")
    );
    assert_eq!(ds.report.decimal_separator, ",");
    assert_eq!(names(&ds), ["code_commune", "libellé", "montant", "date"]);
    assert_eq!(types(&ds), ["text", "text", "decimal", "date"]);
    assert_eq!(ds.columns[0].key.map(|k| k.as_str()), Some("insee_commune"));
    assert_eq!(cell(&ds, 2, 2), "12345678.01");
    assert_eq!(cell(&ds, 3, 0), "2024-02-13");
}

#[test]
fn title_lines_above_header_are_skipped() {
    let ds = load("title_lines.csv");
    assert_eq!(ds.report.header_row, Some(3));
    assert_eq!(names(&ds), ["mission", "programme", "montant"]);
    assert_eq!(ds.rows, 2);
    assert_eq!(types(&ds), ["text", "integer", "decimal"]);
}

#[test]
fn trailing_delimiter_column_is_dropped() {
    let ds = load("trailing_delimiter.csv");
    assert_eq!(names(&ds), ["a", "b", "c"]);
    assert_eq!(cell(&ds, 2, 1), "3.25");
}

#[test]
fn ragged_rows_are_padded_and_counted() {
    let ds = load("ragged.csv");
    assert_eq!(ds.rows, 4);
    assert_eq!(ds.report.ragged_rows, 2);
    assert!(ds.columns[2].value(1).is_null());
    assert_eq!(cell(&ds, 2, 2), "8");
    assert_eq!(
        ds.report
            .warnings
            .iter()
            .filter(|w| w.row.is_some())
            .count(),
        2
    );
}

#[test]
fn lone_cr_line_endings() {
    let ds = load("mac_cr.csv");
    assert_eq!(ds.report.line_ending, "\r");
    assert_eq!(ds.rows, 2);
    assert_eq!(types(&ds), ["text", "integer"]);
}

#[test]
fn windows_1252_is_detected() {
    let ds = load("latin1.csv");
    assert_eq!(ds.report.encoding, "windows-1252");
    assert_eq!(cell(&ds, 0, 0), "Saint-Étienne");
    assert_eq!(cell(&ds, 1, 0), "12.5");
}

#[test]
fn utf16_with_bom_and_tabs() {
    let ds = load("utf16le_bom.csv");
    assert_eq!(
        (
            ds.report.encoding.as_str(),
            ds.report.bom,
            ds.report.delimiter.as_str()
        ),
        ("utf-16le", true, "\t")
    );
    assert_eq!(cell(&ds, 0, 0), "Nîmes");
    assert_eq!(types(&ds), ["text", "integer"]);
}

#[test]
fn duplicate_and_empty_headers_are_renamed() {
    let ds = load("duplicate_headers.csv");
    assert_eq!(names(&ds), ["montant", "montant_2", "colonne_3", "nom"]);
    assert!(ds.report.warnings.len() >= 2);
}

#[test]
fn no_header_is_detected() {
    let ds = load("no_header.csv");
    assert_eq!(ds.report.header_row, None);
    assert_eq!(names(&ds), ["colonne_1", "colonne_2", "colonne_3"]);
    assert_eq!(ds.rows, 3);
    assert_eq!(types(&ds), ["integer", "date", "decimal"]);
}

#[test]
fn pipe_and_tab() {
    assert_eq!(load("pipe.psv").report.delimiter, "|");
    let ds = load("tab.tsv");
    assert_eq!(ds.report.delimiter, "\t");
    assert_eq!(types(&ds), ["integer", "text", "decimal"]);
}

#[test]
fn blank_lines_are_skipped() {
    let ds = load("blank_lines.csv");
    assert_eq!(ds.rows, 2);
    assert_eq!(cell(&ds, 1, 1), "4");
}

#[test]
fn quoted_newlines_and_quotes() {
    let ds = load("crlf_quotes.csv");
    assert_eq!(ds.report.line_ending, "\r\n");
    assert_eq!(cell(&ds, 1, 0), "ligne 1\r\nligne 2");
    assert_eq!(cell(&ds, 1, 1), "dit \"bonjour\", puis part");
}

#[test]
fn french_long_dates() {
    let ds = load("french_dates.csv");
    assert_eq!(types(&ds), ["text", "date"]);
    assert_eq!(cell(&ds, 1, 2), "1789-07-14");
}

#[test]
fn null_vocabulary_and_booleans() {
    let ds = load("nulls_and_bools.csv");
    assert_eq!(types(&ds), ["boolean", "decimal", "integer"]);
    assert_eq!(ds.columns[1].valid.null_count(), 2);
}

#[test]
fn overrides_are_honoured() {
    let opts = IngestOptions {
        delimiter: Some(",".into()),
        header: Some(false),
        types: vec![("colonne_1".into(), ColumnType::Text)],
        ..Default::default()
    };
    let ds = load_with("tab.tsv", opts);
    assert_eq!(ds.report.delimiter, ",");
    assert_eq!(ds.columns.len(), 1);
    assert_eq!(ds.rows, 3);
    let ds = load_with(
        "title_lines.csv",
        IngestOptions {
            header_row: Some(3),
            ..Default::default()
        },
    );
    assert_eq!(names(&ds), ["mission", "programme", "montant"]);
    let ds = load_with(
        "latin1.csv",
        IngestOptions {
            encoding: Some("utf-8".into()),
            ..Default::default()
        },
    );
    assert_eq!(ds.report.encoding, "utf-8");
    let ds = load_with(
        "semicolon_decimal_comma.csv",
        IngestOptions {
            infer_types: Some(false),
            ..Default::default()
        },
    );
    assert!(ds
        .columns
        .iter()
        .all(|c| c.column_type() == ColumnType::Text));
}

#[test]
fn late_contradicting_values_become_invalid_or_text() {
    // 30 000 integers then one word: beyond the sample, under 1 % -> null + invalid.
    let mut csv = String::from("n\n");
    for i in 0..30_000 {
        csv.push_str(&format!("{i}\n"));
    }
    csv.push_str("douze\n");
    let ds = read(csv.as_bytes(), &IngestOptions::default()).expect("loads");
    let c = &ds.columns[0];
    assert_eq!((c.column_type(), c.invalid_count), (ColumnType::Integer, 1));
    assert_eq!(c.invalid[0].text, "douze");
    assert_eq!(c.invalid[0].row, 30_000);
    // Many late words: the whole column is re-read as text, exactly.
    for _ in 0..1000 {
        csv.push_str("mot\n");
    }
    let ds = read(csv.as_bytes(), &IngestOptions::default()).expect("loads");
    let c = &ds.columns[0];
    assert_eq!((c.column_type(), c.invalid_count), (ColumnType::Text, 0));
    assert_eq!(c.text(5), Some("5"));
    assert_eq!(c.text(30_001), Some("mot"));
}

#[test]
fn late_longer_fraction_rescales_exactly() {
    let mut csv = String::from("m\n");
    for _ in 0..25_000 {
        csv.push_str("1.5\n");
    }
    csv.push_str("2.125\n");
    let ds = read(csv.as_bytes(), &IngestOptions::default()).expect("loads");
    assert_eq!(ds.columns[0].value(0).to_plain_string(), "1.500");
    assert_eq!(ds.columns[0].value(25_000).to_plain_string(), "2.125");
}

#[test]
fn empty_and_binary_inputs_are_clear_errors() {
    let binary: Vec<u8> = (0..600u32).map(|i| (i * 7 % 32) as u8).collect();
    for bytes in [
        &b""[..],
        b"\n\n  \r\n",
        b"PK\x03\x04rest",
        b"%PDF-1.4",
        &binary,
    ] {
        let err = read(bytes, &IngestOptions::default()).expect_err("no data");
        assert!(!err.fr.is_empty() && !err.en.is_empty());
    }
}

#[test]
fn loader_steps_match_read() {
    let bytes = std::fs::read(format!(
        "{}/tests/fixtures/semicolon_decimal_comma.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    let whole = read(&bytes, &IngestOptions::default()).expect("loads");
    let mut l = Loader::new(bytes, IngestOptions::default()).expect("loads");
    let total = l.progress().bytes_total;
    let mut steps = 0;
    while !l.is_done() {
        let p = l.step(10);
        assert!(p.bytes_done <= total);
        steps += 1;
    }
    assert!(steps > 3);
    assert_eq!(l.finish().expect("finishes"), whole);
}
