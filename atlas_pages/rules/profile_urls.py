"""Profile URLs: the key two spellings of one profile share, the platform a URL belongs to,
the handle in it, and the form of presence (page, group, channel...) it tells."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit

from django.utils.translation import gettext as _

from atlas_pages.rules import pasted


class ProfileShape(Protocol):
    """What a platform says of its profile URLs (atlas_pages.models.Platform has it)."""

    slug: str
    name: str

    @property
    def host_list(self) -> list[str]: ...

    profile_path: str


AnyPlatform = TypeVar("AnyPlatform", bound=ProfileShape)

#: Query parameters that name a profile rather than decorate its URL.
IDENTIFYING_PARAMETERS = pasted.IDENTIFYING_PARAMETERS

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")

#: What a profile URL looks like, in the messages that say what is wrong with one.
EXAMPLE_URL = "https://x.com/NLinJapan"

#: The beginning of a text that was meant as a scheme: a word and a colon or slashes
#: ("htps://", "https//", "https:/", "http;//"), not a host ("x.com/...").
_TYPED_SCHEME = re.compile(r"^(?P<typed>[A-Za-z]+(?:[:;]+[/\\]*|[/\\]{2,}))")


def parse_hosts(text: str | None) -> list[str]:
    """Host names from an editor's text (lines, commas or spaces), normalised, in order, unique."""
    hosts = []
    for raw in re.split(r"[\s,]+", text or ""):
        host = bare_host(raw.strip().lower().removeprefix("https://").removeprefix("http://"))
        host = host.split("/")[0]
        if host and host not in hosts:
            hosts.append(host)
    return hosts


def bare_host(host: str) -> str:
    """The host without www./m./mobile. and a trailing dot or port."""
    return pasted.bare_host(host)


def host_of(url: str) -> str:
    """The URL's host without www./m./mobile. ("" for none)."""
    try:
        return bare_host(_split_url(url).hostname or "")
    except ValueError:
        return ""


def platform_host(host: str, platform_hosts: Sequence[str]) -> str | None:
    """The platform's host the URL's host stands for: itself or a host it is a subdomain of
    (nl.linkedin.com, web.facebook.com: by registrable domain); None when it is none of them."""
    return next(
        (candidate for candidate in pasted.host_chain(host) if candidate in platform_hosts),
        None,
    )


def _split_url(url: str | None) -> SplitResult:
    url = (url or "").strip()
    if not url:
        raise ValueError(_("Enter a profile URL."))
    if not _SCHEME.match(url):
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValueError(_("Enter a valid http(s) profile URL."))
    return parts


def url_mistake(text: str) -> str:
    """What is wrong with a text a URL field refused, and what a valid address looks like: a
    typo in the scheme is named. For a URL field's "invalid" error (SocialAccount's fields, the
    admin's form), instead of a bare "Enter a valid URL."."""
    text = text.strip()
    # A scheme put before a mistyped one: the admin and the import add https:// to "https//...".
    inner = re.sub(r"^https?://", "", text, count=1, flags=re.IGNORECASE)
    typed = _TYPED_SCHEME.match(inner) or _TYPED_SCHEME.match(text)
    if typed and typed["typed"].lower() not in {"http://", "https://"}:
        return _(
            "The address begins with “%(typed)s”, which no web address does: a profile URL "
            "begins with https://, e.g. %(example)s."
        ) % {"typed": typed["typed"], "example": EXAMPLE_URL}
    return _(
        "This is not a valid web address: a profile URL looks like %(example)s, without spaces."
    ) % {"example": EXAMPLE_URL}


def normalise_profile_url(
    url: str, platform_hosts: Sequence[str] = (), profile_path: str = ""
) -> str:
    """The form two URLs of one profile share: no scheme, query, fragment or trailing slash,
    host without www./m./mobile. and mapped to the platform's canonical host, all lower case.

    With platform hosts given, a URL on another host is an error; with a profile path (see
    profile_handle), a URL of another shape is.
    """
    parts = _split_url(url)
    host = bare_host(parts.hostname)
    if platform_hosts:
        if platform_host(host, platform_hosts) is None:
            raise ValueError(
                _("The URL's host %(host)s does not belong to this platform (%(hosts)s).")
                % {"host": host, "hosts": ", ".join(platform_hosts)}
            )
        host = platform_hosts[0]
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    if profile_path and profile_handle(path, profile_path) is None:
        raise ValueError(
            _("This is not the address of a profile: its path should look like %(shape)s.")
            % {"shape": profile_path}
        )
    return f"{host}{path}{_identifying_query(parts.query)}".lower()


def _identifying_query(query: str) -> str:
    """The query parameters that name the profile (a playlist's ``list``, the ``id`` of
    facebook.com/profile.php), sorted; the others (tracking, language) are dropped."""
    pairs = sorted(
        (name, value)
        for name, value in parse_qsl(query)
        if name in IDENTIFYING_PARAMETERS and value
    )
    return "?" + urlencode(pairs) if pairs else ""


def profile_handle(path: str, profile_path: str) -> str | None:
    """The handle in a URL path of the shape `profile_path` ("/@{handle}", with the handle one
    path segment), or None when the path has another shape."""
    before, _sep, after = profile_path.partition("{handle}")
    pattern = re.escape(before) + r"(?P<handle>[^/]+)" + re.escape(after) + "/?"
    match = re.fullmatch(pattern, path)
    return match["handle"] if match else None


def platform_for_url(
    url: str, platforms: Iterable[AnyPlatform], servers: Mapping[str, str] | None = None
) -> AnyPlatform | None:
    """The platform a profile URL (or a post's, a tab's, a subdomain's) belongs to: the first
    whose hosts include the URL's (by registrable domain) and whose profile shape it has; a
    federated platform (no hosts) only on a server known to run it (`servers`: host -> slug,
    said by the server or by an editor), never by the shape of the path; or None.

    `platforms` are objects with `slug`, `name`, `host_list` and `profile_path` (Platform)."""
    platforms = list(platforms)
    directory = pasted.Directory.of(
        [(platform.slug, platform.name, platform.host_list) for platform in platforms],
        servers or {},
    )
    try:
        found = pasted.parse(url, directory)
    except pasted.Refused:
        return None
    if not found.platform:
        return None
    path = re.sub(r"/{2,}", "/", urlsplit(found.url).path)
    return next(
        (
            platform
            for platform in platforms
            if platform.slug == found.platform
            and (not platform.profile_path or profile_handle(path, platform.profile_path))
        ),
        None,
    )


def normalise_lookup_url(url: str, platforms: Iterable[Sequence[str]]) -> str:
    """normalise_profile_url for a URL of unknown platform: host aliases of any platform apply."""
    parts = _split_url(url)
    for hosts in platforms:
        if platform_host(bare_host(parts.hostname), hosts):
            return normalise_profile_url(url, hosts)
    return normalise_profile_url(url)


def handle_from_url(url: str, profile_path: str = "") -> str:
    """The profile's name on the platform: the handle in the platform's profile path, else the
    URL's last path segment without a leading @."""
    try:
        parts = _split_url(url)
    except ValueError:
        return ""
    if profile_path:
        handle = profile_handle(re.sub(r"/{2,}", "/", parts.path), profile_path)
        if handle:
            return handle.lstrip("@")
    named = [value for name, value in parse_qsl(parts.query) if name in IDENTIFYING_PARAMETERS]
    if named:  # a playlist's or a numbered profile's id
        return named[0]
    segments = [segment for segment in parts.path.split("/") if segment]
    return segments[-1].lstrip("@") if segments else ""


@dataclass(frozen=True, slots=True)
class PresenceRule:
    """The forms of presence one platform has (values of SocialAccount.Form), its usual one
    first, and the URL path prefixes that tell the form."""

    forms: tuple[str, ...]
    paths: tuple[tuple[str, str], ...] = ()

    def form_of(self, url: str) -> str | None:
        """The form the URL's path says, or None when the URL does not tell it."""
        try:
            path = re.sub(r"/{2,}", "/", _split_url(url).path).lower()
        except ValueError:
            return None
        return next((form for prefix, form in self.paths if path.startswith(prefix)), None)


#: Forms of presence per platform slug: the one place they are decided. A platform not
#: listed here (one an editor added) may have any form and is a profile unless chosen.
PRESENCE_RULES = {
    "twitter": PresenceRule(("profile", "group"), (("/i/communities/", "group"),)),
    "facebook": PresenceRule(
        ("page", "group", "profile"), (("/groups/", "group"), ("/profile.php", "profile"))
    ),
    "linkedin": PresenceRule(
        ("page", "group", "profile"),
        (
            ("/company/", "page"),
            ("/showcase/", "page"),
            ("/school/", "page"),
            ("/groups/", "group"),
            ("/in/", "profile"),
        ),
    ),
    "youtube": PresenceRule(
        ("channel", "playlist"),
        (
            ("/@", "channel"),
            ("/channel/", "channel"),
            ("/c/", "channel"),
            ("/user/", "channel"),
            ("/playlist", "playlist"),
        ),
    ),
    "flickr": PresenceRule(
        ("profile", "group"),
        (("/photos/", "profile"), ("/people/", "profile"), ("/groups/", "group")),
    ),
    "blog": PresenceRule(("blog",)),
    "instagram": PresenceRule(("profile",)),
    "mastodon": PresenceRule(("profile",)),
    "bluesky": PresenceRule(("profile",)),
    "threads": PresenceRule(("profile",)),
    "tiktok": PresenceRule(("profile",)),
    "wechat": PresenceRule(("profile",)),
    "weibo": PresenceRule(("profile",)),
}

#: Every form there is, in the order lists show them; an unlisted platform may have any.
PRESENCE_FORMS = ("profile", "page", "group", "channel", "playlist", "blog")

ANY_FORM = PresenceRule(PRESENCE_FORMS)


#: Forms of presence (platform slug, form) whose page shows its name only to those logged in:
#: when the URL names one by its number alone, the editor gives the name (no page is read).
NAMED_BY_THE_EDITOR = frozenset({("linkedin", "group")})


def needs_a_name(platform_slug: str, form: str, handle: str) -> bool:
    """Whether an account must be given a display name: its handle is a number (from a URL
    like linkedin.com/groups/9876543) and its page cannot be read for a name."""
    return (platform_slug, form) in NAMED_BY_THE_EDITOR and handle.isdigit()


def presence_rule(platform_slug: str) -> PresenceRule:
    return PRESENCE_RULES.get(platform_slug, ANY_FORM)


def presence_form(platform_slug: str, url: str, chosen: str = "", personal: bool = False) -> str:
    """An account's form of presence: what its URL says, else the form chosen, else a
    profile for a person's account where the platform has profiles, else the platform's usual
    form. (Validation of a chosen form is SocialAccount.clean's.)"""
    rule = presence_rule(platform_slug)
    if personal and "profile" in rule.forms:
        return rule.form_of(url) or chosen or "profile"
    return rule.form_of(url) or chosen or rule.forms[0]
