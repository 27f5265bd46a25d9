//! Bytes of a source read ahead of the loader: chunks that arrive in order from one stream (a
//! browser `Blob` stream) and serve [`super::Source::read_at`] when they cover the range
//! asked, so that a file is read by one stream rather than by one synchronous read per window
//! (in Chromium, `FileReaderSync` reads a `Blob` 3-5x slower than its stream).
//!
//! What must stay true: a read is served only when the chunks cover all of it (the caller
//! reads anything else another way, and [`ReadAhead::note_read`] says so); chunks are
//! contiguous from `lo` to `hi`; chunks wholly before a read are dropped, so at most the
//! ranges still to be read plus what the stream is asked ahead are held.

use std::collections::VecDeque;

/// A piece of the stream (a JavaScript `Uint8Array` in the browser, bytes in tests).
pub trait Chunk {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Copies the chunk's bytes `from..from + out.len()` into `out` (the caller stays in
    /// range).
    fn copy_to(&self, from: usize, out: &mut [u8]);
}

impl Chunk for Vec<u8> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }
    fn copy_to(&self, from: usize, out: &mut [u8]) {
        if let Some(src) = self.get(from..from + out.len()) {
            out.copy_from_slice(src);
        }
    }
}

/// The chunks a stream gave, from source offset `lo` to `hi`, and how far the reads went.
pub struct ReadAhead<C> {
    chunks: VecDeque<C>,
    lo: u64,
    hi: u64,
    /// End of the last range read (by these chunks or otherwise): where the next read is
    /// expected to start.
    read_end: u64,
}

impl<C: Chunk> ReadAhead<C> {
    /// No chunks; the stream will start at `at`.
    pub fn new(at: u64) -> Self {
        ReadAhead {
            chunks: VecDeque::new(),
            lo: at,
            hi: at,
            read_end: 0,
        }
    }

    /// Drops every chunk: the stream starts again at `at`.
    pub fn restart(&mut self, at: u64) {
        self.chunks.clear();
        self.lo = at;
        self.hi = at;
    }

    /// The next chunk of the stream (it starts at [`Self::end`]).
    pub fn push(&mut self, chunk: C) {
        if chunk.is_empty() {
            return;
        }
        self.hi += chunk.len() as u64;
        self.chunks.push_back(chunk);
    }

    /// Source offset just past the bytes held: where the stream goes on.
    pub fn end(&self) -> u64 {
        self.hi
    }

    /// End of the last range read.
    pub fn read_end(&self) -> u64 {
        self.read_end
    }

    /// Whether the stream, going on from [`Self::end`], leads to the next read: the last read
    /// ended within the bytes held (or just past them).
    pub fn in_step(&self) -> bool {
        (self.lo..=self.hi).contains(&self.read_end)
    }

    /// Bytes held past the end of the reads so far.
    pub fn ahead(&self) -> u64 {
        self.hi.saturating_sub(self.read_end)
    }

    /// Records a range read some other way (a read the chunks did not cover).
    pub fn note_read(&mut self, end: u64) {
        self.read_end = end;
    }

    /// Copies the bytes at `offset..offset + out.len()` into `out` when the chunks hold all of
    /// them (then drops the chunks that end at or before `offset`); `false`, and `out`
    /// untouched, when they do not.
    pub fn read(&mut self, offset: u64, out: &mut [u8]) -> bool {
        let end = offset.saturating_add(out.len() as u64);
        if offset < self.lo || end > self.hi {
            return false;
        }
        while let Some(first) = self.chunks.front() {
            let first_end = self.lo + first.len() as u64;
            if first_end > offset {
                break;
            }
            self.lo = first_end;
            self.chunks.pop_front();
        }
        let mut at = self.lo;
        let mut written = 0;
        for c in &self.chunks {
            if written == out.len() {
                break;
            }
            let c_end = at + c.len() as u64;
            let pos = offset + written as u64;
            if pos < c_end {
                // Within this chunk: offsets fit `usize` (a chunk is in memory).
                let from = (pos - at) as usize;
                let n = (c.len() - from).min(out.len() - written);
                c.copy_to(from, &mut out[written..written + n]);
                written += n;
            }
            at = c_end;
        }
        self.note_read(end);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    /// Pushes `bytes[from..]` cut into chunks of the given sizes (cycled).
    fn push_all(ra: &mut ReadAhead<Vec<u8>>, bytes: &[u8], from: usize, sizes: &[usize]) {
        let mut at = from;
        let mut k = 0;
        while at < bytes.len() {
            let n = sizes[k % sizes.len()].max(1).min(bytes.len() - at);
            ra.push(bytes[at..at + n].to_vec());
            at += n;
            k += 1;
        }
    }

    #[test]
    fn a_read_across_three_chunks_copies_each_part() {
        let bytes = text(30);
        let mut ra = ReadAhead::new(0);
        push_all(&mut ra, &bytes, 0, &[10]);
        let mut out = [0u8; 15];
        assert!(ra.read(8, &mut out));
        assert_eq!(&out[..], &bytes[8..23]);
        assert_eq!(ra.read_end(), 23);
        // The first chunk (0..10) ends after 8: still held, so 9..12 is served again.
        let mut again = [0u8; 3];
        assert!(ra.read(9, &mut again));
        assert_eq!(&again[..], &bytes[9..12]);
    }

    #[test]
    fn a_range_not_held_is_refused_and_left_alone() {
        let bytes = text(30);
        let mut ra = ReadAhead::new(10);
        push_all(&mut ra, &bytes, 10, &[7]);
        let mut out = [9u8; 5];
        assert!(!ra.read(8, &mut out), "starts before the chunks");
        assert!(!ra.read(27, &mut out), "ends after them");
        assert_eq!(out, [9u8; 5]);
        assert!(ra.read(25, &mut out));
        assert_eq!(&out[..], &bytes[25..30]);
    }

    #[test]
    fn chunks_before_a_read_are_dropped() {
        let bytes = text(100);
        let mut ra = ReadAhead::new(0);
        push_all(&mut ra, &bytes, 0, &[10]);
        let mut out = [0u8; 10];
        assert!(ra.read(50, &mut out));
        // 0..50 is gone: five chunks of ten ended at or before 50.
        assert!(!ra.read(49, &mut [0u8; 1]));
        assert!(ra.read(50, &mut out));
        assert_eq!(ra.ahead(), 40);
    }

    #[test]
    fn a_restart_holds_nothing_until_the_stream_gives_more() {
        let bytes = text(50);
        let mut ra = ReadAhead::new(0);
        push_all(&mut ra, &bytes, 0, &[16]);
        ra.note_read(40);
        ra.restart(40);
        assert!(ra.in_step());
        assert!(!ra.read(40, &mut [0u8; 1]));
        push_all(&mut ra, &bytes, 40, &[3]);
        let mut out = [0u8; 10];
        assert!(ra.read(40, &mut out));
        assert_eq!(&out[..], &bytes[40..50]);
    }

    #[test]
    fn a_read_back_before_the_chunks_is_out_of_step() {
        let bytes = text(50);
        let mut ra = ReadAhead::new(0);
        ra.note_read(20);
        ra.restart(20);
        push_all(&mut ra, &bytes, 20, &[10]);
        assert!(ra.read(20, &mut [0u8; 10]));
        assert!(ra.in_step());
        // The loader starts again from the top (a file found not to be UTF-8).
        assert!(!ra.read(0, &mut [0u8; 10]));
        ra.note_read(10);
        assert!(!ra.in_step(), "the stream must start again at 10");
    }

    #[test]
    fn a_read_far_past_the_chunks_is_out_of_step() {
        let mut ra: ReadAhead<Vec<u8>> = ReadAhead::new(0);
        ra.push(vec![1; 10]);
        ra.note_read(4);
        assert!(ra.in_step());
        ra.note_read(11);
        assert!(
            !ra.in_step(),
            "the stream would not reach the next read in order"
        );
    }

    proptest! {
        /// Windows read in order (each starting at or a little before the last one's end, as
        /// the loader does when a character is cut), with chunks of random sizes pushed just
        /// in time: every read is served and equals the source's bytes.
        #[test]
        fn windows_read_in_order_equal_the_source(
            len in 1usize..5000,
            sizes in proptest::collection::vec(1usize..700, 1..8),
            window in 1usize..900,
            backs in proptest::collection::vec(0usize..4, 1..8),
        ) {
            let bytes = text(len);
            let mut ra = ReadAhead::new(0);
            // The chunks, in order, pushed only when the next read needs them.
            let mut chunks = Vec::new();
            let mut at = 0;
            let mut k = 0;
            while at < len {
                let n = sizes[k % sizes.len()].min(len - at);
                chunks.push(bytes[at..at + n].to_vec());
                at += n;
                k += 1;
            }
            let mut next_chunk = chunks.into_iter();
            let mut pos = 0usize;
            let mut k = 0;
            while pos < len {
                let n = window.min(len - pos);
                while ra.end() < (pos + n) as u64 {
                    let c = next_chunk.next().expect("chunks reach the end");
                    ra.push(c);
                }
                let mut out = vec![0u8; n];
                prop_assert!(ra.read(pos as u64, &mut out));
                prop_assert_eq!(&out[..], &bytes[pos..pos + n]);
                prop_assert!(ra.in_step());
                let back = backs[k % backs.len()].min(n - 1);
                pos += n - back;
                k += 1;
            }
        }
    }
}
