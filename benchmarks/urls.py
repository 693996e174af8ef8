"""The site's URLs plus /bench/bytes/<name>: fixed bytes from memory, the ceiling of a server."""

import os
from functools import cache
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


@cache
def _body(name):
    folder = Path(os.environ["ATLAS_BENCH_BODIES"])
    found = folder / name
    if found.parent != folder or not found.is_file():
        raise Http404
    return found.read_bytes()


def fixed_bytes(request, name):
    """The bytes a cached response would send (gzip), with no other work."""
    response = HttpResponse(_body(name), content_type="application/octet-stream")
    response["Content-Encoding"] = "gzip"
    return response


urlpatterns = [path("bench/bytes/<slug:name>", fixed_bytes), *site_urlpatterns]
