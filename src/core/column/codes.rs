//! A text column's codes (one per row, an index into its dictionary) in the narrowest width
//! that holds them: one byte while the dictionary has at most 256 values, two bytes up to
//! 65,536, four beyond.
//!
//! Most text columns of public files are codes and labels of a few hundred values at most
//! (ministries, régions, natures of spending): one byte a row instead of four is most of what
//! a million-row file's columns weigh besides its numbers. Pushing widens the vector once,
//! when the first code that does not fit arrives (early in a load: the 257th distinct value);
//! a builder that expects many values starts wide ([`Codes::with_capacity_for`]).
//!
//! Reading a code is [`Codes::get`]; loops over many rows dispatch once on the width with
//! [`with_codes!`](crate::with_codes) and index a plain slice.

/// Codes in the narrowest width that holds them (see the module doc).
#[derive(Clone)]
pub enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

/// Runs `$body` with `$v` bound to the codes as a plain slice of `u8`, `u16` or `u32` (the body
/// is compiled once per width; index it with `$v[i] as usize`).
#[macro_export]
macro_rules! with_codes {
    ($codes:expr, |$v:ident| $body:expr) => {
        match $codes {
            $crate::core::column::Codes::U8($v) => $body,
            $crate::core::column::Codes::U16($v) => $body,
            // The body casts or converts codes to `u32` for the narrow widths: a no-op here.
            $crate::core::column::Codes::U32($v) => {
                #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
                let out = $body;
                out
            }
        }
    };
}

impl Default for Codes {
    fn default() -> Self {
        Codes::U8(Vec::new())
    }
}

impl std::fmt::Debug for Codes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Codes {
    /// The same codes, whatever their width.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Codes {}

/// The width that holds codes up to `max`.
fn width_for(max: u32) -> u8 {
    if max <= u32::from(u8::MAX) {
        1
    } else if max <= u32::from(u16::MAX) {
        2
    } else {
        4
    }
}

impl Codes {
    pub fn new() -> Self {
        Codes::default()
    }

    /// Room for `rows` codes, one byte each until a wider one is pushed.
    pub fn with_capacity(rows: usize) -> Self {
        Codes::U8(Vec::with_capacity(rows))
    }

    /// Room for `rows` codes of a dictionary expected to hold about `distinct` values: starts
    /// as wide as that needs, so that no widening copy happens mid-load.
    pub fn with_capacity_for(rows: usize, distinct: usize) -> Self {
        match Codes::width_for_values(distinct) {
            1 => Codes::U8(Vec::with_capacity(rows)),
            2 => Codes::U16(Vec::with_capacity(rows)),
            _ => Codes::U32(Vec::with_capacity(rows)),
        }
    }

    /// Bytes per code (1, 2 or 4) of a dictionary of `distinct` values.
    pub fn width_for_values(distinct: usize) -> usize {
        let max = u32::try_from(distinct.saturating_sub(1)).unwrap_or(u32::MAX);
        usize::from(width_for(max))
    }

    /// Bytes per code (1, 2 or 4).
    pub fn width(&self) -> usize {
        match self {
            Codes::U8(_) => 1,
            Codes::U16(_) => 2,
            Codes::U32(_) => 4,
        }
    }

    pub fn len(&self) -> usize {
        with_codes!(self, |v| v.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Codes the vector holds without growing.
    pub fn capacity(&self) -> usize {
        with_codes!(self, |v| v.capacity())
    }

    /// Bytes of the vector's allocation.
    pub fn heap_bytes(&self) -> usize {
        self.capacity() * self.width()
    }

    /// The code of row `i`. Panics past the end, as indexing a slice does.
    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        match self {
            Codes::U8(v) => u32::from(v[i]),
            Codes::U16(v) => u32::from(v[i]),
            Codes::U32(v) => v[i],
        }
    }

    /// The codes in row order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    /// Appends `code`, widening the vector first if it does not fit.
    #[inline]
    pub fn push(&mut self, code: u32) {
        match self {
            Codes::U8(v) if code <= u32::from(u8::MAX) => v.push(code as u8),
            Codes::U16(v) if code <= u32::from(u16::MAX) => v.push(code as u16),
            Codes::U32(v) => v.push(code),
            _ => {
                self.widen(width_for(code));
                self.push(code);
            }
        }
    }

    /// Appends `codes`, widened once to the widest of them (a loop of [`Self::push`] tests
    /// the width at every code).
    pub fn extend_from(&mut self, codes: &[u32]) {
        let max = codes.iter().copied().max().unwrap_or(0);
        self.widen(width_for(max));
        match self {
            Codes::U8(v) => v.extend(codes.iter().map(|&c| c as u8)),
            Codes::U16(v) => v.extend(codes.iter().map(|&c| c as u16)),
            Codes::U32(v) => v.extend_from_slice(codes),
        }
    }

    /// Makes room for `more` codes.
    pub fn reserve(&mut self, more: usize) {
        with_codes!(self, |v| v.reserve(more))
    }

    pub fn shrink_to_fit(&mut self) {
        with_codes!(self, |v| v.shrink_to_fit())
    }

    /// Rewrites the codes `width` bytes wide (never narrower than they are), keeping the
    /// vector's capacity in rows.
    fn widen(&mut self, width: u8) {
        if usize::from(width) <= self.width() {
            return;
        }
        let cap = self.capacity();
        *self = if width == 2 {
            let mut w = Vec::with_capacity(cap);
            if let Codes::U8(v) = self {
                w.extend(v.iter().map(|&c| u16::from(c)));
            }
            Codes::U16(w)
        } else {
            let mut w = Vec::with_capacity(cap);
            w.extend(self.iter());
            Codes::U32(w)
        };
    }

    /// The codes of `rows`, in that order and the same width (code 0 for a row past the end,
    /// which the caller marks null).
    pub fn pick(&self, rows: &[u32]) -> Codes {
        fn pick<T: Copy + Default>(v: &[T], rows: &[u32]) -> Vec<T> {
            rows.iter()
                .map(|&r| v.get(r as usize).copied().unwrap_or_default())
                .collect()
        }
        match self {
            Codes::U8(v) => Codes::U8(pick(v, rows)),
            Codes::U16(v) => Codes::U16(pick(v, rows)),
            Codes::U32(v) => Codes::U32(pick(v, rows)),
        }
    }
}

impl From<Vec<u32>> for Codes {
    /// The codes in the narrowest width that holds the largest.
    fn from(v: Vec<u32>) -> Self {
        match width_for(v.iter().copied().max().unwrap_or(0)) {
            1 => Codes::U8(v.into_iter().map(|c| c as u8).collect()),
            2 => Codes::U16(v.into_iter().map(|c| c as u16).collect()),
            _ => Codes::U32(v),
        }
    }
}

impl FromIterator<u32> for Codes {
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut c = Codes::with_capacity(iter.size_hint().0);
        for x in iter {
            c.push(x);
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushing_widens_once_and_keeps_every_code() {
        let mut c = Codes::with_capacity(10);
        for x in [0u32, 7, 255] {
            c.push(x);
        }
        assert_eq!(c.width(), 1);
        c.push(256);
        assert_eq!(c.width(), 2);
        c.push(65_535);
        assert_eq!(c.width(), 2);
        c.push(65_536);
        assert_eq!(c.width(), 4);
        c.push(u32::MAX);
        let expected = vec![0, 7, 255, 256, 65_535, 65_536, u32::MAX];
        assert_eq!(c.iter().collect::<Vec<_>>(), expected);
        assert_eq!(c.len(), 7);
        assert!(c.capacity() >= 10, "widening keeps the reserved rows");
        assert_eq!(c.get(3), 256);
    }

    #[test]
    fn extending_widens_to_the_widest_code_and_keeps_every_code() {
        let mut c = Codes::from(vec![1, 2]);
        c.extend_from(&[]);
        c.extend_from(&[3, 250]);
        assert_eq!(c.width(), 1);
        c.extend_from(&[0, 300, 4]);
        assert_eq!(c.width(), 2);
        c.extend_from(&[70_000]);
        assert_eq!(c.width(), 4);
        c.extend_from(&[5]);
        assert_eq!(
            c.iter().collect::<Vec<_>>(),
            vec![1, 2, 3, 250, 0, 300, 4, 70_000, 5]
        );
    }

    #[test]
    fn from_a_vector_picks_the_narrowest_width_and_equality_ignores_width() {
        assert_eq!(Codes::from(vec![1, 2, 200]).width(), 1);
        assert_eq!(Codes::from(vec![300]).width(), 2);
        assert_eq!(Codes::from(vec![70_000]).width(), 4);
        assert_eq!(Codes::from(Vec::new()).width(), 1);
        let narrow = Codes::from(vec![3, 1, 2]);
        let mut wide = Codes::with_capacity_for(3, 1_000_000);
        for x in [3, 1, 2] {
            wide.push(x);
        }
        assert_eq!(wide.width(), 4);
        assert_eq!(narrow, wide);
        assert_ne!(narrow, Codes::from(vec![3, 1]));
        assert_eq!(
            wide.pick(&[2, 0, 9]).iter().collect::<Vec<_>>(),
            vec![2, 3, 0]
        );
    }

    #[test]
    fn the_macro_reads_every_width_as_a_slice() {
        for c in [
            Codes::from(vec![5, 6]),
            Codes::from(vec![5, 600]),
            Codes::from(vec![5, 100_000]),
        ] {
            let sum: u64 = with_codes!(&c, |v| v.iter().map(|&x| x as u64).sum());
            assert_eq!(sum, 5 + u64::from(c.get(1)));
        }
    }
}
