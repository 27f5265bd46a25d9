//! Dialect sniffing: the delimiter and where the header sits.
//!
//! The delimiter is the candidate (`,` `;` tab `|`, then `:`) that splits the sample's records,
//! read with quotes honoured, into the most consistent field count greater than one. The
//! header is the first record whose field count reaches that dominant count, so title and
//! blank lines above a table are skipped. What must stay true: sniffing reads a bounded
//! sample (64 KiB, 200 records) so it is cheap on any input, and always returns a delimiter.

use super::parse::{skip_breaks, RecordReader};

/// Bytes of text the sniffer looks at.
pub const SNIFF_BYTES: usize = 64 * 1024;
const SNIFF_RECORDS: usize = 200;

/// Candidates in order of preference when scores tie.
pub const DELIMITERS: [u8; 5] = [b',', b';', b'\t', b'|', b':'];

/// The sniffing sample: whole lines only, unless the first line alone is longer.
fn sample(text: &[u8]) -> (&[u8], bool) {
    if text.len() <= SNIFF_BYTES {
        return (text, false);
    }
    let head = &text[..SNIFF_BYTES];
    match head.iter().rposition(|&c| c == b'\n' || c == b'\r') {
        Some(p) if p > 0 => (&head[..p], true),
        _ => (head, true),
    }
}

/// Field counts of the sample's records under `delimiter`.
fn field_counts(sample: &[u8], delimiter: u8) -> Vec<usize> {
    let mut rdr = RecordReader::new(delimiter, 0);
    let mut counts = Vec::new();
    while counts.len() < SNIFF_RECORDS {
        match rdr.next_record(sample) {
            Some(r) if r.is_blank() => {}
            Some(r) => counts.push(r.len()),
            None => break,
        }
    }
    counts
}

/// Most frequent value and how often it occurs (ties: the larger value).
pub fn mode(counts: &[usize]) -> (usize, usize) {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let (mut best, mut best_n) = (0, 0);
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j] == sorted[i] {
            j += 1;
        }
        if j - i >= best_n {
            best = sorted[i];
            best_n = j - i;
        }
        i = j;
    }
    (best, best_n)
}

/// The delimiter whose field counts are the most consistent.
pub fn sniff_delimiter(text: &[u8]) -> u8 {
    let (sample, cut) = sample(text);
    let mut best = (b',', -1.0f64);
    for &d in &DELIMITERS {
        if !sample.contains(&d) {
            continue;
        }
        let mut counts = field_counts(sample, d);
        if cut && counts.len() > 1 {
            // The last record of a cut sample may be incomplete.
            counts.pop();
        }
        let (m, n) = mode(&counts);
        if m < 2 || counts.is_empty() {
            continue;
        }
        let consistency = n as f64 / counts.len() as f64;
        // Consistency dominates; more fields break near-ties; `:` (times, URLs) is a last resort.
        let mut score = consistency + 0.001 * (m.min(50) as f64);
        if d == b':' {
            score -= 0.5;
        }
        if score > best.1 + 1e-9 {
            best = (d, score);
        }
    }
    best.0
}

/// Where the table starts: the byte offset of its first record (header or first data row).
pub struct TableStart {
    pub pos: usize,
}

/// Finds the first record that looks like the table's first line: its field count reaches
/// the dominant count (or two thirds of it), skipping title lines above the table.
pub fn find_table_start(text: &[u8], delimiter: u8) -> TableStart {
    let (sample, cut) = sample(text);
    let mut rdr = RecordReader::new(delimiter, 0);
    let mut starts = Vec::new();
    let mut counts = Vec::new();
    while counts.len() < SNIFF_RECORDS {
        // The sample is in memory: its offsets fit a `usize`.
        let start = skip_breaks(sample, usize::try_from(rdr.pos).unwrap_or(sample.len()));
        match rdr.next_record(sample) {
            Some(r) if r.is_blank() => {}
            Some(r) => {
                starts.push(start);
                counts.push(r.len());
            }
            None => break,
        }
    }
    if cut && counts.len() > 1 {
        counts.pop();
        starts.pop();
    }
    let (width, _) = mode(&counts);
    let first_full = counts.iter().position(|&c| c == width).unwrap_or(0);
    // A header may be a field or two short of the data (trailing delimiters on data lines
    // only); title lines have far fewer fields than the table (one, usually).
    let near = counts[..first_full]
        .iter()
        .position(|&c| c >= 2 && c * 3 >= width * 2);
    let idx = near.unwrap_or(first_full);
    TableStart {
        pos: starts.get(idx).copied().unwrap_or(0),
    }
}
