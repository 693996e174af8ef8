"""“Is this account official?” (/nl/controleer/, /en/verify/): a profile URL or a handle with
its platform; only a published account of a public owner is official; same normalisation as
the API's accountByUrl; a shareable GET answer in both languages, cached, with no SQL per new
URL; the site search sends a pasted profile URL to it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_account, make_user

pytestmark = pytest.mark.django_db

OFFICIAL = {"en": "Yes: this is an official account.", "nl": "Ja: dit is een officieel account."}
NOT_LISTED = {
    "en": "Not in the atlas: this is not a listed official account.",
    "nl": "Niet in de atlas: dit is geen vermeld officieel account.",
}
VERIFY_PATH = {"en": "/en/verify/", "nl": "/nl/controleer/"}


def _verify(client, language="en", **params):
    response = client.get(VERIFY_PATH[language], params)
    assert response.status_code == 200
    return response.content.decode()


def _answered(html):
    """The accounts the answer lists (their ids), or None for "not in the atlas"."""
    if NOT_LISTED["en"] in html or NOT_LISTED["nl"] in html:
        return None
    return [int(pk) for pk in re.findall(r'data-account="(\d+)"', html)]


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/NLinJapan",
        "https://twitter.com/nlinjapan",
        "http://www.x.com/NLinJapan/?s=20#top",
        "mobile.twitter.com/NLinJapan",
        "X.COM/NLINJAPAN/",
        "  https://m.x.com/NLinJapan  ",
    ],
)
def test_a_published_account_is_official_whatever_the_form_of_its_url(client, small_atlas, url):
    html = _verify(client, url=url)
    assert OFFICIAL["en"] in html
    assert _answered(html) == [small_atlas.accounts.tokyo_x.pk]
    # Whose (with a link to the post's page and the country's), on which platform.
    assert '<a href="/en/japan/embassy-in-tokyo/">Embassy in Tokyo</a>' in html
    assert '<a href="/en/japan/">Japan</a>' in html
    assert "X (Twitter)" in html and 'href="https://x.com/NLinJapan"' in html


def test_a_personal_account_names_its_person_in_the_language(client, small_atlas):
    html = _verify(client, "nl", url="https://x.com/JaneTanakaNL")
    assert OFFICIAL["nl"] in html
    assert "Jane Tanaka, Ambassadeur in Japan" in html
    assert '<a href="/nl/japan/ambassade-in-tokio/">Ambassade in Tokio</a>' in html
    html = _verify(client, "en", url="https://x.com/JaneTanakaNL")
    assert "Jane Tanaka, Ambassador to Japan" in html


def test_listed_since_is_the_first_publication(client, small_atlas):
    account = make_account("https://x.com/NewlyListed", post=small_atlas.tokyo, live=False)
    account.save_revision().publish()
    account.refresh_from_db()
    html = _verify(client, url="https://x.com/newlylisted")
    assert _answered(html) == [account.pk]
    # The page gives the date where the ministry is (TIME_ZONE), not in UTC.
    listed_on = timezone.localdate(account.first_published_at)
    assert f'<time datetime="{listed_on:%Y-%m-%d}">' in html
    assert "Listed since" in html


def _in_moderation(small_atlas):
    account = make_account("https://x.com/InReviewNL", post=small_atlas.tokyo, live=False)
    account.save_revision()
    account.get_workflow().start(account, make_user("editor"))
    assert account.workflow_in_progress
    return account


def _unpublished(small_atlas):
    account = make_account("https://x.com/FormerlyNL", post=small_atlas.tokyo, live=False)
    account.save_revision().publish()
    account.refresh_from_db()
    account.unpublish()
    account.refresh_from_db()
    assert not account.live and account.first_published_at
    return account


HIDDEN = ["draft", "in_moderation", "unpublished", "of_draft_post", "of_private_post"]


@pytest.mark.parametrize("hidden", [*HIDDEN, "of_draft_person"])
@pytest.mark.parametrize("language", ["en", "nl"])
def test_only_a_published_account_of_a_public_owner_is_official(
    client, small_atlas, hidden, language
):
    made = {"in_moderation": _in_moderation, "unpublished": _unpublished}
    account = made[hidden](small_atlas) if hidden in made else getattr(small_atlas.accounts, hidden)
    html = _verify(client, language, url=account.url)
    assert NOT_LISTED[language] in html
    assert _answered(html) is None
    answer = html.split('<section class="verify-answer"', 1)[1]
    # Only echoed in the form, the links to it and the link to report the address.
    answer = re.sub(r'<a href="[^"]*" data-report-link>', "", answer)
    assert account.handle not in answer
    for hidden_text in ("Osaka", "Sapporo", "Hidden Draftperson"):
        assert hidden_text not in answer


def test_not_in_the_atlas_gives_advice_and_the_contact(client, small_atlas, settings):
    settings.ATLAS_CONTACT_URL = "https://example.org/contact"
    settings.ATLAS_CONTACT_EMAIL = "atlas@example.org"
    html = _verify(client, url="https://x.com/FakeEmbassyJapan")
    assert NOT_LISTED["en"] in html
    assert "impersonation" in html
    assert 'href="https://example.org/contact"' in html
    assert 'href="mailto:atlas@example.org"' in html
    html = _verify(client, "nl", url="https://x.com/FakeEmbassyJapan")
    assert "imitatie" in html and "Laat het ons weten:" in html


@pytest.mark.parametrize(
    ("handle", "platform", "expected"),
    [
        ("@NLinJapan", "twitter", "tokyo_x"),
        ("nlinjapan", "twitter", "tokyo_x"),
        ("NLinCanada", "facebook", "ottawa_facebook"),
        ("@NLinVancouver@mastodon.social", "", "vancouver_mastodon"),  # a fediverse address
        ("x.com/JaneTanakaNL", "", "ambassador_x"),  # a URL in the handle field
        ("NLinJapan", "facebook", None),
        ("DraftAccountNL", "twitter", None),
        ("NLinSapporo", "twitter", None),
    ],
)
def test_a_handle_and_its_platform(client, small_atlas, handle, platform, expected):
    html = _verify(client, handle=handle, platform=platform)
    if expected is None:
        assert _answered(html) is None
    else:
        assert _answered(html) == [getattr(small_atlas.accounts, expected).pk]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"handle": "NLinJapan"}, "Choose the platform of the handle"),
        ({"url": "ftp://x.com/NLinJapan"}, "Enter a valid http(s) profile URL."),
        ({"url": "https://"}, "Enter a valid http(s) profile URL."),
    ],
)
def test_input_that_cannot_be_checked_says_why(client, small_atlas, params, message):
    html = _verify(client, **params)
    assert message in html and 'role="alert"' in html
    assert _answered(html) == [] and NOT_LISTED["en"] not in html


def test_nasty_input_is_answered_not_a_server_error(client, small_atlas):
    for value in ("https://x.com/" + "a" * 5000, "<script>", "https://[::1", "\x00", "@@@"):
        html = _verify(client, url=value)
        assert "<script>" not in html.split("<main", 1)[1]
        _verify(client, handle=value, platform="twitter")


def test_the_empty_form_and_its_platforms(client, small_atlas):
    html = _verify(client, "nl")
    assert "Is dit account officieel?" in html
    assert '<option value="mastodon">Mastodon</option>' in html
    assert 'role="alert"' not in html and _answered(html) == []


def test_the_answer_is_a_shareable_url_in_both_languages(client, small_atlas):
    html = _verify(client, "en", url="x.com/NLinJapan")
    # The language switcher keeps the question.
    assert 'href="/nl/controleer/?url=x.com%2FNLinJapan"' in html
    assert client.get("/nl/verify/").status_code == 404
    assert client.get("/en/controleer/").status_code == 404


@pytest.mark.parametrize("language", ["nl", "en"])
def test_linked_from_every_page(client, small_atlas, language):
    for path in (f"/{language}/", f"/{language}/japan/", f"/{language}/search/"):
        html = client.get(path).content.decode()
        assert f'href="{VERIFY_PATH[language]}"' in html, path
        assert f'href="/{language}/open-data/"' in html, path


def test_cached_per_url_and_no_sql_for_a_new_url(client, small_atlas):
    first = client.get("/en/verify/", {"url": "https://x.com/NLinJapan"})
    again = client.get("/en/verify/", {"url": "https://x.com/NLinJapan"})
    assert (first["X-Atlas-Cache"], again["X-Atlas-Cache"]) == ("miss", "hit")
    assert again.content == first.content
    # The first address not in the atlas reads the confirmed impersonators, once per
    # generation (atlas_pages.publication.impersonation).
    client.get("/en/verify/", {"url": "https://x.com/FirstUnknown"})
    # A crowd checking a new URL each: answered from the public atlas in memory.
    with CaptureQueriesContext(connection) as queries:
        for n in range(5):
            response = client.get("/en/verify/", {"url": f"https://x.com/Someone{n}"})
            assert response["X-Atlas-Cache"] == "miss"
    assert len(queries) == 0, [query["sql"] for query in queries]


def test_a_publish_changes_the_answer(client, small_atlas):
    draft = small_atlas.accounts.draft
    assert _answered(_verify(client, url=draft.url)) is None
    draft.save_revision().publish()
    assert _answered(_verify(client, url=draft.url)) == [draft.pk]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "pasted", ["https://x.com/NLinJapan", "x.com/NLinJapan", "https://example.org/@someone"]
)
def test_search_sends_a_pasted_profile_url_to_the_answer(client, small_atlas, language, pasted):
    response = client.get(f"/{language}/search/", {"q": f" {pasted} "})
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_PATH[language] + "?url=")
    answer = client.get(response["Location"]).content.decode()
    expected = OFFICIAL if "NLinJapan" in pasted else NOT_LISTED
    assert expected[language] in answer


@pytest.mark.parametrize("query", ["nl.japan", "Tokyo", "d'Ivoire", "NLinJapan", "Embassy / Tokyo"])
def test_search_words_are_searched(client, small_atlas, query):
    assert client.get("/en/search/", {"q": query}).status_code == 200
