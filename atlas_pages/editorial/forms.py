"""The admin's forms of countries, posts, people and accounts: what the editor may leave empty,
the map pin's check on save, the owners within their reach, and the models' coded validation
errors as actions (a link to the duplicate, a button that chooses the right platform)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.models import Locale, TranslatableMixin

from atlas_pages.editorial import rights
from atlas_pages.models import ContactMixin, CountryPage, Person, Platform, SocialAccount
from atlas_pages.models.contacts import admin_users
from atlas_pages.rules import pasted, places, profile_urls


def _coordinate(value: float) -> str:
    """A coordinate as the editor types it: 52.08, not 52.080000 (and no decimal comma)."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def place_warning(problem: places.PlaceProblem, country: str) -> str:
    """What is wrong with the pin, the coordinates the other way round when those fit, and how
    to keep it as placed."""
    values = {"country": country}
    if problem.swapped:
        values.update(lat=_coordinate(problem.swapped[0]), lng=_coordinate(problem.swapped[1]))
        if problem.kind == "at_sea":
            what = _("The pin is at sea: did you mean %(lat)s, %(lng)s (latitude, longitude)?")
        else:
            what = _(
                "The pin is outside %(country)s: did you mean %(lat)s, %(lng)s "
                "(latitude, longitude)?"
            )
    elif problem.kind == "at_sea":
        what = _("The pin is at sea: check the location.")
    else:
        what = _("The pin is outside %(country)s: check the location.")
    return f"{what % values} {_('To save it as placed, tick “Keep this location”.')}"


class KeepPlaceInput(forms.CheckboxInput):
    """The "Keep this location" box. Its value is the point the warning was given for, so that
    ticked it keeps that point only: a pin moved afterwards is checked again."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, check_test=lambda value: False)
        #: The point the warning is about (LocatedPageForm.clean sets it).
        self.point = ""

    def value_from_datadict(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> str:
        return data.get(name, "")

    def get_context(
        self,
        name: str,
        value: Any,  # noqa: ANN401 (the field's value: the point ticked, if any)
        attrs: dict[str, Any] | None,
    ) -> dict[str, Any]:
        if value and value == self.point:
            attrs = {**(attrs or {}), "checked": True}
        return super().get_context(name, self.point, attrs)


class LocatedPageForm(WagtailAdminPageForm):
    """A page with a pin on the map (LocatedMixin): a pin at sea or outside the page's country
    (rules.places.check_place, the map script's test) refuses the form once, with a warning on
    the location and the "Keep this location" box; saved again with it ticked, the page keeps
    the pin as placed. A pin the page has already is not questioned again. The box is a form
    field only, shown by the LocationPanel with the warning."""

    keep_location = forms.CharField(
        label=_("Keep this location"),
        help_text=_("Save the pin where it is, at sea or outside the country."),
        required=False,
        widget=KeepPlaceInput,
    )

    #: What is wrong with the pin, once the form is cleaned (whether kept or not).
    place_problem: places.PlaceProblem | None = None

    def country(self) -> str:
        """The ISO code of the country the pin belongs in ("" when unknown)."""
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        if "location" in self.fields and "location" not in self.errors:
            self._check_place(cleaned_data.get("location") or "")
        return cleaned_data

    def _check_place(self, location: str) -> None:
        point = _point(location)
        if point is None:
            return  # none, or not one: the model says what is wrong with it
        if point == _point(self.initial.get("location")):
            return  # the page's own pin (its draft's), checked (and kept) when it was placed
        code = places.iso_code(self.country())
        self.place_problem = places.check_place(*point, code)
        if self.place_problem is None:
            return
        self.fields["keep_location"].widget.point = location
        if _point(self.cleaned_data.get("keep_location")) != point:
            name = places.country_name(code) if code else ""
            self.add_error(
                "location",
                ValidationError(place_warning(self.place_problem, name), code="place"),
            )


def _point(value: str | None) -> tuple[float, float] | None:
    """A widget value's (lat, lng), rounded as far as the widget keeps them; None when empty
    or not a point."""
    try:
        point = places.parse_point(value)
    except ValueError:
        return None
    return (round(point[0], 6), round(point[1], 6)) if point else None


class CountryPageForm(LocatedPageForm):
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
            self.cleaned_data["title"] = places.country_name(iso_code, language)
        if self.cleaned_data.get("title") and not self.cleaned_data.get("slug"):
            self.cleaned_data["slug"] = slugify(self.cleaned_data["title"])
        return super().clean()

    def country(self) -> str:
        return self.cleaned_data.get("iso_code") or ""


class ContactFormMixin:
    """The contact (ContactMixin) is bookkeeping: written at once, also when the editor saves
    only a draft of a live post or account (whose row Wagtail leaves as published until the
    draft is), with a plain UPDATE that makes no revision and changes nothing public."""

    instance: ContactMixin

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "contact_user" in self.fields:  # type: ignore[attr-defined]
            # Admin users; and the one named, if they have left since (kept, not cleared
            # unseen: the reminders then go to the post's contact).
            field = self.fields["contact_user"]  # type: ignore[attr-defined]
            named = Q(pk=self.instance.contact_user_id) if self.instance.contact_user_id else Q()
            field.queryset = field.queryset.filter(admin_users() | named)
            # One query for the options, however often the editor renders the widget.
            field.widget.choices = list(iter(field.choices))  # iter: no COUNT first

    def save(self, commit: bool = True) -> ContactMixin:
        """Saved, and the contact written at once: on the object and, for a post, on its
        translations (one contact per post, whatever the language of the form)."""
        instance = super().save(commit=commit)  # type: ignore[misc]
        if instance.pk:
            rows = type(instance)._default_manager.filter(pk=instance.pk)
            if isinstance(instance, TranslatableMixin):
                rows = type(instance)._default_manager.filter(
                    translation_key=instance.translation_key
                )
            rows.update(contact_user=instance.contact_user_id, contact_email=instance.contact_email)
        return instance


class PostPageForm(ContactFormMixin, LocatedPageForm):
    """A post's pin belongs in its country: the parent page (PostPage.country once saved)."""

    def country(self) -> str:
        country = self.instance.country if self.instance.pk else None
        parent = self.parent_page.specific if self.parent_page else None
        if country is None and isinstance(parent, CountryPage):
            country = parent
        return str(country.iso_code) if country else ""


class PersonForm(WagtailAdminModelForm):
    """A press officer of one country chooses among that country's posts only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rights.limit_owner_choices(self, self.for_user)


def duplicate_link(error: ValidationError) -> SafeString:
    """SocialAccount's "duplicate" error with a link to the existing account, so the editor
    can open it instead (it may still be a draft or in review)."""
    params = error.params
    url = reverse(SocialAccount.snippet_viewset.get_url_name("edit"), args=(params["pk"],))
    return format_html(
        _("This profile is already registered: {account}, of {owner} ({status})."),
        account=format_html('<a href="{}" data-duplicate>{}</a>', url, params["account"]),
        owner=params["owner"],
        status=params["status"],
    )


def other_platform_button(error: ValidationError) -> SafeString:
    """SocialAccount's "other_platform" error with a button that chooses the platform the URL
    belongs to (static/atlas/js/admin-account-form.js)."""
    params = error.params
    return format_html(
        '{} <button type="button" class="button button-small button-secondary" '
        'data-switch-platform="{}" data-platform-name="{}">{}</button>',
        error.message % params,
        params["other_pk"],
        params["other"],
        _("Use %(other)s") % {"other": params["other"]},
    )


class ProfileURLField(forms.URLField):
    """A URL field whose refusal says what is wrong with the text typed (a typo in the scheme)
    and what a valid address looks like (profile_urls.url_mistake)."""

    def to_python(self, value: Any) -> Any:  # noqa: ANN401 (a form field's value)
        # A fediverse address (@name@server) is the URL of its profile, /@name on the server.
        if isinstance(value, str) and pasted.is_fediverse_address(value):
            name, _at, server = value.strip().lstrip("@").partition("@")
            value = f"https://{server}/@{name}"
        return super().to_python(value)

    def clean(self, value: Any) -> Any:  # noqa: ANN401 (a form field's value)
        try:
            return super().clean(value)
        except ValidationError as error:
            if any(each.code == "invalid" for each in error.error_list):
                raise ValidationError(profile_urls.url_mistake(value), code="invalid") from None
            raise


class SocialAccountForm(ContactFormMixin, WagtailAdminModelForm):
    """The platform may be left empty when the URL tells it (x.com, a Mastodon /@name...)."""

    #: How the admin shows the model's coded errors: with the action that resolves them.
    ERROR_ACTIONS: dict[str, Callable[[ValidationError], SafeString]] = {
        "duplicate": duplicate_link,
        "other_platform": other_platform_button,
    }

    class Meta(WagtailAdminModelForm.Meta):  # keeps Wagtail's choosers (formfield_callback)
        field_classes = {"url": ProfileURLField, "new_url": ProfileURLField}

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
        if url:
            self._clean_pasted_url(cleaned_data, url)
        return cleaned_data

    def _clean_pasted_url(self, cleaned_data: dict[str, Any], url: str) -> None:
        """A pasted post's, tab's or subdomain's URL becomes its profile's (rules.pasted), and
        an empty platform the one the address tells."""
        chosen = cleaned_data.get("platform")
        try:
            profile, found = Platform.resolve(url)
            if chosen is not None and found is None:
                # The editor says what it is: a federated server's profile, a blog.
                profile = chosen.profile_url(profile)
        except pasted.Invalid:
            profile, found = url, None  # the model's validation names the typo
        except ValueError as refused:
            self.add_error("url", str(refused))
            return
        cleaned_data["url"] = profile
        if chosen is None:
            if found is None:
                self.add_error(
                    "platform", _("The URL does not tell the platform: choose it (e.g. Blog).")
                )
            cleaned_data["platform"] = found

    def add_error(self, field: str | None, error: ValidationError | str | list | dict) -> None:
        """The model's errors (ModelForm's _post_clean adds them here), the coded ones with
        their action."""
        if isinstance(error, ValidationError):
            error = self._with_actions(error)
            if field is None and hasattr(error, "error_dict"):
                # A value the form refused is blank on the model: what its clean() says of it
                # ("needs a new URL") contradicts the form's own message.
                error = ValidationError(
                    {
                        name: errors
                        for name, errors in error.error_dict.items()
                        if name not in (self._errors or {})
                    }
                )
        super().add_error(field, error)

    def _with_actions(self, error: ValidationError) -> ValidationError:
        if hasattr(error, "error_dict"):
            return ValidationError(
                {
                    field: self._with_actions(ValidationError(errors)).error_list
                    for field, errors in error.error_dict.items()
                }
            )
        return ValidationError([self._with_action(each) for each in error.error_list])

    def _with_action(self, error: ValidationError) -> ValidationError:
        action = self.ERROR_ACTIONS.get(error.code or "")
        return ValidationError(action(error), code=error.code) if action else error
