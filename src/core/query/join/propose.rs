//! Key proposals: which column pairs could join two datasets, best first.
//!
//! Candidates come from the key kinds ingest detected (same kind on both sides; a left SIRET
//! with a right SIREN through [`Repair::SiretToSiren`]) and from similar column names (tokens
//! compared case- and accent-insensitively, with the usual synonyms: `COM`, `COG`, `codgeo`,
//! `code_insee_commune` all name a commune code). Each candidate is *measured*: its match rate
//! on an evenly spaced sample of at most [`SAMPLE_ROWS`] left rows, with any repair that helps.
//!
//! What must stay true: a proposal's `match_rate` is the real rate on the sample (not a
//! guess); proposals under [`MIN_RATE`] are dropped; at most [`MAX_PROPOSALS`] are returned;
//! the ranking prefers keys that are unique on the right (a lookup key), then closer names.

use serde::{Deserialize, Serialize};

use super::keys::{RightIndex, NONE};
use super::left::LeftKeys;
use super::repair::Repair;
use crate::core::column::{Column, ColumnType, KeyKind};
use crate::core::dataset::Dataset;
use crate::core::ingest::keys::normalize_name;

/// Left rows measured per candidate: enough for a rate within a percent, fast on 1M rows.
pub const SAMPLE_ROWS: usize = 20_000;
/// Proposals matching fewer left rows than this share are dropped.
pub const MIN_RATE: f64 = 0.05;
/// Most proposals returned.
pub const MAX_PROPOSALS: usize = 5;

/// One proposed key pair, with the repairs that help and the rate they give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyProposal {
    /// Left column name.
    pub left: String,
    /// Right column name.
    pub right: String,
    /// Why the pair was proposed, in French (e.g. `"code INSEE commune"`, `"noms proches"`).
    pub reason: String,
    /// Repairs to put in the [`super::JoinSpec`] for this rate.
    pub repairs: Vec<Repair>,
    /// Share of the sampled left rows that match (0 to 1).
    pub match_rate: f64,
}

/// Proposes join keys between `left` and `right`, best first (see the module docs).
///
/// ```
/// use loupe::core::ingest::{read, IngestOptions};
/// use loupe::core::query::join::propose_keys;
/// let opts = IngestOptions::default();
/// let left = read(b"code_commune,montant\n35238,10\n01053,20\n", &opts).map_err(|e| e.to_string())?;
/// let right = read(b"COM,LIBELLE\n01053,Bourg-en-Bresse\n35238,Rennes\n", &opts).map_err(|e| e.to_string())?;
/// let p = propose_keys(&left, &right);
/// assert_eq!((p[0].left.as_str(), p[0].right.as_str(), p[0].match_rate), ("code_commune", "COM", 1.0));
/// # Ok::<(), String>(())
/// ```
pub fn propose_keys(left: &Dataset, right: &Dataset) -> Vec<KeyProposal> {
    let sample: Option<Vec<u32>> = (left.rows > SAMPLE_ROWS).then(|| {
        (0..SAMPLE_ROWS)
            .map(|i| (i * left.rows / SAMPLE_ROWS) as u32)
            .collect()
    });
    let rows = sample.as_ref().map_or(left.rows, Vec::len);
    if rows == 0 {
        return Vec::new();
    }
    let mut lefts: Vec<Option<LeftKeys>> = left.columns.iter().map(|_| None).collect();
    let mut rights: Vec<Option<RightIndex>> = right.columns.iter().map(|_| None).collect();
    let mut scored: Vec<(f64, f64, KeyProposal)> = Vec::new();
    for (li, lc) in left.columns.iter().enumerate() {
        for (ri, rc) in right.columns.iter().enumerate() {
            let sim = name_similarity(&lc.name, &rc.name);
            let Some((reason, base)) = candidate(lc, rc, sim) else {
                continue;
            };
            let lk = lefts[li]
                .get_or_insert_with(|| LeftKeys::build(&[lc], left.rows, sample.as_deref()));
            let rk = rights[ri].get_or_insert_with(|| RightIndex::build(&[rc], right.rows));
            let (repairs, matched) = best_repairs(lk, lc, rk, base);
            let rate = matched as f64 / rows as f64;
            if rate < MIN_RATE {
                continue;
            }
            // Share of right rows with a key of their own: 1 for a reference table, near 0 for
            // a département column of a commune table (which would match everything).
            let unique = rk.count.len() as f64 / rk.keyed_rows.max(1) as f64;
            let score = rate * unique * (0.9 + 0.1 * sim);
            scored.push((
                score,
                sim,
                KeyProposal {
                    left: lc.name.clone(),
                    right: rc.name.clone(),
                    reason,
                    repairs,
                    match_rate: rate,
                },
            ));
        }
    }
    // Stable sort: equal scores keep the left then right column order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)));
    scored
        .into_iter()
        .take(MAX_PROPOSALS)
        .map(|(_, _, p)| p)
        .collect()
}

/// Why `l` and `r` could be a key pair, with the repairs that pair needs; `None` if not.
fn candidate(l: &Column, r: &Column, sim: f64) -> Option<(String, Vec<Repair>)> {
    match (l.key, r.key) {
        (Some(KeyKind::Siret), Some(KeyKind::Siren)) => Some((
            "SIRET -> SIREN (9 premiers chiffres)".into(),
            vec![Repair::SiretToSiren],
        )),
        (Some(a), Some(b)) if a == b => Some((kind_reason(a).into(), Vec::new())),
        _ if sim >= 0.5 && is_identifier(l) && is_identifier(r) => {
            Some(("noms proches".into(), Vec::new()))
        }
        _ => None,
    }
}

/// Identifiers are text or integers; amounts, dates and flags are not join keys.
fn is_identifier(c: &Column) -> bool {
    matches!(c.column_type(), ColumnType::Text | ColumnType::Integer)
}

fn kind_reason(k: KeyKind) -> &'static str {
    match k {
        KeyKind::Siren => "SIREN",
        KeyKind::Siret => "SIRET",
        KeyKind::InseeCommune => "code INSEE commune",
        KeyKind::Departement => "code département",
        KeyKind::Region => "code région",
        KeyKind::PostalCode => "code postal",
    }
}

/// Starting from `base`, adds each other repair that gains matches; returns the repairs and
/// the left rows (of the sample) that match with them.
fn best_repairs(
    lk: &LeftKeys,
    lc: &Column,
    rk: &RightIndex,
    base: Vec<Repair>,
) -> (Vec<Repair>, usize) {
    let matched = |repairs: &[Repair]| -> usize {
        lk.resolve(&[lc], rk, repairs)
            .iter()
            .zip(&lk.counts)
            .filter(|(&r, _)| r != NONE)
            .map(|(_, &n)| n as usize)
            .sum()
    };
    let mut repairs = base;
    let mut best = matched(&repairs);
    for r in Repair::ALL {
        if repairs.contains(&r) {
            continue;
        }
        repairs.push(r);
        let m = matched(&repairs);
        if m > best {
            best = m;
        } else {
            repairs.pop();
        }
    }
    (repairs, best)
}

/// The meaningful tokens of a normalized column name, synonyms mapped to one word, sorted.
fn name_tokens(norm: &str) -> Vec<&str> {
    let mut out: Vec<&str> = norm
        .split('_')
        .filter(|t| !t.is_empty() && !t.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(canonical_token)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A token's canonical word (itself when it has no synonym); `None` for words that carry no
/// meaning in a key name (`code`, `de`...). Years and other numbers are dropped by the caller.
fn canonical_token(t: &str) -> Option<&str> {
    Some(match t {
        "code" | "cod" | "c" | "de" | "du" | "des" | "la" | "le" | "les" | "d" | "l" | "num"
        | "numero" | "no" | "n" => return None,
        "com" | "cog" | "codgeo" | "depcom" | "insee" | "commune" | "communes" | "codecommune"
        | "codeinsee" | "codecom" => "commune",
        "dep" | "dept" | "dpt" | "depart" | "departement" | "departements" | "codedep" => {
            "departement"
        }
        "reg" | "region" | "regions" | "codereg" => "region",
        "cp" | "postal" | "postaux" | "codepostal" | "codpos" => "postal",
        "nom" | "libelle" | "name" | "lib" => "nom",
        "id" | "identifiant" | "ident" => "id",
        other => other,
    })
}

/// Jaccard similarity (0 to 1) of two names' token sets (see [`name_tokens`]).
pub(super) fn name_similarity(a: &str, b: &str) -> f64 {
    let (na, nb) = (normalize_name(a), normalize_name(b));
    let (wa, wb) = (name_tokens(&na), name_tokens(&nb));
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let common = wa.iter().filter(|t| wb.contains(t)).count();
    common as f64 / (wa.len() + wb.len() - common) as f64
}
