//! Fuzz target: any bytes, read whole and incrementally, must never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loupe::core::ingest::{read, IngestOptions, Loader};

fuzz_target!(|data: &[u8]| {
    let _ = read(data, &IngestOptions::default());
    if let Ok(mut l) = Loader::new(
        data.to_vec(),
        IngestOptions {
            delimiter: Some(";".into()),
            ..IngestOptions::default()
        },
    ) {
        while !l.is_done() {
            l.step(7);
        }
        let _ = l.finish();
    }
});
