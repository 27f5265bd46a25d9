//! Charts drawn to SVG from small fixed tables: byte-for-byte golden files in
//! `tests/golden/charts/` (regenerate with `UPDATE_GOLDEN=1 cargo test --test chart_render`),
//! plus structural facts that hold whatever the styling: one bar per row, the labels and the
//! formatted values present, nothing drawn outside the picture.

#[path = "common/fixtures.rs"]
mod fixtures;

use std::path::PathBuf;

use loupe::chart::{render, render_svg, ChartKind, ChartSpec, Theme};
use loupe::core::query::QueryResult;
use plotters::prelude::{IntoDrawingArea, SVGBackend};

fn spec(kind: ChartKind, x: Option<&str>, y: Option<&str>, title: &str) -> ChartSpec {
    ChartSpec {
        kind,
        x: x.map(str::to_string),
        y: y.map(str::to_string),
        series: None,
        title: Some(title.to_string()),
        unit: Some("€".to_string()),
        ..ChartSpec::default()
    }
}

/// Compares `svg` with the golden file `name.svg` (or rewrites it under `UPDATE_GOLDEN=1`).
fn golden(name: &str, svg: &str) {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/charts/{name}.svg"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, svg)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "missing golden {} ({e}); run with UPDATE_GOLDEN=1",
            path.display()
        )
    });
    assert!(
        want == svg,
        "{name}.svg differs from its golden file; rerun with UPDATE_GOLDEN=1 and look at the diff"
    );
}

fn draw(name: &str, spec: &ChartSpec, table: &QueryResult, w: u32, h: u32) -> String {
    let svg = render_svg(spec, table, w, h).unwrap_or_else(|e| panic!("{name}: {e}"));
    golden(name, &svg);
    svg
}

/// `<rect` elements filled with `color` (e.g. `#000091`).
fn rects_filled(svg: &str, color: &str) -> usize {
    svg.split("<rect")
        .skip(1)
        .filter(|r| {
            r.split('>')
                .next()
                .is_some_and(|a| a.contains(&format!("fill=\"{color}\"")))
        })
        .count()
}

/// Every `x`/`y` attribute of text and rect elements lies inside the picture.
fn assert_inside(svg: &str, w: i32, h: i32) {
    for tag in svg
        .split('<')
        .skip(1)
        .filter(|t| t.starts_with("text") || t.starts_with("rect"))
    {
        for (attr, max) in [(" x=\"", w), (" y=\"", h)] {
            if let Some(rest) = tag.split(attr).nth(1) {
                let v: i32 = rest
                    .split('"')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                assert!(
                    (0..=max).contains(&v),
                    "{attr}{v} outside 0..={max} in <{}",
                    &tag[..tag.len().min(120)]
                );
            }
        }
    }
}

/// The text content of every `<text>` element, trimmed.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>'))
        .map(|(_, rest)| {
            rest.split("</text>")
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .collect()
}

const BLUE: &str = "#000091";

#[test]
fn bar_has_one_bar_per_row_and_french_labels() {
    let t = fixtures::small_programmes();
    let svg = draw(
        "bar",
        &spec(
            ChartKind::Bar,
            Some("programme"),
            Some("montant"),
            "Crédits par programme",
        ),
        &t,
        640,
        400,
    );
    assert_eq!(rects_filled(&svg, BLUE), t.rows.len());
    assert!(svg.contains("12,3\u{A0}M€"), "formatted value missing");
    assert!(svg.contains("Programme 101"));
    assert_inside(&svg, 640, 400);
}

#[test]
fn bar_on_a_phone_turns_long_labels() {
    let t = fixtures::missions();
    let svg = draw(
        "bar_phone",
        &spec(
            ChartKind::Bar,
            Some("mission"),
            Some("credits_cp"),
            "Crédits de paiement par mission",
        ),
        &t,
        360,
        480,
    );
    // The null row is skipped.
    assert_eq!(rects_filled(&svg, BLUE), t.rows.len() - 1);
    assert!(
        svg.contains("rotate(270"),
        "labels should be vertical on a phone"
    );
    assert!(
        svg.contains('\u{2026}'),
        "long labels are cut with an ellipsis"
    );
}

#[test]
fn ranking_is_sorted_with_values_at_the_ends() {
    let t = fixtures::missions();
    let svg = draw(
        "ranking",
        &spec(
            ChartKind::Ranking,
            Some("mission"),
            Some("credits_cp"),
            "LFI 2026 : crédits de paiement par mission",
        ),
        &t,
        720,
        480,
    );
    assert_eq!(rects_filled(&svg, BLUE), t.rows.len() - 1);
    assert!(svg.contains("64,5\u{A0}Md€"));
    let first = svg.find("Enseignement scolaire").unwrap_or(usize::MAX);
    let second = svg.find("Défense").unwrap_or(0);
    assert!(first < second, "largest first");
    assert_inside(&svg, 720, 480);
}

#[test]
fn ranking_on_a_phone_truncates_and_folds() {
    let t = fixtures::missions();
    let svg = draw(
        "ranking_phone",
        &spec(
            ChartKind::Ranking,
            Some("mission"),
            Some("credits_cp"),
            "Crédits par mission",
        ),
        &t,
        360,
        300,
    );
    assert!(svg.contains('\u{2026}'));
    assert!(svg.contains("Autres ("), "rows that do not fit are folded");
    assert_inside(&svg, 360, 300);
}

#[test]
fn line_over_years() {
    let t = fixtures::debt_interest();
    let svg = draw(
        "line",
        &spec(
            ChartKind::Line,
            Some("annee"),
            Some("charge_dette"),
            "Charge de la dette de l’État",
        ),
        &t,
        640,
        360,
    );
    for y in ["2019", "2026"] {
        assert!(
            texts(&svg).contains(&y.to_string()),
            "year {y} missing or formatted with a separator"
        );
    }
    assert!(
        svg.contains("70,4\u{A0}Md€"),
        "last value written at the end of the line"
    );
    assert!(svg.contains("<polyline") || svg.contains("<path"));
    assert_inside(&svg, 640, 360);
}

#[test]
fn stacked_bar_with_legend() {
    let t = fixtures::missions_by_title();
    let mut s = spec(
        ChartKind::StackedBar,
        Some("mission"),
        Some("credits_cp"),
        "Crédits par mission et par titre",
    );
    s.series = Some("titre".to_string());
    let svg = draw("stacked_bar", &s, &t, 640, 420);
    for title in [
        "Personnel",
        "Fonctionnement",
        "Investissement",
        "Intervention",
    ] {
        assert!(svg.contains(title), "legend entry {title}");
    }
    let segments: usize = Theme::default()
        .palette
        .iter()
        .take(4)
        .map(|c| rects_filled(&svg, &format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)))
        .sum();
    // One segment per (mission, title) plus one legend square per title.
    assert_eq!(segments, t.rows.len() + 4);
    assert_inside(&svg, 640, 420);
}

#[test]
fn histogram_has_nice_bins() {
    let t = fixtures::subsidies();
    let svg = draw(
        "histogram",
        &spec(
            ChartKind::Histogram,
            None,
            Some("montant"),
            "Montant des subventions",
        ),
        &t,
        640,
        360,
    );
    let bars = rects_filled(&svg, BLUE);
    assert!((8..=20).contains(&bars), "{bars} bins");
    assert!(svg.contains("Nombre de lignes"));
    assert_inside(&svg, 640, 360);
}

#[test]
fn scatter_has_one_dot_per_row() {
    let t = fixtures::communes();
    let mut s = spec(
        ChartKind::Scatter,
        Some("population"),
        Some("budget_fonctionnement"),
        "Budget et population",
    );
    s.unit = Some("€".to_string());
    let svg = draw("scatter", &s, &t, 640, 400);
    assert_eq!(svg.matches("<circle").count(), t.rows.len());
    assert!(svg.contains("population"));
    assert_inside(&svg, 640, 400);
}

#[test]
fn treemap_labels_fit_inside() {
    let t = fixtures::missions();
    let svg = draw(
        "treemap",
        &spec(
            ChartKind::Treemap,
            Some("mission"),
            Some("credits_cp"),
            "Répartition des crédits",
        ),
        &t,
        720,
        440,
    );
    assert!(svg.contains("Enseignement scolaire"));
    assert!(svg.contains("64,5\u{A0}Md€"));
    assert_inside(&svg, 720, 440);
}

#[test]
fn big_number_card() {
    let t = fixtures::total();
    let svg = draw(
        "big_number",
        &spec(
            ChartKind::BigNumber,
            None,
            Some("total_credits_cp"),
            "Budget de l’État",
        ),
        &t,
        360,
        240,
    );
    assert!(svg.contains("580\u{A0}Md€"));
    assert!(
        svg.contains("580\u{202F}123\u{202F}456\u{202F}789"),
        "exact value under the card"
    );
}

#[test]
fn empty_table_draws_no_data() {
    let t = fixtures::empty();
    for kind in [
        ChartKind::Bar,
        ChartKind::Ranking,
        ChartKind::Line,
        ChartKind::Treemap,
        ChartKind::BigNumber,
        ChartKind::Histogram,
    ] {
        let svg = render_svg(
            &spec(kind.clone(), Some("mission"), Some("credits_cp"), "Vide"),
            &t,
            360,
            240,
        )
        .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert!(svg.contains("Aucune donnée"), "{kind:?}");
    }
    let svg = draw(
        "empty",
        &spec(
            ChartKind::Bar,
            Some("mission"),
            Some("credits_cp"),
            "Crédits",
        ),
        &t,
        360,
        240,
    );
    assert!(svg.contains("Aucune donnée"));
}

#[test]
fn unknown_column_is_an_error() {
    let t = fixtures::missions();
    let r = render_svg(
        &spec(ChartKind::Bar, Some("nope"), Some("credits_cp"), ""),
        &t,
        300,
        200,
    );
    assert!(matches!(r, Err(loupe::chart::ChartError::UnknownColumn(c)) if c == "nope"));
    let r = render_svg(
        &spec(ChartKind::Bar, Some("credits_cp"), Some("mission"), ""),
        &t,
        300,
        200,
    );
    assert!(matches!(r, Err(loupe::chart::ChartError::NotNumeric(_))));
}

#[test]
fn marks_cover_the_bars_for_tooltips() {
    let t = fixtures::small_programmes();
    let mut out = String::new();
    let layout = {
        let area = SVGBackend::with_string(&mut out, (640, 400)).into_drawing_area();
        render(
            &spec(ChartKind::Bar, Some("programme"), Some("montant"), "t"),
            &t,
            &area,
            &Theme::default(),
        )
    };
    let layout = layout.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(layout.marks.len(), 4);
    let m = &layout.marks[0];
    assert_eq!(m.label, "Programme 101");
    assert_eq!(m.formatted, "12,3\u{A0}M€");
    assert!((m.value - 12.3e6).abs() < 1e-3);
    assert!(m.w > 0 && m.h > 0 && m.x >= 0 && m.y >= 0 && m.x + m.w <= 640 && m.y + m.h <= 400);
    // Taller bar for the larger value.
    assert!(layout.marks[0].h > layout.marks[1].h);
}

#[test]
fn suggested_spec_renders_every_fixture() {
    for (name, t) in [
        ("missions", fixtures::missions()),
        ("debt", fixtures::debt_interest()),
        ("subsidies", fixtures::subsidies()),
        ("communes", fixtures::communes()),
        ("total", fixtures::total()),
        ("empty", fixtures::empty()),
    ] {
        let s = loupe::chart::suggest(&t);
        render_svg(&s, &t, 360, 360).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn phone_sized_line_and_treemap() {
    let t = fixtures::debt_interest();
    let svg = draw(
        "line_phone",
        &spec(
            ChartKind::Line,
            Some("annee"),
            Some("charge_dette"),
            "Charge de la dette",
        ),
        &t,
        360,
        300,
    );
    assert_inside(&svg, 360, 300);
    let t = fixtures::missions();
    let svg = draw(
        "treemap_phone",
        &spec(
            ChartKind::Treemap,
            Some("mission"),
            Some("credits_cp"),
            "Répartition des crédits",
        ),
        &t,
        360,
        360,
    );
    assert_inside(&svg, 360, 360);
    let t = fixtures::missions_by_title();
    let mut s = spec(
        ChartKind::StackedBar,
        Some("mission"),
        Some("credits_cp"),
        "Par titre",
    );
    s.series = Some("titre".to_string());
    let svg = draw("stacked_bar_phone", &s, &t, 360, 420);
    assert_inside(&svg, 360, 420);
}

#[test]
fn an_engine_others_row_stays_last_and_absorbs_the_folded_tail() {
    // The engine's top-N query appends "Autres"; its value sits mid-table, yet the ranking
    // and the treemap must keep it last (one grey bar), never sort it among the categories.
    let mut t = fixtures::missions();
    let mid = t.rows.len() / 2;
    let mut others = t.rows[mid].clone();
    others[0] = fixtures::text("Autres");
    t.rows.push(others);
    for (kind, w, h) in [
        (ChartKind::Ranking, 720, 480),
        (ChartKind::Ranking, 360, 300),
        (ChartKind::Treemap, 720, 480),
    ] {
        let s = spec(kind.clone(), Some("mission"), Some("credits_cp"), "");
        let mut svg = String::new();
        let layout = {
            let area = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            render(&s, &t, &area, &Theme::default()).expect("draws")
        };
        let labels: Vec<&str> = layout.marks.iter().map(|m| m.label.as_str()).collect();
        let others_at: Vec<usize> = labels
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with("Autres"))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(
            others_at,
            vec![labels.len() - 1],
            "{kind:?} {w}x{h}: one Autres, last: {labels:?}"
        );
    }
}
