"""Actionable validation of account URLs: a duplicate names the account it duplicates (the
admin links to it), a URL of another platform names it (the admin offers a button that chooses
it), federated platforms are checked by the shape of the URL, and a host is federated only where
the server or an editor says so."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from atlas_pages.editorial import importer
from atlas_pages.models import KnownServer, Platform, SocialAccount
from atlas_pages.rules import profile_urls
from tests.atlas_pages.editorial.test_workflow import account_form, snippet_url
from tests.factories import make_account, make_person, platform

pytestmark = pytest.mark.django_db


def url_error(slug, url, **owner):
    """The model's one error on the URL, with its code and parameters."""
    account = SocialAccount(platform=platform(slug), url=url, **owner)
    with pytest.raises(ValidationError) as error:
        account.full_clean()
    [coded] = error.value.error_dict["url"]
    return coded


def url_errors(slug, url, **owner):
    account = SocialAccount(platform=platform(slug), url=url, **owner)
    with pytest.raises(ValidationError) as error:
        account.full_clean()
    return error.value.message_dict["url"]


def admin_url_errors(user, slug, url, post):
    """The URL's errors as the admin's account form shows them (HTML)."""
    form_class = SocialAccount.snippet_viewset.get_edit_handler().get_form_class()
    data = account_form(post, platform=platform(slug).pk, url=url)
    form = form_class(data, instance=SocialAccount(), for_user=user)
    assert not form.is_valid()
    return list(form.errors["url"])


def recognised(host, slug="mastodon"):
    """A server the identity check recognised by its own API (a KnownServer row)."""
    return KnownServer.objects.create(
        host=host, platform=platform(slug), recognised_at=timezone.now()
    )


def edit_url(account):
    return reverse(SocialAccount.snippet_viewset.get_url_name("edit"), args=(account.pk,))


class TestDuplicates:
    def test_names_the_existing_account_its_owner_and_status(self, tokyo):
        existing = make_account("https://x.com/NLinJapan", post=tokyo)
        [message] = url_errors("twitter", "https://twitter.com/nlinjapan/", post=tokyo)
        assert message == (
            "This profile is already registered: X (Twitter): NLinJapan, "
            "of Embassy in Tokyo (live)."
        )
        error = url_error("twitter", "https://twitter.com/nlinjapan/", post=tokyo)
        assert (error.code, error.params["pk"]) == ("duplicate", existing.pk)

    def test_the_admin_form_links_to_it(self, tokyo, moderator):
        existing = make_account("https://x.com/NLinJapan", post=tokyo)
        [message] = admin_url_errors(moderator, "twitter", "https://twitter.com/nlinjapan/", tokyo)
        assert message == (
            "This profile is already registered: "
            f'<a href="{edit_url(existing)}" data-duplicate>X (Twitter): NLinJapan</a>, '
            "of Embassy in Tokyo (live)."
        )

    def test_a_pending_duplicate_says_so(self, tokyo, moderator):
        person = make_person(name="Jane <Example>", post=tokyo)
        make_account("https://x.com/JaneExample", person=person, live=False)
        [message] = url_errors("twitter", "https://x.com/janeexample", post=tokyo)
        assert message.endswith(", of Jane <Example> (draft).")
        [html] = admin_url_errors(moderator, "twitter", "https://x.com/janeexample", tokyo)
        assert "of Jane &lt;Example&gt; (draft)." in html

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
    def test_names_the_platform_the_url_belongs_to(self, tokyo, moderator, chosen, url, belongs_to):
        if belongs_to == "Mastodon":  # a server known to run it (never by the path's shape)
            recognised(url.split("/")[2])
        chosen_name = platform(chosen).name
        other = Platform.objects.get(name=belongs_to)
        text = (
            f"This is a profile on {belongs_to}, not on {chosen_name}: "
            f"choose “{belongs_to}” as the platform, or leave the platform empty."
        )
        assert url_errors(chosen, url, post=tokyo) == [text]
        error = url_error(chosen, url, post=tokyo)
        assert (error.code, error.params["other_pk"]) == ("other_platform", other.pk)
        # ... and in the admin, a button that chooses it (the account form's script).
        [message] = admin_url_errors(moderator, chosen, url, tokyo)
        html_text, button = message.split(" <button", 1)
        assert html_text == text
        assert f'data-switch-platform="{other.pk}"' in button
        assert f">Use {belongs_to}</button>" in button

    @pytest.mark.parametrize(
        "url", ["https://medium.com/@nlintokyo", "https://social.example.org/@nlintokyo"]
    )
    def test_a_path_like_mastodon_s_on_an_unknown_server_is_not_mastodon(self, tokyo, url):
        [message] = url_errors("twitter", url, post=tokyo)
        assert message.startswith("The URL's host ")
        assert "Mastodon" not in message

    def test_a_server_is_mastodon_once_an_editor_filed_an_account_there(self, tokyo):
        make_account("https://social.example.org/@NLinJapan", post=tokyo, platform_slug="mastodon")
        error = url_error("twitter", "https://social.example.org/@nlintokyo", post=tokyo)
        assert error.code == "other_platform"
        assert error.params["other"] == "Mastodon"

    def test_an_unknown_host_keeps_the_plain_message(self, tokyo, moderator):
        [message] = url_errors("twitter", "https://example.org/NLinJapan", post=tokyo)
        assert message.startswith("The URL's host example.org does not belong to this platform")
        assert url_error("twitter", "https://example.org/NLinJapan", post=tokyo).code is None
        [html] = admin_url_errors(moderator, "twitter", "https://example.org/NLinJapan", tokyo)
        assert "<button" not in html


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
            ("mastodon", "https://diplo.social/NLinJapan", "Mastodon"),
            ("mastodon", "https://diplo.social/tags/NLinJapan", "Mastodon"),
            ("bluesky", "https://bsky.app/nos.nl", "Bluesky"),
        ],
    )
    def test_a_url_of_another_shape_is_refused(self, tokyo, slug, url, shape):
        assert url_errors(slug, url, post=tokyo) == [
            f"This {shape} address is not a profile (a search, a hashtag, a setting or the "
            "like): paste the address of the profile."
        ]

    def test_a_tab_or_a_post_is_its_profile_and_users_is_at(self, tokyo):
        account = make_account(
            "https://diplo.social/users/NLinJapan", post=tokyo, platform_slug="mastodon"
        )
        assert (account.normalized_url, account.handle) == ("diplo.social/@nlinjapan", "NLinJapan")
        for url in (
            "https://diplo.social/@NLinJapan/with_replies",
            "https://diplo.social/@nlinjapan/1",
        ):
            [message] = url_errors("mastodon", url, post=tokyo)
            assert message.startswith("This profile is already registered")

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


def test_platform_for_url_by_registrable_domain_and_known_servers(tokyo):
    platforms = list(Platform.objects.all())
    servers = {"mastodon.social": "mastodon"}
    found = {
        url: getattr(profile_urls.platform_for_url(url, platforms, servers), "slug", None)
        for url in [
            "https://mobile.twitter.com/NLinJapan",
            "https://nl.linkedin.com/company/x/posts/",
            "https://web.facebook.com/NLinJapan",
            "https://mastodon.social/@x",
            "https://mastodon.social/users/x",
            "https://any.server.example/@x",
            "https://medium.com/@x",
            "https://bsky.app/profile/x.bsky.social",
            "https://example.org/x",
            "not a url at all ://",
        ]
    }
    assert found == {
        "https://mobile.twitter.com/NLinJapan": "twitter",
        "https://nl.linkedin.com/company/x/posts/": "linkedin",
        "https://web.facebook.com/NLinJapan": "facebook",
        "https://mastodon.social/@x": "mastodon",
        "https://mastodon.social/users/x": "mastodon",
        "https://any.server.example/@x": None,
        "https://medium.com/@x": None,
        "https://bsky.app/profile/x.bsky.social": "bluesky",
        "https://example.org/x": None,
        "not a url at all ://": None,
    }
    assert Platform.known_servers() == {}
    recognised("diplo.social")
    make_account("https://social.example.org/@x", post=tokyo, platform_slug="mastodon")
    assert Platform.known_servers() == {
        "diplo.social": "mastodon",
        "social.example.org": "mastodon",
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
        recognised("diplo.social")
        client.force_login(editor)
        response = client.post(
            snippet_url(SocialAccount, "add"), account_form(tokyo, platform="", url=url)
        )
        assert response.status_code == 302
        assert SocialAccount.objects.get().platform.slug == slug

    @pytest.mark.parametrize(
        "url", ["https://nlinjapan.example/blog", "https://medium.com/@nlinjapan"]
    )
    def test_asked_when_the_url_does_not_tell(self, client, tokyo, editor, url):
        client.force_login(editor)
        response = client.post(
            snippet_url(SocialAccount, "add"), account_form(tokyo, platform="", url=url)
        )
        assert response.status_code == 200
        assert "The URL does not tell the platform: choose it (e.g. Blog)." in (
            response.content.decode()
        )
        assert not SocialAccount.objects.exists()


def import_errors(csv: str) -> list[str]:
    """The import's messages for a CSV file's rows (atlas_pages.editorial.importer)."""
    report = importer.validate(importer.read_rows("accounts.csv", csv.encode()))
    return [error.message for error in report.errors]


SCHEME_TYPO = (
    "The address begins with “{typed}”, which no web address does: a profile URL begins "
    "with https://, e.g. https://x.com/NLinJapan."
)


class TestMistypedURL:
    """A URL the URL field refuses says what is wrong and what a valid one looks like, in the
    model (so in the import) and in the admin; not Django's bare "Enter a valid URL."."""

    @pytest.mark.parametrize(
        ("url", "typed"),
        [
            ("htps://x.com/NLinJapan", "htps://"),
            ("https//x.com/NLinJapan", "https//"),
            ("https:/x.com/NLinJapan", "https:/"),
            ("http;//x.com/NLinJapan", "http;//"),
            ("mailto:x.com/NLinJapan", "mailto:"),
        ],
    )
    def test_a_typo_in_the_scheme_is_named(self, tokyo, moderator, url, typed):
        message = SCHEME_TYPO.format(typed=typed)
        if "://" in url:  # the model sees what the import gives it; the import adds https://
            assert url_errors("twitter", url, post=tokyo)[0] == message
        [html] = admin_url_errors(moderator, "twitter", url, tokyo)
        assert html == message
        header = "platform,url,handle,post,person,language,display_name,note\n"
        assert import_errors(header + f"twitter,{url},,{tokyo.pk},,,,\n") == [f"url: {message}"]

    def test_another_mistake_shows_a_valid_address(self, tokyo, moderator):
        message = (
            "This is not a valid web address: a profile URL looks like "
            "https://x.com/NLinJapan, without spaces."
        )
        assert url_errors("twitter", "https://x.com/NL in Japan", post=tokyo)[0] == message
        assert admin_url_errors(moderator, "twitter", "not a url", tokyo) == [message]

    def test_the_new_url_of_a_renamed_account_too(self, tokyo, moderator):
        account = SocialAccount(
            platform=platform("twitter"),
            url="https://x.com/NLinJapan",
            new_url="htps://x.com/NLinJapanNew",
            status=SocialAccount.Status.RENAMED,
            post=tokyo,
        )
        with pytest.raises(ValidationError) as error:
            account.full_clean()
        assert error.value.message_dict["new_url"][0] == SCHEME_TYPO.format(typed="htps://")
        form_class = SocialAccount.snippet_viewset.get_edit_handler().get_form_class()
        data = account_form(tokyo, new_url="https//x.com/NLinJapanNew", status="renamed")
        form = form_class(data, instance=SocialAccount(), for_user=moderator)
        assert not form.is_valid()
        assert list(form.errors["new_url"]) == [SCHEME_TYPO.format(typed="https//")]

    def test_in_dutch(self, tokyo):
        with translation.override("nl"):
            message = url_errors("twitter", "htps://x.com/NLinJapan", post=tokyo)[0]
        assert message == (
            "Het adres begint met “htps://”, waarmee geen webadres begint: een profiel-URL "
            "begint met https://, bijvoorbeeld https://x.com/NLinJapan."
        )
