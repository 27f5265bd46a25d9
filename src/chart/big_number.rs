//! The big-number card: one amount, written large and short (`4,5 Md€`), with the exact value
//! under it when the short form rounds, and its label (the measure's column name). Several rows
//! are summed, so "one row, one number" and "total of a column" both work.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{self, Cols};
use super::draw::{Painter, Rect};
use super::figure::Figure;
use super::format::{en_number, fr_number};
use super::text;
use super::theme::Locale;
use super::Measure;
use super::{ChartError, Mark};
use crate::core::query::QueryResult;

/// Draws the card for `y`.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    plot: Rect,
    table: &QueryResult,
    cols: &Cols,
    unit: &Measure<'_>,
) -> Result<Option<Vec<Mark>>, ChartError> {
    let Some(y) = cols.y else { return Ok(None) };
    let values = data::numbers(table, y);
    if values.is_empty() {
        return Ok(None);
    }
    let theme = p.theme;
    let value: f64 = values.iter().sum();
    let shown = unit.text(value, theme);
    let decimals = if value.fract().abs() > 1e-9 { 2 } else { 0 };
    let exact = match theme.locale {
        Locale::Fr => fr_number(value, decimals),
        Locale::En => en_number(value, decimals),
    };
    let exact = match unit.unit {
        // A rate or a code is already written in full.
        _ if unit.figure != Figure::Amount => shown.clone(),
        Some(u) if theme.locale == Locale::Fr => format!("{exact}\u{A0}{u}"),
        Some(u) => format!("{exact} {u}"),
        None => exact,
    };
    let label = Cols::name(table, Some(y));

    // The largest size that fits the width (with margins) and about a third of the height.
    let mut size = theme.big_number_size.min(plot.h() / 3.0);
    let w_at = text::width(&shown, size) * text::BOLD;
    if w_at > plot.w() * 0.9 {
        size *= plot.w() * 0.9 / w_at;
    }
    let size = size.max(theme.label_size * 1.5);
    let small = theme.label_size + 2.0;
    let cx = (plot.x0 + plot.x1) / 2.0;
    let cy = (plot.y0 + plot.y1) / 2.0;
    let show_exact = exact.replace(['\u{202F}', '\u{A0}', ' '], "")
        != shown.replace(['\u{202F}', '\u{A0}', ' '], "");
    let big_top = cy - size * 0.6;
    let style = p
        .label(size)
        .bold()
        .color(theme.primary)
        .anchor(HPos::Center, VPos::Center);
    p.text(&shown, cx, cy - size * 0.1, style)?;
    let muted = p
        .label(small)
        .color(theme.text_muted)
        .anchor(HPos::Center, VPos::Center);
    let label_cut = text::truncate(&label, small, plot.w() * 0.95);
    p.text(
        &label_cut,
        cx,
        big_top - small,
        p.label(small).anchor(HPos::Center, VPos::Center),
    )?;
    if show_exact {
        let exact_cut = text::truncate(&exact, small, plot.w() * 0.95);
        p.text(&exact_cut, cx, cy + size * 0.55 + small * 0.6, muted)?;
    }
    let w = text::width(&shown, size) * text::BOLD;
    Ok(Some(vec![Mark {
        x: (cx - w / 2.0).round() as i32,
        y: big_top.round() as i32,
        w: w.round() as i32,
        h: size.round() as i32,
        label,
        value,
        formatted: shown,
    }]))
}
