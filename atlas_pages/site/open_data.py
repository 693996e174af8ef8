"""Open data: the public atlas as files anyone may download and reuse.

``/export/accounts.csv``, ``/export/accounts.json`` and ``/export/posts.geojson``, in one
language each (``?lang=nl``, the default, or ``?lang=en``: names of posts and countries, job
titles; codes, handles and URLs are the same in both). Read from the public atlas only, so they
hold exactly what the site and the API publish, and are cached per publication generation with
the rest (cms/response_cache.py). The columns are declared once, below: the files and the data
page (``/nl/open-data/``, ``/en/open-data/``) both read them.

CSV: UTF-8 with a byte order mark, because Excel takes a CSV without one for the local ANSI code
page and garbles every accent (LibreOffice, QGIS, pandas with ``utf-8-sig`` and Python's csv
module read it either way); RFC 4180 line ends; a cell starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return gets a leading ``'`` so that no spreadsheet runs it as a formula
(CSV injection). GeoJSON: RFC 7946 (WGS 84, ``[longitude, latitude]``, no ``crs`` member).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from atlas_pages.publication import public_atlas, records
from atlas_pages.publication.public_atlas import PublicAtlas
from atlas_pages.publication.records import Post
from atlas_pages.rules import languages
from atlas_pages.rules.spreadsheets import neutralise
from atlas_pages.site.languages import current_language, view_alternates

#: Characters that make a spreadsheet read a cell as a formula.


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an export: its stable name, what it holds, how it is read off a record."""

    name: str
    description: Promise
    value: Callable[[Any, PublicAtlas], object]


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def _evidence(account: records.Account) -> list[dict]:
    """How the account was confirmed, as the API's Evidence (never who confirmed it)."""
    return [
        {
            "kind": evidence.kind.name,
            "summary": evidence.summary,
            "source": evidence.source,
            "confirmed_at": _moment(evidence.confirmed_at),
        }
        for evidence in account.evidence
    ]


def _cell(value: object) -> object:
    """A value as one CSV cell: a list of evidence as "KIND date source; ..."."""
    if isinstance(value, list):
        return "; ".join(
            " ".join(part for part in (item["kind"], item["confirmed_at"], item["source"]) if part)
            for item in value
        )
    return value


def _full_url(atlas: PublicAtlas, record: Post | records.Country | None) -> str | None:
    if record is None:
        return None
    link = atlas.page_links(record.translation_key).get(atlas.language)
    return link.full_url if link else None


ACCOUNT_COLUMNS = (
    Column("id", _("The account's id, as in the API."), lambda a, _atlas: a.id),
    Column("platform", _("Platform key: twitter, facebook, …"), lambda a, _atlas: a.platform.slug),
    Column("platform_name", _("Platform name."), lambda a, _atlas: a.platform.name),
    Column("handle", _("Name on the platform."), lambda a, _atlas: a.handle),
    Column("name", _("Display name; may be empty."), lambda a, _atlas: a.name),
    Column("url", _("Profile URL."), lambda a, _atlas: a.url),
    Column(
        "status",
        _("ACTIVE, INACTIVE (dormant, still the ministry's) or RENAMED (see current_url)."),
        lambda a, _atlas: a.status.name,
    ),
    Column(
        "status_since",
        _("Since when an inactive or renamed account has that status (ISO 8601 date)."),
        lambda a, _atlas: a.status_since.isoformat() if a.status_since else None,
    ),
    Column(
        "current_url",
        _("Where the account is now: the new address of a renamed account, else url."),
        lambda a, _atlas: a.current_url,
    ),
    Column(
        "former_url",
        _("Renamed accounts: the old address (may belong to someone else now)."),
        lambda a, _atlas: a.former_url,
    ),
    Column(
        "platform_identity",
        _("The platform's own id of the account (YouTube channel id, Bluesky DID, …)."),
        lambda a, _atlas: a.identity or None,
    ),
    Column(
        "evidence",
        _(
            "How it was confirmed: SITE_LINK, REL_ME, PLATFORM_VERIFIED or EDITOR, with the "
            "date and what was seen (CSV: “KIND date source”, separated by “; ”)."
        ),
        lambda a, _atlas: _evidence(a),
    ),
    Column("language", _("BCP 47 tag of its main language."), lambda a, _atlas: a.language),
    Column("kind", _("ORGANISATION or PERSONAL."), lambda a, _atlas: a.kind.name),
    Column("owner_name", _("The person or post that runs it."), lambda a, _atlas: a.owner_name),
    Column(
        "person_id",
        _("Personal accounts: the person's id."),
        lambda a, _atlas: a.person.id if a.person else None,
    ),
    Column(
        "person_name",
        _("Personal accounts: the person's name."),
        lambda a, _atlas: a.person.name if a.person else None,
    ),
    Column(
        "person_role",
        _("Personal accounts: AMBASSADOR, MINISTER, …"),
        lambda a, _atlas: a.person.role.name if a.person else None,
    ),
    Column(
        "person_job_title",
        _("Personal accounts: the job title, in the file's language."),
        lambda a, _atlas: a.person.job_title if a.person else None,
    ),
    Column(
        "post_id",
        _(
            "The post (its own, or the person's), as in the API; empty when it has no page in "
            "the file's language."
        ),
        lambda a, _atlas: a.post.id if a.post else None,
    ),
    Column("post_name", _("The post's name."), lambda a, _atlas: a.post.name if a.post else None),
    Column("post_url", _("The post's page."), lambda a, atlas: _full_url(atlas, a.post)),
    Column("country_code", _("ISO 3166-1 alpha-2 code."), lambda a, _atlas: a.country_code or None),
    Column(
        "country_name",
        _("The country's name."),
        lambda a, _atlas: a.country.name if a.country else None,
    ),
    Column(
        "listed_since",
        _("When the account was first published in the atlas (UTC, ISO 8601)."),
        lambda a, _atlas: _moment(a.first_published_at),
    ),
    Column(
        "last_published_at",
        _("When it was last published (UTC, ISO 8601)."),
        lambda a, _atlas: _moment(a.last_published_at),
    ),
)

POST_COLUMNS = (
    Column("id", _("The post's id, as in the API."), lambda p, _atlas: p.id),
    Column("name", _("The post's name."), lambda p, _atlas: p.name),
    Column("kind", _("EMBASSY, CONSULATE_GENERAL, …"), lambda p, _atlas: p.kind.name),
    Column("city", _("City."), lambda p, _atlas: p.city),
    Column("address", _("Street address."), lambda p, _atlas: p.address),
    Column("website", _("Website."), lambda p, _atlas: p.website),
    Column("country_code", _("ISO 3166-1 alpha-2 code."), lambda p, _atlas: p.country.code),
    Column("country_name", _("The country's name."), lambda p, _atlas: p.country.name),
    Column("url", _("The post's page."), lambda p, atlas: _full_url(atlas, p)),
    Column(
        "account_count",
        _("Published accounts of the post and its people."),
        lambda p, _atlas: p.account_count,
    ),
    Column("person_count", _("Published people serving there."), lambda p, _atlas: len(p.people)),
    Column(
        "last_published_at",
        _("When its page was last published (UTC, ISO 8601)."),
        lambda p, _atlas: _moment(p.last_published_at),
    ),
)


#: Confirmed impersonators: the press desk's public statement (atlas_pages.publication.
#: impersonation). The account impersonated is named only while it is public.
IMPERSONATOR_COLUMNS = (
    Column("url", _("The impersonator's address."), lambda i, _atlas: i.url),
    Column(
        "platform",
        _("Platform key: twitter, facebook, …; empty when unknown."),
        lambda i, _atlas: i.platform.slug if i.platform else None,
    ),
    Column(
        "impersonates_account_id",
        _(
            "The official account it pretends to be (its id, as in the API); empty when that "
            "account is not published."
        ),
        lambda i, _atlas: i.impersonates.id if i.impersonates else None,
    ),
    Column(
        "impersonates_url",
        _("That official account's profile URL."),
        lambda i, _atlas: i.impersonates.current_url if i.impersonates else None,
    ),
    Column(
        "impersonates_owner",
        _("The person or post that runs that official account."),
        lambda i, _atlas: i.impersonates.owner_name if i.impersonates else None,
    ),
    Column(
        "reported_at",
        _("When it was first reported (UTC, ISO 8601)."),
        lambda i, _atlas: _moment(i.reported_at),
    ),
    Column(
        "confirmed_at",
        _("When the press desk confirmed it (UTC, ISO 8601)."),
        lambda i, _atlas: _moment(i.confirmed_at),
    ),
    Column(
        "report_url",
        _("Where to report it to its platform."),
        lambda i, _atlas: i.report_url,
    ),
)


def rows(columns: tuple[Column, ...], items: list, atlas: PublicAtlas) -> list[dict]:
    return [{column.name: column.value(record, atlas) for column in columns} for record in items]


def accounts_csv(atlas: PublicAtlas) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: quoted as needed, CRLF line ends
    writer.writerow([column.name for column in ACCOUNT_COLUMNS])
    for row in rows(ACCOUNT_COLUMNS, atlas.accounts, atlas):
        writer.writerow(
            ["" if value is None else neutralise(_cell(value)) for value in row.values()]
        )
    return ("\ufeff" + buffer.getvalue()).encode()


def _about(atlas: PublicAtlas) -> dict:
    return {
        "language": atlas.language,
        "licence": settings.ATLAS_DATA_LICENCE,
        "licence_url": settings.ATLAS_DATA_LICENCE_URL,
        "last_change": _moment(atlas.figures.last_published_at),
    }


def accounts_json(atlas: PublicAtlas) -> bytes:
    document = {**_about(atlas), "accounts": rows(ACCOUNT_COLUMNS, atlas.accounts, atlas)}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def impersonators_csv(atlas: PublicAtlas) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # as accounts.csv: RFC 4180, formulas neutralised, a BOM
    writer.writerow([column.name for column in IMPERSONATOR_COLUMNS])
    for row in rows(IMPERSONATOR_COLUMNS, atlas.impersonators.all, atlas):
        writer.writerow(["" if value is None else neutralise(value) for value in row.values()])
    return ("\ufeff" + buffer.getvalue()).encode()


def impersonators_json(atlas: PublicAtlas) -> bytes:
    found = rows(IMPERSONATOR_COLUMNS, atlas.impersonators.all, atlas)
    document = {**_about(atlas), "impersonators": found}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def posts_geojson(atlas: PublicAtlas) -> bytes:
    """An RFC 7946 FeatureCollection of the posts: a Point [longitude, latitude] each, or a
    null geometry for a post with no location (an "unlocated" feature, RFC 7946 § 3.2)."""
    features = []
    for post, properties in zip(atlas.posts, rows(POST_COLUMNS, atlas.posts, atlas), strict=True):
        point = post.location
        geometry = {"type": "Point", "coordinates": [point.lng, point.lat]} if point else None
        features.append(
            {"type": "Feature", "id": post.id, "geometry": geometry, "properties": properties}
        )
    document = {"type": "FeatureCollection", "features": features}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


#: The files: name -> (builder, content type, what it holds).
EXPORTS = {
    "accounts.csv": (
        accounts_csv,
        "text/csv; charset=utf-8",
        _("every published account, one a row (for spreadsheets)."),
    ),
    "accounts.json": (
        accounts_json,
        "application/json",
        _("the same accounts as JSON, with the licence and the last change."),
    ),
    "posts.geojson": (
        posts_geojson,
        "application/geo+json",
        _("every published post as a point on the map (GeoJSON, RFC 7946: for QGIS and GIS)."),
    ),
    "impersonators.csv": (
        impersonators_csv,
        "text/csv; charset=utf-8",
        _("addresses the press desk confirmed pretend to be official accounts, one a row."),
    ),
    "impersonators.json": (
        impersonators_json,
        "application/json",
        _("the same known impersonators as JSON, with the licence."),
    ),
}


def export(request: HttpRequest, name: str) -> HttpResponse:
    """One export in the language of ``?lang=`` (the default language when absent)."""
    build, content_type, _about_it = EXPORTS[name]
    requested = request.GET.get("lang") or None
    try:
        language = languages.content_language(requested)
    except LookupError:
        known = ", ".join(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES)
        return HttpResponseBadRequest(
            f"Unknown language {requested[:20]!r}: use lang= one of {known}.",
            content_type="text/plain; charset=utf-8",
        )
    with translation.override(language):
        body = build(public_atlas.public_atlas(language))
    response = HttpResponse(body, content_type=content_type)
    stem, _dot, extension = name.partition(".")
    filename = f"social-media-atlas-{stem}-{language}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Language"] = language
    return response


def export_url(name: str, language: str) -> str:
    return reverse("export", args=(name,)) + f"?lang={language}"


def open_data_page(request: HttpRequest) -> HttpResponse:
    """What can be downloaded, under which licence, as of when, and what each column holds."""
    language = current_language()
    atlas = public_atlas.public_atlas(language)
    context = {
        "figures": atlas.figures,
        "licence": settings.ATLAS_DATA_LICENCE,
        "licence_url": settings.ATLAS_DATA_LICENCE_URL,
        "downloads": [
            (name, export_url(name, language), about) for name, (*_, about) in EXPORTS.items()
        ],
        "column_tables": [
            (_("Accounts (accounts.csv, accounts.json)"), ACCOUNT_COLUMNS),
            (_("Posts (posts.geojson: the properties of each feature)"), POST_COLUMNS),
            (
                _("Known impersonators (impersonators.csv, impersonators.json)"),
                IMPERSONATOR_COLUMNS,
            ),
        ],
        "alternates": view_alternates(request, "open_data", atlas=atlas),
    }
    return render(request, "atlas_pages/open_data.html", context)
