"""The Wikidata surfaces serve public data only: the API's wikidataId, the open data's Wikidata
columns and the Wikidata report's stale claims and QuickStatements (which would carry what they
state to Wikidata). A draft post, a post in moderation, a private post, a draft person, a draft
account and a draft change of a live account all have Wikidata ids and claims; none shows."""

import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from atlas_pages.models import Person, PostPage, SocialAccount, WikidataClaim
from atlas_pages.publication import public_atlas
from atlas_pages.publication import wikidata as wikidata_report
from tests.factories import make_account, make_country, make_person, make_post, make_user

pytestmark = pytest.mark.django_db

#: The ids and handles of what is not public: none may show on any surface.
HIDDEN = (
    "Q2001", "Q2002", "Q2003", "Q2004",
    "ZorkDraftPost", "ZorkModerated", "ZorkPrivate", "ZorkDraftPerson", "ZorkDraftAccount",
    "ZorkDraftRename",
)  # fmt: skip

QUERY = """{
  countries { code wikidataId posts { name wikidataId people { name wikidataId } } }
  posts(pagination: {limit: 50}) { results { name wikidataId } }
  people(pagination: {limit: 50}) { results { name wikidataId } }
}"""


def claim(qid, pid, value):
    WikidataClaim.objects.create(qid=qid, pid=pid, value=value, fetched_at=timezone.now())


@pytest.fixture
def histories(atlas, japan, tokyo):
    """The embassy in Tokyo (public, Q11878930) and one of each thing that is not public."""
    editor = make_user("editor", Group.objects.get(name="Press editors"))
    PostPage.objects.filter(pk=tokyo.pk).update(wikidata_id="Q11878930")
    make_account("https://x.com/NLinJapan", post=tokyo)
    claim("Q11878930", "P2002", "Stranger")

    # A draft post (never published) with an account and a closed one claimed.
    draft = make_post(japan, "Consulate in Osaka", city="Osaka", wikidata_id="Q2001")
    draft.unpublish()
    make_account("https://x.com/ZorkDraftPost", post=draft)
    claim("Q2001", "P2002", "Stranger2")

    # A post in moderation: its id only in the revision submitted.
    moderated = make_post(japan, "Consulate in Sapporo", city="Sapporo")
    make_account("https://x.com/ZorkModerated", post=moderated, live=False)
    moderated.wikidata_id = "Q2002"
    moderated.save_revision(user=editor)
    moderated.get_workflow().start(moderated, editor)
    claim("Q2002", "P2002", "Stranger3")

    # A private post (a view restriction) with its accounts, one closed and claimed elsewhere.
    canada = make_country(atlas, "CA", title="Canada", wikidata_id="Q16")
    private = make_post(canada, "Embassy in Ottawa", city="Ottawa", wikidata_id="Q2003")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    make_account("https://x.com/ZorkPrivate", post=private)
    make_account(
        "https://x.com/ZorkClosedPrivate",
        post=private,
        status=SocialAccount.Status.CLOSED,
        status_since=timezone.localdate(),
    )
    claim("Q2003", "P2002", "Stranger4")
    # Claimed by the public item: Wikidata's value, but the atlas may not say it is closed.
    claim("Q11878930", "P2002", "ZorkClosedPrivate")

    make_person(post=tokyo, wikidata_id="Q98765432")  # public, with no account

    # A draft person at the public post, with an account.
    person = make_person("Zork Draft Person", post=tokyo, wikidata_id="Q2004")
    Person.objects.filter(pk=person.pk).update(live=False)
    make_account("https://x.com/ZorkDraftPerson", person=person)
    claim("Q2004", "P2002", "Stranger5")

    # A draft account of the public post, and a draft rename of its live account.
    make_account("https://x.com/ZorkDraftAccount", post=tokyo, live=False)
    live = SocialAccount.objects.get(normalized_url="x.com/nlinjapan")
    live.status, live.new_url = SocialAccount.Status.RENAMED, "https://x.com/ZorkDraftRename"
    live.save_revision(user=editor)
    return tokyo


def assert_hidden(text, where):
    for hidden in HIDDEN:
        assert hidden not in text, f"{where}: {hidden}"


def test_the_api_shows_the_ids_of_public_countries_posts_and_people_only(client, histories):
    response = client.post("/graphql/", {"query": QUERY}, content_type="application/json")
    data = response.json()["data"]
    assert_hidden(json.dumps(data), "API")
    assert {(c["code"], c["wikidataId"]) for c in data["countries"]} == {
        ("JP", None),
        ("CA", "Q16"),
    }
    assert [(p["name"], p["wikidataId"]) for p in data["people"]["results"]] == [
        ("Jane Example", "Q98765432")
    ]
    # The post in moderation is live: without the id its revision in review has.
    assert {(p["name"], p["wikidataId"]) for p in data["posts"]["results"]} == {
        ("Consulate in Sapporo", None),
        ("Embassy in Tokyo", "Q11878930"),
    }


def test_the_open_data_shows_the_ids_of_public_posts_only(client, histories):
    for name in ("accounts.csv", "accounts.json", "posts.geojson"):
        body = client.get(f"/export/{name}?lang=nl").content.decode()
        assert "Q11878930" in body, name
        assert_hidden(body, name)


def test_the_report_and_its_batch_state_public_data_only(histories):
    report = wikidata_report.report(public_atlas.public_atlas(), timezone.localdate())
    text = report.quickstatements + repr(report.stale)
    assert_hidden(text, "report")
    # The public embassy's own account is claimed by no one: added, with its public page.
    assert report.quickstatements == (
        f'Q11878930|P2002|"NLinJapan"|S854|"{histories.get_full_url()}"'
        f"|S813|+{timezone.localdate().isoformat()}T00:00:00Z/11\n"
    )
    assert [(item.claim.value, item.reason) for item in report.stale] == [
        ("Stranger", "differs"),
        ("ZorkClosedPrivate", "differs"),
    ]


def test_the_admin_report_shows_public_data_only(histories):
    client = Client()
    client.force_login(make_user("keeper", is_superuser=True, is_staff=True))
    for params in ({}, {"download": "1"}):
        body = client.get(reverse("atlas_wikidata_report"), params).content.decode()
        assert "Q11878930" in body
        assert_hidden(body, "admin report")
        assert "closed: removed" not in body and '-Q11878930|P2002|"ZorkClosedPrivate"' not in body


def test_a_published_id_reaches_the_api_and_the_open_data_at_once(client, tokyo):
    """Cached per publication generation like the rest: publishing the id starts a new one."""
    query = {"query": "{ posts { results { wikidataId } } }"}

    def shown():
        api = client.post("/graphql/", query, content_type="application/json").json()
        export = client.get("/export/posts.geojson?lang=nl").content.decode()
        return api["data"]["posts"]["results"][0]["wikidataId"], "Q11878930" in export

    assert shown() == (None, False)
    page = PostPage.objects.get(pk=tokyo.pk)
    page.wikidata_id = "Q11878930"
    page.save_revision()
    assert shown() == (None, False)  # a draft: the cached answers stand
    page.get_latest_revision().publish()
    assert shown() == ("Q11878930", True)
