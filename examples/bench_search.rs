//! Times a text search over every text column (`contains`, accents and case folded) on a CSV
//! file: the filter a search box runs.
//!
//! `cargo run --release --example bench_search -- FILE [WORD]`

use std::time::Instant;

use loupe::core::ingest::{IngestOptions, Loader};
use loupe::core::query::{select, Filter};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("a CSV file");
    let word = args.next().unwrap_or_else(|| "bretagne".into());
    let bytes = std::fs::read(&path).expect("readable file");
    let ds = Loader::from_source_in_windows(Box::new(bytes), IngestOptions::default(), 4 << 20)
        .and_then(Loader::finish)
        .expect("loads");
    let f = Filter::Contains {
        column: None,
        value: word.clone(),
    };
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..3 {
        let t = Instant::now();
        n = select(&ds, std::slice::from_ref(&f)).expect("runs").len();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{path}: {} rows, search {word:?}: {n} rows in {:.0} ms (best of 3; {:?})",
        ds.rows,
        times[0],
        times.iter().map(|t| t.round()).collect::<Vec<_>>()
    );
}
