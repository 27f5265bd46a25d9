//! Joins, as a specification: table-driven cases for the lookup semantics and each key repair,
//! the three bundled dataset pairs checked against an independent naive computation over the
//! raw CSV text, and a property test against a nested-loop join. Native only (proptest does
//! not build for wasm32, and the bundled files are read from disk).

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{HashMap, HashSet};

use loupe::core::ingest::{read, IngestOptions};
use loupe::core::query::join::{
    join, preview, propose_keys, JoinHow, JoinReport, JoinSpec, Relation, Repair,
};
use loupe::core::{Column, ColumnData, Dataset, NullMask, Value};

fn mask(valid: impl Iterator<Item = bool>) -> NullMask {
    let mut m = NullMask::with_capacity(0);
    for v in valid {
        m.push(v);
    }
    m
}

/// A text column; the dictionary is built in first-appearance order.
fn text(name: &str, vals: &[Option<&str>]) -> Column {
    let mut dict: Vec<String> = Vec::new();
    let codes = vals
        .iter()
        .map(|v| match v {
            None => 0,
            Some(s) => match dict.iter().position(|d| d == s) {
                Some(i) => i as u32,
                None => {
                    dict.push(s.to_string());
                    dict.len() as u32 - 1
                }
            },
        })
        .collect();
    Column::new(
        name,
        ColumnData::Text {
            codes,
            dict: dict.into(),
        },
        mask(vals.iter().map(Option::is_some)),
    )
}

fn int(name: &str, vals: &[Option<i64>]) -> Column {
    let data = vals.iter().map(|v| v.unwrap_or(0)).collect();
    Column::new(
        name,
        ColumnData::Integer(data),
        mask(vals.iter().map(Option::is_some)),
    )
}

fn spec(left: &[&str], right: &[&str], how: JoinHow, repairs: &[Repair]) -> JoinSpec {
    JoinSpec {
        left_on: left.iter().map(|s| s.to_string()).collect(),
        right_on: right.iter().map(|s| s.to_string()).collect(),
        how,
        repairs: repairs.to_vec(),
    }
}

/// Joins and checks that the preview gives the very same report.
fn run(left: &Dataset, right: &Dataset, spec: &JoinSpec) -> (Dataset, JoinReport) {
    let (ds, report) = join(left, right, spec).unwrap_or_else(|e| panic!("{e}"));
    let pre = preview(left, right, spec).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pre, report, "preview == join's report");
    (ds, report)
}

fn texts(ds: &Dataset, col: &str) -> Vec<Option<String>> {
    let c = ds.column(col).unwrap_or_else(|e| panic!("{e}"));
    (0..ds.rows)
        .map(|r| c.text(r).map(str::to_string))
        .collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn left_keeps_every_row_in_order_and_inner_only_matches() {
    let left = Dataset::from_columns(vec![
        text(
            "commune",
            &[Some("35238"), Some("01053"), None, Some("99999")],
        ),
        int("n", &[Some(1), Some(2), Some(3), Some(4)]),
    ]);
    let right = Dataset::from_columns(vec![
        text("COM", &[Some("35238"), Some("01053")]),
        text("nom", &[Some("Rennes"), Some("Bourg-en-Bresse")]),
    ]);
    let (ds, rep) = run(
        &left,
        &right,
        &spec(&["commune"], &["COM"], JoinHow::Left, &[]),
    );
    assert_eq!(ds.rows, 4);
    assert_eq!(
        texts(&ds, "nom"),
        [s("Rennes"), s("Bourg-en-Bresse"), None, None]
    );
    assert_eq!((rep.matched, rep.unmatched), (2, 2));
    assert_eq!(rep.unmatched_examples, ["99999"]);
    assert!((rep.match_rate - 0.5).abs() < 1e-12);
    assert_eq!((rep.relation, rep.right_rows_used), (Relation::OneToOne, 2));
    let (ds, _) = run(
        &left,
        &right,
        &spec(&["commune"], &["COM"], JoinHow::Inner, &[]),
    );
    assert_eq!(ds.rows, 2);
    assert_eq!(ds.column("n").map(|c| c.value(1)), Ok(Value::Int(2)));
    assert_eq!(texts(&ds, "nom"), [s("Rennes"), s("Bourg-en-Bresse")]);
}

#[test]
fn nulls_never_match_and_are_not_duplicate_keys() {
    let left = Dataset::from_columns(vec![text("k", &[None, Some("a"), None])]);
    let right = Dataset::from_columns(vec![
        text("k", &[None, Some("a"), None]),
        text("v", &[Some("null 1"), Some("A"), Some("null 2")]),
    ]);
    let (ds, rep) = run(&left, &right, &spec(&["k"], &["k"], JoinHow::Left, &[]));
    assert_eq!(
        (rep.matched, rep.unmatched, rep.duplicate_right_keys),
        (1, 2, 0)
    );
    assert!(
        rep.unmatched_examples.is_empty(),
        "a null key is no example"
    );
    assert_eq!(texts(&ds, "v"), [None, s("A"), None]);
}

#[test]
fn duplicate_right_keys_are_counted_and_the_first_row_wins() {
    let right = Dataset::from_columns(vec![
        text(
            "k",
            &[Some("a"), Some("b"), Some("a"), Some("c"), Some("c")],
        ),
        text(
            "v",
            &[Some("a1"), Some("b"), Some("a2"), Some("c1"), Some("c2")],
        ),
    ]);
    // (left keys, expected values, relation, right rows used)
    type Case<'a> = (
        &'a [Option<&'a str>],
        &'a [Option<&'a str>],
        Relation,
        usize,
    );
    let cases: [Case; 4] = [
        (&[Some("a")], &[Some("a1")], Relation::OneToMany, 1),
        (
            &[Some("b"), Some("b")],
            &[Some("b"), Some("b")],
            Relation::ManyToOne,
            1,
        ),
        (&[Some("b")], &[Some("b")], Relation::OneToOne, 1),
        (
            &[Some("c"), Some("b"), Some("z")],
            &[Some("c1"), Some("b"), None],
            Relation::OneToMany,
            2,
        ),
    ];
    for (keys, want, relation, used) in cases {
        let left = Dataset::from_columns(vec![text("k", keys)]);
        let (ds, rep) = run(&left, &right, &spec(&["k"], &["k"], JoinHow::Left, &[]));
        let want: Vec<Option<String>> = want.iter().map(|v| v.map(str::to_string)).collect();
        assert_eq!(texts(&ds, "v"), want, "{keys:?}");
        assert_eq!(rep.duplicate_right_keys, 2, "{keys:?}");
        assert_eq!(
            (rep.relation, rep.right_rows_used),
            (relation, used),
            "{keys:?}"
        );
        assert_eq!(ds.rows, keys.len(), "rows are never multiplied");
    }
}

#[test]
fn several_key_columns_must_all_match() {
    let left = Dataset::from_columns(vec![
        text(
            "dep",
            &[Some("01"), Some("01"), Some("02"), Some("001"), None],
        ),
        text(
            "num",
            &[
                Some("001"),
                Some("002"),
                Some("01"),
                Some("01"),
                Some("001"),
            ],
        ),
    ]);
    let right = Dataset::from_columns(vec![
        text("DEP", &[Some("01"), Some("02"), Some("01")]),
        text("NUM", &[Some("001"), Some("001"), Some("002")]),
        text("nom", &[Some("x"), Some("y"), Some("z")]),
    ]);
    let sp = spec(&["dep", "num"], &["DEP", "NUM"], JoinHow::Left, &[]);
    let (ds, rep) = run(&left, &right, &sp);
    assert_eq!(texts(&ds, "nom"), [s("x"), s("z"), None, None, None]);
    assert_eq!((rep.matched, rep.unmatched), (2, 3));
    assert_eq!(rep.unmatched_examples, ["02 | 01", "001 | 01"]);
    let names: Vec<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["dep", "num", "nom"],
        "right key columns are not repeated"
    );
}

#[test]
fn name_clashes_get_suffixes_and_integers_match_their_digits() {
    let left = Dataset::from_columns(vec![
        int("code", &[Some(35238), Some(1053)]),
        text("nom", &[Some("l"), Some("l")]),
        text("nom_2", &[Some("l2"), Some("l2")]),
    ]);
    let right = Dataset::from_columns(vec![
        text("code", &[Some("35238"), Some("01053")]),
        text("nom", &[Some("Rennes"), Some("Bourg")]),
    ]);
    let (ds, rep) = run(
        &left,
        &right,
        &spec(&["code"], &["code"], JoinHow::Left, &[]),
    );
    let names: Vec<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["code", "nom", "nom_2", "nom_2_2"]);
    assert_eq!(texts(&ds, "nom_2_2"), [s("Rennes"), None]);
    assert_eq!(rep.unmatched_examples, ["1053"]);
    assert_eq!(rep.repairs.len(), 1);
    assert_eq!(
        (rep.repairs[0].repair, rep.repairs[0].matched),
        (Repair::PadZeros, 2)
    );
}

/// (left keys, right keys, repairs, expected right key picked per left row)
type RepairCase = (
    &'static [&'static str],
    &'static [&'static str],
    &'static [Repair],
    &'static [Option<&'static str>],
);

const REPAIR_CASES: [RepairCase; 10] = [
    // Lost leading zeros: commune 1053 -> 01053, département 9 -> 09.
    (
        &["1053", "35238"],
        &["01053", "35238"],
        &[Repair::PadZeros],
        &[Some("01053"), Some("35238")],
    ),
    (
        &["9", "971"],
        &["09", "971"],
        &[Repair::PadZeros],
        &[Some("09"), Some("971")],
    ),
    (&["1053"], &["01053"], &[], &[None]),
    // A key that matches as is is never rewritten.
    (
        &["1053"],
        &["1053", "01053"],
        &[Repair::PadZeros],
        &[Some("1053")],
    ),
    // Corsica: 20xxx is whichever of 2A/2B the right side has; 2A/2B -> 20 the other way.
    (
        &["20004", "20033", "2a004"],
        &["2A004", "2B033"],
        &[Repair::Corsica],
        &[Some("2A004"), Some("2B033"), Some("2A004")],
    ),
    (
        &["2A004", "2B"],
        &["20004", "20"],
        &[Repair::Corsica],
        &[Some("20004"), Some("20")],
    ),
    // Département 20 is ambiguous when both halves exist, and clear when only one does.
    (&["20"], &["2A", "2B"], &[Repair::Corsica], &[None]),
    (&["20"], &["2B"], &[Repair::Corsica], &[Some("2B")]),
    // SIRET -> SIREN.
    (
        &["21350238800019", "12345678901234"],
        &["213502388"],
        &[Repair::SiretToSiren],
        &[Some("213502388"), None],
    ),
    (&["21350238800019"], &["213502388"], &[], &[None]),
];

#[test]
fn each_repair_rewrites_only_unmatched_keys_into_present_ones() {
    for (lk, rk, repairs, want) in REPAIR_CASES {
        let lk: Vec<Option<&str>> = lk.iter().map(|k| Some(*k)).collect();
        let rk: Vec<Option<&str>> = rk.iter().map(|k| Some(*k)).collect();
        let left = Dataset::from_columns(vec![text("k", &lk)]);
        let right = Dataset::from_columns(vec![text("K", &rk), text("picked", &rk)]);
        let (ds, rep) = run(&left, &right, &spec(&["k"], &["K"], JoinHow::Left, repairs));
        let want: Vec<Option<String>> = want.iter().map(|v| v.map(str::to_string)).collect();
        assert_eq!(
            texts(&ds, "picked"),
            want,
            "{lk:?} x {rk:?} with {repairs:?}"
        );
        let matched = want.iter().filter(|w| w.is_some()).count();
        assert_eq!(rep.matched, matched, "{lk:?} with {repairs:?}");
    }
}

#[test]
fn the_report_offers_the_missing_repairs_with_their_effect() {
    let left = Dataset::from_columns(vec![text(
        "k",
        &[
            Some("1053"),
            Some("20004"),
            Some("21350238800019"),
            Some("35238"),
        ],
    )]);
    let right = Dataset::from_columns(vec![text(
        "K",
        &[
            Some("01053"),
            Some("2A004"),
            Some("213502388"),
            Some("35238"),
        ],
    )]);
    let rep = preview(&left, &right, &spec(&["k"], &["K"], JoinHow::Left, &[]))
        .unwrap_or_else(|e| panic!("{e}"));
    let effects: Vec<(Repair, usize)> = rep.repairs.iter().map(|e| (e.repair, e.matched)).collect();
    assert_eq!(
        effects,
        [
            (Repair::PadZeros, 2),
            (Repair::Corsica, 2),
            (Repair::SiretToSiren, 2)
        ]
    );
    let all = spec(&["k"], &["K"], JoinHow::Left, &Repair::ALL);
    let rep = preview(&left, &right, &all).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (rep.matched, rep.match_rate, rep.repairs.len()),
        (4, 1.0, 0)
    );
}

#[test]
fn bad_specs_are_errors_not_panics() {
    let ds = Dataset::from_columns(vec![text("k", &[Some("a")])]);
    assert!(join(&ds, &ds, &JoinSpec::default()).is_err());
    assert!(preview(&ds, &ds, &spec(&["k"], &[], JoinHow::Left, &[])).is_err());
    assert!(join(&ds, &ds, &spec(&["nope"], &["k"], JoinHow::Left, &[])).is_err());
    let empty = Dataset::from_columns(vec![text("k", &[])]);
    let (out, rep) = run(&empty, &ds, &spec(&["k"], &["k"], JoinHow::Left, &[]));
    assert_eq!((out.rows, rep.match_rate), (0, 1.0));
}

// ---------------------------------------------------------------------------------------------
// Bundled pairs, checked against a naive computation over the raw CSV text.

fn data_path(file: &str) -> String {
    format!("{}/www/data/{file}", env!("CARGO_MANIFEST_DIR"))
}

fn load(file: &str) -> Dataset {
    let bytes = std::fs::read(data_path(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    read(&bytes, &IngestOptions::default()).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The raw text of one column, read with the csv crate (BOM stripped from the header).
fn raw_column(file: &str, delimiter: u8, name: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(data_path(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    let headers = rdr.headers().cloned().unwrap_or_else(|e| panic!("{e}"));
    let i = headers
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == name)
        .unwrap_or_else(|| panic!("{file}: no column {name}"));
    rdr.records()
        .map(|r| r.map(|r| r.get(i).unwrap_or("").to_string()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// (matched left rows, left rows, right keys present more than once), computed naively.
fn naive(left: &[String], right: &[String], siret_to_siren: bool) -> (usize, usize, usize) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for k in right.iter().filter(|k| !k.is_empty()) {
        *counts.entry(k).or_default() += 1;
    }
    let matched = left
        .iter()
        .filter(|k| {
            !k.is_empty()
                && (counts.contains_key(k.as_str())
                    || (siret_to_siren && k.len() == 14 && counts.contains_key(&k[..9])))
        })
        .count();
    (
        matched,
        left.len(),
        counts.values().filter(|&&n| n > 1).count(),
    )
}

struct Pair {
    left: (&'static str, u8, &'static str),
    right: (&'static str, &'static str),
    repairs: &'static [Repair],
    relation: Relation,
}

fn check_pair(p: &Pair) -> JoinReport {
    let (lfile, ldelim, lcol) = p.left;
    let (rfile, rcol) = p.right;
    let (left, right) = (load(lfile), load(rfile));
    let sp = spec(&[lcol], &[rcol], JoinHow::Left, p.repairs);
    let (ds, rep) = run(&left, &right, &sp);
    let (matched, rows, dups) = naive(
        &raw_column(lfile, ldelim, lcol),
        &raw_column(rfile, b',', rcol),
        !p.repairs.is_empty(),
    );
    assert_eq!(
        (
            rep.matched,
            rep.matched + rep.unmatched,
            rep.duplicate_right_keys
        ),
        (matched, rows, dups),
        "{lfile} x {rfile}: engine vs naive"
    );
    assert_eq!(rep.match_rate, matched as f64 / rows as f64);
    assert_eq!(rep.relation, p.relation, "{lfile} x {rfile}");
    assert_eq!(ds.rows, left.rows);
    let best = propose_keys(&left, &right);
    let first = best
        .first()
        .unwrap_or_else(|| panic!("{lfile}: no proposal"));
    assert_eq!(
        (
            first.left.as_str(),
            first.right.as_str(),
            first.repairs.as_slice()
        ),
        (lcol, rcol, p.repairs),
        "{lfile} x {rfile}: best proposal among {best:?}"
    );
    println!(
        "{lfile} x {rfile}: {matched}/{rows} = {:.4} (naive {matched}/{rows}), {dups} duplicate right keys, {:?}",
        rep.match_rate, rep.relation
    );
    rep
}

#[test]
fn decp_buyers_join_the_siren_of_local_authorities() {
    // acheteur_id is the buyer's 14-digit SIRET; its first 9 digits are the SIREN. About half
    // of the buyers are communes (the others are départements, hospitals, public bodies...).
    let rep = check_pair(&Pair {
        left: ("decp_2024h2_travaux.csv", b',', "acheteur_id"),
        right: ("siren_communes_2022.csv", "SIREN"),
        repairs: &[Repair::SiretToSiren],
        relation: Relation::ManyToOne,
    });
    assert_eq!((rep.matched, rep.unmatched), (4351, 4606));
    let (left, right) = (
        load("decp_2024h2_travaux.csv"),
        load("siren_communes_2022.csv"),
    );
    let without = preview(
        &left,
        &right,
        &spec(&["acheteur_id"], &["SIREN"], JoinHow::Left, &[]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(without.matched, 0, "a SIRET never equals a SIREN");
    let offer = without
        .repairs
        .iter()
        .find(|e| e.repair == Repair::SiretToSiren);
    assert_eq!(offer.map(|e| e.matched), Some(4351));
    let (ds, _) = run(
        &left,
        &right,
        &spec(
            &["acheteur_id"],
            &["SIREN"],
            JoinHow::Inner,
            &[Repair::SiretToSiren],
        ),
    );
    assert_eq!(ds.rows, 4351);
    assert!(
        ds.column("nom").is_ok() && ds.column("COG").is_ok(),
        "the buyer's name and commune"
    );
}

#[test]
fn ofgl_accounts_join_insee_communes() {
    // COM is unique only among TYPECOM=COM rows: delegated and associated communes reuse
    // codes, so the right side has 574 duplicate keys, none of them in Guadeloupe. Several
    // OFGL rows (one per budget aggregate) share a commune: many-to-one.
    let rep = check_pair(&Pair {
        left: (
            "ofgl_communes_guadeloupe_2024.csv",
            b';',
            "Code Insee 2024 Commune",
        ),
        right: ("insee_communes_2022.csv", "COM"),
        repairs: &[],
        relation: Relation::ManyToOne,
    });
    assert_eq!((rep.matched, rep.duplicate_right_keys), (2505, 574));
}

#[test]
fn local_tax_rates_join_commune_population() {
    // One tax-rate row per commune, one population row per commune: one-to-one; the 97
    // unmatched communes merged or split between the two vintages.
    let rep = check_pair(&Pair {
        left: ("taux_th_communes_2022.csv", b',', "code_insee_commune"),
        right: ("communes_population.csv", "code_commune"),
        repairs: &[],
        relation: Relation::OneToOne,
    });
    assert_eq!((rep.matched, rep.unmatched), (34863, 97));
    assert_eq!(
        rep.unmatched_examples.first().map(String::as_str),
        Some("01039")
    );
}

#[test]
fn names_alone_propose_keys_when_no_kind_was_detected() {
    let left = Dataset::from_columns(vec![
        text("Code_Commune", &[Some("x1"), Some("x2"), Some("x3")]),
        text("montant", &[Some("1"), Some("2"), Some("3")]),
    ]);
    let right = Dataset::from_columns(vec![
        text("COG", &[Some("x1"), Some("x2"), Some("x9")]),
        text("libellé", &[Some("a"), Some("b"), Some("c")]),
    ]);
    let p = propose_keys(&left, &right);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        (
            p[0].left.as_str(),
            p[0].right.as_str(),
            p[0].reason.as_str()
        ),
        ("Code_Commune", "COG", "noms proches")
    );
    assert!((p[0].match_rate - 2.0 / 3.0).abs() < 1e-12);
    let unrelated: HashSet<String> = propose_keys(&right, &right)
        .into_iter()
        .map(|p| p.left)
        .collect();
    assert!(unrelated.contains("COG"));
}

// ---------------------------------------------------------------------------------------------
// Property: the engine agrees with a nested-loop join on random small tables.

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Text keys, chosen so that some equal an integer's digits and some do not (`01`).
    const WORDS: [&str; 5] = ["0", "1", "01", "2", "a"];

    /// One key column: as text or as integers, values by index (`None` = null).
    #[derive(Debug, Clone)]
    struct KeyCol {
        as_int: bool,
        vals: Vec<Option<usize>>,
    }

    impl KeyCol {
        fn canonical(&self, row: usize) -> Option<String> {
            self.vals[row].map(|i| {
                if self.as_int {
                    i.to_string()
                } else {
                    WORDS[i].to_string()
                }
            })
        }

        fn column(&self, name: &str) -> Column {
            if self.as_int {
                let v: Vec<Option<i64>> = self.vals.iter().map(|v| v.map(|i| i as i64)).collect();
                int(name, &v)
            } else {
                let v: Vec<Option<&str>> = self.vals.iter().map(|v| v.map(|i| WORDS[i])).collect();
                text(name, &v)
            }
        }
    }

    fn table(keys: usize, rows: std::ops::Range<usize>) -> impl Strategy<Value = Vec<KeyCol>> {
        rows.prop_flat_map(move |n| {
            proptest::collection::vec(
                (
                    any::<bool>(),
                    proptest::collection::vec(proptest::option::weighted(0.85, 0..5usize), n),
                )
                    .prop_map(|(as_int, vals)| KeyCol { as_int, vals }),
                keys,
            )
        })
    }

    fn tables() -> impl Strategy<Value = (Vec<KeyCol>, Vec<KeyCol>)> {
        (1..=2usize).prop_flat_map(|k| (table(k, 0..14), table(k, 0..14)))
    }

    fn dataset(cols: &[KeyCol], prefix: &str, with_row: bool) -> Dataset {
        let mut out: Vec<Column> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| c.column(&format!("{prefix}{i}")))
            .collect();
        if with_row {
            let n = cols.first().map_or(0, |c| c.vals.len());
            let rows: Vec<Option<i64>> = (0..n as i64).map(Some).collect();
            out.push(int("right_row", &rows));
        }
        Dataset::from_columns(out)
    }

    fn key(cols: &[KeyCol], row: usize) -> Option<Vec<String>> {
        cols.iter().map(|c| c.canonical(row)).collect()
    }

    proptest! {
        #[test]
        fn join_agrees_with_a_nested_loop((l, r) in tables(), inner in any::<bool>()) {
            let (left, right) = (dataset(&l, "l", false), dataset(&r, "r", true));
            let names = |p: &str| (0..l.len()).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
            let how = if inner { JoinHow::Inner } else { JoinHow::Left };
            let sp = JoinSpec { left_on: names("l"), right_on: names("r"), how, repairs: vec![] };
            let (ds, rep) = run(&left, &right, &sp);

            // Naive: the first right row with an equal, non-null key.
            let (nl, nr) = (left.rows, right.rows);
            let hits: Vec<Option<usize>> = (0..nl)
                .map(|i| key(&l, i).and_then(|k| (0..nr).find(|&j| key(&r, j).as_ref() == Some(&k))))
                .collect();
            let matched = hits.iter().filter(|h| h.is_some()).count();
            prop_assert_eq!((rep.matched, rep.unmatched), (matched, nl - matched));
            let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
            for j in 0..nr {
                if let Some(k) = key(&r, j) {
                    *seen.entry(k).or_default() += 1;
                }
            }
            prop_assert_eq!(rep.duplicate_right_keys, seen.values().filter(|&&n| n > 1).count());
            let used: HashSet<usize> = hits.iter().flatten().copied().collect();
            prop_assert_eq!(rep.right_rows_used, used.len());

            let want: Vec<Value> = hits
                .iter()
                .filter(|h| !inner || h.is_some())
                .map(|h| h.map_or(Value::Null, |j| Value::Int(j as i64)))
                .collect();
            let col = ds.column("right_row").map_err(|e| TestCaseError::fail(e.to_string()))?;
            let got: Vec<Value> = (0..ds.rows).map(|i| col.value(i)).collect();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn repairs_never_lose_a_match(
            (l, r) in tables(),
            repairs in proptest::sample::subsequence(Repair::ALL.to_vec(), 0..=3),
        ) {
            let (left, right) = (dataset(&l, "l", false), dataset(&r, "r", false));
            let names = |p: &str| (0..l.len()).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
            let plain = JoinSpec { left_on: names("l"), right_on: names("r"), ..JoinSpec::default() };
            let repaired = JoinSpec { repairs, ..plain.clone() };
            let a = preview(&left, &right, &plain).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let b = preview(&left, &right, &repaired).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(b.matched >= a.matched && b.matched <= left.rows);
        }
    }
}
