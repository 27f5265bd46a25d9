//! Encoding detection and transcoding to UTF-8.
//!
//! Order: a byte-order mark wins (UTF-8, UTF-16 LE/BE); then UTF-16 without BOM when every
//! other byte of the start is NUL; then valid UTF-8; else Windows-1252 (the superset of
//! ISO-8859-1 that browsers use for that label). An explicit `encoding` option overrides all
//! of it. What must stay true: the output is valid UTF-8 without the BOM, whatever the input;
//! undecodable bytes become U+FFFD and a warning, never an error. Files that are clearly not
//! text (zip/xlsx, PDF, mostly control bytes) and empty files are errors with a readable cause.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use super::{IngestError, IngestWarning};

/// Text ready for parsing.
pub struct Decoded {
    /// Valid UTF-8, BOM removed.
    pub text: Vec<u8>,
    /// Lower-case WHATWG label (`utf-8`, `windows-1252`, `utf-16le`...).
    pub encoding: String,
    pub bom: bool,
    pub warnings: Vec<IngestWarning>,
}

fn error(fr: &str, en: &str) -> IngestError {
    IngestError {
        fr: fr.to_string(),
        en: en.to_string(),
    }
}

/// Recognises binary formats people drop by mistake, by their magic numbers.
pub fn binary_kind(b: &[u8]) -> Option<IngestError> {
    if b.starts_with(b"PK\x03\x04") {
        return Some(error(
            "Ce fichier est une archive ZIP ou un classeur Excel (.xlsx), pas un CSV : enregistrez-le au format CSV.",
            "This file is a ZIP archive or an Excel workbook (.xlsx), not a CSV: save it as CSV first.",
        ));
    }
    if b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Some(error(
            "Ce fichier est un ancien classeur Excel (.xls), pas un CSV : enregistrez-le au format CSV.",
            "This file is a legacy Excel workbook (.xls), not a CSV: save it as CSV first.",
        ));
    }
    if b.starts_with(b"%PDF") {
        return Some(error(
            "Ce fichier est un PDF, pas un CSV.",
            "This file is a PDF, not a CSV.",
        ));
    }
    if b.starts_with(&[0x1F, 0x8B]) {
        return Some(error(
            "Ce fichier est compressé (gzip) : décompressez-le d'abord.",
            "This file is gzip-compressed: decompress it first.",
        ));
    }
    None
}

fn not_text() -> IngestError {
    error(
        "Ce fichier ne ressemble pas à du texte (données binaires) : ce n'est pas un CSV lisible.",
        "This file does not look like text (binary data): it is not a readable CSV.",
    )
}

/// Guesses UTF-16 without BOM: NUL bytes at one parity and not the other.
pub fn utf16_without_bom(b: &[u8]) -> Option<&'static Encoding> {
    let head = &b[..b.len().min(1024) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_nul = head.iter().step_by(2).filter(|&&c| c == 0).count();
    let odd_nul = head.iter().skip(1).step_by(2).filter(|&&c| c == 0).count();
    if odd_nul * 10 >= pairs * 7 && even_nul * 10 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 7 && odd_nul * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Lower-case WHATWG name of `enc`, as the report gives it.
pub fn label(enc: &'static Encoding) -> String {
    enc.name().to_ascii_lowercase()
}

/// The encoding named by the `encoding` option, `None` when not given.
pub fn forced_encoding(forced: Option<&str>) -> Result<Option<&'static Encoding>, IngestError> {
    match forced {
        Some(l) => Encoding::for_label(l.trim().as_bytes())
            .map(Some)
            .ok_or_else(|| {
                error(
                    &format!("Encodage inconnu : « {l} »."),
                    &format!("Unknown encoding: \"{l}\"."),
                )
            }),
        None => Ok(None),
    }
}

/// The warning given when bytes were not decodable in `enc`.
pub fn undecodable(enc: &'static Encoding) -> IngestWarning {
    IngestWarning {
        row: None,
        message: format!(
            "Octets non décodables en {0} remplacés par « � ». / Bytes not decodable as {0} replaced by \"�\".",
            label(enc)
        ),
    }
}

/// Decodes `bytes` (taken by value so that UTF-8 input is not copied).
pub fn decode(bytes: Vec<u8>, forced: Option<&str>) -> Result<Decoded, IngestError> {
    if let Some(e) = binary_kind(&bytes) {
        return Err(e);
    }
    let mut warnings = Vec::new();
    let (bom_enc, bom_len) = match Encoding::for_bom(&bytes) {
        Some((e, n)) => (Some(e), n),
        None => (None, 0),
    };
    let forced_enc = forced_encoding(forced)?;
    let enc = forced_enc.or(bom_enc).or_else(|| utf16_without_bom(&bytes));
    let bom = bom_len > 0;
    let (text, enc) = match enc {
        Some(e) if e == UTF_8 => (utf8_lossy(bytes, bom_len, &mut warnings), UTF_8),
        Some(e) => {
            // `decode_with_bom_removal` would let a BOM override a forced label; strip only
            // a BOM that matches the chosen encoding.
            let skip = if bom_enc == Some(e) { bom_len } else { 0 };
            let (cow, had_errors) = e.decode_without_bom_handling(&bytes[skip..]);
            if had_errors {
                warnings.push(undecodable(e));
            }
            (cow.into_owned().into_bytes(), e)
        }
        None => match std::str::from_utf8(&bytes) {
            Ok(_) => (bytes, UTF_8),
            // Truncated in the middle of the last character: still UTF-8.
            Err(e) if e.error_len().is_none() => (utf8_lossy(bytes, 0, &mut warnings), UTF_8),
            Err(_) => {
                let (cow, _) = WINDOWS_1252.decode_without_bom_handling(&bytes);
                (cow.into_owned().into_bytes(), WINDOWS_1252)
            }
        },
    };
    let enc_label = label(enc);
    check_text(&text)?;
    Ok(Decoded {
        text,
        encoding: enc_label,
        bom,
        warnings,
    })
}

/// The warning given when invalid UTF-8 bytes were replaced.
pub const LOSSY_UTF8: &str =
    "Octets invalides en UTF-8 remplacés par « � ». / Invalid UTF-8 bytes replaced by \"�\".";

/// Whether a source whose first window is `head` can be read window by window as UTF-8:
/// not UTF-16 without a BOM, not blank, and text-like (the checks of [`decode`] that need
/// the whole input are left to it).
pub fn streamable(head: &[u8], declared_utf8: bool) -> bool {
    let body = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    (declared_utf8 || utf16_without_bom(head).is_none()) && check_text(body).is_ok()
}

fn utf8_lossy(bytes: Vec<u8>, skip: usize, warnings: &mut Vec<IngestWarning>) -> Vec<u8> {
    let body = &bytes[skip.min(bytes.len())..];
    match std::str::from_utf8(body) {
        Ok(_) => {
            if skip == 0 {
                bytes
            } else {
                body.to_vec()
            }
        }
        Err(_) => {
            warnings.push(IngestWarning {
                row: None,
                message: LOSSY_UTF8.to_string(),
            });
            String::from_utf8_lossy(body).into_owned().into_bytes()
        }
    }
}

/// Whether `b` is valid UTF-8, as `std::str::from_utf8(b).is_ok()` says, faster on text that
/// is mostly ASCII with an accented letter every few words (French data): eight ASCII bytes
/// are skipped at once from any offset (std only skips from aligned offsets, so each accent
/// costs it a byte-by-byte stretch), and each other character is checked whole by the same
/// rules (no overlong form, no surrogate, nothing past U+10FFFF).
pub fn is_utf8(b: &[u8]) -> bool {
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while i < b.len() {
        if let Some(w) = b.get(i..i.wrapping_add(8)) {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            let high = u64::from_le_bytes(a) & HI;
            if high == 0 {
                i += 8;
                continue;
            }
            i += (high.trailing_zeros() / 8) as usize;
        }
        let c = b[i];
        if c < 0x80 {
            i += 1;
            continue;
        }
        // The character's length and the range of its second byte.
        let (len, lo, hi) = match c {
            0xC2..=0xDF => (2, 0x80, 0xBF),
            0xE0 => (3, 0xA0, 0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80, 0xBF),
            0xED => (3, 0x80, 0x9F),
            0xF0 => (4, 0x90, 0xBF),
            0xF1..=0xF3 => (4, 0x80, 0xBF),
            0xF4 => (4, 0x80, 0x8F),
            _ => return false,
        };
        let Some(rest) = b.get(i + 1..i + len) else {
            return false;
        };
        if !(lo..=hi).contains(&rest[0]) || rest[1..].iter().any(|&x| x & 0xC0 != 0x80) {
            return false;
        }
        i += len;
    }
    true
}

/// Refuses empty input and input that is mostly control characters.
pub fn check_text(text: &[u8]) -> Result<(), IngestError> {
    if text.iter().all(|c| c.is_ascii_whitespace() || *c == 0) {
        return Err(error(
            "Le fichier est vide : il ne contient aucune donnée.",
            "The file is empty: it contains no data.",
        ));
    }
    let head = &text[..text.len().min(8192)];
    let control = head
        .iter()
        .filter(|&&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    // Text files have almost no control bytes; 10 % is far beyond any real CSV. Tiny inputs
    // are let through: a stray NUL in a three-cell file is data, not a binary format.
    if head.len() >= 256 && control * 10 > head.len() {
        return Err(not_text());
    }
    let replacement = head.windows(3).filter(|w| *w == [0xEF, 0xBF, 0xBD]).count();
    if replacement * 3 * 5 > head.len() {
        return Err(not_text());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_utf8;

    #[test]
    fn is_utf8_agrees_with_std() {
        // Every 1- to 3-byte string over bytes that matter to UTF-8 (boundaries of each range),
        // each alone and after ASCII runs of every length up to 9 (every word offset).
        let bytes: &[u8] = &[
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xA9, 0xBF, 0xC0, 0xC1, 0xC2, 0xC3,
            0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ];
        let mut cases: Vec<Vec<u8>> = vec![Vec::new()];
        for &a in bytes {
            cases.push(vec![a]);
            for &b in bytes {
                cases.push(vec![a, b]);
                for &c in bytes {
                    cases.push(vec![a, b, c]);
                }
            }
        }
        // Every 4-byte sequence with a lead byte of four.
        for a in [0xF0u8, 0xF1, 0xF3, 0xF4, 0xF5] {
            for &b in bytes {
                for c in [0x7Fu8, 0x80, 0xBF, 0xC0] {
                    for d in [0x41u8, 0x80, 0xBF, 0xC0] {
                        cases.push(vec![a, b, c, d]);
                    }
                }
            }
        }
        for case in &cases {
            for pad in 0..10 {
                for tail in [&b""[..], b"x", b"abcdefghij", "é".as_bytes()] {
                    let s = [&b"abcdefghij"[..pad], case, tail].concat();
                    assert_eq!(is_utf8(&s), std::str::from_utf8(&s).is_ok(), "{s:x?}");
                }
            }
        }
        // Real text, whole and cut at every byte.
        let text = "Ministère de l'Éducation nationale ; crédits 2024 : 3 131,22 € — 漢字 🎉 fin"
            .as_bytes();
        for end in 0..=text.len() {
            for start in 0..end.min(12) {
                let s = &text[start..end];
                assert_eq!(is_utf8(s), std::str::from_utf8(s).is_ok(), "{start}..{end}");
            }
        }
    }
}
