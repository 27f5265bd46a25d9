//! The ranking: horizontal bars sorted from the largest, category labels on the left (cut with
//! an ellipsis when long), values at the bar ends. When there are more rows than fit at a
//! readable height, the tail is folded into one grey "Autres" bar at the bottom when the values
//! add up (counts, sums); rates, means and extremes are never summed that way: their tail is
//! left out.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::GAP;
use super::data::{self, Cols};
use super::draw::{Painter, Rect};
use super::text;
use super::Measure;
use super::{ChartError, Mark};
use crate::core::query::QueryResult;

/// Draws the ranking of `y` by `x`.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    plot: Rect,
    table: &QueryResult,
    cols: &Cols,
    unit: &Measure<'_>,
) -> Result<Option<Vec<Mark>>, ChartError> {
    let Some(y) = cols.y else { return Ok(None) };
    let mut cats = data::categories(table, cols.x, y);
    if cats.is_empty() {
        return Ok(None);
    }
    let theme = p.theme;
    let size = theme.label_size;
    let prior = data::take_others(&mut cats);
    cats.sort_by(|a, b| b.1.total_cmp(&a.1));

    // A row needs about twice the font size to stay readable and tappable.
    let min_band = size * 2.0;
    let fit = ((plot.h() / min_band).floor() as usize).max(2);
    let mut folded = 0;
    // Values that do not add up (rates, means, extremes) are never folded into an "Autres"
    // sum: the bars that do not fit are left out, and the summary gives the spread.
    let prior = prior.filter(|_| unit.totals);
    if !unit.totals {
        cats.truncate(fit);
    } else if cats.len() + usize::from(prior.is_some()) > fit {
        let tail = cats.split_off((fit - 1).min(cats.len()));
        folded = tail.len().max(1);
        let sum: f64 = tail.iter().map(|(_, v)| v).sum::<f64>() + prior.unwrap_or(0.0);
        // The count is only known when the engine did not fold rows already.
        let label = match prior {
            Some(_) => theme.others().to_string(),
            None => format!("{} ({folded})", theme.others()),
        };
        cats.push((label, sum));
    } else if let Some(v) = prior {
        folded = 1;
        cats.push((theme.others().to_string(), v));
    }
    let n = cats.len();
    let band = (plot.h() / n as f64).min(size * 3.4);

    let values: Vec<String> = cats.iter().map(|(_, v)| unit.text(*v, theme)).collect();
    let value_w = values
        .iter()
        .map(|v| text::width(v, size))
        .fold(0.0, f64::max)
        + GAP;
    let label_w = cats
        .iter()
        .map(|(l, _)| text::width(l, size))
        .fold(0.0, f64::max)
        .min(plot.w() * 0.42);
    let lo = cats.iter().map(|c| c.1).fold(0.0, f64::min);
    let hi = cats.iter().map(|c| c.1).fold(0.0, f64::max);
    let x0 = plot.x0 + label_w + GAP + if lo < 0.0 { value_w } else { 0.0 };
    let x1 = plot.x1 - if hi > 0.0 { value_w } else { 0.0 };
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x_of = |v: f64| x0 + (v - lo) / span * (x1 - x0);
    let zero = x_of(0.0);

    let label_style = p.label(size).anchor(HPos::Right, VPos::Center);
    let mut marks = Vec::with_capacity(n);
    for (i, ((name, v), shown)) in cats.iter().zip(&values).enumerate() {
        let cy = plot.y0 + band * (i as f64 + 0.5);
        let thick = (band * 0.62).max(4.0);
        let is_other = folded > 0 && i == n - 1;
        let color = if is_other { theme.other } else { theme.primary };
        let r = Rect {
            x0: zero.min(x_of(*v)),
            y0: cy - thick / 2.0,
            x1: zero.max(x_of(*v)),
            y1: cy + thick / 2.0,
        };
        p.rect(r, color)?;
        let cut = text::truncate(name, size, label_w);
        p.text(&cut, plot.x0 + label_w, cy, label_style)?;
        let (vx, h) = if *v >= 0.0 {
            (r.x1 + 4.0, HPos::Left)
        } else {
            (r.x0 - 4.0, HPos::Right)
        };
        p.text(shown, vx, cy, p.label(size).anchor(h, VPos::Center))?;
        marks.push(Mark {
            x: r.x0.round() as i32,
            y: (cy - band / 2.0).round() as i32,
            w: (r.w().round() as i32).max(1),
            h: band.round() as i32,
            label: name.clone(),
            value: *v,
            formatted: shown.clone(),
        });
    }
    if lo < 0.0 {
        let bottom = plot.y0 + band * n as f64;
        p.line(&[(zero, plot.y0), (zero, bottom)], theme.axis, 1)?;
    }
    Ok(Some(marks))
}
