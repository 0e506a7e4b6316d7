"""Country outlines for the overview map, from Natural Earth (world-atlas TopoJSON), projected at build time."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TOPOLOGY = Path(__file__).parent / "data" / "countries-110m.json"
SHAPES = Path(__file__).parent / "data" / "countries-110m-equal-earth.json"
# Natural Earth shapes without an ISO 3166 numeric code, matched by name.
CODES_BY_NAME = {"Kosovo": "XK"}
WIDTH = 960
LEFT_OUT = frozenset({"Antarctica"})  # no responses, and a fifth of the map's height


@dataclass(frozen=True)
class CountryShape:
    code: str  # ISO 3166-1 alpha-2, or "" where Natural Earth's shape has none
    name: str
    path: str  # SVG path data in a WIDTH-wide Equal Earth frame


def _equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """Šavrič, Patterson and Jenny's Equal Earth projection; returns unscaled x, y (y up)."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    theta = math.asin(math.sqrt(3) / 2 * math.sin(math.radians(latitude)))
    t2, t6 = theta * theta, theta**6
    x = (
        2
        * math.sqrt(3)
        * math.radians(longitude)
        * math.cos(theta)
        / (3 * (a1 + 3 * a2 * t2 + t6 * (7 * a3 + 9 * a4 * t2)))
    )
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return x, y


_X_EXTENT = _equal_earth(180, 0)[0]
_Y_EXTENT = _equal_earth(0, 90)[1]
HEIGHT = round(WIDTH * _Y_EXTENT / _X_EXTENT)


def _point(longitude: float, latitude: float) -> tuple[float, float]:
    x, y = _equal_earth(longitude, latitude)
    scale = WIDTH / 2 / _X_EXTENT
    return WIDTH / 2 + x * scale, HEIGHT / 2 - y * scale


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Arcs as (longitude, latitude) points: TopoJSON stores them quantized and delta-encoded."""
    (scale_x, scale_y), (move_x, move_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)
    return arcs


def _projected(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the 180th meridian (eastern Russia) is kept on the eastern edge, not drawn across."""
    if any(abs(a[0] - b[0]) > 180 for a, b in zip(ring, ring[1:], strict=False)):
        ring = [(min(longitude + 360 if longitude < 0 else longitude, 180.0), latitude) for longitude, latitude in ring]
    return [_point(longitude, latitude) for longitude, latitude in ring]


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _path(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data; points closer than half a pixel to the previous one are dropped."""
    parts = []
    for ring in rings:
        kept: list[tuple[float, float]] = []
        for x, y in ring:
            if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 0.5:
                kept.append((x, y))
        if len(kept) >= 3:
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z")
    return "".join(parts)


def _alpha2(numeric: str | None, name: str) -> str:
    import pycountry  # only `make world-atlas` needs it; its import alone takes 8 MB

    if numeric:
        country = pycountry.countries.get(numeric=numeric.zfill(3))
        if country:
            return country.alpha_2
    return CODES_BY_NAME.get(name, "")


def project_countries() -> tuple[CountryShape, ...]:
    """Project the Natural Earth outlines: slow (half a second), so `make world-atlas` stores the result in
    SHAPES and builds read that; a test checks the two agree."""
    topology = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        name = geometry["properties"]["name"]
        if name in LEFT_OUT:
            continue
        rings = [_projected(_ring(ring, arcs)) for polygon in polygons for ring in polygon]
        shapes.append(CountryShape(_alpha2(geometry.get("id"), name), name, _path(rings)))
    return tuple(sorted(shapes, key=lambda shape: shape.name))


def write_country_shapes() -> None:
    rows = [[shape.code, shape.name, shape.path] for shape in project_countries()]
    SHAPES.write_text(json.dumps(rows, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


@cache
def country_shapes() -> tuple[CountryShape, ...]:
    """The projected outline of each country, as `make world-atlas` stored them."""
    return tuple(CountryShape(*row) for row in json.loads(SHAPES.read_text(encoding="utf-8")))
