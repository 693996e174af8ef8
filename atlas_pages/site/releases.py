"""Dated releases of the open data: building them from the public atlas, and serving their files.

A release holds, per language, the files the site serves at ``/export/`` (accounts.csv,
accounts.json, posts.geojson), their data package (``datapackage.json``, describing the files
beside it) and JSON Schemas, and a ``SHA256SUMS`` (atlas_pages.publication.releases keeps them).
Old releases stay downloadable at ``/releases/<date>/<language>/<name>``, read from the releases
storage: immutable, so cached by browsers and CDNs for a year.
"""

from __future__ import annotations

import base64
import json
from datetime import date

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

from atlas_pages.models import OpenDataRelease
from atlas_pages.publication import public_atlas
from atlas_pages.publication import releases as stored
from atlas_pages.publication.public_atlas import PublicAtlas
from atlas_pages.publication.releases import ReleaseFile
from atlas_pages.site import open_data

#: The open-data files a release holds (their builders are open_data.EXPORTS').
DATA_FILES = ("accounts.csv", "accounts.json", "posts.geojson", "follower-history.csv")
#: Their schemas, kept beside them (open_data.SCHEMAS); the data package names the files
#: beside it, so a release validates offline.
SCHEMA_FILES = ("accounts.schema.json", "posts.schema.json")


def release_files(atlas: PublicAtlas) -> list[ReleaseFile]:
    """The files of a release of this atlas (in its language), as the site serves them."""
    with translation.override(atlas.language):
        files = [
            ReleaseFile(name, build(atlas), content_type)
            for name in (*DATA_FILES, *SCHEMA_FILES)
            for build, content_type, _about in [open_data.FILES[name]]
        ]
        package = open_data.data_package(atlas, paths={name: name for name in DATA_FILES})
        files.append(ReleaseFile("datapackage.json", _json(package), "application/json"))
    return files


def _json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode()  # as open_data's


def release(day: date, languages: list[str] | None = None) -> list[tuple[OpenDataRelease, bool]]:
    """Release the public atlas as it is now under ``day``, in every content language (or
    those given): each (release, made now); a day already released is left as it was."""
    codes = languages or [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    made = []
    for language in codes:
        existing = stored.find_release(day, language)
        if existing is not None:
            made.append((existing, False))
            continue
        atlas = public_atlas.public_atlas(language)
        made.append(stored.record(day, language, release_files(atlas)))
    return made


def file_url(day: date, language: str, name: str) -> str:
    return reverse("release_file", args=(day.isoformat(), language, name))


def release_file(request: HttpRequest, day: str, language: str, name: str) -> HttpResponse:
    """One file of a release, as it was written: its SHA-256 in ``Repr-Digest`` and the ETag."""
    try:
        released_on = date.fromisoformat(day)
    except ValueError:
        raise Http404("No such release.") from None
    found = stored.find_file(released_on, language, name)
    if found is None:
        raise Http404("No such release file.")
    try:
        content = stored.open_file(found)
    except FileNotFoundError:
        raise Http404("The release file is missing from the releases storage.") from None
    filename = f"social-media-atlas-{day}-{language}-{name}"
    response = FileResponse(
        content, content_type=found.media_type, as_attachment=True, filename=filename
    )
    response["Content-Length"] = str(found.size)
    response["ETag"] = f'"{found.sha256}"'
    digest = base64.b64encode(bytes.fromhex(found.sha256)).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"  # RFC 9530
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Language"] = language
    return response
