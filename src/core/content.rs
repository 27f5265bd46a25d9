//! What a file is, from its first bytes, before it is read as CSV: a web page, JSON, XML, a
//! zip archive (an Excel workbook is one), gzip, a PDF or another binary file is named for what
//! it is instead of being shown as a one-column table of its lines.
//!
//! What must stay true: only the head of the file is looked at; a real CSV (any encoding Loupe
//! reads, with or without a byte-order mark, even one whose first cell starts with `<` or `{`
//! among other delimited cells) is never refused; the verdict is a [`NotCsv`] kind the page turns
//! into a sentence.

/// A kind of content that is not a delimited text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotCsv {
    /// An HTML page (a static host's `index.html` for an unknown path, a portal's login or
    /// error page).
    Html,
    Json,
    Xml,
    /// A zip archive; `xlsx`/`ods` workbooks are zip archives too.
    Zip,
    Gzip,
    Pdf,
    /// Bytes that no text encoding Loupe reads would produce (NUL bytes outside UTF-16).
    Binary,
}

impl NotCsv {
    /// A short name of the kind, in French (`french`) or English.
    pub fn name(self, french: bool) -> &'static str {
        match (self, french) {
            (NotCsv::Html, true) => "une page web (HTML)",
            (NotCsv::Html, false) => "a web page (HTML)",
            (NotCsv::Json, true) => "un document JSON",
            (NotCsv::Json, false) => "a JSON document",
            (NotCsv::Xml, true) => "un document XML",
            (NotCsv::Xml, false) => "an XML document",
            (NotCsv::Zip, true) => "une archive zip (ou un classeur Excel / OpenDocument)",
            (NotCsv::Zip, false) => "a zip archive (or an Excel / OpenDocument workbook)",
            (NotCsv::Gzip, true) => "une archive gzip",
            (NotCsv::Gzip, false) => "a gzip archive",
            (NotCsv::Pdf, true) => "un document PDF",
            (NotCsv::Pdf, false) => "a PDF document",
            (NotCsv::Binary, true) => "un fichier binaire",
            (NotCsv::Binary, false) => "a binary file",
        }
    }
}

/// Bytes of the head that are looked at.
pub const HEAD_BYTES: usize = 4096;

/// What the first bytes of a file say it is: `None` for text that may be CSV.
///
/// ```
/// use loupe::core::content::{sniff, NotCsv};
/// assert_eq!(sniff(b"<!doctype html><html lang=fr>"), Some(NotCsv::Html));
/// assert_eq!(sniff(b"code;nom\n01;Ain\n"), None);
/// ```
pub fn sniff(head: &[u8]) -> Option<NotCsv> {
    let head = &head[..head.len().min(HEAD_BYTES)];
    // Magic numbers first: they are unambiguous.
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(NotCsv::Zip);
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        return Some(NotCsv::Gzip);
    }
    if head.starts_with(b"%PDF-") {
        return Some(NotCsv::Pdf);
    }
    // UTF-16 text has NUL bytes by design; Loupe reads it when it has a byte-order mark.
    let utf16 = head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]);
    if !utf16 && head.contains(&0) {
        return Some(NotCsv::Binary);
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&text[..0], |i| &text[i..]);
    let lower: Vec<u8> = start.iter().take(64).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || lower.starts_with(b"<head")
        || lower.starts_with(b"<body")
        || (lower.starts_with(b"<!--") && contains(&start.to_ascii_lowercase(), b"<html"))
    {
        return Some(NotCsv::Html);
    }
    if lower.starts_with(b"<?xml") || lower.starts_with(b"<rss") || lower.starts_with(b"<feed") {
        return Some(NotCsv::Xml);
    }
    if matches!(start.first(), Some(b'{') | Some(b'[')) && looks_like_json(start) {
        return Some(NotCsv::Json);
    }
    None
}

/// A head starting with `{` or `[` is JSON when a JSON parser reads it whole, or runs out of
/// input in the middle of a valid document (the head is cut at [`HEAD_BYTES`]); a CSV whose
/// first cell is `{a}` or `[2024]` fails with a syntax error instead.
fn looks_like_json(start: &[u8]) -> bool {
    match serde_json::from_slice::<serde::de::IgnoredAny>(start) {
        Ok(_) => true,
        Err(e) => e.classify() == serde_json::error::Category::Eof,
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! sniffs_as {
        ($($name:ident: $input:expr => $want:expr;)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(sniff($input), $want);
            }
        )*};
    }

    sniffs_as! {
        html_doctype: b"<!DOCTYPE html>\n<html lang=\"fr\"><head>" => Some(NotCsv::Html);
        html_after_bom_and_blank_lines: b"\xef\xbb\xbf\n\n  <html><body>Erreur 404" => Some(NotCsv::Html);
        html_comment_first: b"<!-- portail --><html>" => Some(NotCsv::Html);
        json_object: b"{\"error_code\": \"ODSQLError\", \"message\": \"x\"}" => Some(NotCsv::Json);
        json_pretty: b"{\n  \"total_count\": 3\n}" => Some(NotCsv::Json);
        json_array: b"[{\"a\": 1}, {\"a\": 2}]" => Some(NotCsv::Json);
        xml: b"<?xml version=\"1.0\"?><root/>" => Some(NotCsv::Xml);
        xlsx_is_zip: b"PK\x03\x04\x14\x00\x06\x00" => Some(NotCsv::Zip);
        gzip: b"\x1f\x8b\x08\x00" => Some(NotCsv::Gzip);
        pdf: b"%PDF-1.7\n" => Some(NotCsv::Pdf);
        nul_bytes: b"abc\x00\x01\x02" => Some(NotCsv::Binary);
        utf16_csv_is_text: b"\xff\xfec\x00o\x00d\x00e\x00" => None;
        plain_csv: b"code;nom\n01;Ain\n" => None;
        csv_with_bom: b"\xef\xbb\xbfcode,montant\n1,2\n" => None;
        csv_starting_with_brace_cell: b"{a},b\n1,2\n" => None;
        csv_starting_with_bracket_cell: b"[note];montant\nx;1\n" => None;
        csv_with_bracketed_year_header: b"[2024] Montant,Code\n1,2\n" => None;
        tsv_with_bracketed_header: b"[1]\tnom\nx\ty\n" => None;
        csv_with_quoted_bracket_header: b"[\"a\"],b\n1,2\n" => None;
        json_cut_by_the_head: b"[{\"code\": \"01001\", \"nom\": \"L'Abergement" => Some(NotCsv::Json);
        csv_starting_with_angle_cell: b"<5 ans,total\n1,2\n" => None;
        windows_1252_csv: b"libell\xe9;montant\nd\xe9pense;1\n" => None;
        empty: b"" => None;
    }
}
