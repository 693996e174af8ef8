"""The shared cache (Redis in production): the publication generation, the cached public
responses and the API's rate-limit counts, seen by every app process.

It is never a hard dependency, and one circuit breaker guards every use of it: after a failed
call this process serves uncached and without rate limits for a few seconds before trying
again, so a down Redis costs one failed connection per process per interval, not one per
request, and the outage is logged once (and the recovery once). The response cache and the
rate limit use two aliases (``responses`` and ``RATELIMIT_USE_CACHE``) of the one server, so a
failure of either stands for both.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.cache import BaseCache, caches

logger = logging.getLogger(__name__)

#: The cache alias that holds the generation and the cached responses.
CACHE_ALIAS = "responses"
#: After a failed cache call, how long this process goes without the cache before trying again.
RETRY_AFTER_FAILURE = 5.0

_health = {"down_since": None, "retry_at": 0.0}
_health_lock = threading.Lock()

P = ParamSpec("P")
T = TypeVar("T")


class Unanswered(Exception):
    """The cache answered nothing where an answer was due: how a client that ignores its
    errors (django-redis's ``IGNORE_EXCEPTIONS``) shows an outage."""

    def __init__(self) -> None:
        super().__init__("no answer from the cache")


def response_cache() -> BaseCache:
    return caches[CACHE_ALIAS]


def _cache_failed(error: Exception) -> None:
    with _health_lock:
        if _health["down_since"] is None:
            _health["down_since"] = time.monotonic()
            logger.warning(
                "Shared cache unreachable, serving uncached and without rate limits: %s", error
            )
        _health["retry_at"] = time.monotonic() + RETRY_AFTER_FAILURE


def _cache_worked() -> None:
    if _health["down_since"] is not None:
        with _health_lock:
            if _health["down_since"] is not None:
                logger.warning("Shared cache reachable again.")
                _health["down_since"] = None


def reset_health() -> None:
    """Forget an earlier failure (when the cache settings change, as in tests)."""
    with _health_lock:
        _health.update(down_since=None, retry_at=0.0)


def cache_available() -> bool:
    """False for a few seconds after a cache call failed."""
    return _health["down_since"] is None or time.monotonic() >= _health["retry_at"]


def guarded(operation: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
    """``operation(*args, **kwargs)``, an operation on the shared cache, through the circuit
    breaker: None (and the outage logged once) when the cache is down or the operation fails."""
    if not cache_available():
        return None
    try:
        result = operation(*args, **kwargs)
    except Exception as error:  # any client error: the cache must never break a request
        _cache_failed(error)
        return None
    _cache_worked()
    return result


def _on_response_cache(method: str, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 (the method's result)
    try:
        return getattr(response_cache(), method)(*args, **kwargs)
    except ValueError:  # `incr` of a key that is gone: an answer, not an outage
        return None


def call_cache(method: str, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 (the method's result)
    """One call on the response cache; None (and logged once) when the cache is down."""
    return guarded(_on_response_cache, method, *args, **kwargs)
