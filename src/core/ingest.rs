//! Ingest: bytes of a CSV-like file -> [`Dataset`] plus an [`IngestReport`] of every guess.
//!
//! Stages: `decode` (encoding detection and transcoding to UTF-8), `sniff` (delimiter, quote,
//! header row, line ending), `parse` (records, ragged rows), `infer` (column types, null
//! vocabulary, number and date formats, key kinds). Each guess can be overridden through
//! [`IngestOptions`] and the file read again.
//!
//! Input is either bytes held whole ([`Loader::new`], [`read`]) or a [`Source`] read one window
//! at a time ([`Loader::from_source`]: the browser API, so a file is never copied whole into
//! WebAssembly memory); both give the same dataset and report. A streamed file that is not
//! UTF-8 (Windows-1252, UTF-16, any declared label) is transcoded window by window, not read
//! whole; only a first window that is blank or binary-looking is read whole (to say why).
//!
//! A load can keep only some columns ([`IngestOptions::columns`]: the others get no builder)
//! and some rows ([`IngestOptions::row_filter`], [`IngestOptions::sample_every`]: the others
//! are never stored); inference still looks at every column and row of the sample, so a
//! column kept by a projection is the same as in a full load (with a row filter, a column
//! whose only codes are in dropped rows keeps its number type), and the report says what was
//! kept.
//!
//! Before a big load, [`estimate`] tells from the file's head how many rows it holds and how
//! much memory the load (or a projection, or a sample) would take.
//!
//! Invariants: never panics and never hangs, whatever the bytes; one bad row never fails the
//! load (it becomes a warning); an error is returned only when nothing usable is there, with a
//! message in French and English.

use serde::{Deserialize, Serialize};

use super::dataset::Dataset;

pub mod ahead;
pub(crate) mod build;
pub mod cell;
mod decode;
mod estimate;
mod header;
mod infer;
pub mod keys;
mod loader;
mod parse;
pub mod parts;
mod sniff;
mod source;
mod warm;

pub use estimate::{estimate, ColumnEstimate, MemoryEstimate};
pub use loader::{Loader, MAX_COLUMNS, MAX_WARNINGS};
pub use source::{Source, WINDOW_BYTES};
pub use warm::{warm_up, warm_up_csv, warm_up_csv_rows};

/// Reads a whole CSV file into a [`Dataset`]: the same path as [`Loader`], run to the end.
///
/// ```
/// use loupe::core::ingest::{read, IngestOptions};
/// let ds = read("code;montant\n01053;1 234,50\n2A004;-3,5\n".as_bytes(), &IngestOptions::default())
///     .map_err(|e| e.to_string())?;
/// assert_eq!(ds.report.delimiter, ";");
/// assert_eq!(ds.columns[0].text(0), Some("01053"));
/// assert_eq!(ds.columns[1].value(0).to_plain_string(), "1234.50");
/// # Ok::<(), String>(())
/// ```
pub fn read(bytes: &[u8], opts: &IngestOptions) -> Result<Dataset, IngestError> {
    Loader::new(bytes.to_vec(), opts.clone())?.finish()
}

/// The start of `bytes` up to and including its `lines`-th line feed (all of `bytes` when it
/// has fewer). A line feed inside a quoted field counts too: the cut is never later than
/// `lines` records.
///
/// ```
/// use loupe::core::ingest::first_lines;
/// assert_eq!(first_lines(b"a\nb\nc\n", 2), b"a\nb\n");
/// assert_eq!(first_lines(b"a\r\nb", 5), b"a\r\nb");
/// assert_eq!(first_lines(b"a\nb", 0), b"");
/// ```
pub fn first_lines(bytes: &[u8], lines: usize) -> &[u8] {
    if lines == 0 {
        return &bytes[..0];
    }
    match bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(lines - 1)
    {
        Some((i, _)) => &bytes[..=i],
        None => bytes,
    }
}

/// User overrides of ingest guesses. `None` means "detect".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IngestOptions {
    /// WHATWG label, e.g. `"utf-8"`, `"windows-1252"`, `"utf-16le"`.
    pub encoding: Option<String>,
    /// A single character (`","`, `";"`, `"\t"`, `"|"`, ...).
    pub delimiter: Option<String>,
    /// `true`/`false`: there is / is not a header row.
    pub header: Option<bool>,
    /// 0-based line index of the header row (lines above it are skipped).
    pub header_row: Option<usize>,
    /// `","` or `"."`.
    pub decimal: Option<String>,
    /// Per-column type override, by column name (`"text"`, `"integer"`, ...).
    pub types: Vec<(String, super::column::ColumnType)>,
    /// `Some(false)`: read every column as text (no type inference, no null vocabulary
    /// beyond empty cells).
    pub infer_types: Option<bool>,
    /// Columns to keep, by name (exact, else ASCII case-insensitive), kept in file order;
    /// `None` or an empty list: all. The others are skipped while parsing (no builder, no
    /// cell stored). Unknown names are ignored with a warning; none known is an error.
    pub columns: Option<Vec<String>>,
    /// Keep only the data rows whose cell in a column matches (see [`RowFilter`]).
    pub row_filter: Option<RowFilter>,
    /// Keep one data row in `k`: rows 0, k, 2k... of the rows that pass `row_filter` (of all
    /// data rows without a filter). `None`, 0 and 1 keep every row.
    pub sample_every: Option<usize>,
}

/// A condition on the raw text of one cell, tested while parsing: rows that fail it are never
/// stored. Both the cell and `value` are trimmed of spaces and tabs; quotes are already
/// removed; comparisons ignore ASCII case only (`é` and `É` differ). A row too short to have
/// the column has an empty cell there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RowFilter {
    /// Column name (exact, else ASCII case-insensitive). Unknown: the load fails.
    pub column: String,
    pub op: RowOp,
    pub value: String,
}

/// How [`RowFilter::value`] is compared with the cell (ASCII case-insensitive).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOp {
    /// The whole cell equals the value.
    #[default]
    Equals,
    /// The value occurs in the cell (an empty value matches every row).
    Contains,
    /// The cell starts with the value.
    StartsWith,
}

/// A positioned remark about the file (ragged row, undecodable bytes, renamed header...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestWarning {
    /// 1-based line number in the file, when the remark is about one line.
    pub row: Option<usize>,
    /// Bilingual message: French first, then English.
    pub message: String,
}

/// Everything ingest guessed or was told.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IngestReport {
    /// WHATWG label of the encoding used.
    pub encoding: String,
    /// Whether a byte-order mark was present.
    pub bom: bool,
    pub delimiter: String,
    /// 0-based line index of the header row, `None` when the file has no header.
    pub header_row: Option<usize>,
    /// `","` or `"."`: the decimal separator chosen for numeric columns.
    pub decimal_separator: String,
    /// `"\n"`, `"\r\n"` or `"\r"`.
    pub line_ending: String,
    /// Number of data rows kept (all of them unless a row filter or sample was asked).
    pub rows: usize,
    /// Data rows read from the file, before the row filter and sample.
    pub rows_read: usize,
    /// `(kept, total)` columns when [`IngestOptions::columns`] chose some.
    pub projected: Option<(usize, usize)>,
    /// The row filter and sample applied and what they kept, in words (French / English);
    /// `None` when every row was kept.
    pub subset: Option<String>,
    pub columns: usize,
    /// Rows whose field count differs from the header (kept, padded or truncated).
    pub ragged_rows: usize,
    pub warnings: Vec<IngestWarning>,
    /// Bytes of input read (the file's size; `u64`: a file may exceed 4 GiB in WebAssembly).
    pub bytes: u64,
}

/// Ingest failed: nothing usable in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    pub fr: String,
    pub en: String,
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.fr, self.en)
    }
}

impl std::error::Error for IngestError {}

/// Progress of an incremental load, for a progress bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Bytes of text parsed and expected (`u64`: a file may exceed 4 GiB in WebAssembly).
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub rows: usize,
}
