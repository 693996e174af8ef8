"""The changes log: snapshots of the public atlas per generation and the changes between them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicSnapshot(models.Model):
    """What the public atlas held at one publication generation: each public account, person
    and post per language with a fingerprint of what the public sees of it. The changes feed
    (atlas_pages.publication.changes) diffs each new generation against the snapshot before it.

    The snapshots form one chain: each names the generation it was diffed against, and that is
    unique, so two processes recording the same step at once cannot both succeed."""

    generation = models.BigIntegerField(unique=True)
    #: The generation this one was diffed against; 0 for the first (the baseline).
    previous_generation = models.BigIntegerField(unique=True)
    taken_at = models.DateTimeField()
    #: {language: {"account:12": fingerprint, ...}}; emptied once a later snapshot exists.
    fingerprints = models.JSONField(default=dict)
    #: Its change rows carry the public content of what was added or changed (and so do all
    #: later ones): the first such snapshot is where the history (publication.history) begins.
    contents = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.generation}"


class PublicChange(models.Model):
    """One public account, person or post added, changed or removed (in one language) from
    one publication generation to the next: the changes feed's rows."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("account")
        PERSON = "person", _("person")
        POST = "post", _("post")

    class Action(models.TextChoices):
        ADDED = "added", _("added")
        CHANGED = "changed", _("changed")
        REMOVED = "removed", _("removed")

    generation = models.BigIntegerField()
    language = models.CharField(max_length=8)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField()
    #: For an addition or change: the object as the public API showed it, in the compact JSON
    #: form of atlas_pages.publication.history; None for a removal (and for rows recorded
    #: before the history began).
    content = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.action}"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "language", "kind", "object_id"],
                name="one_change_per_object_and_generation",
            )
        ]
        indexes = [models.Index(fields=["language", "at"], name="change_language_at")]
