"""The atlas's public GraphQL types.

Publication is decided in one place per type: each model type's ``get_queryset`` narrows every
queryset it is given (root lists, nested lists, foreign keys, lookups by id) to what the
selectors in ``atlas_pages.selectors`` call public. The optimizer runs the same ``get_queryset``
for the prefetches it builds, so nested lists obey the same rule in a constant number of queries.

Content comes in two languages. Country and post pages exist once per locale (translations
sharing a ``translation_key``); people and accounts are language-neutral and point at the
Dutch post. A root field's ``locale`` argument sets the language of everything reached through
it (``language_of``); a page's people and accounts, and an account's or person's post and
country, are matched across languages by translation key, for all objects that one query
loaded together at once (``load_for_batch``), never per object.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Annotated

import strawberry
import strawberry_django
from django.conf import settings
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from graphql import GraphQLError
from strawberry_django.optimizer import optimizer

from atlas_pages import selectors
from atlas_pages.models import CountryPage, Person, Platform, PostPage, SocialAccount

PostKind = strawberry.enum(PostPage.Kind, name="PostKind")
PersonRole = strawberry.enum(Person.Role, name="PersonRole")
AccountKind = strawberry.enum(
    SocialAccount.Kind,
    name="AccountKind",
    description="Whether an account speaks for an organisation or for a person.",
)

LOCALE_DESCRIPTION = (
    'Content language of the pages returned and reached from here: "nl" (the default) or "en".'
)


def count_of(queryset):
    """A correlated subquery counting the rows of a queryset (0, never NULL)."""
    counted = queryset.order_by().annotate(
        _count=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("_count")[:1]), 0)


def country_accounts(country_key):
    """Public accounts of the posts in a country (any translation of it, by its translation
    key) and of the people serving there."""
    return selectors.public_accounts().filter(
        Q(post__country__translation_key=country_key)
        | Q(person__post__country__translation_key=country_key)
    )


def page_path(page, info) -> str:
    """The page's path, language prefix included; site roots are cached on the request."""
    request = getattr(info.context, "request", None)
    parts = page.get_url_parts(request=request)
    return (parts[2] or "") if parts else ""


# Languages -------------------------------------------------------------------------------


def _root_key(info) -> str:
    return info.path.as_list()[0]


def _languages(info) -> dict:
    """Per request: the content language of each root field, by its response key."""
    context = info.context
    languages = getattr(context, "atlas_languages", None)
    if languages is None:
        languages = {}
        try:
            context.atlas_languages = languages
        except AttributeError:  # a context that takes no attributes: nothing to remember
            pass
    return languages


def use_locale(info, locale: str | None) -> str:
    """Validate a root field's ``locale`` and make it the language of all reached through it."""
    try:
        language = selectors.content_language(locale)
    except LookupError:
        codes = ", ".join(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES)
        raise GraphQLError(f"Unknown locale '{locale}'; use one of: {codes}") from None
    _languages(info)[_root_key(info)] = language
    return language


def language_of(info) -> str:
    """The content language of the root field that this field was reached through."""
    language = _languages(info).get(_root_key(info))
    return language or selectors.content_language()


# Objects loaded together -------------------------------------------------------------------


class Batch:
    """The objects one query loaded, and what was looked up for all of them at once."""

    def __init__(self, objects=()):
        self.objects = list(objects)
        self.loaded = {}


class BatchIterable(ModelIterable):
    """Model instances that know the others loaded by the same query (their ``Batch``)."""

    def __iter__(self):
        batch = Batch()
        for obj in super().__iter__():
            obj._atlas_batch = batch
            batch.objects.append(obj)
            yield obj


def batched(queryset):
    if queryset._iterable_class is ModelIterable:
        queryset = queryset.all()
        queryset._iterable_class = BatchIterable
    return queryset


def load_for_batch(obj, info, key, load):
    """What ``load(keys, info)`` (a dict by key) gives for ``key(obj)``, loaded once for all the
    objects loaded together with ``obj``, per field path: a constant number of queries."""
    batch = getattr(obj, "_atlas_batch", None)
    if batch is None:
        batch = obj._atlas_batch = Batch([obj])
    slot = tuple(part for part in info.path.as_list() if isinstance(part, str))
    if slot not in batch.loaded:
        keys = {key(each) for each in batch.objects} - {None}
        batch.loaded[slot] = load(keys, info) if keys else {}
    return batch.loaded[slot].get(key(obj))


def optimized(queryset, info):
    """The queryset with the optimizer's joins and prefetches for the field's selection."""
    extension = optimizer.get()
    return extension.optimize(queryset, info=info) if extension else queryset


def _grouped(queryset, attribute):
    groups = defaultdict(list)
    for obj in queryset:
        groups[getattr(obj, attribute)].append(obj)
    return groups


def _by_translation_key(queryset):
    return {page.translation_key: page for page in queryset}


def post_accounts(keys, info):
    """The organisational accounts of the posts with these translation keys, by key."""
    queryset = SocialAccount.objects.filter(post__translation_key__in=keys)
    return _grouped(optimized(account_queryset(queryset), info), "owning_post_key")


def owning_post_key():
    """An account's owning post's translation key: the post's own, or that of the person's post."""
    return Coalesce(F("post__translation_key"), F("person__post__translation_key"))


def post_platform_counts(keys, info):
    """The published accounts of the posts with these translation keys and of the people
    serving there, counted per platform, by key: ONE grouped query for all the posts, so the
    map can draw and filter the posts without loading a single account."""
    rows = (
        selectors.public_accounts()
        .filter(Q(post__translation_key__in=keys) | Q(person__post__translation_key__in=keys))
        .annotate(owning_post_key=owning_post_key())
        .values("owning_post_key", "platform_id", "platform__slug", "platform__name")
        .annotate(count=Count("pk"))
        .order_by("owning_post_key", "platform__sort_order", "platform__name")
    )
    platforms, counts = {}, defaultdict(list)
    for row in rows:
        # One instance per platform, built from the row (no query per platform).
        platform = platforms.setdefault(
            row["platform_id"],
            Platform(id=row["platform_id"], slug=row["platform__slug"], name=row["platform__name"]),
        )
        counts[row["owning_post_key"]].append(PlatformCount(platform=platform, count=row["count"]))
    return counts


def post_people(keys, info):
    """The people serving at the posts with these translation keys, by key."""
    queryset = Person.objects.filter(post__translation_key__in=keys)
    return _grouped(optimized(person_queryset(queryset), info), "post_key")


def posts_in_language(keys, info):
    """The public posts with these translation keys in the field's language, by key."""
    queryset = selectors.public_posts(language_of(info)).filter(translation_key__in=keys)
    return _by_translation_key(optimized(page_queryset(queryset).select_related("country"), info))


def countries_in_language(keys, info):
    """The public countries with these translation keys in the field's language, by key."""
    queryset = selectors.public_countries(language_of(info)).filter(translation_key__in=keys)
    return _by_translation_key(optimized(page_queryset(queryset), info))


def page_queryset(queryset):
    """Country and post pages as every field lists them."""
    return batched(selectors.public_pages(queryset).order_by("title", "pk"))


def person_queryset(queryset):
    """People as every field lists them, with their post's translation key."""
    public = selectors.public_people().values("pk")
    return batched(
        queryset.filter(pk__in=public)
        .annotate(post_key=F("post__translation_key"))
        .order_by("name", "pk")
    )


def account_queryset(queryset):
    """Accounts as every field lists them, with their owning post's and country's
    translation keys (the post's own, or that of the person's post)."""
    public = selectors.public_accounts().values("pk")
    return batched(
        queryset.filter(pk__in=public)
        .annotate(
            owning_post_key=owning_post_key(),
            owning_country_key=Coalesce(
                F("post__country__translation_key"),
                F("person__post__country__translation_key"),
            ),
        )
        .order_by("platform__sort_order", "handle", "pk")
    )


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


@strawberry.type(description="How many published accounts something has on one platform.")
class PlatformCount:
    platform: PlatformType
    count: int


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
        return page_queryset(queryset)

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
        annotate={
            "public_account_count": lambda info: count_of(
                country_accounts(OuterRef("translation_key"))
            )
        },
    )
    def account_count(self: CountryPage) -> int:
        if hasattr(self, "public_account_count"):
            return self.public_account_count
        return country_accounts(self.translation_key).count()


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

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        return page_queryset(queryset)

    @strawberry_django.field
    def url(self: PostPage, info: strawberry.Info) -> str:
        return page_path(self, info)

    @strawberry_django.field
    def location(self: PostPage) -> Location | None:
        return Location.of(self)

    @strawberry_django.field(description="The post's own (organisational) published accounts.")
    def accounts(self: PostPage, info: strawberry.Info) -> list[AccountType]:
        return load_for_batch(self, info, _translation_key, post_accounts) or []

    @strawberry_django.field(
        description="The published accounts of the post and of the people serving there, "
        "counted per platform (platforms without one left out), in the platforms' order: what "
        "a map needs to draw and filter posts without loading their accounts."
    )
    def platform_counts(self: PostPage, info: strawberry.Info) -> list[PlatformCount]:
        return load_for_batch(self, info, _translation_key, post_platform_counts) or []

    @strawberry_django.field(description="Published people serving at this post.")
    def people(self: PostPage, info: strawberry.Info) -> list[PersonType]:
        return load_for_batch(self, info, _translation_key, post_people) or []


def _translation_key(page):
    return page.translation_key


def _post_key(person):
    if not hasattr(person, "post_key"):  # loaded without person_queryset
        person.post_key = person.post.translation_key if person.post_id else None
    return person.post_key


def _owning_keys(account):
    if not hasattr(account, "owning_post_key"):  # loaded without account_queryset
        post = account.owning_post
        account.owning_post_key = post.translation_key if post else None
        country = post.country if post else None
        account.owning_country_key = country.translation_key if country else None
    return account


@strawberry_django.type(Person, name="Person")
class PersonType:
    id: strawberry.ID
    name: str
    role: PersonRole
    accounts: list[AccountType] = strawberry_django.field(
        description="The person's published accounts."
    )

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        return person_queryset(queryset)

    @strawberry_django.field(
        description='Free-text job title, e.g. "Consul-General in Vancouver"; in the locale\'s '
        "language, or Dutch when it has none."
    )
    def job_title(self: Person, info: strawberry.Info) -> str:
        return self.job_title_in(language_of(info))

    @strawberry_django.field(
        description="The post this person serves at, in the locale's language; null if it has "
        "no published page in that language."
    )
    def post(self: Person, info: strawberry.Info) -> PostType | None:
        return load_for_batch(self, info, _post_key, posts_in_language)


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
        return account_queryset(queryset)

    @strawberry_django.field(only=["person_id"])
    def kind(self: SocialAccount) -> AccountKind:
        return self.kind

    @strawberry_django.field(
        description="The owning post, or the post of the owning person, in the locale's "
        "language; null if it has no published page in that language."
    )
    def post(self: SocialAccount, info: strawberry.Info) -> PostType | None:
        return load_for_batch(
            self, info, lambda account: _owning_keys(account).owning_post_key, posts_in_language
        )

    @strawberry_django.field(
        description="The owning post's country, in the locale's language; null if it has no "
        "published page in that language."
    )
    def country(self: SocialAccount, info: strawberry.Info) -> CountryType | None:
        return load_for_batch(
            self,
            info,
            lambda account: _owning_keys(account).owning_country_key,
            countries_in_language,
        )


SearchResult = Annotated[
    CountryType | PostType | PersonType | AccountType,
    strawberry.union("SearchResult"),
]
