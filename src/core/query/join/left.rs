//! The left side of a join: a composite key id per left row, in first-appearance order, and
//! the match of each *distinct* left key on the right.
//!
//! A text key column costs one array read per row (its dictionary codes are remapped), and
//! the canonical text, the repairs and the hash lookup run once per distinct value of each key
//! column, never once per row. What must stay true: ids are dense and assigned in row order
//! (so unmatched examples come in order of first appearance); a null part gives [`NONE`].

use super::keys::{distinct, fold, write_canonical, Distinct, RightIndex, NONE};
use super::repair::Repair;
use crate::core::column::Column;
use crate::core::hash::{map_with_capacity, FxMap};

/// The left side of a join: a composite key id per row, in first-appearance order.
pub(super) struct LeftKeys {
    /// Per position in the rows given to [`LeftKeys::build`]: composite id or [`NONE`].
    pub ids: Vec<u32>,
    /// Per composite id: how many rows hold it.
    pub counts: Vec<u32>,
    /// Per composite id, one per key column: that column's distinct-value id.
    parts: Vec<u32>,
    /// Per key column, per distinct-value id: its first row.
    firsts: Vec<Vec<u32>>,
}

impl LeftKeys {
    /// Groups rows by their key (columns `cols`): all `len` rows, or only `sample` when given.
    pub fn build(cols: &[&Column], len: usize, sample: Option<&[u32]>) -> Self {
        let mut per_col: Vec<Distinct> = cols
            .iter()
            .map(|c| match sample {
                Some(rows) => distinct(c, rows.iter().map(|&r| r as usize)),
                None => distinct(c, 0..len),
            })
            .collect();
        let n = cols.len();
        let positions = per_col.first().map_or(0, |d| d.ids.len());
        let (ids, distinct_count) = if n == 1 {
            // One column: its value ids are the key ids (moved out; parts are the identity).
            let count = per_col.first().map_or(0, |d| d.first.len());
            let ids = per_col.first_mut().map(|d| std::mem::take(&mut d.ids));
            (ids.unwrap_or_default(), count)
        } else {
            let mut maps: Vec<FxMap<u64, u32>> = (1..n).map(|_| map_with_capacity(1024)).collect();
            let ids: Vec<u32> = (0..positions)
                .map(|pos| {
                    let mut id = per_col[0].ids[pos];
                    for (d, map) in per_col[1..].iter().zip(maps.iter_mut()) {
                        id = fold(id, d.ids[pos], map);
                    }
                    id
                })
                .collect();
            (ids, maps.last().map_or(0, FxMap::len))
        };
        let mut counts = vec![0u32; distinct_count];
        let mut parts: Vec<u32> = if n == 1 {
            (0..distinct_count as u32).collect()
        } else {
            vec![NONE; distinct_count * n]
        };
        for (pos, &id) in ids.iter().enumerate() {
            if let Some(c) = counts.get_mut(id as usize) {
                if *c == 0 && n > 1 {
                    for (k, d) in per_col.iter().enumerate() {
                        parts[id as usize * n + k] = d.ids[pos];
                    }
                }
                *c += 1;
            }
        }
        LeftKeys {
            ids,
            counts,
            parts,
            firsts: per_col.into_iter().map(|d| d.first).collect(),
        }
    }

    /// Number of composite ids (some may hold no row, see [`LeftKeys::counts`]).
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// For each composite id, the right composite key it matches (or [`NONE`]), rewriting
    /// unmatched key parts with `repairs` in order (the first repair that matches wins).
    pub fn resolve(&self, cols: &[&Column], right: &RightIndex, repairs: &[Repair]) -> Vec<u32> {
        let atoms = self.column_atoms(cols, right, repairs);
        let n = cols.len();
        let mut key = vec![NONE; n];
        (0..self.len())
            .map(|k| {
                for (c, slot) in key.iter_mut().enumerate() {
                    let part = self.parts.get(k * n + c).copied().unwrap_or(NONE);
                    *slot = atoms[c].get(part as usize).copied().unwrap_or(NONE);
                }
                right.lookup(&key)
            })
            .collect()
    }

    /// Per key column, per distinct left value: the right atom it matches (or [`NONE`]).
    fn column_atoms(
        &self,
        cols: &[&Column],
        right: &RightIndex,
        repairs: &[Repair],
    ) -> Vec<Vec<u32>> {
        let mut buf = Vec::new();
        let mut scratch = Vec::new();
        cols.iter()
            .zip(&self.firsts)
            .zip(&right.cols)
            .map(|((col, firsts), atoms)| {
                firsts
                    .iter()
                    .map(|&r| {
                        if !write_canonical(col, r as usize, &mut buf) {
                            return NONE;
                        }
                        atoms
                            .get(&buf)
                            .or_else(|| {
                                repairs
                                    .iter()
                                    .find_map(|rep| rep.rewrite(&buf, atoms, &mut scratch))
                            })
                            .unwrap_or(NONE)
                    })
                    .collect()
            })
            .collect()
    }

    /// Whether some part of composite key `k` has a shape `repair` rewrites.
    pub fn repair_applies(
        &self,
        k: usize,
        cols: &[&Column],
        right: &RightIndex,
        repair: Repair,
        buf: &mut Vec<u8>,
    ) -> bool {
        let n = cols.len();
        (0..n).any(|c| {
            let part = self.parts.get(k * n + c).copied().unwrap_or(NONE);
            self.firsts[c].get(part as usize).is_some_and(|&r| {
                write_canonical(cols[c], r as usize, buf) && repair.applies_to(buf, &right.cols[c])
            })
        })
    }

    /// The key of composite `k` as text, parts joined by ` | `.
    pub fn key_text(&self, k: usize, cols: &[&Column]) -> String {
        let n = cols.len();
        let mut buf = Vec::new();
        let texts: Vec<String> = (0..n)
            .map(|c| {
                let part = self.parts.get(k * n + c).copied().unwrap_or(NONE);
                match self.firsts[c].get(part as usize) {
                    Some(&r) if write_canonical(cols[c], r as usize, &mut buf) => {
                        String::from_utf8_lossy(&buf).into_owned()
                    }
                    _ => String::new(),
                }
            })
            .collect();
        texts.join(" | ")
    }
}
