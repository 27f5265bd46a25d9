//! Files beyond 4 GiB: positions and lengths are `u64` (a WebAssembly `usize` is 32 bits), so
//! a 5 GB source streams through the loader with its true size in the progress and report.
//! The source is computed from the offset, never allocated; only its first windows are read.
//! Expected values are written by hand.

use loupe::core::ingest::{IngestOptions, Loader, Progress, Source};

/// 5 GB of 16-byte lines computed from the offset: `identifiant;nom\n`, then
/// `000000000;abcde\n`, `000000001;abcde\n`... (5_000_000_000 = 16 x 312_500_000).
struct Lines;

const LEN: u64 = 5_000_000_000;

impl Source for Lines {
    fn len(&self) -> u64 {
        LEN
    }
    fn read_at(&self, offset: u64, out: &mut [u8]) {
        for (i, b) in out.iter_mut().enumerate() {
            let pos = offset + i as u64;
            let (line, col) = (pos / 16, (pos % 16) as usize);
            *b = if pos >= LEN {
                0
            } else if line == 0 {
                b"identifiant;nom\n"[col]
            } else {
                match col {
                    0..=8 => format!("{:09}", line - 1).as_bytes()[col],
                    9 => b';',
                    15 => b'\n',
                    _ => b"abcde"[col - 10],
                }
            };
        }
    }
}

#[test]
fn a_5_gb_source_streams_with_its_true_size() {
    // One row in 1000 kept, so that the builders sized from the file's length stay small.
    let opts = IngestOptions {
        sample_every: Some(1000),
        ..IngestOptions::default()
    };
    let mut loader = match Loader::from_source_in_windows(Box::new(Lines), opts, 1 << 16) {
        Ok(l) => l,
        Err(e) => panic!("load failed: {e}"),
    };
    assert_eq!(
        loader.progress(),
        Progress {
            bytes_done: 16,
            bytes_total: 5_000_000_000,
            rows: 0
        }
    );
    // A step of 1 MiB reads 65_536 lines of 16 bytes after the header; rows 0, 1000, ...,
    // 65_000 are kept (66).
    assert_eq!(
        loader.step(1 << 20),
        Progress {
            bytes_done: 1_048_592,
            bytes_total: 5_000_000_000,
            rows: 66
        }
    );
    // Two more: 196_608 lines read, rows 0, 1000, ..., 196_000 kept (197).
    loader.step(1 << 20);
    assert_eq!(
        loader.step(1 << 20),
        Progress {
            bytes_done: 3_145_744,
            bytes_total: 5_000_000_000,
            rows: 197
        }
    );
    assert!(!loader.is_done());
}
