//! Big local files read by slices (the Web Worker path): streamed transcoding, column
//! projection, filtered subsets and samples, and the memory estimate made before loading.
//!
//! Expected values are written by hand or computed here from the test's own text (never from
//! the loader's output saved earlier).

use std::cell::Cell;
use std::rc::Rc;

use loupe::core::ingest::{read, IngestOptions, Loader, Source};
use loupe::core::Dataset;

/// A source that records the largest single read the loader asked for, and the bytes read in
/// all.
struct CountingSource {
    bytes: Vec<u8>,
    max_read: Rc<Cell<usize>>,
    total_read: Rc<Cell<usize>>,
}

impl Source for CountingSource {
    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }
    fn read_at(&self, offset: u64, out: &mut [u8]) {
        self.max_read.set(self.max_read.get().max(out.len()));
        self.total_read.set(self.total_read.get() + out.len());
        let offset = usize::try_from(offset).expect("offset within the test's bytes");
        let end = (offset + out.len()).min(self.bytes.len());
        out[..end - offset].copy_from_slice(&self.bytes[offset..end]);
    }
}

/// Loads `bytes` through a counting source with windows of `window` bytes; returns the dataset
/// and the largest single read.
fn streamed(bytes: &[u8], opts: &IngestOptions, window: usize) -> (Dataset, usize) {
    let max_read = Rc::new(Cell::new(0));
    let src = CountingSource {
        bytes: bytes.to_vec(),
        max_read: Rc::clone(&max_read),
        total_read: Rc::new(Cell::new(0)),
    };
    let ds = Loader::from_source_in_windows(Box::new(src), opts.clone(), window)
        .and_then(Loader::finish)
        .unwrap_or_else(|e| panic!("streamed load (window {window}) failed: {e}"));
    (ds, max_read.get())
}

/// Windows-1252 bytes of `s`, by hand: ASCII as is, Latin-1 letters as their code point, and
/// the few Windows-1252 extras this file uses.
fn cp1252(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '€' => 0x80,
            '’' => 0x92,
            'œ' => 0x9C,
            '…' => 0x85,
            c if (c as u32) < 0x100 => c as u32 as u8,
            c => panic!("not in the test's Windows-1252 table: {c}"),
        })
        .collect()
}

/// A French export: `;`, decimal commas, accents, the euro sign, a typographic apostrophe,
/// `œ`, and a code column whose first code with a leading zero comes after the type sample
/// (20,000 rows), so the loader re-reads that column from the start of the data.
fn french_text(rows: usize) -> String {
    let mut s = String::from("id;commune;libellé;montant;code\n");
    for i in 0..rows {
        let commune = ["Évry", "Béziers", "L’Haÿ-les-Roses", "Saint-Étienne"][i % 4];
        let code = if i == rows - 3 {
            "01053".to_string()
        } else {
            (10_000 + i % 900).to_string()
        };
        s.push_str(&format!(
            "{i};{commune};Cœur d’été n° {} € …;{},{:02};{code}\n",
            i % 11,
            i * 7 % 1000,
            i % 100
        ));
    }
    s
}

fn forced_fr() -> IngestOptions {
    IngestOptions {
        delimiter: Some(";".into()),
        decimal: Some(",".into()),
        header: Some(true),
        ..IngestOptions::default()
    }
}

#[test]
fn windows_1252_streams_window_by_window_like_in_memory() {
    let text = french_text(21_000);
    let bytes = cp1252(&text);
    let whole = read(&bytes, &IngestOptions::default()).expect("reads");
    assert_eq!(whole.report.encoding, "windows-1252");
    // Checked by hand against the text: the transcoding is right, not only equal.
    assert_eq!(whole.columns[1].text(2), Some("L’Haÿ-les-Roses"));
    assert_eq!(whole.columns[2].text(3), Some("Cœur d’été n° 3 € …"));
    assert_eq!(whole.columns[3].value(1).to_plain_string(), "7.01");
    assert_eq!(whole.columns[4].text(0), Some("10000"));
    assert_eq!(whole.columns[4].text(20_997), Some("01053"));

    // Detected (the sniffer sees one window: a large one), then declared under three labels
    // with tiny windows (options forced, as the sniffer cannot see a whole line in 7 bytes).
    let (ds, max) = streamed(&bytes, &IngestOptions::default(), 70_001);
    assert_eq!(ds.columns, whole.columns);
    assert_eq!(ds.report, whole.report);
    assert!(max <= 70_001, "largest read {max}");
    let forced_whole = read(&bytes, &forced_fr()).expect("reads");
    for label in ["windows-1252", "latin1", "iso-8859-1", "cp1252"] {
        let opts = IngestOptions {
            encoding: Some(label.into()),
            ..forced_fr()
        };
        let in_memory = read(&bytes, &opts).expect("reads");
        assert_eq!(in_memory.columns, forced_whole.columns, "{label}");
        for window in [7, 64, 1000] {
            let (ds, max) = streamed(&bytes, &opts, window);
            assert_eq!(ds.rows, 21_000, "{label} window {window}");
            assert_eq!(ds.columns, in_memory.columns, "{label} window {window}");
            assert_eq!(ds.report, in_memory.report, "{label} window {window}");
            assert_eq!(ds.report.encoding, "windows-1252");
            // Never the whole file at once: one window, or the 1 KiB probe for UTF-16.
            assert!(
                max <= window.max(1024),
                "{label} window {window}: read {max}"
            );
            assert!(max < bytes.len());
        }
    }
    // Not declared, with tiny windows: the first windows are ASCII (UTF-8 until the first
    // accent), then the loader starts again as Windows-1252, still window by window.
    for window in [7, 64, 1000] {
        let (ds, max) = streamed(&bytes, &forced_fr(), window);
        assert_eq!(ds.columns, forced_whole.columns, "window {window}");
        assert_eq!(ds.report, forced_whole.report, "window {window}");
        assert!(max <= window.max(1024), "window {window}: read {max}");
    }
}

#[test]
fn utf16_with_bom_streams_like_in_memory() {
    let text = french_text(3_000);
    for le in [true, false] {
        let mut bytes = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            let b = if le { u.to_le_bytes() } else { u.to_be_bytes() };
            bytes.extend_from_slice(&b);
        }
        let whole = read(&bytes, &forced_fr()).expect("reads");
        assert_eq!(
            whole.report.encoding,
            if le { "utf-16le" } else { "utf-16be" }
        );
        assert_eq!(whole.columns[1].text(2), Some("L’Haÿ-les-Roses"));
        for window in [7, 64, 1001] {
            let (ds, max) = streamed(&bytes, &forced_fr(), window);
            assert_eq!(ds.columns, whole.columns, "le {le} window {window}");
            assert_eq!(ds.report, whole.report, "le {le} window {window}");
            assert!(max <= window.max(1024));
        }
    }
}

/// A French-dialect file: `;`, commune codes with leading zeros and Corsican codes, decimal
/// commas with a thousands space, dd/mm/yyyy dates, a département column, labels.
fn communes_text(rows: usize) -> String {
    let mut s = String::from("code_commune;libellé;montant;date;population;dep;commentaire\n");
    let codes = [
        "01053", "2A004", "75056", "13055", "2B033", "69123", "06088",
    ];
    let labels = [
        "Bourg-en-Bresse",
        "Ajaccio",
        "Paris",
        "Marseille",
        "Bastia",
        "Lyon",
        "Nice",
    ];
    for i in 0..rows {
        let k = i % codes.len();
        let dep = &codes[k][..2];
        s.push_str(&format!(
            "{};{};{} {:03},{:02};{:02}/{:02}/20{:02};{};{dep};note {}\n",
            codes[k],
            labels[k],
            1 + i % 9,
            i % 1000,
            i % 100,
            1 + i % 28,
            1 + i % 12,
            10 + i % 15,
            1000 + i * 37 % 5000,
            i % 13,
        ));
    }
    s
}

fn opts_with_columns(cols: &[&str]) -> IngestOptions {
    IngestOptions {
        columns: Some(cols.iter().map(|c| c.to_string()).collect()),
        ..IngestOptions::default()
    }
}

#[test]
fn projection_keeps_the_named_columns_exactly_as_a_full_load() {
    let text = communes_text(500);
    let full = read(text.as_bytes(), &IngestOptions::default()).expect("reads");
    // Out of order, one in another case, one unknown.
    let opts = opts_with_columns(&["DATE", "montant", "code_commune", "inconnue"]);
    let ds = read(text.as_bytes(), &opts).expect("reads");
    let names: Vec<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["code_commune", "montant", "date"], "file order");
    assert_eq!(ds.rows, 500);
    assert_eq!(ds.report.projected, Some((3, 7)));
    assert_eq!(ds.report.columns, 3);
    assert!(ds
        .report
        .warnings
        .iter()
        .any(|w| w.message.contains("inconnue") && w.message.contains("ignored")));
    for c in &ds.columns {
        let same = full.column(&c.name).expect("in the full load");
        assert_eq!(c, same, "column {}", c.name);
    }
    // By hand: what the full load must have found for these columns.
    let code = &ds.columns[0];
    assert_eq!(code.column_type().as_str(), "text");
    assert_eq!(code.key.map(|k| k.as_str()), Some("insee_commune"));
    assert_eq!(code.text(0), Some("01053"));
    assert_eq!(code.text(1), Some("2A004"));
    assert_eq!(ds.columns[1].column_type().as_str(), "decimal");
    assert_eq!(ds.columns[1].value(1).to_plain_string(), "2001.01");
    assert_eq!(ds.columns[2].column_type().as_str(), "date");
    assert_eq!(ds.columns[2].value(1).to_plain_string(), "2011-02-02");
    assert_eq!(ds.report.delimiter, ";");
    assert_eq!(ds.report.decimal_separator, ",");

    // Every requested name unknown: nothing usable, an error in both languages.
    let err = read(text.as_bytes(), &opts_with_columns(&["x", "y"])).expect_err("no column");
    assert!(err.fr.contains("« x »") && err.en.contains("\"x\""));
    // An empty list keeps every column.
    let all = read(text.as_bytes(), &opts_with_columns(&[])).expect("reads");
    assert_eq!(all.columns, full.columns);
    assert_eq!(all.report.projected, None);
}

#[test]
fn projection_of_a_column_read_again_as_text_late_streams_like_a_full_load() {
    // `code` looks like integers for 20,000+ rows, then `01053`: re-read from the start as text.
    let text = french_text(21_000);
    let full = read(text.as_bytes(), &IngestOptions::default()).expect("reads");
    assert_eq!(
        full.column("code").expect("code").text(20_997),
        Some("01053")
    );
    let opts = opts_with_columns(&["code", "montant"]);
    let in_memory = read(text.as_bytes(), &opts).expect("reads");
    let (ds, _) = streamed(text.as_bytes(), &opts, 100_003);
    for d in [&in_memory, &ds] {
        assert_eq!(d.columns.len(), 2);
        assert_eq!(d.columns[0], *full.column("montant").expect("montant"));
        assert_eq!(d.columns[1], *full.column("code").expect("code"));
        assert_eq!(d.report.projected, Some((2, 5)));
        // Only the two columns' storage is held: the full load's, less the three left out.
        let left_out: usize = ["id", "commune", "libellé"]
            .iter()
            .map(|n| full.column(n).map_or(0, |c| c.heap_bytes()))
            .sum();
        assert!(d.heap_bytes() <= full.heap_bytes() - left_out + 1024);
    }
}

use loupe::core::ingest::{RowFilter, RowOp};

/// The data lines of `text` split by hand on `;` (the test's files have no quotes); cells as
/// written (text columns keep their spaces; the filter compares trimmed text).
fn split_lines(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(';').map(str::to_string).collect())
        .collect()
}

/// A file with padded cells, mixed case and an empty line, for the row filter.
fn people_text() -> String {
    let mut s = String::from("id;ville;dep;valeur\n");
    let villes = [
        " Paris ",
        "PARIS",
        "Saint-Denis",
        "Bastia",
        "paris-plage",
        "Ajaccio",
    ];
    let deps = ["75", "75", "93", "2B", "62", "2A"];
    for i in 0..30_000 {
        let k = (i * 7 + i / 5) % villes.len();
        // A code column that turns out to hold a code with a leading zero only late.
        let code = if i == 29_990 {
            "04112".to_string()
        } else {
            (10_000 + i % 5000).to_string()
        };
        s.push_str(&format!("{i};{};{};{code}\n", villes[k], deps[k]));
        if i == 17 {
            s.push('\n');
        }
    }
    s
}

/// A row filter, the sample step, and the test's own decision on a hand-split line.
type Case = (
    Option<RowFilter>,
    Option<usize>,
    Box<dyn Fn(&[String]) -> bool>,
);

fn filter(column: &str, op: RowOp, value: &str) -> Option<RowFilter> {
    Some(RowFilter {
        column: column.into(),
        op,
        value: value.into(),
    })
}

#[test]
fn row_filter_and_sample_keep_the_rows_computed_by_hand() {
    let text = people_text();
    let lines = split_lines(&text);
    assert_eq!(lines.len(), 30_000);
    let full = read(text.as_bytes(), &IngestOptions::default()).expect("reads");
    let cases: Vec<Case> = vec![
        (
            filter("ville", RowOp::Equals, "paris"),
            None,
            Box::new(|c| c[1].trim().eq_ignore_ascii_case("paris")),
        ),
        (
            filter("Ville", RowOp::Contains, "PARIS"),
            Some(3),
            Box::new(|c| c[1].trim().to_ascii_lowercase().contains("paris")),
        ),
        (
            filter("dep", RowOp::StartsWith, "2"),
            None,
            Box::new(|c| c[2].trim().starts_with('2')),
        ),
        (
            filter("dep", RowOp::Equals, " 2a "),
            Some(1),
            Box::new(|c| c[2].trim() == "2A"),
        ),
        (None, Some(7), Box::new(|_| true)),
    ];
    for (row_filter, every, pass) in cases {
        let opts = IngestOptions {
            row_filter: row_filter.clone(),
            sample_every: every,
            ..IngestOptions::default()
        };
        let passed: Vec<&Vec<String>> = lines.iter().filter(|c| pass(c)).collect();
        let k = every.unwrap_or(1);
        let expected: Vec<&Vec<String>> = passed.iter().copied().step_by(k).collect();
        let what = format!("{row_filter:?} every {every:?}");
        for (how, ds) in [
            ("memory", read(text.as_bytes(), &opts).expect("reads")),
            ("stream", streamed(text.as_bytes(), &opts, 4099).0),
        ] {
            assert_eq!(ds.rows, expected.len(), "{what} {how}");
            assert_eq!(ds.report.rows, expected.len());
            assert_eq!(ds.report.rows_read, 30_000, "{what} {how}");
            let subset = ds.report.subset.clone().expect("described");
            assert!(
                subset.contains(&format!("{} lignes gardées sur 30000 lues", expected.len())),
                "{subset}"
            );
            if every.is_some_and(|k| k > 1) {
                assert!(subset.contains(&format!("one row in {k}")), "{subset}");
            }
            for (j, cells) in expected.iter().enumerate() {
                assert_eq!(ds.columns[0].value(j).to_plain_string(), cells[0], "{what}");
                assert_eq!(ds.columns[1].text(j), Some(cells[1].as_str()), "{what}");
                assert_eq!(ds.columns[3].value(j).to_plain_string(), cells[3], "{what}");
            }
            // The late code is read again as text (second pass, same rows kept) only when
            // its row is kept.
            let late_kept = expected.iter().any(|c| c[3] == "04112");
            let ty = ds.columns[3].column_type().as_str();
            assert_eq!(
                ty,
                if late_kept { "text" } else { "integer" },
                "{what} {how}"
            );
        }
    }
    // The late code made the code column text in the full load too.
    assert_eq!(
        full.column("valeur").expect("valeur").text(29_990),
        Some("04112")
    );
    assert_eq!(full.report.rows_read, 30_000);
    assert_eq!(full.report.subset, None);
    // An unknown filter column is an error, not a silent full load.
    let err = read(
        text.as_bytes(),
        &IngestOptions {
            row_filter: filter("région", RowOp::Equals, "x"),
            ..IngestOptions::default()
        },
    )
    .expect_err("unknown column");
    assert!(err.en.contains("région"));
}

#[test]
fn filter_sample_and_projection_combine() {
    let text = people_text();
    let lines = split_lines(&text);
    let opts = IngestOptions {
        columns: Some(vec!["id".into()]),
        row_filter: filter("ville", RowOp::StartsWith, "saint"),
        sample_every: Some(4),
        ..IngestOptions::default()
    };
    let expected: Vec<String> = lines
        .iter()
        .filter(|c| c[1].trim().to_ascii_lowercase().starts_with("saint"))
        .step_by(4)
        .map(|c| c[0].clone())
        .collect();
    let (ds, _) = streamed(text.as_bytes(), &opts, 1000);
    assert_eq!(ds.columns.len(), 1);
    let got: Vec<String> = (0..ds.rows)
        .map(|r| ds.columns[0].value(r).to_plain_string())
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn old_json_still_parses_and_new_options_round_trip() {
    let o: IngestOptions = serde_json::from_str(r#"{"delimiter":";"}"#).expect("old options");
    assert_eq!(o.columns, None);
    assert_eq!(o.row_filter, None);
    assert_eq!(o.sample_every, None);
    let o: IngestOptions = serde_json::from_str(
        r#"{"columns":["a","b"],"row_filter":{"column":"dep","op":"starts_with","value":"2"},"sample_every":10}"#,
    )
    .expect("new options");
    assert_eq!(o.columns, Some(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(o.row_filter, filter("dep", RowOp::StartsWith, "2"));
    assert_eq!(o.sample_every, Some(10));
    let back: IngestOptions =
        serde_json::from_str(&serde_json::to_string(&o).expect("json")).expect("parses");
    assert_eq!(back, o);
    let r: loupe::core::ingest::IngestReport =
        serde_json::from_str(r#"{"encoding":"utf-8","delimiter":";","rows":3}"#)
            .expect("old report");
    assert_eq!(
        (r.rows, r.rows_read, r.projected, r.subset),
        (3, 0, None, None)
    );
}

use loupe::core::ingest::estimate;

/// 200,000 rows: a code with 100 repeated values, a unique identifier, an integer and an amount
/// with a decimal comma.
fn estimate_text(rows: usize) -> String {
    let mut s = String::from("code;identifiant;quantite;montant\n");
    for i in 0..rows {
        s.push_str(&format!(
            "C{:03};ID-{:08};{};{},{:02}\n",
            i * 37 % 100,
            i,
            i * 13 % 100_000,
            i * 7 % 10_000,
            i % 100
        ));
    }
    s
}

fn within(estimated: u64, real: usize, what: &str) {
    let real = real as f64;
    let ratio = estimated as f64 / real;
    assert!(
        (0.7..=1.3).contains(&ratio),
        "{what}: estimated {estimated} for {real} real bytes (x{ratio:.2})"
    );
}

#[test]
fn memory_estimate_from_the_first_megabyte_is_within_30_percent() {
    let text = estimate_text(200_000);
    let bytes = text.as_bytes();
    let head = &bytes[..1 << 20];
    let opts = IngestOptions::default();
    let e = estimate(head, bytes.len() as u64, &opts).expect("estimates");
    let full = read(bytes, &opts).expect("reads");
    assert_eq!(full.rows, 200_000);
    // Rows: the lines are of nearly equal length, so the byte rule is close.
    let rows_ratio = e.rows as f64 / 200_000.0;
    assert!((0.95..=1.05).contains(&rows_ratio), "rows {}", e.rows);
    assert_eq!(e.rows_in_file, e.rows);
    within(e.dataset_bytes, full.heap_bytes(), "whole load");
    // The peak adds only what loading needs on top.
    assert!(e.bytes >= e.dataset_bytes + e.buffer_bytes);
    within(e.bytes - e.buffer_bytes, full.heap_bytes() * 5 / 4, "peak");
    let names: Vec<&str> = e.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["code", "identifiant", "quantite", "montant"]);
    let kinds: Vec<&str> = e.columns.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, ["text", "text", "integer", "decimal"]);
    assert!(e.columns[0].dictionary && !e.columns[1].dictionary);
    assert_eq!(e.columns[0].distinct, 100);
    let d = e.columns[1].distinct as f64 / 200_000.0;
    assert!(
        (0.95..=1.05).contains(&d),
        "distinct identifiers {}",
        e.columns[1].distinct
    );
    for c in &e.columns {
        within(
            c.bytes,
            full.column(&c.name).expect("column").heap_bytes(),
            &c.name,
        );
    }
    assert_eq!(e.for_columns(&names), e.bytes);
    assert_eq!(e.for_sample(1), e.bytes);

    // Projections: the estimate of each choice against a real projected load.
    for cols in [
        vec!["code", "montant"],
        vec!["identifiant"],
        vec!["quantite", "montant", "code"],
    ] {
        let projected = read(bytes, &opts_with_columns(&cols)).expect("reads");
        let peak = e.for_columns(&cols) - e.buffer_bytes;
        let held: u64 = e
            .columns
            .iter()
            .filter(|c| cols.contains(&c.name.as_str()))
            .map(|c| c.bytes)
            .sum();
        within(held, projected.heap_bytes(), &format!("{cols:?}"));
        assert!(peak >= held, "{cols:?}");
        within(
            peak,
            projected.heap_bytes() * 5 / 4,
            &format!("{cols:?} peak"),
        );
        // The same projection asked through the options.
        let asked = estimate(head, bytes.len() as u64, &opts_with_columns(&cols)).expect("ok");
        assert_eq!(asked.bytes, e.for_columns(&cols));
        assert_eq!(asked.dataset_bytes, held);
    }

    // A sample of one row in 10, against a real sampled load.
    let sample_opts = IngestOptions {
        sample_every: Some(10),
        ..IngestOptions::default()
    };
    let sampled = read(bytes, &sample_opts).expect("reads");
    assert_eq!(sampled.rows, 20_000);
    within(
        e.for_sample(10) - e.buffer_bytes,
        sampled.heap_bytes() * 5 / 4,
        "sample 1/10",
    );
    let asked = estimate(head, bytes.len() as u64, &sample_opts).expect("estimates");
    assert_eq!(asked.rows, e.rows.div_ceil(10));
    within(
        asked.dataset_bytes,
        sampled.heap_bytes(),
        "sample 1/10 held",
    );

    // A row filter: its share of the head is applied to the whole file.
    let filtered_opts = IngestOptions {
        row_filter: Some(RowFilter {
            column: "code".into(),
            op: RowOp::StartsWith,
            value: "C00".into(),
        }),
        ..IngestOptions::default()
    };
    let filtered = read(bytes, &filtered_opts).expect("reads");
    assert_eq!(
        filtered.rows, 20_000,
        "C000..C009: one code in ten starts with C00"
    );
    let asked = estimate(head, bytes.len() as u64, &filtered_opts).expect("estimates");
    let r = asked.rows as f64 / 20_000.0;
    assert!((0.9..=1.1).contains(&r), "filtered rows {}", asked.rows);
    within(asked.dataset_bytes, filtered.heap_bytes(), "filtered held");

    // A head that is the whole file: exact row count.
    let small = estimate_text(1_000);
    let e = estimate(small.as_bytes(), small.len() as u64, &opts).expect("estimates");
    assert_eq!((e.rows, e.rows_in_file), (1_000, 1_000));
}

#[test]
fn memory_estimate_reads_non_utf8_heads_like_the_loader() {
    let text = french_text(20_000);
    let latin = cp1252(&text);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    for (what, bytes) in [("windows-1252", latin), ("utf-16le", utf16)] {
        let e = estimate(
            &bytes[..200_001],
            bytes.len() as u64,
            &IngestOptions::default(),
        )
        .unwrap_or_else(|err| panic!("{what}: {err}"));
        let r = e.rows as f64 / 20_000.0;
        assert!((0.95..=1.05).contains(&r), "{what}: rows {}", e.rows);
        let full = read(&bytes, &IngestOptions::default()).expect("reads");
        let kinds: Vec<&str> = e.columns.iter().map(|c| c.kind.as_str()).collect();
        let real: Vec<&str> = full
            .columns
            .iter()
            .map(|c| c.column_type().as_str())
            .collect();
        assert_eq!(kinds, real, "{what}");
        assert_eq!(kinds[3], "decimal", "{what}");
        for name in ["commune", "libellé", "montant"] {
            let real = full.column(name).expect("column").heap_bytes();
            let est = e
                .columns
                .iter()
                .find(|c| c.name == name)
                .expect("estimated");
            within(est.bytes, real, &format!("{what} {name}"));
        }
    }
}
