//! Prints what ingest guessed about CSV files: `cargo run --example inspect -- FILE...`.

use loupe::core::ingest::{read, IngestOptions};

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let t = std::time::Instant::now();
        match read(&bytes, &IngestOptions::default()) {
            Ok(ds) => {
                let r = &ds.report;
                println!(
                    "{path}: {} rows, enc={} bom={} delim={:?} header_row={:?} dec={} ragged={} ({:?})",
                    ds.rows, r.encoding, r.bom, r.delimiter, r.header_row, r.decimal_separator,
                    r.ragged_rows, t.elapsed()
                );
                for c in &ds.columns {
                    println!(
                        "  {:40} {:9} {:14} invalid={} e.g. {:?}",
                        c.name,
                        c.column_type().as_str(),
                        c.key.map_or("", |k| k.as_str()),
                        c.invalid_count,
                        (0..ds.rows.min(200))
                            .map(|i| c.value(i))
                            .find(|v| !v.is_null())
                            .map(|v| v.to_plain_string())
                    );
                }
                for w in r.warnings.iter().take(5) {
                    println!("  ! {:?} {}", w.row, w.message);
                }
            }
            Err(e) => println!("{path}: ERROR {e}"),
        }
    }
}
