//! Small fixed tables for chart tests. The amounts are rounded, illustrative figures in the
//! spirit of the 2026 finance bill (LFI 2026), not official data.

#![allow(dead_code)] // Reason: each test binary uses a different subset of the fixtures.

use loupe::core::column::ColumnType;
use loupe::core::query::{QueryResult, ResultColumn};
use loupe::core::value::Value;

pub fn col(name: &str, ty: ColumnType) -> ResultColumn {
    ResultColumn {
        name: name.to_string(),
        ty,
    }
}

pub fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// Euros with cents, exact.
pub fn euros(v: f64) -> Value {
    Value::Decimal {
        units: (v * 100.0).round() as i64,
        scale: 2,
    }
}

/// Credits of payment (CP) by mission, in euros; one row has a null amount.
pub fn missions() -> QueryResult {
    let rows = [
        ("Enseignement scolaire", Some(64.5e9)),
        ("Défense", Some(57.1e9)),
        ("Recherche et enseignement supérieur", Some(31.6e9)),
        ("Solidarité, insertion et égalité des chances", Some(30.4e9)),
        ("Écologie, développement et mobilité durables", Some(21.9e9)),
        ("Cohésion des territoires", Some(18.2e9)),
        ("Sécurités", Some(16.9e9)),
        (
            "Travail, emploi et administration des ministères sociaux",
            Some(17.3e9),
        ),
        ("Justice", Some(10.4e9)),
        ("Culture", Some(3.7e9)),
        ("Sport, jeunesse et vie associative", None),
        ("Outre-mer", Some(2.9e9)),
    ];
    QueryResult {
        columns: vec![
            col("mission", ColumnType::Text),
            col("credits_cp", ColumnType::Decimal),
        ],
        rows: rows
            .iter()
            .map(|(m, v)| vec![text(m), v.map_or(Value::Null, euros)])
            .collect(),
    }
}

/// A few small amounts, to see the compact format on labels (`12,3 M€`).
pub fn small_programmes() -> QueryResult {
    let rows = [
        ("Programme 101", 12.3e6),
        ("Programme 166", 8.75e6),
        ("Programme 310", 4.2e6),
        ("Programme 335", 0.95e6),
    ];
    QueryResult {
        columns: vec![
            col("programme", ColumnType::Text),
            col("montant", ColumnType::Decimal),
        ],
        rows: rows.iter().map(|(m, v)| vec![text(m), euros(*v)]).collect(),
    }
}

/// Interest on the State debt by year (euros).
pub fn debt_interest() -> QueryResult {
    let rows = [
        (2019, 40.3e9),
        (2020, 36.2e9),
        (2021, 38.1e9),
        (2022, 50.7e9),
        (2023, 52.2e9),
        (2024, 58.1e9),
        (2025, 62.3e9),
        (2026, 70.4e9),
    ];
    QueryResult {
        columns: vec![
            col("annee", ColumnType::Integer),
            col("charge_dette", ColumnType::Decimal),
        ],
        rows: rows
            .iter()
            .map(|(y, v)| vec![Value::Int(*y), euros(*v)])
            .collect(),
    }
}

/// CP by mission and by title of expenditure (personnel, operating, investment, transfers).
pub fn missions_by_title() -> QueryResult {
    let data = [
        ("Enseignement scolaire", [58.9e9, 2.1e9, 0.3e9, 3.2e9]),
        ("Défense", [23.4e9, 12.8e9, 18.1e9, 2.8e9]),
        ("Recherche", [0.4e9, 1.0e9, 0.5e9, 29.7e9]),
        ("Justice", [6.2e9, 2.7e9, 1.2e9, 0.3e9]),
        ("Culture", [0.7e9, 0.5e9, 0.4e9, 2.1e9]),
    ];
    let titles = [
        "Personnel",
        "Fonctionnement",
        "Investissement",
        "Intervention",
    ];
    let mut rows = Vec::new();
    for (m, values) in data {
        for (t, v) in titles.iter().zip(values) {
            rows.push(vec![text(m), text(t), euros(v)]);
        }
    }
    QueryResult {
        columns: vec![
            col("mission", ColumnType::Text),
            col("titre", ColumnType::Text),
            col("credits_cp", ColumnType::Decimal),
        ],
        rows,
    }
}

/// 80 subsidy amounts between about 2 000 € and 180 000 €, from a fixed pseudo-random sequence.
pub fn subsidies() -> QueryResult {
    let mut state: u64 = 42;
    let mut rows = Vec::new();
    for i in 0..80 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let u = (state >> 33) as f64 / (1u64 << 31) as f64;
        // Skewed towards small amounts, as subsidies are.
        let v = 2_000.0 + 178_000.0 * u * u;
        let cell = if i == 7 {
            Value::Null
        } else {
            euros(v.round())
        };
        rows.push(vec![text(&format!("Association {i}")), cell]);
    }
    QueryResult {
        columns: vec![
            col("beneficiaire", ColumnType::Text),
            col("montant", ColumnType::Decimal),
        ],
        rows,
    }
}

/// Population and operating budget of a few communes.
pub fn communes() -> QueryResult {
    let rows = [
        ("Rennes", 227_830, 402e6),
        ("Brest", 139_926, 231e6),
        ("Quimper", 63_283, 98e6),
        ("Lorient", 57_149, 104e6),
        ("Vannes", 54_420, 86e6),
        ("Saint-Malo", 47_255, 95e6),
        ("Saint-Brieuc", 43_935, 71e6),
        ("Lanester", 22_929, 33e6),
        ("Fougères", 20_418, 31e6),
        ("Concarneau", 20_692, 37e6),
        ("Vitré", 18_925, 28e6),
        ("Lannion", 20_042, 34e6),
    ];
    QueryResult {
        columns: vec![
            col("commune", ColumnType::Text),
            col("population", ColumnType::Integer),
            col("budget_fonctionnement", ColumnType::Decimal),
        ],
        rows: rows
            .iter()
            .map(|(c, p, b)| vec![text(c), Value::Int(*p), euros(*b)])
            .collect(),
    }
}

/// One row, one number: the total of CP.
pub fn total() -> QueryResult {
    QueryResult {
        columns: vec![col("total_credits_cp", ColumnType::Decimal)],
        rows: vec![vec![euros(580_123_456_789.0)]],
    }
}

/// The missions table with no rows.
pub fn empty() -> QueryResult {
    QueryResult {
        rows: Vec::new(),
        ..missions()
    }
}
