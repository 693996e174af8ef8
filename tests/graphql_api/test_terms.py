"""Terms of office in the API: Person.termStart/termEnd/termEnded/formerlyAt and
Account.formerlyAt, from the published person only (a draft or a term in moderation changes
nothing, except an ended term, which narrows at once); a person at a private post is not named
through them."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate

TERMS = """query ($person: ID!, $url: String!) {
  person(id: $person) {
    name termStart termEnd termEnded post { name } formerlyAt { name }
    accounts { handle formerlyAt { name } }
  }
  accountByUrl(url: $url) { handle post { name } person { name } formerlyAt { name } }
  posts { results { name accounts { handle } people { name termEnd } } }
  people { results { name formerlyAt { name } } }
}"""


@pytest.fixture
def consul(tokyo):
    person = factories.make_person(
        name="Carla Consul",
        post=tokyo,
        consent_given_at=TODAY() - timedelta(days=700),
        term_start=TODAY() - timedelta(days=700),
    )
    factories.make_account("https://x.com/CarlaOwn", person=person, speaks_for="person")
    factories.make_account("https://x.com/AmbassadorJapan", person=person)
    return person


def terms(data, person, url="https://x.com/CarlaOwn"):
    return data(TERMS, {"person": person.pk, "url": url})


def test_a_current_term(data, consul):
    result = terms(data, consul)
    assert result["person"] == {
        "name": "Carla Consul",
        "termStart": (TODAY() - timedelta(days=700)).isoformat(),
        "termEnd": None,
        "termEnded": False,
        "post": {"name": "Embassy in Tokyo"},
        "formerlyAt": None,
        "accounts": [
            {"handle": "AmbassadorJapan", "formerlyAt": None},
            {"handle": "CarlaOwn", "formerlyAt": None},
        ],
    }
    assert result["accountByUrl"]["post"] == {"name": "Embassy in Tokyo"}


def test_an_ended_term_saved_as_a_draft(data, consul):
    consul.term_end = TODAY() - timedelta(days=1)
    consul.save_revision()
    result = terms(data, consul)
    tokyo = {"name": "Embassy in Tokyo"}
    assert result["person"]["termEnded"] is True
    assert (result["person"]["post"], result["person"]["formerlyAt"]) == (None, tokyo)
    assert result["person"]["accounts"] == [{"handle": "CarlaOwn", "formerlyAt": tokyo}]
    assert result["accountByUrl"] == {
        "handle": "CarlaOwn",
        "post": None,
        "person": {"name": "Carla Consul"},
        "formerlyAt": tokyo,
    }
    [post] = result["posts"]["results"]
    assert post == {
        "name": "Embassy in Tokyo",
        "accounts": [{"handle": "AmbassadorJapan"}],
        "people": [],
    }
    assert result["people"]["results"] == [{"name": "Carla Consul", "formerlyAt": tokyo}]


def test_a_later_end_in_a_draft_is_not_public(data, consul):
    consul.term_end = TODAY() + timedelta(days=30)
    consul.save_revision()
    assert terms(data, consul)["person"]["termEnd"] is None


def test_a_term_in_moderation_is_not_public(data, consul, django_user_model):
    consul.term_end = TODAY() + timedelta(days=30)
    editor = django_user_model.objects.create_user("editor", password="x")
    consul.save_revision(user=editor)
    consul.get_workflow().start(consul, editor)
    consul.refresh_from_db()
    assert consul.workflow_in_progress
    result = terms(data, consul)
    assert result["person"]["termEnd"] is None
    assert result["posts"]["results"][0]["people"] == [{"name": "Carla Consul", "termEnd": None}]


def test_an_ended_term_at_a_private_post_names_nothing(data, japan, consul):
    post = factories.make_post(japan, title="Hidden Consulate", city="Osaka", slug="osaka")
    PageViewRestriction.objects.create(page=post, restriction_type="password", password="x")
    person = factories.make_person(
        name="Hidden Consul",
        post=post,
        consent_given_at=TODAY(),
        term_end=TODAY() - timedelta(days=2),
    )
    factories.make_account("https://x.com/HiddenOwn", person=person, speaks_for="person")
    result = terms(data, person, url="https://x.com/HiddenOwn")
    assert "Hidden" not in json.dumps(result)
    assert (result["person"], result["accountByUrl"]) == (None, None)
