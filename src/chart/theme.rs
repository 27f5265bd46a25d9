//! The look of a chart: colours, font and sizes. The default is the French State design system
//! (DSFR): blue-france for single-series charts, the DSFR illustrative colours for categories,
//! text and grid greys, and sizes that stay readable on a phone (nothing below 12 px).

use plotters::style::RGBColor;

use super::format::{en_compact, en_percent, fr_compact, fr_percent};

/// Which conventions numbers and fixed words follow on the chart.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Locale {
    #[default]
    Fr,
    En,
}

/// Colours, font and sizes of a chart. Sizes are CSS pixels.
#[derive(Clone, PartialEq, Debug)]
pub struct Theme {
    /// Single-series marks (bars, line, points): DSFR blue-france `#000091`.
    pub primary: RGBColor,
    /// Categorical colours, used in order (stacked series, treemap tiles).
    pub palette: Vec<RGBColor>,
    /// Main text: DSFR grey `#161616`.
    pub text: RGBColor,
    /// Secondary text (axis ticks, legends): DSFR grey `#3A3A3A`.
    pub text_muted: RGBColor,
    /// Grid lines `#DDDDDD`.
    pub grid: RGBColor,
    /// Axis and zero lines.
    pub axis: RGBColor,
    /// Folded "Autres" items.
    pub other: RGBColor,
    /// Page background, painted first.
    pub background: RGBColor,
    /// CSS font family.
    pub font: String,
    /// Title size.
    pub title_size: f64,
    /// Ticks, category labels, data labels, legend.
    pub label_size: f64,
    /// The largest size of a big-number card (shrunk to fit).
    pub big_number_size: f64,
    /// How plotters' backend scales font sizes: 1.0 for the canvas backend, which uses sizes as
    /// CSS pixels; 1.24 for the SVG backend, which writes `font-size = size / 1.24`
    /// ([`super::render_svg`] sets it).
    pub font_scale: f64,
    /// Number conventions and fixed words ("Aucune donnée" / "No data").
    pub locale: Locale,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            primary: RGBColor(0x00, 0x00, 0x91),
            // DSFR illustrative colours chosen for contrast with white text and with each other:
            // blue-france 625 (sun), red-marianne, green-menthe, yellow-moutarde (main 548),
            // purple-glycine, blue-cumulus, orange-terre-battue, grey, green-bourgeon, brown-cafe-creme.
            palette: vec![
                RGBColor(0x6A, 0x6A, 0xF4),
                RGBColor(0xE1, 0x00, 0x0F),
                RGBColor(0x00, 0x90, 0x81),
                RGBColor(0xC3, 0x99, 0x2A),
                RGBColor(0xA5, 0x58, 0xA0),
                RGBColor(0x41, 0x7D, 0xC4),
                RGBColor(0xCE, 0x61, 0x4A),
                RGBColor(0x66, 0x66, 0x66),
                RGBColor(0x68, 0xA5, 0x32),
                RGBColor(0x91, 0x62, 0x3C),
            ],
            text: RGBColor(0x16, 0x16, 0x16),
            text_muted: RGBColor(0x3A, 0x3A, 0x3A),
            grid: RGBColor(0xDD, 0xDD, 0xDD),
            axis: RGBColor(0x66, 0x66, 0x66),
            other: RGBColor(0x92, 0x92, 0x92),
            background: RGBColor(0xFF, 0xFF, 0xFF),
            font: "sans-serif".to_string(),
            title_size: 16.0,
            label_size: 12.0,
            big_number_size: 56.0,
            font_scale: 1.0,
            locale: Locale::Fr,
        }
    }
}

impl Theme {
    /// The `i`-th categorical colour (cycling).
    pub fn color(&self, i: usize) -> RGBColor {
        if self.palette.is_empty() {
            return self.primary;
        }
        self.palette[i % self.palette.len()]
    }

    /// A short amount in the theme's locale.
    pub fn compact(&self, v: f64, unit: Option<&str>) -> String {
        match self.locale {
            Locale::Fr => fr_compact(v, unit),
            Locale::En => en_compact(v, unit),
        }
    }

    /// A share in the theme's locale.
    pub fn percent(&self, share: f64) -> String {
        match self.locale {
            Locale::Fr => fr_percent(share),
            Locale::En => en_percent(share),
        }
    }

    /// "No data" in the theme's locale.
    pub fn no_data(&self) -> &'static str {
        match self.locale {
            Locale::Fr => "Aucune donnée",
            Locale::En => "No data",
        }
    }

    /// "Others" (folded small items) in the theme's locale.
    pub fn others(&self) -> &'static str {
        match self.locale {
            Locale::Fr => "Autres",
            Locale::En => "Others",
        }
    }
}

/// White or dark text, whichever reads better on `bg` (WCAG relative luminance).
pub fn text_on(bg: RGBColor, theme: &Theme) -> RGBColor {
    fn lin(c: u8) -> f64 {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    let l = 0.2126 * lin(bg.0) + 0.7152 * lin(bg.1) + 0.0722 * lin(bg.2);
    // Contrast against white is (1.05)/(l+0.05), against #161616 about (l+0.05)/0.058.
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.058 {
        RGBColor(0xFF, 0xFF, 0xFF)
    } else {
        theme.text
    }
}
