//! Parallel-load costs, measured one part after another on one core: the time of each part's
//! parse, of encoding a part and of appending it, against a whole load of the same file.
//!
//! `cargo run --release --example bench_parts -- FILE [PARTS]`

use std::time::Instant;

use loupe::core::ingest::{IngestOptions, Loader};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("a CSV file");
    let parts: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2);
    let bytes = std::fs::read(&path).expect("readable file");
    let n = bytes.len() as u64;
    let opts = IngestOptions::default();
    let window = 4 << 20;

    let t = Instant::now();
    let whole = Loader::from_source_in_windows(Box::new(bytes.clone()), opts.clone(), window)
        .and_then(Loader::finish)
        .expect("loads");
    let whole_ms = t.elapsed().as_secs_f64() * 1e3;

    let cuts: Vec<u64> = (1..parts).map(|i| n * i / parts).collect();
    let ends: Vec<u64> = cuts.iter().copied().chain([u64::MAX]).collect();
    let t = Instant::now();
    let mut first = Loader::from_source_in_windows(Box::new(bytes.clone()), opts.clone(), window)
        .expect("opens");
    first.stop_at(ends[0]);
    while !first.is_done() {
        first.step(1 << 20);
    }
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    let mut encoded = Vec::new();
    for k in 0..cuts.len() {
        let t = Instant::now();
        let mut part =
            Loader::from_source_in_windows(Box::new(bytes.clone()), opts.clone(), window)
                .expect("opens");
        part.start_part(cuts[k], ends[k + 1]).expect("splits");
        let out = part.encode_part();
        println!(
            "part {}: parse + encode {:.0} ms, {:.1} MB encoded",
            k + 1,
            t.elapsed().as_secs_f64() * 1e3,
            out.len() as f64 / 1e6
        );
        encoded.push(out);
    }
    let t = Instant::now();
    for (k, e) in encoded.iter().enumerate() {
        let ok = first
            .absorb(&mut e.as_slice(), ends[k + 1])
            .expect("appends");
        assert!(ok, "part {} appended", k + 1);
    }
    let absorb_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let ds = first.finish().expect("finishes");
    let finish_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(ds, whole, "parts equal the whole load");
    println!(
        "{path}: {} rows; whole {whole_ms:.0} ms; first part {first_ms:.0} ms, append {absorb_ms:.0} ms, finish {finish_ms:.0} ms",
        ds.rows
    );
}
