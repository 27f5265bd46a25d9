//! Cell inference, one line per case: a one-column file holding the cell (twice, so a lone
//! value is not mistaken for a header) -> the column's type and the first value.

use loupe::core::ingest::{read, IngestOptions};

/// `(type, canonical text of the first value, key)` of a column named `name` holding `cells`.
fn infer_named(name: &str, cells: &[&str]) -> (String, String, String) {
    let mut csv = format!("{name}\n");
    for c in cells {
        csv.push_str(c);
        csv.push('\n');
    }
    let opts = IngestOptions {
        delimiter: Some(";".into()),
        header: Some(true),
        ..Default::default()
    };
    let ds = read(csv.as_bytes(), &opts).expect("tiny files load");
    let col = &ds.columns[0];
    (
        col.column_type().as_str().to_string(),
        col.value(0).to_plain_string(),
        col.key.map_or(String::new(), |k| k.as_str().to_string()),
    )
}

fn infer(cells: &[&str]) -> (String, String) {
    let (t, v, _) = infer_named("valeur", cells);
    (t, v)
}

macro_rules! infers {
    ($($name:ident: [$($cell:expr),+] => $ty:expr, $val:expr;)*) => {$(
        #[test]
        fn $name() {
            assert_eq!(infer(&[$($cell),+]), ($ty.to_string(), $val.to_string()));
        }
    )*};
}

infers! {
    integer: ["42", "-7"] => "integer", "42";
    integer_with_spaces: ["1 234", "5"] => "integer", "1234";
    integer_with_nbsp: ["1\u{a0}234", "5"] => "integer", "1234";
    integer_with_narrow_nbsp: ["1\u{202f}234\u{202f}567", "5"] => "integer", "1234567";
    decimal_point: ["12.5", "3.25"] => "decimal", "12.50";
    decimal_comma: ["12,5", "3,25"] => "decimal", "12.50";
    decimal_comma_thousands_dot: ["1.234,5", "3,25"] => "decimal", "1234.50";
    decimal_leading_dot: [".1106", ".07"] => "decimal", "0.1106";
    decimal_negative: ["-0,05", "1"] => "decimal", "-0.05";
    decimal_euro_sign: ["1 234,56 €", "7 €"] => "decimal", "1234.56";
    float_exponent: ["1.5e3", "2"] => "float", "1500";
    float_overflowing_decimal: ["123456789012.123456789", "1"] => "float", "123456789012.12346";
    leading_zero_is_text: ["01053", "1200"] => "text", "01053";
    two_digit_code_is_text: ["09", "10"] => "text", "09";
    zero_is_a_number: ["0", "0.5"] => "decimal", "0.0";
    boolean_french: ["oui", "non"] => "boolean", "true";
    boolean_vrai_faux: ["Vrai", "FAUX"] => "boolean", "true";
    boolean_english: ["true", "false"] => "boolean", "true";
    single_letters_are_text: ["O", "N"] => "text", "O";
    zero_one_is_integer: ["0", "1"] => "integer", "0";
    date_iso: ["2024-02-29", "2023-12-31"] => "date", "2024-02-29";
    date_french_slash: ["13/02/1996", "31/12/2020"] => "date", "1996-02-13";
    date_french_dash: ["13-02-1996", "01-01-2020"] => "date", "1996-02-13";
    date_french_words: ["13 février 1996", "1er janvier 2020"] => "date", "1996-02-13";
    invalid_date_is_text: ["2024-02-30", "2024-01-01"] => "text", "2024-02-30";
    datetime_iso_t: ["2024-03-01T10:20:30", "2024-03-02T00:00:00"] => "datetime", "2024-03-01T10:20:30";
    datetime_space_no_seconds: ["2024-03-01 10:20", "2024-03-02 11:00"] => "datetime", "2024-03-01T10:20:00";
    datetime_zulu_offset: ["2024-03-01T10:20:30Z", "2024-03-01T10:20:30+02:00"] => "datetime", "2024-03-01T10:20:30";
    nulls_in_numbers: ["NA", "12", "-", "n.d.", "#N/A", "null", ""] => "integer", "";
    text: ["Bretagne", "Corse"] => "text", "Bretagne";
    mixed_is_text: ["12", "douze"] => "text", "12";
    all_empty_is_text: ["", ""] => "text", "";
}

macro_rules! keys {
    ($($name:ident: $col:expr, [$($cell:expr),+] => $key:expr;)*) => {$(
        #[test]
        fn $name() {
            let (t, _, k) = infer_named($col, &[$($cell),+]);
            assert_eq!((t.as_str(), k.as_str()), ("text", $key));
        }
    )*};
}

keys! {
    siren_without_hint: "entite", ["210100012", "219711017"] => "siren";
    siret_without_hint: "etab", ["21971101700018", "35043845300028"] => "siret";
    insee_commune_hint: "code_insee_commune", ["97101", "75056"] => "insee_commune";
    insee_commune_corsica: "lieu", ["2A004", "01053"] => "insee_commune";
    insee_com_header: "COM", ["01001", "2B033"] => "insee_commune";
    cog_header: "COG", ["75056", "13055"] => "insee_commune";
    commune_long_header: "Code Insee 2024 Commune", ["97101", "97102"] => "insee_commune";
    postal_code: "code_postal", ["75001", "13001"] => "postal_code";
    departement: "dep", ["01", "2A", "971"] => "departement";
    departement_accented: "Code Insee 2024 Département", ["971", "972"] => "departement";
    region: "reg", ["84", "11", "01"] => "region";
}

#[test]
fn year_named_column_stays_integer() {
    assert_eq!(infer_named("exercice", &["2023", "2024"]).0, "integer");
    assert_eq!(infer_named("Année", &["2023", "2024"]).0, "integer");
}

#[test]
fn numbers_without_hint_are_not_keys() {
    assert_eq!(infer_named("population", &["75001", "13001"]).0, "integer");
    assert_eq!(infer_named("montant", &["84", "11"]).0, "integer");
}

/// Codes stay codes: `(header, cells) => (type, first value)`. A column of plain digits is a
/// code under an identifier name, or when its values vary but share one width of eight digits
/// or more; quantity and year names keep numbers.
macro_rules! codes {
    ($($name:ident: $col:expr, [$($cell:expr),+] => $ty:expr, $val:expr;)*) => {$(
        #[test]
        fn $name() {
            let (t, v, _) = infer_named($col, &[$($cell),+]);
            assert_eq!((t.as_str(), v.as_str()), ($ty, $val));
        }
    )*};
}

codes! {
    region_codes_with_leading_zero: "zone", ["11", "94", "01"] => "text", "11";
    cpv_code_fixed_width: "codeCPV", ["45214200", "45210000"] => "text", "45214200";
    lieu_execution_code_mixed_widths: "lieuExecution.code", ["83", "26300"] => "text", "83";
    nature_juridique_named_nj: "NJ", ["5720", "5699"] => "text", "5720";
    line_code_four_digits: "line_code", ["1101", "1201"] => "text", "1101";
    one_digit_code_named_code: "code_type_budget", ["1", "2"] => "text", "1";
    naf_code_keeps_its_trailing_zero: "activitePrincipaleEtablissement", ["57.10", "57.07"] => "text", "57.10";
    eight_digit_dates_are_codes: "DCRET", ["20070401", "20050101"] => "text", "20070401";
    six_digit_fixed_width_without_code_name_stays_number: "AMINTRET", ["201209", "201310"] => "integer", "201209";
    median_income_of_one_width_stays_number: "revenu_median", ["18500", "23400"] => "integer", "18500";
    four_digit_without_name_stays_number: "quantite", ["1101", "1201"] => "integer", "1101";
    constant_fixed_width_stays_number: "cumul", ["12345678", "12345678"] => "integer", "12345678";
    amount_of_one_width_stays_number: "montant_eur", ["12000000", "15000000"] => "integer", "12000000";
    rate_under_code_like_name_stays_number: "taux_epci", ["12.5", "13.25"] => "decimal", "12.50";
    signed_values_are_numbers: "code_ecart", ["-12", "15"] => "integer", "-12";
    year_name_beats_fixed_width: "annee_mois_jour", ["20070401", "20080401"] => "integer", "20070401";
    counts_named_nombre: "nombrePeriodes", ["10000000", "20000000"] => "integer", "10000000";
    legal_form_code: "categorieJuridiqueUniteLegale", ["1000", "5710"] => "text", "1000";
    sirene_v2_canton: "CTONET", ["13", "23"] => "text", "13";
    sirene_v2_size_bracket: "TEFEN", ["12", "41"] => "text", "12";
    one_digit_code_without_code_name_stays_number: "TNCC", ["5", "1"] => "integer", "5";
    code_word_inside_another_word_is_not_a_hint: "Population totale du dernier exercice", ["52586", "4107"] => "integer", "52586";
}

keys! {
    epci_siren: "EPCI", ["240100800", "200070555"] => "siren";
    sirene_v2_region: "RPET", ["84", "27"] => "region";
    sirene_v2_commune: "DEPCOMEN", ["21295", "21166"] => "insee_commune";
    sirene_v2_departement: "DEPET", ["01", "69"] => "departement";
    cog_of_regions: "COG", ["01", "11", "84", "94"] => "region";
    cog_of_departements: "COG", ["01", "05", "84"] => "departement";
}

#[test]
fn epci_name_tolerates_a_stray_value_as_siren_does() {
    // 60 EPCI SIREN and one placeholder: the `epci` name is a SIREN hint (2 % off-shape allowed).
    let mut cells = vec!["200070555"; 60];
    cells.push("ZZZZZZZZZ");
    assert_eq!(infer_named("EPCI", &cells).2, "siren");
}

/// A file whose first `n` rows (more than the inference sample) hold `early` in a column named
/// `name`, then `late`: the column's type, key, first and last cells, and the warnings.
fn late_values(
    name: &str,
    early: &[&str],
    n: usize,
    late: &[&str],
) -> (String, String, String, String, String) {
    let mut csv = format!("{name};n\n");
    for i in 0..n {
        csv.push_str(early[i % early.len()]);
        csv.push_str(";1\n");
    }
    for c in late {
        csv.push_str(c);
        csv.push_str(";2\n");
    }
    let ds = read(csv.as_bytes(), &IngestOptions::default()).expect("loads");
    let col = &ds.columns[0];
    let warnings: Vec<&str> = ds
        .report
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    (
        col.column_type().as_str().to_string(),
        col.key.map_or(String::new(), |k| k.as_str().to_string()),
        col.value(0).to_plain_string(),
        col.value(ds.rows - 1).to_plain_string(),
        warnings.join("\n"),
    )
}

#[test]
fn late_leading_zero_turns_a_number_column_into_codes() {
    // The INSEE communes table is sorted by code: overseas régions 01..06 come last.
    let (t, k, first, last, w) = late_values("zone", &["11", "94", "84"], 25_000, &["01", "06"]);
    assert_eq!(
        (t.as_str(), k.as_str(), first.as_str(), last.as_str()),
        ("text", "", "11", "06")
    );
    assert!(w.contains("« 01 » (ligne de données 25001)"), "{w}");
    assert!(w.contains("\"01\" (data row 25001) is a code"), "{w}");
}

#[test]
fn late_corsica_code_turns_a_number_column_into_departements() {
    let (t, k, first, last, _) = late_values("lieu", &["75", "13", "971"], 25_000, &["2A"]);
    assert_eq!(
        (t.as_str(), k.as_str(), first.as_str(), last.as_str()),
        ("text", "departement", "75", "2A")
    );
}

#[test]
fn late_leading_zero_in_a_year_column_is_an_invalid_year() {
    let (t, _, first, last, _) = late_values("exercice", &["2023", "2024"], 25_000, &["02024"]);
    assert_eq!(
        (t.as_str(), first.as_str(), last.as_str()),
        ("integer", "2023", "")
    );
}

#[test]
fn a_forced_integer_column_keeps_its_type() {
    // 1 cell in 201 does not fit: under the 1 % that would make any column text.
    let csv = format!("zone;n\n{}01;2\n", "11;1\n".repeat(200));
    let opts = IngestOptions {
        types: vec![("zone".into(), loupe::core::column::ColumnType::Integer)],
        ..Default::default()
    };
    let ds = read(csv.as_bytes(), &opts).expect("loads");
    assert_eq!(ds.columns[0].column_type().as_str(), "integer");
    assert_eq!(ds.columns[0].invalid_count, 1);
}

#[test]
fn late_codes_are_read_again_exactly_when_streamed() {
    // The browser path reads the file in windows; the second pass over a code column must
    // give the same cells as a whole read.
    let mut csv = String::from("zone;n\n");
    for i in 0..25_000 {
        csv.push_str(["11;1\n", "94;2\n", "84;3\n"][i % 3]);
    }
    csv.push_str("01;4\n");
    let whole = read(csv.as_bytes(), &IngestOptions::default()).expect("loads");
    let streamed = loupe::core::ingest::Loader::from_source_in_windows(
        Box::new(csv.clone().into_bytes()),
        IngestOptions::default(),
        4096,
    )
    .and_then(|l| l.finish())
    .expect("loads");
    let cells = |ds: &loupe::core::Dataset| -> Vec<String> {
        (0..ds.rows)
            .map(|r| ds.columns[0].value(r).to_plain_string())
            .collect()
    };
    assert_eq!(streamed.columns[0].column_type().as_str(), "text");
    assert_eq!(cells(&streamed), cells(&whole));
    assert_eq!(cells(&whole).last().map(String::as_str), Some("01"));
}
