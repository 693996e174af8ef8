"""Per-client rate limiting of the public GraphQL API (``/graphql`` and ``/graphql/``).

A fixed window per client address, counted in the shared cache (django-ratelimit's
``get_usage`` on the ``RATELIMIT_USE_CACHE`` alias: Redis in production), so every app process
sees the same count. It sits behind the response cache: an answer served from the cache is not
counted, since it costs two cache reads, less than counting it would (a 429 would cost the
same), while every request that makes the server work is. Over the limit: 429 with
``Retry-After`` and a GraphQL-shaped JSON error.

The cache is never a hard dependency: when it cannot be reached, requests are served unlimited,
behind the one circuit breaker of the shared cache (atlas_pages.publication.shared_cache), which
logs the outage once and does not try the cache again for a few seconds.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage

from atlas_pages.publication import shared_cache
from graphql_api.views import GraphQLHTTPError

GROUP = "graphql-api"


def _count(request: HttpRequest, rate: str) -> dict:
    usage = get_usage(request, group=GROUP, key="ip", rate=rate, increment=True)
    if usage is None:  # a cache that ignores its errors (IGNORE_EXCEPTIONS) answered nothing
        raise shared_cache.Unanswered
    return usage


def _usage(request: HttpRequest, rate: str) -> dict | None:
    """This request counted against its client's window; None when the cache is down."""
    return shared_cache.guarded(_count, request, rate)


def too_many_requests(seconds: int) -> HttpResponse:
    return GraphQLHTTPError(
        429,
        f"Too many requests; please try again in {seconds} seconds.",
        "RATE_LIMITED",
        {"Retry-After": str(seconds), "Cache-Control": "no-store"},
    ).response()


class ApiRateLimitMiddleware:
    """429 for a client over ``ATLAS_API_RATE_LIMIT`` (e.g. ``"600/m"``; empty: no limit)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rate = settings.ATLAS_API_RATE_LIMIT
        if rate and request.path_info.rstrip("/") == "/graphql":
            usage = _usage(request, rate)
            if usage is not None and usage["should_limit"]:
                return too_many_requests(max(1, usage["time_left"]))
        return self.get_response(request)
