//! Times the join engine on a 1M-row dataset joined to a 40k-row commune reference table.
//!
//! The left side has a commune-code text column drawn from ~35k codes, 5 % of them written
//! without their leading zero (`1053` for `01053`), as a spreadsheet round trip leaves them.
//! Run with `cargo run --release --example bench_join [rows]`.

use std::time::Instant;

use loupe::core::query::join::{join, preview, propose_keys, JoinHow, JoinSpec, Repair};
use loupe::core::{Column, ColumnData, Dataset, KeyKind, NullMask};

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

fn text_col(name: &str, codes: Vec<u32>, dict: Vec<String>, key: Option<KeyKind>) -> Column {
    let n = codes.len();
    let mut c = Column::new(
        name,
        ColumnData::Text {
            codes: codes.into(),
            dict: dict.into(),
        },
        NullMask::all_valid(n),
    );
    c.key = key;
    c
}

/// 40k reference rows: 35k commune codes (`DDNNN`), then 5k repeated ones (delegated communes
/// reuse their parent's code, as in the INSEE file).
fn reference(rng: &mut Lcg) -> (Dataset, Vec<String>) {
    let codes: Vec<String> = (0..35_000)
        .map(|i| format!("{:02}{:03}", 1 + i / 370, i % 370 + 1))
        .collect();
    let rows = 40_000;
    let key_codes: Vec<u32> = (0..rows)
        .map(|i| {
            if i < 35_000 {
                i as u32
            } else {
                rng.next(35_000) as u32
            }
        })
        .collect();
    let names: Vec<String> = (0..rows).map(|i| format!("Commune {i}")).collect();
    let deps: Vec<String> = (1..=95).map(|d| format!("{d:02}")).collect();
    let dep_codes = key_codes.iter().map(|&c| c / 370).collect();
    let pop = (0..rows).map(|_| rng.next(100_000) as i64).collect();
    let ds = Dataset::from_columns(vec![
        text_col("COM", key_codes, codes.clone(), Some(KeyKind::InseeCommune)),
        text_col("LIBELLE", (0..rows as u32).collect(), names, None),
        text_col("DEP", dep_codes, deps, Some(KeyKind::Departement)),
        Column::new(
            "population",
            ColumnData::Integer(pop),
            NullMask::all_valid(rows),
        ),
    ]);
    (ds, codes)
}

/// `rows` left rows over the reference's codes; 5 % lost their leading zero.
fn left(rows: usize, codes: &[String], rng: &mut Lcg) -> Dataset {
    let mut dict: Vec<String> = codes.to_vec();
    let stripped: Vec<u32> = codes
        .iter()
        .map(|c| {
            dict.push(c.trim_start_matches('0').to_string());
            dict.len() as u32 - 1
        })
        .collect();
    let key = (0..rows)
        .map(|_| {
            let i = rng.next(codes.len() as u64) as usize;
            if rng.next(20) == 0 {
                stripped[i]
            } else {
                i as u32
            }
        })
        .collect();
    let units = (0..rows).map(|_| rng.next(100_000_000) as i64).collect();
    let years = (0..rows).map(|_| 2015 + rng.next(10) as i64).collect();
    Dataset::from_columns(vec![
        text_col("code_commune", key, dict, Some(KeyKind::InseeCommune)),
        Column::new(
            "exercice",
            ColumnData::Integer(years),
            NullMask::all_valid(rows),
        ),
        Column::new(
            "montant",
            ColumnData::Decimal { units, scale: 2 },
            NullMask::all_valid(rows),
        ),
    ])
}

/// Best of `n` runs, in milliseconds, with the last result.
fn time<T>(n: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..n {
        let t = Instant::now();
        out = Some(f());
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
    }
    match out {
        Some(v) => (best, v),
        None => panic!("n must be at least 1"),
    }
}

fn main() {
    let rows = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Lcg(42);
    let (right, codes) = reference(&mut rng);
    let left = left(rows, &codes, &mut rng);
    println!("left {} rows x right {} rows", left.rows, right.rows);
    let plain = JoinSpec {
        left_on: vec!["code_commune".into()],
        right_on: vec!["COM".into()],
        how: JoinHow::Left,
        repairs: Vec::new(),
    };
    let padded = JoinSpec {
        repairs: vec![Repair::PadZeros],
        ..plain.clone()
    };
    let inner = JoinSpec {
        how: JoinHow::Inner,
        ..padded.clone()
    };
    let report = |r: &loupe::core::query::JoinReport| {
        format!(
            "match {:.4} ({} / {}), dup right keys {}, {:?}, offers {:?}",
            r.match_rate,
            r.matched,
            r.unmatched,
            r.duplicate_right_keys,
            r.relation,
            r.repairs
                .iter()
                .map(|e| (e.repair, e.matched))
                .collect::<Vec<_>>()
        )
    };
    let (ms, r) = time(5, || preview(&left, &right, &plain));
    match r {
        Ok(r) => println!("preview (no repair)   {ms:8.1} ms  {}", report(&r)),
        Err(e) => println!("preview failed: {e}"),
    }
    let (ms, r) = time(5, || preview(&left, &right, &padded));
    match r {
        Ok(r) => println!("preview (pad zeros)   {ms:8.1} ms  {}", report(&r)),
        Err(e) => println!("preview failed: {e}"),
    }
    let (ms, r) = time(5, || join(&left, &right, &padded));
    match r {
        Ok((ds, _)) => println!(
            "join left (pad zeros) {ms:8.1} ms  -> {} rows, {} columns",
            ds.rows,
            ds.columns.len()
        ),
        Err(e) => println!("join failed: {e}"),
    }
    let (ms, r) = time(5, || join(&left, &right, &inner));
    match r {
        Ok((ds, _)) => println!("join inner (pad zeros){ms:8.1} ms  -> {} rows", ds.rows),
        Err(e) => println!("join failed: {e}"),
    }
    let (ms, p) = time(5, || propose_keys(&left, &right));
    let first = p.first().map(|p| {
        (
            p.left.as_str(),
            p.right.as_str(),
            p.repairs.clone(),
            p.match_rate,
        )
    });
    println!("propose_keys          {ms:8.1} ms  first {first:?}");
}
