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
from atlas_pages.rules import profile_urls
from atlas_pages.site.languages import current_language, view_alternates

#: Longest input taken (a profile URL; a handle).
MAX_URL_LENGTH = 2000
MAX_HANDLE_LENGTH = 200
#: A fediverse address: @name@server (Mastodon and the like).
_FEDIVERSE_ADDRESS = re.compile(r"^@?(?P<name>[^@/\s]+)@(?P<server>[^@/\s]+\.[^@/\s]+)$")
#: What a pasted profile URL looks like to the site search: a host with a dot, then a path.
_PROFILE_URL = re.compile(r"^(?:https?://)?[^\s/.]+(?:\.[^\s/.]+)+/\S+$", re.IGNORECASE)


def looks_like_profile_url(text: str) -> bool:
    """True for "https://x.com/NLinJapan" or "x.com/NLinJapan", not for words ("nl.japan")."""
    return bool(_PROFILE_URL.match(text.strip()))


def find(
    atlas: public_atlas.PublicAtlas, url: str, handle: str, platform: str
) -> tuple[list[records.Account], str]:
    """The public accounts the input points at, and an error message for input that cannot
    be checked ("" when it can). A URL wins over a handle; a handle that is a URL or a
    fediverse address (@name@server) is looked up as the profile URL it names."""
    handle = handle.strip()
    if not url and "/" in handle:
        url, handle = handle, ""
    address = _FEDIVERSE_ADDRESS.match(handle)
    if not url and address:
        url = f"https://{address['server']}/@{address['name']}"
    if url:
        try:
            profile_urls.normalise_profile_url(url)
        except ValueError as error:
            return [], str(error)
        account = atlas.account_for_url(url)
        return ([account] if account else []), ""
    if not platform:
        return [], _("Choose the platform of the handle, or paste the profile's URL.")
    return atlas.accounts_for_handle(platform, handle), ""


def verify(request: HttpRequest) -> HttpResponse:
    url = request.GET.get("url", "").strip()[:MAX_URL_LENGTH]
    handle = request.GET.get("handle", "").strip()[:MAX_HANDLE_LENGTH]
    platform = request.GET.get("platform", "").strip()[:100]
    atlas = public_atlas.public_atlas(current_language())
    checked = bool(url or handle)
    accounts, error = find(atlas, url, handle, platform) if checked else ([], "")
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
        "accounts": accounts,
        "contact_url": settings.ATLAS_CONTACT_URL,
        "contact_email": settings.ATLAS_CONTACT_EMAIL,
        "alternates": view_alternates(request, "verify", query or None, atlas),
    }
    return render(request, "atlas_pages/verify.html", context)
