"""Platforms: the social-media networks (and kinds of channel, such as blogs) accounts live on."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from atlas_pages.rules import pasted, profile_urls


class Platform(models.Model):
    """A social-media platform (or kind of channel, such as a blog) that accounts live on."""

    class ActivitySource(models.TextChoices):
        """Where the atlas reads an account's latest posts and follower count: open,
        documented sources only (atlas_pages.outbound.activity)."""

        NONE = "", _("None: no open source (the site shows no posts)")
        MASTODON = "mastodon", _("Mastodon API")
        BLUESKY = "bluesky", _("Bluesky public AppView")
        YOUTUBE = "youtube", _("YouTube channel feed")
        FEED = "feed", _("RSS or Atom feed, found from the profile page")

    slug = models.SlugField(
        unique=True, help_text=_("Stable key used by the API and icons, e.g. 'twitter'.")
    )
    name = models.CharField(max_length=100)
    #: Host names of the platform's profile URLs, the canonical one first. Empty: any host
    #: (blogs and websites live anywhere).
    hosts = models.TextField(
        blank=True,
        help_text=_(
            "Host names of profile URLs, one per line, the canonical one first "
            "(e.g. x.com, twitter.com). Leave empty to accept any host."
        ),
    )
    profile_path = models.CharField(
        _("profile shape"),
        max_length=100,
        blank=True,
        help_text=_(
            "The path of a profile URL with {handle} for the name, e.g. /@{handle} or "
            "/profile/{handle}. Leave empty to accept any path. With no hosts above (a "
            "federated network such as Mastodon), any server whose URL has this shape is "
            "accepted."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    #: Some platforms answer a missing profile with a 200, a login wall or a refusal of
    #: robots: a link check there cannot tell a live profile from a gone one.
    link_check_conclusive = models.BooleanField(
        _("link check is conclusive"),
        default=True,
        help_text=_(
            "Clear this when the platform answers a missing profile with a page that looks "
            "fine (200, a login wall): its link checks are then shown as unverifiable."
        ),
    )

    activity_source = models.CharField(
        _("source of posts and followers"),
        max_length=20,
        choices=ActivitySource.choices,
        blank=True,
        help_text=_(
            "Where the atlas reads each account's latest posts and follower count. Platforms "
            "without an open, documented source (X, Facebook, LinkedIn, Instagram) have none: "
            "the site then shows nothing rather than a guess."
        ),
    )

    @property
    def host_list(self) -> list[str]:
        return profile_urls.parse_hosts(self.hosts)

    def profile_url(self, url: str) -> str:
        """The URL as its profile's address under this platform's rules (a post's, a tab's or a
        subdomain's URL: the profile's; rules.pasted); a ValueError when it names no profile."""
        return pasted.profile_url(url, self.slug, self.name, self.host_list)

    def normalise(self, url: str) -> str:
        """The account URL's lookup key (profile_urls.normalise_profile_url) under this platform's
        rules, the same for every spelling of the profile; a ValueError when the URL is not one
        of its profiles."""
        return profile_urls.normalise_profile_url(
            self.profile_url(url), self.host_list, self.profile_path
        )

    def handle_from(self, url: str) -> str:
        try:
            url = self.profile_url(url)
        except ValueError:
            pass  # the URL's own last segment, as before; its refusal is the URL's error
        return profile_urls.handle_from_url(url, self.profile_path)

    @property
    def is_federated(self) -> bool:
        """A network of servers (Mastodon): no hosts of its own, a profile shape on each."""
        return not self.host_list and bool(self.profile_path)

    @classmethod
    def known_servers(cls) -> dict[str, str]:
        """Hosts known to run a federated platform -> its slug: those the identity check
        recognised by their own API (KnownServer) and the hosts of accounts an editor filed
        under it. No other host is taken for it, whatever the shape of its paths."""
        federated = cls.objects.filter(hosts="").exclude(profile_path="")
        servers = dict(
            federated.filter(accounts__isnull=False).values_list("accounts__url", "slug")
        )
        found = {host: slug for url, slug in servers.items() if (host := profile_urls.host_of(url))}
        # What a server says of itself wins over an editor's filing.
        found.update(federated.filter(servers__isnull=False).values_list("servers__host", "slug"))
        return found

    @classmethod
    def resolve(
        cls, text: str, platforms: Iterable[Platform] | None = None
    ) -> tuple[str, Platform | None]:
        """What an editor pasted as an account's address (rules.pasted): the profile's URL (a
        post's or a tab's URL gives its profile's) and its platform, None when the address does
        not tell it (a blog, a server not known to be federated). A pasted.Refused (a
        ValueError) says why a text names no profile."""
        platforms = list(cls.objects.all() if platforms is None else platforms)
        directory = pasted.Directory.of(
            [(platform.slug, platform.name, platform.host_list) for platform in platforms],
            cls.known_servers(),
        )
        found = pasted.parse(text, directory)
        if found.handle:
            raise pasted.Refused(
                _("A handle alone is no address: paste the profile's URL, e.g. %(example)s.")
                % {"example": profile_urls.EXAMPLE_URL}
            )
        by_slug = {platform.slug: platform for platform in platforms}
        return found.url, by_slug.get(found.platform)

    def clean(self) -> None:
        self.hosts = "\n".join(self.host_list)
        if self.profile_path and "{handle}" not in self.profile_path:
            raise ValidationError({"profile_path": _("Put {handle} where the name goes.")})
        if self.profile_path and not self.profile_path.startswith("/"):
            self.profile_path = "/" + self.profile_path

    def __str__(self) -> str:
        return self.name

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
