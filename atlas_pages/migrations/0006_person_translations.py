"""People become translatable the Wagtail way: a locale and a translation key on each row
(Wagtail's pattern for an existing model: nullable, filled in, then required and unique), and
each English job title becomes a live English translation of its person."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

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


def forwards(apps, schema_editor):
    translate_people(apps.get_model("atlas_pages.Person"), apps.get_model("wagtailcore.Locale"))


class Migration(migrations.Migration):
    dependencies = [
        ("atlas_pages", "0005_platform_profile_shape"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="locale",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="translation_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="person",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AlterField(
            model_name="person",
            name="job_title",
            field=models.CharField(
                blank=True,
                help_text=(
                    'e.g. "Consul-generaal in Vancouver"; translate the person for other '
                    "languages."
                ),
                max_length=250,
                verbose_name="job title",
            ),
        ),
        migrations.RemoveField(
            model_name="person",
            name="job_title_en",
        ),
    ]
