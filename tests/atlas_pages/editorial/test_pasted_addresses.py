"""What an editor pastes as an account's address, in the admin's form and in an import file
(atlas_pages.rules.pasted): a post's or a tab's URL becomes its profile's, a subdomain the
platform's, @user@server its profile URL; the platform is guessed when left empty, a path like
Mastodon's on an unknown host is not Mastodon, and an address that names no profile says why."""

import pytest
from django.utils import timezone

from atlas_pages.editorial import importer
from atlas_pages.models import KnownServer, SocialAccount
from tests.atlas_pages.editorial.test_import import HEADER
from tests.atlas_pages.editorial.test_workflow import account_form, snippet_url
from tests.factories import make_account, make_user, platform

pytestmark = pytest.mark.django_db

#: Pasted -> (the URL stored, the platform guessed).
PASTED = [
    (
        "https://x.com/NLinBelgium/status/1798765432101234567",
        "https://x.com/NLinBelgium",
        "twitter",
    ),
    ("mobile.twitter.com/NLinBrussels/media", "https://mobile.twitter.com/NLinBrussels", "twitter"),
    (
        "https://nl.linkedin.com/company/nl-in-belgium/posts/?feedView=all",
        "https://linkedin.com/company/nl-in-belgium",
        "linkedin",
    ),
    ("https://web.facebook.com/NLinBelgium/about", "https://facebook.com/NLinBelgium", "facebook"),
    ("youtube.com/@NLinBelgium/videos", "https://youtube.com/@NLinBelgium", "youtube"),
    (
        "https://www.instagram.com/nlinbelgium/p/C1AbCdEfGh/",
        "https://www.instagram.com/nlinbelgium",
        "instagram",
    ),
    ("https://diplo.social/users/NLinBelgium", "https://diplo.social/@NLinBelgium", "mastodon"),
    ("@NLinBelgium@diplo.social", "https://diplo.social/@NLinBelgium", "mastodon"),
    (
        "https://bsky.app/profile/nlinbelgium.bsky.social/post/3kabc",
        "https://bsky.app/profile/nlinbelgium.bsky.social",
        "bluesky",
    ),
]


@pytest.fixture
def diplo_social():
    """A server the identity check recognised as Mastodon."""
    return KnownServer.objects.create(
        host="diplo.social", platform=platform("mastodon"), recognised_at=timezone.now()
    )


@pytest.fixture(autouse=True)
def logged_in(client, db):
    client.force_login(make_user("editor", is_superuser=True))


def _add(client, post, **fields):
    return client.post(snippet_url(SocialAccount, "add"), account_form(post, **fields))


@pytest.mark.parametrize(("text", "stored", "slug"), PASTED)
def test_the_admin_form_stores_the_profile_and_guesses_the_platform(
    client, tokyo, diplo_social, text, stored, slug
):
    response = _add(client, tokyo, platform="", url=text)
    assert response.status_code == 302, response.content.decode()[-3000:]
    account = SocialAccount.objects.get()
    assert (account.url, account.platform.slug) == (stored, slug)


def test_the_admin_form_says_why_an_address_names_no_profile(client, tokyo):
    response = _add(client, tokyo, platform="", url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert response.status_code == 200
    assert "This YouTube address is of a post, video or photo" in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_a_medium_blog_is_not_taken_for_mastodon(client, tokyo):
    response = _add(client, tokyo, platform="", url="https://medium.com/@nlinbelgium")
    assert "The URL does not tell the platform: choose it (e.g. Blog)." in (
        response.content.decode()
    )
    assert _add(client, tokyo, platform=platform("blog").pk, url="https://medium.com/@nlinbelgium")
    assert SocialAccount.objects.get().platform.slug == "blog"


def test_the_editor_says_a_server_is_mastodon(client, tokyo):
    response = _add(
        client, tokyo, platform=platform("mastodon").pk, url="https://new.example/users/NLinBelgium"
    )
    assert response.status_code == 302
    assert SocialAccount.objects.get().url == "https://new.example/@NLinBelgium"
    # From now on the server is known: its addresses tell the platform.
    assert importer.validate(_rows(tokyo, ",https://new.example/@Other")).errors == []


def _rows(post, *cells):
    text = HEADER + "".join(f"{cell},,{post.pk},,,,\n" for cell in cells)
    return importer.read_rows("accounts.csv", text.encode())


def test_the_import_stores_the_profile_and_guesses_the_platform(tokyo, diplo_social):
    # One row per profile (a file naming one profile twice is refused: another test).
    pasted = {url: (text, slug) for text, url, slug in PASTED}
    report = importer.validate(_rows(tokyo, *(f",{text}" for text, _slug in pasted.values())))
    assert report.errors == []
    importer.apply(report)
    stored = set(SocialAccount.objects.values_list("url", "platform__slug"))
    assert stored == {(url, slug) for url, (_text, slug) in pasted.items()}


def test_one_profile_named_twice_in_a_file_is_refused(tokyo):
    report = importer.validate(
        _rows(tokyo, ",https://x.com/NLinBelgium", ",twitter.com/NLinBelgium/status/1")
    )
    assert [error.message for error in report.errors] == ["The same profile as line 2."]


def test_the_import_finds_an_account_already_there_however_spelled(tokyo):
    existing = make_account("https://www.linkedin.com/company/nl-in-japan", post=tokyo)
    make_account("https://x.com/NLinJapan", post=tokyo)
    report = importer.validate(
        _rows(
            tokyo,
            ",https://au.linkedin.com/company/nl-in-japan/about/",
            "twitter,https://twitter.com/NLinJapan/status/1798765432101234567",
        )
    )
    assert (report.errors, report.new, report.unchanged) == ([], [], [2, 3])
    assert existing.normalized_url == "linkedin.com/company/nl-in-japan"


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (",https://www.youtube.com/watch?v=dQw4w9WgXcQ", "This YouTube address is of a post"),
        (",https://t.co/AbCdEf", "This is a short link"),
        (",https://medium.com/@nlinbelgium", "The URL does not tell the platform"),
        (",https://unknown.example/@nlinbelgium", "The URL does not tell the platform"),
    ],
)
def test_the_import_says_why(tokyo, cell, message):
    [error] = importer.validate(_rows(tokyo, cell)).errors
    assert message in error.message
