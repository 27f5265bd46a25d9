//! Times only the opening of a load (sniffing the dialect, reading the type-inference sample,
//! sizing the builders): `cargo run --release --example bench_open -- FILE`.

use std::time::Instant;

use loupe::core::ingest::{IngestOptions, Loader};

fn main() {
    let path = std::env::args().nth(1).expect("a CSV file");
    let bytes = std::fs::read(&path).expect("readable file");
    for _ in 0..5 {
        let src = Box::new(bytes.clone());
        let t = Instant::now();
        let loader = Loader::from_source(src, IngestOptions::default()).expect("opens");
        println!("open {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(loader.progress());
    }
}
