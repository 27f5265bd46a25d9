//! Record reading: csv-core's state machine over the decoded text, with reusable buffers, so a
//! record costs no allocation once the buffers have grown to the widest row.
//!
//! What must stay true: `RecordReader::next` always makes progress (each call consumes input
//! or reports the end), so no input can make a loop spin; quoting follows RFC 4180 with `"`
//! and doubled quotes; `\n`, `\r\n` and a lone `\r` all end a record; blank lines yield no
//! record.
//!
//! Fast path: a line that holds no quote and no lone `\r` and ends within the text at hand is
//! split on the delimiter directly (one table lookup per byte, one copy), which is what
//! csv-core would produce for it; anything else (quotes, blank lines, a record cut by the end
//! of a window, the last line without a line break) goes through csv-core, which resumes
//! between records, so the records and their line numbers are the same either way.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// Incremental reader of records from a byte offset of a text.
pub struct RecordReader {
    core: Reader,
    /// Byte classes for the fast path: 0 plain, 1 delimiter, 2 `\n`, 3 `"` or `\r`.
    class: [u8; 256],
    delim: u8,
    fast: bool,
    /// Lines consumed by the fast path (csv-core's own line counter never saw them).
    fast_lines: usize,
    out: Vec<u8>,
    ends: Vec<usize>,
    nfields: usize,
    /// Byte offset of the next unread input (`u64`: a streamed text may exceed 4 GiB where
    /// `usize` is 32 bits).
    pub pos: u64,
    done: bool,
}

/// One record, borrowed from the reader's buffers.
pub struct Record<'a> {
    out: &'a [u8],
    ends: &'a [usize],
    /// Bytes between two fields in `out`: 0 from csv-core, 1 (the delimiter) from the fast
    /// path.
    sep: usize,
    /// 1-based line number just after the record (its last line + 1), counted from where the
    /// reader started, whatever the line breaks (`\n`, `\r\n`) and the path that read it.
    pub line: usize,
}

impl<'a> Record<'a> {
    #[inline]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Field `i`, or `None` past the end of the record.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] + self.sep
        };
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

impl RecordReader {
    pub fn new(delimiter: u8, pos: u64) -> Self {
        let mut class = [0u8; 256];
        class[usize::from(b'\n')] = 2;
        class[usize::from(b'"')] = 3;
        class[usize::from(b'\r')] = 3;
        class[usize::from(delimiter)] = 1;
        RecordReader {
            delim: delimiter,
            core: ReaderBuilder::new()
                .delimiter(delimiter)
                .quote(b'"')
                .build(),
            class,
            fast: true,
            fast_lines: 0,
            out: vec![0; 4096],
            ends: vec![0; 64],
            nfields: 0,
            pos,
            done: false,
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

    /// The fast path over `input` (the text from `self.pos`): the number of fields, the
    /// record's length in `input` (its fields end at `self.ends`) and the bytes consumed (the
    /// record and its line break), or `None` to leave the record to csv-core (a quote, a lone
    /// `\r`, a blank line, or no line break before the end of `input`).
    ///
    /// Plain bytes are skipped eight at a time: a word of input is tested for the delimiter,
    /// `\n`, `"` and `\r` at once (the "has a zero byte" bit trick on the word xor each of them,
    /// whose lowest flagged byte is always a true match).
    #[inline]
    fn fast_record(&mut self, input: &[u8]) -> Option<(usize, usize, usize)> {
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        #[inline]
        fn zero_bytes(v: u64) -> u64 {
            v.wrapping_sub(LO) & !v & HI
        }
        let (d, nl, q, cr) = (
            u64::from(self.delim) * LO,
            u64::from(b'\n') * LO,
            u64::from(b'"') * LO,
            u64::from(b'\r') * LO,
        );
        let mut n = 0;
        let mut i = 0;
        let len = input.len();
        let consumed = loop {
            // Skip to the next byte that is not plain.
            while let Some(word) = input.get(i..i + 8) {
                let mut b = [0u8; 8];
                b.copy_from_slice(word);
                let w = u64::from_le_bytes(b);
                let hit =
                    zero_bytes(w ^ d) | zero_bytes(w ^ nl) | zero_bytes(w ^ q) | zero_bytes(w ^ cr);
                if hit != 0 {
                    i += (hit.trailing_zeros() / 8) as usize;
                    break;
                }
                i += 8;
            }
            if i >= len {
                return None;
            }
            match self.class[usize::from(input[i])] {
                0 => {}
                1 => {
                    if n + 1 >= self.ends.len() {
                        let m = self.ends.len().max(8) * 2;
                        self.ends.resize(m, 0);
                    }
                    self.ends[n] = i;
                    n += 1;
                }
                2 => break i + 1,
                _ if input[i] == b'\r' && input.get(i + 1) == Some(&b'\n') => break i + 2,
                _ => return None,
            }
            i += 1;
        };
        if i == 0 {
            // A blank line: csv-core skips it.
            return None;
        }
        self.ends[n] = i;
        Some((n + 1, i, consumed))
    }

    /// Reads the next record of `text` (the same text on every call).
    pub fn next_record<'a>(&'a mut self, text: &'a [u8]) -> Option<Record<'a>> {
        if self.done {
            return None;
        }
        let at = self.pos;
        if let Some((outlen, line)) = self.fast_in(slice_from(text, at)) {
            return Some(self.fast_out(slice_from(text, at), outlen, line));
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
        let at = self.pos;
        if let Some((outlen, line)) = self.fast_in(text.input_at(at)) {
            // The record is read in place: the same input again (the window still holds it).
            return Some(self.fast_out(text.input_at(at), outlen, line));
        }
        self.slow_record(text)
    }

    /// The fast path at `input` (the text from `self.pos`): on success the reader has moved
    /// past the record, which is `input[..outlen]` ending on line `line`.
    #[inline]
    fn fast_in(&mut self, input: &[u8]) -> Option<(usize, usize)> {
        if !self.fast {
            return None;
        }
        let (nfields, outlen, consumed) = self.fast_record(input)?;
        self.pos += consumed as u64;
        self.nfields = nfields;
        // The line after the record (its line break, `\n` or `\r\n`, is consumed).
        let line = usize::try_from(self.core.line())
            .unwrap_or(usize::MAX)
            .saturating_add(self.fast_lines + 1);
        self.fast_lines += 1;
        Some((outlen, line))
    }

    #[inline]
    fn fast_out<'a>(&'a self, input: &'a [u8], outlen: usize, line: usize) -> Record<'a> {
        Record {
            out: input.get(..outlen).unwrap_or_default(),
            ends: &self.ends[..self.nfields],
            sep: 1,
            line,
        }
    }

    /// The next record through csv-core, copied into `self.out`.
    fn slow_record<T: TextInput + ?Sized>(&mut self, text: &mut T) -> Option<Record<'_>> {
        let mut outlen = 0;
        self.nfields = 0;
        loop {
            let input = text.input_at(self.pos);
            let (res, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.out[outlen..],
                &mut self.ends[self.nfields..],
            );
            let empty = input.is_empty();
            let last = nin.checked_sub(1).and_then(|i| input.get(i)).copied();
            self.pos += nin as u64;
            outlen += nout;
            self.nfields += nend;
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
                    return Some(Record {
                        out: &self.out[..outlen],
                        ends: &self.ends[..self.nfields],
                        sep: 0,
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
    use super::RecordReader;

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
}
