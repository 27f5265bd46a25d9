//! Loupe's queries said in ODSQL (`loupe::state::odsql`), as a specification: every expected
//! clause, call and URL below is written by hand from the Explore API v2.1 manual (the
//! `info.description` of its OpenAPI specification) and Loupe's semantics (`core::query`), never
//! produced by the code under test. Beyond the text, every where clause of the table is read by
//! a small ODSQL reader written from the manual (`portal`) over a nine-record dataset, and must
//! keep exactly the rows Loupe's own engine (`core::query::select`) keeps.

use loupe::core::query::{Filter, Query};
use loupe::core::ColumnType;
use loupe::state::odsql::{
    export_url, translate, url, where_clause, ApiCall, Endpoint, Field, Inexact,
};

/// The fields of a made-up procurement dataset, one of each type, with awkward names.
fn fields() -> Vec<Field> {
    [
        ("region", ColumnType::Text),
        ("commune", ColumnType::Text),
        ("Code Insee 2024 Région", ColumnType::Text),
        ("acheteur.id", ColumnType::Text),
        ("exercice", ColumnType::Integer),
        ("montant", ColumnType::Decimal),
        ("taux", ColumnType::Float),
        ("date_notification", ColumnType::Date),
        ("horodatage", ColumnType::Datetime),
        ("public", ColumnType::Boolean),
        ("count", ColumnType::Integer),
    ]
    .into_iter()
    .map(|(name, ty)| Field {
        name: name.into(),
        ty,
    })
    .collect()
}

fn filters(json: &str) -> Vec<Filter> {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn query(json: &str) -> Query {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn call(endpoint: Endpoint, params: &[(&str, &str)]) -> ApiCall {
    ApiCall {
        endpoint,
        params: params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// (filters as JSON, the where clause)
const WHERE_CASES: &[(&str, &str)] = &[
        // Text equality is exact (`=`: not tokenized, not normalized); lists use `in`.
        (r#"[{"column":"region","op":"in","values":["Bretagne"]}]"#, r#"region = "Bretagne""#),
        (
            r#"[{"column":"region","op":"in","values":["Bretagne","Corse"]}]"#,
            r#"region in ("Bretagne", "Corse")"#,
        ),
        (
            r#"[{"column":"region","op":"in","values":["Corse","Corse"]}]"#,
            r#"region = "Corse""#,
        ),
        // Loupe: a null literal never matches `in` (nulls are chosen with is_null).
        (
            r#"[{"column":"region","op":"in","values":[null,"Bretagne"]}]"#,
            r#"region = "Bretagne""#,
        ),
        (
            r#"[{"column":"region","op":"in","values":[null]}]"#,
            "(region is null and region is not null)",
        ),
        (
            r#"[{"column":"region","op":"in","values":[]}]"#,
            "(region is null and region is not null)",
        ),
        // not_in never matches nulls in Loupe; on the portal a negation also matches them.
        (
            r#"[{"column":"region","op":"not_in","values":["Corse"]}]"#,
            r#"(region is not null and not region = "Corse")"#,
        ),
        (
            r#"[{"column":"region","op":"not_in","values":["Corse","Bretagne"]}]"#,
            r#"(region is not null and not region in ("Corse", "Bretagne"))"#,
        ),
        (r#"[{"column":"region","op":"not_in","values":[]}]"#, "region is not null"),
        (r#"[{"column":"region","op":"not_in","values":[null]}]"#, "region is not null"),
        // Quotes and backslashes inside values.
        (
            r#"[{"column":"commune","op":"in","values":["L'Abergement","a\"b","\\"]}]"#,
            r#"commune in ("L'Abergement", "a\"b", "\\")"#,
        ),
        // Field names beyond letters, digits and underscores, and keywords, in back quotes.
        (
            r#"[{"column":"Code Insee 2024 Région","op":"in","values":["01053"]}]"#,
            r#"`Code Insee 2024 Région` = "01053""#,
        ),
        (
            r#"[{"column":"acheteur.id","op":"in","values":["130005481"]}]"#,
            r#"`acheteur.id` = "130005481""#,
        ),
        (r#"[{"column":"count","op":"not_null"}]"#, "`count` is not null"),
        // A name is found as the engine finds it: exactly, else ignoring ASCII case.
        (r#"[{"column":"REGION","op":"in","values":["Bretagne"]}]"#, r#"region = "Bretagne""#),
        // A number on a text field matches its text.
        (r#"[{"column":"region","op":"in","values":[2020]}]"#, r#"region = "2020""#),
        // Integers: numbers and numeric text; 2.5 matches no integer.
        (
            r#"[{"column":"exercice","op":"in","values":[2020,"2021",2.5]}]"#,
            "exercice in (2020, 2021)",
        ),
        (
            r#"[{"column":"exercice","op":"in","values":[2.5]}]"#,
            "(exercice is null and exercice is not null)",
        ),
        (
            r#"[{"column":"exercice","op":"not_in","values":[2019]}]"#,
            "(exercice is not null and not exercice = 2019)",
        ),
        // Decimals and floats: French numeric text is read as the engine reads it.
        (
            r#"[{"column":"montant","op":"in","values":[12.5,"1 234,56"]}]"#,
            "montant in (12.5, 1234.56)",
        ),
        (r#"[{"column":"taux","op":"in","values":[0.1]}]"#, "taux = 0.1"),
        // Booleans.
        (r#"[{"column":"public","op":"in","values":[true]}]"#, "public is true"),
        (r#"[{"column":"public","op":"in","values":["non"]}]"#, "public is false"),
        (r#"[{"column":"public","op":"in","values":[true,false]}]"#, "public is not null"),
        (
            r#"[{"column":"public","op":"in","values":[]}]"#,
            "(public is null and public is not null)",
        ),
        (r#"[{"column":"public","op":"not_in","values":[true]}]"#, "public is false"),
        (
            r#"[{"column":"public","op":"not_in","values":[true,false]}]"#,
            "(public is null and public is not null)",
        ),
        (r#"[{"column":"public","op":"not_in","values":[]}]"#, "public is not null"),
        // Dates: a day, a year, a month, French order.
        (
            r#"[{"column":"date_notification","op":"in","values":["2024-03-15"]}]"#,
            "date_notification = date'2024-03-15'",
        ),
        (
            r#"[{"column":"date_notification","op":"in","values":[2023]}]"#,
            "date_notification >= date'2023-01-01' and date_notification <= date'2023-12-31'",
        ),
        (
            r#"[{"column":"date_notification","op":"in","values":["2024-02","15/03/2024"]}]"#,
            "(date_notification = date'2024-03-15' or (date_notification >= date'2024-02-01' and date_notification <= date'2024-02-29'))",
        ),
        (
            r#"[{"column":"date_notification","op":"not_in","values":["2024"]}]"#,
            "(date_notification is not null and not (date_notification >= date'2024-01-01' and date_notification <= date'2024-12-31'))",
        ),
        // Datetimes: whole seconds, upper bound half-open.
        (
            r#"[{"column":"horodatage","op":"in","values":["2024-03-15T10:30:00"]}]"#,
            "horodatage >= date'2024-03-15T10:30:00' and horodatage < date'2024-03-15T10:30:01'",
        ),
        (
            r#"[{"column":"horodatage","op":"in","values":["2024-03-15"]}]"#,
            "horodatage >= date'2024-03-15T00:00:00' and horodatage < date'2024-03-16T00:00:00'",
        ),
        // Between: inclusive, open bounds, nulls never match.
        (
            r#"[{"column":"exercice","op":"between","min":2019,"max":2021}]"#,
            "exercice >= 2019 and exercice <= 2021",
        ),
        (r#"[{"column":"exercice","op":"between","min":2.5,"max":null}]"#, "exercice >= 3"),
        (r#"[{"column":"exercice","op":"between","max":2020.5}]"#, "exercice <= 2020"),
        (r#"[{"column":"exercice","op":"between"}]"#, "exercice is not null"),
        (
            r#"[{"column":"montant","op":"between","min":"1 000","max":2500.75}]"#,
            "montant >= 1000 and montant <= 2500.75",
        ),
        (r#"[{"column":"taux","op":"between","min":-0.5}]"#, "taux >= -0.5"),
        (
            r#"[{"column":"date_notification","op":"between","min":"2023","max":"2024-06"}]"#,
            "date_notification >= date'2023-01-01' and date_notification <= date'2024-06-30'",
        ),
        (
            r#"[{"column":"date_notification","op":"between","min":2022}]"#,
            "date_notification >= date'2022-01-01'",
        ),
        (
            r#"[{"column":"horodatage","op":"between","min":"2024-01-01","max":"2024-01-31"}]"#,
            "horodatage >= date'2024-01-01T00:00:00' and horodatage < date'2024-02-01T00:00:00'",
        ),
        (
            r#"[{"column":"horodatage","op":"between","min":"2024-01-01T08:00","max":"2024-01-01T18:00:00"}]"#,
            "horodatage >= date'2024-01-01T08:00:00' and horodatage < date'2024-01-01T18:00:01'",
        ),
        // Null tests.
        (r#"[{"column":"region","op":"is_null"}]"#, "region is null"),
        (r#"[{"column":"acheteur.id","op":"not_null"}]"#, "`acheteur.id` is not null"),
        // An empty `contains` matches every value.
        (r#"[{"column":"region","op":"contains","value":""}]"#, "region is not null"),
        // Filters are ANDed.
        (
            r#"[{"column":"region","op":"in","values":["Bretagne"]},{"column":"exercice","op":"between","min":2020}]"#,
            r#"region = "Bretagne" and exercice >= 2020"#,
        ),
];

#[test]
fn filters_translate_to_exact_where_clauses() {
    let fields = fields();
    for (json, want) in WHERE_CASES {
        assert_eq!(
            where_clause(&filters(json), &fields),
            Ok(Some(want.to_string())),
            "{json}"
        );
    }
    assert_eq!(where_clause(&[], &fields), Ok(None));
}

#[test]
fn filters_that_odsql_cannot_say_exactly_are_inexact() {
    // (filters as JSON, a word the reason must contain)
    let cases: &[(&str, &str)] = &[
        // Substring, case- and accent-insensitive: like/search() match words.
        (
            r#"[{"column":"commune","op":"contains","value":"abergement"}]"#,
            "substring",
        ),
        (r#"[{"op":"contains","value":"élysée"}]"#, "substring"),
        (
            r#"[{"column":"exercice","op":"contains","value":"202"}]"#,
            "substring",
        ),
        // What Loupe itself refuses.
        (
            r#"[{"column":"region","op":"between","min":"a","max":"b"}]"#,
            "numbers or dates",
        ),
        (
            r#"[{"column":"public","op":"between","min":0}]"#,
            "numbers or dates",
        ),
        (
            r#"[{"column":"exercice","op":"between","min":"deux mille"}]"#,
            "does not fit",
        ),
        (
            r#"[{"column":"date_notification","op":"between","max":"hier"}]"#,
            "does not fit",
        ),
        (r#"[{"column":"inconnue","op":"is_null"}]"#, "no field"),
    ];
    let fields = fields();
    for (json, word) in cases {
        match where_clause(&filters(json), &fields) {
            Err(Inexact { what }) => assert!(what.contains(word), "{json}: {what}"),
            Ok(w) => panic!("{json}: expected Inexact, got {w:?}"),
        }
    }
}

#[test]
fn queries_translate_to_calls() {
    use Endpoint::{ExportsCsv, Records};
    // (query as JSON, the call)
    let cases: Vec<(&str, ApiCall)> = vec![
        // Raw rows: no limit means every row, beyond `records`.
        ("{}", call(ExportsCsv, &[])),
        (
            r#"{"sort":[{"column":"montant","desc":true}],"limit":50}"#,
            call(Records, &[("order_by", "montant desc"), ("limit", "50")]),
        ),
        (r#"{"limit":100}"#, call(Records, &[("limit", "100")])),
        (r#"{"limit":101}"#, call(ExportsCsv, &[("limit", "101")])),
        (r#"{"limit":20000}"#, call(ExportsCsv, &[("limit", "20000")])),
        (
            r#"{"filter":[{"column":"public","op":"in","values":[true]}],"sort":[{"column":"Code Insee 2024 Région"}],"limit":10}"#,
            call(
                Records,
                &[
                    ("where", "public is true"),
                    ("order_by", "`Code Insee 2024 Région` asc"),
                    ("limit", "10"),
                ],
            ),
        ),
        // Grouped: keys, then aggregates named as Loupe names them.
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"count"},{"op":"sum","column":"montant","as":"total"}],"sort":[{"column":"total","desc":true}],"limit":10}"#,
            call(
                Records,
                &[
                    ("select", "region, count(*) as `count`, sum(montant) as total"),
                    ("group_by", "region"),
                    ("order_by", "total desc"),
                    ("limit", "10"),
                ],
            ),
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"count","column":"commune"}],"sort":[{"column":"region"}],"limit":20000}"#,
            call(
                Records,
                &[
                    ("select", "region, count(commune) as count_commune"),
                    ("group_by", "region"),
                    ("order_by", "region asc"),
                    ("limit", "20000"),
                ],
            ),
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"count"}],"sort":[{"column":"count","desc":true}],"limit":20001}"#,
            call(
                ExportsCsv,
                &[
                    ("select", "region, count(*) as `count`"),
                    ("group_by", "region"),
                    ("order_by", "`count` desc"),
                    ("limit", "20001"),
                ],
            ),
        ),
        // No limit: every group; `others` without a limit changes nothing in Loupe.
        (
            r#"{"group_by":["Code Insee 2024 Région","exercice"],"aggregates":[{"op":"max","column":"montant"},{"op":"min","column":"horodatage","as":"première"}],"others":true}"#,
            call(
                ExportsCsv,
                &[
                    (
                        "select",
                        "`Code Insee 2024 Région`, exercice, max(montant) as max_montant, min(horodatage) as `première`",
                    ),
                    ("group_by", "`Code Insee 2024 Région`, exercice"),
                ],
            ),
        ),
        // Aggregates first, then keys, as the portal requires; names ignore ASCII case as in Loupe.
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"mean","column":"taux","as":"Taux moyen"}],"sort":[{"column":"taux moyen","desc":true},{"column":"Region"}],"limit":5}"#,
            call(
                Records,
                &[
                    ("select", "region, avg(taux) as `Taux moyen`"),
                    ("group_by", "region"),
                    ("order_by", "`Taux moyen` desc, region asc"),
                    ("limit", "5"),
                ],
            ),
        ),
        // Aggregates alone: one row.
        (
            r#"{"filter":[{"column":"exercice","op":"in","values":[2024]}],"aggregates":[{"op":"mean","column":"taux"},{"op":"min","column":"date_notification"}]}"#,
            call(
                Records,
                &[
                    (
                        "select",
                        "avg(taux) as mean_taux, min(date_notification) as min_date_notification",
                    ),
                    ("where", "exercice = 2024"),
                    ("limit", "1"),
                ],
            ),
        ),
        (
            r#"{"aggregates":[{"op":"sum","column":"exercice"}],"limit":0}"#,
            call(
                Records,
                &[("select", "sum(exercice) as sum_exercice"), ("limit", "0")],
            ),
        ),
        // A pivot is its long form, which the caller reshapes; group_by and aggregates are ignored.
        (
            r#"{"group_by":["commune"],"aggregates":[{"op":"median","column":"taux"}],"pivot":{"rows":"region","columns":"exercice","value":{"op":"sum","column":"montant"}}}"#,
            call(
                ExportsCsv,
                &[
                    ("select", "region, exercice, sum(montant) as sum_montant"),
                    ("group_by", "region, exercice"),
                ],
            ),
        ),
    ];
    let fields = fields();
    for (json, want) in cases {
        assert_eq!(translate(&query(json), &fields), Ok(want), "{json}");
    }
}

#[test]
fn queries_that_odsql_cannot_say_exactly_are_inexact() {
    // (query as JSON, a word the reason must contain)
    let cases: &[(&str, &str)] = &[
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"count_distinct","column":"commune"}]}"#,
            "approximat",
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"median","column":"montant"}]}"#,
            "undocumented",
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"share","column":"montant"}]}"#,
            "second call",
        ),
        (
            r#"{"pivot":{"rows":"region","columns":"exercice","value":{"op":"count_distinct","column":"commune"}}}"#,
            "approximat",
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"count"}],"sort":[{"column":"count","desc":true}],"limit":5,"others":true}"#,
            "Autres",
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"count"}],"limit":5}"#,
            "order of appearance",
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"count"}],"sort":[{"column":"region"},{"column":"count"}],"limit":5}"#,
            "before field sort keys",
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"sum","column":"commune"}]}"#,
            "sum() does not take",
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"sum","column":"public"}]}"#,
            "sum() does not take",
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"mean","column":"date_notification"}]}"#,
            "avg() does not take",
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"max","column":"commune"}]}"#,
            "max() does not take",
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"sum"}]}"#,
            "missing column",
        ),
        (
            r#"{"group_by":["region"],"aggregates":[{"op":"count"}],"sort":[{"column":"total"}],"limit":5}"#,
            "no field \"total\"",
        ),
        (
            r#"{"sort":[{"column":"nulle_part"}],"limit":5}"#,
            "no field",
        ),
        (
            r#"{"group_by":["nulle_part"],"aggregates":[{"op":"count"}]}"#,
            "no field",
        ),
        (
            r#"{"filter":[{"column":"commune","op":"contains","value":"saint"}],"limit":5}"#,
            "substring",
        ),
    ];
    let fields = fields();
    for (json, word) in cases {
        match translate(&query(json), &fields) {
            Err(Inexact { what }) => assert!(what.contains(word), "{json}: {what}"),
            Ok(c) => panic!("{json}: expected Inexact, got {c:?}"),
        }
    }
}

#[test]
fn whole_queries_become_whole_urls() {
    const PORTAL: &str = "https://data.economie.gouv.fr";
    // (query as JSON, the URL), percent-encoded by hand: RFC 3986 unreserved characters stay.
    let cases: &[(&str, &str)] = &[
        (
            r#"{"filter":[{"column":"region","op":"in","values":["Bretagne"]}],"group_by":["region"],"aggregates":[{"op":"sum","column":"montant","as":"total"}],"sort":[{"column":"total","desc":true}],"limit":10}"#,
            "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/marches-publics/records?select=region%2C%20sum%28montant%29%20as%20total&where=region%20%3D%20%22Bretagne%22&group_by=region&order_by=total%20desc&limit=10",
        ),
        (
            r#"{"filter":[{"column":"Code Insee 2024 Région","op":"in","values":["01053"]},{"column":"date_notification","op":"between","min":"2024-01","max":null}],"sort":[{"column":"date_notification"}],"limit":20}"#,
            "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/marches-publics/records?where=%60Code%20Insee%202024%20R%C3%A9gion%60%20%3D%20%2201053%22%20and%20date_notification%20%3E%3D%20date%272024-01-01%27&order_by=date_notification%20asc&limit=20",
        ),
        (
            r#"{"limit":50000}"#,
            "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/marches-publics/exports/csv?limit=50000",
        ),
        (
            r#"{"filter":[{"column":"exercice","op":"not_in","values":[2019,2020]}],"pivot":{"rows":"region","columns":"public","value":{"op":"count"}}}"#,
            "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/marches-publics/exports/csv?select=region%2C%20public%2C%20count%28%2A%29%20as%20%60count%60&where=%28exercice%20is%20not%20null%20and%20not%20exercice%20in%20%282019%2C%202020%29%29&group_by=region%2C%20public",
        ),
    ];
    let fields = fields();
    for (json, want) in cases {
        let call = translate(&query(json), &fields).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(url(PORTAL, "marches-publics", &call), *want, "{json}");
    }
}

#[test]
fn portal_origins_and_exports() {
    let fields = fields();
    let rows = call(Endpoint::Records, &[("limit", "5")]);
    // A trailing slash is dropped; a bare host gets https.
    let cases: &[(&str, &str)] = &[
        (
            "https://data.economie.gouv.fr/",
            "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/budget-etat/records?limit=5",
        ),
        (
            "data.economie.gouv.fr",
            "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/budget-etat/records?limit=5",
        ),
    ];
    for (origin, want) in cases {
        assert_eq!(url(origin, "budget-etat", &rows), *want, "{origin}");
    }
    assert_eq!(
        export_url(
            "https://data.economie.gouv.fr",
            "marches-publics",
            &filters(r#"[{"column":"commune","op":"not_in","values":["L'Abergement"]}]"#),
            &fields,
        ),
        Ok("https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/marches-publics/exports/csv?where=%28commune%20is%20not%20null%20and%20not%20commune%20%3D%20%22L%27Abergement%22%29".to_string())
    );
    assert_eq!(
        export_url("https://data.economie.gouv.fr", "marches-publics", &[], &fields),
        Ok("https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/marches-publics/exports/csv".to_string())
    );
    assert!(export_url(
        "https://data.economie.gouv.fr",
        "marches-publics",
        &filters(r#"[{"op":"contains","value":"saint"}]"#),
        &fields,
    )
    .is_err());
}

/// A tiny reader of the ODSQL subset the translation writes, following the manual (a comparison
/// with a null is false; `not` inverts, so on its own it also keeps rows without a value, as a
/// search engine does), to check each where clause against Loupe's own engine on a small
/// dataset: the rows the portal would keep must be the rows `core::query::select` keeps.
mod portal {
    use std::collections::HashMap;

    /// A field's value in one record.
    #[derive(Debug, Clone, PartialEq)]
    pub enum V {
        Null,
        Text(String),
        Num(f64),
        Day(i32),
        Secs(i64),
        Bool(bool),
    }

    pub type Record = HashMap<String, V>;

    #[derive(Debug, Clone, PartialEq)]
    enum Tok {
        Name(String),
        Word(String),
        Str(String),
        Num(f64),
        Date(String),
        Op(String),
        Open,
        Close,
        Comma,
    }

    fn lex(s: &str) -> Vec<Tok> {
        let c: Vec<char> = s.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        let quoted = |i: &mut usize, end: char| {
            let mut t = String::new();
            *i += 1;
            while c[*i] != end {
                if c[*i] == '\\' {
                    *i += 1;
                }
                t.push(c[*i]);
                *i += 1;
            }
            *i += 1;
            t
        };
        while i < c.len() {
            match c[i] {
                ' ' => i += 1,
                '(' => {
                    out.push(Tok::Open);
                    i += 1;
                }
                ')' => {
                    out.push(Tok::Close);
                    i += 1;
                }
                ',' => {
                    out.push(Tok::Comma);
                    i += 1;
                }
                '`' => out.push(Tok::Name(quoted(&mut i, '`'))),
                '"' => out.push(Tok::Str(quoted(&mut i, '"'))),
                '<' | '>' | '=' => {
                    let mut op = c[i].to_string();
                    i += 1;
                    if c.get(i) == Some(&'=') {
                        op.push('=');
                        i += 1;
                    }
                    out.push(Tok::Op(op));
                }
                ch if ch.is_ascii_digit() || ch == '-' => {
                    let start = i;
                    i += 1;
                    while i < c.len() && (c[i].is_ascii_digit() || c[i] == '.') {
                        i += 1;
                    }
                    let t: String = c[start..i].iter().collect();
                    out.push(Tok::Num(t.parse().unwrap_or_else(|e| panic!("{t}: {e}"))));
                }
                _ => {
                    let start = i;
                    while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                        i += 1;
                    }
                    let w: String = c[start..i].iter().collect();
                    assert!(!w.is_empty(), "cannot read {s:?} at {start}");
                    if w == "date" && c.get(i) == Some(&'\'') {
                        out.push(Tok::Date(quoted(&mut i, '\'')));
                    } else if ["and", "or", "not", "in", "is", "null", "true", "false"]
                        .contains(&w.to_lowercase().as_str())
                    {
                        out.push(Tok::Word(w.to_lowercase()));
                    } else {
                        out.push(Tok::Name(w));
                    }
                }
            }
        }
        out
    }

    #[derive(Debug)]
    enum E {
        And(Box<E>, Box<E>),
        Or(Box<E>, Box<E>),
        Not(Box<E>),
        Cmp(String, String, Tok),
        In(String, Vec<Tok>),
        Is(String, &'static str),
    }

    struct Parser {
        toks: Vec<Tok>,
        at: usize,
    }

    impl Parser {
        fn peek(&self) -> Option<&Tok> {
            self.toks.get(self.at)
        }
        fn next(&mut self) -> Tok {
            self.at += 1;
            self.toks[self.at - 1].clone()
        }
        fn word(&mut self, w: &str) -> bool {
            if self.peek() == Some(&Tok::Word(w.into())) {
                self.at += 1;
                return true;
            }
            false
        }
        fn or(&mut self) -> E {
            let mut e = self.and();
            while self.word("or") {
                e = E::Or(Box::new(e), Box::new(self.and()));
            }
            e
        }
        fn and(&mut self) -> E {
            let mut e = self.unary();
            while self.word("and") {
                e = E::And(Box::new(e), Box::new(self.unary()));
            }
            e
        }
        fn unary(&mut self) -> E {
            if self.word("not") {
                return E::Not(Box::new(self.unary()));
            }
            if self.peek() == Some(&Tok::Open) {
                self.at += 1;
                let e = self.or();
                assert_eq!(self.next(), Tok::Close);
                return e;
            }
            let Tok::Name(f) = self.next() else {
                panic!("a field expected at {}", self.at)
            };
            match self.next() {
                Tok::Op(op) => E::Cmp(f, op, self.next()),
                Tok::Word(w) if w == "in" => {
                    assert_eq!(self.next(), Tok::Open);
                    let mut list = vec![self.next()];
                    while self.next() == Tok::Comma {
                        list.push(self.next());
                    }
                    E::In(f, list)
                }
                Tok::Word(w) if w == "is" => {
                    let not = self.word("not");
                    let what = match (not, self.next()) {
                        (false, Tok::Word(w)) if w == "null" => "null",
                        (true, Tok::Word(w)) if w == "null" => "not null",
                        (false, Tok::Word(w)) if w == "true" => "true",
                        (false, Tok::Word(w)) if w == "false" => "false",
                        other => panic!("is {other:?}"),
                    };
                    E::Is(f, what)
                }
                t => panic!("{t:?} after {f}"),
            }
        }
    }

    /// Seconds since 1970 of `YYYY-MM-DDTHH:MM:SS`.
    pub fn secs(s: &str) -> i64 {
        i64::from(day(&s[..10])) * 86_400
            + s[11..13].parse::<i64>().unwrap_or(0) * 3600
            + s[14..16].parse::<i64>().unwrap_or(0) * 60
            + s[17..19].parse::<i64>().unwrap_or(0)
    }

    /// Days since 1970 of `YYYY-MM-DD`.
    pub fn day(s: &str) -> i32 {
        let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
        loupe::core::value::days_from_civil(n(0..4) as i32, n(5..7), n(8..10))
            .unwrap_or_else(|| panic!("not a day: {s}"))
    }

    fn cmp(v: &V, lit: &Tok) -> Option<std::cmp::Ordering> {
        match (v, lit) {
            (V::Null, _) => None,
            (V::Text(a), Tok::Str(b)) => Some(a.cmp(b)),
            (V::Num(a), Tok::Num(b)) => a.partial_cmp(b),
            (V::Day(a), Tok::Date(b)) => Some(a.cmp(&day(b))),
            (V::Secs(a), Tok::Date(b)) => Some(a.cmp(&secs(b))),
            other => panic!("cannot compare {other:?}"),
        }
    }

    fn eval(e: &E, r: &Record) -> bool {
        let get = |f: &String| r.get(f).unwrap_or_else(|| panic!("no field {f}"));
        match e {
            E::And(a, b) => eval(a, r) && eval(b, r),
            E::Or(a, b) => eval(a, r) || eval(b, r),
            E::Not(a) => !eval(a, r),
            E::Cmp(f, op, lit) => cmp(get(f), lit).is_some_and(|o| match op.as_str() {
                "=" => o.is_eq(),
                ">=" => o.is_ge(),
                "<=" => o.is_le(),
                "<" => o.is_lt(),
                ">" => o.is_gt(),
                _ => panic!("{op}"),
            }),
            E::In(f, list) => list
                .iter()
                .any(|l| cmp(get(f), l).is_some_and(|o| o.is_eq())),
            E::Is(f, what) => match (*what, get(f)) {
                ("null", v) => *v == V::Null,
                ("not null", v) => *v != V::Null,
                ("true", v) => *v == V::Bool(true),
                ("false", v) => *v == V::Bool(false),
                other => panic!("{other:?}"),
            },
        }
    }

    /// The positions of the records a where clause keeps.
    pub fn keep(clause: &str, records: &[Record]) -> Vec<u32> {
        let mut p = Parser {
            toks: lex(clause),
            at: 0,
        };
        let e = p.or();
        assert_eq!(p.at, p.toks.len(), "unread tokens in {clause}");
        (0..records.len() as u32)
            .filter(|&i| eval(&e, &records[i as usize]))
            .collect()
    }
}

#[test]
fn where_clauses_keep_the_rows_loupe_keeps() {
    use loupe::core::{Column, ColumnData, Dataset, NullMask};
    use portal::V;

    // One record per line: region, commune, Code Insee, acheteur.id, exercice, montant (cents),
    // taux, date_notification, horodatage, public, count.
    type Row<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<i64>,
        Option<i64>,
        Option<f64>,
        Option<&'a str>,
        Option<&'a str>,
        Option<bool>,
        Option<i64>,
    );
    #[rustfmt::skip]
    let data: &[Row] = &[
        (Some("Bretagne"),      Some("L'Abergement"), Some("01053"), Some("130005481"), Some(2019), Some(1050),    Some(0.1),  Some("2024-02-29"), Some("2024-03-15T10:30:00"), Some(true),  Some(1)),
        (Some("Corse"),         Some("a\"b"),         Some("2A004"), None,              Some(2020), Some(250_075), Some(0.5),  Some("2024-03-15"), Some("2024-03-15T10:30:01"), Some(false), Some(2)),
        (Some("2020"),          Some("\\"),           None,          Some("1"),         Some(2021), None,          None,       Some("2023-12-31"), Some("2024-03-15T23:59:59"), None,        None),
        (None,                  None,                 Some("75056"), Some("2"),         None,       Some(123_456), Some(2.0),  None,               Some("2024-03-16T00:00:00"), Some(true),  Some(0)),
        (Some("Bretagne"),      Some("Brest"),        Some("29019"), Some("3"),         Some(2020), Some(-375),    Some(-0.5), Some("2024-02-01"), None,                        Some(false), Some(5)),
        (Some("Île-de-France"), Some("Paris"),        Some("01053"), Some("130005481"), Some(2022), Some(100_000), Some(1.0),  Some("2022-06-30"), Some("2024-01-31T23:59:59"), Some(true),  Some(3)),
        (Some("Corse"),         Some("Ajaccio"),      Some("2A004"), None,              Some(2019), Some(1250),    Some(3.25), Some("2024-01-01"), Some("2024-01-01T08:00:00"), None,        None),
        (Some("Bretagne"),      Some("Rennes"),       None,          Some("4"),         Some(2023), Some(0),       Some(0.0),  Some("2023-01-01"), Some("2024-01-01T18:00:00"), Some(false), Some(7)),
        (Some("Bretagne"),      Some("Lorient"),      Some("56121"), Some("5"),         Some(2024), Some(250_050), Some(12.5), Some("2022-01-01"), Some("2024-02-01T00:00:00"), Some(true),  Some(9)),
    ];

    fn mask(valid: impl Iterator<Item = bool>) -> NullMask {
        let mut m = NullMask::with_capacity(0);
        valid.for_each(|v| m.push(v));
        m
    }
    fn text(name: &str, vals: Vec<Option<&str>>) -> Column {
        let mut dict: Vec<String> = Vec::new();
        let codes = vals
            .iter()
            .map(|v| match v {
                None => 0,
                Some(s) => match dict.iter().position(|d| d == s) {
                    Some(i) => i as u32,
                    None => {
                        dict.push(s.to_string());
                        dict.len() as u32 - 1
                    }
                },
            })
            .collect();
        Column::new(
            name,
            ColumnData::Text {
                codes,
                dict: dict.into(),
            },
            mask(vals.iter().map(Option::is_some)),
        )
    }
    fn nums<T: Copy + Default>(vals: &[Option<T>]) -> (Vec<T>, NullMask) {
        (
            vals.iter().map(|v| v.unwrap_or_default()).collect(),
            mask(vals.iter().map(Option::is_some)),
        )
    }
    let col = |f: fn(&Row) -> Option<i64>| data.iter().map(f).collect::<Vec<_>>();
    let (exercice, m_ex) = nums(&col(|r| r.4));
    let (montant, m_mo) = nums(&col(|r| r.5));
    let (count, m_co) = nums(&col(|r| r.10));
    let (taux, m_ta) = nums(&data.iter().map(|r| r.6).collect::<Vec<_>>());
    let (days, m_da) = nums(
        &data
            .iter()
            .map(|r| r.7.map(portal::day))
            .collect::<Vec<_>>(),
    );
    let (secs, m_se) = nums(
        &data
            .iter()
            .map(|r| r.8.map(portal::secs))
            .collect::<Vec<_>>(),
    );
    let (public, m_pu) = nums(&data.iter().map(|r| r.9).collect::<Vec<_>>());
    let ds = Dataset::from_columns(vec![
        text("region", data.iter().map(|r| r.0).collect()),
        text("commune", data.iter().map(|r| r.1).collect()),
        text("Code Insee 2024 Région", data.iter().map(|r| r.2).collect()),
        text("acheteur.id", data.iter().map(|r| r.3).collect()),
        Column::new("exercice", ColumnData::Integer(exercice), m_ex),
        Column::new(
            "montant",
            ColumnData::Decimal {
                units: montant,
                scale: 2,
            },
            m_mo,
        ),
        Column::new("taux", ColumnData::Float(taux), m_ta),
        Column::new("date_notification", ColumnData::Date(days), m_da),
        Column::new("horodatage", ColumnData::Datetime(secs), m_se),
        Column::new("public", ColumnData::Boolean(public), m_pu),
        Column::new("count", ColumnData::Integer(count), m_co),
    ]);

    // The same records as the portal holds them.
    let or_null = |v: Option<V>| v.unwrap_or(V::Null);
    let records: Vec<portal::Record> = data
        .iter()
        .map(|r| {
            [
                ("region", or_null(r.0.map(|s| V::Text(s.into())))),
                ("commune", or_null(r.1.map(|s| V::Text(s.into())))),
                (
                    "Code Insee 2024 Région",
                    or_null(r.2.map(|s| V::Text(s.into()))),
                ),
                ("acheteur.id", or_null(r.3.map(|s| V::Text(s.into())))),
                ("exercice", or_null(r.4.map(|x| V::Num(x as f64)))),
                ("montant", or_null(r.5.map(|x| V::Num(x as f64 / 100.0)))),
                ("taux", or_null(r.6.map(V::Num))),
                (
                    "date_notification",
                    or_null(r.7.map(|s| V::Day(portal::day(s)))),
                ),
                ("horodatage", or_null(r.8.map(|s| V::Secs(portal::secs(s))))),
                ("public", or_null(r.9.map(V::Bool))),
                ("count", or_null(r.10.map(|x| V::Num(x as f64)))),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
        })
        .collect();

    let fields = fields();
    for (json, _) in WHERE_CASES {
        let f = filters(json);
        let clause = where_clause(&f, &fields)
            .unwrap_or_else(|e| panic!("{json}: {e}"))
            .unwrap_or_else(|| panic!("{json}: no clause"));
        let loupe_rows = loupe::core::query::select(&ds, &f)
            .unwrap_or_else(|e| panic!("{json}: {e}"))
            .into_vec();
        assert_eq!(
            portal::keep(&clause, &records),
            loupe_rows,
            "{json}\n{clause}"
        );
    }
}
