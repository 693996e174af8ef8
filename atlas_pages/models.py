"""The atlas's content: platforms, people and accounts (snippets), and the page tree
AtlasPage > CountryPage > PostPage that places them on the map."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import FieldRowPanel, MultiFieldPanel
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

from atlas_pages import services
from atlas_pages.panels import LocationPanel, PostDeskPanel


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

    panels = ["name", "slug", "hosts", "profile_path", "sort_order", "activity_source"]

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
    def approved_schedule(self) -> bool:
        # Annotated by pressdesk.with_editorial_state on lists, as Wagtail does for pages.
        if hasattr(self, "_approved_schedule"):
            return self._approved_schedule
        return super().approved_schedule

    class Meta:
        abstract = True


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
    #: Personal accounts are listed only with the person's consent.
    personal_opt_in = models.BooleanField(
        _("personal accounts (opt-in)"),
        default=False,
        help_text=_("The person's own accounts, listed with their consent."),
    )

    panels = [
        "name",
        "role",
        "job_title",
        "post",
        "personal_opt_in",
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("job_title"),
        index.FilterField("role"),
        index.FilterField("live"),
        index.FilterField("locale"),
    ]

    def job_title_in(self, language: str) -> str:
        """The job title in a content language: the live translation's, else this row's."""
        translation = (
            self.get_translations(inclusive=True)
            .filter(locale__language_code=language, live=True)
            .exclude(job_title="")
            .first()
        )
        return translation.job_title if translation else self.job_title

    def get_preview_template(self, request: HttpRequest, mode_name: str) -> str:
        return "atlas_pages/previews/person.html"

    def __str__(self) -> str:
        return self.name

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")


class SocialAccountForm(WagtailAdminModelForm):
    """The platform may be left empty when the URL tells it (x.com, a Mastodon /@name...)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platform"].required = False
        self.fields["platform"].help_text = _("Leave empty to take it from the URL.")
        if "person" in self.fields:  # accounts belong to the person, not to a translation
            self.fields["person"].queryset = Person.objects.filter(locale=Locale.get_default())

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
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

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="accounts"
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
    note = models.TextField(_("note"), blank=True)

    base_form_class = SocialAccountForm
    panels = [
        FieldRowPanel(["platform", "language"]),
        "url",
        FieldRowPanel(["handle", "display_name"]),
        MultiFieldPanel(["post", "person"], heading=_("Owner: a post or a person")),
        "note",
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
        if self.url and self.platform_id:
            try:
                self.normalized_url = self.platform.normalise(self.url)
            except ValueError as error:
                errors["url"] = self._wrong_platform_message() or str(error)
            else:
                self.handle = self.handle.strip() or self.platform.handle_from(self.url)
                if not self.handle:
                    errors["handle"] = _("The URL has no handle in it; enter the handle.")
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

    def _wrong_platform_message(self) -> str | None:
        """Which platform the URL belongs to, when it is not the chosen one."""
        other = services.platform_for_url(self.url, Platform.objects.exclude(pk=self.platform_id))
        if other is None:
            return None
        return _(
            "This is a %(other)s profile, not a %(platform)s one: choose “%(other)s” as the "
            "platform, or leave the platform empty."
        ) % {"other": other.name, "platform": self.platform.name}

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Also for code paths that skip clean(), e.g. imports: the lookup key must never be stale.
        self.normalized_url = self.platform.normalise(self.url)
        self.handle = self.handle.strip() or self.platform.handle_from(self.url)
        super().save(*args, **kwargs)

    def get_preview_template(self, request: HttpRequest, mode_name: str) -> str:
        return "atlas_pages/previews/social_account.html"

    def __str__(self) -> str:
        return f"{self.platform.name}: {self.handle}" if self.platform_id else self.handle

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
