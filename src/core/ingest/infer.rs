//! Type inference on a sample of rows: one [`Kind`] (and maybe a [`KeyKind`]) per column.
//!
//! The lattice, from narrowest to widest, and how a column climbs it:
//!
//! ```text
//!   null ─┬─> boolean ───────────────────────────────┐
//!         ├─> integer ─> decimal (exact) ─> float ───┼─> text
//!         ├─> date (one shared format) ──> datetime ─┘
//! ```
//!
//! A column takes the narrowest type that reads *every* non-null sample cell; nulls (the
//! [`is_null_token`] vocabulary) fit everything; a column with no value at all is text.
//! Identifiers beat numbers: a value with a leading zero (`01053`, `09`), a key shape
//! ([`KeyStats`]: SIREN, SIRET, INSEE commune...), plain digits under an identifier name
//! (`codeCPV`, `NJ`) or varying values of one fixed width of eight digits or more (`20070401`)
//! make the column text; year names (`exercice`, `annee`) stay numbers. Booleans only from
//! words (`oui`/`non`, `true`/`false`...), never from `0`/`1`. Decimals keep the largest
//! fraction length seen as their scale; exponents or values beyond `i64` make floats. Dates
//! are chosen only when every sample value parses with one common format.
//!
//! What must stay true: the decision only depends on the sample's cells and the header name,
//! and a later cell that contradicts it is handled by the builder (promotion, invalid value
//! or fallback to text), never by a panic.

use super::build::Kind;
use super::cell::{
    date_formats, is_null_token, parse_bool, parse_datetime, parse_num, trim, DATE_ALL,
};
use super::keys::{is_code_name, is_quantity_name, is_year_name, KeyStats};
use crate::core::column::{ColumnType, KeyKind};

/// Rows of the sample used for inference. 20 000 rows is a few MB of typical open data: big
/// enough to see rare values, small enough to stay within one browser frame budget or two.
pub const SAMPLE_ROWS: usize = 20_000;

/// Fewest digits of a fixed-width code whose header does not name it a code. Eight digits
/// covers CPV codes (`45214200`) and `YYYYMMDD` dates; five to seven digits are common
/// widths of genuine quantities that vary in a narrow range (median incomes, populations of
/// one size class), and the five-digit codes (communes, postal codes) have their own key kinds.
pub const CODE_WIDTH: usize = 8;

/// Longest first value remembered to tell a constant column from a varying one.
const WIDTH_MAX: usize = 32;

#[derive(Debug, Clone, Copy)]
struct NumStats {
    ok: bool,
    int_only: bool,
    scale: u8,
    float: bool,
    /// A separator was used as a decimal point somewhere.
    evidence: bool,
}

impl Default for NumStats {
    fn default() -> Self {
        NumStats {
            ok: true,
            int_only: true,
            scale: 0,
            float: false,
            evidence: false,
        }
    }
}

/// What the sample says about one column.
#[derive(Debug, Clone)]
pub struct ColumnStats {
    pub non_null: usize,
    bool_ok: bool,
    /// Index 0: decimal point `.`; index 1: decimal comma `,`.
    num: [NumStats; 2],
    leading_zero: bool,
    /// Every value is unsigned digits, maybe with one decimal separator (`45214200`, `57.10`).
    plain: bool,
    /// The common length of the values when every one is unsigned digits only (`Some(0)`:
    /// nothing seen yet; `None`: some other shape or two lengths).
    width: Option<usize>,
    /// The first value (up to [`WIDTH_MAX`] bytes) and whether another value differs from it.
    first: Option<([u8; WIDTH_MAX], usize)>,
    varies: bool,
    date_mask: u8,
    datetime_ok: bool,
    has_time: bool,
    keys: KeyStats,
}

impl Default for ColumnStats {
    fn default() -> Self {
        ColumnStats {
            non_null: 0,
            bool_ok: true,
            num: [NumStats::default(); 2],
            leading_zero: false,
            plain: true,
            width: Some(0),
            first: None,
            varies: false,
            date_mask: DATE_ALL,
            datetime_ok: true,
            has_time: false,
            keys: KeyStats::default(),
        }
    }
}

impl ColumnStats {
    /// Observes one raw sample cell.
    pub fn add(&mut self, raw: &[u8]) {
        let b = trim(raw);
        if is_null_token(b) {
            return;
        }
        self.non_null += 1;
        self.keys.add(b);
        self.add_shape(b);
        if self.bool_ok && parse_bool(b).is_none() {
            self.bool_ok = false;
        }
        for (ns, dec) in self.num.iter_mut().zip([b'.', b',']) {
            if !ns.ok {
                continue;
            }
            match parse_num(b, dec) {
                Some(n) => {
                    self.leading_zero |= n.leading_zero;
                    if n.point {
                        ns.int_only = false;
                        ns.evidence = true;
                    }
                    ns.float |= n.exp || n.overflow;
                    ns.scale = ns.scale.max(n.frac);
                }
                None => ns.ok = false,
            }
        }
        if self.date_mask != 0 {
            self.date_mask &= date_formats(b);
        }
        if self.datetime_ok {
            match parse_datetime(b) {
                Some((_, t)) => self.has_time |= t,
                None => self.datetime_ok = false,
            }
        }
    }

    /// Records the digit shape of a trimmed non-null value (plain digits, width, variety).
    fn add_shape(&mut self, b: &[u8]) {
        let digits = !b.is_empty() && b.iter().all(u8::is_ascii_digit);
        self.width = match self.width {
            Some(0) if digits => Some(b.len()),
            Some(w) if digits && w == b.len() => Some(w),
            _ => None,
        };
        if self.plain && !digits {
            let mut parts = b.splitn(2, |c| *c == b'.' || *c == b',');
            let int = parts.next().unwrap_or_default();
            let frac = parts.next().unwrap_or_default();
            self.plain = !int.is_empty()
                && !frac.is_empty()
                && int.iter().chain(frac).all(u8::is_ascii_digit);
        }
        match &self.first {
            None => {
                let mut buf = [0u8; WIDTH_MAX];
                let n = b.len().min(WIDTH_MAX);
                buf[..n].copy_from_slice(&b[..n]);
                self.first = Some((buf, b.len()));
            }
            Some((buf, n)) => {
                // Values longer than the buffer are compared on their first WIDTH_MAX bytes.
                let k = (*n).min(WIDTH_MAX);
                self.varies |= *n != b.len() || buf.get(..k) != b.get(..k);
            }
        }
    }

    /// Whether these values are codes rather than quantities, judging from their digit shape
    /// and the header `name`: plain digits under an identifier name ([`is_code_name`]:
    /// `codeCPV`, `NJ`, `lieuExecution.code`), or at least two different values that all
    /// share one width of [`CODE_WIDTH`] digits or more under a name that is not a quantity
    /// (`DCRET` = `20070401`; `montant_eur` of 8 digits each stays a number).
    fn code_shaped(&self, name: &str) -> bool {
        if is_year_name(name) {
            return false;
        }
        if self.plain && is_code_name(name) {
            return true;
        }
        matches!(self.width, Some(w) if w >= CODE_WIDTH) && self.varies && !is_quantity_name(name)
    }

    fn numeric(&self) -> bool {
        self.num[0].ok || self.num[1].ok
    }

    /// This column's vote for the dataset's decimal separator.
    pub fn decimal_vote(&self) -> Option<u8> {
        if self.non_null == 0 || self.leading_zero || self.bool_ok {
            return None;
        }
        let [dot, comma] = self.num;
        match (dot.ok && dot.evidence, comma.ok && comma.evidence) {
            (true, false) => Some(b'.'),
            (false, true) => Some(b','),
            _ => None,
        }
    }

    /// Whether a header cell reads as a data value (a number, date or boolean).
    pub fn looks_typed(raw: &[u8]) -> bool {
        let b = trim(raw);
        if b.is_empty() {
            return false;
        }
        let mut s = ColumnStats::default();
        s.add(b);
        if s.non_null == 0 {
            return false;
        }
        // Years as column headers ("2023", "2024") are common in budget tables.
        let year = b.len() == 4
            && b.iter().all(u8::is_ascii_digit)
            && b >= &b"1900"[..]
            && b <= &b"2100"[..];
        (s.numeric() && !year) || s.date_mask != 0 || (s.datetime_ok && s.has_time) || s.bool_ok
    }

    /// The inferred kind and key of a column named `name`, given the dataset's decimal
    /// separator `dec`.
    pub fn decide(&self, name: &str, dec: u8) -> (Kind, Option<KeyKind>) {
        if self.non_null == 0 {
            return (Kind::Text, None);
        }
        let key = self.keys.kind(name);
        if key.is_some() {
            return (Kind::Text, key);
        }
        if self.bool_ok {
            return (Kind::Boolean, None);
        }
        if self.numeric() {
            if (self.leading_zero && !is_year_name(name)) || self.code_shaped(name) {
                return (Kind::Text, None);
            }
            let (ns, d) = if dec == b',' {
                if self.num[1].ok {
                    (self.num[1], b',')
                } else {
                    (self.num[0], b'.')
                }
            } else if self.num[0].ok {
                (self.num[0], b'.')
            } else {
                (self.num[1], b',')
            };
            let kind = if ns.float || ns.scale > 15 {
                Kind::Float { dec: d }
            } else if ns.int_only {
                Kind::Integer { dec: d }
            } else {
                Kind::Decimal {
                    dec: d,
                    scale: ns.scale,
                }
            };
            return (kind, None);
        }
        if self.date_mask != 0 {
            return (
                Kind::Date {
                    fmt: lowest_bit(self.date_mask),
                },
                None,
            );
        }
        if self.datetime_ok {
            return (Kind::Datetime, None);
        }
        (Kind::Text, None)
    }

    /// The kind for a user-forced type.
    pub fn forced(&self, t: ColumnType, dec: u8) -> Kind {
        let d = if dec == b',' { 1 } else { 0 };
        match t {
            ColumnType::Integer => Kind::Integer { dec },
            ColumnType::Decimal => Kind::Decimal {
                dec,
                scale: self.num[d].scale.min(15),
            },
            ColumnType::Float => Kind::Float { dec },
            ColumnType::Boolean => Kind::Boolean,
            ColumnType::Date => Kind::Date {
                fmt: if self.date_mask != 0 {
                    lowest_bit(self.date_mask)
                } else {
                    DATE_ALL
                },
            },
            ColumnType::Datetime => Kind::Datetime,
            ColumnType::Text => Kind::Text,
        }
    }
}

fn lowest_bit(m: u8) -> u8 {
    m & m.wrapping_neg()
}

/// The dataset's decimal separator: `,` when more columns need a decimal comma than a point.
pub fn dataset_decimal(stats: &[ColumnStats]) -> u8 {
    let (mut dot, mut comma) = (0, 0);
    for s in stats {
        match s.decimal_vote() {
            Some(b'.') => dot += 1,
            Some(b',') => comma += 1,
            _ => {}
        }
    }
    if comma > dot {
        b','
    } else {
        b'.'
    }
}
