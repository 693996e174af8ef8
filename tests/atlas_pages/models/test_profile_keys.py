"""An account's lookup key is its profile's, however its URL was spelled; migration 0015
recomputed the keys of accounts stored before (a tab's URL, /users/name on Mastodon)."""

import importlib

import pytest
from django.apps import apps

from atlas_pages.models import SocialAccount
from tests.factories import make_account

pytestmark = pytest.mark.django_db

migration = importlib.import_module("atlas_pages.migrations.0015_profile_keys")


def test_a_post_s_or_a_tab_s_url_has_its_profile_s_key(tokyo):
    account = make_account("https://nl.linkedin.com/company/nl-in-japan/about/", post=tokyo)
    assert (account.normalized_url, account.handle) == (
        "linkedin.com/company/nl-in-japan",
        "nl-in-japan",
    )
    account = make_account("https://x.com/NLinJapan/status/1798765432101234567", post=tokyo)
    assert (account.normalized_url, account.handle) == ("x.com/nlinjapan", "NLinJapan")


def test_the_migration_recomputes_stale_keys_and_keeps_a_taken_one(tokyo):
    tab = make_account("https://www.youtube.com/@NLinJapan/videos", post=tokyo)
    users = make_account(
        "https://social.overheid.nl/users/NLinJapan", post=tokyo, platform_slug="mastodon"
    )
    profile = make_account("https://x.com/NLinJapan", post=tokyo)
    post = make_account("https://x.com/NLinJapanToo", post=tokyo)
    # Stored before: the key of the URL as it was spelled.
    stale = {
        tab.pk: "youtube.com/@nlinjapan/videos",
        users.pk: "social.overheid.nl/users/nlinjapan",
        post.pk: "x.com/nlinjapan/status/1",
    }
    for pk, key in stale.items():
        SocialAccount.objects.filter(pk=pk).update(normalized_url=key)
    # A second spelling of an account already there keeps its key (the unique key holds).
    SocialAccount.objects.filter(pk=post.pk).update(url="https://x.com/NLinJapan/status/1")
    migration.recompute_keys(apps, None)
    keys = dict(SocialAccount.objects.values_list("pk", "normalized_url"))
    assert keys == {
        tab.pk: "youtube.com/@nlinjapan",
        users.pk: "social.overheid.nl/@nlinjapan",
        profile.pk: "x.com/nlinjapan",
        post.pk: "x.com/nlinjapan/status/1",
    }
