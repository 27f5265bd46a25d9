//! Maps: territorial codes as people write them, roll-up to coarser levels, class breaks, the
//! map's table and its matching to the shapes of `www/geo` (every département written as `1`,
//! `01`, `2A`, `971` is found; codes without a territory are listed). Expected values are
//! written by hand or read from the source data (`www/data`, `../shared/data/geo`), never
//! from the code under test.

use loupe::chart::map::classes::{breaks, class_of, Method};
use loupe::chart::map::codes::{fold_name, normalise, region_of, roll_up};
use loupe::chart::map::geo::GeoLayer;
use loupe::chart::map::{map_rows, match_areas, Level, MapOptions};
use loupe::chart::{ChartKind, ChartSpec, Meaning};
use loupe::core::ingest::{read, IngestOptions};
use loupe::core::query::{select, AggOp};

fn layer(name: &str) -> GeoLayer {
    let path = format!("{}/www/geo/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    GeoLayer::parse(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn codes_are_read_as_people_write_them() {
    use Level::*;
    let cases: &[(&str, Level, Option<&str>)] = &[
        ("1", Departement, Some("01")),
        ("01", Departement, Some("01")),
        ("001", Departement, Some("01")),
        ("1.0", Departement, Some("01")),
        (" 01 ", Departement, Some("01")),
        ("\"01\"", Departement, Some("01")),
        ("2A", Departement, Some("2A")),
        ("2a", Departement, Some("2A")),
        ("02A", Departement, Some("2A")),
        ("2 B", Departement, Some("2B")),
        ("971", Departement, Some("971")),
        ("971.0", Departement, Some("971")),
        ("95", Departement, Some("95")),
        ("99", Departement, Some("99")),
        ("ZZ", Departement, None),
        ("", Departement, None),
        ("01000", Commune, Some("01000")),
        ("1001", Commune, Some("01001")),
        ("01 001", Commune, Some("01001")),
        ("1001.0", Commune, Some("01001")),
        ("2A004", Commune, Some("2A004")),
        ("2a004", Commune, Some("2A004")),
        ("97120", Commune, Some("97120")),
        // Ambiguous: `09777` or a truncated overseas code (taux TH 2022 has `9777`, `9788`).
        ("9777", Commune, None),
        ("Lille", Commune, None),
        ("1", Region, Some("01")),
        ("84", Region, Some("84")),
        ("84.0", Region, Some("84")),
        ("084", Region, Some("84")),
        ("Bretagne", Region, None),
    ];
    for (raw, level, want) in cases {
        assert_eq!(
            normalise(raw, *level).as_deref(),
            *want,
            "{raw:?} at {level:?}"
        );
    }
}

#[test]
fn codes_roll_up_to_their_departement_and_region() {
    use Level::*;
    assert_eq!(
        roll_up("59350", Commune, Departement).as_deref(),
        Some("59")
    );
    assert_eq!(
        roll_up("97120", Commune, Departement).as_deref(),
        Some("971")
    );
    assert_eq!(
        roll_up("2A004", Commune, Departement).as_deref(),
        Some("2A")
    );
    assert_eq!(roll_up("2A004", Commune, Region).as_deref(), Some("94"));
    assert_eq!(roll_up("97120", Commune, Region).as_deref(), Some("01"));
    assert_eq!(roll_up("75056", Commune, Region).as_deref(), Some("11"));
    assert_eq!(roll_up("59", Departement, Region).as_deref(), Some("32"));
    assert_eq!(roll_up("59", Departement, Commune), None);
    assert_eq!(fold_name("St-Denis"), fold_name("SAINT DENIS"));
    assert_eq!(fold_name("Côtes-d'Armor"), "cotes d armor");
}

#[test]
fn the_departement_to_region_table_agrees_with_the_insee_commune_list() {
    // www/data/communes_population.csv (COG) gives each commune's département and région.
    let path = format!(
        "{}/www/data/communes_population.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut rdr = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers = rdr.headers().unwrap_or_else(|e| panic!("{e}")).clone();
    let col = |n: &str| {
        headers
            .iter()
            .position(|h| h == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    let (d, r) = (col("departement"), col("region"));
    let mut seen = std::collections::BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap_or_else(|e| panic!("{e}"));
        // Overseas collectivities (975, 977…) are their own "région" and have no shape.
        if rec[r] != rec[d] {
            seen.insert(rec[d].to_string(), rec[r].to_string());
        }
    }
    assert_eq!(seen.len(), 101);
    for (dep, reg) in &seen {
        assert_eq!(region_of(dep), Some(reg.as_str()), "département {dep}");
    }
}

#[test]
fn class_breaks() {
    let v: Vec<f64> = (1..=10).map(f64::from).collect();
    // Quantiles: two values per class.
    assert_eq!(
        breaks(&v, 5, Method::Quantile),
        vec![1.0, 3.0, 5.0, 7.0, 9.0, 10.0]
    );
    assert_eq!(breaks(&v, 3, Method::Equal), vec![1.0, 4.0, 7.0, 10.0]);
    let groups = [1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 20.0, 21.0, 22.0];
    assert_eq!(
        breaks(&groups, 3, Method::Jenks),
        vec![1.0, 10.0, 20.0, 22.0]
    );
    // Equal values give one class, never empty ones.
    assert_eq!(
        breaks(&[5.0, 5.0, 5.0], 5, Method::Quantile),
        vec![5.0, 5.0]
    );
    // Many equal values merge quantile breaks.
    let skew = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0];
    let b = breaks(&skew, 5, Method::Quantile);
    assert!(b.windows(2).all(|w| w[0] < w[1]), "{b:?}");
    let b = [1.0, 3.0, 5.0, 7.0, 9.0, 10.0];
    assert_eq!(class_of(1.0, &b), Some(0));
    assert_eq!(class_of(2.9, &b), Some(0));
    assert_eq!(class_of(3.0, &b), Some(1));
    assert_eq!(class_of(10.0, &b), Some(4));
    assert_eq!(class_of(10.5, &b), None);
    assert_eq!(class_of(f64::NAN, &b), None);
}

fn spec(x: &str, y: Option<&str>, level: Option<Level>, zone: Option<&str>) -> ChartSpec {
    ChartSpec {
        kind: ChartKind::Map,
        x: Some(x.into()),
        y: y.map(str::to_string),
        map: MapOptions {
            level,
            zone: zone.map(str::to_string),
            ..MapOptions::default()
        },
        ..ChartSpec::default()
    }
}

#[test]
fn every_departement_written_loosely_matches_its_area() {
    // 1..95 without 20, written without their zero; 2A/2B in lower case; overseas as numbers.
    let mut csv = String::from("dep,montant\n");
    let mut want = 0;
    for n in 1..=95 {
        if n != 20 {
            csv.push_str(&format!("{n},{n}\n"));
            want += 1;
        }
    }
    // The same départements again, with their zero: they add up, not duplicate.
    csv.push_str("01,100\n1.0,1000\n2a,1\n2B,2\n971,3\n972,4\n973,5\n974,6\n976,7\n99,1\nZZ,1\n");
    want += 7;
    let ds = read(csv.as_bytes(), &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let sel = select(&ds, &[]).unwrap_or_else(|e| panic!("{e}"));
    let s = spec("dep", Some("montant"), None, None);
    let t = map_rows(&ds, &sel, &s, AggOp::Sum).unwrap_or_else(|e| panic!("{e}"));
    let deps = layer("departements.json");
    let data = match_areas(&t, std::slice::from_ref(&deps), Level::Departement, None);
    assert_eq!(want, 101);
    assert_eq!(data.areas.len(), 101);
    assert_eq!(data.with_value(), 101);
    assert_eq!(data.unmatched, vec!["99".to_string(), "ZZ".to_string()]);
    let ain = data
        .areas
        .iter()
        .find(|a| deps.areas[a.area].code == "01")
        .and_then(|a| a.value);
    assert_eq!(ain, Some(1101.0));
    // Rolled up to régions: 18 areas, Corsica = 2A + 2B.
    let s = spec("dep", Some("montant"), Some(Level::Region), None);
    let t = map_rows(&ds, &sel, &s, AggOp::Sum).unwrap_or_else(|e| panic!("{e}"));
    let regs = layer("regions.json");
    let data = match_areas(&t, std::slice::from_ref(&regs), Level::Region, None);
    assert_eq!(data.with_value(), 18);
    let corse = data
        .areas
        .iter()
        .find(|a| regs.areas[a.area].code == "94")
        .and_then(|a| a.value);
    assert_eq!(corse, Some(3.0));
}

#[test]
fn a_commune_file_rolls_up_with_an_exact_mean_and_a_zone() {
    let csv = "code_insee_commune,taux\n59350,0.2\n59009,0.4\n59001,0.3\n62041,0.5\n2A004,0.1\nLille,0.9\n";
    let ds = read(csv.as_bytes(), &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let sel = select(&ds, &[]).unwrap_or_else(|e| panic!("{e}"));
    let s = spec(
        "code_insee_commune",
        Some("taux"),
        Some(Level::Departement),
        None,
    );
    let t = map_rows(&ds, &sel, &s, AggOp::Mean).unwrap_or_else(|e| panic!("{e}"));
    let get = |code: &str| {
        t.rows
            .iter()
            .find(|r| r[0].to_plain_string() == code)
            .and_then(|r| r[1].as_f64())
    };
    assert!((get("59").unwrap_or_default() - 0.3).abs() < 1e-12);
    assert_eq!(get("62"), Some(0.5));
    assert_eq!(get("2A"), Some(0.1));
    // At commune level in the zone 59: three communes, the name "Lille" matched by name.
    let s = spec(
        "code_insee_commune",
        Some("taux"),
        Some(Level::Commune),
        Some("59"),
    );
    let t = map_rows(&ds, &sel, &s, AggOp::Mean).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.rows.len(), 4, "{t:?}");
    let nord = layer("communes/59.json");
    let data = match_areas(&t, std::slice::from_ref(&nord), Level::Commune, Some("59"));
    assert_eq!(data.areas.len(), nord.areas.len());
    // 59350 is Lille: the name adds to the code (0.2 + 0.9), 59009 and 59001 are separate.
    assert_eq!(data.with_value(), 3);
    assert!(data.unmatched.is_empty(), "{:?}", data.unmatched);
}

#[test]
fn a_map_draws_to_svg_with_its_attribution_and_legend() {
    let csv = "reg,n\n32,10\n11,20\n94,5\n01,7\n";
    let ds = read(csv.as_bytes(), &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let sel = select(&ds, &[]).unwrap_or_else(|e| panic!("{e}"));
    let s = spec("reg", Some("n"), Some(Level::Region), None);
    let t = map_rows(&ds, &sel, &s, AggOp::Sum).unwrap_or_else(|e| panic!("{e}"));
    let regs = layer("regions.json");
    let svg = loupe::chart::map::render_map_svg(
        &s,
        &t,
        &Meaning::default(),
        std::slice::from_ref(&regs),
        1000,
        600,
        loupe::chart::Locale::Fr,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(svg.contains("IGN – ADMIN EXPRESS COG 2018 ; INSEE"));
    assert!(svg.contains("Pas de donnée"));
    assert!(
        svg.matches("<polygon").count() >= 18,
        "one polygon per région at least"
    );
    let sentence = loupe::chart::map::summary(
        &s,
        &t,
        &Meaning::default(),
        loupe::chart::Locale::Fr,
        Some((
            &match_areas(&t, std::slice::from_ref(&regs), Level::Region, None),
            std::slice::from_ref(&regs),
        )),
    );
    assert!(
        sentence.starts_with("Île-de-France (11) arrive en tête avec 20"),
        "{sentence}"
    );
    assert!(sentence.contains("4 régions sur 18"), "{sentence}");
}

#[test]
fn zones_tell_regions_from_departements() {
    use loupe::chart::map::{files_for, in_zone, Zone};
    assert_eq!(Zone::parse("32"), Some(Zone::Departement("32")));
    assert_eq!(Zone::parse("R32"), Some(Zone::Region("32")));
    assert_eq!(Zone::parse("R99"), None);
    assert!(in_zone("32013", Level::Commune, "32"));
    assert!(!in_zone("59350", Level::Commune, "32"));
    assert!(in_zone("59350", Level::Commune, "R32"));
    assert!(in_zone("97120", Level::Commune, "R01"));
    assert!(in_zone("2B", Level::Departement, "R94"));
    assert_eq!(
        files_for(Level::Commune, Some("R94"), None),
        vec!["geo/communes/2A.json", "geo/communes/2B.json"]
    );
    assert_eq!(
        files_for(Level::Commune, Some("971"), None),
        vec!["geo/communes/971.json"]
    );
}

#[test]
fn a_map_is_suggested_first_for_territorial_codes() {
    use loupe::state::view::{applicable_kinds, suggest_chart};
    // Communes of several départements: a département map of the measure (rolled up).
    let csv = "code_insee_commune,montant\n59350,10\n62041,20\n75056,30\n";
    let ds = read(csv.as_bytes(), &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let s = suggest_chart(&ds);
    assert_eq!(s.kind, ChartKind::Map);
    assert_eq!(s.x.as_deref(), Some("code_insee_commune"));
    assert_eq!(s.y.as_deref(), Some("montant"));
    assert_eq!(s.map.level, Some(Level::Departement));
    assert_eq!(applicable_kinds(&ds).first(), Some(&ChartKind::Map));
    // The communes of one département: a commune map.
    let csv = "code_commune,montant\n97101,10\n97102,20\n97120,30\n";
    let ds = read(csv.as_bytes(), &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let s = suggest_chart(&ds);
    assert_eq!(
        (s.kind, s.map.level),
        (ChartKind::Map, Some(Level::Commune))
    );
    // No territory: no map offered.
    let csv = "mission,montant\nDéfense,10\nJustice,20\n";
    let ds = read(csv.as_bytes(), &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(suggest_chart(&ds).kind, ChartKind::Map);
    assert!(!applicable_kinds(&ds).contains(&ChartKind::Map));
}

#[test]
fn the_view_json_of_a_map_round_trips() {
    let json = r#"{"kind":"map","x":"dep","y":"montant","level":"commune","zone":"R32","classes":"jenks"}"#;
    let spec: ChartSpec = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.kind, ChartKind::Map);
    assert_eq!(spec.map.level, Some(Level::Commune));
    assert_eq!(spec.map.zone.as_deref(), Some("R32"));
    assert_eq!(spec.map.classes, Some(Method::Jenks));
    let back: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&spec).unwrap_or_default()).unwrap_or_default();
    let want: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    assert_eq!(back, want);
    // Other charts write no map field.
    let bar = serde_json::to_string(&ChartSpec::default()).unwrap_or_default();
    assert_eq!(bar, r#"{"kind":"bar"}"#);
}
