"""The site's views outside the page tree: search (the verify page is verify.py, the data
page and files open_data.py). (Pages are served by Wagtail; what they
show is in page_contexts.py; languages and the / redirect are in languages.py.)"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from atlas_pages import models
from atlas_pages.publication import public_atlas, records
from atlas_pages.rules import pasted
from atlas_pages.site import verify
from atlas_pages.site.languages import current_language, home_url, view_alternates

#: How many hits the search page lists at most.
SEARCH_LIMIT = 40


def _result(record: records.SearchHit, atlas_url: str) -> dict:
    """One hit as the search page lists it: what it is, its name, where it is, a link."""
    if isinstance(record, records.Country):
        return {"kind": _("Country"), "title": record.name, "url": record.url}
    if isinstance(record, records.Post):
        detail = ", ".join(part for part in (record.city, record.country.name) if part)
        return {
            "kind": record.kind.label,
            "title": record.name,
            "detail": detail,
            "url": record.url,
        }
    # People and accounts link to the page of their post in this language, if it has one.
    url = record.post.url if record.post else atlas_url
    if isinstance(record, records.Person):
        return {"kind": _("Person"), "title": record.name, "detail": record.title, "url": url}
    return {
        "kind": record.form_label,
        "platform": record.platform.slug,
        "title": record.name or record.handle,
        "detail": " · ".join([record.handle, record.owner_name, *account_labels(record)]),
        "url": url,
        "external": record.current_url,
    }


def account_labels(account: records.Account) -> list[str]:
    """What the site says of an account beyond its name: whom a person's account speaks for
    (personal or official) and a status other than active."""
    labels = []
    if account.person is not None:
        personal = account.speaks_for == models.SocialAccount.SpeaksFor.PERSON
        labels.append(_("personal") if personal else _("official"))
    if account.status == models.SocialAccount.Status.INACTIVE:
        labels.append(_("inactive"))
    elif account.status == models.SocialAccount.Status.RENAMED:
        labels.append(_("renamed"))
    return labels


def is_pasted_address(atlas: public_atlas.PublicAtlas, text: str) -> bool:
    """Whether a search is a pasted address the verify page answers (rules.pasted): a URL with
    a path or a scheme, @name@server, or an address of a platform (name.bsky.social) or of a
    listed account (minbz.nl); not words ("nl.japan") or a handle alone (search finds those)."""
    if verify.looks_like_profile_url(text) or pasted.is_fediverse_address(text):
        return True
    if re.match(r"^https?://", text, re.IGNORECASE):
        return True
    try:
        found = pasted.parse(text, atlas.pasted_directory)
    except pasted.Refused:
        return False
    return not found.handle and bool(found.platform or atlas.accounts_for_pasted(text))


def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    language = current_language()
    atlas = public_atlas.public_atlas(language)
    if is_pasted_address(atlas, text):  # a profile's address: is it an official account?
        url = text[: verify.MAX_URL_LENGTH]
        return redirect(reverse("verify") + "?" + urlencode({"url": url}))
    query = text[:200]
    atlas_url = home_url(language)
    results = [_result(record, atlas_url) for record in atlas.search(query, SEARCH_LIMIT)]
    context = {
        "search_query": query,
        "results": results,
        "alternates": view_alternates(request, "search", {"q": query} if query else None),
    }
    return render(request, "search/search.html", context)
