//! Joins: enrich a dataset with the columns of a reference table (INSEE communes, SIREN...).
//!
//! A join here is a lookup: each left row matches at most one right row (the first one with
//! its key), so a join never multiplies rows; duplicate right keys are counted in the
//! [`JoinReport`] so the user sees them. Keys compare by their plain text (so an integer
//! `35238` matches the text `"35238"`, but `"01053"` never matches `1053`: identifiers keep
//! their zeros). A null key never matches.
//! Invariants: `Left` keeps every left row in order; `Inner` keeps the matched ones in order;
//! the right key columns are not repeated; a right column whose name is taken gets `_2`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::QueryError;
use crate::core::column::{Column, ColumnData, NullMask};
use crate::core::dataset::Dataset;

/// Which left rows a join keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinHow {
    /// Every left row; right columns are null when unmatched.
    #[default]
    Left,
    /// Only the left rows with a match.
    Inner,
}

/// `{"left_on":["code_commune"],"right_on":["COM"],"how":"left"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JoinSpec {
    pub left_on: Vec<String>,
    pub right_on: Vec<String>,
    pub how: JoinHow,
    /// Repairs applied to the left keys before matching, in order.
    pub repairs: Vec<Repair>,
}

/// A repair of left keys that commonly fixes a join of French identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repair {
    /// Restore leading zeros lost by a spreadsheet: digit-only keys one digit short of a code
    /// width (2, 5, 9 or 14) get a `0` in front (`1053` -> `01053`, `9` -> `09`).
    PadZeros,
    /// Corsica: `20xxx` codes written for `2Axxx` / `2Bxxx`.
    Corsica,
    /// A 14-digit SIRET keeps its first 9 digits, the SIREN.
    SiretToSiren,
}

/// How the keys relate across the two sides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Each matched reference key is unique and used once.
    #[default]
    OneToOne,
    /// Several left rows share a reference row.
    ManyToOne,
    /// Some matched keys appear more than once on the right (the first row is used).
    OneToMany,
}

/// What adding a repair would do to the match rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepairEffect {
    pub repair: Repair,
    pub match_rate: f64,
    pub matched: usize,
}

/// A proposed pair of key columns, with the match rate it gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyProposal {
    pub left: String,
    pub right: String,
    pub reason: String,
    pub repairs: Vec<Repair>,
    pub match_rate: f64,
}

/// How well the keys matched.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct JoinReport {
    /// `matched / left rows` (1.0 for an empty left side).
    pub match_rate: f64,
    pub matched: usize,
    pub unmatched: usize,
    /// Right keys present more than once (only the first row of each is used).
    pub duplicate_right_keys: usize,
    /// Up to [`MAX_EXAMPLES`] distinct left keys without a match.
    pub unmatched_examples: Vec<String>,
    pub relation: Relation,
    /// Distinct right rows used by the matches.
    pub right_rows_used: usize,
    /// Repairs not in the spec that would change the match rate, with the rate they give.
    pub repairs: Vec<RepairEffect>,
}

/// Applies `repairs` to one key's text.
fn repair_key(mut k: String, repairs: &[Repair]) -> String {
    for r in repairs {
        match r {
            Repair::PadZeros => {
                if k.bytes().all(|b| b.is_ascii_digit()) && [1, 4, 8, 13].contains(&k.len()) {
                    k.insert(0, '0');
                }
            }
            Repair::SiretToSiren => {
                if k.len() == 14 && k.bytes().all(|b| b.is_ascii_digit()) {
                    k.truncate(9);
                }
            }
            Repair::Corsica => {}
        }
    }
    k
}

/// The join's report without keeping the joined data.
pub fn preview(left: &Dataset, right: &Dataset, spec: &JoinSpec) -> Result<JoinReport, QueryError> {
    let (_, mut report) = join(left, right, spec)?;
    for r in [Repair::PadZeros, Repair::SiretToSiren] {
        if spec.repairs.contains(&r) {
            continue;
        }
        let mut with = spec.clone();
        with.repairs.push(r);
        let (_, rep) = join(left, right, &with)?;
        if rep.matched > report.matched {
            report.repairs.push(RepairEffect {
                repair: r,
                match_rate: rep.match_rate,
                matched: rep.matched,
            });
        }
    }
    Ok(report)
}

/// Key pairs worth trying, best first: columns of the same key kind, a SIRET against a SIREN,
/// and columns with the same name; each scored by its real match rate.
pub fn propose_keys(left: &Dataset, right: &Dataset) -> Vec<KeyProposal> {
    use crate::core::column::KeyKind;
    let mut out: Vec<KeyProposal> = Vec::new();
    let mut unique: Vec<bool> = Vec::new();
    for l in &left.columns {
        for r in &right.columns {
            let (reason, repairs) = match (l.key, r.key) {
                (Some(a), Some(b)) if a == b => {
                    (format!("même type de clé : {}", a.as_str()), vec![])
                }
                (Some(KeyKind::Siret), Some(KeyKind::Siren)) => (
                    "SIRET -> SIREN (9 premiers chiffres)".to_string(),
                    vec![Repair::SiretToSiren],
                ),
                _ if l.name.eq_ignore_ascii_case(&r.name) => {
                    ("même nom de colonne".to_string(), vec![])
                }
                _ => continue,
            };
            let spec = JoinSpec {
                left_on: vec![l.name.clone()],
                right_on: vec![r.name.clone()],
                how: JoinHow::Left,
                repairs,
            };
            if let Ok((_, rep)) = join(left, right, &spec) {
                if rep.match_rate >= 0.05 {
                    // A key that identifies the reference rows (unique on the right) beats a
                    // shared attribute such as a département code, whatever its match rate.
                    unique.push(rep.duplicate_right_keys == 0);
                    out.push(KeyProposal {
                        left: l.name.clone(),
                        right: r.name.clone(),
                        reason,
                        repairs: spec.repairs,
                        match_rate: rep.match_rate,
                    });
                }
            }
        }
    }
    let mut ranked: Vec<(bool, KeyProposal)> = unique.into_iter().zip(out).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.match_rate.total_cmp(&a.1.match_rate)));
    ranked.into_iter().map(|(_, p)| p).take(5).collect()
}

/// Number of unmatched keys a report lists.
pub const MAX_EXAMPLES: usize = 10;

/// Joins `right` onto `left` by the key columns of `spec`.
pub fn join(
    left: &Dataset,
    right: &Dataset,
    spec: &JoinSpec,
) -> Result<(Dataset, JoinReport), QueryError> {
    if spec.left_on.is_empty() || spec.left_on.len() != spec.right_on.len() {
        return Err(QueryError::BadFilter(
            "les clés de jointure doivent aller par paires / join keys must come in pairs".into(),
        ));
    }
    let lk = spec
        .left_on
        .iter()
        .map(|c| left.column_index(c))
        .collect::<Result<Vec<_>, _>>()?;
    let rk = spec
        .right_on
        .iter()
        .map(|c| right.column_index(c))
        .collect::<Result<Vec<_>, _>>()?;
    let key = |ds: &Dataset, cols: &[usize], row: usize, repairs: &[Repair]| -> Option<String> {
        let mut k = String::new();
        for (i, &c) in cols.iter().enumerate() {
            let v = ds.columns[c].value(row);
            if v.is_null() {
                return None;
            }
            if i > 0 {
                k.push('\u{1f}');
            }
            k.push_str(&repair_key(v.to_plain_string(), repairs));
        }
        Some(k)
    };
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut duplicates = std::collections::HashSet::new();
    for r in 0..right.rows {
        if let Some(k) = key(right, &rk, r, &[]) {
            match index.entry(k) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    duplicates.insert(e.key().clone());
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(r as u32);
                }
            }
        }
    }
    let mut report = JoinReport {
        duplicate_right_keys: duplicates.len(),
        ..JoinReport::default()
    };
    let mut left_rows = Vec::new();
    let mut right_rows = Vec::new();
    for l in 0..left.rows {
        let k = key(left, &lk, l, &spec.repairs);
        let hit = k.as_ref().and_then(|k| index.get(k)).copied();
        if hit.is_some() {
            report.matched += 1;
        } else {
            report.unmatched += 1;
            if let Some(k) = k {
                if report.unmatched_examples.len() < MAX_EXAMPLES
                    && !report.unmatched_examples.contains(&k)
                {
                    report.unmatched_examples.push(k.replace('\u{1f}', " | "));
                }
            }
        }
        if hit.is_some() || spec.how == JoinHow::Left {
            left_rows.push(Some(l as u32));
            right_rows.push(hit);
        }
    }
    let mut used: Vec<u32> = right_rows.iter().flatten().copied().collect();
    used.sort_unstable();
    let uses = used.len();
    used.dedup();
    report.right_rows_used = used.len();
    report.relation = if report.duplicate_right_keys > 0 {
        Relation::OneToMany
    } else if used.len() < uses {
        Relation::ManyToOne
    } else {
        Relation::OneToOne
    };
    report.match_rate = if left.rows == 0 {
        1.0
    } else {
        report.matched as f64 / left.rows as f64
    };
    let mut columns: Vec<Column> = left.columns.iter().map(|c| gather(c, &left_rows)).collect();
    for (i, c) in right.columns.iter().enumerate() {
        if rk.contains(&i) {
            continue;
        }
        let mut col = gather(c, &right_rows);
        while columns.iter().any(|x| x.name == col.name) {
            col.name.push_str("_2");
        }
        columns.push(col);
    }
    let mut ds = Dataset::from_columns(columns);
    ds.rows = left_rows.len();
    Ok((ds, report))
}

/// The column's cells at `rows` (null where `None`), same type and dictionary.
fn gather(col: &Column, rows: &[Option<u32>]) -> Column {
    let mut valid = NullMask::with_capacity(rows.len());
    for r in rows {
        valid.push(r.is_some_and(|r| col.is_valid(r as usize)));
    }
    fn pick<T: Copy + Default>(v: &[T], rows: &[Option<u32>]) -> Vec<T> {
        rows.iter()
            .map(|r| {
                r.and_then(|r| v.get(r as usize).copied())
                    .unwrap_or_default()
            })
            .collect()
    }
    let data = match &col.data {
        ColumnData::Integer(v) => ColumnData::Integer(pick(v, rows)),
        ColumnData::Decimal { units, scale } => ColumnData::Decimal {
            units: pick(units, rows),
            scale: *scale,
        },
        ColumnData::Float(v) => ColumnData::Float(pick(v, rows)),
        ColumnData::Boolean(v) => ColumnData::Boolean(pick(v, rows)),
        ColumnData::Date(v) => ColumnData::Date(pick(v, rows)),
        ColumnData::Datetime(v) => ColumnData::Datetime(pick(v, rows)),
        ColumnData::Text { codes, dict } => ColumnData::Text {
            codes: pick(codes, rows),
            dict: dict.clone(),
        },
    };
    let mut out = Column::new(col.name.clone(), data, valid);
    out.key = col.key;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{int, text};
    use crate::core::value::Value;

    #[test]
    fn left_join_keeps_rows_and_reports_matches() {
        let left = Dataset::from_columns(vec![
            text(
                "commune",
                &[Some("35238"), Some("01053"), None, Some("99999")],
            ),
            int("n", &[Some(1), Some(2), Some(3), Some(4)]),
        ]);
        let right = Dataset::from_columns(vec![
            text("COM", &[Some("35238"), Some("01053"), Some("35238")]),
            text(
                "commune",
                &[Some("Rennes"), Some("Bourg-en-Bresse"), Some("Rennes bis")],
            ),
        ]);
        let spec: JoinSpec = serde_json::from_str(r#"{"left_on":["commune"],"right_on":["COM"]}"#)
            .unwrap_or_default();
        let (ds, rep) = join(&left, &right, &spec).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ds.rows, 4);
        let names: Vec<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["commune", "n", "commune_2"]);
        assert_eq!(ds.columns[2].value(0), Value::Text("Rennes".into()));
        assert_eq!(ds.columns[2].value(2), Value::Null);
        assert_eq!(
            (rep.matched, rep.unmatched, rep.duplicate_right_keys),
            (2, 2, 1)
        );
        assert_eq!(rep.unmatched_examples, ["99999"]);
        assert!((rep.match_rate - 0.5).abs() < 1e-12);
        let inner = JoinSpec {
            how: JoinHow::Inner,
            ..spec
        };
        let (ds, _) = join(&left, &right, &inner).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((ds.rows, ds.columns[1].value(1)), (2, Value::Int(2)));
        assert!(join(&left, &right, &JoinSpec::default()).is_err());
    }
}
