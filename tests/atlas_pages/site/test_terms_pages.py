"""Terms of office on the site: the person's term on the post page, "formerly at <post>" on the
verify page for a departed person's own account (no longer on the post page), the term columns
in the open data."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from tests.factories import make_account, make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def ambassador(tokyo):
    person = make_person(
        name="Anna Departing",
        post=tokyo,
        consent_given_at=TODAY() - timedelta(days=900),
        term_start=TODAY() - timedelta(days=900),
    )
    make_account("https://x.com/AnnaOwn", person=person, speaks_for="person")
    make_account("https://x.com/AmbassadorJapan", person=person)
    return person


def test_the_post_page_shows_the_term(client, tokyo, ambassador):
    html = client.get(tokyo.url).content.decode()
    start = date_format(TODAY() - timedelta(days=900), "j F Y")
    assert "data-term" in html and start in html
    assert "AnnaOwn" in html and "AmbassadorJapan" in html


def test_after_the_term_the_own_account_is_formerly_at_the_post(client, tokyo, ambassador):
    ambassador.term_end = TODAY()
    ambassador.save_revision()  # a draft: takes effect at once
    html = client.get(tokyo.url).content.decode()
    assert "AnnaOwn" not in html and "Anna Departing" not in html
    assert "AmbassadorJapan" in html  # the position's account stays with the post
    verify = client.get("/nl/controleer/", {"url": "https://x.com/AnnaOwn"}).content.decode()
    assert "data-formerly-at" in verify and 'data-account="' in verify
    assert f'href="{tokyo.url}"' in verify.split("data-formerly-at")[1]


def test_the_open_data_has_the_term_columns(client, tokyo, ambassador):
    ambassador.term_end = TODAY() - timedelta(days=1)
    ambassador.save_revision()
    records = json.loads(client.get("/export/accounts.json?lang=nl").content)["accounts"]
    by_handle = {record["handle"]: record for record in records}
    own, position = by_handle["AnnaOwn"], by_handle["AmbassadorJapan"]
    assert own["person_term_start"] == (TODAY() - timedelta(days=900)).isoformat()
    assert own["person_term_end"] == (TODAY() - timedelta(days=1)).isoformat()
    assert (own["formerly_at_post_id"], own["post_id"]) == (tokyo.pk, None)
    assert (position["formerly_at_post_id"], position["post_id"]) == (None, tokyo.pk)
    header = client.get("/export/accounts.csv?lang=nl").content.decode().splitlines()[0]
    assert "person_term_start,person_term_end,formerly_at_post_id" in header
