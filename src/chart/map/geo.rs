//! The map's shapes as `scripts/geo_assets.py` writes them (`www/geo/*.json`): areas with their
//! code, name, parent code and rings of quantised layout coordinates, placed in frames (mainland
//! France in Lambert-93, each overseas département in its own inset). Parsing, the projection of
//! longitude/latitude into the same layout, bounding boxes and point-in-area tests.
//!
//! What must stay true: the projection here is the script's (same constants, same frames read
//! from the file), so a place projected here lands where the script put its area; parsing a
//! malformed file is an error, never a panic.

use serde::Deserialize;

/// One frame of the layout: where a territory's projected metres land.
/// Layout `x = ox + X * s`, `y = oy - Y * s` (y grows downwards), `X, Y` in metres.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Frame {
    pub id: String,
    pub name: String,
    /// `l93` (Lambert-93) or `eqc` (local equirectangular around `lon0`, `lat0`).
    pub proj: String,
    #[serde(default)]
    pub lon0: f64,
    #[serde(default)]
    pub lat0: f64,
    pub s: f64,
    pub ox: f64,
    pub oy: f64,
    /// The frame's box in layout units: x, y, width, height.
    pub r#box: [f64; 4],
}

#[derive(Deserialize)]
struct RawArea {
    c: String,
    n: String,
    #[serde(default)]
    p: String,
    f: String,
    r: Vec<Vec<i64>>,
}

#[derive(Deserialize)]
struct RawLayer {
    #[serde(default)]
    attribution: String,
    frames: Vec<Frame>,
    level: String,
    #[serde(default)]
    zone: Option<String>,
    q: f64,
    areas: Vec<RawArea>,
}

/// One area: a région, a département or a commune.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// INSEE code (`59`, `2A`, `971`, `97101`).
    pub code: String,
    pub name: String,
    /// Code of the région of a département, of the département of a commune; empty otherwise.
    pub parent: String,
    /// Id of the frame it is drawn in (`fr`, `971`, …).
    pub frame: String,
    /// Outer rings in layout units (holes are dropped: an enclave is its own area).
    pub rings: Vec<Vec<(f64, f64)>>,
    /// Bounding box in layout units: x0, y0, x1, y1.
    pub bbox: [f64; 4],
}

/// A file of shapes: every area of one level (or the communes of one département).
#[derive(Clone, Debug, PartialEq)]
pub struct GeoLayer {
    pub level: String,
    /// The département of a commune file.
    pub zone: Option<String>,
    pub attribution: String,
    pub frames: Vec<Frame>,
    pub areas: Vec<Area>,
}

/// Why a shapes file cannot be read.
#[derive(Clone, Debug, PartialEq)]
pub struct GeoError(pub String);

impl std::fmt::Display for GeoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "contours illisibles / unreadable shapes: {}", self.0)
    }
}

impl GeoLayer {
    /// Parses a file written by `scripts/geo_assets.py`.
    pub fn parse(json: &[u8]) -> Result<GeoLayer, GeoError> {
        let raw: RawLayer = serde_json::from_slice(json).map_err(|e| GeoError(e.to_string()))?;
        if raw.q <= 0.0 || !raw.q.is_finite() {
            return Err(GeoError(format!("q = {}", raw.q)));
        }
        let q = raw.q;
        let areas = raw
            .areas
            .into_iter()
            .map(|a| {
                let rings: Vec<Vec<(f64, f64)>> =
                    a.r.iter()
                        .filter(|r| r.len() >= 6 && r.len() % 2 == 0)
                        .map(|r| {
                            let (mut x, mut y) = (0i64, 0i64);
                            r.chunks_exact(2)
                                .enumerate()
                                .map(|(i, p)| {
                                    if i == 0 {
                                        x = p[0];
                                        y = p[1];
                                    } else {
                                        x = x.saturating_add(p[0]);
                                        y = y.saturating_add(p[1]);
                                    }
                                    (x as f64 / q, y as f64 / q)
                                })
                                .collect()
                        })
                        .collect();
                let bbox = bbox_of(rings.iter().flatten());
                Area {
                    code: a.c,
                    name: a.n,
                    parent: a.p,
                    frame: a.f,
                    rings,
                    bbox,
                }
            })
            .collect();
        Ok(GeoLayer {
            level: raw.level,
            zone: raw.zone,
            attribution: raw.attribution,
            frames: raw.frames,
            areas,
        })
    }

    /// The frame named `id`.
    pub fn frame(&self, id: &str) -> Option<&Frame> {
        self.frames.iter().find(|f| f.id == id)
    }

    /// The area with this code.
    pub fn area(&self, code: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.code == code)
    }
}

/// The bounding box (x0, y0, x1, y1) of points; an empty set gives an inverted box.
pub fn bbox_of<'a>(points: impl IntoIterator<Item = &'a (f64, f64)>) -> [f64; 4] {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for &(x, y) in points {
        b[0] = b[0].min(x);
        b[1] = b[1].min(y);
        b[2] = b[2].max(x);
        b[3] = b[3].max(y);
    }
    b
}

// Lambert-93 (IGN NTG 71, EPSG:2154): GRS80, the constants of the official projection.
const E: f64 = 0.081_819_191_042_815_8;
const N: f64 = 0.725_607_765_053_267;
const C: f64 = 11_754_255.426_096;
const XS: f64 = 700_000.0;
const YS: f64 = 12_655_612.049_876;
const LON0_DEG: f64 = 3.0;
/// Mean Earth radius (IUGG), for the local projections of the overseas insets.
const EARTH_R: f64 = 6_371_000.0;

/// Lambert-93 coordinates (metres) of a longitude/latitude in degrees.
///
/// ```
/// // Paris, Notre-Dame: about (652 000, 6 862 000).
/// let (x, y) = loupe::chart::map::geo::lambert93(2.3499, 48.8530);
/// assert!((x - 652_300.0).abs() < 1_000.0 && (y - 6_861_800.0).abs() < 1_000.0);
/// ```
pub fn lambert93(lon: f64, lat: f64) -> (f64, f64) {
    let phi = lat.to_radians();
    let s = phi.sin();
    let latiso = ((std::f64::consts::FRAC_PI_4 + phi / 2.0).tan()
        * ((1.0 - E * s) / (1.0 + E * s)).powf(E / 2.0))
    .ln();
    let r = C * (-N * latiso).exp();
    let g = N * (lon - LON0_DEG).to_radians();
    (XS + r * g.sin(), YS - r * g.cos())
}

impl Frame {
    /// Where a longitude/latitude (degrees) lands in the layout, in this frame.
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = if self.proj == "l93" {
            lambert93(lon, lat)
        } else {
            (
                EARTH_R * (lon - self.lon0).to_radians() * self.lat0.to_radians().cos(),
                EARTH_R * (lat - self.lat0).to_radians(),
            )
        };
        (self.ox + x * self.s, self.oy - y * self.s)
    }
}

/// Whether `p` lies inside `ring` (even-odd rule, ray casting).
pub fn ring_contains(ring: &[(f64, f64)], p: (f64, f64)) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi) = ring[i];
        let (xj, yj) = ring[j];
        if (yi > p.1) != (yj > p.1) && p.0 < (xj - xi) * (p.1 - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

impl Area {
    /// Whether the layout point `p` lies in the area.
    pub fn contains(&self, p: (f64, f64)) -> bool {
        p.0 >= self.bbox[0]
            && p.0 <= self.bbox[2]
            && p.1 >= self.bbox[1]
            && p.1 <= self.bbox[3]
            && self.rings.iter().any(|r| ring_contains(r, p))
    }

    /// Size of the bounding box, to draw enclaves over the areas around them.
    pub fn extent(&self) -> f64 {
        (self.bbox[2] - self.bbox[0]).max(0.0) * (self.bbox[3] - self.bbox[1]).max(0.0)
    }
}
