"""What accounts post and how many follow them, read server-side from open, documented sources.

Each platform names its source (``Platform.activity_source``): the Mastodon API of the
account's server, Bluesky's public AppView, a YouTube channel's feed, or any RSS/Atom feed
found from the profile page (autodiscovery). Platforms without an open source (X, Facebook,
LinkedIn, Instagram) have none and are never asked. Visitors' browsers never talk to a
platform: the site shows what is stored here (``AccountActivity``), as plain text.

``fetch_all()`` (``manage.py fetch_activity``, and the scheduler) reads every live account
of a platform with a source, personal ones only while their owner's consent stands: a few
accounts at once (threads for the network, the database written from the calling thread),
through the atlas's one HTTP client (``outbound.http``: pacing per host, time-outs, a size cap,
back-off on 429 and 5xx, no private addresses), with conditional requests (ETag /
Last-Modified kept per URL, from the last run that was stored). A failing account keeps what
it had, with the error, whether reading or storing it failed; the run goes on.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import feedparser
import requests
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from atlas_pages.models import AccountActivity, FollowerCount, Person, Platform, SocialAccount
from atlas_pages.outbound.http import Client, PrivateAddress, TooLarge
from atlas_pages.publication import generation
from atlas_pages.rules.text import clean_text, plain_text

logger = logging.getLogger(__name__)

Source = Platform.ActivitySource
#: The longest excerpt of a post that is stored (characters).
EXCERPT_CHARS = 280
#: The most redirects one request follows (each target checked like the first URL).
MAX_REDIRECTS = 5
#: The largest follower count believed: AccountActivity.follower_count's column
#: (PositiveBigIntegerField) holds no more.
MAX_FOLLOWERS = 2**63 - 1
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+xml")


def setting(name: str) -> Any:  # noqa: ANN401 (a setting's value)
    return getattr(settings, f"ATLAS_ACTIVITY_{name}")


# Untrusted text -------------------------------------------------------------------------------


def safe_link(url: object) -> str:
    """A fetched link if it is a plain http(s) URL, else empty (no javascript:, data:...)."""
    url = str(url or "").strip()
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname and len(url) <= 500:
        return url
    return ""


def _moment(value: object) -> datetime | None:
    """A fetched date (ISO 8601, RFC 2822 or a time tuple) in UTC; None when unreadable."""
    try:
        if isinstance(value, time.struct_time):
            moment = datetime(*value[:6], tzinfo=UTC)
        elif isinstance(value, str) and value[:4].isdigit():
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif isinstance(value, str):
            moment = parsedate_to_datetime(value)
        else:
            return None
    except (TypeError, ValueError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def post_entry(text: object, url: object, published: object, *, html: bool) -> dict | None:
    """One post as stored: a plain-text excerpt, a safe link, an ISO date (None if empty).
    `html`: whether the platform gives the text as HTML; plain text is never read as HTML
    (a "<script>" a person typed is what they wrote)."""
    convert = plain_text if html else clean_text
    excerpt = convert(text, chars=EXCERPT_CHARS)
    if not excerpt:
        return None
    moment = _moment(published)
    return {
        "text": excerpt,
        "url": safe_link(url),
        "published_at": moment.isoformat() if moment else None,
    }


# HTTP -----------------------------------------------------------------------------------------


class FetchError(Exception):
    """An account could not be read; `reason` is what the run's summary counts."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass
class Answer:
    status: int
    body: bytes = b""
    content_type: str = ""
    url: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def json(self) -> Any:  # noqa: ANN401 (a JSON document)
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise FetchError("malformed", "not JSON") from error


def api_tokens() -> dict[str, str]:
    """Optional API tokens from the environment, by host: ATLAS_ACTIVITY_TOKENS=
    "mastodon.social=abc,social.example=def". A token is sent to its own host only."""
    tokens = {}
    for pair in os.environ.get("ATLAS_ACTIVITY_TOKENS", "").split(","):
        host, _sep, token = pair.strip().partition("=")
        if host and token:
            tokens[host.strip().lower()] = token.strip()
    return tokens


class Http:
    """The activity run's GETs: the atlas's HTTP client with this run's settings and API
    tokens, conditional requests, and every failure as a FetchError."""

    def __init__(self) -> None:
        self.client = Client(
            user_agent=setting("USER_AGENT"),
            timeout=setting("TIMEOUT"),
            host_interval=setting("HOST_INTERVAL"),
            max_bytes=setting("MAX_BYTES"),
            max_redirects=MAX_REDIRECTS,
            retries=setting("RETRIES"),
            backoff=setting("BACKOFF"),
            tokens=api_tokens(),
        )

    def get(self, url: str, validators: dict, accept: str = "*/*") -> Answer:
        """The answer to a GET of `url` (a 304 when `validators` say nothing changed); the
        validators of a 200 are written into `validators` for the next run."""
        known = validators.get(url, {})
        headers = {"Accept": accept}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        try:
            fetched = self.client.get(url, headers)
        except PrivateAddress as error:
            raise FetchError("private address", str(error)) from error
        except requests.exceptions.InvalidURL as error:
            raise FetchError("bad URL", str(error)) from error
        except TooLarge as error:
            raise FetchError("too large") from error
        except requests.Timeout as error:
            raise FetchError("timeout") from error
        except requests.TooManyRedirects as error:
            raise FetchError("too many redirects") from error
        except requests.RequestException as error:
            raise FetchError("connection", type(error).__name__) from error
        if fetched.status == 304:
            return Answer(304, url=fetched.url)
        if fetched.status >= 400:
            raise FetchError(f"HTTP {fetched.status}")
        validators[url] = {
            "etag": fetched.headers.get("ETag", ""),
            "last_modified": fetched.headers.get("Last-Modified", ""),
        }
        return Answer(
            fetched.status,
            body=fetched.body,
            content_type=fetched.headers.get("Content-Type", "").split(";")[0].strip(),
            url=fetched.url,
        )


# Sources --------------------------------------------------------------------------------------


@dataclass
class Job:
    """One account to read: what the worker thread needs, no model instance."""

    account_id: int
    source: str
    url: str
    handle: str
    source_ref: str
    validators: dict


@dataclass
class Reading:
    """What a source answered: None for a part that has not changed since the last run."""

    follower_count: int | None = None
    posts: list[dict] | None = None
    source_ref: str = ""
    #: Whether every request answered "not modified".
    unchanged: bool = False


def _posts(entries: Iterable[dict | None]) -> list[dict]:
    return [entry for entry in entries if entry][: setting("POSTS")]


def _count(value: object) -> int | None:
    """A follower count as the platform gave it; None when it gives none. Anything else than a
    whole number the column can hold is unreadable: the account's error, never the run's."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_FOLLOWERS:
        raise FetchError("malformed", f"follower count {str(value)[:30]}")
    return value


def read_mastodon(job: Job, http: Http) -> Reading:
    """The account's server: /api/v1/accounts/lookup (id, followers), then its statuses."""
    parts = urlsplit(job.url)
    base = f"{parts.scheme}://{parts.netloc}"
    lookup = http.get(
        f"{base}/api/v1/accounts/lookup?acct={quote(job.handle)}",
        job.validators,
        "application/json",
    )
    reading = Reading(source_ref=job.source_ref)
    if not lookup.not_modified:
        found = lookup.json()
        if not isinstance(found, dict) or not found.get("id"):
            raise FetchError("malformed", "no account id")
        reading.source_ref = str(found["id"])
        reading.follower_count = _count(found.get("followers_count"))
    if not reading.source_ref:
        raise FetchError("malformed", "no account id")
    statuses = http.get(
        f"{base}/api/v1/accounts/{quote(reading.source_ref)}/statuses"
        f"?limit={setting('POSTS')}&exclude_replies=true&exclude_reblogs=true",
        job.validators,
        "application/json",
    )
    if not statuses.not_modified:
        found = statuses.json()
        if not isinstance(found, list):
            raise FetchError("malformed", "statuses are not a list")
        reading.posts = _posts(
            _mastodon_post(status) for status in found if isinstance(status, dict)
        )
    reading.unchanged = lookup.not_modified and statuses.not_modified
    return reading


def _mastodon_post(status: dict) -> dict | None:
    url, published = status.get("url") or status.get("uri"), status.get("created_at")
    # A content warning (plain text) stands for the post's text (HTML), as Mastodon shows it.
    if warning := status.get("spoiler_text"):
        return post_entry(warning, url, published, html=False)
    return post_entry(status.get("content"), url, published, html=True)


def read_bluesky(job: Job, http: Http) -> Reading:
    """The public AppView: app.bsky.actor.getProfile and app.bsky.feed.getAuthorFeed."""
    base = setting("BLUESKY_APPVIEW").rstrip("/")
    actor = quote(job.handle)
    profile = http.get(
        f"{base}/xrpc/app.bsky.actor.getProfile?actor={actor}", job.validators, "application/json"
    )
    reading = Reading()
    if not profile.not_modified:
        found = profile.json()
        if not isinstance(found, dict):
            raise FetchError("malformed", "no profile")
        reading.follower_count = _count(found.get("followersCount"))
    feed = http.get(
        f"{base}/xrpc/app.bsky.feed.getAuthorFeed?actor={actor}"
        f"&limit={setting('POSTS')}&filter=posts_no_replies",
        job.validators,
        "application/json",
    )
    if not feed.not_modified:
        found = feed.json()
        items = found.get("feed") if isinstance(found, dict) else None
        if not isinstance(items, list):
            raise FetchError("malformed", "no feed")
        reading.posts = _posts(_bluesky_post(item) for item in items if isinstance(item, dict))
    reading.unchanged = profile.not_modified and feed.not_modified
    return reading


def _bluesky_post(item: dict) -> dict | None:
    if item.get("reason"):  # a repost: someone else's words
        return None
    post = item.get("post") or {}
    record = post.get("record") or {}
    author = (post.get("author") or {}).get("handle", "")
    rkey = str(post.get("uri", "")).rsplit("/", 1)[-1]
    url = f"https://bsky.app/profile/{quote(author)}/post/{quote(rkey)}" if author and rkey else ""
    return post_entry(record.get("text"), url, record.get("createdAt"), html=False)


def _feed_links(page: str) -> list[str]:
    """The feeds a page announces: <link rel="alternate" type="application/rss+xml" href>."""
    return [
        link["href"]
        for link in BeautifulSoup(page, "html.parser").find_all("link", href=True)
        if "alternate" in (rel.lower() for rel in link.get_attribute_list("rel"))
        and str(link.get("type", "")).lower() in FEED_TYPES
    ]


def _looks_like_feed(answer: Answer) -> bool:
    return "xml" in answer.content_type or answer.body.lstrip()[:5] in (b"<?xml", b"<rss ")


def discover_feed(page_url: str, http: Http, validators: dict) -> tuple[str, Answer | None]:
    """The feed of a page: the page itself if it is one (its validators kept in `validators`,
    as for any feed), else the first feed it links to."""
    asked: dict = {}
    page = http.get(page_url, asked, "text/html, application/xhtml+xml, application/xml")
    if _looks_like_feed(page):
        validators.update(asked)
        return page_url, page
    for href in _feed_links(page.body[:1_000_000].decode("utf-8", "replace")):
        url = safe_link(urljoin(page.url or page_url, href))
        if url:
            return url, None
    raise FetchError("no feed", "the page links to no RSS or Atom feed")


def read_feed(job: Job, http: Http, feed_url: str | None = None) -> Reading:
    """An RSS or Atom feed: the known one, else found from the profile page."""
    feed_url = feed_url or job.source_ref
    answer = None
    if not feed_url:
        feed_url, answer = discover_feed(job.url, http, job.validators)
    if answer is None:
        answer = http.get(
            feed_url,
            job.validators,
            "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.8",
        )
    if answer.not_modified:
        return Reading(source_ref=feed_url, unchanged=True)
    parsed = feedparser.parse(answer.body)
    if parsed.bozo and not parsed.entries:
        raise FetchError("malformed", "not a feed")
    posts = _posts(_feed_post(entry) for entry in parsed.entries)
    posts.sort(key=lambda post: post["published_at"] or "", reverse=True)
    return Reading(posts=posts, source_ref=feed_url)


def _feed_post(entry: dict) -> dict | None:
    part = "title" if entry.get("title") else "summary"
    # feedparser names each text's type: an Atom title is plain text unless it says otherwise
    # (YouTube's are), RSS's may hold HTML.
    kind = (entry.get(f"{part}_detail") or {}).get("type", "text/html")
    return post_entry(
        entry.get(part),
        entry.get("link"),
        entry.get("published_parsed") or entry.get("updated_parsed"),
        html=kind != "text/plain",
    )


_CHANNEL = re.compile(r"^/channel/(UC[\w-]{10,40})/?")


def read_youtube(job: Job, http: Http) -> Reading:
    """A channel's feed (no follower count: YouTube's feed has none). A /channel/ID URL gives
    it directly; an @handle's page announces it (autodiscovery, once)."""
    match = _CHANNEL.match(urlsplit(job.url).path)
    feed_url = setting("YOUTUBE_FEED").format(channel_id=match[1]) if match else None
    return read_feed(job, http, feed_url)


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
    except Exception as error:  # a bug or a surprise in one feed must not stop the run
        logger.exception("Reading account %s failed", job.account_id)
        return Outcome(job, error=FetchError("error", type(error).__name__))


# The run --------------------------------------------------------------------------------------


@dataclass
class Summary:
    fetched: int = 0
    unchanged: int = 0
    failed: Counter = field(default_factory=Counter)
    #: Accounts whose activity was deleted because their owner's consent no longer stands.
    forgotten: int = 0
    #: Whether anything the public sees changed (the generation was bumped).
    changed: bool = False

    def __str__(self) -> str:
        failed = sum(self.failed.values())
        reasons = ", ".join(f"{reason} {count}" for reason, count in self.failed.most_common())
        return (
            f"fetched {self.fetched}, unchanged {self.unchanged}, failed {failed}"
            + (f" ({reasons})" if reasons else "")
            + (f", forgotten {self.forgotten}" if self.forgotten else "")
        )


def forget_activity(accounts: Iterable[int]) -> int:
    """Delete what was fetched for these accounts, their follower history too; how many had
    any activity."""
    accounts = list(accounts)
    FollowerCount.objects.filter(account__in=accounts).delete()
    deleted, _by_model = AccountActivity.objects.filter(account__in=accounts).delete()
    return deleted


def forget_withdrawn_consent() -> int:
    """Delete the activity of personal accounts whose owner's consent no longer stands."""
    personal = AccountActivity.objects.filter(
        account__speaks_for=SocialAccount.SpeaksFor.PERSON
    ).select_related("account__person")
    return forget_activity(
        activity.account_id for activity in personal if not activity.account.person.has_consent
    )


def on_person_saved(sender: type[Person], instance: Person, **kwargs: Any) -> None:
    """Withdrawing consent deletes what was fetched for the person's accounts at once, in
    whichever translation it was withdrawn (the accounts belong to the default-language
    person), and the public sees the change."""
    if not instance.has_consent and forget_activity(
        SocialAccount.objects.filter(
            person__translation_key=instance.translation_key,
            speaks_for=SocialAccount.SpeaksFor.PERSON,
        ).values_list("pk", flat=True)
    ):
        generation.bump()


def accounts_to_read() -> list[SocialAccount]:
    """Live accounts on platforms with a source; personal ones while consent stands."""
    accounts = (
        SocialAccount.objects.filter(live=True)
        .exclude(platform__activity_source="")
        .select_related("platform", "person")
        .order_by("pk")
    )
    return [
        account
        for account in accounts
        if account.speaks_for == SocialAccount.SpeaksFor.OFFICE or account.person.has_consent
    ]


def _stored_day(activity: AccountActivity) -> tuple:
    """What the public sees of an account's activity (dates by the day, as shown)."""
    day = activity.fetched_at.date() if activity.fetched_at else None
    return (activity.follower_count, activity.posts, day)


def store(outcome: Outcome, activity: AccountActivity, now: datetime) -> bool:
    """Save one account's outcome; whether what the public sees of it changed. Validators
    are kept from a reading stored whole only: a failed one may have answered some of its
    requests, and asking them conditionally next time would leave what they said unread."""
    before = _stored_day(activity)
    activity.checked_at = now
    if outcome.error is not None:
        activity.last_error = str(outcome.error)[:500]
    else:
        reading = outcome.reading
        activity.validators = outcome.job.validators
        activity.last_error = ""
        activity.fetched_at = now
        activity.source_ref = reading.source_ref[:500]
        if reading.follower_count is not None:
            activity.follower_count = reading.follower_count
        if reading.posts is not None:
            activity.posts = reading.posts
    activity.save()
    if outcome.error is None and outcome.reading.follower_count is not None:
        # The history: one point a day, the day's last reading.
        FollowerCount.objects.update_or_create(
            account_id=activity.account_id,
            day=timezone.localdate(now),
            defaults={"count": outcome.reading.follower_count},
        )
    return _stored_day(activity) != before


def store_or_record_failure(
    outcome: Outcome, activity: AccountActivity, now: datetime
) -> tuple[Outcome, bool]:
    """Store one account's outcome (see ``store``), never raising: an outcome the database
    refuses leaves the account as it was stored, with the error. The outcome as stored, and
    whether what the public sees changed."""
    try:
        with transaction.atomic():
            return outcome, store(outcome, activity, now)
    except Exception as error:  # what one account brought must not stop the run
        logger.exception("Storing account %s failed", outcome.job.account_id)
        failed = Outcome(outcome.job, error=FetchError("not stored", type(error).__name__))
    account_id = outcome.job.account_id
    kept = AccountActivity.objects.filter(account_id=account_id).first()
    try:
        with transaction.atomic():
            return failed, store(failed, kept or AccountActivity(account_id=account_id), now)
    except Exception:
        logger.exception("Recording the failure of account %s failed", account_id)
        return failed, False


def fetch_all(progress: Callable[[int], Any] | None = None) -> Summary:
    """Read every account to read, store what came back, and start a new publication
    generation once if the public sees anything new. `progress(total)` gives a callable
    called once per account done (a progress bar)."""
    summary = Summary(forgotten=forget_withdrawn_consent())
    accounts = accounts_to_read()
    stored = {
        activity.account_id: activity
        for activity in AccountActivity.objects.filter(account__in=[a.pk for a in accounts])
    }
    jobs = []
    for account in accounts:
        activity = stored.get(account.pk) or AccountActivity(account=account)
        stored[account.pk] = activity
        jobs.append(
            Job(
                account_id=account.pk,
                source=account.platform.activity_source,
                url=account.url,
                handle=account.handle,
                source_ref=activity.source_ref,
                validators=dict(activity.validators or {}),
            )
        )
    tick = progress(len(jobs)) if progress else None
    http = Http()
    changed = bool(summary.forgotten)
    now = timezone.now()
    with ThreadPoolExecutor(max_workers=max(1, setting("CONCURRENCY"))) as pool:
        for future in as_completed([pool.submit(read, job, http) for job in jobs]):
            read_outcome = future.result()
            activity = stored[read_outcome.job.account_id]
            outcome, shown = store_or_record_failure(read_outcome, activity, now)
            changed |= shown
            if outcome.error is not None:
                summary.failed[outcome.error.reason] += 1
            elif outcome.reading.unchanged:
                summary.unchanged += 1
            else:
                summary.fetched += 1
            if tick:
                tick()
    if changed:
        generation.bump(widening=True)  # new counts and posts: nothing public goes away
    summary.changed = changed
    return summary
