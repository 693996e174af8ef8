"""The translations of one country, post or person share their language-neutral facts.

Editors translate titles, intros, city names and job titles; the ISO code, coordinates, post
kind, address and website, a person's name, role, post, consent and term of office, and the
Wikidata id, are facts of the place or person, kept equal across translations here and nowhere
else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from wagtail.models import DraftStateMixin, Locale, Page, TranslatableMixin

from atlas_pages.models import CountryPage, Person, PostPage

LANGUAGE_NEUTRAL_FIELDS: dict[type[Model], list[str]] = {
    CountryPage: ["iso_code", "location", "lat", "lng", "wikidata_id"],
    PostPage: ["kind", "location", "lat", "lng", "address", "website", "wikidata_id"],
    Person: [
        "name",
        "role",
        "post_id",
        "consent_given_at",
        "consent_withdrawn_at",
        "term_start",
        "term_end",
        "wikidata_id",
    ],
}


def sync_language_neutral_fields(obj: TranslatableMixin) -> None:
    """Publishing in the default language pushes the facts to the translations; publishing a
    translation takes them from the default-language object, so a stale draft cannot win."""
    model = type(obj)
    fields = LANGUAGE_NEUTRAL_FIELDS.get(model)
    if not fields:
        return
    default_locale_id = Locale.get_default().pk
    siblings = model.objects.filter(translation_key=obj.translation_key)
    if obj.locale_id == default_locale_id:
        values = {field: getattr(obj, field) for field in fields}
        siblings.exclude(pk=obj.pk).update(**values)
    else:
        source = siblings.filter(locale_id=default_locale_id).first()
        if source is not None:
            values = {field: getattr(source, field) for field in fields}
            siblings.filter(pk=obj.pk).update(**values)
            for field, value in values.items():
                setattr(obj, field, value)


def on_page_published(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    sync_language_neutral_fields(instance.specific)


def on_snippet_published(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    # Wagtail sends this for pages too, after page_published: those are done.
    if isinstance(instance, TranslatableMixin) and not isinstance(instance, Page):
        sync_language_neutral_fields(instance)


def on_snippet_copied_for_translation(
    sender: type, source_obj: Model, target_obj: Model, **kwargs: Any
) -> None:
    """A new translation of a snippet starts as a draft, as a page's does: otherwise it would
    be live at once with the source's texts and the source's live revision."""
    if isinstance(target_obj, DraftStateMixin) and not isinstance(target_obj, Page):
        target_obj.live, target_obj.has_unpublished_changes = False, True
        target_obj.live_revision = None
        target_obj.first_published_at = target_obj.last_published_at = None
