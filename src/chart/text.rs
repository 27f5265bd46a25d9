//! Text measurement for layout. Plotters measures text differently per backend (the canvas in
//! the browser, a crude byte count natively), so the chart layout uses one estimate of its own:
//! the same drawing on every backend, and the SVG download matches the screen.
//!
//! The widths are Helvetica/Arial advance widths (in em), grouped by class, then widened by
//! [`SAFETY`] so that wider sans-serif fonts (DejaVu Sans, the Linux default) still fit: a
//! narrower font only leaves a little more white space.

/// Widening applied to the Helvetica widths: DejaVu Sans runs about 12 % wider than Arial.
pub const SAFETY: f64 = 1.12;

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

/// Bold text runs about 8 % wider than regular text.
pub const BOLD: f64 = 1.08;

/// Estimated width in pixels of `text` at `size` px.
pub fn width(text: &str, size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * size * SAFETY
}

/// `text` cut to fit `max_width` px at `size` px, ending with an ellipsis when cut. Returns an
/// empty string when not even one letter and the ellipsis fit.
pub fn truncate(text: &str, size: f64, max_width: f64) -> String {
    if width(text, size) <= max_width {
        return text.to_string();
    }
    let budget = max_width - char_em('\u{2026}') * size * SAFETY;
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        let w = char_em(c) * size * SAFETY;
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

/// `text` on at most two lines of `max_width` px, split at spaces; the second line is cut with
/// an ellipsis when the rest does not fit. A single word too long for a line is cut too.
pub fn wrap2(text: &str, size: f64, max_width: f64) -> Vec<String> {
    if width(text, size) <= max_width {
        return vec![text.to_string()];
    }
    let words: Vec<&str> = text.split(' ').collect();
    let mut first = String::new();
    let mut used = 0;
    for (i, w) in words.iter().enumerate() {
        let candidate = if first.is_empty() {
            (*w).to_string()
        } else {
            format!("{first} {w}")
        };
        if width(&candidate, size) > max_width {
            break;
        }
        first = candidate;
        used = i + 1;
    }
    if used == 0 {
        return vec![truncate(text, size, max_width)];
    }
    let rest = words[used..].join(" ");
    if rest.is_empty() {
        return vec![first];
    }
    vec![first, truncate(&rest, size, max_width)]
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
    fn wraps_on_two_lines() {
        let lines = wrap2("Enseignement scolaire", 12.0, 100.0);
        assert_eq!(lines, vec!["Enseignement", "scolaire"]);
        let lines = wrap2("Écologie, développement et mobilité durables", 12.0, 100.0);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('\u{2026}'));
    }

    #[test]
    fn nothing_fits_gives_empty() {
        assert_eq!(truncate("Défense", 12.0, 5.0), "");
    }
}
