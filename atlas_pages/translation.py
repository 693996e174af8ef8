"""Dutch and English pages of one country or post share their language-neutral facts.

Editors translate titles, intros and city names; the ISO code, coordinates, post kind, address
and website are facts of the place, kept equal across translations here and nowhere else.
"""

from __future__ import annotations

from typing import Any

from wagtail.models import Locale, Page

from atlas_pages.models import CountryPage, PostPage

LANGUAGE_NEUTRAL_FIELDS = {
    CountryPage: ["iso_code", "location", "lat", "lng"],
    PostPage: ["kind", "location", "lat", "lng", "address", "website"],
}


def sync_language_neutral_fields(page: Page) -> None:
    """Publishing in the default language pushes the facts to the translations; publishing a
    translation takes them from the default-language page, so a stale draft cannot win."""
    model = type(page)
    fields = LANGUAGE_NEUTRAL_FIELDS.get(model)
    if not fields:
        return
    default_locale_id = Locale.get_default().pk
    siblings = model.objects.filter(translation_key=page.translation_key)
    if page.locale_id == default_locale_id:
        values = {field: getattr(page, field) for field in fields}
        siblings.exclude(pk=page.pk).update(**values)
    else:
        source = siblings.filter(locale_id=default_locale_id).first()
        if source is not None:
            values = {field: getattr(source, field) for field in fields}
            siblings.filter(pk=page.pk).update(**values)
            for field, value in values.items():
                setattr(page, field, value)


def on_page_published(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    sync_language_neutral_fields(instance.specific)
