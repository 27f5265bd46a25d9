//! Joins: enrich a dataset with the columns of a reference table (INSEE communes, SIREN...).
//!
//! A join here is a *lookup*: each left row matches at most one right row, the **first** one
//! holding its key, so a join never multiplies rows and the joined table has the left table's
//! grain (one row per contract, per commune account...). This is the choice a spreadsheet
//! `VLOOKUP` makes, and the one a reader of "add the commune's population" expects. When the
//! right side holds some keys several times the report says so: `duplicate_right_keys` counts
//! them and `relation` is [`Relation::OneToMany`] when matched keys were among them.
//!
//! Keys compare by their canonical text (integers as plain digits, text as is), so an integer
//! `35238` matches the text `"35238"`, but `"01053"` never matches `1053` unless the user asks
//! for [`Repair::PadZeros`]: identifiers keep their zeros. A null in any key column never
//! matches. Several key columns are compared together (all must be equal).
//!
//! Layout: `keys` (canonical text, the right-side index) and `left` (left keys and their
//! resolution) reduce both sides to distinct keys, so no string is built per row; `repair`
//! holds the key repairs, `propose` the key proposals, `gather` builds the joined columns and
//! `hash` is the index's hasher.
//!
//! Invariants: `Left` keeps every left row in order; `Inner` keeps the matched ones in order;
//! the right key columns are not repeated; a right column whose name is taken gets `_2` (as
//! many times as needed); [`preview`] returns exactly the report [`join`] returns.

use serde::{Deserialize, Serialize};

use super::QueryError;
use crate::core::column::Column;
use crate::core::dataset::Dataset;

mod gather;
mod keys;
mod left;
mod propose;
mod repair;

use keys::{RightIndex, NONE};
use left::LeftKeys;
pub use propose::{propose_keys, KeyProposal};
pub use repair::Repair;

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

/// `{"left_on":["code_commune"],"right_on":["COM"],"how":"left","repairs":["pad_zeros"]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JoinSpec {
    /// Left key columns, paired in order with `right_on`.
    pub left_on: Vec<String>,
    pub right_on: Vec<String>,
    pub how: JoinHow,
    /// Repairs tried, in order, on left keys that do not match as they are.
    pub repairs: Vec<Repair>,
}

/// How left rows and right rows met.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Each matched right row was used by one left row, and its key is unique on the right.
    #[default]
    OneToOne,
    /// Several left rows share a right row (a lookup table), right keys of matches unique.
    ManyToOne,
    /// Some matched keys are held by several right rows: only the first one was used.
    OneToMany,
}

/// What adding one repair to the spec would give.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RepairEffect {
    pub repair: Repair,
    /// Share of left rows that would match (0 to 1).
    pub match_rate: f64,
    /// Left rows that would match.
    pub matched: usize,
}

/// How well the keys matched.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct JoinReport {
    /// `matched / left rows` (1.0 for an empty left side).
    pub match_rate: f64,
    /// Left rows with a match.
    pub matched: usize,
    /// Left rows without a match (including rows with a null key).
    pub unmatched: usize,
    /// Distinct right keys present more than once (only the first row of each is used).
    pub duplicate_right_keys: usize,
    /// Up to [`MAX_EXAMPLES`] distinct left keys without a match, in order of first
    /// appearance; the parts of a several-column key are joined by ` | `.
    pub unmatched_examples: Vec<String>,
    pub relation: Relation,
    /// Distinct right rows used by at least one left row.
    pub right_rows_used: usize,
    /// For each repair not in the spec that some unmatched key has the shape for: the match
    /// it would give if added.
    pub repairs: Vec<RepairEffect>,
}

/// Number of unmatched keys a report lists.
pub const MAX_EXAMPLES: usize = 10;

/// The resolved key columns and the match of every distinct left key.
struct Plan<'a> {
    left_cols: Vec<&'a Column>,
    right_keys: Vec<usize>,
    left: LeftKeys,
    right: RightIndex,
    /// Per distinct left key: the right composite key it matches, or [`NONE`].
    resolved: Vec<u32>,
    /// Left rows considered (all of them, or a sample's size).
    rows: usize,
}

impl<'a> Plan<'a> {
    fn new(
        left: &'a Dataset,
        right: &'a Dataset,
        spec: &JoinSpec,
        sample: Option<&[u32]>,
    ) -> Result<Self, QueryError> {
        if spec.left_on.is_empty() || spec.left_on.len() != spec.right_on.len() {
            return Err(QueryError::BadFilter(
                "les clés de jointure doivent aller par paires / join keys must come in pairs"
                    .into(),
            ));
        }
        let left_cols = spec
            .left_on
            .iter()
            .map(|c| left.column(c))
            .collect::<Result<Vec<_>, _>>()?;
        let right_keys = spec
            .right_on
            .iter()
            .map(|c| right.column_index(c))
            .collect::<Result<Vec<_>, _>>()?;
        let right_cols: Vec<&Column> = right_keys.iter().map(|&i| &right.columns[i]).collect();
        let index = RightIndex::build(&right_cols, right.rows);
        let keys = LeftKeys::build(&left_cols, left.rows, sample);
        let resolved = keys.resolve(&left_cols, &index, &spec.repairs);
        Ok(Plan {
            left_cols,
            right_keys,
            rows: sample.map_or(left.rows, <[u32]>::len),
            left: keys,
            right: index,
            resolved,
        })
    }

    /// Left rows whose key resolves to a right key.
    fn matched(&self, resolved: &[u32]) -> usize {
        resolved
            .iter()
            .zip(&self.left.counts)
            .filter(|(&r, _)| r != NONE)
            .map(|(_, &n)| n as usize)
            .sum()
    }

    fn rate(&self, matched: usize) -> f64 {
        if self.rows == 0 {
            1.0
        } else {
            matched as f64 / self.rows as f64
        }
    }

    fn report(&self, spec: &JoinSpec) -> JoinReport {
        let matched = self.matched(&self.resolved);
        let mut uses = vec![0u32; self.right.count.len()];
        let mut one_to_many = false;
        let mut examples = Vec::new();
        for (k, (&r, &n)) in self.resolved.iter().zip(&self.left.counts).enumerate() {
            if n == 0 {
                continue;
            }
            match uses.get_mut(r as usize) {
                Some(u) => {
                    *u += n;
                    one_to_many |= self.right.count[r as usize] > 1;
                }
                None if examples.len() < MAX_EXAMPLES => {
                    examples.push(self.left.key_text(k, &self.left_cols));
                }
                None => {}
            }
        }
        let relation = if one_to_many {
            Relation::OneToMany
        } else if uses.iter().any(|&u| u > 1) {
            Relation::ManyToOne
        } else {
            Relation::OneToOne
        };
        JoinReport {
            match_rate: self.rate(matched),
            matched,
            unmatched: self.rows - matched,
            duplicate_right_keys: self.right.duplicate_keys(),
            unmatched_examples: examples,
            relation,
            right_rows_used: uses.iter().filter(|&&u| u > 0).count(),
            repairs: self.repair_effects(spec),
        }
    }

    /// The effect of each applicable repair missing from `spec`.
    fn repair_effects(&self, spec: &JoinSpec) -> Vec<RepairEffect> {
        let mut buf = Vec::new();
        Repair::ALL
            .into_iter()
            .filter(|r| !spec.repairs.contains(r))
            .filter(|&r| {
                (0..self.left.len()).any(|k| {
                    self.resolved[k] == NONE
                        && self.left.counts[k] > 0
                        && self
                            .left
                            .repair_applies(k, &self.left_cols, &self.right, r, &mut buf)
                })
            })
            .map(|r| {
                let mut repairs = spec.repairs.clone();
                repairs.push(r);
                let resolved = self.left.resolve(&self.left_cols, &self.right, &repairs);
                let matched = self.matched(&resolved);
                RepairEffect {
                    repair: r,
                    match_rate: self.rate(matched),
                    matched,
                }
            })
            .collect()
    }
}

/// The report of joining `right` onto `left` by `spec`, without building the joined dataset.
///
/// ```
/// use loupe::core::ingest::{read, IngestOptions};
/// use loupe::core::query::join::{preview, JoinSpec, Repair};
/// let opts = IngestOptions::default();
/// let left = read(b"dep,n\n9,1\n35,2\n", &opts).map_err(|e| e.to_string())?;
/// let right = read(b"DEP,nom\n09,Ariege\n35,Ille-et-Vilaine\n", &opts).map_err(|e| e.to_string())?;
/// let spec = JoinSpec { left_on: vec!["dep".into()], right_on: vec!["DEP".into()], ..JoinSpec::default() };
/// let report = preview(&left, &right, &spec).map_err(|e| e.to_string())?;
/// assert_eq!((report.matched, report.unmatched_examples.clone()), (1, vec!["9".to_string()]));
/// assert_eq!((report.repairs[0].repair, report.repairs[0].matched), (Repair::PadZeros, 2));
/// # Ok::<(), String>(())
/// ```
pub fn preview(left: &Dataset, right: &Dataset, spec: &JoinSpec) -> Result<JoinReport, QueryError> {
    Ok(Plan::new(left, right, spec, None)?.report(spec))
}

/// Joins `right` onto `left` by the key columns of `spec` (a lookup join, see the module
/// docs), honouring its repairs; returns the joined dataset and the [`preview`] report.
///
/// ```
/// use loupe::core::ingest::{read, IngestOptions};
/// use loupe::core::query::join::{join, JoinHow, JoinSpec};
/// let opts = IngestOptions::default();
/// let left = read(b"code,montant\n35238,10\n01053,20\n99999,30\n", &opts).map_err(|e| e.to_string())?;
/// let right = read(b"COM,nom\n35238,Rennes\n01053,Bourg-en-Bresse\n", &opts).map_err(|e| e.to_string())?;
/// let spec = JoinSpec { left_on: vec!["code".into()], right_on: vec!["COM".into()], how: JoinHow::Inner, ..JoinSpec::default() };
/// let (ds, report) = join(&left, &right, &spec).map_err(|e| e.to_string())?;
/// assert_eq!((ds.rows, report.matched, report.unmatched), (2, 2, 1));
/// assert_eq!(ds.column("nom").map(|c| c.text(1)), Ok(Some("Bourg-en-Bresse")));
/// # Ok::<(), String>(())
/// ```
pub fn join(
    left: &Dataset,
    right: &Dataset,
    spec: &JoinSpec,
) -> Result<(Dataset, JoinReport), QueryError> {
    let plan = Plan::new(left, right, spec, None)?;
    let report = plan.report(spec);
    // Per left row, the first right row holding its key (or NONE).
    let right_row = |id: u32| -> u32 {
        plan.resolved
            .get(id as usize)
            .and_then(|&c| plan.right.first_row.get(c as usize))
            .copied()
            .unwrap_or(NONE)
    };
    let (mut columns, right_rows): (Vec<Column>, Vec<u32>) = match spec.how {
        JoinHow::Left => (
            left.columns.clone(),
            plan.left.ids.iter().map(|&id| right_row(id)).collect(),
        ),
        JoinHow::Inner => {
            let mut keep = Vec::with_capacity(report.matched);
            let mut rows = Vec::with_capacity(report.matched);
            for (l, &id) in plan.left.ids.iter().enumerate() {
                let r = right_row(id);
                if r != NONE {
                    keep.push(l as u32);
                    rows.push(r);
                }
            }
            let cols = left
                .columns
                .iter()
                .map(|c| gather::gather(c, &keep))
                .collect();
            (cols, rows)
        }
    };
    for (i, c) in right.columns.iter().enumerate() {
        if plan.right_keys.contains(&i) {
            continue;
        }
        let mut col = gather::gather(c, &right_rows);
        while columns.iter().any(|x| x.name == col.name) {
            col.name.push_str("_2");
        }
        columns.push(col);
    }
    let rows = right_rows.len();
    let mut ds = Dataset::from_columns(columns);
    ds.rows = rows;
    Ok((ds, report))
}
