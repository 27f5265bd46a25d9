//! Vertical bars: one bar per category ([`bar`]) or bars stacked by series ([`stacked`], with
//! a legend). Positive parts stack upwards from zero and negative parts downwards. Values are
//! written above the bars when they fit in the bar's slot.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

use super::axes::{self, GAP};
use super::data::{self, Cols};
use super::draw::{Painter, Rect};
use super::text;
use super::Measure;
use super::{ChartError, Mark};
use crate::core::query::QueryResult;

/// Simple bars of `y` by `x`, in the table's order (repeated categories summed).
pub fn bar<DB: DrawingBackend>(
    p: &Painter<DB>,
    plot: Rect,
    table: &QueryResult,
    cols: &Cols,
    unit: &Measure<'_>,
) -> Result<Option<Vec<Mark>>, ChartError> {
    let Some(y) = cols.y else { return Ok(None) };
    let cats = data::categories(table, cols.x, y);
    if cats.is_empty() {
        return Ok(None);
    }
    let xs: Vec<String> = cats.iter().map(|(n, _)| n.clone()).collect();
    let values: Vec<Vec<f64>> = cats.iter().map(|(_, v)| vec![*v]).collect();
    columns(p, plot, &xs, &values, None, unit).map(Some)
}

/// Bars of `y` by `x`, stacked by `series` (one colour per series, legend on top).
pub fn stacked<DB: DrawingBackend>(
    p: &Painter<DB>,
    plot: Rect,
    table: &QueryResult,
    cols: &Cols,
    unit: &Measure<'_>,
) -> Result<Option<Vec<Mark>>, ChartError> {
    let Some(y) = cols.y else { return Ok(None) };
    let pv = data::pivot(table, cols.x, cols.series, y);
    if pv.xs.is_empty() {
        return Ok(None);
    }
    columns(p, plot, &pv.xs, &pv.values, Some(&pv.series), unit).map(Some)
}

/// Draws a wrapped legend of coloured squares at the top of `plot`; returns the height used.
pub fn legend<DB: DrawingBackend>(
    p: &Painter<DB>,
    plot: Rect,
    names: &[String],
    color: impl Fn(usize) -> RGBColor,
) -> Result<f64, ChartError> {
    let size = p.theme.label_size;
    let line_h = size * 1.6;
    let style = p
        .label(size)
        .color(p.theme.text_muted)
        .anchor(HPos::Left, VPos::Center);
    let (mut x, mut y) = (plot.x0, plot.y0 + line_h / 2.0);
    for (i, name) in names.iter().enumerate() {
        let name = text::truncate(name, size, plot.w() - 16.0);
        let w = 14.0 + text::width(&name, size);
        if x > plot.x0 && x + w > plot.x1 {
            x = plot.x0;
            y += line_h;
        }
        p.rect(
            Rect {
                x0: x,
                y0: y - 5.0,
                x1: x + 10.0,
                y1: y + 5.0,
            },
            color(i),
        )?;
        p.text(&name, x + 14.0, y, style)?;
        x += w + 16.0;
    }
    Ok(y + line_h / 2.0 - plot.y0 + 6.0)
}

/// Shared vertical-bar drawing: `values[i]` are the stacked parts of category `xs[i]`.
fn columns<DB: DrawingBackend>(
    p: &Painter<DB>,
    mut plot: Rect,
    xs: &[String],
    values: &[Vec<f64>],
    series: Option<&[String]>,
    unit: &Measure<'_>,
) -> Result<Vec<Mark>, ChartError> {
    let theme = p.theme;
    let size = theme.label_size;
    let color = |j: usize| {
        if series.is_some() {
            theme.color(j)
        } else {
            theme.primary
        }
    };
    if let Some(names) = series {
        plot.y0 += legend(p, plot, names, color)?;
    }
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for parts in values {
        lo = lo.min(parts.iter().filter(|v| **v < 0.0).sum());
        hi = hi.max(parts.iter().filter(|v| **v > 0.0).sum());
    }
    // Room above the bars for their value labels.
    plot.y0 += size * 1.4;
    let va = axes::value_axis(lo, hi, plot.h() - 40.0, theme, unit, false);
    let left = plot.x0 + va.label_w + GAP;
    let slot = (plot.x1 - left) / xs.len() as f64;
    let cl = axes::category_labels(xs, slot, size, (plot.h() * 0.35).max(40.0));
    let inner = Rect {
        x0: left,
        y0: plot.y0,
        x1: plot.x1,
        y1: plot.y1 - cl.height,
    };
    axes::draw_value_axis(p, &va, inner)?;

    let bar_w = (slot * 0.7).clamp(1.0, 72.0);
    // Value labels on every bar or on none: a few labelled bars would look like a highlight.
    let values_fit = values
        .iter()
        .all(|parts| text::width(&unit.text(parts.iter().sum(), theme), size) <= slot - 2.0);
    let centers: Vec<f64> = (0..xs.len())
        .map(|i| left + slot * (i as f64 + 0.5))
        .collect();
    let y_of = |v: f64| va.axis.map(v, inner.y1, inner.y0);
    let mut marks = Vec::new();
    let value_style = p.label(size).anchor(HPos::Center, VPos::Bottom);
    for (i, parts) in values.iter().enumerate() {
        let (mut up, mut down) = (0.0, 0.0);
        for (j, v) in parts.iter().enumerate() {
            if *v == 0.0 {
                continue;
            }
            let (a, b) = if *v > 0.0 {
                up += v;
                (up - v, up)
            } else {
                down += v;
                (down - v, down)
            };
            let (ya, yb) = (y_of(a).round(), y_of(b).round());
            // A non-zero part stays visible (and hoverable) even when it rounds to no pixel.
            let top = ya.min(yb);
            let r = Rect {
                x0: centers[i] - bar_w / 2.0,
                y0: top,
                x1: centers[i] + bar_w / 2.0,
                y1: ya.max(yb).max(top + 1.0),
            };
            p.rect(r, color(j))?;
            let label = match series {
                Some(names) => format!("{} · {}", xs[i], names.get(j).map_or("", |s| s.as_str())),
                None => xs[i].clone(),
            };
            marks.push(Mark {
                x: r.x0.round() as i32,
                y: r.y0.round() as i32,
                w: r.w().round() as i32,
                h: r.h().round() as i32,
                label,
                value: *v,
                formatted: unit.text(*v, theme),
            });
        }
        // The value (or stacked total) above the bar, below it for a negative total.
        let total: f64 = parts.iter().sum();
        let l = unit.text(total, theme);
        // A stack of means or rates has no total worth printing.
        if values_fit && (series.is_none() || unit.totals) {
            let (ty, style) = if total >= 0.0 {
                (y_of(up) - 3.0, value_style)
            } else {
                (
                    y_of(down) + 3.0,
                    value_style.anchor(HPos::Center, VPos::Top),
                )
            };
            p.text(&l, centers[i], ty, style)?;
        }
    }
    axes::draw_category_labels(p, &cl, &centers, inner.y1)?;
    Ok(marks)
}
