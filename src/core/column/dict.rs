//! A text column's dictionary: every distinct value once, in one contiguous UTF-8 buffer.
//!
//! A value costs its bytes plus a 4-byte end offset (a `Vec<String>` cost its bytes, a 24-byte
//! header and an allocation each), and pushing a value allocates nothing but the amortised
//! growth of the two vectors.
//!
//! Offsets are `u32`, which covers every dictionary a wasm32 page can hold (its memory is at
//! most 4 GiB). A native dictionary may exceed 4 GiB of text: each time the running byte count
//! crosses a multiple of 2^32, the index of the value that crossed it is appended to `wraps`,
//! and an end offset is its `u32` plus 2^32 times the number of crossings up to it. `wraps` is
//! empty (and skipped) below 4 GiB, so the common case costs one branch.

/// Distinct strings in insertion order, stored as one byte buffer plus end offsets.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Dict {
    /// The values' bytes, concatenated (always valid UTF-8: only `&str` is appended).
    bytes: String,
    /// `ends[i]`: the end of value `i` in `bytes`, modulo 2^32 (see the module comment).
    ends: Vec<u32>,
    /// Indices of the values whose end crossed a multiple of 2^32, one entry per crossing.
    wraps: Vec<u32>,
}

impl Dict {
    pub fn new() -> Self {
        Dict::default()
    }

    /// Room for `values` values totalling `bytes` bytes.
    pub fn with_capacity(values: usize, bytes: usize) -> Self {
        Dict {
            bytes: String::with_capacity(bytes),
            ends: Vec::with_capacity(values),
            wraps: Vec::new(),
        }
    }

    /// Makes room for `values` more values totalling `bytes` more bytes.
    pub fn reserve(&mut self, values: usize, bytes: usize) {
        self.ends.reserve(values);
        self.bytes.reserve(bytes);
    }

    /// Appends `s` (duplicates are not detected: that is the caller's index) and returns its code.
    /// Codes past `u32::MAX` saturate, as the column's codes are `u32`.
    pub fn push(&mut self, s: &str) -> u32 {
        let code = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.bytes.push_str(s);
        let end = self.bytes.len() as u64;
        while (self.wraps.len() as u64) < end >> 32 {
            self.wraps.push(code);
        }
        self.ends.push(end as u32);
        code
    }

    #[inline]
    fn end(&self, i: usize) -> usize {
        let low = self.ends[i] as usize;
        if self.wraps.is_empty() {
            low
        } else {
            let crossings = self.wraps.partition_point(|&w| w as usize <= i) as u64;
            (low as u64 + (crossings << 32)) as usize
        }
    }

    /// Value `i`, or `None` past the end.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        if i >= self.ends.len() {
            return None;
        }
        let start = if i == 0 { 0 } else { self.end(i - 1) };
        self.bytes.get(start..self.end(i))
    }

    /// The UTF-8 bytes of value `i` (no char-boundary check: what the ingest index compares).
    #[inline]
    pub fn get_bytes(&self, i: usize) -> Option<&[u8]> {
        if i >= self.ends.len() {
            return None;
        }
        let start = if i == 0 { 0 } else { self.end(i - 1) };
        self.bytes.as_bytes().get(start..self.end(i))
    }

    /// Gives back the spare capacity of both buffers (the text grows by doubling while values
    /// are pushed).
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.wraps.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Total bytes of text.
    pub fn text_len(&self) -> usize {
        self.bytes.len()
    }

    /// The values in code order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + Clone + '_ {
        (0..self.len()).map(move |i| self.get(i).unwrap_or_default())
    }

    /// Heap bytes held (capacities: the text, 4 bytes an offset).
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 4 + self.wraps.capacity() * 4
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
