//! Filters -> [`Selection`]: each [`Filter`] is compiled once against its column into a
//! typed predicate (text literals become a keep-table indexed by dictionary code, numbers and
//! dates become intervals in the column's storage units), then run over the rows.
//!
//! Invariants: the returned selection is ascending; filters are ANDed, the first one scans
//! every row and the next ones only narrow the survivors; nulls never match `in`, `not_in` or
//! `between` (SQL semantics: `not_in` excludes nulls too); an unparsable literal in `in` /
//! `not_in` simply matches nothing, while an unparsable `between` bound is a
//! [`QueryError::BadFilter`].

/// Shared with the ODSQL translation (`state::odsql`), which must read literals exactly as
/// the engine does.
pub(crate) mod literal;

#[cfg(test)]
pub(crate) use literal::parse_date;
use literal::{literal_bool, literal_days, literal_f64, literal_text, parse_datetime};

use super::{Filter, Literal, QueryError, Selection};
use crate::core::column::{Codes, Column, ColumnData, NullMask};
use crate::core::dataset::Dataset;
use crate::with_codes;

/// The rows of `ds` matching every filter, ascending. With no filter, every row.
///
/// ```
/// use loupe::core::{Column, ColumnData, Dataset, NullMask};
/// use loupe::core::query::{select, Filter, Literal};
/// let col = Column::new("exercice", ColumnData::Integer(vec![2019, 2020, 2020]), NullMask::all_valid(3));
/// let ds = Dataset::from_columns(vec![col]);
/// let f = Filter::In { column: "exercice".into(), values: vec![Literal::Number(2020.0)] };
/// assert_eq!(select(&ds, &[f]).map(|s| s.as_slice().to_vec()), Ok(vec![1, 2]));
/// ```
pub fn select(ds: &Dataset, filters: &[Filter]) -> Result<Selection, QueryError> {
    Ok(Selector::new(ds, filters)?.finish())
}

/// Rows read per block: the first filter writes the block's kept rows into a small buffer, the
/// others filter that buffer while it is in cache, and only the rows every filter kept are
/// appended (no buffer of every row, no pass per filter).
const BLOCK: usize = 4096;

/// A selection computed a slice of rows at a time, so that a caller can stop between slices
/// (the worker answers a newer request, or drops a superseded one, without waiting for a scan
/// of millions of rows to end). [`select`] is a selector run to its end.
///
/// What must stay true: every filter's work is done while reading rows (compiling a filter
/// costs at most a pass over a dictionary of distinct values, never over the rows), so the
/// slices bound the time between two chances to stop; the selection equals [`select`]'s
/// whatever the slices.
///
/// ```
/// use loupe::core::{Column, ColumnData, Dataset, NullMask};
/// use loupe::core::query::{Filter, Literal, Selector};
/// let col = Column::new("n", ColumnData::Integer((0..10_000).collect()), NullMask::all_valid(10_000));
/// let ds = Dataset::from_columns(vec![col]);
/// let f = Filter::Between { column: "n".into(), min: Some(Literal::Number(5000.0)), max: None };
/// let mut s = Selector::new(&ds, &[f]).unwrap_or_else(|e| panic!("{e}"));
/// assert!(!s.step(4096));
/// assert_eq!(s.read(), (4096, 10_000));
/// while !s.step(4096) {}
/// assert_eq!(s.finish().len(), 5000);
/// ```
pub struct Selector<'a> {
    preds: Vec<Pred<'a>>,
    total: usize,
    next: usize,
    buf: Vec<u32>,
    rows: Vec<u32>,
}

impl<'a> Selector<'a> {
    /// Compiles `filters` against `ds`'s columns; no row is read yet.
    pub fn new(ds: &'a Dataset, filters: &[Filter]) -> Result<Selector<'a>, QueryError> {
        let preds = filters
            .iter()
            .map(|f| compile(ds, f))
            .collect::<Result<Vec<_>, _>>()?;
        let next = if preds.is_empty() { ds.rows } else { 0 };
        Ok(Selector {
            preds,
            total: ds.rows,
            next,
            buf: Vec::new(),
            rows: Vec::new(),
        })
    }

    /// Reads about `max_rows` more rows (whole blocks of 4,096, at least one); `true` once
    /// every row has been read.
    pub fn step(&mut self, max_rows: usize) -> bool {
        let Some((first, rest)) = self.preds.split_first() else {
            return true;
        };
        if self.buf.len() < BLOCK {
            self.buf = vec![0u32; BLOCK];
        }
        let stop = self
            .next
            .saturating_add(max_rows.max(1).div_ceil(BLOCK).saturating_mul(BLOCK))
            .min(self.total);
        for start in (self.next..stop).step_by(BLOCK) {
            let end = (start + BLOCK).min(stop);
            let mut k = first.apply(Cand::Range(start, end, &mut self.buf));
            for p in rest {
                if k == 0 {
                    break;
                }
                k = p.apply(Cand::List(&mut self.buf[..k]));
            }
            self.rows.extend_from_slice(&self.buf[..k]);
        }
        self.next = stop;
        self.next >= self.total
    }

    /// Rows read so far, and the dataset's rows.
    pub fn read(&self) -> (usize, usize) {
        (self.next, self.total)
    }

    /// The selection, reading whatever rows are left.
    pub fn finish(mut self) -> Selection {
        if self.preds.is_empty() {
            return Selection::all(self.total);
        }
        while !self.step(usize::MAX) {}
        Selection::from_rows(self.rows)
    }
}

/// How a text filter decides on a row: a keep-table indexed by the row's dictionary code, or,
/// for a column kept row by row ([`crate::core::column::Strings`]), a test of the row's own
/// text, made as the row is read (a table over millions of rows would be a pass over them
/// all before the first row is read, which a [`Selector`] could not stop).
enum TextKeep<'a> {
    Codes(&'a Codes, Vec<bool>),
    Rows(&'a crate::core::column::Dict, RowTest),
}

/// The test of one row's text.
enum RowTest {
    /// Its folded form contains this (folded) needle; the buffer is the folding's.
    Contains(String, std::cell::RefCell<String>),
    /// It is one of these values (`!=` the flag: `not_in`).
    In(std::collections::HashSet<String>, bool),
}

impl RowTest {
    #[inline]
    fn test(&self, s: &str) -> bool {
        match self {
            RowTest::Contains(needle, buf) => {
                let mut buf = buf.borrow_mut();
                buf.clear();
                fold_into(s, &mut buf);
                buf.contains(needle.as_str())
            }
            RowTest::In(wanted, negate) => wanted.contains(s) != *negate,
        }
    }
}

impl TextKeep<'_> {
    /// Whether row `i` passes (its validity aside).
    #[inline]
    fn test(&self, i: usize) -> bool {
        match self {
            TextKeep::Codes(codes, keep) => {
                keep.get(codes.get(i) as usize).copied().unwrap_or(false)
            }
            TextKeep::Rows(values, t) => values.get(i).is_some_and(|s| t.test(s)),
        }
    }
}

/// A text column's keep for `test`: over its dictionary (one entry per distinct value, each
/// tested once), or per row; `None` for other types.
fn text_keep<'a>(
    data: &'a ColumnData,
    dict_keep: impl FnOnce(&crate::core::column::Dict) -> Vec<bool>,
    row_test: impl FnOnce() -> RowTest,
) -> Option<TextKeep<'a>> {
    match data {
        ColumnData::Text { codes, dict } => Some(TextKeep::Codes(codes, dict_keep(dict))),
        ColumnData::Strings(s) => Some(TextKeep::Rows(s.values(), row_test())),
        _ => None,
    }
}

/// A compiled filter, borrowing its column's storage.
enum Pred<'a> {
    /// Text column: keep a row when `keep[code]` (and the row is valid).
    Codes {
        codes: &'a Codes,
        valid: Valid<'a>,
        keep: Vec<bool>,
    },
    /// Text column kept row by row: keep a row when its text passes (and the row is valid).
    Rows {
        values: &'a crate::core::column::Dict,
        valid: Valid<'a>,
        test: RowTest,
    },
    /// `contains` over several text columns: any of them matches.
    AnyCodes(Vec<(TextKeep<'a>, Valid<'a>)>),
    /// 64-bit integer storage (integer, decimal units, datetime seconds) against intervals.
    I64 {
        data: &'a [i64],
        valid: Valid<'a>,
        ranges: Vec<(i64, i64)>,
        negate: bool,
    },
    /// Date storage (days) against intervals in days.
    I32 {
        data: &'a [i32],
        valid: Valid<'a>,
        ranges: Vec<(i64, i64)>,
        negate: bool,
    },
    F64 {
        data: &'a [f64],
        valid: Valid<'a>,
        ranges: Vec<(f64, f64)>,
        negate: bool,
    },
    Bool {
        data: &'a [bool],
        valid: Valid<'a>,
        keep: [bool; 2],
    },
    Null {
        valid: &'a NullMask,
        want_null: bool,
    },
    /// A textual match on a non-text column (`contains` on a number or a date): per row.
    Rendered { col: &'a Column, needle: String },
}

/// Rows a filter looks at: a range of row numbers (written into the buffer as they are kept),
/// or the rows an earlier filter kept (filtered in place).
enum Cand<'b> {
    Range(usize, usize, &'b mut [u32]),
    List(&'b mut [u32]),
}

/// Keeps the candidate rows for which `f` holds, at the front of the buffer; returns how many.
///
/// Branch-free: every candidate is written and the cursor advances only on a match, so a
/// random 10 % selectivity costs no mispredictions.
#[inline]
fn keep_rows(c: Cand<'_>, f: impl Fn(usize) -> bool) -> usize {
    let mut k = 0;
    match c {
        Cand::Range(start, end, out) => {
            for i in start..end {
                out[k] = i as u32;
                k += usize::from(f(i));
            }
        }
        Cand::List(out) => {
            for j in 0..out.len() {
                let i = out[j];
                out[k] = i;
                k += usize::from(f(i as usize));
            }
        }
    }
    k
}

/// A validity mask worth checking: `None` when the column has no null.
type Valid<'a> = Option<&'a NullMask>;

fn mask(m: &NullMask) -> Valid<'_> {
    (m.null_count() > 0).then_some(m)
}

#[inline]
fn ok(valid: Valid<'_>, i: usize) -> bool {
    valid.is_none_or(|m| m.is_valid(i))
}

#[inline]
fn in_ranges<T: PartialOrd + Copy>(v: T, ranges: &[(T, T)]) -> bool {
    ranges.iter().any(|&(lo, hi)| v >= lo && v <= hi)
}

impl Pred<'_> {
    /// Every loop reads values copied out of `self` first (`move` closures over slices, bounds
    /// and masks held in locals): a closure reading them through `&self` reloaded each of them
    /// for every row, as the buffer written may, for the compiler, alias them (measured
    /// natively on 1M rows: `exercice in [2020]` then `region in [..]`, see `bench_query`).
    fn apply(&self, c: Cand<'_>) -> usize {
        match self {
            Pred::Codes { codes, valid, keep } => {
                let (keep, valid): (&[bool], Valid<'_>) = (keep, *valid);
                with_codes!(codes, |v| {
                    let v: &[_] = v;
                    match valid {
                        None => keep_rows(c, move |i| {
                            keep.get(v[i] as usize).copied().unwrap_or(false)
                        }),
                        Some(m) => keep_rows(c, move |i| {
                            keep.get(v[i] as usize).copied().unwrap_or(false) & m.is_valid(i)
                        }),
                    }
                })
            }
            Pred::Rows {
                values,
                valid,
                test,
            } => keep_rows(c, |i| {
                ok(*valid, i) && values.get(i).is_some_and(|s| test.test(s))
            }),
            Pred::AnyCodes(cols) => keep_rows(c, |i| {
                cols.iter()
                    .any(|(keep, valid)| ok(*valid, i) && keep.test(i))
            }),
            Pred::I64 {
                data,
                valid,
                ranges,
                negate,
            } => {
                let (data, valid, negate): (&[i64], Valid<'_>, bool) = (data, *valid, *negate);
                match (ranges.as_slice(), valid, negate) {
                    (&[(lo, hi)], None, false) => {
                        keep_rows(c, move |i| (data[i] >= lo) & (data[i] <= hi))
                    }
                    (&[(lo, hi)], Some(m), false) => keep_rows(c, move |i| {
                        (data[i] >= lo) & (data[i] <= hi) & m.is_valid(i)
                    }),
                    (ranges, _, _) => keep_rows(c, move |i| {
                        ok(valid, i) && in_ranges(data[i], ranges) != negate
                    }),
                }
            }
            Pred::I32 {
                data,
                valid,
                ranges,
                negate,
            } => {
                let (data, valid, negate): (&[i32], Valid<'_>, bool) = (data, *valid, *negate);
                let ranges: &[(i64, i64)] = ranges;
                keep_rows(c, move |i| {
                    ok(valid, i) && in_ranges(i64::from(data[i]), ranges) != negate
                })
            }
            Pred::F64 {
                data,
                valid,
                ranges,
                negate,
            } => {
                let (data, valid, negate): (&[f64], Valid<'_>, bool) = (data, *valid, *negate);
                let ranges: &[(f64, f64)] = ranges;
                keep_rows(c, move |i| {
                    ok(valid, i) && !data[i].is_nan() && in_ranges(data[i], ranges) != negate
                })
            }
            Pred::Bool { data, valid, keep } => {
                let (data, valid, keep): (&[bool], Valid<'_>, [bool; 2]) = (data, *valid, *keep);
                keep_rows(c, move |i| ok(valid, i) && keep[usize::from(data[i])])
            }
            Pred::Null { valid, want_null } => {
                let (valid, want_null): (&NullMask, bool) = (valid, *want_null);
                keep_rows(c, move |i| valid.is_valid(i) != want_null)
            }
            Pred::Rendered { col, needle } => keep_rows(c, |i| {
                let v = col.value(i);
                !v.is_null() && fold_text(&v.to_plain_string()).contains(needle.as_str())
            }),
        }
    }
}

fn compile<'a>(ds: &'a Dataset, f: &Filter) -> Result<Pred<'a>, QueryError> {
    match f {
        Filter::In { column, values } => compile_in(ds.column(column)?, values, false),
        Filter::NotIn { column, values } => compile_in(ds.column(column)?, values, true),
        Filter::Between { column, min, max } => {
            compile_between(ds.column(column)?, min.as_ref(), max.as_ref())
        }
        Filter::Contains { column, value } => {
            let needle = fold_text(value);
            match column.as_deref() {
                None | Some("*") => Ok(Pred::AnyCodes(
                    ds.columns
                        .iter()
                        .filter_map(|c| {
                            let keep = text_keep(
                                &c.data,
                                |dict| folded_matches(dict.iter(), &needle),
                                || RowTest::Contains(needle.clone(), Default::default()),
                            )?;
                            Some((keep, mask(&c.valid)))
                        })
                        .collect(),
                )),
                Some(name) => {
                    let col = ds.column(name)?;
                    let valid = mask(&col.valid);
                    Ok(match &col.data {
                        ColumnData::Text { codes, dict } => Pred::Codes {
                            codes,
                            valid,
                            keep: folded_matches(dict.iter(), &needle),
                        },
                        ColumnData::Strings(s) => Pred::Rows {
                            values: s.values(),
                            valid,
                            test: RowTest::Contains(needle, Default::default()),
                        },
                        _ => Pred::Rendered { col, needle },
                    })
                }
            }
        }
        Filter::IsNull { column } => Ok(Pred::Null {
            valid: &ds.column(column)?.valid,
            want_null: true,
        }),
        Filter::NotNull { column } => Ok(Pred::Null {
            valid: &ds.column(column)?.valid,
            want_null: false,
        }),
    }
}

fn compile_in<'a>(
    col: &'a Column,
    values: &[Literal],
    negate: bool,
) -> Result<Pred<'a>, QueryError> {
    let valid = mask(&col.valid);
    let wanted = || -> std::collections::HashSet<String> {
        values.iter().filter_map(literal_text).collect()
    };
    Ok(match &col.data {
        ColumnData::Text { codes, dict } => {
            let wanted = wanted();
            Pred::Codes {
                codes,
                valid,
                keep: dict.iter().map(|s| wanted.contains(s) != negate).collect(),
            }
        }
        ColumnData::Strings(s) => Pred::Rows {
            values: s.values(),
            valid,
            test: RowTest::In(wanted(), negate),
        },
        ColumnData::Integer(data) => I64Kind::Integer.pred_in(data, valid, values, negate),
        ColumnData::Decimal { units, scale } => {
            I64Kind::Decimal(*scale).pred_in(units, valid, values, negate)
        }
        ColumnData::Datetime(data) => I64Kind::Datetime.pred_in(data, valid, values, negate),
        ColumnData::Date(data) => {
            let ranges = values
                .iter()
                .filter_map(|l| I64Kind::Date.interval(l))
                .collect();
            Pred::I32 {
                data,
                valid,
                ranges,
                negate,
            }
        }
        ColumnData::Float(data) => {
            let ranges = values
                .iter()
                .filter_map(literal_f64)
                .map(|x| (x, x))
                .collect();
            Pred::F64 {
                data,
                valid,
                ranges,
                negate,
            }
        }
        ColumnData::Boolean(data) => {
            let mut keep = [negate, negate];
            for b in values.iter().filter_map(literal_bool) {
                keep[usize::from(b)] = !negate;
            }
            Pred::Bool { data, valid, keep }
        }
    })
}

fn compile_between<'a>(
    col: &'a Column,
    min: Option<&Literal>,
    max: Option<&Literal>,
) -> Result<Pred<'a>, QueryError> {
    let bad = |l: &Literal| {
        QueryError::BadFilter(format!(
            "« {l:?} » ne convient pas à / does not fit « {} »",
            col.name
        ))
    };
    let valid = mask(&col.valid);
    let i64_bounds = |kind: I64Kind| -> Result<Vec<(i64, i64)>, QueryError> {
        let lo = match min {
            Some(l) if !matches!(l, Literal::Null) => kind.interval(l).ok_or_else(|| bad(l))?.0,
            _ => i64::MIN,
        };
        let hi = match max {
            Some(l) if !matches!(l, Literal::Null) => kind.interval(l).ok_or_else(|| bad(l))?.1,
            _ => i64::MAX,
        };
        Ok(vec![(lo, hi)])
    };
    Ok(match &col.data {
        ColumnData::Integer(data) => Pred::I64 {
            data,
            valid,
            ranges: i64_bounds(I64Kind::Integer)?,
            negate: false,
        },
        ColumnData::Decimal { units, scale } => Pred::I64 {
            data: units,
            valid,
            ranges: i64_bounds(I64Kind::Decimal(*scale))?,
            negate: false,
        },
        ColumnData::Datetime(data) => Pred::I64 {
            data,
            valid,
            ranges: i64_bounds(I64Kind::Datetime)?,
            negate: false,
        },
        ColumnData::Date(data) => Pred::I32 {
            data,
            valid,
            ranges: i64_bounds(I64Kind::Date)?,
            negate: false,
        },
        ColumnData::Float(data) => {
            let bound = |l: Option<&Literal>, default: f64| match l {
                Some(Literal::Null) | None => Ok(default),
                Some(l) => literal_f64(l).ok_or_else(|| bad(l)),
            };
            let ranges = vec![(bound(min, f64::NEG_INFINITY)?, bound(max, f64::INFINITY)?)];
            Pred::F64 {
                data,
                valid,
                ranges,
                negate: false,
            }
        }
        ColumnData::Text { .. } | ColumnData::Strings(_) | ColumnData::Boolean(_) => {
            return Err(QueryError::BadFilter(format!(
                "« between » demande des nombres ou des dates / needs numbers or dates: « {} »",
                col.name
            )))
        }
    })
}

/// How a column stores its values in an `i64` (or `i32` for dates).
#[derive(Clone, Copy)]
enum I64Kind {
    Integer,
    Decimal(u8),
    Datetime,
    Date,
}

impl I64Kind {
    fn pred_in<'a>(
        self,
        data: &'a [i64],
        valid: Valid<'a>,
        values: &[Literal],
        negate: bool,
    ) -> Pred<'a> {
        let ranges = values.iter().filter_map(|l| self.interval(l)).collect();
        Pred::I64 {
            data,
            valid,
            ranges,
            negate,
        }
    }

    /// The inclusive interval of stored values a literal denotes: `2020` on an integer column
    /// is `[2020, 2020]`, `2.5` is the empty `[3, 2]`, `2020` on a date column is the whole
    /// year, `"2020-03-01"` on a datetime column is the whole day. `None`: unparsable.
    fn interval(self, lit: &Literal) -> Option<(i64, i64)> {
        match self {
            I64Kind::Integer | I64Kind::Decimal(_) => {
                let scale = if let I64Kind::Decimal(s) = self {
                    i32::from(s)
                } else {
                    0
                };
                let x = literal_f64(lit)? * 10f64.powi(scale);
                // A tolerance well below one storage unit absorbs binary rounding (0.1 * 100).
                let (lo, hi) = ((x - 1e-6).ceil(), (x + 1e-6).floor());
                Some((
                    lo.clamp(-9.2e18, 9.2e18) as i64,
                    hi.clamp(-9.2e18, 9.2e18) as i64,
                ))
            }
            I64Kind::Date => {
                let (lo, hi) = literal_days(lit)?;
                Some((i64::from(lo), i64::from(hi)))
            }
            I64Kind::Datetime => {
                if let Literal::Text(s) = lit {
                    if let Some(secs) = parse_datetime(s) {
                        return Some((secs, secs));
                    }
                }
                let (lo, hi) = literal_days(lit)?;
                Some((i64::from(lo) * 86_400, i64::from(hi) * 86_400 + 86_399))
            }
        }
    }
}

/// Lowercase without accents, for `contains`: "Élysée" and "elysee" fold alike.
pub fn fold_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Appends the folded form of `s` (see [`fold_text`]) to `out`. ASCII characters, most of
/// any French text, take a fast path.
#[inline]
pub fn fold_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for c in c.to_lowercase() {
            match c {
                'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
                'ç' => out.push('c'),
                'é' | 'è' | 'ê' | 'ë' => out.push('e'),
                'î' | 'ï' | 'í' | 'ì' => out.push('i'),
                'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
                'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
                'ÿ' | 'ý' => out.push('y'),
                'ñ' => out.push('n'),
                'œ' => out.push_str("oe"),
                'æ' => out.push_str("ae"),
                '\u{2019}' => out.push('\''),
                c => out.push(c),
            }
        }
    }
}

/// For each value, whether its folded form contains `needle` (folded already): one buffer
/// for all values, none allocated per value (a dictionary of millions of labels).
fn folded_matches<'a>(values: impl Iterator<Item = &'a str>, needle: &str) -> Vec<bool> {
    let mut buf = String::new();
    values
        .map(|s| {
            buf.clear();
            fold_into(s, &mut buf);
            buf.contains(needle)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{fold_text, folded_matches};

    /// The folding as first written (every character through `to_lowercase`, one `String` per
    /// value): the fast path must give the same text.
    fn reference(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars().flat_map(char::to_lowercase) {
            match c {
                'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
                'ç' => out.push('c'),
                'é' | 'è' | 'ê' | 'ë' => out.push('e'),
                'î' | 'ï' | 'í' | 'ì' => out.push('i'),
                'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
                'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
                'ÿ' | 'ý' => out.push('y'),
                'ñ' => out.push('n'),
                'œ' => out.push_str("oe"),
                'æ' => out.push_str("ae"),
                '\u{2019}' => out.push('\''),
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn folding_matches_the_reference_on_french_and_odd_text() {
        let samples = [
            "Élysée",
            "PRÉFECTURE DE L'ÎLE-DE-FRANCE",
            "Cœur d\u{2019}Œuvre Æther",
            "Provence-Alpes-Côte d'Azur",
            "İstanbul ΣΑΣ straße",
            "",
            "123 ABC xyz ~!@",
            "Ÿ Ý Ñ Ç",
        ];
        for s in samples {
            assert_eq!(fold_text(s), reference(s), "{s:?}");
        }
        // Every character of the first 0x3000 code points, alone and between ASCII letters.
        for u in 0u32..0x3000 {
            if let Some(c) = char::from_u32(u) {
                let s = format!("Ab{c}Cd");
                assert_eq!(fold_text(&s), reference(&s), "U+{u:04X}");
            }
        }
        assert_eq!(
            folded_matches(["Côte", "COTE", "Bretagne", "cote"].into_iter(), "cote"),
            vec![true, true, false, true]
        );
    }
}
