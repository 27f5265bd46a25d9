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
    fn len(&self) -> usize {
        self.bytes.len()
    }
    fn read_at(&self, offset: usize, out: &mut [u8]) {
        self.max_read.set(self.max_read.get().max(out.len()));
        self.total_read.set(self.total_read.get() + out.len());
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
