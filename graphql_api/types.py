"""The atlas's public GraphQL types.

Publication is decided in one place per type: each model type's ``get_queryset`` narrows every
queryset it is given (root lists, nested lists, foreign keys, lookups by id) to what the
selectors in ``atlas_pages.selectors`` call public. The optimizer runs the same ``get_queryset``
for the prefetches it builds, so nested lists obey the same rule in a constant number of queries.
"""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry
import strawberry_django
from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from atlas_pages import selectors
from atlas_pages.models import CountryPage, Person, Platform, PostPage, SocialAccount

PostKind = strawberry.enum(PostPage.Kind, name="PostKind")
PersonRole = strawberry.enum(Person.Role, name="PersonRole")
AccountKind = strawberry.enum(
    SocialAccount.Kind,
    name="AccountKind",
    description="Whether an account speaks for an organisation or for a person.",
)


def count_of(queryset):
    """A correlated subquery counting the rows of a queryset (0, never NULL)."""
    counted = queryset.order_by().annotate(
        _count=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("_count")[:1]), 0)


def country_accounts(country_ref):
    """Public accounts of a country's posts and of the people serving at them."""
    return selectors.public_accounts().filter(
        Q(post__country=country_ref) | Q(person__post__country=country_ref)
    )


def page_path(page, info) -> str:
    """The page's path relative to its site root; site roots are cached on the request."""
    request = getattr(info.context, "request", None)
    parts = page.get_url_parts(request=request)
    return (parts[2] or "") if parts else ""


@strawberry.type(description="A WGS 84 point.")
class Location:
    lat: float
    lng: float

    @classmethod
    def of(cls, obj) -> Location | None:
        if obj.lat is None or obj.lng is None:
            return None
        return cls(lat=obj.lat, lng=obj.lng)


@strawberry.type
class Atlas:
    country_count: int
    post_count: int
    account_count: int
    person_count: int
    last_published_at: datetime.datetime | None = strawberry.field(
        description="When published content last changed; null for an empty atlas."
    )


def _public_post_prefetch(to_attr):
    return Prefetch(
        "post", queryset=selectors.public_posts().select_related("country"), to_attr=to_attr
    )


def owning_post_prefetches(prefix):
    """Prefetch hints for the account's public owning post, or its owning person's. Callables,
    so that "now" in the selectors' expiry test is taken per request; each field has its own
    ``prefix`` so that two fields selected together never prefetch into the same attribute."""
    return [
        lambda info: _public_post_prefetch(f"{prefix}post"),
        lambda info: Prefetch(
            "person",
            queryset=selectors.public_people().prefetch_related(
                _public_post_prefetch(f"{prefix}post")
            ),
            to_attr=f"{prefix}person",
        ),
    ]


def _owning_post(account, prefix):
    """The account's public owning post, from the prefetches above (or a query without)."""
    if account.person_id:
        person = getattr(account, f"{prefix}person", False)
        if person is False:
            person = (
                selectors.public_people()
                .prefetch_related(_public_post_prefetch(f"{prefix}post"))
                .filter(pk=account.person_id)
                .first()
            )
        if person is None or not person.post_id:
            return None
        post = getattr(person, f"{prefix}post", False)
        post_id = person.post_id
    else:
        post = getattr(account, f"{prefix}post", False)
        post_id = account.post_id
    if post is False:
        post = selectors.public_posts().select_related("country").filter(pk=post_id).first()
    return post


@strawberry_django.type(Platform, name="Platform")
class PlatformType:
    slug: str = strawberry_django.field(
        description="Stable key: twitter, facebook, linkedin, youtube, instagram, flickr, blog, ..."
    )
    name: str

    @strawberry_django.field(
        description="Published accounts on this platform.",
        annotate={
            "public_account_count": lambda info: count_of(
                selectors.public_accounts().filter(platform=OuterRef("pk"))
            )
        },
    )
    def account_count(self: Platform) -> int:
        if hasattr(self, "public_account_count"):
            return self.public_account_count
        return selectors.public_accounts().filter(platform=self).count()


@strawberry_django.type(CountryPage, name="Country")
class CountryType:
    id: strawberry.ID
    name: str = strawberry_django.field(field_name="title")
    slug: str
    posts: list[PostType] = strawberry_django.field(
        field_name="post_pages", description="Published posts in this country, ordered by name."
    )

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        return selectors.public_pages(queryset).order_by("title", "pk")

    @strawberry_django.field(description="ISO 3166-1 alpha-2, upper case.")
    def code(self: CountryPage) -> str:
        return str(self.iso_code).upper()

    @strawberry_django.field(description="Path of the country's rendered page.")
    def url(self: CountryPage, info: strawberry.Info) -> str:
        return page_path(self, info)

    @strawberry_django.field
    def location(self: CountryPage) -> Location | None:
        return Location.of(self)

    @strawberry_django.field(
        description="Published accounts of the country's posts and of the people serving there.",
        annotate={"public_account_count": lambda info: count_of(country_accounts(OuterRef("pk")))},
    )
    def account_count(self: CountryPage) -> int:
        if hasattr(self, "public_account_count"):
            return self.public_account_count
        return country_accounts(self.pk).count()


@strawberry_django.type(
    PostPage,
    name="Post",
    description="A diplomatic post, or a department of the ministry at home.",
)
class PostType:
    id: strawberry.ID
    name: str = strawberry_django.field(field_name="title")
    slug: str
    kind: PostKind
    city: str
    country: CountryType
    accounts: list[AccountType] = strawberry_django.field(
        description="The post's own (organisational) published accounts."
    )
    people: list[PersonType] = strawberry_django.field(
        description="Published people serving at this post."
    )

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        return selectors.public_pages(queryset).order_by("title", "pk")

    @strawberry_django.field
    def url(self: PostPage, info: strawberry.Info) -> str:
        return page_path(self, info)

    @strawberry_django.field
    def location(self: PostPage) -> Location | None:
        return Location.of(self)


@strawberry_django.type(Person, name="Person")
class PersonType:
    id: strawberry.ID
    name: str
    role: PersonRole
    job_title: str = strawberry_django.field(
        description='Free-text job title, e.g. "Consul-General in Vancouver".'
    )
    post: PostType | None
    accounts: list[AccountType] = strawberry_django.field(
        description="The person's published accounts."
    )

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        public = selectors.public_people().values("pk")
        return queryset.filter(pk__in=public).order_by("name", "pk")


@strawberry_django.type(SocialAccount, name="Account")
class AccountType:
    id: strawberry.ID
    platform: PlatformType
    handle: str = strawberry_django.field(
        description="Handle or name on the platform, e.g. NLinJapan."
    )
    url: str
    name: str = strawberry_django.field(
        field_name="display_name", description="Display name; may be empty."
    )
    language: str = strawberry_django.field(
        description="BCP 47 language tag of the account's main language; may be empty."
    )
    person: PersonType | None = strawberry_django.field(
        description="The owning person, for PERSONAL accounts."
    )

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        public = selectors.public_accounts().values("pk")
        return queryset.filter(pk__in=public).order_by("platform__sort_order", "handle", "pk")

    @strawberry_django.field(only=["person_id"])
    def kind(self: SocialAccount) -> AccountKind:
        return self.kind

    @strawberry_django.field(
        description="The owning post, or the post of the owning person.",
        prefetch_related=owning_post_prefetches("public_"),
    )
    def post(self: SocialAccount) -> PostType | None:
        return _owning_post(self, "public_")

    @strawberry_django.field(prefetch_related=owning_post_prefetches("country_"))
    def country(self: SocialAccount) -> CountryType | None:
        post = _owning_post(self, "country_")
        return post.country if post else None


SearchResult = Annotated[
    CountryType | PostType | PersonType | AccountType,
    strawberry.union("SearchResult"),
]
