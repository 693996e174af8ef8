"""Places: points of the geo widget, ISO country codes and names."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import Country

_POINT = re.compile(
    r"^\s*(?:SRID=(?P<srid>\d+);)?\s*POINT\s*\(\s*(?P<lng>-?\d+(?:\.\d+)?)\s+"
    r"(?P<lat>-?\d+(?:\.\d+)?)\s*\)\s*$",
    re.IGNORECASE,
)


def parse_point(value: str | None) -> tuple[float, float] | None:
    """(lat, lng) floats from the geo widget's "SRID=4326;POINT(lng lat)"; None when empty."""
    if not value or not value.strip():
        return None
    match = _POINT.match(value)
    if not match:
        raise ValueError(_("Not a location: %(value)s") % {"value": value})
    lat, lng = float(match["lat"]), float(match["lng"])
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError(_("Coordinates out of range: %(value)s") % {"value": value})
    return lat, lng


def format_point(lat: float, lng: float) -> str:
    """The geo widget's value for a coordinate pair."""
    return f"SRID=4326;POINT({lng} {lat})"


def country_name(code: str | Country, language: str | None = None) -> str:
    """The ISO name of a country in a language (the active one by default)."""
    with translation.override(language or translation.get_language()):
        return str(countries.name(str(code).upper()))


def iso_code(code: object) -> str:
    """An ISO 3166-1 alpha-2 code as the atlas shows and compares it: trimmed, upper case."""
    return str(code or "").strip().upper()


#: The world's outlines the admin's map script tests a pin against (static, from npm).
WORLD_OUTLINES = "vendor/world-atlas/countries-110m.json"
#: The outlines are coarse (1:110m): a point within this many degrees of a shape is on it
#: (as static/atlas/js/admin-place-finder.js has it).
TOLERANCE = 0.5

Ring = list[tuple[float, float]]  # (lng, lat), closed
Polygon = list[Ring]  # the outline, then its holes


@dataclass(frozen=True, slots=True)
class Shape:
    """One country's outline: its ISO numeric id, bounding box and polygons."""

    id: str
    box: tuple[float, float, float, float]  # west, south, east, north
    polygons: list[Polygon]


@cache
def world_shapes() -> list[Shape]:
    """The countries of the world's outlines, decoded from their TopoJSON."""
    path = finders.find(WORLD_OUTLINES)
    topology = json.loads(Path(path).read_text())
    (scale_x, scale_y), (move_x, move_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:  # quantized and delta-encoded
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)

    def ring(indexes: list[int]) -> Ring:
        points: Ring = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)  # arcs share their ends
        return points

    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if "id" not in geometry or geometry["type"] not in {"Polygon", "MultiPolygon"}:
            continue
        parts = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        polygons = [[ring(indexes) for indexes in polygon] for polygon in parts]
        lngs = [lng for polygon in polygons for lng, _lat in polygon[0]]
        lats = [lat for polygon in polygons for _lng, lat in polygon[0]]
        box = (min(lngs), min(lats), max(lngs), max(lats))
        shapes.append(Shape(str(geometry["id"]), box, polygons))
    return shapes


def _in_ring(ring: Ring, lng: float, lat: float) -> bool:
    inside = False
    for (xi, yi), (xj, yj) in zip(ring, ring[-1:] + ring[:-1], strict=True):
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
    return inside


def _in_shape(shape: Shape, lng: float, lat: float) -> bool:
    west, south, east, north = shape.box
    if not (west <= lng <= east and south <= lat <= north):
        return False
    return any(
        _in_ring(polygon[0], lng, lat) and not any(_in_ring(hole, lng, lat) for hole in polygon[1:])
        for polygon in shape.polygons
    )


def countries_near(lat: float, lng: float) -> set[str]:
    """The ISO numeric ids of the countries on or within TOLERANCE of a point."""
    steps = (-TOLERANCE, 0, TOLERANCE)
    return {
        shape.id
        for shape in world_shapes()
        for d_lat in steps
        for d_lng in steps
        if _in_shape(shape, lng + d_lng, lat + d_lat)
    }


@dataclass(frozen=True, slots=True)
class PlaceProblem:
    """What is odd about a point: "at_sea" or "outside" its country; with the coordinates the
    other way round when those fit (an editor typed lng, lat)."""

    kind: str
    swapped: tuple[float, float] | None = None


def check_place(lat: float, lng: float, country: str | Country) -> PlaceProblem | None:
    """Whether a point is at sea or outside the country (ISO alpha-2; none: only the sea
    counts), by the world's outlines; None when it fits."""
    numeric = countries.numeric(iso_code(country), padded=True) if iso_code(country) else None

    def fits(near: set[str]) -> bool:
        return bool(near) and (numeric is None or numeric in near)

    near = countries_near(lat, lng)
    if fits(near):
        return None
    swapped = (lng, lat) if -90 <= lng <= 90 and fits(countries_near(lng, lat)) else None
    return PlaceProblem("outside" if near else "at_sea", swapped)
