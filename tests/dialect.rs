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
    // `4,5` is on the file's line 3 and `6,7,8,9` on line 4 (counted by hand).
    let rows: Vec<usize> = ds.report.warnings.iter().filter_map(|w| w.row).collect();
    assert_eq!(rows, [3, 4]);
}

#[test]
fn ragged_row_warnings_give_the_file_line_whatever_the_line_breaks() {
    // Line 1 a title, 2 blank, 3 the header; ragged rows on lines 5, 9 (after a quoted line
    // break on lines 7-8) and 10 (the last line, with no line break).
    let lf = "titre du fichier\n\na,b\n1,2\n3\n4,5\n\"x\ny\",6\n7\n8";
    let crlf = lf.replace('\n', "\r\n");
    for text in [lf.to_string(), crlf] {
        let ds =
            loupe::core::ingest::read(text.as_bytes(), &IngestOptions::default()).expect("loads");
        let rows: Vec<usize> = ds.report.warnings.iter().filter_map(|w| w.row).collect();
        assert_eq!(rows, [5, 9, 10], "{text:?}");
    }
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

/// `(header, rows) =>` the warning about a header shorter than its rows, French and English.
fn short_header_warning(csv: &str) -> String {
    let ds = read(csv.as_bytes(), &IngestOptions::default()).expect("loads");
    ds.report
        .warnings
        .iter()
        .map(|w| w.message.clone())
        .find(|m| m.starts_with("L'en-tête compte"))
        .unwrap_or_default()
}

#[test]
fn header_with_fewer_names_than_fields_says_so() {
    // SIRENE's deliberately broken fixture: 56 names (`nic` missing) over rows of 57 fields,
    // the 57th empty on every row.
    let path = format!(
        "{}/tests/data/french/sirene-samples/fixtures/sample_etablissements_KO_missing_header.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(path).expect("fixture exists");
    let ds = read(&bytes, &IngestOptions::default()).expect("loads");
    let w: Vec<&str> = ds
        .report
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert!(
        w.contains(&"L'en-tête compte 56 noms, mais les lignes de données ont 57 champs : le champ n° 57, vide sur toutes les lignes, a été ignoré. Sans doute un séparateur en fin de ligne ; s'il manque plutôt un nom dans l'en-tête, les noms qui le suivent sont décalés d'une colonne. / The header has 56 names, but the data rows have 57 fields: field 57, empty on every row, was dropped. Probably a delimiter at the end of each line; if a name is missing from the header instead, the names after it are shifted by one column."),
        "{w:#?}"
    );
    assert_eq!(ds.columns.len(), 56);
}

#[test]
fn extra_fields_with_values_are_kept_and_named() {
    assert_eq!(
        short_header_warning("siren;nom\n000325175;A;N\n001807254;B;O\n"),
        "L'en-tête compte 2 noms, mais les lignes de données ont 3 champs : le champ n° 3 a été gardé dans une colonne nommée « colonne_3 ». Il manque sans doute un nom dans l'en-tête : les noms qui le suivent peuvent être décalés par rapport aux valeurs. / The header has 2 names, but the data rows have 3 fields: field 3 was kept as a column named \"colonne_3\". A name is probably missing from the header: the names after it may be shifted against the values."
    );
}

#[test]
fn header_as_wide_as_rows_has_no_such_warning() {
    assert_eq!(short_header_warning("a;b\n1;x\n2;y\n"), "");
}

/// A zero-width no-break space (U+FEFF, the bytes of a byte-order mark) at the start of a line
/// in the middle of a file is data: kept whether the line is read by the fast path or by
/// csv-core (which strips a BOM from the first input it ever sees, and may first see this one).
#[test]
fn a_bom_character_mid_file_is_kept_by_either_reader() {
    for second in ["\"y\nz\"", "yz"] {
        let text = format!("nom,note\nAnne,x\n\u{FEFF}Bob,{second}\nCléa,w\n");
        let ds = read(text.as_bytes(), &IngestOptions::default()).expect("loads");
        assert_eq!(ds.rows, 3, "{second:?}");
        assert_eq!(cell(&ds, 0, 1), "\u{FEFF}Bob", "{second:?}");
        assert_eq!(cell(&ds, 1, 1), second.trim_matches('"'), "{second:?}");
        assert_eq!(cell(&ds, 0, 2), "Cléa", "{second:?}");
    }
}
