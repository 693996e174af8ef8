"""The version of a country's or a post's page in a public atlas: a digest of everything the page
is rendered from. A page whose version is the same in two publication generations renders the
same, so the response cache keeps its answer across publishes elsewhere (cms.response_cache):
a publish in Japan does not render Argentina again.

The version covers the records of atlas_pages.site.page_contexts and the templates: the country
or post with everything under it (a country's posts; a post's accounts, people and their
accounts, coverage cells and completeness), the places and people they name (by id, name, title
and URL), the page's translations and the home pages (language switcher, hreflang links,
breadcrumbs), and the day (a post page's follower chart ends today). A field no template shows
only makes the version change more often; a missing one would keep an answer that is out of
date, which tests/atlas_pages/publication/test_page_versions.py rules out by rendering every page
before and after changes.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import io
import operator
import pickle
import uuid
from datetime import date, datetime

from django.utils import timezone

from atlas_pages.publication.records import Country, PageLink, Person, Platform, Post


@dataclasses.dataclass(frozen=True, slots=True)
class PageVersion:
    """A rendered page's version, as the view leaves it on the request for the response cache:
    the atlas's language, the kind of page ("country" or "post"), its id and its version."""

    language: str
    kind: str
    page_id: int
    version: str


def context(
    record: Country | Post,
    language: str,
    home_links: dict[str, PageLink],
    page_links: dict[str, PageLink],
    post_versions: tuple[str, ...] = (),
) -> tuple:
    """What a page shows beyond its record and what the record owns: the day, the links, its
    posts' versions, its coverage (cells and completeness: they count every platform of the
    atlas). Cheap: an atlas that took a record over from the previous one (the same object)
    keeps its version when the context is the same (PublicAtlas.page_version)."""
    coverage = [_expanded(record.completeness)]
    if isinstance(record, Post):
        coverage.append(tuple(_expanded(cell) for cell in record.coverage))
    return (
        language,
        timezone.localdate().isoformat(),
        _links(home_links),
        _links(page_links),
        post_versions,
        tuple(coverage),
    )


def of(record: Country | Post, page_context: tuple) -> str:
    """The version of the page of a public country or post in its context (see ``context``):
    a digest of both."""
    # Pickled without its memo (``fast``): equal facts give equal bytes in every process.
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump((page_context, _expanded(record)))
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).hexdigest()


def _links(links: dict[str, PageLink]) -> tuple:
    return tuple(sorted((language, link.url, link.full_url) for language, link in links.items()))


#: Not facts: the atlas's coverage (a callable; its figures are added from the properties) and
#: a country's posts (their versions are given).
SKIPPED_FIELDS = {"coverage_of", "posts"}
#: Values that stand for themselves.
PLAIN = {str, int, float, bool, type(None), date}


@functools.cache
def _fields(cls: type) -> operator.attrgetter:
    """A record's fields as a tuple (one call, in C)."""
    names = [field.name for field in dataclasses.fields(cls) if field.name not in SKIPPED_FIELDS]
    return operator.attrgetter(*names)


def _expanded(record: object) -> tuple:
    """A record and what it owns (the records in its lists), with the records it refers to
    (a post's country, an account's person) as references: so every cycle is cut."""
    facts = [type(record).__name__]
    facts += [
        value if type(value) in PLAIN else _fact(value) for value in _fields(type(record))(record)
    ]
    return tuple(facts)


def _fact(value: object) -> object:
    kind = type(value)
    if kind in PLAIN:
        return value
    convert = CONVERSIONS.get(kind)
    if convert is not None:
        return convert(value)
    if isinstance(value, enum.Enum):
        return value._value_  # the attribute behind the ``value`` property (a call less)
    return _expanded(value)  # a record of its own (a point, the followers): anything else fails


def _owned(items: list | tuple) -> tuple:
    """What a record owns (a post's accounts): records expanded, a platform referred to."""
    return tuple(
        _fact(item) if type(item) in REFERRED_WHEN_OWNED else _expanded(item) for item in items
    )


#: Items of a record's lists that stand for themselves or are referred to, not expanded.
REFERRED_WHEN_OWNED = {*PLAIN, datetime, uuid.UUID, Platform}
#: How a value that is neither plain nor a record of the page's own stands in its facts.
CONVERSIONS = {
    # An instant (a page shows it in the site's time zone): pickling a time zone costs more
    # than the rest.
    datetime: datetime.timestamp,
    uuid.UUID: operator.attrgetter("int"),
    list: _owned,
    tuple: _owned,
    # Never its count over the whole atlas (the home page's).
    Platform: operator.attrgetter("id", "slug", "name", "sort_order", "profile_path"),
    # Places and people the page names.
    Country: lambda country: ("Country", country.id, country.name, country.url),
    Post: lambda post: ("Post", post.id, post.name, post.url),
    Person: lambda person: ("Person", person.id, person.name, person.title),
}
