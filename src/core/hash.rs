//! A small, fast, non-cryptographic hasher for the engine's in-memory indexes (the text
//! dictionaries built during ingest, the join's key indexes).
//!
//! The keys hashed here come from the user's own files and live only in their own browser, so
//! resistance to hash flooding (what std's SipHash buys) is not needed; speed is. The mixing
//! is the multiply-rotate step of rustc's `FxHasher`, with a final avalanche so that the low
//! bits the table uses depend on every input bit. What must stay true: equal byte strings hash
//! equally.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Multiplier of rustc's `FxHasher` (64-bit).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Hasher state: one word, mixed per 8-byte chunk.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

/// The little-endian word of `b[i..i + 8]` (in range: the callers check).
#[inline(always)]
fn word(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

/// The little-endian half word of `b[i..i + 4]` (in range: the callers check).
#[inline(always)]
fn half(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[i..i + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// Calls `f` with words that together hold every byte of `b`, the same words for the same
/// bytes: whole words, then the last eight bytes (overlapping the word before) or, below eight
/// bytes, two overlapping half words or the first, middle and last bytes. No copy of a
/// variable length (in WebAssembly a call per cell), no byte loop.
#[inline(always)]
fn words(b: &[u8], mut f: impl FnMut(u64)) {
    let n = b.len();
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            f(word(b, i));
            i += 8;
        }
        f(word(b, n - 8));
    } else if n >= 4 {
        f(half(b, 0) | half(b, n - 4) << 32);
    } else if n > 0 {
        f(u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16);
    }
}

/// Whether `a == b`, compared a word at a time. The engine's text dictionaries compare every
/// cell with a value or two of theirs; WebAssembly's `memcmp` (what `==` calls) compares byte
/// by byte, and costs a call.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if word(a, i) != word(b, i) {
                return false;
            }
            i += 8;
        }
        word(a, n - 8) == word(b, n - 8)
    } else if n >= 4 {
        half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4)
    } else {
        // 0 to 3 bytes: the first, middle and last are all of them.
        n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1])
    }
}

/// A cheap key of a byte string for a small direct-mapped memo (its length, first and last
/// words; the middle is not read): equal strings get equal keys, the top bits of which pick a
/// slot.
#[inline]
pub(crate) fn quick_key(b: &[u8]) -> u64 {
    let n = b.len();
    let w = if n >= 8 {
        word(b, 0) ^ word(b, n - 8).rotate_left(29)
    } else if n >= 4 {
        half(b, 0) | half(b, n - 4) << 32
    } else if n > 0 {
        u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16
    } else {
        0
    };
    (w ^ n as u64).wrapping_mul(SEED)
}

/// Hash of a byte string (its words, see [`words`], then its length), as an [`FxHasher`] mixes
/// and finishes it.
#[inline]
pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    words(b, |w| h.add(w));
    h.add(b.len() as u64);
    h.finish()
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        words(bytes, |w| self.add(w));
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// The multiply-rotate step leaves the low bits depending on the low input bits only, and
    /// the hash table picks buckets by the low bits: short keys such as `01001`..`95370` would
    /// crowd a few buckets. The final xor-shift-multiply (MurmurHash3's `fmix64` first half)
    /// spreads every input bit over the low bits.
    #[inline]
    fn finish(&self) -> u64 {
        let h = self.hash ^ (self.hash >> 33);
        let h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

/// The `BuildHasher` of [`FxHasher`], for `HashSet`s and `hashbrown` tables.
pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// A `HashMap` using [`FxHasher`].
pub(crate) type FxMap<K, V> = HashMap<K, V, FxBuild>;

/// An empty [`FxMap`] with room for `n` entries.
pub(crate) fn map_with_capacity<K, V>(n: usize) -> FxMap<K, V> {
    FxMap::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every pair of strings up to 20 bytes that differ in one byte (any position, including
    /// the bytes only the overlapping last word reads) or in their length: `same_bytes` says
    /// what `==` says, and equal strings hash equally.
    #[test]
    fn same_bytes_is_equality_at_every_length_and_position() {
        for n in 0..=20usize {
            let a: Vec<u8> = (0..n as u8).map(|i| b'a' + i).collect();
            assert!(same_bytes(&a, &a.clone()), "{n}");
            assert_eq!(hash_bytes(&a), hash_bytes(&a.clone()));
            assert_eq!(quick_key(&a), quick_key(&a.clone()));
            for i in 0..n {
                let mut b = a.clone();
                b[i] = b'Z';
                assert!(!same_bytes(&a, &b), "{n} {i}");
                assert_ne!(hash_bytes(&a), hash_bytes(&b), "{n} {i}");
            }
            let mut longer = a.clone();
            longer.push(0);
            assert!(!same_bytes(&a, &longer));
            assert_ne!(hash_bytes(&a), hash_bytes(&longer), "{n}");
        }
    }

    proptest! {
        #[test]
        fn same_bytes_agrees_with_eq(a in proptest::collection::vec(0u8..4, 0..40),
                                     b in proptest::collection::vec(0u8..4, 0..40)) {
            prop_assert_eq!(same_bytes(&a, &b), a == b);
            if a == b {
                prop_assert_eq!(hash_bytes(&a), hash_bytes(&b));
            }
        }
    }
}
