//! Ingest benchmark: generates a budget-like CSV (default 1M rows) in two dialects — `,` with
//! decimal points and `;` with decimal commas — and times `Loader` on each.
//!
//! `cargo run --release --example bench_ingest -- [ROWS]`

use std::fmt::Write as _;
use std::time::Instant;

use loupe::core::ingest::{IngestOptions, Loader};

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const REGIONS: [&str; 18] = [
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
    "Guadeloupe",
    "Martinique",
    "Guyane",
    "La Réunion",
    "Mayotte",
];
const NATURES: [&str; 6] = [
    "Personnel",
    "Fonctionnement",
    "Investissement",
    "Intervention",
    "Opérations financières",
    "Dotations",
];
const WORDS: [&str; 12] = [
    "subvention",
    "travaux",
    "marché",
    "\"entretien\"",
    "école",
    "routes, ponts",
    "santé",
    "culture",
    "équipement",
    "formation",
    "aide",
    "sécurité",
];

fn generate(rows: usize, semicolon: bool) -> Vec<u8> {
    let (d, dec) = if semicolon { (';', ',') } else { (',', '.') };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let ministeres: Vec<String> = (0..30)
        .map(|i| format!("Ministère n°{i} de l'action publique"))
        .collect();
    let mut s = String::with_capacity(rows * 175);
    let _ = writeln!(
        s,
        "exercice{d}ministere{d}programme{d}action{d}nature_depense{d}region{d}date_paiement{d}montant{d}quantite{d}libelle"
    );
    for _ in 0..rows {
        let year = 2015 + rng.below(10);
        let prog = 100 + rng.below(250);
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let cents = rng.below(100_000_000);
        let mut libelle = String::new();
        for k in 0..5 {
            if k > 0 {
                libelle.push(' ');
            }
            libelle.push_str(WORDS[rng.below(12) as usize]);
        }
        let libelle = format!("\"{}\"", libelle.replace('"', "\"\""));
        let quantite = if rng.below(100) == 0 {
            String::new()
        } else {
            rng.below(10_000).to_string()
        };
        let _ = writeln!(
            s,
            "{year}{d}{}{d}Programme {prog}{d}0{prog}-{:02}{d}{}{d}{}{d}{year}-{month:02}-{day:02}{d}{}{dec}{:02}{d}{quantite}{d}{libelle}",
            ministeres[rng.below(30) as usize],
            rng.below(20),
            NATURES[rng.below(6) as usize],
            REGIONS[rng.below(18) as usize],
            cents / 100,
            cents % 100,
        );
    }
    s.into_bytes()
}

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    for semicolon in [false, true] {
        let bytes = generate(rows, semicolon);
        let mb = bytes.len() as f64 / 1e6;
        let t = Instant::now();
        let loaded = Loader::new(bytes, IngestOptions::default()).and_then(|mut l| {
            while !l.is_done() {
                l.step(4 << 20);
            }
            l.finish()
        });
        let secs = t.elapsed().as_secs_f64();
        match loaded {
            Ok(ds) => {
                let schema: Vec<String> = ds
                    .columns
                    .iter()
                    .map(|c| format!("{}:{}", c.name, c.column_type().as_str()))
                    .collect();
                println!(
                    "{} variant: {rows} rows, {mb:.1} MB in {secs:.3} s = {:.0} MB/s, {:.0} rows/s, heap {:.0} MB",
                    if semicolon { "';' + decimal comma" } else { "',' + decimal point" },
                    mb / secs,
                    rows as f64 / secs,
                    ds.heap_bytes() as f64 / 1e6
                );
                println!(
                    "  delimiter {:?}, decimal {:?}, {}",
                    ds.report.delimiter,
                    ds.report.decimal_separator,
                    schema.join(" ")
                );
            }
            Err(e) => println!("error: {e}"),
        }
    }
}
