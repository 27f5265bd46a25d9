//! The header: whether the table has one, and unique, non-empty column names.
//!
//! A first row is a header when none of its cells reads as a data value (number, date,
//! boolean; four-digit years excepted) — a table of text only keeps its first row as a header,
//! the common case for open data. What must stay true: names are unique and non-empty
//! (`montant`, `montant_2`; empty -> `colonne_3`), and every rename is reported.

use super::infer::ColumnStats;
use super::IngestWarning;

/// Whether `first` (the first record) is a header, judging from its cells alone.
pub fn looks_like_header(first: &[Vec<u8>]) -> bool {
    !first.iter().any(|c| ColumnStats::looks_typed(c))
}

/// Unique names for `width` columns from the header cells (if any).
pub fn column_names(
    header: Option<&[Vec<u8>]>,
    width: usize,
    warnings: &mut Vec<IngestWarning>,
) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(width);
    let mut seen = std::collections::HashSet::new();
    for i in 0..width {
        let raw = header
            .and_then(|h| h.get(i))
            .map(|c| String::from_utf8_lossy(c).trim().to_string())
            .unwrap_or_default();
        let mut name = if raw.is_empty() {
            format!("colonne_{}", i + 1)
        } else {
            raw.clone()
        };
        if seen.contains(&name) {
            let mut k = 2;
            while seen.contains(&format!("{name}_{k}")) {
                k += 1;
            }
            name = format!("{name}_{k}");
        }
        if header.is_some() && name != raw {
            let why = if raw.is_empty() {
                "nom vide / empty name".to_string()
            } else {
                format!("nom en double « {raw} » / duplicate name \"{raw}\"")
            };
            warnings.push(IngestWarning {
                row: None,
                message: format!(
                    "Colonne {} renommée « {name} » ({why}). / Column {} renamed \"{name}\".",
                    i + 1,
                    i + 1
                ),
            });
        }
        seen.insert(name.clone());
        names.push(name);
    }
    names
}
