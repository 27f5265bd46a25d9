//! Literals of filters read against a column's type: a literal as text, as a boolean, as a day
//! interval (a year, a month, a day, ISO or French order), as a datetime. A literal that does
//! not read returns `None`, which callers turn into "matches nothing" or a clear error.

use crate::core::query::Literal;
use crate::core::value::{days_from_civil, format_float};

/// A literal's text for matching a text column (`2020` matches the text "2020").
pub(crate) fn literal_text(l: &Literal) -> Option<String> {
    match l {
        Literal::Text(s) => Some(s.clone()),
        Literal::Number(x) => Some(format_float(*x)),
        Literal::Bool(b) => Some(b.to_string()),
        Literal::Null => None,
    }
}

/// A literal as a number: JSON numbers, or strings such as `"1 234,5"` or `"12.5"`.
pub(crate) fn literal_f64(l: &Literal) -> Option<f64> {
    match l {
        Literal::Number(x) => Some(*x),
        Literal::Text(s) => parse_number(s),
        Literal::Bool(_) | Literal::Null => None,
    }
}

pub(crate) fn literal_bool(l: &Literal) -> Option<bool> {
    match l {
        Literal::Bool(b) => Some(*b),
        Literal::Number(x) => Some(*x != 0.0),
        Literal::Text(s) => match s.trim().to_lowercase().as_str() {
            "true" | "vrai" | "oui" | "yes" | "1" => Some(true),
            "false" | "faux" | "non" | "no" | "0" => Some(false),
            _ => None,
        },
        Literal::Null => None,
    }
}

/// Parses `12.5`, `-12,5`, `1 234,56` (space or no-break space thousands separators).
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let cleaned: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    cleaned
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// A literal as an inclusive range of days: a year (`2020`, `"2020"`), a month
/// (`"2020-03"`), or a day (`"2020-03-01"`, `"01/03/2020"`, or an ISO datetime's date part).
pub(crate) fn literal_days(l: &Literal) -> Option<(i32, i32)> {
    match l {
        Literal::Number(x) if x.fract() == 0.0 && (1000.0..=9999.0).contains(x) => {
            year_range(*x as i32)
        }
        Literal::Text(s) => parse_day_range(s.trim()),
        _ => None,
    }
}

pub(crate) fn year_range(y: i32) -> Option<(i32, i32)> {
    Some((days_from_civil(y, 1, 1)?, days_from_civil(y, 12, 31)?))
}

/// Parses a year, a month or a day into an inclusive range of days.
pub(crate) fn parse_day_range(s: &str) -> Option<(i32, i32)> {
    let num = |t: &str| t.parse::<u32>().ok();
    if s.len() == 4 {
        return year_range(i32::try_from(num(s)?).ok()?);
    }
    if let Some((y, m)) = s.split_once('-').filter(|_| s.len() == 7) {
        let y = i32::try_from(num(y)?).ok()?;
        let m = num(m)?;
        let last = crate::core::value::days_in_month(y, m);
        return Some((days_from_civil(y, m, 1)?, days_from_civil(y, m, last)?));
    }
    let day = parse_date(s)?;
    Some((day, day))
}

/// `YYYY-MM-DD` (optionally followed by a time) or `DD/MM/YYYY` -> days since 1970.
pub(crate) fn parse_date(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let num = |t: &str| t.parse::<u32>().ok();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let y = i32::try_from(num(s.get(0..4)?)?).ok()?;
        return days_from_civil(y, num(s.get(5..7)?)?, num(s.get(8..10)?)?);
    }
    if b.len() == 10 && b[2] == b'/' && b[5] == b'/' {
        let y = i32::try_from(num(s.get(6..10)?)?).ok()?;
        return days_from_civil(y, num(s.get(3..5)?)?, num(s.get(0..2)?)?);
    }
    None
}

/// `YYYY-MM-DDTHH:MM[:SS]` (or a space instead of `T`) -> seconds since 1970.
pub(crate) fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() < 16 || !matches!(s.as_bytes()[10], b'T' | b' ') {
        return None;
    }
    let day = i64::from(parse_date(s)?);
    let num = |t: &str| t.parse::<i64>().ok();
    let h = num(s.get(11..13)?)?;
    let m = num(s.get(14..16)?)?;
    let sec = if s.len() >= 19 {
        num(s.get(17..19)?)?
    } else {
        0
    };
    Some(day * 86_400 + h * 3600 + m * 60 + sec)
}
