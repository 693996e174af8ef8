"""Consent becomes a dated rule and accounts say whom they speak for and their status.

``personal_opt_in`` becomes a consent date: the day the person was first published (else
today), on the person, its translations and its revisions (so publishing an older revision
does not drop the consent). Accounts of a post or of an office holder speak for the office,
the other people's for the person.
"""

from django.db import migrations, models
from django.utils import timezone

OFFICE_ROLES = {
    "ambassador",
    "consul_general",
    "consul",
    "head_of_post",
    "minister",
    "state_secretary",
    "secretary_general",
    "director_general",
}


def consent_and_speakers(apps, schema_editor):
    Person = apps.get_model("atlas_pages", "Person")
    SocialAccount = apps.get_model("atlas_pages", "SocialAccount")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    today = timezone.localdate()
    given = {}
    for person in Person.objects.filter(personal_opt_in=True):
        moment = person.first_published_at
        given[person.pk] = timezone.localdate(moment) if moment else today
        Person.objects.filter(pk=person.pk).update(consent_given_at=given[person.pk])
    office = {pk for pk, role in Person.objects.values_list("pk", "role") if role in OFFICE_ROLES}
    speaks = {}
    for pk, post_id, person_id in SocialAccount.objects.values_list("pk", "post_id", "person_id"):
        speaks[pk] = "office" if post_id or person_id in office else "person"
    for value in ("office", "person"):
        SocialAccount.objects.filter(pk__in=[pk for pk, v in speaks.items() if v == value]).update(
            speaks_for=value
        )
    for model, update in (
        ("person", lambda pk, content: _consent_content(given.get(pk), content)),
        ("socialaccount", lambda pk, content: content.update(speaks_for=speaks.get(pk, ""))),
    ):
        content_type = ContentType.objects.filter(app_label="atlas_pages", model=model).first()
        if content_type is None:
            continue
        for revision in Revision.objects.filter(content_type=content_type):
            content = dict(revision.content)
            update(int(revision.object_id), content)
            Revision.objects.filter(pk=revision.pk).update(content=content)


def opt_in_from_consent(apps, schema_editor):
    """Back to the flag: opted in where consent stands."""
    Person = apps.get_model("atlas_pages", "Person")
    Person.objects.filter(consent_given_at__isnull=False, consent_withdrawn_at__isnull=True).update(
        personal_opt_in=True
    )


def _consent_content(given, content):
    opted_in = content.pop("personal_opt_in", False)
    content["consent_given_at"] = given.isoformat() if opted_in and given else None
    content["consent_withdrawn_at"] = None


class Migration(migrations.Migration):
    dependencies = [
        ("atlas_pages", "0009_review_and_link_health"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="consent_given_at",
            field=models.DateField(
                blank=True,
                help_text="The date this person agreed to have their personal accounts listed. Without it, accounts that speak for the person (not for an office) are not shown. To record new consent after a withdrawal, enter the new date and clear the withdrawal.",
                null=True,
                verbose_name="consent given on",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="consent_withdrawn_at",
            field=models.DateField(
                blank=True,
                help_text="The date the person withdrew consent. Takes effect as soon as you save, without waiting for review: their personal accounts leave the site and the API at once.",
                null=True,
                verbose_name="consent withdrawn on",
            ),
        ),
        migrations.AddField(
            model_name="socialaccount",
            name="new_url",
            field=models.URLField(
                blank=True,
                help_text="For a renamed account: its profile URL now.",
                max_length=500,
                verbose_name="new profile URL",
            ),
        ),
        migrations.AddField(
            model_name="socialaccount",
            name="speaks_for",
            field=models.CharField(
                blank=True,
                choices=[("office", "An office (official)"), ("person", "The person (personal)")],
                help_text="Leave empty to decide from the owner: a post's accounts and those of office holders (heads of post, the political and civil-service top) speak for the office; an employee's speak for the person and are listed only with their consent.",
                max_length=16,
                verbose_name="speaks for",
            ),
        ),
        migrations.AddField(
            model_name="socialaccount",
            name="status",
            field=models.CharField(
                choices=[
                    ("active", "Active"),
                    ("inactive", "Inactive"),
                    ("renamed", "Renamed"),
                    ("closed", "Closed"),
                ],
                default="active",
                help_text="Inactive: listed with that label. Renamed: listed with its new address. Closed: no longer listed.",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(consent_and_speakers, opt_in_from_consent),
        migrations.RemoveField(
            model_name="person",
            name="personal_opt_in",
        ),
    ]
