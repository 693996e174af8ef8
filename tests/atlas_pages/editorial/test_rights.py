"""Per-country editing rights: the groups `setup_country_editors` makes, and what a press officer
of one country sees and may choose in the admin (the role matrix is test_roles.py)."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.models import GroupPagePermission

from atlas_pages.models import Person, SocialAccount
from tests.atlas_pages.editorial.test_workflow import account_form, snippet_url
from tests.factories import make_account, make_country, make_person, make_post, make_user, translate

pytestmark = pytest.mark.django_db


def setup_editors(*args):
    out = StringIO()
    call_command("setup_country_editors", *args, stdout=out)
    return out.getvalue()


def page_rights(name):
    """The group's page permissions as (page title, codename) pairs."""
    return sorted(
        (p.page.title, p.permission.codename)
        for p in GroupPagePermission.objects.filter(group__name=name)
    )


@pytest.fixture
def canada(atlas):
    return make_country(atlas, "CA", title="Canada")


@pytest.fixture
def ottawa(canada):
    return make_post(canada, "Embassy in Ottawa", city="Ottawa")


@pytest.fixture
def japan_editor(japan, canada, client):
    setup_editors()
    client.force_login(make_user("japan", Group.objects.get(name="Press editors – Japan")))
    return client


def test_a_group_per_country_with_the_editors_rights_on_its_pages(japan, canada):
    translate(japan, title="Japan (en)")
    assert setup_editors() == (
        "Press editors – Canada: 1 country page(s) (created)\n"
        "Press editors – Japan: 2 country page(s) (created)\n"
    )
    editors = set(Group.objects.get(name="Press editors").permissions.all())
    japan_group = Group.objects.get(name="Press editors – Japan")
    assert set(japan_group.permissions.all()) == editors
    assert page_rights(japan_group.name) == [
        ("Japan", "add_page"),
        ("Japan", "change_page"),
        ("Japan (en)", "add_page"),
        ("Japan (en)", "change_page"),
    ]
    # Idempotent: a second run changes nothing.
    before = list(GroupPagePermission.objects.order_by("pk").values_list("pk", flat=True))
    assert "(updated)" in setup_editors()
    assert list(GroupPagePermission.objects.order_by("pk").values_list("pk", flat=True)) == before
    assert Group.objects.filter(name__startswith="Press editors – ").count() == 2


def test_a_region_group_covers_exactly_its_countries(japan, canada):
    make_country(japan.get_parent(), "KR", title="Zuid-Korea")
    setup_editors("--region", "East Asia", "--country", "jp", "--country", "KR")
    assert {title for title, _ in page_rights("Press editors – East Asia")} == {
        "Japan",
        "Zuid-Korea",
    }
    setup_editors("--region", "East Asia", "--country", "JP")  # Korea leaves the region
    assert {title for title, _ in page_rights("Press editors – East Asia")} == {"Japan"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "JP", "--country", "XX"], "No country page for: XX."),
        (["--region", "Asia"], "--region needs a name and at least one --country."),
        (["--region", " ", "--country", "JP"], "--region needs a name and at least one --country."),
    ],
)
def test_bad_input_changes_nothing(japan, args, message):
    with pytest.raises(CommandError, match=message):
        setup_editors(*args)
    assert not Group.objects.filter(name__startswith="Press editors – ").exists()


def test_lists_show_only_the_country_s_people_and_accounts(japan_editor, tokyo, ottawa):
    make_account("https://x.com/NLinJapan", post=tokyo)
    make_account("https://x.com/NLinCanada", post=ottawa)
    jane = make_person(name="Jane Tokyo", post=tokyo)
    john = make_person(name="John Ottawa", post=ottawa)
    make_person(name="The Minister", post=None)
    accounts = japan_editor.get(snippet_url(SocialAccount, "list")).context["object_list"]
    people = japan_editor.get(snippet_url(Person, "list")).context["object_list"]
    assert [a.handle for a in accounts] == ["NLinJapan"]
    assert [p.name for p in people] == ["Jane Tokyo"]
    # The account form's person chooser offers the country's people only.
    chooser = Person.snippet_viewset.chooser_viewset
    results = japan_editor.get(reverse(chooser.get_url_name("choose_results"))).content.decode()
    chosen = [reverse(chooser.get_url_name("chosen"), args=(p.pk,)) for p in (jane, john)]
    assert chosen[0] in results and chosen[1] not in results


def test_another_country_s_post_or_person_cannot_be_chosen(japan_editor, tokyo, ottawa):
    john = make_person(name="John Ottawa", post=ottawa)
    url = snippet_url(SocialAccount, "add")
    for owner in ({"post": ottawa.pk}, {"post": "", "person": john.pk}):
        response = japan_editor.post(url, {**account_form(tokyo), **owner})
        assert response.status_code == 200  # the form again, with the error
        assert "Select a valid choice" in response.content.decode()
    assert not SocialAccount.objects.exists()
    japan_editor.post(url, account_form(tokyo))
    assert SocialAccount.objects.get().post == tokyo


def test_a_person_needs_a_post_of_the_country(japan_editor, tokyo):
    url = snippet_url(Person, "add")
    data = {"name": "Jane Example", "role": "employee", "job_title": ""}
    response = japan_editor.post(url, {**data, "post": ""})
    assert "This field is required." in response.content.decode()
    assert not Person.objects.exists()
    japan_editor.post(url, {**data, "post": tokyo.pk})
    assert Person.objects.get().post == tokyo


@pytest.mark.parametrize(
    "view", ["edit", "history", "usage", "delete", "unpublish", "preview_on_edit"]
)
def test_every_view_of_another_country_s_account_is_refused(japan_editor, ottawa, view):
    account = make_account("https://x.com/NLinCanada", post=ottawa)
    response = japan_editor.get(snippet_url(SocialAccount, view, account.pk), follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Sorry, you do not have permission" in response.content.decode()
