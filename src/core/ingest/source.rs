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

use super::parse::TextInput;

/// Random-access bytes the loader can read again at will.
pub trait Source {
    /// Total number of bytes.
    fn len(&self) -> usize;
    /// Copies the bytes at `offset..offset + out.len()` into `out` (the caller stays in range).
    fn read_at(&self, offset: usize, out: &mut [u8]);
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Source for Vec<u8> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }
    fn read_at(&self, offset: usize, out: &mut [u8]) {
        let end = offset.saturating_add(out.len()).min(self.as_slice().len());
        if let Some(src) = self.get(offset..end) {
            out[..src.len()].copy_from_slice(src);
        }
    }
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
    ratio: Option<(usize, usize)>,
}

/// A source read window by window, as UTF-8 or transcoded to it.
pub struct Stream {
    src: Box<dyn Source>,
    /// Bytes skipped at the start of the source (a UTF-8 byte-order mark).
    skip: usize,
    /// The current window and the text offset of its first byte.
    buf: Vec<u8>,
    base: usize,
    /// Source offset just past the current window.
    src_end: usize,
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
    pub fn total(&self) -> usize {
        match self {
            Window::Memory(t) => t.len(),
            Window::Stream(s) => s.total(),
        }
    }

    pub fn failed(&self) -> bool {
        matches!(self, Window::Stream(s) if s.failed)
    }

    pub fn lossy(&self) -> bool {
        matches!(self, Window::Stream(s) if s.lossy)
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
        let total = src.len();
        head.truncate(window.min(total));
        let mut s = Stream {
            src,
            skip,
            window,
            buf: Vec::new(),
            base: 0,
            src_end: skip,
            declared,
            lossy: false,
            failed: false,
            transcoder: None,
        };
        if head.len() == window.min(total) && skip <= head.len() {
            head.drain(..skip);
            s.buf = head;
            s.check(skip);
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
            skip,
            window: window.max(4),
            buf: Vec::new(),
            base: 0,
            src_end: skip,
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
            t.ratio = Some((s.buf.len(), s.src_end - s.skip));
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
    fn total(&self) -> usize {
        let bytes = self.src.len().saturating_sub(self.skip);
        match self.transcoder.as_ref().and_then(|t| t.ratio) {
            Some(_) if self.src_end >= self.src.len() => self.base + self.buf.len(),
            Some((text, src)) if src > 0 => {
                (bytes as u128 * text as u128 / src as u128).min(usize::MAX as u128) as usize
            }
            _ => bytes,
        }
    }

    /// Replaces the window by the next bytes of the source.
    fn load_next(&mut self) {
        let total = self.src.len();
        self.base += self.buf.len();
        let start = self.src_end;
        let n = self.window.min(total.saturating_sub(start));
        if let Some(t) = &mut self.transcoder {
            t.raw.clear();
            t.raw.resize(n, 0);
            self.src.read_at(start, &mut t.raw);
            let last = start + n >= total;
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
            self.src_end = start + n;
            return;
        }
        self.buf.clear();
        self.buf.resize(n, 0);
        self.src.read_at(start, &mut self.buf);
        self.check(start);
    }

    /// Validates the window just read from source offset `start` (see the module doc).
    fn check(&mut self, start: usize) {
        let n = self.buf.len();
        let last = start + n >= self.src.len();
        match std::str::from_utf8(&self.buf) {
            Ok(_) => self.src_end = start + n,
            // A character cut by the window's end: keep its bytes for the next window.
            Err(e) if e.error_len().is_none() && !last && e.valid_up_to() > 0 => {
                self.buf.truncate(e.valid_up_to());
                self.src_end = start + e.valid_up_to();
            }
            // A character cut by the end of the file is still UTF-8 (as `decode` decides).
            Err(e) if self.declared || (last && e.error_len().is_none()) => {
                let fixed = String::from_utf8_lossy(&self.buf).into_owned().into_bytes();
                self.buf = fixed;
                self.src_end = start + n;
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
    fn input_at(&mut self, pos: usize) -> &[u8] {
        match self {
            Window::Memory(t) => t.get(pos..).unwrap_or(&[]),
            Window::Stream(s) => {
                if pos < s.base {
                    s.rewind();
                }
                while !s.failed && pos >= s.base + s.buf.len() && s.src_end < s.src.len() {
                    s.load_next();
                }
                if s.failed {
                    return &[];
                }
                s.buf.get(pos - s.base..).unwrap_or(&[])
            }
        }
    }
}
