//! How a component asks the query service (`state/service.rs`) about the open dataset: the
//! one door between the panels and the engine. A panel builds a [`Request`], gets a shared
//! answer, and never runs `core::query` on the page's dataset itself.

use super::AppContext;
use crate::core::query::{QueryError, QueryResult};
use crate::state::service::{Answer, Request, Shared};

/// Asks the query service about the current dataset (`None` while there is none).
///
/// When the portal computes the dataset (the portal engine) or the engine's Web Worker holds
/// it, the answer comes later: `None`
/// until it arrives, and the panels are re-rendered then (see `web/remote.rs`).
pub fn ask(ctx: &Option<AppContext>, req: &Request) -> Option<Shared> {
    let c = ctx.as_ref()?;
    let st = c.state();
    let ds = st.data.as_ref()?;
    if let Some(p) = st.portal_engine() {
        return c
            .remote
            .answer(p, ds, st.generation, st.revision, st.lang, req);
    }
    if let Some(w) = st.worker_engine() {
        return c.worker.answer(w.load, req);
    }
    Some(c.engine.answer(ds, st.generation, req))
}

/// Whether the rows are out of the page: the portal or the engine's worker computes the open
/// dataset (answers arrive later, tables come by pages).
pub fn remote(ctx: &Option<AppContext>) -> bool {
    ctx.as_ref().is_some_and(|c| {
        let st = c.state();
        st.portal_engine().is_some() || st.worker_engine().is_some()
    })
}

/// The table of an answer (a chart table, a grouped or pivot result).
pub fn table_of(a: &Option<Shared>) -> Option<Result<&QueryResult, &QueryError>> {
    match a.as_deref()? {
        Ok(Answer::Table(t)) => Some(Ok(t)),
        Ok(_) => None,
        Err(e) => Some(Err(e)),
    }
}

/// What a result panel shows: the answer when it is there; while it is computed, the last
/// table answered for the same dataset, marked stale (`false`), with what it was asked with
/// (`with`: the table's page offset, or nothing). Keeping it on screen, dimmed, spares the page
/// an empty panel and every panel below it moving up and down again.
#[yew::hook]
pub fn use_last_table<T: Clone + 'static>(
    generation: u64,
    answer: &Option<Shared>,
    with: T,
) -> (Option<(Shared, T)>, bool) {
    let last = yew::use_mut_ref(|| None::<(u64, Shared, T)>);
    match answer {
        Some(a) => {
            if matches!(a.as_ref(), Ok(Answer::Table(_))) {
                *last.borrow_mut() = Some((generation, a.clone(), with.clone()));
            }
            (Some((a.clone(), with)), true)
        }
        None => match last.borrow().as_ref() {
            Some((g, a, w)) if *g == generation => (Some((a.clone(), w.clone())), false),
            _ => (None, false),
        },
    }
}
