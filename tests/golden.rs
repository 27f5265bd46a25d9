//! Golden expectations: every French open-data file under `tests/data/french/` loads with the
//! encoding, delimiter, header row, decimal separator, row count, ragged-row count, column
//! names, column types, key kinds and code cells written in
//! `tests/golden/expected/<file stem>.json`.
//!
//! Those files are the specification, not a record of Loupe's output: they are written by
//! `scripts/golden_expect.py`, which reads the CSV files with Python's standard library and
//! decides each value by its own written rules (codes with leading zeros or a fixed width stay
//! text, SIREN/SIRET are Luhn-checked digits, INSEE commune, département and région codes...),
//! with a hand-kept table of overrides where a rule is ambiguous. Nothing here can rewrite
//! them; to change an expectation, change the script's rules and review the diff.

use std::path::{Path, PathBuf};

use loupe::core::ingest::{read, IngestOptions};
use serde_json::{json, Value as Json};

fn csv_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            csv_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "csv") {
            out.push(p);
        }
    }
}

/// Loupe's reading of a file, in the expected files' shape (with the cells that `expected`
/// names).
fn loupe_reading(path: &Path, expected: &Json) -> Json {
    let wanted = |name: &str| -> Vec<usize> {
        expected["columns"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["name"] == name)
            .flat_map(|c| c["cells"].as_object().into_iter().flatten())
            .filter_map(|(row, _)| row.parse().ok())
            .collect()
    };
    let bytes = std::fs::read(path).expect("data file readable");
    let ds = read(&bytes, &IngestOptions::default()).expect("French data file loads");
    json!({
        "encoding": ds.report.encoding,
        "delimiter": ds.report.delimiter,
        "header_row": ds.report.header_row,
        "decimal_separator": ds.report.decimal_separator,
        "rows": ds.rows,
        "ragged_rows": ds.report.ragged_rows,
        "columns": ds.columns.iter().map(|c| json!({
            "name": c.name,
            "type": c.column_type().as_str(),
            "key": c.key.map(|k| k.as_str()),
            // Cell texts by 0-based row, as strings (a code must come back as written).
            "cells": wanted(&c.name)
                .into_iter()
                .filter_map(|r| c.text(r).map(|t| (r.to_string(), Json::from(t))))
                .collect::<serde_json::Map<_, _>>(),
        })).collect::<Vec<_>>(),
    })
}

/// Every difference between the expectation and Loupe's reading, one line each.
fn differences(stem: &str, expected: &Json, got: &Json) -> Vec<String> {
    let mut out = Vec::new();
    for field in [
        "encoding",
        "delimiter",
        "header_row",
        "decimal_separator",
        "rows",
        "ragged_rows",
    ] {
        if expected[field] != got[field] {
            out.push(format!(
                "{stem}: {field} expected {} got {}",
                expected[field], got[field]
            ));
        }
    }
    let cols = |v: &Json| v["columns"].as_array().cloned().unwrap_or_default();
    let (exp, act) = (cols(expected), cols(got));
    let names = |v: &[Json]| v.iter().map(|c| c["name"].clone()).collect::<Vec<_>>();
    if names(&exp) != names(&act) {
        out.push(format!(
            "{stem}: column names expected {:?} got {:?}",
            names(&exp),
            names(&act)
        ));
        return out;
    }
    for (e, a) in exp.iter().zip(&act) {
        for field in ["type", "key"] {
            if e[field] != a[field] {
                out.push(format!(
                    "{stem}: column {} {field} expected {} got {}",
                    e["name"], e[field], a[field]
                ));
            }
        }
        for (row, text) in e["cells"].as_object().into_iter().flatten() {
            let cell = a["cells"].get(row);
            if cell != Some(text) {
                out.push(format!(
                    "{stem}: column {} row {row} expected {text} got {cell:?}",
                    e["name"]
                ));
            }
        }
    }
    out
}

#[test]
fn french_files_match_independent_expectations() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    csv_files(&root.join("tests/data/french"), &mut files);
    files.sort();
    assert!(
        files.len() >= 18,
        "French data missing: {} files",
        files.len()
    );
    let mut failures = Vec::new();
    for f in &files {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let path = root
            .join("tests/golden/expected")
            .join(format!("{stem}.json"));
        let Some(expected) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str::<Json>(&t).ok())
        else {
            failures.push(format!(
                "{stem}: no expectation at {} (run scripts/golden_expect.py)",
                path.display()
            ));
            continue;
        };
        failures.extend(differences(stem, &expected, &loupe_reading(f, &expected)));
    }
    assert!(
        failures.is_empty(),
        "{} disagreements with tests/golden/expected:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The promise, checked on the expectations themselves: in every French file, a
/// column whose values are codes (a key kind, or plain digits with a leading zero) is text.
#[test]
fn french_codes_are_text_in_the_expectations() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Ok(entries) = std::fs::read_dir(root.join("tests/golden/expected")) else {
        panic!("tests/golden/expected missing");
    };
    let mut keyed = 0;
    for e in entries.filter_map(Result::ok) {
        let text = std::fs::read_to_string(e.path()).expect("readable");
        let exp: Json = serde_json::from_str(&text).expect("valid JSON");
        for c in exp["columns"].as_array().into_iter().flatten() {
            if !c["key"].is_null() {
                keyed += 1;
                assert_eq!(c["type"], "text", "{}: {c}", e.path().display());
            }
        }
    }
    assert!(keyed >= 30, "only {keyed} keyed columns expected");
}
