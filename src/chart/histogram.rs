//! The histogram: how many rows fall in each bin of a numeric column. Bins have "nice" edges
//! (a step of 1, 2, 2.5 or 5 times a power of ten) and there are about 10 to 20 of them; each
//! bin holds `[lo, hi[`, the last one also holds its upper edge.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, GAP};
use super::data::{self, Cols};
use super::draw::{Painter, Rect};
use super::figure::Figure;
use super::scale::nice_step;
use super::text;
use super::theme::Locale;
use super::Measure;
use super::{ChartError, Mark};
use crate::core::query::QueryResult;

/// Bin edges (`counts.len() + 1` of them) and counts for `values`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bins {
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
}

/// Nice bins for `values` (finite numbers); `None` when there are none.
pub fn bins(values: &[f64]) -> Option<Bins> {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !min.is_finite() || !max.is_finite() {
        return None;
    }
    // A nice step rounds the raw step up by at most 2x, so aiming at 20 bins gives 10 to 20.
    let range = max - min;
    let step = if range > 0.0 {
        nice_step(range / 20.0)
    } else {
        nice_step(if min == 0.0 { 1.0 } else { min.abs() / 10.0 })
    };
    let lo = (min / step).floor() * step;
    let n = (((max - lo) / step).ceil() as usize).max(1);
    let edges: Vec<f64> = (0..=n).map(|i| lo + step * i as f64).collect();
    let mut counts = vec![0usize; n];
    for v in values {
        let i = (((v - lo) / step).floor().max(0.0) as usize).min(n - 1);
        counts[i] += 1;
    }
    Some(Bins { edges, counts })
}

/// Draws the histogram of `y` (or of `x` when there is no `y`).
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    mut plot: Rect,
    table: &QueryResult,
    cols: &Cols,
    unit: &Measure<'_>,
) -> Result<Option<Vec<Mark>>, ChartError> {
    let Some(col) = cols.y.or(cols.x) else {
        return Ok(None);
    };
    let Some(b) = bins(&data::numbers(table, col)) else {
        return Ok(None);
    };
    let theme = p.theme;
    let size = theme.label_size;
    let (rows_word, from, to) = match theme.locale {
        Locale::Fr => ("Nombre de lignes", "de", "à"),
        Locale::En => ("Number of rows", "from", "to"),
    };
    let muted = p.label(size).color(theme.text_muted);
    p.text(
        rows_word,
        plot.x0,
        plot.y0,
        muted.anchor(HPos::Left, VPos::Top),
    )?;
    plot.y0 += size * 1.6 + 4.0 + size * 1.2;
    let max_count = b.counts.iter().copied().max().unwrap_or(0) as f64;
    let counts = Measure {
        unit: None,
        figure: Figure::Amount,
        totals: true,
        x: Figure::Amount,
    };
    let va = axes::value_axis(0.0, max_count, plot.h() - 40.0, theme, &counts, true);
    let x_title_h = size * 1.4;
    let inner = Rect {
        x0: plot.x0 + va.label_w + GAP,
        y0: plot.y0,
        x1: plot.x1 - 12.0,
        y1: plot.y1 - size * 1.2 - GAP - x_title_h,
    };
    axes::draw_value_axis(p, &va, inner)?;
    let (lo, hi) = (b.edges[0], b.edges[b.edges.len() - 1]);
    let x_of = |v: f64| inner.x0 + (v - lo) / (hi - lo) * inner.w();
    let slot = inner.w() / b.counts.len() as f64;
    let count_style = p.label(size).anchor(HPos::Center, VPos::Bottom);
    let mut marks = Vec::new();
    for (i, c) in b.counts.iter().enumerate() {
        let (a, z) = (b.edges[i], b.edges[i + 1]);
        let top = va.axis.map(*c as f64, inner.y1, inner.y0);
        let r = Rect {
            x0: x_of(a) + 1.0,
            y0: top,
            x1: x_of(z),
            y1: inner.y1,
        };
        p.rect(r, theme.primary)?;
        let shown = c.to_string();
        if *c > 0 && text::width(&shown, size) <= slot - 2.0 {
            p.text(&shown, (r.x0 + r.x1) / 2.0, top - 3.0, count_style)?;
        }
        marks.push(Mark {
            x: r.x0.round() as i32,
            y: top.round() as i32,
            w: r.w().round() as i32,
            h: r.h().round() as i32,
            label: format!(
                "{from} {} {to} {}",
                unit.text(a, theme),
                unit.text(z, theme)
            ),
            value: *c as f64,
            formatted: shown,
        });
    }
    let ticks: Vec<(f64, String)> = b
        .edges
        .iter()
        .map(|e| (x_of(*e), unit.text(*e, theme)))
        .collect();
    axes::draw_x_ticks(p, &ticks, inner)?;
    let title = text::truncate(&Cols::name(table, Some(col)), size, inner.w());
    p.text(
        &title,
        inner.x1,
        plot.y1,
        muted.anchor(HPos::Right, VPos::Bottom),
    )?;
    Ok(Some(marks))
}
