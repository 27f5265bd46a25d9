//! Territorial codes as people write them, turned into the INSEE codes the map's shapes carry:
//! `1`, `01`, `001` and `1.0` are the département `01`; `2a`, `02A` are `2A`; `971` stays
//! `971`; `1001` and `01 001` are the commune `01001`; région codes are two digits. Plus the
//! roll-up of a commune to its département and of a département to its région (COG 2018+).
//!
//! What must stay true: normalisation is syntax only (no shape is needed), so a code that
//! normalises may still match no area — the map counts those; a value that does not look like
//! a code at all is kept trimmed, so that it can still match an area by its name.

use super::Level;

/// Département -> région (INSEE COG, régions of 2016; unchanged since).
pub const DEPARTEMENT_REGION: [(&str, &str); 101] = [
    ("01", "84"),
    ("02", "32"),
    ("03", "84"),
    ("04", "93"),
    ("05", "93"),
    ("06", "93"),
    ("07", "84"),
    ("08", "44"),
    ("09", "76"),
    ("10", "44"),
    ("11", "76"),
    ("12", "76"),
    ("13", "93"),
    ("14", "28"),
    ("15", "84"),
    ("16", "75"),
    ("17", "75"),
    ("18", "24"),
    ("19", "75"),
    ("21", "27"),
    ("22", "53"),
    ("23", "75"),
    ("24", "75"),
    ("25", "27"),
    ("26", "84"),
    ("27", "28"),
    ("28", "24"),
    ("29", "53"),
    ("2A", "94"),
    ("2B", "94"),
    ("30", "76"),
    ("31", "76"),
    ("32", "76"),
    ("33", "75"),
    ("34", "76"),
    ("35", "53"),
    ("36", "24"),
    ("37", "24"),
    ("38", "84"),
    ("39", "27"),
    ("40", "75"),
    ("41", "24"),
    ("42", "84"),
    ("43", "84"),
    ("44", "52"),
    ("45", "24"),
    ("46", "76"),
    ("47", "75"),
    ("48", "76"),
    ("49", "52"),
    ("50", "28"),
    ("51", "44"),
    ("52", "44"),
    ("53", "52"),
    ("54", "44"),
    ("55", "44"),
    ("56", "53"),
    ("57", "44"),
    ("58", "27"),
    ("59", "32"),
    ("60", "32"),
    ("61", "28"),
    ("62", "32"),
    ("63", "84"),
    ("64", "75"),
    ("65", "76"),
    ("66", "76"),
    ("67", "44"),
    ("68", "44"),
    ("69", "84"),
    ("70", "27"),
    ("71", "27"),
    ("72", "52"),
    ("73", "84"),
    ("74", "84"),
    ("75", "11"),
    ("76", "28"),
    ("77", "11"),
    ("78", "11"),
    ("79", "75"),
    ("80", "32"),
    ("81", "76"),
    ("82", "76"),
    ("83", "93"),
    ("84", "93"),
    ("85", "52"),
    ("86", "75"),
    ("87", "75"),
    ("88", "44"),
    ("89", "27"),
    ("90", "27"),
    ("91", "11"),
    ("92", "11"),
    ("93", "11"),
    ("94", "11"),
    ("95", "11"),
    ("971", "01"),
    ("972", "02"),
    ("973", "03"),
    ("974", "04"),
    ("976", "06"),
];

/// The 18 région codes.
pub const REGIONS: [&str; 18] = [
    "01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84",
    "93", "94",
];

/// The région of a département code (`None` for an unknown one).
pub fn region_of(dep: &str) -> Option<&'static str> {
    DEPARTEMENT_REGION
        .iter()
        .find(|(d, _)| *d == dep)
        .map(|(_, r)| *r)
}

/// The département of a commune code: `97101` -> `971`, `2A004` -> `2A`, `59350` -> `59`.
pub fn departement_of(commune: &str) -> Option<String> {
    if commune.len() != 5 {
        return None;
    }
    let n = if commune.starts_with("97") { 3 } else { 2 };
    commune.get(..n).map(str::to_string)
}

/// The code a data value stands for at `level`, `None` when it is not one.
///
/// ```
/// use loupe::chart::map::{codes::normalise, Level};
/// assert_eq!(normalise(" 1.0", Level::Departement).as_deref(), Some("01"));
/// assert_eq!(normalise("2a", Level::Departement).as_deref(), Some("2A"));
/// assert_eq!(normalise("1001", Level::Commune).as_deref(), Some("01001"));
/// ```
pub fn normalise(raw: &str, level: Level) -> Option<String> {
    let s = clean(raw);
    if s.is_empty() {
        return None;
    }
    let digits = s.bytes().all(|b| b.is_ascii_digit());
    let corsica = |rest: &str| {
        let b = rest.as_bytes();
        b.len() >= 2 && b[0] == b'2' && matches!(b[1], b'A' | b'B')
    };
    match level {
        Level::Region => {
            if !digits || s.len() > 3 {
                return None;
            }
            let n: u32 = s.parse().ok()?;
            (n < 100).then(|| format!("{n:02}"))
        }
        Level::Departement => {
            // `02A`, `2A`: Corsica, with or without the three-digit zero.
            let t = s.strip_prefix('0').filter(|t| corsica(t)).unwrap_or(&s);
            if corsica(t) && t.len() == 2 {
                return Some(t.to_string());
            }
            if !digits {
                return None;
            }
            let n: u32 = s.parse().ok()?;
            match n {
                1..=95 => Some(format!("{n:02}")),
                971..=989 => Some(n.to_string()),
                _ => Some(s),
            }
        }
        Level::Commune => {
            if corsica(&s) && s.len() == 5 && s[2..].bytes().all(|b| b.is_ascii_digit()) {
                return Some(s);
            }
            if !digits || s.len() > 5 {
                return None;
            }
            // Four digits lost a leading zero (`1001` is `01001`), except after `97`: `9777`
            // may be a truncated overseas code as well as `09777`, so it is reported, not
            // silently counted in the Ariège.
            if s.len() == 4 && s.starts_with("97") {
                return None;
            }
            Some(format!("{s:0>5}"))
        }
    }
}

/// Trimmed, upper-case, spaces removed, quotes and a trailing `.0` (a code read as a number by
/// a spreadsheet) dropped.
fn clean(raw: &str) -> String {
    let mut s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '\u{202F}' | '\u{A0}'))
        .collect::<String>()
        .to_uppercase();
    if let Some((int, frac)) = s.split_once('.') {
        if !int.is_empty() && frac.bytes().all(|b| b == b'0') {
            s = int.to_string();
        }
    }
    s
}

/// The code of `code` (at level `from`) at the coarser level `to`: a commune's département or
/// région, a département's région. `None` when `to` is finer than `from` or the code unknown.
pub fn roll_up(code: &str, from: Level, to: Level) -> Option<String> {
    match (from, to) {
        (a, b) if a == b => Some(code.to_string()),
        (Level::Commune, Level::Departement) => departement_of(code),
        (Level::Commune, Level::Region) => {
            departement_of(code).and_then(|d| region_of(&d).map(str::to_string))
        }
        (Level::Departement, Level::Region) => region_of(code).map(str::to_string),
        _ => None,
    }
}

/// A name folded for matching: lower case, accents removed, every run of other characters one
/// space, `saint`/`sainte` written out (`St-Denis` = `Saint-Denis`).
pub fn fold_name(name: &str) -> String {
    let folded = crate::core::query::filter::fold_text(name);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "st" => "saint".to_string(),
            "ste" => "sainte".to_string(),
            w => w.to_string(),
        })
        .collect();
    words.join(" ")
}

/// The level a column's codes are at, guessed from the codes themselves: five characters are
/// communes, otherwise départements (a région column says so by its key kind).
pub fn guess_level<'a>(values: impl IntoIterator<Item = &'a str>) -> Level {
    let mut long = 0usize;
    let mut n = 0usize;
    for v in values.into_iter().take(500) {
        let c = clean(v);
        if c.is_empty() {
            continue;
        }
        n += 1;
        if c.len() >= 4
            && (c.bytes().all(|b| b.is_ascii_digit()) || c.starts_with("2A") || c.starts_with("2B"))
        {
            long += 1;
        }
    }
    if n > 0 && long * 2 > n {
        Level::Commune
    } else {
        Level::Departement
    }
}
