//! Every interface string, in French (default) and English, from this one place.
//!
//! A string is a [`Msg`] key; [`tr`] gives its text in a [`Lang`]. Sentences that carry
//! values are templates with numbered placeholders (`{0}`, `{1}`, …) filled by [`trf`]:
//! each language places the values where its grammar wants them.
//!
//! The keys and their two texts are listed once, panel by panel, in `i18n/messages.rs`; the
//! [`messages!`] macro makes the enum, the [`Msg::ALL`] list and the table from that one list,
//! so a key cannot exist without both texts, nor be left out of the tests.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }
}

/// Makes the [`Msg`] enum, [`Msg::ALL`] and the `(fr, en)` table from one list of
/// `Key => ("français", "English"),` entries.
macro_rules! messages {
    ($($(#[$attr:meta])* $key:ident => ($fr:expr, $en:expr $(,)?)),* $(,)?) => {
        /// Interface string keys; see `i18n/messages.rs` for their texts.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg {
            $($(#[$attr])* $key,)*
        }

        impl Msg {
            /// Every key, in declaration order.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];
        }

        /// The French and English texts of `msg`.
        pub(super) fn pair(msg: Msg) -> (&'static str, &'static str) {
            match msg {
                $(Msg::$key => ($fr, $en),)*
            }
        }
    };
}

mod messages;

pub use messages::Msg;

/// The text of `msg` in `lang`.
pub fn tr(lang: Lang, msg: Msg) -> &'static str {
    let (fr, en) = messages::pair(msg);
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// The text of `msg` in `lang` with its placeholders filled: `{0}` becomes `args[0]`, `{1}`
/// becomes `args[1]`, and so on. The template is read once, left to right, so an argument
/// that itself contains `{0}` (a user's value) is inserted as is. A placeholder without an
/// argument is left in the text (the native tests check that both languages use the same
/// placeholders).
///
/// `trf(Lang::Fr, Msg::SortBy, &["montant"])` is `"Trier par montant"`.
pub fn trf(lang: Lang, msg: Msg, args: &[&str]) -> String {
    fill(tr(lang, msg), args)
}

/// Replaces `{n}` placeholders in `template` by `args[n]`.
fn fill(template: &str, args: &[&str]) -> String {
    let mut out =
        String::with_capacity(template.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let arg = (digits > 0 && after[digits..].starts_with('}'))
            .then(|| after[..digits].parse::<usize>().ok())
            .flatten()
            .and_then(|i| args.get(i));
        match arg {
            Some(a) => {
                out.push_str(a);
                rest = &after[digits + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder numbers a template uses, sorted, without repeats.
#[cfg(test)]
fn placeholders(template: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with('}') {
            found.push(after[..digits].parse::<usize>().unwrap_or(usize::MAX));
        }
        rest = after;
    }
    found.sort_unstable();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Keys whose French and English texts are rightly the same (names, codes, formats).
    const SAME_IN_BOTH: &[Msg] = &[
        Msg::MapDepartements,
        Msg::MapCommunes,
        Msg::MapClasses,
        Msg::MapClassesQuantile,
        Msg::Source,
        Msg::Licence,
        Msg::Type,
        Msg::Min,
        Msg::Max,
        Msg::ExportCsv,
        Msg::ExportCsvFr,
        Msg::Total,
        Msg::Documentation,
        Msg::Questions,
        Msg::TypeDate,
        Msg::KeySiren,
        Msg::KeySiret,
    ];

    #[test]
    fn languages_differ_where_they_should() {
        assert_eq!(tr(Lang::Fr, Msg::Rows), "lignes");
        assert_eq!(tr(Lang::En, Msg::Rows), "rows");
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::Fr.other(), Lang::En);
    }

    #[test]
    fn every_key_has_both_texts() {
        let mut seen = HashSet::new();
        for &msg in Msg::ALL {
            assert!(seen.insert(msg), "{msg:?} listed twice");
            let (fr, en) = messages::pair(msg);
            assert!(!fr.trim().is_empty(), "{msg:?}: empty French text");
            assert!(!en.trim().is_empty(), "{msg:?}: empty English text");
            if SAME_IN_BOTH.contains(&msg) {
                assert_eq!(fr, en, "{msg:?} is listed as the same in both languages");
            } else {
                assert_ne!(fr, en, "{msg:?}: the English text is the French one");
            }
        }
    }

    #[test]
    fn templates_use_the_same_placeholders_in_both_languages() {
        for &msg in Msg::ALL {
            let (fr, en) = messages::pair(msg);
            let (pf, pe) = (placeholders(fr), placeholders(en));
            assert_eq!(pf, pe, "{msg:?}: placeholders differ: «{fr}» / «{en}»");
            // Numbered from 0 without gaps, so `trf`'s argument list is unambiguous.
            assert_eq!(
                pf,
                (0..pf.len()).collect::<Vec<_>>(),
                "{msg:?}: placeholder gap"
            );
        }
    }

    #[test]
    fn texts_keep_to_their_language_typography() {
        for &msg in Msg::ALL {
            let (fr, en) = messages::pair(msg);
            // English puts no space before a colon or semicolon and uses no guillemets.
            for bad in [" :", " ;", "«", "»"] {
                assert!(
                    !en.contains(bad),
                    "{msg:?}: English «{en}» contains «{bad}»"
                );
            }
            // French guillemets hold a space on each side of the quoted text.
            assert!(!fr.contains("«{") && !fr.contains("}»"), "{msg:?}: «{fr}»");
            // French puts a space before a colon or semicolon (outside URLs and codes).
            for (i, c) in fr.char_indices() {
                if (c == ':' || c == ';') && i > 0 {
                    let prev = fr[..i].chars().next_back().unwrap_or(' ');
                    let next = fr[i + 1..].chars().next().unwrap_or(' ');
                    if next != '/' && prev != ' ' && prev != '\u{a0}' && prev != '\u{202f}' {
                        panic!("{msg:?}: no space before «{c}» in «{fr}»");
                    }
                }
            }
        }
    }

    #[test]
    fn trf_fills_placeholders() {
        assert_eq!(
            trf(Lang::Fr, Msg::SortBy, &["montant"]),
            "Trier par montant"
        );
        assert_eq!(trf(Lang::En, Msg::SortBy, &["montant"]), "Sort by montant");
        assert_eq!(fill("{1} puis {0}, {1}", &["a", "b"]), "b puis a, b");
        // Values are inserted as is, never read as templates themselves.
        assert_eq!(fill("« {0} » {1}", &["{1}", "x"]), "« {1} » x");
        // Missing arguments and stray braces are left alone.
        assert_eq!(fill("{0} {2} {x} {", &["a"]), "a {2} {x} {");
        assert_eq!(fill("é{0}ü", &["ß"]), "éßü");
    }

    #[test]
    fn placeholders_are_found() {
        assert_eq!(placeholders("{1} et {0}, encore {1}"), vec![0, 1]);
        assert_eq!(placeholders("aucun { ici }"), Vec::<usize>::new());
    }
}
