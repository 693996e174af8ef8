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
import re
from collections.abc import Callable, Mapping
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

from atlas_pages import models
from atlas_pages.publication import public_atlas, records
from atlas_pages.publication import releases as release_store
from atlas_pages.publication.public_atlas import PublicAtlas, follower_history
from atlas_pages.publication.records import Post
from atlas_pages.rules import languages
from atlas_pages.rules.spreadsheets import neutralise
from atlas_pages.site.languages import current_language, view_alternates

#: Table Schema types (https://specs.frictionlessdata.io/table-schema/#types-and-formats) and the
#: JSON Schema each one is in the JSON files: the one declaration both schemas are built from.
JSON_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an export: its stable name, what it holds, how it is read off a record,
    and its type (for the data package and the JSON Schema: declared here once)."""

    name: str
    description: Promise
    value: Callable[[Any, PublicAtlas], object]
    #: Its Table Schema type: string, integer, date (ISO 8601) or datetime (UTC, ISO 8601).
    type: str = "string"
    #: For a string: "uri" (an absolute address) or "uuid" (a translation key).
    format: str = ""
    #: A closed vocabulary (empty: any value).
    enum: tuple[str, ...] = ()
    #: Never empty.
    required: bool = False
    #: No two rows share a value.
    unique: bool = False
    #: JSON only: the value is a list of objects with these properties (name -> Column); the
    #: CSV holds it as one text cell.
    items: tuple[Column, ...] = ()


def _names(choices: type) -> tuple[str, ...]:
    return tuple(choice.name for choice in choices)


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def _key(value: object) -> str | None:
    return str(value) if value else None


#: One entry of an account's evidence (JSON), as the API's Evidence.
EVIDENCE_COLUMNS = (
    Column(
        "kind",
        _("SITE_LINK, REL_ME, PLATFORM_VERIFIED or EDITOR."),
        lambda e, _atlas: e.kind.name,
        enum=_names(models.AccountEvidence.Kind),
        required=True,
    ),
    Column(
        "summary",
        _("The confirmation, in the file's language."),
        lambda e, _atlas: e.summary,
        required=True,
    ),
    Column(
        "source",
        _("What was seen: the linking page, the atlas page linked back to, the badge."),
        lambda e, _atlas: e.source,
        required=True,
    ),
    Column(
        "confirmed_at",
        _("When it was last confirmed (UTC, ISO 8601)."),
        lambda e, _atlas: _moment(e.confirmed_at),
        type="datetime",
        required=True,
    ),
)


def _evidence(account: records.Account, atlas: PublicAtlas) -> list[dict]:
    """How the account was confirmed, as the API's Evidence (never who confirmed it)."""
    return rows(EVIDENCE_COLUMNS, account.evidence, atlas)


def _cell(value: object) -> object:
    """A value as one CSV cell: a list of evidence as "KIND date source; ..."."""
    if isinstance(value, list):
        return "; ".join(
            " ".join(part for part in (item["kind"], item["confirmed_at"], item["source"]) if part)
            for item in value
        )
    return value


def site_root(atlas: PublicAtlas) -> str:
    """The site's public address, without a trailing slash: the root URL of its Wagtail Site
    (what the pages' own absolute links and hreflang use), else WAGTAILADMIN_BASE_URL."""
    home = atlas.home_links.get(atlas.language) or next(iter(atlas.home_links.values()), None)
    if home is not None and home.full_url.endswith(home.url):
        return home.full_url[: len(home.full_url) - len(home.url)]
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _full_url(atlas: PublicAtlas, record: Post | records.Country | None) -> str | None:
    if record is None:
        return None
    link = atlas.page_links(record.translation_key).get(atlas.language)
    return link.full_url if link else None


ACCOUNT_COLUMNS = (
    Column(
        "id",
        _("The account's id, as in the API: the same in every language."),
        lambda a, _atlas: a.id,
        type="integer",
        required=True,
        unique=True,
    ),
    Column(
        "platform",
        _("Platform key: twitter, facebook, …"),
        lambda a, _atlas: a.platform.slug,
        required=True,
    ),
    Column("platform_name", _("Platform name."), lambda a, _atlas: a.platform.name, required=True),
    Column(
        "form",
        _(
            "Its form of presence: PROFILE, PAGE, GROUP (a LinkedIn group), CHANNEL, "
            "PLAYLIST, BLOG."
        ),
        lambda a, _atlas: a.form.name,
        enum=_names(models.SocialAccount.Form),
        required=True,
    ),
    Column(
        "form_label",
        _("Platform and form as a reader says them (“LinkedIn group”), in the file's language."),
        lambda a, _atlas: a.form_label,
    ),
    Column("handle", _("Name on the platform."), lambda a, _atlas: a.handle, required=True),
    Column("name", _("Display name; may be empty."), lambda a, _atlas: a.name),
    Column(
        "url",
        _("Profile URL, as registered (a renamed account's old one: see current_url)."),
        lambda a, _atlas: a.url,
        format="uri",
        required=True,
    ),
    Column(
        "status",
        _("ACTIVE, INACTIVE (dormant, still the ministry's) or RENAMED (see current_url)."),
        lambda a, _atlas: a.status.name,
        enum=tuple(
            status.name
            for status in models.SocialAccount.Status
            if status != models.SocialAccount.Status.CLOSED  # closed accounts are not listed
        ),
        required=True,
    ),
    Column(
        "status_since",
        _("Since when an inactive or renamed account has that status (ISO 8601 date)."),
        lambda a, _atlas: a.status_since.isoformat() if a.status_since else None,
        type="date",
    ),
    Column(
        "new_url",
        _("Renamed accounts: the profile URL now (as the API's newUrl); else empty."),
        lambda a, _atlas: a.new_url,
        format="uri",
    ),
    Column(
        "current_url",
        _("Where the account is now: the new address of a renamed account, else url."),
        lambda a, _atlas: a.current_url,
        format="uri",
        required=True,
    ),
    Column(
        "current_handle",
        _("The handle at current_url: a renamed account's new one, else handle."),
        lambda a, _atlas: a.current_handle,
    ),
    Column(
        "former_url",
        _("Renamed accounts: the old address (may belong to someone else now)."),
        lambda a, _atlas: a.former_url,
        format="uri",
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
        lambda a, atlas: _evidence(a, atlas),
        items=EVIDENCE_COLUMNS,
    ),
    Column("language", _("BCP 47 tag of its main language."), lambda a, _atlas: a.language),
    Column(
        "kind",
        _(
            "Who holds it: ORGANISATION (a post) or PERSONAL (a person: also an office "
            "holder's official account; whether it is official, see speaks_for)."
        ),
        lambda a, _atlas: a.kind.name,
        enum=_names(models.SocialAccount.Kind),
        required=True,
    ),
    Column(
        "speaks_for",
        _(
            "OFFICE: official (a post's account, or an ambassador's or a minister's official "
            "one); PERSON: a person's own account, listed only with their consent."
        ),
        lambda a, _atlas: a.speaks_for.name,
        enum=_names(models.SocialAccount.SpeaksFor),
        required=True,
    ),
    Column("owner_name", _("The person or post that runs it."), lambda a, _atlas: a.owner_name),
    Column(
        "person_id",
        _("Accounts of a person: the person's id, as in the API (the same in every language)."),
        lambda a, _atlas: a.person.id if a.person else None,
        type="integer",
    ),
    Column(
        "person_key",
        _("Accounts of a person: the person's key, the same in every language."),
        lambda a, _atlas: _key(a.person.translation_key) if a.person else None,
        format="uuid",
    ),
    Column(
        "person_name",
        _("Accounts of a person: the person's name."),
        lambda a, _atlas: a.person.name if a.person else None,
    ),
    Column(
        "person_role",
        _("Accounts of a person: AMBASSADOR, MINISTER, …"),
        lambda a, _atlas: a.person.role.name if a.person else None,
        enum=_names(models.Person.Role),
    ),
    Column(
        "person_job_title",
        _("Accounts of a person: the job title, in the file's language."),
        lambda a, _atlas: a.person.job_title if a.person else None,
    ),
    Column(
        "person_term_start",
        _("Accounts of a person: the first day of their term of office (ISO 8601 date)."),
        lambda a, _atlas: (
            a.person.term_start.isoformat() if a.person and a.person.term_start else None
        ),
        type="date",
    ),
    Column(
        "person_term_end",
        _("Accounts of a person: the last day of their term of office (ISO 8601 date)."),
        lambda a, _atlas: a.person.term_end.isoformat() if a.person and a.person.term_end else None,
        type="date",
    ),
    Column(
        "formerly_at_post_id",
        _(
            "A personal account of someone whose term at a post has ended: that post's page in "
            "the file's language (the account is listed under no post now); else empty."
        ),
        lambda a, _atlas: a.formerly_at.id if a.formerly_at else None,
        type="integer",
    ),
    Column(
        "post_id",
        _(
            "The post (its own, or the person's): its page in the file's language, as in the "
            "API; empty when it has no page in that language. Join languages on post_key."
        ),
        lambda a, _atlas: a.post.id if a.post else None,
        type="integer",
    ),
    Column(
        "post_key",
        _("The post's key, the same in every language (also without a page in this one)."),
        lambda a, _atlas: _key(a.post_key),
        format="uuid",
    ),
    Column("post_name", _("The post's name."), lambda a, _atlas: a.post.name if a.post else None),
    Column(
        "post_url",
        _("The post's page."),
        lambda a, atlas: _full_url(atlas, a.post),
        format="uri",
    ),
    Column(
        "country_code",
        _("ISO 3166-1 alpha-2 code."),
        lambda a, _atlas: a.country_code or None,
    ),
    Column(
        "country_key",
        _("The country's key, the same in every language."),
        lambda a, _atlas: _key(a.country_key),
        format="uuid",
    ),
    Column(
        "country_name",
        _("The country's name."),
        lambda a, _atlas: a.country.name if a.country else None,
    ),
    Column(
        "followers",
        _("How many follow it, where its platform tells openly (Mastodon, Bluesky)."),
        lambda a, _atlas: a.followers.count if a.followers else None,
        type="integer",
    ),
    Column(
        "followers_fetched_at",
        _("When that follower count was read (UTC, ISO 8601)."),
        lambda a, _atlas: _moment(a.followers.fetched_at) if a.followers else None,
        type="datetime",
    ),
    Column(
        "listed_since",
        _("When the account was first published in the atlas (UTC, ISO 8601)."),
        lambda a, _atlas: _moment(a.first_published_at),
        type="datetime",
    ),
    Column(
        "last_published_at",
        _("When it was last published (UTC, ISO 8601)."),
        lambda a, _atlas: _moment(a.last_published_at),
        type="datetime",
    ),
    Column(
        "person_wikidata_id",
        _("Accounts of a person: the person's item on Wikidata (Q…), when known."),
        lambda a, _atlas: a.person.wikidata_id if a.person else None,
    ),
    Column(
        "post_wikidata_id",
        _("The post's item on Wikidata (Q…), when known."),
        lambda a, _atlas: a.post.wikidata_id if a.post else None,
    ),
    Column(
        "country_wikidata_id",
        _("The country's item on Wikidata (Q…), when known."),
        lambda a, _atlas: a.country.wikidata_id if a.country else None,
    ),
)

POST_COLUMNS = (
    Column(
        "id",
        _("The post's page in the file's language, as in the API. Join languages on post_key."),
        lambda p, _atlas: p.id,
        type="integer",
        required=True,
        unique=True,
    ),
    Column(
        "post_key",
        _("The post's key, the same in every language."),
        lambda p, _atlas: _key(p.translation_key),
        format="uuid",
        required=True,
        unique=True,
    ),
    Column("name", _("The post's name."), lambda p, _atlas: p.name, required=True),
    Column(
        "kind",
        _("EMBASSY, CONSULATE_GENERAL, …"),
        lambda p, _atlas: p.kind.name,
        enum=_names(models.PostPage.Kind),
        required=True,
    ),
    Column("city", _("City."), lambda p, _atlas: p.city),
    Column("address", _("Street address."), lambda p, _atlas: p.address),
    Column("website", _("Website."), lambda p, _atlas: p.website),
    Column(
        "country_code",
        _("ISO 3166-1 alpha-2 code."),
        lambda p, _atlas: p.country.code,
        required=True,
    ),
    Column(
        "country_key",
        _("The country's key, the same in every language."),
        lambda p, _atlas: _key(p.country.translation_key),
        format="uuid",
        required=True,
    ),
    Column("country_name", _("The country's name."), lambda p, _atlas: p.country.name),
    Column(
        "url",
        _("The post's page."),
        lambda p, atlas: _full_url(atlas, p),
        format="uri",
        required=True,
    ),
    Column(
        "account_count",
        _("Published accounts of the post and its people."),
        lambda p, _atlas: p.account_count,
        type="integer",
        required=True,
    ),
    Column(
        "person_count",
        _("Published people serving there."),
        lambda p, _atlas: len(p.people),
        type="integer",
        required=True,
    ),
    Column(
        "last_published_at",
        _("When its page was last published (UTC, ISO 8601)."),
        lambda p, _atlas: _moment(p.last_published_at),
        type="datetime",
    ),
    # Completeness (issue 23): a platform is known when the post has a published account on
    # it or the press desk confirmed it has none; as the country page and the API say it.
    Column(
        "platforms_known",
        _(
            "Of the platforms checked for every post, how many are known for this one: "
            "an account listed, or confirmed that there is none."
        ),
        lambda p, _atlas: p.completeness.known,
        type="integer",
        required=True,
    ),
    Column(
        "platforms_total",
        _("How many platforms are checked for every post."),
        lambda p, _atlas: p.completeness.total,
        type="integer",
        required=True,
    ),
    Column(
        "platforms_not_checked",
        _(
            "Platform keys not yet checked for this post, separated by spaces (unknown: not "
            "the same as having no account)."
        ),
        lambda p, _atlas: " ".join(
            cell.platform.slug for cell in p.coverage if cell.state == "unknown"
        ),
    ),
    Column(
        "platforms_checked_at",
        _("The latest confirmation that the post has no account on a platform (UTC, ISO 8601)."),
        lambda p, _atlas: _moment(p.completeness.checked_at),
        type="datetime",
    ),
    Column(
        "wikidata_id",
        _("The post's item on Wikidata (Q…), when known."),
        lambda p, _atlas: p.wikidata_id,
    ),
    Column(
        "country_wikidata_id",
        _("The country's item on Wikidata (Q…), when known."),
        lambda p, _atlas: p.country.wikidata_id,
    ),
)


#: Confirmed impersonators: the press desk's public statement (atlas_pages.publication.
#: impersonation). The account impersonated is named only while it is public.
IMPERSONATOR_COLUMNS = (
    Column("url", _("The impersonator's address."), lambda i, _atlas: i.url, required=True),
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
        type="integer",
    ),
    Column(
        "impersonates_url",
        _("That official account's profile URL."),
        lambda i, _atlas: i.impersonates.current_url if i.impersonates else None,
        format="uri",
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
        type="datetime",
        required=True,
    ),
    Column(
        "confirmed_at",
        _("When the press desk confirmed it (UTC, ISO 8601)."),
        lambda i, _atlas: _moment(i.confirmed_at),
        type="datetime",
    ),
    Column(
        "report_url",
        _("Where to report it to its platform."),
        lambda i, _atlas: i.report_url,
        format="uri",
    ),
)


def rows(columns: tuple[Column, ...], items: list, atlas: PublicAtlas) -> list[dict]:
    return [{column.name: column.value(record, atlas) for column in columns} for record in items]


#: An account's follower count by day (the activity fetch's history, where the platform has
#: an open source): one row per account and day, to plot growth.
FOLLOWER_HISTORY_COLUMNS = (
    Column(
        "account_id",
        _("The account (its id, as in accounts.csv and the API)."),
        lambda row, _atlas: row[0],
        type="integer",
        required=True,
    ),
    Column(
        "day",
        _("The day it was read (ISO 8601)."),
        lambda row, _atlas: row[1],
        type="date",
        required=True,
    ),
    Column(
        "followers",
        _("How many followed the account that day (the day's last reading)."),
        lambda row, _atlas: row[2],
        type="integer",
        required=True,
    ),
)


def _follower_history_rows(atlas: PublicAtlas) -> list[tuple[int, str, int]]:
    history = follower_history(atlas.accounts)
    return [
        (account_id, point.day.isoformat(), point.count)
        for account_id in sorted(history)
        for point in history[account_id]
    ]


def follower_history_csv(atlas: PublicAtlas) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # as accounts.csv: RFC 4180, a BOM (nothing to neutralise)
    writer.writerow([column.name for column in FOLLOWER_HISTORY_COLUMNS])
    for row in rows(FOLLOWER_HISTORY_COLUMNS, _follower_history_rows(atlas), atlas):
        writer.writerow(row.values())
    return ("\ufeff" + buffer.getvalue()).encode()


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
    "follower-history.csv": (
        follower_history_csv,
        "text/csv; charset=utf-8",
        _("each account's follower count by day, where its platform has an open source."),
    ),
}


# Published schemas -----------------------------------------------------------------------------
# Built from the columns above, so that a file and its schema cannot disagree: a Frictionless
# data package (https://datapackage.org/) with a Table Schema per file, and a JSON Schema
# (draft 2020-12) per JSON file. Like the files they are in the language of ?lang= (the
# descriptions) and cached with them.

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: The JSON files: name -> (the list's member, its columns, their records, schema file).
JSON_FILES: dict[str, tuple[str, tuple[Column, ...], Callable[[PublicAtlas], list], str]] = {
    "accounts.json": (
        "accounts",
        ACCOUNT_COLUMNS,
        lambda atlas: atlas.accounts,
        "accounts.schema.json",
    ),
    "impersonators.json": (
        "impersonators",
        IMPERSONATOR_COLUMNS,
        lambda atlas: atlas.impersonators.all,
        "impersonators.schema.json",
    ),
}
#: The JSON Schema of each JSON file.
SCHEMA_OF = {
    **{name: schema_name for name, (*_, schema_name) in JSON_FILES.items()},
    "posts.geojson": "posts.schema.json",
}


def _row_count(atlas: PublicAtlas, name: str) -> int:
    if name == "posts.geojson":
        return len(atlas.posts)
    _member, _columns, items, _schema_name = JSON_FILES[name]
    return len(items(atlas))


#: The CSV files: name -> the columns.
CSV_FILES = {
    "accounts.csv": ACCOUNT_COLUMNS,
    "impersonators.csv": IMPERSONATOR_COLUMNS,
    "follower-history.csv": FOLLOWER_HISTORY_COLUMNS,
}


def table_field(column: Column, *, in_json: bool = False) -> dict:
    """The column as a Table Schema field: of the CSV, or (``in_json``) of the JSON's rows,
    where a list (evidence) stays a list."""
    field: dict[str, Any] = {"name": column.name, "description": str(column.description)}
    if column.items:
        field["type"] = "array" if in_json else "string"
        if in_json:
            field["arrayItem"] = {"type": "object"}
    else:
        field["type"] = column.type
        if column.format:
            field["format"] = column.format
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(columns: tuple[Column, ...], *, in_json: bool = False) -> dict:
    schema: dict[str, Any] = {
        "fields": [table_field(column, in_json=in_json) for column in columns],
        "missingValues": [""] if not in_json else [],
    }
    keys = [column.name for column in columns if column.unique and column.required]
    if keys:
        schema["primaryKey"] = keys[:1]
    return schema


def json_property(column: Column) -> dict:
    """The column as a JSON Schema: its type, format and vocabulary; null allowed unless it is
    required (a list is always a list, maybe empty)."""
    if column.items:
        schema: dict[str, Any] = {"type": "array", "items": json_object(column.items)}
    else:
        schema = dict(JSON_TYPES[column.type])
        if column.format:
            schema["format"] = column.format
        if column.enum:
            schema["enum"] = list(column.enum)
        if not column.required:
            schema["type"] = [schema["type"], "null"]
            if column.enum:
                schema["enum"].append(None)
    return {"description": str(column.description), **schema}


def json_object(columns: tuple[Column, ...]) -> dict:
    """One row of a JSON file: every column, always present (null when empty), no other."""
    return {
        "type": "object",
        "required": [column.name for column in columns],
        "additionalProperties": False,
        "properties": {column.name: json_property(column) for column in columns},
    }


def _file_url(atlas: PublicAtlas, name: str) -> str:
    return site_root(atlas) + export_url(name, atlas.language)


def _check_language(atlas: PublicAtlas, language: str | None) -> str:
    if language is not None and language != atlas.language:
        raise ValueError(f"The atlas is in {atlas.language!r}, not {language!r}.")
    return atlas.language


def json_schema(
    atlas: PublicAtlas, name: str = "accounts.json", language: str | None = None
) -> dict:
    """The JSON Schema (draft 2020-12) of a JSON file (accounts.json, impersonators.json or
    posts.geojson), described in the atlas's language."""
    language = _check_language(atlas, language)
    with translation.override(language):
        if name == "posts.geojson":
            return _geojson_schema(atlas)
        member, columns, _records, schema_name = JSON_FILES[name]
        about = {
            "language": {"type": "string", "enum": [atlas.language]},
            "licence": {"type": "string"},
            "licence_url": {"type": "string"},
            "last_change": {"type": ["string", "null"], "format": "date-time"},
        }
        return {
            "$schema": JSON_SCHEMA_DIALECT,
            "$id": _file_url(atlas, schema_name),
            "title": f"{name} ({atlas.language})",
            "description": str(EXPORTS[name][2]),
            "type": "object",
            "required": [*about, member],
            "additionalProperties": False,
            "properties": {
                **about,
                member: {"type": "array", "items": json_object(columns)},
            },
        }


def _geojson_schema(atlas: PublicAtlas) -> dict:
    point = {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"const": "Point"},
            "coordinates": {
                "type": "array",
                "description": "[longitude, latitude] (WGS 84, RFC 7946)",
                "prefixItems": [
                    {"type": "number", "minimum": -180, "maximum": 180},
                    {"type": "number", "minimum": -90, "maximum": 90},
                ],
                "minItems": 2,
                "maxItems": 2,
            },
        },
    }
    feature = {
        "type": "object",
        "required": ["type", "id", "geometry", "properties"],
        "properties": {
            "type": {"const": "Feature"},
            "id": {"type": "integer"},
            "geometry": {"oneOf": [point, {"type": "null"}]},
            "properties": json_object(POST_COLUMNS),
        },
    }
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": _file_url(atlas, "posts.schema.json"),
        "title": f"posts.geojson ({atlas.language})",
        "description": str(EXPORTS["posts.geojson"][2]),
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "items": feature},
        },
    }


def _resource(atlas: PublicAtlas, name: str, path: str) -> dict:
    """One file as a Tabular Data Resource: a CSV's rows, a JSON file's list, the GeoJSON's
    features."""
    _build, content_type, about = EXPORTS[name]
    stem, _dot, extension = name.partition(".")
    resource: dict[str, Any] = {
        "name": f"{stem}-{extension}",
        "path": path,
        "profile": "tabular-data-resource",
        "title": name,
        "description": str(about),
        "mediatype": content_type.partition(";")[0],
        "encoding": "utf-8",
    }
    if name not in CSV_FILES and not _row_count(atlas, name):
        # Frictionless reads no table from an empty JSON list: the file is then described
        # as JSON only (its JSON Schema still holds).
        resource |= {"format": "json", "profile": "data-resource"}
        resource["description"] += " " + str(
            _("Empty now. JSON Schema: %(url)s") % {"url": _file_url(atlas, SCHEMA_OF[name])}
        )
    elif name in CSV_FILES:
        # The byte order mark is read as such (Frictionless, pandas' utf-8-sig, Excel).
        resource |= {"format": "csv", "encoding": "utf-8-sig"}
        resource["schema"] = table_schema(CSV_FILES[name])
    elif name in JSON_FILES:
        member, columns, _records, schema_name = JSON_FILES[name]
        resource |= {"format": "json", "dialect": {"json": {"property": member, "keyed": True}}}
        resource["schema"] = table_schema(columns, in_json=True)
        resource["description"] += " " + str(
            _("JSON Schema: %(url)s") % {"url": _file_url(atlas, schema_name)}
        )
    else:  # posts.geojson: a row per feature, its properties as the posts' columns
        properties = ", ".join(column.name for column in POST_COLUMNS)
        resource |= {"format": "json", "dialect": {"json": {"property": "features", "keyed": True}}}
        resource["schema"] = {
            "fields": [
                {
                    "name": "type",
                    "type": "string",
                    "constraints": {"required": True, "enum": ["Feature"]},
                },
                {
                    "name": "id",
                    "type": "integer",
                    "description": str(POST_COLUMNS[0].description),
                    "constraints": {"required": True, "unique": True},
                },
                {
                    "name": "geometry",
                    "type": "geojson",
                    "description": "Point [longitude, latitude] (RFC 7946), or null.",
                },
                {
                    "name": "properties",
                    "type": "object",
                    "description": str(
                        _("The post's columns: %(names)s. JSON Schema: %(url)s")
                        % {"names": properties, "url": _file_url(atlas, "posts.schema.json")}
                    ),
                    "constraints": {"required": True},
                },
            ],
            "primaryKey": ["id"],
        }
    return resource


def _licence_name(licence: str) -> str:
    """The licence as a data package's licence name (an SPDX id: "CC0 1.0" -> "CC0-1.0")."""
    return re.sub(r"[^-a-zA-Z0-9._]+", "-", licence).strip("-") or "unknown"


def data_package(
    atlas: PublicAtlas, language: str | None = None, *, paths: Mapping[str, str] | None = None
) -> dict:
    """The Frictionless data package (``datapackage.json``) of the files in the atlas's
    language: a Table Schema per file, from the same columns as the files.

    ``paths`` says where each file is, by its name here (``{"accounts.csv": "accounts.csv"}``
    for files kept beside the package, as a release keeps them); only those files are then
    described. By default every file is described at its absolute address on the site."""
    language = _check_language(atlas, language)
    if paths is None:
        paths = {name: _file_url(atlas, name) for name in EXPORTS}
    unknown = set(paths) - set(EXPORTS)
    if unknown:
        raise ValueError(f"Not an open-data file: {', '.join(sorted(unknown))}.")
    with translation.override(language):
        licence: dict[str, str] = {
            "name": _licence_name(settings.ATLAS_DATA_LICENCE),
            "title": settings.ATLAS_DATA_LICENCE,
        }
        if settings.ATLAS_DATA_LICENCE_URL:
            licence["path"] = settings.ATLAS_DATA_LICENCE_URL
        package: dict[str, Any] = {
            "profile": "tabular-data-package",
            "name": f"social-media-atlas-{language}",
            "title": str(_("Social Media Atlas: open data")),
            "description": str(
                _(
                    "Every published account and post of the atlas, in one language. Join the "
                    "languages on the account's id and on post_key, person_key and country_key."
                )
            ),
            "homepage": site_root(atlas) + reverse("open_data"),
            "licenses": [licence],
            "resources": [_resource(atlas, name, path) for name, path in paths.items()],
        }
        if any(r["profile"] != "tabular-data-resource" for r in package["resources"]):
            package["profile"] = "data-package"
        if atlas.figures.last_published_at:
            package["created"] = _moment(atlas.figures.last_published_at)
    return package


def _json_bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


#: The published schemas: name -> (builder, content type, what it holds).
SCHEMAS = {
    "datapackage.json": (
        lambda atlas: _json_bytes(data_package(atlas)),
        "application/json",
        _("the Frictionless data package: every file above with a Table Schema of its columns."),
    ),
    "accounts.schema.json": (
        lambda atlas: _json_bytes(json_schema(atlas, "accounts.json")),
        "application/schema+json",
        _("the JSON Schema of accounts.json."),
    ),
    "posts.schema.json": (
        lambda atlas: _json_bytes(json_schema(atlas, "posts.geojson")),
        "application/schema+json",
        _("the JSON Schema of posts.geojson."),
    ),
    "impersonators.schema.json": (
        lambda atlas: _json_bytes(json_schema(atlas, "impersonators.json")),
        "application/schema+json",
        _("the JSON Schema of impersonators.json."),
    ),
}
#: Everything served under /export/.
FILES = {**EXPORTS, **SCHEMAS}


def export(request: HttpRequest, name: str) -> HttpResponse:
    """One export in the language of ``?lang=`` (the default language when absent)."""
    build, content_type, _about_it = FILES[name]
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
    if name in EXPORTS:  # a schema is read in place (by tools, at the address it names)
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
        "schemas": [
            (name, export_url(name, language), about) for name, (*_, about) in SCHEMAS.items()
        ],
        "column_tables": [
            (_("Accounts (accounts.csv, accounts.json)"), ACCOUNT_COLUMNS),
            (
                _("Evidence (each entry of an account's evidence in accounts.json)"),
                EVIDENCE_COLUMNS,
            ),
            (_("Posts (posts.geojson: the properties of each feature)"), POST_COLUMNS),
            (
                _("Known impersonators (impersonators.csv, impersonators.json)"),
                IMPERSONATOR_COLUMNS,
            ),
        ],
        "alternates": view_alternates(request, "open_data", atlas=atlas),
        # Dated releases (atlas_pages/site/releases.py), newest first: a release starts a new
        # generation, so this cached page lists it at once.
        "releases": release_store.listing(),
    }
    return render(request, "atlas_pages/open_data.html", context)
