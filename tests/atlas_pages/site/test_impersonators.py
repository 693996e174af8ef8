"""The public statement of confirmed impersonators: the verify page answers "known impersonator
of <account>, reported <date>" with the platform's report link; GraphQL lists them
(`impersonators`, and `verifyAddress` as KNOWN_IMPERSONATOR) from the in-memory read model
(no SQL once read); the open data has a file of its own. Leaks: a report that is new or
dismissed never shows, and an impersonated account that is not public (a draft, in moderation,
of a draft or private post, of a draft person, personal with consent withdrawn) is never named.
"""

import csv
import io
import json
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from atlas_pages.models import ImpersonatorReport, Platform
from atlas_pages.publication import generation
from atlas_pages.rules import profile_urls
from tests.factories import make_account, make_person, make_user

pytestmark = pytest.mark.django_db


def address_of(url):
    """The address as the report form stores it (compared as lookups compare it)."""
    hosts = [platform.host_list for platform in Platform.objects.all() if platform.host_list]
    return profile_urls.normalise_lookup_url(url, hosts)


FAKE = "https://x.com/NLinJapan_official"
VERIFY_PATH = {"en": "/en/verify/", "nl": "/nl/controleer/"}
REPORTED = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.get_current_timezone())
X_FORM = "https://help.x.com/en/forms/authenticity/impersonation"

QUERY = """
query Impersonators($locale: String) {
  impersonators(locale: $locale) {
    url platform { slug name } impersonates { id handle url } reportedAt confirmedAt reportUrl
  }
}
"""
VERIFY_QUERY = """
query Verify($url: String!, $locale: String) {
  verifyAddress(url: $url, locale: $locale) {
    kind official account { id } message impersonator { url impersonates { handle } }
  }
}
"""


def report(url=FAKE, status="confirmed", impersonates=None, reported_at=REPORTED, slug="twitter"):
    handled = reported_at + timedelta(days=1) if status != "new" else None
    return ImpersonatorReport.objects.create(
        platform=Platform.objects.get(slug=slug) if slug else None,
        url=url,
        normalized_url=address_of(url),
        reason="Uses the embassy's name and logo.",
        reported_at=reported_at,
        status=status,
        impersonates=impersonates,
        handled_at=handled,
    )


def gql(client, query, variables=None):
    body = {"query": query, "variables": variables or {}}
    response = client.post("/graphql/", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    result = response.json()
    assert "errors" not in result, result
    return result["data"]


def verify_answer(client, language="en", **params):
    html = client.get(VERIFY_PATH[language], params).content.decode()
    return html.split('<section class="verify-answer"', 1)[1].split("</section>", 1)[0]


# The verify page --------------------------------------------------------------------------------


def test_the_verify_page_names_a_confirmed_impersonator_in_both_languages(client, small_atlas):
    report(impersonates=small_atlas.accounts.tokyo_x)
    answer = verify_answer(client, url="https://twitter.com/nlinjapan_OFFICIAL/")
    assert "Known impersonator of NLinJapan (Embassy in Tokyo), reported 2 November 2026." in answer
    assert f'data-impersonated="{small_atlas.accounts.tokyo_x.pk}"' in answer
    assert 'href="https://x.com/NLinJapan"' in answer  # the official account, to compare
    assert f'href="{X_FORM}"' in answer
    assert "Not in the atlas" not in answer and "data-report-link" not in answer
    answer = verify_answer(client, "nl", url=FAKE)
    assert (
        "Bekende imitator van NLinJapan (Ambassade in Tokio), gemeld op 2 november 2026." in answer
    )


def test_a_handle_and_its_platform_find_the_impersonator_too(client, small_atlas):
    report(impersonates=small_atlas.accounts.tokyo_x)
    answer = verify_answer(client, handle="@NLinJapan_Official", platform="twitter")
    assert "Known impersonator of NLinJapan" in answer


@pytest.mark.parametrize(
    "pasted",
    [
        "https://x.com/NLinJapan_official/status/1861234567890123456",
        "mobile.twitter.com/nlinjapan_official?lang=en",
        "@NLinJapan_official@x.com",
    ],
)
def test_a_post_or_another_spelling_of_the_address_finds_the_impersonator(
    client, small_atlas, pasted
):
    """Understood as accounts are (rules.pasted): a post's URL is its profile's."""
    report(impersonates=small_atlas.accounts.tokyo_x)
    assert "Known impersonator of NLinJapan" in verify_answer(client, url=pasted)


def test_a_mastodon_impersonator_is_reported_to_its_own_server(client, small_atlas):
    url = "https://mastodon.example/@NLinVancouver"
    report(url=url, slug="mastodon", impersonates=small_atlas.accounts.vancouver_mastodon)
    answer = verify_answer(client, url=url)
    assert "Known impersonator" in answer
    assert 'href="https://mastodon.example/@NLinVancouver"' in answer  # its server's "Report"
    answer = verify_answer(client, handle="@NLinVancouver@mastodon.example")
    assert "Known impersonator" in answer


def test_confirming_starts_a_new_generation_and_the_cached_answer_changes(client, small_atlas):
    from atlas_pages.editorial.impersonators import confirm

    new = report(status="new")
    assert "Not in the atlas" in verify_answer(client, url=FAKE)
    before = generation.current()
    confirm(new.normalized_url, small_atlas.accounts.tokyo_x, make_user("moderator"))
    assert generation.current() != before
    assert "Known impersonator of NLinJapan" in verify_answer(client, url=FAKE)


# GraphQL ----------------------------------------------------------------------------------------


def test_graphql_lists_confirmed_impersonators_with_no_sql_once_read(
    client, small_atlas, no_response_cache, django_assert_num_queries
):
    report(impersonates=small_atlas.accounts.tokyo_x)
    report(
        url="https://www.facebook.com/NLinCanadaOfficial",
        slug="facebook",
        impersonates=small_atlas.accounts.ottawa_facebook,
        reported_at=REPORTED + timedelta(days=3),
    )
    expected = [
        {
            "url": "https://www.facebook.com/NLinCanadaOfficial",
            "platform": {"slug": "facebook", "name": "Facebook"},
            "impersonates": {
                "id": str(small_atlas.accounts.ottawa_facebook.pk),
                "handle": "NLinCanada",
                "url": "https://www.facebook.com/NLinCanada",
            },
            "reportedAt": "2026-11-05T09:00:00+00:00",
            "confirmedAt": "2026-11-06T09:00:00+00:00",
            "reportUrl": "https://www.facebook.com/help/contact/169486816475808",
        },
        {
            "url": FAKE,
            "platform": {"slug": "twitter", "name": "X (Twitter)"},
            "impersonates": {
                "id": str(small_atlas.accounts.tokyo_x.pk),
                "handle": "NLinJapan",
                "url": "https://x.com/NLinJapan",
            },
            "reportedAt": "2026-11-02T09:00:00+00:00",
            "confirmedAt": "2026-11-03T09:00:00+00:00",
            "reportUrl": X_FORM,
        },
    ]
    assert gql(client, QUERY)["impersonators"] == expected  # reads the atlas and the reports
    with django_assert_num_queries(0):
        assert gql(client, QUERY, {"locale": "en"})["impersonators"] == expected
        assert gql(client, QUERY, {"locale": "nl"})["impersonators"] == expected


def test_verify_address_answers_known_impersonator(client, small_atlas):
    report(impersonates=small_atlas.accounts.tokyo_x)
    variables = {"url": "x.com/nlinjapan_official", "locale": "en"}
    verdict = gql(client, VERIFY_QUERY, variables)["verifyAddress"]
    message = verdict.pop("message")
    assert verdict == {
        "kind": "KNOWN_IMPERSONATOR",
        "official": False,
        "account": None,
        "impersonator": {"url": FAKE, "impersonates": {"handle": "NLinJapan"}},
    }
    assert message.startswith("Known impersonator of X (Twitter) NLinJapan (Embassy in Tokyo)")
    assert message.endswith(": not official.")


# Open data --------------------------------------------------------------------------------------


def test_the_open_data_lists_confirmed_impersonators(client, small_atlas):
    report(impersonates=small_atlas.accounts.tokyo_x)
    document = json.loads(client.get("/export/impersonators.json", {"lang": "en"}).content)
    assert document["licence"] and document["language"] == "en"
    assert document["impersonators"] == [
        {
            "url": FAKE,
            "platform": "twitter",
            "impersonates_account_id": small_atlas.accounts.tokyo_x.pk,
            "impersonates_url": "https://x.com/NLinJapan",
            "impersonates_owner": "Embassy in Tokyo",
            "reported_at": "2026-11-02T09:00:00+00:00",
            "confirmed_at": "2026-11-03T09:00:00+00:00",
            "report_url": X_FORM,
        }
    ]
    response = client.get("/export/impersonators.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="social-media-atlas-impersonators-nl.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["url"], row["impersonates_owner"]) for row in rows] == [
        (FAKE, "Ambassade in Tokio")
    ]
    page = client.get("/en/open-data/").content.decode()
    assert 'data-export="impersonators.csv"' in page and "impersonates_account_id" in page


# Leaks ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["new", "dismissed"])
def test_a_new_or_dismissed_report_never_shows(client, small_atlas, status):
    report(status=status, impersonates=small_atlas.accounts.tokyo_x)
    answer = verify_answer(client, url=FAKE)
    assert "Not in the atlas" in answer and "impersonator of" not in answer
    assert gql(client, QUERY)["impersonators"] == []
    verdict = gql(client, VERIFY_QUERY, {"url": FAKE})["verifyAddress"]
    assert verdict["kind"] == "NOT_LISTED" and verdict["impersonator"] is None
    assert json.loads(client.get("/export/impersonators.json").content)["impersonators"] == []
    assert "NLinJapan_official" not in client.get("/export/impersonators.csv").content.decode()


def _in_moderation(small_atlas):
    account = make_account("https://x.com/InReviewNL", post=small_atlas.tokyo, live=False)
    account.save_revision()
    account.get_workflow().start(account, make_user("editor"))
    return account


def _withdrawn(small_atlas):
    person = make_person(
        name="Staff Member",
        role="employee",
        post=small_atlas.tokyo,
        consent_given_at=date(2025, 1, 1),
        consent_withdrawn_at=date(2026, 1, 1),
    )
    return make_account("https://x.com/StaffMemberNL", person=person)


def _consented(small_atlas):
    person = make_person(
        name="Staff Member",
        role="employee",
        post=small_atlas.tokyo,
        consent_given_at=date(2025, 1, 1),
    )
    return make_account("https://x.com/StaffMemberNL", person=person)


HIDDEN = {
    "draft": lambda atlas: atlas.accounts.draft,
    "in moderation": _in_moderation,
    "of a draft post": lambda atlas: atlas.accounts.of_draft_post,
    "of a private post": lambda atlas: atlas.accounts.of_private_post,
    "of a draft person": lambda atlas: atlas.accounts.of_draft_person,
    "consent withdrawn": _withdrawn,
}


@pytest.mark.parametrize("hidden", list(HIDDEN))
@pytest.mark.parametrize("language", ["en", "nl"])
def test_an_impersonated_account_that_is_not_public_is_never_named(
    client, small_atlas, hidden, language
):
    account = HIDDEN[hidden](small_atlas)
    report(impersonates=account)
    answer = verify_answer(client, language, url=FAKE)
    statement = {"en": "Known impersonator, reported", "nl": "Bekende imitator, gemeld op"}
    assert statement[language] in answer
    for text in (account.handle, "Osaka", "Sapporo", "Hidden Draftperson", "Staff Member"):
        assert text not in answer
    listed = gql(client, QUERY, {"locale": language})["impersonators"]
    assert [(item["url"], item["impersonates"]) for item in listed] == [(FAKE, None)]
    verdict = gql(client, VERIFY_QUERY, {"url": FAKE})["verifyAddress"]
    assert verdict["impersonator"]["impersonates"] is None
    assert account.handle not in verdict["message"]
    for name in ("impersonators.json", "impersonators.csv"):
        body = client.get(f"/export/{name}", {"lang": language}).content.decode()
        assert account.handle not in body and "Staff Member" not in body


def test_the_impersonated_account_is_named_once_consent_stands(client, small_atlas):
    """The control of the leak test: the same personal account, with consent, is named."""
    account = _consented(small_atlas)
    report(impersonates=account)
    assert "Known impersonator of StaffMemberNL (Staff Member)" in verify_answer(client, url=FAKE)


def test_a_withdrawal_after_the_confirmation_unnames_the_account(client, small_atlas):
    from atlas_pages.models import Person, withdraw_consent

    account = _consented(small_atlas)
    report(impersonates=account)
    assert "StaffMemberNL" in verify_answer(client, url=FAKE)
    person = Person.objects.get(pk=account.person_id)
    person.consent_withdrawn_at = date(2026, 12, 1)
    withdraw_consent(person)  # at once: a new generation, without moderation
    answer = verify_answer(client, url=FAKE)
    assert "Known impersonator, reported" in answer and "StaffMemberNL" not in answer
