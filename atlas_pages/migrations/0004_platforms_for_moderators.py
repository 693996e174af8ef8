"""Platforms change what every account means (names, hosts): only moderators may edit them.

Editors keep the view permission, which the account form's platform chooser needs.
"""

from django.db import migrations

PLATFORM_ACTIONS = ["add", "change", "delete"]


def platform_permissions(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="atlas_pages", model="platform")
    return [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_platform",
            defaults={"name": f"Can {action} platform"},
        )[0]
        for action in PLATFORM_ACTIONS
    ]


def platforms_for_moderators(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    permissions = platform_permissions(apps)
    for group in Group.objects.filter(name="Press editors"):
        group.permissions.remove(*permissions)
    for group in Group.objects.filter(name="Press moderators"):
        group.permissions.add(*permissions)


def platforms_for_editors_again(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    add, change, delete = platform_permissions(apps)
    for group in Group.objects.filter(name="Press editors"):
        group.permissions.add(add, change)
    for group in Group.objects.filter(name="Press moderators"):
        group.permissions.remove(delete)


class Migration(migrations.Migration):
    dependencies = [("atlas_pages", "0003_person_job_title_en")]

    operations = [migrations.RunPython(platforms_for_moderators, platforms_for_editors_again)]
