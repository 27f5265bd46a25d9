//! Input held outside the engine's memory (a browser `Uint8Array`, a file) and read a window
//! at a time, so that a 170 MB CSV never needs a 170 MB copy inside WebAssembly memory.
//!
//! What must stay true: positions handed to [`Window::input_at`] are offsets in the decoded
//! UTF-8 text, and reading is sequential except for a rewind to the first window (the second
//! pass that re-reads a column as text starts in the first window, where the data starts);
//! every window handed out is valid UTF-8 and ends on a character boundary. A window that is
//! not UTF-8 when no encoding was declared marks the window `failed`: the caller then reads
//! the whole input again in memory and lets [`super::decode`] choose (Windows-1252).

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

/// A UTF-8 source read window by window.
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
            Window::Stream(s) => s.src.len().saturating_sub(s.skip),
        }
    }

    pub fn failed(&self) -> bool {
        matches!(self, Window::Stream(s) if s.failed)
    }

    pub fn lossy(&self) -> bool {
        matches!(self, Window::Stream(s) if s.lossy)
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

    /// Takes the source back (to read it whole after a failure).
    pub fn into_source(self) -> Box<dyn Source> {
        self.src
    }

    /// Replaces the window by the next bytes of the source.
    fn load_next(&mut self) {
        let total = self.src.len();
        self.base += self.buf.len();
        let start = self.src_end;
        let n = self.window.min(total.saturating_sub(start));
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
        self.load_next();
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
