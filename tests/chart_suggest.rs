//! The default chart for a table ([`suggest`]) and the sentence that goes with a chart
//! ([`summary_fr`], [`summary_en`]).

#[path = "common/fixtures.rs"]
mod fixtures;

use fixtures::{col, euros, text};
use loupe::chart::{suggest, summary_en, summary_fr, ChartKind, ChartSpec};
use loupe::core::column::ColumnType;
use loupe::core::query::QueryResult;
use loupe::core::value::Value;

fn table(columns: &[(&str, ColumnType)], rows: Vec<Vec<Value>>) -> QueryResult {
    QueryResult {
        columns: columns.iter().map(|(n, t)| col(n, *t)).collect(),
        rows,
    }
}

fn kind_xy(s: &ChartSpec) -> (ChartKind, Option<&str>, Option<&str>) {
    (s.kind.clone(), s.x.as_deref(), s.y.as_deref())
}

/// A table, the (kind, x, y) it should get, and the unit.
type Case = (
    QueryResult,
    (ChartKind, Option<&'static str>, Option<&'static str>),
    Option<&'static str>,
);

use ColumnType::{Date, Decimal, Float, Integer, Text};

#[test]
fn suggest_table() {
    let two = |a: Value, b: Value| vec![vec![a.clone(), b.clone()], vec![a, b]];
    let cases: Vec<Case> = vec![
        // A year column and an amount: a line over the years, in euros.
        (
            fixtures::debt_interest(),
            (ChartKind::Line, Some("annee"), Some("charge_dette")),
            Some("€"),
        ),
        // A category and an amount: a ranking.
        (
            fixtures::missions(),
            (ChartKind::Ranking, Some("mission"), Some("credits_cp")),
            Some("€"),
        ),
        // One row, one number: a big number.
        (
            fixtures::total(),
            (ChartKind::BigNumber, None, Some("total_credits_cp")),
            Some("€"),
        ),
        // Two numbers: a scatter, in column order.
        (
            table(
                &[("x", Float), ("y", Float)],
                two(Value::Float(1.0), Value::Float(2.0)),
            ),
            (ChartKind::Scatter, Some("x"), Some("y")),
            None,
        ),
        // One number only: a histogram.
        (
            table(
                &[("taux", Float)],
                vec![vec![Value::Float(0.1)], vec![Value::Float(0.2)]],
            ),
            (ChartKind::Histogram, None, Some("taux")),
            None,
        ),
        // A date column: a line.
        (
            table(
                &[("date", Date), ("valeur", Decimal)],
                two(Value::Date(19_000), euros(3.0)),
            ),
            (ChartKind::Line, Some("date"), Some("valeur")),
            None,
        ),
        // Integers between 1800 and 2200 with another measure: years, even without a year name.
        (
            table(
                &[("periode", Integer), ("nombre", Integer)],
                vec![
                    vec![Value::Int(2020), Value::Int(5)],
                    vec![Value::Int(2021), Value::Int(7)],
                ],
            ),
            (ChartKind::Line, Some("periode"), Some("nombre")),
            None,
        ),
        // The money column is preferred over a count.
        (
            table(
                &[("region", Text), ("nb", Integer), ("montant", Decimal)],
                two(text("Bretagne"), Value::Int(3))
                    .into_iter()
                    .map(|mut r| {
                        r.push(euros(10.0));
                        r
                    })
                    .collect(),
            ),
            (ChartKind::Ranking, Some("region"), Some("montant")),
            Some("€"),
        ),
        // Text only: a bar over the first column, with nothing to measure.
        (
            table(&[("nom", Text)], vec![vec![text("a")]]),
            (ChartKind::Bar, Some("nom"), None),
            None,
        ),
        // No columns at all.
        (table(&[], Vec::new()), (ChartKind::Bar, None, None), None),
    ];
    for (i, (t, want, unit)) in cases.iter().enumerate() {
        let s = suggest(t);
        assert_eq!(kind_xy(&s), *want, "case {i}");
        assert_eq!(s.unit.as_deref(), *unit, "case {i} unit");
    }
}

fn spec(kind: ChartKind, x: Option<&str>, y: &str) -> ChartSpec {
    ChartSpec {
        kind,
        x: x.map(str::to_string),
        y: Some(y.to_string()),
        unit: Some("€".into()),
        ..ChartSpec::default()
    }
}

/// `^` stands for U+202F (narrow no-break space), `~` for U+00A0 (no-break space).
fn nbsp(s: &str) -> String {
    s.replace('^', "\u{202F}").replace('~', "\u{A0}")
}

#[test]
fn summary_of_a_ranking_gives_the_leader_and_its_share() {
    let t = fixtures::missions();
    let s = spec(ChartKind::Ranking, Some("mission"), "credits_cp");
    assert_eq!(
        summary_fr(&s, &t),
        nbsp("Enseignement scolaire arrive en tête avec 64,5~Md€, soit 23,5~% du total de 275~Md€ (11 valeurs de «~mission~»).")
    );
    assert_eq!(
        summary_en(&s, &t),
        "Enseignement scolaire ranks first with €64.5B, 23.5% of the total of €275B (11 values of “mission”)."
    );
}

#[test]
fn summary_of_a_line_gives_the_change_and_the_peak() {
    let t = fixtures::debt_interest();
    let s = spec(ChartKind::Line, Some("annee"), "charge_dette");
    assert_eq!(
        summary_fr(&s, &t),
        nbsp("De 2019 à 2026, «~charge_dette~» passe de 40,3~Md€ à 70,4~Md€ (+74,7~%)^; maximum~: 70,4~Md€ en 2026.")
    );
    assert!(summary_en(&s, &t)
        .starts_with("From 2019 to 2026, “charge_dette” goes from €40.3B to €70.4B (+74.7%)"));
}

#[test]
fn summary_of_a_big_number() {
    let t = fixtures::total();
    let s = spec(ChartKind::BigNumber, None, "total_credits_cp");
    assert_eq!(summary_fr(&s, &t), nbsp("«~total_credits_cp~»~: 580~Md€."));
}

#[test]
fn summary_of_a_histogram() {
    let t = table(
        &[("montant", Decimal)],
        [10.0, 20.0, 30.0, 1000.0]
            .iter()
            .map(|v| vec![euros(*v)])
            .collect(),
    );
    let s = spec(ChartKind::Histogram, None, "montant");
    assert_eq!(
        summary_fr(&s, &t),
        nbsp("4 valeurs de «~montant~», de 10~€ à 1^000~€^; médiane~: 25~€.")
    );
}

#[test]
fn summary_of_a_scatter_reads_the_correlation() {
    let t = fixtures::communes();
    let s = spec(
        ChartKind::Scatter,
        Some("population"),
        "budget_fonctionnement",
    );
    let fr = summary_fr(&s, &t);
    assert!(
        fr.starts_with(&nbsp("12 points^; corrélation entre")),
        "{fr}"
    );
    assert!(fr.ends_with("(forte, positive)."), "{fr}");
}

#[test]
fn summary_with_negative_values_gives_no_share() {
    let t = table(
        &[("poste", Text), ("solde", Decimal)],
        vec![vec![text("A"), euros(5.0)], vec![text("B"), euros(-8.0)]],
    );
    let s = spec(ChartKind::Bar, Some("poste"), "solde");
    assert_eq!(
        summary_fr(&s, &t),
        nbsp("A arrive en tête avec 5~€ (2 valeurs de «~poste~»).")
    );
}

#[test]
fn summary_of_nothing() {
    let s = spec(ChartKind::Ranking, Some("mission"), "credits_cp");
    assert_eq!(
        summary_fr(&s, &fixtures::empty()),
        "Aucune donnée à afficher."
    );
    assert_eq!(summary_en(&s, &fixtures::empty()), "No data to show.");
}

#[test]
fn chart_spec_reads_from_json_with_defaults() {
    let s: ChartSpec =
        serde_json::from_str(r#"{"kind":"stacked_bar","x":"mission","series":"titre"}"#)
            .unwrap_or_default();
    assert_eq!(s.kind, ChartKind::StackedBar);
    assert_eq!(s.series.as_deref(), Some("titre"));
    assert_eq!(s.y, None);
    let d: ChartSpec =
        serde_json::from_str("{}").unwrap_or_else(|_| spec(ChartKind::Line, None, "z"));
    assert_eq!(d, ChartSpec::default());
    assert_eq!(
        serde_json::to_string(&ChartKind::BigNumber).unwrap_or_default(),
        "\"big_number\""
    );
}

/// The chart module is pure Rust: it names no browser crate (DESIGN.md, layers).
#[test]
fn chart_module_names_no_browser_crate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("chart.rs")];
    if let Ok(dir) = std::fs::read_dir(root.join("chart")) {
        files.extend(dir.filter_map(|e| e.ok()).map(|e| e.path()));
    }
    assert!(files.len() > 5);
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap_or_default();
        for banned in [
            "yew",
            "web_sys",
            "js_sys",
            "wasm_bindgen",
            "gloo",
            "plotters_canvas",
        ] {
            assert!(
                !src.contains(&format!("{banned}::")) && !src.contains(&format!("use {banned}")),
                "{} names {banned}",
                f.display()
            );
        }
    }
}

#[test]
fn summary_never_crowns_the_others_row_but_counts_it_in_the_total() {
    let rows = vec![
        vec![text("Autres"), euros(500.0)],
        vec![text("Défense"), euros(300.0)],
        vec![text("Culture"), euros(200.0)],
    ];
    let t = table(&[("mission", Text), ("credits_cp", Decimal)], rows);
    let s = spec(ChartKind::Ranking, Some("mission"), "credits_cp");
    let fr = summary_fr(&s, &t);
    assert!(fr.starts_with("Défense arrive en tête"), "{fr}");
    assert!(fr.contains("30\u{a0}%"), "300 of a 1 000 total: {fr}");
}

// Figures that do not add up: rates, means, extremes. The sentence gives the leader's value
// and how it was obtained, then the spread; never a total or a share of one.
mod not_additive {
    use super::{nbsp, table};
    use loupe::chart::{summary, ChartKind, ChartSpec, Figure, Locale, Meaning};
    use loupe::core::column::ColumnType::{Float, Integer, Text};
    use loupe::core::query::AggOp;
    use loupe::core::value::Value;

    fn spec(kind: ChartKind, x: Option<&str>, y: &str) -> ChartSpec {
        ChartSpec {
            kind,
            x: x.map(str::to_string),
            y: Some(y.to_string()),
            ..ChartSpec::default()
        }
    }

    fn rate(agg: Option<AggOp>) -> Meaning {
        Meaning {
            agg,
            figure: Figure::Fraction,
            additive: false,
            x: Figure::Amount,
        }
    }

    /// Three communes and their rates, as the taux-th-2022 file writes them (fractions).
    fn rates() -> loupe::core::query::QueryResult {
        table(
            &[("code", Text), ("taux", Float)],
            vec![
                vec![Value::Text("97102".into()), Value::Float(0.5839)],
                vec![Value::Text("2A322".into()), Value::Float(0.5009)],
                vec![Value::Text("01001".into()), Value::Float(0.1106)],
            ],
        )
    }

    #[test]
    fn a_ranking_of_rates_gives_value_rank_and_spread() {
        let s = spec(ChartKind::Ranking, Some("code"), "taux");
        let m = rate(Some(AggOp::Max));
        assert_eq!(
            summary(&s, &rates(), &m, Locale::Fr),
            nbsp("97102 arrive en tête avec 58,4~% (maximum de «~taux~»)^; 3 valeurs de «~code~», de 11,1~% à 58,4~%^; médiane~: 50,1~%.")
        );
        assert_eq!(
            summary(&s, &rates(), &m, Locale::En),
            "97102 ranks first with 58.4% (maximum of “taux”); 3 values of “code”, from 11.1% to 58.4%; median: 50.1%."
        );
    }

    #[test]
    fn a_sum_of_rates_is_not_shared_out() {
        // Even if a view sums rates, the sentence speaks of no total.
        let s = spec(ChartKind::Bar, Some("code"), "taux");
        let fr = summary(&s, &rates(), &rate(Some(AggOp::Sum)), Locale::Fr);
        assert!(!fr.contains("total"), "{fr}");
        assert!(fr.starts_with("97102 arrive en tête avec 58,4"), "{fr}");
    }

    #[test]
    fn a_mean_of_amounts_leaves_autres_out_of_the_spread() {
        let t = table(
            &[("poste", Text), ("prix", Float)],
            vec![
                vec![Value::Text("A".into()), Value::Float(10.0)],
                vec![Value::Text("B".into()), Value::Float(20.0)],
                vec![Value::Text("Autres".into()), Value::Float(99.0)],
            ],
        );
        let s = ChartSpec {
            unit: Some("€".into()),
            ..spec(ChartKind::Ranking, Some("poste"), "prix")
        };
        let m = Meaning {
            agg: Some(AggOp::Mean),
            figure: Figure::Amount,
            additive: true,
            x: Figure::Amount,
        };
        assert_eq!(
            summary(&s, &t, &m, Locale::Fr),
            nbsp("B arrive en tête avec 20~€ (moyenne de «~prix~»)^; 2 valeurs de «~poste~», de 10~€ à 20~€^; médiane~: 15~€.")
        );
    }

    #[test]
    fn one_category_gives_its_value() {
        let t = table(
            &[("code", Text), ("taux", Float)],
            vec![vec![Value::Text("01001".into()), Value::Float(0.1106)]],
        );
        let s = spec(ChartKind::Ranking, Some("code"), "taux");
        let m = rate(Some(AggOp::Mean));
        assert_eq!(
            summary(&s, &t, &m, Locale::Fr),
            nbsp("01001~: 11,1~% (moyenne de «~taux~»).")
        );
        assert_eq!(
            summary(&s, &t, &m, Locale::En),
            "01001: 11.1% (mean of “taux”)."
        );
    }

    #[test]
    fn counts_still_give_shares() {
        let t = table(
            &[("region", Text), ("n", Integer)],
            vec![
                vec![Value::Text("Bretagne".into()), Value::Int(3)],
                vec![Value::Text("Corse".into()), Value::Int(1)],
            ],
        );
        let s = spec(ChartKind::Ranking, Some("region"), "n");
        let m = Meaning {
            agg: Some(AggOp::Count),
            figure: Figure::Amount,
            additive: true,
            x: Figure::Amount,
        };
        assert_eq!(
            summary(&s, &t, &m, Locale::Fr),
            nbsp("Bretagne arrive en tête avec 3, soit 75~% du total de 4 (2 valeurs de «~region~»).")
        );
    }

    #[test]
    fn a_rate_over_the_years_moves_by_points() {
        let t = table(
            &[("annee", Integer), ("taux", Float)],
            vec![
                vec![Value::Int(2020), Value::Float(0.10)],
                vec![Value::Int(2021), Value::Float(0.12)],
                vec![Value::Int(2022), Value::Float(0.11)],
            ],
        );
        let s = spec(ChartKind::Line, Some("annee"), "taux");
        let m = rate(Some(AggOp::Mean));
        assert_eq!(
            summary(&s, &t, &m, Locale::Fr),
            nbsp("De 2020 à 2022, «~taux~» passe de 10~% à 11~% (+1~point)^; maximum~: 12~% en 2021.")
        );
        assert_eq!(
            summary(&s, &t, &m, Locale::En),
            "From 2020 to 2022, “taux” goes from 10% to 11% (+1\u{A0}point); peak: 12% in 2021."
        );
    }

    #[test]
    fn a_histogram_of_rates_reads_in_percent() {
        let t = table(
            &[("taux", Float)],
            [0.1, 0.2, 0.3, 0.58]
                .iter()
                .map(|v| vec![Value::Float(*v)])
                .collect(),
        );
        let s = ChartSpec {
            kind: ChartKind::Histogram,
            y: Some("taux".into()),
            ..ChartSpec::default()
        };
        assert_eq!(
            summary(&s, &t, &rate(None), Locale::Fr),
            nbsp("4 valeurs de «~taux~», de 10~% à 58~%^; médiane~: 25~%.")
        );
        assert_eq!(
            summary(&s, &t, &rate(None), Locale::En),
            "4 values of “taux”, from 10% to 58%; median: 25%."
        );
    }

    #[test]
    fn a_big_number_of_a_rate() {
        let t = table(&[("taux", Float)], vec![vec![Value::Float(0.1216)]]);
        let s = spec(ChartKind::BigNumber, None, "taux");
        assert_eq!(
            summary(&s, &t, &rate(Some(AggOp::Median)), Locale::Fr),
            nbsp("«~taux~»~: 12,2~%.")
        );
    }
}

#[test]
fn stacked_means_are_not_added_up_per_bar() {
    use loupe::chart::{summary, Figure, Locale, Meaning};
    use loupe::core::query::AggOp;
    let t = table(
        &[("region", Text), ("type", Text), ("taux", Float)],
        vec![
            vec![text("Bretagne"), text("commune"), Value::Float(0.20)],
            vec![text("Bretagne"), text("EPCI"), Value::Float(0.10)],
            vec![text("Corse"), text("commune"), Value::Float(0.25)],
        ],
    );
    let s = ChartSpec {
        kind: ChartKind::StackedBar,
        x: Some("region".into()),
        y: Some("taux".into()),
        series: Some("type".into()),
        ..ChartSpec::default()
    };
    let m = Meaning {
        agg: Some(AggOp::Mean),
        figure: Figure::Fraction,
        additive: false,
        x: Figure::Amount,
    };
    // Bretagne's 20 % + 10 % would make a meaningless 30 %: the parts are ranked instead.
    assert_eq!(
        summary(&s, &t, &m, Locale::En),
        "Corse · commune ranks first with 25% (mean of “taux”); 3 values of “region · type”, from 10% to 25%; median: 20%."
    );
}
