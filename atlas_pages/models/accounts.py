"""Social-media accounts: one account of a post or a person on one platform."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from atlas_pages.models.contacts import ContactMixin
from atlas_pages.models.pages import PostPage
from atlas_pages.models.people import Person
from atlas_pages.models.platforms import Platform
from atlas_pages.models.snippets import EditorialSnippet
from atlas_pages.rules import languages, profile_urls


class SocialAccount(ContactMixin, EditorialSnippet):
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
        is profile_urls.PRESENCE_RULES."""

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
    #: The URL in the form lookups compare (profile_urls.normalise_profile_url); unique.
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
        validators=[languages.validate_language_tag],
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
    status_since = models.DateField(
        _("status since"),
        null=True,
        blank=True,
        help_text=_(
            "When the account became inactive, was renamed or closed: the verify page says "
            "“at this address until …”. Today when left empty."
        ),
    )
    #: The platform's own id of the account, which a rename does not change.
    platform_identity = models.CharField(
        _("platform identity"),
        max_length=500,
        blank=True,
        help_text=_(
            "The platform's own id of the account, which stays the same when the handle "
            "changes. Read by the identity check where the platform shows it openly (YouTube "
            "channel id UC…, Bluesky DID, Mastodon account URI); for X, Instagram, Facebook "
            "and LinkedIn enter it from the profile (e.g. X's user id via the profile's "
            "source, Facebook's page id under About → Page transparency)."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    #: Bookkeeping of the press desk ("mark reviewed", atlas_pages.editorial.upkeep): not
    #: content, so it
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

    # The admin's form and panels: atlas_pages.editorial.viewsets.
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

    @classmethod
    def speaks_for_by_default(cls, person_role: str | None) -> SocialAccount.SpeaksFor:
        """Whom an account speaks for unless chosen, from its owner: a post's account (no
        person, None) and an office holder's speak for the office; others for the person. The
        one place this is decided (the read model asks it for rows written without save())."""
        if person_role is not None and person_role not in Person.OFFICE_ROLES:
            return cls.SpeaksFor.PERSON
        return cls.SpeaksFor.OFFICE

    def default_speaks_for(self) -> SocialAccount.SpeaksFor:
        return self.speaks_for_by_default(self.person.role if self.person_id else None)

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
        if self.status != self.Status.ACTIVE and not self.status_since:
            self.status_since = timezone.localdate()
        elif self.status == self.Status.ACTIVE:
            self.status_since = None
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
                errors["url"] = self._other_platform_error() or str(error)
            else:
                self.handle = self.handle.strip() or self.platform.handle_from(self.url)
                if not self.handle:
                    errors["handle"] = _("The URL has no handle in it; enter the handle.")
                form_error = self._form_error()
                if form_error:
                    errors["form"] = form_error
                elif not self.display_name.strip() and profile_urls.needs_a_name(
                    self.platform.slug, self.form, self.handle
                ):
                    errors["display_name"] = _(
                        "The address of this %(platform)s %(form)s has only its number "
                        "(%(number)s), and %(platform)s shows its name only to those who are "
                        "logged in: enter the %(form)s's name as the display name, or its name "
                        "as the handle."
                    ) % {
                        "platform": self.platform.name,
                        "form": str(self.Form(self.form).label).lower(),
                        "number": self.handle,
                    }
        if errors:
            raise ValidationError(errors)

    #: The fields whose refused value is answered by profile_urls.url_mistake.
    URL_FIELDS = ("url", "new_url")

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        """Django's field checks; a refused URL says what is wrong with it (a typo in the
        scheme) and what a valid one looks like."""
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            raise ValidationError(
                {
                    name: [self._url_error(name, each) for each in errors]
                    for name, errors in error.error_dict.items()
                }
            ) from None

    def _url_error(self, name: str, error: ValidationError) -> ValidationError:
        if name in self.URL_FIELDS and error.code == "invalid":
            return ValidationError(profile_urls.url_mistake(getattr(self, name)), code="invalid")
        return error

    def validate_unique(self, exclude: Collection[str] | None = None) -> None:
        """Django's unique checks, and the profile's own: no other account with its lookup key
        (code "duplicate"), said on the URL. After clean(), which derives the key; not for a URL
        that failed validation. A bulk import leaves it out (full_clean(validate_unique=False))
        and looks up all its rows at once."""
        exclude = set(exclude or ())
        super().validate_unique(exclude | {"normalized_url"})  # said on the URL, below
        if "url" in exclude or not self.normalized_url:
            return
        duplicate = (
            SocialAccount.objects.filter(normalized_url=self.normalized_url)
            .exclude(pk=self.pk)
            .select_related("platform", "post", "person")
            .first()
        )
        if duplicate:
            raise ValidationError({"url": self._duplicate_error(duplicate)})

    def _form_error(self) -> str | None:
        """Why the chosen form cannot be: the URL says another, or the platform has no such
        form. None when it can (then the form is set: the URL's, the chosen or the usual)."""
        rule = profile_urls.presence_rule(self.platform.slug)
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
        self.form = profile_urls.presence_form(
            self.platform.slug, self.url, self.form, personal=bool(self.person_id)
        )
        return None

    @property
    def form_label(self) -> str:
        return presence_label(self.platform.name, self.platform.slug, self.form)

    def _other_platform_error(self) -> ValidationError | None:
        """Which platform the URL belongs to, when it is not the chosen one (code
        "other_platform"; the admin offers a button that chooses it)."""
        other = profile_urls.platform_for_url(
            self.url, Platform.objects.exclude(pk=self.platform_id), Platform.known_servers()
        )
        if other is None:
            return None
        return ValidationError(
            _(
                "This is a profile on %(other)s, not on %(platform)s: choose “%(other)s” as the "
                "platform, or leave the platform empty."
            ),
            code="other_platform",
            params={"other": other.name, "other_pk": other.pk, "platform": self.platform.name},
        )

    @staticmethod
    def _duplicate_error(existing: SocialAccount) -> ValidationError:
        """The existing account a new one duplicates, its owner and its status (code
        "duplicate"; the admin links to it, so the editor can open it instead: it may still be a
        draft or in review)."""
        return ValidationError(
            _("This profile is already registered: %(account)s, of %(owner)s (%(status)s)."),
            code="duplicate",
            params={
                "pk": existing.pk,
                "account": str(existing),
                "owner": str(existing.owner),
                "status": str(existing.status_string),
            },
        )

    def derive(self) -> None:
        """What follows from the URL and the owner: the lookup key, the handle, whom it speaks
        for (unless chosen) and its form. On every save, and by bulk imports, which skip save():
        the lookup key must never be stale."""
        self.normalized_url = self.platform.normalise(self.url)
        self.handle = self.handle.strip() or self.platform.handle_from(self.url)
        if not self.speaks_for:
            self.speaks_for = self.default_speaks_for()
        self.form = profile_urls.presence_form(
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
        return self.keep_contact(obj)

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
    if form == profile_urls.presence_rule(platform_slug).forms[0] or form not in FORM_LABELS:
        return platform_name
    return FORM_LABELS[form] % {"platform": platform_name}
