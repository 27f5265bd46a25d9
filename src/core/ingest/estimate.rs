//! Memory estimate before loading: from the first megabytes of a file, how many rows it holds
//! and how much engine memory a load would take, per column, so that a dialog can offer a
//! projection or a sample before a 7 GB file is read.
//!
//! How: the head (cut after its last line break) goes through the very loader a real load
//! uses (same decoding, sniffing, inference, row filter), and every column of the resulting
//! small dataset is measured, then extrapolated to the whole file by bytes:
//! rows in the file = rows in the head x total bytes / head bytes, times the share of head rows
//! the row filter kept, divided by `sample_every`.
//!
//! What is counted, as `build.rs` stores it (and as [`Column::heap_bytes`] reports it): the
//! value vector (8 bytes a row for integers, decimals, floats and datetimes, 4 for dates, 1
//! for booleans, and for the codes of text 1, 2 or 4 as the distinct values need: up to 256,
//! up to 65,536, more), sized once to the rows expected plus 5 %
//! (the loader's slack), the null bitmap (1 bit a row), and for text the dictionary: every
//! distinct value once (its bytes in the dictionary's one buffer plus a 4-byte end offset). All text is dictionary-encoded in
//! this engine; `dictionary` says whether values repeat (distinct at most half the non-null
//! rows), which is what makes a column cheap.
//!
//! Distinct values grow sub-linearly (Heaps' law): with `d1` distinct values in the first half
//! of the head's rows and `d2` in all of them, the exponent is `a = log2(d2 / d1)` clamped to
//! `[0, 1]`, and `n` rows hold `d2 x (n / head rows)^a` distinct values (at most one per
//! non-null row). A code list that saturates (`a` = 0) stays at its size; identifiers (`a` = 1)
//! grow with the rows.
//!
//! Peak (`bytes`, `peak_bytes`): the held bytes plus what exists only while loading: each text
//! column's hash index (4-byte slots plus a control byte, a power of two of buckets at 7/8
//! load), the unused room of the dictionary's last text chunk (1/8 of the text, at most a
//! chunk), for a dictionary that saturates (exponent below 1/2, not sized up front by the
//! loader) the slack of its offsets (up to one doubling) and the old buffer of its first
//! chunk's last doubling, the codes' widening copy (one byte to two or four), the old buffer of a
//! vector that must double past the loader's 2^26-row first sizing, and the streamed input's
//! buffers (a window of source bytes and its text). What must stay true: the estimate reads
//! nothing but the head it is given, decides types exactly as the loader does on that head,
//! and counts what `build.rs` allocates (change one, change the other). Not foreseen: a column
//! whose type changes after the head (a late code read again as text), and a row filter whose
//! matches are not spread like in the head (a file sorted by the filtered column).
//!
//! [`Column::heap_bytes`]: crate::core::column::Column::heap_bytes

use serde::{Deserialize, Serialize};

use super::loader::Loader;
use super::{IngestError, IngestOptions};
use crate::core::column::{Codes, Column, ColumnData, CHUNK_BYTES};

/// Estimated memory of one column, for the estimate's `rows`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ColumnEstimate {
    pub name: String,
    /// Type label as the head's load decided it (`"integer"`, `"decimal"`, `"text"`...).
    pub kind: String,
    /// Bytes held once loaded (what [`crate::core::column::Column::heap_bytes`] will report).
    pub bytes: u64,
    /// `bytes` plus what exists only while loading (hash index, vector growth).
    pub peak_bytes: u64,
    /// Text whose values repeat (distinct at most half the non-null rows).
    pub dictionary: bool,
    /// Estimated distinct values (text; 0 otherwise).
    pub distinct: u64,
    /// Bytes a row in the value vector (for text: 4, the widest codes; [`Self::bytes_for`]
    /// counts the width the estimated distinct values need).
    pub value_bytes: u64,
    /// Mean bytes of a distinct text value in the head.
    pub text_bytes: f64,
    /// Share of non-null cells in the head.
    pub non_null_share: f64,
    /// Rows and distinct values in the head, and the growth exponent (see the module docs).
    pub head_rows: u64,
    pub head_distinct: u64,
    pub distinct_exponent: f64,
    /// Text kept row by row (mostly distinct values, see `column::Strings`): `text_bytes` is
    /// then the mean bytes of a row's value, null rows included.
    pub plain: bool,
}

/// What a load would take, estimated from a file's head.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemoryEstimate {
    /// Data rows the load would keep (after the row filter and the sample).
    pub rows: u64,
    /// Data rows in the file.
    pub rows_in_file: u64,
    /// Peak engine memory of the load as asked (projection, filter, sample applied).
    pub bytes: u64,
    /// Bytes the loaded dataset holds (what [`crate::core::Dataset::heap_bytes`] will say).
    pub dataset_bytes: u64,
    /// Input buffers of the streamed load, part of every peak.
    pub buffer_bytes: u64,
    /// Every column of the file (whatever the projection), sized for `rows`.
    pub columns: Vec<ColumnEstimate>,
    /// Names of the columns `bytes` counts (the projection asked, else all).
    pub selected: Vec<String>,
}

/// The loader's first sizing of a vector is capped at this many rows; beyond, it doubles.
const FIRST_CAP_MAX: u64 = 1 << 26;

/// Capacity the loader gives a vector for `rows` rows (5 % slack, 16 more), and the capacity of
/// the buffer it leaves behind when it last doubles (0 when it never does).
fn capacity(rows: u64) -> (u64, u64) {
    let first = (rows + rows / 20 + 16).min(FIRST_CAP_MAX);
    if rows <= first {
        return (first, 0);
    }
    let mut cap = first;
    while cap < rows {
        cap *= 2;
    }
    (cap, cap / 2)
}

/// Bytes of a hashbrown table of `u32` holding `n` entries.
fn index_bytes(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let buckets = if n < 4 {
        4
    } else if n < 8 {
        8
    } else {
        (n * 8 / 7).next_power_of_two()
    };
    buckets * 5 + 16
}

impl ColumnEstimate {
    fn measure(col: &Column) -> ColumnEstimate {
        let rows = col.len() as u64;
        let non_null = rows - col.valid.null_count() as u64;
        let share = if rows == 0 {
            0.0
        } else {
            non_null as f64 / rows as f64
        };
        let value_bytes = match &col.data {
            ColumnData::Integer(_)
            | ColumnData::Decimal { .. }
            | ColumnData::Float(_)
            | ColumnData::Datetime(_) => 8,
            ColumnData::Date(_) | ColumnData::Text { .. } | ColumnData::Strings(_) => 4,
            ColumnData::Boolean(_) => 1,
        };
        let mut e = ColumnEstimate {
            name: col.name.clone(),
            kind: col.column_type().as_str().to_string(),
            value_bytes,
            non_null_share: share,
            head_rows: rows,
            ..ColumnEstimate::default()
        };
        if let Some((codes, dict)) = col.data.text_codes() {
            let d2 = dict.len() as u64;
            // Codes are given in order of first appearance: the distinct values of the first
            // half are the codes below the largest code seen there.
            let half = codes.len() / 2;
            let d1 = (0..half)
                .filter(|&r| col.valid.is_valid(r))
                .map(|r| u64::from(codes.get(r)) + 1)
                .max()
                .unwrap_or(0);
            e.head_distinct = d2;
            e.text_bytes = if d2 == 0 {
                0.0
            } else {
                dict.iter().map(|s| s.len() as f64).sum::<f64>() / d2 as f64
            };
            e.distinct_exponent = if d2 == 0 {
                0.0
            } else if d1 == 0 {
                1.0
            } else {
                ((d2 as f64 / d1 as f64).log2()).clamp(0.0, 1.0)
            };
        }
        if let ColumnData::Strings(s) = &col.data {
            e.plain = true;
            e.text_bytes = if rows == 0 {
                0.0
            } else {
                s.values().text_len() as f64 / rows as f64
            };
        }
        e
    }

    /// Estimated distinct text values among `rows` rows.
    pub fn distinct_for(&self, rows: u64) -> u64 {
        if self.head_distinct == 0 || self.head_rows == 0 {
            return 0;
        }
        let grown = self.head_distinct as f64
            * (rows as f64 / self.head_rows as f64).powf(self.distinct_exponent);
        let most = (rows as f64 * self.non_null_share).ceil();
        grown.min(most).max(0.0).round() as u64
    }

    /// `(held, peak)` bytes of this column for a load of `rows` rows.
    pub fn bytes_for(&self, rows: u64) -> (u64, u64) {
        let (cap, old) = capacity(rows);
        if self.plain {
            // Every row's text and end offset; the text's first chunk reserved up front
            // (later chunks come as needed and are never moved, so the text is never copied).
            let text = (rows as f64 * self.text_bytes).round() as u64;
            let held = text + cap * 4 + cap.div_ceil(64) * 8 + self.name.len() as u64;
            let transient = old * 4 + old.div_ceil(64) * 8;
            return (held, held + transient);
        }
        let d = self.distinct_for(rows);
        let value_bytes = if self.kind != "text" {
            self.value_bytes
        } else {
            Codes::width_for_values(usize::try_from(d).unwrap_or(usize::MAX)) as u64
        };
        let mut held = value_bytes * cap + cap.div_ceil(64) * 8 + self.name.len() as u64;
        let mut transient = value_bytes * old + old.div_ceil(64) * 8;
        if self.kind == "text" {
            // Codes that outgrow one byte mid-load are copied once, wider (the old vector
            // lives during the copy), unless the loader started them wide.
            if value_bytes > 1 && self.distinct_exponent < 0.5 {
                transient += value_bytes / 2 * cap;
            }
            let text = (d as f64 * self.text_bytes).round() as u64;
            held += text + d * 4;
            // The text lives in chunks never moved (`column/dict.rs`): at most one chunk of
            // unused room at the end. The loader sizes a growing dictionary's offsets up front
            // (its first chunk with 1/8 of slack); a repeated one grows by doubling: its
            // offsets up to their size again in spare slots, its first chunk's old buffer
            // while it doubles.
            let chunk = CHUNK_BYTES as u64;
            transient += index_bytes(d);
            if self.distinct_exponent < 0.5 {
                transient += d * 4 + text.min(chunk);
            } else {
                transient += (text / 8).min(chunk);
            }
        }
        (held, held + transient)
    }

    fn sized(mut self, rows: u64) -> ColumnEstimate {
        let (held, peak) = self.bytes_for(rows);
        self.bytes = held;
        self.peak_bytes = peak;
        self.distinct = self.distinct_for(rows);
        self.dictionary = self.kind == "text"
            && (self.distinct as f64) * 2.0 <= (rows as f64 * self.non_null_share).max(1.0);
        self
    }
}

impl MemoryEstimate {
    fn position(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.columns
            .iter()
            .position(|c| c.name == name)
            .or_else(|| {
                self.columns
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(name))
            })
    }

    /// Peak bytes of a load of only these columns (names as [`IngestOptions::columns`] takes
    /// them; unknown names count nothing), all the estimate's rows.
    pub fn for_columns(&self, names: &[&str]) -> u64 {
        let mut seen = vec![false; self.columns.len()];
        for n in names {
            if let Some(i) = self.position(n) {
                seen[i] = true;
            }
        }
        let cols = self.columns.iter().zip(seen).filter(|(_, s)| *s);
        self.buffer_bytes + cols.map(|(c, _)| c.peak_bytes).sum::<u64>()
    }

    /// Peak bytes of a load that keeps one row in `k` of the estimate's rows, over the
    /// selected columns (`k` = 0 or 1: the estimate itself).
    pub fn for_sample(&self, k: usize) -> u64 {
        let k = (k as u64).max(1);
        let rows = self.rows.div_ceil(k);
        let peak: u64 = self
            .columns
            .iter()
            .filter(|c| self.selected.contains(&c.name))
            .map(|c| c.bytes_for(rows).1)
            .sum();
        self.buffer_bytes + peak
    }
}

/// Estimates the load of a file of `total_bytes` bytes from its first bytes `head` (a few
/// megabytes: the more, the better the distinct counts), for the options `opts` (see the
/// module docs). Errors are the loader's own (binary file, unknown filter column...).
pub fn estimate(
    head: &[u8],
    total_bytes: u64,
    opts: &IngestOptions,
) -> Result<MemoryEstimate, IngestError> {
    let whole = total_bytes <= head.len() as u64;
    let cut = if whole {
        head
    } else {
        match head.iter().rposition(|&b| b == b'\n') {
            // UTF-16LE: the line break's second byte (NUL) goes with it.
            Some(p) if p % 2 == 0 && head.get(p + 1) == Some(&0) => &head[..p + 2],
            Some(p) => &head[..=p],
            None => head,
        }
    };
    let head_opts = IngestOptions {
        columns: None,
        sample_every: None,
        ..opts.clone()
    };
    let ds = Loader::new(cut.to_vec(), head_opts)?.finish()?;
    let scale = if whole || cut.is_empty() {
        1.0
    } else {
        total_bytes as f64 / cut.len() as f64
    };
    let read = ds.report.rows_read as f64;
    let rows_in_file = (read * scale).round() as u64;
    let kept_share = if read > 0.0 {
        ds.rows as f64 / read
    } else {
        0.0
    };
    let every = opts.sample_every.unwrap_or(1).max(1) as u64;
    let rows = ((rows_in_file as f64 * kept_share).round() as u64).div_ceil(every);
    let columns: Vec<ColumnEstimate> = ds
        .columns
        .iter()
        .map(|c| ColumnEstimate::measure(c).sized(rows))
        .collect();
    let mut e = MemoryEstimate {
        rows,
        rows_in_file,
        buffer_bytes: 2 * super::source::WINDOW_BYTES as u64,
        columns,
        ..MemoryEstimate::default()
    };
    let names: Vec<&str> = match opts.columns.as_deref().filter(|c| !c.is_empty()) {
        Some(wanted) => wanted.iter().map(String::as_str).collect(),
        None => e.columns.iter().map(|c| c.name.as_str()).collect(),
    };
    let mut selected = vec![false; e.columns.len()];
    for n in &names {
        if let Some(i) = e.position(n) {
            selected[i] = true;
        }
    }
    e.selected = e
        .columns
        .iter()
        .zip(&selected)
        .filter(|(_, s)| **s)
        .map(|(c, _)| c.name.clone())
        .collect();
    e.bytes = e.buffer_bytes
        + e.columns
            .iter()
            .zip(&selected)
            .filter(|(_, s)| **s)
            .map(|(c, _)| c.peak_bytes)
            .sum::<u64>();
    e.dataset_bytes = e
        .columns
        .iter()
        .zip(&selected)
        .filter(|(_, s)| **s)
        .map(|(c, _)| c.bytes)
        .sum();
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_follows_the_loader_sizing_then_doubling() {
        // 5 % slack and 16 more, once.
        assert_eq!(capacity(1_000), (1_066, 0));
        // Past the 2^26 first sizing: doubled once, the old buffer held while copying.
        assert_eq!(capacity(100_000_000), (1 << 27, 1 << 26));
        assert_eq!(capacity(300_000_000), (1 << 29, 1 << 28));
    }

    #[test]
    fn distinct_values_grow_by_the_head_exponent() {
        let ids = ColumnEstimate {
            kind: "text".into(),
            head_rows: 1_000,
            head_distinct: 1_000,
            distinct_exponent: 1.0,
            non_null_share: 1.0,
            ..ColumnEstimate::default()
        };
        assert_eq!(ids.distinct_for(50_000), 50_000);
        let codes = ColumnEstimate {
            head_distinct: 100,
            distinct_exponent: 0.0,
            ..ids.clone()
        };
        assert_eq!(codes.distinct_for(50_000), 100);
        // a = 1/2: 100 distinct in 1,000 rows -> 100 x sqrt(100) = 1,000 in 100,000 rows.
        let half = ColumnEstimate {
            head_distinct: 100,
            distinct_exponent: 0.5,
            ..ids.clone()
        };
        assert_eq!(half.distinct_for(100_000), 1_000);
        // Never more than one a non-null row.
        let sparse = ColumnEstimate {
            non_null_share: 0.1,
            ..ids
        };
        assert_eq!(sparse.distinct_for(10_000), 1_000);
        assert_eq!(index_bytes(7), 8 * 5 + 16);
        assert_eq!(index_bytes(100), 128 * 5 + 16);
    }
}
