"""Trust in an account beyond its address: who is behind it on the platform (its identity, and
what the scheduled identity check last saw), how it was confirmed (evidence), the servers known
to be federated, and addresses reported or confirmed as impersonators. Bookkeeping of the press
desk, not revision content: a check or a confirmation never waits for moderation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atlas_pages.models.accounts import SocialAccount
from atlas_pages.models.platforms import Platform


class AccountIdentity(models.Model):
    """What the identity check (atlas_pages.outbound.identity) last read of an account's
    platform identity: one row per account. The identity first seen is trusted unless the editor
    entered one (SocialAccount.platform_identity, which wins); a different identity at the
    same address later is a takeover, the known identity at another address a rename."""

    class Source(models.TextChoices):
        MASTODON = "mastodon", _("Mastodon API")
        BLUESKY = "bluesky", _("Bluesky handle resolution")
        YOUTUBE = "youtube", _("YouTube channel page")
        FEED = "feed", _("RSS or Atom feed")
        EDITOR = "editor", _("Entered by an editor")

    account = models.OneToOneField(
        SocialAccount,
        verbose_name=_("account"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="identity_record",
    )
    #: The platform's stable id: a YouTube channel id (UC...), a Bluesky DID, a Mastodon
    #: account URI, a feed's id.
    identity = models.CharField(_("identity"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), null=True, blank=True)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    #: Where the platform says the account went (Mastodon's `moved`; the known identity found
    #: under another handle): a rename to prepare for the press desk.
    moved_to = models.URLField(_("moved to"), max_length=500, blank=True)
    #: A different identity answered at the account's address: it changed hands. While set,
    #: no public surface calls the address official (a narrowing: at once, no moderation).
    takeover_at = models.DateTimeField(_("taken over (detected)"), null=True, blank=True)
    takeover_identity = models.CharField(_("identity found instead"), max_length=500, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    def __str__(self) -> str:
        return self.identity or str(_("unknown"))

    class Meta:
        verbose_name = _("account identity")
        verbose_name_plural = _("account identities")


class AccountEvidence(models.Model):
    """One way an account was confirmed as the ministry's: its latest confirmation per kind."""

    class Kind(models.TextChoices):
        SITE_LINK = "site_link", _("Linked from the post's official website")
        REL_ME = "rel_me", _("Links back to the atlas (rel=me)")
        PLATFORM_VERIFIED = "platform_verified", _("Verified by the platform")
        EDITOR = "editor", _("Confirmed by an editor")

    account = models.ForeignKey(
        SocialAccount,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    #: What was seen: the page that links to the account (its host is shown), the atlas page
    #: the profile links back to, the platform's badge.
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.confirmed_at:%Y-%m-%d})"

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(fields=["account", "kind"], name="one_evidence_per_kind")
        ]


class KnownServer(models.Model):
    """A host known to run a federated platform: recognised by its own API (the identity check
    asks a Mastodon server) or said by an editor (an account filed there under that platform).
    A path of the shape /@name on any other host is not taken for that platform."""

    host = models.CharField(_("host"), max_length=253, unique=True)
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="servers"
    )
    #: What the server said it runs (e.g. "mastodon 4.3.1"); empty when an editor said so.
    software = models.CharField(_("software"), max_length=100, blank=True)
    recognised_at = models.DateTimeField(_("recognised at"))

    def __str__(self) -> str:
        return self.host

    class Meta:
        verbose_name = _("known server")
        verbose_name_plural = _("known servers")


class ImpersonatorReport(models.Model):
    """A visitor's report of an address that pretends to be official, and the press desk's
    verdict. Confirmed ones are stated publicly (the verify page, the API, the open data): the
    public statement platforms ask for. Holds no personal data of the reporter."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONFIRMED = "confirmed", _("Confirmed impersonator")
        DISMISSED = "dismissed", _("Dismissed")

    platform = models.ForeignKey(
        Platform,
        verbose_name=_("platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.CharField(_("address"), max_length=2000)
    #: The address in the form lookups compare (profile_urls), for grouping and lookups.
    normalized_url = models.CharField(max_length=2000, db_index=True, editable=False)
    reason = models.TextField(_("why it pretends to be official"), max_length=2000)
    #: The visitor's language, for the press desk's reading.
    language = models.CharField(_("language"), max_length=8, blank=True)
    reported_at = models.DateTimeField(_("reported at"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    #: The official account it pretends to be (set when confirmed).
    impersonates = models.ForeignKey(
        SocialAccount,
        verbose_name=_("pretends to be"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="impersonator_reports",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return self.url

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("impersonator report")
        verbose_name_plural = _("impersonator reports")
