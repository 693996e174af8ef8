"""What the atlas, country and post pages show: their template contexts, read from the public
atlas of the page's language (atlas_pages.publication.public_atlas).

The page models know nothing of this module: it adds to their context through the
``construct_page_context`` hook (registered in wagtail_hooks.py, called by the models'
``get_context``). The home page weighs O(countries + posts): accounts and people are on the
country and post pages and in the map's panel, which loads them when a place is selected.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries as iso_countries
from wagtail.models import Page

from atlas_pages import models
from atlas_pages.publication.page_versions import PageVersion
from atlas_pages.publication.public_atlas import PublicAtlas, follower_history, public_atlas
from atlas_pages.publication.records import Account, Completeness, Country, Post, RecentPost
from atlas_pages.rules import text as text_rules
from atlas_pages.site.languages import page_alternates

#: World-atlas shapes without an ISO 3166 numeric code are matched by their name instead.
SHAPE_NAMES = {"XK": "Kosovo"}
#: The meta description of a home page whose editors wrote neither a search description nor
#: an introduction.
SITE_DESCRIPTION = gettext_lazy(
    "The official social-media accounts of the Ministry of Foreign Affairs, its posts abroad "
    "and its people, on a world map and by country."
)
#: How many accounts per platform, and posts, the home page's "most followed" ranking names.
MOST_FOLLOWED = 5
#: How many accounts a country page's "recently posted" list names (their latest post each).
RECENTLY_POSTED = 5
#: The days of follower history a post page plots per account.
FOLLOWER_CHART_DAYS = 365
#: The map script's texts; {name} placeholders are filled in by the script.
MAP_STRINGS = {
    "accounts": gettext_lazy("Accounts"),
    "people": gettext_lazy("People"),
    "noAccounts": gettext_lazy("No accounts listed yet."),
    "noAccountsOnPlatform": gettext_lazy("No accounts on this platform."),
    "openPost": gettext_lazy("Post page"),
    "openCountry": gettext_lazy("Country page"),
    "close": gettext_lazy("Close"),
    "posts": gettext_lazy("posts"),
    "shownAll": gettext_lazy("Showing all {posts} posts."),
    "shownPlatform": gettext_lazy("Showing {posts} posts with accounts on {platform}."),
    "shownForm": gettext_lazy("Showing {posts} posts with {choice}."),
    "loadError": gettext_lazy(
        "The map could not be loaded. The list of countries below has the same information."
    ),
    "mapLabel": gettext_lazy("World map of the posts and their accounts"),
    "accountsInCountry": gettext_lazy("{count} accounts"),
    "loading": gettext_lazy("Loading the accounts…"),
    "detailsError": gettext_lazy("The accounts could not be loaded."),
    "follower": gettext_lazy("{count} follower, {date}"),
    "followers": gettext_lazy("{count} followers, {date}"),
    "openRecentPost": gettext_lazy("Open post"),
    # Leaflet's zoom buttons (their titles, which screen readers read, are English).
    "zoomIn": gettext_lazy("Zoom in"),
    "zoomOut": gettext_lazy("Zoom out"),
}


#: The pages whose answer is kept across publishes while their version stays the same.
PAGE_KINDS = {models.CountryPage: "country", models.PostPage: "post"}


def add_page_context(page: Page, request: HttpRequest, context: dict) -> None:
    """``construct_page_context``: the context of the atlas's own page types."""
    build = {
        models.AtlasPage: atlas_context,
        models.CountryPage: country_context,
        models.PostPage: post_context,
    }.get(type(page))
    if build is not None:
        atlas = public_atlas(page.locale.language_code)
        context.update(build(atlas, page, request))
        kind = PAGE_KINDS.get(type(page))
        version = atlas.page_version(kind, page.pk) if kind else None
        if version is not None:  # the response cache keeps the answer while this stays the same
            request.atlas_page = PageVersion(atlas.language, kind, page.pk, version)


def shape_code(code: str) -> str:
    """The key of a country's shape in world-atlas: ISO 3166 numeric, or a name for the few
    shapes without one."""
    return SHAPE_NAMES.get(code) or iso_countries.numeric(code, padded=True) or ""


def map_settings() -> dict:
    """What the map script needs from the settings: a tile layer only if one is configured
    (a URL template with {z}); otherwise the map draws the world's shapes on a plain ground."""
    tile_layer = getattr(settings, "GEO_WIDGET_LEAFLET_TILE_LAYER", "") or ""
    options = getattr(settings, "GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS", {}) or {}
    if "{z}" not in tile_layer:
        tile_layer = ""
    return {"tile_layer": tile_layer, "tile_attribution": options.get("attribution", "")}


def map_strings() -> dict:
    """The map script's texts in the active language, with the labels it shows for the API's
    enum values (post kinds, person roles)."""
    strings = {key: str(text) for key, text in MAP_STRINGS.items()}
    for value, label in models.PostPage.Kind.choices:
        strings[f"kind.{value.upper()}"] = str(label)
    for value, label in models.Person.Role.choices:
        strings[f"role.{value.upper()}"] = str(label)
    # An account's status, as the server-rendered lists say it ({name}: filled in by the script).
    strings["status.INACTIVE"] = _("inactive")
    strings["status.INACTIVE.since"] = _("inactive since %(date)s") % {"date": "{date}"}
    strings["status.RENAMED"] = _("renamed")
    strings["formerly"] = _("formerly %(address)s") % {"address": "{address}"}
    return strings


def map_filters(atlas: PublicAtlas) -> list[tuple[str, str]]:
    """The map filter's choices after "All platforms": (value, label) per platform with a
    public account, each followed by its groups where it has some ("LinkedIn groups", value
    "linkedin/group": the script reads platform and form from it)."""
    with_groups = {platform.id for platform in atlas.group_platforms}
    choices = []
    for platform in atlas.platforms:
        choices.append((platform.slug, platform.name))
        if platform.id in with_groups:
            label = _("%(platform)s groups") % {"platform": platform.name}
            choices.append((f"{platform.slug}/{models.SocialAccount.Form.GROUP}", label))
    return choices


def plain_text(rich_text: object, words: int = 30) -> str:
    """A rich-text field as plain text of at most `words` words (for a meta description)."""
    return text_rules.plain_text(rich_text, words=words)


def _map_point(name: str, city: str, url: str, lat: float | None, lng: float | None) -> dict:
    return {"name": name, "city": city, "url": url, "lat": lat, "lng": lng}


def atlas_context(atlas: PublicAtlas, page: Page, request: HttpRequest) -> dict:
    """The home page: countries A–Z with links to their posts, the headline figures and the
    people at the ministry's top (who serve at no post)."""
    figures = atlas.figures
    return {
        "alternates": page_alternates(atlas, page),
        "meta_description": plain_text(page.intro) or str(SITE_DESCRIPTION),
        "countries": atlas.countries,
        "leadership": atlas.leadership,
        "map_filters": map_filters(atlas),
        "figures": {
            "countries": figures.country_count,
            "posts": figures.post_count,
            "accounts": figures.account_count,
            "platforms": figures.platform_count,
        },
        "last_change": figures.last_published_at,
        "most_followed": most_followed(atlas),
        "shape_codes": {country.code: shape_code(country.code) for country in atlas.countries},
        "map": map_settings(),
        "map_strings": map_strings(),
    }


@dataclass(slots=True)
class FollowedPost:
    """A post ranked by the followers of its own accounts, with the days those were read."""

    post: Post
    count: int
    first_read: datetime
    last_read: datetime


def most_followed(atlas: PublicAtlas, limit: int = MOST_FOLLOWED) -> dict:
    """The most followed accounts per platform and the posts whose own accounts have the most
    followers: counts as last read (each shown with its day), never estimated."""
    by_platform: dict[int, list[Account]] = defaultdict(list)
    for account in atlas.accounts:
        if account.followers is not None:
            by_platform[account.platform.id].append(account)
    platforms = [
        (platform, sorted(by_platform[platform.id], key=lambda a: -a.followers.count)[:limit])
        for platform in atlas.platforms
        if platform.id in by_platform
    ]
    posts = []
    for post in atlas.posts:
        counted = [account.followers for account in post.accounts if account.followers]
        if counted:
            days = [followers.fetched_at for followers in counted]
            posts.append(FollowedPost(post, sum(f.count for f in counted), min(days), max(days)))
    posts.sort(key=lambda item: -item.count)
    return {"platforms": platforms, "posts": posts[:limit]}


def _public_or_404(record: Country | Post | None, request: HttpRequest) -> Country | Post | None:
    """The record of a public page; 404 for a page the publication rule hides (e.g. live
    itself but under an unpublished country). Editors' previews show the page as edited,
    without the accounts and people the public does not see yet."""
    if record is None and not getattr(request, "is_preview", False):
        raise Http404
    return record


def recently_posted(posts: list[Post], limit: int = RECENTLY_POSTED) -> list[tuple]:
    """The latest post of each account of these posts and their people, newest first: the
    `limit` most recent as (account, post)."""
    latest: list[tuple[Account, RecentPost]] = []
    for post in posts:
        accounts = [*post.accounts, *(a for person in post.people for a in person.accounts)]
        latest += [
            (account, account.latest_posts[0]) for account in accounts if account.latest_posts
        ]
    dated = [item for item in latest if item[1].published_at is not None]
    dated.sort(key=lambda item: item[1].published_at, reverse=True)
    return dated[:limit]


def country_context(atlas: PublicAtlas, page: Page, request: HttpRequest) -> dict:
    country = _public_or_404(atlas.country(page.pk), request)
    posts = country.posts if country else []
    name = country.name if country else page.title
    return {
        "alternates": page_alternates(atlas, page),
        "meta_description": ngettext(
            "The official social-media accounts of the ministry's %(count)s post in %(country)s "
            "and of the people who serve there.",
            "The official social-media accounts of the ministry's %(count)s posts in "
            "%(country)s and of the people who serve there.",
            len(posts),
        )
        % {"count": len(posts), "country": name},
        "country_name": name,
        "posts": posts,
        # Each post's summary is kept by its version (atlas_tags.post_summary).
        "post_versions": {post.id: atlas.page_version("post", post.id) for post in posts},
        "account_count": country.account_count if country else 0,
        "recently_posted": recently_posted(posts),
        "checked": checked_statement(country.completeness, len(posts)) if country else "",
        "posts_checked": [
            (post, checked_statement(post.completeness))
            for post in posts
            if post.completeness.total
        ],
        "map_points": [
            _map_point(post.name, post.city, post.url, post.location.lat, post.location.lng)
            for post in posts
            if post.location is not None
        ],
        "map_center": {"lat": page.lat, "lng": page.lng},
        "map": map_settings(),
    }


def checked_statement(completeness: Completeness, posts: int = 1) -> str:
    """How far the platforms are checked, in the active language: "All platforms checked,
    October 2026" or "3 of 13 platforms not yet checked" (never "has no account": unknown is
    unknown). Empty when there is nothing to check."""
    if not completeness.total:
        return ""
    if completeness.complete:
        if completeness.checked_at is None:
            return _("All platforms checked")
        month = formats.date_format(
            timezone.localdate(completeness.checked_at), "YEAR_MONTH_FORMAT"
        )
        return _("All platforms checked, %(month)s") % {"month": month}
    facts = {"unknown": completeness.unknown, "total": completeness.total}
    if posts > 1:
        return (
            ngettext(
                "%(unknown)d of %(total)d platform of its posts not yet checked",
                "%(unknown)d of %(total)d platforms of its posts not yet checked",
                completeness.total,
            )
            % facts
        )
    return (
        ngettext(
            "%(unknown)d of %(total)d platform not yet checked",
            "%(unknown)d of %(total)d platforms not yet checked",
            completeness.total,
        )
        % facts
    )


def post_context(atlas: PublicAtlas, page: Page, request: HttpRequest) -> dict:
    post = _public_or_404(atlas.post(page.pk), request)
    accounts, people = (post.accounts, post.people) if post else ([], [])
    country = atlas.country(page.country_id) if page.country_id else None
    country_name = country.name if country else ""
    json_ld = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": page.title,
        "url": page.get_full_url(request),
        "sameAs": [account.current_url for account in accounts],
    }
    if page.address or page.city:
        json_ld["address"] = {
            "@type": "PostalAddress",
            "streetAddress": page.address,
            "addressLocality": page.city,
        }
        if country:
            json_ld["address"]["addressCountry"] = country.code
    if page.lat is not None and page.lng is not None:
        json_ld["geo"] = {"@type": "GeoCoordinates", "latitude": page.lat, "longitude": page.lng}
    if page.website:
        json_ld["sameAs"].append(page.website)
    place = ", ".join(part for part in (page.get_kind_display(), page.city, country_name) if part)
    return {
        "alternates": page_alternates(atlas, page),
        "meta_description": _(
            "The official social-media accounts of %(post)s (%(place)s) and of the people who "
            "serve there."
        )
        % {"post": page.title, "place": place},
        "country": country,
        "country_name": country_name,
        "accounts": accounts,
        "follower_history": follower_history(
            accounts, since=timezone.localdate() - timedelta(days=FOLLOWER_CHART_DAYS - 1)
        ),
        "people": people,
        "json_ld": json_ld,
        "map_points": [_map_point(page.title, page.city, page.url, page.lat, page.lng)]
        if page.lat is not None and page.lng is not None
        else [],
        "map_center": {"lat": page.lat, "lng": page.lng},
        "map": map_settings(),
    }
