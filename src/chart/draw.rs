//! Drawing primitives in pixels over a plotters drawing area: filled boxes, lines, dots and
//! text placed by anchor. Every chart draws through a [`Painter`], which owns the theme's font
//! handling (including the backend font-size quirk, see [`Theme::font_scale`]).

use plotters::coord::Shift;
use plotters::prelude::{
    Circle, DrawingArea, DrawingBackend, FontDesc, FontFamily, FontStyle, FontTransform,
    PathElement, Rectangle, Text,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBColor, ShapeStyle, TextStyle};

use super::text;
use super::theme::Theme;
use super::ChartError;

/// A box in pixels: left, top, right, bottom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn w(&self) -> f64 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> f64 {
        self.y1 - self.y0
    }
}

/// How a piece of text is drawn.
#[derive(Clone, Copy)]
pub struct Label {
    pub size: f64,
    pub color: RGBColor,
    pub bold: bool,
    pub h: HPos,
    pub v: VPos,
    /// Reads bottom to top (rotated a quarter turn).
    pub vertical: bool,
}

/// Draws on one area with one theme.
pub struct Painter<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    pub theme: &'a Theme,
    pub width: f64,
    pub height: f64,
}

fn drawing_error<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Drawing(e.to_string())
}

fn px(v: f64) -> i32 {
    v.round() as i32
}

impl<'a, DB: DrawingBackend> Painter<'a, DB> {
    pub fn new(area: &'a DrawingArea<DB, Shift>, theme: &'a Theme) -> Self {
        let (w, h) = area.dim_in_pixel();
        Painter {
            area,
            theme,
            width: f64::from(w),
            height: f64::from(h),
        }
    }

    /// Paints the background.
    pub fn clear(&self) -> Result<(), ChartError> {
        self.area
            .fill(&self.theme.background)
            .map_err(drawing_error)
    }

    /// Draws the title (if any) and returns the box left for the chart.
    pub fn title(&self, title: Option<&str>) -> Result<Rect, ChartError> {
        let pad = 12.0;
        let mut top = pad;
        if let Some(t) = title.filter(|t| !t.trim().is_empty()) {
            let size = self.theme.title_size;
            let t = text::truncate(t.trim(), size, (self.width - 2.0 * pad) / text::BOLD);
            self.text(
                &t,
                pad,
                top,
                self.label(size).bold().anchor(HPos::Left, VPos::Top),
            )?;
            top += size * 1.25 + 10.0;
        }
        Ok(Rect {
            x0: pad,
            y0: top,
            x1: self.width - pad,
            y1: self.height - pad,
        })
    }

    /// The "Aucune donnée" drawing, centred in `plot`.
    pub fn no_data(&self, plot: Rect) -> Result<(), ChartError> {
        let style = self
            .label(self.theme.label_size + 2.0)
            .color(self.theme.text_muted);
        self.text(
            self.theme.no_data(),
            (plot.x0 + plot.x1) / 2.0,
            (plot.y0 + plot.y1) / 2.0,
            style.anchor(HPos::Center, VPos::Center),
        )
    }

    /// A text style of `size` px in the theme's text colour, anchored top-left.
    pub fn label(&self, size: f64) -> Label {
        Label {
            size,
            color: self.theme.text,
            bold: false,
            h: HPos::Left,
            v: VPos::Top,
            vertical: false,
        }
    }

    /// A filled box.
    pub fn rect(&self, r: Rect, color: RGBColor) -> Result<(), ChartError> {
        let (x0, x1) = (px(r.x0), px(r.x1));
        let (y0, y1) = (px(r.y0), px(r.y1));
        if x1 <= x0 || y1 <= y0 {
            return Ok(());
        }
        // Plotters' filled rectangles include both corners, hence the -1.
        self.area
            .draw(&Rectangle::new(
                [(x0, y0), (x1 - 1, y1 - 1)],
                color.filled(),
            ))
            .map_err(drawing_error)
    }

    /// A polyline of `width` px.
    pub fn line(
        &self,
        points: &[(f64, f64)],
        color: RGBColor,
        width: u32,
    ) -> Result<(), ChartError> {
        let pts: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (px(x), px(y))).collect();
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: width,
        };
        self.area
            .draw(&PathElement::new(pts, style))
            .map_err(drawing_error)
    }

    /// A dot of radius `r`, optionally translucent.
    pub fn dot(
        &self,
        x: f64,
        y: f64,
        r: u32,
        color: RGBColor,
        alpha: f64,
    ) -> Result<(), ChartError> {
        let style = ShapeStyle {
            color: color.mix(alpha),
            filled: true,
            stroke_width: 1,
        };
        self.area
            .draw(&Circle::new((px(x), px(y)), r, style))
            .map_err(drawing_error)
    }

    /// Text at (x, y) with the label's anchor.
    pub fn text(&self, s: &str, x: f64, y: f64, l: Label) -> Result<(), ChartError> {
        if s.is_empty() {
            return Ok(());
        }
        let style = if l.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let mut font = FontDesc::new(
            FontFamily::Name(&self.theme.font),
            l.size * self.theme.font_scale,
            style,
        );
        if l.vertical {
            font = font.transform(FontTransform::Rotate270);
        }
        let ts = TextStyle::from(font)
            .color(&l.color)
            .pos(Pos::new(l.h, l.v));
        self.area
            .draw(&Text::new(s.to_string(), (px(x), px(y)), ts))
            .map_err(drawing_error)
    }
}

impl Label {
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub fn color(mut self, c: RGBColor) -> Self {
        self.color = c;
        self
    }
    pub fn anchor(mut self, h: HPos, v: VPos) -> Self {
        self.h = h;
        self.v = v;
        self
    }
    pub fn vertical(mut self) -> Self {
        self.vertical = true;
        self
    }
}
