"""The public atlas's records: plain objects, linked to each other, read by the templates and
the API (built by atlas_pages.publication.public_atlas)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from atlas_pages import models


@dataclass(slots=True, eq=False)
class Point:
    """A WGS 84 point."""

    lat: float
    lng: float

    @classmethod
    def of(cls, lat: float | None, lng: float | None) -> Point | None:
        return None if lat is None or lng is None else cls(lat=lat, lng=lng)


@dataclass(slots=True, eq=False)
class Platform:
    id: int
    slug: str
    name: str
    sort_order: int
    #: Host names of its profile URLs, the canonical one first (empty: any host).
    hosts: list[str]
    account_count: int = 0


@dataclass(slots=True, eq=False)
class PlatformCount:
    """How many public accounts something has on one platform."""

    platform: Platform
    count: int


@dataclass(slots=True, eq=False)
class FormCount:
    """How many public accounts something has on one platform in one form (LinkedIn groups)."""

    platform: Platform
    form: models.SocialAccount.Form
    count: int


@dataclass(slots=True, eq=False)
class Country:
    id: int
    translation_key: uuid.UUID
    code: str
    name: str
    slug: str
    url: str
    location: Point | None
    last_published_at: datetime | None
    posts: list[Post] = field(default_factory=list)
    #: Public accounts of the country's posts (in this language) and of their people.
    account_count: int = 0


@dataclass(slots=True, eq=False)
class Post:
    id: int
    translation_key: uuid.UUID
    name: str
    slug: str
    url: str
    kind: models.PostPage.Kind
    city: str
    address: str
    website: str
    location: Point | None
    country: Country
    last_published_at: datetime | None
    #: The post's own (organisational) accounts.
    accounts: list[Account] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    #: The accounts of the post and of its people per platform, in the platforms' order.
    platform_counts: list[PlatformCount] = field(default_factory=list)
    #: The same per platform and form (LinkedIn pages, LinkedIn groups), in the same order.
    form_counts: list[FormCount] = field(default_factory=list)
    #: The accounts of the post and of its people.
    account_count: int = 0


@dataclass(slots=True, eq=False)
class Person:
    id: int
    name: str
    role: models.Person.Role
    #: In the atlas's language (the person's live translation), else in the default language.
    job_title: str
    #: The post served at, in the atlas's language; None at the ministry's top, or when the
    #: post has no public page in this language.
    post: Post | None
    #: Language-neutral facts of the post served at (also without a page in this language).
    post_key: uuid.UUID | None
    country_code: str
    last_published_at: datetime | None
    accounts: list[Account] = field(default_factory=list)

    @property
    def title(self) -> str:
        """What the person does: the job title, else the role."""
        return self.job_title or str(self.role.label)


@dataclass(slots=True, eq=False)
class Followers:
    """How many follow an account, and when that was read from its platform."""

    count: int
    fetched_at: datetime


@dataclass(slots=True, eq=False)
class RecentPost:
    """One of an account's latest posts, as read from its platform: plain text."""

    text: str
    #: A link to the post on its platform; may be empty.
    url: str
    published_at: datetime | None


@dataclass(slots=True, eq=False)
class Account:
    id: int
    platform: Platform
    #: Its form of presence (profile, page, group, channel...).
    form: models.SocialAccount.Form
    #: Platform and form as a visitor reads them, in the atlas's language: "LinkedIn group".
    form_label: str
    handle: str
    url: str
    normalized_url: str
    #: The display name; may be empty.
    name: str
    language: str
    kind: models.SocialAccount.Kind
    #: An office (official) or the person (personal, public only with their consent).
    speaks_for: models.SocialAccount.SpeaksFor
    #: Active, inactive or renamed (closed accounts are not public).
    status: models.SocialAccount.Status
    #: For a renamed account: its profile URL now; else None.
    new_url: str | None
    person: Person | None
    #: The owning post, or the post of the owning person, in the atlas's language.
    post: Post | None
    country: Country | None
    post_key: uuid.UUID | None
    country_code: str
    last_published_at: datetime | None
    #: When the account was first published: listed since then (not reset by a later edit).
    first_published_at: datetime | None = None

    #: Read from the platform's open source (atlas_pages.outbound.activity); None / empty when the
    #: platform has none or nothing was read.
    followers: Followers | None = None
    latest_posts: list[RecentPost] = field(default_factory=list)
    activity_fetched_at: datetime | None = None

    @property
    def current_url(self) -> str:
        """Where the account is now: the new URL of a renamed one, else its URL."""
        return self.new_url or self.url

    @property
    def owner_name(self) -> str:
        if self.person is not None:
            return self.person.name
        return self.post.name if self.post is not None else ""


#: What search finds.
SearchHit = Country | Post | Person | Account


@dataclass(slots=True, eq=False)
class Figures:
    country_count: int
    post_count: int
    account_count: int
    person_count: int
    platform_count: int
    #: When public content last changed; None for an empty atlas.
    last_published_at: datetime | None


@dataclass(slots=True, eq=False)
class PageLink:
    """A public page in one language, for language switchers, hreflang and the CDN purge."""

    language: str
    url: str
    full_url: str
