//! Every persona preset is checked against every bundled dataset: the views it names refer to
//! existing columns, measures are numeric, filters keep at least one row, and each guided view's
//! chart query runs and gives rows to draw.

use loupe::chart::ChartKind;
use loupe::core::ingest::{read, IngestOptions};
use loupe::core::query::{self, Filter};
use loupe::core::Dataset;
use loupe::state::catalog::bundled;
use loupe::state::persona::{preset, Panel, Persona};
use loupe::state::view::{chart_table, filter_column};

fn load(file: &str) -> Dataset {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("www")
        .join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read(&bytes, &IngestOptions::default()).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn every_preset_parses_and_names_its_persona() {
    for p in Persona::ALL {
        let pr = preset(p).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pr.persona, p);
        assert!(pr.shows(Panel::Chart), "{} shows a chart", p.id());
        assert!(!pr.chart_kinds.is_empty());
        assert!(!pr.label.fr.is_empty() && !pr.label.en.is_empty());
    }
    // What distinguishes the personas, as the workshop asked.
    assert!(preset(Persona::Citizen)
        .map(|p| p.shows(Panel::Questions) && p.shows(Panel::Glossary))
        .unwrap_or(false));
    assert!(preset(Persona::Journalist)
        .map(|p| p.shows(Panel::Cite) && p.shows(Panel::Embed))
        .unwrap_or(false));
    assert!(preset(Persona::Power)
        .map(|p| p.shows(Panel::Table) && p.shows(Panel::Pivot) && p.shows(Panel::Api))
        .unwrap_or(false));
}

#[test]
fn every_preset_view_fits_every_bundled_dataset() {
    let catalog = bundled();
    let presets: Vec<_> = Persona::ALL
        .iter()
        .map(|p| preset(*p).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    for pr in &presets {
        for id in pr.views.keys() {
            assert!(
                catalog.find(id).is_some(),
                "preset {} names unknown dataset {id}",
                pr.persona.id()
            );
        }
    }
    let mut checked = 0;
    for entry in &catalog.datasets {
        let ds = load(&entry.file);
        for pr in &presets {
            if pr.persona == Persona::Citizen {
                assert!(
                    pr.views.get(&entry.id).is_some_and(|v| !v.is_empty()),
                    "citizen has a question for {}",
                    entry.id
                );
            }
            for g in pr.views.get(&entry.id).into_iter().flatten() {
                let who = format!("{} / {} / {}", pr.persona.id(), entry.id, g.id);
                let chart = &g.view.chart;
                assert!(
                    pr.chart_kinds.contains(&chart.kind),
                    "{who}: chart kind offered by the preset"
                );
                for col in [&chart.x, &chart.y, &chart.series].into_iter().flatten() {
                    assert!(ds.column_index(col).is_ok(), "{who}: column {col} exists");
                }
                if let Some(y) = &chart.y {
                    let t = ds.column(y).map(|c| c.column_type()).ok();
                    assert!(
                        t.is_some_and(|t| t.is_numeric()),
                        "{who}: measure {y} is numeric, got {t:?}"
                    );
                }
                for f in &g.view.filters {
                    if let Some(c) = filter_column(f) {
                        assert!(
                            ds.column_index(c).is_ok(),
                            "{who}: filter column {c} exists"
                        );
                    }
                    let one: &[Filter] = std::slice::from_ref(f);
                    let n = query::select(&ds, one).map(|s| s.len()).unwrap_or(0);
                    assert!(n > 0, "{who}: filter {f:?} keeps rows");
                }
                let table = chart_table(&ds, &g.view).unwrap_or_else(|e| panic!("{who}: {e}"));
                assert!(!table.rows.is_empty(), "{who}: the chart has data");
                if matches!(
                    chart.kind,
                    ChartKind::Ranking | ChartKind::Bar | ChartKind::Treemap
                ) {
                    assert!(
                        table.rows.len() <= g.view.top + 1,
                        "{who}: top-N plus others"
                    );
                }
                let svg = loupe::chart::render_svg(chart, &table, 800, 500)
                    .unwrap_or_else(|e| panic!("{who}: {e}"));
                assert!(!svg.contains("Aucune donnée"), "{who}: drawn");
                checked += 1;
            }
        }
        // With no preset view, the suggested chart must still work on the data.
        let spec = loupe::state::view::suggest_chart(&ds);
        let view = loupe::state::ViewSpec {
            chart: spec,
            ..Default::default()
        };
        let table =
            chart_table(&ds, &view).unwrap_or_else(|e| panic!("{} suggested chart: {e}", entry.id));
        assert!(
            !table.rows.is_empty(),
            "{}: suggested chart has data",
            entry.id
        );
    }
    assert!(checked >= 15, "checked {checked} guided views");
}

#[test]
fn switching_chart_kind_always_gives_a_drawable_chart() {
    // From each dataset's suggested view, every chart kind must draw something: the view's
    // columns are refitted to the kind (no category for a histogram, two numbers for a scatter).
    use loupe::chart::ChartKind::*;
    for entry in &bundled().datasets {
        let ds = load(&entry.file);
        let kinds = loupe::state::view::applicable_kinds(&ds);
        for kind in [
            Bar, Ranking, Line, StackedBar, Histogram, Scatter, Treemap, BigNumber,
        ] {
            if !kinds.contains(&kind) {
                continue;
            }
            let mut view = loupe::state::ViewSpec {
                chart: loupe::state::view::suggest_chart(&ds),
                ..Default::default()
            };
            view.set_chart_kind(kind.clone(), &ds);
            assert_eq!(view.chart.kind, kind);
            let table =
                chart_table(&ds, &view).unwrap_or_else(|e| panic!("{} {kind:?}: {e}", entry.id));
            let svg = loupe::chart::render_svg(&view.chart, &table, 800, 500)
                .unwrap_or_else(|e| panic!("{} {kind:?} {:?}: {e}", entry.id, view.chart));
            assert!(
                !svg.contains("Aucune donnée"),
                "{} {kind:?} {:?} draws",
                entry.id,
                view.chart
            );
        }
    }
}

#[test]
fn finding_a_commune_puts_the_exact_name_first() {
    use loupe::state::view::best_name_matches;
    let names = [
        "Courtemont-Varennes",
        "Rennes-le-Château",
        "Rennes",
        "Varennes",
        "RENNES",
    ];
    assert_eq!(
        best_name_matches(names, "rennes", 5),
        vec!["RENNES", "Rennes"]
    );
    assert_eq!(
        best_name_matches(names, "Renn", 5),
        vec!["RENNES", "Rennes", "Rennes-le-Château"]
    );
    assert_eq!(
        best_name_matches(names, "ennes-le", 5),
        vec!["Rennes-le-Château"]
    );
    assert!(best_name_matches(names, "  ", 5).is_empty());
    assert_eq!(
        best_name_matches(["Évry", "Evreux"], "evry", 5),
        vec!["Évry"]
    );
}

#[test]
fn switching_through_every_chart_kind_in_turn_keeps_drawing() {
    // The explorer's user goes ranking -> bar -> line -> stacked bar -> treemap -> … on the
    // same view: each switch starts from the previous kind's columns.
    use loupe::chart::ChartKind::*;
    for entry in &bundled().datasets {
        let ds = load(&entry.file);
        let kinds = loupe::state::view::applicable_kinds(&ds);
        let mut view = loupe::state::ViewSpec {
            chart: loupe::state::view::suggest_chart(&ds),
            ..Default::default()
        };
        for kind in [
            Ranking, Bar, Line, StackedBar, Treemap, Histogram, Scatter, BigNumber, Ranking,
            Treemap,
        ] {
            if !kinds.contains(&kind) {
                continue;
            }
            view.set_chart_kind(kind.clone(), &ds);
            let table =
                chart_table(&ds, &view).unwrap_or_else(|e| panic!("{} {kind:?}: {e}", entry.id));
            let svg = loupe::chart::render_svg(&view.chart, &table, 800, 500)
                .unwrap_or_else(|e| panic!("{} {kind:?} {:?}: {e}", entry.id, view.chart));
            assert!(
                !svg.contains("Aucune donnée"),
                "{} {kind:?} {:?} draws",
                entry.id,
                view.chart
            );
        }
    }
}
