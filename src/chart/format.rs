//! Number formatting for people, in French and English: axes, data labels, tooltips, summary
//! sentences and the UI all go through these functions so that one number reads the same
//! everywhere.
//!
//! French rules (Imprimerie nationale, as the DSFR applies them):
//! - thousands are separated by a narrow no-break space (U+202F): `1 234 567`;
//! - the decimal separator is a comma: `1 234,56`;
//! - a unit or `%` follows the number after a no-break space (U+00A0): `18,3 %`, `12 €`;
//! - negative numbers take a real minus sign (U+2212), which lines up with `+` in tables.
//!
//! Compact rule ([`fr_compact`]), one rule for every unit:
//! - from one billion: `Md` (milliard), from one million: `M`; below one million the number is
//!   written in full with its thousands separators (`250 000 €`). French newspapers rarely write
//!   `k€`, so Loupe never does;
//! - at most three significant digits, without ever rounding the integer part
//!   (`12,3 M€`, `4,56 Md€`, `123 M€`, `1 235 €`, `45,7 €`), trailing zeros dropped (`12 M€`);
//! - a value that rounds up to the next unit is promoted (`999 999 999` -> `1 Md`).
//!
//! Non-finite values (NaN, infinities) are written `–` (en dash), never `NaN`.

/// Narrow no-break space (U+202F): the French thousands separator.
pub const THOUSANDS_SEP_FR: char = '\u{202F}';
/// No-break space (U+00A0): between a number and its unit or `%` in French.
pub const UNIT_SEP_FR: char = '\u{A0}';
/// The real minus sign (U+2212).
pub const MINUS: char = '\u{2212}';
/// Written for NaN and infinities.
pub const NOT_A_NUMBER: &str = "\u{2013}";

/// Digits of `|v|` rounded to `decimals`: (integer digits, fraction digits).
fn digits(v: f64, decimals: usize) -> (String, String) {
    // Half away from zero (1 234,5 -> 1 235), as people round; `format!` alone rounds half to
    // even. Past 15 significant digits the float has no halves left to round.
    let a = v.abs();
    let p = 10f64.powi(decimals.min(15) as i32);
    let rounded = if a * p < 1e15 { (a * p).round() / p } else { a };
    let s = format!("{:.*}", decimals, rounded);
    match s.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (s, String::new()),
    }
}

/// Groups integer digits by three with `sep`.
fn group(int_digits: &str, sep: char) -> String {
    let n = int_digits.chars().count();
    let mut out = String::with_capacity(int_digits.len() + n / 3 * 3);
    for (i, c) in int_digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Shared number writer: sign, grouped integer part, decimal separator, fraction.
fn write_number(v: f64, decimals: usize, thousands: char, decimal: char) -> String {
    if !v.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    let (int_part, frac) = digits(v, decimals);
    let is_zero = int_part.chars().all(|c| c == '0') && frac.chars().all(|c| c == '0');
    let mut out = String::new();
    if v < 0.0 && !is_zero {
        out.push(MINUS);
    }
    out.push_str(&group(&int_part, thousands));
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(&frac);
    }
    out
}

/// A number the French way with exactly `decimals` decimals.
///
/// ```
/// use loupe::chart::format::fr_number;
/// assert_eq!(fr_number(1234.56, 2), "1\u{202F}234,56");
/// assert_eq!(fr_number(-0.004, 2), "0,00");
/// ```
pub fn fr_number(v: f64, decimals: usize) -> String {
    write_number(v, decimals, THOUSANDS_SEP_FR, ',')
}

/// A number the English way with exactly `decimals` decimals: `1,234.56`.
pub fn en_number(v: f64, decimals: usize) -> String {
    write_number(v, decimals, ',', '.')
}

/// The scale step chosen by the compact rule.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Magnitude {
    Units,
    Millions,
    Billions,
}

impl Magnitude {
    fn divisor(self) -> f64 {
        match self {
            Magnitude::Units => 1.0,
            Magnitude::Millions => 1e6,
            Magnitude::Billions => 1e9,
        }
    }
}

/// Decimals that keep at most three significant digits without cutting the integer part.
fn compact_decimals(scaled: f64) -> usize {
    let a = scaled.abs();
    if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else {
        2
    }
}

/// Chooses the magnitude and the rounded scaled value, promoting `999,95 M` to `1 Md`.
fn compact_parts(v: f64) -> (Magnitude, f64, usize) {
    let a = v.abs();
    let mut mag = if a >= 1e9 {
        Magnitude::Billions
    } else if a >= 1e6 {
        Magnitude::Millions
    } else {
        Magnitude::Units
    };
    loop {
        let scaled = v / mag.divisor();
        let decimals = compact_decimals(scaled);
        let (int_part, frac) = digits(scaled, decimals);
        let rounded_abs: f64 = format!("{int_part}.{frac}0").parse().unwrap_or(0.0);
        let next = match mag {
            Magnitude::Units if rounded_abs >= 1e6 => Some(Magnitude::Millions),
            Magnitude::Millions if rounded_abs >= 1e3 => Some(Magnitude::Billions),
            _ => None,
        };
        match next {
            Some(m) => mag = m,
            None => return (mag, scaled, decimals),
        }
    }
}

/// Removes trailing zeros (and a dangling separator) from a formatted fraction.
fn trim_fraction(s: String, decimal: char) -> String {
    if !s.contains(decimal) {
        return s;
    }
    let trimmed = s.trim_end_matches('0').trim_end_matches(decimal);
    trimmed.to_string()
}

/// A short French amount for axes and labels: `12,3 M€`, `4,5 Md€`, `1 235 €`, `−250 000`.
/// See the module docs for the rule. `unit` is appended after a no-break space
/// (`Some("€")` -> `12,3 M€`; `None` -> `12,3 M`).
pub fn fr_compact(v: f64, unit: Option<&str>) -> String {
    if !v.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    let (mag, scaled, decimals) = compact_parts(v);
    let number = trim_fraction(write_number(scaled, decimals, THOUSANDS_SEP_FR, ','), ',');
    let prefix = match mag {
        Magnitude::Units => "",
        Magnitude::Millions => "M",
        Magnitude::Billions => "Md",
    };
    let suffix = format!("{prefix}{}", unit.unwrap_or(""));
    if suffix.is_empty() {
        number
    } else {
        format!("{number}{UNIT_SEP_FR}{suffix}")
    }
}

/// A short English amount: `€12.3M`, `€4.5B`, `€1,235`, `12.3M t` (currency symbols `€`, `$`
/// and `£` go first, other units after a space).
pub fn en_compact(v: f64, unit: Option<&str>) -> String {
    if !v.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    let (mag, scaled, decimals) = compact_parts(v);
    let number = trim_fraction(write_number(scaled, decimals, ',', '.'), '.');
    let suffix = match mag {
        Magnitude::Units => "",
        Magnitude::Millions => "M",
        Magnitude::Billions => "B",
    };
    match unit {
        Some(u @ ("€" | "$" | "£")) => match number.strip_prefix(MINUS) {
            Some(rest) => format!("{MINUS}{u}{rest}{suffix}"),
            None => format!("{u}{number}{suffix}"),
        },
        Some(u) if !u.is_empty() => format!("{number}{suffix} {u}"),
        _ => format!("{number}{suffix}"),
    }
}

/// A share (0.183 = 18.3 %) in French with one decimal, `,0` dropped: `18,3 %`, `18 %`.
/// A positive share below 0.05 % reads `< 0,1 %` rather than a misleading `0 %`.
pub fn fr_percent(share: f64) -> String {
    percent(
        share,
        THOUSANDS_SEP_FR,
        ',',
        &format!("{UNIT_SEP_FR}%"),
        "<\u{A0}0,1",
    )
}

/// A share in English: `18.3%`, `18%`, `< 0.1%`.
pub fn en_percent(share: f64) -> String {
    percent(share, ',', '.', "%", "< 0.1")
}

fn percent(share: f64, thousands: char, decimal: char, sign: &str, tiny: &str) -> String {
    if !share.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    let pct = share * 100.0;
    if pct > 0.0 && pct < 0.05 {
        return format!("{tiny}{sign}");
    }
    let n = trim_fraction(write_number(pct, 1, thousands, decimal), decimal);
    format!("{n}{sign}")
}

/// A signed relative change in French: `+25 %`, `−3,2 %`.
pub fn fr_change(ratio: f64) -> String {
    let s = fr_percent(ratio);
    if ratio > 0.0 {
        format!("+{s}")
    } else {
        s
    }
}

/// A signed relative change in English: `+25%`, `−3.2%`.
pub fn en_change(ratio: f64) -> String {
    let s = en_percent(ratio);
    if ratio > 0.0 {
        format!("+{s}")
    } else {
        s
    }
}
