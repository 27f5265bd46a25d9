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

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
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
