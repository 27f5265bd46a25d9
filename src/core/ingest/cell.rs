//! Cell-level readers: null vocabulary, booleans, numbers (decimal point or comma, thousands
//! separators), dates and datetimes, all straight from UTF-8 bytes without allocating.
//!
//! What must stay true: every function here is total (any bytes in, `None` out when the cell
//! does not fit) and never allocates on the hot path; numbers are exact (`digits` is the
//! integer made of every digit written, `frac` how many of them follow the decimal separator).

use crate::core::value::days_from_civil;

/// Strips ASCII spaces and tabs at both ends (non-breaking spaces are kept: they are data).
#[inline]
pub fn trim(b: &[u8]) -> &[u8] {
    let blank = |c: &u8| *c == b' ' || *c == b'\t';
    // Most cells have nothing to trim: two looks.
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if !blank(f) && !blank(l) => return b,
        _ => {}
    }
    let mut s = 0;
    let mut e = b.len();
    while s < e && (b[s] == b' ' || b[s] == b'\t') {
        s += 1;
    }
    while e > s && (b[e - 1] == b' ' || b[e - 1] == b'\t') {
        e -= 1;
    }
    &b[s..e]
}

/// Whether a cell is empty or only ASCII spaces and tabs (`trim(b).is_empty()`).
#[inline]
pub fn is_blank(b: &[u8]) -> bool {
    b.iter().all(|c| *c == b' ' || *c == b'\t')
}

/// Whether a trimmed cell means "no value" in a typed column. The vocabulary comes from what
/// French open-data exports write for missing values (`nd`, `n.d.`, `-`) plus the usual
/// spreadsheet and statistics spellings.
#[inline]
pub fn is_null_token(b: &[u8]) -> bool {
    match b.first() {
        None => true,
        // No null token starts with a digit or is longer than 5 bytes: numbers and dates
        // skip the lookup.
        Some(c) if c.is_ascii_digit() || b.len() > 5 => false,
        Some(_) => null_word(b),
    }
}

/// [`is_null_token`] for a cell of 1 to 5 bytes that does not start with a digit.
fn null_word(b: &[u8]) -> bool {
    let mut low = [0u8; 5];
    for (d, s) in low.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    matches!(
        low.get(..b.len()).unwrap_or_default(),
        b"na"
            | b"n/a"
            | b"-"
            | b"--"
            | b"null"
            | b"nd"
            | b"n.d."
            | b"n.d"
            | b"nan"
            | b"#n/a"
            | b"none"
            | b"nc"
            | b"n.c."
            | b"#na"
            | b"?"
    )
}

/// `Some(true/false)` for the boolean words Loupe accepts (English and French, any case).
/// Single letters (`O`/`N`, `T`/`F`) are deliberately not booleans: they are too often codes.
pub fn parse_bool(b: &[u8]) -> Option<bool> {
    if b.len() > 5 || b.is_empty() {
        return None;
    }
    let mut low = [0u8; 5];
    for (d, s) in low.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    match &low[..b.len()] {
        b"true" | b"vrai" | b"oui" | b"yes" => Some(true),
        b"false" | b"faux" | b"non" | b"no" => Some(false),
        _ => None,
    }
}

/// A number as written: sign, all digits as one integer, count of fraction digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Num {
    pub neg: bool,
    /// Every digit written, as an integer (meaningless when `overflow`).
    pub digits: u64,
    /// Digits after the decimal separator.
    pub frac: u8,
    /// A decimal separator was written.
    pub point: bool,
    /// An exponent (`1e5`) was written: the value is only a float.
    pub exp: bool,
    /// More digits than fit in 64 bits.
    pub overflow: bool,
    /// The integer part starts with `0` followed by another digit (`01053`): an identifier.
    pub leading_zero: bool,
    /// Thousands separators were used.
    pub grouped: bool,
}

impl Num {
    /// The exact value as `units / 10^scale` for `scale >= frac`, if it fits in `i64`.
    #[inline]
    pub fn units(&self, scale: u8) -> Option<i64> {
        if self.overflow || self.exp || scale < self.frac {
            return None;
        }
        let u = if scale == self.frac {
            self.digits
        } else {
            let mul = 10u64.checked_pow(u32::from(scale - self.frac))?;
            self.digits.checked_mul(mul)?
        };
        let v = i64::try_from(u).ok()?;
        Some(if self.neg { -v } else { v })
    }
}

/// Thousands separators accepted between digit groups: space, U+00A0, U+202F, apostrophes,
/// and `.` when the decimal separator is `,`. Returns the separator's length in bytes.
#[inline]
fn thousands_sep(b: &[u8], i: usize, dec: u8) -> usize {
    match b[i] {
        b' ' | b'\'' => 1,
        b'.' if dec == b',' => 1,
        0xC2 if b.get(i + 1) == Some(&0xA0) => 2,
        0xE2 if b.get(i + 1) == Some(&0x80)
            && matches!(b.get(i + 2), Some(&0xAF) | Some(&0x99)) =>
        {
            3
        }
        _ => 0,
    }
}

/// Reads a trimmed cell as a number with decimal separator `dec` (`b'.'` or `b','`).
/// Accepts a sign, a leading separator (`.1106`), digit groups of three after a thousands
/// separator, an exponent, and a trailing euro sign.
#[inline]
pub fn parse_num(b: &[u8], dec: u8) -> Option<Num> {
    match plain_num(b, dec) {
        Some(n) => Some(n),
        None => parse_num_general(b, dec),
    }
}

/// The common spelling read in one pass: an optional `-`, at most 19 bytes of digits with at
/// most one `dec` after the first digit (no overflow possible). `None` for anything else,
/// which [`parse_num_general`] reads; where this returns a number, it is the one
/// [`parse_num_general`] returns.
#[inline]
fn plain_num(b: &[u8], dec: u8) -> Option<Num> {
    let (neg, body) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    if body.is_empty() || body.len() > 19 {
        return None;
    }
    let mut acc = 0u64;
    let mut int_digits = 0u8;
    let mut frac = 0u8;
    let mut point = false;
    for &c in body {
        let d = c.wrapping_sub(b'0');
        if d < 10 {
            acc = acc * 10 + u64::from(d);
            if point {
                frac += 1;
            } else {
                int_digits += 1;
            }
        } else if c == dec && !point && int_digits > 0 {
            point = true;
        } else {
            return None;
        }
    }
    Some(Num {
        neg,
        digits: acc,
        frac,
        point,
        exp: false,
        overflow: false,
        leading_zero: body[0] == b'0' && int_digits > 1,
        grouped: false,
    })
}

/// [`parse_num`] for every spelling.
fn parse_num_general(b: &[u8], dec: u8) -> Option<Num> {
    let mut b = b;
    // A trailing "€" (E2 82 AC), possibly after a space, is a unit, not data.
    if b.ends_with("€".as_bytes()) {
        b = trim(&b[..b.len() - 3]);
        if let Some(s) = b.strip_suffix(&[0xC2, 0xA0]) {
            b = s;
        }
    }
    let n = b.len();
    if n == 0 || n > 64 {
        return None;
    }
    let mut num = Num::default();
    let mut i = 0;
    match b[0] {
        b'-' => {
            num.neg = true;
            i = 1;
        }
        b'+' => i = 1,
        _ => {}
    }
    let mut int_digits = 0usize;
    let mut group_len = 0usize; // digits since the last thousands separator
    let mut first_group = 0usize;
    let mut digits = 0usize;
    let mut acc: u64 = 0;
    let push = |acc: &mut u64, d: u8, num: &mut Num| match acc
        .checked_mul(10)
        .and_then(|v| v.checked_add(u64::from(d - b'0')))
    {
        Some(v) => *acc = v,
        None => num.overflow = true,
    };
    // Integer part.
    while i < n {
        let c = b[i];
        if c.is_ascii_digit() {
            if int_digits == 0 && c == b'0' && i + 1 < n && b[i + 1].is_ascii_digit() {
                num.leading_zero = true;
            }
            push(&mut acc, c, &mut num);
            int_digits += 1;
            group_len += 1;
            digits += 1;
            i += 1;
            continue;
        }
        if c == dec {
            break;
        }
        let sl = thousands_sep(b, i, dec);
        if sl == 0 || int_digits == 0 {
            break;
        }
        if !num.grouped {
            first_group = group_len;
            if first_group > 3 {
                return None;
            }
        } else if group_len != 3 {
            return None;
        }
        num.grouped = true;
        group_len = 0;
        i += sl;
        if !(i < n && b[i].is_ascii_digit()) {
            return None;
        }
    }
    if num.grouped && group_len != 3 {
        return None;
    }
    let _ = first_group;
    // Fraction.
    if i < n && b[i] == dec {
        num.point = true;
        i += 1;
        while i < n && b[i].is_ascii_digit() {
            push(&mut acc, b[i], &mut num);
            digits += 1;
            num.frac = num.frac.saturating_add(1);
            i += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    // Exponent.
    if i < n && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < n && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let s = i;
        while i < n && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == s || i - s > 3 {
            return None;
        }
        num.exp = true;
    }
    if i != n {
        return None;
    }
    num.digits = acc;
    Some(num)
}

/// The cell as a float with decimal separator `dec` (exponents and huge values included).
pub fn parse_f64(b: &[u8], dec: u8) -> Option<f64> {
    let num = parse_num(b, dec)?;
    if !num.exp && !num.overflow {
        let v = num.digits as f64 / 10f64.powi(i32::from(num.frac));
        return Some(if num.neg { -v } else { v });
    }
    // Rare path: rebuild a plain `1234.5e6` spelling on the stack and let std parse it.
    let mut buf = [0u8; 72];
    let mut k = 0;
    let mut i = 0;
    while i < b.len() && k < buf.len() {
        let c = b[i];
        if c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'e' || c == b'E' {
            buf[k] = c;
            k += 1;
        } else if c == dec {
            buf[k] = b'.';
            k += 1;
        }
        i += 1;
    }
    std::str::from_utf8(&buf[..k]).ok()?.parse::<f64>().ok()
}

/// Date spellings, as bits of a mask so that a column keeps the formats all its cells share.
pub const DATE_ISO: u8 = 1; // 2024-03-01
pub const DATE_DMY_SLASH: u8 = 2; // 01/03/2024
pub const DATE_DMY_DASH: u8 = 4; // 01-03-2024
pub const DATE_DMY_DOT: u8 = 8; // 01.03.2024
pub const DATE_YMD_SLASH: u8 = 16; // 2024/03/01
pub const DATE_FRENCH: u8 = 32; // 1er mars 2024, 13 février 1996
pub const DATE_ALL: u8 = 63;

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0')))
}

fn ymd(y: &[u8], m: &[u8], d: &[u8]) -> Option<i32> {
    if y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    let y = i32::try_from(digits(y)?).ok()?;
    days_from_civil(y, digits(m)?, digits(d)?)
}

fn split3(b: &[u8], sep: u8) -> Option<(&[u8], &[u8], &[u8])> {
    let mut it = b.splitn(3, |&c| c == sep);
    let a = it.next()?;
    let m = it.next()?;
    let c = it.next()?;
    Some((a, m, c))
}

const FRENCH_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

fn french_month(w: &[u8]) -> Option<u32> {
    let w = w.strip_suffix(b".").unwrap_or(w);
    for (i, m) in FRENCH_MONTHS.iter().enumerate() {
        let mb = m.as_bytes();
        if w.len() == mb.len() && w.iter().zip(mb).all(|(a, b)| a.to_ascii_lowercase() == *b) {
            return Some(i as u32 + 1);
        }
    }
    // Spellings without accents, as typed on some keyboards.
    match w.to_ascii_lowercase().as_slice() {
        b"fevrier" => Some(2),
        b"aout" => Some(8),
        b"decembre" => Some(12),
        _ => None,
    }
}

fn parse_french_date(b: &[u8]) -> Option<i32> {
    let mut parts = b.split(|&c| c == b' ').filter(|p| !p.is_empty());
    let d = parts.next()?;
    let m = parts.next()?;
    let y = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let d = d.strip_suffix(b"er").unwrap_or(d);
    if d.len() > 2 || y.len() != 4 {
        return None;
    }
    let y = i32::try_from(digits(y)?).ok()?;
    days_from_civil(y, french_month(m)?, digits(d)?)
}

/// The ten-byte spellings `yyyy-mm-dd` (when `formats` has [`DATE_ISO`]) and `dd/mm/yyyy`
/// (when it has [`DATE_DMY_SLASH`]) read at once, as `(year, month, day)`; `None` for any other
/// cell, which the general path of [`parse_date`] reads. Where this returns a date, the
/// general path reads the same one: a cell of that shape has no other split.
#[inline]
fn ten_byte_date(b: &[u8], formats: u8) -> Option<(u32, u32, u32)> {
    let b: &[u8; 10] = b.try_into().ok()?;
    let num = |i: usize| -> Option<u32> {
        let (h, l) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
        (h < 10 && l < 10).then_some(u32::from(h) * 10 + u32::from(l))
    };
    if b[4] == b'-' && b[7] == b'-' && formats & DATE_ISO != 0 {
        Some((num(0)? * 100 + num(2)?, num(5)?, num(8)?))
    } else if b[2] == b'/' && b[5] == b'/' && formats & DATE_DMY_SLASH != 0 {
        Some((num(6)? * 100 + num(8)?, num(3)?, num(0)?))
    } else {
        None
    }
}

/// Reads a trimmed cell as a date in one of the `formats` (mask); returns days since 1970.
pub fn parse_date(b: &[u8], formats: u8) -> Option<i32> {
    if let Some((y, m, d)) = ten_byte_date(b, formats) {
        return days_from_civil(i32::try_from(y).ok()?, m, d);
    }
    parse_date_general(b, formats)
}

/// [`parse_date`] for every spelling.
fn parse_date_general(b: &[u8], formats: u8) -> Option<i32> {
    let n = b.len();
    if !(8..=20).contains(&n) {
        return None;
    }
    if formats & (DATE_ISO | DATE_DMY_DASH) != 0 {
        if let Some((a, m, c)) = split3(b, b'-') {
            if formats & DATE_ISO != 0 && a.len() == 4 {
                return ymd(a, m, c);
            }
            if formats & DATE_DMY_DASH != 0 && c.len() == 4 {
                return ymd(c, m, a);
            }
        }
    }
    if formats & (DATE_DMY_SLASH | DATE_YMD_SLASH) != 0 {
        if let Some((a, m, c)) = split3(b, b'/') {
            if formats & DATE_YMD_SLASH != 0 && a.len() == 4 {
                return ymd(a, m, c);
            }
            if formats & DATE_DMY_SLASH != 0 && c.len() == 4 {
                return ymd(c, m, a);
            }
        }
    }
    if formats & DATE_DMY_DOT != 0 {
        if let Some((a, m, c)) = split3(b, b'.') {
            if c.len() == 4 {
                return ymd(c, m, a);
            }
        }
    }
    if formats & DATE_FRENCH != 0 && b.contains(&b' ') {
        return parse_french_date(b);
    }
    None
}

/// The date formats (mask) under which a trimmed cell reads as a date.
pub fn date_formats(b: &[u8]) -> u8 {
    let mut mask = 0;
    for f in [
        DATE_ISO,
        DATE_DMY_SLASH,
        DATE_DMY_DASH,
        DATE_DMY_DOT,
        DATE_YMD_SLASH,
        DATE_FRENCH,
    ] {
        if parse_date(b, f).is_some() {
            mask |= f;
        }
    }
    mask
}

/// Reads `HH:MM[:SS[.fff]]` then an optional `Z` or `±HH[:MM]` offset (ignored: Loupe keeps
/// wall-clock time). Returns seconds in the day.
fn parse_time(b: &[u8]) -> Option<i64> {
    let mut end = b.len();
    if b.last() == Some(&b'Z') || b.last() == Some(&b'z') {
        end -= 1;
    } else if end > 8 {
        // An offset starts with + or - after the seconds or minutes.
        if let Some(p) = b[5..].iter().position(|&c| c == b'+' || c == b'-') {
            end = 5 + p;
        }
    }
    let t = &b[..end];
    let (hms, _frac) = match t.iter().position(|&c| c == b'.' || c == b',') {
        Some(p) => (&t[..p], &t[p + 1..]),
        None => (t, &t[t.len()..]),
    };
    if !_frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut it = hms.split(|&c| c == b':');
    let h = it.next()?;
    let m = it.next()?;
    let s = it.next();
    if it.next().is_some() || h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m) = (digits(h)?, digits(m)?);
    let s = match s {
        Some(s) if s.len() == 2 => digits(s)?,
        Some(_) => return None,
        None => 0,
    };
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(i64::from(h * 3600 + m * 60 + s))
}

/// Reads a trimmed cell as a datetime: an ISO or `dd/mm/yyyy` date, `T` or a space, a time.
/// A bare date reads as midnight. Returns `(seconds since 1970, had a time part)`.
pub fn parse_datetime(b: &[u8]) -> Option<(i64, bool)> {
    if b.len() < 8 || b.len() > 40 {
        return None;
    }
    let split = b.iter().position(|&c| c == b'T' || c == b' ');
    let (d, t) = match split {
        Some(p) => (&b[..p], Some(&b[p + 1..])),
        None => (b, None),
    };
    let days = parse_date(d, DATE_ISO | DATE_DMY_SLASH | DATE_YMD_SLASH)?;
    let secs = match t {
        Some(t) => parse_time(trim(t))?,
        None => 0,
    };
    Some((i64::from(days) * 86_400 + secs, t.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string over `alphabet` up to `max` bytes.
    fn strings(alphabet: &[u8], max: u32) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for len in 0..=max {
            for mut k in 0..(alphabet.len() as u64).pow(len) {
                let mut s = Vec::new();
                for _ in 0..len {
                    s.push(alphabet[(k % alphabet.len() as u64) as usize]);
                    k /= alphabet.len() as u64;
                }
                out.push(s);
            }
        }
        out
    }

    #[test]
    fn trim_and_is_blank_strip_spaces_and_tabs_only() {
        for s in strings(b" \ta\xA0", 6) {
            let keep = |c: &u8| *c != b' ' && *c != b'\t';
            let expected = match (s.iter().position(keep), s.iter().rposition(keep)) {
                (Some(a), Some(b)) => &s[a..=b],
                _ => &s[..0],
            };
            assert_eq!(trim(&s), expected, "{s:?}");
            assert_eq!(is_blank(&s), expected.is_empty(), "{s:?}");
        }
    }

    #[test]
    fn plain_numbers_read_as_the_general_reader_reads_them() {
        for dec in [b'.', b','] {
            for s in strings(b"0159-.,e ", 6) {
                assert_eq!(parse_num(&s, dec), parse_num_general(&s, dec), "{s:?}");
            }
            for s in [
                &b"1234567890123456789"[..],
                b"-1234567890123456789",
                b"12345678901234567890",
                b"18446744073709551615",
                b"18446744073709551616",
                b"9999999999999999999",
                b"0000000000000000000",
                b"123456789012345678,9",
                b"123456789012345678.9",
                b"-00,50",
                b"3131,22",
            ] {
                assert_eq!(parse_num(s, dec), parse_num_general(s, dec), "{s:?}");
            }
        }
        // Hand-written expectations.
        let n = parse_num(b"3131,22", b',').map(|n| (n.digits, n.frac, n.point, n.neg));
        assert_eq!(n, Some((313_122, 2, true, false)));
        let n = parse_num(b"-0042", b'.').map(|n| (n.digits, n.neg, n.leading_zero));
        assert_eq!(n, Some((42, true, true)));
        assert_eq!(parse_num(b"0,5", b',').map(|n| n.leading_zero), Some(false));
        assert_eq!(
            parse_num(b"5,", b',').map(|n| (n.point, n.frac)),
            Some((true, 0))
        );
        assert!(parse_num(b",5", b'.').is_none());
    }

    #[test]
    fn ten_byte_dates_read_as_the_general_reader_reads_them() {
        let mut cells: Vec<Vec<u8>> = Vec::new();
        for y in [b"2024", b"1900", b"2000", b"0000", b"20a4"] {
            for m in [b"02", b"12", b"13", b"00", b"1 "] {
                for d in [b"29", b"30", b"01", b"00", b"3x"] {
                    cells.push([&y[..], b"-", m, b"-", d].concat());
                    cells.push([&d[..], b"/", m, b"/", y].concat());
                    cells.push([&d[..], b"-", m, b"-", y].concat());
                    cells.push([&y[..], b"/", m, b"/", d].concat());
                    cells.push([&d[..], b".", m, b".", y].concat());
                }
            }
        }
        cells.extend(strings(b"0/-1", 10).into_iter().filter(|s| s.len() == 10));
        for c in &cells {
            for f in 0..=DATE_ALL {
                assert_eq!(parse_date(c, f), parse_date_general(c, f), "{c:?} {f}");
            }
        }
        // Hand-written expectations (days since 1970-01-01).
        assert_eq!(parse_date(b"2024-02-29", DATE_ISO), Some(19_782));
        assert_eq!(parse_date(b"01/03/2024", DATE_DMY_SLASH), Some(19_783));
        assert_eq!(parse_date(b"1999-12-31", DATE_ALL), Some(10_956));
        assert_eq!(parse_date(b"2023-02-29", DATE_ISO), None);
        assert_eq!(parse_date(b"2024-03-01", DATE_DMY_SLASH), None);
    }
}
