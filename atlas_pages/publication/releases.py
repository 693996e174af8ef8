"""Dated releases of the open data, kept for good in the releases storage.

A release is the open data of one day in one language: the files the site serves at
``/export/`` (built from the public read model, so they hold exactly what the atlas publishes),
their data package, and a ``SHA256SUMS`` file in ``sha256sum``'s format, so that
``sha256sum -c SHA256SUMS`` checks a download. The files go through Django's storage API
(``STORAGES["releases"]``: a directory by default, an S3-compatible bucket in production) and
each one's size and SHA-256 are kept in the database (``OpenDataRelease``,
``OpenDataReleaseFile``), which the data page, the DCAT catalogue and the download view read.

A release is written once: a second run for the same day and language changes nothing. The
files are written first and the rows after, in one transaction, so a failed run leaves no
release behind (and the next run writes it whole); a release announces a new publication
generation, so the cached data page and catalogue list it at once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from atlas_pages.models import OpenDataRelease, OpenDataReleaseFile
from atlas_pages.publication import generation

logger = logging.getLogger(__name__)

#: The STORAGES alias of the releases' storage.
STORAGE_ALIAS = "releases"
#: The checksums file of every release.
SUMS_NAME = "SHA256SUMS"
SUMS_MEDIA_TYPE = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class ReleaseFile:
    """One file to release: its name in the release, its bytes and its media type."""

    name: str
    content: bytes
    media_type: str


def storage() -> Storage:
    return storages[STORAGE_ALIAS]


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def storage_path(day: date, language: str, name: str) -> str:
    return f"{day.isoformat()}/{language}/{name}"


def checksums(files: Iterable[ReleaseFile]) -> bytes:
    """``sha256sum``'s output for the files: "<hex>  <name>" a line."""
    return "".join(f"{sha256(file.content)}  {file.name}\n" for file in files).encode()


def record(day: date, language: str, files: Iterable[ReleaseFile]) -> tuple[OpenDataRelease, bool]:
    """The release of ``day`` in ``language`` with these files and their SHA256SUMS, and
    whether it was made now (False: it existed, and is left as it was)."""
    existing = find_release(day, language)
    if existing is not None:
        return existing, False
    files = list(files)
    if len({file.name for file in files}) != len(files) or SUMS_NAME in {f.name for f in files}:
        raise ValueError("A release's files need distinct names other than SHA256SUMS.")
    files.append(ReleaseFile(SUMS_NAME, checksums(files), SUMS_MEDIA_TYPE))
    store = storage()
    written: list[tuple[ReleaseFile, str]] = []
    try:
        for file in files:
            # A name taken (by a run that failed before recording) gets a free one from the
            # storage: the row below names the path actually written.
            path = store.save(storage_path(day, language, file.name), ContentFile(file.content))
            written.append((file, path))
        with transaction.atomic():
            release = OpenDataRelease.objects.create(
                date=day, language=language, created_at=timezone.now()
            )
            OpenDataReleaseFile.objects.bulk_create(
                OpenDataReleaseFile(
                    release=release,
                    name=file.name,
                    path=path,
                    media_type=file.media_type,
                    size=len(file.content),
                    sha256=sha256(file.content),
                )
                for file, path in written
            )
            # The data page and the catalogue list it at once; nothing public goes away.
            generation.bump(widening=True)
    except IntegrityError:  # another process released the same day first: its files stand
        _forget(store, written)
        existing = find_release(day, language)
        if existing is None:
            raise
        return existing, False
    except BaseException:
        _forget(store, written)
        raise
    return release, True


def find_release(day: date, language: str) -> OpenDataRelease | None:
    return OpenDataRelease.objects.filter(date=day, language=language).first()


def _forget(store: Storage, written: list[tuple[ReleaseFile, str]]) -> None:
    """Delete the files of a release that was not recorded (best effort: an orphan harms no
    one, since only recorded paths are ever served)."""
    for _file, path in written:
        try:
            store.delete(path)
        except OSError:  # pragma: no cover - the storage went away as well
            logger.warning("Could not delete %s from the releases storage.", path)


def languages_due(today: date) -> list[str]:
    """The content languages without a release this month, once the month's release day
    (ATLAS_RELEASE_DAY) has come: what the monthly run releases."""
    if today.day < settings.ATLAS_RELEASE_DAY:
        return []
    released = set(
        OpenDataRelease.objects.filter(date__year=today.year, date__month=today.month).values_list(
            "language", flat=True
        )
    )
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code not in released]


def listing() -> QuerySet[OpenDataRelease]:
    """Every release, newest first, with its files (two queries)."""
    return OpenDataRelease.objects.prefetch_related("files")


def find_file(day: date, language: str, name: str) -> OpenDataReleaseFile | None:
    return (
        OpenDataReleaseFile.objects.filter(release__date=day, release__language=language, name=name)
        .select_related("release")
        .first()
    )


def open_file(file: OpenDataReleaseFile) -> File:
    """The stored bytes of a release's file (FileNotFoundError when the storage lost it)."""
    return storage().open(file.path, "rb")
