//! A warm-up of the first questions asked about a new dataset, run by a fresh engine worker
//! before the user's file (after `core::ingest::warm`): the page of rows, the counts with and
//! without a filter, the first chart's grouped sum, a sorted page, a column's values and
//! profile, over the warm-up file. The browser optimises a WebAssembly function only once it
//! has run hot; without this, the first view of the first file runs unoptimised code (the
//! chart of a 1M-row file answered in ~180 ms after the load, against ~60 ms once hot).

use super::{wire, Answer, LocalEngine};
use crate::core::ingest::warm_up_csv;

/// The requests, as the page sends them (`wire` JSON).
const REQUESTS: [&str; 7] = [
    r#"{"kind":"page","filters":[],"sort":null,"offset":0,"limit":100}"#,
    r#"{"kind":"count","filters":[]}"#,
    r#"{"kind":"chart","filters":[],"chart":{"kind":"line","x":"exercice","y":"montant","unit":"€"},"agg":"sum","top":15}"#,
    r#"{"kind":"count","filters":[{"column":"region","op":"in","values":["Bretagne"]}]}"#,
    r#"{"kind":"page","filters":[{"column":"region","op":"in","values":["Bretagne"]}],"sort":{"column":"montant","desc":true},"offset":0,"limit":100}"#,
    r#"{"kind":"distinct","column":"region"}"#,
    r#"{"kind":"profile","column":"montant"}"#,
];

/// Loads the warm-up file and asks it the first questions; the row counts it answered (the
/// whole file's, then the filtered one's), for tests.
pub fn warm_up() -> Vec<usize> {
    let Ok(ds) = crate::core::ingest::read(&warm_up_csv(), &Default::default()) else {
        return Vec::new();
    };
    let engine = LocalEngine::new();
    REQUESTS
        .iter()
        .filter_map(|text| wire::decode_request(text).ok())
        .filter_map(|req| match engine.answer(&ds, 1, &req).as_ref() {
            Ok(Answer::Count(n)) => Some(*n),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_warm_up_request_is_understood_and_answered() {
        let ds = crate::core::ingest::read(&warm_up_csv(), &Default::default()).expect("loads");
        let engine = LocalEngine::new();
        for text in REQUESTS {
            let req = wire::decode_request(text).expect(text);
            assert!(engine.answer(&ds, 1, &req).is_ok(), "{text}");
        }
        // The counts, from the warm-up file's own text: its lines, and those whose region
        // field is Bretagne.
        let csv = String::from_utf8(warm_up_csv()).expect("UTF-8");
        let lines = csv.lines().skip(1).count();
        let bretagne = csv
            .lines()
            .skip(1)
            .filter(|l| l.split(';').nth(1) == Some("Bretagne"))
            .count();
        assert!(bretagne > 0);
        assert_eq!(warm_up(), vec![lines, bretagne]);
    }
}
