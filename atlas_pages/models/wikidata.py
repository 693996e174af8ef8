"""Wikidata's side of the atlas: items proposed as the Wikidata id of a country, post or person
(`manage.py propose_wikidata_matches`; an editor confirms or rejects them, Reports › Wikidata
matches), and the account claims last read from the items (`manage.py wikidata_report`), from
which the report of leads, stale claims and QuickStatements is made. Bookkeeping of the press
desk: never shown to the public as such (the report's corrections state only public data)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atlas_pages.rules import wikidata


class WikidataProposal(models.Model):
    """One candidate item for one country, post or person, with its score and the decision."""

    class Subject(models.TextChoices):
        COUNTRY = "country", _("Country")
        POST = "post", _("Post")
        PERSON = "person", _("Person")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    subject = models.CharField(_("subject"), max_length=16, choices=Subject.choices)
    #: The page's id (country, post) or the person's, in the default language.
    object_id = models.PositiveIntegerField()
    qid = models.CharField(_("Wikidata id"), max_length=20, validators=[wikidata.validate_qid])
    label = models.CharField(_("label"), max_length=300, blank=True)
    score = models.PositiveSmallIntegerField(_("score"))
    #: What counted: "country", "type", "name", "1.2 km", "position", …
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    proposed_at = models.DateTimeField(_("proposed at"))
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

    @property
    def item_url(self) -> str:
        return wikidata.item_url(self.qid)

    def __str__(self) -> str:
        return f"{self.subject} {self.object_id}: {self.qid}"

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("Wikidata match")
        verbose_name_plural = _("Wikidata matches")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "object_id", "qid"], name="wikidata_proposal_once"
            )
        ]


class WikidataClaim(models.Model):
    """One account claim (X username, Facebook ID, …) of an item with a Wikidata id in the
    atlas, as last read; the claims of an item read again replace its old ones."""

    qid = models.CharField(_("Wikidata id"), max_length=20, db_index=True)
    pid = models.CharField(_("property"), max_length=12)
    value = models.CharField(_("value"), max_length=300)
    fetched_at = models.DateTimeField(_("read at"))

    def __str__(self) -> str:
        return f"{self.qid}|{self.pid}|{self.value}"

    class Meta:
        ordering = ["qid", "pid", "value"]
        verbose_name = _("Wikidata claim")
        verbose_name_plural = _("Wikidata claims")
        constraints = [
            models.UniqueConstraint(fields=["qid", "pid", "value"], name="wikidata_claim_once")
        ]
