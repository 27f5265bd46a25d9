//! A text column's dictionary: every distinct value once, in a few large UTF-8 buffers.
//!
//! A value costs its bytes plus a 4-byte end offset (a `Vec<String>` cost its bytes, a 24-byte
//! header and an allocation each), and pushing a value allocates nothing but the amortised
//! growth of the vectors.
//!
//! The text is held in chunks: the first grows by doubling up to [`CHUNK_BYTES`], then each
//! new chunk is allocated at that size and never moved. So a dictionary of hundreds of
//! megabytes (a column of labels in a gigabyte file) is never copied to grow (a doubling
//! would hold both buffers at once) and needs no reservation guessed up front (a guess too
//! high stays in WebAssembly memory, which never shrinks). A value never straddles two chunks;
//! `starts` holds the first value of every chunk after the first, and an end offset is
//! relative to its chunk (`u32`: a chunk holds at most one value beyond [`CHUNK_BYTES`]).
//! Lookups binary-search `starts` (empty, and skipped, below [`CHUNK_BYTES`] of text).

/// Bytes of text per chunk once the dictionary outgrows its first one. Small enough that the
/// last chunk's unused room (at most this) is a few percent of a large dictionary (16 MB chunks
/// left 8 MB unused in a 40 MB dictionary of 1M labels), large enough that a gigabyte of text
/// is a few hundred chunks (a lookup's binary search takes 8 steps).
pub const CHUNK_BYTES: usize = 4 << 20;

/// Distinct strings in insertion order, stored as a few byte buffers plus end offsets.
#[derive(Clone, Default)]
pub struct Dict {
    /// The values' bytes, concatenated chunk by chunk (always valid UTF-8: only `&str` is
    /// appended).
    chunks: Vec<String>,
    /// `starts[k]`: the first value of chunk `k + 1`.
    starts: Vec<u32>,
    /// `ends[i]`: the end of value `i` in its chunk.
    ends: Vec<u32>,
}

impl PartialEq for Dict {
    /// The same values in the same order, however the text is cut into chunks.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Dict {}

impl Dict {
    pub fn new() -> Self {
        Dict::default()
    }

    /// Room for `values` values totalling `bytes` bytes (the text's first chunk at most).
    pub fn with_capacity(values: usize, bytes: usize) -> Self {
        let mut d = Dict::default();
        d.reserve(values, bytes);
        d
    }

    /// Makes room for `values` more values totalling `bytes` more bytes: the offsets all,
    /// the text up to its current chunk's size limit (later chunks come as needed).
    pub fn reserve(&mut self, values: usize, bytes: usize) {
        self.ends.reserve(values);
        match self.chunks.last_mut() {
            Some(c) => {
                let room = CHUNK_BYTES.saturating_sub(c.len());
                c.reserve(bytes.min(room));
            }
            None => self
                .chunks
                .push(String::with_capacity(bytes.min(CHUNK_BYTES))),
        }
    }

    /// Appends `s` (duplicates are not detected: that is the caller's index) and returns its code.
    /// Codes past `u32::MAX` saturate, as the column's codes are `u32`.
    pub fn push(&mut self, s: &str) -> u32 {
        let code = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.len() + s.len() <= c.capacity() || c.len() + s.len() <= CHUNK_BYTES);
        if !fits {
            // A new chunk, never moved again: the first values' chunk stays as it is.
            if self.chunks.last().is_some_and(|c| !c.is_empty()) {
                self.starts.push(code);
                self.chunks
                    .push(String::with_capacity(CHUNK_BYTES.max(s.len())));
            } else if self.chunks.is_empty() {
                self.chunks.push(String::new());
            }
        }
        let end = match self.chunks.last_mut() {
            Some(chunk) => {
                let need = chunk.len() + s.len();
                if need > chunk.capacity() {
                    // The first chunk doubles, but never past the chunk size.
                    let grown = (chunk.capacity() * 2).clamp(need, CHUNK_BYTES.max(need));
                    chunk.reserve_exact(grown - chunk.len());
                }
                chunk.push_str(s);
                chunk.len()
            }
            None => 0,
        };
        self.ends.push(u32::try_from(end).unwrap_or(u32::MAX));
        code
    }

    /// The chunk of value `i` and where the value starts in it.
    #[inline]
    fn locate(&self, i: usize) -> (usize, usize) {
        if self.starts.is_empty() {
            let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
            return (0, start);
        }
        let k = self.starts.partition_point(|&s| s as usize <= i);
        let first = if k == 0 {
            0
        } else {
            self.starts[k - 1] as usize
        };
        let start = if i == first {
            0
        } else {
            self.ends[i - 1] as usize
        };
        (k, start)
    }

    /// Value `i`, or `None` past the end.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        if i >= self.ends.len() {
            return None;
        }
        let (k, start) = self.locate(i);
        self.chunks.get(k)?.get(start..self.ends[i] as usize)
    }

    /// The UTF-8 bytes of value `i` (no char-boundary check: what the ingest index compares,
    /// once or twice a cell: inlined, and a dictionary of one chunk read without a search).
    #[inline(always)]
    pub fn get_bytes(&self, i: usize) -> Option<&[u8]> {
        if self.starts.is_empty() {
            let end = *self.ends.get(i)? as usize;
            let start = match i.checked_sub(1) {
                Some(p) => self.ends[p] as usize,
                None => 0,
            };
            return self.chunks.first()?.as_bytes().get(start..end);
        }
        self.get_bytes_chunked(i)
    }

    /// [`Self::get_bytes`] in a dictionary of several chunks.
    fn get_bytes_chunked(&self, i: usize) -> Option<&[u8]> {
        if i >= self.ends.len() {
            return None;
        }
        let (k, start) = self.locate(i);
        self.chunks
            .get(k)?
            .as_bytes()
            .get(start..self.ends[i] as usize)
    }

    /// Gives back the spare capacity of the buffers (the last chunk and the offsets grow while
    /// values are pushed).
    pub fn shrink_to_fit(&mut self) {
        if let Some(c) = self.chunks.last_mut() {
            c.shrink_to_fit();
        }
        self.ends.shrink_to_fit();
        self.starts.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Values the offsets have room for without growing.
    pub fn capacity(&self) -> usize {
        self.ends.capacity()
    }

    /// Total bytes of text.
    pub fn text_len(&self) -> usize {
        self.chunks.iter().map(String::len).sum()
    }

    /// The values' bytes in code order, concatenated: the text of each chunk (what
    /// [`Self::text_len`] counts), for copying it whole.
    pub fn text_chunks(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.chunks.iter().map(String::as_bytes)
    }

    /// The values in code order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + Clone + '_ {
        (0..self.len()).map(move |i| self.get(i).unwrap_or_default())
    }

    /// Heap bytes held (capacities: the text, 4 bytes an offset).
    pub fn heap_bytes(&self) -> usize {
        self.chunks.iter().map(String::capacity).sum::<usize>()
            + self.ends.capacity() * 4
            + self.starts.capacity() * 4
    }
}

impl std::ops::Index<usize> for Dict {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(s) => s,
            None => panic!("dictionary code {i} out of range ({} values)", self.len()),
        }
    }
}

impl std::fmt::Debug for Dict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Dict {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut d = Dict::new();
        for s in iter {
            d.push(s.as_ref());
        }
        d
    }
}

impl<S: AsRef<str>> Extend<S> for Dict {
    fn extend<I: IntoIterator<Item = S>>(&mut self, iter: I) {
        for s in iter {
            self.push(s.as_ref());
        }
    }
}

impl From<Vec<String>> for Dict {
    fn from(v: Vec<String>) -> Self {
        let bytes = v.iter().map(String::len).sum();
        let mut d = Dict::with_capacity(v.len(), bytes);
        d.extend(v);
        d
    }
}

impl From<Vec<&str>> for Dict {
    fn from(v: Vec<&str>) -> Self {
        v.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Dict {
    type Item = &'a str;
    type IntoIter = Box<dyn Iterator<Item = &'a str> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_get_iter_round_trip_in_code_order() {
        let mut d = Dict::new();
        assert!(d.is_empty());
        assert_eq!(d.get(0), None);
        assert_eq!(d.push("Bretagne"), 0);
        assert_eq!(d.push(""), 1);
        assert_eq!(d.push("Île-de-France"), 2);
        assert_eq!(d.push("€"), 3);
        assert_eq!(d.push(""), 4);
        assert_eq!(d.len(), 5);
        assert_eq!(d.get(0), Some("Bretagne"));
        assert_eq!(d.get(1), Some(""));
        assert_eq!(d.get(2), Some("Île-de-France"));
        assert_eq!(d.get(3), Some("€"));
        assert_eq!(d.get(4), Some(""));
        assert_eq!(d.get(5), None);
        assert_eq!(d.get_bytes(3), Some(&[0xE2, 0x82, 0xAC][..]));
        assert_eq!(d.get_bytes(5), None);
        assert_eq!(&d[2], "Île-de-France");
        // 8 + 0 + 14 ("Î" is two bytes) + 3 + 0.
        assert_eq!(d.text_len(), 25);
        assert_eq!(
            d.iter().collect::<Vec<_>>(),
            ["Bretagne", "", "Île-de-France", "€", ""]
        );
        assert_eq!(d.iter().next_back(), Some(""));
        let from_vec = Dict::from(vec![
            "Bretagne".to_string(),
            String::new(),
            "Île-de-France".to_string(),
            "€".to_string(),
            String::new(),
        ]);
        assert_eq!(from_vec, d);
        let from_strs: Dict = ["Bretagne", "", "Île-de-France", "€", ""]
            .into_iter()
            .collect();
        assert_eq!(from_strs, d);
        assert_eq!(
            format!("{d:?}"),
            r#"["Bretagne", "", "Île-de-France", "€", ""]"#
        );
        assert_ne!(Dict::from(vec!["a", "bc"]), Dict::from(vec!["ab", "c"]));
    }

    #[test]
    fn text_beyond_a_chunk_goes_to_new_chunks_never_moved() {
        // 3.5 chunks of text in values of 1 000 bytes (written by hand: value i is the digit
        // i % 10 repeated, then its number).
        let n = CHUNK_BYTES * 7 / 2 / 1000;
        let value = |i: usize| {
            format!(
                "{}{i:>12}",
                ((b'0' + (i % 10) as u8) as char).to_string().repeat(988)
            )
        };
        let mut d = Dict::new();
        let mut first_chunk = None;
        for i in 0..n {
            assert_eq!(d.push(&value(i)) as usize, i);
            if d.chunks.len() == 2 && first_chunk.is_none() {
                first_chunk = Some(d.chunks[1].as_ptr());
            }
        }
        assert_eq!(d.chunks.len(), 4, "3.5 chunks of text make 4 chunks");
        assert_eq!(
            d.chunks[1].as_ptr(),
            first_chunk.unwrap_or(std::ptr::null()),
            "a full chunk is never moved"
        );
        assert_eq!(d.len(), n);
        assert_eq!(d.text_len(), n * 1000);
        for i in [0, 1, n / 3, n / 2, n - 2, n - 1] {
            assert_eq!(d.get(i), Some(value(i).as_str()), "value {i}");
            assert_eq!(d.get_bytes(i), Some(value(i).as_bytes()));
        }
        // The chunks' starts: each value is whole in one chunk.
        for (k, &s) in d.starts.iter().enumerate() {
            assert_eq!(
                d.get(s as usize),
                Some(value(s as usize).as_str()),
                "first of chunk {}",
                k + 1
            );
            assert_eq!(d.get(s as usize - 1), Some(value(s as usize - 1).as_str()));
        }
        assert_eq!(d.get(n), None);
        assert!(d.iter().enumerate().all(|(i, v)| v == value(i)));
        // Spare room: at most the last chunk's, plus the offsets' growth.
        let spare = d.heap_bytes() - d.text_len() - 4 * n;
        assert!(spare <= CHUNK_BYTES + 4 * n, "spare {spare}");
        // Equal to the same values cut otherwise (one big reservation, one chunk).
        let mut one = Dict::with_capacity(n, n * 1000);
        for i in 0..n {
            one.push(&value(i));
        }
        assert_eq!(one, d);
        let mut other = one.clone();
        other.push("x");
        assert_ne!(other, d);
    }

    #[test]
    fn heap_bytes_are_the_text_plus_four_bytes_a_value() {
        // Exact capacities: 1000 values of 10 bytes = 10 000 bytes of text + 4 000 of offsets,
        // where 1000 `String`s held 10 000 + 24 000 bytes of headers.
        let mut d = Dict::with_capacity(1000, 10_000);
        for i in 0..1000 {
            d.push(&format!("v{i:09}"));
        }
        assert_eq!(d.len(), 1000);
        assert_eq!(d.get(999), Some("v000000999"));
        assert_eq!(d.heap_bytes(), 14_000);
        // Longer values grow the figure by their bytes only.
        let mut long = Dict::with_capacity(1000, 100_000);
        for i in 0..1000 {
            long.push(&format!("{i:0100}"));
        }
        assert_eq!(long.heap_bytes(), 104_000);
        assert_eq!(Dict::new().heap_bytes(), 0);
        let mut grown = Dict::new();
        for i in 0..1000 {
            grown.push(&format!("v{i:09}"));
        }
        assert!(grown.heap_bytes() >= 14_000);
        grown.shrink_to_fit();
        assert_eq!(grown.heap_bytes(), 14_000);
        assert_eq!(grown, d);
    }
}
