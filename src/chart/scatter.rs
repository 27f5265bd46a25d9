//! The scatter plot: one translucent dot per row with numbers in both `x` and `y`, nice axes on
//! both sides and the column names as axis titles. A row's tooltip label is its first text
//! cell (a commune, a mission) when the table has one.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, GAP};
use super::data::{self, Cols, XKind};
use super::draw::{Painter, Rect};
use super::figure;
use super::scale::Axis;
use super::text;
use super::Measure;
use super::{ChartError, Mark};
use crate::core::column::ColumnType;
use crate::core::query::QueryResult;

/// Draws `y` against `x`.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    mut plot: Rect,
    table: &QueryResult,
    cols: &Cols,
    unit: &Measure<'_>,
) -> Result<Option<Vec<Mark>>, ChartError> {
    let (Some(x), Some(y)) = (cols.x, cols.y) else {
        return Ok(None);
    };
    let kind = data::x_kind(table, x);
    if kind == XKind::Category {
        return Err(ChartError::NotNumeric(Cols::name(table, Some(x))));
    }
    let name_col = table.columns.iter().position(|c| c.ty == ColumnType::Text);
    let points: Vec<(f64, f64, usize)> = (0..table.rows.len())
        .filter_map(|r| {
            Some((
                data::x_position(table, r, x, kind)?,
                data::number(table, r, y)?,
                r,
            ))
        })
        .collect();
    if points.is_empty() {
        return Ok(None);
    }
    let theme = p.theme;
    let size = theme.label_size;
    let muted = p.label(size).color(theme.text_muted);

    // The y column's name sits above the axis, the x column's name under the ticks.
    let y_title = text::truncate(&Cols::name(table, Some(y)), size, plot.w());
    p.text(
        &y_title,
        plot.x0,
        plot.y0,
        muted.anchor(HPos::Left, VPos::Top),
    )?;
    plot.y0 += size * 1.6 + 4.0;
    let x_title_h = size * 1.4;

    let (ymin, ymax) = min_max(points.iter().map(|p| p.1));
    let va = axes::value_axis(ymin, ymax, plot.h() - 40.0, theme, unit, false);
    let inner = Rect {
        x0: plot.x0 + va.label_w + GAP,
        y0: plot.y0,
        x1: plot.x1 - 8.0,
        y1: plot.y1 - size * 1.2 - GAP - x_title_h,
    };
    let (xmin, xmax) = min_max(points.iter().map(|p| p.0));
    let integer = kind == XKind::Integer;
    let ax = Axis::nice(
        xmin,
        xmax,
        ((inner.w() / 90.0) as usize).clamp(2, 8),
        integer,
    );
    let x_of = |v: f64| ax.map(v, inner.x0, inner.x1);
    axes::draw_value_axis(p, &va, inner)?;
    p.line(&[(inner.x0, inner.y0), (inner.x0, inner.y1)], theme.axis, 1)?;
    let labels = axes::number_labels(&ax.ticks, integer, theme, unit.x);
    let ticks: Vec<(f64, String)> = ax.ticks.iter().map(|t| x_of(*t)).zip(labels).collect();
    axes::draw_x_ticks(p, &ticks, inner)?;
    let x_title = text::truncate(&Cols::name(table, Some(x)), size, inner.w());
    p.text(
        &x_title,
        inner.x1,
        plot.y1,
        muted.anchor(HPos::Right, VPos::Bottom),
    )?;

    let mut marks = Vec::with_capacity(points.len());
    for (xv, yv, row) in points {
        let (px, py) = (x_of(xv), va.axis.map(yv, inner.y1, inner.y0));
        p.dot(px, py, 4, theme.primary, 0.65)?;
        let label = name_col
            .and_then(|c| data::label(table, row, c))
            .unwrap_or_else(|| {
                format!(
                    "{} ; {}",
                    figure::compact(xv, unit.x, None, theme.locale),
                    unit.text(yv, theme)
                )
            });
        marks.push(Mark {
            x: (px - 6.0).round() as i32,
            y: (py - 6.0).round() as i32,
            w: 12,
            h: 12,
            label,
            value: yv,
            formatted: unit.text(yv, theme),
        });
    }
    Ok(Some(marks))
}

fn min_max(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}
