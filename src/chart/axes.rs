//! Axes shared by the cartesian charts: a value axis on the left with grid lines, a numeric
//! axis along the bottom that drops labels rather than overlap them, and category labels that
//! turn vertical (and get truncated) when the slots are too narrow, as on a phone.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{Painter, Rect};
use super::figure::{self, Figure};
use super::scale::Axis;
use super::text;
use super::theme::Theme;
use super::ChartError;
use super::Measure;

/// Gap between tick labels and the plot.
pub const GAP: f64 = 6.0;

/// A value axis with its formatted tick labels.
pub struct ValueAxis {
    pub axis: Axis,
    pub labels: Vec<String>,
    /// Widest label, px.
    pub label_w: f64,
}

/// About one tick every 60 px, between 2 and 6 intervals.
pub fn tick_target(length: f64) -> usize {
    ((length / 60.0).floor() as usize).clamp(2, 6)
}

/// A nice value axis over `[min, max]` for `length` px, labels in the theme's locale.
pub fn value_axis(
    min: f64,
    max: f64,
    length: f64,
    theme: &Theme,
    unit: &Measure<'_>,
    integer: bool,
) -> ValueAxis {
    let axis = Axis::nice(min, max, tick_target(length), integer);
    let labels: Vec<String> = axis.ticks.iter().map(|&t| unit.text(t, theme)).collect();
    let label_w = labels
        .iter()
        .map(|l| text::width(l, theme.label_size))
        .fold(0.0, f64::max);
    ValueAxis {
        axis,
        labels,
        label_w,
    }
}

/// Labels for numeric `x` ticks: as the column's figure says (`20 %` for a rate, `2026` for a
/// year or a code); for plain numbers, plain years (`2026`, no separator) when the axis is whole
/// numbers between 1800 and 2200, compact numbers otherwise (`150 000`, `1,5 M`).
pub fn number_labels(ticks: &[f64], integer: bool, theme: &Theme, x: Figure) -> Vec<String> {
    let years = integer && ticks.iter().all(|t| (1800.0..=2200.0).contains(t));
    ticks
        .iter()
        .map(|t| {
            if x != Figure::Amount {
                figure::compact(*t, x, None, theme.locale)
            } else if years {
                format!("{t}")
            } else {
                theme.compact(*t, None)
            }
        })
        .collect()
}

/// Horizontal grid lines and tick labels left of `plot`; the zero line is drawn darker.
pub fn draw_value_axis<DB: DrawingBackend>(
    p: &Painter<DB>,
    va: &ValueAxis,
    plot: Rect,
) -> Result<(), ChartError> {
    let style = p
        .label(p.theme.label_size)
        .color(p.theme.text_muted)
        .anchor(HPos::Right, VPos::Center);
    for (t, l) in va.axis.ticks.iter().zip(&va.labels) {
        let y = va.axis.map(*t, plot.y1, plot.y0).round();
        let color = if *t == 0.0 {
            p.theme.axis
        } else {
            p.theme.grid
        };
        p.line(&[(plot.x0, y), (plot.x1, y)], color, 1)?;
        p.text(l, plot.x0 - GAP, y, style)?;
    }
    Ok(())
}

/// Tick labels under `plot` for a numeric `x` axis. When neighbours would touch, only every
/// k-th tick is labelled (the smallest k that leaves 8 px between labels), so intervals stay
/// regular; a label that would stick out of the drawing is dropped.
pub fn draw_x_ticks<DB: DrawingBackend>(
    p: &Painter<DB>,
    ticks: &[(f64, String)],
    plot: Rect,
) -> Result<(), ChartError> {
    let size = p.theme.label_size;
    let style = p
        .label(size)
        .color(p.theme.text_muted)
        .anchor(HPos::Center, VPos::Top);
    let spans: Vec<(f64, f64)> = ticks
        .iter()
        .map(|(x, l)| {
            let w = text::width(l, size);
            (x - w / 2.0, x + w / 2.0)
        })
        .collect();
    let fits = |k: usize| {
        let kept: Vec<&(f64, f64)> = spans.iter().step_by(k).collect();
        kept.windows(2).all(|w| w[1].0 >= w[0].1 + 8.0)
    };
    let every = (1..=ticks.len().max(1)).find(|k| fits(*k)).unwrap_or(1);
    for ((x, l), (left, right)) in ticks.iter().zip(&spans).step_by(every) {
        if *left < 0.0 || *right > p.width {
            continue;
        }
        p.line(&[(*x, plot.y1), (*x, plot.y1 + 4.0)], p.theme.axis, 1)?;
        p.text(l, *x, plot.y1 + GAP, style)?;
    }
    Ok(())
}

/// How category labels fit under their slots.
pub struct CategoryLabels {
    /// Lines of each label as drawn (possibly truncated); empty for skipped ones.
    pub texts: Vec<Vec<String>>,
    pub vertical: bool,
    /// Height the labels need under the plot, px.
    pub height: f64,
}

/// Slots at least this wide get horizontal labels on two lines rather than vertical ones.
const MIN_WRAP_SLOT: f64 = 80.0;

/// Chooses horizontal labels when every one fits its slot, two-line horizontal labels when the
/// slots are wide enough, otherwise vertical labels cut to `max_h` px, showing only every k-th
/// label when even vertical ones would overlap.
pub fn category_labels(labels: &[String], slot: f64, size: f64, max_h: f64) -> CategoryLabels {
    let line = size * 1.3;
    let widest = labels
        .iter()
        .map(|l| text::width(l, size))
        .fold(0.0, f64::max);
    if widest <= slot - 6.0 {
        let texts = labels.iter().map(|l| vec![l.clone()]).collect();
        return CategoryLabels {
            texts,
            vertical: false,
            height: line + GAP,
        };
    }
    if slot >= MIN_WRAP_SLOT {
        let texts: Vec<Vec<String>> = labels
            .iter()
            .map(|l| text::wrap2(l, size, slot - 6.0))
            .collect();
        let lines = texts.iter().map(Vec::len).max().unwrap_or(1) as f64;
        return CategoryLabels {
            texts,
            vertical: false,
            height: line * lines + GAP,
        };
    }
    let every = (line / slot.max(1.0)).ceil().max(1.0) as usize;
    let texts: Vec<Vec<String>> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i % every == 0 {
                vec![text::truncate(l, size, max_h)]
            } else {
                Vec::new()
            }
        })
        .collect();
    let tallest = texts
        .iter()
        .flatten()
        .map(|l| text::width(l, size))
        .fold(0.0, f64::max);
    CategoryLabels {
        texts,
        vertical: true,
        height: tallest + GAP + 2.0,
    }
}

/// Draws category labels centred on `centers`, under the line `y`.
pub fn draw_category_labels<DB: DrawingBackend>(
    p: &Painter<DB>,
    cl: &CategoryLabels,
    centers: &[f64],
    y: f64,
) -> Result<(), ChartError> {
    let size = p.theme.label_size;
    let base = p.label(size).color(p.theme.text_muted);
    let style = if cl.vertical {
        base.anchor(HPos::Right, VPos::Center).vertical()
    } else {
        base.anchor(HPos::Center, VPos::Top)
    };
    for (lines, x) in cl.texts.iter().zip(centers) {
        for (k, t) in lines.iter().enumerate() {
            p.text(t, *x, y + GAP + size * 1.3 * k as f64, style)?;
        }
    }
    Ok(())
}
