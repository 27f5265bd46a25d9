//! A `File` (or a `Blob` a download was gathered into) read for the worker's loader: one
//! stream of the file read ahead of the parse (`core::ingest::ahead`), and `FileReaderSync`
//! for any range the stream does not hold (the head, a part's first line, everything once the
//! stream failed). Measured in Chromium on a 170 MB file: `FileReaderSync` by 4 MB slices
//! read it in 0.5-0.8 s of the worker's own time, its stream in 0.1-0.2 s.
//!
//! What must stay true: the parse waits (yielding, so that chunks can arrive) until the next
//! window is held, or reads it synchronously when the stream cannot give it; chunks of a
//! stream that was restarted are ignored; at most [`AHEAD_BYTES`] past the reads are held.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{get, WINDOW};
use crate::core::ingest::ahead::{Chunk, ReadAhead};
use crate::core::ingest::Source;

/// Bytes the stream is read ahead of the parse.
const AHEAD_BYTES: u64 = 2 * WINDOW as u64;

/// A chunk of a `Blob` stream.
struct JsChunk(js_sys::Uint8Array);

impl Chunk for JsChunk {
    fn len(&self) -> usize {
        self.0.length() as usize
    }
    fn copy_to(&self, from: usize, out: &mut [u8]) {
        let from = from as u32;
        self.0.subarray(from, from + out.len() as u32).copy_to(out);
    }
}

pub(super) struct Feed {
    file: web_sys::Blob,
    len: u64,
    reader: web_sys::FileReaderSync,
    /// Set when the browser refused a synchronous read (the file moved, permissions): the
    /// load fails.
    pub(super) failed: Rc<RefCell<Option<String>>>,
    ahead: RefCell<ReadAhead<JsChunk>>,
    stream: RefCell<Option<web_sys::ReadableStreamDefaultReader>>,
    /// Bumped when the stream starts again elsewhere: chunks of the older one are ignored.
    generation: Cell<u32>,
    /// A chunk was asked of the stream and has not arrived yet.
    reading: Cell<bool>,
    /// The stream reached the file's end.
    ended: Cell<bool>,
    /// The stream failed: every later read is synchronous.
    broken: Cell<bool>,
    /// Resolves the promise [`Feed::wait`] is waiting on.
    wake: RefCell<Option<js_sys::Function>>,
    /// Bytes served by the stream and read synchronously (`self.loupeRead` in the worker's
    /// scope, for the tests).
    streamed: Cell<f64>,
    synced: Cell<f64>,
    /// Where the load's time went (`self.loupeRead`, for the benchmarks): ms waiting for the
    /// stream's next window and how many waits, chunks received, ms parsing and yielding.
    pub(super) wait_ms: Cell<f64>,
    waits: Cell<f64>,
    chunks: Cell<f64>,
    pub(super) step_ms: Cell<f64>,
    pub(super) yield_ms: Cell<f64>,
}

impl Feed {
    pub(super) fn new(file: web_sys::Blob) -> Result<Rc<Feed>, JsValue> {
        Ok(Rc::new(Feed {
            len: file.size() as u64,
            file,
            reader: web_sys::FileReaderSync::new()?,
            failed: Rc::new(RefCell::new(None)),
            ahead: RefCell::new(ReadAhead::new(0)),
            stream: RefCell::new(None),
            generation: Cell::new(0),
            reading: Cell::new(false),
            ended: Cell::new(false),
            broken: Cell::new(false),
            wake: RefCell::new(None),
            streamed: Cell::new(0.0),
            synced: Cell::new(0.0),
            wait_ms: Cell::new(0.0),
            waits: Cell::new(0.0),
            chunks: Cell::new(0.0),
            step_ms: Cell::new(0.0),
            yield_ms: Cell::new(0.0),
        }))
    }

    pub(super) fn len(&self) -> u64 {
        self.len
    }

    /// The loader's view of the file.
    pub(super) fn source(self: &Rc<Self>) -> Box<dyn Source> {
        Box::new(FileSource(self.clone()))
    }

    /// The next window the loader reads is not held yet.
    fn short(&self) -> bool {
        let a = self.ahead.borrow();
        !a.in_step() || a.end() < self.len.min(a.read_end().saturating_add(WINDOW as u64))
    }

    /// Asks the stream for its next chunk when fewer than [`AHEAD_BYTES`] are held past the
    /// reads, starting it (again) where the reads are when they left it behind.
    pub(super) fn pump(self: &Rc<Self>) {
        if self.broken.get() {
            return;
        }
        let (in_step, at, full) = {
            let a = self.ahead.borrow();
            (
                a.in_step(),
                a.read_end(),
                a.ahead() >= AHEAD_BYTES || a.end() >= self.len,
            )
        };
        if in_step && (full || self.reading.get() || self.ended.get()) {
            return;
        }
        if !in_step || self.stream.borrow().is_none() {
            if let Some(old) = self.stream.borrow_mut().take() {
                let _ = old.cancel();
            }
            self.generation.set(self.generation.get().wrapping_add(1));
            self.reading.set(false);
            self.ended.set(false);
            self.ahead.borrow_mut().restart(at);
            let reader = self
                .file
                .slice_with_f64_and_f64(at as f64, self.len as f64)
                .map(|b| b.stream().get_reader())
                .and_then(|r| {
                    r.dyn_into::<web_sys::ReadableStreamDefaultReader>()
                        .map_err(JsValue::from)
                });
            match reader {
                Ok(r) => *self.stream.borrow_mut() = Some(r),
                Err(_) => return self.break_off(),
            }
            if at >= self.len {
                return;
            }
        }
        let Some(promise) = self.stream.borrow().as_ref().map(|r| r.read()) else {
            return;
        };
        self.reading.set(true);
        let generation = self.generation.get();
        let feed = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = JsFuture::from(promise).await.ok();
            feed.arrived(generation, result);
        });
    }

    /// A chunk (or the stream's end, or its failure: `None`) arrived.
    fn arrived(self: &Rc<Self>, generation: u32, result: Option<JsValue>) {
        if generation != self.generation.get() {
            return;
        }
        self.reading.set(false);
        match result {
            Some(r) if get(&r, "done").as_bool() != Some(true) => {
                match get(&r, "value").dyn_into::<js_sys::Uint8Array>() {
                    Ok(chunk) => {
                        self.chunks.set(self.chunks.get() + 1.0);
                        self.ahead.borrow_mut().push(JsChunk(chunk));
                    }
                    Err(_) => self.break_off(),
                }
            }
            Some(_) => self.ended.set(true),
            None => self.break_off(),
        }
        if let Some(wake) = self.wake.borrow_mut().take() {
            let _ = wake.call0(&JsValue::NULL);
        }
        self.pump();
    }

    /// The stream cannot be used: reads go on synchronously.
    fn break_off(&self) {
        self.broken.set(true);
        self.reading.set(false);
        if let Some(old) = self.stream.borrow_mut().take() {
            let _ = old.cancel();
        }
        if let Some(wake) = self.wake.borrow_mut().take() {
            let _ = wake.call0(&JsValue::NULL);
        }
    }

    /// Returns once the next window is held, or the stream cannot give it (then the loader
    /// reads it synchronously).
    pub(super) async fn wait(self: &Rc<Self>) {
        let from = super::now_ms();
        loop {
            self.pump();
            if !self.short() || !self.reading.get() {
                break;
            }
            self.waits.set(self.waits.get() + 1.0);
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                *self.wake.borrow_mut() = Some(resolve);
            });
            let _ = JsFuture::from(promise).await;
        }
        self.wait_ms
            .set(self.wait_ms.get() + super::now_ms() - from);
    }

    /// Publishes the bytes read each way and the time spent as `self.loupeRead = {streamed,
    /// synced, waitMs, waits, chunks, stepMs, yieldMs}`.
    pub(super) fn publish(&self) {
        let o = js_sys::Object::new();
        super::set(&o, "streamed", &self.streamed.get().into());
        super::set(&o, "synced", &self.synced.get().into());
        for (k, v) in [
            ("waitMs", &self.wait_ms),
            ("waits", &self.waits),
            ("chunks", &self.chunks),
            ("stepMs", &self.step_ms),
            ("yieldMs", &self.yield_ms),
        ] {
            super::set(&o, k, &v.get().round().into());
        }
        let _ = js_sys::Reflect::set(&js_sys::global(), &"loupeRead".into(), &o);
    }
}

/// The loader's [`Source`]: the chunks held, or a synchronous read.
struct FileSource(Rc<Feed>);

impl Source for FileSource {
    fn len(&self) -> u64 {
        self.0.len
    }

    fn read_at(&self, offset: u64, out: &mut [u8]) {
        let feed = &self.0;
        if feed.ahead.borrow_mut().read(offset, out) {
            feed.streamed.set(feed.streamed.get() + out.len() as f64);
            return;
        }
        let end = offset.saturating_add(out.len() as u64).min(feed.len);
        feed.ahead.borrow_mut().note_read(end);
        feed.synced
            .set(feed.synced.get() + end.saturating_sub(offset) as f64);
        let read = feed
            .file
            .slice_with_f64_and_f64(offset as f64, end as f64)
            .and_then(|b| feed.reader.read_as_array_buffer(&b));
        match read {
            Ok(buf) => {
                let a = js_sys::Uint8Array::new(&buf);
                let n = (a.length() as usize).min(out.len());
                a.subarray(0, n as u32).copy_to(&mut out[..n]);
                out[n..].fill(0);
            }
            Err(e) => {
                out.fill(0);
                *feed.failed.borrow_mut() = Some(crate::web::load::js_error(&e));
            }
        }
    }
}
