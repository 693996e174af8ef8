"""Actionable validation of account URLs: a duplicate links to the account it duplicates, a
URL of another platform names it, federated platforms are checked by the shape of the URL."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from atlas_pages.models import Platform, SocialAccount
from atlas_pages.rules import profile_urls
from tests.atlas_pages.editorial.test_workflow import account_form, snippet_url
from tests.factories import make_account, make_person, platform

pytestmark = pytest.mark.django_db


def url_errors(slug, url, **owner):
    account = SocialAccount(platform=platform(slug), url=url, **owner)
    with pytest.raises(ValidationError) as error:
        account.full_clean()
    return error.value.message_dict["url"]


def edit_url(account):
    return reverse(SocialAccount.snippet_viewset.get_url_name("edit"), args=(account.pk,))


class TestDuplicates:
    def test_names_the_existing_account_its_owner_and_status_with_a_link(self, tokyo):
        existing = make_account("https://x.com/NLinJapan", post=tokyo)
        [message] = url_errors("twitter", "https://twitter.com/nlinjapan/", post=tokyo)
        assert message == (
            "This profile is already registered: "
            f'<a href="{edit_url(existing)}" data-duplicate>X (Twitter): NLinJapan</a>, '
            "of Embassy in Tokyo (live)."
        )

    def test_a_pending_duplicate_says_so(self, tokyo):
        person = make_person(name="Jane <Example>", post=tokyo)
        make_account("https://x.com/JaneExample", person=person, live=False)
        [message] = url_errors("twitter", "https://x.com/janeexample", post=tokyo)
        assert "of Jane &lt;Example&gt; (draft)." in message

    def test_the_admin_shows_the_link(self, client, tokyo, moderator):
        existing = make_account("https://x.com/NLinJapan", post=tokyo)
        client.force_login(moderator)
        response = client.post(snippet_url(SocialAccount, "add"), account_form(tokyo))
        html = response.content.decode()
        assert f'<a href="{edit_url(existing)}" data-duplicate>' in html
        assert SocialAccount.objects.count() == 1


class TestWrongPlatform:
    @pytest.mark.parametrize(
        ("chosen", "url", "belongs_to"),
        [
            ("facebook", "https://twitter.com/NLinJapan", "X (Twitter)"),
            ("twitter", "https://www.instagram.com/nlintokyo/", "Instagram"),
            ("twitter", "https://social.example.org/@nlintokyo", "Mastodon"),
            ("bluesky", "https://mastodon.social/@nlintokyo", "Mastodon"),
            ("mastodon", "https://bsky.app/profile/nos.nl", "Bluesky"),
        ],
    )
    def test_names_the_platform_the_url_belongs_to(self, tokyo, chosen, url, belongs_to):
        chosen_name = platform(chosen).name
        [message] = url_errors(chosen, url, post=tokyo)
        text, button = message.split(" <button", 1)
        assert text == (
            f"This is a profile on {belongs_to}, not on {chosen_name}: "
            f"choose “{belongs_to}” as the platform, or leave the platform empty."
        )
        # ... and a button that chooses it (the admin's account form script).
        other = Platform.objects.get(name=belongs_to)
        assert f'data-switch-platform="{other.pk}"' in button
        assert f">Use {belongs_to}</button>" in button

    def test_an_unknown_host_keeps_the_plain_message(self, tokyo):
        [message] = url_errors("twitter", "https://example.org/NLinJapan", post=tokyo)
        assert message.startswith("The URL's host example.org does not belong to this platform")


class TestFederated:
    def test_mastodon_on_any_server(self, tokyo):
        account = make_account(
            "https://www.diplo.social/@NLinJapan/", post=tokyo, platform_slug="mastodon"
        )
        assert (account.normalized_url, account.handle) == ("diplo.social/@nlinjapan", "NLinJapan")
        # Another server's profile of the same name is another account...
        other = make_account(
            "https://mastodon.social/@NLinJapan", post=tokyo, platform_slug="mastodon"
        )
        assert other.normalized_url == "mastodon.social/@nlinjapan"
        # ...the same server's is a duplicate.
        [message] = url_errors("mastodon", "https://diplo.social/@nlinjapan", post=tokyo)
        assert message.startswith("This profile is already registered")

    @pytest.mark.parametrize(
        ("slug", "url", "shape"),
        [
            ("mastodon", "https://diplo.social/NLinJapan", "/@{handle}"),
            ("mastodon", "https://diplo.social/@NLinJapan/with_replies", "/@{handle}"),
            ("bluesky", "https://bsky.app/nos.nl", "/profile/{handle}"),
        ],
    )
    def test_a_url_of_another_shape_is_refused(self, tokyo, slug, url, shape):
        assert url_errors(slug, url, post=tokyo) == [
            f"This is not the address of a profile: its path should look like {shape}."
        ]

    def test_bluesky_custom_domain_handle(self, tokyo):
        account = make_account("https://bsky.app/profile/minbuza.nl", post=tokyo)
        assert (account.platform.slug, account.handle) == ("bluesky", "minbuza.nl")

    def test_a_blog_anywhere(self, tokyo):
        account = make_account("https://nlinjapan.example/blog/", post=tokyo, platform_slug="blog")
        assert account.normalized_url == "nlinjapan.example/blog"

    def test_platform_shape_needs_a_handle(self):
        shape = Platform(name="Pixelfed", slug="pixelfed", profile_path="/users/")
        with pytest.raises(ValidationError) as error:
            shape.full_clean()
        assert "profile_path" in error.value.message_dict

    def test_migration_recomputes_keys_of_mastodon_accounts(self, tokyo):
        account = make_account(
            "https://social.overheid.nl/@MinBZ", post=tokyo, platform_slug="mastodon"
        )
        # Before: every known Mastodon server was an alias of mastodon.social.
        SocialAccount.objects.filter(pk=account.pk).update(normalized_url="mastodon.social/@minbz")
        migration = importlib.import_module("atlas_pages.migrations.0005_platform_profile_shape")
        migration.apply_shapes(Platform, SocialAccount)
        account.refresh_from_db()
        assert account.normalized_url == "social.overheid.nl/@minbz"


@pytest.mark.parametrize(
    ("path", "shape", "handle"),
    [
        ("/@jane", "/@{handle}", "jane"),
        ("/@jane/", "/@{handle}", "jane"),
        ("/@jane/posts", "/@{handle}", None),
        ("/jane", "/@{handle}", None),
        ("/profile/jane.example.org", "/profile/{handle}", "jane.example.org"),
        ("/profile/", "/profile/{handle}", None),
        ("/users/jane.json", "/users/{handle}.json", "jane"),
    ],
)
def test_profile_handle(path, shape, handle):
    assert profile_urls.profile_handle(path, shape) == handle


def test_platform_for_url_prefers_known_hosts_then_federated_shapes(db):
    platforms = list(Platform.objects.all())
    found = {
        url: getattr(profile_urls.platform_for_url(url, platforms), "slug", None)
        for url in [
            "https://mobile.twitter.com/NLinJapan",
            "https://mastodon.social/@x",
            "https://any.server.example/@x",
            "https://bsky.app/profile/x.bsky.social",
            "https://example.org/x",
            "not a url at all ://",
        ]
    }
    assert found == {
        "https://mobile.twitter.com/NLinJapan": "twitter",
        "https://mastodon.social/@x": "mastodon",
        "https://any.server.example/@x": "mastodon",
        "https://bsky.app/profile/x.bsky.social": "bluesky",
        "https://example.org/x": None,
        "not a url at all ://": None,
    }


class TestPlatformFromTheURL:
    """The editor may leave the platform empty: the URL tells it, or the form asks."""

    @pytest.mark.parametrize(
        ("url", "slug"),
        [
            ("https://twitter.com/NLinJapan", "twitter"),
            ("https://diplo.social/@NLinJapan", "mastodon"),
            ("https://bsky.app/profile/nlinjapan.nl", "bluesky"),
        ],
    )
    def test_taken_from_the_url(self, client, tokyo, editor, url, slug):
        client.force_login(editor)
        response = client.post(
            snippet_url(SocialAccount, "add"), account_form(tokyo, platform="", url=url)
        )
        assert response.status_code == 302
        assert SocialAccount.objects.get().platform.slug == slug

    def test_asked_when_the_url_does_not_tell(self, client, tokyo, editor):
        client.force_login(editor)
        response = client.post(
            snippet_url(SocialAccount, "add"),
            account_form(tokyo, platform="", url="https://nlinjapan.example/blog"),
        )
        assert response.status_code == 200
        assert "The URL does not tell the platform: choose it (e.g. Blog)." in (
            response.content.decode()
        )
        assert not SocialAccount.objects.exists()
