"""The changes feed: which public accounts, people and posts were added, changed or removed
since a moment, for front ends that sync incrementally and for feed readers.

Removals cannot be read from the current rows (a deleted account has none; a post that went
private still looks live), so the public set itself is recorded: once per publication
generation, the public atlas of every language is reduced to a fingerprint per object
(``PublicSnapshot``) and diffed against the previous generation's, and the differences are
appended as ``PublicChange`` rows. Only what was in the public atlas is ever recorded, so a
draft, an item in moderation or a private page can appear only as the removal of something
that was public before, by its id.

Recording happens when a changes surface is asked and the generation has moved on since the
last snapshot (one per process per generation checks; the answer is cached with the
generation like every other). Changes are therefore net changes between the generations that
were asked about, stamped with the moment they were recorded: never earlier than the moment a
client could have seen them, so ``since`` = the latest ``at`` a client has seen misses nothing.
The snapshots form one chain (``previous_generation`` is unique): of two processes recording
the same step at once one wins, the other's transaction is rolled back.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from atlas_pages.models import PublicChange, PublicSnapshot
from atlas_pages.publication import public_atlas
from atlas_pages.publication.public_atlas import PublicAtlas
from atlas_pages.publication.records import Account, Person, Post
from atlas_pages.rules import languages

Kind = PublicChange.Kind
Action = PublicChange.Action
#: Public records, by kind.
Record = Account | Person | Post

_recorded = {"generation": None}
_recorded_lock = threading.Lock()


@dataclass(slots=True, eq=False)
class Change:
    """One object's change: for an addition or change the object as the public sees it now;
    for a removal (a tombstone) only its kind, id and moment."""

    kind: PublicChange.Kind
    id: int
    action: PublicChange.Action
    at: datetime
    record: Record | None = None
    #: The change row's id (the Atom feed's entry ids).
    pk: int = 0


def _fingerprint(*facts: object) -> str:
    return hashlib.blake2b(repr(facts).encode(), digest_size=8).hexdigest()


def _id(record: object) -> int | None:
    return record.id if record is not None else None


def public_objects(atlas: PublicAtlas) -> Iterator[tuple[str, Record, str]]:
    """Each public account, person and post of one language: (key, record, fingerprint of
    what the public API shows of it)."""
    for post in atlas.posts:
        location = (post.location.lat, post.location.lng) if post.location else None
        facts = (post.name, post.slug, post.url, post.kind.value, post.city, post.address)
        facts += (post.website, location, post.country.id, post.country.code, post.country.name)
        yield f"{Kind.POST}:{post.id}", post, _fingerprint(*facts)
    for person in atlas.people:
        facts = (person.name, person.role.value, person.job_title, _id(person.post))
        yield f"{Kind.PERSON}:{person.id}", person, _fingerprint(*facts)
    for account in atlas.accounts:
        facts = (account.platform.slug, account.platform.name, account.handle, account.url)
        facts += (account.name, account.language, account.kind.value, _id(account.person))
        facts += (_id(account.post), _id(account.country))
        yield f"{Kind.ACCOUNT}:{account.id}", account, _fingerprint(*facts)


def _records(atlas: PublicAtlas) -> dict[tuple[str, int], Record]:
    """The public records of one language by (kind, id)."""
    records: dict[tuple[str, int], Record] = {}
    for kind, found in ((Kind.POST, atlas.posts), (Kind.PERSON, atlas.people)):
        records.update(((kind.value, record.id), record) for record in found)
    records.update(((Kind.ACCOUNT.value, account.id), account) for account in atlas.accounts)
    return records


def record(token: str | None, atlases: dict[str, PublicAtlas]) -> None:
    """Record the changes from the last snapshot to this generation's atlases, once: a no-op
    for a generation this process recorded already, an older one, or an unknown one (the
    shared cache down)."""
    if token is None:
        return
    generation = int(token)
    with _recorded_lock:
        if _recorded["generation"] is not None and _recorded["generation"] >= generation:
            return
    latest = PublicSnapshot.objects.order_by("-generation").values("id", "generation").first()
    if latest is None or latest["generation"] < generation:
        previous = PublicSnapshot.objects.get(pk=latest["id"]).fingerprints if latest else None
        try:
            _append(generation, latest["generation"] if latest else 0, previous, atlases)
        except IntegrityError:
            pass  # another process recorded this step first: its rows stand
    with _recorded_lock:
        _recorded["generation"] = max(_recorded["generation"] or 0, generation)


def _append(
    generation: int,
    previous_generation: int,
    previous: dict[str, dict[str, str]] | None,
    atlases: dict[str, PublicAtlas],
) -> None:
    """One step of the chain: the new snapshot and its change rows, all or nothing. Without a
    previous snapshot (the first recording) every public object is added."""
    now = timezone.now()
    fingerprints = {
        language: {key: mark for key, _record, mark in public_objects(atlas)}
        for language, atlas in atlases.items()
    }
    rows = []
    for language, current in fingerprints.items():
        before = (previous or {}).get(language, {})
        for key, mark in current.items():
            if key not in before:
                rows.append((language, key, Action.ADDED))
            elif before[key] != mark:
                rows.append((language, key, Action.CHANGED))
        rows += [(language, key, Action.REMOVED) for key in before if key not in current]
    changes = []
    for language, key, action in rows:
        kind, object_id = key.split(":")
        changes.append(
            PublicChange(
                generation=generation,
                language=language,
                kind=kind,
                object_id=int(object_id),
                action=action,
                at=now,
            )
        )
    with transaction.atomic():
        PublicSnapshot.objects.create(
            generation=generation,
            previous_generation=previous_generation,
            taken_at=now,
            fingerprints=fingerprints,
        )
        PublicChange.objects.bulk_create(changes, batch_size=2000)
        # Only the newest snapshot is diffed against; the rows stay to keep the chain unique.
        PublicSnapshot.objects.filter(generation__lt=generation).exclude(fingerprints={}).update(
            fingerprints={}
        )


def _current(language: str | None) -> PublicAtlas:
    """The public atlas in the language, with this generation's changes recorded."""
    language = languages.content_language(language)
    token, atlases = public_atlas.public_atlases()
    record(token, atlases)
    return atlases[language]


def changes_since(since: datetime, language: str | None = None) -> list[Change]:
    """Each object changed after ``since`` once, by its last change: removed (a tombstone), or
    added (it was not public at ``since``) or changed, with the object as it is now. Oldest
    first. Raises LookupError for an unknown language."""
    atlas = _current(language)
    if timezone.is_naive(since):
        since = since.replace(tzinfo=UTC)
    try:
        since = since.astimezone(UTC)
    except OverflowError:  # an offset past the calendar's ends (year 1 or 9999)
        since = (
            datetime.min.replace(tzinfo=UTC)
            if since.year == 1
            else datetime.max.replace(tzinfo=UTC)
        )
    rows = (
        PublicChange.objects.filter(language=atlas.language, at__gt=since)
        .order_by("at", "id")
        .values_list("id", "kind", "object_id", "action", "at")
    )
    first_action: dict[tuple[str, int], str] = {}
    last: dict[tuple[str, int], tuple] = {}
    for row in rows:
        key = (row[1], row[2])
        first_action.setdefault(key, row[3])
        last.pop(key, None)  # re-inserted: ordered by its last change
        last[key] = row
    records = _records(atlas) if last else {}
    changes = []
    for key, (pk, kind, object_id, action, at) in last.items():
        found = records.get(key) if action != Action.REMOVED else None
        if found is None:
            action = Action.REMOVED
        elif first_action[key] == Action.ADDED:
            action = Action.ADDED
        else:
            action = Action.CHANGED
        changes.append(Change(Kind(kind), object_id, Action(action), at, found, pk))
    return changes


def recent(language: str | None = None, limit: int = 100) -> list[Change]:
    """The latest change rows, newest first, each with its object as the public sees it now
    (None when it is not public now): the log the Atom feed shows."""
    atlas = _current(language)
    rows = (
        PublicChange.objects.filter(language=atlas.language)
        .order_by("-at", "-id")
        .values_list("id", "kind", "object_id", "action", "at")[:limit]
    )
    rows = list(rows)
    records = _records(atlas) if rows else {}
    return [
        Change(
            Kind(kind),
            object_id,
            Action(action),
            at,
            records.get((kind, object_id)) if action != Action.REMOVED else None,
            pk,
        )
        for pk, kind, object_id, action, at in rows
    ]
