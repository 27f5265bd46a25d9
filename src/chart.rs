//! Charts: a chart spec plus a result table -> drawing on any plotters `DrawingBackend`
//! (canvas in the browser, SVG for tests and downloads). Pure Rust.
//!
//! This module owns the [`ChartSpec`] (serializable: it travels in the view spec, the URL and
//! the JS API), the choice of a default chart ([`suggest`]), the plain-language summary that
//! goes with every chart ([`summary_fr`], [`summary_en`]), French and English number formats
//! ([`format`]), what a number stands for and how it is written ([`figure`]: amounts, rates,
//! codes and years; whether values add up) and the drawing itself ([`render`], [`render_svg`]).
//!
//! What must stay true:
//! - no browser crate is named here; the caller hands a plotters drawing area;
//! - the layout never depends on the backend's text measurement (see [`text`]), so the SVG a
//!   journalist downloads is the drawing on screen, and golden files are stable;
//! - totals, shares of a total and "Autres" appear only when the values add up
//!   ([`figure::Meaning::totals`]); rates, averages and extremes get their value, rank and
//!   spread instead;
//! - data never makes rendering panic: nulls and non-numbers are skipped, an empty table draws
//!   a clean "Aucune donnée", unknown columns are a [`ChartError`].

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};
use serde::{Deserialize, Serialize};

use crate::core::query::QueryResult;

mod axes;
mod big_number;
mod data;
mod draw;
pub mod figure;
pub mod format;
mod histogram;
mod line;
pub mod map;
mod ranking;
pub mod scale;
mod scatter;
mod suggest;
mod summary;
pub mod text;
pub mod theme;
mod treemap;
mod vbar;

pub use figure::{Figure, Meaning};
pub use suggest::suggest;
pub use summary::{summary, summary_en, summary_fr};
pub use theme::{Locale, Theme};

/// The kinds of chart Loupe draws.
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug, Default)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Vertical bars, one per category, in the table's order.
    #[default]
    Bar,
    /// Horizontal bars sorted from the largest, labels on the left, values at the bar ends.
    Ranking,
    /// A line over years or dates, sorted by `x`; one line per `series` value when set.
    Line,
    /// Vertical bars of `x` categories, stacked by `series`.
    StackedBar,
    /// Counts of `y` (or `x`) values in nice bins.
    Histogram,
    /// One point per row, `x` against `y`.
    Scatter,
    /// Squarified treemap of positive `y` amounts by `x`.
    Treemap,
    /// One big formatted value with its label.
    BigNumber,
    /// A choropleth of régions, départements or communes coloured by the measure per area
    /// (see [`map`]: `x` holds territorial codes; options in [`ChartSpec::map`]).
    Map,
}

/// What to draw from a table. JSON: `{"kind":"ranking","x":"mission","y":"cp","unit":"€"}`.
/// Every field has a default; missing `x`/`y` are filled from [`suggest`].
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug, Default)]
#[serde(default)]
pub struct ChartSpec {
    pub kind: ChartKind,
    /// Category or time column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// Measure column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    /// Series column (stacked bars, multi-line charts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Title drawn on top of the chart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Unit of the measure, `"€"` for money.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// A map's level, zone and classes (`"level"`, `"zone"`, `"classes"` in the JSON).
    #[serde(flatten)]
    pub map: map::MapOptions,
}

/// One drawn data mark, for tooltips: its box in pixels of the drawing area it was drawn on.
#[derive(Clone, PartialEq, Debug)]
pub struct Mark {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    /// What the mark stands for ("Défense", "2024", "Défense · AE").
    pub label: String,
    /// The raw value.
    pub value: f64,
    /// The value as shown to people (`12,3 M€`).
    pub formatted: String,
}

/// Where the data marks landed, for hit-testing by the caller.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct ChartLayout {
    pub marks: Vec<Mark>,
}

/// Why a chart cannot be drawn.
#[derive(Clone, PartialEq, Debug)]
pub enum ChartError {
    /// The spec names a column the table does not have.
    UnknownColumn(String),
    /// The measure column holds text.
    NotNumeric(String),
    /// The backend failed (message from plotters).
    Drawing(String),
}

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChartError::UnknownColumn(c) => {
                write!(f, "colonne inconnue « {c} » / unknown column \"{c}\"")
            }
            ChartError::NotNumeric(c) => write!(
                f,
                "la colonne « {c} » n’est pas numérique / column \"{c}\" is not numeric"
            ),
            ChartError::Drawing(m) => write!(f, "erreur de dessin / drawing error: {m}"),
        }
    }
}

impl std::error::Error for ChartError {}

/// How the renderers write the measure: its unit, its [`Figure`], and whether its values add
/// up (treemap tiles then show their share of the total).
pub(crate) struct Measure<'a> {
    pub unit: Option<&'a str>,
    pub figure: Figure,
    pub totals: bool,
    /// How a numeric `x` axis is written (scatter plots, lines over numbers).
    pub x: Figure,
}

impl Measure<'_> {
    /// `v` as a short figure in the theme's locale (`12,3 M€`, `58 %`, `2024`).
    pub fn text(&self, v: f64, theme: &Theme) -> String {
        figure::compact(v, self.figure, self.unit, theme.locale)
    }
}

/// Draws `table` as `spec` says on `area`, its measure taken as a summed amount (see
/// [`render_with`]), returning where the data marks landed (pixels of `area`). An empty table
/// (or one with nothing to plot) draws "Aucune donnée".
pub fn render<DB: DrawingBackend>(
    spec: &ChartSpec,
    table: &QueryResult,
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
) -> Result<ChartLayout, ChartError> {
    render_with(spec, table, &Meaning::default(), area, theme)
}

/// Draws `table` as `spec` says on `area`, writing the measure as `meaning` says (a rate as
/// `58 %`, a year as `2024`) and showing shares of the total only when the values add up.
pub fn render_with<DB: DrawingBackend>(
    spec: &ChartSpec,
    table: &QueryResult,
    meaning: &Meaning,
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
) -> Result<ChartLayout, ChartError> {
    let cols = data::resolve(spec, table)?;
    let p = draw::Painter::new(area, theme);
    p.clear()?;
    let plot = p.title(spec.title.as_deref())?;
    let unit = &Measure {
        // A rate carries its own `%`; a unit set for amounts would be written twice.
        unit: spec
            .unit
            .as_deref()
            .filter(|_| meaning.figure == Figure::Amount),
        figure: meaning.figure,
        totals: meaning.totals(),
        x: meaning.x,
    };
    let marks = match spec.kind {
        ChartKind::Bar => vbar::bar(&p, plot, table, &cols, unit)?,
        ChartKind::StackedBar => vbar::stacked(&p, plot, table, &cols, unit)?,
        ChartKind::Ranking => ranking::draw(&p, plot, table, &cols, unit)?,
        ChartKind::Line => line::draw(&p, plot, table, &cols, unit)?,
        ChartKind::Histogram => histogram::draw(&p, plot, table, &cols, unit)?,
        ChartKind::Scatter => scatter::draw(&p, plot, table, &cols, unit)?,
        ChartKind::Treemap => treemap::draw(&p, plot, table, &cols, unit)?,
        ChartKind::BigNumber => big_number::draw(&p, plot, table, &cols, unit)?,
        // A map needs its shapes: the caller draws it with [`map::render_map`]; without
        // them, the drawing says there is nothing to show yet.
        ChartKind::Map => None,
    };
    match marks {
        Some(marks) => Ok(ChartLayout { marks }),
        None => {
            p.no_data(plot)?;
            Ok(ChartLayout::default())
        }
    }
}

/// The chart as SVG text, `width` x `height` px, with the default (DSFR) theme, its measure
/// taken as a summed amount: the file a user downloads and the golden files tests compare with.
pub fn render_svg(
    spec: &ChartSpec,
    table: &QueryResult,
    width: u32,
    height: u32,
) -> Result<String, ChartError> {
    render_svg_with(spec, table, &Meaning::default(), width, height)
}

/// [`render_svg`] with the measure written as `meaning` says (see [`render_with`]).
pub fn render_svg_with(
    spec: &ChartSpec,
    table: &QueryResult,
    meaning: &Meaning,
    width: u32,
    height: u32,
) -> Result<String, ChartError> {
    let theme = Theme {
        font_scale: 1.24,
        ..Theme::default()
    };
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        render_with(spec, table, meaning, &area, &theme)?;
        area.present()
            .map_err(|e| ChartError::Drawing(e.to_string()))?;
    }
    Ok(out)
}
