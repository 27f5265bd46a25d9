//! Files larger than memory: the choice offered when a file's estimated load
//! ([`crate::core::ingest::estimate`]) exceeds the memory budget — only some columns, only the
//! rows matching a simple filter, or a sample — and what the page says about a partial load.
//!
//! What must stay true: a choice is offered only when the estimate exceeds the budget; the
//! sample proposed by default is the smallest `k` whose estimate fits (so the most rows that
//! fit); the budget is never above what WebAssembly can address with room for the queries.

use crate::core::ingest::{IngestReport, MemoryEstimate};

/// Most memory a load may take in the engine's worker: WebAssembly's 4 GiB, less room for the
/// queries' own allocations (selections, sorts, groups) on top of the dataset.
pub const MAX_BUDGET_BYTES: f64 = 3.2e9;

/// The memory budget for a load: `?budget=` (megabytes) when given, else half the device's
/// memory as the browser reports it (`navigator.deviceMemory`, in gigabytes, `None` when the
/// browser does not say), never above [`MAX_BUDGET_BYTES`].
pub fn budget_bytes(budget_mb: Option<u64>, device_gb: Option<f64>) -> f64 {
    match budget_mb {
        Some(mb) => (mb as f64 * 1e6).min(MAX_BUDGET_BYTES),
        None => device_gb
            .filter(|g| g.is_finite() && *g > 0.0)
            .map_or(MAX_BUDGET_BYTES, |g| (g * 1e9 / 2.0).min(MAX_BUDGET_BYTES)),
    }
}

/// A file too big for the budget, waiting for the user's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct BigFileChoice {
    /// The file's name.
    pub label: String,
    /// Bytes of the file.
    pub size: u64,
    pub budget: f64,
    pub estimate: MemoryEstimate,
}

impl BigFileChoice {
    /// The smallest `k` (one row in `k`) whose sample fits the budget (`None`: even one row in
    /// a thousand does not fit, e.g. a single row wider than the budget).
    pub fn sample_that_fits(&self) -> Option<usize> {
        (2..=1000).find(|&k| (self.estimate.for_sample(k) as f64) <= self.budget)
    }

    /// Peak bytes of a load of only `columns`.
    pub fn columns_bytes(&self, columns: &[&str]) -> u64 {
        self.estimate.for_columns(columns)
    }

    /// The columns to offer, largest first, with their estimated bytes.
    pub fn columns(&self) -> Vec<(String, String, u64)> {
        let mut cols: Vec<(String, String, u64)> = self
            .estimate
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.kind.clone(), c.peak_bytes))
            .collect();
        cols.sort_by_key(|c| std::cmp::Reverse(c.2));
        cols
    }
}

/// What a partial load kept, in words for the dataset's header (`None`: the whole file).
pub fn partial_text(report: &IngestReport, french: bool) -> Option<String> {
    let mut parts = Vec::new();
    if let Some((kept, total)) = report.projected {
        parts.push(if french {
            format!("{kept} colonnes sur {total}")
        } else {
            format!("{kept} columns of {total}")
        });
    }
    if let Some(subset) = &report.subset {
        // The report's words are "French / English".
        let (fr, en) = subset.split_once(" / ").unwrap_or((subset, subset));
        parts.push(if french { fr } else { en }.trim().to_string());
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::ColumnEstimate;

    #[test]
    fn budget_follows_the_link_then_the_device_and_never_passes_the_ceiling() {
        assert_eq!(budget_bytes(Some(64), Some(8.0)), 64e6);
        assert_eq!(budget_bytes(Some(100_000), None), MAX_BUDGET_BYTES);
        assert_eq!(budget_bytes(None, Some(4.0)), 2e9);
        assert_eq!(budget_bytes(None, Some(8.0)), MAX_BUDGET_BYTES);
        assert_eq!(budget_bytes(None, None), MAX_BUDGET_BYTES);
        assert_eq!(budget_bytes(None, Some(f64::NAN)), MAX_BUDGET_BYTES);
    }

    fn choice(budget: f64) -> BigFileChoice {
        // Two columns of 8 bytes a row and one of 4, 1,000,000 rows, 1 MB of buffers.
        let col = |name: &str, per_row: u64| ColumnEstimate {
            name: name.into(),
            kind: "integer".into(),
            bytes: per_row * 1_000_000,
            peak_bytes: per_row * 1_000_000,
            value_bytes: per_row,
            non_null_share: 1.0,
            head_rows: 1000,
            head_distinct: 1000,
            distinct_exponent: 1.0,
            ..ColumnEstimate::default()
        };
        BigFileChoice {
            label: "x.csv".into(),
            size: 30_000_000,
            budget,
            estimate: MemoryEstimate {
                rows: 1_000_000,
                rows_in_file: 1_000_000,
                bytes: 21_000_000,
                dataset_bytes: 20_000_000,
                buffer_bytes: 1_000_000,
                columns: vec![col("a", 8), col("b", 4), col("c", 8)],
                selected: vec!["a".into(), "b".into(), "c".into()],
            },
        }
    }

    #[test]
    fn columns_are_offered_largest_first_with_their_size() {
        let c = choice(10e6);
        let cols = c.columns();
        assert_eq!(cols[2], ("b".to_string(), "integer".to_string(), 4_000_000));
        assert_eq!(cols[0].2, 8_000_000);
        // Buffers plus the columns kept.
        assert_eq!(c.columns_bytes(&["a", "b"]), 13_000_000);
    }

    #[test]
    fn the_sample_offered_is_the_largest_that_fits() {
        let c = choice(10e6);
        let k = c.sample_that_fits().unwrap_or(0);
        assert!(k >= 2);
        assert!(c.estimate.for_sample(k) as f64 <= 10e6);
        assert!(c.estimate.for_sample(k - 1) as f64 > 10e6 || k == 2);
    }

    #[test]
    fn a_partial_load_is_said_in_the_page_language() {
        let report = IngestReport {
            projected: Some((3, 10)),
            subset: Some("120 lignes gardées sur 1 000 lues / 120 rows kept of 1,000 read".into()),
            ..IngestReport::default()
        };
        assert_eq!(
            partial_text(&report, true).as_deref(),
            Some("3 colonnes sur 10 · 120 lignes gardées sur 1 000 lues")
        );
        assert_eq!(
            partial_text(&report, false).as_deref(),
            Some("3 columns of 10 · 120 rows kept of 1,000 read")
        );
        assert_eq!(partial_text(&IngestReport::default(), true), None);
    }
}
