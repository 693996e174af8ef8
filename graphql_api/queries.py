"""The root query of the public API: every field reads the public atlas of its ``locale``
(``atlas_pages.publication.public_atlas``), which holds only what the public may see."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

import strawberry
from django.conf import settings
from graphql import GraphQLError
from strawberry_django.pagination import NodeType, OffsetPaginated, OffsetPaginationInput, apply

from atlas_pages.publication import changes as changes_feed
from atlas_pages.publication import history, public_atlas
from atlas_pages.publication.public_atlas import PublicAtlas
from atlas_pages.publication.records import VerdictKind
from atlas_pages.rules.text import sort_key
from graphql_api.filters import (
    AccountFilter,
    CountryFilter,
    PersonFilter,
    PostFilter,
    parse_id,
)
from graphql_api.types import (
    AccountType,
    Atlas,
    ChangeType,
    CountryType,
    ImpersonatorType,
    PersonType,
    PlatformType,
    PostType,
    SearchResult,
    VerdictType,
)

#: The most results one ``search`` returns, whatever ``limit`` asks for.
SEARCH_MAX_LIMIT = 50
PAGINATION_NOTE = " Pagination: `limit` defaults to 50 and is capped at 200."
LOCALE_DESCRIPTION = (
    'Content language of the pages returned and reached from here: "nl" (the default) or "en".'
)

Record = TypeVar("Record")

AS_OF_DESCRIPTION = (
    "The published atlas as it was at this moment (ISO 8601; without an offset, UTC), rebuilt "
    "from the changes log; omitted or from now on: as it is now. The past is known at the "
    "granularity the log was recorded at (every minute, and whenever changes are asked for): a "
    "change is dated when it was recorded. A past answer holds no follower counts, recent posts "
    "or evidence, and no personal account of a person who has withdrawn consent since. A moment "
    "before the history begins is an error."
)

#: The optional ``locale`` argument of every root field: the language of all it reaches.
LocaleArg = Annotated[str | None, strawberry.argument(description=LOCALE_DESCRIPTION)]
#: The optional ``asOf`` argument of the atlas's list roots: the atlas at a past moment.
AsOfArg = Annotated[
    datetime.datetime | None, strawberry.argument(name="asOf", description=AS_OF_DESCRIPTION)
]


def atlas_in(locale: str | None, as_of: datetime.datetime | None = None) -> PublicAtlas:
    """The public atlas in the locale's language (as of a moment, when given); a clear error for
    a language it lacks or a moment before the history."""
    try:
        if as_of is not None:
            return history.atlas_as_of(as_of, locale)
        return public_atlas.public_atlas(locale)
    except history.BeforeHistory as error:
        raise GraphQLError(str(error)) from None
    except LookupError:
        raise unknown_locale(locale) from None


def unknown_locale(locale: str | None) -> GraphQLError:
    codes = ", ".join(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES)
    return GraphQLError(f"Unknown locale '{locale}'; use one of: {codes}")


@strawberry.type(name="OffsetPaginated")
class Paginated(OffsetPaginated[NodeType]):
    """strawberry-django's offset pagination over a list of records."""

    def get_total_count(self) -> int:
        return len(self.queryset)

    def get_paginated_queryset(self) -> Sequence[object]:
        return apply(self.pagination, self.queryset)


def paginated(records: Sequence[object], pagination: OffsetPaginationInput | None) -> Paginated:
    if pagination and pagination.offset < 0:
        raise GraphQLError("offset must not be negative.")
    return Paginated(queryset=records, pagination=pagination or OffsetPaginationInput())


def _by_id(find: Callable[[int], Record | None], id: strawberry.ID) -> Record | None:
    pk = parse_id(id)
    return find(pk) if pk is not None else None


@strawberry.type
class Query:
    @strawberry.field(description="Headline figures of the whole atlas.")
    def atlas(self, locale: LocaleArg = None, as_of: AsOfArg = None) -> Atlas:
        return atlas_in(locale, as_of).figures

    @strawberry.field(description="Every published country, ordered by name.")
    def countries(
        self,
        filters: CountryFilter | None = None,
        locale: LocaleArg = None,
        as_of: AsOfArg = None,
    ) -> list[CountryType]:
        atlas = atlas_in(locale, as_of)
        return filters.apply(atlas, atlas.countries) if filters else atlas.countries

    @strawberry.field(
        description='One country by ISO 3166-1 alpha-2 code, case-insensitive ("jp", "JP"); '
        "null if absent."
    )
    def country(self, code: str, locale: LocaleArg = None) -> CountryType | None:
        return atlas_in(locale).country_by_code(code)

    @strawberry.field(description="Published posts, ordered by name." + PAGINATION_NOTE)
    def posts(
        self,
        filters: PostFilter | None = None,
        pagination: OffsetPaginationInput | None = None,
        locale: LocaleArg = None,
        as_of: AsOfArg = None,
    ) -> Paginated[PostType]:
        atlas = atlas_in(locale, as_of)
        posts = filters.apply(atlas, atlas.posts) if filters else atlas.posts
        return paginated(posts, pagination)

    @strawberry.field(
        description="One post by the id of its page in the locale's language or in another "
        "(its translation in the locale's language is returned); null if absent."
    )
    def post(self, id: strawberry.ID, locale: LocaleArg = None) -> PostType | None:
        return _by_id(atlas_in(locale).post, id)

    @strawberry.field(description="Published accounts, by platform and handle." + PAGINATION_NOTE)
    def accounts(
        self,
        filters: AccountFilter | None = None,
        pagination: OffsetPaginationInput | None = None,
        locale: LocaleArg = None,
        as_of: AsOfArg = None,
    ) -> Paginated[AccountType]:
        atlas = atlas_in(locale, as_of)
        accounts = filters.apply(atlas, atlas.accounts) if filters else atlas.accounts
        return paginated(accounts, pagination)

    @strawberry.field
    def account(self, id: strawberry.ID, locale: LocaleArg = None) -> AccountType | None:
        return _by_id(atlas_in(locale).account, id)

    @strawberry.field(
        description="The published account that a profile URL points to, or null: lets anyone "
        "check whether an account is an official one. URLs are compared normalised (scheme, "
        "www./m./mobile. host prefixes, host aliases such as twitter.com = x.com, case of the "
        "host and handle, trailing slash, query string and fragment ignored)."
    )
    def account_by_url(self, url: str, locale: LocaleArg = None) -> AccountType | None:
        verdict = atlas_in(locale).verdict_for_url(url)
        # Official, or the old address of a renamed account (status RENAMED, with newUrl);
        # never an address that changed hands, nor a closed account.
        if verdict.kind in (VerdictKind.OFFICIAL, VerdictKind.RENAMED):
            return verdict.account
        return None

    @strawberry.field(
        description='"Is the account at this address official?": the atlas\'s answer for a '
        "pasted profile URL (compared as accountByUrl compares it), with the account, its "
        "status and dates. The old address of a renamed account, a closed account and an "
        "address that changed hands are answered as such, never as OFFICIAL."
    )
    def verify_address(self, url: str, locale: LocaleArg = None) -> VerdictType:
        return atlas_in(locale).verdict_for_url(url[:2000])

    @strawberry.field(description="Published people, ordered by name." + PAGINATION_NOTE)
    def people(
        self,
        filters: PersonFilter | None = None,
        pagination: OffsetPaginationInput | None = None,
        locale: LocaleArg = None,
        as_of: AsOfArg = None,
    ) -> Paginated[PersonType]:
        atlas = atlas_in(locale, as_of)
        people = filters.apply(atlas, atlas.people) if filters else atlas.people
        return paginated(people, pagination)

    @strawberry.field
    def person(self, id: strawberry.ID, locale: LocaleArg = None) -> PersonType | None:
        return _by_id(atlas_in(locale).person, id)

    @strawberry.field(
        description="Addresses the press desk confirmed pretend to be official accounts, most "
        "recently confirmed first: the atlas's public statement of known impersonators."
    )
    def impersonators(self, locale: LocaleArg = None) -> list[ImpersonatorType]:
        return atlas_in(locale).impersonators.all

    @strawberry.field(
        description="Every platform that has at least one published account, ordered by name."
    )
    def platforms(self) -> list[PlatformType]:
        platforms = atlas_in(None).platforms
        return sorted(platforms, key=lambda platform: (sort_key(platform.name), platform.id))

    @strawberry.field(
        description="Full-text search over countries, posts, people and accounts, best match "
        f"first. At most {SEARCH_MAX_LIMIT} results, whatever `limit` asks for. Countries and "
        "posts are searched in the locale's language."
    )
    def search(self, query: str, limit: int = 20, locale: LocaleArg = None) -> list[SearchResult]:
        atlas = atlas_in(locale)
        if limit < 0:
            raise GraphQLError("limit must not be negative.")
        return atlas.search(query[:200], min(limit, SEARCH_MAX_LIMIT))

    @strawberry.field(
        description="Accounts, people and posts added, changed or removed after `since`, each "
        "once, by its last change, oldest first: what a front end needs to bring its copy up "
        "to date. Removals (unpublished, deleted, made private, owner no longer public) are "
        "tombstones. Pass the latest `at` you have seen as the next `since`."
    )
    def changes(self, since: datetime.datetime, locale: LocaleArg = None) -> list[ChangeType]:
        try:
            return changes_feed.changes_since(since, locale)
        except LookupError:
            raise unknown_locale(locale) from None
