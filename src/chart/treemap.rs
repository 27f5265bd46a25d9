//! The treemap for budget breakdowns: squarified tiles (Bruls, Huizing and van Wijk, 2000) of
//! the positive `y` amounts by `x`, largest first, each tile labelled inside with its name and
//! value when they fit. Very small items (under 0.5 % of the total, or beyond the 30th) are
//! folded into one grey "Autres" tile so that no tile is a sliver.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{self, Cols};
use super::draw::{Painter, Rect};
use super::text;
use super::theme::text_on;
use super::Measure;
use super::{ChartError, Mark};
use crate::core::query::QueryResult;

/// The most tiles drawn before folding the rest into "Autres".
const MAX_TILES: usize = 30;
/// Smallest share of the total shown as its own tile.
const MIN_SHARE: f64 = 0.005;

/// Worst aspect ratio of a row of `areas` laid along a side of length `side`.
fn worst(areas: &[f64], side: f64) -> f64 {
    let s: f64 = areas.iter().sum();
    let (mn, mx) = areas.iter().fold((f64::INFINITY, 0.0f64), |(mn, mx), a| {
        (mn.min(*a), mx.max(*a))
    });
    let s2 = s * s;
    let w2 = side * side;
    (w2 * mx / s2).max(s2 / (w2 * mn))
}

/// Squarified tiles for `values` (positive, sorted from the largest) filling `r`, in order.
pub fn squarify(values: &[f64], r: Rect) -> Vec<Rect> {
    let total: f64 = values.iter().sum();
    if total <= 0.0 || r.w() <= 0.0 || r.h() <= 0.0 {
        return Vec::new();
    }
    let scale = r.w() * r.h() / total;
    let areas: Vec<f64> = values.iter().map(|v| v * scale).collect();
    let mut out = Vec::with_capacity(values.len());
    let mut free = r;
    let mut i = 0;
    while i < areas.len() {
        let side = free.w().min(free.h());
        let mut j = i + 1;
        while j < areas.len() && worst(&areas[i..=j], side) <= worst(&areas[i..j], side) {
            j += 1;
        }
        let row = &areas[i..j];
        let s: f64 = row.iter().sum();
        if free.w() >= free.h() {
            // A column on the left.
            let w = if free.h() > 0.0 { s / free.h() } else { 0.0 };
            let mut y = free.y0;
            for a in row {
                let h = if w > 0.0 { a / w } else { 0.0 };
                out.push(Rect {
                    x0: free.x0,
                    y0: y,
                    x1: free.x0 + w,
                    y1: y + h,
                });
                y += h;
            }
            free.x0 += w;
        } else {
            // A row along the top.
            let h = if free.w() > 0.0 { s / free.w() } else { 0.0 };
            let mut x = free.x0;
            for a in row {
                let w = if h > 0.0 { a / h } else { 0.0 };
                out.push(Rect {
                    x0: x,
                    y0: free.y0,
                    x1: x + w,
                    y1: free.y0 + h,
                });
                x += w;
            }
            free.y0 += h;
        }
        i = j;
    }
    out
}

/// Draws the treemap of `y` by `x`.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    plot: Rect,
    table: &QueryResult,
    cols: &Cols,
    unit: &Measure<'_>,
) -> Result<Option<Vec<Mark>>, ChartError> {
    let Some(y) = cols.y else { return Ok(None) };
    let mut cats: Vec<(String, f64)> = data::categories(table, cols.x, y)
        .into_iter()
        .filter(|(_, v)| *v > 0.0)
        .collect();
    if cats.is_empty() {
        return Ok(None);
    }
    let theme = p.theme;
    let prior = data::take_others(&mut cats);
    cats.sort_by(|a, b| b.1.total_cmp(&a.1));
    let total: f64 = cats.iter().map(|c| c.1).sum::<f64>() + prior.unwrap_or(0.0);
    let keep = cats
        .iter()
        .take(MAX_TILES)
        .take_while(|(_, v)| v / total >= MIN_SHARE)
        .count()
        .max(1);
    let mut folded = false;
    // Values that do not add up (rates, means, extremes) are never folded into an "Autres"
    // sum: the small tiles are left out instead.
    let prior = prior.filter(|_| unit.totals);
    if !unit.totals {
        cats.truncate(keep);
    } else if keep < cats.len() && (cats.len() - keep >= 2 || prior.is_some()) {
        let tail = cats.split_off(keep);
        let sum = tail.iter().map(|c| c.1).sum::<f64>() + prior.unwrap_or(0.0);
        let label = match prior {
            Some(_) => theme.others().to_string(),
            None => format!("{} ({})", theme.others(), tail.len()),
        };
        cats.push((label, sum));
        folded = true;
    } else if let Some(v) = prior {
        cats.push((theme.others().to_string(), v));
        folded = true;
    }
    let values: Vec<f64> = cats.iter().map(|c| c.1).collect();
    let tiles = squarify(&values, plot);
    let size = theme.label_size;
    let mut marks = Vec::with_capacity(tiles.len());
    for (i, (t, (name, v))) in tiles.iter().zip(&cats).enumerate() {
        let is_other = folded && i == cats.len() - 1;
        let color = if is_other {
            theme.other
        } else {
            theme.color(i)
        };
        // A 1-px white gutter between tiles.
        let r = Rect {
            x0: t.x0 + 1.0,
            y0: t.y0 + 1.0,
            x1: t.x1 - 1.0,
            y1: t.y1 - 1.0,
        };
        p.rect(r, color)?;
        let shown = unit.text(*v, theme);
        let ink = text_on(color, theme);
        let pad = 6.0;
        let line = size * 1.35;
        if r.w() >= 36.0 && r.h() >= line + 2.0 * pad - 2.0 {
            let room = r.w() - 2.0 * pad;
            // The name takes two lines when the tile is tall enough for them and the value.
            let lines = if r.h() >= 3.0 * line + 2.0 * pad - 2.0 {
                text::wrap2(name, size, room / text::BOLD)
            } else {
                vec![text::truncate(name, size, room / text::BOLD)]
            };
            // A name cut to a letter or two says nothing: the tooltip will tell.
            let readable = lines
                .iter()
                .all(|l| l.trim_end_matches('\u{2026}').chars().count() >= 3);
            let style = p.label(size).color(ink).anchor(HPos::Left, VPos::Top);
            let mut y = r.y0 + pad;
            if readable {
                for l in &lines {
                    p.text(l, r.x0 + pad, y, style.bold())?;
                    y += line;
                }
            }
            // A share of the total only when the values add up to one (see `Meaning::totals`).
            let detail = if unit.totals {
                format!("{shown} · {}", theme.percent(v / total))
            } else {
                shown.clone()
            };
            let detail = if text::width(&detail, size) <= room {
                detail
            } else {
                shown.clone()
            };
            if readable && y + line <= r.y1 - pad + 2.0 && text::width(&detail, size) <= room {
                p.text(&detail, r.x0 + pad, y, style)?;
            }
        }
        marks.push(Mark {
            x: r.x0.round() as i32,
            y: r.y0.round() as i32,
            w: r.w().round() as i32,
            h: r.h().round() as i32,
            label: name.clone(),
            value: *v,
            formatted: shown,
        });
    }
    Ok(Some(marks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_fill_the_box_in_proportion() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 600.0,
            y1: 400.0,
        };
        let tiles = squarify(&[6.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.0], r);
        assert_eq!(tiles.len(), 7);
        let area: f64 = tiles.iter().map(|t| t.w() * t.h()).sum();
        assert!((area - 240_000.0).abs() < 1e-6);
        let first = tiles[0].w() * tiles[0].h();
        assert!((first - 240_000.0 * 6.0 / 24.0).abs() < 1e-6);
        for t in &tiles {
            assert!(t.x0 >= -1e-9 && t.x1 <= 600.0 + 1e-9 && t.y0 >= -1e-9 && t.y1 <= 400.0 + 1e-9);
        }
    }
}
