"""Evidence from the posts' own websites: an account the post's official website links to is
the post's (AccountEvidence SITE_LINK: the page, when it was seen).

Each live post's website (PostPage.website, in every language it is given) is read through the
one outbound client (atlas_pages.outbound.http: pacing per host, a size cap, no private
addresses), only where the site's robots.txt allows it (atlas_pages.outbound.robots). Its links
(header, footer, body; relative ones resolved) are compared with the post's own live accounts
and those of its people, by the lookup key (Platform.normalise), a channel tab's or a post's
link read as its profile's (rules.pasted). Share buttons
(twitter.com/intent/tweet, facebook.com/sharer...) are no profiles and are left out.

`extract_links` is the reusable part: any sweep of a site's pages for profiles starts there.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
from bs4 import BeautifulSoup
from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Locale

from atlas_pages.models import AccountEvidence, Platform, PostPage, SocialAccount
from atlas_pages.models.signals import public_content_changed
from atlas_pages.outbound.http import Client, PrivateAddress, TooLarge
from atlas_pages.outbound.robots import RobotsRules
from atlas_pages.rules import pasted
from atlas_pages.rules.profile_urls import bare_host

#: Redirects followed to a website's page (a move to https, a language path).
MAX_REDIRECTS = 5

#: Share and compose buttons, by platform host: (host, path prefixes by whole segments). A
#: link there shares the page; it names no profile.
SHARE_PATHS = {
    "twitter.com": ("/intent/", "/share"),
    "x.com": ("/intent/", "/share"),
    "facebook.com": ("/sharer", "/share.php", "/dialog/", "/plugins/"),
    "linkedin.com": ("/sharearticle", "/sharing/", "/cws/share"),
    "bsky.app": ("/intent/",),
    "threads.net": ("/intent/",),
    "threads.com": ("/intent/",),
    "pinterest.com": ("/pin/create",),
    "reddit.com": ("/submit",),
    "tumblr.com": ("/share", "/widgets/share"),
    "t.me": ("/share",),
    "telegram.me": ("/share",),
    "api.whatsapp.com": ("/send",),
    "web.whatsapp.com": ("/send",),
    "wa.me": ("/",),
}
#: The path of a share or compose button on any host (a Mastodon server's /share?text=...).
SHARE_SEGMENTS = frozenset({"share", "sharer", "sharer.php", "share.php", "intent"})


def is_share_link(url: str) -> bool:
    """Whether a link is a share, tweet or compose button rather than a profile."""
    parts = urlsplit(url)
    host = bare_host(parts.hostname or "")
    path = parts.path.lower()
    for share_host, prefixes in SHARE_PATHS.items():
        if host == share_host or host.endswith("." + share_host):
            if any(_under(path, prefix) for prefix in prefixes):
                return True
    return any(segment in SHARE_SEGMENTS for segment in path.split("/"))


def _under(path: str, prefix: str) -> bool:
    """Whether the path is `prefix` or below it, by whole segments (/share, /share/x; not
    /ShareTheLove)."""
    prefix = prefix.rstrip("/")
    return path.rstrip("/") == prefix or path.startswith(prefix + "/")


def extract_links(html: bytes | str, page_url: str) -> list[str]:
    """The absolute http(s) addresses a page links to (<a>, <area>, and <link rel="me">
    anywhere: header, footer, body), relative ones resolved against the page (or its <base>),
    without fragments, share buttons left out; in the page's order, each once."""
    soup = BeautifulSoup(html, "html.parser")
    base = soup.find("base", href=True)
    base_url = urljoin(page_url, base["href"].strip()) if base else page_url
    links: dict[str, None] = {}
    for element in soup.find_all(["a", "area", "link"], href=True):
        if element.name == "link" and "me" not in (element.get("rel") or []):
            continue  # stylesheets, icons, alternates
        url = urldefrag(urljoin(base_url, element["href"].strip())).url
        scheme = urlsplit(url).scheme.lower()
        if scheme in ("http", "https") and not is_share_link(url):
            links.setdefault(url, None)
    return list(links)


def lookup_keys(account: SocialAccount) -> set[str]:
    """The lookup keys under which a link is the account's: its address, and its new one after
    a rename."""
    keys = {account.normalized_url}
    if account.new_url:
        try:
            keys.add(account.platform.normalise(account.new_url))
        except ValueError:
            pass
    return keys


def directory() -> pasted.Directory:
    """Which platform each host belongs to (and the servers known to be federated), to read a
    link the way a pasted address is read."""
    platforms = Platform.objects.all()
    return pasted.Directory.of(
        [(platform.slug, platform.name, platform.host_list) for platform in platforms],
        Platform.known_servers(),
    )


def profile_addresses(link: str, hosts: pasted.Directory) -> list[str]:
    """The profile URLs a link may name: itself, and the profile a channel tab's or a post's
    URL belongs to (youtube.com/@X/videos is the channel @X; rules.pasted)."""
    addresses = [link]
    try:
        found = pasted.parse(link, hosts)
    except ValueError:  # pasted.Refused: a link to no profile
        return addresses
    return addresses + [url for url in found.urls if url not in addresses]


def linked_accounts(
    links: Iterable[str], accounts: Iterable[SocialAccount], hosts: pasted.Directory
) -> list[int]:
    """The ids of the accounts (in their order) that one of the links points to."""
    accounts = list(accounts)
    keys = {account.pk: lookup_keys(account) for account in accounts}
    found: set[int] = set()
    for link in links:
        for address in profile_addresses(link, hosts):
            for account in accounts:
                if account.pk in found:
                    continue
                try:
                    key = account.platform.normalise(address)
                except ValueError:  # not a profile of this account's platform
                    continue
                if key in keys[account.pk]:
                    found.add(account.pk)
    return [account.pk for account in accounts if account.pk in found]


def post_websites() -> dict[str, int]:
    """Each live post's website (every language's, where they differ) -> the post it is of:
    the page in the default language where that one is live (atlas_pages.outbound.leads files
    what a website links to under it)."""
    default = Locale.get_default()
    live = PostPage.objects.live()
    in_default = dict(live.filter(locale=default).values_list("translation_key", "pk"))
    rows = live.exclude(website="").values_list("website", "pk", "locale_id", "translation_key")
    websites: dict[str, int] = {}
    for website, pk, _locale, key in sorted(rows, key=lambda row: (row[2] != default.pk, row[1])):
        websites.setdefault(website, in_default.get(key, pk))
    return websites


def sites_to_sweep() -> dict[str, list[SocialAccount]]:
    """Each live post's website (every language's, where they differ), with the live accounts
    it may confirm: the post's own and its people's."""
    websites: dict[object, set[str]] = defaultdict(set)
    for key, website in (
        PostPage.objects.live().exclude(website="").values_list("translation_key", "website")
    ):
        websites[key].add(website)
    accounts_by_post: dict[object, list[SocialAccount]] = defaultdict(list)
    accounts = (
        SocialAccount.objects.filter(live=True)
        .exclude(status=SocialAccount.Status.CLOSED)
        # An address that changed hands is no longer the post's, whoever still links it.
        .exclude(identity_record__takeover_at__isnull=False)
        .annotate(post_key=Coalesce(F("post__translation_key"), F("person__post__translation_key")))
        .filter(post_key__in=list(websites))
        .select_related("platform")
        .order_by("pk")
    )
    for account in accounts:
        accounts_by_post[account.post_key].append(account)
    sites: dict[str, list[SocialAccount]] = defaultdict(list)
    for key, urls in websites.items():
        for url in sorted(urls):
            sites[url].extend(accounts_by_post.get(key, []))
    return {url: accounts for url, accounts in sites.items() if accounts}


@dataclass
class Summary:
    sites: int = 0
    #: The accounts found linked from their post's website; those not confirmed so before.
    confirmed: int = 0
    new: int = 0
    #: Sites not read, by reason ("robots.txt", "404", "Timeout"...).
    skipped: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        text = (
            f"{self.sites} sites, {self.confirmed} accounts linked from their post's website "
            f"({self.new} new)"
        )
        if self.skipped:
            reasons = ", ".join(
                f"{reason}: {count}" for reason, count in sorted(self.skipped.items())
            )
            text += f"; not read: {reasons}"
        return text


def user_agent() -> str:
    return f"SocialMediaAtlas-SiteLinks/1.0 (+{settings.ATLAS_LINK_CHECK_CONTACT_URL})"


def client(sleep: Callable[[float], object] = time.sleep) -> Client:
    return Client(
        user_agent=user_agent(),
        timeout=settings.ATLAS_LINK_CHECK_TIMEOUT,
        host_interval=settings.ATLAS_LINK_CHECK_HOST_INTERVAL,
        max_bytes=settings.ATLAS_SITE_LINKS_MAX_BYTES,
        max_redirects=MAX_REDIRECTS,
        sleep=sleep,
    )


@dataclass
class PageRead:
    """A website's page as read: its address after redirects and its links, or why it was
    not read."""

    url: str = ""
    links: list[str] = field(default_factory=list)
    #: Why the page was not read ("robots.txt", "404", "timeout"...); empty when it was.
    problem: str = ""


def read_page(http: Client, robots: RobotsRules, url: str) -> PageRead:
    """The page's links, where robots.txt allows reading it."""
    if not robots.allows(url):
        return PageRead(problem="robots.txt")
    try:
        fetched = http.get(url)
    except requests.Timeout:
        return PageRead(problem="timeout")
    except PrivateAddress:
        return PageRead(problem="private address")
    except TooLarge:
        return PageRead(problem="too large")
    except requests.RequestException as error:
        return PageRead(problem=type(error).__name__)
    if fetched.status != 200:
        return PageRead(problem=str(fetched.status))
    if "html" not in fetched.headers.get("Content-Type", "text/html").lower():
        return PageRead(problem="not HTML")
    return PageRead(url=fetched.url, links=extract_links(fetched.body, fetched.url))


def record(account_ids: list[int], page_url: str) -> tuple[set[int], bool]:
    """SITE_LINK evidence for the accounts, seen on `page_url` now: the accounts that had
    none before, and whether any public line changes (new, another page, another day)."""
    now = timezone.now()
    existing = {
        evidence.account_id: evidence
        for evidence in AccountEvidence.objects.filter(
            account_id__in=account_ids, kind=AccountEvidence.Kind.SITE_LINK
        )
    }
    changed = False
    for account_id in account_ids:
        before = existing.get(account_id)
        if not before or before.detail != page_url or before.confirmed_at.date() != now.date():
            changed = True
        AccountEvidence.objects.update_or_create(
            account_id=account_id,
            kind=AccountEvidence.Kind.SITE_LINK,
            defaults={"detail": page_url[:500], "confirmed_at": now, "confirmed_by": None},
        )
    return set(account_ids) - set(existing), changed


def sweep(sleep: Callable[[float], object] = time.sleep) -> Summary:
    """Read every live post's website once and record the accounts it links to; announce a
    change of what the public sees once, at the end."""
    summary = Summary()
    http = client(sleep)
    robots = RobotsRules(http)
    hosts = directory()
    confirmed: set[int] = set()
    new: set[int] = set()
    changed = False
    for url, accounts in sites_to_sweep().items():
        summary.sites += 1
        page = read_page(http, robots, url)
        if page.problem:
            summary.skipped[page.problem] += 1
            continue
        found = linked_accounts(page.links, accounts, hosts)
        first_time, page_changed = record(found, page.url)
        confirmed.update(found)
        new.update(first_time)
        changed = changed or page_changed
    summary.confirmed, summary.new = len(confirmed), len(new)
    if changed:
        public_content_changed.send(sender=AccountEvidence)
    return summary
