"""A reconciliation service for spreadsheets of handles and addresses: the Reconciliation
Service API, version 0.2, of the W3C Entity Reconciliation Community Group, which OpenRefine
speaks (https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/).

A journalist's column of handles or URLs is reconciled against the public atlas in batches:
each cell is read as the verify page reads what a person pastes (rules.pasted: a profile's or
a post's URL, @handle, @name@server, name.bsky.social...), and each account found is a
candidate with the atlas's verdict as its description. Only an official account is a match;
the old address of a renamed account, a closed account and an address that changed hands are
candidates that never match, so a spreadsheet learns the truth about them too. A "platform"
property (a slug or a platform's name) narrows a bare handle to one platform.

- GET without ``queries``: the service manifest.
- GET or POST with ``queries`` (a JSON batch, as the protocol sends it): the results.
- ``preview/?id=``: a small HTML card OpenRefine frames; ``view/<id>/``: the verify page.
Everything is read from the public atlas (no SQL per query); bad input answers 400 with a JSON
error, never a 500.
"""

from __future__ import annotations

import json
import re
from typing import Any

from csp.decorators import csp_replace
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from atlas_pages.publication import public_atlas
from atlas_pages.publication.records import Account, Verdict, VerdictKind
from atlas_pages.rules import pasted
from atlas_pages.site.languages import current_language

#: The protocol version spoken.
VERSION = "0.2"
#: The one type of entity reconciled: an official account.
TYPE_ID = "account"
#: The property that narrows a bare handle to one platform (a slug or a platform's name).
PLATFORM_PROPERTY = "platform"
#: The most queries one batch may hold (OpenRefine sends 10 by default).
MAX_QUERIES = 500
#: Candidates per query: the default and the most a query's ``limit`` may ask for.
DEFAULT_LIMIT = 5
MAX_LIMIT = 25
#: The most characters read of a query's text.
MAX_QUERY_LENGTH = 2000
#: How likely each verdict makes a candidate the account the cell means: only an official
#: account can be a match; the others are shown, to be read, never auto-matched.
SCORES = {
    VerdictKind.OFFICIAL: 100.0,
    VerdictKind.RENAMED: 50.0,
    VerdictKind.CLOSED: 20.0,
    VerdictKind.CHANGED_HANDS: 0.0,
}
#: The preview card's size in OpenRefine's frame (CSS pixels).
PREVIEW_WIDTH, PREVIEW_HEIGHT = 420, 130


class BadBatch(ValueError):
    """A batch the protocol does not allow: its message is the 400's error."""


def _type() -> dict[str, str]:
    return {"id": TYPE_ID, "name": _("Official social-media account")}


def manifest(request: HttpRequest) -> dict[str, Any]:
    base = request.build_absolute_uri(reverse("reconcile"))
    return {
        "versions": [VERSION],
        "name": _("Social Media Atlas: official accounts"),
        # The ids are the atlas's own account ids (as in the open data and the API).
        "identifierSpace": request.build_absolute_uri(reverse("open_data")) + "#account-id",
        "schemaSpace": request.build_absolute_uri(reverse("open_data")) + "#columns",
        "documentation": request.build_absolute_uri(reverse("open_data")),
        "view": {"url": base + "view/{{id}}/"},
        "preview": {
            "url": base + "preview/?id={{id}}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "defaultTypes": [_type()],
    }


def _batch(request: HttpRequest) -> dict[str, dict]:
    """The batch of queries sent, checked: {key: query object}."""
    raw = request.POST.get("queries") if request.method == "POST" else None
    raw = raw if raw is not None else request.GET.get("queries", "")
    try:
        batch = json.loads(raw)
    except ValueError as error:
        raise BadBatch(_("queries is not valid JSON: %(error)s") % {"error": error}) from None
    if not isinstance(batch, dict):
        raise BadBatch(_("queries must be a JSON object of queries by key."))
    if len(batch) > MAX_QUERIES:
        raise BadBatch(
            _("A batch may hold at most %(most)s queries; this one has %(count)s.")
            % {"most": MAX_QUERIES, "count": len(batch)}
        )
    for key, query in batch.items():
        if not isinstance(query, dict) or not isinstance(query.get("query", ""), str):
            raise BadBatch(_("Query %(key)s must be an object with a query string.") % {"key": key})
    return batch


def _platform(query: dict) -> str:
    """The "platform" property's value, if the query gives one (its first value)."""
    for mapping in query.get("properties") or ():
        if isinstance(mapping, dict) and mapping.get("pid") == PLATFORM_PROPERTY:
            value = mapping.get("v")
            value = value[0] if isinstance(value, list) and value else value
            if isinstance(value, dict):
                value = value.get("id") or value.get("name")
            return value.strip() if isinstance(value, str) else ""
    return ""


def _platform_slug(atlas: public_atlas.PublicAtlas, value: str) -> str | None:
    """The slug a "platform" value names, any case: a slug ("twitter"), a name ("X (Twitter)")
    or either part of a name with its former one in brackets ("X", "Twitter"); None for one
    the atlas does not know (then nothing matches); "" for none given."""
    if not value:
        return ""
    wanted = value.strip().casefold()
    for platform in atlas.platforms:
        name = platform.name.casefold()
        parts = {part.strip() for part in re.split(r"[()]", name) if part.strip()}
        if wanted in {platform.slug.casefold(), name, *parts}:
            return platform.slug
    return None


def _types_asked(query: dict) -> list[str]:
    asked = query.get("type")
    if isinstance(asked, str):
        return [asked] if asked else []
    return [value for value in asked if isinstance(value, str)] if isinstance(asked, list) else []


def _limit(query: dict) -> int:
    limit = query.get("limit")
    if isinstance(limit, int | float) and not isinstance(limit, bool) and limit >= 0:
        return min(int(limit), MAX_LIMIT)
    return DEFAULT_LIMIT


def _candidate(verdict: Verdict, matched: bool) -> dict[str, Any]:
    account = verdict.account
    owner = account.owner_name
    name = account.name or account.current_handle
    return {
        "id": str(account.id),
        "name": " · ".join(part for part in (name, owner, account.platform.name) if part),
        "description": verdict.message,
        "score": SCORES[verdict.kind],
        "match": matched,
        "type": [_type()],
        "features": [{"id": "official", "value": verdict.official}],
    }


def answer(atlas: public_atlas.PublicAtlas, query: dict) -> list[dict[str, Any]]:
    """The candidates for one query, best first."""
    types = _types_asked(query)
    text = query.get("query", "").strip()[:MAX_QUERY_LENGTH]
    slug = _platform_slug(atlas, _platform(query))
    if (types and TYPE_ID not in types) or not text or slug is None:
        return []
    try:
        found = atlas.accounts_for_pasted(text, slug)
    except pasted.Refused:  # names no profile (a video, a short link): nothing to match
        return []
    verdicts = [
        verdict
        for verdict in atlas.verdicts(found, text, slug)
        if verdict.account is not None and verdict.kind in SCORES
    ]
    verdicts.sort(key=lambda verdict: -SCORES[verdict.kind])
    official = [verdict for verdict in verdicts if verdict.official]
    return [
        _candidate(verdict, matched=verdict.official and len(official) == 1)
        for verdict in verdicts[: _limit(query)]
    ]


@csrf_exempt  # a public, read-only protocol endpoint: OpenRefine posts form data without a token
@require_http_methods(["GET", "POST"])
def reconcile(request: HttpRequest) -> JsonResponse:
    if "queries" not in request.GET and "queries" not in request.POST:
        return JsonResponse(manifest(request))
    try:
        batch = _batch(request)
    except BadBatch as error:
        return JsonResponse({"error": str(error)}, status=400)
    atlas = public_atlas.public_atlas(current_language())
    return JsonResponse({key: {"result": answer(atlas, query)} for key, query in batch.items()})


def _account(atlas: public_atlas.PublicAtlas, raw: str) -> Account:
    """The public or formerly official account of an id as sent; 404 for any other."""
    try:
        account_id = int(raw)
    except (TypeError, ValueError):
        raise Http404 from None
    account = atlas.account(account_id) or atlas.former_account(account_id)
    if account is None:
        raise Http404
    return account


@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # OpenRefine, wherever it runs, frames the card
def preview(request: HttpRequest) -> HttpResponse:
    atlas = public_atlas.public_atlas(current_language())
    account = _account(atlas, request.GET.get("id"))
    [verdict] = atlas.verdicts([account], account.current_url)
    return render(
        request,
        "atlas_pages/reconcile_preview.html",
        {"account": account, "verdict": verdict, "width": PREVIEW_WIDTH},
    )


@require_GET
def view(request: HttpRequest, account_id: str) -> HttpResponseRedirect:
    """An account's page in the atlas: the verify page's answer for its address."""
    account = _account(public_atlas.public_atlas(current_language()), account_id)
    query = urlencode({"url": account.current_url})
    return HttpResponseRedirect(f"{reverse('verify')}?{query}")
