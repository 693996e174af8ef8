"""The site's URLs plus the benchmarks' own: fixed bytes from memory (the ceiling of a server)
and Wagtail's REST API v2 as docs-style and tuned peers (benchmarks/rest_peer.py)."""

import os
from functools import cache
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import path

from benchmarks.rest_peer import docs_router, tuned_router
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


urlpatterns = [
    path("bench/bytes/<slug:name>", fixed_bytes),
    path("bench/api/docs/", docs_router.urls),
    path("bench/api/tuned/", tuned_router.urls),
    *site_urlpatterns,
]
