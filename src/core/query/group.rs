//! Grouping: selected rows -> dense group ids `0..n` numbered in first-appearance order.
//!
//! Each key column is first turned into `u32` key codes (text: dictionary code + 1; integers,
//! dates and booleans with a small range: value - min + 1; anything else: a hash map to dense
//! ids), with 0 always meaning null. Several columns are combined pairwise into a `u64`
//! (`group * cardinality + code`) and densified again, so no row ever hashes a string or
//! allocates. A key space small enough is densified through a plain `Vec` (no hashing).
//!
//! Invariants: `ids.len()` equals the number of rows grouped; `first[g]` is the position (in
//! the rows slice) of group `g`'s first row, and `first` is increasing.

use std::collections::HashMap;

use crate::core::column::{Column, ColumnData};
use crate::core::dataset::Dataset;

/// Largest key space densified through a direct-indexed `Vec` (4 Mi slots = 16 MiB of `u32`);
/// above it, or when the space dwarfs the row count, a hash map is used instead.
pub const DENSE_LIMIT: u64 = 1 << 22;

/// Per-row key codes of one column, 0 meaning null, all below `card`.
#[derive(Debug, Clone)]
pub struct KeyCodes {
    pub codes: Vec<u32>,
    pub card: u64,
}

/// Rows grouped by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Groups {
    /// Group id of each grouped row, in the order of the rows slice.
    pub ids: Vec<u32>,
    /// Position of each group's first row in the rows slice, in first-appearance order.
    pub first: Vec<u32>,
}

impl Groups {
    /// Number of groups.
    pub fn len(&self) -> usize {
        self.first.len()
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }
}

/// Groups `rows` of `ds` by the columns at indices `cols`. With no column, one group holding
/// every row (even when there is none, so an aggregate without group-by yields one row).
pub fn group_rows(ds: &Dataset, rows: &[u32], cols: &[usize]) -> Groups {
    let Some((&c0, rest)) = cols.split_first() else {
        return Groups {
            ids: vec![0; rows.len()],
            first: vec![0],
        };
    };
    let k0 = key_codes(&ds.columns[c0], rows);
    let mut groups = densify(k0.codes.iter().map(|&c| u64::from(c)), k0.card, rows.len());
    for &c in rest {
        let k = key_codes(&ds.columns[c], rows);
        let space = (groups.len() as u64).saturating_mul(k.card);
        let combined = groups
            .ids
            .iter()
            .zip(&k.codes)
            .map(|(&g, &c)| u64::from(g) * k.card + u64::from(c));
        groups = densify(combined, space, rows.len());
    }
    groups
}

/// Numbers `keys` (all below `card`) densely in first-appearance order.
pub fn densify(keys: impl Iterator<Item = u64>, card: u64, n: usize) -> Groups {
    let mut ids = Vec::with_capacity(n);
    let mut first: Vec<u32> = Vec::new();
    // A direct table only pays off when it is not much larger than the input.
    if card <= DENSE_LIMIT && card <= (n as u64).saturating_mul(4).max(4096) {
        let mut table = vec![u32::MAX; card as usize];
        for (i, k) in keys.enumerate() {
            let slot = &mut table[k as usize];
            if *slot == u32::MAX {
                *slot = first.len() as u32;
                first.push(i as u32);
            }
            ids.push(*slot);
        }
    } else {
        let mut table: HashMap<u64, u32> = HashMap::new();
        for (i, k) in keys.enumerate() {
            let next = first.len() as u32;
            let id = *table.entry(k).or_insert(next);
            if id == next {
                first.push(i as u32);
            }
            ids.push(id);
        }
    }
    Groups { ids, first }
}

/// Key codes of `col` over `rows` (see the module doc).
pub fn key_codes(col: &Column, rows: &[u32]) -> KeyCodes {
    let valid = &col.valid;
    let text = col.data.text_codes();
    match (&col.data, text) {
        (_, Some((codes, dict))) if valid.null_count() == 0 => KeyCodes {
            codes: crate::with_codes!(codes, |c| rows
                .iter()
                .map(|&r| u32::from(c[r as usize]) + 1)
                .collect()),
            card: dict.len() as u64 + 1,
        },
        (_, Some((codes, dict))) => KeyCodes {
            codes: crate::with_codes!(codes, |c| rows
                .iter()
                .map(|&r| {
                    if valid.is_valid(r as usize) {
                        u32::from(c[r as usize]) + 1
                    } else {
                        0
                    }
                })
                .collect()),
            card: dict.len() as u64 + 1,
        },
        (ColumnData::Integer(v) | ColumnData::Datetime(v), _) => {
            int_codes(rows, |r| valid.is_valid(r).then(|| v[r]))
        }
        (ColumnData::Decimal { units, .. }, _) => {
            int_codes(rows, |r| valid.is_valid(r).then(|| units[r]))
        }
        (ColumnData::Date(v), _) => int_codes(rows, |r| valid.is_valid(r).then(|| i64::from(v[r]))),
        (ColumnData::Boolean(v), _) => KeyCodes {
            codes: rows
                .iter()
                .map(|&r| {
                    if valid.is_valid(r as usize) {
                        1 + u32::from(v[r as usize])
                    } else {
                        0
                    }
                })
                .collect(),
            card: 3,
        },
        (ColumnData::Float(v), _) => {
            // Same bits, same group; -0.0 folds into 0.0 and every NaN into one.
            let canon = |x: f64| {
                if x == 0.0 {
                    0u64
                } else if x.is_nan() {
                    u64::MAX
                } else {
                    x.to_bits()
                }
            };
            hashed_codes(rows, |r| valid.is_valid(r).then(|| canon(v[r]) as i64))
        }
        // Text always has codes (matched above).
        (ColumnData::Text { .. } | ColumnData::Strings(_), None) => KeyCodes {
            codes: vec![0; rows.len()],
            card: 1,
        },
    }
}

/// Integer-like keys: offset codes when the value range is small, hashed ids otherwise.
fn int_codes(rows: &[u32], get: impl Fn(usize) -> Option<i64>) -> KeyCodes {
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for &r in rows {
        if let Some(x) = get(r as usize) {
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    if lo > hi {
        return KeyCodes {
            codes: vec![0; rows.len()],
            card: 1,
        };
    }
    let span = (hi as i128 - lo as i128) as u128 + 2;
    if span <= u128::from(DENSE_LIMIT) {
        let codes = rows
            .iter()
            .map(|&r| get(r as usize).map_or(0, |x| (x - lo) as u32 + 1))
            .collect();
        KeyCodes {
            codes,
            card: span as u64,
        }
    } else {
        hashed_codes(rows, get)
    }
}

fn hashed_codes(rows: &[u32], get: impl Fn(usize) -> Option<i64>) -> KeyCodes {
    let mut table: HashMap<i64, u32> = HashMap::new();
    let codes = rows
        .iter()
        .map(|&r| match get(r as usize) {
            None => 0,
            Some(x) => {
                let next = table.len() as u32 + 1;
                *table.entry(x).or_insert(next)
            }
        })
        .collect();
    KeyCodes {
        codes,
        card: table.len() as u64 + 1,
    }
}
