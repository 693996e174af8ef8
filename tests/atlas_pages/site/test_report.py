"""Reporting an impersonator (/en/report/, /nl/melden/): reached from the verify page's "not in
the atlas" answer with the address filled in; a valid report lands in the press desk's queue;
no personal data (no IP address stored, not even in the cache's keys); spam-safe (a hidden
field, a minimum fill time, CSRF, a rate limit per client); hostile input refused with a
message, never a 500; the form is never cached, the verify page still is."""

import re
import time

import pytest
from django.core import signing
from django.core.cache import caches
from django.test import Client

from atlas_pages.models import ImpersonatorReport
from atlas_pages.site import report

pytestmark = pytest.mark.django_db

REPORT_PATH = {"en": "/en/report/", "nl": "/nl/melden/"}
THANKS_PATH = {"en": "/en/report/thanks/", "nl": "/nl/melden/bedankt/"}
VERIFY_PATH = {"en": "/en/verify/", "nl": "/nl/controleer/"}
FAKE = "https://x.com/NLinJapan_official"
REASON = "Uses the embassy's logo and name, and asks for visa fees by direct message."


def started(seconds_ago=10):
    """The form's signed start time, as if shown `seconds_ago`."""
    return signing.TimestampSigner(salt=report._SIGNER_SALT).sign(
        str(int(time.time()) - seconds_ago)
    )


def form_data(**overrides):
    data = {"platform": "twitter", "url": FAKE, "reason": REASON, "started": started()}
    return {**data, **overrides}


def send(client, language="en", client_address="127.0.0.1", **overrides):
    return client.post(REPORT_PATH[language], form_data(**overrides), REMOTE_ADDR=client_address)


def test_the_verify_page_links_to_the_form_with_the_address_filled_in(client, small_atlas):
    for language in ("en", "nl"):
        html = client.get(VERIFY_PATH[language], {"url": FAKE}).content.decode()
        link = re.search(r'<a href="([^"]+)" data-report-link>', html)
        assert link, language
        href = link[1].replace("&amp;", "&")
        assert href == f"{REPORT_PATH[language]}?url=https%3A//x.com/NLinJapan_official"
        form = client.get(href)
        assert form.status_code == 200
        page = form.content.decode()
        assert f'value="{FAKE}"' in page
        assert '<option value="twitter" selected>' in page
    # An official account's answer offers no report.
    html = client.get(VERIFY_PATH["en"], {"url": "https://x.com/NLinJapan"}).content.decode()
    assert "data-report-link" not in html


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_report_lands_in_the_queue_and_the_visitor_learns_what_happens_next(
    client, small_atlas, language
):
    response = send(client, language, url="https://twitter.com/NLinJapan_Official/")
    assert response.status_code == 302
    assert response["Location"] == f"{THANKS_PATH[language]}?platform=twitter"
    stored = ImpersonatorReport.objects.get()
    assert stored.status == ImpersonatorReport.Status.NEW
    assert stored.platform.slug == "twitter"
    assert stored.url == "https://twitter.com/NLinJapan_Official"
    assert stored.normalized_url == "x.com/nlinjapan_official"  # grouped with x.com's spelling
    assert stored.reason == REASON and stored.language == language
    thanks = client.get(response["Location"]).content.decode()
    assert 'href="https://help.x.com/en/forms/authenticity/impersonation"' in thanks
    words = {"en": "What happens next", "nl": "Wat er nu gebeurt"}
    assert words[language] in thanks


def test_the_platform_is_taken_from_the_address_when_not_chosen(client, small_atlas):
    assert (
        send(client, platform="", url="https://www.facebook.com/NLinCanada.Official").status_code
        == 302
    )
    assert ImpersonatorReport.objects.get().platform.slug == "facebook"


def test_no_personal_data_is_asked_or_kept(client, small_atlas):
    html = client.get(REPORT_PATH["en"]).content.decode()
    assert "do not store your IP address" in html
    assert 'type="email"' not in html and 'name="name"' not in html
    client.post(REPORT_PATH["en"], form_data(), REMOTE_ADDR="203.0.113.77")
    stored = ImpersonatorReport.objects.values().get()
    assert "203.0.113.77" not in repr(stored)
    # The rate limit counts a keyed hash of the address: not the address, in keys or values.
    cache = caches["default"]
    assert "203.0.113.77" not in repr(list(cache._cache.items()))
    assert cache._cache  # it did count


def test_a_robot_filling_the_hidden_field_is_thanked_and_ignored(client, small_atlas):
    response = send(client, leave_empty="http://spam.example")
    assert response.status_code == 302 and response["Location"].startswith(THANKS_PATH["en"])
    assert not ImpersonatorReport.objects.exists()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (lambda: started(seconds_ago=0), "That was quick"),
        (lambda: started(seconds_ago=2 * 86400), "This form has expired"),
        (lambda: "1700000000:forged", "This form has expired"),
        (lambda: "", "This form has expired"),
    ],
)
def test_a_form_sent_too_fast_or_with_a_bad_start_time_is_refused(
    client, small_atlas, token, message
):
    response = send(client, started=token())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImpersonatorReport.objects.exists()


def test_a_few_reports_per_hour_per_client(client, small_atlas):
    for index in range(5):
        response = send(client, url=f"https://x.com/Fake{index}", client_address="198.51.100.1")
        assert response.status_code == 302, index
    refused = send(client, url="https://x.com/Fake5", client_address="198.51.100.1")
    assert refused.status_code == 429
    assert "several reports in the last hour" in refused.content.decode()
    assert ImpersonatorReport.objects.count() == 5
    # Another client is not held back; an IPv6 /64 is one client.
    assert send(client, url="https://x.com/Fake6", client_address="198.51.100.2").status_code == 302
    for index in range(5):
        address = f"2001:db8:1:2::{index + 1}"
        assert (
            send(client, url=f"https://x.com/V6{index}", client_address=address).status_code == 302
        )
    assert (
        send(client, url="https://x.com/V6x", client_address="2001:db8:1:2::99").status_code == 429
    )


def test_invalid_forms_do_not_count_against_the_limit(client, small_atlas):
    for _ in range(6):
        assert send(client, reason="short").status_code == 400
    assert send(client).status_code == 302


def test_reports_are_taken_while_the_shared_cache_is_down(client, small_atlas, redis_down):
    assert send(client).status_code == 302
    assert ImpersonatorReport.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reason", "x" * 5000, "at most 2000 characters"),
        ("reason", "It is fake\x00 really fake", "Null characters are not allowed."),
        ("reason", "It is fake \x1b[31m really fake", "control characters"),
        ("reason", "Fake! \u202eelbisivni\u202c really", "control characters"),
        ("reason", "Fake: <script>alert(1)</script> indeed", "HTML tags"),
        ("reason", 'See <a href="https://evil.example">this</a>', "HTML tags"),
        ("reason", "   ", "Tell us in a few words why you think so."),
        ("reason", "fake", "at least 10 characters"),
        ("url", "not an address", "This is not a valid web address"),
        ("url", "javascript:alert(1)", "which no web address does"),
        ("url", "https://x.com/" + "a" * 2100, "at most 2000 characters"),
        ("url", "https://x.com/Fake\x07Bell", "control characters"),
        ("url", "", "Enter the address of the account."),
        ("url", "https://www.facebook.com/FakeEmbassy", "This address is not on X (Twitter)"),
        ("url", "https://x.com/NLinJapan", "official account in the atlas"),
        ("platform", "no-such-platform", "Select a valid choice"),
    ],
)
def test_hostile_input_is_refused_with_a_message(client, small_atlas, field, value, message):
    response = send(client, **{field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert "<script>alert(1)</script>" not in html  # echoed escaped, if at all
    assert not ImpersonatorReport.objects.exists()


def test_a_huge_request_is_a_400_not_a_500(client, small_atlas, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = send(client, reason="x" * 20_000)
    assert response.status_code == 400
    assert not ImpersonatorReport.objects.exists()


def test_csrf_is_required(small_atlas):
    client = Client(enforce_csrf_checks=True)
    assert client.post(REPORT_PATH["en"], form_data()).status_code == 403
    page = client.get(REPORT_PATH["en"]).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(REPORT_PATH["en"], form_data(csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert ImpersonatorReport.objects.count() == 1


def test_the_form_is_never_cached_and_the_verify_page_still_is(client, small_atlas):
    for _ in range(2):
        response = client.get(REPORT_PATH["en"], {"url": FAKE})
        assert response.status_code == 200
        assert "X-Atlas-Cache" not in response
        assert "no-store" in response["Cache-Control"]
        assert "csrftoken" in response.cookies
    states = [Client().get(VERIFY_PATH["en"], {"url": FAKE})["X-Atlas-Cache"] for _ in range(2)]
    assert states == ["miss", "hit"]


def test_the_messages_speak_dutch_on_the_dutch_form(client, small_atlas):
    page = client.get(REPORT_PATH["nl"]).content.decode()
    assert "Een imitator melden" in page and "bewaren uw IP-adres niet" in page
    response = send(client, "nl", reason="Zie <b>dit</b> maar eens goed")
    assert response.status_code == 400
    assert "Schrijf platte tekst" in response.content.decode()
    response = send(client, "nl", started=started(seconds_ago=0))
    assert "Dat ging snel" in response.content.decode()


def test_a_post_of_the_impersonator_is_reported_as_its_profile(client, small_atlas):
    """The form understands what is pasted as the verify page does: reports of a post and of
    the profile group under one address."""
    response = send(client, "en", url="https://x.com/NLinJapan_Official/status/1861234567890")
    assert response.status_code == 302
    stored = ImpersonatorReport.objects.get()
    assert stored.url == "https://x.com/NLinJapan_Official"
    assert stored.normalized_url == "x.com/nlinjapan_official"
