"""Who is behind an account's address: the platform's own, stable identity, read where the
platform shows it openly, and what a change of it means.

For each live account of a platform with an open source (``Platform.activity_source``), the
check reads the identity that answers at the account's address: a Mastodon account's URI
(``/api/v1/accounts/lookup``; an answer in Mastodon's shape is also how a server is recognised
as Mastodon, ``KnownServer``), a Bluesky DID (``com.atproto.identity.resolveHandle``), a
YouTube channel id (the channel page), an RSS or Atom feed's id. The known identity is the one
an editor entered (``SocialAccount.platform_identity``), else the first one seen (trust on
first use). Then:

- another identity at the address is a takeover: the account is flagged at once and the public
  atlas narrows (``public_content_changed``), without waiting for anyone;
- the known identity under another address (Mastodon's ``moved``, the Bluesky DID's handle now,
  the YouTube channel's handle now) is a rename: ``moved_to`` is recorded, and the press desk
  prepares a draft from it (atlas_pages.editorial.identity_desk; the check never publishes);
- Mastodon's ``verified_at`` on a profile field linking to the atlas, and a Bluesky handle
  under one of the ministry's domains (ATLAS_MINISTRY_DOMAINS), are evidence.

Requests go through the activity fetch's client (atlas_pages.outbound.activity.Http: the one
outbound client with its pacing, size cap, deadline and private-address guard). A failing
account keeps what it had, with the error; the run goes on.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from atlas_pages.models import (
    AccountEvidence,
    AccountIdentity,
    KnownServer,
    Platform,
    SocialAccount,
)
from atlas_pages.models.signals import public_content_changed
from atlas_pages.outbound.activity import (
    FetchError,
    Http,
    _moment,
    accounts_to_read,
    discover_feed,
    safe_link,
    setting,
)

logger = logging.getLogger(__name__)

Source = Platform.ActivitySource
JSON = "application/json"
HTML = "text/html, application/xhtml+xml"
#: Statuses that say "no such account here" rather than "the check failed".
NOT_FOUND = frozenset({"HTTP 400", "HTTP 404", "HTTP 410"})
#: The statuses whose accounts are checked: a renamed or closed account's old address may
#: rightly belong to someone else now.
CHECKED_STATUSES = (SocialAccount.Status.ACTIVE, SocialAccount.Status.INACTIVE)
#: Where nodeinfo names the software a server runs (nodeinfo.diaspora.software).
NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/"


def ministry_domains() -> list[str]:
    """The ministry's own domains: a Bluesky handle under one of them is the ministry's."""
    return [domain.lower().strip(".") for domain in settings.ATLAS_MINISTRY_DOMAINS if domain]


def atlas_hosts() -> set[str]:
    """The hosts the atlas is served from: a profile linking there links to the atlas."""
    hosts = {site.hostname.lower() for site in Site.objects.all()}
    hosts.add((urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "").lower())
    return hosts - {""}


# Reading --------------------------------------------------------------------------------------


@dataclass
class Job:
    """One account to check: what the worker thread needs, no model instance."""

    account_id: int
    source: str
    url: str
    handle: str
    #: The identity the account is known by ("" when none yet).
    known: str
    #: The platform's canonical host, for a new address (bsky.app, www.youtube.com).
    platform_host: str
    #: Whether the account's server is already known with its software (Mastodon).
    server_known: bool = False


@dataclass
class Reading:
    """What the platform said about one account."""

    #: The identity answering at the account's address ("" when none answers).
    identity: str = ""
    #: The known identity's address now, when it is not the account's.
    moved_to: str = ""
    #: A server recognised as Mastodon: (host, software).
    server: tuple[str, str] | None = None
    #: Profile links the platform verified: (URL, when).
    verified_links: list[tuple[str, datetime]] = field(default_factory=list)
    #: The ministry's domain the handle is under, when it resolves.
    verified_domain: str = ""


def get_or_none(http: Http, url: str, accept: str) -> Any:  # noqa: ANN401 (an Answer)
    """The answer, or None when the platform says there is no such account."""
    try:
        return http.get(url, {}, accept)
    except FetchError as error:
        if error.reason in NOT_FOUND:
            return None
        raise


def read_mastodon(job: Job, http: Http) -> Reading:
    """The account's server's lookup: its URI, where it moved, its verified links; an answer in
    Mastodon's shape recognises the server (and its nodeinfo names the software)."""
    parts = urlsplit(job.url)
    base = f"{parts.scheme}://{parts.netloc}"
    answer = get_or_none(http, f"{base}/api/v1/accounts/lookup?acct={quote(job.handle)}", JSON)
    if answer is None:
        raise FetchError("not found", "the server has no such account")
    found = answer.json()
    if not isinstance(found, dict) or not found.get("id") or not safe_link(found.get("uri")):
        raise FetchError("not Mastodon", "the server's answer is not a Mastodon account")
    host = (parts.hostname or "").lower()
    software = "" if job.server_known else server_software(http, base)
    reading = Reading(identity=str(found["uri"]), server=(host, software))
    moved = found.get("moved")
    ours = not job.known or reading.identity == job.known  # else whoever holds it now moved
    if ours and isinstance(moved, dict) and str(moved.get("uri") or "") != reading.identity:
        reading.moved_to = safe_link(moved.get("url"))
    for profile_field in found.get("fields") or []:
        if not isinstance(profile_field, dict):
            continue
        verified_at = _moment(profile_field.get("verified_at"))
        if verified_at is None:
            continue
        for link in BeautifulSoup(str(profile_field.get("value", "")), "html.parser").find_all(
            "a", href=True
        ):
            if url := safe_link(link["href"]):
                reading.verified_links.append((url, verified_at))
    return reading


def server_software(http: Http, base: str) -> str:
    """What the server says it runs: nodeinfo's software name and version, else the version
    Mastodon's /api/v2/instance gives; "" when it says neither (the account still named it)."""
    try:
        links = http.get(f"{base}/.well-known/nodeinfo", {}, JSON).json().get("links") or []
        for link in links:
            if str(link.get("rel", "")).startswith(NODEINFO_SCHEMA):
                info = http.get(safe_link(urljoin(base, link.get("href", ""))), {}, JSON).json()
                software = info.get("software") or {}
                return f"{software.get('name', '')} {software.get('version', '')}".strip()[:100]
    except (FetchError, AttributeError):
        pass
    try:
        version = http.get(f"{base}/api/v2/instance", {}, JSON).json().get("version")
    except (FetchError, AttributeError):
        return ""
    return f"mastodon {version}"[:100] if isinstance(version, str) else ""


def read_bluesky(job: Job, http: Http) -> Reading:
    """The handle's DID (resolveHandle on the public API); for a known DID that no longer
    answers there, its handle now (getProfile)."""
    base = setting("BLUESKY_APPVIEW").rstrip("/")
    reading = Reading()
    if job.handle.startswith("did:"):
        reading.identity = job.handle  # an address by DID cannot change hands
    else:
        answer = get_or_none(
            http,
            f"{base}/xrpc/com.atproto.identity.resolveHandle?handle={quote(job.handle)}",
            JSON,
        )
        found = answer.json() if answer else {}
        reading.identity = str(found.get("did") or "") if isinstance(found, dict) else ""
    if job.known and reading.identity != job.known:
        answer = get_or_none(
            http, f"{base}/xrpc/app.bsky.actor.getProfile?actor={quote(job.known)}", JSON
        )
        profile = answer.json() if answer else {}
        handle = str(profile.get("handle") or "") if isinstance(profile, dict) else ""
        if _is_handle(handle) and handle.lower() != job.handle.lower():
            reading.moved_to = f"https://{job.platform_host}/profile/{handle}"
    handle = job.handle.lower()
    if reading.identity and (not job.known or reading.identity == job.known):
        for domain in ministry_domains():
            if handle == domain or handle.endswith("." + domain):
                reading.verified_domain = domain
    if not reading.identity and not reading.moved_to:
        raise FetchError("not found", "the handle resolves to no account")
    return reading


def _is_handle(handle: str) -> bool:
    """A Bluesky handle as its syntax allows (a domain name), never "handle.invalid"."""
    return bool(
        re.fullmatch(r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", handle.lower())
    ) and not handle.lower().endswith(".invalid")


_CHANNEL_ID = re.compile(r"UC[\w-]{22}")
_CHANNEL_IN_TEXT = (
    re.compile(r'"(?:externalId|channelId)"\s*:\s*"(UC[\w-]{22})"'),
    re.compile(r"<yt:channelId>(UC[\w-]{22})</yt:channelId>"),
)
_HANDLE_IN_TEXT = (
    re.compile(r'"vanityChannelUrl"\s*:\s*"https?://(?:www\.)?youtube\.com/(@[^"/?]+)"'),
    re.compile(r'"canonicalBaseUrl"\s*:\s*"/(@[^"/?]+)"'),
)


def channel_id(page: str) -> str:
    """The channel id a YouTube channel page (or feed) names: its canonical link, its
    channelId meta, the ids in its data, or a feed's yt:channelId."""
    soup = BeautifulSoup(page, "html.parser")
    canonical = soup.find("link", rel="canonical", href=True)
    if canonical and (match := re.search(r"/channel/(UC[\w-]{22})", canonical["href"])):
        return match[1]
    for name in ("channelId", "identifier"):
        meta = soup.find("meta", itemprop=name, content=True)
        if meta and _CHANNEL_ID.fullmatch(meta["content"]):
            return meta["content"]
    for pattern in _CHANNEL_IN_TEXT:
        if match := pattern.search(page):
            return match[1]
    return ""


def channel_handle(page: str) -> str:
    """The @handle a YouTube channel page names ("" when none)."""
    soup = BeautifulSoup(page, "html.parser")
    for link in soup.find_all("link", href=True):
        if match := re.search(r"youtube\.com/(@[^/?#\"]+)", link["href"]):
            return match[1]
    for pattern in _HANDLE_IN_TEXT:
        if match := pattern.search(page):
            return match[1]
    return ""


def read_youtube(job: Job, http: Http) -> Reading:
    """The channel id the account's page names; for a known channel no longer there, its
    handle now (its /channel/ page). Pages are asked at ATLAS_IDENTITY_YOUTUBE_BASE."""
    base = settings.ATLAS_IDENTITY_YOUTUBE_BASE.rstrip("/")
    parts = urlsplit(job.url)
    answer = get_or_none(http, f"{base}{parts.path}", HTML)
    reading = Reading(identity=channel_id(_text(answer)) if answer else "")
    if job.known and reading.identity != job.known:
        channel = get_or_none(http, f"{base}/channel/{quote(job.known)}", HTML)
        handle = channel_handle(_text(channel)) if channel else ""
        if handle and handle.lstrip("@").lower() != job.handle.lstrip("@").lower():
            reading.moved_to = f"https://{job.platform_host}/{handle}"
    if not reading.identity and not reading.moved_to:
        raise FetchError("not found", "the page names no channel")
    return reading


def read_feed(job: Job, http: Http) -> Reading:
    """The feed's id (Atom) or its channel's link (RSS), the feed found from the profile."""
    feed_url, answer = discover_feed(job.url, http, {})
    if answer is None:
        answer = http.get(feed_url, {}, "application/atom+xml, application/rss+xml, */*;q=0.8")
    parsed = feedparser.parse(answer.body)
    if parsed.bozo and not parsed.entries and not parsed.feed:
        raise FetchError("malformed", "not a feed")
    identity = str(parsed.feed.get("id") or parsed.feed.get("link") or "")[:500]
    if not identity:
        raise FetchError("no identity", "the feed has no id or link")
    return Reading(identity=identity)


def _text(answer: Any) -> str:  # noqa: ANN401 (an Answer)
    return answer.body[:1_000_000].decode("utf-8", "replace")


READERS: dict[str, Callable[[Job, Http], Reading]] = {
    Source.MASTODON: read_mastodon,
    Source.BLUESKY: read_bluesky,
    Source.YOUTUBE: read_youtube,
    Source.FEED: read_feed,
}


@dataclass
class Outcome:
    job: Job
    reading: Reading | None = None
    error: FetchError | None = None


def read(job: Job, http: Http) -> Outcome:
    """One account, never raising: whatever goes wrong is its outcome's error."""
    try:
        return Outcome(job, reading=READERS[job.source](job, http))
    except FetchError as error:
        return Outcome(job, error=error)
    except Exception as error:  # a surprise in one answer must not stop the run
        logger.exception("Checking the identity of account %s failed", job.account_id)
        return Outcome(job, error=FetchError("error", type(error).__name__))


# Storing --------------------------------------------------------------------------------------


@dataclass
class Summary:
    checked: int = 0
    failed: Counter = field(default_factory=Counter)
    #: Accounts found taken over, or renamed, in this run (not flagged or noticed before).
    takeovers: list[int] = field(default_factory=list)
    renames: list[int] = field(default_factory=list)
    #: Servers recognised as Mastodon for the first time.
    servers: int = 0

    def __str__(self) -> str:
        failed = sum(self.failed.values())
        reasons = ", ".join(f"{reason} {count}" for reason, count in self.failed.most_common())
        return (
            f"checked {self.checked}, failed {failed}"
            + (f" ({reasons})" if reasons else "")
            + f", takeovers {len(self.takeovers)}, renames {len(self.renames)}"
            + (f", servers recognised {self.servers}" if self.servers else "")
        )


def known_identity(account: SocialAccount, record: AccountIdentity) -> str:
    """The identity the account is known by: the editor's, else the first one seen."""
    return account.platform_identity.strip() or record.identity


def store(
    outcome: Outcome,
    account: SocialAccount,
    record: AccountIdentity,
    now: datetime,
    summary: Summary,
    hosts: set[str],
) -> bool:
    """Save one account's outcome into `summary`; whether evidence the public sees changed.
    A takeover is announced at once (the public atlas narrows before the run ends)."""
    record.checked_at = now
    if outcome.error is not None:
        record.last_error = str(outcome.error)[:500]
        record.save()
        summary.failed[outcome.error.reason] += 1
        return False
    reading = outcome.reading
    record.last_error = ""
    if account.platform_identity.strip():
        if record.identity != account.platform_identity.strip():
            record.identity = account.platform_identity.strip()
            record.first_seen_at = now
        record.source = AccountIdentity.Source.EDITOR
    elif not record.identity and reading.identity:
        record.identity, record.source, record.first_seen_at = (
            reading.identity[:500],
            outcome.job.source,
            now,
        )
    known = known_identity(account, record)
    taken_over = bool(reading.identity) and reading.identity != known
    if taken_over and record.takeover_identity != reading.identity[:500]:
        record.takeover_at = record.takeover_at or now
        record.takeover_identity = reading.identity[:500]
        summary.takeovers.append(account.pk)
    if reading.moved_to and reading.moved_to != record.moved_to:
        record.moved_to = reading.moved_to[:500]
        summary.renames.append(account.pk)
    record.save()
    if account.pk in summary.takeovers:
        # A narrowing, like a withdrawal of consent: the public atlas stops calling the
        # address official now, not after moderation.
        public_content_changed.send(sender=AccountIdentity)
    if reading.server and _recognise(reading.server, account.platform, now):
        summary.servers += 1
    if taken_over:
        return False
    changed = False
    for url, verified_at in reading.verified_links:
        if (urlsplit(url).hostname or "").lower() in hosts:
            changed |= _evidence(account, AccountEvidence.Kind.REL_ME, url, verified_at)
            break
    if reading.verified_domain:
        detail = f"handle under {reading.verified_domain}"
        changed |= _evidence(account, AccountEvidence.Kind.PLATFORM_VERIFIED, detail, now)
    return changed


def _recognise(server: tuple[str, str], platform: Platform, now: datetime) -> bool:
    """Record a server recognised by its answer; whether it was not known before."""
    host, software = server
    known, created = KnownServer.objects.get_or_create(
        host=host, defaults={"platform": platform, "software": software, "recognised_at": now}
    )
    if not created and software and known.software != software:
        known.software = software
        known.save(update_fields=["software"])
    return created


def _evidence(account: SocialAccount, kind: str, detail: str, confirmed_at: datetime) -> bool:
    """Record one confirmation; whether the line the public sees changed (new, another
    detail, another day)."""
    before = AccountEvidence.objects.filter(account=account, kind=kind).first()
    AccountEvidence.objects.update_or_create(
        account=account,
        kind=kind,
        defaults={"detail": detail[:500], "confirmed_at": confirmed_at, "confirmed_by": None},
    )
    return (
        before is None
        or before.detail != detail[:500]
        or before.confirmed_at.date() != confirmed_at.date()
    )


def accounts_to_check() -> list[SocialAccount]:
    """The accounts the activity fetch reads (live, on a platform with an open source,
    personal ones while consent stands), while active or inactive."""
    return [account for account in accounts_to_read() if account.status in CHECKED_STATUSES]


def check_all() -> Summary:
    """Check every account to check and store what was found; announce changed evidence once
    at the end (a takeover is announced as it is stored)."""
    summary = Summary()
    accounts = accounts_to_check()
    records = {
        record.account_id: record
        for record in AccountIdentity.objects.filter(account__in=[a.pk for a in accounts])
    }
    servers = set(KnownServer.objects.exclude(software="").values_list("host", flat=True))
    jobs, by_id = [], {}
    for account in accounts:
        record = records.setdefault(account.pk, AccountIdentity(account=account))
        by_id[account.pk] = account
        host_list = account.platform.host_list
        jobs.append(
            Job(
                account_id=account.pk,
                source=account.platform.activity_source,
                url=account.url,
                handle=account.handle,
                known=known_identity(account, record),
                platform_host=host_list[0] if host_list else "",
                server_known=(urlsplit(account.url).hostname or "").lower() in servers,
            )
        )
    http = Http()
    hosts = atlas_hosts()
    now = timezone.now()
    changed = False
    with ThreadPoolExecutor(max_workers=max(1, setting("CONCURRENCY"))) as pool:
        for future in as_completed([pool.submit(read, job, http) for job in jobs]):
            outcome = future.result()
            account_id = outcome.job.account_id
            summary.checked += 1
            try:
                with transaction.atomic():
                    changed |= store(
                        outcome, by_id[account_id], records[account_id], now, summary, hosts
                    )
            except Exception as error:  # what one account brought must not stop the run
                logger.exception("Storing the identity of account %s failed", account_id)
                summary.failed[f"not stored ({type(error).__name__})"] += 1
    if changed:
        public_content_changed.send(sender=AccountEvidence)
    return summary
