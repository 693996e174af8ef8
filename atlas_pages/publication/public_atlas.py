"""The public atlas: everything visitors and API clients may see, in one content language.

This is the atlas's read model. The site's pages, the GraphQL API and the CDN purge read it and
nothing else, so each question the public surfaces ask (the tree of countries and posts, a
post's accounts and people, the headline figures and the last change, search and its ranking,
the account behind a profile URL) has one answer, computed here once.

The publication rule: a page is public when it and every ancestor is live, not expired (an
``expire_at`` in the past counts even before ``publish_scheduled`` runs) and without a view
restriction. A person or account is public when it is live and not expired and its owner is
public: the post it serves at or belongs to (a page, public in its own language), or for an
account the person who owns it. An account that speaks for a person (not for an office) is
public only while that person's consent stands (given, not withdrawn); a closed account never.

An ended term of office (``Person.term_end`` on or before today, applied here from the stored
date, so the passing of the day narrows without anyone saving; the publication generation sees
the day coming): the person stays public, no longer listed where they served (their post's
people, the ministry's top) but as "formerly <job title> at <post>" (``Person.formerly_at``;
``post`` None). Their own accounts (speaking for the person) stay public and findable (the verify
page, ``accountByUrl``, search, their id, the person's accounts) but are listed under no post or
country (not on the post or country page, the map, a post's counts or the API's
``post.accounts``): ``Account.formerly_at`` names the post, ``post`` and ``country`` are None.
Their position accounts (speaking for the office) stay with the post: listed among the post's
own accounts, with no person, until the press desk hands them over to a successor
(atlas_pages.editorial.handovers).
People and accounts are language-neutral; in each language they
hang on the translation of their post (matched by translation key). A person is its
default-language row; a live translation of it (same translation key) gives only its job title
in that language.

``load()`` reads the atlas in three SQL queries however large it is: the page tree with the
columns of each country and post (joins, no subquery per row), the live people, the live
accounts with their platforms and activity. The rule is then applied once, over those rows, in
Python. ``public_atlas()`` keeps the rows read, and the atlas of each language built from them
when first asked for, for as long as the publication generation
(atlas_pages.publication.generation) stays
the same: the first request after any publish, in any process, reads them anew.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import functools
import gc
import hashlib
import logging
import operator
import pickle
import threading
import time
import uuid
import weakref
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from django import db
from django.conf import settings
from django.db.models import FilteredRelation, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from atlas_pages import models
from atlas_pages.publication import (
    completeness,
    generation,
    impersonation,
    page_versions,
    shared_cache,
)
from atlas_pages.publication.records import (
    Account,
    Country,
    Coverage,
    Evidence,
    Figures,
    FollowerPoint,
    Followers,
    FormCount,
    PageLink,
    Person,
    Platform,
    PlatformCount,
    Point,
    Post,
    RecentPost,
    SearchHit,
    Verdict,
    VerdictKind,
)
from atlas_pages.rules import pasted, places, profile_urls
from atlas_pages.rules.languages import content_language
from atlas_pages.rules.moments import parse_moment
from atlas_pages.rules.places import iso_code
from atlas_pages.rules.text import search_words, sort_key

logger = logging.getLogger(__name__)

#: The deepest level of the page tree the atlas reads: root 1, atlas 2, country 3, post 4.
MAX_TREE_DEPTH = 6
#: Choices by stored value (a dict lookup: calling the enum per row costs several times more).
POST_KINDS = {kind.value: kind for kind in models.PostPage.Kind}
ROLES = {role.value: role for role in models.Person.Role}
SPEAKS_FOR = {choice.value: choice for choice in models.SocialAccount.SpeaksFor}
STATUSES = {status.value: status for status in models.SocialAccount.Status}
FORMS = {form.value: form for form in models.SocialAccount.Form}
#: The most index hits per kind of object that search narrows down to public ones.
SEARCH_CANDIDATES = 500
#: The most page paths remembered (_page_path); a few times the pages of a large atlas.
MAX_REMEMBERED_PATHS = 200_000


# The atlas ------------------------------------------------------------------------------------


class PublicAtlas:
    """The public atlas in one language, with the lookups the public surfaces need."""

    def __init__(
        self,
        language: str,
        locale_id: int | None,
        countries: list[Country],
        posts: list[Post],
        people: list[Person],
        accounts: list[Account],
        person_ids: dict[int, int],
        page_keys: dict[int, uuid.UUID],
        page_links: dict[uuid.UUID, dict[str, PageLink]],
        home_links: dict[str, PageLink],
        last_page_change: datetime | None,
        former: Iterable[Account] = (),
        impersonator_rows: impersonation.ConfirmedRows | None = None,
        coverage_rows: completeness.CoverageRows | None = None,
        parts: _Parts | None = None,
        earlier_versions: dict[tuple[str, int], tuple] | None = None,
        lookups: _Lookups | None = None,
        leadership: list[Person] | None = None,
        last_record_change: tuple[datetime | None] | None = None,
    ) -> None:
        """``leadership`` and ``last_record_change`` (the latest publication of a person or an
        account, in a tuple), when given, are the people's and accounts' (a build knows them per
        group: working them out again cost every build a pass over the atlas)."""
        self.language = language
        #: What it was built of: the next generation's atlas takes over what did not change.
        self._parts = parts
        self.locale_id = locale_id
        self.countries = countries
        self.posts = posts
        self.people = people
        self.accounts = accounts
        lookups = lookups or _Lookups.of(people, accounts, person_ids)
        #: What the next generation's atlas patches (see _Lookups).
        self._lookups = lookups
        self.platforms = sorted(
            lookups.platforms.values(),
            key=lambda platform: (platform.sort_order, sort_key(platform.name), platform.id),
        )
        #: Platforms with public groups (LinkedIn, Facebook...), in the platforms' order: the
        #: map offers "LinkedIn groups" beside "LinkedIn".
        self.group_platforms = [
            platform for platform in self.platforms if lookups.group_counts[platform.id]
        ]
        #: The ministry's top: people who serve at no post.
        self.leadership = leadership
        if leadership is None:
            self.leadership = [person for person in people if _leads(person)]
        self._page_keys = page_keys
        self._page_links = page_links
        self.home_links = home_links
        self._impersonator_rows = impersonator_rows or impersonation.ConfirmedRows()
        self._coverage_rows = coverage_rows or completeness.CoverageRows()
        # Records outlive their atlas (the next generation's takes over those that did not
        # change): they call it through a weak reference, so that without a cycle the atlas
        # is freed as soon as it is replaced.
        coverage_of = _weakly(self._coverage)
        for record in (*countries, *posts):
            record.coverage_of = coverage_of
        self._countries_by_id = {country.id: country for country in countries}
        self._countries_by_code = {country.code: country for country in countries}
        self._posts_by_id = {post.id: post for post in posts}
        self._posts_by_key = {post.translation_key: post for post in posts}
        self._people_by_id = lookups.people_by_id
        self._person_ids = lookups.person_ids
        self._accounts_by_id = lookups.accounts_by_id
        self._accounts_by_url = lookups.accounts_by_url
        self._accounts_by_handle = lookups.accounts_by_handle
        self._new_url_keys = lookups.new_url_keys
        # Formerly official accounts (closed, or taken over and not renamed): found by their
        # address and handle only, so that the verify page can tell the truth about them;
        # never in a list, a count, the map or search.
        self._former_by_url = {account.normalized_url: account for account in former}
        self._former_by_id = {account.id: account for account in former}
        self._former_by_handle: dict[tuple[str, str], list[Account]] = defaultdict(list)
        for account in former:
            self._former_by_handle[_handle_key(account)].append(account)
        #: Every platform an address may be of (public or former accounts'), for lookup keys.
        self._address_hosts = [platform.hosts for platform in self.platforms] + [
            account.platform.hosts for account in former
        ]
        if last_record_change is None:
            last_record_change = (_latest_publication(people, accounts),)
        moments = [last_page_change, *last_record_change]
        self.figures = Figures(
            country_count=len(countries),
            post_count=len(posts),
            account_count=len(accounts),
            person_count=len(people),
            platform_count=len(self.platforms),
            last_published_at=max((moment for moment in moments if moment), default=None),
        )
        self.figures.coverage_of = coverage_of
        #: (kind, page id) -> the version of its page (page_versions), once asked for.
        self._page_versions: dict[tuple[str, int], str | None] = {}
        #: (kind, page id) -> (its record, its page's context, its version), once asked for.
        self._version_contexts: dict[tuple[str, int], tuple] = {}
        #: The same of the previous generation's atlas, for the records this one took over.
        self._earlier_versions: dict[tuple[str, int], tuple] = earlier_versions or {}
        #: (kind, page id) of the pages whose version is the previous generation's.
        self._kept_versions: set[tuple[str, int]] = set()

    # Lookups: None for anything not public (in this language).

    def country(self, page_id: int) -> Country | None:
        return self._countries_by_id.get(page_id)

    def country_by_code(self, code: str) -> Country | None:
        return self._countries_by_code.get(iso_code(code))

    def post(self, page_id: int) -> Post | None:
        """The post of this page, or its translation in this language (so that the ids of one
        language work in the other)."""
        return self._posts_by_key.get(self.post_key(page_id))

    def post_key(self, page_id: int) -> uuid.UUID | None:
        """The translation key of any page of the tree, public or not, in any language."""
        key = self._page_keys.get(page_id)
        if key is None:  # a page made since this atlas was read (a draft: nothing public changed)
            key = Page.objects.filter(pk=page_id).values_list("translation_key", flat=True).first()
        return key

    def person(self, person_id: int) -> Person | None:
        return self._people_by_id.get(person_id)

    def _person_of_row(self, row_id: int) -> Person | None:
        return self._people_by_id.get(self._person_ids.get(row_id))

    def account(self, account_id: int) -> Account | None:
        return self._accounts_by_id.get(account_id)

    def former_account(self, account_id: int) -> Account | None:
        """A formerly official account (closed, or taken over): only for telling the truth
        about it where it is asked for by its address or id, never listed."""
        return self._former_by_id.get(account_id)

    def page_version(self, kind: str, page_id: int) -> str | None:
        """The version of a public country's or post's page (publication.page_versions; kind
        "country" or "post"); None when it is not public in this language. A record taken over
        from the previous generation's atlas keeps the version it had there when its page's
        context is the same (only the context is worked out again)."""
        key = (kind, page_id)
        if key not in self._page_versions:
            record = self.country(page_id) if kind == "country" else self.post(page_id)
            found = None
            if record is not None:
                posts = record.posts if kind == "country" else []  # a country shows its posts
                context = page_versions.context(
                    record,
                    self.language,
                    self.home_links,
                    self.page_links(record.translation_key),
                    tuple(self.page_version("post", post.id) for post in posts),
                )
                earlier = self._earlier_versions.get(key)
                if earlier is not None and earlier[0] is record and earlier[1] == context:
                    found = earlier[2]
                    self._kept_versions.add(key)
                else:
                    found = page_versions.of(record, context)
                self._version_contexts[key] = (record, context, found)
            self._page_versions[key] = found
        return self._page_versions[key]

    def page_versions(self) -> dict[tuple[str, int], str]:
        """The version of every public country's and post's page ((kind, page id) -> version).
        Worked out once in the server's first process too, before its workers fork: a build
        works out again only those of the records it built anew (and of their countries),
        else the first build of each worker expanded every record of the atlas."""
        pages = [("country", country.id) for country in self.countries]
        pages += [("post", post.id) for post in self.posts]
        return {page: self.page_version(*page) or "" for page in pages}

    def version_kept(self, kind: str, page_id: int) -> bool:
        """Whether the version of a page is the one it had in the previous generation's atlas
        this one was built from (see page_version): its answers were stored then."""
        self.page_version(kind, page_id)
        return (kind, page_id) in self._kept_versions

    @functools.cached_property
    def pasted_directory(self) -> pasted.Directory:
        """The platforms with a public account (only they can hold the account a pasted text
        names) and the servers known to run a federated one: those of its public accounts."""
        federated = {
            platform.id
            for platform in self.platforms
            if platform.profile_path and not platform.hosts
        }
        servers = {
            host: account.platform.slug
            for account in self.accounts
            if account.platform.id in federated and (host := urlsplit(account.url).hostname)
        }
        return pasted.Directory.of(
            [(platform.slug, platform.name, platform.hosts) for platform in self.platforms],
            servers,
        )

    def accounts_for_pasted(self, text: str, platform_slug: str = "") -> list[Account]:
        """The public accounts a pasted text names (rules.pasted: a profile's or a post's URL,
        @name@server, name.bsky.social...); for a handle alone, those with that handle on the
        platform given, or on any. Raises pasted.Refused, saying why, for a text that names no
        profile (a video's URL, a short link)."""
        found = pasted.parse(text[: pasted.MAX_LENGTH], self.pasted_directory)
        if found.handle:
            return self.accounts_for_handle(platform_slug, found.handle)
        for url in found.urls:
            account = self._account_at(url)
            if account is not None:
                return [account]
        return []

    def _account_at(self, url: str) -> Account | None:
        """The account at a profile URL, compared normalised (scheme, www./m. prefixes, host
        aliases such as twitter.com = x.com, case, trailing slash, query)."""
        hosts = [platform.hosts for platform in self.platforms]
        try:
            return self._accounts_by_url.get(profile_urls.normalise_lookup_url(url, hosts))
        except ValueError:
            return None

    def account_for_url(self, url: str) -> Account | None:
        """The public account a pasted profile URL names, understood as accounts_for_pasted
        understands it; a handle alone only when one public account has it."""
        try:
            accounts = self.accounts_for_pasted(url)
        except pasted.Refused:
            return None
        return accounts[0] if len(accounts) == 1 else None

    def accounts_for_handle(self, platform_slug: str, handle: str) -> list[Account]:
        """The public accounts with this handle on a platform (slug), or on any platform when
        none is given (in the platforms' order), case and a leading @ ignored: several on a
        federated platform (the same name on different servers)."""
        handle = handle.strip().lstrip("@").casefold()
        slugs = [platform_slug.strip().lower()] if platform_slug.strip() else []
        slugs = slugs or [platform.slug for platform in self.platforms]
        return [
            account
            for slug in slugs
            for account in self._accounts_by_handle.get((slug, handle), ())
        ]

    @functools.cached_property
    def impersonators(self) -> impersonation.Impersonators:
        """The confirmed impersonators, with lookups by address and handle: read when first
        asked for (atlas_pages.publication.impersonation)."""
        return impersonation.Impersonators.build(
            self._impersonator_rows.get(), self.account, self.platforms
        )

    @functools.cached_property
    def coverage(self) -> Coverage:
        """Each public post's cells (listed, confirmed none, unknown) and the completeness
        figures per post, country, region and overall: read when first asked for
        (atlas_pages.publication.completeness)."""
        return completeness.build(
            self.language, self.posts, self.countries, self.platforms, self._coverage_rows.get()
        )

    def _coverage(self) -> Coverage:
        return self.coverage

    # Verdicts: "Is this account official?" for the verify page and the API.

    def verdict_for_url(self, url: str) -> Verdict:
        """The atlas's answer for a pasted address (see verdicts)."""
        account = self.account_for_url(url)
        return self.verdicts([account] if account else [], url)[0]

    def verdicts(
        self, found: list[Account], address: str, platform_slug: str = ""
    ) -> list[Verdict]:
        """The answer for each public account found at an address (a URL, or a handle on a
        platform), or for a formerly official account there; "not listed" when there is none.

        - An active or inactive account is official; so is a renamed one at its new address.
        - At a renamed account's old address the answer is "renamed": official until the
          rename, now at the new address; never plainly official (the old name is free).
        - A closed account was official until it closed. An address the identity check saw
          change hands is never official again."""
        if found:
            return [self._verdict_of(account, address) for account in found]
        impersonator = self.impersonators.for_address(address, self.pasted_directory, platform_slug)
        if impersonator is not None:  # confirmed by the press desk: stated before any past
            verdict = Verdict(kind=VerdictKind.KNOWN_IMPERSONATOR, impersonator=impersonator)
            with translation.override(self.language):
                verdict.message = impersonation.message(impersonator)
            return [verdict]
        key = self._address_key(address)
        former = [self._former_by_url[key]] if key in self._former_by_url else []
        if key is None and platform_slug:
            handle_key = (platform_slug.strip().lower(), address.strip().lstrip("@").casefold())
            former = list(self._former_by_handle.get(handle_key, ()))
        if not former:
            return [self._verdict(VerdictKind.NOT_LISTED)]
        return [self._verdict_of(account, address) for account in former]

    def _address_key(self, address: str) -> str | None:
        """The lookup key of an address (as account_for_url compares it); None for a handle
        or anything else that is no profile URL. Understood as account_for_url understands it
        (rules.pasted: a post's URL is its profile's)."""
        try:
            found = pasted.parse(address[: pasted.MAX_LENGTH], self.pasted_directory)
            if not found.url:
                return None  # a handle, not an address
            return profile_urls.normalise_lookup_url(found.url, self._address_hosts)
        except ValueError:
            return None

    def _verdict_of(self, account: Account, address: str) -> Verdict:
        """The answer for an address of an account: its new address if renamed and the
        address is that one, else the address it was registered at."""
        at_new_address = account.new_url is not None and self._new_url_keys.get(
            account.id
        ) == self._address_key(address)
        if at_new_address:
            return self._verdict(VerdictKind.OFFICIAL, account)
        if account.takeover_at is not None:
            until = timezone.localdate(account.takeover_at)
            if account.status_since and account.status != models.SocialAccount.Status.ACTIVE:
                until = min(until, account.status_since)  # it left before the takeover
            return self._verdict(VerdictKind.CHANGED_HANDS, account, until)
        if account.status == models.SocialAccount.Status.CLOSED:
            return self._verdict(VerdictKind.CLOSED, account, account.status_since)
        if account.new_url:
            return self._verdict(VerdictKind.RENAMED, account, account.status_since)
        return self._verdict(VerdictKind.OFFICIAL, account)

    def _verdict(
        self, kind: VerdictKind, account: Account | None = None, until: date | None = None
    ) -> Verdict:
        verdict = Verdict(kind=kind, account=account, until=until)
        with translation.override(self.language):
            verdict.message = _verdict_message(verdict)
        return verdict

    def page_links(self, translation_key: uuid.UUID) -> dict[str, PageLink]:
        """The public pages of one translation key (a country, post or home page), by language."""
        return self._page_links.get(translation_key, {})

    def public_urls(self) -> list[str]:
        """The full URL of every public page, in every language."""
        return [link.full_url for links in self._page_links.values() for link in links.values()]

    # Search

    def search(self, query: str, limit: int) -> list[SearchHit]:
        """The best public matches of the query, best first, over countries and posts (in this
        language), people and accounts: an exact name (code, handle) first, then whole-word
        matches by the search backend's score, then prefix matches ("Tok" finds Tokyo).

        User input is searched as plain words (search_words): full-text syntax in it
        is text. The index holds drafts too; only public objects of this atlas are returned.
        """
        words = search_words(query)
        if not words or limit <= 0:
            return []
        wanted = words.casefold()
        ranked: dict[int, tuple[tuple, SearchHit]] = {}
        for order, (queryset, found) in enumerate(
            (
                (
                    models.CountryPage.objects.filter(locale=self.locale_id),
                    self.country,
                ),
                (
                    models.PostPage.objects.filter(locale=self.locale_id),
                    self._posts_by_id.get,
                ),
                (models.Person.objects.all(), self._person_of_row),
                (models.SocialAccount.objects.all(), self.account),
            )
        ):
            for pk, (prefix_only, score) in _index_hits(words, queryset).items():
                record = found(pk)
                if record is not None:
                    exact = wanted not in _names(record)
                    key = (exact, prefix_only, -score, order)
                    # A person and its translations are one hit: the best one counts.
                    if id(record) not in ranked or key < ranked[id(record)][0]:
                        ranked[id(record)] = (key, record)
        best = sorted(ranked.values(), key=lambda item: item[0])
        return [record for _key, record in best[:limit]]


@dataclass(slots=True)
class _Lookups:
    """An atlas's lookups of its people and accounts, and its platforms: built from its records,
    or patched from the previous generation's (a publish changes a few of 60,000 records, and
    building the lookups of them all cost a third of a process's build)."""

    people_by_id: dict[int, Person]
    #: Any live row of a person (a translation too) -> the person's id.
    person_ids: dict[int, int]
    accounts_by_id: dict[int, Account]
    #: An account's address, and a renamed account's new one -> the account.
    accounts_by_url: dict[str, Account]
    #: (platform slug, handle casefolded) -> the accounts, in the atlas's order.
    accounts_by_handle: dict[tuple[str, str], list[Account]]
    #: A renamed account's id -> the lookup key of its new address (if no other account's).
    new_url_keys: dict[int, str]
    #: The platforms with a public account, by id, and how many each has (of the form group).
    platforms: dict[int, Platform]
    platform_counts: Counter
    group_counts: Counter
    #: Whether some account's new address is another's address (the address's own account
    #: keeps it, else the first in the atlas's order): a patch could not tell who has it once
    #: one of them goes, so the next generation's lookups are built whole.
    shared_addresses: bool = False

    @classmethod
    def of(
        cls, people: list[Person], accounts: list[Account], person_ids: dict[int, int]
    ) -> _Lookups:
        lookups = cls(
            people_by_id={person.id: person for person in people},
            person_ids=person_ids,
            accounts_by_id={account.id: account for account in accounts},
            accounts_by_url={account.normalized_url: account for account in accounts},
            accounts_by_handle=defaultdict(list),
            new_url_keys={},
            platforms={account.platform.id: account.platform for account in accounts},
            platform_counts=Counter(account.platform.id for account in accounts),
            group_counts=Counter(
                account.platform.id for account in accounts if account.form == "group"
            ),
        )
        for account in accounts:
            lookups.accounts_by_handle[_handle_key(account)].append(account)
            key = _new_url_key(account)
            if key is None:
                continue
            if lookups.accounts_by_url.setdefault(key, account) is account:
                lookups.new_url_keys[account.id] = key
            else:
                lookups.shared_addresses = True
        return lookups

    def patched(self, gone: list[_Built], new: list[_Built]) -> _Lookups | None:
        """These lookups without the records of the groups ``gone`` and with those of the
        groups ``new``; None when some address is two accounts' (build them whole)."""
        if self.shared_addresses:
            return None
        patched = _Lookups(
            people_by_id=self.people_by_id.copy(),
            person_ids=self.person_ids.copy(),
            accounts_by_id=self.accounts_by_id.copy(),
            accounts_by_url=self.accounts_by_url.copy(),
            accounts_by_handle=self.accounts_by_handle.copy(),
            new_url_keys=self.new_url_keys.copy(),
            platforms=self.platforms.copy(),
            platform_counts=self.platform_counts.copy(),
            group_counts=self.group_counts.copy(),
        )
        removed = [account for group in gone for account in group.accounts]
        added = [account for group in new for account in group.accounts]
        removed, added = patched._swapped(removed, added)
        for group in gone:
            for person in group.people:
                del patched.people_by_id[person.id]
            for row_id in group.person_ids:
                del patched.person_ids[row_id]
        for group in new:
            patched.people_by_id.update((person.id, person) for person in group.people)
            patched.person_ids.update(group.person_ids)
        by_url = patched.accounts_by_url
        for account in removed:
            del patched.accounts_by_id[account.id], by_url[account.normalized_url]
            if account.id in patched.new_url_keys:
                del by_url[patched.new_url_keys.pop(account.id)]
        for account in added:
            patched.accounts_by_id[account.id] = account
            if by_url.setdefault(account.normalized_url, account) is not account:
                return None
            key = _new_url_key(account)
            if key is not None:
                if by_url.setdefault(key, account) is not account:
                    return None
                patched.new_url_keys[account.id] = key
        # Each handle's accounts that changed, in the atlas's order again.
        gone_ids = {id(account) for account in removed}
        handles: dict[tuple[str, str], list[Account]] = {}
        for account in (*removed, *added):
            key = _handle_key(account)
            if key not in handles:
                kept = patched.accounts_by_handle.get(key, ())
                handles[key] = [other for other in kept if id(other) not in gone_ids]
        for account in added:
            handles[_handle_key(account)].append(account)
        for key, found in handles.items():  # of the few accounts not swapped in place
            if found:
                patched.accounts_by_handle[key] = sorted(found, key=_account_order)
            else:
                del patched.accounts_by_handle[key]
        patched.platform_counts.subtract(account.platform.id for account in removed)
        patched.platform_counts.update(account.platform.id for account in added)
        patched.group_counts.subtract(a.platform.id for a in removed if a.form == "group")
        patched.group_counts.update(a.platform.id for a in added if a.form == "group")
        patched.platforms.update((account.platform.id, account.platform) for account in added)
        for platform_id, count in list(patched.platform_counts.items()):
            if count <= 0:
                del patched.platform_counts[platform_id], patched.platforms[platform_id]
        return patched

    def _swapped(
        self, removed: list[Account], added: list[Account]
    ) -> tuple[list[Account], list[Account]]:
        """Each added account found under the same keys as a removed one of its id (most of a
        rebuilt group's) put in its place in these lookups; the other removed and added ones."""
        olds = {account.id: account for account in removed}
        swapped: dict[int, Account] = {}  # id() of the removed account -> the added one
        moved = []
        for account in added:
            old = olds.get(account.id)
            if old is not None and _lookup_keys(old) == _lookup_keys(account):
                del olds[account.id]
                swapped[id(old)] = account
                self.accounts_by_id[account.id] = account
                self.accounts_by_url[account.normalized_url] = account
                if account.id in self.new_url_keys:
                    self.accounts_by_url[self.new_url_keys[account.id]] = account
            else:
                moved.append(account)
        for key in {_handle_key(account) for account in swapped.values()}:
            self.accounts_by_handle[key] = [
                swapped.get(id(account), account) for account in self.accounts_by_handle[key]
            ]
        return list(olds.values()), moved


def _lookup_keys(account: Account) -> tuple:
    """What an account is found and counted by in the lookups (and ordered by, with its id)."""
    return (
        account.normalized_url,
        account.new_url,
        account.handle,
        account.platform.id,
        account.form,
    )


def _handle_key(account: Account) -> tuple[str, str]:
    return (account.platform.slug, account.handle.lstrip("@").casefold())


def _new_url_key(account: Account) -> str | None:
    """The lookup key of a renamed account's new address, if it is not its old one's: a
    renamed account is found at its new URL too."""
    if not account.new_url:
        return None
    try:
        key = profile_urls.normalise_profile_url(account.new_url, account.platform.hosts)
    except ValueError:  # a new URL the model's checks would refuse (a raw import)
        return None
    return key if key != account.normalized_url else None


def _leads(person: Person) -> bool:
    """Whether a person is at the ministry's top (serves at no post) and in office."""
    return person.post_key is None and not person.term_ended


def _latest_publication(people: Iterable[Person], accounts: Iterable[Account]) -> datetime | None:
    moments = [person.last_published_at for person in people]
    moments += [account.last_published_at for account in accounts]
    return max((moment for moment in moments if moment), default=None)


def _weakly(method: Callable[[], Coverage]) -> Callable[[], Coverage]:
    """An atlas's method that does not keep the atlas alive."""
    reference = weakref.WeakMethod(method)
    return lambda: reference()()


def _day(value: date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "?"


def _verdict_message(verdict: Verdict) -> str:
    """The answer in one sentence, in the active language (the API's message)."""
    account = verdict.account
    if account is None:
        return _("Not in the atlas: this is not a listed official account.")
    named = f"{account.form_label} {account.handle}"
    owner = account.owner_name
    facts = {
        "account": f"{named} ({owner})" if owner else named,
        "date": _day(verdict.until),
        "url": account.current_url,
        "former": account.url,
    }
    if verdict.kind == VerdictKind.RENAMED:
        return (
            _(
                "This address belonged to %(account)s until %(date)s; the account is now at "
                "%(url)s. The old name may now belong to someone else."
            )
            % facts
        )
    if verdict.kind == VerdictKind.CLOSED:
        return _("%(account)s was official until %(date)s; it is no longer the ministry's.") % facts
    if verdict.kind == VerdictKind.CHANGED_HANDS:
        return (
            _("This address was %(account)s until %(date)s; it may now belong to someone else.")
            % facts
        )
    if account.formerly_at is not None:
        facts["post"] = account.formerly_at.name
        return _("Listed: %(account)s, formerly at %(post)s (their term there has ended).") % facts
    if account.new_url:
        return _("Official: %(account)s, formerly at %(former)s.") % facts
    if account.status == models.SocialAccount.Status.INACTIVE:
        facts["date"] = _day(account.status_since)
        return _("Official: %(account)s, inactive since %(date)s.") % facts
    return _("Official: %(account)s.") % facts


def _names(record: SearchHit) -> set[str]:
    names = (
        getattr(record, "name", ""),
        getattr(record, "handle", ""),
        getattr(record, "code", ""),
    )
    return {name.casefold() for name in names if name}


def _index_hits(words: str, queryset: QuerySet) -> dict[int, tuple[bool, float]]:
    """The search index's hits for one model: pk -> (prefix match only, score)."""
    backend = get_search_backend()
    hits = {}
    results = backend.search(words, queryset, operator="or").annotate_score("_score")
    for hit in results[:SEARCH_CANDIDATES]:
        hits[hit.pk] = (False, getattr(hit, "_score", 0) or 0)
    try:
        prefixed = backend.autocomplete(words, queryset)[:SEARCH_CANDIDATES]
        for hit in prefixed:
            hits.setdefault(hit.pk, (True, 0))
    except NotImplementedError:  # a backend without autocomplete still answers search
        pass
    return hits


# Loading ----------------------------------------------------------------------------------


PAGE_COLUMNS = (
    "id",
    "path",
    "live",
    "expire_at",
    "title",
    "slug",
    "url_path",
    "translation_key",
    "last_published_at",
    "locale",
    "locale__language_code",
    "view_restrictions__id",
    "countrypage",
    "countrypage__iso_code",
    "countrypage__lat",
    "countrypage__lng",
    "countrypage__wikidata_id",
    "postpage",
    "postpage__kind",
    "postpage__city",
    "postpage__address",
    "postpage__website",
    "postpage__lat",
    "postpage__lng",
    "postpage__country",
    "postpage__wikidata_id",
)


def _live(now: datetime) -> Q:
    return Q(live=True) & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))


def _page_rows(now: datetime) -> tuple[list[dict], dict[int, uuid.UUID]]:
    """Every public page of the tree, in every language (query 1); and the translation key of
    every page, public or not (an id of one language finds the translation in another)."""
    rows = {}
    hidden = set()
    for row in Page.objects.filter(depth__lte=MAX_TREE_DEPTH).values(*PAGE_COLUMNS):
        if not row["live"] or (row["expire_at"] and row["expire_at"] <= now):
            hidden.add(row["path"])
        if row["view_restrictions__id"] is not None:
            hidden.add(row["path"])
        rows[row["id"]] = row  # a page with two restrictions comes twice
    steplen = Page.steplen

    def public(path: str) -> bool:
        return not any(path[:end] in hidden for end in range(steplen, len(path) + 1, steplen))

    keys = {row["id"]: row["translation_key"] for row in rows.values()}
    return [row for row in rows.values() if public(row["path"])], keys


@dataclass(slots=True)
class _Links:
    """Where the public pages are, in every language: their URLs by page id, their
    translations' links by translation key, the home page's link by language."""

    urls: dict[int, str] = field(default_factory=dict)
    by_key: dict[uuid.UUID, dict[str, PageLink]] = field(default_factory=lambda: defaultdict(dict))
    homes: dict[str, PageLink] = field(default_factory=dict)

    @classmethod
    def of(cls, page_rows: list[dict]) -> _Links:
        """What ``Page.get_url_parts`` answers, for all the pages at once (the site's root
        paths read once; Wagtail orders them most specific first)."""
        links = cls()
        roots = Site.get_site_root_paths()
        root_paths = {root.root_path for root in roots}
        by_language = defaultdict(list)
        for row in page_rows:
            by_language[row["locale__language_code"]].append(row)
        for language, rows in by_language.items():
            language_roots = [root for root in roots if root.language_code == language]
            with translation.override(language):  # once per language: it is not cheap
                for row in rows:
                    url_path = row["url_path"]
                    root = next(
                        (r for r in language_roots if url_path.startswith(r.root_path)), None
                    )
                    if root is None:
                        continue  # outside every site: not routable
                    path = _page_path(language, url_path[len(root.root_path) :])
                    if path is None:
                        continue
                    link = PageLink(language, path, root.root_url + path)
                    links.urls[row["id"]] = path
                    links.by_key[row["translation_key"]][language] = link
                    if url_path in root_paths:
                        links.homes[language] = link
        return links


#: Page paths reversed before, by (URLconf, script prefix, language, path in the site): a
#: publish changes few of them, so the next read of the atlas reverses only those.
_page_paths: dict[tuple, str | None] = {}


def _page_path(language: str, path_in_site: str) -> str | None:
    """``reverse("wagtail_serve")`` of a page path in the active language (``language``, for
    the memo's key); None for a path no URL matches."""
    key = (get_urlconf(), get_script_prefix(), language, path_in_site)
    try:
        return _page_paths[key]
    except KeyError:
        pass
    try:
        path = reverse("wagtail_serve", args=(path_in_site,))
    except NoReverseMatch:
        path = None
    if len(_page_paths) >= MAX_REMEMBERED_PATHS:
        _page_paths.clear()
    _page_paths[key] = path
    return path


@dataclass(slots=True, frozen=True)
class _Owner:
    """The language-neutral facts of a public post that people and accounts hang on."""

    post_key: uuid.UUID | None = None
    country_key: uuid.UUID | None = None
    country_code: str = ""


PERSON_COLUMNS = (
    "id",
    "name",
    "role",
    "consent_given_at",
    "consent_withdrawn_at",
    "term_start",
    "term_end",
    "job_title",
    "post",
    "translation_key",
    "locale__language_code",
    "wikidata_id",
)
PERSON_MOMENTS = ("last_published_at",)
ACCOUNT_COLUMNS = (
    "id",
    "handle",
    "url",
    "normalized_url",
    "display_name",
    "language",
    "speaks_for",
    "status",
    "new_url",
    "post",
    "person",
    "platform",
    "platform__slug",
    "platform__name",
    "platform__sort_order",
    "platform__hosts",
    "platform__profile_path",
    "form",
    "platform__activity_source",
    # The account's activity, joined (one-to-one): no query of its own.
    "activity__follower_count",
    "activity__posts",
    "status_since",
    "platform_identity",
    # What the identity check read (one-to-one, joined).
    "identity_record__identity",
    # Its evidence: one join per kind (one row per account and kind at most), so the accounts
    # stay one row each and one query.
    *(f"evidence_{kind}__detail" for kind in models.AccountEvidence.Kind),
)
ACCOUNT_MOMENTS = (
    "last_published_at",
    "first_published_at",
    "activity__fetched_at",
    "identity_record__takeover_at",
    *(f"evidence_{kind}__confirmed_at" for kind in models.AccountEvidence.Kind),
)


def _evidence_joins() -> dict[str, FilteredRelation]:
    """The evidence joins of the accounts' query, one per kind (new each query: a query takes
    its relations over)."""
    return {
        f"evidence_{kind}": FilteredRelation("evidence", condition=Q(evidence__kind=kind))
        for kind in models.AccountEvidence.Kind
    }


def _values(queryset: QuerySet, columns: tuple[str, ...], moments: tuple[str, ...]) -> list[dict]:
    """The rows' columns, and their moments (``DateTimeField`` columns) read as ISO text and
    parsed here: psycopg loads a timestamp through Django's time-zone loader in about 4 µs, a
    third of reading 30,000 accounts on PostgreSQL; ``datetime.fromisoformat`` takes 0.2 µs."""
    texts = {f"{name}_text": Cast(name, TextField()) for name in moments}
    rows = list(queryset.values(*columns, **texts))
    try:
        for row in rows:
            for name in moments:
                row[name] = parse_moment(row.pop(f"{name}_text"))
    except ValueError:  # a PostgreSQL server whose DateStyle is not ISO: Django's own loading
        return list(queryset.values(*columns, *moments))
    return rows


@dataclass(slots=True)
class _People:
    """The live people rows of every language: the people (default-language rows), their job
    titles by translation key and language, and each row's person."""

    rows: list[dict]
    titles: dict[uuid.UUID, dict[str, str]]
    ids: dict[int, int]

    @classmethod
    def of(cls, person_rows: list[dict]) -> _People:
        default_language = content_language()
        rows = [row for row in person_rows if row["locale__language_code"] == default_language]
        ids_by_key = {row["translation_key"]: row["id"] for row in rows}
        titles: dict[uuid.UUID, dict[str, str]] = defaultdict(dict)
        ids = {}
        for row in person_rows:
            if row["translation_key"] in ids_by_key:
                ids[row["id"]] = ids_by_key[row["translation_key"]]
                if row["job_title"]:
                    titles[row["translation_key"]][row["locale__language_code"]] = row["job_title"]
        return cls(rows=rows, titles=titles, ids=ids)


@dataclass(slots=True, frozen=True)
class _Activity:
    """An account's activity as the records show it (shared by every language)."""

    followers: Followers | None = None
    latest_posts: tuple[RecentPost, ...] = ()
    fetched_at: datetime | None = None

    def fields(self) -> dict:
        return {
            "followers": self.followers,
            "latest_posts": list(self.latest_posts),
            "activity_fetched_at": self.fetched_at,
        }


NO_ACTIVITY = _Activity()


def _published_at(value: object) -> datetime | None:
    try:
        return parse_moment(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _activity(account_rows: list[dict]) -> dict[int, _Activity]:
    """The activity of accounts on platforms that have a source (one whose source was taken
    away shows nothing, whatever was read before)."""
    found = {}
    for row in account_rows:
        fetched_at = row["activity__fetched_at"]
        if not row["platform__activity_source"] or fetched_at is None:
            continue
        count = row["activity__follower_count"]
        posts = row["activity__posts"] if isinstance(row["activity__posts"], list) else []
        found[row["id"]] = _Activity(
            followers=Followers(count=count, fetched_at=fetched_at) if count is not None else None,
            latest_posts=tuple(
                RecentPost(
                    text=str(post.get("text", "")),
                    url=str(post.get("url", "")),
                    published_at=_published_at(post.get("published_at")),
                )
                for post in posts
                if isinstance(post, dict) and post.get("text")
            ),
            fetched_at=fetched_at,
        )
    return found


#: Each kind of row in a group, with its columns (a row's keys, in their order).
GROUP_COLUMNS = {
    "pages": PAGE_COLUMNS,
    "people": (*PERSON_COLUMNS, *PERSON_MOMENTS),
    "accounts": (*ACCOUNT_COLUMNS, *ACCOUNT_MOMENTS),
}
#: The group of the ministry's top: people who serve at no post, and their accounts.
TOP = "top"
#: The group of rows no public record hangs on (people at a post that is not public, their
#: accounts...): kept, so that their rows join a country's group when their post is published.
UNPLACED = "unplaced"


@dataclass(slots=True)
class _Group:
    """The rows that one country's or one post's records are built from, in every language,
    with the pages' paths: a country's pages; or a post's pages, the people serving there (with
    their translations) and the post's and its people's accounts; or the top's rows (TOP). A
    group's records depend on its rows alone, given the rows' basis (``_Rows.basis``) and, for
    a post, its countries' records (_countries_of_posts): so records whose rows did not change
    in a publish are the previous generation's."""

    pages: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    accounts: list[dict] = field(default_factory=list)
    urls: dict[int, str] = field(default_factory=dict)

    # Pickled as the rows' values in their columns' order: equal rows give equal bytes however
    # they were read (a dict's keys are pickled by reference to the first of their kind, and
    # the rows of one group may come from two reads), and the bytes are a third as many.
    def __getstate__(self) -> tuple:
        return (
            *(
                [tuple(map(row.__getitem__, columns)) for row in getattr(self, name)]
                for name, columns in GROUP_COLUMNS.items()
            ),
            self.urls,
        )

    def __setstate__(self, state: tuple) -> None:
        for (name, columns), values in zip(GROUP_COLUMNS.items(), state, strict=False):
            setattr(self, name, [dict(zip(columns, row, strict=True)) for row in values])
        self.urls = state[-1]


def _page_groups(page_rows: list[dict]) -> dict[int, str]:
    """Each country's and post's page id -> its group (see _Group): a country's pages (every
    language) are a group, and so are a post's, so that a publish rebuilds the records of its
    post, not those of every post of its country."""
    return {
        row["id"]: f"{'country' if row['countrypage'] else 'post'}:{row['translation_key']}"
        for row in page_rows
        if row["countrypage"] is not None or row["postpage"] is not None
    }


def _countries_of_posts(page_rows: list[dict], page_groups: dict[int, str]) -> dict[str, tuple]:
    """Each post's group -> the groups of the countries its pages are under (in any language):
    its records link their records, so it is built again when one of them is."""
    found = defaultdict(set)
    for row in page_rows:
        country_group = page_groups.get(row["postpage__country"]) if row["postpage"] else None
        if country_group is not None:
            found[page_groups[row["id"]]].add(country_group)
    return {key: tuple(sorted(countries)) for key, countries in found.items()}


def _grouped(
    page_rows: list[dict],
    person_rows: list[dict],
    account_rows: list[dict],
    urls: dict[int, str],
    page_groups: dict[int, str],
) -> dict[object, _Group]:
    """The rows by group (see _Group; ``page_groups`` are the pages'); people and accounts in
    their id's order, so that equal rows give equal groups in every process. Given every row
    of some groups, these groups."""
    groups: dict[object, _Group] = defaultdict(_Group)
    for row in page_rows:
        key = page_groups.get(row["id"])
        if key is not None:
            groups[key].pages.append(row)
            if row["id"] in urls:
                groups[key].urls[row["id"]] = urls[row["id"]]
    # A person and its translations go with the default-language row's post.
    person_group_by_key = _person_groups_by_key(person_rows, page_groups)
    person_groups = {}
    for row in sorted(person_rows, key=_by_id):
        key = person_groups[row["id"]] = person_group_by_key.get(row["translation_key"], UNPLACED)
        groups[key].people.append(row)
    for row in sorted(account_rows, key=_by_id):
        if row["person"] is not None:
            key = person_groups.get(row["person"], UNPLACED)
        else:
            key = page_groups.get(row["post"], UNPLACED)
        groups[key].accounts.append(row)
    return dict(groups)


def _person_groups_by_key(person_rows: list[dict], page_groups: dict[int, str]) -> dict:
    """The group of each person (translation key) whose default-language row is among these:
    its post's, or the top's."""
    default_language = content_language()
    return {
        row["translation_key"]: page_groups.get(row["post"], UNPLACED) if row["post"] else TOP
        for row in person_rows
        if row["locale__language_code"] == default_language
    }


def _by_id(row: dict) -> int:
    return row["id"]


def _basis(today: date, placement: _Placement) -> str:
    """What every group's records depend on beyond their rows: the day (ended terms) and the
    platforms (one platform record serves every group). A new basis rebuilds every group."""
    platforms = {}
    for of_group in placement.platforms.values():
        platforms.update(of_group)
    facts = (today.isoformat(), sorted(platforms.items()))
    return hashlib.blake2b(pickle.dumps(facts), digest_size=16).hexdigest()


PLATFORM_COLUMNS = (
    "platform__slug",
    "platform__name",
    "platform__sort_order",
    "platform__hosts",
    "platform__profile_path",
    "platform__activity_source",
)

#: ``MANIFEST_KEY.format(token)``: the rows of generation ``token`` but the groups' (which are
#: under ``GROUP_KEY.format(digest)``), read from the database by one process and loaded by the
#: others; ``READING_KEY`` while one reads them; ``PLACEMENT_KEY`` the rows' _Placement, for
#: the reader of a later generation.
MANIFEST_KEY = "atlas:rows:{}"
GROUP_KEY = "atlas:rows:group:{}"
READING_KEY = "atlas:rows:reading:{}"
PLACEMENT_KEY = "atlas:rows:placement:{}"


@dataclass(slots=True)
class _Placement:
    """Where the rows are: the group of each account and person row, and the platforms of each
    group's accounts (the rows' basis). A reader that takes the previous generation's rows
    looks up the groups of the rows that changed in it, and fetches and regroups those alone."""

    accounts: dict[int, object] = field(default_factory=dict)
    people: dict[int, object] = field(default_factory=dict)
    platforms: dict[object, dict[int, tuple]] = field(default_factory=dict)

    def place(self, groups: dict[object, _Group]) -> None:
        for key, group in groups.items():
            self.accounts.update((row["id"], key) for row in group.accounts)
            self.people.update((row["id"], key) for row in group.people)
            self.platforms[key] = {
                row["platform"]: tuple(row[column] for column in PLATFORM_COLUMNS)
                for row in group.accounts
            }

    def remove(self, groups: dict[object, _Group]) -> None:
        for key, group in groups.items():
            for row in group.accounts:
                del self.accounts[row["id"]]
            for row in group.people:
                del self.people[row["id"]]
            del self.platforms[key]


@dataclass(slots=True)
class _Rows:
    """One read of the database, for every language: the public pages (and every page's
    translation key) and their links, and the live people and accounts in groups (_Group),
    each group known by a digest of its rows and fetched when a build needs it."""

    pages: list[dict]
    page_keys: dict[int, uuid.UUID]
    links: _Links
    #: Group key -> the digest of its rows.
    groups: dict[object, str]
    basis: str
    #: The day the rows were read: terms of office ended by then are applied.
    today: date
    #: The generation the rows are of (None: not shared).
    token: str | None = None
    #: The groups' rows at hand, by digest: read here, or fetched from the shared cache.
    at_hand: dict[str, _Group] = field(default_factory=dict)
    #: The groups pickled, by digest, when read here (until shared).
    pickled: dict[str, bytes] = field(default_factory=dict)
    #: Where the rows are, when read here (until shared).
    placement: _Placement | None = None
    #: The confirmed impersonators, read when first asked for (publication.impersonation).
    impersonators: impersonation.ConfirmedRows = field(default_factory=impersonation.ConfirmedRows)
    #: The platforms and confirmations of "none", read when first asked for.
    coverage: completeness.CoverageRows = field(default_factory=completeness.CoverageRows)

    def release(self) -> None:
        """Let go of the groups' rows once the languages asked for are built from them (at
        30,000 accounts they are about 130 MB, more than an atlas); a later build fetches the
        ones it needs again."""
        self.at_hand, self.pickled, self.placement = {}, {}, None

    #: What the manifest holds: all but the groups' rows.
    MANIFEST_FIELDS = ("pages", "page_keys", "links", "groups", "basis", "today")

    def share(self, token: str) -> None:
        """Put the rows in the shared cache for the other processes: each group pickled here
        (read anew; the others are there already) under its digest, the placement, then the
        manifest."""
        entries = {
            GROUP_KEY.format(digest): zlib.compress(blob, 1)
            for digest, blob in self.pickled.items()
        }
        manifest = tuple(getattr(self, name) for name in self.MANIFEST_FIELDS)
        for key, value in ((PLACEMENT_KEY, self.placement), (MANIFEST_KEY, manifest)):
            entries[key.format(token)] = zlib.compress(
                pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1
            )
        shared_cache.call_cache("set_many", entries, settings.ATLAS_SNAPSHOT_TIMEOUT)
        self.token, self.pickled, self.placement = token, {}, None

    @classmethod
    def of_manifest(cls, manifest: bytes, token: str) -> _Rows:
        """The rows of a shared manifest (made by this code: the shared cache is trusted as
        the database is); their groups are fetched when needed."""
        return cls(*pickle.loads(zlib.decompress(manifest)), token=token)  # noqa: S301

    def fetch(self, digests: Iterable[str]) -> dict[str, _Group] | None:
        """The rows of the groups of these digests: at hand, else from the shared cache. None
        when some are in neither (gone from the cache, or let go of without one): the rows are
        then read anew and take these rows' place (``groups`` may have changed: ask again)."""
        found = self._fetched(digests)
        if found is not None:
            return found
        fresh = _Rows.read()
        if self.token is not None:
            fresh.share(self.token)
        for name in (*self.MANIFEST_FIELDS, "at_hand"):
            setattr(self, name, getattr(fresh, name))
        return None

    def _fetched(self, digests: Iterable[str]) -> dict[str, _Group] | None:
        """The rows of the groups of these digests, at hand or from the shared cache; None
        when some are in neither."""
        digests = list(digests)
        missing = [digest for digest in digests if digest not in self.at_hand]
        if missing and self.token is not None:
            keys = {GROUP_KEY.format(digest): digest for digest in missing}
            found = shared_cache.call_cache("get_many", list(keys)) or {}
            for key, blob in found.items():
                self.at_hand[keys[key]] = pickle.loads(zlib.decompress(blob))  # noqa: S301
        if all(digest in self.at_hand for digest in digests):
            return {digest: self.at_hand[digest] for digest in digests}
        return None

    @classmethod
    def read(cls) -> _Rows:
        """Three queries: pages, people, accounts."""
        now = timezone.now()
        page_rows, page_keys = _page_rows(now)
        links = _Links.of(page_rows)
        groups = _grouped(
            page_rows,
            _values(models.Person.objects.filter(_live(now)), PERSON_COLUMNS, PERSON_MOMENTS),
            _account_rows(models.SocialAccount.objects.filter(_live(now))),
            links.urls,
            _page_groups(page_rows),
        )
        placement = _Placement()
        placement.place(groups)
        return cls._of(page_rows, page_keys, links, groups, timezone.localdate(now), placement)

    def updated(
        self, changed: frozenset[generation.Changed], placement: _Placement | None
    ) -> _Rows | None:
        """These rows with the rows ``changed`` since read again (generation.Changed: the page
        tree whole, people and accounts by id), the others taken from these: a query per kind
        of row changed. Only the groups the changed rows were in and are in now are fetched
        and regrouped, found by these rows' ``placement`` (every group without it). None when
        some of these groups' rows are gone from the shared cache, or more rows changed than
        are worth reading one by one."""
        if len(changed) > MAX_ROWS_READ_AGAIN:
            return None
        now = timezone.now()
        pages, page_keys, links = self.pages, self.page_keys, self.links
        page_groups = _page_groups(pages)
        affected = set()
        if generation.PAGES_CHANGED in changed:
            pages, page_keys = _page_rows(now)
            links = _Links.of(pages)
            before = _pages_by_group(self.pages, page_groups, self.links.urls)
            # A page's group is its own: the pages that came or went bring their people and
            # accounts from the unplaced rows, or leave them there.
            regrouped = _page_groups(pages)
            if regrouped != page_groups:
                affected.add(UNPLACED)
                page_groups = regrouped
            now_there = _pages_by_group(pages, page_groups, links.urls)
            affected |= {
                key
                for key in before.keys() | now_there.keys()
                if before.get(key) != now_there.get(key)
            }
        again = {
            kind: {pk for changed_kind, pk in changed if changed_kind == kind} for kind in ROWS
        }
        if placement is None:
            affected = set(self.groups)
        else:
            affected |= {
                placement.accounts[pk] for pk in again["account"] if pk in placement.accounts
            }
            affected |= {placement.people[pk] for pk in again["person"] if pk in placement.people}
            # A person not placed before (new, or live again) may have accounts among the rows
            # no public record hangs on: they go with it.
            if any(pk not in placement.people for pk in again["person"]):
                affected.add(UNPLACED)
        earlier = self._fetched(self.groups[key] for key in affected if key in self.groups)
        if earlier is None:
            return None
        # A person is read again with its translations: publishing it writes its
        # language-neutral facts on them too, without a signal (editorial.translation).
        keys = {
            row["translation_key"]
            for group in earlier.values()
            for row in group.people
            if row["id"] in again["person"]
        }
        people_gone = again["person"] | {
            row["id"]
            for group in earlier.values()
            for row in group.people
            if row["translation_key"] in keys
        }
        people_again, accounts_again = [], []
        if again["person"]:
            live = models.Person.objects.filter(
                Q(pk__in=again["person"]) | Q(translation_key__in=keys), _live(now)
            )
            people_again = _values(live, PERSON_COLUMNS, PERSON_MOMENTS)
        if again["account"]:
            live = models.SocialAccount.objects.filter(_live(now), pk__in=again["account"])
            accounts_again = _account_rows(live)
        if placement is not None:  # the groups the rows read again are in now, too
            # And those of the accounts of the people read again, which go with them (to no
            # group's post when their person is gone).
            accounts_moved = [
                row
                for group in earlier.values()
                for row in group.accounts
                if row["person"] in people_gone and row["id"] not in again["account"]
            ]
            now_in = _groups_now(
                people_again,
                [*accounts_again, *accounts_moved],
                keys,
                people_gone,
                page_groups,
                placement,
            )
            more = set(self.groups) - affected if now_in is None else now_in - affected
            fetched = self._fetched(self.groups[key] for key in more if key in self.groups)
            if fetched is None:
                return None
            earlier.update(fetched)
            affected |= more
        old = {key: earlier[self.groups[key]] for key in affected if key in self.groups}
        people = [
            row for group in old.values() for row in group.people if row["id"] not in people_gone
        ]
        accounts = [
            row
            for group in old.values()
            for row in group.accounts
            if row["id"] not in again["account"]
        ]
        if placement is None:
            in_affected, placement = pages, _Placement()
        else:
            in_affected = [row for row in pages if page_groups.get(row["id"]) in affected]
            placement.remove(old)
        groups = _grouped(
            in_affected, people + people_again, accounts + accounts_again, links.urls, page_groups
        )
        placement.place(groups)
        kept = {key: digest for key, digest in self.groups.items() if key not in affected}
        earlier_groups = {key: (self.groups[key], group) for key, group in old.items()}
        return self._of(
            pages,
            page_keys,
            links,
            groups,
            timezone.localdate(now),
            placement,
            kept,
            earlier_groups,
        )

    @classmethod
    def _of(
        cls,
        page_rows: list[dict],
        page_keys: dict[int, uuid.UUID],
        links: _Links,
        groups: dict[object, _Group],
        today: date,
        placement: _Placement,
        kept: dict[object, str] | None = None,
        earlier: dict[object, tuple[str, _Group]] | None = None,
    ) -> _Rows:
        """The rows of ``groups`` and of the groups ``kept`` (key -> digest), each group with
        its digest: an ``earlier`` group's (key -> its digest and rows) when its rows are the
        same (the same row objects: compared at once)."""
        pickled, digests, at_hand = {}, dict(kept or {}), {}
        for key, group in groups.items():
            digest, same = (earlier or {}).get(key, (None, None))
            if same is None or same != group:
                blob = pickle.dumps(group, protocol=pickle.HIGHEST_PROTOCOL)
                digest = hashlib.blake2b(blob, digest_size=16).hexdigest()
                pickled[digest] = blob
            digests[key], at_hand[digest] = digest, group
        return cls(
            pages=page_rows,
            page_keys=page_keys,
            links=links,
            groups=digests,
            basis=_basis(today, placement),
            today=today,
            at_hand=at_hand,
            pickled=pickled,
            placement=placement,
        )


def _pages_by_group(page_rows: list[dict], page_groups: dict[int, str], urls: dict) -> dict:
    """Each group's page rows, with their paths."""
    found = defaultdict(list)
    for row in page_rows:
        key = page_groups.get(row["id"])
        if key is not None:
            found[key].append((row, urls.get(row["id"])))
    return found


def _groups_now(
    people: list[dict],
    accounts: list[dict],
    keys: set[uuid.UUID],
    people_gone: set[int],
    page_groups: dict[int, str],
    placement: _Placement,
) -> set | None:
    """The groups that the people and accounts read again (and the accounts of the people
    read again) are in now (as _grouped places them), the people of translation keys ``keys``
    all read again and those ``people_gone`` read again or gone; None when a person read again
    is a new translation of one that was not (its default-language row, which places it, is in
    a group not looked up)."""
    person_groups = _person_groups_by_key(people, page_groups)
    places = {}
    for row in people:
        key = person_groups.get(row["translation_key"])
        if key is None and row["translation_key"] not in keys:
            return None
        places[row["id"]] = key or UNPLACED
    found = set(places.values())
    for row in accounts:
        person = row["person"]
        if person is None:
            found.add(page_groups.get(row["post"], UNPLACED))
        elif person in places:
            found.add(places[person])
        elif person in people_gone:  # no longer live
            found.add(UNPLACED)
        else:
            found.add(placement.people.get(person, UNPLACED))
    return found


#: The kinds of row read again by id (generation.Changed).
ROWS = ("person", "account")
#: More changed rows than this are read with everything else (one query per kind, not by id).
MAX_ROWS_READ_AGAIN = 500


def _account_rows(accounts: QuerySet) -> list[dict]:
    return _values(accounts.annotate(**_evidence_joins()), ACCOUNT_COLUMNS, ACCOUNT_MOMENTS)


def load_all() -> dict[str, PublicAtlas]:
    """The public atlas in every content language, read from the database now: three queries
    (pages, people, accounts) for all of them."""
    rows = _Rows.read()
    return {code: _build(code, rows) for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}


def load(language: str | None = None) -> PublicAtlas:
    """The public atlas in one language, read from the database now."""
    return _build(content_language(language), _Rows.read())


@dataclass(slots=True)
class _Built:
    """The records of one group (_Group) in one language, linked to each other: its countries,
    posts, people and accounts (each list in the atlas's order), the formerly official accounts,
    and each person row's person."""

    digest: str
    countries: list[Country]
    posts: list[Post]
    people: list[Person]
    accounts: list[Account]
    former: list[Account]
    person_ids: dict[int, int]
    #: The sort keys of its people and accounts, in their order (for the atlas's _spliced).
    person_keys: list[tuple]
    account_keys: list[tuple]
    #: The latest publication of its people and accounts.
    last_published_at: datetime | None = None
    #: The groups (and their digests) of the countries whose records its posts link.
    linked: tuple = ()

    @property
    def size(self) -> int:
        """How many records it holds."""
        return sum(map(len, (self.countries, self.posts, self.people, self.accounts, self.former)))


@dataclass(slots=True)
class _Parts:
    """What an atlas was built of, for the next generation's build to take over: the rows'
    basis, each group's records, and the platform records and presence labels the groups
    share."""

    basis: str
    groups: dict[object, _Built] = field(default_factory=dict)
    platforms: dict[int, Platform] = field(default_factory=dict)
    labels: dict[tuple[int, str], str] = field(default_factory=dict)
    #: How many records were built anew (the other groups' were taken over).
    rebuilt: int = 0
    #: The sort keys of the atlas's accounts and people, in their order.
    account_keys: list[tuple] = field(default_factory=list)
    person_keys: list[tuple] = field(default_factory=list)


def _build(language: str, rows: _Rows, base: PublicAtlas | None = None) -> PublicAtlas:
    """The records of one language from the rows of every public page and every live person and
    account (each person and account kept only if its owner is public). Given ``base``, an
    earlier generation's atlas in the language, the records of every group whose rows are the
    same (and, for a post, its countries') are taken over from it: a publish costs the records
    of its post, not the atlas's."""
    page_groups = _page_groups(rows.pages)
    countries_of_posts = _countries_of_posts(rows.pages, page_groups)

    def linked(key: object) -> tuple:
        countries = countries_of_posts.get(key, ())
        return tuple((country, rows.groups.get(country)) for country in countries)

    while True:
        taken = base._parts if base is not None and base._parts.basis == rows.basis else None
        changed = {
            key: digest
            for key, digest in rows.groups.items()
            if taken is None
            or key not in taken.groups
            or taken.groups[key].digest != digest
            or taken.groups[key].linked != linked(key)
        }
        fetched = rows.fetch(changed.values())
        if fetched is not None:
            break
    parts = _Parts(basis=rows.basis)
    if taken is not None:
        parts.platforms, parts.labels = taken.platforms, taken.labels
    replaced = [taken.groups[key] for key in changed if key in taken.groups] if taken else []
    gone = [built for key, built in taken.groups.items() if key not in rows.groups] if taken else []
    evidence_of = _EvidenceReader(language)
    fresh = []
    # The countries first: the posts' records link theirs.
    around = _Places({row["id"]: row for row in rows.pages if row["countrypage"]})
    countries_first = sorted(rows.groups, key=lambda key: not str(key).startswith("country:"))
    for key in countries_first:
        if key in changed:
            digest = changed[key]
            built = _build_group(
                language, fetched[digest], digest, rows.today, parts, evidence_of, around
            )
            built.linked = linked(key)
            fresh.append(built)
        else:
            built = taken.groups[key]
        parts.groups[key] = built
        around.add(built.countries)
    parts.groups = {key: parts.groups[key] for key in rows.groups}  # in the rows' order
    parts.rebuilt = sum(built.size for built in fresh)
    if taken is None:
        return _assembled(language, rows, parts)
    return _assembled(language, rows, parts, base, [*replaced, *gone], fresh)


@dataclass(slots=True)
class _Places:
    """What a group's posts hang on beyond its own rows: every public country page's row, and
    the country records of this language built so far (the countries' groups come first)."""

    #: Every public country page's row, by page id.
    country_rows: dict[int, dict]
    #: By page id and by translation key.
    countries: dict[int, Country] = field(default_factory=dict)
    countries_by_key: dict[uuid.UUID, Country] = field(default_factory=dict)

    def add(self, countries: list[Country]) -> None:
        for country in countries:
            self.countries[country.id] = self.countries_by_key[country.translation_key] = country


def _build_group(
    language: str,
    group: _Group,
    digest: str,
    today: date,
    parts: _Parts,
    evidence_of: _EvidenceReader,
    around: _Places,
) -> _Built:
    """The records of one group (whose rows' digest is ``digest``) in one language, linked to
    each other and to their countries' (``around``), their lists in the atlas's order."""
    page_rows, urls = group.pages, group.urls
    live_people, account_rows = _People.of(group.people), group.accounts
    activity = _activity(account_rows)
    platforms, labels = parts.platforms, parts.labels

    # Countries and posts of this language. People and accounts may point at a post in any
    # language: every public post, by id, gives the facts they hang on (_Owner).
    in_language = [row for row in page_rows if row["locale__language_code"] == language]
    countries: dict[int, Country] = {}
    for row in in_language:
        if row["countrypage"] is not None and row["id"] in urls:
            countries[row["id"]] = Country(
                id=row["id"],
                translation_key=row["translation_key"],
                code=iso_code(row["countrypage__iso_code"]),
                # An import may leave the title empty: the ISO name in the language then.
                name=row["title"] or places.country_name(row["countrypage__iso_code"], language),
                slug=row["slug"],
                url=urls[row["id"]],
                location=Point.of(row["countrypage__lat"], row["countrypage__lng"]),
                last_published_at=row["last_published_at"],
                wikidata_id=row["countrypage__wikidata_id"] or None,
            )
    owners: dict[int, _Owner] = {}
    posts: dict[uuid.UUID, Post] = {}
    for row in page_rows:
        if row["postpage"] is None:
            continue
        country_row = around.country_rows.get(row["postpage__country"])
        owners[row["id"]] = _Owner(
            post_key=row["translation_key"],
            country_key=country_row["translation_key"] if country_row else None,
            country_code=iso_code(country_row["countrypage__iso_code"]) if country_row else "",
        )
        country = around.countries.get(row["postpage__country"])
        if row["locale__language_code"] == language and country and row["id"] in urls:
            posts[row["translation_key"]] = Post(
                id=row["id"],
                translation_key=row["translation_key"],
                name=row["title"],
                slug=row["slug"],
                url=urls[row["id"]],
                kind=POST_KINDS[row["postpage__kind"]],
                city=row["postpage__city"],
                address=row["postpage__address"],
                website=row["postpage__website"],
                location=Point.of(row["postpage__lat"], row["postpage__lng"]),
                country=country,
                last_published_at=row["last_published_at"],
                wikidata_id=row["postpage__wikidata_id"] or None,
            )
    countries_by_key = around.countries_by_key

    # People: at the ministry's top, or serving at a public post.
    people: dict[int, Person] = {}
    #: People whose consent to list their personal accounts stands.
    consenting = set()
    #: People whose term of office has ended.
    departed = set()
    # Each public page id (any language) -> what hangs on it in this language: looked up
    # once per page, so the rows below cost a dict lookup by int each.
    in_this_language = {
        page_id: (posts.get(owner.post_key), countries_by_key.get(owner.country_key), owner)
        for page_id, owner in owners.items()
    }
    at_the_top = (None, None, _Owner())
    people_places = {}
    for row in live_people.rows:
        place = in_this_language.get(row["post"]) if row["post"] is not None else at_the_top
        if place is None:  # serving at a post that is not public
            continue
        people_places[row["id"]] = place
        if models.consent_stands(row["consent_given_at"], row["consent_withdrawn_at"]):
            consenting.add(row["id"])
        ended = models.term_has_ended(row["term_end"], today)
        if ended:
            departed.add(row["id"])
        post, _country, owner = place
        titles = live_people.titles.get(row["translation_key"], {})
        people[row["id"]] = Person(
            id=row["id"],
            name=row["name"],
            role=ROLES[row["role"]],
            job_title=titles.get(language, row["job_title"]),
            post=None if ended else post,
            post_key=None if ended else owner.post_key,
            country_code="" if ended else owner.country_code,
            last_published_at=row["last_published_at"],
            translation_key=row["translation_key"],
            term_start=row["term_start"],
            term_end=row["term_end"],
            term_ended=ended,
            formerly_at=post if ended else None,
            wikidata_id=row["wikidata_id"] or None,
        )

    person_roles = {row["id"]: row["role"] for row in live_people.rows}

    # Accounts, with their platforms: of a public post or of a public person.
    accounts = []
    personal, organisational = (
        models.SocialAccount.Kind.PERSONAL,
        models.SocialAccount.Kind.ORGANISATION,
    )
    office, renamed = models.SocialAccount.SpeaksFor.OFFICE, models.SocialAccount.Status.RENAMED
    closed = models.SocialAccount.Status.CLOSED
    #: Closed accounts, and taken-over ones not renamed: never listed (a link would lead
    #: nowhere, or to someone else), only found by address to say what they were.
    former = []
    for row in account_rows:
        speaks_for = _speaks_for(row, person_roles)
        formerly_at = None
        if row["person"] is not None:
            person = people.get(row["person"])
            place = people_places.get(row["person"])
            if speaks_for != office and row["person"] not in consenting:
                continue  # a personal account without its owner's consent
            if row["person"] in departed and place is not None and place[2].post_key:
                if speaks_for == office:
                    person = None  # the position's: the post's until handed over
                else:  # the departed person's own: findable, listed under no post
                    formerly_at, place = place[0], at_the_top
        else:
            person, place = None, in_this_language.get(row["post"])
        if place is None:
            continue  # its owner is not public
        post, country, owner = place
        platform = platforms.get(row["platform"])
        if platform is None:
            platform = platforms[row["platform"]] = Platform(
                id=row["platform"],
                slug=row["platform__slug"],
                name=row["platform__name"],
                sort_order=row["platform__sort_order"],
                hosts=profile_urls.parse_hosts(row["platform__hosts"]),
                profile_path=row["platform__profile_path"],
            )
        form = FORMS[
            row["form"]
            or profile_urls.presence_form(
                platform.slug, row["url"], personal=row["person"] is not None
            )
        ]
        label = labels.get((platform.id, form))
        if label is None:
            with translation.override(language):
                label = models.presence_label(platform.name, platform.slug, form)
            labels[platform.id, form] = label
        status = STATUSES[row["status"]]
        account = Account(
            id=row["id"],
            platform=platform,
            form=form,
            form_label=label,
            handle=row["handle"],
            url=row["url"],
            normalized_url=row["normalized_url"],
            name=row["display_name"],
            language=row["language"],
            kind=personal if row["person"] is not None else organisational,
            speaks_for=speaks_for,
            status=status,
            new_url=row["new_url"] if row["status"] == renamed and row["new_url"] else None,
            person=person,
            post=post,
            country=country,
            post_key=owner.post_key,
            country_code=owner.country_code,
            country_key=owner.country_key,
            last_published_at=row["last_published_at"],
            first_published_at=row["first_published_at"],
            status_since=_status_since(row),
            identity=row["platform_identity"] or row["identity_record__identity"] or "",
            takeover_at=row["identity_record__takeover_at"],
            evidence=evidence_of(row, platform),
            **activity.get(row["id"], NO_ACTIVITY).fields(),
            formerly_at=formerly_at,
        )
        if status == closed or (account.takeover_at and not account.new_url):
            former.append(account)
        else:
            accounts.append(account)
    people_a_z, person_keys = _in_order(people.values(), _person_order)
    accounts, account_keys = _in_order(accounts, _account_order)
    _linked_people(people_a_z, posts.values(), accounts)
    posts_a_z = sorted(posts.values(), key=_post_order)
    return _Built(
        digest=digest,
        countries=sorted(countries.values(), key=_country_order),
        posts=posts_a_z,
        people=people_a_z,
        accounts=accounts,
        former=former,
        person_ids=live_people.ids,
        person_keys=person_keys,
        account_keys=account_keys,
        last_published_at=_latest_publication(people_a_z, accounts),
    )


def _assembled(
    language: str,
    rows: _Rows,
    parts: _Parts,
    base: PublicAtlas | None = None,
    replaced: list[_Built] = (),
    fresh: list[_Built] = (),
) -> PublicAtlas:
    """The atlas of the groups' records: each list in the atlas's order, the platforms counted.
    Given ``base``, whose groups ``replaced`` were built anew as ``fresh`` (or are gone), its
    long lists with the fresh records in place of the replaced ones (sorting them all would
    cost more than the rest)."""
    built = parts.groups.values()
    in_language = [row for row in rows.pages if row["locale__language_code"] == language]
    last_page_change = max(
        (row["last_published_at"] for row in in_language if row["last_published_at"]),
        default=None,
    )
    earlier_versions = {}
    if base is None:
        accounts, parts.account_keys = _merged(built, "accounts", "account_keys")
        people, parts.person_keys = _merged(built, "people", "person_keys")
    else:
        accounts, parts.account_keys = _spliced(
            base.accounts, base._parts.account_keys, replaced, fresh, "accounts", "account_keys"
        )
        people, parts.person_keys = _spliced(
            base.people, base._parts.person_keys, replaced, fresh, "people", "person_keys"
        )
        gone = {id(record) for group in replaced for record in (*group.countries, *group.posts)}
        earlier_versions = {
            key: earlier
            for key, earlier in base._version_contexts.items()
            if id(earlier[0]) not in gone  # never a replaced record (nor its memory kept)
        }
    posts = sorted((post for group in built for post in group.posts), key=_post_order)
    top = parts.groups.get(TOP)  # the people who serve at no post
    lookups = base._lookups.patched(replaced, fresh) if base is not None else None
    if lookups is None:
        person_ids = {}
        for group in built:
            person_ids.update(group.person_ids)
        lookups = _Lookups.of(people, accounts, person_ids)
    # The platform records (and the records taken over, whose atlas is now this one) are the
    # previous atlas's too: no longer served once this one is built, and a request still
    # reading it sees at most the new counts.
    for platform in parts.platforms.values():
        platform.account_count = lookups.platform_counts.get(platform.id, 0)
    return PublicAtlas(
        language=language,
        locale_id=next((row["locale"] for row in in_language), None),
        countries=_linked_countries((c for group in built for c in group.countries), posts),
        posts=posts,
        people=people,
        accounts=accounts,
        person_ids=lookups.person_ids,
        page_keys=rows.page_keys,
        page_links=rows.links.by_key,
        home_links=rows.links.homes,
        last_page_change=last_page_change,
        former=sorted((a for group in built for a in group.former), key=_by_record_id),
        impersonator_rows=rows.impersonators,
        coverage_rows=rows.coverage,
        parts=parts,
        earlier_versions=earlier_versions,
        lookups=lookups,
        leadership=[person for person in top.people if _leads(person)] if top else [],
        last_record_change=(
            max(
                (group.last_published_at for group in built if group.last_published_at),
                default=None,
            ),
        ),
    )


def _in_order(records: Iterable, order: Callable) -> tuple[list, list]:
    """The records in ``order``, and their keys (for the next generation's ``_spliced``)."""
    keyed = sorted(((order(record), record) for record in records), key=operator.itemgetter(0))
    return [record for _key, record in keyed], [key for key, _record in keyed]


def _keyed(groups: Iterable[_Built], name: str, keys_name: str) -> Iterator[tuple]:
    """The ``name`` records of the groups with their sort keys (their ``keys_name``)."""
    for group in groups:
        yield from zip(getattr(group, keys_name), getattr(group, name), strict=True)


def _merged(groups: Iterable[_Built], name: str, keys_name: str) -> tuple[list, list]:
    """The ``name`` records of every group in order, and their keys."""
    keyed = sorted(_keyed(groups, name, keys_name), key=operator.itemgetter(0))
    return [record for _key, record in keyed], [key for key, _record in keyed]


def _spliced(
    records: list,
    keys: list,
    replaced: list[_Built],
    new: list[_Built],
    name: str,
    keys_name: str,
) -> tuple[list, list]:
    """``records`` (in order, whose sort ``keys`` they are) without the ``name`` records of
    the groups ``replaced`` and with those of the groups ``new`` (each group's keys are its
    ``keys_name``), in order, and their keys. Only the changed records are looked at: each is
    found by bisection. A record whose key is a replaced one's (most of a rebuilt group's) takes
    its place; the lists are copied in slices between the others. Every key is unique (it ends
    with an id)."""
    dropped = {key for group in replaced for key in getattr(group, keys_name)}
    spliced, added = records.copy(), []
    for key, record in _keyed(new, name, keys_name):
        if key in dropped:
            dropped.remove(key)
            spliced[bisect.bisect_left(keys, key)] = record
        else:
            added.append((key, record))
    if not dropped and not added:
        return spliced, keys  # the keys are never changed in place: the next splice copies
    records, positions = spliced, sorted(bisect.bisect_left(keys, key) for key in dropped)
    added.sort(key=operator.itemgetter(0))
    spliced, spliced_keys, start = [], [], 0

    def copy_until(end: int) -> None:
        spliced.extend(records[start:end])
        spliced_keys.extend(keys[start:end])

    dropping = iter(positions)
    drop = next(dropping, None)
    for key, record in added:
        at = bisect.bisect_right(keys, key)  # after a dropped record of the same key
        while drop is not None and drop < at:
            copy_until(drop)
            start, drop = drop + 1, next(dropping, None)
        copy_until(at)
        start = at
        spliced.append(record)
        spliced_keys.append(key)
    while drop is not None:
        copy_until(drop)
        start, drop = drop + 1, next(dropping, None)
    copy_until(len(records))
    return spliced, spliced_keys


def _status_since(row: dict) -> date | None:
    """Since when a status other than active holds: as set, else the day of the last publication
    (rows written by imports, which skip the model's clean())."""
    if row["status"] == models.SocialAccount.Status.ACTIVE:
        return None
    if row["status_since"]:
        return row["status_since"]
    published = row["last_published_at"]
    return timezone.localdate(published) if published else None


class _EvidenceReader:
    """An account row's evidence records, its lines said in one language (each line made once
    per kind, site and platform)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.summaries: dict[tuple[str, str], str] = {}

    #: Each kind with its row's columns (iterating an enum per row costs more than the rest).
    KINDS = tuple(
        (kind, f"evidence_{kind}__confirmed_at", f"evidence_{kind}__detail")
        for kind in models.AccountEvidence.Kind
    )

    def __call__(self, row: dict, platform: Platform) -> list[Evidence]:
        found = []
        for kind, confirmed_column, detail_column in self.KINDS:
            confirmed_at = row[confirmed_column]
            if confirmed_at is None:
                continue
            detail = row[detail_column] or ""
            # Never who confirmed it: an editor's confirmation says no more than that.
            source = "" if kind == models.AccountEvidence.Kind.EDITOR else detail
            found.append(
                Evidence(
                    kind=kind,
                    source=source,
                    confirmed_at=confirmed_at,
                    summary=self.summary(kind, source, platform.name),
                )
            )
        return found

    def summary(self, kind: str, source: str, platform_name: str) -> str:
        site = _site_of(source) if kind == models.AccountEvidence.Kind.SITE_LINK else ""
        key = (kind, site or platform_name)
        if key not in self.summaries:
            with translation.override(self.language):
                self.summaries[key] = _evidence_summary(kind, site, platform_name)
        return self.summaries[key]


def _site_of(url: str) -> str:
    """The host a confirming page is on, without www. ("netherlandsworldwide.nl")."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return profile_urls.bare_host(host) if host else ""


def _evidence_summary(kind: str, site: str, platform_name: str) -> str:
    kinds = models.AccountEvidence.Kind
    if kind == kinds.SITE_LINK:
        if site:
            return _("linked from %(site)s") % {"site": site}
        return _("linked from the post's official website")
    if kind == kinds.REL_ME:
        return _("links back to the atlas")
    if kind == kinds.PLATFORM_VERIFIED:
        return _("verified by %(platform)s") % {"platform": platform_name}
    return _("confirmed by an editor")


def _speaks_for(row: dict, person_roles: dict[int, str]) -> models.SocialAccount.SpeaksFor:
    """Whom an account speaks for: as stored, else as SocialAccount.default_speaks_for says
    (rows written without the model's save, e.g. by a bulk import)."""
    if row["speaks_for"]:
        return SPEAKS_FOR[row["speaks_for"]]
    role = None if row["person"] is None else person_roles.get(row["person"], "")
    return models.SocialAccount.speaks_for_by_default(role)


def _linked_countries(countries: Iterable[Country], posts_a_z: list[Post]) -> list[Country]:
    """Countries A–Z, each with its posts A–Z and its count of accounts (after the posts'). A
    country's record outlives a rebuild of its posts' (their groups are their own): it gets new
    lists, never changed in place, as a request still reading the previous atlas may."""
    countries = sorted(countries, key=_country_order)
    posts_of = defaultdict(list)
    for post in posts_a_z:
        posts_of[post.country.id].append(post)
    for country in countries:
        country.posts = posts_of.get(country.id, [])
        country.account_count = sum(post.account_count for post in country.posts)
    return countries


def _linked_people(people: list[Person], posts: Iterable[Post], accounts: list[Account]) -> None:
    """People (A–Z, _person_order) and accounts (in the platforms' order and each platform's
    forms', its usual one first: _account_order) on their owner, counted per post and platform
    (and form). (The platforms' counts over the whole atlas are _assembled's.)"""
    for person in people:
        if person.post is not None:
            person.post.people.append(person)
    by_post: dict[int, list[Account]] = defaultdict(list)
    for account in accounts:
        if account.person is not None:
            account.person.accounts.append(account)
        elif account.post is not None:
            account.post.accounts.append(account)
        if account.post is not None:
            by_post[account.post.id].append(account)
    for post in posts:
        owned = by_post.get(post.id, ())
        post.account_count = len(owned)
        counts = Counter(account.platform.id for account in owned)
        platforms = {account.platform.id: account.platform for account in owned}
        post.platform_counts = [
            PlatformCount(platform=platforms[platform_id], count=count)
            for platform_id, count in sorted(
                counts.items(),
                key=lambda item: (platforms[item[0]].sort_order, sort_key(platforms[item[0]].name)),
            )
        ]
        by_form = Counter((account.platform.id, account.form) for account in owned)
        post.form_counts = sorted(
            (
                FormCount(platform=platforms[platform_id], form=form, count=count)
                for (platform_id, form), count in by_form.items()
            ),
            key=lambda item: _platform_form_order(item.platform, item.form),
        )


def _country_order(country: Country) -> tuple[str, int]:
    return (sort_key(country.name), country.id)


def _post_order(post: Post) -> tuple[str, int]:
    return (sort_key(post.name), post.id)


def _person_order(person: Person) -> tuple[str, int]:
    return (sort_key(person.name), person.id)


def _account_order(account: Account) -> tuple:
    platform = account.platform
    return (*_platform_form_order(platform, account.form), sort_key(account.handle), account.id)


def _by_record_id(record: Account) -> int:
    return record.id


def _platform_form_order(platform: Platform, form: str) -> tuple[int, str, int, int]:
    """Accounts' order: the platforms' (sort order, name), then each platform's forms, its
    usual one first (LinkedIn pages before LinkedIn groups)."""
    return _form_order(platform.sort_order, platform.name, platform.id, platform.slug, form)


@functools.lru_cache(maxsize=1024)
def _form_order(
    sort_order: int, name: str, platform_id: int, slug: str, form: str
) -> tuple[int, str, int, int]:
    forms = profile_urls.presence_rule(slug).forms
    rank = forms.index(form) if form in forms else len(forms)
    return (sort_order, sort_key(name), platform_id, rank)


# One atlas per language and publication generation, per process. ----------------------------

#: While the shared cache is down there is no generation to check against: an atlas read at
#: most this many seconds ago is reused, so a change shows within that time and a crowd costs
#: one read per process per interval, not one per request.
UNCHECKED_REUSE_SECONDS = 5.0

_loaded: dict[str, object] = {"generation": None, "rows": None, "atlases": {}, "read_at": 0.0}
_loaded_lock = threading.Lock()
#: Held while this process reads the rows: one read at a time, the other threads take its rows.
_reading_lock = threading.Lock()
#: Held while this process builds a language's atlas from the rows: one build at a time.
_building_lock = threading.Lock()


def follower_history(
    accounts: Iterable[Account], since: date | None = None
) -> dict[int, list[FollowerPoint]]:
    """The follower counts by day (oldest first, from ``since`` on) of these accounts, records
    of a public atlas, where their activity is shown (a platform with an open source, read at
    least once); one query. Not held in the atlas: a year of days for every account would
    outweigh it, and only a post page or an API field asks."""
    shown = [account.id for account in accounts if account.activity_fetched_at is not None]
    if not shown:
        return {}
    points = models.FollowerCount.objects.filter(account_id__in=shown)
    if since is not None:
        points = points.filter(day__gte=since)
    history: dict[int, list[FollowerPoint]] = defaultdict(list)
    for account_id, day, count in points.order_by("account_id", "day").values_list(
        "account_id", "day", "count"
    ):
        history[account_id].append(FollowerPoint(day=day, count=count))
    return history


def public_atlas(language: str | None = None) -> PublicAtlas:
    """The public atlas in a language as of the current publication generation. The database
    is read once per generation and process, for every language; each language's records are
    built from those rows when first asked for. When the shared cache cannot tell the
    generation, rows read in the last UNCHECKED_REUSE_SECONDS are reused, else read anew."""
    language = content_language(language)
    token, rows, atlases = _current()
    return _in_language(language, token, rows, atlases)


def public_atlases() -> tuple[str | None, dict[str, PublicAtlas]]:
    """The current publication generation's token (None when the shared cache cannot tell it)
    and the public atlas of every language read for it (see public_atlas)."""
    token, rows, atlases = _current()
    languages = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    return token, {
        language: _in_language(language, token, rows, atlases, release=language == languages[-1])
        for language in languages
    }


def _current() -> tuple[str | None, _Rows, dict[str, PublicAtlas]]:
    """The generation's token, its rows and the languages built from them so far. One thread
    of a process reads them while the others wait (and then take what it read)."""
    token = generation.current()
    loaded = _usable(token)
    if loaded is None:
        with _reading_lock:
            loaded = _usable(token)
            if loaded is None:
                with collection_paused():
                    rows = _rows_of(token)
                atlases = {}
                with _loaded_lock:
                    _loaded.update(
                        generation=token, rows=rows, atlases=atlases, read_at=time.monotonic()
                    )
                loaded = token, rows, atlases
    return loaded


def _usable(token: str | None) -> tuple[str | None, _Rows, dict[str, PublicAtlas]] | None:
    with _loaded_lock:
        if token is not None:
            usable = _loaded["generation"] == token
        else:
            usable = time.monotonic() - _loaded["read_at"] < UNCHECKED_REUSE_SECONDS
        return (token, _loaded["rows"], _loaded["atlases"]) if usable else None


def _rows_of(token: str | None) -> _Rows:
    """The rows of generation ``token``: read from the database by the first process to ask
    and shared with the others through the shared cache, so a publish costs one read of the
    database however many processes and machines serve the atlas. The others load its
    manifest, and fetch the groups a build needs (those that changed, for a process that built
    the previous generation); one that finds another reading waits for its manifest up to
    ATLAS_SNAPSHOT_WAIT seconds, then reads itself. Without the shared cache, each process
    reads."""
    if token is None:
        return _Rows.read()
    key = MANIFEST_KEY.format(token)
    deadline = time.monotonic() + settings.ATLAS_SNAPSHOT_WAIT
    reading = False  # whether this process holds READING_KEY (one that gave up waiting does not)
    while True:
        manifest = shared_cache.call_cache("get", key)
        if manifest is not None:
            return _Rows.of_manifest(manifest, token)
        if shared_cache.call_cache("add", READING_KEY.format(token), 1, 60) is not False:
            reading = True  # this process reads (or the cache is down: then each does)
            break
        if time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    try:
        rows = _rows_since_earlier(token) or _Rows.read()
        rows.share(token)
    finally:
        if reading:  # never the mark of another process still reading
            shared_cache.call_cache("delete", READING_KEY.format(token))
    return rows


#: How many generations back a reader looks for rows shared before (a publish makes one).
EARLIER_GENERATIONS = 8


def _rows_since_earlier(token: str) -> _Rows | None:
    """The rows of generation ``token`` from the rows of the newest earlier generation still
    shared (EARLIER_GENERATIONS back at most), with the rows changed since read again
    (_Rows.updated): a publish of one account reads one row. None when there is none, or some
    bump since did not say what it changed (generation.changed_since)."""
    if not token.isdigit():
        return None
    counter = int(token)
    keys = {
        MANIFEST_KEY.format(counter - back): counter - back
        for back in range(1, EARLIER_GENERATIONS + 1)
    }
    found = shared_cache.call_cache("get_many", list(keys)) or {}
    if not found:
        return None
    newest = max(found, key=keys.get)
    earlier = str(keys[newest])
    changed = generation.changed_since(token, earlier)
    if changed is None:
        return None
    placement = shared_cache.call_cache("get", PLACEMENT_KEY.format(earlier))
    if placement is not None:  # made by this code: the shared cache is trusted as the database is
        placement = pickle.loads(zlib.decompress(placement))  # noqa: S301
    return _Rows.of_manifest(found[newest], earlier).updated(changed, placement)


def ready(token: str | None, language: str | None = None) -> bool:
    """Whether this process holds the atlas of generation ``token`` in ``language``, or in every
    content language when none is given (answering from it costs no read of the database)."""
    languages = (
        [language] if language else [code for code, _n in settings.WAGTAIL_CONTENT_LANGUAGES]
    )
    with _loaded_lock:
        return (
            token is not None
            and _loaded["generation"] == token
            and all(code in _loaded["atlases"] for code in languages)
        )


#: The generation being read in the background, and the languages asked for (None: all).
_warming: dict[str, object] = {"token": None, "languages": set()}


def warm_in_background(token: str, language: str | None = None) -> None:
    """Read the atlas of generation ``token`` in ``language`` (every language when None) in a
    thread of its own, once per process, generation and language, while the requests meanwhile
    are answered from the previous generation: a crowd on the Dutch pages builds no English
    atlas (a request in English builds it when it comes)."""
    with _loaded_lock:
        if _warming["token"] != token:
            _warming.update(token=token, languages=set())
        if language in _warming["languages"] or None in _warming["languages"]:
            return
        _warming["languages"].add(language)
    threading.Thread(target=_warm, args=(language,), name="atlas-warm", daemon=True).start()


def _warm(language: str | None) -> None:
    try:
        if language:
            public_atlas(language)
        else:
            public_atlases()
    except Exception:  # a request reads it itself then; the failure must not pass unseen
        logger.exception("Reading the public atlas in the background failed")
    finally:
        db.connection.close()  # this thread's own connection


def _in_language(
    language: str,
    token: str | None,
    rows: _Rows,
    atlases: dict[str, PublicAtlas],
    release: bool = True,
) -> PublicAtlas:
    """The atlas of a language, built by one thread of the process while the others wait for
    it (a crowd on a threaded server would otherwise build it once per thread), from the last
    atlas this process built in the language (_build takes over its unchanged groups). The
    groups' rows are let go of once it is built (unless ``release`` is False: more languages
    follow at once), and fetched again if another language is asked for later."""
    atlas = atlases.get(language)
    if atlas is None:
        with _building_lock:
            atlas = atlases.get(language)
            if atlas is None:
                with collection_paused():
                    atlas = _build(language, rows, base=_latest.get(language))
                atlases[language] = _latest[language] = atlas
                if release:
                    rows.release()
                # The records of the groups built anew replace records that link each other
                # (a post and its accounts), so only a collection of the oldest objects frees
                # them, and with the thresholds of cms.gc_tuning one comes every fifty
                # generations or so: a worker grew by about 60 MB per publish at 30,000
                # accounts when every publish rebuilt the atlas. A full collection costs about
                # as much as a build, so it follows the builds that replaced, together, an
                # eighth of the records: a publish rebuilds its post's.
                _replaced["records"] += atlas._parts.rebuilt
                records = sum(built.size for built in atlas._parts.groups.values())
                if (
                    _replaced["records"] * COLLECT_AFTER_REPLACING >= records
                    and settings.ATLAS_COLLECT_PREVIOUS_GENERATION
                ):
                    _replaced["records"] = 0
                    gc.collect()
                _give_back_freed_memory()
    return atlas


def _give_back_freed_memory() -> None:
    """Return the heap freed since the build began (the fetched rows, their decompressed
    pickles, the replaced records) to the system: glibc keeps it for the process's later
    allocations otherwise. After a publish at 30,000 accounts, about 20 MB of a worker's
    memory in 1 ms."""
    if _malloc_trim is not None:
        _malloc_trim(0)


try:  # glibc's; other C libraries give freed memory back by themselves, or not at all
    _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):
    _malloc_trim = None


#: A full collection follows the builds that replaced 1/COLLECT_AFTER_REPLACING of the records.
COLLECT_AFTER_REPLACING = 8
#: The records built anew since the last full collection.
_replaced = {"records": 0}
#: The last atlas built in each language, of whatever generation: the next build's base.
_latest: dict[str, PublicAtlas] = {}


_paused = {"count": 0, "was_enabled": False}
_paused_lock = threading.Lock()


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No garbage collection while the atlas is read or built: it allocates a million objects
    that all stay alive, and the collections they would set off (scanning the atlas in use too)
    cost a third of the time at 30,000 accounts. Nested and threads: the last one out turns the
    collector back on, if it was on."""
    with _paused_lock:
        if _paused["count"] == 0:
            _paused["was_enabled"] = gc.isenabled()
            gc.disable()
        _paused["count"] += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused["count"] -= 1
            if _paused["count"] == 0 and _paused["was_enabled"]:
                gc.enable()


def forget() -> None:
    """Drop the atlases read and the page paths remembered (tests; settings changes)."""
    with _loaded_lock:
        _loaded.update(generation=None, rows=None, atlases={}, read_at=0.0)
        _warming.update(token=None, languages=set())
        _latest.clear()
        _page_paths.clear()
