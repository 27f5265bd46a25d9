//! Golden schemas: every French open-data file under `tests/data/french/` loads with the
//! expected encoding, delimiter, header row, row count, and per-column type and key kind.
//! The expected values live in `tests/golden/<file stem>.schema.json` and were reviewed by eye;
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites them after an intended change.

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

fn schema(path: &Path) -> Json {
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
        })).collect::<Vec<_>>(),
    })
}

#[test]
fn french_files_match_golden_schemas() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    csv_files(&root.join("tests/data/french"), &mut files);
    files.sort();
    assert!(
        files.len() >= 15,
        "French data missing: {} files",
        files.len()
    );
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for f in &files {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let golden = root
            .join("tests/golden")
            .join(format!("{stem}.schema.json"));
        let got = schema(f);
        if update {
            let text = serde_json::to_string_pretty(&got).expect("json") + "\n";
            std::fs::write(&golden, text).expect("write golden");
            continue;
        }
        let expected: Json = std::fs::read_to_string(&golden)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Json::Null);
        if expected != got {
            failures.push(format!("{stem}:\n expected {expected}\n got      {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
