"""Leads: profiles the posts' official websites and the ministry's central pages link to that
the atlas does not list yet (atlas_pages.models.Lead; the press desk's queue is
atlas_pages.editorial.leads_desk).

The pages are read as the site-links sweep reads them (atlas_pages.outbound.site_links: the one
outbound client with its pacing per host, size cap and refusal of private addresses; robots.txt
honoured; `extract_links`, share buttons left out): each live post's website
(PostPage.website, every language's) and each address of ATLAS_LEAD_SOURCES (none of a post).
A link is a profile when its host is a platform's (or a server known to be federated) and the
platform's rules read a profile in it (rules.pasted: a channel's tab or a post's link is its
profile's). The profiles linked themselves are never fetched.

A profile is listed when an account has its lookup key (Platform.normalise), live or draft,
whatever its status, or has it as its new address. One lead per profile: a profile found again
keeps its lead (seen again, where); a rejected one stays rejected, so it never returns to the
queue; an accepted one whose draft was never saved (still not listed) is new again.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from atlas_pages.models import Lead, Platform, SocialAccount
from atlas_pages.outbound import site_links
from atlas_pages.outbound.robots import RobotsRules
from atlas_pages.rules import pasted

#: The longest profile address an account (and a lead) stores.
MAX_LENGTH = 500


@dataclass(frozen=True)
class Profile:
    """A profile a link names, on a platform of the atlas."""

    platform: Platform
    url: str
    key: str
    handle: str


def profile_of(
    link: str, hosts: pasted.Directory, platforms: Mapping[str, Platform]
) -> Profile | None:
    """The profile the link names, or None (a website's page, a platform's home or post that
    names no profile, a platform the atlas does not know)."""
    try:
        found = pasted.parse(link, hosts)
    except ValueError:  # pasted.Refused: no profile
        return None
    platform = platforms.get(found.platform)
    if platform is None or not found.url:
        return None
    try:
        key = platform.normalise(found.url)
    except ValueError:
        return None
    if len(found.url) > MAX_LENGTH or len(key) > MAX_LENGTH:
        return None  # longer than an account's address may be: no profile to list
    return Profile(platform, found.url, key, platform.handle_from(found.url))


def listed_keys() -> set[str]:
    """The lookup keys of every account in the atlas (live or draft, any status), and of the
    renamed ones' new addresses."""
    keys = set(SocialAccount.objects.values_list("normalized_url", flat=True))
    renamed = SocialAccount.objects.exclude(new_url="").select_related("platform")
    for account in renamed:
        keys |= site_links.lookup_keys(account)
    return keys


def pages_to_sweep() -> list[tuple[str, int | None]]:
    """(page, post id) of each live post's website, then the ministry's central pages (no
    post)."""
    pages: list[tuple[str, int | None]] = list(site_links.post_websites().items())
    seen = {url for url, _post in pages}
    for url in settings.ATLAS_LEAD_SOURCES:
        if url not in seen:
            pages.append((url, None))
            seen.add(url)
    return pages


@dataclass
class Found:
    profile: Profile
    page: str
    post_id: int | None


@dataclass
class Summary:
    pages: int = 0
    #: Profiles linked that the atlas does not list; the leads among them that are new.
    unlisted: int = 0
    new: int = 0
    #: Pages not read, by reason ("robots.txt", "404", "timeout"...).
    skipped: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        text = (
            f"{self.pages} pages, {self.unlisted} profiles not in the atlas ({self.new} new leads)"
        )
        if self.skipped:
            reasons = ", ".join(
                f"{reason}: {count}" for reason, count in sorted(self.skipped.items())
            )
            text += f"; not read: {reasons}"
        return text


def unlisted_profiles(
    pages: Iterable[tuple[str, list[str], int | None]],
    hosts: pasted.Directory,
    platforms: Mapping[str, Platform],
    listed: set[str],
) -> dict[str, Found]:
    """The profiles the pages' links name that are not listed, by lookup key; each where it
    was first found, a post's website winning over a central page."""
    found: dict[str, Found] = {}
    for page, links, post_id in pages:
        for link in links:
            profile = profile_of(link, hosts, platforms)
            if profile is None or profile.key in listed:
                continue
            before = found.get(profile.key)
            if before is None:
                found[profile.key] = Found(profile, page, post_id)
            elif before.post_id is None and post_id is not None:
                before.page, before.post_id = page, post_id
    return found


def record(found: Mapping[str, Found]) -> int:
    """File the profiles found as leads (one per profile); how many leads are new."""
    now = timezone.now()
    existing = {lead.normalized_url: lead for lead in Lead.objects.filter(normalized_url__in=found)}
    new = 0
    with transaction.atomic():
        for key, item in found.items():
            lead = existing.get(key)
            if lead is None:
                Lead.objects.create(
                    platform=item.profile.platform,
                    url=item.profile.url,
                    normalized_url=key,
                    handle=item.profile.handle[:200],
                    found_on=item.page[:500],
                    post_id=item.post_id,
                    first_seen_at=now,
                    last_seen_at=now,
                )
                new += 1
                continue
            lead.last_seen_at = now
            lead.found_on = item.page[:500]
            if item.post_id is not None:
                lead.post_id = item.post_id
            if lead.status == Lead.Status.ACCEPTED:
                # Accepted, but no account was saved: it is a lead again (handled by, at: kept).
                lead.status = Lead.Status.NEW
            lead.save()
    return new


def sweep(sleep: Callable[[float], object] = time.sleep) -> Summary:
    """Read the pages once and file the profiles they link to that the atlas does not list."""
    summary = Summary()
    http = site_links.client(sleep)
    robots = RobotsRules(http)
    read: list[tuple[str, list[str], int | None]] = []
    for url, post_id in pages_to_sweep():
        summary.pages += 1
        page = site_links.read_page(http, robots, url)
        if page.problem:
            summary.skipped[page.problem] += 1
            continue
        read.append((page.url, page.links, post_id))
    platforms = {platform.slug: platform for platform in Platform.objects.all()}
    found = unlisted_profiles(read, site_links.directory(), platforms, listed_keys())
    summary.unlisted = len(found)
    summary.new = record(found)
    return summary
