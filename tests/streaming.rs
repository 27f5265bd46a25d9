//! Streamed ingest (`Loader::from_source`, the browser path that never copies the whole file
//! into WebAssembly memory) gives exactly the dataset of the in-memory path (`read`), whatever
//! the window size: records, quotes and multi-byte characters cut at every position.

use loupe::core::ingest::{read, IngestOptions, Loader};

fn streamed(bytes: &[u8], opts: &IngestOptions, window: usize) -> loupe::core::Dataset {
    Loader::from_source_in_windows(Box::new(bytes.to_vec()), opts.clone(), window)
        .and_then(Loader::finish)
        .unwrap_or_else(|e| panic!("streamed load failed: {e}"))
}

fn same_as_in_memory(name: &str, bytes: &[u8], opts: &IngestOptions, windows: &[usize]) {
    let whole = read(bytes, opts).unwrap_or_else(|e| panic!("{name}: {e}"));
    for &w in windows {
        let ds = streamed(bytes, opts, w);
        // Sniffing sees only the first window: compare with a window that holds the sample.
        assert_eq!(ds.rows, whole.rows, "{name} window {w}: rows");
        assert_eq!(ds.columns, whole.columns, "{name} window {w}: columns");
        assert_eq!(ds.report, whole.report, "{name} window {w}: report");
    }
}

#[test]
fn fixtures_stream_like_in_memory() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures dir") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("fixture");
        let name = path.display().to_string();
        if read(&bytes, &IngestOptions::default()).is_err() {
            continue;
        }
        same_as_in_memory(&name, &bytes, &IngestOptions::default(), &[1 << 20]);
        n += 1;
    }
    assert!(n >= 10, "only {n} fixtures read");
}

/// A file large enough that the data spans many windows, with quotes, embedded delimiters,
/// newlines inside quotes, accents and a column that falls back to text late.
fn big_file(rows: usize, sep: char, dec: char) -> Vec<u8> {
    let mut s = format!("id{sep}région{sep}montant{sep}libellé{sep}code\n");
    for i in 0..rows {
        let code = if i > rows / 2 && i % 10 == 0 {
            "2A".to_string()
        } else {
            format!("{}", i % 97)
        };
        s.push_str(&format!(
            "{i}{sep}Île-de-France é{}{sep}{}{dec}{:02}{sep}\"Facture {i}{sep} \"\"ligne\"\"\nsuite ü\"{sep}{code}\n",
            i % 7,
            i * 3,
            i % 100
        ));
    }
    s.into_bytes()
}

#[test]
fn windows_cut_records_and_characters_anywhere() {
    let std_file = big_file(3000, ',', '.');
    let fr_file = big_file(3000, ';', ',');
    let opts = IngestOptions::default();
    // The sniffer needs whole lines of the first window: 64 KiB covers it; then cut the
    // rest with odd window sizes.
    for bytes in [&std_file, &fr_file] {
        same_as_in_memory("big", bytes, &opts, &[65_536 + 1, 70_001, 100_003, 1 << 22]);
    }
    let forced = IngestOptions {
        delimiter: Some(";".into()),
        decimal: Some(",".into()),
        header: Some(true),
        ..IngestOptions::default()
    };
    same_as_in_memory("fr forced", &fr_file, &forced, &[7, 13, 64, 1001]);
}

#[test]
fn not_utf8_after_the_first_window_restarts_as_windows_1252() {
    let mut bytes = b"nom,ville\n".to_vec();
    for i in 0..2000 {
        bytes.extend_from_slice(format!("n{i},Paris\n").as_bytes());
    }
    bytes.extend_from_slice(b"Andr\xe9,B\xe9ziers\n");
    let whole = read(&bytes, &IngestOptions::default()).expect("reads");
    assert_eq!(whole.report.encoding, "windows-1252");
    let ds = streamed(&bytes, &IngestOptions::default(), 4096);
    assert_eq!(ds.columns, whole.columns);
    assert_eq!(ds.report, whole.report);
}

#[test]
fn bom_and_lossy_utf8_are_reported_like_in_memory() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(b"a;b\n1;x\n");
    for i in 0..500 {
        bytes.extend_from_slice(format!("{i};café\n").as_bytes());
    }
    bytes.extend_from_slice(b"7;bad \xff byte\n");
    let whole = read(&bytes, &IngestOptions::default()).expect("reads");
    let ds = streamed(&bytes, &IngestOptions::default(), 1000);
    assert_eq!(ds.columns, whole.columns);
    assert_eq!(ds.report.bom, whole.report.bom);
    assert_eq!(ds.report.encoding, whole.report.encoding);
    let mut a = ds.report.warnings.clone();
    let mut b = whole.report.warnings.clone();
    a.sort_by(|x, y| x.message.cmp(&y.message));
    b.sort_by(|x, y| x.message.cmp(&y.message));
    assert_eq!(a, b);
}
