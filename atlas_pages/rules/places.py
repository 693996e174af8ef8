"""Places: points of the geo widget, ISO country codes and names."""

from __future__ import annotations

import re

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
