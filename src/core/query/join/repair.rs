//! Key repairs: the usual ways French identifiers get damaged between two files, and how to
//! undo them on the left keys of a join.
//!
//! - [`Repair::PadZeros`]: a spreadsheet read `01053` as the number `1053` (or département
//!   `09` as `9`); left-pad digit-only keys with zeros to a width present on the right.
//! - [`Repair::Corsica`]: since 1976 Corsica is two départements, `2A` (Corse-du-Sud) and `2B`
//!   (Haute-Corse); older or numeric-only files write `20`. A commune keeps its three-digit
//!   number from the single old numbering, so `20004` is either `2A004` or `2B004`, never both:
//!   try both and keep the one present on the right. `2A004` -> `20004` works the other way.
//!   A département `20` is ambiguous when the right side has both `2A` and `2B`: it then stays
//!   unmatched rather than being guessed.
//! - [`Repair::SiretToSiren`]: a SIRET (14 digits, an establishment) starts with the SIREN
//!   (9 digits) of its legal unit; keep those 9 digits.
//!
//! What must stay true: a repair only rewrites a key that does *not* match as is, and only into
//! a key that *does* match, so adding a repair never loses a match and never invents one that
//! the right side does not hold.

use serde::{Deserialize, Serialize};

use super::keys::Atoms;

/// One way of repairing damaged left keys before matching them. JSON: `"pad_zeros"`,
/// `"corsica"`, `"siret_to_siren"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repair {
    /// Left-pad digit-only keys with zeros to a width of the right side (`1053` -> `01053`,
    /// `9` -> `09`).
    PadZeros,
    /// `20xxx` <-> `2Axxx`/`2Bxxx` and département `20` <-> `2A`/`2B`, whichever the right
    /// side holds (lower-case `2a`/`2b` are read as upper case).
    Corsica,
    /// The first 9 digits (the SIREN) of a 14-digit SIRET.
    SiretToSiren,
}

impl Repair {
    /// Every repair, in the order they are offered.
    pub const ALL: [Repair; 3] = [Repair::PadZeros, Repair::Corsica, Repair::SiretToSiren];

    /// A short bilingual label for the report.
    pub fn label(self) -> &'static str {
        match self {
            Repair::PadZeros => "zéros de tête perdus / lost leading zeros",
            Repair::Corsica => "Corse 2A/2B / Corsica 2A/2B",
            Repair::SiretToSiren => "SIRET -> SIREN (9 premiers chiffres / first 9 digits)",
        }
    }

    /// Whether `key` has the shape this repair rewrites, given the right column's values.
    pub(super) fn applies_to(self, key: &[u8], right: &Atoms) -> bool {
        match self {
            Repair::PadZeros => {
                all_digits(key) && right.digit_widths() >> (key.len() + 1).min(63) != 0
            }
            Repair::Corsica => corsica_shape(key),
            Repair::SiretToSiren => key.len() == 14 && all_digits(key),
        }
    }

    /// The right column's value this repair turns `key` into, if the right side holds one.
    /// `scratch` is a reusable buffer (no allocation once it has grown).
    pub(super) fn rewrite(self, key: &[u8], right: &Atoms, scratch: &mut Vec<u8>) -> Option<u32> {
        if !self.applies_to(key, right) {
            return None;
        }
        match self {
            Repair::PadZeros => {
                let widths = right.digit_widths();
                (key.len() + 1..64)
                    .filter(|w| widths >> w & 1 == 1)
                    .find_map(|w| {
                        scratch.clear();
                        scratch.resize(w - key.len(), b'0');
                        scratch.extend_from_slice(key);
                        right.get(scratch)
                    })
            }
            Repair::Corsica => corsica(key, right, scratch),
            Repair::SiretToSiren => right.get(&key[..9]),
        }
    }
}

fn all_digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(u8::is_ascii_digit)
}

/// `20`, `2A`, `2B` (any case), or one of them followed by three digits.
fn corsica_shape(b: &[u8]) -> bool {
    (b.len() == 2 || (b.len() == 5 && all_digits(&b[2..])))
        && b[0] == b'2'
        && matches!(b[1], b'0' | b'A' | b'B' | b'a' | b'b')
}

fn corsica(key: &[u8], right: &Atoms, scratch: &mut Vec<u8>) -> Option<u32> {
    let mut with = |second: u8| {
        scratch.clear();
        scratch.extend_from_slice(key);
        scratch[1] = second;
        right.get(scratch)
    };
    if key[1] == b'0' {
        // Only one of 2A/2B may be present, otherwise the old code is ambiguous.
        match (with(b'A'), with(b'B')) {
            (Some(a), None) | (None, Some(a)) => Some(a),
            _ => None,
        }
    } else {
        with(key[1].to_ascii_uppercase()).or_else(|| with(b'0'))
    }
}
