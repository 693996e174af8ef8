"""The list filters of the public API and how each narrows an (already public) queryset."""

from __future__ import annotations

import strawberry
from django.db.models import Exists, OuterRef, Q
from wagtail.models import Page

from graphql_api.types import AccountKind, PersonRole, PostKind, country_accounts


def parse_id(value) -> int | None:
    """A database id from a GraphQL ID; None for anything that is not one."""
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def _iso(code: str) -> str:
    return code.strip().upper()


def _translations_of(page_id):
    """Translation keys of the page with this id: a post's id in any language finds the people
    and accounts of its Dutch source."""
    return Page.objects.filter(pk=page_id).values("translation_key")


@strawberry.input
class CountryFilter:
    platform: str | None = strawberry.field(
        default=None,
        description="Only countries with at least one published account on this platform (slug).",
    )

    def apply(self, queryset):
        if self.platform is not None:
            on_platform = country_accounts(OuterRef("translation_key")).filter(
                platform__slug=self.platform
            )
            queryset = queryset.filter(Exists(on_platform))
        return queryset


@strawberry.input
class PostFilter:
    country: str | None = strawberry.field(default=None, description="ISO code of the country.")
    kind: PostKind | None = None

    def apply(self, queryset):
        if self.country is not None:
            queryset = queryset.filter(country__iso_code=_iso(self.country))
        if self.kind is not None:
            queryset = queryset.filter(kind=self.kind.value)
        return queryset


@strawberry.input
class AccountFilter:
    platform: str | None = strawberry.field(default=None, description="Platform slug.")
    country: str | None = strawberry.field(default=None, description="ISO code of the country.")
    post: strawberry.ID | None = strawberry.field(
        default=None, description="Accounts of this post and of the people serving there."
    )
    person: strawberry.ID | None = None
    kind: AccountKind | None = None

    def apply(self, queryset):
        if self.platform is not None:
            queryset = queryset.filter(platform__slug=self.platform)
        if self.country is not None:
            code = _iso(self.country)
            queryset = queryset.filter(
                Q(post__country__iso_code=code) | Q(person__post__country__iso_code=code)
            )
        if self.post is not None:
            keys = _translations_of(parse_id(self.post))
            queryset = queryset.filter(
                Q(post__translation_key__in=keys) | Q(person__post__translation_key__in=keys)
            )
        if self.person is not None:
            queryset = queryset.filter(person_id=parse_id(self.person))
        if None in {parse_id(value) for value in (self.post, self.person) if value is not None}:
            queryset = queryset.none()  # a malformed id matches nothing
        if self.kind is not None:
            personal = self.kind == AccountKind.PERSONAL
            queryset = queryset.filter(person__isnull=not personal)
        return queryset


@strawberry.input
class PersonFilter:
    country: str | None = strawberry.field(default=None, description="ISO code of the country.")
    post: strawberry.ID | None = None
    role: PersonRole | None = None

    def apply(self, queryset):
        if self.country is not None:
            queryset = queryset.filter(post__country__iso_code=_iso(self.country))
        if self.post is not None:
            post_id = parse_id(self.post)
            keys = _translations_of(post_id)
            queryset = (
                queryset.filter(post__translation_key__in=keys) if post_id else queryset.none()
            )
        if self.role is not None:
            queryset = queryset.filter(role=self.role.value)
        return queryset
