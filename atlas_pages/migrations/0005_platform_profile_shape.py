"""Platforms check the shape of a profile URL; Mastodon, a federated network, accepts any
server (no hosts). Its servers stop being aliases of mastodon.social: keys are recomputed."""

from django.db import migrations, models

#: slug: (hosts, profile path)
PROFILE_SHAPES = {
    "mastodon": ("", "/@{handle}"),
    "bluesky": ("bsky.app", "/profile/{handle}"),
}
from atlas_pages.rules import profile_urls


def apply_shapes(Platform, SocialAccount):


    for slug, (hosts, profile_path) in PROFILE_SHAPES.items():
        Platform.objects.filter(slug=slug).update(hosts=hosts, profile_path=profile_path)
    for account in SocialAccount.objects.filter(platform__slug__in=PROFILE_SHAPES):
        hosts = profile_urls.parse_hosts(account.platform.hosts)
        account.normalized_url = profile_urls.normalise_profile_url(account.url, hosts)
        account.save(update_fields=["normalized_url"])


def forwards(apps, schema_editor):
    apply_shapes(apps.get_model("atlas_pages.Platform"), apps.get_model("atlas_pages.SocialAccount"))


class Migration(migrations.Migration):

    dependencies = [
        ('atlas_pages', '0004_platforms_for_moderators'),
    ]

    operations = [
        migrations.AddField(
            model_name='platform',
            name='profile_path',
            field=models.CharField(blank=True, help_text='The path of a profile URL with {handle} for the name, e.g. /@{handle} or /profile/{handle}. Leave empty to accept any path. With no hosts above (a federated network such as Mastodon), any server whose URL has this shape is accepted.', max_length=100, verbose_name='profile shape'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
