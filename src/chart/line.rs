//! Lines over time: `x` years, dates, numbers or (sorted) text labels; one line per `series`
//! value with a legend, or one blue-france line with its last value written at its end. The
//! value axis always includes zero: amounts are compared honestly.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, GAP};
use super::data::{self, Cols, XKind};
use super::draw::{Painter, Rect};
use super::scale::{nice_step, Axis};
use super::text;
use super::theme::{Locale, Theme};
use super::vbar::legend;
use super::Measure;
use super::{ChartError, Mark};
use crate::core::query::QueryResult;
use crate::core::value::{civil_from_days, days_from_civil};

/// One line: (position, label of x, value), sorted by position.
struct Series {
    name: String,
    points: Vec<(f64, String, f64)>,
}

fn collect(table: &QueryResult, cols: &Cols, x: usize, y: usize) -> (XKind, Vec<Series>) {
    let kind = data::x_kind(table, x);
    let mut cats: Vec<String> = Vec::new();
    if kind == XKind::Category {
        cats = (0..table.rows.len())
            .filter_map(|r| data::label(table, r, x))
            .collect();
        cats.sort();
        cats.dedup();
    }
    let mut out: Vec<Series> = Vec::new();
    for row in 0..table.rows.len() {
        let (Some(v), Some(xl)) = (data::number(table, row, y), data::label(table, row, x)) else {
            continue;
        };
        let pos = match kind {
            XKind::Category => cats.iter().position(|c| *c == xl).map(|i| i as f64),
            _ => data::x_position(table, row, x, kind),
        };
        let Some(pos) = pos else { continue };
        let name = match cols.series {
            Some(s) => match data::label(table, row, s) {
                Some(n) => n,
                None => continue,
            },
            None => Cols::name(table, Some(y)),
        };
        let idx = match out.iter().position(|s| s.name == name) {
            Some(i) => i,
            None => {
                out.push(Series {
                    name,
                    points: Vec::new(),
                });
                out.len() - 1
            }
        };
        let pts = &mut out[idx].points;
        match pts.iter_mut().find(|p| p.0 == pos) {
            Some(p) => p.2 += v,
            None => pts.push((pos, xl, v)),
        }
    }
    for s in &mut out {
        s.points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    (kind, out)
}

const MONTHS_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Ticks for a date axis over `[lo, hi]` days: years, months or days depending on the span.
fn date_ticks(lo: f64, hi: f64, target: usize, theme: &Theme) -> Vec<(f64, String)> {
    let months = match theme.locale {
        Locale::Fr => MONTHS_FR,
        Locale::En => MONTHS_EN,
    };
    let (y0, m0, _) = civil_from_days(lo.floor() as i32);
    let (y1, _, _) = civil_from_days(hi.ceil() as i32);
    let span = hi - lo;
    let mut out = Vec::new();
    if span > 3.0 * 365.0 {
        let step = nice_step(f64::from(y1 - y0) / target as f64).max(1.0) as i32;
        let mut y = y0 - y0.rem_euclid(step);
        while y <= y1 + 1 {
            if let Some(d) = days_from_civil(y, 1, 1) {
                out.push((f64::from(d), y.to_string()));
            }
            y += step;
        }
    } else if span > 60.0 {
        let total = span / 30.4;
        let step = [1, 2, 3, 6, 12]
            .into_iter()
            .find(|s| total / f64::from(*s) <= target as f64)
            .unwrap_or(12);
        let mut m = (y0 * 12 + m0 as i32 - 1) / step * step;
        while m <= (y1 + 1) * 12 {
            let (yy, mm) = (m.div_euclid(12), m.rem_euclid(12) as u32 + 1);
            if let Some(d) = days_from_civil(yy, mm, 1) {
                out.push((f64::from(d), format!("{} {yy}", months[mm as usize - 1])));
            }
            m += step;
        }
    } else {
        let step = nice_step(span / target as f64).max(1.0);
        let mut d = (lo / step).floor() * step;
        while d <= hi {
            let (_, mm, dd) = civil_from_days(d as i32);
            out.push((d, format!("{dd} {}", months[mm as usize - 1])));
            d += step;
        }
    }
    out.retain(|(d, _)| *d >= lo && *d <= hi);
    out
}

/// Draws the line chart of `y` over `x`.
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
    let (kind, series) = collect(table, cols, x, y);
    let all: Vec<&(f64, String, f64)> = series.iter().flat_map(|s| &s.points).collect();
    if all.is_empty() {
        return Ok(None);
    }
    let theme = p.theme;
    let size = theme.label_size;
    let multi = series.len() > 1;
    let color = |i: usize| if multi { theme.color(i) } else { theme.primary };
    if multi {
        let names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
        plot.y0 += legend(p, plot, &names, color)?;
    }
    plot.y0 += size * 0.8;
    let vmin = all.iter().map(|p| p.2).fold(0.0, f64::min);
    let vmax = all.iter().map(|p| p.2).fold(0.0, f64::max);
    let va = axes::value_axis(vmin, vmax, plot.h() - 30.0, theme, unit, false);

    // The single line's last value is written after its end.
    let end_label = if multi {
        None
    } else {
        series
            .first()
            .and_then(|s| s.points.last())
            .map(|p| (p.2, unit.text(p.2, theme)))
    };
    let right_pad = end_label
        .as_ref()
        .map_or(8.0, |(_, l)| text::width(l, size) * text::BOLD + 10.0);
    let inner = Rect {
        x0: plot.x0 + va.label_w + GAP,
        y0: plot.y0,
        x1: plot.x1 - right_pad,
        y1: plot.y1 - size * 1.2 - GAP,
    };
    let xmin = all.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let xmax = all.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let target = ((inner.w() / 64.0).floor() as usize).clamp(2, 12);
    let (xlo, xhi, ticks): (f64, f64, Vec<(f64, String)>) = match kind {
        XKind::Date => {
            let (lo, hi) = if xmax > xmin {
                (xmin, xmax)
            } else {
                (xmin - 1.0, xmax + 1.0)
            };
            (lo, hi, date_ticks(lo, hi, target, theme))
        }
        XKind::Category => {
            let mut labels: Vec<(f64, String)> = all.iter().map(|p| (p.0, p.1.clone())).collect();
            labels.sort_by(|a, b| a.0.total_cmp(&b.0));
            labels.dedup_by(|a, b| a.0 == b.0);
            let hi = xmax.max(xmin + 1.0);
            (xmin, hi, labels)
        }
        XKind::Integer | XKind::Number => {
            let integer = kind == XKind::Integer;
            let (lo, hi) = if xmax > xmin {
                (xmin, xmax)
            } else {
                (xmin - 1.0, xmax + 1.0)
            };
            let ax = Axis::nice(lo, hi, target, integer);
            let shown: Vec<f64> = ax
                .ticks
                .iter()
                .copied()
                .filter(|t| *t >= lo && *t <= hi)
                .collect();
            let ticks = shown
                .iter()
                .copied()
                .zip(axes::number_labels(&shown, integer, theme, unit.x))
                .collect();
            (lo, hi, ticks)
        }
    };
    let x_of = |v: f64| inner.x0 + (v - xlo) / (xhi - xlo) * inner.w();
    axes::draw_value_axis(p, &va, inner)?;
    let px_ticks: Vec<(f64, String)> = ticks.into_iter().map(|(t, l)| (x_of(t), l)).collect();
    axes::draw_x_ticks(p, &px_ticks, inner)?;

    let mut marks = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let pts: Vec<(f64, f64)> = s
            .points
            .iter()
            .map(|p| (x_of(p.0), va.axis.map(p.2, inner.y1, inner.y0)))
            .collect();
        p.line(&pts, color(i), 2)?;
        let dots = s.points.len() <= 40;
        for ((px, py), (_, xl, v)) in pts.iter().zip(&s.points) {
            if dots {
                p.dot(*px, *py, 3, color(i), 1.0)?;
            }
            marks.push(Mark {
                x: (*px - 8.0).round() as i32,
                y: (*py - 8.0).round() as i32,
                w: 16,
                h: 16,
                label: if multi {
                    format!("{} · {xl}", s.name)
                } else {
                    xl.clone()
                },
                value: *v,
                formatted: unit.text(*v, theme),
            });
        }
        if let (Some((_, l)), Some((lx, ly))) = (&end_label, pts.last()) {
            let style = p
                .label(size)
                .bold()
                .anchor(HPos::Left, VPos::Center)
                .color(color(i));
            p.text(l, lx + 6.0, *ly, style)?;
        }
    }
    Ok(Some(marks))
}
