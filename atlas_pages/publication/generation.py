"""The publication generation: a token that changes whenever what the public may see changes.

Every cached public response (pages, GraphQL, exports) is stored under the generation it was
computed in, so one bump makes every app process sharing the cache compute fresh answers on
its very next request: no list of keys to delete, nothing stale to hunt for.

The token is a counter in the shared cache (Redis in production) plus the moment of the next
scheduled expiry of public content: the publication rule hides a page or snippet whose
``expire_at`` has passed even before ``publish_scheduled`` runs, so that moment starts a new
generation by itself; so does the first day of a live person's ended term of office (the read
model narrows from ``Person.term_end`` on, without anyone saving).

The cache is never a hard dependency (atlas_pages.publication.shared_cache): when it cannot be
reached, ``current()`` answers None and the callers serve uncached.

The models announce a change outside a publish by their own signal (``public_content_changed``),
which ``connect_signals()`` connects here; a bump announces itself (``generation_bumped``), and
the CDN purge listens to that, as Wagtail's frontend cache listens to publishing.

Widening and narrowing. A bump that only adds or changes public content (a publish that keeps
the published object's visibility facts, ``VISIBILITY_FACTS``; new follower counts; a release)
widens: for ``settings.ATLAS_STALE_SECONDS`` after it, the previous generation's cached answer
may stand in for the new one while the new one is built (``stand_ins``), so no visitor waits for
a rebuild. Every other bump narrows or may narrow (an unpublish, a delete, a move, a view
restriction, an expiry, a consent withdrawal or a takeover announced by
``public_content_changed``, a direct save of live content by an import, a publish that changes
who owns an account, whom it speaks for, its status or address, a person's consent, post or
role, or an expiry date): nothing earlier stands in for it, so the next request sees it.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as day_time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Subquery
from django.db.models.signals import ModelSignal, post_delete, post_save, pre_save
from django.dispatch import Signal
from django.utils import timezone
from wagtail import signals
from wagtail.models import BaseViewRestriction, DraftStateMixin, Locale, Page, Site

from atlas_pages.models import ConfirmedNone, Person, Platform, SocialAccount, review_max_age
from atlas_pages.models.signals import public_content_changed
from atlas_pages.publication import shared_cache

COUNTER_KEY = "atlas:generation"
#: The counter stays below this: django-redis increments through a Lua script, whose numbers are
#: doubles, so a larger counter comes back rounded (and a stand-in would be written for a
#: generation that never was).
MAX_EXACT_COUNTER = 2**53


def _clock_counter() -> int:
    """A new counter from the clock, in microseconds (below MAX_EXACT_COUNTER until 2255)."""
    return time.time_ns() // 1000


NEXT_EXPIRY_KEY = "atlas:generation:next-expiry"
#: ``STAND_IN_KEY.format(n)``: (n - 1, the moment generation n began) when the bump that began n
#: widened; absent when it narrowed.
STAND_IN_KEY = "atlas:generation:stand-in:{}"
#: The longest chain of widening generations looked through for an answer to stand in (one
#: read of the shared cache): a publish makes one at its commit (and with
#: ATLAS_BUMP_BEFORE_COMMIT up to two more before it), so many publishes within
#: ATLAS_STALE_SECONDS.
MAX_STAND_INS = 24

#: What a bump says changed, row by row, so that the next read of the atlas reads only those
#: rows (atlas_pages.publication.public_atlas): ("account", id), ("person", id), or ("pages",
#: 0) for the page tree (read whole: it is small). A bump that does not say (None) changed
#: anything: so must be the bump of rows written by ``QuerySet.update()`` (no signal names
#: them; a later bump naming other rows does not read them again), as ``end_term`` and
#: ``withdraw_consent`` do. ``CHANGED_KEY.format(counter)``: what the bump that made
#: ``counter`` changed.
Changed = tuple[str, int]
CHANGED_KEY = "atlas:generation:changed:{}"
PAGES_CHANGED: Changed = ("pages", 0)

#: A new generation started: sent by ``bump()`` without a sender; the CDN purge listens to it
#: (atlas_pages.publication.frontend_cache).
generation_bumped = Signal()


def next_expiry() -> datetime | None:
    """The next moment an ``expire_at`` of live content passes, a confirmation of "none"
    expires (atlas_pages.publication.completeness) or a live person's term of office ends (the
    start of its last day, local time), None if nothing does: one query, a subquery per table
    hung on the tree's root row."""
    now = timezone.now()
    today = timezone.localdate(now)
    ending = Person.objects.filter(live=True, term_end__gt=today).order_by("term_end")
    holding = ConfirmedNone.objects.filter(confirmed_at__gt=ConfirmedNone.valid_since(now))
    oldest_holding = Subquery(holding.order_by("confirmed_at").values("confirmed_at")[:1])

    def soonest(model: type[Page | Person | SocialAccount]) -> Subquery:
        live = model.objects.filter(live=True, expire_at__gt=now).order_by("expire_at")
        return Subquery(live.values("expire_at")[:1])

    moments = (
        Page.objects.filter(depth=1)
        .annotate(
            pages=soonest(Page),
            people=soonest(Person),
            accounts=soonest(SocialAccount),
            confirmed_none=oldest_holding,
            term_ends=Subquery(ending.values("term_end")[:1]),
        )
        .values_list("pages", "people", "accounts", "confirmed_none", "term_ends")
        .first()
    ) or ()
    if len(moments) == 5:
        if moments[3]:  # when the oldest confirmation still holding expires
            moments = (*moments[:3], moments[3] + review_max_age(), moments[4])
        if moments[4]:  # the start of the day a term ends
            moments = (*moments[:4], _start_of(moments[4]))
    return min((moment for moment in moments if moment), default=None)


def _start_of(day: date | str) -> datetime:
    """The first moment of a day in the site's time zone (SQLite answers a subquery's date
    as text)."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return timezone.make_aware(datetime.combine(day, day_time.min))


def _expiry_timestamp() -> float:
    moment = next_expiry()
    return moment.timestamp() if moment else 0.0


def current() -> str | None:
    """The generation token, or None when the cache cannot be reached (then serve uncached)."""
    found = shared_cache.call_cache("get_many", [COUNTER_KEY, NEXT_EXPIRY_KEY])
    if found is None:
        return None
    counter = found.get(COUNTER_KEY)
    if counter is None:
        # A fresh (or flushed) cache: start from the clock, so no entry of an earlier
        # counter can be mistaken for this one; `add` lets exactly one process win.
        shared_cache.call_cache("add", COUNTER_KEY, _clock_counter(), None)
        counter = shared_cache.call_cache("get", COUNTER_KEY)
        if counter is None:
            return None
    if counter >= MAX_EXACT_COUNTER:  # started in nanoseconds by an earlier release
        shared_cache.call_cache("set", COUNTER_KEY, _clock_counter(), None)
        return current()
    # The next expiry is computed once per generation, and kept with the counter it was
    # computed for: one computed from rows older than a bump is never taken for the new one.
    computed_for, expiry = found.get(NEXT_EXPIRY_KEY) or (None, None)
    if computed_for != counter:
        expiry = _expiry_timestamp()
        shared_cache.call_cache("set", NEXT_EXPIRY_KEY, (counter, expiry), None)
    if expiry and expiry <= time.time():
        bump()
        return current()
    return f"{counter}"


def _bump_now(widening: bool = False, changed: frozenset[Changed] | None = None) -> None:
    if shared_cache.call_cache("add", COUNTER_KEY, _clock_counter(), None) is not False:
        return  # a fresh counter: there is no earlier generation to stand in
    counter = shared_cache.call_cache("incr", COUNTER_KEY)
    if counter is None:
        return
    if changed is not None:
        shared_cache.call_cache(
            "set", CHANGED_KEY.format(counter), changed, settings.ATLAS_SNAPSHOT_TIMEOUT
        )
    if widening and settings.ATLAS_STALE_SECONDS > 0:
        # Written once, for this very counter: a narrowing bump in another process makes a
        # counter of its own, which has no stand-in.
        shared_cache.call_cache(
            "set",
            STAND_IN_KEY.format(counter),
            (counter - 1, time.time()),
            settings.ATLAS_STALE_SECONDS + 60,
        )


def changed_since(token: str, earlier: str) -> frozenset[Changed] | None:
    """The rows changed from generation ``earlier`` to generation ``token`` (see ``Changed``);
    None when some bump between them did not say (or the cache no longer knows)."""
    if not (token.isdigit() and earlier.isdigit()) or not 0 < int(token) - int(earlier) <= 64:
        return None
    keys = [CHANGED_KEY.format(counter) for counter in range(int(earlier) + 1, int(token) + 1)]
    found = shared_cache.call_cache("get_many", keys) or {}
    if len(found) < len(keys):
        return None
    return frozenset().union(*found.values())


def stand_ins(token: str) -> list[str]:
    """The earlier generations whose answers may stand in for generation ``token``'s now,
    newest first: each began less than ATLAS_STALE_SECONDS ago with a widening bump (so the
    answers of the one before it show nothing the public may no longer see), as far back as the
    chain of widening bumps goes (MAX_STAND_INS at most). Empty when the generation began with
    a narrowing bump, or too long ago, or the cache cannot tell."""
    if settings.ATLAS_STALE_SECONDS <= 0 or not token.isdigit():
        return []
    chain = _chains.get(token)
    if chain is None:
        chain = _chain(int(token))
        if chain:  # an empty one may not be written yet (a bump writes it after the counter)
            if len(_chains) >= MAX_KEPT_CHAINS:
                _chains.clear()
            _chains[token] = chain
    oldest_allowed = time.time() - settings.ATLAS_STALE_SECONDS
    recent = itertools.takewhile(lambda link: link[1] >= oldest_allowed, chain)
    return [f"{previous}" for previous, _began in recent]


#: Generation -> its chain of widening generations ((previous, when it began), newest first),
#: kept once read: a chain does not change once its first link is written, and a counter is
#: not used twice (a lost counter starts again from the clock). A stale answer costs one read
#: of the shared cache fewer.
_chains: dict[str, list[tuple[int, float]]] = {}
MAX_KEPT_CHAINS = 64


def _chain(counter: int) -> list[tuple[int, float]]:
    keys = [STAND_IN_KEY.format(counter - back) for back in range(MAX_STAND_INS)]
    found = shared_cache.call_cache("get_many", keys) or {}
    chain = []
    for key in keys:
        if key not in found:
            break
        chain.append(found[key])
    return chain


def forget() -> None:
    """Forget the chains kept (tests: a cleared cache may count from the same clock again)."""
    _chains.clear()


#: A batch in progress in this thread (see ``batch``): its bumps wait for its end.
_batch = threading.local()


@contextmanager
def batch() -> Iterator[None]:
    """Publishes that land together count once: the changes made inside are one transaction
    and make one new generation at its end, not one per item (a bulk action over many
    accounts), so the processes read the atlas again once. Nothing in it is visible to others
    before its end, so holding the bump back serves nothing stale; if it fails, nothing
    changed. Inside another batch it is part of that one."""
    if getattr(_batch, "active", False):
        yield
        return
    _batch.active, _batch.changed, _batch.widening, _batch.rows = True, False, True, frozenset()
    try:
        with transaction.atomic():
            yield
            _batch.active = False
            if _batch.changed:
                bump(widening=_batch.widening, changed=_batch.rows)
    finally:
        _batch.active = _batch.changed = False


def bump(widening: bool = False, changed: Iterable[Changed] | None = None) -> None:
    """Public content changed: start a new generation once the transaction commits (so no
    request that read the old rows can store them under the new token), one per transaction,
    and announce it (after queuing that commit callback, which the CDN purge relies on). With
    ATLAS_BUMP_BEFORE_COMMIT, also at once, for reads later in the same transaction. Inside a
    ``batch``, once at its end, widening only if every change in it widened. ``widening``:
    the change only adds or changes public content (see the module's docstring); ``changed``:
    the rows it changed (see ``Changed``), None when it cannot say."""
    changed = None if changed is None else frozenset(changed)
    if getattr(_batch, "active", False):
        _batch.changed = True
        _batch.widening = _batch.widening and widening
        _batch.rows = _joined(_batch.rows, changed)
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump_now(widening, changed)  # committed already
    else:
        if settings.ATLAS_BUMP_BEFORE_COMMIT:
            _bump_now(widening, changed)
        _bump_at_commit(connection, widening, changed)
    generation_bumped.send(sender=None)


def _joined(
    one: frozenset[Changed] | None, other: frozenset[Changed] | None
) -> frozenset[Changed] | None:
    return None if one is None or other is None else one | other


class _CommitBump:
    """The bump queued for a transaction's commit: one per transaction (a publish saves and
    then says so), widening only if every change in it widened, with every row changed."""

    def __init__(self, widening: bool, changed: frozenset[Changed] | None) -> None:
        self.widening, self.changed = widening, changed

    def __call__(self) -> None:
        _bump_now(self.widening, self.changed)


def _bump_at_commit(
    connection: Any,  # noqa: ANN401 (Django's wrapper)
    widening: bool,
    changed: frozenset[Changed] | None,
) -> None:
    # A bump queued earlier in this transaction is still in its list unless the savepoint it
    # was queued in was rolled back (and with it, any change that could join it).
    queued = next(
        (func for _ids, func, _robust in connection.run_on_commit if type(func) is _CommitBump),
        None,
    )
    if queued is not None:
        queued.widening = queued.widening and widening
        queued.changed = _joined(queued.changed, changed)
    else:
        transaction.on_commit(_CommitBump(widening, changed))


#: What the public sees is made of these: a delete of any of them changes public content.
PUBLIC_CONTENT = (
    Page,
    Person,
    SocialAccount,
    Platform,
    BaseViewRestriction,
    Site,
    Locale,
    # A confirmation of "none" changes a post's cell and the completeness figures.
    ConfirmedNone,
)


#: Per kind of public object, the facts that decide whether and where the public sees it: a
#: publish that changes none of them (or brings an object live) only adds or changes content.
VISIBILITY_FACTS: dict[type[Model], tuple[str, ...]] = {
    Page: ("live", "expire_at", "url_path"),
    Person: (
        "live",
        "expire_at",
        "post_id",
        "role",
        "consent_given_at",
        "consent_withdrawn_at",
        "term_end",
    ),
    SocialAccount: (
        "live",
        "expire_at",
        "post_id",
        "person_id",
        "speaks_for",
        "status",
        "url",
        "platform_id",
    ),
}
#: Set on an instance before a save (``remember_visibility``): its row's facts, None for a new row.
_FACTS_BEFORE = "_atlas_visibility_before"


def _visibility_facts(instance: Model) -> tuple[str, ...] | None:
    return next(
        (facts for model, facts in VISIBILITY_FACTS.items() if isinstance(instance, model)), None
    )


def remember_visibility(
    sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any
) -> None:
    """Before a live page, person or account is saved, what its row says now about whether the
    public sees it (one query by primary key), for ``widens`` to compare with after."""
    instance.__dict__.pop(_FACTS_BEFORE, None)  # an earlier save's
    facts = _visibility_facts(instance)
    if facts is None or raw or not getattr(instance, "live", False):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= EDITORIAL_BOOKKEEPING:
        return
    before = None
    if instance.pk is not None:
        before = type(instance)._base_manager.filter(pk=instance.pk).values(*facts).first()
    setattr(instance, _FACTS_BEFORE, before)


def widens(instance: Model) -> bool:
    """Whether the save just made of ``instance`` only added or changed public content: it
    came live (a new row, or one not live before), or kept every visibility fact."""
    facts = _visibility_facts(instance)
    before = getattr(instance, _FACTS_BEFORE, False)
    if facts is None or before is False:
        return False  # not seen before its save: assume the worst
    if before is None or not before["live"]:
        return True
    return all(before[fact] == getattr(instance, fact) for fact in facts)


def on_publication_event(sender: type[Model], **kwargs: Any) -> None:
    """Publish, unpublish, move or copy of a page; publish or unpublish of a snippet; a
    change the models announce (``public_content_changed``: a withdrawal of consent). Only a
    publish that keeps what decides visibility widens."""
    publish = kwargs.get("signal") in (signals.page_published, signals.published)
    instance = kwargs.get("instance")
    bump(
        widening=publish and instance is not None and widens(instance),
        changed=rows_of(instance or sender),
    )


def rows_of(changed: Model | type[Model]) -> frozenset[Changed] | None:
    """The atlas's rows a change of this object (or of some object of this model) changes:
    its own for an account or a person, the page tree for a page, a view restriction, a site
    or a locale (links and what is public), none for a confirmation of "none" (the coverage is
    read anew every generation); None (anything) for the rest (a platform is in every
    account's row)."""
    model = changed if isinstance(changed, type) else type(changed)
    if issubclass(model, SocialAccount | Person):
        if isinstance(changed, type) or changed.pk is None:
            return None
        return frozenset(
            {("account" if issubclass(model, SocialAccount) else "person", changed.pk)}
        )
    if issubclass(model, Page | BaseViewRestriction | Site | Locale):
        return frozenset({PAGES_CHANGED})
    if issubclass(model, ConfirmedNone):
        return frozenset()
    return None


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
    if signal is post_delete:
        bump()  # what it took with it, or set to null (an account's person), sends no signal
    elif not isinstance(instance, DraftStateMixin):
        bump(changed=rows_of(instance))
    elif instance.live and not (update_fields and set(update_fields) <= EDITORIAL_BOOKKEEPING):
        # A publish saves the object, then says so (on_publication_event): the same widening.
        bump(widening=widens(instance), changed=rows_of(instance))


def connect_signals() -> None:
    """Bump on every change of public content (called by AtlasPagesConfig.ready())."""
    for signal in (
        signals.page_published,
        signals.page_unpublished,
        signals.post_page_move,
        signals.published,
        signals.unpublished,
        public_content_changed,
    ):
        signal.connect(on_publication_event, dispatch_uid="atlas_generation")
    for signal in (post_save, post_delete):
        signal.connect(on_saved_or_deleted, dispatch_uid="atlas_generation")
    pre_save.connect(remember_visibility, dispatch_uid="atlas_generation")
