"""What the atlas knows about each post × platform cell: an account listed there, "confirmed
none" (an editor checked: the post has no account on that platform), or unknown.

The cells are one definition (``coverage_platforms``), used by the coverage report, the post's
edit view, the public read model and the API: every platform of the atlas. Platform has no
"expected" or "active" flag, so each platform counts for each post.

A confirmation holds as long as a review of an account does (ATLAS_REVIEW_MAX_AGE_DAYS, about
six months): then the cell is unknown again until someone checks anew.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atlas_pages.models.pages import PostPage
from atlas_pages.models.platforms import Platform


def review_max_age() -> timedelta:
    """How long a review, or a confirmation of "none", holds (ATLAS_REVIEW_MAX_AGE_DAYS)."""
    return timedelta(days=settings.ATLAS_REVIEW_MAX_AGE_DAYS)


def coverage_platforms() -> QuerySet[Platform]:
    """The platforms that make a post's cells: all of them, in the platforms' order."""
    return Platform.objects.order_by("sort_order", "name", "pk")


class ConfirmedNone(models.Model):
    """An editor's confirmation that a post has no account on a platform (checked, not
    assumed). Kept on the post's default-language page; an account listed there since wins."""

    post = models.ForeignKey(
        PostPage, verbose_name=_("post"), on_delete=models.CASCADE, related_name="confirmed_none"
    )
    platform = models.ForeignKey(
        Platform,
        verbose_name=_("platform"),
        on_delete=models.CASCADE,
        related_name="confirmed_none",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    @classmethod
    def valid_since(cls, now: datetime | None = None) -> datetime:
        """Confirmations made after this moment still hold."""
        return (now or timezone.now()) - review_max_age()

    @property
    def expired(self) -> bool:
        return self.confirmed_at <= self.valid_since()

    def __str__(self) -> str:
        return f"{self.post}: no {self.platform}"

    class Meta:
        verbose_name = _("confirmed none")
        verbose_name_plural = _("confirmed none")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "platform"], name="one_confirmed_none_per_post_platform"
            )
        ]
