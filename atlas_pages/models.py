"""The atlas's content: platforms, people and accounts (snippets), and the page tree
AtlasPage > CountryPage > PostPage that places them on the map."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PublishingPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    Locale,
    LockableMixin,
    Page,
    PreviewableMixin,
    Revision,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from atlas_pages import rights, services
from atlas_pages.panels import AccountUpkeepPanel, LocationPanel, PostDeskPanel


class Platform(models.Model):
    """A social-media platform (or kind of channel, such as a blog) that accounts live on."""

    class ActivitySource(models.TextChoices):
        """Where the atlas reads an account's latest posts and follower count: open,
        documented sources only (atlas_pages.activity)."""

        NONE = "", _("None: no open source (the site shows no posts)")
        MASTODON = "mastodon", _("Mastodon API")
        BLUESKY = "bluesky", _("Bluesky public AppView")
        YOUTUBE = "youtube", _("YouTube channel feed")
        FEED = "feed", _("RSS or Atom feed, found from the profile page")

    slug = models.SlugField(
        unique=True, help_text=_("Stable key used by the API and icons, e.g. 'twitter'.")
    )
    name = models.CharField(max_length=100)
    #: Host names of the platform's profile URLs, the canonical one first. Empty: any host
    #: (blogs and websites live anywhere).
    hosts = models.TextField(
        blank=True,
        help_text=_(
            "Host names of profile URLs, one per line, the canonical one first "
            "(e.g. x.com, twitter.com). Leave empty to accept any host."
        ),
    )
    profile_path = models.CharField(
        _("profile shape"),
        max_length=100,
        blank=True,
        help_text=_(
            "The path of a profile URL with {handle} for the name, e.g. /@{handle} or "
            "/profile/{handle}. Leave empty to accept any path. With no hosts above (a "
            "federated network such as Mastodon), any server whose URL has this shape is "
            "accepted."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    #: Some platforms answer a missing profile with a 200, a login wall or a refusal of
    #: robots: a link check there cannot tell a live profile from a gone one.
    link_check_conclusive = models.BooleanField(
        _("link check is conclusive"),
        default=True,
        help_text=_(
            "Clear this when the platform answers a missing profile with a page that looks "
            "fine (200, a login wall): its link checks are then shown as unverifiable."
        ),
    )

    activity_source = models.CharField(
        _("source of posts and followers"),
        max_length=20,
        choices=ActivitySource.choices,
        blank=True,
        help_text=_(
            "Where the atlas reads each account's latest posts and follower count. Platforms "
            "without an open, documented source (X, Facebook, LinkedIn, Instagram) have none: "
            "the site then shows nothing rather than a guess."
        ),
    )

    panels = [
        "name",
        "slug",
        "hosts",
        "profile_path",
        "sort_order",
        "link_check_conclusive",
        "activity_source",
    ]

    @property
    def host_list(self) -> list[str]:
        return services.parse_hosts(self.hosts)

    def normalise(self, url: str) -> str:
        """The account URL's lookup key (services.normalise_profile_url) under this platform's
        rules; a ValueError when the URL is not one of its profiles."""
        return services.normalise_profile_url(url, self.host_list, self.profile_path)

    def handle_from(self, url: str) -> str:
        return services.handle_from_url(url, self.profile_path)

    def clean(self) -> None:
        self.hosts = "\n".join(self.host_list)
        if self.profile_path and "{handle}" not in self.profile_path:
            raise ValidationError({"profile_path": _("Put {handle} where the name goes.")})
        if self.profile_path and not self.profile_path.startswith("/"):
            self.profile_path = "/" + self.profile_path

    def __str__(self) -> str:
        return self.name

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")


class LocatedMixin(models.Model):
    """A place on the map, edited with the geo widget and kept as typed coordinates."""

    #: The geo widget's value, "SRID=4326;POINT(lng lat)"; lat/lng below are derived from it.
    location = models.CharField(_("location"), max_length=250, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True, editable=False)
    lng = models.FloatField(_("longitude"), null=True, blank=True, editable=False)

    def sync_coordinates(self) -> None:
        """Derive the typed coordinates from the widget's value: the one place this happens."""
        point = services.parse_point(self.location)
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


class PageContextHooksMixin:
    """The page's template context, completed by the ``construct_page_context`` hooks
    (atlas_pages.page_contexts): what the site shows is read there, not in the models."""

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        for construct in hooks.get_hooks("construct_page_context"):
            construct(self, request, context)
        return context


class AtlasPage(PageContextHooksMixin, Page):
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


class CountryPageForm(WagtailAdminPageForm):
    """Title and slug may be left empty: the country's ISO name in the page's language is used."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the country's standard name.")
        self.fields["slug"].required = False

    def clean(self) -> dict[str, Any]:
        iso_code = self.cleaned_data.get("iso_code")
        if iso_code and not self.cleaned_data.get("title"):
            language = self.instance.locale.language_code if self.instance.locale_id else None
            self.cleaned_data["title"] = services.country_name(iso_code, language)
        if self.cleaned_data.get("title") and not self.cleaned_data.get("slug"):
            self.cleaned_data["slug"] = slugify(self.cleaned_data["title"])
        return super().clean()


class CountryPage(PageContextHooksMixin, LocatedMixin, Page):
    """One country where the ministry is present, with its centroid for the map."""

    iso_code = CountryField(
        _("ISO code"),
        help_text=_("ISO 3166-1 alpha-2 code, e.g. JP for Japan."),
    )
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    base_form_class = CountryPageForm
    content_panels = Page.content_panels + [
        "iso_code",
        LocationPanel("location", heading=_("Centroid")),
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


class PostPage(PageContextHooksMixin, LocatedMixin, Page):
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
        FieldRowPanel(["kind", "city"]),
        MultiFieldPanel(
            [
                "address",
                LocationPanel("location", address_field="address", heading=_("Location")),
            ],
            heading=_("Address and location"),
        ),
        "website",
        PostDeskPanel(heading=_("Accounts and people")),
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

    class Meta:
        verbose_name = _("post")


class EditorialSnippet(
    PreviewableMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    models.Model,
):
    """A snippet that goes through the press workflow like a page: drafts, revisions,
    locking, scheduled publishing, moderation and a preview."""

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="%(class)s")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="%(class)s",
        for_concrete_model=False,
    )

    @property
    def revisions(self) -> models.Manager[Revision]:
        return self._revisions

    @property
    def owning_post(self) -> PostPage | None:
        """The post whose editors may work on this object (atlas_pages.rights)."""
        raise NotImplementedError

    @property
    def approved_schedule(self) -> bool:
        # Annotated by pressdesk.with_editorial_state on lists, as Wagtail does for pages.
        if hasattr(self, "_approved_schedule"):
            return self._approved_schedule
        return super().approved_schedule

    class Meta:
        abstract = True


class PersonForm(WagtailAdminModelForm):
    """A press officer of one country chooses among that country's posts only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rights.limit_owner_choices(self, self.for_user)


class Person(EditorialSnippet, TranslatableMixin):
    """Someone whose accounts the atlas lists: a head of post, a minister, an opted-in employee.

    The default-language row is the person that accounts and the public surfaces point at; its
    translations (simple_translation's "Translate") carry the job title in other languages. The
    other fields are facts of the person, kept equal across translations (atlas_pages.translation).
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

    base_form_class = PersonForm
    panels = [
        "name",
        "role",
        "job_title",
        # Required for press officers of one country also on a draft (atlas_pages.rights).
        FieldPanel("post", required_on_save=True),
        MultiFieldPanel(
            [FieldRowPanel(["consent_given_at", "consent_withdrawn_at"])],
            heading=_("Consent to list personal accounts"),
        ),
        PublishingPanel(),
    ]
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

    @property
    def has_consent(self) -> bool:
        return consent_stands(self.consent_given_at, self.consent_withdrawn_at)

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        given, withdrawn = self.consent_given_at, self.consent_withdrawn_at
        errors = {}
        for name, moment in (("consent_given_at", given), ("consent_withdrawn_at", withdrawn)):
            if moment and moment > today:
                errors[name] = _("This date is in the future.")
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
        revision = super().save_revision(*args, **kwargs)
        if self.consent_withdrawn_at and recorded and recorded[1] != self.consent_withdrawn_at:
            withdraw_consent(self)
        return revision

    def publish(self, revision: Revision, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        """A revision written before consent was withdrawn (scheduled, or approved late) is
        published with the withdrawal kept: only new consent undoes it."""
        recorded = self._recorded_consent()
        content = revision.as_object()
        if recorded and content._restores_withdrawn_consent(recorded):
            content.consent_withdrawn_at = recorded[1]
            revision.content = content.serializable_data()
            revision.save(update_fields=["content"])
        return super().publish(revision, *args, **kwargs)

    def get_preview_template(self, request: HttpRequest, mode_name: str) -> str:
        return "atlas_pages/previews/person.html"

    def __str__(self) -> str:
        return self.name

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")


def consent_stands(given: date | None, withdrawn: date | None) -> bool:
    """Consent stands while it is given and not withdrawn."""
    return given is not None and withdrawn is None


def withdraw_consent(person: Person) -> None:
    """Store a withdrawal of consent on the person and its translations now, whatever their
    drafts and reviews, and start a new publication generation: personal accounts leave every
    public surface (site, API, search, counts, the CDN) with it."""
    from atlas_pages import generation  # generation reads these models

    Person.objects.filter(translation_key=person.translation_key).update(
        consent_withdrawn_at=person.consent_withdrawn_at
    )
    generation.bump()


class SocialAccountForm(WagtailAdminModelForm):
    """The platform may be left empty when the URL tells it (x.com, a Mastodon /@name...)."""

    class Media:
        js = ["atlas/js/admin-account-form.js"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].required = False
        self.fields["platform"].help_text = _("Leave empty to take it from the URL.")
        if "status" in self.fields:  # a form without it (an older client) keeps the status
            self.fields["status"].required = False
        if "person" in self.fields:  # accounts belong to the person, not to a translation
            self.fields["person"].queryset = Person.objects.filter(locale=Locale.get_default())
        rights.limit_owner_choices(self, self.for_user)

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        if not cleaned_data.get("status"):
            cleaned_data["status"] = self.instance.status or SocialAccount.Status.ACTIVE
        url = cleaned_data.get("url")
        if not cleaned_data.get("platform") and url:
            platform = services.platform_for_url(url, Platform.objects.all())
            if platform is None:
                self.add_error(
                    "platform", _("The URL does not tell the platform: choose it (e.g. Blog).")
                )
            cleaned_data["platform"] = platform
        return cleaned_data


class SocialAccount(EditorialSnippet):
    """One account on one platform, owned by a post (organisational) or a person (personal)."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        PERSONAL = "personal", _("Personal")

    class SpeaksFor(models.TextChoices):
        OFFICE = "office", _("An office (official)")
        PERSON = "person", _("The person (personal)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        RENAMED = "renamed", _("Renamed")
        CLOSED = "closed", _("Closed")

    class Form(models.TextChoices):
        """The form of presence; which forms a platform has, and which URLs tell the form,
        is services.PRESENCE_RULES."""

        PROFILE = "profile", _("Profile")
        PAGE = "page", _("Page")
        GROUP = "group", _("Group")
        CHANNEL = "channel", _("Channel")
        PLAYLIST = "playlist", _("Playlist")
        BLOG = "blog", _("Blog")

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="accounts"
    )
    form = models.CharField(
        _("form"),
        max_length=20,
        choices=Form.choices,
        blank=True,
        help_text=_(
            "Profile, page, group, channel…: taken from the URL where it tells "
            "(linkedin.com/groups/… is a group); otherwise the platform's usual form unless "
            "you choose one."
        ),
    )
    url = models.URLField(_("profile URL"), max_length=500)
    #: The URL in the form lookups compare (services.normalise_profile_url); unique.
    normalized_url = models.CharField(max_length=500, unique=True, editable=False)
    handle = models.CharField(
        _("handle"),
        max_length=200,
        blank=True,
        help_text=_("Name on the platform, e.g. NLinJapan; taken from the URL when left empty."),
    )
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"),
        max_length=35,
        blank=True,
        validators=[services.validate_language_tag],
        help_text=_("BCP 47 tag of the main language, e.g. nl, en, ja."),
    )
    post = models.ForeignKey(
        PostPage,
        verbose_name=_("post"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="accounts",
        help_text=_("For an organisational account: the post or department that runs it."),
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="accounts",
        help_text=_("For a personal account: its owner."),
    )
    #: Whom the account speaks for: an office (a post's account, an ambassador's) is official
    #: and public with its owner; a person's own account only with their consent.
    speaks_for = models.CharField(
        _("speaks for"),
        max_length=16,
        choices=SpeaksFor.choices,
        blank=True,
        help_text=_(
            "Leave empty to decide from the owner: a post's accounts and those of office "
            "holders (heads of post, the political and civil-service top) speak for the "
            "office; an employee's speak for the person and are listed only with their consent."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.ACTIVE,
        help_text=_(
            "Inactive: listed with that label. Renamed: listed with its new address. "
            "Closed: no longer listed."
        ),
    )
    new_url = models.URLField(
        _("new profile URL"),
        max_length=500,
        blank=True,
        help_text=_("For a renamed account: its profile URL now."),
    )
    note = models.TextField(_("note"), blank=True)
    #: Bookkeeping of the press desk ("mark reviewed", atlas_pages.review): not content, so it
    #: is kept across revisions and changes nothing the public sees.
    last_reviewed_at = models.DateTimeField(
        _("last reviewed"), null=True, blank=True, editable=False
    )
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last reviewed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    base_form_class = SocialAccountForm
    panels = [
        FieldRowPanel(["platform", "form", "language"]),
        "url",
        FieldRowPanel(["handle", "display_name"]),
        MultiFieldPanel(["post", "person", "speaks_for"], heading=_("Owner: a post or a person")),
        FieldRowPanel(["status", "new_url"]),
        "note",
        PublishingPanel(),
        AccountUpkeepPanel(heading=_("Review and link check")),
    ]
    search_fields = [
        index.SearchField("handle"),
        index.AutocompleteField("handle"),
        index.SearchField("display_name"),
        index.AutocompleteField("display_name"),
        index.FilterField("platform_id"),
        index.FilterField("live"),
    ]

    @property
    def kind(self) -> SocialAccount.Kind:
        return self.Kind.PERSONAL if self.person_id else self.Kind.ORGANISATION

    def default_speaks_for(self) -> SocialAccount.SpeaksFor:
        """A post's account and an office holder's speak for the office; others for the person."""
        if self.person_id and not self.person.holds_office:
            return self.SpeaksFor.PERSON
        return self.SpeaksFor.OFFICE

    @cached_property
    def owner(self) -> Person | PostPage | None:
        return self.person if self.person_id else self.post

    @property
    def owning_post(self) -> PostPage | None:
        """The post the account belongs to: its own, or that of the person who owns it."""
        return self.person.post if self.person_id else self.post

    @property
    def country_name(self) -> str:
        post = self.owning_post
        return post.country.title if post and post.country_id else ""

    def clean(self) -> None:
        super().clean()
        errors = {}
        if bool(self.post_id) == bool(self.person_id):
            errors["post"] = _("Choose exactly one owner: a post or a person, not both.")
        elif self.post_id and self.speaks_for == self.SpeaksFor.PERSON:
            errors["speaks_for"] = _(
                "A post's account speaks for the office: choose “An office” or leave it empty."
            )
        elif not self.speaks_for:
            self.speaks_for = self.default_speaks_for()
        if self.status == self.Status.RENAMED and not self.new_url:
            errors["new_url"] = _("A renamed account needs its new profile URL.")
        elif self.new_url and self.status != self.Status.RENAMED:
            errors["new_url"] = _(
                "Only a renamed account has a new URL: clear it, or choose Renamed."
            )
        elif self.new_url and self.platform_id:
            try:
                new_key = self.platform.normalise(self.new_url)
                if self.url and new_key == self.platform.normalise(self.url):
                    errors["new_url"] = _("This is the account's own URL: enter the new one.")
            except ValueError as error:
                errors["new_url"] = str(error)
        if self.url and self.platform_id:
            try:
                self.normalized_url = self.platform.normalise(self.url)
            except ValueError as error:
                errors["url"] = self._wrong_platform_message() or str(error)
            else:
                self.handle = self.handle.strip() or self.platform.handle_from(self.url)
                if not self.handle:
                    errors["handle"] = _("The URL has no handle in it; enter the handle.")
                form_error = self._form_error()
                if form_error:
                    errors["form"] = form_error
                duplicate = (
                    SocialAccount.objects.filter(normalized_url=self.normalized_url)
                    .exclude(pk=self.pk)
                    .select_related("platform", "post", "person")
                    .first()
                )
                if duplicate:
                    errors["url"] = duplicate_message(duplicate)
        if errors:
            raise ValidationError(errors)

    def _form_error(self) -> str | None:
        """Why the chosen form cannot be: the URL says another, or the platform has no such
        form. None when it can (then the form is set: the URL's, the chosen or the usual)."""
        rule = services.presence_rule(self.platform.slug)
        told = rule.form_of(self.url)
        if told and self.form and self.form != told:
            return _(
                "This URL is the address of a %(platform)s %(form)s: choose “%(label)s” as the "
                "form, or leave it empty."
            ) % {
                "platform": self.platform.name,
                "form": str(self.Form(told).label).lower(),
                "label": self.Form(told).label,
            }
        if self.form and self.form not in rule.forms:
            return _("%(platform)s has no %(form)s: choose %(forms)s, or leave the form empty.") % {
                "platform": self.platform.name,
                "form": str(self.Form(self.form).label).lower(),
                "forms": " / ".join(str(self.Form(form).label) for form in rule.forms),
            }
        self.form = services.presence_form(
            self.platform.slug, self.url, self.form, personal=bool(self.person_id)
        )
        return None

    @property
    def form_label(self) -> str:
        return presence_label(self.platform.name, self.platform.slug, self.form)

    def _wrong_platform_message(self) -> SafeString | None:
        """Which platform the URL belongs to, when it is not the chosen one, with a button
        that chooses it (static/atlas/js/admin-account-form.js)."""
        other = services.platform_for_url(self.url, Platform.objects.exclude(pk=self.platform_id))
        if other is None:
            return None
        message = _(
            "This is a profile on %(other)s, not on %(platform)s: choose “%(other)s” as the "
            "platform, or leave the platform empty."
        ) % {"other": other.name, "platform": self.platform.name}
        return format_html(
            '{} <button type="button" class="button button-small button-secondary" '
            'data-switch-platform="{}" data-platform-name="{}">{}</button>',
            message,
            other.pk,
            other.name,
            _("Use %(other)s") % {"other": other.name},
        )

    def derive(self) -> None:
        """What follows from the URL and the owner: the lookup key, the handle, whom it speaks
        for (unless chosen) and its form. On every save, and by bulk imports, which skip save():
        the lookup key must never be stale."""
        self.normalized_url = self.platform.normalise(self.url)
        self.handle = self.handle.strip() or self.platform.handle_from(self.url)
        if not self.speaks_for:
            self.speaks_for = self.default_speaks_for()
        self.form = services.presence_form(
            self.platform.slug, self.url, self.form, personal=bool(self.person_id)
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive()
        super().save(*args, **kwargs)

    #: Kept from the object when a revision is restored or published (not revision content).
    BOOKKEEPING_FIELDS = ("last_reviewed_at", "last_reviewed_by")

    def with_content_json(self, content: dict[str, Any]) -> SocialAccount:
        obj = super().with_content_json(content)
        for name in self.BOOKKEEPING_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    def get_preview_template(self, request: HttpRequest, mode_name: str) -> str:
        return "atlas_pages/previews/social_account.html"

    def get_preview_context(self, request: HttpRequest, mode_name: str) -> dict[str, Any]:
        """The owner's live accounts with this version among them, as the post page and the
        map panel will list them once it is published."""
        context = super().get_preview_context(request, mode_name)
        owner_accounts = SocialAccount.objects.filter(live=True).exclude(pk=self.pk)
        if self.person_id:
            owner_accounts = owner_accounts.filter(person_id=self.person_id)
        else:
            owner_accounts = owner_accounts.filter(post_id=self.post_id)
        accounts = [*owner_accounts.select_related("platform"), self]
        context["accounts"] = sorted(accounts, key=lambda a: (a.platform.sort_order, a.handle))
        context["post"] = self.owning_post
        return context

    def __str__(self) -> str:
        return f"{self.form_label}: {self.handle}" if self.platform_id else self.handle

    class Meta:
        ordering = ["platform__sort_order", "handle"]
        verbose_name = _("social-media account")
        verbose_name_plural = _("social-media accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, person__isnull=True)
                | models.Q(post__isnull=True, person__isnull=False),
                name="account_has_exactly_one_owner",
            )
        ]


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


#: An account's form named after its platform, for the forms other than the platform's usual.
FORM_LABELS = {
    SocialAccount.Form.PROFILE: _("%(platform)s profile"),
    SocialAccount.Form.PAGE: _("%(platform)s page"),
    SocialAccount.Form.GROUP: _("%(platform)s group"),
    SocialAccount.Form.CHANNEL: _("%(platform)s channel"),
    SocialAccount.Form.PLAYLIST: _("%(platform)s playlist"),
    SocialAccount.Form.BLOG: _("%(platform)s blog"),
}


def presence_label(platform_name: str, platform_slug: str, form: str) -> str:
    """How a visitor reads an account's platform and form, in the active language: "LinkedIn
    group", "LinkedIn-groep"; the platform's name alone for its usual form ("LinkedIn" for a
    company page, "YouTube" for a channel, "X (Twitter)" for a profile)."""
    if form == services.presence_rule(platform_slug).forms[0] or form not in FORM_LABELS:
        return platform_name
    return FORM_LABELS[form] % {"platform": platform_name}


class AccountActivity(models.Model):
    """What an account posted lately and how many follow it, as last read from its platform's
    open source (atlas_pages.activity). Fetched text is stored as plain text only."""

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


def duplicate_message(account: SocialAccount) -> SafeString:
    """The existing account a new one duplicates: a link to it, its owner and its status, so
    the editor can open it instead (it may still be a draft or in review)."""
    url = reverse(account.snippet_viewset.get_url_name("edit"), args=(account.pk,))
    return format_html(
        _("This profile is already registered: {account}, of {owner} ({status})."),
        account=format_html('<a href="{}" data-duplicate>{}</a>', url, account),
        owner=account.owner,
        status=account.status_string,
    )


class PublicSnapshot(models.Model):
    """What the public atlas held at one publication generation: each public account, person
    and post per language with a fingerprint of what the public sees of it. The changes feed
    (atlas_pages.changes) diffs each new generation against the snapshot before it.

    The snapshots form one chain: each names the generation it was diffed against, and that is
    unique, so two processes recording the same step at once cannot both succeed."""

    generation = models.BigIntegerField(unique=True)
    #: The generation this one was diffed against; 0 for the first (the baseline).
    previous_generation = models.BigIntegerField(unique=True)
    taken_at = models.DateTimeField()
    #: {language: {"account:12": fingerprint, ...}}; emptied once a later snapshot exists.
    fingerprints = models.JSONField(default=dict)

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
