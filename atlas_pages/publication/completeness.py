"""Completeness in the public atlas: each public post's cells (one per platform, as
``models.coverage_platforms`` defines them) as listed, confirmed none or unknown, and the share
known per post, country, region and overall.

The platforms and the confirmations of "none" are read when a surface first asks for them, in
one query per publication generation and process (``CoverageRows``, kept with the atlas's rows),
so the atlas's own read stays three queries. A confirmation is saved or undone through the
model, which bumps the generation (generation.PUBLIC_CONTENT); one that expires starts a new
generation by itself (generation.next_expiry).

Only public posts have cells: a confirmation on a draft, private or withdrawn post is read but
never shown or counted. "Listed" is read from the public accounts themselves, so an account
that is not public (a draft, a closed one, a personal one without consent) lists nothing.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F
from django.utils import timezone, translation

from atlas_pages import models
from atlas_pages.publication.records import (
    Cell,
    CellState,
    Country,
    Coverage,
    Platform,
    Post,
)
from atlas_pages.rules import profile_urls


@dataclass(slots=True, frozen=True)
class _Read:
    platforms: list[dict]
    #: (post translation key, platform id) -> when "none" was confirmed (expired ones too).
    confirmed: dict[tuple[uuid.UUID, int], datetime]


class CoverageRows:
    """The platforms and confirmations, read once when first asked for (thread-safe)."""

    def __init__(self) -> None:
        self._read: _Read | None = None
        self._lock = threading.Lock()

    def get(self) -> _Read:
        with self._lock:
            if self._read is None:
                self._read = read()
            return self._read


def read() -> _Read:
    """One query: every platform, joined with its confirmations of "none"."""
    rows = models.coverage_platforms().values(
        "id",
        "slug",
        "name",
        "sort_order",
        "hosts",
        "profile_path",
        post_key=F("confirmed_none__post__translation_key"),
        confirmed_at=F("confirmed_none__confirmed_at"),
    )
    platforms: dict[int, dict] = {}
    confirmed = {}
    for row in rows:
        platforms.setdefault(row["id"], row)
        if row["post_key"] is not None and row["confirmed_at"] is not None:
            confirmed[row["post_key"], row["id"]] = row["confirmed_at"]
    return _Read(platforms=list(platforms.values()), confirmed=confirmed)


def build(
    language: str,
    posts: Iterable[Post],
    countries: list[Country],
    known_platforms: Iterable[Platform],
    rows: _Read,
    now: datetime | None = None,
) -> Coverage:
    """The coverage of one atlas: its public posts' cells and the figures."""
    valid_since = models.ConfirmedNone.valid_since(now or timezone.now())
    records = {platform.id: platform for platform in known_platforms}
    platforms = []
    for row in rows.platforms:
        platform = records.get(row["id"])
        if platform is None:  # a platform without a public account
            platform = Platform(
                id=row["id"],
                slug=row["slug"],
                name=row["name"],
                sort_order=row["sort_order"],
                hosts=profile_urls.parse_hosts(row["hosts"]),
                profile_path=row["profile_path"],
            )
        platforms.append(platform)
    cells: dict[uuid.UUID, list[Cell]] = {}
    for post in posts:
        listed = {count.platform.id for count in post.platform_counts}
        post_cells = []
        for platform in platforms:
            if platform.id in listed:
                post_cells.append(Cell(platform=platform, state=CellState.LISTED))
                continue
            confirmed_at = rows.confirmed.get((post.translation_key, platform.id))
            if confirmed_at is not None and confirmed_at > valid_since:
                post_cells.append(
                    Cell(platform=platform, state=CellState.CONFIRMED_NONE, checked_at=confirmed_at)
                )
            else:
                post_cells.append(Cell(platform=platform, state=CellState.UNKNOWN))
        cells[post.translation_key] = post_cells
    with translation.override(language):
        return Coverage(platforms, cells, countries)
