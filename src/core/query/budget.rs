//! Budgets: the most a query may produce, checked *before* the allocation that depends on the
//! data, so that a query over high-cardinality columns fails with a clear message instead of
//! exhausting WebAssembly's memory (which aborts the whole page).
//!
//! What must stay true: every operation whose output size depends on the data (pivot cells and
//! columns, group count, distinct values, raw rows returned) calls [`check`] with the size it is
//! about to allocate; a refused query leaves the dataset untouched; the message names the
//! figure, the limit and the way out, in French then English.
//!
//! The limits are sized for a browser tab: a result [`crate::core::Value`] is 32 bytes plus its
//! text, so [`MAX_RESULT_CELLS`] cells are at most ~130 MB transient, well inside the 4 GB
//! that a 32-bit WebAssembly memory can address beside a dataset of a few hundred MB.

use super::QueryError;

/// Most distinct column values a pivot may spread across (a table wider than this is not read
/// by anyone; an HTML table of it would freeze the page).
pub const MAX_PIVOT_COLUMNS: usize = 1_000;
/// Most cells of a pivot (rows x columns of the dense grid).
pub const MAX_PIVOT_CELLS: usize = 2_000_000;
/// Most cells (rows x columns) a grouped or raw-row result may hold before sort and limit.
pub const MAX_RESULT_CELLS: usize = 4_000_000;
/// Most distinct values listed by a frequency table.
pub const MAX_DISTINCT_VALUES: usize = 1_000_000;

/// What a budget bounds; each kind has its own sentence and way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Budget {
    /// Distinct values of a pivot's column key.
    PivotColumns,
    /// Cells of a pivot's grid.
    PivotCells,
    /// Groups of a grouped query (counted in cells: groups x output columns).
    Groups,
    /// Raw rows returned by a query without aggregates (counted in cells).
    Rows,
    /// Distinct values of a frequency table.
    Distinct,
    /// Rows into a portal dataset that its records endpoint can page to (`offset + limit`).
    PortalWindow,
    /// Rows a portal must send for a figure its query language cannot compute exactly.
    PortalDownload,
}

/// Fails with [`QueryError::TooBig`] when `count` exceeds `limit`.
///
/// ```
/// use loupe::core::query::budget::{check, Budget, MAX_PIVOT_COLUMNS};
/// assert!(check(Budget::PivotColumns, 12, MAX_PIVOT_COLUMNS).is_ok());
/// let e = check(Budget::PivotColumns, 32_780, MAX_PIVOT_COLUMNS).unwrap_err();
/// assert!(e.to_string().starts_with("32\u{202f}780 colonnes"));
/// ```
pub fn check(what: Budget, count: usize, limit: usize) -> Result<(), QueryError> {
    if count > limit {
        Err(QueryError::TooBig { what, count, limit })
    } else {
        Ok(())
    }
}

/// `n` with thousands grouped: French (narrow no-break space) or English (comma).
pub fn group_digits(n: usize, french: bool) -> String {
    let digits = n.to_string();
    let sep = if french { '\u{202f}' } else { ',' };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// The sentence for a refused query, in French (`french`) or English.
pub fn message(what: Budget, count: usize, limit: usize, french: bool) -> String {
    let (n, l) = (group_digits(count, french), group_digits(limit, french));
    match (what, french) {
        (Budget::PivotColumns, true) => format!(
            "{n} colonnes dans le tableau croisé (au plus {l}) : choisissez une colonne avec moins de valeurs, ou filtrez"
        ),
        (Budget::PivotColumns, false) => format!(
            "{n} columns in the pivot table (at most {l}): choose a column with fewer values, or filter"
        ),
        (Budget::PivotCells, true) => format!(
            "{n} cases dans le tableau croisé (au plus {l}) : choisissez des colonnes avec moins de valeurs, ou filtrez"
        ),
        (Budget::PivotCells, false) => format!(
            "{n} cells in the pivot table (at most {l}): choose columns with fewer values, or filter"
        ),
        (Budget::Groups, true) => format!(
            "{n} cases de résultat pour ce regroupement (au plus {l}) : regroupez par une colonne avec moins de valeurs, ou filtrez"
        ),
        (Budget::Groups, false) => format!(
            "{n} result cells for this grouping (at most {l}): group by a column with fewer values, or filter"
        ),
        (Budget::Rows, true) => format!(
            "{n} cases de lignes brutes demandées (au plus {l}) : ajoutez une limite (« limit »), choisissez moins de colonnes ou filtrez"
        ),
        (Budget::Rows, false) => format!(
            "{n} cells of raw rows requested (at most {l}): add a limit, choose fewer columns or filter"
        ),
        (Budget::Distinct, true) => format!(
            "{n} valeurs distinctes (au plus {l}) : cherchez dans le texte, ou filtrez par intervalle"
        ),
        (Budget::Distinct, false) => format!(
            "{n} distinct values (at most {l}): search the text, or filter by a range"
        ),
        (Budget::PortalWindow, true) => format!(
            "le portail ne donne pas de ligne au-delà de la {l}e (ligne {n} demandée) : triez ou filtrez pour amener les lignes voulues en tête, ou téléchargez les lignes filtrées"
        ),
        (Budget::PortalWindow, false) => format!(
            "the portal gives no row past row {l} (row {n} asked): sort or filter to bring the rows you want first, or download the filtered rows"
        ),
        (Budget::PortalDownload, true) => format!(
            "plus de {l} lignes à télécharger pour calculer ce chiffre exactement (le portail ne sait pas le faire) : filtrez davantage, ou ouvrez le jeu dans le navigateur"
        ),
        (Budget::PortalDownload, false) => format!(
            "more than {l} rows to download to compute this figure exactly (the portal cannot): filter further, or open the dataset in the browser engine"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_by_three() {
        assert_eq!(group_digits(0, true), "0");
        assert_eq!(group_digits(999, true), "999");
        assert_eq!(group_digits(1_000, false), "1,000");
        assert_eq!(group_digits(32_780, true), "32\u{202f}780");
        assert_eq!(group_digits(1_234_567, false), "1,234,567");
    }

    #[test]
    fn a_refusal_names_the_figure_the_limit_and_the_way_out() {
        let m = message(Budget::PivotColumns, 32_780, 1_000, true);
        assert_eq!(
            m,
            "32\u{202f}780 colonnes dans le tableau croisé (au plus 1\u{202f}000) : choisissez une colonne avec moins de valeurs, ou filtrez"
        );
        let e = message(Budget::Rows, 12_000_000, MAX_RESULT_CELLS, false);
        assert!(e.starts_with("12,000,000 cells of raw rows requested (at most 4,000,000)"));
        assert!(e.contains("add a limit"));
    }

    #[test]
    fn the_limit_itself_is_allowed() {
        assert!(check(Budget::Groups, MAX_RESULT_CELLS, MAX_RESULT_CELLS).is_ok());
        assert_eq!(
            check(Budget::Groups, MAX_RESULT_CELLS + 1, MAX_RESULT_CELLS),
            Err(QueryError::TooBig {
                what: Budget::Groups,
                count: MAX_RESULT_CELLS + 1,
                limit: MAX_RESULT_CELLS
            })
        );
    }
}
