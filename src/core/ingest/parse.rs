//! Record reading: csv-core's state machine over the decoded text, with reusable buffers, so a
//! record costs no allocation once the buffers have grown to the widest row.
//!
//! What must stay true: `RecordReader::next` always makes progress (each call consumes input
//! or reports the end), so no input can make a loop spin; quoting follows RFC 4180 with `"`
//! and doubled quotes; `\n`, `\r\n` and a lone `\r` all end a record; blank lines yield no
//! record.
//!
//! Fast path: a line that ends within the text at hand (`\n` or `\r\n`), holds no lone `\r`,
//! and whose fields are either plain (no quote) or quoted whole (a `"` opens the field, the
//! quote that closes it is followed by the delimiter or the line break, and the quotes inside
//! are doubled, with no line break inside) is split directly, which is what csv-core would
//! produce for it: the fields are read in place (the quotes around a field left out), or
//! copied once when a field holds doubled quotes (each pair copied as one quote). Anything
//! else (a quote inside a plain field, a quoted field over several lines or followed by other
//! text, blank lines, a record cut by the end of a window, the last line without a line
//! break) goes through csv-core, which resumes between records, so the records and their line
//! numbers are the same either way.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `v` that is zero, and maybe of some bytes above the lowest
/// zero byte (a borrow): the lowest flagged byte is always a true zero.
#[inline(always)]
fn zero_low(v: u64) -> u64 {
    v.wrapping_sub(LO) & !v & HI
}

/// The high bit of each byte of `v` set exactly when the byte is not zero (no carry crosses
/// bytes), the other bits meaningless.
#[inline(always)]
fn nonzero(v: u64) -> u64 {
    ((v & !HI).wrapping_add(!HI)) | v
}

/// The eight bytes of `input` from `at` as a little-endian word (`None` past its end).
#[inline(always)]
fn word_at(input: &[u8], at: usize) -> Option<u64> {
    let w = input.get(at..at.wrapping_add(8))?;
    let mut b = [0u8; 8];
    b.copy_from_slice(w);
    Some(u64::from_le_bytes(b))
}

/// The fast path over `input` (the text from the reader's position): on success the fields
/// are in `spans` (offsets in `input`, quotes around a field left out), or `None` to leave the
/// record to csv-core (see the module doc). Also `None` when the line break is within the last
/// 8 bytes of `input` (words are read whole; csv-core reads that line).
///
/// Bytes are read eight at a time: in plain fields, a word is tested for `\n`, `"` and `\r` at
/// once (the "has a zero byte" bit trick on the word xor each of them, whose lowest flagged
/// byte is always a true match) and, exactly, for the delimiter, so that every delimiter below
/// the first special byte ends a field without reading the word again. In a quoted field, a
/// word is tested for `"`, `\n` and `\r`.
#[inline]
fn split_line(input: &[u8], delim: u8, spans: &mut Vec<(usize, usize)>) -> Option<FastLine> {
    let (d, nl, q, cr) = (
        u64::from(delim) * LO,
        u64::from(b'\n') * LO,
        u64::from(b'"') * LO,
        u64::from(b'\r') * LO,
    );
    spans.clear();
    let mut escaped = false;
    // Start of the current field.
    let mut field = 0;
    loop {
        if input.get(field) == Some(&b'"') {
            // A quoted field: up to the quote that is not doubled.
            let start = field + 1;
            let mut j = start;
            let close = loop {
                let w = word_at(input, j)?;
                let hit = zero_low(w ^ q) | zero_low(w ^ nl) | zero_low(w ^ cr);
                if hit == 0 {
                    j += 8;
                    continue;
                }
                j += (hit.trailing_zeros() / 8) as usize;
                if input.get(j) != Some(&b'"') {
                    // A line break inside the quotes: csv-core counts its lines.
                    return None;
                }
                match input.get(j + 1)? {
                    b'"' => {
                        escaped = true;
                        j += 2;
                    }
                    _ => break j,
                }
            };
            spans.push((start, close));
            let k = close + 1;
            match *input.get(k)? {
                c if c == delim => {
                    field = k + 1;
                    continue;
                }
                b'\n' => {
                    return Some(FastLine {
                        len: k,
                        consumed: k + 1,
                        escaped,
                    })
                }
                b'\r' if input.get(k + 1) == Some(&b'\n') => {
                    return Some(FastLine {
                        len: k,
                        consumed: k + 2,
                        escaped,
                    })
                }
                // Text after the closing quote, or a lone `\r`.
                _ => return None,
            }
        }
        // Plain fields from `field`, up to the first special byte.
        let mut i = field;
        let p = 'scan: loop {
            let w = word_at(input, i)?;
            // `nonzero` for the three ASCII specials at once: their high bit is `w`'s.
            let low = w & !HI;
            let specials = (low ^ (nl & !HI)).wrapping_add(!HI)
                & (low ^ (q & !HI)).wrapping_add(!HI)
                & (low ^ (cr & !HI)).wrapping_add(!HI);
            let mut hits = !(nonzero(w ^ d) & (specials | w)) & HI;
            while hits != 0 {
                let bit = hits.trailing_zeros();
                let p = i + (bit / 8) as usize;
                // The byte hit, taken from the word (its high bit is `bit`).
                if (w >> (bit - 7)) as u8 != delim {
                    break 'scan p;
                }
                spans.push((field, p));
                field = p + 1;
                hits &= hits - 1;
            }
            i += 8;
        };
        match *input.get(p)? {
            // A field that starts with a quote: read it quoted.
            b'"' if p == field => {}
            b'\n' if p > 0 => {
                spans.push((field, p));
                return Some(FastLine {
                    len: p,
                    consumed: p + 1,
                    escaped,
                });
            }
            b'\r' if p > 0 && input.get(p + 1) == Some(&b'\n') => {
                spans.push((field, p));
                return Some(FastLine {
                    len: p,
                    consumed: p + 2,
                    escaped,
                });
            }
            // A quote inside a plain field, a lone `\r`, or a blank line (csv-core skips it).
            _ => return None,
        }
    }
}

/// Incremental reader of records from a byte offset of a text.
pub struct RecordReader {
    core: Reader,
    delim: u8,
    fast: bool,
    /// Lines consumed by the fast path (csv-core's own line counter never saw them).
    fast_lines: usize,
    out: Vec<u8>,
    /// The fields of a fast-path line with doubled quotes, each pair copied as one quote.
    unquoted: Vec<u8>,
    /// Field ends in `out` written by csv-core.
    ends: Vec<usize>,
    /// The current record's fields: `start..end` in the record's bytes.
    spans: Vec<(usize, usize)>,
    /// Byte offset of the next unread input (`u64`: a streamed text may exceed 4 GiB where
    /// `usize` is 32 bits).
    pub pos: u64,
    done: bool,
    /// csv-core has not been given any input yet (see [`RecordReader::slow_record`]).
    core_fresh: bool,
}

/// One record, borrowed from the reader's buffers.
pub struct Record<'a> {
    /// The record's bytes: the line itself (fast path) or the fields as csv-core unquoted them.
    out: &'a [u8],
    /// Each field's `start..end` in `out`.
    spans: &'a [(usize, usize)],
    /// 1-based line number just after the record (its last line + 1), counted from where the
    /// reader started, whatever the line breaks (`\n`, `\r\n`) and the path that read it.
    pub line: usize,
}

impl<'a> Record<'a> {
    #[inline]
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Field `i`, or `None` past the end of the record.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        let &(start, end) = self.spans.get(i)?;
        self.out.get(start..end)
    }

    /// A record made of one blank field: what a line of spaces reads as.
    pub fn is_blank(&self) -> bool {
        self.len() == 1
            && self
                .get(0)
                .is_some_and(|f| f.iter().all(|c| *c == b' ' || *c == b'\t'))
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// How the fast path read a line.
#[derive(Clone, Copy)]
struct FastLine {
    /// Bytes of the line before its line break.
    len: usize,
    /// Bytes consumed: the line and its line break.
    consumed: usize,
    /// Some quoted field holds doubled quotes: the fields must be copied, each pair as one.
    escaped: bool,
}

impl RecordReader {
    pub fn new(delimiter: u8, pos: u64) -> Self {
        RecordReader {
            delim: delimiter,
            core: ReaderBuilder::new()
                .delimiter(delimiter)
                .quote(b'"')
                .build(),
            fast: true,
            fast_lines: 0,
            out: vec![0; 4096],
            unquoted: Vec::new(),
            ends: vec![0; 64],
            spans: Vec::with_capacity(64),
            pos,
            done: false,
            core_fresh: true,
        }
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Line breaks consumed so far (csv-core's count, which starts at line 1, plus the fast
    /// path's): what the line numbers of a later part of the text are shifted by.
    pub fn lines_read(&self) -> usize {
        usize::try_from(self.core.line())
            .unwrap_or(usize::MAX)
            .saturating_sub(1)
            .saturating_add(self.fast_lines)
    }

    /// Every record through csv-core (tests compare both paths).
    #[cfg(test)]
    fn without_fast_path(mut self) -> Self {
        self.fast = false;
        self
    }

    /// Reads the next record of `text` (the same text on every call).
    pub fn next_record<'a>(&'a mut self, text: &'a [u8]) -> Option<Record<'a>> {
        if self.done {
            return None;
        }
        self.skip_line_feeds(slice_from(text, self.pos));
        let at = self.pos;
        if let Some((fl, line)) = self.fast_in(slice_from(text, at)) {
            return Some(self.fast_out(slice_from(text, at), fl, line));
        }
        self.slow_record(&mut Whole(text))
    }

    /// Reads the next record from a text that may be held only a window at a time.
    pub fn next_record_in<'a, T: TextInput + ?Sized>(
        &'a mut self,
        text: &'a mut T,
    ) -> Option<Record<'a>> {
        if self.done {
            return None;
        }
        let pos = self.pos;
        self.skip_line_feeds(text.input_at(pos));
        let at = self.pos;
        if let Some((fl, line)) = self.fast_in(text.input_at(at)) {
            // The record is read in place: the same input again (the window still holds it).
            return Some(self.fast_out(text.input_at(at), fl, line));
        }
        self.slow_record(text)
    }

    /// Consumes the `\n`s at the start of `input` (the text from `self.pos`), each a line, as
    /// csv-core would: a blank line, or the `\n` of a `\r\n` whose record csv-core ended at the
    /// `\r` (left for its next call). Without this, every line of a CRLF file after the first
    /// record csv-core read (one cut by a window's end, a quoted line break) would start with
    /// that `\n`, which the fast path declines: the rest of the file would go through csv-core.
    #[inline]
    fn skip_line_feeds(&mut self, input: &[u8]) {
        if !self.fast {
            return;
        }
        let n = input.iter().take_while(|&&b| b == b'\n').count();
        self.pos += n as u64;
        self.fast_lines += n;
    }

    /// The fast path at `input` (the text from `self.pos`): on success the reader has moved
    /// past the record, which ends on line `line`.
    #[inline]
    fn fast_in(&mut self, input: &[u8]) -> Option<(FastLine, usize)> {
        if !self.fast {
            return None;
        }
        let fl = split_line(input, self.delim, &mut self.spans)?;
        self.pos += fl.consumed as u64;
        // The line after the record (its line break, `\n` or `\r\n`, is consumed).
        let line = usize::try_from(self.core.line())
            .unwrap_or(usize::MAX)
            .saturating_add(self.fast_lines + 1);
        self.fast_lines += 1;
        Some((fl, line))
    }

    #[inline]
    fn fast_out<'a>(&'a mut self, input: &'a [u8], fl: FastLine, line: usize) -> Record<'a> {
        let input = input.get(..fl.len).unwrap_or_default();
        if !fl.escaped {
            return Record {
                out: input,
                spans: &self.spans,
                line,
            };
        }
        // Doubled quotes: copy the fields, each pair of quotes as one quote (a quoted field
        // holds quotes only in pairs, a plain one none).
        self.unquoted.clear();
        for span in &mut self.spans {
            let field = input.get(span.0..span.1).unwrap_or_default();
            let start = self.unquoted.len();
            let mut rest = field;
            while let Some(q) = rest.iter().position(|&c| c == b'"') {
                // The first quote of a pair, then past the second.
                self.unquoted.extend_from_slice(&rest[..=q]);
                rest = rest.get(q + 2..).unwrap_or_default();
            }
            self.unquoted.extend_from_slice(rest);
            *span = (start, self.unquoted.len());
        }
        Record {
            out: &self.unquoted,
            spans: &self.spans,
            line,
        }
    }

    /// The next record through csv-core, copied into `self.out`.
    fn slow_record<T: TextInput + ?Sized>(&mut self, text: &mut T) -> Option<Record<'_>> {
        let mut outlen = 0;
        let mut nfields = 0;
        loop {
            let mut input = text.input_at(self.pos);
            // csv-core drops a byte-order mark from the first input it ever sees; the loader
            // has already skipped the file's own, so any one here is data (a U+FEFF at the start
            // of a line csv-core happens to read first, maybe mid-file). Its first byte alone
            // is never taken for one.
            if self.core_fresh {
                self.core_fresh = false;
                if input.starts_with(b"\xEF\xBB\xBF") {
                    input = &input[..1];
                }
            }
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.out[outlen..], &mut self.ends[nfields..]);
            let empty = input.is_empty();
            let last = nin.checked_sub(1).and_then(|i| input.get(i)).copied();
            self.pos += nin as u64;
            outlen += nout;
            nfields += nend;
            match res {
                ReadRecordResult::InputEmpty => {
                    if empty {
                        // csv-core always ends a record on empty input; this is a safety net.
                        self.done = true;
                        return None;
                    }
                }
                ReadRecordResult::OutputFull => {
                    let n = self.out.len().max(64) * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len().max(8) * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    // csv-core counts a line at its `\n`: a record ended by `\r` (whose `\n`
                    // it reads later) or by the end of the text has not been counted yet.
                    let line = usize::try_from(self.core.line())
                        .unwrap_or(usize::MAX)
                        .saturating_add(self.fast_lines + usize::from(last != Some(b'\n')));
                    self.spans.clear();
                    let mut start = 0;
                    for &end in &self.ends[..nfields] {
                        self.spans.push((start, end));
                        start = end;
                    }
                    return Some(Record {
                        out: &self.out[..outlen],
                        spans: &self.spans,
                        line,
                    });
                }
                ReadRecordResult::End => {
                    self.done = true;
                    return None;
                }
            }
        }
    }
}

/// Text the reader pulls from: the bytes from a position to the end of what is at hand.
/// An empty slice means the end of the text. Positions are `u64` offsets in the whole text.
pub trait TextInput {
    fn input_at(&mut self, pos: u64) -> &[u8];
}

/// `text` from offset `pos` (empty past its end, or when `pos` does not fit a `usize`).
#[inline]
pub fn slice_from(text: &[u8], pos: u64) -> &[u8] {
    usize::try_from(pos)
        .ok()
        .and_then(|p| text.get(p..))
        .unwrap_or(&[])
}

/// A text held whole in memory.
pub struct Whole<'a>(pub &'a [u8]);

impl TextInput for Whole<'_> {
    #[inline]
    fn input_at(&mut self, pos: u64) -> &[u8] {
        slice_from(self.0, pos)
    }
}

/// The first line ending of the text (`"\r\n"`, `"\n"` or `"\r"`), `"\n"` when there is none.
pub fn line_ending(text: &[u8]) -> &'static str {
    match text.iter().position(|&c| c == b'\n' || c == b'\r') {
        Some(p) if text[p] == b'\r' && text.get(p + 1) == Some(&b'\n') => "\r\n",
        Some(p) if text[p] == b'\r' => "\r",
        _ => "\n",
    }
}

/// 0-based line index of byte offset `pos` (`\r\n` counts once).
pub fn line_index(text: &[u8], pos: usize) -> usize {
    let head = &text[..pos.min(text.len())];
    let mut n = 0;
    let mut i = 0;
    while i < head.len() {
        match head[i] {
            b'\n' => n += 1,
            b'\r' if head.get(i + 1) != Some(&b'\n') => n += 1,
            _ => {}
        }
        i += 1;
    }
    n
}

/// Byte offset where 0-based line `line` starts (the text's end when it has fewer lines).
pub fn line_start(text: &[u8], line: usize) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < text.len() && n < line {
        match text[i] {
            b'\n' => n += 1,
            b'\r' if text.get(i + 1) != Some(&b'\n') => n += 1,
            _ => {}
        }
        i += 1;
    }
    i
}

/// Skips line breaks from `pos`: the offset where the next record's text really starts.
pub fn skip_breaks(text: &[u8], mut pos: usize) -> usize {
    while pos < text.len() && (text[pos] == b'\n' || text[pos] == b'\r') {
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::{slice_from, RecordReader, TextInput};

    /// A text handed out in windows of `w` bytes (window `k` holds `k*w..(k+1)*w`), so that
    /// records are cut at every position.
    struct Chunked<'a> {
        text: &'a [u8],
        w: usize,
    }

    impl TextInput for Chunked<'_> {
        fn input_at(&mut self, pos: u64) -> &[u8] {
            let p = pos as usize;
            let end = (p / self.w + 1) * self.w;
            slice_from(&self.text[..end.min(self.text.len())], pos)
        }
    }

    /// A record's fields and line number.
    type Fields = (Vec<Vec<u8>>, usize);

    /// Every record (fields and line number) read in windows of `w` bytes, and how many lines
    /// the fast path read.
    fn records_chunked(text: &[u8], delim: u8, w: usize) -> (Vec<Fields>, usize) {
        let mut r = RecordReader::new(delim, 0);
        let mut input = Chunked { text, w };
        let mut out = Vec::new();
        while let Some(rec) = r.next_record_in(&mut input) {
            out.push((rec.iter().map(<[u8]>::to_vec).collect(), rec.line));
        }
        (out, r.fast_lines)
    }

    /// A plain line long enough to be read by the fast path when a line follows it (the fast
    /// path reads whole words: a line break in the last 8 bytes of the text is left to
    /// csv-core).
    const FILL: &[u8] = b"zzzzzzzzzzzzzzzz\n";

    /// How many lines of `text` the fast path read.
    fn fast_lines(text: &[u8], delim: u8) -> usize {
        let mut r = RecordReader::new(delim, 0);
        while r.next_record(text).is_some() {}
        r.fast_lines
    }

    /// Every record (fields and line number) read with and without the fast path.
    fn records(text: &[u8], delim: u8, fast: bool) -> Vec<(Vec<Vec<u8>>, usize, usize)> {
        let mut r = RecordReader::new(delim, 0);
        if !fast {
            r = r.without_fast_path();
        }
        let mut out = Vec::new();
        while let Some(rec) = r.next_record(text) {
            out.push((rec.iter().map(<[u8]>::to_vec).collect(), rec.line, 0));
        }
        for (i, o) in out.iter_mut().enumerate() {
            o.2 = i;
        }
        out
    }

    #[test]
    fn word_at_a_time_scan_finds_every_special_byte_at_every_offset() {
        // Long plain runs (ASCII and UTF-8 bytes of 0x80 and more) with a special byte at every
        // position modulo 8, so that the 8-byte scan meets each at each offset of a word.
        let mut text = Vec::new();
        for run in 0..24usize {
            for special in [&b","[..], b";", b"\"q\"", b"\r\n", b"\n", b"\r"] {
                for k in 0..run {
                    text.extend_from_slice(if k % 3 == 0 { "é".as_bytes() } else { b"x" });
                }
                text.extend_from_slice(special);
                text.extend_from_slice(b"y,z\n");
            }
        }
        for delim in [b',', b';'] {
            let fast = records(&text, delim, true);
            assert_eq!(fast, records(&text, delim, false));
            assert!(fast.len() > 100);
        }
    }

    #[test]
    fn crlf_lines_keep_the_fast_path_after_a_record_csv_core_read() {
        // A quoted line break first: csv-core reads that record and ends it at the `\r` of its
        // `\r\n`; the lines after it must still be read by the fast path, and every record and
        // line number must be csv-core's, whole and in windows (each cut is read by csv-core).
        let mut text = b"\"a\r\nb\",c\r\n".to_vec();
        for i in 0..200 {
            text.extend_from_slice(format!("ligne {i},valeur {i}\r\n").as_bytes());
        }
        text.extend_from_slice(b"\r\n\nfin,1\r\n");
        let whole: Vec<Fields> = records(&text, b',', false)
            .into_iter()
            .map(|(f, line, _)| (f, line))
            .collect();
        assert_eq!(whole.len(), 202);
        assert_eq!(whole[1].1, 4, "line after the record on lines 1-2");
        assert!(fast_lines(&text, b',') > 195, "{}", fast_lines(&text, b','));
        for w in [7, 64, 1000] {
            let (got, fast) = records_chunked(&text, b',', w);
            assert_eq!(got, whole, "windows of {w}");
            assert!(
                fast > 200 - 200 * 25 / w.max(25),
                "windows of {w}: {fast} fast lines"
            );
        }
    }

    #[test]
    fn fast_path_reads_like_csv_core() {
        let cases: &[&[u8]] = &[
            b"a,b,c\n1,2,3\n",
            b"a,b,c\n1,2,3",
            b"a,b\r\n1,2\r\n\r\n3,4\r\n",
            b"a,b\r1,2\r3,4",
            b"a,b\n\n\n1,\"x,\ny\"\n2,\"\"\"q\"\"\"\n3,z\n",
            b"\n\na\n   \n,\n,,\n",
            b"a,b\r\n1,\"2\r\n3\"\n4,5\r6,7\n8,9",
            b"x;y\n1,5;2\n\"a;b\";c\n",
            b"",
            b"\n",
            b"a",
            b"a\r\n\r\nb\n\rc\r\n",
            // Quoted fields not closed before the end of the text.
            b"a,\"bc",
            b"a,\"bc\"",
            b"a,\"bc\"\"",
            b"zzzzzzzz,\"bcdefghijklmnop",
            b"zzzzzzzz,\"bcdefghijklmnop\"",
            b"zzzzzzzz,\"bcdefghijklmnop\"\"",
        ];
        for &text in cases {
            for delim in [b',', b';'] {
                assert_eq!(
                    records(text, delim, true),
                    records(text, delim, false),
                    "{:?} delim {}",
                    String::from_utf8_lossy(text),
                    delim as char
                );
            }
        }
        // Every byte string over a small alphabet up to length 5, then longer random ones.
        let alphabet = b"a,;\"\r\n ";
        let mut buf = Vec::new();
        for len in 0..=5u32 {
            for mut k in 0..(alphabet.len() as u64).pow(len) {
                buf.clear();
                for _ in 0..len {
                    buf.push(alphabet[(k % alphabet.len() as u64) as usize]);
                    k /= alphabet.len() as u64;
                }
                assert_eq!(
                    records(&buf, b',', true),
                    records(&buf, b',', false),
                    "{:?}",
                    String::from_utf8_lossy(&buf)
                );
            }
        }
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = 6 + (seed % 30) as usize;
            buf.clear();
            let mut k = seed;
            for j in 0..len {
                if j % 20 == 19 {
                    k = k.rotate_left(29).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                }
                buf.push(alphabet[(k % alphabet.len() as u64) as usize]);
                k /= alphabet.len() as u64;
            }
            assert_eq!(
                records(&buf, b',', true),
                records(&buf, b',', false),
                "{:?}",
                String::from_utf8_lossy(&buf)
            );
        }
    }

    #[test]
    fn quoted_fields_read_as_written() {
        // Hand-written expectations: quotes around a field left out, doubled quotes as one.
        let text =
            b"a,\"b,c\",\"d\"\"e\"\r\n\"\",x,\"\"\"\"\n\"q\"\"\",\"\",\"z\"\nzzzzzzzzzzzzzzzz\n";
        let recs = records(text, b',', true);
        let fields: Vec<Vec<&[u8]>> = recs
            .iter()
            .map(|r| r.0.iter().map(Vec::as_slice).collect())
            .collect();
        assert_eq!(
            fields,
            [
                vec![&b"a"[..], b"b,c", b"d\"e"],
                vec![&b""[..], b"x", b"\""],
                vec![&b"q\""[..], b"", b"z"],
                vec![&b"zzzzzzzzzzzzzzzz"[..]],
            ]
        );
        assert_eq!(recs.iter().map(|r| r.1).collect::<Vec<_>>(), [2, 3, 4, 5]);
        assert_eq!(recs, records(text, b',', false));
        // All lines but the last (see `FILL`) are read by the fast path.
        assert_eq!(fast_lines(text, b','), 3);
    }

    #[test]
    fn quoted_lines_take_the_fast_path_only_when_csv_core_would_agree() {
        // (line, read by the fast path)
        let cases: &[(&[u8], bool)] = &[
            (b"2017,\"Travail, Plein emploi\",P237\n", true),
            (b"1,\"Convention \"\"Vinci\"\" avenant\"\n", true),
            (b"\"a\",\"b\"\r\n", true),
            (b"\"\"\n", true),
            (b"x,\"\"\n", true),
            (b"x,\"a\"\"\"\n", true),
            // A quote inside a plain field.
            (b"ab\"c,d\n", false),
            (b"a, \"b\",c\n", false),
            // Text after the closing quote.
            (b"\"ab\"c,d\n", false),
            (b"\"ab\" ,d\n", false),
            // A line break inside the quotes.
            (b"\"a\nb\",c\n", false),
            (b"\"a\r\nb\",c\n", false),
            (b"\"a\rb\",c\n", false),
            // A quote at the line's end (the field goes on to the next line).
            (b"a,\"\n", false),
            (b"a,b\"\n", false),
            // A lone `\r` after the closing quote.
            (b"a,\"bc\"\r", false),
        ];
        for &(line, fast) in cases {
            for delim in [b',', b';'] {
                let line: Vec<u8> = line
                    .iter()
                    .map(|&c| if c == b',' { delim } else { c })
                    .collect();
                for text in [line.clone(), [line.as_slice(), b"z\n"].concat()] {
                    assert_eq!(
                        records(&text, delim, true),
                        records(&text, delim, false),
                        "{:?}",
                        String::from_utf8_lossy(&text)
                    );
                }
                // The line, then `FILL` twice: the first is read by the fast path unless the
                // line's open quote runs to the end, the last is left to csv-core.
                let swallows = line.ends_with(&[delim, b'"', b'\n']);
                let text = [line.as_slice(), FILL, FILL].concat();
                assert_eq!(
                    records(&text, delim, true),
                    records(&text, delim, false),
                    "{:?}",
                    String::from_utf8_lossy(&text)
                );
                assert_eq!(
                    fast_lines(&text, delim),
                    usize::from(fast) + usize::from(!swallows),
                    "{:?}",
                    String::from_utf8_lossy(&line)
                );
            }
        }
    }

    #[test]
    fn quoted_fields_at_every_offset_and_cut_by_every_window() {
        // Quoted fields (with and without doubled quotes) of every length up to 20 after plain
        // fields of every length up to 12, so that quotes meet every offset of a word.
        let mut text = Vec::new();
        for plain in 0..12usize {
            for quoted in 0..20usize {
                text.extend(std::iter::repeat_n(b'p', plain));
                text.extend_from_slice(b",\"");
                for k in 0..quoted {
                    text.extend_from_slice(match k % 7 {
                        3 => "é".as_bytes(),
                        5 => b",",
                        6 if quoted % 3 == 0 => b"\"\"",
                        _ => b"q",
                    });
                }
                text.extend_from_slice(if quoted % 2 == 0 {
                    b"\",x\n"
                } else {
                    b"\"\r\n"
                });
            }
        }
        let whole = records(&text, b',', false);
        assert_eq!(records(&text, b',', true), whole);
        assert_eq!(fast_lines(&text, b','), whole.len());
        let whole: Vec<_> = whole.into_iter().map(|r| (r.0, r.1)).collect();
        for w in [1, 2, 3, 5, 7, 8, 9, 16, 31, 64, 100, 1000] {
            let (chunked, fast) = records_chunked(&text, b',', w);
            assert_eq!(chunked, whole, "windows of {w}");
            if w >= 100 {
                assert!(fast > whole.len() / 2, "windows of {w}: {fast} fast");
            }
        }
    }

    #[test]
    fn short_strings_before_a_long_line_read_like_csv_core() {
        // Every byte string over a small alphabet up to length 5, then `FILL` twice, so that
        // its lines are followed by enough bytes for the fast path's whole words (alone, a
        // short text is left to csv-core: see `fast_path_reads_like_csv_core`).
        let alphabet = b"a,;\"\r\n ";
        let mut buf = Vec::new();
        let mut fast = 0;
        let mut strings = 0;
        for len in 0..=5u32 {
            for mut k in 0..(alphabet.len() as u64).pow(len) {
                strings += 1;
                buf.clear();
                for _ in 0..len {
                    buf.push(alphabet[(k % alphabet.len() as u64) as usize]);
                    k /= alphabet.len() as u64;
                }
                buf.extend_from_slice(FILL);
                buf.extend_from_slice(FILL);
                for delim in [b',', b';'] {
                    assert_eq!(
                        records(&buf, delim, true),
                        records(&buf, delim, false),
                        "{:?} delim {}",
                        String::from_utf8_lossy(&buf),
                        delim as char
                    );
                }
                fast += fast_lines(&buf, b',');
            }
        }
        // The fast path did read lines here (at least the first `FILL` of most strings).
        assert!(
            fast > strings / 2,
            "{fast} lines on the fast path for {strings} strings"
        );
    }

    #[test]
    fn small_texts_with_quotes_read_like_csv_core_in_windows() {
        // Every byte string over a small alphabet up to length 6, cut in windows.
        let alphabet = b"a,\"\r\n";
        let mut buf = Vec::new();
        for len in 0..=6u32 {
            for mut k in 0..(alphabet.len() as u64).pow(len) {
                buf.clear();
                for _ in 0..len {
                    buf.push(alphabet[(k % alphabet.len() as u64) as usize]);
                    k /= alphabet.len() as u64;
                }
                let slow: Vec<_> = records(&buf, b',', false)
                    .into_iter()
                    .map(|r| (r.0, r.1))
                    .collect();
                for w in [3, 64] {
                    assert_eq!(
                        records_chunked(&buf, b',', w).0,
                        slow,
                        "{:?} windows of {w}",
                        String::from_utf8_lossy(&buf)
                    );
                }
            }
        }
    }
}
