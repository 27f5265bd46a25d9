//! Join keys without a string per row: both sides are first reduced to their *distinct* key
//! values, and only those are turned into canonical text, repaired and hashed.
//!
//! - A column's rows get dense ids of their distinct values ([`distinct`]): for a text column
//!   that is a remapping of its dictionary codes (an array read per row, no hashing); for other
//!   types a hash of the raw 64-bit value.
//! - The right side ([`RightIndex`]) interns each key column's distinct canonical texts as
//!   *atoms*, then gives every row a composite key id (one atom per key column, folded pairwise
//!   through a small map) with the first row and the row count of each composite key.
//! - The left side (`left::LeftKeys`) gets a composite id per row the same way, and maps each
//!   distinct left key to a right composite key through the repairs.
//!
//! What must stay true: the canonical text of a cell is its plain text (integers as plain
//! digits, text as is, decimals exact), so matching compares canonical texts exactly; a null in
//! any key column never matches; ids are dense and assigned in row order.

use crate::core::column::{Column, ColumnData};
use crate::core::hash::{map_with_capacity, FxMap};

/// "No id": a null key, or a key without a match.
pub(super) const NONE: u32 = u32::MAX;

/// Writes the canonical text of `col` at `row` into `buf` (cleared first); `false` for null.
/// Integers are formatted on the stack; only the rarer decimal, float, boolean and date keys
/// go through [`crate::core::value::Value`] (this runs once per distinct value, not per row).
pub(super) fn write_canonical(col: &Column, row: usize, buf: &mut Vec<u8>) -> bool {
    buf.clear();
    if !col.is_valid(row) {
        return false;
    }
    match &col.data {
        ColumnData::Text { codes, dict } => match dict.get(codes.get(row) as usize) {
            Some(s) => buf.extend_from_slice(s.as_bytes()),
            None => return false,
        },
        ColumnData::Strings(s) => buf.extend_from_slice(s.get(row).unwrap_or_default().as_bytes()),
        ColumnData::Integer(v) => write_int(v[row], buf),
        _ => buf.extend_from_slice(col.value(row).to_plain_string().as_bytes()),
    }
    true
}

/// Plain decimal digits of `n` (with a leading `-` when negative).
fn write_int(n: i64, buf: &mut Vec<u8>) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        buf.push(b'-');
    }
    buf.extend_from_slice(&digits[i..]);
}

/// Dense ids of one column's distinct values over `rows`, in first-appearance order.
pub(super) struct Distinct {
    /// Per position in `rows`: the value's id, or [`NONE`] for null.
    pub ids: Vec<u32>,
    /// Per id: the first row (a dataset row index) holding that value.
    pub first: Vec<u32>,
}

/// The raw 64 bits of a non-text cell: equal values give equal bits (floats by bit pattern).
fn raw_bits(data: &ColumnData, row: usize) -> u64 {
    match data {
        ColumnData::Integer(v) | ColumnData::Datetime(v) => v[row] as u64,
        ColumnData::Decimal { units, .. } => units[row] as u64,
        ColumnData::Float(v) => v[row].to_bits(),
        ColumnData::Boolean(v) => u64::from(v[row]),
        ColumnData::Date(v) => v[row] as u64,
        ColumnData::Text { codes, .. } => u64::from(codes.get(row)),
        ColumnData::Strings(s) => u64::from(s.encoded().0.get(row)),
    }
}

/// Groups the rows of `col` listed by `rows` by value (see [`Distinct`]).
pub(super) fn distinct(col: &Column, rows: impl Iterator<Item = usize>) -> Distinct {
    let (lo, _) = rows.size_hint();
    let mut ids = Vec::with_capacity(lo);
    let mut first = Vec::new();
    match col.data.text_codes() {
        Some((codes, dict)) => {
            let mut remap = vec![NONE; dict.len()];
            for r in rows {
                let id = match remap.get_mut(codes.get(r) as usize) {
                    Some(slot) if col.is_valid(r) => {
                        if *slot == NONE {
                            *slot = first.len() as u32;
                            first.push(r as u32);
                        }
                        *slot
                    }
                    _ => NONE,
                };
                ids.push(id);
            }
        }
        None => {
            let data = &col.data;
            let mut seen: FxMap<u64, u32> = map_with_capacity(1024);
            for r in rows {
                let id = if col.is_valid(r) {
                    *seen.entry(raw_bits(data, r)).or_insert_with(|| {
                        first.push(r as u32);
                        first.len() as u32 - 1
                    })
                } else {
                    NONE
                };
                ids.push(id);
            }
        }
    }
    Distinct { ids, first }
}

/// Combines a composite id so far with the next column's id, through that column's own map:
/// an unseen pair gets the map's next id, so each level's ids are dense and in row order.
pub(super) fn fold(acc: u32, next: u32, map: &mut FxMap<u64, u32>) -> u32 {
    if acc == NONE || next == NONE {
        return NONE;
    }
    let n = map.len() as u32;
    *map.entry(pair(acc, next)).or_insert(n)
}

#[inline]
fn pair(acc: u32, next: u32) -> u64 {
    (u64::from(acc) << 32) | u64::from(next)
}

/// The distinct canonical texts of one right key column.
pub(crate) struct Atoms {
    map: FxMap<Vec<u8>, u32>,
    /// Bit `w` set: some digit-only value has `w` characters (widths under 64).
    widths: u64,
}

impl Atoms {
    /// The atom of a canonical text, if the right column holds it.
    #[inline]
    pub(crate) fn get(&self, key: &[u8]) -> Option<u32> {
        self.map.get(key).copied()
    }

    /// Bit set of the widths of the column's digit-only values.
    pub(crate) fn digit_widths(&self) -> u64 {
        self.widths
    }

    fn intern(&mut self, key: &[u8]) -> u32 {
        if let Some(&a) = self.map.get(key) {
            return a;
        }
        let a = self.map.len() as u32;
        if !key.is_empty() && key.len() < 64 && key.iter().all(u8::is_ascii_digit) {
            self.widths |= 1 << key.len();
        }
        self.map.insert(key.to_vec(), a);
        a
    }
}

/// The right side of a join: canonical key -> first right row, built once.
pub(super) struct RightIndex {
    /// One per key column.
    pub cols: Vec<Atoms>,
    /// One per key column after the first: (composite so far, atom) -> composite.
    folds: Vec<FxMap<u64, u32>>,
    /// Per composite key: the first right row holding it.
    pub first_row: Vec<u32>,
    /// Per composite key: how many right rows hold it.
    pub count: Vec<u32>,
    /// Right rows whose key has no null.
    pub keyed_rows: usize,
}

impl RightIndex {
    /// Indexes every row of `cols` (dataset columns, one per key part).
    pub fn build(cols: &[&Column], rows: usize) -> Self {
        let mut atoms_per_row: Vec<Vec<u32>> = Vec::with_capacity(cols.len());
        let mut atom_cols = Vec::with_capacity(cols.len());
        let mut buf = Vec::new();
        for col in cols {
            let d = distinct(col, 0..rows);
            let mut atoms = Atoms {
                map: map_with_capacity(d.first.len()),
                widths: 0,
            };
            let of_id: Vec<u32> = d
                .first
                .iter()
                .map(|&r| {
                    write_canonical(col, r as usize, &mut buf);
                    atoms.intern(&buf)
                })
                .collect();
            atoms_per_row.push(
                d.ids
                    .iter()
                    .map(|&i| of_id.get(i as usize).copied().unwrap_or(NONE))
                    .collect(),
            );
            atom_cols.push(atoms);
        }
        let mut folds: Vec<FxMap<u64, u32>> =
            (1..cols.len()).map(|_| map_with_capacity(rows)).collect();
        let mut first_row = Vec::new();
        let mut count: Vec<u32> = Vec::new();
        let mut keyed_rows = 0;
        for r in 0..rows {
            let mut id = atoms_per_row.first().map_or(NONE, |a| a[r]);
            for (c, map) in folds.iter_mut().enumerate() {
                id = fold(id, atoms_per_row[c + 1][r], map);
            }
            if id == NONE {
                continue;
            }
            keyed_rows += 1;
            let i = id as usize;
            if i >= count.len() {
                count.resize(i + 1, 0);
                first_row.resize(i + 1, NONE);
            }
            if count[i] == 0 {
                first_row[i] = r as u32;
            }
            count[i] += 1;
        }
        RightIndex {
            cols: atom_cols,
            folds,
            first_row,
            count,
            keyed_rows,
        }
    }

    /// The composite key of one atom per key column, or [`NONE`].
    pub(super) fn lookup(&self, atoms: &[u32]) -> u32 {
        let mut id = atoms.first().copied().unwrap_or(NONE);
        for (c, map) in self.folds.iter().enumerate() {
            let next = atoms.get(c + 1).copied().unwrap_or(NONE);
            if id == NONE || next == NONE {
                return NONE;
            }
            id = map.get(&pair(id, next)).copied().unwrap_or(NONE);
        }
        if self.count.get(id as usize).is_some_and(|&n| n > 0) {
            id
        } else {
            NONE
        }
    }

    /// Number of distinct keys held by more than one right row.
    pub fn duplicate_keys(&self) -> usize {
        self.count.iter().filter(|&&n| n > 1).count()
    }
}
