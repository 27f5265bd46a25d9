//! The incremental loader: decode, sniff and infer up front, then parse in slices so that a
//! browser can keep its frame budget, then build the [`Dataset`].
//!
//! What must stay true: `read` and `Loader` share this one code path; `step` parses about
//! `max_bytes` of input and returns, whatever the input; every row pushes exactly one cell to
//! every column; a column whose later cells contradict its sampled type beyond 1 %, or that
//! meets one code (`01` after `11`...`94`, `2A`), is re-read from the text as text and its key
//! kind decided on every value (the decoded text is kept until `finish`, or read again from
//! the [`Source`], so this is exact). A header with fewer names than the rows have fields is
//! reported in plain words, with what became of each extra field. Memory: vectors are sized once from the sample's bytes per
//! row, and only label-like text columns get their dictionary index sized up front.
//!
//! Projection and subsets (`IngestOptions::columns`, `row_filter`, `sample_every`): type
//! inference, the decimal separator and key kinds are decided on the sample of every column
//! and every row, exactly as for a full load, so a kept column of a full-width load equals the
//! same column of a projected load. Only kept columns get a builder; a row that the filter or
//! sample rejects is never pushed; the second pass (re-read as text) keeps the same rows, so
//! every builder still has one slot per kept row. The report says what was kept
//! (`projected`, `rows_read`, `subset`).

use std::collections::HashSet;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::build::{ColumnBuilder, FxBuild, Kind};
use super::cell::{is_null_token, trim};
use super::decode::decode;
use super::header::{column_names, looks_like_header};
use super::infer::{dataset_decimal, ColumnStats, SAMPLE_ROWS};
use super::keys::KeyStats;
use super::parse::{
    line_ending, line_index, line_start, skip_breaks, Record, RecordReader, TextInput as _,
};
use super::sniff::{find_table_start, mode, sniff_delimiter};
use super::source::{Source, Stream, Window};
use super::{IngestError, IngestOptions, IngestReport, IngestWarning, Progress, RowOp};
use crate::core::dataset::Dataset;

/// Most warnings listed per kind; the counts in the report stay exact.
pub const MAX_WARNINGS: usize = 50;
/// Widest table accepted; cells beyond are dropped with a warning. Real files stay far below.
pub const MAX_COLUMNS: usize = 16_384;

/// An ingest in progress. See the module docs of [`super`].
pub struct Loader {
    /// The decoded text, whole or a window at a time.
    text: Window,
    /// Kept to start again (transcoded) when a streamed source turns out not to be UTF-8.
    opts: IngestOptions,
    /// An error met after `new` (only when restarting transcoded), returned by `finish`.
    error: Option<IngestError>,
    delimiter: u8,
    reader: RecordReader,
    /// Text offset of the first data row.
    data_start: u64,
    /// Builders of the kept columns only (all columns unless projected).
    columns: Vec<ColumnBuilder>,
    /// Field index in each record of each kept column (`columns[j]` reads field `fields[j]`).
    fields: Vec<usize>,
    /// Fields per record (the file's width, kept or not): what ragged rows are measured by.
    width: usize,
    /// Kept columns whose header cell was empty or missing (dropped at the end if all null).
    unnamed: Vec<bool>,
    /// Which data rows are stored (row filter and sample).
    keep: RowKeep,
    /// Data rows kept (pushed to the builders).
    rows: usize,
    /// Data rows read, kept or not.
    rows_read: usize,
    report: IngestReport,
    ragged_warned: usize,
    /// Names in the header row when the data rows have more fields than that (`None`
    /// otherwise): the extra fields are reported in plain words by `finish`.
    short_header: Option<usize>,
    /// Text offset where this loader stops reading records (a part of a parallel load; see
    /// [`super::parts`]): `u64::MAX` for a whole load, and again in `finish`.
    end: u64,
    /// `Some(offset of its first record)` for a later part of a parallel load.
    part_start: Option<u64>,
    /// Lines before the current reader's start: the lines above the data (preamble, header),
    /// then the parts appended before it (0 in a later part: it counts from its own start).
    line_base: usize,
    /// Warnings made by `init` (the same in every part: not sent with a part).
    init_warnings: usize,
    /// An appended part's text had bytes replaced by U+FFFD.
    lossy_parts: bool,
}

fn error(fr: &str, en: &str) -> IngestError {
    IngestError {
        fr: fr.to_string(),
        en: en.to_string(),
    }
}

fn delimiter_option(d: &str) -> Result<u8, IngestError> {
    let d = if d == "\\t" || d.eq_ignore_ascii_case("tab") {
        "\t"
    } else {
        d
    };
    match d.as_bytes() {
        [c] if *c != b'"' && *c != b'\n' && *c != b'\r' => Ok(*c),
        _ => Err(error(
            &format!("Séparateur invalide : « {d} » (un seul caractère ASCII attendu)."),
            &format!("Invalid delimiter: \"{d}\" (expected one ASCII character)."),
        )),
    }
}

impl Loader {
    /// Decodes, sniffs the dialect and infers column types on a sample. Costs one pass over
    /// the sample rows (at most [`SAMPLE_ROWS`]), plus transcoding when the file is not UTF-8.
    pub fn new(bytes: Vec<u8>, opts: IngestOptions) -> Result<Loader, IngestError> {
        let total = bytes.len() as u64;
        let decoded = decode(bytes, opts.encoding.as_deref())?;
        let report = IngestReport {
            encoding: decoded.encoding,
            bom: decoded.bom,
            warnings: decoded.warnings,
            bytes: total,
            ..IngestReport::default()
        };
        Loader::init(Window::Memory(decoded.text), report, opts)
    }

    /// Like [`Loader::new`], but reads `src` a window at a time instead of holding a copy of
    /// it: UTF-8 input is checked window by window, and any other encoding (declared, marked
    /// by a byte-order mark, UTF-16 told by its NUL bytes, or Windows-1252 when the bytes are
    /// not UTF-8) is transcoded window by window. Only odd cases are read whole and decoded as
    /// [`Loader::new`] does: a first window that is blank or not text-like (`decode` must
    /// look at the whole input to say why), and a UTF-8 label forced over a UTF-16 BOM.
    pub fn from_source(src: Box<dyn Source>, opts: IngestOptions) -> Result<Loader, IngestError> {
        Loader::from_source_in_windows(src, opts, super::source::WINDOW_BYTES)
    }

    /// [`Loader::from_source`] with windows of `window` bytes (tests use tiny windows to cut
    /// records and characters at every position; the sniffer sees only the first window).
    pub fn from_source_in_windows(
        src: Box<dyn Source>,
        opts: IngestOptions,
        window: usize,
    ) -> Result<Loader, IngestError> {
        let total = src.len();
        let mut head = vec![0u8; at_most(total, window.max(4))];
        src.read_at(0, &mut head);
        if let Some(e) = super::decode::binary_kind(&head) {
            return Err(e);
        }
        let forced = super::decode::forced_encoding(opts.encoding.as_deref())?;
        let (bom_enc, bom_len) = match Encoding::for_bom(&head) {
            Some((e, n)) => (Some(e), n),
            None => (None, 0),
        };
        let utf16 = || {
            // `decode` tells UTF-16 without BOM from the first KiB: look at as much.
            if head.len() < 1024 && total > head.len() as u64 {
                let mut probe = vec![0u8; at_most(total, 1024)];
                src.read_at(0, &mut probe);
                super::decode::utf16_without_bom(&probe)
            } else {
                super::decode::utf16_without_bom(&head)
            }
        };
        let enc = forced.or(bom_enc).or_else(utf16);
        match enc {
            Some(e) if e == UTF_8 => {
                if bom_enc.is_some_and(|b| b != UTF_8) || !super::decode::streamable(&head, true) {
                    return Loader::new(read_all(src.as_ref())?, opts);
                }
                match Stream::open(src, bom_len, true, window, head) {
                    Ok(stream) => {
                        let report = IngestReport {
                            encoding: "utf-8".to_string(),
                            bom: bom_len > 0,
                            bytes: total,
                            ..IngestReport::default()
                        };
                        Loader::init(Window::Stream(Box::new(stream)), report, opts)
                    }
                    Err(src) => Loader::new(read_all(src.as_ref())?, opts),
                }
            }
            Some(e) => {
                let skip = if bom_enc == Some(e) { bom_len } else { 0 };
                Loader::transcoded(src, e, skip, bom_len > 0, window, opts)
            }
            None if !super::decode::streamable(&head, false) => {
                Loader::new(read_all(src.as_ref())?, opts)
            }
            None => match Stream::open(src, 0, false, window, head) {
                Ok(stream) => {
                    let report = IngestReport {
                        encoding: "utf-8".to_string(),
                        bytes: total,
                        ..IngestReport::default()
                    };
                    Loader::init(Window::Stream(Box::new(stream)), report, opts)
                }
                // Not UTF-8 and nothing declared: Windows-1252, as `decode` decides.
                Err(src) => Loader::transcoded(src, WINDOWS_1252, 0, false, window, opts),
            },
        }
    }

    /// Opens `src` transcoded from `enc` window by window (after `skip` bytes of BOM); falls
    /// back to reading it whole when its first window of text is not text-like.
    fn transcoded(
        src: Box<dyn Source>,
        enc: &'static Encoding,
        skip: usize,
        bom: bool,
        window: usize,
        opts: IngestOptions,
    ) -> Result<Loader, IngestError> {
        let total = src.len();
        let stream = Stream::transcoded(src, enc, skip, window);
        if super::decode::check_text(stream.head()).is_err() {
            return Loader::new(read_all(stream.into_source().as_ref())?, opts);
        }
        let report = IngestReport {
            encoding: super::decode::label(enc),
            bom,
            bytes: total,
            ..IngestReport::default()
        };
        Loader::init(Window::Stream(Box::new(stream)), report, opts)
    }

    fn init(
        text: Window,
        mut report: IngestReport,
        opts: IngestOptions,
    ) -> Result<Loader, IngestError> {
        let mut text = text;
        report.line_ending = line_ending(text.head()).to_string();
        let delimiter = match opts.delimiter.as_deref() {
            Some(d) => delimiter_option(d)?,
            None => sniff_delimiter(text.head()),
        };
        report.delimiter = (delimiter as char).to_string();
        let start = match opts.header_row {
            Some(line) => skip_breaks(text.head(), line_start(text.head(), line)),
            None => find_table_start(text.head(), delimiter).pos,
        };
        let header_line = line_index(text.head(), start);

        // The sample: the first record (maybe a header) and up to SAMPLE_ROWS more.
        let start = start as u64;
        let mut rdr = RecordReader::new(delimiter, start);
        let mut first: Option<Vec<Vec<u8>>> = None;
        let mut after_first = start;
        let mut sample = SampleRows::default();
        while sample.len() < SAMPLE_ROWS {
            let Some(rec) = rdr.next_record_in(&mut text) else {
                break;
            };
            if rec.is_blank() {
                continue;
            }
            if first.is_none() {
                first = Some(rec.iter().take(MAX_COLUMNS).map(<[u8]>::to_vec).collect());
                after_first = rdr.pos;
            } else {
                sample.push(rec.iter().take(MAX_COLUMNS));
            }
        }
        let Some(first) = first else {
            return Err(error(
                "Aucune ligne de données n'a été trouvée dans le fichier.",
                "No data row was found in the file.",
            ));
        };
        let has_header = opts.header.unwrap_or_else(|| looks_like_header(&first));
        if !has_header {
            sample.push_front(&first);
        }
        let counts: Vec<usize> = (0..sample.len()).map(|r| sample.row(r).len()).collect();
        let (data_width, _) = mode(&counts);
        let header_width = if has_header { first.len() } else { 0 };
        let width = header_width.max(data_width).clamp(1, MAX_COLUMNS);

        let mut stats = vec![ColumnStats::default(); width];
        for r in 0..sample.len() {
            for (s, cell) in stats.iter_mut().zip(sample.row(r).iter()) {
                s.add(cell);
            }
        }
        let dec = match opts.decimal.as_deref() {
            Some(",") => b',',
            Some(_) => b'.',
            None => dataset_decimal(&stats),
        };
        report.decimal_separator = (dec as char).to_string();
        let names = column_names(
            has_header.then_some(first.as_slice()),
            width,
            &mut report.warnings,
        );
        let unnamed: Vec<bool> = (0..width)
            .map(|i| !has_header || first.get(i).is_none_or(|c| c.iter().all(|b| *b == b' ')))
            .collect();
        let fields = projection(&names, opts.columns.as_deref(), &mut report)?;
        let unnamed = fields.iter().map(|&i| unnamed[i]).collect();
        let keep = RowKeep::new(&names, &opts)?;
        // Rows expected, from the sample's bytes per row (every vector is sized once: a
        // doubling at the end would hold both copies in memory at the peak), with 5 % slack.
        let data_start = if has_header { after_first } else { start };
        let sampled_to_end = rdr.is_done();
        let cap = if sampled_to_end || sample.is_empty() {
            sample.len().max(16)
        } else {
            let per_row = ((rdr.pos - data_start) / sample.len() as u64).max(1);
            let rows = text.total().saturating_sub(data_start) / per_row;
            let rows = usize::try_from(rows).unwrap_or(usize::MAX);
            rows.saturating_add(rows / 20)
                .saturating_add(16)
                .min(1 << 26)
        };
        // Rows kept: the share of the sample that passes the filter, one in `every`.
        let cap = if keep.filter.is_some() || keep.every > 1 {
            let mut k = keep.fresh();
            let n = sample.len().max(1);
            let passed = (0..sample.len())
                .filter(|&r| k.keep_cells(|i| sample.row(r).get(i)))
                .count();
            (cap / n)
                .saturating_mul(passed)
                .saturating_add(cap % n * passed / n)
                .saturating_add(16)
        } else {
            cap
        };
        let mut wanted = vec![false; width];
        for &i in &fields {
            wanted[i] = true;
        }
        // Builders for the kept columns only: the others are never allocated.
        let mut columns: Vec<ColumnBuilder> = names
            .into_iter()
            .zip(&stats)
            .zip(wanted)
            .filter(|(_, w)| *w)
            .map(|((name, s), _)| {
                let forced = opts.types.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
                let (kind, key) = match forced {
                    Some(t) => (s.forced(t, dec), None),
                    None if opts.infer_types == Some(false) => (Kind::Text, None),
                    None => s.decide(&name, dec),
                };
                let mut col = ColumnBuilder::new(name, kind, key, cap);
                if forced.is_some() {
                    col.keep_type();
                }
                col
            })
            .collect();
        // Text columns whose sample is mostly distinct values (labels, identifiers) get their
        // dictionary index sized up front: no rehash of a million entries mid-load.
        // The first DISTINCT_SAMPLE rows tell a label column from a code column.
        const DISTINCT_SAMPLE: usize = 2_000;
        // Fewer sample rows than this say too little to give up the dictionary (and a file
        // that small loads in no time either way).
        const PLAIN_MIN_SAMPLE: usize = 1_000;
        let n_sample = if sampled_to_end {
            sample.len()
        } else {
            sample.len().min(DISTINCT_SAMPLE)
        }
        .max(1);
        for (col, &i) in columns.iter_mut().zip(&fields) {
            if !col.is_text() {
                continue;
            }
            let mut seen: HashSet<&[u8], FxBuild> = HashSet::default();
            let mut half = 0;
            for r in 0..n_sample.min(sample.len()) {
                if r == n_sample / 2 {
                    half = seen.len();
                }
                if let Some(c) = sample.row(r).get(i) {
                    seen.insert(c);
                }
            }
            let d = seen.len();
            let avg_bytes = seen
                .iter()
                .map(|c| c.len())
                .sum::<usize>()
                .div_ceil(d.max(1));
            // Mostly new values, and still as many in the second half as in the first: the
            // count grows with the rows (a saturating code list such as `action` does not).
            // When more than half the sample's values are distinct (labels), a dictionary
            // saves little and costs a hash probe per cell: the values are kept row by row.
            let growing = d * 10 > half * 18;
            if n_sample >= PLAIN_MIN_SAMPLE && d * 2 > n_sample && growing {
                col.store_plain(cap, avg_bytes);
            } else if sampled_to_end {
                col.reserve_distinct(d, avg_bytes);
            } else if d * 4 > n_sample && growing {
                col.reserve_distinct(
                    cap / n_sample * d + cap % n_sample * d / n_sample,
                    avg_bytes,
                );
            }
        }
        report.header_row = has_header.then_some(header_line);
        report.columns = fields.len();
        let short_header = (has_header && first.len() < width).then_some(first.len());
        Ok(Loader {
            reader: RecordReader::new(delimiter, data_start),
            text,
            opts,
            error: None,
            delimiter,
            data_start,
            columns,
            fields,
            width,
            unnamed,
            keep,
            rows: 0,
            rows_read: 0,
            report,
            ragged_warned: 0,
            short_header,
            end: u64::MAX,
            part_start: None,
            // Warnings give lines of the file: the lines above the first data row count.
            line_base: header_line + usize::from(has_header),
            init_warnings: 0,
            lossy_parts: false,
        })
        .map(|mut l: Loader| {
            l.init_warnings = l.report.warnings.len();
            l
        })
    }

    /// Parses about `max_bytes` more input (at least one record).
    pub fn step(&mut self, max_bytes: usize) -> Progress {
        let target = self
            .reader
            .pos
            .saturating_add(max_bytes.max(1) as u64)
            .min(self.end);
        let width = self.width;
        while self.reader.pos < target {
            let Some(rec) = self.reader.next_record_in(&mut self.text) else {
                break;
            };
            if rec.is_blank() && width > 1 {
                continue;
            }
            if rec.len() != width {
                self.report.ragged_rows += 1;
                if self.ragged_warned < MAX_WARNINGS {
                    self.ragged_warned += 1;
                    let (n, w) = (rec.len(), width);
                    // A later part counts from its own first line (shifted when appended).
                    let line = (rec.line + self.line_base).saturating_sub(1);
                    let line = if self.part_start.is_some() {
                        line
                    } else {
                        line.max(1)
                    };
                    self.report.warnings.push(IngestWarning {
                        row: Some(line),
                        message: format!(
                            "Ligne de {n} champs au lieu de {w} (complétée ou tronquée). / Row has {n} fields instead of {w} (padded or truncated)."
                        ),
                    });
                }
            }
            self.rows_read += 1;
            if !self.keep.keep(&rec) {
                continue;
            }
            for (col, &i) in self.columns.iter_mut().zip(&self.fields) {
                col.push(rec.get(i));
            }
            self.rows += 1;
        }
        if self.text.failed() {
            self.restart_transcoded();
        }
        self.progress()
    }

    /// The streamed source turned out not to be UTF-8 after its first window (Windows-1252
    /// files whose start is pure ASCII): start again from the top, transcoding from
    /// Windows-1252 window by window, as `decode` would have decided for the whole input.
    fn restart_transcoded(&mut self) {
        let text = std::mem::replace(&mut self.text, Window::Memory(Vec::new()));
        let Window::Stream(stream) = text else {
            return;
        };
        let window = stream.window();
        let src = stream.into_source();
        match Loader::transcoded(src, WINDOWS_1252, 0, false, window, self.opts.clone()) {
            Ok(fresh) => *self = fresh,
            Err(e) => {
                self.error = Some(e);
                self.reader = RecordReader::new(self.delimiter, u64::MAX);
                while self.reader.next_record(&[]).is_some() {}
            }
        }
    }

    /// The text is read to its end, or (a part of a parallel load) to the part's end.
    pub fn is_done(&self) -> bool {
        self.reader.is_done() || self.reader.pos >= self.end
    }

    pub fn progress(&self) -> Progress {
        Progress {
            bytes_done: self.reader.pos.min(self.text.total()),
            bytes_total: self.text.total(),
            rows: self.rows,
        }
    }

    /// Parses what is left, re-reads as text the columns that contradicted their type, drops
    /// unnamed all-empty columns (trailing delimiters) and returns the dataset.
    pub fn finish(mut self) -> Result<Dataset, IngestError> {
        // Whatever parts were appended, what is left is read here.
        self.end = u64::MAX;
        while !self.is_done() {
            self.step(1 << 20);
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let fallback: Vec<usize> = (0..self.columns.len())
            .filter(|&i| self.columns[i].should_fall_back())
            .collect();
        if !fallback.is_empty() {
            for &i in &fallback {
                let c = &mut self.columns[i];
                let message = match &c.code_cell {
                    Some((row, text)) => format!(
                        "Colonne « {0} » lue comme texte : la valeur « {1} » (ligne de données {2}) est un code (zéro en tête ou code corse), la colonne contient donc des codes et non des nombres. / Column \"{0}\" read as text: the value \"{1}\" (data row {2}) is a code (a leading zero or a Corsican code), so the column holds codes, not numbers.",
                        c.name, text, row + 1
                    ),
                    None => format!(
                        "Colonne « {0} » lue comme texte : {1} valeurs ne correspondent pas au type deviné. / Column \"{0}\" read as text: {1} values did not fit the guessed type.",
                        c.name, c.invalid_count
                    ),
                };
                self.report
                    .warnings
                    .push(IngestWarning { row: None, message });
                c.restart_as_text();
            }
            self.reread_as_text(&fallback);
        }
        if self.text.lossy() || self.lossy_parts {
            self.report.warnings.push(IngestWarning {
                row: None,
                message: super::decode::LOSSY_UTF8.to_string(),
            });
        }
        if let Some(enc) = self.text.transcode_errors() {
            // First, where `decode` puts it for a whole input.
            self.report
                .warnings
                .insert(0, super::decode::undecodable(enc));
        }
        let width = self.width;
        let mut extra = Vec::new();
        let mut columns = Vec::with_capacity(self.columns.len());
        let kept = self.columns.into_iter().zip(self.unnamed).zip(&self.fields);
        for ((col, unnamed), &i) in kept {
            let beyond_header = self.short_header.is_some_and(|names| i >= names);
            let dropped = unnamed && col.non_null == 0 && self.report.header_row.is_some();
            if beyond_header {
                extra.push((i + 1, col.name.clone(), dropped));
            }
            if dropped && beyond_header {
                continue;
            }
            if dropped {
                self.report.warnings.push(IngestWarning {
                    row: None,
                    message: format!(
                        "Colonne vide sans nom « {0} » ignorée (séparateur en fin de ligne). / Empty unnamed column \"{0}\" dropped (trailing delimiter).",
                        col.name
                    ),
                });
                continue;
            }
            columns.push(col.finish());
        }
        if let Some(names) = self.short_header.filter(|_| !extra.is_empty()) {
            self.report
                .warnings
                .push(short_header_warning(names, width, &extra));
        }
        self.report.rows = self.rows;
        self.report.rows_read = self.rows_read;
        self.report.subset = self.keep.describe(self.rows, self.rows_read);
        self.report.columns = columns.len();
        Ok(Dataset {
            columns,
            rows: self.rows,
            report: self.report,
        })
    }

    /// Makes this loader the first part of a parallel load: it reads records until its
    /// position reaches `to` (see [`super::parts`]).
    pub fn stop_at(&mut self, to: u64) {
        self.end = to;
    }

    /// Makes this loader a later part of a parallel load: records from the first line that
    /// starts at or after `from`, until the position reaches `to`. Its vectors are sized for
    /// its share of the rows. Refused (the caller then leaves the range to the first part)
    /// when the text's offsets are not the file's (transcoded), for a sample (`sample_every`
    /// counts rows from the file's start), or when `from` is not past the data's start.
    pub fn start_part(&mut self, from: u64, to: u64) -> Result<(), super::parts::PartError> {
        use super::parts::PartError;
        if self.keep.every > 1 {
            return Err(PartError("a sample is read by one loader".into()));
        }
        if from <= self.data_start || to <= from {
            return Err(PartError("range before the data".into()));
        }
        let start = self
            .text
            .line_start_from(from)
            .ok_or_else(|| PartError("text not at the file's offsets".into()))?;
        let total = self.text.total().saturating_sub(self.data_start).max(1);
        let share = (to.min(self.text.total()) - from) as f64 / total as f64;
        let cap = self.columns.first().map_or(0, |c| c.capacity());
        let cap = ((cap as f64 * share * 1.05) as usize).saturating_add(16);
        for c in &mut self.columns {
            c.resize_for(cap);
        }
        self.reader = RecordReader::new(self.delimiter, start);
        self.part_start = Some(start);
        // A later part counts its lines from its own start (shifted when appended).
        self.line_base = 0;
        self.end = to.max(start);
        Ok(())
    }

    /// Encodes this part (a later part, read to its end) for the first part's loader.
    pub fn encode_part(mut self) -> Vec<u8> {
        use super::parts::{encode_header, Out, PartHeader};
        while !self.is_done() {
            self.step(1 << 20);
        }
        let unusable = if self.text.failed() || self.error.is_some() {
            Some("text not UTF-8".to_string())
        } else if self.text.transcode_errors().is_some() {
            Some("transcoded".to_string())
        } else {
            None
        };
        let header = PartHeader {
            start: self.part_start.unwrap_or(self.data_start),
            stop: self.reader.pos,
            at_end: self.reader.is_done(),
            rows: self.rows,
            rows_read: self.rows_read,
            ragged_rows: self.report.ragged_rows,
            lines: self.reader.lines_read(),
            warnings: self
                .report
                .warnings
                .split_off(self.init_warnings.min(self.report.warnings.len())),
            columns: self.columns.len(),
            unusable,
            lossy: self.text.lossy(),
        };
        let mut out = Out::default();
        if header.unusable.is_none() {
            let size = self
                .columns
                .iter()
                .map(|c| c.encoded_len_hint())
                .sum::<usize>();
            out.0.reserve(size + 4096);
        }
        encode_header(&mut out, &header);
        if header.unusable.is_none() {
            for c in &self.columns {
                c.encode(&mut out);
            }
        }
        out.0
    }

    /// Appends an encoded part (see [`super::parts`]) when it starts exactly where this
    /// loader stands, then reads on to `next_end` (the part after it, or `u64::MAX`).
    /// Returns `false` when the part was not appended: this loader reads that range itself
    /// (it still stops at `next_end`). An error means a corrupt part: the load fails.
    pub fn absorb(
        &mut self,
        input: &mut dyn super::parts::PartInput,
        next_end: u64,
    ) -> Result<bool, IngestError> {
        let corrupt = |e: super::parts::PartError| {
            error(
                &format!("Lecture en parallèle impossible ({e})."),
                &format!("Parallel read failed ({e})."),
            )
        };
        let h = super::parts::decode_header(input).map_err(corrupt)?;
        // csv-core ends a `\r\n` record at its `\r`: the `\n` left is no line of its own.
        let mut pos = self.reader.pos;
        let mut lines_here = self.line_base + self.reader.lines_read();
        if !self.reader.is_done() && self.text.input_at(pos).first() == Some(&b'\n') {
            pos += 1;
            lines_here += 1;
        }
        let fits = h.unusable.is_none()
            && self.error.is_none()
            && !self.reader.is_done()
            && self.reader.pos >= self.end
            && h.start == pos
            && h.columns == self.columns.len();
        if !fits {
            self.end = next_end;
            return Ok(false);
        }
        for mut w in h.warnings {
            w.row = w.row.map(|r| (r + lines_here).max(1));
            if self.ragged_warned < MAX_WARNINGS {
                self.ragged_warned += 1;
                self.report.warnings.push(w);
            }
        }
        for c in &mut self.columns {
            c.absorb(input).map_err(corrupt)?;
        }
        self.rows += h.rows;
        self.rows_read += h.rows_read;
        self.report.ragged_rows += h.ragged_rows;
        self.lossy_parts |= h.lossy;
        self.line_base = lines_here + h.lines;
        self.reader = RecordReader::new(self.delimiter, h.stop);
        self.end = if h.at_end {
            h.stop
        } else {
            next_end.max(h.stop)
        };
        Ok(true)
    }

    /// Second pass over the data rows, pushing the given columns' cells as text, then deciding
    /// their key kind from every value (not only the sample: an INSEE file sorted by code
    /// shows its overseas régions `01`...`06` only after the sample).
    fn reread_as_text(&mut self, cols: &[usize]) {
        let width = self.width;
        let mut keys = vec![KeyStats::default(); cols.len()];
        let mut rdr = RecordReader::new(self.delimiter, self.data_start);
        let mut keep = self.keep.fresh();
        while let Some(rec) = rdr.next_record_in(&mut self.text) {
            if rec.is_blank() && width > 1 {
                continue;
            }
            if !keep.keep(&rec) {
                continue;
            }
            for (&i, k) in cols.iter().zip(keys.iter_mut()) {
                if let Some(c) = self.columns.get_mut(i) {
                    let cell = self.fields.get(i).and_then(|&f| rec.get(f));
                    c.push(cell);
                    if let Some(b) = cell.map(trim).filter(|b| !is_null_token(b)) {
                        k.add(b);
                    }
                }
            }
        }
        for (&i, k) in cols.iter().zip(&keys) {
            if let Some(c) = self.columns.get_mut(i) {
                c.key = k.kind(&c.name);
            }
        }
    }
}

/// The remark for a header with fewer names (`names`) than the data rows have fields
/// (`fields`), saying what became of each extra field: `(field number, column name, dropped)`.
fn short_header_warning(
    names: usize,
    fields: usize,
    extra: &[(usize, String, bool)],
) -> IngestWarning {
    let (mut fr, mut en) = (Vec::new(), Vec::new());
    for (n, name, dropped) in extra {
        if *dropped {
            fr.push(format!(
                "le champ n° {n}, vide sur toutes les lignes, a été ignoré"
            ));
            en.push(format!("field {n}, empty on every row, was dropped"));
        } else {
            fr.push(format!(
                "le champ n° {n} a été gardé dans une colonne nommée « {name} »"
            ));
            en.push(format!("field {n} was kept as a column named \"{name}\""));
        }
    }
    let all_dropped = extra.iter().all(|e| e.2);
    let (why_fr, why_en) = if all_dropped {
        (
            "Sans doute un séparateur en fin de ligne ; s'il manque plutôt un nom dans l'en-tête, les noms qui le suivent sont décalés d'une colonne.",
            "Probably a delimiter at the end of each line; if a name is missing from the header instead, the names after it are shifted by one column.",
        )
    } else {
        (
            "Il manque sans doute un nom dans l'en-tête : les noms qui le suivent peuvent être décalés par rapport aux valeurs.",
            "A name is probably missing from the header: the names after it may be shifted against the values.",
        )
    };
    IngestWarning {
        row: None,
        message: format!(
            "L'en-tête compte {names} noms, mais les lignes de données ont {fields} champs : {}. {why_fr} / The header has {names} names, but the data rows have {fields} fields: {}. {why_en}",
            fr.join(" ; "),
            en.join("; "),
        ),
    }
}

/// Position of the column named `name` among `names`: exact, else ASCII case-insensitive.
fn find_name(names: &[String], name: &str) -> Option<usize> {
    let name = name.trim();
    names
        .iter()
        .position(|n| n == name)
        .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(name)))
}

/// Field indices of the columns to build, in file order, from the `columns` option; records
/// the projection and unknown names in the report.
fn projection(
    names: &[String],
    wanted: Option<&[String]>,
    report: &mut IngestReport,
) -> Result<Vec<usize>, IngestError> {
    let Some(wanted) = wanted.filter(|w| !w.is_empty()) else {
        return Ok((0..names.len()).collect());
    };
    let mut keep = vec![false; names.len()];
    let mut unknown = Vec::new();
    for w in wanted {
        match find_name(names, w) {
            Some(i) => keep[i] = true,
            None => unknown.push(w.as_str()),
        }
    }
    let fields: Vec<usize> = (0..names.len()).filter(|&i| keep[i]).collect();
    if fields.is_empty() {
        return Err(error(
            &format!(
                "Aucune des colonnes demandées n'existe dans le fichier : « {} ».",
                unknown.join(" », « ")
            ),
            &format!(
                "None of the requested columns is in the file: \"{}\".",
                unknown.join("\", \"")
            ),
        ));
    }
    if !unknown.is_empty() {
        report.warnings.push(IngestWarning {
            row: None,
            message: format!(
                "Colonnes demandées absentes du fichier, ignorées : « {} ». / Requested columns not in the file, ignored: \"{}\".",
                unknown.join(" », « "),
                unknown.join("\", \""),
            ),
        });
    }
    report.projected = Some((fields.len(), names.len()));
    Ok(fields)
}

/// Which data rows are stored: the row filter, then one in `every` of the rows that pass it.
#[derive(Clone)]
struct RowKeep {
    /// Field index, comparison and trimmed value of the row filter.
    filter: Option<(usize, RowOp, Vec<u8>)>,
    /// The option's column name and value, for the report.
    words: Option<(String, String)>,
    every: usize,
    /// Rows that passed the filter so far.
    passed: usize,
}

impl RowKeep {
    fn new(names: &[String], opts: &IngestOptions) -> Result<RowKeep, IngestError> {
        let (filter, words) = match &opts.row_filter {
            None => (None, None),
            Some(f) => {
                let Some(i) = find_name(names, &f.column) else {
                    return Err(error(
                        &format!(
                            "Filtre de lignes : la colonne « {} » n'existe pas dans le fichier.",
                            f.column
                        ),
                        &format!(
                            "Row filter: there is no column \"{}\" in the file.",
                            f.column
                        ),
                    ));
                };
                let value = trim(f.value.as_bytes()).to_vec();
                (
                    Some((i, f.op, value)),
                    Some((names[i].clone(), f.value.trim().to_string())),
                )
            }
        };
        Ok(RowKeep {
            filter,
            words,
            every: opts.sample_every.unwrap_or(1).max(1),
            passed: 0,
        })
    }

    /// The same choice, from the first row again (for a second pass).
    fn fresh(&self) -> RowKeep {
        RowKeep {
            passed: 0,
            ..self.clone()
        }
    }

    /// Whether the next data row is stored.
    #[inline]
    fn keep(&mut self, rec: &Record<'_>) -> bool {
        self.keep_cells(|i| rec.get(i))
    }

    /// [`Self::keep`] over a row given by its cell accessor.
    #[inline]
    fn keep_cells<'a>(&mut self, cell: impl Fn(usize) -> Option<&'a [u8]>) -> bool {
        if let Some((i, op, value)) = &self.filter {
            if !op_matches(*op, trim(cell(*i).unwrap_or(&[])), value) {
                return false;
            }
        }
        let n = self.passed;
        self.passed += 1;
        n.is_multiple_of(self.every)
    }

    /// What was kept, in words, or `None` when every row was.
    fn describe(&self, kept: usize, read: usize) -> Option<String> {
        if self.filter.is_none() && self.every <= 1 {
            return None;
        }
        let (mut fr, mut en) = (Vec::new(), Vec::new());
        if let (Some((_, op, _)), Some((column, value))) = (&self.filter, &self.words) {
            let (op_fr, op_en) = match op {
                RowOp::Equals => ("vaut", "equals"),
                RowOp::Contains => ("contient", "contains"),
                RowOp::StartsWith => ("commence par", "starts with"),
            };
            fr.push(format!("« {column} » {op_fr} « {value} »"));
            en.push(format!("\"{column}\" {op_en} \"{value}\""));
        }
        if self.every > 1 {
            let k = self.every;
            fr.push(format!("une ligne sur {k}"));
            en.push(format!("one row in {k}"));
        }
        Some(format!(
            "{kept} lignes gardées sur {read} lues ({}). / {kept} rows kept of {read} read ({}).",
            fr.join(", puis "),
            en.join(", then "),
        ))
    }
}

/// The row filter's comparison, ASCII case-insensitive, on trimmed text.
#[inline]
fn op_matches(op: RowOp, cell: &[u8], value: &[u8]) -> bool {
    match op {
        RowOp::Equals => cell.eq_ignore_ascii_case(value),
        RowOp::StartsWith => cell
            .get(..value.len())
            .is_some_and(|c| c.eq_ignore_ascii_case(value)),
        RowOp::Contains => {
            value.is_empty()
                || cell
                    .windows(value.len())
                    .any(|w| w.eq_ignore_ascii_case(value))
        }
    }
}

/// The first `n` bytes of a source of `total` bytes, or all of them: a buffer length.
fn at_most(total: u64, n: usize) -> usize {
    usize::try_from(total).map_or(n, |t| t.min(n))
}

/// Reads a whole source into memory (only odd cases: a first window that is blank or not
/// text-like); a source too big to address in memory is an error, not a panic.
fn read_all(src: &dyn Source) -> Result<Vec<u8>, IngestError> {
    let Ok(len) = usize::try_from(src.len()) else {
        return Err(error(
            "Fichier trop grand pour être lu en entier en mémoire.",
            "File too big to be read whole into memory.",
        ));
    };
    let mut bytes = vec![0u8; len];
    src.read_at(0, &mut bytes);
    Ok(bytes)
}

/// Sample rows stored flat (one byte buffer and cell bounds), so that reading the sample costs
/// no allocation per cell.
#[derive(Default)]
struct SampleRows {
    bytes: Vec<u8>,
    cells: Vec<(usize, usize)>,
    /// Range of `cells` of each row.
    rows: Vec<(usize, usize)>,
}

/// One sample row: its cells.
struct SampleRow<'a> {
    bytes: &'a [u8],
    cells: &'a [(usize, usize)],
}

impl<'a> SampleRow<'a> {
    fn len(&self) -> usize {
        self.cells.len()
    }

    fn get(&self, i: usize) -> Option<&'a [u8]> {
        let &(a, b) = self.cells.get(i)?;
        self.bytes.get(a..b)
    }

    fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

impl SampleRows {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn push<'a>(&mut self, cells: impl Iterator<Item = &'a [u8]>) {
        let c0 = self.cells.len();
        for c in cells {
            let a = self.bytes.len();
            self.bytes.extend_from_slice(c);
            self.cells.push((a, self.bytes.len()));
        }
        self.rows.push((c0, self.cells.len()));
    }

    /// Puts `row` before the others (the first record, when it is data and not a header).
    fn push_front(&mut self, row: &[Vec<u8>]) {
        self.push(row.iter().map(Vec::as_slice));
        if let Some(last) = self.rows.pop() {
            self.rows.insert(0, last);
        }
    }

    fn row(&self, r: usize) -> SampleRow<'_> {
        let (a, b) = self.rows.get(r).copied().unwrap_or((0, 0));
        SampleRow {
            bytes: &self.bytes,
            cells: self.cells.get(a..b).unwrap_or(&[]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_filter_compares_trimmed_text_ignoring_ascii_case() {
        assert!(op_matches(RowOp::Equals, b"Paris", b"PARIS"));
        assert!(!op_matches(RowOp::Equals, b"Paris-Plage", b"paris"));
        assert!(op_matches(RowOp::StartsWith, b"2A004", b"2a"));
        assert!(!op_matches(RowOp::StartsWith, b"2", b"2A"));
        assert!(op_matches(RowOp::Contains, b"Le Havre", b"HAV"));
        assert!(op_matches(RowOp::Contains, b"", b""));
        // Only ASCII folds: accented capitals differ.
        assert!(!op_matches(
            RowOp::Equals,
            "ÉVRY".as_bytes(),
            "évry".as_bytes()
        ));
    }
}
