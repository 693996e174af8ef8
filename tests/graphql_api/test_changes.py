"""The changes feed (atlas_pages.publication.changes): GraphQL `changes(since:)` over real
HTTP POSTs and
the Atom feed, across publish, change, unpublish, delete, move and privacy; no leaks."""

from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from wagtail.models import PageViewRestriction, Workflow

from atlas_pages.models import PublicChange, PublicSnapshot
from tests import factories

CHANGES = """
query Changes($since: DateTime!, $locale: String) {
  changes(since: $since, locale: $locale) {
    kind id action at
    account { handle url post { id } }
    person { name jobTitle }
    post { id name }
  }
}
"""
ATOM = "{http://www.w3.org/2005/Atom}"
LONG_AGO = "2000-01-01T00:00:00+00:00"


@pytest.fixture
def changes(data):
    def run(since=LONG_AGO, locale=None):
        return data(CHANGES, {"since": since, "locale": locale})["changes"]

    return run


def summary(changes):
    return {(change["kind"], int(change["id"]), change["action"]) for change in changes}


def latest(changes):
    return max(change["at"] for change in changes)


@pytest.fixture
def embassy(tokyo):
    """A post with a person and an account of each kind."""
    person = factories.make_person(name="Jane Example", post=tokyo, job_title="Ambassador")
    account = factories.make_account("https://x.com/NLinJapan", post=tokyo)
    personal = factories.make_account("https://x.com/JaneInJapan", person=person)
    return tokyo, person, account, personal


def hidden_items(tokyo, japan):
    """A draft, an item in moderation and a post under a view restriction, with an account."""
    draft = factories.make_account("https://x.com/DraftAccount", post=tokyo, live=False)
    draft.save_revision()
    in_review = factories.make_account("https://x.com/InReviewAccount", post=tokyo, live=False)
    in_review.save_revision()
    Workflow.objects.get(name="Press review").start(in_review, user=None)
    osaka = factories.make_post(japan, title="Consulate in Osaka", city="Osaka")
    PageViewRestriction.objects.create(page=osaka, restriction_type="password", password="x")
    factories.make_account("https://x.com/PrivateOsaka", post=osaka)
    return {"DraftAccount", "InReviewAccount", "PrivateOsaka", "Osaka"}, osaka


def test_first_call_lists_the_public_atlas_as_added_and_nothing_hidden(
    client, changes, japan, embassy
):
    tokyo, person, account, personal = embassy
    secrets, osaka = hidden_items(tokyo, japan)
    found = changes()
    assert summary(found) == {
        ("POST", tokyo.pk, "ADDED"),
        ("PERSON", person.pk, "ADDED"),
        ("ACCOUNT", account.pk, "ADDED"),
        ("ACCOUNT", personal.pk, "ADDED"),
    }
    by_kind = {change["kind"]: change for change in found}
    assert by_kind["POST"]["post"] == {"id": str(tokyo.pk), "name": "Embassy in Tokyo"}
    assert by_kind["PERSON"]["person"] == {"name": "Jane Example", "jobTitle": "Ambassador"}
    response = client.get("/nl/changes.atom")
    for text in (str(found), response.content.decode()):
        assert not any(secret in text for secret in secrets)
    # Nothing changed since: nothing listed.
    assert changes(latest(found)) == []


def test_unpublish_change_delete_and_privacy(changes, japan, embassy):
    tokyo, person, account, personal = embassy
    secrets, osaka = hidden_items(tokyo, japan)
    since = latest(changes())

    # A published change of a person; a draft change of an account shows nothing.
    person.job_title = "Ambassador to Japan"
    person.save_revision().publish()
    account.display_name = "Draft display name"
    account.save_revision()
    step = changes(since)
    assert summary(step) == {("PERSON", person.pk, "CHANGED")}
    assert step[0]["person"]["jobTitle"] == "Ambassador to Japan"
    since = latest(step)

    # Unpublishing the owner person removes its accounts too.
    person.unpublish()
    step = changes(since)
    assert summary(step) == {
        ("PERSON", person.pk, "REMOVED"),
        ("ACCOUNT", personal.pk, "REMOVED"),
    }
    assert all(change["person"] is None and change["account"] is None for change in step)
    since = latest(step)

    # Deletion.
    account_id = account.pk
    account.delete()
    step = changes(since)
    assert summary(step) == {("ACCOUNT", account_id, "REMOVED")}
    since = latest(step)

    # Publishing the hidden post adds it and its account; a view restriction removes it again.
    PageViewRestriction.objects.filter(page=osaka).delete()
    step = changes(since)
    osaka_account = osaka.accounts.get()
    assert summary(step) == {("POST", osaka.pk, "ADDED"), ("ACCOUNT", osaka_account.pk, "ADDED")}
    since = latest(step)
    PageViewRestriction.objects.create(page=tokyo, restriction_type="login")
    step = changes(since)
    assert summary(step) == {("POST", tokyo.pk, "REMOVED")}
    # Across all those steps: each object once, by its last change.
    overall = summary(changes(LONG_AGO))
    # Added and removed since then: still a tombstone (a client may have seen it elsewhere).
    assert ("ACCOUNT", account_id, "REMOVED") in overall
    assert ("POST", osaka.pk, "ADDED") in overall
    assert not any("InReview" in str(change) for change in overall)


def test_move_out_of_public_view_and_back(changes, atlas, japan, embassy):
    tokyo, person, account, personal = embassy
    hidden = factories.make_country(atlas, "KR", title="Korea")
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")
    since = latest(changes())
    tokyo.move(hidden, pos="last-child")
    step = changes(since)
    assert summary(step) == {
        ("POST", tokyo.pk, "REMOVED"),
        ("PERSON", person.pk, "REMOVED"),
        ("ACCOUNT", account.pk, "REMOVED"),
        ("ACCOUNT", personal.pk, "REMOVED"),
    }
    since = latest(step)
    tokyo.refresh_from_db()
    japan.refresh_from_db()
    tokyo.move(japan, pos="last-child")
    assert summary(changes(since)) == {
        ("POST", tokyo.pk, "ADDED"),
        ("PERSON", person.pk, "ADDED"),
        ("ACCOUNT", account.pk, "ADDED"),
        ("ACCOUNT", personal.pk, "ADDED"),
    }


def test_languages_have_their_own_post_ids(changes, japan, embassy):
    tokyo, person, account, personal = embassy
    factories.translate(japan, title="Japan")
    english = factories.translate(tokyo, title="Embassy in Tokyo (en)")
    dutch = {c["id"] for c in changes(locale="nl") if c["kind"] == "POST"}
    found = changes(locale="en")
    assert {c["id"] for c in found if c["kind"] == "POST"} == {str(english.pk)} != dutch
    [own] = [c for c in found if c["kind"] == "ACCOUNT" and c["id"] == str(account.pk)]
    assert own["account"]["post"] == {"id": str(english.pk)}


def test_a_naive_since_is_utc_and_a_bad_locale_is_an_error(gql, changes, embassy):
    assert changes("2000-01-01T00:00:00")
    result = gql(CHANGES, {"since": LONG_AGO, "locale": "xx"})
    assert "Unknown locale 'xx'" in result["errors"][0]["message"]
    result = gql(CHANGES, {"since": "yesterday"})
    assert result["errors"]


def test_one_snapshot_per_generation_in_a_chain(changes, embassy):
    tokyo, person, account, personal = embassy
    changes()
    changes()
    person.unpublish()
    changes()
    snapshots = list(PublicSnapshot.objects.order_by("generation"))
    assert len(snapshots) == 2
    assert snapshots[1].previous_generation == snapshots[0].generation
    assert snapshots[0].fingerprints == {}  # only the newest one is kept whole
    assert PublicChange.objects.filter(generation=snapshots[1].generation).count() == 4  # nl+en


QUERY_COUNT_AFTER_A_PUBLISH = 10


@pytest.mark.parametrize("extra_accounts", [0, 20])
def test_query_count_is_constant(
    changes, django_assert_num_queries, no_response_cache, embassy, extra_accounts
):
    tokyo, person, account, personal = embassy
    for number in range(extra_accounts):
        factories.make_account(f"https://x.com/Account{number}", post=tokyo)
    since = latest(changes())
    person.job_title = "Changed"
    person.save_revision().publish()
    # A new generation: the person's row read again (1: the other rows are the previous
    # generation's), its next expiry (1), the step recorded, the feed.
    with django_assert_num_queries(QUERY_COUNT_AFTER_A_PUBLISH):
        assert len(changes(since)) == 1
    with django_assert_num_queries(1):  # the same generation: the feed's one query
        assert len(changes(since)) == 1


def atom_entries(client, language):
    response = client.get(f"/{language}/changes.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "id": entry.find(f"{ATOM}id").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": datetime.fromisoformat(entry.find(f"{ATOM}updated").text),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_atom_feed_in_both_languages(client, japan, embassy):
    tokyo, person, account, personal = embassy
    secrets, osaka = hidden_items(tokyo, japan)
    factories.translate(japan, title="Japan")
    factories.translate(tokyo, title="Embassy in Tokyo (en)")
    dutch = atom_entries(client, "nl")
    assert {entry["title"] for entry in dutch} >= {
        "Toegevoegd: Embassy in Tokyo, Japan",
        "Toegevoegd: X (Twitter): NLinJapan (Embassy in Tokyo)",
    }
    english = atom_entries(client, "en")
    assert "Added: Embassy in Tokyo (en), Japan" in {entry["title"] for entry in english}
    assert all(entry["updated"] > datetime(2020, 1, 1, tzinfo=UTC) for entry in english)
    account_id = account.pk
    account.delete()
    newest = atom_entries(client, "en")[0]
    assert newest["title"] == f"Account {account_id} removed"
    assert newest["link"].endswith("/en/")
    assert atom_entries(client, "nl")[0]["title"] == f"Account {account_id} verwijderd"
    text = str(atom_entries(client, "nl")) + str(newest)
    assert not any(secret in text for secret in secrets)


def test_a_status_change_is_a_change(changes, embassy):
    """What the API shows of an account is what the log compares: its status and new URL too."""
    tokyo, person, account, personal = embassy
    since = latest(changes())
    account.status = "renamed"
    account.new_url = "https://x.com/NLinJapanNew"
    account.save_revision().publish()
    assert summary(changes(since)) == {("ACCOUNT", account.pk, "CHANGED")}
