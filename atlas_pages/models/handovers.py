"""Handovers: when a head of post's term ends, the press desk hands the post over. The task
itself is computed from the people (an ended head-of-post term, atlas_pages.editorial.handovers);
this record says it was carried out (who, when, to whom), so it leaves the queue. Editorial
bookkeeping: no public surface reads it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atlas_pages.models.people import Person


class Handover(models.Model):
    """A handover carried out: the departing person's term (the end it was carried out for),
    the successor chosen, and who did it when. A new end of term (a later term ended) is a new
    task."""

    person = models.ForeignKey(
        Person, verbose_name=_("departing person"), on_delete=models.CASCADE, related_name="+"
    )
    #: The end of term the handover was for.
    term_end = models.DateField(_("term ended on"))
    successor = models.ForeignKey(
        Person,
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.person}: {self.term_end:%Y-%m-%d}"

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-handled_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "term_end"], name="handover_once_per_term")
        ]
