"""The admin's forms of countries, people and accounts: what the editor may leave empty, the
owners within their reach, and the models' coded validation errors as actions (a link to the
duplicate, a button that chooses the right platform)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.models import Locale

from atlas_pages.editorial import rights
from atlas_pages.models import Person, Platform, SocialAccount
from atlas_pages.rules import places, profile_urls


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
            self.cleaned_data["title"] = places.country_name(iso_code, language)
        if self.cleaned_data.get("title") and not self.cleaned_data.get("slug"):
            self.cleaned_data["slug"] = slugify(self.cleaned_data["title"])
        return super().clean()


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

    def clean(self, value: Any) -> Any:  # noqa: ANN401 (a form field's value)
        try:
            return super().clean(value)
        except ValidationError as error:
            if any(each.code == "invalid" for each in error.error_list):
                raise ValidationError(profile_urls.url_mistake(value), code="invalid") from None
            raise


class SocialAccountForm(WagtailAdminModelForm):
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
        if not cleaned_data.get("platform") and url:
            platform = profile_urls.platform_for_url(url, Platform.objects.all())
            if platform is None:
                self.add_error(
                    "platform", _("The URL does not tell the platform: choose it (e.g. Blog).")
                )
            cleaned_data["platform"] = platform
        return cleaned_data

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
