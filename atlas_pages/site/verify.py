"""“Is this account official?”: the answer for a pasted profile URL, or a handle and its
platform, from the public atlas (no SQL per request: a crowd checking a new URL each costs a
dictionary lookup each). A plain GET form, so an answer is a URL that can be shared."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from atlas_pages.publication import public_atlas, records
from atlas_pages.rules import pasted
from atlas_pages.site.languages import current_language, view_alternates

#: Longest input taken (a profile URL; a handle).
MAX_URL_LENGTH = 2000
MAX_HANDLE_LENGTH = 200
#: What a pasted profile URL looks like to the site search: a host with a dot, then a path.
_PROFILE_URL = re.compile(r"^(?:https?://)?[^\s/.]+(?:\.[^\s/.]+)+/\S+$", re.IGNORECASE)


def looks_like_profile_url(text: str) -> bool:
    """True for "https://x.com/NLinJapan" or "x.com/NLinJapan", not for words ("nl.japan")."""
    return bool(_PROFILE_URL.match(text.strip()))


def find(
    atlas: public_atlas.PublicAtlas, url: str, handle: str, platform: str
) -> tuple[list[records.Account], str]:
    """The public accounts the input points at, and an error message for input that cannot
    be checked ("" when it can). A URL wins over a handle. Either box takes whatever a person
    pastes (rules.pasted: a post's URL, @name@server, name.bsky.social...); a handle alone is
    looked up on the platform chosen, in the URL box on any platform when none is."""
    url, handle = url.strip(), handle.strip()
    if not url and platform and "/" not in handle:
        found = atlas.accounts_for_handle(platform, handle)
        if found:
            return found, ""
    text = url or handle
    try:
        if not url and not platform and pasted.parse(text, atlas.pasted_directory).handle:
            return [], _("Choose the platform of the handle, or paste the profile's URL.")
        return atlas.accounts_for_pasted(text, platform), ""
    except pasted.Refused as refused:
        return [], str(refused)


def verify(request: HttpRequest) -> HttpResponse:
    url = request.GET.get("url", "").strip()[:MAX_URL_LENGTH]
    handle = request.GET.get("handle", "").strip()[:MAX_HANDLE_LENGTH]
    platform = request.GET.get("platform", "").strip()[:100]
    atlas = public_atlas.public_atlas(current_language())
    checked = bool(url or handle)
    accounts, error = find(atlas, url, handle, platform) if checked else ([], "")
    # The read model decides what each found account (or a formerly official one) means at
    # this address: official, renamed, closed, changed hands, or not listed.
    verdicts = atlas.verdicts(accounts, url or handle, platform) if checked and not error else []
    query = {name: value for name, value in (("url", url), ("handle", handle)) if value}
    if handle and platform:
        query["platform"] = platform
    context = {
        "url": url,
        "handle": handle,
        "platform": platform,
        "platforms": atlas.platforms,
        "checked": checked and not error,
        "error": error,
        "verdicts": verdicts,
        "official_count": sum(verdict.official for verdict in verdicts),
        "contact_url": settings.ATLAS_CONTACT_URL,
        "contact_email": settings.ATLAS_CONTACT_EMAIL,
        "alternates": view_alternates(request, "verify", query or None, atlas),
    }
    return render(request, "atlas_pages/verify.html", context)
