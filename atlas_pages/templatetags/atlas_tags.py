"""Template helpers of the visitor site: platform icons, safely embedded JSON-LD, the language
switcher and hreflang links, follower counts and their history."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from atlas_pages.publication import shared_cache
from atlas_pages.publication.records import FollowerPoint, Followers
from atlas_pages.site import languages

if TYPE_CHECKING:
    from atlas_pages.publication.records import Post
    from atlas_pages.site.page_contexts import FollowedPost

register = template.Library()

#: The platforms the icon sprite draws; any other gets the generic icon.
ICONS = {
    "twitter", "facebook", "linkedin", "youtube", "instagram", "flickr", "blog", "mastodon",
    "bluesky", "threads", "tiktok", "wechat", "weibo",
}  # fmt: skip
#: What json_script escapes: nothing in the data can close the <script> element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def platform_icon(context: template.Context, slug: str) -> SafeString:
    """A platform's icon from the local sprite; decorative (the platform's name is beside it).
    The sprite's address is worked out once per page: the largest country's page draws 3,200
    icons, and each address cost 75 µs (a sixth of that page's render)."""
    sprite = _platform_sprite(context)
    symbol = slug if slug in ICONS else "generic"
    return format_html(
        '<svg class="icon icon--platform" aria-hidden="true" focusable="false" width="20" '
        'height="20"><use href="{}#{}"></use></svg>',
        sprite,
        symbol,
    )


def _platform_sprite(context: template.Context) -> str:
    """The sprite's address: given by the page (a post's summary is rendered on its own), else
    worked out once per template (each included one has a render context of its own)."""
    sprite = context.get(SPRITE) or context.render_context.get(SPRITE)
    if sprite is None:
        sprite = context.render_context[SPRITE] = static("atlas/icons/platforms.svg")
    return sprite


#: Where platform_icon finds the sprite's address during a page's render.
SPRITE = "atlas_tags_platform_sprite"


@register.simple_tag(takes_context=True)
def post_summary(context: template.Context, post: Post, level: int) -> SafeString:
    """A post's summary on its country's page (includes/post_summary.html, rendered from the
    post alone), kept in this process by the post's version (``post_versions`` in the context,
    publication.page_versions): a publish renders again only its own post's summary, not the
    twelve others of the largest country, whose page took 1.5 s to render whole. Shared with
    the other processes too: a process that renders a country's page for the first time (the
    builder of a generation is any worker, and workers are recycled) takes the others' summaries
    instead of rendering them all again."""
    version = context.get("post_versions", {}).get(post.id)
    key = (version, level)
    with _summaries_lock:
        found = _summaries.get(key) if version is not None else None
        if found is not None:
            _summaries.move_to_end(key)
            return found
    sprite = _platform_sprite(context)
    # The sprite's address names the release's static files.
    shared_key = f"atlas:post-summary:{_shared['namespace']}:{version}:{level}:{sprite}"
    shared = shared_cache.call_cache("get", shared_key) if version is not None else None
    if shared is not None:
        summary = mark_safe(shared)  # noqa: S308 (rendered by this template, escaped)
    else:
        summary = render_to_string(POST_SUMMARY, {"post": post, "level": level, SPRITE: sprite})
        if version is not None:
            shared_cache.call_cache("set", shared_key, str(summary), settings.ATLAS_CACHE_TIMEOUT)
    if version is not None:
        with _summaries_lock:
            if key not in _summaries:
                _summaries[key] = summary
                _kept["characters"] += len(summary)
            while _kept["characters"] > MAX_SUMMARY_CHARACTERS:
                _kept["characters"] -= len(_summaries.popitem(last=False)[1])
    return summary


POST_SUMMARY = "atlas_pages/includes/post_summary.html"
#: How much of the posts' summaries this process keeps (the least recently used go first): a
#: summary of a post with 300 accounts is about 170,000 characters.
MAX_SUMMARY_CHARACTERS = 16_000_000
_summaries: OrderedDict[tuple[str, int], SafeString] = OrderedDict()
_kept = {"characters": 0}
_summaries_lock = threading.Lock()


#: Where this process's shared summaries are (a test that forgets them starts anew).
_shared = {"namespace": 0}


def forget_summaries() -> None:
    """Drop the posts' summaries kept, here and (for this process) in the shared cache (tests)."""
    with _summaries_lock:
        _summaries.clear()
        _kept["characters"] = 0
        _shared["namespace"] += 1


@register.filter
def json_ld(value: object) -> SafeString:
    """A schema.org object as <script type="application/ld+json">, escaped as json_script
    does so that no value can end the script element."""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))


def _alternates(context: template.Context) -> list[dict[str, Any]]:
    """The page in every language: from the view's context, else links to the home pages (for
    pages such as "not found")."""
    alternates = context.get("alternates")
    if alternates is None:
        alternates = languages.home_alternates()
    return alternates


@register.inclusion_tag("atlas_pages/includes/language_switcher.html", takes_context=True)
def language_switcher(context: template.Context) -> dict[str, Any]:
    """Links to this page in the other languages (or to their home page when it is not
    published in one)."""
    return {"alternates": [item for item in _alternates(context) if item["url"]]}


@register.inclusion_tag("atlas_pages/includes/hreflang.html", takes_context=True)
def hreflang_links(context: template.Context) -> dict[str, Any]:
    """<link rel="alternate" hreflang> for each language the page is published in, and the
    default language's as x-default."""
    links = [item for item in _alternates(context) if item["full_url"]]
    default = next((item for item in links if item["language"] == settings.LANGUAGE_CODE), None)
    return {"links": links, "default": default}


@register.simple_tag
def home_url() -> str:
    """The home page in the active language, e.g. "/en/"."""
    return languages.home_url(languages.current_language())


@register.filter
def short_date(moment: date | datetime | None) -> str:
    """A day as "3 Dec 2026" / "3 dec 2026" (the format is translated: Dutch writes months in
    lower case, where Django's M capitalises them)."""
    if moment is None:
        return ""
    # Translators: a date format (Django's date filter): day, abbreviated month, year.
    return formats.date_format(moment, gettext("j M Y"))


@register.filter
def follower_count(followers: Followers | None) -> str:
    """ "1,234 followers, 3 Dec 2026" ("1.234 volgers, 3 dec 2026"): the count with the day it
    was read, so that an old figure says so. Plain text (escaped where shown)."""
    if followers is None:
        return ""
    return ngettext(
        "%(count)s follower, %(date)s", "%(count)s followers, %(date)s", followers.count
    ) % {
        "count": formats.number_format(followers.count, force_grouping=True),
        "date": short_date(followers.fetched_at),
    }


#: The follower chart's size in CSS pixels (its viewBox; it scales with the text).
CHART_WIDTH, CHART_HEIGHT = 120, 24


@register.simple_tag
def follower_chart(history: dict[int, list[FollowerPoint]] | None, account_id: int) -> str:
    """A small line of an account's follower counts by day (an inline SVG, drawn from its
    history; nothing with fewer than two days), its first and last point said in words for
    screen readers and as a tooltip."""
    points = (history or {}).get(account_id) or []
    if len(points) < 2:
        return ""
    first, last = points[0], points[-1]
    span = (last.day - first.day).days or 1
    low = min(point.count for point in points)
    high = max(point.count for point in points)
    rise = (high - low) or 1

    def x(point: FollowerPoint) -> str:
        return f"{(point.day - first.day).days / span * CHART_WIDTH:.1f}"

    def y(point: FollowerPoint) -> str:
        return f"{CHART_HEIGHT - 2 - (point.count - low) / rise * (CHART_HEIGHT - 4):.1f}"

    label = gettext("Followers: %(first)s on %(first_day)s, %(last)s on %(last_day)s") % {
        "first": formats.number_format(first.count, force_grouping=True),
        "first_day": short_date(first.day),
        "last": formats.number_format(last.count, force_grouping=True),
        "last_day": short_date(last.day),
    }
    line = " ".join(f"{x(point)},{y(point)}" for point in points)
    return format_html(
        '<svg class="follower-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}"><title>{}</title><polyline points="{}" fill="none" '
        'stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke"/></svg>',
        CHART_WIDTH,
        CHART_HEIGHT,
        CHART_WIDTH,
        CHART_HEIGHT,
        label,
        label,
        line,
    )


@register.simple_tag
def followers_of_post(item: FollowedPost) -> str:
    """A post's followers summed over its own accounts, with the days the counts were read:
    one day, or the first and the last ("…, 1 Dec 2026 – 3 Dec 2026")."""
    first, last = short_date(item.first_read), short_date(item.last_read)
    return ngettext("%(count)s follower, %(date)s", "%(count)s followers, %(date)s", item.count) % {
        "count": formats.number_format(item.count, force_grouping=True),
        "date": first if first == last else f"{first} – {last}",
    }
