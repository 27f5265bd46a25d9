//! Parallel loads: the data rows of one text cut into byte ranges, each parsed by its own
//! [`super::Loader`] (one per Web Worker), then appended, in order, to the first part's loader,
//! which finishes the dataset. The result equals a load of the whole text by one loader.
//!
//! How a part is made: every part's loader reads the same head of the text, so all of them
//! decide the same dialect, header and column types. Part `k > 0` is given a nominal range
//! `[from, to)` of text offsets; it starts at the first line that starts at or after `from`
//! (a guess: a line break may sit inside a quoted field) and reads records until its position
//! reaches `to` (so its last record may end past `to`). The first part reads from the data's
//! start to its own `to`. The part before ends exactly where the next one starts when the
//! guess was right; [`super::Loader::absorb`] checks that equality and refuses a part that
//! does not start where the loader stands, which then reads that range itself: a wrong guess
//! costs time, never correctness.
//!
//! What crosses between workers is [`encode`]d bytes: a JSON header ([`PartHeader`]), then
//! each column as the builder stores it (validity words, values, or a text column's codes and
//! dictionary), little-endian. Columns of a part may have been promoted differently (integer
//! in one part, decimal in another): appending promotes to the wider kind exactly as the
//! builder does. A part whose column met a code (`01` among `11`...`94`) or too many invalid
//! cells passes that on, and the whole column is read again as text at the end, as in a
//! sequential load.

use serde::{Deserialize, Serialize};

use super::IngestWarning;

/// Why a part could not be appended: the loader then reads its range itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartError(pub String);

impl std::fmt::Display for PartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Bytes of an encoded part, read in order (a slice natively, a JS buffer in a worker).
pub trait PartInput {
    /// Fills `out` from the next bytes, or fails when fewer are left.
    fn read_exact(&mut self, out: &mut [u8]) -> Result<(), PartError>;
}

impl PartInput for &[u8] {
    fn read_exact(&mut self, out: &mut [u8]) -> Result<(), PartError> {
        if self.len() < out.len() {
            return Err(PartError("part truncated".into()));
        }
        let (head, rest) = self.split_at(out.len());
        out.copy_from_slice(head);
        *self = rest;
        Ok(())
    }
}

/// What a part says about itself, besides its columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartHeader {
    /// Text offset of the part's first record, and just past its last one.
    pub start: u64,
    pub stop: u64,
    /// The part read to the end of the text.
    pub at_end: bool,
    /// Data rows kept and read.
    pub rows: usize,
    pub rows_read: usize,
    pub ragged_rows: usize,
    /// Line breaks the part's reader consumed (what later line numbers are shifted by).
    pub lines: usize,
    /// Its ragged-row warnings, with line numbers counted from the part's first line (the
    /// loader that appends the part shifts them).
    pub warnings: Vec<IngestWarning>,
    /// Number of columns encoded after the header.
    pub columns: usize,
    /// Set when the part is unusable (its text turned out not to be UTF-8, a read failed):
    /// the appending loader reads the range itself.
    pub unusable: Option<String>,
    /// Some bytes of the part's text were replaced by U+FFFD (a declared encoding).
    pub lossy: bool,
}

/// Appends little-endian values to an encoded part.
#[derive(Default)]
pub struct Out(pub Vec<u8>);

impl Out {
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    /// Appends each value of `v` as the `W` bytes `f` gives: the room made once, then a loop
    /// without a capacity test per value.
    pub fn values<T, const W: usize>(
        &mut self,
        v: impl ExactSizeIterator<Item = T>,
        f: impl Fn(T) -> [u8; W],
    ) {
        let start = self.0.len();
        self.0.resize(start + v.len() * W, 0);
        for (dst, x) in self.0[start..].chunks_exact_mut(W).zip(v) {
            dst.copy_from_slice(&f(x));
        }
    }
}

pub fn read_u8(input: &mut dyn PartInput) -> Result<u8, PartError> {
    let mut b = [0u8; 1];
    input.read_exact(&mut b)?;
    Ok(b[0])
}

pub fn read_u64(input: &mut dyn PartInput) -> Result<u64, PartError> {
    let mut b = [0u8; 8];
    input.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// A length read from the input, refused beyond `max`. Parts come from the load's own workers;
/// the column lengths are not bounded tighter than `usize` (`ColumnBuilder::absorb`), so a
/// corrupt part could ask for a large allocation: only the header's length is capped.
pub fn read_len(input: &mut dyn PartInput, max: usize) -> Result<usize, PartError> {
    let n = read_u64(input)?;
    usize::try_from(n)
        .ok()
        .filter(|&n| n <= max)
        .ok_or_else(|| PartError(format!("bad length {n}")))
}

pub fn read_bytes(input: &mut dyn PartInput, max: usize) -> Result<Vec<u8>, PartError> {
    let n = read_len(input, max)?;
    let mut v = vec![0u8; n];
    input.read_exact(&mut v)?;
    Ok(v)
}

/// Reads `n` values of `W` bytes and appends them to `out` as `f` makes them (room made once,
/// no capacity test per value), through a small buffer: no copy of the whole array is held.
pub fn read_into<T, const W: usize>(
    input: &mut dyn PartInput,
    n: usize,
    out: &mut Vec<T>,
    f: impl Fn([u8; W]) -> T,
) -> Result<(), PartError> {
    const CHUNK: usize = 64 << 10;
    let mut buf = vec![0u8; CHUNK - CHUNK % W];
    out.reserve(n);
    let mut left = n;
    while left > 0 {
        let k = left.min(buf.len() / W);
        input.read_exact(&mut buf[..k * W])?;
        out.extend(buf[..k * W].chunks_exact(W).map(|c| {
            let mut a = [0u8; W];
            a.copy_from_slice(c);
            f(a)
        }));
        left -= k;
    }
    Ok(())
}

/// An encoded part that says it is unusable (`why`): the part before it then reads its range
/// itself.
pub fn unusable(why: impl Into<String>) -> Vec<u8> {
    let mut out = Out::default();
    encode_header(
        &mut out,
        &PartHeader {
            unusable: Some(why.into()),
            ..PartHeader::default()
        },
    );
    out.0
}

/// The header, then the columns (written by the loader).
pub fn encode_header(out: &mut Out, header: &PartHeader) {
    let json = serde_json::to_vec(header).unwrap_or_default();
    out.bytes(&json);
}

pub fn decode_header(input: &mut dyn PartInput) -> Result<PartHeader, PartError> {
    let json = read_bytes(input, 64 << 20)?;
    serde_json::from_slice(&json).map_err(|e| PartError(format!("bad part header: {e}")))
}

/// Loads `src` in parts cut at the text offsets `cuts` (ascending), one loader per part, the
/// parts encoded and appended as workers do, with windows of `window` bytes. What a parallel
/// load computes, run one part after another (tests and benchmarks compare it with a whole
/// load).
pub fn read_in_parts(
    src: impl Fn() -> Box<dyn super::Source>,
    opts: &super::IngestOptions,
    cuts: &[u64],
    window: usize,
) -> Result<(crate::core::Dataset, usize), super::IngestError> {
    use super::Loader;
    let mut first = Loader::from_source_in_windows(src(), opts.clone(), window)?;
    let ends: Vec<u64> = cuts.iter().copied().chain([u64::MAX]).collect();
    first.stop_at(ends[0]);
    let mut encoded = Vec::new();
    for k in 0..cuts.len() {
        let mut part = Loader::from_source_in_windows(src(), opts.clone(), window)?;
        let bytes = match part.start_part(cuts[k], ends[k + 1]) {
            Ok(()) => part.encode_part(),
            Err(e) => unusable(e.0),
        };
        encoded.push(bytes);
    }
    let mut appended = 0;
    for (k, bytes) in encoded.iter().enumerate() {
        while !first.is_done() {
            first.step(1 << 20);
        }
        if first.absorb(&mut bytes.as_slice(), ends[k + 1])? {
            appended += 1;
        }
    }
    Ok((first.finish()?, appended))
}
/// Files from this size may be read by several workers at once.
pub const PARALLEL_MIN_BYTES: u64 = 16 << 20;
/// Files up to this size are read in two parts when nobody asked for a number (`?parts=`)
/// and the device has two cores. Above it, one worker: the first worker holds the second
/// part's encoded columns while it appends them, and a file of gigabytes must keep its
/// memory low (issue 13: the 1 GB file under 0.6x its size in memory).
pub const AUTO_PARALLEL_MAX_BYTES: u64 = 512 << 20;
/// At most this many parts (and workers) per load.
pub const MAX_PARTS: usize = 4;

/// How many workers read a file of `size` bytes on a device of `cores` logical cores: `asked`
/// (`?parts=`; at most [`MAX_PARTS`] and `cores`), or, with `asked` 0, two on two cores or
/// more for a file of [`PARALLEL_MIN_BYTES`] to [`AUTO_PARALLEL_MAX_BYTES`]. Always one for a
/// smaller file and for a sample (`sampled`: it counts rows from the file's start).
///
/// ```
/// use loupe::core::ingest::parts::parts_for;
/// assert_eq!(parts_for(100 << 20, false, 0, 2), 2);
/// assert_eq!(parts_for(100 << 20, false, 1, 2), 1);
/// ```
pub fn parts_for(size: u64, sampled: bool, asked: usize, cores: usize) -> usize {
    if size < PARALLEL_MIN_BYTES || sampled {
        return 1;
    }
    let wanted = match asked {
        0 if size <= AUTO_PARALLEL_MAX_BYTES => 2,
        0 => 1,
        n => n,
    };
    wanted.min(cores.max(1)).clamp(1, MAX_PARTS)
}

#[cfg(test)]
mod tests {
    use super::parts_for;

    const MB: u64 = 1 << 20;

    #[test]
    fn two_parts_by_default_only_for_a_mid_sized_file_on_two_cores() {
        // Nobody asked: two parts from 16 MB to 512 MB on two cores or more.
        assert_eq!(parts_for(16 * MB - 1, false, 0, 2), 1);
        assert_eq!(parts_for(16 * MB, false, 0, 2), 2);
        assert_eq!(parts_for(512 * MB, false, 0, 8), 2);
        assert_eq!(parts_for(512 * MB + 1, false, 0, 8), 1);
        // One core, or a sample: one.
        assert_eq!(parts_for(100 * MB, false, 0, 1), 1);
        assert_eq!(parts_for(100 * MB, true, 0, 2), 1);
        assert_eq!(parts_for(100 * MB, false, 0, 0), 1);
        // Asked: as asked, within the cores and the maximum, whatever the size.
        assert_eq!(parts_for(100 * MB, false, 1, 4), 1);
        assert_eq!(parts_for(2048 * MB, false, 2, 4), 2);
        assert_eq!(parts_for(100 * MB, false, 4, 2), 2);
        assert_eq!(parts_for(100 * MB, false, 9, 16), 4);
        assert_eq!(parts_for(MB, false, 4, 4), 1);
    }
}
