//! Loupe's queries said in ODSQL (`loupe::state::odsql`), as a specification: every expected
//! clause, call and URL below is written by hand from the Explore API v2.1 manual (the
//! `info.description` of its OpenAPI specification) and Loupe's semantics (`core::query`), never
//! produced by the code under test.

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

#[test]
fn filters_translate_to_exact_where_clauses() {
    // (filters as JSON, the where clause)
    let cases: &[(&str, &str)] = &[
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
    let fields = fields();
    for (json, want) in cases {
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
