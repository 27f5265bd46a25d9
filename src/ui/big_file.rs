//! Opening a file from disk in the engine's Web Worker (`web/worker_engine.rs`): big files
//! (see [`crate::state::app::WORKER_MIN_BYTES`]) or any file with `?worker=1`. The page gets
//! the whole file's report and the first rows for the schema; every figure is asked of the
//! worker through the same requests as the portal engine's.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::Store;
use crate::core::ingest::IngestOptions;
use crate::state::app::WorkerSource;
use crate::state::{Action, Lang, SourceInfo, ViewSpec};
use crate::web::load::{CancelToken, LoadError};
use crate::web::worker_engine::WorkerEngine;

/// What opening a file in the worker needs from the app.
pub struct Open<'a> {
    pub worker: &'a Rc<WorkerEngine>,
    pub file: &'a web_sys::File,
    pub source: SourceInfo,
    pub options: IngestOptions,
    pub dispatcher: UseReducerDispatcher<Store>,
    pub token: &'a CancelToken,
    pub lang: Lang,
    pub pending_view: Rc<RefCell<Option<ViewSpec>>>,
}

/// Loads the file in a fresh worker and shows it; failures are shown as for any load.
pub async fn open(o: Open<'_>) {
    let Open {
        worker,
        file,
        mut source,
        options,
        dispatcher,
        token,
        lang,
        pending_view,
    } = o;
    let progress = dispatcher.clone();
    let on_progress = move |p| progress.dispatch(Action::ReportProgress(p));
    match worker
        .load(file, options.clone(), &on_progress, token)
        .await
    {
        Ok(loaded) => {
            if token.is_cancelled() {
                return;
            }
            source.worker = Some(WorkerSource {
                rows: loaded.rows,
                bytes: file.size() as u64,
                partial: None,
                load: loaded.load,
                ms: loaded.ms,
                memory: loaded.memory,
            });
            dispatcher.dispatch(Action::StartLoading {
                source: Box::new(source),
                options,
            });
            let view = pending_view.borrow_mut().take();
            dispatcher.dispatch(Action::FinishLoading {
                data: Rc::new(loaded.sample),
                view,
            });
        }
        Err(LoadError::Cancelled) => {}
        Err(e) => {
            if !token.is_cancelled() {
                dispatcher.dispatch(Action::FailLoading(e.text(&source.label, lang)));
            }
        }
    }
}
