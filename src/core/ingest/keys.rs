//! Identifier kinds of French public data: SIREN, SIRET, INSEE commune codes, départements,
//! régions and postal codes, recognised from a column's name and the shape of its values.
//!
//! What must stay true: a column gets a key only when *every* non-null sample value has the
//! key's shape (SIREN/SIRET additionally pass the Luhn check for at least 90 % of values, the
//! share that tolerates a few typos in real files); a keyed column is always stored as text so
//! that `01053` keeps its zero. Ambiguous shapes (two digits, five digits) need a name hint.

use crate::core::column::KeyKind;

/// Lower-case ASCII form of a header, accents folded, every other character turned into `_`.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        let c = match ch {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' | 'Û' => 'u',
            'ç' | 'Ç' => 'c',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '_',
        };
        out.push(c);
    }
    out
}

fn tokens(norm: &str) -> impl Iterator<Item = &str> {
    norm.split('_').filter(|t| !t.is_empty())
}

/// Whether a header names a year (`exercice`, `annee`, `année`, `year`): such integer columns
/// stay numbers.
pub fn is_year_name(name: &str) -> bool {
    let n = normalize_name(name);
    let found = tokens(&n).any(|t| matches!(t, "exercice" | "annee" | "year" | "an" | "millesime"));
    found
}

/// Words of a header, lower-case and accent-folded, split at every non-alphanumeric character
/// and at camel-case boundaries: `codeCPV` -> `code`, `cpv`; `lieuExecution.code` ->
/// `lieu`, `execution`, `code`; `DEPCOMEN` -> `depcomen`.
pub fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        let folded = normalize_name(ch.encode_utf8(&mut [0u8; 4]));
        let Some(c) = folded.chars().next().filter(|c| *c != '_') else {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        };
        // An upper-case letter after a lower-case one or a digit starts a word (`codeCPV`).
        if ch.is_uppercase() && prev_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Words that make a header name an identifier: a column so named whose values are plain
/// digits holds codes, not quantities (`codeCPV`, `lieuExecution.code`, `code_type_budget`,
/// `NJ`, `line_code`). Sources: the DECP, SIRENE (v2 and v3) and OFGL column vocabularies.
const CODE_WORDS: &[&str] = &[
    "code",
    "codes",
    "cod",
    "id",
    "identifiant",
    "cpv",
    "nj",
    "naf",
    "ape",
    "apet700",
    "apen700",
    "siren",
    "siret",
    "nic",
    "insee",
    "cog",
    "codgeo",
    "depcom",
    "depcomen",
];

/// Whole header names of SIRENE v2 stock variables (INSEE's dictionary of the pre-2019 stock
/// file) that hold codes of two or more characters: canton, commune and département of the
/// establishment, urban unit, employment zone, size brackets (`00`, `01`... in the full file).
/// One-digit codes (`TU`, `ORIGINE`, `TNCC` in the COG) stay numbers: nothing is lost.
const CODE_NAMES: &[&str] = &[
    "ctonet", "tcd", "tefet", "tefen", "depet", "comet", "du", "uu", "zemet",
];

/// Whether a header names an identifier ([`CODE_WORDS`], a SIRENE v2 code variable of
/// [`CODE_NAMES`], SIRENE's `activitePrincipale*` NAF code or `categorieJuridique*` legal
/// form); year and quantity names ([`QUANTITY_WORDS`]) never do.
pub fn is_code_name(name: &str) -> bool {
    if is_year_name(name) {
        return false;
    }
    let words = name_words(name);
    if words.iter().any(|w| QUANTITY_WORDS.contains(&w.as_str())) {
        return false;
    }
    let pair = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    words.iter().any(|w| CODE_WORDS.contains(&w.as_str()))
        || (words.len() == 1 && CODE_NAMES.contains(&words[0].as_str()))
        || pair("activite", "principale")
        || pair("categorie", "juridique")
}

/// Words that make a header name a quantity (an amount, a count, a population): such a column
/// stays a number even when its values happen to share one width.
const QUANTITY_WORDS: &[&str] = &[
    "montant",
    "amount",
    "population",
    "pop",
    "nombre",
    "nb",
    "total",
    "somme",
    "valeur",
    "value",
    "prix",
    "price",
    "count",
    "effectif",
    "effectifs",
    "surface",
    "taux",
    "rate",
    "moyenne",
    "mean",
    "eur",
    "euros",
    "mio",
];

/// Whether a header names a quantity ([`QUANTITY_WORDS`]).
pub fn is_quantity_name(name: &str) -> bool {
    name_words(name)
        .iter()
        .any(|w| QUANTITY_WORDS.contains(&w.as_str()))
}

/// Luhn checksum used by SIREN and SIRET (INSEE).
pub fn luhn_valid(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &c) in digits.iter().rev().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

/// Counters of value shapes in a column sample.
#[derive(Debug, Clone, Default)]
pub struct KeyStats {
    pub values: usize,
    digits9: usize,
    luhn9: usize,
    digits14: usize,
    luhn14: usize,
    commune: usize,
    digits5: usize,
    departement: usize,
    corsica: usize,
    region: usize,
}

/// Département codes: 01..95 (without 20), 2A, 2B, 971..976.
fn is_departement(b: &[u8]) -> bool {
    match b {
        [b'2', b'A' | b'B' | b'a' | b'b'] => true,
        [a, c] if a.is_ascii_digit() && c.is_ascii_digit() => {
            let v = (a - b'0') * 10 + (c - b'0');
            (1..=95).contains(&v) && v != 20
        }
        // Overseas départements 971-976 and collectivities 975, 977, 978 (DECP uses them).
        [b'9', b'7', c] => (b'1'..=b'8').contains(c),
        _ => false,
    }
}

/// INSEE region codes (COG 2016 onwards), with and without their leading zero.
fn is_region(b: &[u8]) -> bool {
    matches!(
        b,
        b"01"
            | b"02"
            | b"03"
            | b"04"
            | b"06"
            | b"1"
            | b"2"
            | b"3"
            | b"4"
            | b"6"
            | b"11"
            | b"24"
            | b"27"
            | b"28"
            | b"32"
            | b"44"
            | b"52"
            | b"53"
            | b"75"
            | b"76"
            | b"84"
            | b"93"
            | b"94"
    )
}

/// A Corsican département (`2A`, `2B`) or commune (`2A004`) code: only codes look like that,
/// so one of them in a number column makes the column codes.
pub fn is_corsican_code(b: &[u8]) -> bool {
    matches!(b, [b'2', b'A' | b'B' | b'a' | b'b', ..]) && (b.len() == 2 || is_commune(b))
}

/// INSEE commune code: five digits, or `2A`/`2B` and three digits.
fn is_commune(b: &[u8]) -> bool {
    b.len() == 5
        && (b.iter().all(u8::is_ascii_digit)
            || (b[0] == b'2'
                && matches!(b[1], b'A' | b'B' | b'a' | b'b')
                && b[2..].iter().all(u8::is_ascii_digit)))
}

impl KeyStats {
    /// Records one trimmed, non-null value.
    pub fn add(&mut self, b: &[u8]) {
        self.values += 1;
        let all_digits = b.iter().all(u8::is_ascii_digit);
        match b.len() {
            9 if all_digits => {
                self.digits9 += 1;
                self.luhn9 += usize::from(luhn_valid(b));
            }
            14 if all_digits => {
                self.digits14 += 1;
                self.luhn14 += usize::from(luhn_valid(b));
            }
            _ => {}
        }
        if is_commune(b) {
            self.commune += 1;
            self.digits5 += usize::from(all_digits);
            self.corsica += usize::from(!all_digits);
        }
        if is_departement(b) {
            self.departement += 1;
            self.corsica += usize::from(b.len() == 2 && !all_digits);
        }
        self.region += usize::from(is_region(b));
    }

    /// The key kind of a column named `name` whose sample gave these counts.
    pub fn kind(&self, name: &str) -> Option<KeyKind> {
        let n = self.values;
        if n == 0 || is_year_name(name) {
            return None;
        }
        let norm = normalize_name(name);
        let has = |w: &str| norm.contains(w);
        let tok = |ws: &[&str]| tokens(&norm).any(|t| ws.contains(&t));
        // With a name hint, 2 % of values may be off-shape (a SIREN among SIRETs, a foreign
        // identifier); without one, every value must fit. 90 % Luhn-valid: real registries
        // contain a few mistyped numbers.
        let most = |k: usize, hint: bool| if hint { k * 50 >= n * 49 } else { k == n };
        let siret_hint = has("siret") || tok(&["id", "identifiant"]);
        if most(self.digits14, siret_hint) && self.luhn14 * 10 >= self.digits14 * 9 {
            return Some(KeyKind::Siret);
        }
        // EPCI are identified by their SIREN (BANATIC, OFGL, SIRENE v2 `EPCI`).
        let siren_hint = has("siren") || tok(&["epci"]);
        if most(self.digits9, siren_hint) && (self.luhn9 * 10 >= self.digits9 * 9 || siren_hint) {
            return Some(KeyKind::Siren);
        }
        let postal_hint = has("postal") || has("postaux") || tok(&["cp", "codepostal", "codpos"]);
        if postal_hint && most(self.digits5, true) {
            return Some(KeyKind::PostalCode);
        }
        let commune_hint = has("commune")
            || has("insee")
            || tok(&[
                "com",
                "cog",
                "codgeo",
                "depcom",
                "codecommune",
                "codeinsee",
                "insee",
                "depcomen",
            ]);
        if (commune_hint && most(self.commune, true)) || (self.commune == n && self.corsica > 0) {
            return Some(KeyKind::InseeCommune);
        }
        let dep_hint =
            has("departement") || tok(&["dep", "dept", "dpt", "depart", "codedep", "depet"]);
        if (dep_hint && most(self.departement, true)) || (self.departement == n && self.corsica > 0)
        {
            return Some(KeyKind::Departement);
        }
        // A geographic code named only as such (`COG`, `CODGEO`): a closed list of région codes
        // is a région column (the régions table), other département codes a département one.
        let geo_hint = tok(&["cog", "codgeo", "codegeo"]);
        if geo_hint && self.region == n {
            return Some(KeyKind::Region);
        }
        if geo_hint && most(self.departement, true) {
            return Some(KeyKind::Departement);
        }
        // `RPET`/`RPEN`: région of the establishment / enterprise in the SIRENE v2 stock.
        let reg_hint = has("region") || tok(&["reg", "codereg", "rpet", "rpen"]);
        if reg_hint && most(self.region, true) {
            return Some(KeyKind::Region);
        }
        None
    }
}
