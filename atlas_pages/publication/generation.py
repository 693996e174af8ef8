"""The publication generation: a token that changes whenever what the public may see changes.

Every cached public response (pages, GraphQL, exports) is stored under the generation it was
computed in, so one bump makes every app process sharing the cache compute fresh answers on
its very next request: no list of keys to delete, nothing stale to hunt for.

The token is a counter in the shared cache (Redis in production) plus the moment of the next
scheduled expiry of public content: the publication rule hides a page or snippet whose
``expire_at`` has passed even before ``publish_scheduled`` runs, so that moment starts a new
generation by itself.

The cache is never a hard dependency: when it cannot be reached, ``current()`` answers None,
the callers serve uncached, and the failure is logged once (and the recovery once).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Any

from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models import Model, Subquery
from django.db.models.signals import ModelSignal, post_delete, post_save
from django.utils import timezone
from wagtail import signals
from wagtail.models import BaseViewRestriction, DraftStateMixin, Locale, Page, Site

from atlas_pages.models import Person, Platform, SocialAccount
from atlas_pages.publication import frontend_cache

logger = logging.getLogger(__name__)

#: The cache alias that holds the generation and the cached responses.
CACHE_ALIAS = "responses"
COUNTER_KEY = "atlas:generation"
NEXT_EXPIRY_KEY = "atlas:generation:next-expiry"
#: After a failed cache call, how long this process serves uncached before trying again.
RETRY_AFTER_FAILURE = 5.0

_health = {"down_since": None, "retry_at": 0.0}
_health_lock = threading.Lock()


def response_cache() -> BaseCache:
    return caches[CACHE_ALIAS]


def _cache_failed(error: Exception) -> None:
    with _health_lock:
        if _health["down_since"] is None:
            _health["down_since"] = time.monotonic()
            logger.warning("Response cache unreachable, serving uncached: %s", error)
        _health["retry_at"] = time.monotonic() + RETRY_AFTER_FAILURE


def _cache_worked() -> None:
    if _health["down_since"] is not None:
        with _health_lock:
            if _health["down_since"] is not None:
                logger.warning("Response cache reachable again.")
                _health["down_since"] = None


def reset_health() -> None:
    """Forget an earlier failure (when the cache settings change, as in tests)."""
    with _health_lock:
        _health.update(down_since=None, retry_at=0.0)


def cache_available() -> bool:
    """False for a few seconds after a cache call failed: a down Redis costs one failed
    connection per process per interval, not one per request."""
    return _health["down_since"] is None or time.monotonic() >= _health["retry_at"]


def call_cache(method: str, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 (the method's result)
    """One call on the response cache; None (and logged once) when the cache is down."""
    if not cache_available():
        return None
    try:
        result = getattr(response_cache(), method)(*args, **kwargs)
    except ValueError:  # `incr` of a key that is gone: an answer, not an outage
        return None
    except Exception as error:  # any client error: the cache must never break a request
        _cache_failed(error)
        return None
    _cache_worked()
    return result


def next_expiry() -> datetime | None:
    """The next moment an ``expire_at`` of live content passes (None if nothing expires): one
    query, a subquery per table hung on the tree's root row."""
    now = timezone.now()

    def soonest(model: type[Page | Person | SocialAccount]) -> Subquery:
        live = model.objects.filter(live=True, expire_at__gt=now).order_by("expire_at")
        return Subquery(live.values("expire_at")[:1])

    moments = (
        Page.objects.filter(depth=1)
        .annotate(pages=soonest(Page), people=soonest(Person), accounts=soonest(SocialAccount))
        .values_list("pages", "people", "accounts")
        .first()
    ) or ()
    return min((moment for moment in moments if moment), default=None)


def _expiry_timestamp() -> float:
    moment = next_expiry()
    return moment.timestamp() if moment else 0.0


def current() -> str | None:
    """The generation token, or None when the cache cannot be reached (then serve uncached)."""
    found = call_cache("get_many", [COUNTER_KEY, NEXT_EXPIRY_KEY])
    if found is None:
        return None
    counter = found.get(COUNTER_KEY)
    if counter is None:
        # A fresh (or flushed) cache: start from the clock, so no entry of an earlier
        # counter can be mistaken for this one; `add` lets exactly one process win.
        call_cache("add", COUNTER_KEY, time.time_ns(), None)
        counter = call_cache("get", COUNTER_KEY)
        if counter is None:
            return None
    # The next expiry is computed once per generation, and kept with the counter it was
    # computed for: one computed from rows older than a bump is never taken for the new one.
    computed_for, expiry = found.get(NEXT_EXPIRY_KEY) or (None, None)
    if computed_for != counter:
        expiry = _expiry_timestamp()
        call_cache("set", NEXT_EXPIRY_KEY, (counter, expiry), None)
    if expiry and expiry <= time.time():
        bump()
        return current()
    return f"{counter}"


def _bump_now() -> None:
    if call_cache("add", COUNTER_KEY, time.time_ns(), None) is False:
        call_cache("incr", COUNTER_KEY)


def bump() -> None:
    """Public content changed: start a new generation now and again once the transaction
    commits (so no request that read the old rows can store them under the new token)."""
    _bump_now()
    transaction.on_commit(_bump_now)
    frontend_cache.purge_after_commit()


#: What the public sees is made of these: a delete of any of them changes public content.
PUBLIC_CONTENT = (Page, Person, SocialAccount, Platform, BaseViewRestriction, Site, Locale)


def on_publication_event(sender: type[Model], **kwargs: Any) -> None:
    """Publish, unpublish, move or copy of a page; publish or unpublish of a snippet."""
    bump()


#: What a draft, a lock or a workflow step writes on a live page or snippet: its live content,
#: all the public sees, stays as it was.
EDITORIAL_BOOKKEEPING = {
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "draft_title",
    "locked",
    "locked_at",
    "locked_by",
    "comments",
    # "Mark reviewed" (atlas_pages.editorial.upkeep): the press desk's bookkeeping, not content.
    "last_reviewed_at",
    "last_reviewed_by",
}


def on_saved_or_deleted(
    sender: type[Model],
    instance: Model,
    signal: ModelSignal,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """Every delete of public content; every save of live content (platforms, view
    restrictions, sites, locales; a live page or snippet saved directly, as bulk loaders and
    imports do) except the bookkeeping of a draft or a lock, which changes nothing public.
    Publishing and unpublishing also send the signals above."""
    if not isinstance(instance, PUBLIC_CONTENT):
        return
    if signal is post_delete or not isinstance(instance, DraftStateMixin):
        bump()
    elif instance.live and not (update_fields and set(update_fields) <= EDITORIAL_BOOKKEEPING):
        bump()


def connect_signals() -> None:
    for signal in (
        signals.page_published,
        signals.page_unpublished,
        signals.post_page_move,
        signals.published,
        signals.unpublished,
    ):
        signal.connect(on_publication_event, dispatch_uid="atlas_generation")
    for signal in (post_save, post_delete):
        signal.connect(on_saved_or_deleted, dispatch_uid="atlas_generation")
