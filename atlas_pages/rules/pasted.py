"""What a person pastes to name a profile, understood once for every place that takes it (the
verify page, the API's accountByUrl, search, the import, the admin): a profile's URL, a post's
or a tab's URL (its profile), a subdomain of a platform (nl.linkedin.com, web.facebook.com,
mobile.twitter.com), ``@handle``, ``@user@server`` or a bare domain handle (name.bsky.social).

Hosts are matched by registrable domain (the Public Suffix List, tldextract's bundled snapshot:
no network). A federated platform (no hosts of its own, such as Mastodon) is recognised only on
servers known to run it (Directory.servers: said by the server or by an editor), never by the
shape of a path: medium.com/@someone is a blog, not a Mastodon account.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import tldextract
from django.utils.translation import gettext as _

#: The Public Suffix List as the installed tldextract ships it: no download, no cache on disk.
_PUBLIC_SUFFIXES = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=())

#: Longest text taken.
MAX_LENGTH = 2000

#: Query parameters that name a profile rather than decorate its URL
#: (youtube.com/playlist?list=..., facebook.com/profile.php?id=...).
IDENTIFYING_PARAMETERS = frozenset({"list", "id"})

#: Domains under which a name is a platform's handle (name.bsky.social is a Bluesky handle),
#: and the profile URL a handle has there.
HANDLE_DOMAINS = {"bsky.social": ("bluesky", "https://bsky.app/profile/{handle}")}
#: Where a bare domain may be a Bluesky handle of one's own (minbz.nl).
DOMAIN_HANDLE_PROFILE = HANDLE_DOMAINS["bsky.social"]

#: Link shorteners: their links do not say where they lead.
SHORT_LINK_HOSTS = frozenset(
    {
        "t.co",
        "bit.ly",
        "buff.ly",
        "ow.ly",
        "tinyurl.com",
        "lnkd.in",
        "fb.me",
        "fb.watch",
        "vm.tiktok.com",
        "vt.tiktok.com",
        "flic.kr",
        "goo.gl",
    }
)

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")
#: @name@server (Mastodon and the fediverse).
_FEDIVERSE = re.compile(r"^@?(?P<name>[\w.-]+)@(?P<server>[a-z0-9-]+(?:\.[a-z0-9-]+)+)$", re.I)
#: A handle alone: @NLinJapan, NLinJapan, @name.bsky.social.
_HANDLE = re.compile(r"^@?(?P<handle>[\w][\w.-]*)$")
#: Quotes, brackets and sentence punctuation around a pasted address.
_WRAPPING = "\"'‘’“”<>()[]«»"


class Refused(ValueError):
    """The text names no profile; the message says why and what to paste instead."""


class Invalid(Refused):
    """The text is no web address at all (a mistyped scheme, no host)."""


@dataclass(frozen=True, slots=True)
class Directory:
    """Which platform each host belongs to: the platforms' own hosts (the canonical one first)
    and the servers known to run a federated platform (host -> platform slug)."""

    hosts: Mapping[str, str] = field(default_factory=dict)
    canonical: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    servers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls, platforms: Iterable[tuple[str, str, Sequence[str]]], servers: Mapping[str, str] = {}
    ) -> Directory:
        """From (slug, name, hosts) of each platform, in order (the first to claim a host
        keeps it), and the known servers of federated ones."""
        hosts: dict[str, str] = {}
        canonical, names = {}, {}
        for slug, name, platform_hosts in platforms:
            names[slug] = name
            canonical[slug] = platform_hosts[0] if platform_hosts else ""
            for host in platform_hosts:
                hosts.setdefault(host, slug)
        known = {bare_host(host): slug for host, slug in servers.items() if host}
        return cls(hosts=hosts, canonical=canonical, names=names, servers=known)

    def platform_of(self, host: str) -> str:
        """The slug of the platform the host belongs to ("" for none): a platform's host or a
        subdomain of one (up to the registrable domain), else a known server."""
        for candidate in host_chain(host):
            if candidate in self.hosts:
                return self.hosts[candidate]
        return self.servers.get(bare_host(host), "")

    def name_of(self, slug: str) -> str:
        return self.names.get(slug, slug)


@dataclass(frozen=True, slots=True)
class Pasted:
    """What a pasted text names: a profile's URL (and less likely ones), or a handle alone."""

    #: The profile's URL, e.g. https://x.com/NLinBelgium; "" for a handle alone.
    url: str = ""
    #: The slug of the platform it is on; "" when the host is no known platform's (a website,
    #: a blog, a server not known to be federated).
    platform: str = ""
    #: A handle typed alone (@NLinBelgium), its platform not said.
    handle: str = ""
    #: Other profile URLs the text may name, less likely: a bare domain (minbz.nl) is a website
    #: or a Bluesky handle.
    alternatives: tuple[str, ...] = ()

    @property
    def urls(self) -> tuple[str, ...]:
        return ((self.url,) if self.url else ()) + self.alternatives


def bare_host(host: str) -> str:
    """The host in lower case without www./m./mobile., a trailing dot or port."""
    host = host.lower().split(":")[0].rstrip(".")
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def registrable_domain(host: str) -> str:
    """The host's registrable domain (nl.linkedin.com: linkedin.com; m.weibo.cn: weibo.cn), or
    "" for a host under no public suffix (localhost, an IP address)."""
    return _PUBLIC_SUFFIXES(host).top_domain_under_public_suffix


def host_chain(host: str) -> list[str]:
    """The host and each parent domain down to its registrable domain, never further (the
    public suffix itself is nobody's): nl.linkedin.com, linkedin.com."""
    host = host.lower().split(":")[0].rstrip(".")
    site = registrable_domain(host)
    chain = [host]
    while site and chain[-1] != site and "." in chain[-1]:
        chain.append(chain[-1].split(".", 1)[1])
    return chain


def is_fediverse_address(text: str) -> bool:
    """True for @name@server (or name@server)."""
    return bool(_FEDIVERSE.match(_cleaned(text)))


def is_domain(text: str) -> bool:
    """True for a host name under a public suffix ("minbz.nl"), not for words ("nl.japan")."""
    return bool(re.fullmatch(r"[a-z0-9.-]+", text, re.I)) and bool(registrable_domain(text))


# Refusals -------------------------------------------------------------------------------------


class _Home(Exception):
    """The platform's own address, no profile in it."""


class _Post(Exception):
    """A post's, video's or photo's address that does not name its account."""


class _NotProfile(Exception):
    """An address of the platform that is no profile (search, hashtag, settings...)."""


def _reason(error: Exception, platform: str) -> str:
    if isinstance(error, _Home):
        return _(
            "This is the address of %(platform)s itself, not of a profile: paste the address "
            "of the profile."
        ) % {"platform": platform}
    if isinstance(error, _Post):
        return _(
            "This %(platform)s address is of a post, video or photo and does not name its "
            "account: open the account (its name above the post) and paste that address."
        ) % {"platform": platform}
    return _(
        "This %(platform)s address is not a profile (a search, a hashtag, a setting or the "
        "like): paste the address of the profile."
    ) % {"platform": platform}


# Each platform's addresses -------------------------------------------------------------------

#: A rule: (host, path segments, query, fragment) -> the profile's path, or (host, path) when
#: the profile lives on another host (a remote account seen from a Mastodon server).
Rule = Callable[[str, list[str], dict[str, str], str], "str | tuple[str, str]"]

_X_RESERVED = frozenset(
    {
        "home",
        "explore",
        "search",
        "notifications",
        "messages",
        "settings",
        "hashtag",
        "compose",
        "login",
        "logout",
        "signup",
        "tos",
        "privacy",
        "share",
        "account",
        "jobs",
    }
)


def _x(host: str, segments: list[str], query: dict[str, str], fragment: str) -> str:
    if not segments and fragment.startswith("!/"):  # twitter.com/#!/name (before 2012)
        segments = [part for part in fragment[2:].split("/") if part]
    if not segments:
        raise _Home
    first = segments[0].lstrip("@")
    lower = first.lower()
    if lower == "intent":  # twitter.com/intent/follow?screen_name=name
        if query.get("screen_name"):
            return "/" + query["screen_name"].lstrip("@")
        raise _NotProfile
    if lower == "i":
        if len(segments) > 2 and segments[1].lower() == "communities":
            return f"/i/communities/{segments[2]}"
        if "status" in (part.lower() for part in segments):
            raise _Post  # x.com/i/web/status/123: the post alone
        raise _NotProfile
    if lower in _X_RESERVED or not first:
        raise _NotProfile
    return "/" + first  # x.com/name/status/123, /name/media, /name/with_replies: the account


_FACEBOOK_POSTS = frozenset(
    {"watch", "reel", "reels", "photo", "photo.php", "photos", "video.php", "share", "videos"}
)
_FACEBOOK_RESERVED = frozenset(
    {
        "events",
        "hashtag",
        "marketplace",
        "search",
        "login",
        "login.php",
        "help",
        "gaming",
        "stories",
        "sharer",
        "sharer.php",
        "dialog",
        "settings",
        "notifications",
        "friends",
        "messages",
        "l.php",
        "plugins",
        "home.php",
        "privacy",
        "policies",
        "business",
        "ads",
        "bookmarks",
        "fundraisers",
        "media",
    }
)


def _facebook(host: str, segments: list[str], query: dict[str, str], fragment: str) -> str:
    if not segments:
        raise _Home
    first = segments[0]
    lower = first.lower()
    if lower in ("profile.php", "permalink.php", "story.php"):
        # A numbered profile; a post's permalink names its owner's number in "id".
        if query.get("id", "").isdigit():
            return "/profile.php?id=" + query["id"]
        raise _Post if lower != "profile.php" else _NotProfile
    if lower == "groups" and len(segments) > 1 and segments[1].lower() not in ("feed", "discover"):
        return f"/groups/{segments[1]}"
    if lower == "pg" and len(segments) > 1:  # the old facebook.com/pg/Page/posts
        return "/" + segments[1]
    if lower in ("people", "pages") and len(segments) > 2:  # /people/Name/1000123...
        return f"/{lower}/{segments[1]}/{segments[2]}"
    if lower == "p" and len(segments) > 1:  # a newer page's address: /p/Name-1000123...
        return f"/p/{segments[1]}"
    if lower in _FACEBOOK_POSTS:
        raise _Post
    if lower in _FACEBOOK_RESERVED or lower in ("groups", "people", "pages", "p", "pg"):
        raise _NotProfile
    return "/" + first  # /Page/posts/123, /Page/about, /Page/photos/...: the page


def _linkedin(host: str, segments: list[str], query: dict[str, str], fragment: str) -> str:
    if not segments:
        raise _Home
    kind = segments[0].lower()
    if kind in ("company", "showcase", "school", "groups", "in") and len(segments) > 1:
        return f"/{kind}/{segments[1]}"  # /company/x/about/, /company/x/posts/: the page
    if kind in ("posts", "feed", "pulse", "embed"):
        # linkedin.com/posts/name_...: the name may be a person's or a page's.
        raise _Post
    raise _NotProfile


_YOUTUBE_POSTS = frozenset({"watch", "shorts", "live", "embed", "v", "clip", "post"})


def _youtube(host: str, segments: list[str], query: dict[str, str], fragment: str) -> str:
    if bare_host(host) == "youtu.be":  # a video's short link
        if segments:
            raise _Post
        raise _Home
    if not segments:
        raise _Home
    first = segments[0]
    lower = first.lower()
    if first.startswith("@"):
        return "/" + first  # /@X/videos, /@X/featured: the channel
    if lower in ("channel", "c", "user") and len(segments) > 1:
        return f"/{lower}/{segments[1]}"
    if lower == "playlist" and query.get("list"):
        return "/playlist?list=" + query["list"]
    if lower in _YOUTUBE_POSTS:
        raise _Post  # a video, in a playlist or not (anyone may list anyone's video)
    if lower in (
        "results",
        "feed",
        "playlist",
        "hashtag",
        "account",
        "premium",
        "gaming",
        "redirect",
        "about",
        "channel",
        "c",
        "user",
    ):
        raise _NotProfile
    return "/" + first  # a legacy custom address: youtube.com/Name


def _instagram(host: str, segments: list[str], query: dict[str, str], fragment: str) -> str:
    if not segments:
        raise _Home
    lower = segments[0].lower()
    if lower in ("p", "reel", "reels", "tv"):
        raise _Post
    if lower == "stories":  # /stories/name/123: the name's story
        if len(segments) > 1 and segments[1].lower() != "highlights":
            return "/" + segments[1]
        raise _Post
    if lower in ("explore", "accounts", "direct", "about", "legal", "developer", "web"):
        raise _NotProfile
    return "/" + segments[0].lstrip("@")  # /name/reels, /name/p/123: the account


def _at_profile(host: str, segments: list[str], query: dict[str, str], fragment: str) -> str:
    """Threads and TikTok: /@name, and what follows it is the account's post or tab."""
    if not segments:
        raise _Home
    if segments[0].startswith("@") and len(segments[0]) > 1:
        return "/" + segments[0]
    if segments[0].lower() in ("t", "v", "video", "embed", "post"):
        raise _Post
    raise _NotProfile


def _mastodon(
    host: str, segments: list[str], query: dict[str, str], fragment: str
) -> str | tuple[str, str]:
    if not segments:
        raise _Home
    if segments[0].lower() in ("web", "deck") and len(segments) > 1:
        segments = segments[1:]  # the web app's own address of the same thing
    first = segments[0]
    if first.startswith("@") and len(first) > 1:
        name, _at, server = first[1:].partition("@")
        if server:  # /@name@other.server: a remote account, at home on its own server
            return server.lower(), "/@" + name
        return "/@" + name  # /@name/1234567: the account's post
    if first.lower() == "users" and len(segments) > 1:
        return "/@" + segments[1]  # /users/name: the same profile as /@name
    if first.lower() in ("statuses", "notice", "objects") or "statuses" in segments:
        raise _Post
    raise _NotProfile


def _bluesky(host: str, segments: list[str], query: dict[str, str], fragment: str) -> str:
    if not segments:
        raise _Home
    if segments[0].lower() == "profile" and len(segments) > 1:
        return "/profile/" + segments[1].lstrip("@")  # /profile/name/post/xyz: the account
    raise _NotProfile


def _flickr(host: str, segments: list[str], query: dict[str, str], fragment: str) -> str:
    if not segments:
        raise _Home
    kind = segments[0].lower()
    if kind in ("photos", "people", "groups") and len(segments) > 1:
        if kind == "photos" and segments[1].lower() in ("tags", "search"):
            raise _NotProfile
        return f"/{kind}/{segments[1]}"  # /photos/name/123, /photos/name/albums: the account
    if kind == "p":
        raise _Post
    raise _NotProfile


def _weibo(host: str, segments: list[str], query: dict[str, str], fragment: str) -> str:
    if not segments:
        raise _Home
    lower = segments[0].lower()
    if lower in ("u", "n", "profile") and len(segments) > 1:
        return f"/{lower}/{segments[1]}"
    if lower in ("status", "detail", "tv"):
        raise _Post
    if lower in ("search", "hot", "login", "signup", "newlogin"):
        raise _NotProfile
    return "/" + segments[0]  # weibo.com/name, weibo.com/1234567/PostId: the account


def _wechat(host: str, segments: list[str], query: dict[str, str], fragment: str) -> str:
    if not segments:
        raise _Home
    if segments[0].lower() == "r" and len(segments) > 1:
        return f"/r/{segments[1]}"
    if segments[0].lower() == "s":
        raise _Post  # an article: mp.weixin.qq.com/s/...
    raise _NotProfile


#: The address rules of the platforms the atlas knows, by slug. A platform an editor adds has
#: none: its URLs are taken as they are.
RULES: dict[str, Rule] = {
    "twitter": _x,
    "facebook": _facebook,
    "linkedin": _linkedin,
    "youtube": _youtube,
    "instagram": _instagram,
    "threads": _at_profile,
    "tiktok": _at_profile,
    "mastodon": _mastodon,
    "bluesky": _bluesky,
    "flickr": _flickr,
    "weibo": _weibo,
    "wechat": _wechat,
}


# The parser ----------------------------------------------------------------------------------


def _cleaned(text: str) -> str:
    text = (text or "").strip()
    while text and (text[0] in _WRAPPING or text[-1] in _WRAPPING + ".,;!"):
        text = text.strip(_WRAPPING).rstrip(".,;!").strip()
    return text


def parse(text: str, directory: Directory) -> Pasted:
    """The profile a pasted text names; Refused (its message says why) when it names none."""
    text = _cleaned(text)
    if not text:
        raise Refused(_("Enter a profile URL."))
    if len(text) > MAX_LENGTH or re.search(r"\s", text):
        raise Invalid(
            _("This is not an address: paste a profile's URL (e.g. %(example)s) or @name@server.")
            % {"example": "https://x.com/NLinJapan"}
        )
    address = _FEDIVERSE.match(text)
    if address:
        text = f"https://{address['server']}/@{address['name']}"
    elif "/" not in text and ":" not in text:
        handle = _HANDLE.match(text)
        if handle and not is_domain(handle["handle"]):
            return Pasted(handle=handle["handle"])
        if handle and text.startswith("@"):  # @name.bsky.social; @min.bz on Instagram
            domain = handle["handle"].lower()
            profile = _handle_domain_profile(domain)
            return profile or Pasted(handle=handle["handle"])
    return _parse_url(text, directory, typed_scheme=bool(_SCHEME.match(text)))


def _handle_domain_profile(host: str) -> Pasted | None:
    """name.bsky.social: the Bluesky profile of that handle."""
    for domain, (slug, profile) in HANDLE_DOMAINS.items():
        if host.endswith("." + domain) and host.count(".") > domain.count("."):
            return Pasted(url=profile.format(handle=host), platform=slug)
    return None


def _parse_url(text: str, directory: Directory, typed_scheme: bool) -> Pasted:
    url = text if typed_scheme else "https://" + text
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        parts.port  # noqa: B018 (a port that is not a number is refused here)
    except ValueError:
        raise Invalid(_("Enter a valid http(s) profile URL.")) from None
    # A host has a dot: "https//x.com/..." read as host "https" is a mistyped scheme.
    if parts.scheme.lower() not in ("http", "https") or not _is_host(host):
        raise Invalid(_("Enter a valid http(s) profile URL."))
    segments = [segment for segment in parts.path.split("/") if segment]
    query = dict(parse_qsl(parts.query))
    if bare_host(host) in SHORT_LINK_HOSTS:
        raise Refused(
            _(
                "This is a short link, which does not say where it leads: open it and paste "
                "the address of the profile it shows."
            )
        )
    slug = directory.platform_of(host)
    if not slug:
        if not segments and not parts.query:
            profile = _handle_domain_profile(host.lower())
            if profile:
                return profile
        website = f"https://{host}{_path(segments)}{_identifying_query(parts.query)}"
        # A bare domain typed without a scheme may be someone's own Bluesky handle.
        alternatives = ()
        if not typed_scheme and not segments and is_domain(host):
            alternatives = (DOMAIN_HANDLE_PROFILE[1].format(handle=host.lower()),)
        return Pasted(url=website, alternatives=alternatives)
    rule = RULES.get(slug)
    if rule is None:  # a platform an editor added: its URLs as they are
        path = _path(segments) + _identifying_query(parts.query)
        if not segments and not parts.query and directory.canonical.get(slug):
            raise Refused(_reason(_Home(), directory.name_of(slug)))
    else:
        try:
            path = rule(host, segments, query, parts.fragment)
        except (_Home, _Post, _NotProfile) as error:
            raise Refused(_reason(error, directory.name_of(slug))) from None
    if isinstance(path, tuple):  # the profile is at home on another server
        host, path = path
    elif directory.canonical.get(slug) and bare_host(host) not in directory.hosts:
        host = directory.canonical[slug]  # nl.linkedin.com, web.facebook.com: the platform's
    return Pasted(url=f"https://{host.lower()}{path}", platform=slug)


def _is_host(host: str) -> bool:
    return host == "localhost" or bool(re.fullmatch(r"[\w-]+(\.[\w-]+)+|[0-9a-f:]+", host))


def _path(segments: list[str]) -> str:
    return "/" + "/".join(segments) if segments else ""


def _identifying_query(query: str) -> str:
    """The query parameters that name the profile, sorted; the others (tracking) dropped."""
    pairs = sorted(
        (name, value)
        for name, value in parse_qsl(query)
        if name in IDENTIFYING_PARAMETERS and value
    )
    return "?" + urlencode(pairs) if pairs else ""


def profile_url(url: str, slug: str, name: str, platform_hosts: Sequence[str]) -> str:
    """A URL of one platform as the address of its profile (a post's, a tab's, a subdomain's
    URL as the profile's): what the stored lookup key is computed from. Refused for a URL of
    the platform that names no profile; a URL on another host is returned as it is."""
    directory = Directory.of([(slug, name, platform_hosts)])
    try:
        parts = urlsplit(url.strip() if _SCHEME.match(url.strip()) else "https://" + url.strip())
        host = parts.hostname or ""
    except ValueError:
        return url
    if platform_hosts and directory.platform_of(host) != slug:
        return url
    if not platform_hosts:  # a federated platform: the editor says this host runs it
        directory = Directory.of([(slug, name, ())], {host: slug})
    return parse(url, directory).url or url
