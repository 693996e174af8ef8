"""The public atlas's records: plain objects, linked to each other, read by the templates and
the API (built by atlas_pages.publication.public_atlas)."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from atlas_pages import models
from atlas_pages.rules import profile_urls, regions


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
    #: The path of a profile URL ("/@{handle}"); with no hosts, a federated platform.
    profile_path: str = ""


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
    #: The atlas's coverage (PublicAtlas.coverage), read when first asked for.
    coverage_of: Callable[[], Coverage] | None = None
    #: Its item on Wikidata (a QID), None when unknown.
    wikidata_id: str | None = None

    @property
    def region(self) -> str:
        """The continent code (GeoNames), '' when unknown."""
        return regions.region_of(self.code)

    @property
    def completeness(self) -> Completeness:
        """The share of its public posts' cells that are known (listed or confirmed none)."""
        return self.coverage_of().of_country(self) if self.coverage_of else Completeness()


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
    #: The atlas's coverage (PublicAtlas.coverage), read when first asked for.
    coverage_of: Callable[[], Coverage] | None = None
    #: Its item on Wikidata (a QID), None when unknown.
    wikidata_id: str | None = None

    @property
    def coverage(self) -> list[Cell]:
        """Each platform's cell: listed, confirmed none or unknown."""
        return self.coverage_of().cells(self) if self.coverage_of else []

    @property
    def completeness(self) -> Completeness:
        return self.coverage_of().of_post(self) if self.coverage_of else Completeness()


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
    #: The same in every language (Wagtail's translation key): the open data's person_key.
    translation_key: uuid.UUID | None = None
    #: The term of office, as entered (either may be unknown).
    term_start: date | None = None
    term_end: date | None = None
    #: Whether the term has ended (from its last day on): then ``post`` is None and the
    #: person is "formerly <job title> at" ``formerly_at`` (None at the ministry's top).
    term_ended: bool = False
    formerly_at: Post | None = None
    #: Its item on Wikidata (a QID), None when unknown.
    wikidata_id: str | None = None

    @property
    def title(self) -> str:
        """What the person does: the job title, else the role."""
        return self.job_title or str(self.role.label)


@dataclass(slots=True, eq=False)
class Followers:
    """How many follow an account, and when that was read from its platform."""

    count: int
    fetched_at: datetime


@dataclass(slots=True, frozen=True)
class FollowerPoint:
    """An account's follower count on one day (the day's last reading)."""

    day: date
    count: int


@dataclass(slots=True, eq=False)
class RecentPost:
    """One of an account's latest posts, as read from its platform: plain text."""

    text: str
    #: A link to the post on its platform; may be empty.
    url: str
    published_at: datetime | None


@dataclass(slots=True, eq=False)
class Evidence:
    """One way an account was confirmed as the ministry's, as the public may read it (never
    who confirmed it)."""

    kind: models.AccountEvidence.Kind
    #: What was seen: the page that links to the account, the atlas page it links back to,
    #: the platform's badge; empty for an editor's confirmation.
    source: str
    confirmed_at: datetime
    #: In the atlas's language: "linked from netherlandsworldwide.nl".
    summary: str


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
    #: The translation key of the owning post's country (language-neutral, as post_key).
    country_key: uuid.UUID | None = None
    #: When the account was first published: listed since then (not reset by a later edit).
    first_published_at: datetime | None = None
    #: Since when an inactive, renamed or closed account has had that status (the day it was
    #: set, else the day it was last published); None for an active one.
    status_since: date | None = None
    #: The platform's own id of the account (YouTube channel id, Bluesky DID, Mastodon URI):
    #: the editor's, else the identity check's; may be empty.
    identity: str = ""
    #: When the identity check found someone else at the account's registered address.
    takeover_at: datetime | None = None
    #: How it was confirmed, oldest kind first (atlas_pages.models.AccountEvidence.Kind).
    evidence: list[Evidence] = field(default_factory=list)

    #: Read from the platform's open source (atlas_pages.outbound.activity); None / empty when the
    #: platform has none or nothing was read.
    followers: Followers | None = None
    latest_posts: list[RecentPost] = field(default_factory=list)
    activity_fetched_at: datetime | None = None
    #: A personal account of someone whose term at a post has ended: the post it was listed
    #: under (``post`` and ``country`` are then None: it is listed under no post, and found by
    #: its address, its id and search as "formerly at" this post).
    formerly_at: Post | None = None

    @property
    def current_url(self) -> str:
        """Where the account is now: the new URL of a renamed one, else its URL."""
        return self.new_url or self.url

    @property
    def former_url(self) -> str | None:
        """For a renamed account: the address it was registered at (and left); else None."""
        return self.url if self.new_url else None

    @property
    def current_handle(self) -> str:
        """The handle at the current address (a renamed account's new one)."""
        if self.new_url:
            return profile_urls.handle_from_url(self.new_url) or self.handle
        return self.handle

    @property
    def owner_name(self) -> str:
        if self.person is not None:
            return self.person.name
        return self.post.name if self.post is not None else ""


#: What search finds.
SearchHit = Country | Post | Person | Account


class VerdictKind(enum.StrEnum):
    """What the atlas can say about an address."""

    #: An official account now (active, inactive, or a renamed one at its new address).
    OFFICIAL = "official"
    #: The old address of a renamed account: it was official until the rename.
    RENAMED = "renamed"
    #: A closed account: official until it was closed, no longer the ministry's.
    CLOSED = "closed"
    #: Someone else answers at the address now (the identity check found another identity).
    CHANGED_HANDS = "changed_hands"
    #: Not an official account the atlas knows of.
    NOT_LISTED = "not_listed"
    #: An address the press desk confirmed pretends to be official (see Impersonator).
    KNOWN_IMPERSONATOR = "known_impersonator"


@dataclass(slots=True, eq=False)
class Verdict:
    """The atlas's answer for one address: "Is this account official?"."""

    kind: VerdictKind
    #: The account the address is or was; None when not listed.
    account: Account | None = None
    #: The last day the address was the account's (renamed, closed, changed hands).
    until: date | None = None
    #: The answer in one sentence, in the atlas's language.
    message: str = ""
    #: For a known impersonator: the press desk's statement about the address.
    impersonator: Impersonator | None = None

    @property
    def official(self) -> bool:
        return self.kind == VerdictKind.OFFICIAL

    @property
    def current_url(self) -> str | None:
        """Where the official account is now: for an official or renamed answer only (a closed
        account's or a taken-over address leads to no one the atlas vouches for)."""
        if self.account is None or self.kind not in (VerdictKind.OFFICIAL, VerdictKind.RENAMED):
            return None
        return self.account.current_url

    @property
    def since(self) -> date | None:
        """For an official inactive account: since when it is inactive."""
        if self.kind == VerdictKind.OFFICIAL and self.account.status == "inactive":
            return self.account.status_since
        return None


@dataclass(slots=True, eq=False)
class Figures:
    country_count: int
    post_count: int
    account_count: int
    person_count: int
    platform_count: int
    #: When public content last changed; None for an empty atlas.
    last_published_at: datetime | None
    #: The atlas's coverage (PublicAtlas.coverage), read when first asked for.
    coverage_of: Callable[[], Coverage] | None = None

    @property
    def completeness(self) -> Completeness:
        """The share of all public posts' cells known."""
        return self.coverage_of().overall if self.coverage_of else Completeness()

    @property
    def regions(self) -> list[RegionCompleteness]:
        return self.coverage_of().regions if self.coverage_of else []


@dataclass(slots=True, eq=False)
class PageLink:
    """A public page in one language, for language switchers, hreflang and the CDN purge."""

    language: str
    url: str
    full_url: str


@dataclass(slots=True, eq=False)
class Impersonator:
    """An address the press desk confirmed pretends to be an official account: the public
    statement that platforms ask for (verify page, API, open data)."""

    url: str
    normalized_url: str
    #: The name in the address (its last path segment, without @).
    handle: str
    #: The platform the reports named; None when no platform was named.
    platform: Platform | None
    #: The official account it pretends to be, when that account is public in this language;
    #: None otherwise (a draft, private or withdrawn account is never named).
    impersonates: Account | None
    #: When it was first reported, and when the press desk confirmed it.
    reported_at: datetime
    confirmed_at: datetime | None
    #: Where to report it to its platform (atlas_pages.rules.report_links); None when unknown.
    report_url: str | None = None
    #: True when the platform takes reports on the profile itself (its menu's "Report").
    report_on_profile: bool = False


class CellState(enum.StrEnum):
    """What the atlas knows of a post's presence on a platform."""

    #: A public account of the post (or of its people) is listed there.
    LISTED = "listed"
    #: An editor checked: the post has no account there (within the review period).
    CONFIRMED_NONE = "confirmed_none"
    #: Nobody has checked (or the check expired): never read as "has no account".
    UNKNOWN = "unknown"


@dataclass(slots=True, eq=False)
class Cell:
    """One post × platform cell of the public atlas."""

    platform: Platform
    state: CellState
    #: When "none" was confirmed (CONFIRMED_NONE only; never by whom).
    checked_at: datetime | None = None


@dataclass(slots=True, eq=False)
class Completeness:
    """How many of some posts' cells are known (listed or confirmed none)."""

    known: int = 0
    total: int = 0
    #: The latest confirmation of "none" among the cells counted; None when there is none.
    checked_at: datetime | None = None

    @property
    def unknown(self) -> int:
        return self.total - self.known

    @property
    def share(self) -> float:
        """known / total, between 0 and 1 (0 when there are no cells)."""
        return self.known / self.total if self.total else 0.0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.known == self.total

    def add(self, other: Completeness) -> None:
        self.known += other.known
        self.total += other.total
        if other.checked_at and (self.checked_at is None or other.checked_at > self.checked_at):
            self.checked_at = other.checked_at


@dataclass(slots=True, eq=False)
class RegionCompleteness:
    """The completeness of the public posts of one region (continent)."""

    code: str
    name: str
    completeness: Completeness


class Coverage:
    """The cells and completeness figures of one public atlas (built by
    atlas_pages.publication.public_atlas; only its public posts have cells)."""

    def __init__(
        self,
        platforms: list[Platform],
        cells: dict[uuid.UUID, list[Cell]],
        countries: list[Country],
    ) -> None:
        self.platforms = platforms
        self._cells = cells
        self._posts: dict[uuid.UUID, Completeness] = {}
        for key, post_cells in cells.items():
            known = [cell for cell in post_cells if cell.state != CellState.UNKNOWN]
            moments = [cell.checked_at for cell in known if cell.checked_at]
            self._posts[key] = Completeness(
                known=len(known), total=len(post_cells), checked_at=max(moments, default=None)
            )
        self._countries: dict[int, Completeness] = {}
        self.overall = Completeness()
        by_region: dict[str, Completeness] = {}
        for country in countries:
            figures = Completeness()
            for post in country.posts:
                figures.add(self._posts.get(post.translation_key, Completeness()))
            self._countries[country.id] = figures
            self.overall.add(figures)
            region = regions.region_of(country.code)
            if region:
                by_region.setdefault(region, Completeness()).add(figures)
        self.regions = [
            RegionCompleteness(code=code, name=str(regions.REGIONS.get(code, code)), completeness=c)
            for code, c in sorted(by_region.items())
        ]

    def cells(self, post: Post) -> list[Cell]:
        return self._cells.get(post.translation_key, [])

    def of_post(self, post: Post) -> Completeness:
        return self._posts.get(post.translation_key, Completeness())

    def of_country(self, country: Country) -> Completeness:
        return self._countries.get(country.id, Completeness())

    def of_region(self, code: str) -> Completeness:
        found = next((region for region in self.regions if region.code == code), None)
        return found.completeness if found else Completeness()
