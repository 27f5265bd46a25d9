//! Input held outside the engine's memory (a browser `Uint8Array`, a file) and read a window
//! at a time, so that a 170 MB CSV never needs a 170 MB copy inside WebAssembly memory.
//!
//! What must stay true: positions handed to [`Window::input_at`] are offsets in the decoded
//! UTF-8 text, and reading is sequential except for a rewind to the first window (the second
//! pass that re-reads a column as text starts in the first window, where the data starts);
//! every window handed out is valid UTF-8 and ends on a character boundary. A window that is
//! not UTF-8 when no encoding was declared marks the window `failed`: the caller then opens
//! the source again as Windows-1252 (what [`super::decode`] would choose) and starts over.
//!
//! Other encodings (Windows-1252, UTF-16, any `encoding_rs` label) are transcoded window by
//! window with one [`encoding_rs::Decoder`] whose state carries across windows, so a character
//! cut by a window's end is completed by the next one; the text is then exactly what
//! `decode` gives for the whole input, and offsets are offsets in that decoded text. A rewind
//! decodes again from the start with a fresh decoder. The text length of a transcoded source is
//! an estimate (source bytes scaled by the first window's text/bytes ratio) until the end.
//!
//! Positions and lengths in the source and in the text are `u64` (a file may exceed 4 GiB where
//! `usize` is 32 bits, as in WebAssembly); only offsets inside the current window are `usize`.

use super::parse::TextInput;

/// Random-access bytes the loader can read again at will.
pub trait Source {
    /// Total number of bytes.
    fn len(&self) -> u64;
    /// Copies the bytes at `offset..offset + out.len()` into `out` (the caller stays in range).
    fn read_at(&self, offset: u64, out: &mut [u8]);
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Source for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }
    fn read_at(&self, offset: u64, out: &mut [u8]) {
        let Ok(offset) = usize::try_from(offset) else {
            return;
        };
        let end = offset.saturating_add(out.len()).min(self.as_slice().len());
        if let Some(src) = self.get(offset..end) {
            out[..src.len()].copy_from_slice(src);
        }
    }
}

/// Bytes of a window of `window` bytes that a source with `left` bytes to read fills.
#[inline]
fn window_len(left: u64, window: usize) -> usize {
    usize::try_from(left).map_or(window, |left| left.min(window))
}

/// Bytes read per window: large enough that refills are rare, small next to the data.
pub const WINDOW_BYTES: usize = 1 << 20;

/// The decoded text, held whole or one window of a [`Source`] at a time.
pub enum Window {
    Memory(Vec<u8>),
    Stream(Box<Stream>),
}

/// Transcoding state of a non-UTF-8 stream.
struct Transcoder {
    enc: &'static encoding_rs::Encoding,
    decoder: encoding_rs::Decoder,
    /// Raw bytes of the last window read (reused between windows).
    raw: Vec<u8>,
    /// Some bytes were not decodable (replaced by U+FFFD).
    errors: bool,
    /// Text bytes per source byte in the first window (for [`Window::total`]).
    ratio: Option<(u64, u64)>,
}

/// A source read window by window, as UTF-8 or transcoded to it.
pub struct Stream {
    src: Box<dyn Source>,
    /// Bytes skipped at the start of the source (a UTF-8 byte-order mark).
    skip: u64,
    /// The current window and the text offset of its first byte.
    buf: Vec<u8>,
    base: u64,
    /// Source offset just past the current window.
    src_end: u64,
    /// Bytes read per window.
    window: usize,
    /// The encoding was declared (BOM or option): invalid bytes become U+FFFD.
    declared: bool,
    /// Some bytes were replaced by U+FFFD.
    pub lossy: bool,
    /// The source is not UTF-8 and no encoding was declared.
    pub failed: bool,
    /// `Some` when the source is transcoded from another encoding.
    transcoder: Option<Transcoder>,
}

impl Window {
    /// The first window of text: what sniffing and the sample look at.
    pub fn head(&self) -> &[u8] {
        match self {
            Window::Memory(t) => t,
            Window::Stream(s) => &s.buf,
        }
    }

    /// Length of the text when known (the source length for a stream, as an estimate).
    pub fn total(&self) -> u64 {
        match self {
            Window::Memory(t) => t.len() as u64,
            Window::Stream(s) => s.total(),
        }
    }

    pub fn failed(&self) -> bool {
        matches!(self, Window::Stream(s) if s.failed)
    }

    pub fn lossy(&self) -> bool {
        matches!(self, Window::Stream(s) if s.lossy)
    }

    /// The first text offset at or after `from` that starts a line (follows a `\n`), found in
    /// the raw bytes without decoding them: `None` for a transcoded or failed stream, whose
    /// text offsets are not source offsets. The end of the text when no line starts there.
    /// (Where the record reader meets that line is for the caller to check: a line break may
    /// sit inside a quoted field.)
    pub fn line_start_from(&self, from: u64) -> Option<u64> {
        let from = from.max(1);
        match self {
            Window::Memory(t) => {
                let rest = t.get(usize::try_from(from - 1).ok()?..).unwrap_or(&[]);
                Some(match rest.iter().position(|&b| b == b'\n') {
                    Some(i) => from + i as u64,
                    None => t.len() as u64,
                })
            }
            Window::Stream(s) if s.transcoder.is_none() && !s.failed => {
                let total = s.src.len().saturating_sub(s.skip);
                let mut at = from - 1;
                let mut chunk = vec![0u8; 64 << 10];
                while at < total {
                    let n = window_len(total - at, chunk.len());
                    s.src.read_at(at + s.skip, &mut chunk[..n]);
                    if let Some(i) = chunk[..n].iter().position(|&b| b == b'\n') {
                        return Some(at + i as u64 + 1);
                    }
                    at += n as u64;
                }
                Some(total)
            }
            Window::Stream(_) => None,
        }
    }

    /// The encoding a transcoded stream decodes, when bytes were not decodable in it.
    pub fn transcode_errors(&self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Window::Stream(s) => s.transcoder.as_ref().filter(|t| t.errors).map(|t| t.enc),
            Window::Memory(_) => None,
        }
    }
}

impl Stream {
    /// Opens `src` after `skip` bytes; `head` holds the source's first bytes (at most a
    /// window), already read for sniffing, and becomes the first window. Gives the source back
    /// when that window is not UTF-8 and no encoding was declared.
    pub fn open(
        src: Box<dyn Source>,
        skip: usize,
        declared: bool,
        window: usize,
        mut head: Vec<u8>,
    ) -> Result<Stream, Box<dyn Source>> {
        let window = window.max(4);
        let first = window_len(src.len(), window);
        head.truncate(first);
        let skip64 = skip as u64;
        let mut s = Stream {
            src,
            skip: skip64,
            window,
            buf: Vec::new(),
            base: 0,
            src_end: skip64,
            declared,
            lossy: false,
            failed: false,
            transcoder: None,
        };
        if head.len() == first && skip <= head.len() {
            head.drain(..skip);
            s.buf = head;
            s.check(skip64);
        } else {
            s.load_next();
        }
        if s.failed {
            Err(s.src)
        } else {
            Ok(s)
        }
    }

    /// Opens `src` after `skip` bytes (a byte-order mark of `enc`), transcoding it from `enc`
    /// to UTF-8 one window at a time. Never fails: undecodable bytes become U+FFFD.
    pub fn transcoded(
        src: Box<dyn Source>,
        enc: &'static encoding_rs::Encoding,
        skip: usize,
        window: usize,
    ) -> Stream {
        let mut s = Stream {
            src,
            skip: skip as u64,
            window: window.max(4),
            buf: Vec::new(),
            base: 0,
            src_end: skip as u64,
            declared: true,
            lossy: false,
            failed: false,
            transcoder: Some(Transcoder {
                enc,
                decoder: enc.new_decoder_without_bom_handling(),
                raw: Vec::new(),
                errors: false,
                ratio: None,
            }),
        };
        s.load_next();
        // A first window that decodes to nothing (a lone cut character): read on, so that the
        // head holds some text when there is any.
        while s.buf.is_empty() && s.src_end < s.src.len() {
            s.load_next();
        }
        if let Some(t) = &mut s.transcoder {
            t.ratio = Some((s.buf.len() as u64, s.src_end - s.skip));
        }
        s
    }

    /// Bytes read per window.
    pub fn window(&self) -> usize {
        self.window
    }

    /// The current window of text.
    pub fn head(&self) -> &[u8] {
        &self.buf
    }

    /// Takes the source back (to read it whole after a failure).
    pub fn into_source(self) -> Box<dyn Source> {
        self.src
    }

    /// Length of the text: exact for UTF-8, estimated for a transcoded source.
    fn total(&self) -> u64 {
        let bytes = self.src.len().saturating_sub(self.skip);
        match self.transcoder.as_ref().and_then(|t| t.ratio) {
            Some(_) if self.src_end >= self.src.len() => self.base + self.buf.len() as u64,
            Some((text, src)) if src > 0 => {
                (u128::from(bytes) * u128::from(text) / u128::from(src)).min(u128::from(u64::MAX))
                    as u64
            }
            _ => bytes,
        }
    }

    /// Replaces the window by the next bytes of the source.
    fn load_next(&mut self) {
        let total = self.src.len();
        self.base += self.buf.len() as u64;
        let start = self.src_end;
        let n = window_len(total.saturating_sub(start), self.window);
        if let Some(t) = &mut self.transcoder {
            t.raw.clear();
            t.raw.resize(n, 0);
            self.src.read_at(start, &mut t.raw);
            let last = start + n as u64 >= total;
            let room = t
                .decoder
                .max_utf8_buffer_length(n)
                .unwrap_or(n.saturating_mul(3).saturating_add(16));
            self.buf.clear();
            self.buf.resize(room, 0);
            let mut read = 0;
            let mut written = 0;
            loop {
                let (res, r, w, errors) =
                    t.decoder
                        .decode_to_utf8(&t.raw[read..], &mut self.buf[written..], last);
                read += r;
                written += w;
                t.errors |= errors;
                match res {
                    encoding_rs::CoderResult::InputEmpty => break,
                    encoding_rs::CoderResult::OutputFull => {
                        let more = self.buf.len() + 16;
                        self.buf.resize(self.buf.len() + more, 0);
                    }
                }
            }
            self.buf.truncate(written);
            self.src_end = start + n as u64;
            return;
        }
        // `read_at` fills the whole window: only room it never had is zeroed first (clearing
        // it would write zeros over every window before the copy).
        self.buf.resize(n, 0);
        self.src.read_at(start, &mut self.buf);
        self.check(start);
    }

    /// Validates the window just read from source offset `start` (see the module doc).
    fn check(&mut self, start: u64) {
        let n = self.buf.len();
        let last = start + n as u64 >= self.src.len();
        if super::decode::is_utf8(&self.buf) {
            self.src_end = start + n as u64;
            return;
        }
        match std::str::from_utf8(&self.buf) {
            Ok(_) => self.src_end = start + n as u64,
            // A character cut by the window's end: keep its bytes for the next window.
            Err(e) if e.error_len().is_none() && !last && e.valid_up_to() > 0 => {
                self.buf.truncate(e.valid_up_to());
                self.src_end = start + e.valid_up_to() as u64;
            }
            // A character cut by the end of the file is still UTF-8 (as `decode` decides).
            Err(e) if self.declared || (last && e.error_len().is_none()) => {
                let fixed = String::from_utf8_lossy(&self.buf).into_owned().into_bytes();
                self.buf = fixed;
                self.src_end = start + n as u64;
                self.lossy = true;
            }
            Err(_) => {
                self.buf.clear();
                self.failed = true;
            }
        }
    }

    /// Goes back to the first window.
    fn rewind(&mut self) {
        self.buf.clear();
        self.base = 0;
        self.src_end = self.skip;
        if let Some(t) = &mut self.transcoder {
            t.decoder = t.enc.new_decoder_without_bom_handling();
        }
        self.load_next();
        while self.transcoder.is_some() && self.buf.is_empty() && self.src_end < self.src.len() {
            self.load_next();
        }
    }
}

impl TextInput for Window {
    #[inline]
    fn input_at(&mut self, pos: u64) -> &[u8] {
        match self {
            Window::Memory(t) => super::parse::slice_from(t, pos),
            Window::Stream(s) => {
                // Inside the current window: what nearly every call asks.
                let inside = pos
                    .checked_sub(s.base)
                    .filter(|&off| off < s.buf.len() as u64 && !s.failed);
                if let Some(off) = inside {
                    return super::parse::slice_from(&s.buf, off);
                }
                if pos < s.base {
                    s.rewind();
                }
                // Far ahead (a part of a parallel load starts mid-file): jump there instead of
                // reading every window in between. Only UTF-8 text is at the source's offsets,
                // and `pos` starts a line there (`line_start_from`), so a character boundary.
                let ahead = s.base + s.buf.len() as u64 + s.window as u64;
                if pos >= ahead && s.transcoder.is_none() && !s.failed {
                    s.buf.clear();
                    s.base = pos;
                    s.src_end = pos.saturating_add(s.skip).min(s.src.len());
                }
                while !s.failed && pos >= s.base + s.buf.len() as u64 && s.src_end < s.src.len() {
                    s.load_next();
                }
                if s.failed {
                    return &[];
                }
                // Inside the window (or past its end, at the end of the text): fits a `usize`.
                super::parse::slice_from(&s.buf, pos - s.base)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::{RecordReader, TextInput};
    use super::*;

    /// A source of `len` bytes made of 16-byte lines, computed from the offset (nothing is
    /// allocated): `identifiant;nom\n`, then `000000000;abcde\n`, `000000001;abcde\n`...
    struct Lines {
        len: u64,
    }

    fn byte_at(pos: u64) -> u8 {
        let (line, col) = (pos / 16, (pos % 16) as usize);
        if line == 0 {
            return b"identifiant;nom\n"[col];
        }
        match col {
            0..=8 => {
                let digits = format!("{:09}", line - 1);
                digits.as_bytes()[col]
            }
            9 => b';',
            15 => b'\n',
            _ => b"abcde"[col - 10],
        }
    }

    impl Source for Lines {
        fn len(&self) -> u64 {
            self.len
        }
        fn read_at(&self, offset: u64, out: &mut [u8]) {
            for (i, b) in out.iter_mut().enumerate() {
                let pos = offset + i as u64;
                *b = if pos < self.len { byte_at(pos) } else { 0 };
            }
        }
    }

    /// A 5 GB stream whose window was moved to text offset `start` (as if read up to there).
    fn stream_at(start: u64) -> Window {
        let src = Box::new(Lines { len: 5_000_000_000 });
        let Ok(mut s) = Stream::open(src, 0, false, 100, Vec::new()) else {
            panic!("the lines are UTF-8");
        };
        s.buf.clear();
        s.base = start;
        s.src_end = start;
        s.load_next();
        Window::Stream(Box::new(s))
    }

    /// The fields of the next `n` records and the reader's position after each.
    fn records(text: &mut Window, rdr: &mut RecordReader, n: usize) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        for _ in 0..n {
            let Some(rec) = rdr.next_record_in(text) else {
                break;
            };
            let fields: Vec<String> = rec
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            out.push((fields.join("|"), rdr.pos));
        }
        out
    }

    #[test]
    fn records_past_4_gib_are_read_at_their_true_offsets() {
        // 2^32 = 4_294_967_296 = 16 x 268_435_456: line 268_435_456 (id 268_435_455) starts
        // exactly there. Start two lines before, with windows of 100 bytes (records are cut).
        let mut text = stream_at(4_294_967_264);
        assert_eq!(text.total(), 5_000_000_000);
        let mut rdr = RecordReader::new(b';', 4_294_967_264);
        assert_eq!(
            records(&mut text, &mut rdr, 5),
            [
                ("268435453|abcde".to_string(), 4_294_967_280),
                ("268435454|abcde".to_string(), 4_294_967_296),
                ("268435455|abcde".to_string(), 4_294_967_312),
                ("268435456|abcde".to_string(), 4_294_967_328),
                ("268435457|abcde".to_string(), 4_294_967_344),
            ]
        );
        // Going back before the window rewinds to the start of the text.
        assert_eq!(&text.input_at(0)[..16], b"identifiant;nom\n");
        assert_eq!(&text.input_at(20)[..5], b"00000");
    }

    #[test]
    fn the_last_records_of_a_5_gb_stream_end_it() {
        // 5_000_000_000 = 16 x 312_500_000: the last line is 312_499_999 (id 312_499_998).
        let mut text = stream_at(4_999_999_968);
        let mut rdr = RecordReader::new(b';', 4_999_999_968);
        assert_eq!(
            records(&mut text, &mut rdr, 5),
            [
                ("312499997|abcde".to_string(), 4_999_999_984),
                ("312499998|abcde".to_string(), 5_000_000_000),
            ]
        );
        assert!(rdr.is_done());
        assert_eq!(rdr.pos, 5_000_000_000);
        assert_eq!(text.total(), 5_000_000_000);
        assert!(text.input_at(5_000_000_000).is_empty());
    }

    #[test]
    fn a_transcoded_5_gb_stream_reports_its_length() {
        // ASCII in Windows-1252: one text byte per source byte, so the estimate is exact.
        let src = Box::new(Lines { len: 5_000_000_000 });
        let s = Stream::transcoded(src, encoding_rs::WINDOWS_1252, 0, 100);
        assert_eq!(&s.head()[..16], b"identifiant;nom\n");
        assert_eq!(Window::Stream(Box::new(s)).total(), 5_000_000_000);
    }
}
