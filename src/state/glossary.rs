//! The glossary (`www/glossary.json`): plain-language definitions of budget and data terms,
//! and the linking of those terms inside explanatory sentences.

use serde::{Deserialize, Serialize};

use super::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub term: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub fr: String,
    pub en: String,
}

impl Term {
    pub fn definition(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    /// The anchor id of the term in the page (`glossaire-credits-de-paiement`).
    pub fn anchor(&self) -> String {
        format!("glossaire-{}", slug(&self.term))
    }
}

/// The bundled glossary.
pub fn bundled() -> Vec<Term> {
    serde_json::from_str(include_str!("../../www/glossary.json")).unwrap_or_default()
}

/// Lowercase ASCII slug: accents dropped, anything else becomes `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' => 'i',
        'ô' | 'ö' => 'o',
        'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        '’' => '\'',
        c => c,
    }
}

/// A piece of a sentence: plain text, or a glossary term (text as written, index of the term).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Term(String, usize),
}

/// Splits `text` so that the first occurrence of each glossary term (or alias) becomes a
/// [`Segment::Term`]. Matching ignores case and accents and respects word boundaries; longer
/// names win over shorter ones they contain.
pub fn link_terms(text: &str, terms: &[Term]) -> Vec<Segment> {
    let folded: Vec<char> = text.chars().flat_map(char::to_lowercase).map(fold_accent).collect();
    let original: Vec<char> = text.chars().collect();
    if folded.len() != original.len() {
        // A character lowercases to several: keep the text unlinked rather than misalign.
        return vec![Segment::Text(text.to_string())];
    }
    let mut names: Vec<(Vec<char>, usize)> = terms
        .iter()
        .enumerate()
        .flat_map(|(i, t)| std::iter::once(&t.term).chain(t.aliases.iter()).map(move |n| (n, i)))
        .map(|(n, i)| (n.chars().flat_map(char::to_lowercase).map(fold_accent).collect(), i))
        .filter(|(n, _): &(Vec<char>, usize)| n.len() >= 3)
        .collect();
    names.sort_by(|a, b| b.0.len().cmp(&a.0.len()));
    let is_word = |c: char| c.is_alphanumeric();
    let mut used = vec![false; terms.len()];
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < folded.len() {
        let boundary_before = i == 0 || !is_word(folded[i - 1]);
        let hit = boundary_before
            .then(|| {
                names.iter().find(|(n, t)| {
                    !used[*t]
                        && folded[i..].starts_with(n)
                        && folded.get(i + n.len()).is_none_or(|c| !is_word(*c))
                })
            })
            .flatten();
        match hit {
            Some((n, t)) => {
                if !plain.is_empty() {
                    out.push(Segment::Text(std::mem::take(&mut plain)));
                }
                out.push(Segment::Term(original[i..i + n.len()].iter().collect(), *t));
                used[*t] = true;
                i += n.len();
            }
            None => {
                plain.push(original[i]);
                i += 1;
            }
        }
    }
    if !plain.is_empty() {
        out.push(Segment::Text(plain));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_glossary_has_the_workshop_terms() {
        let g = bundled();
        for t in ["mission", "programme", "crédits de paiement", "DECP", "SIREN", "EPCI"] {
            assert!(g.iter().any(|x| x.term == t), "{t}");
        }
        assert_eq!(slug("Crédits de paiement"), "credits-de-paiement");
        assert_eq!(slug("taxe d'habitation"), "taxe-d-habitation");
    }

    #[test]
    fn terms_are_linked_once_on_word_boundaries_longest_first() {
        let terms = vec![
            Term { term: "mission".into(), aliases: vec!["missions".into()], fr: String::new(), en: String::new() },
            Term { term: "crédits de paiement".into(), aliases: vec![], fr: String::new(), en: String::new() },
            Term { term: "SIREN".into(), aliases: vec![], fr: String::new(), en: String::new() },
        ];
        let s = link_terms("Les Missions reçoivent des credits de paiement ; une mission, pas une sirène.", &terms);
        assert_eq!(
            s,
            vec![
                Segment::Text("Les ".into()),
                Segment::Term("Missions".into(), 0),
                Segment::Text(" reçoivent des ".into()),
                Segment::Term("credits de paiement".into(), 1),
                Segment::Text(" ; une mission, pas une sirène.".into()),
            ]
        );
    }
}
