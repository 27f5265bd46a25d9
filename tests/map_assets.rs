//! The map assets of `www/geo` (written by `scripts/geo_assets.py`) against their source,
//! `../shared/data/geo` (IGN ADMIN EXPRESS COG 2018): every code of the source present once,
//! with its name; and known places projected by `chart::map::geo` landing inside their areas
//! (Paris, Lille, Ajaccio, Pointe-à-Pitre, Saint-Denis de La Réunion, Cayenne). Coordinates of
//! the places are those of their town halls (rounded to 4 decimals), written by hand.

use std::collections::BTreeMap;
use std::path::PathBuf;

use loupe::chart::map::geo::GeoLayer;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn layer(name: &str) -> GeoLayer {
    let path = root().join("www/geo").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    GeoLayer::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn source() -> Option<PathBuf> {
    let p = root().join("../shared/data/geo");
    p.exists().then_some(p)
}

/// (code, name) of every feature of a GeoJSON text.
fn source_codes(json: &str) -> BTreeMap<String, String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
    let mut out = BTreeMap::new();
    for f in v["features"].as_array().into_iter().flatten() {
        let code = f["properties"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let name = f["properties"]["nom"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            out.insert(code.clone(), name).is_none(),
            "{code} twice in the source"
        );
    }
    out
}

fn asset_codes(l: &GeoLayer) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for a in &l.areas {
        assert!(
            out.insert(a.code.clone(), a.name.clone()).is_none(),
            "{} twice in the asset",
            a.code
        );
        assert!(!a.rings.is_empty(), "{} has no ring", a.code);
    }
    out
}

#[test]
fn regions_and_departements_hold_every_source_code_once() {
    let regs = layer("regions.json");
    let deps = layer("departements.json");
    assert_eq!(asset_codes(&regs).len(), 18);
    assert_eq!(asset_codes(&deps).len(), 101);
    let Some(src) = source() else {
        eprintln!("../shared/data/geo absent: source comparison skipped");
        return;
    };
    for (file, l) in [
        ("regions-avec-outre-mer.geojson", &regs),
        ("departements-avec-outre-mer.geojson", &deps),
    ] {
        let text = std::fs::read_to_string(src.join(file)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(asset_codes(l), source_codes(&text), "{file}");
    }
}

#[test]
fn commune_files_hold_every_source_commune_once() {
    let Some(src) = source() else {
        eprintln!("../shared/data/geo absent: source comparison skipped");
        return;
    };
    let mut total = 0;
    let mut files = 0;
    for entry in std::fs::read_dir(src.join("communes")).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let Some(dep) = name.split('-').nth(1) else {
            continue;
        };
        let out = std::process::Command::new("gzip")
            .arg("-dc")
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("gzip: {e}"));
        let text = String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{e}"));
        let want = source_codes(&text);
        let l = layer(&format!("communes/{dep}.json"));
        assert_eq!(l.zone.as_deref(), Some(dep));
        let got = asset_codes(&l);
        assert_eq!(got, want, "communes of {dep}");
        assert!(l.areas.iter().all(|a| a.parent == dep));
        total += got.len();
        files += 1;
    }
    assert_eq!(files, 101);
    // PROVENANCE.md: 35,357 communes in all.
    assert_eq!(total, 35_357);
}

#[test]
fn departements_name_their_region_as_the_insee_list_does() {
    let deps = layer("departements.json");
    for a in &deps.areas {
        assert_eq!(
            loupe::chart::map::codes::region_of(&a.code),
            Some(a.parent.as_str()),
            "{}",
            a.code
        );
    }
}

/// The area of `layer` containing a place, projected in the frame of `frame`.
fn area_at(l: &GeoLayer, frame: &str, lon: f64, lat: f64) -> Vec<String> {
    let f = l.frame(frame).unwrap_or_else(|| panic!("no frame {frame}"));
    let p = f.project(lon, lat);
    l.areas
        .iter()
        .filter(|a| a.frame == frame && a.contains(p))
        .map(|a| a.code.clone())
        .collect()
}

#[test]
fn known_places_land_inside_their_areas() {
    let deps = layer("departements.json");
    let regs = layer("regions.json");
    let places: &[(&str, f64, f64, &str, &str, &str)] = &[
        // name, lon, lat, frame, département, région
        ("Paris", 2.3522, 48.8566, "fr", "75", "11"),
        ("Lille", 3.0573, 50.6292, "fr", "59", "32"),
        ("Strasbourg", 7.7521, 48.5734, "fr", "67", "44"),
        ("Brest", -4.4860, 48.3904, "fr", "29", "53"),
        ("Ajaccio", 8.7369, 41.9192, "fr", "2A", "94"),
        ("Bastia", 9.4509, 42.6977, "fr", "2B", "94"),
        ("Pointe-à-Pitre", -61.5331, 16.2411, "971", "971", "01"),
        ("Fort-de-France", -61.0588, 14.6161, "972", "972", "02"),
        ("Cayenne", -52.3135, 4.9224, "973", "973", "03"),
        (
            "Saint-Denis (La Réunion)",
            55.4481,
            -20.8821,
            "974",
            "974",
            "04",
        ),
        ("Mamoudzou", 45.2279, -12.7806, "976", "976", "06"),
    ];
    for (name, lon, lat, frame, dep, reg) in places {
        assert_eq!(
            area_at(&deps, frame, *lon, *lat),
            vec![dep.to_string()],
            "{name}"
        );
        assert_eq!(
            area_at(&regs, frame, *lon, *lat),
            vec![reg.to_string()],
            "{name}"
        );
    }
    // Communes: Paris 75056, Ajaccio 2A004, Pointe-à-Pitre 97120, Lille 59350.
    for (file, lon, lat, frame, code) in [
        ("communes/75.json", 2.3522, 48.8566, "fr", "75056"),
        ("communes/2A.json", 8.7369, 41.9192, "fr", "2A004"),
        ("communes/971.json", -61.5331, 16.2411, "971", "97120"),
        ("communes/59.json", 3.0573, 50.6292, "fr", "59350"),
    ] {
        assert_eq!(
            area_at(&layer(file), frame, lon, lat),
            vec![code.to_string()],
            "{file}"
        );
    }
}

#[test]
fn the_map_assets_fit_their_budget() {
    // Régions + départements: at most 250 KB gzipped (issue #11), measured with gzip -9.
    let mut total = 0;
    for f in ["regions.json", "departements.json"] {
        let out = std::process::Command::new("gzip")
            .arg("-9c")
            .arg(root().join("www/geo").join(f))
            .output()
            .unwrap_or_else(|e| panic!("gzip: {e}"));
        total += out.stdout.len();
    }
    assert!(total <= 250_000, "{total} bytes gzipped");
}
