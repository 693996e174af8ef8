"""Languages: the content languages the atlas is published in, BCP 47 tags of accounts."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def validate_language_tag(value: str) -> None:
    if value and not _LANGUAGE_TAG.match(value):
        raise ValidationError(
            _("“%(value)s” is not a BCP 47 language tag such as nl, en or pt-BR."),
            params={"value": value},
        )


def content_language(language: str | None = None) -> str:
    """A supported content language code ("nl", "en"); the default one when not given.

    Raises LookupError for a language the atlas is not published in.
    """
    if language is None:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)
    if language not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
        raise LookupError(language)
    return language
