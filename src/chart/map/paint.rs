//! Drawing a choropleth on any plotters backend: areas filled by class (a sequential
//! ColorBrewer YlGnBu palette: colour-blind safe, its lightness decreasing with the value so it
//! reads in greyscale), hatched areas without data, inset frames for the overseas
//! départements, a legend with the class bounds in the locale's number format and the
//! attribution. Returns where each area landed (pixel rings) for tooltips and keyboard focus.
//!
//! What must stay true: the layout depends only on the area's size (text widths are estimated
//! by [`crate::chart::text`]), so the SVG export is the drawing on screen.

use std::borrow::Borrow;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, PathElement, Polygon};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, RGBColor, ShapeStyle};

use super::classes::{breaks, class_of};
use super::geo::GeoLayer;
use super::{match_areas, MapData, ATTRIBUTION};
use crate::chart::draw::{Painter, Rect};
use crate::chart::figure::{self, Figure, Meaning};
use crate::chart::theme::{Locale, Theme};
use crate::chart::{text, ChartError, ChartSpec};
use crate::core::query::QueryResult;

/// ColorBrewer YlGnBu, 7 classes (Cynthia Brewer, colorbrewer2.org: colour-blind safe,
/// print and photocopy friendly); fewer classes take evenly spaced entries.
const YLGNBU: [RGBColor; 7] = [
    RGBColor(0xff, 0xff, 0xcc),
    RGBColor(0xc7, 0xe9, 0xb4),
    RGBColor(0x7f, 0xcd, 0xbb),
    RGBColor(0x41, 0xb6, 0xc4),
    RGBColor(0x1d, 0x91, 0xc0),
    RGBColor(0x22, 0x5e, 0xa8),
    RGBColor(0x0c, 0x2c, 0x84),
];

/// Classes drawn by default (5 is the cartographers' usual choice; fewer when few areas).
const CLASSES: usize = 5;

/// The fill of class `i` out of `n`.
pub fn class_color(i: usize, n: usize) -> RGBColor {
    if n <= 1 {
        return YLGNBU[3];
    }
    let pos = (i as f64 * 6.0 / (n - 1) as f64).round() as usize;
    YLGNBU[pos.min(6)]
}

/// One area as drawn: for tooltips and keyboard focus.
#[derive(Clone, Debug, PartialEq)]
pub struct MapHit {
    pub code: String,
    pub name: String,
    pub value: Option<f64>,
    /// The value as written on the map (`12,3 %`), empty without a value.
    pub formatted: String,
    /// Rings in pixels of the drawing area.
    pub rings: Vec<Vec<(f64, f64)>>,
    pub bbox: [f64; 4],
}

impl MapHit {
    /// Whether the pixel `p` lies in the area.
    pub fn contains(&self, p: (f64, f64)) -> bool {
        p.0 >= self.bbox[0]
            && p.0 <= self.bbox[2]
            && p.1 >= self.bbox[1]
            && p.1 <= self.bbox[3]
            && self.rings.iter().any(|r| super::geo::ring_contains(r, p))
    }
}

/// What a drawn map holds.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MapLayout {
    /// Drawn areas, in drawing order (enclaves after the areas around them).
    pub hits: Vec<MapHit>,
    /// The matched data (values per area, unmatched codes).
    pub data: MapData,
    /// Class bounds.
    pub bounds: Vec<f64>,
}

impl MapLayout {
    /// The area under pixel `p` (the innermost one, for enclaves).
    pub fn hit(&self, p: (f64, f64)) -> Option<&MapHit> {
        self.hits.iter().rev().find(|h| h.contains(p))
    }
}

fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Drawing(e.to_string())
}

/// Draws the map of `table` (see [`super::map_rows`]) over `layers` on `area`; `focus` is the
/// code of an area to outline (keyboard focus, hover).
pub fn render_map<DB: DrawingBackend, L: Borrow<GeoLayer>>(
    spec: &ChartSpec,
    table: &QueryResult,
    meaning: &Meaning,
    layers: &[L],
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    focus: Option<&str>,
) -> Result<MapLayout, ChartError> {
    let layers: Vec<&GeoLayer> = layers.iter().map(Borrow::borrow).collect();
    let level = super::level_of(spec, table);
    let data = match_areas(table, &layers, level, spec.map.zone.as_deref());
    let p = Painter::new(area, theme);
    p.clear()?;
    let plot = p.title(spec.title.as_deref())?;
    let unit = spec
        .unit
        .as_deref()
        .filter(|_| meaning.figure == Figure::Amount);
    let fmt = |v: f64| figure::compact(v, meaning.figure, unit, theme.locale);
    let values: Vec<f64> = data.areas.iter().filter_map(|a| a.value).collect();
    let bounds = breaks(
        &values,
        CLASSES.min(values.len().max(1)),
        spec.map.classes.unwrap_or_default(),
    );
    let classes = bounds.len().saturating_sub(1);
    let no_data = data.areas.iter().any(|a| a.value.is_none());

    // Legend: at the right on a wide drawing, below the map on a narrow one.
    let small = theme.label_size;
    let line = small + 8.0;
    let attribution_h = small + 6.0;
    let legend_rows = classes + usize::from(no_data) + 1;
    let wide = p.width >= 640.0;
    let legend_w = if wide { 220.0 } else { plot.w() };
    let legend_h = legend_rows as f64 * line + 4.0;
    let map_box = if wide {
        Rect {
            x0: plot.x0,
            y0: plot.y0,
            x1: plot.x1 - legend_w - 12.0,
            y1: plot.y1 - attribution_h,
        }
    } else {
        Rect {
            x0: plot.x0,
            y0: plot.y0,
            x1: plot.x1,
            y1: plot.y1 - attribution_h - legend_h - 8.0,
        }
    };
    if data.areas.is_empty() {
        p.no_data(plot)?;
        draw_attribution(&p, plot)?;
        return Ok(MapLayout {
            hits: Vec::new(),
            data,
            bounds,
        });
    }

    // Fit the areas in scope (and the inset frames they use) into the map box.
    let mut frames: Vec<&str> = data
        .areas
        .iter()
        .filter_map(|a| Some(layers.get(a.layer)?.areas.get(a.area)?.frame.as_str()))
        .collect();
    frames.sort_unstable();
    frames.dedup();
    let insets = frames.len() > 1;
    let mut bb = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for a in &data.areas {
        let ar = &layers[a.layer].areas[a.area];
        bb = [
            bb[0].min(ar.bbox[0]),
            bb[1].min(ar.bbox[1]),
            bb[2].max(ar.bbox[2]),
            bb[3].max(ar.bbox[3]),
        ];
    }
    let frame_boxes: Vec<(&str, &str, [f64; 4])> = if insets {
        frames
            .iter()
            .filter(|f| **f != "fr")
            .filter_map(|f| {
                let fr = layers.iter().find_map(|l| l.frame(f))?;
                Some((fr.name.as_str(), fr.id.as_str(), fr.r#box))
            })
            .collect()
    } else {
        Vec::new()
    };
    for (_, _, b) in &frame_boxes {
        bb = [
            bb[0].min(b[0]),
            bb[1].min(b[1]),
            bb[2].max(b[0] + b[2]),
            bb[3].max(b[1] + b[3]),
        ];
    }
    let (dx, dy) = ((bb[2] - bb[0]).max(1e-9), (bb[3] - bb[1]).max(1e-9));
    let scale = (map_box.w() / dx).min(map_box.h() / dy);
    let ox = map_box.x0 + (map_box.w() - dx * scale) / 2.0 - bb[0] * scale;
    let oy = map_box.y0 + (map_box.h() - dy * scale) / 2.0 - bb[1] * scale;
    let to_px = |(x, y): (f64, f64)| (ox + x * scale, oy + y * scale);

    for (name, code, b) in &frame_boxes {
        let (x0, y0) = to_px((b[0], b[1]));
        let (x1, y1) = to_px((b[0] + b[2], b[1] + b[3]));
        p.line(
            &[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)],
            theme.grid,
            1,
        )?;
        // A narrow inset shows its département code rather than a truncated name.
        let room = (x1 - x0 - 6.0).max(10.0);
        let label = if text::width(name, small) <= room {
            name.to_string()
        } else {
            text::truncate(code, small, room)
        };
        p.text(
            &label,
            x0 + 3.0,
            y0 + 2.0,
            p.label(small).color(theme.text_muted),
        )?;
    }

    // Enclaves after the areas around them: larger areas first.
    let mut order: Vec<usize> = (0..data.areas.len()).collect();
    order.sort_by(|&i, &j| {
        let a = layers[data.areas[i].layer].areas[data.areas[i].area].extent();
        let b = layers[data.areas[j].layer].areas[data.areas[j].area].extent();
        b.total_cmp(&a)
    });
    let stroke_px = (map_box.w() * map_box.h() / data.areas.len() as f64).sqrt();
    let mut hits = Vec::with_capacity(order.len());
    for i in order {
        let av = &data.areas[i];
        let ar = &layers[av.layer].areas[av.area];
        let rings: Vec<Vec<(f64, f64)>> = ar
            .rings
            .iter()
            .map(|r| r.iter().map(|&q| to_px(q)).collect())
            .collect();
        let fill = av
            .value
            .and_then(|v| class_of(v, &bounds))
            .map(|c| class_color(c, classes));
        for r in &rings {
            let pts: Vec<(i32, i32)> = r
                .iter()
                .map(|&(x, y)| (x.round() as i32, y.round() as i32))
                .collect();
            area.draw(&Polygon::new(
                pts.clone(),
                fill.unwrap_or(theme.background).filled(),
            ))
            .map_err(err)?;
        }
        if fill.is_none() {
            hatch(area, &rings, 5.0, RGBColor(0x92, 0x92, 0x92))?;
        }
        // Borders only where areas are big enough for them not to hide the colours.
        if stroke_px > 6.0 || fill.is_none() {
            let c = if fill.is_none() {
                RGBColor(0x92, 0x92, 0x92)
            } else {
                theme.background
            };
            for r in &rings {
                outline(area, r, c, 1)?;
            }
        }
        let bbox = super::geo::bbox_of(rings.iter().flatten());
        hits.push(MapHit {
            code: ar.code.clone(),
            name: ar.name.clone(),
            value: av.value,
            formatted: av.value.map(&fmt).unwrap_or_default(),
            rings,
            bbox,
        });
    }
    if let Some(h) = focus.and_then(|c| hits.iter().find(|h| h.code == c)) {
        for r in &h.rings {
            outline(area, r, theme.text, 3)?;
        }
    }

    // Legend.
    let (lx, ly) = if wide {
        (map_box.x1 + 12.0, plot.y0 + 4.0)
    } else {
        (plot.x0, map_box.y1 + 8.0)
    };
    let title = legend_title(spec, meaning, theme.locale);
    p.text(
        &text::truncate(&title, small, legend_w),
        lx,
        ly,
        p.label(small).bold(),
    )?;
    let sw = 18.0;
    for c in (0..classes).rev() {
        let row = (classes - 1 - c) as f64;
        let y = ly + line * (row + 1.0);
        let col = class_color(c, classes);
        p.rect(
            Rect {
                x0: lx,
                y0: y,
                x1: lx + sw,
                y1: y + small + 2.0,
            },
            col,
        )?;
        outline(
            area,
            &[
                (lx, y),
                (lx + sw, y),
                (lx + sw, y + small + 2.0),
                (lx, y + small + 2.0),
            ],
            theme.axis,
            1,
        )?;
        let label = match theme.locale {
            Locale::Fr => format!("{} à {}", fmt(bounds[c]), fmt(bounds[c + 1])),
            Locale::En => format!("{} to {}", fmt(bounds[c]), fmt(bounds[c + 1])),
        };
        p.text(
            &text::truncate(&label, small, legend_w - sw - 8.0),
            lx + sw + 6.0,
            y + 1.0,
            p.label(small),
        )?;
    }
    if no_data {
        let y = ly + line * (classes as f64 + 1.0);
        let sq = vec![
            (lx, y),
            (lx + sw, y),
            (lx + sw, y + small + 2.0),
            (lx, y + small + 2.0),
        ];
        hatch(
            area,
            std::slice::from_ref(&sq),
            4.0,
            RGBColor(0x92, 0x92, 0x92),
        )?;
        outline(area, &sq, theme.axis, 1)?;
        let label = match theme.locale {
            Locale::Fr => "Pas de donnée",
            Locale::En => "No data",
        };
        p.text(label, lx + sw + 6.0, y + 1.0, p.label(small))?;
    }
    draw_attribution(&p, plot)?;
    Ok(MapLayout { hits, data, bounds })
}

/// What the legend's values are: « Moyenne de taux_com », « Nombre de lignes ».
fn legend_title(spec: &ChartSpec, meaning: &Meaning, locale: Locale) -> String {
    use crate::core::query::AggOp;
    let Some(y) = spec.y.as_deref() else {
        return match locale {
            Locale::Fr => "Nombre de lignes".into(),
            Locale::En => "Number of rows".into(),
        };
    };
    let agg = match (locale, meaning.agg.unwrap_or(AggOp::Sum)) {
        (Locale::Fr, AggOp::Mean) => "Moyenne",
        (Locale::Fr, AggOp::Median) => "Médiane",
        (Locale::Fr, AggOp::Min) => "Minimum",
        (Locale::Fr, AggOp::Max) => "Maximum",
        (Locale::Fr, AggOp::CountDistinct) => "Valeurs distinctes",
        (Locale::Fr, _) => "Somme",
        (Locale::En, AggOp::Mean) => "Mean",
        (Locale::En, AggOp::Median) => "Median",
        (Locale::En, AggOp::Min) => "Minimum",
        (Locale::En, AggOp::Max) => "Maximum",
        (Locale::En, AggOp::CountDistinct) => "Distinct values",
        (Locale::En, _) => "Sum",
    };
    match locale {
        Locale::Fr => format!("{agg} de {y}"),
        Locale::En => format!("{agg} of {y}"),
    }
}

fn draw_attribution<DB: DrawingBackend>(p: &Painter<DB>, plot: Rect) -> Result<(), ChartError> {
    p.text(
        ATTRIBUTION,
        plot.x1,
        plot.y1,
        p.label(p.theme.label_size)
            .color(p.theme.text_muted)
            .anchor(HPos::Right, VPos::Bottom),
    )
}

/// A closed outline of `width` px.
fn outline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ring: &[(f64, f64)],
    color: RGBColor,
    width: u32,
) -> Result<(), ChartError> {
    let mut pts: Vec<(i32, i32)> = ring
        .iter()
        .map(|&(x, y)| (x.round() as i32, y.round() as i32))
        .collect();
    if let Some(&first) = pts.first() {
        pts.push(first);
    }
    let style = ShapeStyle {
        color: color.to_rgba(),
        filled: false,
        stroke_width: width,
    };
    area.draw(&PathElement::new(pts, style)).map_err(err)
}

/// Diagonal hatching (45°, every `step` px) inside `rings` (even-odd), for "no data". Plotters
/// has no clipping, so each hatch line is cut at the rings' edges.
fn hatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rings: &[Vec<(f64, f64)>],
    step: f64,
    color: RGBColor,
) -> Result<(), ChartError> {
    let pts = rings.iter().flatten();
    let (mut lo, mut hi) = (f64::MAX, f64::MIN);
    for &(x, y) in pts {
        lo = lo.min(y - x);
        hi = hi.max(y - x);
    }
    if lo > hi {
        return Ok(());
    }
    let mut c = (lo / step).ceil() * step;
    while c <= hi {
        // Crossings of the line y = x + c with every edge, by x.
        let mut xs: Vec<f64> = Vec::new();
        for r in rings {
            for k in 0..r.len() {
                let (ax, ay) = r[k];
                let (bx, by) = r[(k + 1) % r.len()];
                let fa = ay - ax - c;
                let fb = by - bx - c;
                if (fa > 0.0) != (fb > 0.0) {
                    let t = fa / (fa - fb);
                    xs.push(ax + t * (bx - ax));
                }
            }
        }
        xs.sort_by(f64::total_cmp);
        for pair in xs.chunks_exact(2) {
            let (x0, x1) = (pair[0], pair[1]);
            if x1 - x0 < 0.5 {
                continue;
            }
            area.draw(&PathElement::new(
                vec![
                    (x0.round() as i32, (x0 + c).round() as i32),
                    (x1.round() as i32, (x1 + c).round() as i32),
                ],
                ShapeStyle {
                    color: color.to_rgba(),
                    filled: false,
                    stroke_width: 1,
                },
            ))
            .map_err(err)?;
        }
        c += step;
    }
    Ok(())
}
