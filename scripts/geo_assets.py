#!/usr/bin/env python3
"""Turns the IGN ADMIN EXPRESS COG 2018 boundaries of ../shared/data/geo/ into Loupe's map assets
under www/geo/ (standard library only, no download).

Output (JSON, one file per layer):
  www/geo/regions.json            the 18 régions
  www/geo/departements.json       the 101 départements
  www/geo/communes/<dep>.json     the communes of one département, fetched on demand

Every file shares one layout (the "frames"): mainland France and Corsica in Lambert-93
(EPSG:2154) at 1 layout unit = 100 m, and each overseas département in its own inset frame on
the left (a local equirectangular projection scaled to fill its box). Coordinates are integers:
layout units times the file's `q` (1 for régions and départements, 4 for communes), each ring
written as [x0, y0, dx1, dy1, ...] (deltas after the first point). Rings are simplified
(Douglas-Peucker) in layout units; holes are dropped (an enclave is its own area, drawn on top).

Areas: {"c": code, "n": name, "p": parent code (région of a département, département of a
commune), "f": frame id, "r": [rings]}.

The projection formulas are those of IGN's note NTG 71 (Lambert conformal conic, GRS80, the
Lambert-93 constants); src/chart/map/project.rs implements the same for the browser, and
tests/map_assets.rs checks that known places fall inside their areas.

Usage: python3 scripts/geo_assets.py [--src ../shared/data/geo] [--out www/geo]
"""

import argparse
import csv
import gzip
import json
import math
import os
import sys

# Lambert-93 (IGN, NTG 71 / EPSG:2154): GRS80 ellipsoid, secant cone.
E = 0.0818191910428158
N = 0.7256077650532670
C = 11754255.426096
XS = 700000.0
YS = 12655612.049876
LON0 = math.radians(3.0)

# Layout: 1 unit = 100 m on mainland France.
MAINLAND_SCALE = 0.01
INSET_W = 2000  # width of the inset column, layout units
INSET_GAP = 120
EARTH_R = 6371000.0

OVERSEAS = {
    # code: (name, lon0, lat0) — centre of the local projection.
    "971": ("Guadeloupe", -61.55, 16.2),
    "972": ("Martinique", -61.02, 14.65),
    "973": ("Guyane", -53.2, 3.95),
    "974": ("La Réunion", 55.53, -21.13),
    "976": ("Mayotte", 45.15, -12.82),
}
OVERSEAS_REGIONS = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}


def lambert93(lon, lat):
    """(lon, lat) in degrees -> Lambert-93 (X, Y) in metres."""
    phi = math.radians(lat)
    s = math.sin(phi)
    latiso = math.log(math.tan(math.pi / 4 + phi / 2) * ((1 - E * s) / (1 + E * s)) ** (E / 2))
    r = C * math.exp(-N * latiso)
    g = N * (math.radians(lon) - LON0)
    return XS + r * math.sin(g), YS - r * math.cos(g)


def local(lon, lat, lon0, lat0):
    """Local equirectangular projection around (lon0, lat0), metres."""
    return (
        EARTH_R * math.radians(lon - lon0) * math.cos(math.radians(lat0)),
        EARTH_R * math.radians(lat - lat0),
    )


def outer_rings(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"][0]]
    if geom["type"] == "MultiPolygon":
        return [p[0] for p in geom["coordinates"]]
    return []


def frame_of(code):
    """Frame id of a département or commune code."""
    for dep in OVERSEAS:
        if code.startswith(dep):
            return dep
    return "fr"


def make_frames(deps):
    """The shared layout, from the départements' outlines."""
    xs, ys = [], []
    for f in deps["features"]:
        if frame_of(f["properties"]["code"]) != "fr":
            continue
        for ring in outer_rings(f["geometry"]):
            for lon, lat in ring:
                x, y = lambert93(lon, lat)
                xs.append(x)
                ys.append(y)
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    margin = 5000.0
    ox = INSET_W + INSET_GAP - (x0 - margin) * MAINLAND_SCALE
    oy = (y1 + margin) * MAINLAND_SCALE
    width = (x1 - x0 + 2 * margin) * MAINLAND_SCALE
    height = (y1 - y0 + 2 * margin) * MAINLAND_SCALE
    frames = [
        {
            "id": "fr",
            "name": "France métropolitaine",
            "proj": "l93",
            "s": MAINLAND_SCALE,
            "ox": round(ox, 3),
            "oy": round(oy, 3),
            "box": [INSET_W + INSET_GAP, 0, round(width), round(height)],
        }
    ]
    box_h = (height - INSET_GAP * (len(OVERSEAS) - 1)) / len(OVERSEAS)
    for i, (code, (name, lon0, lat0)) in enumerate(OVERSEAS.items()):
        pts = []
        for f in deps["features"]:
            if f["properties"]["code"] == code:
                for ring in outer_rings(f["geometry"]):
                    pts += [local(lon, lat, lon0, lat0) for lon, lat in ring]
        lx0 = min(p[0] for p in pts)
        lx1 = max(p[0] for p in pts)
        ly0 = min(p[1] for p in pts)
        ly1 = max(p[1] for p in pts)
        bx, by = 0.0, i * (box_h + INSET_GAP)
        # 85 % of the box, leaving room for the frame's label at its top.
        s = 0.85 * min(INSET_W / (lx1 - lx0), (box_h - 200) / (ly1 - ly0))
        cx, cy = (lx0 + lx1) / 2, (ly0 + ly1) / 2
        frames.append(
            {
                "id": code,
                "name": name,
                "proj": "eqc",
                "lon0": lon0,
                "lat0": lat0,
                "s": round(s, 9),
                "ox": round(bx + INSET_W / 2 - cx * s, 3),
                "oy": round(by + 200 + (box_h - 200) / 2 + cy * s, 3),
                "box": [0, round(by), INSET_W, round(box_h)],
            }
        )
    return frames


def to_layout(frame, lon, lat):
    if frame["proj"] == "l93":
        x, y = lambert93(lon, lat)
    else:
        x, y = local(lon, lat, frame["lon0"], frame["lat0"])
    return frame["ox"] + x * frame["s"], frame["oy"] - y * frame["s"]


def simplify(points, tol):
    """Douglas-Peucker (iterative) on a closed ring; keeps the first and farthest points."""
    if len(points) < 4:
        return points
    # Split the closed ring at the point farthest from the first, so both halves are open.
    first = points[0]
    far = max(range(len(points)), key=lambda i: (points[i][0] - first[0]) ** 2 + (points[i][1] - first[1]) ** 2)
    keep = [False] * len(points)
    keep[0] = keep[far] = keep[-1] = True
    stack = [(0, far), (far, len(points) - 1)]
    t2 = tol * tol
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        ax, ay = points[a]
        bx, by = points[b]
        dx, dy = bx - ax, by - ay
        d2 = dx * dx + dy * dy
        best, best_i = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if d2 == 0:
                dist = (px - ax) ** 2 + (py - ay) ** 2
            else:
                cross = dx * (py - ay) - dy * (px - ax)
                dist = cross * cross / d2
            if dist > best:
                best, best_i = dist, i
        if best > t2:
            keep[best_i] = True
            stack.append((a, best_i))
            stack.append((best_i, b))
    return [p for p, k in zip(points, keep) if k]


def ring_area(pts):
    return abs(sum(pts[i][0] * pts[i - 1][1] - pts[i - 1][0] * pts[i][1] for i in range(len(pts)))) / 2


def encode_area(code, name, parent, frames_by_id, geom, q, tol, frame_id=None):
    frame_id = frame_id or frame_of(code)
    frame = frames_by_id[frame_id]
    rings = []
    for ring in outer_rings(geom):
        pts = [to_layout(frame, lon, lat) for lon, lat in ring]
        pts = [(round(x * q), round(y * q)) for x, y in pts]
        # Drop repeated points after quantisation.
        dedup = [pts[0]]
        for p in pts[1:]:
            if p != dedup[-1]:
                dedup.append(p)
        if len(dedup) > 1 and dedup[-1] == dedup[0]:
            dedup.pop()
        simple = simplify(dedup + [dedup[0]], tol * q)[:-1]
        rings.append((ring_area(simple) if len(simple) >= 3 else 0.0, simple, ring_area(dedup) if len(dedup) >= 3 else 0.0, dedup))
    # Keep every ring that survives simplification with some area; an area always keeps its
    # largest ring (a small island commune stays drawable).
    kept = [r[1] for r in rings if len(r[1]) >= 3 and r[0] >= (q * q) * 0.5]
    if not kept and rings:
        biggest = max(rings, key=lambda r: r[2])
        kept = [biggest[1] if len(biggest[1]) >= 3 else biggest[3]]
    out = []
    for pts in kept:
        flat = [pts[0][0], pts[0][1]]
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            flat += [bx - ax, by - ay]
        out.append(flat)
    return {"c": code, "n": name, "p": parent, "f": frame_id, "r": out}


def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default=os.path.join(root, "..", "shared", "data", "geo"))
    ap.add_argument("--out", default=os.path.join(root, "www", "geo"))
    ap.add_argument("--communes", default="all", help="'all', 'none' or comma-separated département codes")
    args = ap.parse_args()

    with open(os.path.join(args.src, "departements-avec-outre-mer.geojson"), encoding="utf-8") as f:
        deps = json.load(f)
    with open(os.path.join(args.src, "regions-avec-outre-mer.geojson"), encoding="utf-8") as f:
        regs = json.load(f)
    # Département -> région, from the bundled INSEE commune list (www/data, COG).
    dep_region = {}
    with open(os.path.join(root, "www", "data", "communes_population.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            dep_region.setdefault(row["departement"], row["region"])
    frames = make_frames(deps)
    by_id = {fr["id"]: fr for fr in frames}
    attribution = "IGN – ADMIN EXPRESS COG 2018 ; INSEE"
    meta = {"attribution": attribution, "frames": frames}

    # A région's frame: mainland, or the inset of its only département.
    areas = [
        encode_area(
            ft["properties"]["code"], ft["properties"]["nom"], "", by_id, ft["geometry"], 1, 3,
            OVERSEAS_REGIONS.get(ft["properties"]["code"], "fr"),
        )
        for ft in regs["features"]
    ]
    write(os.path.join(args.out, "regions.json"), {**meta, "level": "region", "q": 1, "areas": areas})
    missing = [ft["properties"]["code"] for ft in deps["features"] if ft["properties"]["code"] not in dep_region]
    if missing:
        sys.exit(f"no région for départements {missing}")
    areas = [
        encode_area(
            ft["properties"]["code"], ft["properties"]["nom"], dep_region[ft["properties"]["code"]],
            by_id, ft["geometry"], 1, 3,
        )
        for ft in deps["features"]
    ]
    write(os.path.join(args.out, "departements.json"), {**meta, "level": "departement", "q": 1, "areas": areas})

    if args.communes == "none":
        return
    wanted = None if args.communes == "all" else set(args.communes.split(","))
    cdir = os.path.join(args.src, "communes")
    for name in sorted(os.listdir(cdir)):
        if not name.endswith(".geojson.gz"):
            continue
        dep = name.split("-")[1]
        if wanted is not None and dep not in wanted:
            continue
        with gzip.open(os.path.join(cdir, name), "rt", encoding="utf-8") as f:
            coms = json.load(f)
        # Tolerance 0.5 unit (50 m on mainland), quantised at a quarter unit (25 m).
        areas = [
            encode_area(ft["properties"]["code"], ft["properties"]["nom"], dep, by_id, ft["geometry"], 4, 0.5)
            for ft in coms["features"]
        ]
        areas.sort(key=lambda a: a["c"])
        write(
            os.path.join(args.out, "communes", f"{dep}.json"),
            {**meta, "level": "commune", "zone": dep, "q": 4, "areas": areas},
        )


if __name__ == "__main__":
    main()
