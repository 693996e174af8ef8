"""Withdrawing consent from the admin (atlas_pages.editorial.consent), whatever holds the
person's form: who may (the rights matrix), what the form refuses, the history entry, Dutch,
and that Wagtail's own form would refuse it while a publication is scheduled."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from atlas_pages.models import Person
from tests.factories import make_account, make_country, make_person, make_post, make_user

pytestmark = pytest.mark.django_db


def _person(post, name="Piet Employee", **fields):
    fields.setdefault("consent_given_at", timezone.localdate() - timedelta(days=30))
    return make_person(name=name, post=post, role=Person.Role.EMPLOYEE, **fields)


def _url(person):
    return reverse("atlas_withdraw_consent", args=[person.pk])


def _withdraw(client, person, day=None):
    return client.post(_url(person), {"withdrawn_on": (day or timezone.localdate()).isoformat()})


@pytest.fixture
def ottawa(atlas):
    return make_post(make_country(atlas, "CA", title="Canada"), "Embassy in Ottawa", city="Ottawa")


@pytest.mark.parametrize(
    ("role", "own_country", "other_country"),
    [
        ("admin", True, True),
        ("press editor", True, True),
        ("press moderator", True, True),
        ("japan editor", True, False),
        ("no admin access", False, False),
    ],
)
def test_who_may_withdraw(client, tokyo, ottawa, role, own_country, other_country):
    """The rights matrix: whoever may change the person, within their reach."""
    call_command("setup_country_editors", stdout=None)
    users = {
        "admin": lambda: make_user("admin", is_superuser=True),
        "press editor": lambda: make_user("editor", Group.objects.get(name="Press editors")),
        "press moderator": lambda: make_user("mod", Group.objects.get(name="Press moderators")),
        "japan editor": lambda: make_user("japan", Group.objects.get(name="Press editors – Japan")),
        "no admin access": lambda: make_user("visitor"),
    }
    client.force_login(users[role]())
    for post, allowed in ((tokyo, own_country), (ottawa, other_country)):
        person = _person(post, name=f"Person at {post.title}")
        response = _withdraw(client, person)
        person.refresh_from_db()
        assert (person.consent_withdrawn_at is not None) == allowed, (role, post.title)
        edit_url = reverse(Person.snippet_viewset.get_url_name("edit"), args=[person.pk])
        if allowed:
            assert response["Location"] == edit_url
        else:  # refused: to the login, or the admin's "no permission" redirect
            assert response.status_code in (302, 403)
            assert response.get("Location") != edit_url


def test_the_day_is_checked(client, tokyo, admin_user):
    client.force_login(admin_user)
    person = _person(tokyo)
    future = _withdraw(client, person, timezone.localdate() + timedelta(days=1))
    assert "A withdrawal cannot be in the future." in future.content.decode()
    early = _withdraw(client, person, timezone.localdate() - timedelta(days=31))
    assert "it cannot be withdrawn before that" in early.content.decode()
    person.refresh_from_db()
    assert person.consent_withdrawn_at is None


def test_without_consent_there_is_nothing_to_withdraw(client, tokyo, admin_user):
    client.force_login(admin_user)
    person = _person(tokyo, consent_given_at=None)
    assert client.get(_url(person)).status_code == 404
    assert client.get(reverse("atlas_withdraw_consent", args=[999999])).status_code == 404


def test_the_withdrawal_applies_at_once_and_is_in_the_history(client, tokyo, admin_user):
    person = _person(tokyo)
    make_account("https://x.com/PietInJapan", person=person)
    assert "PietInJapan" in client.get(tokyo.url).content.decode()
    client.force_login(admin_user)
    edit = client.get(reverse(Person.snippet_viewset.get_url_name("edit"), args=[person.pk]))
    assert f'href="{_url(person)}"' in edit.content.decode()  # in the header's menu
    response = _withdraw(client, person)
    assert response.status_code == 302
    client.logout()
    assert "PietInJapan" not in client.get(tokyo.url).content.decode()
    entry = ModelLogEntry.objects.get(action="atlas.withdraw_consent", object_id=str(person.pk))
    assert entry.user == admin_user
    client.force_login(admin_user)
    history = client.get(reverse(Person.snippet_viewset.get_url_name("history"), args=[person.pk]))
    assert "Consent withdrawn" in history.content.decode()


def test_wagtail_s_form_refuses_while_scheduled_and_ours_does_not(client, tokyo, admin_user):
    """The reason for the separate action: a scheduled publication locks the form."""
    person = _person(tokyo)
    person.job_title = "Scheduled"
    person.go_live_at = timezone.now() + timedelta(days=1)
    person.save_revision().publish()
    person.refresh_from_db()
    assert person.scheduled_revision is not None
    assert person.get_lock() is not None and person.get_lock().for_user(admin_user)
    client.force_login(admin_user)
    assert _withdraw(client, person).status_code == 302
    person.refresh_from_db()
    assert person.consent_withdrawn_at == timezone.localdate()
    assert person.scheduled_revision is not None


def test_the_page_speaks_dutch(client, tokyo):
    dutch = make_user("redacteur", Group.objects.get(name="Press editors"), language="nl")
    client.force_login(dutch)
    html = client.get(_url(_person(tokyo))).content.decode()
    assert "Toestemming intrekken" in html
    assert "Withdraw consent" not in html
