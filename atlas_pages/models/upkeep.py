"""Bookkeeping of accounts, not public content: link checks and what their activity last showed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from atlas_pages.models.accounts import SocialAccount


class LinkCheck(models.Model):
    """The latest check of an account's profile URL over HTTP (manage.py check_account_links):
    one row per account, replaced by each run. Bookkeeping, not public content."""

    class Outcome(models.TextChoices):
        OK = "ok", _("OK")
        REDIRECTED = "redirected", _("Redirected")
        BROKEN = "broken", _("Broken")
        UNVERIFIABLE = "unverifiable", _("Unverifiable")

    #: Answers that refuse robots or want a login: they say nothing about the profile.
    WALL_STATUSES = (401, 403, 429, 999)

    account = models.OneToOneField(
        SocialAccount,
        verbose_name=_("account"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="link_check",
    )
    #: The URL as checked (the account's may have changed since).
    url = models.URLField(_("URL checked"), max_length=500)
    checked_at = models.DateTimeField(_("checked at"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    final_url = models.URLField(_("final URL"), max_length=2000, blank=True)
    #: Each redirect followed: [status code, Location].
    redirects = models.JSONField(_("redirects"), default=list, blank=True)
    elapsed = models.FloatField(_("time (s)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    @classmethod
    def broken_condition(cls) -> models.Q:
        """The checks that found the link broken: no answer, or an error status that is not a
        wall (the one place this is decided for lists, filters and counts)."""
        no_answer = ~models.Q(error="") | models.Q(status_code__isnull=True)
        error_status = models.Q(status_code__gte=400) & ~models.Q(status_code__in=cls.WALL_STATUSES)
        return no_answer | error_status

    @property
    def outcome(self) -> LinkCheck.Outcome:
        if self.error or self.status_code is None:
            return self.Outcome.BROKEN
        if self.status_code in self.WALL_STATUSES:
            return self.Outcome.UNVERIFIABLE
        if self.status_code >= 400:
            return self.Outcome.BROKEN
        if not self.account.platform.link_check_conclusive:
            return self.Outcome.UNVERIFIABLE
        return self.Outcome.REDIRECTED if self.redirects else self.Outcome.OK

    def __str__(self) -> str:
        detail = self.error or self.status_code
        return f"{self.outcome.label} ({detail})"

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")


class AccountActivity(models.Model):
    """What an account posted lately and how many follow it, as last read from its platform's
    open source (atlas_pages.outbound.activity). Fetched text is stored as plain text only."""

    account = models.OneToOneField(
        SocialAccount, on_delete=models.CASCADE, related_name="activity", primary_key=True
    )
    follower_count = models.PositiveBigIntegerField(null=True, blank=True)
    #: When the posts and follower count were last read successfully.
    fetched_at = models.DateTimeField(null=True, blank=True)
    #: When the source was last asked (also when it failed or answered "not modified").
    checked_at = models.DateTimeField(null=True, blank=True)
    #: The latest posts, newest first: [{"text": ..., "url": ..., "published_at": ISO 8601}].
    posts = models.JSONField(default=list, blank=True)
    #: Conditional-request validators per URL asked: {url: {"etag": ..., "last_modified": ...}}.
    validators = models.JSONField(default=dict, blank=True)
    #: Found once and kept: the feed URL (autodiscovery), the Mastodon account id...
    source_ref = models.CharField(max_length=500, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.account}"

    class Meta:
        verbose_name = _("account activity")
        verbose_name_plural = _("account activity")


class FollowerCount(models.Model):
    """An account's follower count on one day, as read from its platform's open source: one
    point per day at most (the day's last reading), so growth can be plotted. Forgotten with
    the rest of an account's activity (a withdrawal of consent deletes it)."""

    account = models.ForeignKey(
        SocialAccount, on_delete=models.CASCADE, related_name="follower_counts"
    )
    day = models.DateField()
    count = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return f"{self.account}: {self.count} on {self.day}"

    class Meta:
        verbose_name = _("follower count")
        verbose_name_plural = _("follower counts")
        ordering = ["account", "day"]
        constraints = [
            models.UniqueConstraint(fields=["account", "day"], name="one_follower_count_a_day")
        ]
