//! Text measurement for layout. Plotters measures text differently per backend (the canvas in
//! the browser, a crude byte count natively), so the chart layout uses one estimate of its own:
//! the same drawing on every backend, and the SVG download matches the screen.
//!
//! The widths are Helvetica/Arial advance widths (per mille of the em), grouped by class; real
//! sans-serif fonts land within about 10 % of them, and layouts keep a margin for that.

/// Estimated advance width of one character, in em.
fn char_em(c: char) -> f64 {
    match c {
        '\u{202F}' => 0.17,
        ' ' | '\u{A0}' => 0.28,
        'i' | 'j' | 'l' | '\'' | '|' | '!' | '.' | ',' | ':' | ';' | 'í' | 'ì' | 'î' | 'ï' => {
            0.24
        }
        'f' | 't' | 'r' | 'I' | '(' | ')' | '[' | ']' | '-' | '/' => 0.34,
        '0'..='9' | '€' | '$' | '+' | '=' | '<' | '>' | '\u{2212}' | '\u{2013}' | '_' => 0.56,
        'm' | 'w' => 0.84,
        'M' | 'W' | '%' | '@' => 0.86,
        '\u{2026}' => 1.0,
        c if c.is_uppercase() => 0.69,
        c if c.is_lowercase() => 0.53,
        _ => 0.6,
    }
}

/// Estimated width in pixels of `text` at `size` px.
pub fn width(text: &str, size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * size
}

/// `text` cut to fit `max_width` px at `size` px, ending with an ellipsis when cut. Returns an
/// empty string when not even one letter and the ellipsis fit.
pub fn truncate(text: &str, size: f64, max_width: f64) -> String {
    if width(text, size) <= max_width {
        return text.to_string();
    }
    let budget = max_width - char_em('\u{2026}') * size;
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        let w = char_em(c) * size;
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    let kept = out.trim_end();
    if kept.is_empty() {
        return String::new();
    }
    format!("{kept}\u{2026}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept() {
        assert_eq!(truncate("Défense", 12.0, 200.0), "Défense");
    }

    #[test]
    fn long_text_gets_an_ellipsis_and_fits() {
        let t = truncate("Enseignement scolaire et supérieur", 12.0, 80.0);
        assert!(t.ends_with('\u{2026}'), "{t}");
        assert!(width(&t, 12.0) <= 80.0);
    }

    #[test]
    fn nothing_fits_gives_empty() {
        assert_eq!(truncate("Défense", 12.0, 5.0), "");
    }
}
