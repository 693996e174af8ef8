"""The page tree AtlasPage > CountryPage > PostPage that places the atlas on the map."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail import hooks
from wagtail.fields import RichTextField
from wagtail.models import (
    Locale,
    Page,
)
from wagtail.search import index

from atlas_pages.models import panels
from atlas_pages.models.contacts import ContactMixin
from atlas_pages.models.publishing import PublishedInOneTransaction
from atlas_pages.rules import places, wikidata


class LocatedMixin(models.Model):
    """A place on the map, edited with the geo widget and kept as typed coordinates."""

    #: The geo widget's value, "SRID=4326;POINT(lng lat)"; lat/lng below are derived from it.
    location = models.CharField(_("location"), max_length=250, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True, editable=False)
    lng = models.FloatField(_("longitude"), null=True, blank=True, editable=False)

    def sync_coordinates(self) -> None:
        """Derive the typed coordinates from the widget's value: the one place this happens."""
        point = places.parse_point(self.location)
        self.lat, self.lng = point if point else (None, None)

    def clean(self) -> None:
        super().clean()
        try:
            self.sync_coordinates()
        except ValueError as error:
            raise ValidationError({"location": str(error)}) from error

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sync_coordinates()
        super().save(*args, **kwargs)

    class Meta:
        abstract = True


class WikidataMixin(models.Model):
    """The page's item on Wikidata (a QID), one per item and language: proposed by
    `manage.py propose_wikidata_matches`, confirmed by an editor."""

    wikidata_id = models.CharField(
        _("Wikidata id"),
        max_length=20,
        blank=True,
        db_index=True,
        validators=[wikidata.validate_qid],
        help_text=_("The item on Wikidata, e.g. Q55; empty when unknown."),
    )

    def clean(self) -> None:
        super().clean()
        if not self.wikidata_id:
            return
        duplicate = (
            type(self)
            .objects.filter(wikidata_id=self.wikidata_id, locale_id=self.locale_id)
            .exclude(pk=self.pk)
            .first()
        )
        if duplicate is not None:
            raise ValidationError(
                {
                    "wikidata_id": _("%(qid)s is the Wikidata id of “%(other)s” already.")
                    % {"qid": self.wikidata_id, "other": duplicate.title}
                }
            )

    class Meta:
        abstract = True


class PageContextHooksMixin:
    """The page's template context, completed by the ``construct_page_context`` hooks
    (atlas_pages.site.page_contexts): what the site shows is read there, not in the models."""

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        for construct in hooks.get_hooks("construct_page_context"):
            construct(self, request, context)
        return context


class AtlasPage(PublishedInOneTransaction, PageContextHooksMixin, Page):
    """The atlas's home: the world map. One per site and language, directly under the root."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + ["intro"]
    search_fields = Page.search_fields

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["atlas_pages.CountryPage"]

    @classmethod
    def can_create_at(cls, parent: Page) -> bool:
        # One atlas per content language: more would split the map.
        return (
            super().can_create_at(parent)
            and parent.is_root()
            and cls.objects.count() < Locale.objects.count()
        )

    class Meta:
        verbose_name = _("atlas")


class CountryPage(
    PublishedInOneTransaction, PageContextHooksMixin, LocatedMixin, WikidataMixin, Page
):
    """One country where the ministry is present, with its centroid for the map."""

    iso_code = CountryField(
        _("ISO code"),
        help_text=_("ISO 3166-1 alpha-2 code, e.g. JP for Japan."),
    )
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    # The admin's form (title and slug from the ISO code): set by AtlasPagesConfig.ready().
    content_panels = Page.content_panels + [
        "iso_code",
        panels.wikidata("wikidata_id"),
        panels.location("location", heading=_("Centroid")),
        "intro",
    ]
    search_fields = Page.search_fields + [
        index.SearchField("iso_code"),
        index.FilterField("iso_code"),
    ]

    parent_page_types = ["atlas_pages.AtlasPage"]
    subpage_types = ["atlas_pages.PostPage"]

    @property
    def name(self) -> str:
        return self.title

    def clean(self) -> None:
        # One page per country and language (the locale lives on Page, so no DB constraint).
        super().clean()
        duplicate = CountryPage.objects.filter(
            iso_code=self.iso_code, locale_id=self.locale_id
        ).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError(
                {
                    "iso_code": _("The country %(code)s already has a page.")
                    % {"code": self.iso_code}
                }
            )

    class Meta:
        verbose_name = _("country")


class PostPage(
    PublishedInOneTransaction,
    PageContextHooksMixin,
    LocatedMixin,
    WikidataMixin,
    ContactMixin,
    Page,
):
    """A diplomatic post abroad, or a directorate or project group of the ministry at home."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        CONSULATE_GENERAL = "consulate_general", _("Consulate-general")
        CONSULATE = "consulate", _("Consulate")
        HONORARY_CONSULATE = "honorary_consulate", _("Honorary consulate")
        PERMANENT_REPRESENTATION = "permanent_representation", _("Permanent representation")
        DIRECTORATE = "directorate", _("Directorate")
        PROJECT_GROUP = "project_group", _("Project group")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.EMBASSY)
    city = models.CharField(_("city"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    website = models.URLField(_("website"), blank=True)
    #: The parent country, kept in step with the tree on every save (also on a move), so that
    #: lists and filters join on it instead of walking the tree per object.
    country = models.ForeignKey(
        CountryPage,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="post_pages",
    )

    content_panels = Page.content_panels + [
        panels.field_row(["kind", "city"]),
        panels.multi_field(
            [
                "address",
                panels.location("location", address_field="address", heading=_("Location")),
            ],
            heading=_("Address and location"),
        ),
        "website",
        panels.wikidata("wikidata_id"),
        panels.multi_field(
            ["contact_user", "contact_email"],
            heading=_("Contact for reviews"),
            help_text=panels.CONTACT_HELP,
        ),
        panels.post_desk(heading=_("Accounts and people")),
        panels.post_coverage(heading=_("Platforms checked")),
        panels.post_attestation(heading=_("Attestation")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("city"),
        index.AutocompleteField("city"),
        index.FilterField("kind"),
    ]

    parent_page_types = ["atlas_pages.CountryPage"]
    subpage_types = []

    @property
    def name(self) -> str:
        return self.title

    def sync_country(self) -> None:
        """Point `country` at the parent CountryPage (the one place this is derived)."""
        if self.path:
            parent_path = self.path[: -self.steplen]
            self.country = CountryPage.objects.filter(path=parent_path).first()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sync_country()
        super().save(*args, **kwargs)

    def with_content_json(self, content: dict[str, Any]) -> PostPage:
        return self.keep_contact(super().with_content_json(content))

    class Meta:
        verbose_name = _("post")
