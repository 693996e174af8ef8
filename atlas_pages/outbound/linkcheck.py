"""Link health: is each published account's profile URL still there?

Every live account's URL is fetched through the atlas's one HTTP client (``outbound.http``:
no private addresses, the body not read) with a timeout, a real User-Agent naming the
installation's contact page, redirects followed and recorded. Accounts are grouped by host:
one worker takes one host at a time, and the client spaces requests to one host by an
interval, so no platform sees more than one request at a time from us, while several hosts
are checked side by side (bounded by the concurrency). The latest result per account is stored
in LinkCheck, which is bookkeeping: storing it changes nothing the public sees.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone

from atlas_pages.models import LinkCheck, SocialAccount
from atlas_pages.outbound.http import Client

#: Redirects followed before giving up (a loop, or a chain of trackers).
MAX_REDIRECTS = 10
#: The fields each run rewrites (all but the account).
RESULT_FIELDS = ["url", "checked_at", "status_code", "final_url", "redirects", "elapsed", "error"]


@dataclass(frozen=True, slots=True)
class Options:
    timeout: float
    concurrency: int
    #: Seconds between two requests to the same host.
    host_interval: float

    @classmethod
    def from_settings(cls, **overrides: float | None) -> Options:
        values = {
            "timeout": settings.ATLAS_LINK_CHECK_TIMEOUT,
            "concurrency": settings.ATLAS_LINK_CHECK_CONCURRENCY,
            "host_interval": settings.ATLAS_LINK_CHECK_HOST_INTERVAL,
        }
        values.update({name: value for name, value in overrides.items() if value is not None})
        return cls(**values)


def user_agent() -> str:
    return f"SocialMediaAtlas-LinkCheck/1.0 (+{settings.ATLAS_LINK_CHECK_CONTACT_URL})"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def client(options: Options, sleep: Callable[[float], object] = time.sleep) -> Client:
    """The HTTP client of a run: no retries (the status of the first answer is the result)."""
    return Client(
        user_agent=user_agent(),
        timeout=options.timeout,
        host_interval=options.host_interval,
        max_bytes=0,  # the body is never read
        max_redirects=MAX_REDIRECTS,
        sleep=sleep,
    )


def check(http: Client, account_id: int, url: str) -> LinkCheck:
    """One account's URL fetched now (GET: many platforms refuse HEAD; the body is not read)."""
    result = LinkCheck(account_id=account_id, url=url, checked_at=timezone.now())
    started = time.monotonic()
    try:
        fetched = http.get(url, read_body=False)
        result.status_code = fetched.status
        result.final_url = fetched.url[:2000]
        result.redirects = [[status, location] for status, location in fetched.redirects]
    except requests.Timeout:
        result.error = f"Timeout ({http.timeout:g} s)"
    except requests.TooManyRedirects:
        result.error = f"More than {MAX_REDIRECTS} redirects"
    except requests.RequestException as error:
        result.error = f"{type(error).__name__}: {error}"[:500]
    result.elapsed = round(time.monotonic() - started, 3)
    return result


def check_host(accounts: list[tuple[int, str]], http: Client) -> list[LinkCheck]:
    """The accounts of one host, one after the other (the client spaces them)."""
    return [check(http, account_id, url) for account_id, url in accounts]


def published_accounts() -> list[tuple[int, str]]:
    """(id, URL) of every live account."""
    return list(SocialAccount.objects.filter(live=True).order_by("pk").values_list("pk", "url"))


def check_all(
    accounts: Iterable[tuple[int, str]],
    options: Options,
    sleep: Callable[[float], object] = time.sleep,
) -> Iterator[list[LinkCheck]]:
    """The results host by host as they finish, `options.concurrency` hosts at a time."""
    by_host: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for account_id, url in accounts:
        by_host[host_of(url)].append((account_id, url))
    if not by_host:
        return
    workers = max(1, min(options.concurrency, len(by_host)))
    http = client(options, sleep)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="linkcheck") as pool:
        futures = [pool.submit(check_host, group, http) for group in by_host.values()]
        for future in as_completed(futures):
            yield future.result()


def store(results: list[LinkCheck]) -> None:
    """Replace the accounts' latest results (one row per account; no public content). An
    account deleted while its URL was being checked is skipped."""
    existing = set(
        SocialAccount.objects.filter(pk__in=[result.account_id for result in results]).values_list(
            "pk", flat=True
        )
    )
    results = [result for result in results if result.account_id in existing]
    LinkCheck.objects.bulk_create(
        results, update_conflicts=True, unique_fields=["account"], update_fields=RESULT_FIELDS
    )
