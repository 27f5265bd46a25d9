//! Loupe's [`Query`] said in ODSQL: the pure translation of a query value into one call of the
//! Opendatasoft Explore API v2.1 (`…/records` or `…/exports/csv`), and the URL of that call.
//!
//! This module owns the meaning of every filter and aggregate on a portal. What must stay true:
//! a call returned in `Ok` selects exactly the rows, groups and values that
//! [`crate::core::query::run`] computes on the same data (same field types), and whatever ODSQL
//! cannot say exactly is an [`Inexact`] with its reason, never an approximation passed off as
//! the answer. The caller then computes that part another way. Nothing here touches the network.
//!
//! Facts from the manual (the `info.description` of the Explore v2.1 OpenAPI specification;
//! "manual: X" names its section X) that the translation relies on:
//! - (manual: Handling null values) a comparison involving a null value is false, `order_by`
//!   puts nulls after all other values in both directions (as Loupe does), and v2.1 groups
//!   nulls together (as Loupe does). A negated condition may still match records that have no
//!   value for the field (the portal is a search engine), so every `not` is guarded by
//!   `x is not null`, which gives Loupe's rule that nulls never match `in`, `not_in` or
//!   `between`.
//! - (manual: Text comparison operators) `=` on text is exact (not tokenized, not normalized),
//!   so text equality and `in` lists are exact and case-sensitive, like Loupe's.
//! - (manual: String literal) strings are quoted and `\` escapes a special character.
//! - (manual: Date literal) `date'…'` takes an ISO 8601 date or datetime. A datetime literal
//!   without an offset is read in the request's `timezone`, UTC by default (the `timezone`
//!   parameter of the specification), which is also the zone of the CSV export Loupe reads;
//!   Loupe keeps whole seconds (a fraction is dropped), hence the half-open upper bounds on
//!   datetimes below.
//!
//! Assumptions: each [`Field`]'s type is the type Loupe gives the same column (the caller maps
//! the portal metadata). Loupe reads some text as null on ingest (`NA`, `-`, `nd`…); on the
//! portal those are values, so `is null` may differ on such data: that is a difference of data,
//! not of translation. The literal readings below (numbers such as `"1 234,5"`, years, months,
//! days in ISO or French order) mirror `core::query::filter::literal`, which is private to the
//! engine; a change there must be made here too.

use std::fmt;

use super::url::percent_encode;
use crate::core::column::ColumnType;
use crate::core::query::aggregate::output_name;
use crate::core::query::{AggOp, Aggregate, Filter, Query, SortKey};

mod filter;
use filter::*;

/// Most rows one `records` call returns without `group_by` (specification, `limit` parameter).
pub const RECORDS_MAX_LIMIT: usize = 100;
/// Ceiling of `offset + limit` on `records` without `group_by` (specification, `limit`).
pub const RECORDS_MAX_WINDOW: usize = 10_000;
/// Most groups one `records` call returns with `group_by` (specification, `limit` parameter).
pub const GROUPED_MAX_LIMIT: usize = 20_000;

/// A portal field as the metadata describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's technical name (what ODSQL refers to).
    pub name: String,
    /// Its type, mapped to Loupe's: text, integer, float, decimal, date, datetime, boolean.
    pub ty: ColumnType,
}

/// Which Explore API endpoint a call goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `…/records`: JSON, at most 100 rows (20 000 groups with `group_by`).
    Records,
    /// `…/exports/csv`: every row (no limit by default), `;`-separated CSV with a BOM.
    ExportsCsv,
}

impl Endpoint {
    /// The path after `…/datasets/ID/`.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Records => "records",
            Endpoint::ExportsCsv => "exports/csv",
        }
    }
}

/// One Explore API call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCall {
    pub endpoint: Endpoint,
    /// Query parameters, unencoded, in this order when present: `select`, `where`, `group_by`,
    /// `order_by`, `limit` (and `offset` for the portal engine's table pages, written by
    /// `state::service::remote`; a query itself has no offset).
    pub params: Vec<(String, String)>,
}

/// What cannot be said exactly in ODSQL, and why (French / English, like the engine's errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inexact {
    pub what: String,
}

impl Inexact {
    fn new(fr: &str, en: &str) -> Self {
        Inexact {
            what: format!("{fr} / {en}"),
        }
    }
}

impl fmt::Display for Inexact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl std::error::Error for Inexact {}

/// Words that cannot be bare field names: the reserved keywords (manual: Reserved keywords in
/// ODSQL clauses), plus operators and literal prefixes of the grammar (`in`, `is`, `like`,
/// `to`, `date`, `geom`), quoted too since back quotes are always allowed around a name.
const RESERVED: &str = "and as asc avg by count date_format day dayofweek desc distinct equi \
    false group hour ifnull or limit lower max millisecond min minute month not null quarter \
    range search second select sum top true upper where year \
    in is like to date geom";

/// A field name as ODSQL reads it: bare when it is ASCII letters, digits and underscores, does
/// not start with a digit and is no keyword; otherwise in back quotes (manual: Field names).
///
/// The manual documents `\` escapes for string literals only; inside back quotes a back quote
/// or a backslash is escaped the same way (portal field names never hold them in practice).
///
/// ```
/// use loupe::state::odsql::quote_field;
/// assert_eq!(quote_field("montant"), "montant");
/// assert_eq!(quote_field("Code Insee 2024 Région"), "`Code Insee 2024 Région`");
/// assert_eq!(quote_field("count"), "`count`");
/// ```
pub fn quote_field(name: &str) -> String {
    let bare = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !RESERVED
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case(name));
    if bare {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('`');
    for c in name.chars() {
        if matches!(c, '`' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('`');
    out
}

/// A string literal: in double quotes, with `\` before every `"` and `\` (manual: String literal).
///
/// ```
/// use loupe::state::odsql::string_literal;
/// assert_eq!(string_literal("L'Abergement"), r#""L'Abergement""#);
/// assert_eq!(string_literal(r#"a"b\"#), r#""a\"b\\""#);
/// ```
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The `where` clause of Loupe's filters (ANDed), `None` without filters.
///
/// Loupe's semantics, said exactly: `in` is `x = v` or `x in (…)` (a null literal matches
/// nothing, as in Loupe); `not_in` is `(x is not null and not …)`; `between` is `x >= a` and
/// `x <= b` with open bounds (no bound at all: `x is not null`); a year, a month or a day on a
/// date field is the range of its days; on a datetime field, bounds are whole seconds with a
/// half-open upper bound (`x < date'next second'`). A list that can match no value becomes
/// `(x is null and x is not null)`. `contains` is [`Inexact`] unless its text is empty.
///
/// ```
/// use loupe::core::query::{Filter, Literal};
/// use loupe::core::ColumnType;
/// use loupe::state::odsql::{where_clause, Field};
/// let fields = [Field { name: "region".into(), ty: ColumnType::Text }];
/// let f = Filter::NotIn { column: "region".into(), values: vec![Literal::Text("Corse".into())] };
/// assert_eq!(
///     where_clause(&[f], &fields).ok().flatten().as_deref(),
///     Some(r#"(region is not null and not region = "Corse")"#)
/// );
/// ```
pub fn where_clause(filters: &[Filter], fields: &[Field]) -> Result<Option<String>, Inexact> {
    let parts = filters
        .iter()
        .map(|f| predicate(f, fields))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((!parts.is_empty()).then(|| parts.join(" and ")))
}

/// Translates a query into one call. Chooses `records` within its limits (no `group_by`:
/// `limit <= 100`; with `group_by`: `limit <= 20000`) and `exports/csv` beyond or without a
/// limit (an export returns every row or group).
///
/// Raw rows select every field (no `select`). A grouped query selects its keys then its
/// aggregates, each `as` its Loupe output name ([`output_name`]); a pivot is the long form,
/// `group_by` on its two keys with its one aggregate, which the caller reshapes (its totals too:
/// for a mean, a median or a count of distinct values a total is not the sum of its cells, so
/// the caller asks for it with its own call). `order_by` follows `sort` by output names; nulls
/// go last in both directions on the portal as in Loupe (manual: Handling null values), v2.1
/// makes a group of null keys as Loupe does (same section), and `count(x)` counts non-null
/// values as Loupe does (manual: count()).
///
/// Differences the manual leaves open, which the caller should know but which are not
/// [`Inexact`] (else no sorted or summed view could go to the portal):
/// - rows that tie on every sort key may come in another order than Loupe's (which keeps first
///   appearance), so a limit may cut among ties differently; unsorted rows and groups come in
///   the portal's order;
/// - the manual does not say how text sorts (Loupe: by bytes, so `Z` before `a`);
/// - a `sum`, `avg`, `min` or `max` over a group whose values are all null is null in Loupe;
///   the manual does not say what the portal returns;
/// - Loupe sums decimals exactly; the manual only says `sum()` returns a "numeric".
///
/// [`Inexact`]: `count_distinct` (approximate on the portal), `median` (method undocumented),
/// `share` (needs a second call for the total), `others` with a limit (the "Autres" row is
/// computed by the caller), a grouped `limit` without `sort` (Loupe keeps the first groups in
/// order of appearance), an aggregate sort key after a group key (the portal refuses it), an
/// aggregate on a type its ODSQL function does not take, and every inexact filter.
pub fn translate(q: &Query, fields: &[Field]) -> Result<ApiCall, Inexact> {
    let filter = where_clause(&q.filter, fields)?;
    if let Some(p) = &q.pivot {
        let keys = [p.rows.clone(), p.columns.clone()];
        return grouped(
            &keys,
            std::slice::from_ref(&p.value),
            &[],
            None,
            filter,
            fields,
        );
    }
    if q.group_by.is_empty() && q.aggregates.is_empty() {
        return raw_rows(q, filter, fields);
    }
    if q.others && q.limit.is_some() && !q.group_by.is_empty() {
        return Err(Inexact::new(
            "la ligne « Autres » se calcule à part (les groupes au-delà de la limite)",
            "the \"Autres\" (others) row is computed apart (the groups beyond the limit)",
        ));
    }
    grouped(&q.group_by, &q.aggregates, &q.sort, q.limit, filter, fields)
}

/// The full URL of a call: `https://HOST/api/explore/v2.1/catalog/datasets/ID/records?…`, every
/// parameter percent-encoded (RFC 3986 unreserved characters kept). `portal_origin` is
/// `https://host` (a bare host gets `https://`; a trailing `/` is dropped).
pub fn url(portal_origin: &str, dataset_id: &str, call: &ApiCall) -> String {
    let origin = portal_origin.trim().trim_end_matches('/');
    let mut out = if origin.contains("://") {
        origin.to_string()
    } else {
        format!("https://{origin}")
    };
    out.push_str("/api/explore/v2.1/catalog/datasets/");
    out.push_str(&percent_encode(dataset_id));
    out.push('/');
    out.push_str(call.endpoint.path());
    for (i, (k, v)) in call.params.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&percent_encode(k));
        out.push('=');
        out.push_str(&percent_encode(v));
    }
    out
}

/// The URL of the filtered rows as CSV (every field, every matching row).
pub fn export_url(
    portal_origin: &str,
    dataset_id: &str,
    filters: &[Filter],
    fields: &[Field],
) -> Result<String, Inexact> {
    let params = where_clause(filters, fields)?
        .map(|w| ("where".to_string(), w))
        .into_iter()
        .collect();
    let call = ApiCall {
        endpoint: Endpoint::ExportsCsv,
        params,
    };
    Ok(url(portal_origin, dataset_id, &call))
}

// ---------------------------------------------------------------------------------------------
// Calls.

fn raw_rows(q: &Query, filter: Option<String>, fields: &[Field]) -> Result<ApiCall, Inexact> {
    let order = q
        .sort
        .iter()
        .map(|k| Ok(sort_term(&field(fields, &k.column)?.name, k.desc)))
        .collect::<Result<Vec<_>, Inexact>>()?;
    // The offset is always 0 here, so the window of RECORDS_MAX_WINDOW never binds first.
    let endpoint = match q.limit {
        Some(n) if n <= RECORDS_MAX_LIMIT => Endpoint::Records,
        _ => Endpoint::ExportsCsv,
    };
    Ok(call(endpoint, None, filter, None, order, q.limit))
}

fn grouped(
    keys: &[String],
    aggregates: &[Aggregate],
    sort: &[SortKey],
    limit: Option<usize>,
    filter: Option<String>,
    fields: &[Field],
) -> Result<ApiCall, Inexact> {
    let keys = keys
        .iter()
        .map(|k| Ok(field(fields, k)?.name.clone()))
        .collect::<Result<Vec<_>, Inexact>>()?;
    let mut select: Vec<String> = keys.iter().map(|k| quote_field(k)).collect();
    let mut names = keys.clone();
    for a in aggregates {
        let name = output_name(a);
        select.push(format!(
            "{} as {}",
            aggregate_expr(a, fields)?,
            quote_field(&name)
        ));
        names.push(name);
    }
    let select = Some(select.join(", "));
    if keys.is_empty() {
        // One row: Loupe checks the sort names, and a sort or a limit above 0 changes nothing.
        for k in sort {
            output_index(&names, &k.column)?;
        }
        return Ok(call(
            Endpoint::Records,
            select,
            filter,
            None,
            Vec::new(),
            Some(limit.unwrap_or(1).min(1)),
        ));
    }
    let mut order = Vec::new();
    let mut after_key = false;
    for k in sort {
        let i = output_index(&names, &k.column)?;
        let is_key = i < keys.len();
        if !is_key && after_key {
            return Err(Inexact::new(
                "le portail veut les tris sur agrégats avant les tris sur champs",
                "the portal wants aggregate sort keys before field sort keys (manual, Order by clause)",
            ));
        }
        after_key |= is_key;
        order.push(sort_term(&names[i], k.desc));
    }
    if limit.is_some() && sort.is_empty() {
        return Err(Inexact::new(
            "sans tri, Loupe garde les premiers groupes dans l'ordre d'apparition, que le portail ignore",
            "without a sort, Loupe keeps the first groups in order of appearance, which the portal does not know",
        ));
    }
    let endpoint = match limit {
        Some(n) if n <= GROUPED_MAX_LIMIT => Endpoint::Records,
        _ => Endpoint::ExportsCsv,
    };
    let group_by = keys
        .iter()
        .map(|k| quote_field(k))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(call(endpoint, select, filter, Some(group_by), order, limit))
}

fn call(
    endpoint: Endpoint,
    select: Option<String>,
    filter: Option<String>,
    group_by: Option<String>,
    order: Vec<String>,
    limit: Option<usize>,
) -> ApiCall {
    let order = (!order.is_empty()).then(|| order.join(", "));
    let params = [
        ("select", select),
        ("where", filter),
        ("group_by", group_by),
        ("order_by", order),
        ("limit", limit.map(|n| n.to_string())),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
    .collect();
    ApiCall { endpoint, params }
}

fn sort_term(name: &str, desc: bool) -> String {
    format!(
        "{} {}",
        quote_field(name),
        if desc { "desc" } else { "asc" }
    )
}

/// A sort key's output column, found as Loupe finds it (exact, then ASCII case-insensitive).
fn output_index(names: &[String], column: &str) -> Result<usize, Inexact> {
    names
        .iter()
        .position(|n| n == column)
        .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(column)))
        .ok_or_else(|| unknown(column))
}

/// A field by name, found as the engine finds a column (exact, then ASCII case-insensitive).
fn field<'a>(fields: &'a [Field], name: &str) -> Result<&'a Field, Inexact> {
    fields
        .iter()
        .find(|f| f.name == name)
        .or_else(|| fields.iter().find(|f| f.name.eq_ignore_ascii_case(name)))
        .ok_or_else(|| unknown(name))
}

fn unknown(name: &str) -> Inexact {
    Inexact::new(
        &format!("le portail n'a pas de champ « {name} »"),
        &format!("the portal has no field \"{name}\""),
    )
}

// ---------------------------------------------------------------------------------------------
// Aggregates.

/// One aggregate as an ODSQL expression, or why it has none (manual: ODSQL aggregate functions).
fn aggregate_expr(a: &Aggregate, fields: &[Field]) -> Result<String, Inexact> {
    let col = a.column.as_deref().map(|c| field(fields, c)).transpose()?;
    let name = output_name(a);
    let not_taken = |f: &str| {
        Inexact::new(
            &format!("{name} : {f}() d'ODSQL ne prend pas ce type de champ"),
            &format!("{name}: ODSQL's {f}() does not take this field type"),
        )
    };
    let need = || {
        col.ok_or_else(|| {
            Inexact::new(
                &format!("{name} : colonne manquante"),
                &format!("{name}: missing column"),
            )
        })
    };
    use ColumnType::*;
    let (f, c) = match a.op {
        AggOp::Count => {
            return Ok(match col {
                None => "count(*)".to_string(),
                Some(c) => format!("count({})", quote_field(&c.name)),
            })
        }
        AggOp::CountDistinct => {
            return Err(Inexact::new(
                "le portail compte les valeurs distinctes de façon approchée",
                "the portal approximates distinct counts (manual, count(distinct): \"the count is always approximated\")",
            ))
        }
        AggOp::Median => {
            return Err(Inexact::new(
                "la médiane du portail est percentile(champ, 50), dont la méthode n'est pas documentée (Loupe : médiane exacte, moyenne des deux valeurs du milieu)",
                "the portal's median is percentile(field, 50), whose method is undocumented (Loupe: exact median, mean of the two middle values)",
            ))
        }
        AggOp::Share => {
            return Err(Inexact::new(
                "une part se divise par le total de tous les groupes, qui demande un second appel",
                "a share is divided by the total of all groups, which needs a second call",
            ))
        }
        AggOp::Sum => ("sum", need()?),
        AggOp::Mean => ("avg", need()?),
        AggOp::Min => ("min", need()?),
        AggOp::Max => ("max", need()?),
    };
    // sum() and avg() take a numeric field; min() and max() a numeric or a date field.
    let taken = match f {
        "sum" | "avg" => matches!(c.ty, Integer | Decimal | Float),
        _ => matches!(c.ty, Integer | Decimal | Float | Date | Datetime),
    };
    if !taken {
        return Err(not_taken(f));
    }
    Ok(format!("{f}({})", quote_field(&c.name)))
}

// ---------------------------------------------------------------------------------------------
// Filters.

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::query::filter::literal::{
        literal_bool, literal_days, literal_f64, parse_datetime, year_range,
    };
    use crate::core::query::Literal;

    #[test]
    fn field_names_are_quoted_when_needed() {
        let cases = [
            ("montant", "montant"),
            ("_id", "_id"),
            ("exercice_2024", "exercice_2024"),
            ("12", "`12`"),
            ("2024_total", "`2024_total`"),
            ("and", "`and`"),
            ("Count", "`Count`"),
            ("date", "`date`"),
            ("in", "`in`"),
            ("Code Insee 2024 Région", "`Code Insee 2024 Région`"),
            ("acheteur.id", "`acheteur.id`"),
            ("région", "`région`"),
            ("a`b", r"`a\`b`"),
            (r"a\b", r"`a\\b`"),
            ("", "``"),
        ];
        for (name, want) in cases {
            assert_eq!(quote_field(name), want, "{name}");
        }
    }

    #[test]
    fn strings_are_escaped_per_the_manual() {
        let cases = [
            ("Bretagne", r#""Bretagne""#),
            ("L'Abergement", r#""L'Abergement""#),
            (r#"a"b"#, r#""a\"b""#),
            (r"\", r#""\\""#),
            (r#"\""#, r#""\\\"""#),
            ("", r#""""#),
            ("Besançon", r#""Besançon""#),
        ];
        for (s, want) in cases {
            assert_eq!(string_literal(s), want, "{s}");
        }
    }

    #[test]
    fn numbers_are_plain_decimals() {
        let cases = [
            (2020.0, "2020"),
            (-0.0, "0"),
            (12.5, "12.5"),
            (0.1, "0.1"),
            (-3.25, "-3.25"),
            (1e15, "1000000000000000"),
            (1.5e-7, "0.00000015"),
        ];
        for (x, want) in cases {
            assert_eq!(number(x).as_deref(), Ok(want), "{x}");
        }
        assert!(number(f64::NAN).is_err());
        assert!(number(f64::INFINITY).is_err());
    }

    #[test]
    fn reasons_read_in_both_languages_and_endpoints_have_paths() {
        let e = Inexact::new("approché", "approximate");
        assert_eq!(e.to_string(), "approché / approximate");
        assert_eq!(Endpoint::Records.path(), "records");
        assert_eq!(Endpoint::ExportsCsv.path(), "exports/csv");
    }

    #[test]
    fn literals_read_as_the_engine_reads_them() {
        assert_eq!(literal_f64(&Literal::Text("1 234,5".into())), Some(1234.5));
        assert_eq!(literal_days(&Literal::Number(2020.0)), year_range(2020));
        assert_eq!(
            literal_days(&Literal::Text("2024-02".into())),
            Some((19_754, 19_782))
        );
        assert_eq!(
            literal_days(&Literal::Text("01/03/2020".into())),
            literal_days(&Literal::Text("2020-03-01".into()))
        );
        assert_eq!(
            parse_datetime("1970-01-02T01:02:03"),
            Some(86_400 + 3600 + 120 + 3)
        );
        assert_eq!(integer_interval(&Literal::Number(2.5)), Ok(Some((3, 2))));
        assert_eq!(literal_bool(&Literal::Text(" Oui ".into())), Some(true));
    }
}
