#![allow(unsafe_code)] // a counting global allocator needs it; the engine itself has none
//! Where a load's memory peaks: a counting allocator reports the bytes live and the high-water
//! mark while a file is read from disk by windows (as the worker reads a `File`), then once the
//! dataset is built. Native allocations stand in for the WebAssembly heap's.
//!
//! `cargo run --release --example mem_peak -- FILE`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use loupe::core::ingest::{IngestOptions, Loader, Source};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if q == p {
            // Resized in place: only the difference.
            if new >= l.size() {
                let now = LIVE.fetch_add(new - l.size(), Ordering::Relaxed) + new - l.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(l.size() - new, Ordering::Relaxed);
            }
        } else if !q.is_null() {
            // A moving realloc holds both blocks for a moment: count the new one first.
            let now = LIVE.fetch_add(new, Ordering::Relaxed) + new;
            PEAK.fetch_max(now, Ordering::Relaxed);
            LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        }
        q
    }
}

#[global_allocator]
static A: Counting = Counting;

struct FileSource(std::fs::File, u64);

impl Source for FileSource {
    fn len(&self) -> u64 {
        self.1
    }
    fn read_at(&self, offset: u64, out: &mut [u8]) {
        use std::os::unix::fs::FileExt;
        let _ = self.0.read_exact_at(out, offset);
    }
}

fn mb(b: usize) -> String {
    format!("{:.0} MB", b as f64 / 1e6)
}

fn main() {
    let path = std::env::args().nth(1).expect("a CSV file");
    let f = std::fs::File::open(&path).expect("readable");
    let len = f.metadata().expect("metadata").len();
    let mut loader = Loader::from_source_in_windows(
        Box::new(FileSource(f, len)),
        IngestOptions::default(),
        4 << 20,
    )
    .expect("opens");
    println!(
        "after init: live {}, peak {}",
        mb(LIVE.load(Ordering::Relaxed)),
        mb(PEAK.load(Ordering::Relaxed))
    );
    let mut next = 0.1;
    while !loader.is_done() {
        let p = loader.step(1 << 20);
        let done = p.bytes_done as f64 / len as f64;
        if done >= next {
            next += 0.1;
            println!(
                "{:>3.0} %: live {}, peak {}",
                done * 100.0,
                mb(LIVE.load(Ordering::Relaxed)),
                mb(PEAK.load(Ordering::Relaxed))
            );
        }
    }
    let ds = loader.finish().expect("finishes");
    println!(
        "dataset {} rows: live {} ({:.2}x the file), peak {} ({:.2}x)",
        ds.rows,
        mb(LIVE.load(Ordering::Relaxed)),
        LIVE.load(Ordering::Relaxed) as f64 / len as f64,
        mb(PEAK.load(Ordering::Relaxed)),
        PEAK.load(Ordering::Relaxed) as f64 / len as f64
    );
    for c in &ds.columns {
        println!("  {:16} {}", c.name, mb(c.heap_bytes()));
    }
}
