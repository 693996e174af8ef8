"""An account's lookup key is now its profile's, however its URL was spelled (a post's or a
tab's URL, a country or web subdomain, Mastodon's /users/name: atlas_pages.rules.pasted):
recomputed for every account. A key another account already has, or a URL the rules refuse,
keeps the key it had (the editor sees the account's URL refused on its next save)."""

from django.db import migrations

from atlas_pages.rules import pasted, profile_urls


def profile_key(account):
    platform = account.platform
    hosts = profile_urls.parse_hosts(platform.hosts)
    profile = pasted.profile_url(account.url, platform.slug, platform.name, hosts)
    return profile_urls.normalise_profile_url(profile, hosts, platform.profile_path)


def recompute_keys(apps, schema_editor):
    SocialAccount = apps.get_model("atlas_pages.SocialAccount")
    accounts = list(SocialAccount.objects.select_related("platform").order_by("pk"))
    taken = {account.normalized_url for account in accounts}
    changed = []
    for account in accounts:
        try:
            key = profile_key(account)
        except ValueError:
            continue
        if key != account.normalized_url and key not in taken:
            taken.discard(account.normalized_url)
            taken.add(key)
            account.normalized_url = key
            changed.append(account)
    SocialAccount.objects.bulk_update(changed, ["normalized_url"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("atlas_pages", "0014_trust"),
    ]

    operations = [
        migrations.RunPython(recompute_keys, migrations.RunPython.noop),
    ]
