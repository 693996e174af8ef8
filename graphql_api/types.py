"""The atlas's public GraphQL types: views of the records of the public atlas
(``atlas_pages.publication.records``).

The records are already public, linked and in one language (the root field's ``locale``), so
every field here is a plain attribute (strawberry resolves it without an ``Info`` object, an
extension hook or a query; graphql_api/execution.py completes it without graphql-core's
per-field machinery) and a nested list costs nothing more than the list itself.
"""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry
from django.utils import timezone
from graphql import GraphQLError, GraphQLResolveInfo

from atlas_pages import models
from atlas_pages.publication import public_atlas, records

#: The most posts ``Account.recentPosts`` returns, whatever ``limit`` asks for.
RECENT_POSTS_MAX_LIMIT = 20
#: The most days of follower history one answer gives (ten years).
FOLLOWER_HISTORY_MAX_DAYS = 3660

PostKind = strawberry.enum(models.PostPage.Kind, name="PostKind")
PersonRole = strawberry.enum(models.Person.Role, name="PersonRole")
AccountKind = strawberry.enum(
    models.SocialAccount.Kind,
    name="AccountKind",
    description="Whether an account speaks for an organisation or for a person.",
)
AccountSpeaksFor = strawberry.enum(
    models.SocialAccount.SpeaksFor,
    name="AccountSpeaksFor",
    description="Whom an account speaks for: an office (official: a post's account, or an "
    "ambassador's, a minister's) or a person (personal: listed only with their consent).",
)
AccountStatus = strawberry.enum(
    models.SocialAccount.Status,
    name="AccountStatus",
    description="Whether an account is in use. Closed accounts are not listed; only "
    "verifyAddress answers for one (as CLOSED, with the account).",
)
EvidenceKind = strawberry.enum(
    models.AccountEvidence.Kind,
    name="EvidenceKind",
    description="How an account was confirmed as the ministry's: SITE_LINK (linked from the "
    "post's official website), REL_ME (its profile links back to the atlas), PLATFORM_VERIFIED "
    "(verified by the platform), EDITOR (confirmed by an editor of the atlas).",
)
VerdictKind = strawberry.enum(
    records.VerdictKind,
    name="VerdictKind",
    description="What the atlas says about an address. OFFICIAL: an official account now "
    "(active, inactive, or a renamed one at its new address). RENAMED: the old address of a "
    "renamed account: official until `until`, now at `currentUrl`; the old name may belong to "
    "someone else now, so never trust it as official. CLOSED: official until `until`, no "
    "longer the ministry's. CHANGED_HANDS: someone else answers at this address since `until`: "
    "not official. NOT_LISTED: not an official account the atlas knows of. KNOWN_IMPERSONATOR: "
    "the press desk confirmed that the address pretends to be official (see `impersonator`).",
)
CoverageState = strawberry.enum(
    records.CellState,
    name="CoverageState",
    description="What the atlas knows of a post on a platform. LISTED: a published account of "
    "the post (or of a person serving there) is listed. CONFIRMED_NONE: an editor checked "
    "(within the review period) that the post has no account there. UNKNOWN: nobody has "
    'checked: never read it as "has no account".',
)
PresenceForm = strawberry.enum(
    models.SocialAccount.Form,
    name="PresenceForm",
    description="The form of an account's presence on its platform: a LinkedIn page or "
    "group, a YouTube channel or playlist, a profile, a blog.",
)


def _of(record_class: type) -> classmethod:
    """``is_type_of`` for a GraphQL type over a record class (the search union needs it)."""

    def is_type_of(cls: type, obj: object, info: GraphQLResolveInfo) -> bool:
        return isinstance(obj, record_class)

    return classmethod(is_type_of)


@strawberry.type(description="A WGS 84 point.")
class Location:
    lat: float
    lng: float


@strawberry.type(
    description="How many of some posts' cells (one per post and platform) are known: an "
    "account listed, or confirmed none. Unknown cells are not checked, not empty."
)
class Completeness:
    known: int = strawberry.field(description="Cells listed or confirmed none.")
    total: int = strawberry.field(description="Cells: published posts × platforms.")
    unknown: int = strawberry.field(description="Cells nobody has checked (total - known).")
    share: float = strawberry.field(description="known / total, from 0 to 1 (0 with no cells).")
    checked_at: datetime.datetime | None = strawberry.field(
        description='The latest confirmation of "none" among the cells; null when none.'
    )


@strawberry.type(description="The completeness of the published posts of one region.")
class RegionCompleteness:
    code: str = strawberry.field(description="Continent code (GeoNames): AF, AS, EU, NA, ...")
    name: str = strawberry.field(description="The region's name in the locale asked for.")
    completeness: Completeness


@strawberry.type
class Atlas:
    country_count: int
    post_count: int
    account_count: int
    person_count: int
    last_published_at: datetime.datetime | None = strawberry.field(
        description="When published content last changed; null for an empty atlas."
    )
    completeness: Completeness = strawberry.field(
        description="The share of all published posts' cells (post × platform) known."
    )
    regions: list[RegionCompleteness] = strawberry.field(
        description="Completeness per region (continent) with published posts."
    )


@strawberry.type(name="Platform")
class PlatformType:
    slug: str = strawberry.field(
        description="Stable key: twitter, facebook, linkedin, youtube, instagram, flickr, blog, ..."
    )
    name: str
    account_count: int = strawberry.field(description="Published accounts on this platform.")


@strawberry.type(description="One post × platform cell: listed, confirmed none or unknown.")
class CoverageCell:
    platform: PlatformType
    state: CoverageState
    checked_at: datetime.datetime | None = strawberry.field(
        description='When "none" was confirmed (CONFIRMED_NONE only); null otherwise.'
    )


@strawberry.type(description="How many published accounts something has on one platform.")
class PlatformCount:
    platform: PlatformType
    count: int


@strawberry.type(
    description="How many published accounts something has on one platform in one form "
    "(e.g. LinkedIn groups)."
)
class FormCount:
    platform: PlatformType
    form: PresenceForm
    count: int


@strawberry.type(name="Country")
class CountryType:
    id: strawberry.ID
    name: str
    slug: str
    posts: list[PostType] = strawberry.field(
        description="Published posts in this country, ordered by name."
    )
    code: str = strawberry.field(description="ISO 3166-1 alpha-2, upper case.")
    url: str = strawberry.field(description="Path of the country's rendered page.")
    location: Location | None
    account_count: int = strawberry.field(
        description="Published accounts of the country's posts and of the people serving there."
    )
    region: str = strawberry.field(
        description="The country's region: its continent code (GeoNames), empty when unknown."
    )
    completeness: Completeness = strawberry.field(
        description="The share of its published posts' cells (post × platform) known."
    )
    wikidata_id: str | None = strawberry.field(
        description="The country's item on Wikidata (a QID such as Q55); null when unknown."
    )

    is_type_of = _of(records.Country)


@strawberry.type(
    name="Post", description="A diplomatic post, or a department of the ministry at home."
)
class PostType:
    id: strawberry.ID
    name: str
    slug: str
    kind: PostKind
    city: str
    country: CountryType
    url: str
    location: Location | None
    accounts: list[AccountType] = strawberry.field(
        description="The post's own (organisational) published accounts."
    )
    platform_counts: list[PlatformCount] = strawberry.field(
        description="The published accounts of the post and of the people serving there, "
        "counted per platform (platforms without one left out), in the platforms' order: what "
        "a map needs to draw and filter posts without loading their accounts."
    )
    form_counts: list[FormCount] = strawberry.field(
        description="The same accounts as platformCounts, counted per platform and form "
        "(LinkedIn pages and LinkedIn groups apart), in the same order: what a map needs to "
        "filter posts by form without loading their accounts."
    )
    people: list[PersonType] = strawberry.field(
        description="Published people serving at this post."
    )
    coverage: list[CoverageCell] = strawberry.field(
        description="One cell per platform of the atlas, in the platforms' order: listed, "
        "confirmed none or unknown."
    )
    completeness: Completeness = strawberry.field(
        description="The share of the post's cells known (listed or confirmed none)."
    )
    wikidata_id: str | None = strawberry.field(
        description="The post's item on Wikidata (a QID such as Q55); null when unknown."
    )

    is_type_of = _of(records.Post)


@strawberry.type(name="Person")
class PersonType:
    id: strawberry.ID
    name: str
    role: PersonRole
    accounts: list[AccountType] = strawberry.field(description="The person's published accounts.")
    job_title: str = strawberry.field(
        description='Free-text job title, e.g. "Consul-General in Vancouver"; in the locale\'s '
        "language, or Dutch when it has none."
    )
    post: PostType | None = strawberry.field(
        description="The post this person serves at, in the locale's language; null if it has "
        "no published page in that language, or after their term of office there ended "
        "(see formerlyAt)."
    )
    term_start: datetime.date | None = strawberry.field(
        description="The first day of the person's term of office; null when not recorded."
    )
    term_end: datetime.date | None = strawberry.field(
        description="The last day of the person's term of office; null when not recorded or "
        "open-ended."
    )
    term_ended: bool = strawberry.field(
        description="Whether the term of office has ended (from its last day on): the person "
        "is then formerly at their post, which lists them no longer."
    )
    formerly_at: PostType | None = strawberry.field(
        description="After an ended term: the post the person served at, in the locale's "
        "language; null while serving, at the ministry's top, or without a published page in "
        "that language."
    )
    wikidata_id: str | None = strawberry.field(
        description="The person's item on Wikidata (a QID such as Q55); null when unknown."
    )

    is_type_of = _of(records.Person)


@strawberry.type(
    description="How many follow an account, as read server-side from its platform's open "
    "source (Mastodon, Bluesky); with the moment it was read."
)
class Followers:
    count: int
    fetched_at: datetime.datetime = strawberry.field(description="When the count was read.")


@strawberry.type(
    description="An account's follower count on one day (the day's last reading), for plotting "
    "growth."
)
class FollowerPoint:
    day: datetime.date
    count: int


@strawberry.type(
    description="One of an account's latest posts, as read server-side from its platform's "
    "open source: a plain-text excerpt (no HTML; escape it where shown) and a link."
)
class RecentPost:
    text: str
    url: str = strawberry.field(description="The post on its platform; may be empty.")
    published_at: datetime.datetime | None


@strawberry.type(
    name="Evidence",
    description="One way an account was confirmed as the ministry's, and when (never who).",
)
class EvidenceType:
    kind: EvidenceKind
    summary: str = strawberry.field(
        description="The confirmation in the locale's language: \"linked from "
        'netherlandsworldwide.nl", "gelinkt vanaf netherlandsworldwide.nl".'
    )
    source: str = strawberry.field(
        description="What was seen: the page that links to the account, the atlas page its "
        "profile links back to, the platform's badge; empty for an editor's confirmation."
    )
    confirmed_at: datetime.datetime = strawberry.field(description="When it was last confirmed.")


@strawberry.type(name="Account")
class AccountType:
    id: strawberry.ID
    platform: PlatformType
    handle: str = strawberry.field(description="Handle or name on the platform, e.g. NLinJapan.")
    url: str
    name: str = strawberry.field(description="Display name; may be empty.")
    language: str = strawberry.field(
        description="BCP 47 language tag of the account's main language; may be empty."
    )
    person: PersonType | None = strawberry.field(
        description="The owning person, for PERSONAL accounts."
    )
    kind: AccountKind
    speaks_for: AccountSpeaksFor = strawberry.field(
        description="OFFICE for a post's accounts and office holders' official ones; PERSON "
        "for a person's own account, published only while the person's consent stands."
    )
    status: AccountStatus = strawberry.field(
        description="ACTIVE; INACTIVE (dormant: kept, not updated); RENAMED (see newUrl)."
    )
    new_url: str | None = strawberry.field(
        description="For a RENAMED account: its profile URL now (url is the one registered)."
    )
    status_since: datetime.date | None = strawberry.field(
        description="Since when an INACTIVE or RENAMED account has that status (the day it was "
        "set, else the day it was last published); null for an ACTIVE one."
    )
    current_url: str = strawberry.field(
        description="Where the account is now: newUrl for a RENAMED account, else url. Link "
        "this one."
    )
    current_handle: str = strawberry.field(
        description="The handle at currentUrl: a RENAMED account's new one, else handle. Show "
        "this one."
    )
    former_url: str | None = strawberry.field(
        description="For a RENAMED account: the address it had until statusSince (its url); "
        "that old name may belong to someone else now. Null otherwise."
    )
    identity: str = strawberry.field(
        name="platformIdentity",
        description="The platform's own id of the account, which a rename does not change "
        "(YouTube channel id UC..., Bluesky DID, Mastodon account URI, X user id); may be empty.",
    )
    evidence: list[EvidenceType] = strawberry.field(
        description="How the account was confirmed as the ministry's, one entry per kind."
    )
    form: PresenceForm = strawberry.field(
        description="Its form of presence: taken from the URL where the platform's addresses "
        "tell it (linkedin.com/groups/... is a GROUP), else as the editors set it."
    )
    form_label: str = strawberry.field(
        description="Platform and form as a visitor reads them, in the locale's language: "
        '"LinkedIn group", "LinkedIn-groep"; the platform\'s name alone for its usual form '
        '("LinkedIn" for a company page, "YouTube" for a channel).'
    )
    post: PostType | None = strawberry.field(
        description="The owning post, or the post of the owning person, in the locale's "
        "language; null if it has no published page in that language, or for a personal "
        "account of someone whose term there has ended (see formerlyAt)."
    )
    formerly_at: PostType | None = strawberry.field(
        description="For a personal account of someone whose term of office at a post has "
        "ended: that post, in the locale's language (the account is listed under no post "
        "now); otherwise null."
    )
    country: CountryType | None = strawberry.field(
        description="The owning post's country, in the locale's language; null if it has no "
        "published page in that language."
    )
    followers: Followers | None = strawberry.field(
        description="The follower count and when it was read; null where the platform has no "
        "open source of it (X, Facebook, LinkedIn, Instagram; feeds) or nothing was read yet."
    )
    activity_fetched_at: datetime.datetime | None = strawberry.field(
        description="When the account's posts were last read from its platform; null if never."
    )

    @strawberry.field(
        description="The account's latest posts, newest first (empty where its platform has no "
        f"open source). At most {RECENT_POSTS_MAX_LIMIT}, whatever `limit` asks for."
    )
    def recent_posts(self, limit: int = 3) -> list[RecentPost]:
        if limit < 0:
            raise GraphQLError("limit must not be negative.")
        return self.latest_posts[: min(limit, RECENT_POSTS_MAX_LIMIT)]

    @strawberry.field(
        description="The follower count by day over the last `days` days (at most "
        f"{FOLLOWER_HISTORY_MAX_DAYS}), oldest first: one point per day it was read. Empty where "
        "followers is null. The open data's monthly release has every account's history."
    )
    def follower_history(self, days: int = 365) -> list[FollowerPoint]:
        if days < 1:
            raise GraphQLError("days must be at least 1.")
        days = min(days, FOLLOWER_HISTORY_MAX_DAYS)
        since = timezone.localdate() - datetime.timedelta(days=days - 1)
        return public_atlas.follower_history([self], since).get(self.id, [])

    is_type_of = _of(records.Account)


@strawberry.type(
    name="Impersonator",
    description="An address the press desk confirmed pretends to be an official account: the "
    "atlas's public statement, for platforms and the press.",
)
class ImpersonatorType:
    url: str = strawberry.field(description="The impersonator's address, as reported.")
    platform: PlatformType | None = strawberry.field(
        description="Its platform; null when the reports named none."
    )
    impersonates: AccountType | None = strawberry.field(
        description="The official account it pretends to be; null when that account is not "
        "published (it is then not named)."
    )
    reported_at: datetime.datetime = strawberry.field(description="When it was first reported.")
    confirmed_at: datetime.datetime | None = strawberry.field(
        description="When the press desk confirmed it."
    )
    report_url: str | None = strawberry.field(
        description="Where to report it to its platform: the platform's impersonation form, or "
        "the profile itself where the platform takes reports there (Mastodon: its server's "
        "moderators; Bluesky, Threads); null when unknown."
    )


@strawberry.type(
    name="Verdict",
    description='The atlas\'s answer to "Is the account at this address official?".',
)
class VerdictType:
    kind: VerdictKind
    official: bool = strawberry.field(
        description="True only for OFFICIAL: the address is an official account now."
    )
    account: AccountType | None = strawberry.field(
        description="The account the address is or was; null for NOT_LISTED."
    )
    until: datetime.date | None = strawberry.field(
        description="For RENAMED, CLOSED and CHANGED_HANDS: the last day the address was the "
        "account's."
    )
    current_url: str | None = strawberry.field(
        description="Where the official account is now (OFFICIAL and RENAMED); null otherwise."
    )
    message: str = strawberry.field(
        description="The answer in one sentence, in the locale's language."
    )
    impersonator: ImpersonatorType | None = strawberry.field(
        description="For KNOWN_IMPERSONATOR: the press desk's statement about the address."
    )


SearchResult = Annotated[
    CountryType | PostType | PersonType | AccountType,
    strawberry.union("SearchResult"),
]


ChangeKind = strawberry.enum(models.PublicChange.Kind, name="ChangeKind")
ChangeAction = strawberry.enum(
    models.PublicChange.Action,
    name="ChangeAction",
    description="ADDED: public now and not before; CHANGED: public before and now, with "
    "something the API shows changed; REMOVED: public before and not now (unpublished, "
    "deleted, made private, moved out of public view, or its owner no longer public).",
)


@strawberry.type(
    name="Change",
    description="An account, person or post added, changed or removed; a removal is a "
    "tombstone: its kind, id and moment only.",
)
class ChangeType:
    kind: ChangeKind
    id: strawberry.ID = strawberry.field(
        description="The id of the account, person or post (its page in the locale's language)."
    )
    action: ChangeAction
    at: datetime.datetime = strawberry.field(
        description="When the change was recorded: use the latest one seen as the next `since`."
    )

    @strawberry.field(description="The account as it is now, for an added or changed account.")
    def account(self) -> AccountType | None:
        return self.record if self.kind == models.PublicChange.Kind.ACCOUNT else None

    @strawberry.field(description="The person as it is now, for an added or changed person.")
    def person(self) -> PersonType | None:
        return self.record if self.kind == models.PublicChange.Kind.PERSON else None

    @strawberry.field(description="The post as it is now, for an added or changed post.")
    def post(self) -> PostType | None:
        return self.record if self.kind == models.PublicChange.Kind.POST else None
