"""A yearly attestation per post: an editor with rights for the post confirms "these are all our
accounts" (who, when), with the accounts the post listed at that moment as the record of what
was attested. Every attestation is kept (the history); the current one is the latest younger
than ATLAS_ATTESTATION_MAX_AGE_DAYS (a year). Kept on the post's default-language page, as
confirmations of "none" are. Editorial bookkeeping: no public surface reads it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas_pages.models.pages import PostPage


def attestation_max_age() -> timedelta:
    """How long an attestation holds (ATLAS_ATTESTATION_MAX_AGE_DAYS)."""
    return timedelta(days=settings.ATLAS_ATTESTATION_MAX_AGE_DAYS)


class Attestation(models.Model):
    """An editor's word that the post's accounts listed at `attested_at` are all its accounts."""

    post = models.ForeignKey(
        PostPage, verbose_name=_("post"), on_delete=models.CASCADE, related_name="attestations"
    )
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attested_at = models.DateTimeField(_("attested at"), db_index=True)
    #: The addresses of the accounts that listed the post at that moment, as attested.
    accounts = models.JSONField(_("accounts"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    @classmethod
    def valid_since(cls, now: datetime | None = None) -> datetime:
        """Attestations made after this moment are current."""
        return (now or timezone.now()) - attestation_max_age()

    @property
    def expired(self) -> bool:
        return self.attested_at <= self.valid_since()

    def __str__(self) -> str:
        return f"{self.post}: {self.attested_at:%Y-%m-%d}"

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ["-attested_at", "-pk"]
        indexes = [models.Index(fields=["post", "-attested_at"], name="attestation_post_latest")]
