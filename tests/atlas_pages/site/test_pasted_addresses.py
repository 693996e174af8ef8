"""What people paste, answered alike on the verify page (in both languages), by the API's
accountByUrl (over HTTP) and by the site search: a post's URL, a tab, a country or web
subdomain, @handle, @user@server, Mastodon's /users/name, a bare Bluesky handle
(atlas_pages.rules.pasted). An address that names no profile says why; a path like Mastodon's on
an unknown host is not Mastodon; what is not public is never found, however it is spelled."""

import json
from datetime import date

import pytest

from atlas_pages.models.signals import public_content_changed
from tests.atlas_pages.site.test_verify import NOT_LISTED, OFFICIAL, VERIFY_PATH, _answered
from tests.factories import make_account, make_person

pytestmark = pytest.mark.django_db


def _published(url, post, **fields):
    account = make_account(url, post=post, live=False, **fields)
    account.save_revision().publish()
    account.refresh_from_db()
    return account


@pytest.fixture
def atlas(small_atlas):
    """The small atlas with accounts on YouTube, Bluesky, a second Mastodon server and a
    Medium blog (filed as a blog)."""
    tokyo = small_atlas.tokyo
    accounts = small_atlas.accounts
    accounts.tokyo_youtube = _published("https://www.youtube.com/@NLinJapanTV", tokyo)
    accounts.tokyo_bluesky = _published("https://bsky.app/profile/nlinjapan.bsky.social", tokyo)
    accounts.tokyo_mastodon = _published(
        "https://social.overheid.nl/@NLinTokyo", tokyo, platform_slug="mastodon"
    )
    accounts.tokyo_medium = _published(
        "https://medium.com/@nlintokyoblog", tokyo, platform_slug="blog", handle="Tokyo blog"
    )
    return small_atlas


#: The issue's spellings, and more, with the account each names.
SPELLINGS = [
    ("https://x.com/NLinJapan/status/1798765432101234567", "tokyo_x"),
    ("https://twitter.com/NLinJapan/status/1798765432101234567?s=20", "tokyo_x"),
    ("mobile.twitter.com/NLinJapan/media", "tokyo_x"),
    ("@NLinJapan", "tokyo_x"),
    ("https://twitter.com/JaneTanakaNL/status/1", "ambassador_x"),
    ("nl.linkedin.com/company/nl-in-japan", "tokyo_linkedin"),
    ("https://au.linkedin.com/company/nl-in-japan/posts/?feedView=all", "tokyo_linkedin"),
    ("https://www.linkedin.com/company/nl-in-japan/about/", "tokyo_linkedin"),
    ("https://web.facebook.com/NLinCanada", "ottawa_facebook"),
    ("https://m.facebook.com/NLinCanada/posts/pfbid02abc", "ottawa_facebook"),
    ("https://www.facebook.com/NLinCanada/about", "ottawa_facebook"),
    ("youtube.com/@NLinJapanTV/videos", "tokyo_youtube"),
    ("https://m.youtube.com/@NLinJapanTV/featured", "tokyo_youtube"),
    ("@NLinVancouver@mastodon.social", "vancouver_mastodon"),
    ("https://mastodon.social/users/NLinVancouver", "vancouver_mastodon"),
    ("https://mastodon.social/@NLinVancouver/113456789012345678", "vancouver_mastodon"),
    ("https://social.overheid.nl/users/NLinTokyo/statuses/1", "tokyo_mastodon"),
    ("@NLinTokyo@social.overheid.nl", "tokyo_mastodon"),
    ("nlinjapan.bsky.social", "tokyo_bluesky"),
    ("@nlinjapan.bsky.social", "tokyo_bluesky"),
    ("https://bsky.app/profile/nlinjapan.bsky.social/post/3kabcdefghi2x", "tokyo_bluesky"),
    ("https://medium.com/@nlintokyoblog", "tokyo_medium"),
]

#: Addresses that name no profile: the reason, in each language.
REFUSED = [
    (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        {"en": "This YouTube address is of a post", "nl": "Dit YouTube-adres is van een bericht"},
    ),
    (
        "https://x.com/i/web/status/1798765432101234567",
        {"en": "This X (Twitter) address is of a post", "nl": "Dit X (Twitter)-adres is van"},
    ),
    ("https://t.co/AbCdEf", {"en": "This is a short link", "nl": "Dit is een verkorte link"}),
]


def _verify(client, language, **params):
    response = client.get(VERIFY_PATH[language], params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize(("spelling", "expected"), SPELLINGS)
def test_the_verify_page_finds_the_account(client, atlas, language, spelling, expected):
    html = _verify(client, language, url=spelling)
    assert OFFICIAL[language] in html
    assert _answered(html) == [getattr(atlas.accounts, expected).pk]


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize(("spelling", "reasons"), REFUSED)
def test_an_address_that_names_no_profile_says_why(client, atlas, language, spelling, reasons):
    html = _verify(client, language, url=spelling)
    assert reasons[language] in html and 'role="alert"' in html
    assert _answered(html) == [] and NOT_LISTED[language] not in html


def test_a_handle_in_the_url_box_takes_the_chosen_platform(client, atlas):
    assert _answered(_verify(client, "en", url="@NLinJapan", platform="facebook")) is None
    html = _verify(client, "en", url="@NLinCanada", platform="facebook")
    assert _answered(html) == [atlas.accounts.ottawa_facebook.pk]


def test_a_medium_blog_is_a_blog_and_mastodon_s_shape_elsewhere_is_not_mastodon(client, atlas):
    html = _verify(client, "en", url="https://medium.com/@nlintokyoblog")
    answer = html.split('<section class="verify-answer"', 1)[1]
    assert "Mastodon" not in answer
    # /users/name is Mastodon's spelling only on a Mastodon server.
    html = _verify(client, "en", url="https://medium.com/users/nlintokyoblog")
    assert _answered(html) is None


HIDDEN_SPELLINGS = [
    "https://x.com/DraftAccountNL/status/1",  # a draft account
    "@DraftAccountNL",
    "mobile.twitter.com/NLinOsaka/media",  # of a draft post
    "@NLinSapporo",  # of a private post
    "https://twitter.com/HiddenDraftperson/status/2",  # of a draft person
]


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("spelling", HIDDEN_SPELLINGS)
def test_what_is_not_public_is_never_found_however_spelled(client, atlas, language, spelling):
    html = _verify(client, language, url=spelling)
    assert _answered(html) is None
    assert NOT_LISTED[language] in html
    assert _account_by_url(client, spelling) is None


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_withdrawn_consent_is_never_found_however_spelled(client, atlas, language):
    employee = make_person(
        name="Withdrawn Employee",
        role="employee",
        post=atlas.tokyo,
        consent_given_at=date(2025, 1, 1),
    )
    make_account("https://x.com/WithdrawnEmployee", person=employee)
    spellings = ["x.com/WithdrawnEmployee/status/1", "@WithdrawnEmployee"]
    assert _answered(_verify(client, language, url=spellings[0])) != []
    employee.consent_withdrawn_at = date(2026, 1, 1)
    employee.save()
    public_content_changed.send(sender=type(employee))
    for spelling in spellings:
        html = _verify(client, language, url=spelling)
        assert _answered(html) is None and "Withdrawn Employee" not in html
        assert _account_by_url(client, spelling) is None


def _account_by_url(client, url, locale=None):
    query = "query ($u: String!, $l: String) { accountByUrl(url: $u, locale: $l) { id handle } }"
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": {"u": url, "l": locale}}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["accountByUrl"]


@pytest.mark.parametrize("locale", ["en", "nl"])
@pytest.mark.parametrize(("spelling", "expected"), SPELLINGS)
def test_account_by_url_over_http_gives_the_same_answer(client, atlas, locale, spelling, expected):
    account = getattr(atlas.accounts, expected)
    found = _account_by_url(client, spelling, locale)
    assert found is not None and found["handle"] == account.handle


@pytest.mark.parametrize("spelling", [text for text, _reasons in REFUSED])
def test_account_by_url_of_an_address_that_names_no_profile_is_null(client, atlas, spelling):
    assert _account_by_url(client, spelling) is None


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        (text, expected)
        for text, expected in SPELLINGS
        if not (text.startswith("@") and text.count("@") == 1 and "." not in text)
    ],
)
def test_search_sends_a_pasted_address_to_its_answer(client, atlas, language, spelling, expected):
    response = client.get(f"/{language}/search/", {"q": spelling})
    assert response.status_code == 302, spelling
    assert response["Location"].startswith(VERIFY_PATH[language] + "?url=")
    html = client.get(response["Location"]).content.decode()
    assert _answered(html) == [getattr(atlas.accounts, expected).pk]


@pytest.mark.parametrize("query", ["@NLinJapan", "NLinJapan", "nl.japan", "Tokyo"])
def test_search_searches_a_handle_or_words(client, atlas, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    if "NLinJapan" in query:
        assert 'href="https://x.com/NLinJapan"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_renamed_account_is_answered_alike_however_its_addresses_are_spelled(
    client, atlas, language
):
    from tests.atlas_pages.site.test_verify_status import _rename, _verdicts

    renamed = _rename(atlas)
    for spelling in ("x.com/NLinJapanNew/status/1", "https://mobile.twitter.com/NLinJapanNew"):
        html = _verify(client, language, url=spelling)
        assert _verdicts(html) == [(renamed.pk, "official")], spelling
    for spelling in ("https://twitter.com/NLinJapan/status/1", "@NLinJapan"):
        html = _verify(client, language, url=spelling)
        assert _verdicts(html) == [(renamed.pk, "renamed")], spelling
