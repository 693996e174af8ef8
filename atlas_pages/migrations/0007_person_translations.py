"""Every person gets the default locale and a translation key of its own; each English job
title becomes a live English translation of its person (see 0006)."""

import uuid

from django.conf import settings
from django.db import migrations

#: What a translation shares with its person (atlas_pages.translation keeps them equal).
LANGUAGE_NEUTRAL = ("name", "role", "post_id", "personal_opt_in")
#: The publication state the English row takes over from the Dutch one.
PUBLICATION = ("live", "first_published_at", "last_published_at", "go_live_at", "expire_at")


def translate_people(Person, Locale):
    """Give every person the default locale and a key of its own; turn each English job title
    into a live English translation of the person (same key, facts copied)."""
    from wagtail.coreutils import get_supported_content_language_variant

    default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    default, _ = Locale.objects.get_or_create(language_code=default_code)
    english = None
    for person in Person.objects.filter(translation_key__isnull=True).order_by("pk"):
        person.locale = default
        person.translation_key = uuid.uuid4()
        person.save(update_fields=["locale", "translation_key"])
        if not person.job_title_en.strip():
            continue
        if english is None:
            english, _ = Locale.objects.get_or_create(language_code="en")
        fields = {name: getattr(person, name) for name in LANGUAGE_NEUTRAL + PUBLICATION}
        Person.objects.create(
            locale=english,
            translation_key=person.translation_key,
            job_title=person.job_title_en,
            has_unpublished_changes=False,
            **fields,
        )


def untranslate_people(Person):
    """Back: the English translations' job titles onto their people; translations go."""
    from wagtail.coreutils import get_supported_content_language_variant

    default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    translations = Person.objects.exclude(locale__language_code=default_code)
    for english in translations.filter(locale__language_code="en"):
        Person.objects.filter(
            translation_key=english.translation_key, locale__language_code=default_code
        ).update(job_title_en=english.job_title)
    translations.delete()


def forwards(apps, schema_editor):
    translate_people(apps.get_model("atlas_pages.Person"), apps.get_model("wagtailcore.Locale"))


def backwards(apps, schema_editor):
    untranslate_people(apps.get_model("atlas_pages.Person"))


class Migration(migrations.Migration):
    dependencies = [("atlas_pages", "0006_person_locale")]

    operations = [migrations.RunPython(forwards, backwards)]
