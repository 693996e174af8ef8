"""Confirmed impersonators in the public atlas: the addresses the press desk confirmed pretend to
be official (ImpersonatorReport, status "confirmed"), one record per address, with a lookup by
address and by handle for the verify page, the API and the open data.

They are read when a surface first asks for them, in one query per publication generation and
process (``ConfirmedRows``, kept with the atlas's rows): few requests need them, so the atlas's
own read stays three queries. Confirming or withdrawing one bumps the generation
(``public_content_changed``), and so does every change to the account it pretends to be.

The account impersonated is named only while it is public in the atlas's language: a record
of a draft, private, withdrawn or closed account says "known impersonator" without a name.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from atlas_pages import models
from atlas_pages.publication.records import Account, Impersonator, Platform
from atlas_pages.rules import pasted, profile_urls, report_links

COLUMNS = (
    "url",
    "impersonates",
    "platform",
    "platform__slug",
    "platform__name",
    "platform__sort_order",
    "platform__hosts",
)
MOMENTS = ("reported_at", "handled_at")


class ConfirmedRows:
    """The rows of confirmed reports, read once when first asked for (thread-safe)."""

    def __init__(self) -> None:
        self._rows: list[dict] | None = None
        self._lock = threading.Lock()

    def get(self) -> list[dict]:
        with self._lock:
            if self._rows is None:
                self._rows = _read()
            return self._rows


def _read() -> list[dict]:
    """One query: every confirmed report with its platform, oldest first."""
    confirmed = models.ImpersonatorReport.objects.filter(
        status=models.ImpersonatorReport.Status.CONFIRMED
    ).order_by("reported_at", "id")
    return list(confirmed.values(*COLUMNS, *MOMENTS))


class Impersonators:
    """The confirmed impersonators of one atlas (one language), most recently confirmed first."""

    def __init__(self, records: list[Impersonator], hosts: list[list[str]]) -> None:
        self.all = records
        self._hosts = hosts
        self._by_url = {record.normalized_url: record for record in records}
        self._by_handle: dict[tuple[str, str], list[Impersonator]] = {}
        for record in records:
            if record.platform is not None:
                key = (record.platform.slug, record.handle.casefold())
                self._by_handle.setdefault(key, []).append(record)

    def __iter__(self) -> Iterator[Impersonator]:
        return iter(self.all)

    def __len__(self) -> int:
        return len(self.all)

    def for_url(self, url: str) -> Impersonator | None:
        """The confirmed impersonator at a pasted address, compared as accounts are."""
        key = lookup_key(url[:2000], self._hosts)
        return self._by_url.get(key) if key else None

    def for_address(
        self, address: str, directory: pasted.Directory, platform_slug: str = ""
    ) -> Impersonator | None:
        """The confirmed impersonator at what a visitor pasted, understood as accounts are
        (rules.pasted: a post's URL is its profile's, @name@server), or a handle on the given
        platform."""
        try:
            found = pasted.parse(address, directory)
        except pasted.Refused:
            return None
        for url in found.urls:
            if (record := self.for_url(url)) is not None:
                return record
        by_handle = self.for_handle(platform_slug, found.handle) if found.handle else []
        return by_handle[0] if by_handle and platform_slug else None

    def for_handle(self, platform_slug: str, handle: str) -> list[Impersonator]:
        key = (platform_slug.strip().lower(), handle.strip().lstrip("@").casefold())
        return list(self._by_handle.get(key, ()))

    @classmethod
    def build(
        cls,
        rows: list[dict],
        account: Callable[[int], Account | None],
        platforms: Iterable[Platform],
    ) -> Impersonators:
        """One record per address from the confirmed reports' rows: first reported at the
        earliest report, confirmed at the latest, pretending to be the latest one's account
        (named only when `account` finds it public)."""
        public_platforms = {platform.id: platform for platform in platforms}
        row_platforms: dict[int, Platform] = {}
        for row in rows:
            if row["platform"] is not None and row["platform"] not in public_platforms:
                row_platforms.setdefault(
                    row["platform"],
                    Platform(
                        id=row["platform"],
                        slug=row["platform__slug"],
                        name=row["platform__name"],
                        sort_order=row["platform__sort_order"],
                        hosts=profile_urls.parse_hosts(row["platform__hosts"]),
                    ),
                )
        known = {**row_platforms, **public_platforms}
        hosts = [platform.hosts for platform in known.values() if platform.hosts]
        by_address: dict[str, Impersonator] = {}
        for row in rows:
            key = lookup_key(row["url"], hosts)
            if key is None:
                continue
            platform = known.get(row["platform"])
            record = by_address.get(key)
            if record is None:
                record = by_address[key] = _record(row, key, platform)
            record.reported_at = min(record.reported_at, row["reported_at"])
            if _later(row["handled_at"], record.confirmed_at):
                record.confirmed_at = row["handled_at"]
                record.impersonates = account(row["impersonates"]) if row["impersonates"] else None
                if platform is not None:
                    record.platform = platform
        records = sorted(
            by_address.values(),
            key=lambda record: (record.confirmed_at or record.reported_at, record.url),
            reverse=True,
        )
        for record in records:
            link = (
                report_links.report_link(record.platform.slug, record.url)
                if record.platform
                else None
            )
            if link is not None:
                record.report_url, record.report_on_profile = link.url, link.on_profile
        return cls(records, hosts)


def lookup_key(url: str, hosts: list[list[str]]) -> str | None:
    """An address as lookups compare it (host aliases of every platform known); None for
    anything that is no web address."""
    try:
        return profile_urls.normalise_lookup_url(url, hosts)
    except ValueError:
        return None


def message(record: Impersonator) -> str:
    """The statement in one sentence, in the active language (the API's message)."""
    facts = {"date": formats.date_format(timezone.localdate(record.reported_at), "DATE_FORMAT")}
    if record.impersonates is None:
        return _("Known impersonator: not an official account, reported %(date)s.") % facts
    facts["account"] = f"{record.impersonates.form_label} {record.impersonates.handle}"
    facts["owner"] = record.impersonates.owner_name
    return (
        _("Known impersonator of %(account)s (%(owner)s), reported %(date)s: not official.") % facts
    )


def _record(row: dict, key: str, platform: Platform | None) -> Impersonator:
    return Impersonator(
        url=row["url"],
        normalized_url=key,
        handle=profile_urls.handle_from_url(row["url"]),
        platform=platform,
        impersonates=None,
        reported_at=row["reported_at"],
        confirmed_at=None,
    )


def _later(moment: datetime | None, than: datetime | None) -> bool:
    return moment is not None and (than is None or moment >= than)
