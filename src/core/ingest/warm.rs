//! A warm-up load: a small generated file that takes every hot path of a real load (integers,
//! decimal commas, dates, quoted labels, repeated text and mostly-distinct labels kept row by
//! row), read once by a fresh WebAssembly instance before the user's file. The browser first
//! runs new WebAssembly with a quick baseline compiler and optimises a function only once it
//! has run hot; without this, the first part of the first load runs unoptimised. It takes a
//! few milliseconds once optimised.

/// Rows of the warm-up file: enough for the loader's 2,000-row type sample and for the label
/// column to be kept row by row (see `loader.rs`).
pub const WARM_UP_ROWS: usize = 12_000;

/// The warm-up file: `;`-separated, decimal commas, a quoted label unique per row.
pub fn warm_up_csv() -> Vec<u8> {
    warm_up_csv_rows(WARM_UP_ROWS)
}

/// The first `rows` rows of the warm-up file.
pub fn warm_up_csv_rows(rows: usize) -> Vec<u8> {
    const REGIONS: [&str; 6] = [
        "Bretagne",
        "Île-de-France",
        "Occitanie",
        "Grand Est",
        "Normandie",
        "Corse",
    ];
    let mut s = String::from("exercice;region;code;date;montant;quantite;libelle\n");
    let mut x: u32 = 12_345;
    for i in 0..rows {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        s.push_str(&format!(
            "{};{};{:05};{:02}/{:02}/{};{},{:02};{};\"Facture {} ; {}\"\n",
            2015 + i % 10,
            REGIONS[(x % 6) as usize],
            1000 + x % 300,
            1 + x % 28,
            1 + x % 12,
            2015 + x % 10,
            x % 100_000,
            x % 100,
            x % 500,
            i,
            REGIONS[(x / 7 % 6) as usize],
        ));
    }
    s.into_bytes()
}

/// Loads the warm-up file and drops it; the number of rows read (for tests).
pub fn warm_up() -> usize {
    super::read(&warm_up_csv(), &super::IngestOptions::default()).map_or(0, |ds| ds.rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::column::{ColumnData, ColumnType};

    #[test]
    fn the_warm_up_file_takes_every_hot_path() {
        let ds = super::super::read(&warm_up_csv(), &super::super::IngestOptions::default())
            .expect("loads");
        assert_eq!(ds.rows, WARM_UP_ROWS);
        let ty = |n: &str| ds.column(n).map(|c| c.column_type()).ok();
        assert_eq!(ty("exercice"), Some(ColumnType::Integer));
        assert_eq!(ty("montant"), Some(ColumnType::Decimal));
        assert_eq!(ty("date"), Some(ColumnType::Date));
        assert_eq!(ty("quantite"), Some(ColumnType::Integer));
        // Codes with leading zeros stay text; the label is kept row by row.
        assert!(matches!(
            ds.column("code").map(|c| &c.data),
            Ok(ColumnData::Text { .. })
        ));
        assert!(matches!(
            ds.column("libelle").map(|c| &c.data),
            Ok(ColumnData::Strings(_))
        ));
        assert_eq!(warm_up(), WARM_UP_ROWS);
    }

    #[test]
    fn a_shorter_warm_up_is_the_same_file_cut() {
        let whole = warm_up_csv();
        let short = warm_up_csv_rows(400);
        assert!(whole.starts_with(&short));
        // The header and 400 lines.
        assert_eq!(short.iter().filter(|&&b| b == b'\n').count(), 401);
        let ds =
            super::super::read(&short, &super::super::IngestOptions::default()).expect("loads");
        assert_eq!(ds.rows, 400);
        assert_eq!(
            ds.column("date").map(|c| c.column_type()).ok(),
            Some(ColumnType::Date)
        );
    }
}
