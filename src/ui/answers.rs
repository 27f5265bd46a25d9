//! How a component asks the query service (`state/service.rs`) about the open dataset: the
//! one door between the panels and the engine. A panel builds a [`Request`], gets a shared
//! answer, and never runs `core::query` on the page's dataset itself.

use super::AppContext;
use crate::core::query::{QueryError, QueryResult};
use crate::state::service::{Answer, Request, Shared};

/// Asks the query service about the current dataset (`None` while there is none).
pub fn ask(ctx: &Option<AppContext>, req: &Request) -> Option<Shared> {
    let c = ctx.as_ref()?;
    let ds = c.state().data.as_ref()?;
    Some(c.engine.answer(ds, c.state().generation, req))
}

/// The table of an answer (a chart table, a grouped or pivot result).
pub fn table_of(a: &Option<Shared>) -> Option<Result<&QueryResult, &QueryError>> {
    match a.as_deref()? {
        Ok(Answer::Table(t)) => Some(Ok(t)),
        Ok(_) => None,
        Err(e) => Some(Err(e)),
    }
}
