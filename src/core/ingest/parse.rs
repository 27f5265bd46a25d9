//! Record reading: csv-core's state machine over the decoded text, with reusable buffers, so a
//! record costs no allocation once the buffers have grown to the widest row.
//!
//! What must stay true: `RecordReader::next` always makes progress (each call consumes input
//! or reports the end), so no input can make a loop spin; quoting follows RFC 4180 with `"`
//! and doubled quotes; `\n`, `\r\n` and a lone `\r` all end a record; blank lines yield no
//! record.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// Incremental reader of records from a byte offset of a text.
pub struct RecordReader {
    core: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    nfields: usize,
    /// Byte offset of the next unread input.
    pub pos: usize,
    done: bool,
}

/// One record, borrowed from the reader's buffers.
pub struct Record<'a> {
    out: &'a [u8],
    ends: &'a [usize],
    /// 1-based line number csv-core had reached when the record ended.
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
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
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
    pub fn new(delimiter: u8, pos: usize) -> Self {
        RecordReader {
            core: ReaderBuilder::new()
                .delimiter(delimiter)
                .quote(b'"')
                .build(),
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

    /// Reads the next record of `text` (the same text on every call).
    pub fn next_record(&mut self, text: &[u8]) -> Option<Record<'_>> {
        self.next_record_in(&mut Whole(text))
    }

    /// Reads the next record from a text that may be held only a window at a time.
    pub fn next_record_in<T: TextInput + ?Sized>(&mut self, text: &mut T) -> Option<Record<'_>> {
        if self.done {
            return None;
        }
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
            self.pos += nin;
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
                    let line = usize::try_from(self.core.line()).unwrap_or(usize::MAX);
                    return Some(Record {
                        out: &self.out[..outlen],
                        ends: &self.ends[..self.nfields],
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
/// An empty slice means the end of the text.
pub trait TextInput {
    fn input_at(&mut self, pos: usize) -> &[u8];
}

/// A text held whole in memory.
pub struct Whole<'a>(pub &'a [u8]);

impl TextInput for Whole<'_> {
    #[inline]
    fn input_at(&mut self, pos: usize) -> &[u8] {
        self.0.get(pos..).unwrap_or(&[])
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
