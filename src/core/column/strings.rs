//! Mostly-distinct text (labels, free text, identifiers) kept row by row, without a dictionary.
//!
//! Interning a column where nearly every value is new costs a hash-table probe and insert per
//! cell into a table far larger than the processor's caches (a third of the load of the peer
//! benchmark's file, whose `libelle` is ~85 % distinct), and saves nothing: the dictionary
//! holds about as much text as the column. So such a column keeps its values in row order in
//! a [`Dict`] (value `i` is row `i`'s, repeats allowed, `""` for a null) and loading it is a
//! copy. What reads single rows or scans values (cells, text search, `in` filters, exports)
//! reads them directly; what needs codes (grouping, sorting, joins, value lists) asks for
//! [`Strings::encoded`], a dictionary encoding built once, on first need, and kept.
//!
//! What must stay true: a valid value is never empty (ingest reads a blank cell as null), so
//! `""` marks a null and the encoding gives it code 0 without a dictionary entry, as a
//! dictionary column does.

use std::sync::{Arc, OnceLock};

use super::{Codes, Dict};

/// A dictionary encoding of a [`Strings`] column: `dict[codes[i]]` is row `i`'s value.
pub type Encoded = (Codes, Dict);

/// Text kept row by row (see the module documentation).
#[derive(Clone, Default)]
pub struct Strings {
    values: Dict,
    encoded: OnceLock<Arc<Encoded>>,
}

impl Strings {
    /// Row `i`'s value is `values[i]` (`""` for a null row).
    pub fn new(values: Dict) -> Self {
        Strings {
            values,
            encoded: OnceLock::new(),
        }
    }

    /// The values in row order (`""` for nulls).
    pub fn values(&self) -> &Dict {
        &self.values
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Row `row`'s text (`""` for a null, `None` past the end).
    #[inline]
    pub fn get(&self, row: usize) -> Option<&str> {
        self.values.get(row)
    }

    /// The column as codes into a dictionary of its distinct values in first-appearance order
    /// (nulls: code 0), computed on the first call and kept.
    pub fn encoded(&self) -> &Encoded {
        self.encoded.get_or_init(|| {
            Arc::new(crate::core::ingest::build::encode_values(
                self.values.iter(),
                self.values.len(),
            ))
        })
    }

    /// Whether [`Self::encoded`] has been computed.
    pub fn is_encoded(&self) -> bool {
        self.encoded.get().is_some()
    }

    /// Heap bytes held: the values, and the encoding once built.
    pub fn heap_bytes(&self) -> usize {
        self.values.heap_bytes()
            + self
                .encoded
                .get()
                .map_or(0, |e| e.0.heap_bytes() + e.1.heap_bytes())
    }

    /// The values of `rows`, in that order.
    pub fn pick(&self, rows: &[u32]) -> Strings {
        let bytes = rows
            .iter()
            .map(|&r| self.values.get_bytes(r as usize).map_or(0, <[u8]>::len))
            .sum();
        let mut out = Dict::with_capacity(rows.len(), bytes);
        for &r in rows {
            out.push(self.values.get(r as usize).unwrap_or_default());
        }
        Strings::new(out)
    }
}

impl PartialEq for Strings {
    /// The same values (the encoding is derived from them).
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values
    }
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Strings").field(&self.values).finish()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Strings {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut d = Dict::new();
        for s in iter {
            d.push(s.as_ref());
        }
        Strings::new(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_dedupes_in_first_appearance_order_and_keeps_nulls_at_code_zero() {
        let s: Strings = ["b", "", "a", "b", "c", "a", ""].into_iter().collect();
        let (codes, dict) = s.encoded();
        assert_eq!(dict.iter().collect::<Vec<_>>(), vec!["b", "a", "c"]);
        assert_eq!(codes.iter().collect::<Vec<_>>(), vec![0, 0, 1, 0, 2, 1, 0]);
        assert!(s.is_encoded());
        // Equality ignores whether the encoding was built.
        let t: Strings = ["b", "", "a", "b", "c", "a", ""].into_iter().collect();
        assert!(!t.is_encoded());
        assert_eq!(s, t);
        assert!(s.heap_bytes() > t.heap_bytes());
    }

    #[test]
    fn pick_takes_rows_in_order() {
        let s: Strings = ["x", "y", "", "z"].into_iter().collect();
        let p = s.pick(&[3, 0, 2, 3]);
        assert_eq!(
            p.values().iter().collect::<Vec<_>>(),
            vec!["z", "x", "", "z"]
        );
    }
}
