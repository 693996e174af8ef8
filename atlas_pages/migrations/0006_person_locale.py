"""People become translatable, Wagtail's way for an existing model (three migrations, so
that PostgreSQL never alters the table with the data step's changes pending): 0006 adds the
locale and translation key, nullable; 0007 fills them in and turns each English job title into
a live English translation; 0008 makes them required and unique together and drops
job_title_en."""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
