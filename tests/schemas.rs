//! Consistency checks for the documentation data shipped with the bundled
//! catalogue: `www/schemas/<id>.json` (Frictionless Table Schema descriptors)
//! and `www/glossary.json`.
//!
//! Pure std + serde_json on purpose: these tests must not depend on the
//! crate's own ingest code, so they read the CSV header line themselves.

use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

fn www() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("www")
}

fn read_json(path: &Path) -> Value {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// `(id, file)` of every catalogue entry, in catalogue order.
fn catalogue() -> Vec<(String, String)> {
    let cat = read_json(&www().join("catalog.json"));
    let datasets = cat["datasets"]
        .as_array()
        .expect("catalog.json: `datasets` must be an array");
    assert!(!datasets.is_empty(), "catalog.json lists no dataset");
    datasets
        .iter()
        .map(|d| {
            let id = d["id"]
                .as_str()
                .expect("catalogue entry without string `id`");
            let file = d["file"]
                .as_str()
                .unwrap_or_else(|| panic!("catalogue entry {id} without string `file`"));
            (id.to_string(), file.to_string())
        })
        .collect()
}

fn schema_path(id: &str) -> PathBuf {
    www().join("schemas").join(format!("{id}.json"))
}

/// Every catalogue schema, parsed, keyed by dataset id.
fn schemas() -> HashMap<String, Value> {
    catalogue()
        .into_iter()
        .map(|(id, _)| {
            let v = read_json(&schema_path(&id));
            (id, v)
        })
        .collect()
}

fn field_names(schema: &Value, id: &str) -> Vec<String> {
    schema["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("schema {id}: `fields` must be an array"))
        .iter()
        .map(|f| {
            f["name"]
                .as_str()
                .unwrap_or_else(|| panic!("schema {id}: a field has no string `name`"))
                .to_string()
        })
        .collect()
}

/// A Table Schema "fields" reference is either a string or an array of strings.
fn name_list(v: &Value, what: &str) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .unwrap_or_else(|| panic!("{what}: non-string entry {x}"))
                    .to_string()
            })
            .collect(),
        other => panic!("{what}: expected a string or an array of strings, got {other}"),
    }
}

/// Returns the text of the first CSV record (the header), without a UTF-8 BOM
/// and without its line terminator. A line break inside double quotes does
/// not end the record.
fn first_record(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut in_quotes = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' | '\r' if !in_quotes => return &text[..i],
            _ => {}
        }
    }
    text
}

/// `;` if the header has more semicolons than commas outside quotes, else `,`.
fn detect_delimiter(record: &str) -> char {
    let (mut in_quotes, mut commas, mut semis) = (false, 0usize, 0usize);
    for c in record.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => commas += 1,
            ';' if !in_quotes => semis += 1,
            _ => {}
        }
    }
    if semis > commas {
        ';'
    } else {
        ','
    }
}

/// Splits one CSV record on `delim`, honouring double quotes and `""` escapes.
fn split_record(record: &str, delim: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    let mut chars = record.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' {
            in_quotes = true;
        } else if c == delim {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

fn csv_header(path: &Path) -> Vec<String> {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let text = String::from_utf8_lossy(&bytes);
    let record = first_record(&text);
    split_record(record, detect_delimiter(record))
}

#[test]
fn header_parser_handles_bom_semicolons_and_quotes() {
    let rec = first_record("\u{feff}\"a;b\";c;\"d \"\"e\"\"\"\r\n1;2;3\n");
    assert_eq!(detect_delimiter(rec), ';');
    assert_eq!(split_record(rec, ';'), vec!["a;b", "c", "d \"e\""]);
    let rec = first_record("x,\"y,\nz\",w\n1,2,3");
    assert_eq!(detect_delimiter(rec), ',');
    assert_eq!(split_record(rec, ','), vec!["x", "y,\nz", "w"]);
}

#[test]
fn every_catalogue_entry_has_a_parsable_schema() {
    for (id, _) in catalogue() {
        let path = schema_path(&id);
        assert!(path.is_file(), "missing schema file {}", path.display());
        let s = read_json(&path);
        assert!(s.is_object(), "schema {id} is not a JSON object");
        assert_eq!(
            s["name"].as_str(),
            Some(id.as_str()),
            "schema {id}: `name` must equal the catalogue id"
        );
        for key in ["title", "description"] {
            let v = s[key].as_str().unwrap_or("");
            assert!(
                !v.trim().is_empty(),
                "schema {id}: empty or missing `{key}`"
            );
        }
        assert!(
            s["fields"].as_array().is_some_and(|f| !f.is_empty()),
            "schema {id}: no fields"
        );
        assert!(
            s["licenses"].as_array().is_some_and(|l| !l.is_empty()),
            "schema {id}: no licenses"
        );
    }
}

#[test]
fn schema_fields_match_csv_header_in_order() {
    let schemas = schemas();
    for (id, file) in catalogue() {
        let header = csv_header(&www().join(&file));
        let fields = field_names(&schemas[&id], &id);
        assert_eq!(
            fields, header,
            "schema {id}: field names differ from the header of {file}"
        );
    }
}

#[test]
fn every_field_has_a_title_description_and_type() {
    for (id, schema) in schemas() {
        let mut seen = HashSet::new();
        for f in schema["fields"].as_array().into_iter().flatten() {
            let name = f["name"].as_str().unwrap_or("<unnamed>");
            assert!(
                seen.insert(name.to_string()),
                "schema {id}: duplicate field {name}"
            );
            for key in ["title", "description", "type"] {
                let v = f[key].as_str().unwrap_or("");
                assert!(
                    !v.trim().is_empty(),
                    "schema {id}, field {name:?}: empty or missing `{key}`"
                );
            }
        }
    }
}

/// The custom field properties Loupe reads (`unit`, `fraction`, `additive`) of one schema field,
/// as a JSON object holding only those that are set.
fn figure_notes(field: &Value) -> serde_json::Map<String, Value> {
    ["unit", "fraction", "additive"]
        .iter()
        .filter_map(|k| field.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect()
}

#[test]
fn rate_fields_are_documented_consistently() {
    // A fraction is a number between 0 and 1 shown as a percentage: the schema must say both
    // `"unit": "%"` and a maximum of 1, or the page would show 1 106 % for 11.06.
    for (id, schema) in schemas() {
        for f in schema["fields"].as_array().into_iter().flatten() {
            let name = f["name"].as_str().unwrap_or("<unnamed>");
            if let Some(unit) = f.get("unit") {
                assert!(
                    unit.is_string(),
                    "schema {id}, field {name}: `unit` must be a string"
                );
            }
            if let Some(a) = f.get("additive") {
                assert!(
                    a.is_boolean(),
                    "schema {id}, field {name}: `additive` must be a boolean"
                );
            }
            let Some(fraction) = f.get("fraction") else {
                continue;
            };
            assert_eq!(
                fraction,
                &Value::Bool(true),
                "schema {id}, field {name}: `fraction` is only ever `true`"
            );
            assert_eq!(
                f["unit"], "%",
                "schema {id}, field {name}: a fraction is a percentage"
            );
            assert_eq!(
                f["type"], "number",
                "schema {id}, field {name}: a fraction is a number"
            );
            assert_eq!(
                f["constraints"]["maximum"].as_f64(),
                Some(1.0),
                "schema {id}, field {name}: a fraction is at most 1"
            );
        }
    }
}

#[test]
fn taux_th_rates_are_fractions_and_its_parameters_do_not_add_up() {
    // Read from the schema's prose (« .1106 » signifie 0,1106, soit un taux de 11,06 %) and
    // from PROVENANCE.md (rates written with a leading dot): both rates are fractions.
    let schema = &schemas()["taux-th-2022"];
    let field = |n: &str| {
        schema["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["name"] == n)
            .cloned()
            .unwrap_or_else(|| panic!("taux-th-2022 has no field {n}"))
    };
    for rate in ["taux_com", "taux_epci"] {
        assert_eq!(field(rate)["fraction"], true, "{rate}");
        assert_eq!(field(rate)["unit"], "%", "{rate}");
    }
    for param in [
        "valeur_locative_moyenne_com",
        "abt_general_base_com",
        "abt_pac_1_2_com",
    ] {
        assert_eq!(field(param)["additive"], false, "{param}");
    }
}

#[test]
fn ofgl_amounts_per_inhabitant_do_not_add_up() {
    // Read from the schema's prose (« Montant divisé par la population totale de la commune »):
    // a ratio to a population, which no sum over communes or budgets means anything for. The
    // amounts themselves add up.
    let schema = &schemas()["ofgl-communes-2024"];
    let field = |n: &str| {
        schema["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["name"] == n)
            .cloned()
            .unwrap_or_else(|| panic!("ofgl-communes-2024 has no field {n}"))
    };
    assert_eq!(field("Montant en € par habitant")["additive"], false);
    for amount in ["Montant", "Montant en millions"] {
        assert!(field(amount).get("additive").is_none(), "{amount}");
    }
}

#[test]
fn catalogue_column_notes_copy_the_schemas() {
    // The page reads the notes from the compiled-in catalogue; the schema is the documented
    // source. Every note in one must be in the other, with the same values.
    let cat = read_json(&www().join("catalog.json"));
    let all = schemas();
    for entry in cat["datasets"].as_array().into_iter().flatten() {
        let id = entry["id"].as_str().unwrap_or("<no id>");
        let schema = &all[id];
        let mut from_schema = serde_json::Map::new();
        for f in schema["fields"].as_array().into_iter().flatten() {
            let notes = figure_notes(f);
            if !notes.is_empty() {
                from_schema.insert(
                    f["name"].as_str().unwrap_or("").to_string(),
                    Value::Object(notes),
                );
            }
        }
        let in_catalogue = entry
            .get("columns")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            Value::Object(in_catalogue),
            Value::Object(from_schema),
            "catalog.json `columns` of {id} must copy the `unit`/`fraction`/`additive` properties of schemas/{id}.json"
        );
    }
}

#[test]
fn primary_keys_name_existing_fields() {
    for (id, schema) in schemas() {
        if schema.get("primaryKey").is_none() {
            continue;
        }
        let names: HashSet<String> = field_names(&schema, &id).into_iter().collect();
        for k in name_list(&schema["primaryKey"], &format!("schema {id} primaryKey")) {
            assert!(
                names.contains(&k),
                "schema {id}: primaryKey field {k:?} does not exist"
            );
        }
    }
}

#[test]
fn foreign_keys_reference_catalogue_datasets_and_fields() {
    let schemas = schemas();
    for (id, schema) in &schemas {
        let own: HashSet<String> = field_names(schema, id).into_iter().collect();
        let Some(fks) = schema.get("foreignKeys") else {
            continue;
        };
        let fks = fks
            .as_array()
            .unwrap_or_else(|| panic!("schema {id}: `foreignKeys` must be an array"));
        for fk in fks {
            let what = format!("schema {id} foreign key");
            let fields = name_list(&fk["fields"], &what);
            for f in &fields {
                assert!(own.contains(f), "{what}: local field {f:?} does not exist");
            }
            let target = fk["reference"]["resource"]
                .as_str()
                .unwrap_or_else(|| panic!("{what}: reference.resource must be a string"));
            let target_schema = schemas
                .get(target)
                .unwrap_or_else(|| panic!("{what}: {target:?} is not a catalogue id"));
            let target_fields: HashSet<String> =
                field_names(target_schema, target).into_iter().collect();
            let refs = name_list(&fk["reference"]["fields"], &what);
            assert_eq!(
                refs.len(),
                fields.len(),
                "{what}: field count differs from reference field count"
            );
            for r in &refs {
                assert!(
                    target_fields.contains(r),
                    "{what}: {target} has no field {r:?}"
                );
            }
        }
    }
}

#[test]
fn glossary_terms_are_unique_and_bilingual() {
    let g = read_json(&www().join("glossary.json"));
    let entries = g.as_array().expect("glossary.json must be an array");
    assert!(!entries.is_empty(), "glossary is empty");
    let mut seen = HashSet::new();
    for e in entries {
        let term = e["term"].as_str().unwrap_or("").trim().to_string();
        assert!(!term.is_empty(), "glossary entry without a term: {e}");
        assert!(
            seen.insert(term.to_lowercase()),
            "duplicate glossary term {term:?}"
        );
        for key in ["fr", "en"] {
            let v = e[key].as_str().unwrap_or("");
            assert!(
                !v.trim().is_empty(),
                "glossary term {term:?}: empty or missing `{key}`"
            );
        }
        assert!(
            e["aliases"]
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string)),
            "glossary term {term:?}: `aliases` must be an array of strings"
        );
    }
}
