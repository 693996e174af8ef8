"""Leads: profiles on a social-media platform that a post's official website or one of the
ministry's central pages links to, or that the Wikidata item of a post or person claims, and
that the atlas does not list (atlas_pages.outbound.leads and .wikidata find them). The press
desk accepts a lead (a draft account, moderated as usual) or rejects it; a rejected profile is
remembered and never returns as a lead. Bookkeeping of the press desk: never shown to the
public."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atlas_pages.models.pages import PostPage
from atlas_pages.models.platforms import Platform


class Lead(models.Model):
    """One profile found and not listed: where it was found, and the press desk's decision."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="+"
    )
    #: The profile's address as the platform's rules read the link (rules.pasted).
    url = models.URLField(_("profile URL"), max_length=500)
    #: The lookup key (Platform.normalise), as an account's normalized_url: one lead per profile.
    normalized_url = models.CharField(max_length=500, unique=True, editable=False)
    handle = models.CharField(_("handle"), max_length=200, blank=True)
    #: The page that links to it, or the Wikidata item that claims it (the last one seen).
    found_on = models.URLField(_("found on"), max_length=500)
    #: The post whose website links to it; none for the ministry's central pages.
    post = models.ForeignKey(
        PostPage,
        verbose_name=_("post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
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
        ordering = ["-first_seen_at", "pk"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
