"""People's locale and translation key become required and unique together; the English job
titles now live in translations (0007), so job_title_en goes."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("atlas_pages", "0007_person_translations")]

    operations = [
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
