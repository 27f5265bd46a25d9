//! Times whole loads of one CSV file the way the browser reads it (4 MB windows), several
//! times, optionally with a column projection, and prints each column's share of the dataset.
//!
//! `cargo run --release --example bench_load -- FILE [REPS] [col1,col2,...]`

use std::time::Instant;

use loupe::core::ingest::{IngestOptions, Loader};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("a CSV file");
    let reps: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let columns: Option<Vec<String>> = args
        .next()
        .map(|c| c.split(',').map(str::to_string).collect());
    let bytes = std::fs::read(&path).expect("readable file");
    let opts = IngestOptions {
        columns,
        ..IngestOptions::default()
    };
    let mut times = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        let ds = Loader::from_source_in_windows(Box::new(bytes.clone()), opts.clone(), 4 << 20)
            .and_then(Loader::finish)
            .expect("loads");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(ds.rows);
    }
    times.sort_by(f64::total_cmp);
    let mb = bytes.len() as f64 / 1e6;
    let best = times[0];
    println!(
        "{path}: {mb:.0} MB, load ms {:?} (best {best:.0} ms, {:.0} MB/s)",
        times.iter().map(|t| t.round()).collect::<Vec<_>>(),
        mb / best * 1e3
    );
}
