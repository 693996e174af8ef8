"""The editors' admin: the Atlas menu's lists, filters and search, and no third-party assets."""

import re

import pytest
from django.urls import reverse

from atlas_pages.models import Person, Platform, SocialAccount
from tests.factories import make_account, make_country, make_person, make_post

pytestmark = pytest.mark.django_db


def list_url(model):
    return reverse(model.snippet_viewset.get_url_name("list"))


@pytest.fixture
def accounts(atlas, japan, tokyo):
    canada = make_country(atlas, "CA", title="Canada")
    vancouver = make_post(
        canada, title="Consulate-General in Vancouver", city="Vancouver", kind="consulate_general"
    )
    person = make_person(name="Jane Example", post=vancouver, role="consul_general")
    return {
        "tokyo_x": make_account("https://x.com/NLinJapan", post=tokyo),
        "tokyo_fb": make_account("https://facebook.com/NLEmbassyTokyo", post=tokyo),
        "vancouver_li": make_account("https://linkedin.com/company/nl-vancouver", post=vancouver),
        "jane_x": make_account("https://x.com/JaneExample", person=person),
    }


def handles(response):
    return set(re.findall(r'data-handle="([^"]+)"', response.content.decode())) or {
        account.handle
        for account in SocialAccount.objects.all()
        if f">{account.handle}<" in response.content.decode()
    }


def test_account_list_shows_columns(client, admin_user, accounts):
    client.force_login(admin_user)
    response = client.get(list_url(SocialAccount))
    html = response.content.decode()
    assert response.status_code == 200
    for heading in ("Platform", "Owner", "Country", "Status"):
        assert heading in html
    assert "Consulate-General in Vancouver" in html
    assert "Canada" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"platform": "twitter"}, {"NLinJapan", "JaneExample"}),
        ({"owner_type": "personal"}, {"JaneExample"}),
        ({"post_kind": "consulate_general"}, {"nl-vancouver", "JaneExample"}),
        ({"q": "NLEmbassy"}, {"NLEmbassyTokyo"}),
    ],
)
def test_account_filters(client, admin_user, accounts, params, expected):
    client.force_login(admin_user)
    if "platform" in params:
        params = {"platform": Platform.objects.get(slug=params["platform"]).pk}
    response = client.get(list_url(SocialAccount), params)
    assert response.status_code == 200
    assert handles(response) == expected


def test_account_filter_by_country_includes_people_serving_there(
    client, admin_user, accounts, japan
):
    client.force_login(admin_user)
    canada = accounts["vancouver_li"].post.country
    response = client.get(list_url(SocialAccount), {"country": canada.pk})
    assert handles(response) == {"nl-vancouver", "JaneExample"}


def test_status_filter_separates_drafts(client, admin_user, accounts):
    draft = accounts["tokyo_fb"]
    draft.live = False
    draft.save()
    client.force_login(admin_user)
    response = client.get(list_url(SocialAccount), {"status": "draft"})
    assert handles(response) == {"NLEmbassyTokyo"}


def test_people_and_platform_lists(client, admin_user, accounts):
    client.force_login(admin_user)
    response = client.get(list_url(Person), {"role": "consul_general"})
    assert "Jane Example" in response.content.decode()
    response = client.get(list_url(Platform))
    assert "Bluesky" in response.content.decode()


def test_admin_pages_request_no_third_party_host(client, admin_user, accounts, tokyo):
    """The geo widget's Leaflet, and everything else the editor loads, comes from this site."""
    client.force_login(admin_user)
    urls = [
        reverse("wagtailadmin_pages:edit", args=(tokyo.pk,)),
        reverse("wagtailadmin_pages:edit", args=(tokyo.country.pk,)),
        reverse(SocialAccount.snippet_viewset.get_url_name("add")),
        reverse("wagtailadmin_home"),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assets = re.findall(r'(?:src|href)="(https?:)?//([^/"]+)', html)
        external = {host for _, host in assets if host not in {"testserver"}}
        assert not [h for h in external if "leaflet" in h or "unpkg" in h or "cdn" in h], url
        assert re.findall(r"<script[^>]+src=\"(https?:)?//", html) == [], url
        assert re.findall(r"<link[^>]+href=\"(https?:)?//[^\"]+\.css", html) == [], url
    assert "vendor/leaflet/leaflet.js" in client.get(urls[0]).content.decode()


class TestTheAdminOfTheModels:
    """The models name their admin panels and leave the forms, the policies and the signal
    receivers to the editorial layer, given to Wagtail when the app is ready."""

    def test_pages_get_their_panels_and_form_from_the_editorial_layer(self):
        from atlas_pages.editorial.forms import CountryPageForm
        from atlas_pages.editorial.panels import LocationPanel, PostDeskPanel
        from atlas_pages.models import CountryPage, PostPage

        assert issubclass(CountryPage.get_edit_handler().get_form_class(), CountryPageForm)

        def panel_types(model):
            found, panels = set(), list(model.get_edit_handler().children)
            while panels:
                panel = panels.pop()
                found.add(type(panel))
                panels.extend(getattr(panel, "children", []))
            return found

        assert {LocationPanel, PostDeskPanel} <= panel_types(PostPage)
        assert LocationPanel in panel_types(CountryPage)

    def test_snippets_get_theirs_from_their_viewsets(self):
        from atlas_pages.editorial.forms import PersonForm, SocialAccountForm

        for model, form in ((SocialAccount, SocialAccountForm), (Person, PersonForm)):
            assert not hasattr(model, "panels")
            assert issubclass(model.snippet_viewset.get_form_class(), form)

    def test_people_and_accounts_have_the_editorial_policy(self):
        from atlas_pages.editorial.permissions import EditorialPermissionPolicy

        for model in (Person, SocialAccount):
            assert isinstance(model.snippet_viewset.permission_policy, EditorialPermissionPolicy)

    def test_the_press_names_are_translated_for_their_models_only(self):
        from django.contrib.auth.models import Group
        from django.db.models.signals import post_init, pre_save
        from django.utils.translation import override
        from wagtail.models import GroupApprovalTask, Task, Workflow

        for model in (Group, Workflow, Task, GroupApprovalTask):
            assert post_init.has_listeners(model) and pre_save.has_listeners(model)
        assert not post_init.has_listeners(Person)
        assert not post_init.has_listeners(SocialAccount)
        with override("nl"):
            assert str(Group(name="Press editors").name) == "Persredacteuren"
            assert str(Person(name="Press editors").name) == "Press editors"


def test_lists_read_the_editorial_state_in_their_own_queries(
    client, editor, tokyo, django_assert_num_queries
):
    """with_editorial_state gives Wagtail's accessors (approved_schedule, workflow_in_progress,
    current_workflow_state) the answers they would query per object."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.translation import override

    from atlas_pages.editorial.pressdesk import with_editorial_state
    from tests.atlas_pages.editorial.test_pressdesk import submitted
    from tests.atlas_pages.editorial.test_workflow import account_form
    from tests.factories import platform

    make_account("https://x.com/NLinJapan", post=tokyo)
    submitted(
        client,
        editor,
        SocialAccount,
        account_form(tokyo, platform=platform("instagram").pk, url="https://instagram.com/nl"),
    )
    scheduled = make_account("https://youtube.com/@nlintokyo", post=tokyo, live=False)
    scheduled.go_live_at = timezone.now() + timedelta(days=2)
    scheduled.save_revision().publish()

    def state(account):
        return (
            account.status_string,
            account.approved_schedule,
            account.workflow_in_progress,
            account.current_workflow_state,
        )

    expected = {account.pk: state(account) for account in SocialAccount.objects.all()}
    listed = list(with_editorial_state(SocialAccount.objects.all()))
    with django_assert_num_queries(0):
        found = {account.pk: state(account) for account in listed}
    assert found == expected
    with override("en"):  # the editor's requests leave their admin language active
        statuses = {str(status) for status, *_ in found.values()}
    assert statuses == {"live", "in moderation", "scheduled"}
