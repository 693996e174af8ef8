"""Per-client rate limiting of the public GraphQL API (``/graphql`` and ``/graphql/``).

A fixed window per client address, counted in the shared cache (django-ratelimit's
``get_usage`` on the ``RATELIMIT_USE_CACHE`` alias: Redis in production), so every app process
sees the same count. It sits behind the response cache: an answer served from the cache is not
counted, since it costs two cache reads, less than counting it would (a 429 would cost the
same), while every request that makes the server work is. Over the limit: 429 with
``Retry-After`` and a GraphQL-shaped JSON error.

The cache is never a hard dependency: when it cannot be reached, requests are served unlimited,
the failure is logged once (and the recovery once), and the cache is not tried again for a few
seconds, so a down Redis costs one failed connection per process per interval.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django_ratelimit.core import get_usage

from graphql_api.views import GraphQLHTTPError

logger = logging.getLogger(__name__)

GROUP = "graphql-api"
#: After a failed cache call, how long this process serves without limiting before retrying.
RETRY_AFTER_FAILURE = 5.0

_health = {"down_since": None, "retry_at": 0.0}
_health_lock = threading.Lock()


def reset_health() -> None:
    """Forget an earlier failure (when the cache settings change, as in tests)."""
    with _health_lock:
        _health.update(down_since=None, retry_at=0.0)


def _failed(error: object) -> None:
    with _health_lock:
        if _health["down_since"] is None:
            _health["down_since"] = time.monotonic()
            logger.warning("Rate-limit cache unreachable, serving without limits: %s", error)
        _health["retry_at"] = time.monotonic() + RETRY_AFTER_FAILURE


def _worked() -> None:
    if _health["down_since"] is not None:
        with _health_lock:
            if _health["down_since"] is not None:
                logger.warning("Rate-limit cache reachable again.")
                _health["down_since"] = None


def _usage(request, rate: str) -> dict | None:
    """This request counted against its client's window; None when the cache is down."""
    if _health["down_since"] is not None and time.monotonic() < _health["retry_at"]:
        return None
    try:
        usage = get_usage(request, group=GROUP, key="ip", rate=rate, increment=True)
    except Exception as error:  # any client error: the cache must never break a request
        _failed(error)
        return None
    if usage is None:  # a cache that ignores its errors (IGNORE_EXCEPTIONS) answered nothing
        _failed("no answer from the cache")
        return None
    _worked()
    return usage


def too_many_requests(seconds: int):
    return GraphQLHTTPError(
        429,
        f"Too many requests; please try again in {seconds} seconds.",
        "RATE_LIMITED",
        {"Retry-After": str(seconds), "Cache-Control": "no-store"},
    ).response()


class ApiRateLimitMiddleware:
    """429 for a client over ``ATLAS_API_RATE_LIMIT`` (e.g. ``"600/m"``; empty: no limit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rate = settings.ATLAS_API_RATE_LIMIT
        if rate and request.path_info.rstrip("/") == "/graphql":
            usage = _usage(request, rate)
            if usage is not None and usage["should_limit"]:
                return too_many_requests(max(1, usage["time_left"]))
        return self.get_response(request)
