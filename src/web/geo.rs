//! Fetching the map's shapes (`geo/*.json`, relative to the page so the app works under any
//! sub-path) once per page: parsed layers are kept in a per-thread cache, so a second map, a
//! redraw or a change of filter never fetches nor parses again.
//!
//! What must stay true: shapes are fetched only when a map is shown (never at start-up); a
//! failed fetch is an error the map says in words, and is not cached (a retry fetches again).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::chart::map::geo::GeoLayer;

thread_local! {
    static CACHE: RefCell<HashMap<String, Rc<GeoLayer>>> = RefCell::new(HashMap::new());
}

/// The layers already in the cache, if all of `files` are.
pub fn cached(files: &[String]) -> Option<Vec<Rc<GeoLayer>>> {
    CACHE.with(|c| {
        let c = c.borrow();
        files.iter().map(|f| c.get(f).cloned()).collect()
    })
}

/// Fetches and parses `files` (relative URLs such as `geo/departements.json`), from the cache
/// when it has them.
pub async fn load(files: &[String]) -> Result<Vec<Rc<GeoLayer>>, String> {
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        if let Some(l) = CACHE.with(|c| c.borrow().get(f).cloned()) {
            out.push(l);
            continue;
        }
        let bytes = super::load::fetch_bytes(f)
            .await
            .map_err(|e| format!("{f} : {}", e.bilingual(f)))?;
        let layer = Rc::new(GeoLayer::parse(&bytes).map_err(|e| format!("{f} : {e}"))?);
        CACHE.with(|c| c.borrow_mut().insert(f.clone(), layer.clone()));
        out.push(layer);
    }
    Ok(out)
}
