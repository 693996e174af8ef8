"""Production settings plus what only the benchmarks mount: the trivial view and the REST peer."""

from cms.settings.production import *  # noqa: F403
from cms.settings.production import INSTALLED_APPS

ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Wagtail's REST API v2, the peer of benchmarks/compare_peer.py (never mounted by the site).
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "rest_framework"]
WAGTAILAPI_LIMIT_MAX = None  # the whole atlas in one request, like our WholeAtlas query
# The load generator is one client: measure the server, not the per-client rate limit.
ATLAS_API_RATE_LIMIT = None
