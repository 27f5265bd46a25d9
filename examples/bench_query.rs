//! Times the four reference queries of the query engine on a 1M-row, in-memory dataset shaped
//! like the state budget (exercice, region, ministere, programme, nature_depense, montant).
//!
//! Run with `cargo run --release --example bench_query [rows]`.

use std::time::Instant;

use loupe::core::query::{run, Query};
use loupe::core::{Column, ColumnData, Dataset, NullMask};

/// A small deterministic generator (Knuth's MMIX LCG constants), so runs are comparable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn text(name: &str, dict: Vec<String>, rows: usize, rng: &mut Lcg) -> Column {
    let n = dict.len() as u64;
    let codes = (0..rows).map(|_| rng.next(n) as u32).collect();
    Column::new(
        name,
        ColumnData::Text {
            codes,
            dict: dict.into(),
        },
        NullMask::all_valid(rows),
    )
}

fn dataset(rows: usize) -> Dataset {
    let mut rng = Lcg(42);
    let regions = [
        "Auvergne-Rhône-Alpes",
        "Bourgogne-Franche-Comté",
        "Bretagne",
        "Centre-Val de Loire",
        "Corse",
        "Grand Est",
        "Hauts-de-France",
        "Île-de-France",
        "Normandie",
        "Nouvelle-Aquitaine",
        "Occitanie",
        "Pays de la Loire",
        "Provence-Alpes-Côte d'Azur",
    ];
    let exercice = (0..rows).map(|_| 2015 + rng.next(10) as i64).collect();
    let units = (0..rows).map(|_| rng.next(100_000_000) as i64).collect();
    Dataset::from_columns(vec![
        Column::new(
            "exercice",
            ColumnData::Integer(exercice),
            NullMask::all_valid(rows),
        ),
        text(
            "region",
            regions.iter().map(|s| s.to_string()).collect(),
            rows,
            &mut rng,
        ),
        text(
            "ministere",
            (0..30).map(|i| format!("Ministère {i:02}")).collect(),
            rows,
            &mut rng,
        ),
        text(
            "programme",
            (0..200).map(|i| format!("P{:03}", 100 + i)).collect(),
            rows,
            &mut rng,
        ),
        text(
            "nature_depense",
            (0..10).map(|i| format!("Titre {i}")).collect(),
            rows,
            &mut rng,
        ),
        Column::new(
            "montant",
            ColumnData::Decimal { units, scale: 2 },
            NullMask::all_valid(rows),
        ),
    ])
}

fn time(label: &str, ds: &Dataset, spec: &str) {
    let q: Query = match serde_json::from_str(spec) {
        Ok(q) => q,
        Err(e) => return println!("{label}: bad spec: {e}"),
    };
    let mut best = f64::INFINITY;
    let mut out = 0;
    for _ in 0..7 {
        let t = Instant::now();
        match run(ds, &q) {
            Ok(r) => out = r.rows.len(),
            Err(e) => return println!("{label}: {e}"),
        }
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!("{label:<48} {best:8.2} ms  ({out} rows)");
}

fn main() {
    let rows = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let ds = dataset(rows);
    println!("{rows} rows, best of 7");
    time(
        "filter exercice=2020 AND region='Bretagne'",
        &ds,
        r#"{"filter":[{"column":"exercice","op":"in","values":[2020]},{"column":"region","op":"in","values":["Bretagne"]}],"limit":0}"#,
    );
    time(
        "filter (materialising every matching row)",
        &ds,
        r#"{"filter":[{"column":"exercice","op":"in","values":[2020]},{"column":"region","op":"in","values":["Bretagne"]}]}"#,
    );
    time(
        "group ministere: sum, count, sort by sum desc",
        &ds,
        r#"{"group_by":["ministere"],"aggregates":[{"op":"sum","column":"montant","as":"total"},{"op":"count","as":"n"}],"sort":[{"column":"total","desc":true}]}"#,
    );
    time(
        "exercice x nature_depense sum (group_by two)",
        &ds,
        r#"{"group_by":["exercice","nature_depense"],"aggregates":[{"op":"sum","column":"montant"}]}"#,
    );
    time(
        "pivot exercice x nature_depense sum",
        &ds,
        r#"{"pivot":{"rows":"exercice","columns":"nature_depense","value":{"op":"sum","column":"montant"}}}"#,
    );
    time(
        "distinct programme, sorted",
        &ds,
        r#"{"group_by":["programme"],"sort":[{"column":"programme"}]}"#,
    );
}
