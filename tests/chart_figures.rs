//! Figures that mean what they say, on the bundled data and on small hand-made files: rates
//! documented as fractions read as percentages and are never summed or shared out; "Autres"
//! only folds what adds up; years and codes keep their digits as written.
//!
//! Expected sentences were written by hand from values computed independently of Loupe
//! (Python's `csv` and `statistics` modules on `www/data/taux_th_communes_2022.csv`: the 15
//! highest `taux_com` go from 0.375 to 0.5839, median 0.4, the highest being 97102's; on
//! `www/data/ofgl_communes_guadeloupe_2024.csv`, the « Dépenses totales » of the main budgets
//! are one row per commune, 32 communes, and the 12 highest « Montant en € par habitant » go
//! from 2071.08 to 3399.71 (Pointe-à-Pitre), median 2561.81).

use loupe::chart::figure::{cell_text, Figure};
use loupe::chart::{summary, ChartKind, ChartSpec, Locale};
use loupe::core::column::ColumnType;
use loupe::core::ingest::{read, IngestOptions};
use loupe::core::query::AggOp;
use loupe::core::Dataset;
use loupe::state::catalog::bundled;
use loupe::state::persona::{preset, Persona};
use loupe::state::view::{chart_meaning, chart_table, column_figures, ColumnNotes, ViewSpec};

fn load(file: &str) -> Dataset {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("www")
        .join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read(&bytes, &IngestOptions::default()).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The taux-th-2022 data and the notes its catalogue entry carries.
fn taux_th() -> (Dataset, ColumnNotes) {
    let catalog = bundled();
    let entry = catalog
        .find("taux-th-2022")
        .unwrap_or_else(|| panic!("taux-th-2022 is in the catalogue"));
    (load(&entry.file), entry.columns.clone())
}

/// `^` stands for U+202F (narrow no-break space), `~` for U+00A0 (no-break space).
fn nbsp(s: &str) -> String {
    s.replace('^', "\u{202F}").replace('~', "\u{A0}")
}

#[test]
fn the_journalist_ranking_of_rates_gives_rates_not_shares() {
    let (ds, notes) = taux_th();
    let journalist = preset(Persona::Journalist).unwrap_or_else(|e| panic!("{e}"));
    let view = &journalist.views["taux-th-2022"]
        .iter()
        .find(|g| g.id == "taux-max")
        .unwrap_or_else(|| panic!("the journalist preset has taux-max"))
        .view;
    let meaning = chart_meaning(&ds, view, &notes);
    assert_eq!(meaning.figure, Figure::Fraction);
    assert!(!meaning.totals(), "a maximum of rates has no total");
    let charted = view.charted(&meaning);
    let table = chart_table(&ds, &charted).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(table.rows.len(), 15, "15 communes and no \"Autres\" row");
    // Before: « 97102 ranks first with 0.58, 8.6% of the total of 6.76 ».
    assert_eq!(
        summary(&charted.chart, &table, &meaning, Locale::Fr),
        nbsp("97102 arrive en tête avec 58,4~% (maximum de «~taux_com~»)^; 15 valeurs de «~code_insee_commune~», de 37,5~% à 58,4~%^; médiane~: 40~%.")
    );
    assert_eq!(
        summary(&charted.chart, &table, &meaning, Locale::En),
        "97102 ranks first with 58.4% (maximum of “taux_com”); 15 values of “code_insee_commune”, from 37.5% to 58.4%; median: 40%."
    );
}

#[test]
fn a_view_that_sums_a_rate_averages_it_instead() {
    let (ds, notes) = taux_th();
    let view = ViewSpec {
        chart: ChartSpec {
            kind: ChartKind::Ranking,
            x: Some("code_insee_commune".into()),
            y: Some("taux_com".into()),
            ..ChartSpec::default()
        },
        agg: AggOp::Sum,
        ..ViewSpec::default()
    };
    let meaning = chart_meaning(&ds, &view, &notes);
    let charted = view.charted(&meaning);
    assert_eq!(charted.agg, AggOp::Mean);
    assert!(!charted.chart_query().others, "no \"Autres\" mean");
    // The abatements are amounts in euros, but per household: they do not add up either.
    let abatement = ViewSpec {
        chart: ChartSpec {
            y: Some("abt_pac_1_2_com".into()),
            ..view.chart.clone()
        },
        ..view.clone()
    };
    let m = chart_meaning(&ds, &abatement, &notes);
    assert_eq!(m.figure, Figure::Amount);
    assert_eq!(abatement.charted(&m).agg, AggOp::Mean);
}

/// The OFGL data and the notes its catalogue entry carries.
fn ofgl() -> (Dataset, ColumnNotes) {
    let catalog = bundled();
    let entry = catalog
        .find("ofgl-communes-2024")
        .unwrap_or_else(|| panic!("ofgl-communes-2024 is in the catalogue"));
    (load(&entry.file), entry.columns.clone())
}

#[test]
fn the_citizen_ranking_per_inhabitant_gives_amounts_not_shares() {
    let (ds, notes) = ofgl();
    let citizen = preset(Persona::Citizen).unwrap_or_else(|e| panic!("{e}"));
    let view = &citizen.views["ofgl-communes-2024"]
        .iter()
        .find(|g| g.id == "par-habitant")
        .unwrap_or_else(|| panic!("the citizen preset has par-habitant"))
        .view;
    let meaning = chart_meaning(&ds, view, &notes);
    assert!(
        !meaning.additive,
        "an amount per inhabitant does not add up"
    );
    assert!(!meaning.totals(), "no total, no share, no \"Autres\"");
    let charted = view.charted(&meaning);
    assert_eq!(charted.agg, AggOp::Mean);
    assert!(!charted.chart_query().others);
    let table = chart_table(&ds, &charted).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(table.rows.len(), 12, "12 communes and no \"Autres\" row");
    assert!(
        table
            .rows
            .iter()
            .all(|r| !matches!(r[0].to_plain_string().as_str(), "Autres" | "Others")),
        "no \"Autres\" row"
    );
    // Before: « Pointe-à-Pitre arrive en tête avec 3 400 €, soit … du total de … », the total
    // adding up twelve amounts per inhabitant (and 36 750 € of « Autres » for the other 20).
    let fr = summary(&charted.chart, &table, &meaning, Locale::Fr);
    let en = summary(&charted.chart, &table, &meaning, Locale::En);
    assert!(!fr.contains("total") && !fr.contains("Autres"), "{fr}");
    assert!(!en.contains("total") && !en.contains("Others"), "{en}");
    assert_eq!(
        fr,
        nbsp("Pointe-à-Pitre arrive en tête avec 3^400~€ (moyenne de «~Montant en € par habitant~»)^; 12 valeurs de «~Nom 2024 Commune~», de 2^071~€ à 3^400~€^; médiane~: 2^562~€.")
    );
    assert_eq!(
        en,
        "Pointe-à-Pitre ranks first with €3,400 (mean of “Montant en € par habitant”); 12 values of “Nom 2024 Commune”, from €2,071 to €3,400; median: €2,562."
    );
    // An older link that still sums the amount per inhabitant is averaged, with no "Autres".
    let summed = ViewSpec {
        agg: AggOp::Sum,
        ..view.clone()
    };
    let m = chart_meaning(&ds, &summed, &notes);
    assert_eq!(summed.charted(&m).agg, AggOp::Mean);
    assert!(!summed.charted(&m).chart_query().others);
    // The amount itself still adds up: the first question keeps its total and shares.
    let amount = ViewSpec {
        chart: ChartSpec {
            y: Some("Montant".into()),
            ..view.chart.clone()
        },
        agg: AggOp::Sum,
        ..view.clone()
    };
    assert!(chart_meaning(&ds, &amount, &notes).totals());
}

#[test]
fn autres_folds_only_counts_and_sums() {
    let ranking = |y: Option<&str>, agg: AggOp| ViewSpec {
        chart: ChartSpec {
            kind: ChartKind::Ranking,
            x: Some("mission".into()),
            y: y.map(str::to_string),
            ..ChartSpec::default()
        },
        agg,
        ..ViewSpec::default()
    };
    assert!(ranking(None, AggOp::Sum).chart_query().others, "a count");
    assert!(
        ranking(Some("cp"), AggOp::Sum).chart_query().others,
        "a sum"
    );
    for agg in [
        AggOp::Mean,
        AggOp::Median,
        AggOp::Min,
        AggOp::Max,
        AggOp::CountDistinct,
    ] {
        assert!(!ranking(Some("cp"), agg).chart_query().others, "{agg:?}");
    }
}

#[test]
fn amounts_that_add_up_keep_their_sum_and_shares() {
    let catalog = bundled();
    let entry = catalog
        .find("lfi-2026-credits")
        .unwrap_or_else(|| panic!("lfi-2026-credits is in the catalogue"));
    let ds = load(&entry.file);
    let view = ViewSpec {
        chart: ChartSpec {
            kind: ChartKind::Ranking,
            x: entry.chart.x.clone(),
            y: entry.chart.y.clone(),
            unit: entry.chart.unit.clone(),
            ..ChartSpec::default()
        },
        ..ViewSpec::default()
    };
    let meaning = chart_meaning(&ds, &view, &entry.columns);
    assert!(meaning.totals());
    assert_eq!(view.charted(&meaning).agg, AggOp::Sum);
}

#[test]
fn taux_th_columns_are_written_as_documented() {
    let (ds, notes) = taux_th();
    let figures = column_figures(&ds, &notes);
    let of = |name: &str| {
        let i = ds.column_index(name).unwrap_or_else(|e| panic!("{e}"));
        figures[i]
    };
    assert_eq!(of("code_insee_commune"), Figure::Code);
    assert_eq!(of("taux_com"), Figure::Fraction);
    assert_eq!(of("taux_epci"), Figure::Fraction);
    assert_eq!(of("valeur_locative_moyenne_com"), Figure::Amount);
    // The first row of the file: "01001",.1106,.0779,3031,…
    let i = ds
        .column_index("taux_com")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        cell_text(&ds.columns[i].value(0), of("taux_com"), Locale::Fr),
        nbsp("11,06~%")
    );
    assert_eq!(
        cell_text(&ds.columns[i].value(0), of("taux_com"), Locale::En),
        "11.06%"
    );
    let v = ds
        .column_index("valeur_locative_moyenne_com")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        cell_text(
            &ds.columns[v].value(0),
            of("valeur_locative_moyenne_com"),
            Locale::Fr
        ),
        nbsp("3^031")
    );
}

#[test]
fn years_and_codes_are_never_grouped() {
    // A year by name, a year by value, a CPV code, and quantities that stay numbers.
    let csv = "exercice,periode,codeCPV,population,montant\n\
               2023,2019,45214200,1900,5\n\
               2024,2020,45000000,2000,3000000\n";
    let ds = read(csv.as_bytes(), &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    // The CPV code is read as text at ingest (a code name); the others are integers, and
    // the years among them must still be written without separators.
    for c in &ds.columns {
        let want = if c.name == "codeCPV" {
            ColumnType::Text
        } else {
            ColumnType::Integer
        };
        assert_eq!(c.column_type(), want, "{}", c.name);
    }
    let figures = column_figures(&ds, &ColumnNotes::new());
    let written: Vec<String> = ds
        .columns
        .iter()
        .zip(&figures)
        .map(|(c, f)| cell_text(&c.value(1), *f, Locale::Fr))
        .collect();
    assert_eq!(
        written,
        [
            "2024",
            "2020",
            "45000000",
            &nbsp("2^000"),
            &nbsp("3^000^000")
        ]
    );
}

#[test]
fn a_drawn_ranking_of_rates_labels_percentages() {
    use loupe::chart::{render_svg_with, Meaning};
    use loupe::core::query::{QueryResult, ResultColumn};
    use loupe::core::value::Value;
    let table = QueryResult {
        columns: vec![
            ResultColumn {
                name: "code".into(),
                ty: ColumnType::Text,
            },
            ResultColumn {
                name: "taux".into(),
                ty: ColumnType::Float,
            },
        ],
        rows: vec![
            vec![Value::Text("97102".into()), Value::Float(0.5839)],
            vec![Value::Text("01001".into()), Value::Float(0.1106)],
        ],
    };
    let spec = ChartSpec {
        kind: ChartKind::Ranking,
        x: Some("code".into()),
        y: Some("taux".into()),
        ..ChartSpec::default()
    };
    let meaning = Meaning {
        agg: Some(AggOp::Max),
        figure: Figure::Fraction,
        additive: false,
        x: Figure::Amount,
    };
    let svg = render_svg_with(&spec, &table, &meaning, 800, 400).unwrap_or_else(|e| panic!("{e}"));
    // The SVG backend writes each text on its own line.
    let texts: Vec<&str> = svg.lines().map(str::trim).collect();
    assert!(texts.contains(&nbsp("58,4~%").as_str()), "{svg}");
    assert!(texts.contains(&nbsp("11,1~%").as_str()), "{svg}");
    assert!(!svg.contains("0,58"), "{svg}");
}

#[test]
fn exports_keep_years_and_rates_as_stored() {
    use loupe::core::export::{result_to_csv, CsvFlavor};
    use loupe::core::query::{QueryResult, ResultColumn};
    use loupe::core::value::Value;
    let table = QueryResult {
        columns: vec![
            ResultColumn {
                name: "exercice".into(),
                ty: ColumnType::Integer,
            },
            ResultColumn {
                name: "taux_com".into(),
                ty: ColumnType::Float,
            },
        ],
        rows: vec![vec![Value::Int(2024), Value::Float(0.1106)]],
    };
    assert_eq!(
        result_to_csv(&table, CsvFlavor::Standard),
        b"exercice,taux_com\n2024,0.1106\n".to_vec()
    );
    assert_eq!(
        result_to_csv(&table, CsvFlavor::ExcelFr),
        b"\xEF\xBB\xBFexercice;taux_com\r\n2024;0,1106\r\n".to_vec()
    );
}

#[test]
fn rates_on_a_phone_are_cut_not_folded_into_autres() {
    use loupe::chart::{render_svg, render_svg_with, Meaning};
    use loupe::core::query::{QueryResult, ResultColumn};
    use loupe::core::value::Value;
    // Thirty communes: more bars than a 360 px high ranking can show.
    let table = QueryResult {
        columns: vec![
            ResultColumn {
                name: "code".into(),
                ty: ColumnType::Text,
            },
            ResultColumn {
                name: "taux".into(),
                ty: ColumnType::Float,
            },
        ],
        rows: (0..30)
            .map(|i| {
                vec![
                    Value::Text(format!("C{i:02}")),
                    Value::Float(0.1 + f64::from(i) / 100.0),
                ]
            })
            .collect(),
    };
    let spec = ChartSpec {
        kind: ChartKind::Ranking,
        x: Some("code".into()),
        y: Some("taux".into()),
        ..ChartSpec::default()
    };
    let rates = Meaning {
        agg: Some(AggOp::Mean),
        figure: Figure::Fraction,
        additive: false,
        x: Figure::Amount,
    };
    let svg = render_svg_with(&spec, &table, &rates, 360, 360).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !svg.contains("Autres"),
        "a rate is never summed into Autres"
    );
    // The highest rate (C29, 39 %) is shown first.
    assert!(svg.contains("C29"), "{svg}");
    // The same table read as amounts folds its tail, as before.
    let amounts = render_svg(&spec, &table, 360, 360).unwrap_or_else(|e| panic!("{e}"));
    assert!(amounts.contains("Autres"));
}

#[test]
fn a_scatter_of_two_rates_reads_in_percent_on_both_axes() {
    use loupe::chart::render_svg_with;
    let (ds, notes) = taux_th();
    let view = ViewSpec {
        chart: ChartSpec {
            kind: ChartKind::Scatter,
            x: Some("taux_epci".into()),
            y: Some("taux_com".into()),
            ..ChartSpec::default()
        },
        ..ViewSpec::default()
    };
    let meaning = chart_meaning(&ds, &view, &notes);
    assert_eq!(
        (meaning.x, meaning.figure),
        (Figure::Fraction, Figure::Fraction)
    );
    assert_eq!(meaning.agg, None, "a scatter plot reads raw values");
    let table = chart_table(&ds, &view).unwrap_or_else(|e| panic!("{e}"));
    let svg =
        render_svg_with(&view.chart, &table, &meaning, 800, 500).unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<&str> = svg.lines().map(str::trim).collect();
    // Both axes start at 0 % and step by tens of percent; no tick reads as a bare fraction.
    assert!(texts.contains(&nbsp("0~%").as_str()), "{svg}");
    assert!(texts.contains(&nbsp("20~%").as_str()), "{svg}");
    assert!(!texts.iter().any(|t| *t == "0,2" || *t == "0,1"), "{svg}");
}
