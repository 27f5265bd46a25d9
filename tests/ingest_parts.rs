//! Parallel loads (`core::ingest::parts`): a text cut into parts, each read by its own loader
//! and appended in order, must give exactly the dataset one loader gives for the whole text —
//! on every real file of the fixtures and the conformance corpora, at many cut points, and on
//! files made to stress the seams (types promoted in one part only, a code met in a later
//! part, ragged rows and their line numbers, quoted line breaks across a cut, CRLF, BOM,
//! Windows-1252). The oracle is the sequential loader, tested on its own elsewhere.

use std::path::{Path, PathBuf};

use loupe::core::ingest::parts::read_in_parts;
use loupe::core::ingest::{IngestOptions, Loader, Source};
use loupe::core::Dataset;

fn whole(bytes: &[u8], opts: &IngestOptions) -> Result<Dataset, String> {
    Loader::from_source_in_windows(Box::new(bytes.to_vec()), opts.clone(), 4096)
        .and_then(Loader::finish)
        .map_err(|e| e.to_string())
}

fn parts(bytes: &[u8], opts: &IngestOptions, cuts: &[u64]) -> Result<(Dataset, usize), String> {
    let b = bytes.to_vec();
    read_in_parts(|| Box::new(b.clone()) as Box<dyn Source>, opts, cuts, 4096)
        .map_err(|e| e.to_string())
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("csv" | "txt" | "tsv")
        ) {
            out.push(p);
        }
    }
}

/// Same dataset, or the same error.
fn check(name: &str, bytes: &[u8], opts: &IngestOptions, cuts: &[u64]) -> usize {
    let a = whole(bytes, opts);
    let b = parts(bytes, opts, cuts);
    match (&a, &b) {
        (Ok(a), Ok((b, appended))) => {
            assert_eq!(a.rows, b.rows, "{name} cut at {cuts:?}: rows");
            assert_eq!(a.report, b.report, "{name} cut at {cuts:?}: report");
            for (x, y) in a.columns.iter().zip(&b.columns) {
                assert_eq!(x, y, "{name} cut at {cuts:?}: column {}", x.name);
            }
            assert_eq!(a, b, "{name} cut at {cuts:?}");
            *appended
        }
        (Err(x), Err(y)) => {
            assert_eq!(x, y, "{name}: errors differ");
            0
        }
        _ => panic!(
            "{name} cut at {cuts:?}: whole {:?} vs parts {:?}",
            a.as_ref().err(),
            b.as_ref().err()
        ),
    }
}

#[test]
fn every_fixture_and_conformance_file_reads_the_same_in_parts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut all = Vec::new();
    files(&root.join("data"), &mut all);
    files(&root.join("conformance"), &mut all);
    files(&root.join("fixtures"), &mut all);
    all.sort();
    assert!(all.len() > 100, "found {} files", all.len());
    let (mut checked, mut appended) = (0, 0);
    for p in &all {
        let bytes = std::fs::read(p).expect("fixture readable");
        let n = bytes.len() as u64;
        if n < 8 {
            continue;
        }
        let name = p.display().to_string();
        let opts = IngestOptions::default();
        for cuts in [
            vec![n / 2],
            vec![n / 3, 2 * n / 3],
            vec![n / 5, n / 4, n / 2, 3 * n / 4],
            vec![7, n - 3],
        ] {
            let mut cuts = cuts;
            cuts.retain(|&c| c > 0 && c < n);
            cuts.dedup();
            appended += check(&name, &bytes, &opts, &cuts);
            checked += 1;
        }
    }
    assert!(checked > 400, "{checked} cut sets");
    // The parallel path itself ran (not only the fallback that reads a range again).
    assert!(
        appended > 200,
        "only {appended} parts appended of {checked} cut sets"
    );
}

/// A generated file: `n` rows; `f(i)` gives the row's cells.
fn gen(header: &str, n: usize, f: impl Fn(usize) -> String, eol: &str) -> Vec<u8> {
    let mut s = String::from(header);
    s.push_str(eol);
    for i in 0..n {
        s.push_str(&f(i));
        s.push_str(eol);
    }
    s.into_bytes()
}

fn cuts_every(len: usize, k: usize) -> Vec<u64> {
    (1..k).map(|i| (len * i / k) as u64).collect()
}

#[test]
fn promotions_met_in_one_part_only_end_in_the_wider_kind() {
    // Integers, then decimals with 1 then 3 digits, then an exponent (float) near the end.
    let bytes = gen(
        "n;montant;taux;code",
        6000,
        |i| {
            let m = if i < 3000 {
                format!("{i}")
            } else if i < 4500 {
                format!("{i},5")
            } else {
                format!("{i},125")
            };
            let t = if i == 5900 {
                "1e3".to_string()
            } else {
                format!("{}", i % 7)
            };
            let code = if i == 5000 {
                "01".to_string()
            } else {
                format!("{}", 10 + i % 80)
            };
            format!("{i};{m};{t};{code}")
        },
        "\n",
    );
    for k in 2..=5 {
        let cuts = cuts_every(bytes.len(), k);
        let appended = check("promotions", &bytes, &IngestOptions::default(), &cuts);
        assert_eq!(appended, k - 1, "every part appended");
    }
    let ds = whole(&bytes, &IngestOptions::default()).expect("loads");
    let types: Vec<&str> = ds
        .columns
        .iter()
        .map(|c| c.column_type().as_str())
        .collect();
    // Written by hand from the generator above: a code `01` makes `code` text.
    assert_eq!(types, ["integer", "decimal", "float", "text"]);
}

#[test]
fn ragged_rows_keep_their_line_numbers_across_parts() {
    let bytes = gen(
        "a,b,c",
        3000,
        |i| {
            if i % 997 == 0 {
                format!("{i},x")
            } else {
                format!("{i},x,y")
            }
        },
        "\r\n",
    );
    for k in 2..=4 {
        let cuts = cuts_every(bytes.len(), k);
        assert_eq!(
            check("ragged", &bytes, &IngestOptions::default(), &cuts),
            k - 1
        );
    }
    let (ds, _) = parts(
        &bytes,
        &IngestOptions::default(),
        &cuts_every(bytes.len(), 3),
    )
    .expect("loads");
    let rows: Vec<Option<usize>> = ds.report.warnings.iter().map(|w| w.row).collect();
    // Rows 0, 997, 1994 and 2991 are short: four warnings, 997 lines apart after the first
    // (their numbering is the whole load's, compared by `check`).
    assert_eq!(rows.len(), 4);
    let r: Vec<usize> = rows.iter().map(|r| r.unwrap_or(0)).collect();
    assert_eq!((r[2] - r[1], r[3] - r[2]), (997, 997));
    assert_eq!(ds.report.ragged_rows, 4);
}

#[test]
fn a_quoted_line_break_across_a_cut_is_read_again_not_misread() {
    let bytes = gen(
        "id,texte",
        2000,
        |i| format!("{i},\"ligne un\nligne deux, {i}\""),
        "\n",
    );
    let n = bytes.len();
    // Cut points inside quoted fields (just after a line break inside quotes, and elsewhere).
    let mut cuts_in_quotes = Vec::new();
    let mut at = n / 2;
    while cuts_in_quotes.is_empty() {
        if bytes[at - 1] == b'\n' && bytes[at - 2] == b'n' {
            cuts_in_quotes.push(at as u64);
        }
        at += 1;
    }
    for cuts in [
        cuts_in_quotes,
        cuts_every(n, 2),
        cuts_every(n, 3),
        cuts_every(n, 7),
    ] {
        check("quoted breaks", &bytes, &IngestOptions::default(), &cuts);
    }
    let (ds, _) = parts(&bytes, &IngestOptions::default(), &cuts_every(n, 3)).expect("loads");
    assert_eq!(ds.rows, 2000);
}

#[test]
fn bom_blank_lines_filters_projection_and_samples() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(gen(
        "dep;nom;pop",
        4000,
        |i| {
            if i % 500 == 250 {
                String::new()
            } else {
                format!("{:02};Nom {};{}", i % 95 + 1, i % 300, i)
            }
        },
        "\n",
    ));
    let cuts = cuts_every(bytes.len(), 3);
    let plain = IngestOptions::default();
    check("bom", &bytes, &plain, &cuts);
    let filtered = IngestOptions {
        row_filter: Some(loupe::core::ingest::RowFilter {
            column: "dep".into(),
            op: loupe::core::ingest::RowOp::Equals,
            value: "09".into(),
        }),
        columns: Some(vec!["dep".into(), "pop".into()]),
        ..IngestOptions::default()
    };
    assert!(check("filter", &bytes, &filtered, &cuts) > 0);
    let sampled = IngestOptions {
        sample_every: Some(3),
        ..IngestOptions::default()
    };
    // A sample counts rows from the file's start: the parts are refused, the first reads on.
    assert_eq!(check("sample", &bytes, &sampled, &cuts), 0);
}

#[test]
fn windows_1252_is_read_by_the_first_part_alone() {
    let mut bytes = b"commune;montant\n".to_vec();
    for i in 0..3000 {
        bytes.extend_from_slice(
            format!("Saint-\u{e9}tienne {i};{i},5\n")
                .replace('\u{e9}', "\u{1}")
                .as_bytes(),
        );
    }
    // U+0001 stands for the Windows-1252 byte of « é » (0xE9), which is not UTF-8.
    for b in bytes.iter_mut() {
        if *b == 1 {
            *b = 0xE9;
        }
    }
    let cuts = cuts_every(bytes.len(), 3);
    assert_eq!(check("cp1252", &bytes, &IngestOptions::default(), &cuts), 0);
    let ds = whole(&bytes, &IngestOptions::default()).expect("loads");
    assert_eq!(ds.report.encoding, "windows-1252");
    assert_eq!(
        ds.columns[0].value(0).to_plain_string(),
        "Saint-\u{e9}tienne 0"
    );
}

#[test]
fn labels_kept_row_by_row_read_the_same_in_parts() {
    // A label unique per row but for a repeat every 7th row and a blank every 11th, next to a
    // code of 40 values: the label is kept row by row (no dictionary), the code is not.
    let label = |i: usize| -> String {
        if i % 11 == 5 {
            String::new()
        } else if i % 7 == 3 {
            "Facture récurrente".to_string()
        } else {
            format!("Facture {i} « Île-de-France »")
        }
    };
    let bytes = gen(
        "libelle;code;montant",
        5000,
        |i| format!("{};C{:02};{},{:02}", label(i), i % 40, i, i % 100),
        "\r\n",
    );
    for k in 2..=4 {
        let cuts = cuts_every(bytes.len(), k);
        assert_eq!(
            check("labels", &bytes, &IngestOptions::default(), &cuts),
            k - 1
        );
    }
    let ds = whole(&bytes, &IngestOptions::default()).expect("loads");
    let col = ds.column("libelle").expect("libelle");
    assert!(matches!(col.data, loupe::core::ColumnData::Strings(_)));
    assert!(matches!(
        ds.column("code").expect("code").data,
        loupe::core::ColumnData::Text { .. }
    ));
    for i in 0..5000 {
        let want = label(i);
        assert_eq!(
            col.text(i),
            (!want.is_empty()).then_some(want.as_str()),
            "row {i}"
        );
    }
    // Its encoding (built for grouping) counts the distinct values the generator made.
    let distinct = (0..5000)
        .map(label)
        .filter(|s| !s.is_empty())
        .collect::<std::collections::HashSet<_>>()
        .len();
    assert_eq!(col.data.text_codes().map(|(_, d)| d.len()), Some(distinct));
}

/// What a helper worker of an in-page load sees (`web/load/split.rs`): the file's head and its
/// range from one byte before the cut; the bytes between read as zeros. (Its head holds the
/// loader's 20,000-row type sample, as there in the common case: 8 MB, 400 bytes a row; a
/// wider file's helper part is refused and the page reads that range itself.)
struct HelperView {
    bytes: Vec<u8>,
    head: usize,
    tail: usize,
}

impl Source for HelperView {
    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read_at(&self, offset: u64, out: &mut [u8]) {
        for (i, b) in out.iter_mut().enumerate() {
            let at = offset as usize + i;
            *b = if at < self.head || (at >= self.tail && at < self.bytes.len()) {
                self.bytes[at]
            } else {
                0
            };
        }
    }
}

#[test]
fn a_helper_given_the_head_and_its_range_is_appended_wherever_the_cut_falls() {
    let bytes = gen(
        "libelle;code;montant",
        60_000,
        |i| {
            format!(
                "Facture {i} « Île-de-France »;C{:02};{},{:02}",
                i % 40,
                i,
                i % 100
            )
        },
        "\n",
    );
    let opts = IngestOptions::default();
    let reference = whole(&bytes, &opts).expect("loads");
    // Every cut over two whole lines: at a line start, inside a line, just after a break.
    let mid = bytes.len() * 6 / 10;
    let start = mid
        + bytes[mid..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("a line")
        + 1;
    let end = start
        + 2
        + bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("a line");
    let end = end
        + 1
        + bytes[end + 1..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("a line");
    for cut in start - 1..=end + 1 {
        let mut first = Loader::from_source_in_windows(Box::new(bytes.clone()), opts.clone(), 4096)
            .expect("opens");
        first.stop_at(cut as u64);
        let view = HelperView {
            bytes: bytes.clone(),
            head: (1 << 20).min(cut - 1),
            tail: cut - 1,
        };
        let mut part =
            Loader::from_source_in_windows(Box::new(view), opts.clone(), 4096).expect("opens");
        part.start_part(cut as u64, u64::MAX).expect("a part");
        let encoded = part.encode_part();
        while !first.is_done() {
            first.step(1 << 20);
        }
        let appended = first
            .absorb(&mut encoded.as_slice(), u64::MAX)
            .expect("absorbs");
        assert!(appended, "cut at {cut}: the helper's part was not appended");
        while !first.is_done() {
            first.step(1 << 20);
        }
        assert_eq!(first.finish().expect("finishes"), reference, "cut at {cut}");
    }
}

#[test]
fn labels_kept_row_by_row_stream_across_megabytes_in_parts() {
    // ~3.4 MB of labels: each part's text is read back in several 1 MB pieces.
    let bytes = gen(
        "libelle;n",
        60_000,
        |i| format!("Libellé numéro {i:08} d’une facture du marché public;{i}"),
        "\n",
    );
    for k in [2, 3] {
        let cuts = cuts_every(bytes.len(), k);
        assert_eq!(
            check("big labels", &bytes, &IngestOptions::default(), &cuts),
            k - 1
        );
    }
}
