//! Third-party CSV conformance corpora (copied under `tests/conformance/`, see PROVENANCE.md
//! there): csv-spectrum, CPython's test_csv read cases, PapaParse's core parser cases, d3-dsv,
//! csvkit's example files and rust-csv's data files, plus csvkit's `in2csv` conversions of CSV
//! inputs (`*_converted.csv`: what csvkit writes after reading a CSV with its type inference).
//!
//! Record-level cases read the input with type inference off (every cell text) and compare
//! cells exactly. Loupe is a table loader, not a record parser, so it knowingly differs on a
//! few cases (blank lines skipped, short rows padded to the table width...): each is listed by
//! hand, with its reason, in `tests/conformance/DIFFERENCES.md`, with the expected pass count
//! of every corpus. The test asserts the exact set: a case that stops matching (a regression)
//! or a listed case that starts matching (an unexplained change) fails, and so does a corpus
//! whose count of cases changed. Nothing here writes DIFFERENCES.md: a person edits it.

use std::fmt::Write as _;
use std::path::PathBuf;

use loupe::core::ingest::{read, IngestOptions};
use serde_json::Value as Json;

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
    expected: Vec<Vec<String>>,
    got: Result<(Vec<String>, Vec<Vec<String>>), String>,
    out: &mut Vec<Outcome>,
) {
    let diff = (!compare(&expected, &got))
        .then(|| format!("expected {:?}, got {:?}", expected, got.map(|g| g.1)));
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
        record_cases("csv-spectrum", stem, exp_rows, got, out);
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
        record_cases("python-csv", case, expected, got, out);
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
        record_cases("papaparse", case, expected, got, out);
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

/// csvkit's `in2csv` tests whose input is a CSV file: `(case, input, expected output, Loupe
/// options equivalent to the csvkit arguments)`. From csvkit's
/// `tests/test_utilities/test_in2csv.py`; in2csv infers types unless `--no-inference`
/// (Loupe: `infer_types: Some(false)`), `--locale de_DE` reads decimal commas (Loupe:
/// `decimal: ","`), `--skip-lines 3` skips lines above the header (Loupe: `header_row`),
/// `--blanks` keeps null words as written (Loupe's text reading does too).
fn in2csv_cases() -> Vec<(&'static str, &'static str, &'static str, IngestOptions)> {
    let inferred = IngestOptions::default();
    let no_inference = IngestOptions {
        infer_types: Some(false),
        ..IngestOptions::default()
    };
    vec![
        (
            "test_locale (--locale de_DE)",
            "test_locale.csv",
            "test_locale_converted.csv",
            IngestOptions {
                decimal: Some(",".into()),
                ..IngestOptions::default()
            },
        ),
        (
            "test_no_blanks",
            "blanks.csv",
            "blanks_converted.csv",
            inferred.clone(),
        ),
        (
            "test_blanks (--blanks)",
            "blanks.csv",
            "blanks.csv",
            no_inference.clone(),
        ),
        (
            "test_date_format (--date-format %d/%m/%Y)",
            "test_date_format.csv",
            "test_date_format_converted.csv",
            inferred.clone(),
        ),
        (
            "test_convert_csv",
            "testfixed_converted.csv",
            "testfixed_converted.csv",
            inferred.clone(),
        ),
        (
            "test_convert_csv_with_skip_lines (--skip-lines 3 --no-inference)",
            "test_skip_lines.csv",
            "dummy.csv",
            IngestOptions {
                header_row: Some(3),
                ..no_inference.clone()
            },
        ),
        (
            "test_add_bom (--add-bom, read back)",
            "test_utf8_bom.csv",
            "test_utf8.csv",
            no_inference,
        ),
    ]
}

/// Whether a cell of Loupe's typed reading says the same as csvkit's output cell: equal text,
/// or the same number (`1.0` and `1.00`), or the same boolean (`True` and `true`).
fn same_cell(got: &str, expected: &str) -> bool {
    if got == expected {
        return true;
    }
    if let (Ok(a), Ok(b)) = (got.parse::<f64>(), expected.parse::<f64>()) {
        return a == b;
    }
    let boolean = |s: &str| matches!(s.to_ascii_lowercase().as_str(), "true" | "false");
    boolean(got) && boolean(expected) && got.eq_ignore_ascii_case(expected)
}

/// Header and rows of a CSV file as csvkit wrote it, read with the csv crate (not Loupe).
fn csv_table(bytes: &[u8]) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = rdr
        .headers()
        .ok()?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let rows = rdr
        .records()
        .map(|r| r.map(|r| r.iter().map(str::to_string).collect()))
        .collect::<Result<_, _>>()
        .ok()?;
    Some((header, rows))
}

fn in2csv(out: &mut Vec<Outcome>) {
    let dir = root().join("csvkit-examples");
    for (case, input, output, opts) in in2csv_cases() {
        let (Ok(bytes), Ok(expected)) = (
            std::fs::read(dir.join(input)),
            std::fs::read(dir.join(output)),
        ) else {
            continue;
        };
        let Some((exp_names, exp_rows)) = csv_table(&expected) else {
            continue;
        };
        let got = rows_of(&bytes, &opts);
        let same = match &got {
            Ok((names, rows)) => {
                names == &exp_names
                    && rows.len() == exp_rows.len()
                    && rows.iter().zip(&exp_rows).all(|(g, e)| {
                        g.len() == e.len() && g.iter().zip(e).all(|(a, b)| same_cell(a, b))
                    })
            }
            Err(_) => false,
        };
        let diff = (!same).then(|| {
            format!(
                "expected {exp_names:?} {exp_rows:?}, got {:?}",
                got.as_ref().map(|(n, r)| (n, r))
            )
        });
        out.push(Outcome {
            corpus: "csvkit-in2csv",
            case: case.to_string(),
            diff,
        });
    }
}

/// The corpora, in report order.
const CORPORA: [&str; 7] = [
    "csv-spectrum",
    "python-csv",
    "papaparse",
    "d3-dsv",
    "csvkit-examples",
    "csvkit-in2csv",
    "rust-csv",
];

/// A case as DIFFERENCES.md names it (backticks would end the Markdown code span).
fn case_id(corpus: &str, case: &str) -> String {
    format!("{corpus} {}", case.replace('`', "'"))
}

/// What DIFFERENCES.md records: per corpus `(passes, cases)`, and the differing case ids.
struct Recorded {
    counts: std::collections::BTreeMap<String, (usize, usize)>,
    differing: std::collections::BTreeSet<String>,
}

/// Reads `- corpus: P/N` lines and `- **corpus** `case`: reason` lines.
fn recorded() -> Recorded {
    let text = std::fs::read_to_string(root().join("DIFFERENCES.md")).unwrap_or_default();
    let mut rec = Recorded {
        counts: Default::default(),
        differing: Default::default(),
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("- **") {
            let Some((corpus, rest)) = rest.split_once("** `") else {
                continue;
            };
            let Some((case, reason)) = rest.split_once("`: ") else {
                continue;
            };
            assert!(
                reason.trim().len() > 10,
                "DIFFERENCES.md: `{case}` needs a reason"
            );
            rec.differing.insert(format!("{corpus} {case}"));
        } else if let Some(rest) = line.strip_prefix("- ") {
            let Some((corpus, counts)) = rest.split_once(": ") else {
                continue;
            };
            let Some((p, n)) = counts.split_once('/') else {
                continue;
            };
            let n = n.split_whitespace().next().unwrap_or_default();
            if let (Ok(p), Ok(n)) = (p.trim().parse(), n.parse()) {
                rec.counts.insert(corpus.trim().to_string(), (p, n));
            }
        }
    }
    rec
}

#[test]
fn conformance_corpora() {
    let mut out = Vec::new();
    csv_spectrum(&mut out);
    python_csv(&mut out);
    papaparse(&mut out);
    d3_dsv(&mut out);
    loads("csvkit-examples", "csvkit-examples", &mut out);
    in2csv(&mut out);
    loads("rust-csv", "rust-csv/data", &mut out);
    let rec = recorded();
    let mut problems = Vec::new();
    let mut summary = String::new();
    for corpus in CORPORA {
        let all = out.iter().filter(|o| o.corpus == corpus).count();
        let ok = out
            .iter()
            .filter(|o| o.corpus == corpus && o.diff.is_none())
            .count();
        let _ = writeln!(summary, "- {corpus}: {ok}/{all}");
        if rec.counts.get(corpus) != Some(&(ok, all)) {
            problems.push(format!(
                "{corpus}: {ok}/{all} cases match, DIFFERENCES.md records {:?}",
                rec.counts.get(corpus)
            ));
        }
    }
    for o in &out {
        let id = case_id(o.corpus, &o.case);
        match (&o.diff, rec.differing.contains(&id)) {
            (Some(diff), false) => problems.push(format!(
                "regression, `{id}` no longer matches: {}",
                diff.replace('\n', "\\n").replace('\r', "\\r")
            )),
            (None, true) => problems.push(format!(
                "`{id}` now matches but DIFFERENCES.md lists it: check why, then remove it by hand"
            )),
            _ => {}
        }
    }
    let ids: std::collections::BTreeSet<String> =
        out.iter().map(|o| case_id(o.corpus, &o.case)).collect();
    for listed in rec.differing.difference(&ids) {
        problems.push(format!("DIFFERENCES.md lists `{listed}`, which is no case"));
    }
    let passes = out.iter().filter(|o| o.diff.is_none()).count();
    println!("conformance: {passes}/{} cases match\n{summary}", out.len());
    assert!(out.len() > 100, "corpora missing: only {} cases", out.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
