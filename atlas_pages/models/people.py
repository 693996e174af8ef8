"""People whose accounts the atlas lists, and their consent to list their own accounts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    Revision,
    TranslatableMixin,
)
from wagtail.search import index

from atlas_pages.models.pages import PostPage
from atlas_pages.models.signals import public_content_changed
from atlas_pages.models.snippets import EditorialSnippet
from atlas_pages.rules import wikidata


class Person(EditorialSnippet, TranslatableMixin):
    """Someone whose accounts the atlas lists: a head of post, a minister, an opted-in employee.

    The default-language row is the person that accounts and the public surfaces point at; its
    translations (simple_translation's "Translate") carry the job title in other languages. The
    other fields are facts of the person, kept equal across translations
    (atlas_pages.editorial.translation).
    """

    class Role(models.TextChoices):
        AMBASSADOR = "ambassador", _("Ambassador")
        CONSUL_GENERAL = "consul_general", _("Consul-general")
        CONSUL = "consul", _("Consul")
        HEAD_OF_POST = "head_of_post", _("Head of post")
        MINISTER = "minister", _("Minister")
        STATE_SECRETARY = "state_secretary", _("State secretary")
        SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
        DIRECTOR_GENERAL = "director_general", _("Director-general")
        DIRECTOR = "director", _("Director")
        EMPLOYEE = "employee", _("Employee")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.OTHER)
    #: In the row's language; a language without a live translation shows the default one.
    job_title = models.CharField(
        _("job title"),
        max_length=250,
        blank=True,
        help_text=_(
            'e.g. "Consul-generaal in Vancouver"; translate the person for other languages.'
        ),
    )
    post = models.ForeignKey(
        PostPage,
        verbose_name=_("post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text=_("Where this person serves; empty for the political and civil-service top."),
    )
    #: Consent to list the person's own (personal) accounts: it stands while given and not
    #: withdrawn. A withdrawal takes effect when it is saved (see save_revision).
    consent_given_at = models.DateField(
        _("consent given on"),
        null=True,
        blank=True,
        help_text=_(
            "The date this person agreed to have their personal accounts listed. Without it, "
            "accounts that speak for the person (not for an office) are not shown. To record "
            "new consent after a withdrawal, enter the new date and clear the withdrawal."
        ),
    )
    consent_withdrawn_at = models.DateField(
        _("consent withdrawn on"),
        null=True,
        blank=True,
        help_text=_(
            "The date the person withdrew consent. Takes effect as soon as you save, without "
            "waiting for review: their personal accounts leave the site and the API at once."
        ),
    )

    #: The term of office. A term has ended from its last day (``term_end``) on: it narrows
    #: what is public as soon as it is saved (see save_revision), and by the passing of the date
    #: alone (the read model applies term_ended itself; the publication generation sees the day
    #: coming, atlas_pages.publication.generation.next_expiry).
    term_start = models.DateField(
        _("term starts on"), null=True, blank=True, help_text=_("The first day in this office.")
    )
    term_end = models.DateField(
        _("term ends on"),
        null=True,
        blank=True,
        help_text=_(
            "The last day in this office. From that day on the person is shown as "
            "“formerly at” the post: their personal accounts leave the post at once (also "
            "from a draft, without waiting for review); the position's accounts stay with the "
            "post. A head of post's ended term puts a handover in the press desk's queue."
        ),
    )
    #: The person's item on Wikidata (proposed by `manage.py propose_wikidata_matches`).
    wikidata_id = models.CharField(
        _("Wikidata id"),
        max_length=20,
        blank=True,
        validators=[wikidata.validate_qid],
        help_text=_("The item on Wikidata, e.g. Q55; empty when unknown."),
    )

    # The admin's form and panels: atlas_pages.editorial.viewsets.
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("job_title"),
        index.FilterField("role"),
        index.FilterField("live"),
        index.FilterField("locale"),
    ]

    @property
    def owning_post(self) -> PostPage | None:
        return self.post

    #: Roles that speak for an office (heads of post, the political and civil-service top):
    #: their accounts are official by default, not personal.
    OFFICE_ROLES = frozenset(
        {
            Role.AMBASSADOR,
            Role.CONSUL_GENERAL,
            Role.CONSUL,
            Role.HEAD_OF_POST,
            Role.MINISTER,
            Role.STATE_SECRETARY,
            Role.SECRETARY_GENERAL,
            Role.DIRECTOR_GENERAL,
        }
    )

    @property
    def holds_office(self) -> bool:
        return self.role in self.OFFICE_ROLES

    #: Roles that head a post: an ended term of one of them is a handover for the press desk
    #: (atlas_pages.editorial.handovers).
    HEAD_OF_POST_ROLES = frozenset(
        {Role.AMBASSADOR, Role.CONSUL_GENERAL, Role.CONSUL, Role.HEAD_OF_POST}
    )

    @property
    def has_consent(self) -> bool:
        return consent_stands(self.consent_given_at, self.consent_withdrawn_at)

    @property
    def term_ended(self) -> bool:
        return term_has_ended(self.term_end)

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        given, withdrawn = self.consent_given_at, self.consent_withdrawn_at
        errors = {}
        for name, moment in (("consent_given_at", given), ("consent_withdrawn_at", withdrawn)):
            if moment and moment > today:
                errors[name] = _("This date is in the future.")
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = _("A term cannot end before it starts.")
        if given is None and withdrawn is not None:
            errors["consent_withdrawn_at"] = _("There is no consent to withdraw: enter its date.")
        elif given and withdrawn and withdrawn < given:
            errors["consent_withdrawn_at"] = _("Consent cannot be withdrawn before it was given.")
        recorded = self._recorded_consent()
        if recorded and self._restores_withdrawn_consent(recorded):
            errors["consent_given_at"] = _(
                "Consent was withdrawn on %(date)s. To record new consent, enter the date it "
                "was given again (on or after the withdrawal)."
            ) % {"date": date_format(recorded[1])}
        if errors:
            raise ValidationError(errors)

    def _recorded_consent(self) -> tuple[date | None, date | None] | None:
        """The consent as stored on the row (the live person's, or the draft's when not live)."""
        if self.pk is None:
            return None
        return (
            Person.objects.filter(pk=self.pk)
            .values_list("consent_given_at", "consent_withdrawn_at")
            .first()
        )

    def _restores_withdrawn_consent(self, recorded: tuple[date | None, date | None]) -> bool:
        """Whether this content would undo the recorded withdrawal without new consent: it
        was written before the withdrawal (an old revision, a scheduled one, a revert)."""
        recorded_given, recorded_withdrawn = recorded
        if recorded_withdrawn is None or self.consent_withdrawn_at is not None:
            return False
        given = self.consent_given_at
        return given is not None and (given == recorded_given or given < recorded_withdrawn)

    def save_revision(self, *args: Any, **kwargs: Any) -> Revision:
        """A withdrawal of consent takes effect on save, not on publish: it must not wait in
        the moderation queue. The stored person (and its translations) take the withdrawal at
        once and the public atlas changes. Giving consent widens what the public sees, so it
        waits for publication like any other change."""
        recorded = self._recorded_consent()
        recorded_end = self._recorded_term_end()
        revision = super().save_revision(*args, **kwargs)
        if self.consent_withdrawn_at and recorded and recorded[1] != self.consent_withdrawn_at:
            withdraw_consent(self)
        if self.term_ended and recorded_end != self.term_end and self.pk is not None:
            end_term(self)
        return revision

    def _recorded_term_end(self) -> date | None:
        """The end of term as stored on the row (the live person's, or the draft's)."""
        if self.pk is None:
            return None
        return Person.objects.filter(pk=self.pk).values_list("term_end", flat=True).first()

    def publish(self, revision: Revision, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        """A revision written before consent was withdrawn (scheduled, or approved late) is
        published with the withdrawal kept: only new consent undoes it. The withdrawal goes
        into a new revision, published in its place; the old one stays as written, so the
        history still shows what was true then."""
        recorded = self._recorded_consent()
        content = revision.as_object()
        if recorded and content._restores_withdrawn_consent(recorded):
            content.consent_withdrawn_at = recorded[1]
            revision = Revision.objects.create(
                content_object=self,
                base_content_type=self.get_base_content_type(),
                user=revision.user,
                approved_go_live_at=revision.approved_go_live_at,
                content=content.serializable_data(),
                object_str=str(content),
            )
        return super().publish(revision, *args, **kwargs)

    def get_preview_template(self, request: HttpRequest, mode_name: str) -> str:
        return "atlas_pages/previews/person.html"

    def __str__(self) -> str:
        return self.name

    class Meta(TranslatableMixin.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id", "locale"],
                condition=~models.Q(wikidata_id=""),
                name="person_wikidata_id_unique",
                violation_error_message=_("Another person has this Wikidata id."),
            )
        ]
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")


def consent_stands(given: date | None, withdrawn: date | None) -> bool:
    """Consent stands while it is given and not withdrawn."""
    return given is not None and withdrawn is None


def term_has_ended(term_end: date | None, today: date | None = None) -> bool:
    """A term has ended on its last day: from ``term_end`` on (today included)."""
    return term_end is not None and term_end <= (today or timezone.localdate())


def end_term(person: Person) -> None:
    """Store an ended term on the person and its translations now, whatever their drafts and
    reviews, and announce it, as a withdrawal of consent is: the person's own accounts leave
    the post on every public surface at once (the read model, publication.public_atlas). Only
    ending narrows; a later or cleared end waits for publication like any other change."""
    Person.objects.filter(translation_key=person.translation_key).update(term_end=person.term_end)
    public_content_changed.send(sender=Person)


def withdraw_consent(person: Person) -> None:
    """Store a withdrawal of consent on the person and its translations now, whatever their
    drafts and reviews, and announce it: the publication layer starts a new generation, and
    personal accounts leave every public surface (site, API, search, counts, the CDN) with it."""
    Person.objects.filter(translation_key=person.translation_key).update(
        consent_withdrawn_at=person.consent_withdrawn_at
    )
    public_content_changed.send(sender=Person)
