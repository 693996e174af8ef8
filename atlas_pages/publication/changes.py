"""The changes feed: which public accounts, people and posts were added, changed or removed
since a moment, for front ends that sync incrementally and for feed readers.

Removals cannot be read from the current rows (a deleted account has none; a post that went
private still looks live), so the public set itself is recorded: once per publication
generation, the public atlas of every language is reduced to what the public API shows of
each object (its content, a compact JSON form) and that to a fingerprint (``PublicSnapshot``),
diffed against the previous generation's, and the differences are appended as ``PublicChange``
rows, an addition or change with its content: the history (atlas_pages.publication.history)
rebuilds the atlas of a past moment from them. Only what was in the public atlas is ever
recorded, so a draft, an item in moderation or a private page can appear only as the removal of
something that was public before, by its id.

Recording happens every time the scheduler runs (run_scheduled_publishing), and when a changes
or history surface is asked, if the generation has moved on since the last snapshot (one per
process per generation checks; the answer is cached with the
generation like every other). Changes are therefore net changes between the generations that
were asked about, stamped with the moment they were recorded: never earlier than the moment a
client could have seen them, so ``since`` = the latest ``at`` a client has seen misses nothing.

The first step that records contents (``PublicSnapshot.contents``, after migration 0022) is the
history's baseline: it records every public object's content, an unchanged one as a change
(feed clients fetch it once more; earlier fingerprints covered less, e.g. not an account's
status, which the feed now reports as a change).

The snapshots form one chain (``previous_generation`` is unique): of two processes recording
the same step at once one wins, the other's transaction is rolled back.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from atlas_pages.models import PublicChange, PublicSnapshot
from atlas_pages.publication import public_atlas
from atlas_pages.publication.public_atlas import PublicAtlas
from atlas_pages.publication.records import Account, Country, Person, Point, Post
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


def _fingerprint(content: dict) -> str:
    return hashlib.blake2b(json.dumps(content, sort_keys=True).encode(), digest_size=8).hexdigest()


def _id(record: object) -> int | None:
    return record.id if record is not None else None


def _moment(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _key(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def _point(point: Point | None) -> list[float] | None:
    return [point.lat, point.lng] if point is not None else None


def _country_content(country: Country | None) -> dict | None:
    if country is None:
        return None
    return {
        "id": country.id,
        "translation_key": _key(country.translation_key),
        "code": country.code,
        "name": country.name,
        "slug": country.slug,
        "url": country.url,
        "location": _point(country.location),
    }


def post_content(post: Post) -> dict:
    """What the public API shows of a post (and of its country), as JSON."""
    return {
        "id": post.id,
        "translation_key": _key(post.translation_key),
        "name": post.name,
        "slug": post.slug,
        "url": post.url,
        "kind": post.kind.value,
        "city": post.city,
        "address": post.address,
        "website": post.website,
        "location": _point(post.location),
        "country": _country_content(post.country),
    }


def person_content(person: Person) -> dict:
    """What the public API shows of a person (its post by id), as JSON."""
    return {
        "id": person.id,
        "name": person.name,
        "role": person.role.value,
        "job_title": person.job_title,
        "post": _id(person.post),
        "post_key": _key(person.post_key),
        "country_code": person.country_code,
        "translation_key": _key(person.translation_key),
    }


def account_content(account: Account) -> dict:
    """What the public API shows of an account (its owners by id, its platform and country
    whole), as JSON. Not its activity (followers, latest posts: read from the platforms, they
    would change every day) nor its evidence (re-confirmed on every check)."""
    platform = account.platform
    return {
        "id": account.id,
        "platform": {
            "id": platform.id,
            "slug": platform.slug,
            "name": platform.name,
            "sort_order": platform.sort_order,
            "hosts": platform.hosts,
            "profile_path": platform.profile_path,
        },
        "form": account.form.value,
        "form_label": account.form_label,
        "handle": account.handle,
        "url": account.url,
        "normalized_url": account.normalized_url,
        "name": account.name,
        "language": account.language,
        "kind": account.kind.value,
        "speaks_for": account.speaks_for.value,
        "status": account.status.value,
        "new_url": account.new_url,
        "person": _id(account.person),
        "post": _id(account.post),
        "country": _country_content(account.country),
        "post_key": _key(account.post_key),
        "country_key": _key(account.country_key),
        "country_code": account.country_code,
        "first_published_at": _moment(account.first_published_at),
        "status_since": _moment(account.status_since),
        "identity": account.identity,
    }


def public_objects(atlas: PublicAtlas) -> Iterator[tuple[str, Record, dict, str]]:
    """Each public account, person and post of one language: (key, record, what the public
    API shows of it as JSON, the fingerprint of that)."""
    for kind, found, content_of in (
        (Kind.POST, atlas.posts, post_content),
        (Kind.PERSON, atlas.people, person_content),
        (Kind.ACCOUNT, atlas.accounts, account_content),
    ):
        for item in found:
            content = content_of(item)
            yield f"{kind}:{item.id}", item, content, _fingerprint(content)


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
    latest = (
        PublicSnapshot.objects.order_by("-generation")
        .values("id", "generation", "contents")
        .first()
    )
    if latest is None or latest["generation"] < generation:
        previous = PublicSnapshot.objects.get(pk=latest["id"]).fingerprints if latest else None
        try:
            _append(
                generation,
                latest["generation"] if latest else 0,
                previous,
                atlases,
                baseline=not (latest and latest["contents"]),
            )
        except IntegrityError:
            pass  # another process recorded this step first: its rows stand
    with _recorded_lock:
        _recorded["generation"] = max(_recorded["generation"] or 0, generation)


def record_now() -> None:
    """Record the current generation's changes if it moved on (the scheduler's every run):
    one read of the generation when nothing changed."""
    token, atlases = public_atlas.public_atlases()
    record(token, atlases)


def forget() -> None:
    """Forget which generation this process recorded (tests; the log is in the database)."""
    with _recorded_lock:
        _recorded["generation"] = None


def _append(
    generation: int,
    previous_generation: int,
    previous: dict[str, dict[str, str]] | None,
    atlases: dict[str, PublicAtlas],
    baseline: bool = False,
) -> None:
    """One step of the chain: the new snapshot and its change rows, all or nothing. Without a
    previous snapshot (the first recording) every public object is added. Additions and changes
    carry the object's content (the history's); a ``baseline`` (the first step that records
    contents) carries every public object's, an unchanged one as a change."""
    now = timezone.now()
    fingerprints: dict[str, dict[str, str]] = {}
    contents: dict[str, dict[str, dict]] = {}
    for language, atlas in atlases.items():
        fingerprints[language], contents[language] = {}, {}
        for key, _record, content, mark in public_objects(atlas):
            fingerprints[language][key] = mark
            contents[language][key] = content
    rows = []
    for language, current in fingerprints.items():
        before = (previous or {}).get(language, {})
        for key, mark in current.items():
            if key not in before:
                rows.append((language, key, Action.ADDED))
            elif before[key] != mark or baseline:
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
                content=contents[language][key] if action != Action.REMOVED else None,
            )
        )
    with transaction.atomic():
        PublicSnapshot.objects.create(
            generation=generation,
            previous_generation=previous_generation,
            taken_at=now,
            fingerprints=fingerprints,
            contents=True,
        )
        PublicChange.objects.bulk_create(changes, batch_size=2000)
        # Only the newest snapshot is diffed against; the rows stay to keep the chain unique.
        PublicSnapshot.objects.filter(generation__lt=generation).exclude(fingerprints={}).update(
            fingerprints={}
        )


def current_atlas(language: str | None) -> PublicAtlas:
    """The public atlas in the language, with this generation's changes recorded."""
    language = languages.content_language(language)
    token, atlases = public_atlas.public_atlases()
    record(token, atlases)
    return atlases[language]


def as_utc(moment: datetime) -> datetime:
    """The moment in UTC (a naive one read as UTC; an offset past the calendar's ends clamped
    to them)."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # an offset past the calendar's ends (year 1 or 9999)
        if moment.year == 1:
            return datetime.min.replace(tzinfo=UTC)
        return datetime.max.replace(tzinfo=UTC)


def changes_since(since: datetime, language: str | None = None) -> list[Change]:
    """Each object changed after ``since`` once, by its last change: removed (a tombstone), or
    added (it was not public at ``since``) or changed, with the object as it is now. Oldest
    first. Raises LookupError for an unknown language."""
    atlas = current_atlas(language)
    since = as_utc(since)
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
    atlas = current_atlas(language)
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
