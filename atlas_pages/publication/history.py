"""The public atlas as it was at a past moment, rebuilt from the changes log.

The rule: the changes log (atlas_pages.publication.changes) keeps, with every addition and
change of a public post, person or account, what the public API showed of it then (its content,
in a compact JSON form, per language); a removal keeps only its tombstone. The atlas as of a
moment is, per language, the latest content of each object recorded at or before that moment,
minus the objects whose latest row is a removal, linked again into the read model's own records
(atlas_pages.publication.records) so that every surface reading a PublicAtlas reads it unchanged.
Storage grows with the changes, not with the atlas times the generations: an object that does
not change is recorded once.

Only what was in the public atlas is ever recorded (the log is made from it), so a draft, an
item in moderation or a private page can never appear in a past answer.

Resolution: the log records a generation when the scheduler runs (every minute, see
run_scheduled_publishing) and when a changes or history surface is asked, stamped with the
moment it was recorded, never earlier than a visitor could have seen it. So the past is known at
the granularity the log was recorded at: a change is dated at most one scheduler interval late,
and a change undone before the log recorded it was never in the history.

The history begins at the first recording that kept contents (the first snapshot with
``contents``: it recorded every public object's); a moment before that is refused
(BeforeHistory), a moment from now on answers with the current atlas.

What a past answer does not hold: each account's activity (followers, latest posts) and its
evidence, which are read from the platforms and re-confirmed all the time; countries without a
public post or account (a country is known through the posts and accounts recorded in it);
coverage and completeness use today's confirmations of "none" over the past's accounts.

Consent comes first: a person's own accounts (speaking for the person, not an office) are
public only while the person's consent stands, and that holds for the past too: when a person
withdraws consent, their personal accounts leave every past answer as well as the present one
(the person stays where they were public, as today's atlas keeps them); consent given again
brings them back. The rule is applied when a past answer is built, from the people's consent
now (one query), so no withdrawal can be missed by a log recorded before it.
"""

from __future__ import annotations

import threading
import uuid
from datetime import date, datetime

from django.utils import timezone

from atlas_pages import models
from atlas_pages.models import PublicChange, PublicSnapshot
from atlas_pages.publication import changes, public_atlas
from atlas_pages.publication.public_atlas import (
    PublicAtlas,
    _account_order,
    _linked_countries,
    _linked_people,
    _person_order,
)
from atlas_pages.publication.records import (
    Account,
    Country,
    PageLink,
    Person,
    Platform,
    Point,
    Post,
)
from atlas_pages.rules import languages
from atlas_pages.rules.text import sort_key

Kind = PublicChange.Kind
#: The most past atlases kept per process (by generation, language and moment): one request
#: asking several roots as of one moment, or a crowd asking the same, rebuilds it once.
MAX_REMEMBERED = 16

_built: dict[tuple[str | None, str, datetime], PublicAtlas] = {}
_built_lock = threading.Lock()


class BeforeHistory(LookupError):
    """A moment before the history begins: the log cannot tell what was public then."""

    def __init__(self, moment: datetime, begins: datetime | None) -> None:
        self.moment = moment
        self.begins = begins
        if begins is None:
            message = "The atlas's history has not been recorded yet."
        else:
            message = (
                f"asOf {moment.isoformat()} is before the atlas's history begins "
                f"({begins.isoformat()}): ask for a moment from then on."
            )
        super().__init__(message)


def forget() -> None:
    """Drop the past atlases kept (tests)."""
    with _built_lock:
        _built.clear()


def begins() -> tuple[datetime, int] | None:
    """When the history begins and its first generation; None before anything was recorded."""
    found = (
        PublicSnapshot.objects.filter(contents=True)
        .order_by("generation")
        .values_list("taken_at", "generation")
        .first()
    )
    return tuple(found) if found else None


def atlas_as_of(moment: datetime, language: str | None = None) -> PublicAtlas:
    """The public atlas in the language as it was at ``moment`` (see the module's rule): the
    current atlas for a moment from now on. Records this generation's changes first. Raises
    BeforeHistory before the history begins, LookupError for an unknown language."""
    language = languages.content_language(language)
    token, atlases = public_atlas.public_atlases()
    changes.record(token, atlases)
    current = atlases[language]
    moment = changes.as_utc(moment)
    if moment >= timezone.now():
        return current
    # Within a generation a past answer cannot change: the log's next rows are stamped later.
    key = (token, language, moment)
    with _built_lock:
        found = _built.get(key) if token is not None else None
    if found is not None:
        return found
    atlas = _read(moment, language, current)
    if token is not None:
        with _built_lock:
            if len(_built) >= MAX_REMEMBERED and key not in _built:
                _built.pop(next(iter(_built)))
            _built[key] = atlas
    return atlas


def _read(moment: datetime, language: str, current: PublicAtlas) -> PublicAtlas:
    """The atlas at a past moment read from the log: two queries (and one for consent)."""
    start = begins()
    if start is None or moment < start[0]:
        raise BeforeHistory(moment, start[0] if start else None)
    rows = (
        PublicChange.objects.filter(language=language, generation__gte=start[1], at__lte=moment)
        .order_by("at", "id")
        .values_list("kind", "object_id", "action", "at", "content")
    )
    latest: dict[tuple[str, int], dict] = {}
    last_change = None
    for kind, object_id, action, at, content in rows:
        latest.pop((kind, object_id), None)  # re-inserted: ordered by its last change
        if action != PublicChange.Action.REMOVED and content is not None:
            latest[kind, object_id] = content
        last_change = at
    return _rebuild(language, current, latest, last_change)


def _rebuild(
    language: str,
    current: PublicAtlas,
    contents: dict[tuple[str, int], dict],
    last_change: datetime | None,
) -> PublicAtlas:
    """The records of these contents (ordered by their last change), linked as the read model
    links them."""
    by_kind: dict[str, list[dict]] = {kind.value: [] for kind in Kind}
    for (kind, _id), content in contents.items():
        by_kind[kind].append(content)
    withdrawn = _without_consent(by_kind[Kind.ACCOUNT])
    countries: dict[int, Country] = {}
    for content in (*by_kind[Kind.POST], *by_kind[Kind.ACCOUNT]):
        country = content["country"]
        if country is not None:  # the latest recorded wins (ordered by the last change)
            countries[country["id"]] = _country(country)
    posts = {content["id"]: _post(content, countries) for content in by_kind[Kind.POST]}
    people = {content["id"]: _person(content, posts) for content in by_kind[Kind.PERSON]}
    platforms: dict[int, Platform] = {}
    for content in by_kind[Kind.ACCOUNT]:
        platform = content["platform"]
        platforms[platform["id"]] = Platform(**platform)
    accounts = [
        _account(content, platforms, people, posts, countries)
        for content in by_kind[Kind.ACCOUNT]
        if not (
            content["person"] in withdrawn
            and content["speaks_for"] == models.SocialAccount.SpeaksFor.PERSON
        )
    ]
    people_a_z = sorted(people.values(), key=_person_order)
    accounts.sort(key=_account_order)
    _linked_people(people_a_z, posts.values(), accounts)
    posts_a_z = sorted(posts.values(), key=lambda post: (sort_key(post.name), post.id))
    # Only countries with a public post in this language are listed (as the read model does).
    listed = {post.country.id: post.country for post in posts_a_z}
    atlas = PublicAtlas(
        language=language,
        locale_id=current.locale_id,
        countries=_linked_countries(listed.values(), posts_a_z),
        posts=posts_a_z,
        people=people_a_z,
        accounts=accounts,
        person_ids={person_id: person_id for person_id in people},
        page_keys={post.id: post.translation_key for post in posts_a_z},
        page_links=_page_links(language, current, [*listed.values(), *posts_a_z]),
        home_links=current.home_links,
        last_page_change=None,
    )
    atlas.figures.last_published_at = last_change
    return atlas


def _page_links(
    language: str, current: PublicAtlas, pages: list[Country | Post]
) -> dict[uuid.UUID, dict[str, PageLink]]:
    """The past pages' links in their language, on today's site address (the open data's
    absolute URLs); their other languages' are not kept."""
    home = current.home_links.get(language)
    root = ""
    if home is not None and home.full_url.endswith(home.url):
        root = home.full_url[: len(home.full_url) - len(home.url)]
    return {
        page.translation_key: {language: PageLink(language, page.url, root + page.url)}
        for page in pages
    }


def _without_consent(accounts: list[dict]) -> set[int]:
    """The people of these personal accounts whose consent does not stand now (withdrawn, or
    the person no longer exists): one query, none without personal accounts."""
    personal = models.SocialAccount.SpeaksFor.PERSON
    owners = {c["person"] for c in accounts if c["person"] and c["speaks_for"] == personal}
    if not owners:
        return set()
    standing = {
        person_id
        for person_id, given, withdrawn in models.Person.objects.filter(pk__in=owners).values_list(
            "pk", "consent_given_at", "consent_withdrawn_at"
        )
        if models.consent_stands(given, withdrawn)
    }
    return owners - standing


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _point(value: list[float] | None) -> Point | None:
    return Point(lat=value[0], lng=value[1]) if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _country(content: dict) -> Country:
    return Country(
        id=content["id"],
        translation_key=_uuid(content["translation_key"]),
        code=content["code"],
        name=content["name"],
        slug=content["slug"],
        url=content["url"],
        location=_point(content["location"]),
        last_published_at=None,
    )


def _post(content: dict, countries: dict[int, Country]) -> Post:
    return Post(
        id=content["id"],
        translation_key=_uuid(content["translation_key"]),
        name=content["name"],
        slug=content["slug"],
        url=content["url"],
        kind=models.PostPage.Kind(content["kind"]),
        city=content["city"],
        address=content["address"],
        website=content["website"],
        location=_point(content["location"]),
        country=countries[content["country"]["id"]],
        last_published_at=None,
    )


def _person(content: dict, posts: dict[int, Post]) -> Person:
    return Person(
        id=content["id"],
        name=content["name"],
        role=models.Person.Role(content["role"]),
        job_title=content["job_title"],
        post=posts.get(content["post"]) if content["post"] is not None else None,
        post_key=_uuid(content["post_key"]),
        country_code=content["country_code"],
        last_published_at=None,
        translation_key=_uuid(content["translation_key"]),
    )


def _account(
    content: dict,
    platforms: dict[int, Platform],
    people: dict[int, Person],
    posts: dict[int, Post],
    countries: dict[int, Country],
) -> Account:
    country = content["country"]
    return Account(
        id=content["id"],
        platform=platforms[content["platform"]["id"]],
        form=models.SocialAccount.Form(content["form"]),
        form_label=content["form_label"],
        handle=content["handle"],
        url=content["url"],
        normalized_url=content["normalized_url"],
        name=content["name"],
        language=content["language"],
        kind=models.SocialAccount.Kind(content["kind"]),
        speaks_for=models.SocialAccount.SpeaksFor(content["speaks_for"]),
        status=models.SocialAccount.Status(content["status"]),
        new_url=content["new_url"],
        person=people.get(content["person"]) if content["person"] is not None else None,
        post=posts.get(content["post"]) if content["post"] is not None else None,
        country=countries[country["id"]] if country is not None else None,
        post_key=_uuid(content["post_key"]),
        country_code=content["country_code"],
        last_published_at=None,
        country_key=_uuid(content["country_key"]),
        first_published_at=_moment(content["first_published_at"]),
        status_since=_day(content["status_since"]),
        identity=content["identity"],
    )
