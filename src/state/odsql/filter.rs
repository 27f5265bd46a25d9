//! Filters as ODSQL `where` predicates, each literal read as the engine reads it for the
//! field's type (see the parent module for what must stay true).

use super::*;
use crate::core::query::filter::literal::{
    literal_bool, literal_days, literal_f64, literal_text, parse_datetime,
};
use crate::core::query::Literal;
use crate::core::value::{format_date, format_datetime};

/// A predicate that no row satisfies, said with documented filters only.
pub(super) fn nothing(x: &str) -> String {
    format!("({x} is null and {x} is not null)")
}

pub(super) fn predicate(f: &Filter, fields: &[Field]) -> Result<String, Inexact> {
    match f {
        Filter::In { column, values } => {
            let fd = field(fields, column)?;
            let x = quote_field(&fd.name);
            Ok(match members(fd, &x, values)? {
                Members::Bools(keep) => bools(&x, keep),
                Members::Terms(t) if t.is_empty() => nothing(&x),
                Members::Terms(t) => any_of(t),
            })
        }
        Filter::NotIn { column, values } => {
            let fd = field(fields, column)?;
            let x = quote_field(&fd.name);
            Ok(match members(fd, &x, values)? {
                Members::Bools(keep) => bools(&x, [!keep[0], !keep[1]]),
                Members::Terms(t) if t.is_empty() => format!("{x} is not null"),
                Members::Terms(t) => {
                    // `any_of` parenthesizes several terms; one range needs its own parentheses.
                    let lone_range = t.len() == 1 && t[0].compound;
                    let inner = any_of(t);
                    if lone_range {
                        format!("({x} is not null and not ({inner}))")
                    } else {
                        format!("({x} is not null and not {inner})")
                    }
                }
            })
        }
        Filter::Between { column, min, max } => {
            let fd = field(fields, column)?;
            between(fd, min.as_ref(), max.as_ref())
        }
        Filter::Contains { column, value } => contains(column.as_deref(), value, fields),
        Filter::IsNull { column } => Ok(format!(
            "{} is null",
            quote_field(&field(fields, column)?.name)
        )),
        Filter::NotNull { column } => Ok(format!(
            "{} is not null",
            quote_field(&field(fields, column)?.name)
        )),
    }
}

/// One disjunct of an `in`: an equality, a list or a range.
pub(super) struct Term {
    text: String,
    /// Holds `and` (a range): parenthesized when combined.
    compound: bool,
}

/// The values an `in` list matches on a field.
pub(super) enum Members {
    /// Boolean field: whether `false`, `true` match.
    Bools([bool; 2]),
    /// Other fields: the disjuncts (equalities gathered into one `=` or `in (…)` first).
    Terms(Vec<Term>),
}

pub(super) fn any_of(t: Vec<Term>) -> String {
    if t.len() == 1 {
        return t.into_iter().map(|t| t.text).collect();
    }
    let parts: Vec<String> = t
        .into_iter()
        .map(|t| {
            if t.compound {
                format!("({})", t.text)
            } else {
                t.text
            }
        })
        .collect();
    format!("({})", parts.join(" or "))
}

pub(super) fn bools(x: &str, keep: [bool; 2]) -> String {
    match keep {
        [true, true] => format!("{x} is not null"),
        [false, true] => format!("{x} is true"),
        [true, false] => format!("{x} is false"),
        [false, false] => nothing(x),
    }
}

/// What an `in` list matches, read as the engine reads each literal for the field's type.
pub(super) fn members(fd: &Field, x: &str, values: &[Literal]) -> Result<Members, Inexact> {
    use ColumnType::*;
    let mut eq: Vec<String> = Vec::new();
    let mut ranges: Vec<Term> = Vec::new();
    let mut push_eq = |s: String| {
        if !eq.contains(&s) {
            eq.push(s);
        }
    };
    match fd.ty {
        Boolean => {
            let mut keep = [false, false];
            for b in values.iter().filter_map(literal_bool) {
                keep[usize::from(b)] = true;
            }
            return Ok(Members::Bools(keep));
        }
        Text => values
            .iter()
            .filter_map(literal_text)
            .for_each(|s| push_eq(string_literal(&s))),
        Integer => {
            for l in values {
                if let Some((lo, hi)) = integer_interval(l)? {
                    if lo == hi {
                        push_eq(lo.to_string());
                    }
                }
            }
        }
        Decimal | Float => {
            for x in values.iter().filter_map(literal_f64) {
                push_eq(number(x)?);
            }
        }
        Date => {
            for (lo, hi) in values.iter().filter_map(literal_days) {
                if lo == hi {
                    push_eq(date_literal(lo));
                } else {
                    ranges.push(Term {
                        text: format!(
                            "{x} >= {} and {x} <= {}",
                            date_literal(lo),
                            date_literal(hi)
                        ),
                        compound: true,
                    });
                }
            }
        }
        Datetime => {
            for (lo, hi) in values.iter().filter_map(datetime_interval) {
                ranges.push(Term {
                    text: format!(
                        "{x} >= {} and {x} < {}",
                        datetime_literal(lo),
                        datetime_literal(hi.saturating_add(1))
                    ),
                    compound: true,
                });
            }
        }
    }
    let mut terms = Vec::new();
    match eq.len() {
        0 => {}
        1 => terms.push(Term {
            text: format!("{x} = {}", eq[0]),
            compound: false,
        }),
        _ => terms.push(Term {
            text: format!("{x} in ({})", eq.join(", ")),
            compound: false,
        }),
    }
    terms.extend(ranges);
    Ok(Members::Terms(terms))
}

pub(super) fn between(
    fd: &Field,
    min: Option<&Literal>,
    max: Option<&Literal>,
) -> Result<String, Inexact> {
    if matches!(fd.ty, ColumnType::Text | ColumnType::Boolean) {
        return Err(Inexact::new(
            &format!(
                "« between » demande des nombres ou des dates : « {} »",
                fd.name
            ),
            &format!("between needs numbers or dates: \"{}\"", fd.name),
        ));
    }
    let x = quote_field(&fd.name);
    let bound = |l: Option<&Literal>, upper: bool| {
        l.filter(|l| !matches!(l, Literal::Null))
            .map(|l| bound_literal(fd, l, upper))
            .transpose()
    };
    // Datetime bounds are whole seconds: `<= 10:30:00` is `< 10:30:01` for every fraction.
    let upper = if fd.ty == ColumnType::Datetime {
        "<"
    } else {
        "<="
    };
    Ok(match (bound(min, false)?, bound(max, true)?) {
        (None, None) => format!("{x} is not null"),
        (Some(lo), None) => format!("{x} >= {lo}"),
        (None, Some(hi)) => format!("{x} {upper} {hi}"),
        (Some(lo), Some(hi)) => format!("{x} >= {lo} and {x} {upper} {hi}"),
    })
}

/// A `between` bound as an ODSQL literal on a numeric or date field: an integer bound is
/// rounded inwards as the engine does, a date bound is the first or last day it names, a
/// datetime upper bound is the second after the last second it names (half-open).
pub(super) fn bound_literal(fd: &Field, l: &Literal, upper: bool) -> Result<String, Inexact> {
    let bad = || {
        Inexact::new(
            &format!(
                "« {l:?} » ne convient pas à « {} » (Loupe refuse ce filtre)",
                fd.name
            ),
            &format!(
                "{l:?} does not fit \"{}\" (Loupe refuses this filter)",
                fd.name
            ),
        )
    };
    match fd.ty {
        ColumnType::Integer => {
            let (lo, hi) = integer_interval(l)?.ok_or_else(bad)?;
            Ok(if upper { hi } else { lo }.to_string())
        }
        ColumnType::Date => {
            let (lo, hi) = literal_days(l).ok_or_else(bad)?;
            Ok(date_literal(if upper { hi } else { lo }))
        }
        ColumnType::Datetime => {
            let (lo, hi) = datetime_interval(l).ok_or_else(bad)?;
            Ok(datetime_literal(if upper {
                hi.saturating_add(1)
            } else {
                lo
            }))
        }
        _ => number(literal_f64(l).ok_or_else(bad)?),
    }
}

/// `contains`: Loupe's is a case- and accent-insensitive substring match. ODSQL has none:
/// `like` and `search()` are word-based full-text searches (`search()` even fuzzy) (manual:
/// Where clause, search()), `startswith()` is a case-sensitive prefix match (manual:
/// startswith()), and the
/// manual documents no wildcard for `like`. Only an empty text says something exact: every
/// value contains it, so it matches the non-null values.
pub(super) fn contains(
    column: Option<&str>,
    value: &str,
    fields: &[Field],
) -> Result<String, Inexact> {
    if !value.is_empty() {
        return Err(Inexact::new(
            "« contient » cherche une sous-chaîne sans casse ni accents ; ODSQL n'en a pas d'équivalent exact (like et search() cherchent des mots, startswith() un début sensible à la casse)",
            "contains is a case- and accent-insensitive substring match; ODSQL has no exact equivalent (like and search() match words, startswith() a case-sensitive prefix)",
        ));
    }
    match column {
        Some(c) if c != "*" => Ok(format!(
            "{} is not null",
            quote_field(&field(fields, c)?.name)
        )),
        _ => {
            let texts: Vec<String> = fields
                .iter()
                .filter(|f| f.ty == ColumnType::Text)
                .map(|f| format!("{} is not null", quote_field(&f.name)))
                .collect();
            match (texts.len(), fields.first()) {
                (0, Some(f)) => Ok(nothing(&quote_field(&f.name))),
                (0, None) => Err(unknown("*")),
                (1, _) => Ok(texts.join("")),
                _ => Ok(format!("({})", texts.join(" or "))),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Literals, read as `core::query::filter::literal` reads them, and written as ODSQL.

/// A finite number as an ODSQL numeric literal: integral values without `.0`, never an exponent.
pub(super) fn number(x: f64) -> Result<String, Inexact> {
    if !x.is_finite() {
        return Err(Inexact::new(
            "ce nombre n'est pas fini",
            "this number is not finite",
        ));
    }
    Ok(if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        // Rust writes a float in full decimal notation, the shortest that reads back the same.
        format!("{x}")
    })
}

pub(super) fn date_literal(days: i32) -> String {
    format!("date'{}'", format_date(days))
}

pub(super) fn datetime_literal(secs: i64) -> String {
    format!("date'{}'", format_datetime(secs))
}

/// The integer interval a literal denotes on an integer field, with the engine's tolerance of
/// a millionth (`2.5` is the empty `(3, 2)`). `Ok(None)`: not a number.
pub(super) fn integer_interval(l: &Literal) -> Result<Option<(i64, i64)>, Inexact> {
    let Some(x) = literal_f64(l) else {
        return Ok(None);
    };
    number(x)?;
    // 9.2e18 keeps the bounds inside i64, as the engine clamps them.
    let lo = (x - 1e-6).ceil().clamp(-9.2e18, 9.2e18) as i64;
    let hi = (x + 1e-6).floor().clamp(-9.2e18, 9.2e18) as i64;
    Ok(Some((lo, hi)))
}

/// A literal on a datetime field as an inclusive interval of seconds: an exact datetime, or the
/// whole year, month or day it names.
pub(super) fn datetime_interval(l: &Literal) -> Option<(i64, i64)> {
    if let Literal::Text(s) = l {
        if let Some(secs) = parse_datetime(s) {
            return Some((secs, secs));
        }
    }
    let (lo, hi) = literal_days(l)?;
    Some((i64::from(lo) * 86_400, i64::from(hi) * 86_400 + 86_399))
}
