"""Only public content, on every surface: lists, nested lists, foreign keys, counts, search,
lookups by id and by URL. Whatever is hidden is named "Hidden…" so one check covers all."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from atlas_pages.models import Person, PostPage
from tests import factories

pytestmark = pytest.mark.django_db

EVERYWHERE = """query ($url: String!, $post: ID!, $person: ID!, $account: ID!) {
  atlas { countryCount postCount accountCount personCount }
  platforms { slug accountCount }
  countries {
    name accountCount
    posts {
      name accounts { handle } people { name accounts { handle } }
      platformCounts { platform { slug } count }
    }
  }
  posts {
    totalCount
    results {
      name country { name } accounts { handle } people { name }
      platformCounts { platform { slug } count }
    }
  }
  accounts {
    totalCount
    results { handle speaksFor status newUrl post { name } person { name } country { name } }
  }
  people { totalCount results { name post { name } accounts { handle } } }
  accountByUrl(url: $url) { handle }
  post(id: $post) { name }
  person(id: $person) { name }
  account(id: $account) { handle }
  search(query: "Hidden", limit: 50) {
    ... on Country { name } ... on Post { name } ... on Person { name } ... on Account { handle }
  }
}"""


@pytest.fixture
def visible(tokyo, ambassador):
    """What stays public in every case: Japan, Tokyo, its ambassador and two accounts."""
    factories.make_account("https://x.com/NLinJapan", post=tokyo)
    factories.make_account("https://x.com/JaneInJapan", person=ambassador)


def everywhere(data, url="https://x.com/HiddenAccount", post=0, person=0, account=0):
    variables = {"url": url, "post": post, "person": person, "account": account}
    return data(EVERYWHERE, variables)


def assert_hidden(result, accounts=2, posts=1, people=1, countries=1):
    assert "Hidden" not in json.dumps(result)
    assert result["atlas"] == {
        "countryCount": countries,
        "postCount": posts,
        "accountCount": accounts,
        "personCount": people,
    }
    assert sum(c["accountCount"] for c in result["countries"]) <= accounts
    assert sum(p["accountCount"] for p in result["platforms"]) == accounts
    # Every public account here belongs to a public post or to a person serving at one.
    assert platform_counts(result["posts"]["results"]) == accounts
    assert platform_counts(post for c in result["countries"] for post in c["posts"]) == accounts
    assert result["accounts"]["totalCount"] == accounts
    assert result["posts"]["totalCount"] == posts
    assert result["people"]["totalCount"] == people
    assert result["accountByUrl"] is None
    assert (result["post"], result["person"], result["account"]) == (None, None, None)
    assert result["search"] == []


def platform_counts(posts):
    return sum(item["count"] for post in posts for item in post["platformCounts"])


def hidden_post(japan, **fields):
    """A post with a person and an account, all of them otherwise public."""
    post = factories.make_post(japan, title="Hidden Consulate", city="Osaka", **fields)
    person = factories.make_person(name="Hidden Consul", post=post)
    account = factories.make_account("https://x.com/HiddenAccount", post=post)
    factories.make_account("https://x.com/HiddenPersonal", person=person)
    return post, person, account


def test_the_check_sees_a_public_post(data, visible, japan):
    """The same data made public shows up: the check below can fail."""
    post, person, account = hidden_post(japan)
    result = everywhere(data, post=post.pk, person=person.pk, account=account.pk)
    assert "Hidden" in json.dumps(result["search"])
    assert result["accountByUrl"] == {"handle": "HiddenAccount"}
    assert result["atlas"]["accountCount"] == 4
    assert platform_counts(result["posts"]["results"]) == 4


def test_draft_page(data, visible, japan):
    post, person, account = hidden_post(japan, live=False)
    assert_hidden(everywhere(data, post=post.pk, person=person.pk, account=account.pk))


def test_page_in_moderation(data, visible, japan, django_user_model):
    post, person, account = hidden_post(japan, live=False)
    editor = django_user_model.objects.create_user("editor", password="x")
    post.save_revision(user=editor)
    post.get_workflow().start(post, editor)
    post.refresh_from_db()
    assert post.workflow_in_progress
    assert_hidden(everywhere(data, post=post.pk, person=person.pk, account=account.pk))


def test_account_in_moderation(data, visible, tokyo, django_user_model):
    """A new account submitted for review is not public until it is approved."""
    account = factories.make_account("https://x.com/HiddenAccount", post=tokyo, live=False)
    editor = django_user_model.objects.create_user("editor", password="x")
    account.save_revision(user=editor)
    account.get_workflow().start(account, editor)
    account.refresh_from_db()
    assert account.workflow_in_progress
    assert_hidden(everywhere(data, account=account.pk))


def test_unpublished_page(data, visible, japan):
    post, person, account = hidden_post(japan)
    post.unpublish()
    assert_hidden(everywhere(data, post=post.pk, person=person.pk, account=account.pk))


def test_private_page(data, visible, japan):
    post, person, account = hidden_post(japan)
    PageViewRestriction.objects.create(page=post, restriction_type="password", password="x")
    assert_hidden(everywhere(data, post=post.pk, person=person.pk, account=account.pk))


def test_expired_page(data, visible, japan):
    post, person, account = hidden_post(japan)
    PostPage.objects.filter(pk=post.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    assert_hidden(everywhere(data, post=post.pk, person=person.pk, account=account.pk))


def test_child_of_an_unpublished_parent(data, visible, atlas):
    hidden_country = factories.make_country(atlas, "FR", title="Hidden France")
    post, person, account = hidden_post(hidden_country)
    hidden_country.unpublish()
    result = everywhere(data, post=post.pk, person=person.pk, account=account.pk)
    assert_hidden(result)
    assert data('{ country(code: "fr") { name } }') == {"country": None}


def test_unpublished_snippets(data, visible, tokyo):
    person = factories.make_person(name="Hidden Person", post=tokyo)
    account = factories.make_account("https://x.com/HiddenAccount", post=tokyo)
    personal = factories.make_account("https://x.com/HiddenPersonal", person=person)
    for snippet in (person, account):
        snippet.live = False
        snippet.save()
    result = everywhere(data, person=person.pk, account=account.pk)
    assert_hidden(result)
    # The live account of an unpublished person is not public either.
    assert data("query ($a: ID!) { account(id: $a) { handle } }", {"a": personal.pk}) == {
        "account": None
    }


def test_expired_snippet(data, visible, tokyo):
    account = factories.make_account("https://x.com/HiddenAccount", post=tokyo)
    account.expire_at = timezone.now() - timedelta(minutes=1)
    account.save()
    assert_hidden(everywhere(data, account=account.pk))


def test_snippet_with_a_draft_revision_shows_its_live_version(data, visible, tokyo):
    account = factories.make_account(
        "https://x.com/NLinOsaka", post=tokyo, display_name="Embassy in Osaka"
    )
    account.display_name = "Hidden draft name"
    account.save_revision()
    result = everywhere(data, url="https://x.com/NLinOsaka", account=account.pk)
    assert "Hidden" not in json.dumps(result)
    assert result["account"] == {"handle": "NLinOsaka"}
    names = data("{ accounts { results { name } } }")["accounts"]["results"]
    assert {"name": "Embassy in Osaka"} in names


def test_page_with_a_draft_revision_shows_its_live_version(data, visible, tokyo):
    tokyo.title = "Hidden draft title"
    tokyo.save_revision()
    result = data("{ posts { results { name } } countries { posts { name } } }")
    assert result["posts"]["results"] == [{"name": "Embassy in Tokyo"}]
    assert result["countries"][0]["posts"] == [{"name": "Embassy in Tokyo"}]


# Consent and account status: personal accounts without consent, closed accounts ----------


@pytest.fixture
def employee(tokyo):
    """A public employee (named, so "Hidden" stays for what must not show) who consented,
    with a personal account."""
    person = factories.make_person(
        name="Piet Employee",
        role="employee",
        post=tokyo,
        consent_given_at=timezone.localdate() - timedelta(days=30),
    )
    factories.make_account("https://x.com/HiddenAccount", person=person)
    return person


def test_the_check_sees_a_consenting_employees_account(data, visible, employee):
    result = everywhere(data, account=employee.accounts.get().pk)
    assert result["accountByUrl"] == {"handle": "HiddenAccount"}
    assert {
        (a["handle"], a["speaksFor"], a["status"], a["newUrl"])
        for a in result["accounts"]["results"]
    } == {
        ("NLinJapan", "OFFICE", "ACTIVE", None),
        ("JaneInJapan", "OFFICE", "ACTIVE", None),
        ("HiddenAccount", "PERSON", "ACTIVE", None),
    }


def test_personal_account_without_consent(data, visible, employee):
    Person.objects.filter(pk=employee.pk).update(consent_given_at=None)
    assert_hidden(everywhere(data, account=employee.accounts.get().pk), people=2)


def test_consent_withdrawn_in_a_draft(data, visible, employee):
    """Saved, not published, not reviewed: a withdrawal takes effect at once."""
    employee.consent_withdrawn_at = timezone.localdate()
    employee.save_revision()
    assert_hidden(everywhere(data, account=employee.accounts.get().pk), people=2)


def test_new_consent_in_moderation(data, visible, employee, django_user_model):
    employee.consent_withdrawn_at = timezone.localdate()
    employee.save_revision()
    employee.refresh_from_db()
    editor = django_user_model.objects.create_user("editor", password="x")
    employee.consent_given_at, employee.consent_withdrawn_at = timezone.localdate(), None
    employee.save_revision(user=editor)
    employee.get_workflow().start(employee, editor)
    assert Person.objects.get(pk=employee.pk).workflow_in_progress
    assert_hidden(everywhere(data, account=employee.accounts.get().pk), people=2)


def test_personal_account_of_a_person_at_a_private_post(data, visible, japan):
    post = factories.make_post(japan, title="Hidden Consulate", city="Osaka")
    PageViewRestriction.objects.create(page=post, restriction_type="password", password="x")
    person = factories.make_person(
        name="Hidden Employee", role="employee", post=post, consent_given_at=timezone.localdate()
    )
    account = factories.make_account("https://x.com/HiddenAccount", person=person)
    assert_hidden(everywhere(data, post=post.pk, person=person.pk, account=account.pk))


def test_closed_account(data, visible, tokyo):
    account = factories.make_account("https://x.com/HiddenAccount", post=tokyo, status="closed")
    assert_hidden(everywhere(data, account=account.pk))


def test_a_draft_rename_keeps_the_live_account(data, visible, tokyo):
    account = factories.make_account("https://x.com/NLinJapanOld", post=tokyo)
    account.status, account.new_url = "renamed", "https://x.com/HiddenAccount"
    account.save_revision()
    result = everywhere(data)
    assert "Hidden" not in json.dumps(result)
    assert {(a["handle"], a["status"]) for a in result["accounts"]["results"]} >= {
        ("NLinJapanOld", "ACTIVE")
    }
    account.latest_revision.publish()
    renamed = everywhere(data, url="https://x.com/NLinJapanOld")["accountByUrl"]
    assert renamed == {"handle": "NLinJapanOld"}
    accounts = everywhere(data)["accounts"]["results"]
    assert {"handle": "NLinJapanOld", "status": "RENAMED"}.items() <= next(
        a for a in accounts if a["handle"] == "NLinJapanOld"
    ).items()
    assert "https://x.com/HiddenAccount" in json.dumps(accounts)
