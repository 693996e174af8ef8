"""The root query of the public API. Every resolver starts from a selector in
``atlas_pages.selectors``; the types' ``get_queryset`` applies the same rule again to whatever
queryset strawberry-django hands it, so nested lists and foreign keys stay public too."""

from __future__ import annotations

from typing import Annotated

import strawberry
import strawberry_django
from django.db.models import DateTimeField, F, Func, Subquery
from graphql import GraphQLError
from strawberry_django.pagination import OffsetPaginated, OffsetPaginationInput
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from atlas_pages import selectors
from atlas_pages.models import Platform
from atlas_pages.services import normalise_lookup_url, search_words
from graphql_api.filters import (
    AccountFilter,
    CountryFilter,
    PersonFilter,
    PostFilter,
    parse_id,
)
from graphql_api.types import (
    LOCALE_DESCRIPTION,
    AccountType,
    Atlas,
    CountryType,
    PersonType,
    PlatformType,
    PostType,
    SearchResult,
    account_queryset,
    batched,
    count_of,
    person_queryset,
    use_locale,
)

#: The most results one ``search`` returns, whatever ``limit`` asks for.
SEARCH_MAX_LIMIT = 50
#: The most index hits per model that search narrows down to public ones.
SEARCH_CANDIDATES = 500
PAGINATION_NOTE = " Pagination: `limit` defaults to 50 and is capped at 200."

#: The optional ``locale`` argument of every field that returns pages or reaches them.
LocaleArg = Annotated[str | None, strawberry.argument(description=LOCALE_DESCRIPTION)]


def _latest(queryset):
    latest = queryset.order_by().annotate(
        _latest=Func(F("last_published_at"), function="MAX", output_field=DateTimeField())
    )
    return Subquery(latest.values("_latest")[:1])


def atlas_figures(language=None) -> Atlas:
    """The headline figures, in one SQL query of correlated subqueries over the selectors.

    Countries and posts are counted in one language (each page exists once per language);
    people and accounts are language-neutral."""
    language = selectors.content_language(language)
    pages = Page.objects.filter(depth__gt=1, locale__language_code=language)
    figures = (
        Page.objects.filter(depth=1)  # the tree's root: one row to hang the subqueries on
        .annotate(
            countries=count_of(selectors.public_countries(language)),
            posts=count_of(selectors.public_posts(language)),
            accounts=count_of(selectors.public_accounts()),
            people=count_of(selectors.public_people()),
            pages_at=_latest(selectors.public_pages(pages)),
            people_at=_latest(selectors.public_people()),
            accounts_at=_latest(selectors.public_accounts()),
        )
        .values("countries", "posts", "accounts", "people", "pages_at", "people_at", "accounts_at")
        .first()
    ) or {}
    moments = [figures.get(key) for key in ("pages_at", "people_at", "accounts_at")]
    return Atlas(
        country_count=figures.get("countries", 0),
        post_count=figures.get("posts", 0),
        account_count=figures.get("accounts", 0),
        person_count=figures.get("people", 0),
        last_published_at=max((moment for moment in moments if moment), default=None),
    )


def check_offset(pagination):
    if pagination and pagination.offset < 0:
        raise GraphQLError("offset must not be negative.")


def _by_id(queryset, id):
    pk = parse_id(id)
    return queryset.filter(pk=pk) if pk is not None else queryset.none()


def _page_by_id(queryset, id):
    """The page of the queryset's language with this id, or the translation of the page with
    this id in that language (so that ids of one language work in the other)."""
    pk = parse_id(id)
    if pk is None:
        return queryset.none()
    return queryset.filter(translation_key__in=Page.objects.filter(pk=pk).values("translation_key"))


def _ranked(backend, query, public, limit):
    """(score, object) pairs of one model's best public matches.

    The index is searched over the model's rows (the search backends cannot apply the
    selectors' subqueries as filters); the hits are then narrowed to the public queryset in one
    query, keeping their rank. SEARCH_CANDIDATES bounds the hits looked at per model.
    """
    hits = backend.search(query, public.model.objects.all(), operator="or")
    scores = {
        hit.pk: getattr(hit, "_score", 0) or 0
        for hit in hits.annotate_score("_score")[:SEARCH_CANDIDATES]
    }
    found = public.filter(pk__in=list(scores)).in_bulk()
    ranked = sorted(found.values(), key=lambda obj: -scores[obj.pk])[:limit]
    return [(scores[obj.pk], obj) for obj in ranked]


def _names(obj):
    names = (getattr(obj, "title", ""), getattr(obj, "name", ""), getattr(obj, "handle", ""))
    return {str(name).casefold() for name in (*names, getattr(obj, "iso_code", "")) if name}


def run_search(query: str, limit: int, language=None):
    query = search_words(query)  # plain words: full-text syntax in user input is text
    limit = max(0, min(limit, SEARCH_MAX_LIMIT))
    if not query or not limit:
        return []
    backend = get_search_backend()
    hits = []
    for public in (
        batched(selectors.public_countries(language)),
        batched(selectors.public_posts(language)),
        person_queryset(selectors.public_people()),
        account_queryset(selectors.public_accounts()).select_related("platform"),
    ):
        hits.extend(_ranked(backend, query, public, limit))
    # Best match first: an exact name (or code, or handle) before the backend's ranking; a
    # stable sort keeps countries, posts, people, accounts on a tie.
    wanted = query.casefold()
    hits.sort(key=lambda hit: (wanted not in _names(hit[1]), -hit[0]))
    return [obj for _score, obj in hits[:limit]]


@strawberry.type
class Query:
    @strawberry.field(description="Headline figures of the whole atlas.")
    def atlas(self, info: strawberry.Info, locale: LocaleArg = None) -> Atlas:
        return atlas_figures(use_locale(info, locale))

    @strawberry_django.field(description="Every published country, ordered by name.")
    def countries(
        self, info: strawberry.Info, filters: CountryFilter | None = None, locale: LocaleArg = None
    ) -> list[CountryType]:
        queryset = selectors.public_countries(use_locale(info, locale))
        return filters.apply(queryset) if filters else queryset

    @strawberry_django.field(
        description='One country by ISO 3166-1 alpha-2 code, case-insensitive ("jp", "JP"); '
        "null if absent."
    )
    def country(
        self, info: strawberry.Info, code: str, locale: LocaleArg = None
    ) -> CountryType | None:
        queryset = selectors.public_countries(use_locale(info, locale))
        return queryset.filter(iso_code=code.strip().upper())

    @strawberry_django.offset_paginated(
        description="Published posts, ordered by name." + PAGINATION_NOTE
    )
    def posts(
        self,
        info: strawberry.Info,
        filters: PostFilter | None = None,
        pagination: OffsetPaginationInput | None = None,
        locale: LocaleArg = None,
    ) -> OffsetPaginated[PostType]:
        check_offset(pagination)
        queryset = selectors.public_posts(use_locale(info, locale))
        return filters.apply(queryset) if filters else queryset

    @strawberry_django.field(
        description="One post by the id of its page in the locale's language or in another "
        "(its translation in the locale's language is returned); null if absent."
    )
    def post(
        self, info: strawberry.Info, id: strawberry.ID, locale: LocaleArg = None
    ) -> PostType | None:
        return _page_by_id(selectors.public_posts(use_locale(info, locale)), id)

    @strawberry_django.offset_paginated(
        description="Published accounts, by platform and handle." + PAGINATION_NOTE
    )
    def accounts(
        self,
        info: strawberry.Info,
        filters: AccountFilter | None = None,
        pagination: OffsetPaginationInput | None = None,
        locale: LocaleArg = None,
    ) -> OffsetPaginated[AccountType]:
        check_offset(pagination)
        use_locale(info, locale)
        queryset = selectors.public_accounts()
        return filters.apply(queryset) if filters else queryset

    @strawberry_django.field
    def account(
        self, info: strawberry.Info, id: strawberry.ID, locale: LocaleArg = None
    ) -> AccountType | None:
        use_locale(info, locale)
        return _by_id(selectors.public_accounts(), id)

    @strawberry_django.field(
        description="The published account that a profile URL points to, or null: lets anyone "
        "check whether an account is an official one. URLs are compared normalised (scheme, "
        "www./m./mobile. host prefixes, host aliases such as twitter.com = x.com, case of the "
        "host and handle, trailing slash, query string and fragment ignored)."
    )
    def account_by_url(
        self, info: strawberry.Info, url: str, locale: LocaleArg = None
    ) -> AccountType | None:
        use_locale(info, locale)
        hosts = [platform.host_list for platform in Platform.objects.only("hosts")]
        try:
            key = normalise_lookup_url(url[:2000], hosts)
        except ValueError:
            return None
        return selectors.public_accounts().filter(normalized_url=key)

    @strawberry_django.offset_paginated(
        description="Published people, ordered by name." + PAGINATION_NOTE
    )
    def people(
        self,
        info: strawberry.Info,
        filters: PersonFilter | None = None,
        pagination: OffsetPaginationInput | None = None,
        locale: LocaleArg = None,
    ) -> OffsetPaginated[PersonType]:
        check_offset(pagination)
        use_locale(info, locale)
        queryset = selectors.public_people()
        return filters.apply(queryset) if filters else queryset

    @strawberry_django.field
    def person(
        self, info: strawberry.Info, id: strawberry.ID, locale: LocaleArg = None
    ) -> PersonType | None:
        use_locale(info, locale)
        return _by_id(selectors.public_people(), id)

    @strawberry_django.field(
        description="Every platform that has at least one published account, ordered by name."
    )
    def platforms(self) -> list[PlatformType]:
        return selectors.public_platforms().order_by("name", "pk")

    @strawberry.field(
        description="Full-text search over countries, posts, people and accounts, best match "
        f"first. At most {SEARCH_MAX_LIMIT} results, whatever `limit` asks for. Countries and "
        "posts are searched in the locale's language."
    )
    def search(
        self, info: strawberry.Info, query: str, limit: int = 20, locale: LocaleArg = None
    ) -> list[SearchResult]:
        language = use_locale(info, locale)
        if limit < 0:
            raise GraphQLError("limit must not be negative.")
        return run_search(query[:200], limit, language)
