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
