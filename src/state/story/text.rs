//! The text subset of a story: paragraphs (separated by a blank line), `**bold**`,
//! `*italics*` and `[text](https://…)` links, nothing else. The parser returns a small AST
//! that the page renders as text nodes and elements it builds itself: whatever the text holds
//! (`<script>`, `&lt;`, a `javascript:` link) is shown as written or dropped, never read as
//! HTML. A backslash before `*`, `[`, `]`, `(`, `)` or `\` writes that character as is.
//!
//! What must stay true: parsing never fails; a link's address is an `https://` URL with a host
//! and none of the characters that could leave an attribute (spaces, quotes, `<`, `>`,
//! backslashes); a marker without its closing pair is plain text; the nesting depth is at most
//! two (bold inside italics or the reverse), so hostile input cannot recurse deeply.

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    /// A link: its text (plain) and its `https://` address.
    Link {
        text: String,
        href: String,
    },
}

/// A paragraph: a list of inlines.
pub type Paragraph = Vec<Inline>;

/// What the parser could not keep: a link whose address is not `https://`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextIssue {
    /// The address of a link was refused (its text is kept as plain text).
    LinkRefused(String),
}

/// Longest text kept per step (characters); the rest is cut.
pub const MAX_TEXT_CHARS: usize = 4_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Strong,
    Emphasis,
}

/// Parses `text` into paragraphs, with the issues met (refused links).
///
/// ```
/// use loupe::state::story::text::{parse, Inline};
/// let (p, issues) = parse("Une **mission** *vaut* [voir](https://example.org)");
/// assert!(issues.is_empty());
/// assert_eq!(p[0][1], Inline::Strong(vec![Inline::Text("mission".into())]));
/// ```
pub fn parse(text: &str) -> (Vec<Paragraph>, Vec<TextIssue>) {
    let text: String = text.chars().take(MAX_TEXT_CHARS).collect();
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut issues = Vec::new();
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut flush = |lines: &mut Vec<&str>, issues: &mut Vec<TextIssue>| {
        if lines.is_empty() {
            return;
        }
        let joined = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        lines.clear();
        let chars: Vec<char> = joined.chars().collect();
        let mut pos = 0;
        let (inlines, _) = inlines(&chars, &mut pos, &[], issues);
        if !inlines.is_empty() {
            paragraphs.push(inlines);
        }
    };
    for line in text.split('\n') {
        if line.trim().is_empty() {
            flush(&mut current, &mut issues);
        } else {
            current.push(line);
        }
    }
    flush(&mut current, &mut issues);
    (paragraphs, issues)
}

/// The plain text of paragraphs (markers dropped, links as their text): for summaries and tests.
pub fn plain(paragraphs: &[Paragraph]) -> String {
    fn walk(i: &[Inline], out: &mut String) {
        for x in i {
            match x {
                Inline::Text(t) => out.push_str(t),
                Inline::Strong(c) | Inline::Emphasis(c) => walk(c, out),
                Inline::Link { text, .. } => out.push_str(text),
            }
        }
    }
    let mut out = String::new();
    for (n, p) in paragraphs.iter().enumerate() {
        if n > 0 {
            out.push_str("\n\n");
        }
        walk(p, &mut out);
    }
    out
}

fn push_text(out: &mut Vec<Inline>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Inline::Text(t)) = out.last_mut() {
        t.push_str(s);
    } else {
        out.push(Inline::Text(s.to_string()));
    }
}

fn at(chars: &[char], pos: usize, s: &str) -> bool {
    s.chars()
        .enumerate()
        .all(|(i, c)| chars.get(pos + i) == Some(&c))
}

/// Parses inlines from `pos` until the closing marker of `open.last()` (returns `true` when
/// it was found and consumed) or the end.
fn inlines(
    chars: &[char],
    pos: &mut usize,
    open: &[Marker],
    issues: &mut Vec<TextIssue>,
) -> (Vec<Inline>, bool) {
    let mut out = Vec::new();
    while *pos < chars.len() {
        let c = chars[*pos];
        if c == '\\' && chars.get(*pos + 1).is_some_and(|n| "*[]()\\".contains(*n)) {
            push_text(&mut out, &chars[*pos + 1].to_string());
            *pos += 2;
            continue;
        }
        // In `**bold *italic***`, the first star closes the italics, the next two the bold.
        let closes_emphasis_first =
            open.last() == Some(&Marker::Emphasis) && open.contains(&Marker::Strong);
        let marker = if at(chars, *pos, "**") && !closes_emphasis_first {
            Some((Marker::Strong, 2))
        } else if c == '*' {
            Some((Marker::Emphasis, 1))
        } else {
            None
        };
        if let Some((m, len)) = marker {
            if open.last() == Some(&m) {
                *pos += len;
                return (out, true);
            }
            if !open.contains(&m) {
                let start = *pos;
                *pos += len;
                let mut nested = open.to_vec();
                nested.push(m);
                let mut inner_issues = Vec::new();
                let (inner, closed) = inlines(chars, pos, &nested, &mut inner_issues);
                if closed && !inner.is_empty() {
                    issues.extend(inner_issues);
                    out.push(match m {
                        Marker::Strong => Inline::Strong(inner),
                        Marker::Emphasis => Inline::Emphasis(inner),
                    });
                    continue;
                }
                // No closing pair: the marker is plain text and what followed is read again.
                *pos = start + len;
                push_text(
                    &mut out,
                    &chars[start..start + len].iter().collect::<String>(),
                );
                continue;
            }
            // The same marker is open further out: plain text here.
            push_text(
                &mut out,
                &chars[*pos..*pos + len].iter().collect::<String>(),
            );
            *pos += len;
            continue;
        }
        if c == '[' {
            if let Some((text, href, end)) = link_at(chars, *pos) {
                if safe_href(&href) {
                    out.push(Inline::Link { text, href });
                } else {
                    issues.push(TextIssue::LinkRefused(clip(&href)));
                    push_text(&mut out, &text);
                }
                *pos = end;
                continue;
            }
        }
        push_text(&mut out, &c.to_string());
        *pos += 1;
    }
    (out, false)
}

/// `[text](address)` at `pos`: its text, address and the position after it.
fn link_at(chars: &[char], pos: usize) -> Option<(String, String, usize)> {
    let close = (pos + 1..chars.len()).find(|&i| chars[i] == ']' || chars[i] == '[')?;
    if chars[close] != ']' || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    // The address ends at the parenthesis that balances the opening one (addresses such as
    // `https://fr.wikipedia.org/wiki/Budget_(finances)` hold parentheses).
    let mut depth = 0usize;
    let end = (close + 2..chars.len()).find(|&i| match chars[i] {
        '(' => {
            depth += 1;
            false
        }
        ')' if depth == 0 => true,
        ')' => {
            depth -= 1;
            false
        }
        _ => false,
    })?;
    let text: String = chars[pos + 1..close].iter().collect();
    let href: String = chars[close + 2..end].iter().collect();
    let text = text.replace(['*', '\\'], "");
    if text.trim().is_empty() {
        return None;
    }
    Some((text, href.trim().to_string(), end + 1))
}

/// Whether a link may be followed: `https://host…` with no character that could leave an
/// attribute or change the host.
pub fn safe_href(href: &str) -> bool {
    let Some(rest) = href.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !host.contains('@')
        && href.len() <= 2_048
        && !href
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(c))
}

fn clip(s: &str) -> String {
    let mut c: String = s.chars().take(60).collect();
    if c.len() < s.len() {
        c.push('…');
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::*;

    fn t(s: &str) -> Inline {
        Text(s.into())
    }

    #[test]
    fn the_subset_parses_to_its_tree() {
        let cases: Vec<(&str, Vec<Paragraph>)> = vec![
            ("plain", vec![vec![t("plain")]]),
            (
                "a **b** c",
                vec![vec![t("a "), Strong(vec![t("b")]), t(" c")]],
            ),
            ("*i*", vec![vec![Emphasis(vec![t("i")])]]),
            (
                "**gras *et italique***",
                vec![vec![Strong(vec![
                    t("gras "),
                    Emphasis(vec![t("et italique")]),
                ])]],
            ),
            (
                "un\ndeux\n\n  \ntrois",
                vec![vec![t("un deux")], vec![t("trois")]],
            ),
            (
                "voir [la loi](https://www.legifrance.gouv.fr/x?a=1#b).",
                vec![vec![
                    t("voir "),
                    Link {
                        text: "la loi".into(),
                        href: "https://www.legifrance.gouv.fr/x?a=1#b".into(),
                    },
                    t("."),
                ]],
            ),
            ("2 * 3 = 6", vec![vec![t("2 * 3 = 6")]]),
            ("**pas fermé", vec![vec![t("**pas fermé")]]),
            ("\\*littéral\\*", vec![vec![t("*littéral*")]]),
            ("[pas un lien] (x)", vec![vec![t("[pas un lien] (x)")]]),
            (
                "[Budget](https://fr.wikipedia.org/wiki/Budget_(finances)).",
                vec![vec![
                    Link {
                        text: "Budget".into(),
                        href: "https://fr.wikipedia.org/wiki/Budget_(finances)".into(),
                    },
                    t("."),
                ]],
            ),
            ("", vec![]),
        ];
        for (input, want) in cases {
            let (got, issues) = parse(input);
            assert_eq!(got, want, "{input:?}");
            assert!(issues.is_empty(), "{input:?}: {issues:?}");
        }
    }

    #[test]
    fn markup_stays_text_and_bad_links_lose_their_address() {
        let (p, issues) = parse("<script>alert(1)</script> [clic](javascript:alert(1)) [x](http://a.fr) [y](https://a.fr\"onclick=x)");
        assert_eq!(
            plain(&p),
            "<script>alert(1)</script> clic x y",
            "markup is text; refused links keep only their text"
        );
        assert_eq!(issues.len(), 3, "{issues:?}");
        assert!(p.iter().flatten().all(|i| !matches!(i, Link { .. })));
        for bad in [
            "https://",
            "https://@evil",
            "https://a b",
            "https://a<b",
            "HTTPS://a.fr",
            "//a.fr",
            "data:text/html,x",
        ] {
            assert!(!safe_href(bad), "{bad}");
        }
        assert!(safe_href("https://www.data.gouv.fr/fr/datasets/x"));
    }

    #[test]
    fn hostile_nesting_and_length_are_bounded() {
        let deep = "**a *b ".repeat(5_000);
        let (p, _) = parse(&deep);
        assert!(plain(&p).chars().count() <= MAX_TEXT_CHARS);
        let stars = "*".repeat(10_001);
        let (p, _) = parse(&stars);
        assert!(plain(&p).chars().all(|c| c == '*'));
    }
}
