"""The atlas, country and post pages in both languages: what they show, and that only public
content shows."""

import json
import re

import pytest
from django.utils import translation
from django.utils.html import escape

from tests.atlas_pages.site.atlas_data import HIDDEN_TEXTS

pytestmark = pytest.mark.django_db

#: Every public page of the small atlas, in Dutch and in English.
PAGES = [
    "/nl/",
    "/nl/japan/",
    "/nl/japan/ambassade-in-tokio/",
    "/nl/canada/",
    "/nl/canada/consulaat-generaal-in-vancouver/",
    "/en/",
    "/en/japan/",
    "/en/japan/embassy-in-tokyo/",
    "/en/canada/",
    "/en/canada/embassy-in-ottawa/",
]


def _html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def _figures(html):
    return dict(re.findall(r"<dt>(\w+)</dt><dd>(\d+)</dd>", html))


def test_home_in_english_shows_figures_map_and_a_to_z(client, small_atlas):
    html = _html(client, "/en/")
    assert '<html lang="en">' in html and "<h1>Social Media Atlas</h1>" in html
    # Vancouver's English page is a draft: two posts in English; accounts are language-neutral.
    assert _figures(html) == {"Countries": "2", "Posts": "2", "Accounts": "6", "Platforms": "4"}
    assert 'id="atlas-map"' in html and 'data-graphql-url="/graphql/"' in html
    # Countries A–Z, server-rendered, with links to their pages and to their posts' pages.
    assert html.index("Canada") < html.index("Japan")
    assert '<a class="country-entry__name" href="/en/japan/">Japan</a>' in html
    assert '<a href="/en/japan/embassy-in-tokyo/">Embassy in Tokyo</a>' in html
    assert "Ambassade in Tokio" not in html
    shape_codes = json.loads(
        re.search(r'id="atlas-shape-codes" type="application/json">(.*?)</script>', html)[1]
    )
    assert shape_codes == {"CA": "124", "JP": "392"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_home_links_every_public_country_and_post_and_no_account(client, small_atlas, language):
    """Accounts, and the people serving at posts, are on the country and post pages and in
    the map's panel: the home page links to them only."""
    html = _html(client, f"/{language}/")
    english = small_atlas.english
    countries = (
        [english.canada, english.japan]
        if language == "en"
        else [
            small_atlas.canada,
            small_atlas.japan,
        ]
    )
    posts = (
        [english.ottawa, english.tokyo]
        if language == "en"
        else [
            small_atlas.ottawa,
            small_atlas.tokyo,
            small_atlas.vancouver,
        ]
    )
    a_to_z = html[html.index('id="a-z"') : html.index('id="leadership"')]
    links = re.findall(r'<a (?:class="[^"]*" )?href="([^"]+)"', a_to_z)
    assert sorted(links) == sorted(page.url for page in countries + posts)
    accounts = vars(small_atlas.accounts).values()
    for account in accounts:
        if account.person != small_atlas.minister:
            assert account.url not in html and account.handle not in html, account.url
    assert "Jane Tanaka" not in html and 'class="account-link"' in html
    # The ministry's top, serving at no post, is listed with their accounts.
    assert "Minister Example" in html and "https://x.com/MinisterExample" in html


def test_home_in_dutch(client, small_atlas):
    html = _html(client, "/nl/")
    assert '<html lang="nl">' in html and "<h1>Atlas sociale media</h1>" in html
    assert _figures(html) == {"Landen": "2", "Posten": "3", "Accounts": "6", "Platforms": "4"}
    assert '<a href="/nl/japan/ambassade-in-tokio/">Ambassade in Tokio</a>' in html
    assert "Embassy in Tokyo" not in html
    assert "Landen A–Z" in html and "Ambassade · Tokio" in html
    assert "Consulaat-generaal · Vancouver" in html
    assert "2 posten" in html and "1 post<" in html


@pytest.mark.parametrize("language", ["nl", "en"])
def test_home_platform_filter_lists_platforms_with_public_accounts(client, small_atlas, language):
    html = _html(client, f"/{language}/")
    options = re.findall(r'<option value="(\w+)">', html)
    assert options == ["twitter", "facebook", "linkedin", "mastodon"]


def _map_strings(html):
    return json.loads(
        re.search(r'id="atlas-strings" type="application/json">(.*?)</script>', html)[1]
    )


def test_map_strings_in_the_page_language(client, small_atlas):
    dutch, english = _map_strings(_html(client, "/nl/")), _map_strings(_html(client, "/en/"))
    assert dutch["close"] == "Sluiten" and english["close"] == "Close"
    assert dutch["people"] == "Personen" and english["people"] == "People"
    assert dutch["kind.CONSULATE_GENERAL"] == "Consulaat-generaal"
    assert english["kind.CONSULATE_GENERAL"] == "Consulate-general"
    assert dutch["role.AMBASSADOR"] == "Ambassadeur"
    assert dutch["shownAll"] == "Alle {posts} posten worden getoond."
    assert dutch.keys() == english.keys()


@pytest.mark.parametrize("page", PAGES)
def test_no_hidden_content_on_any_page(client, small_atlas, page):
    html = _html(client, page)
    for text in HIDDEN_TEXTS:
        assert text not in html, (page, text)


def test_country_page(client, small_atlas):
    html = _html(client, "/nl/canada/")
    assert "<h1>Canada</h1>" in html
    assert "Ambassade in Ottawa" in html and "Consulaat-generaal in Vancouver" in html
    assert "https://www.facebook.com/NLinCanada" in html
    assert "https://mastodon.social/@NLinVancouver" in html
    assert "2 posten" in html and "2 accounts" in html
    points = json.loads(
        re.search(r'id="place-map-points" type="application/json">(.*?)</script>', html)[1]
    )
    assert sorted(point["name"] for point in points) == [
        "Ambassade in Ottawa",
        "Consulaat-generaal in Vancouver",
    ]


def test_country_page_in_english(client, small_atlas):
    html = _html(client, "/en/canada/")
    assert "<h1>Canada</h1>" in html and '<html lang="en">' in html
    assert '<a href="/en/canada/embassy-in-ottawa/">Embassy in Ottawa</a>' in html
    assert "https://www.facebook.com/NLinCanada" in html
    assert "NLinVancouver" not in html  # its English page is a draft
    assert "1 post ·" in html and "1 account" in html


def test_country_name_falls_back_to_the_iso_name_in_the_language(client, small_atlas):
    from atlas_pages.models import CountryPage
    from atlas_pages.publication import generation

    # An import may leave a title empty (and starts a new publication generation, as every
    # bulk change does); the site then shows the ISO name in its language.
    CountryPage.objects.filter(pk=small_atlas.english.japan.pk).update(title="")
    generation.bump()
    html = _html(client, "/en/")
    assert '<a class="country-entry__name" href="/en/japan/">Japan</a>' in html
    CountryPage.objects.filter(pk=small_atlas.english.canada.pk).update(title="")
    generation.bump()
    html = _html(client, "/en/canada/")
    assert "<h1>Canada</h1>" in html and "<title>Canada · Social Media Atlas</title>" in html


def test_post_page_shows_address_accounts_people(client, small_atlas):
    html = _html(client, "/en/japan/embassy-in-tokyo/")
    assert "<h1>Embassy in Tokyo</h1>" in html
    assert "Embassy · Japan" in html
    assert "3-6-3 Shibakoen, Minato-ku" in html and "Tokyo" in html
    assert "https://x.com/NLinJapan" in html
    assert "https://www.linkedin.com/company/nl-in-japan" in html
    assert "Jane Tanaka" in html and "https://x.com/JaneTanakaNL" in html
    assert "Ambassador to Japan" in html
    assert "DraftAccountNL" not in html


def test_post_page_in_dutch(client, small_atlas):
    html = _html(client, "/nl/japan/ambassade-in-tokio/")
    assert "<h1>Ambassade in Tokio</h1>" in html
    assert "Ambassade · Japan" in html and "Ambassadeur in Japan" in html
    assert ">Adres</h2>" in html and ">Personen</h2>" in html


def _json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_post_page_json_ld(client, small_atlas):
    data = _json_ld(_html(client, "/en/japan/embassy-in-tokyo/"))
    assert data["@type"] == "GovernmentOrganization"
    assert data["name"] == "Embassy in Tokyo"
    assert data["url"] == "http://localhost/en/japan/embassy-in-tokyo/"
    assert sorted(data["sameAs"]) == [
        "https://www.linkedin.com/company/nl-in-japan",
        "https://x.com/NLinJapan",
    ]
    assert data["address"]["addressCountry"] == "JP"
    assert data["address"]["addressLocality"] == "Tokyo"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 35.66, "longitude": 139.74}


def test_json_ld_cannot_close_its_script_element(client, small_atlas):
    tokyo = small_atlas.tokyo
    tokyo.title = 'Ambassade </script><script>alert("x")</script> & co'
    tokyo.save_revision().publish()
    html = _html(client, tokyo.url)
    assert '</script><script>alert("x")' not in html
    assert _json_ld(html)["name"] == tokyo.title
    assert escape(tokyo.title) in html  # the visible title is HTML-escaped


@pytest.mark.parametrize("language", ["nl", "en"])
def test_live_post_under_an_unpublished_country_is_not_served(client, small_atlas, language):
    post = small_atlas.tokyo if language == "nl" else small_atlas.english.tokyo
    url = post.url
    _html(client, url)
    (small_atlas.japan if language == "nl" else small_atlas.english.japan).unpublish()
    _html(client, url, status=404)


def test_unpublished_and_private_posts_are_not_served(client, small_atlas):
    _html(client, "/nl/japan/consulaat-generaal-in-osaka/", status=404)
    response = client.get("/nl/japan/privekantoor-sapporo/")
    assert response.status_code == 404
    assert "NLinSapporo" not in response.content.decode()


def test_draft_changes_to_a_live_account_do_not_show(client, small_atlas):
    account = small_atlas.accounts.tokyo_x
    account.display_name = "Unapproved new name"
    account.save_revision()
    for url in ["/nl/", "/en/", "/en/japan/embassy-in-tokyo/", "/nl/japan/ambassade-in-tokio/"]:
        assert "Unapproved new name" not in _html(client, url)


def _head(html):
    title = re.search(r"<title>(.*?)</title>", html, re.S)[1]
    descriptions = re.findall(r'<meta name="description" content="([^"]*)">', html)
    assert len(descriptions) == 1
    return title, descriptions[0]


@pytest.mark.parametrize(
    "url,title,description",
    [
        (
            "/nl/",
            "Atlas sociale media",
            "De officiële accounts op sociale media van het ministerie van Buitenlandse Zaken, "
            "zijn posten in het buitenland en zijn medewerkers, op een wereldkaart en per land.",
        ),
        (
            "/en/",
            "Social Media Atlas",
            "The official social-media accounts of the Ministry of Foreign Affairs, its posts "
            "abroad and its people, on a world map and by country.",
        ),
        (
            "/nl/canada/",
            "Canada · Atlas sociale media",
            "De officiële accounts op sociale media van de 2 posten van het ministerie in "
            "Canada en van de mensen die er werken.",
        ),
        (
            "/en/canada/",
            "Canada · Social Media Atlas",
            "The official social-media accounts of the ministry&#x27;s 1 post in Canada and of "
            "the people who serve there.",
        ),
        (
            "/nl/japan/ambassade-in-tokio/",
            "Ambassade in Tokio · Atlas sociale media",
            "De officiële accounts op sociale media van Ambassade in Tokio (Ambassade, Tokio, "
            "Japan) en van de mensen die er werken.",
        ),
        (
            "/en/japan/embassy-in-tokyo/",
            "Embassy in Tokyo · Social Media Atlas",
            "The official social-media accounts of Embassy in Tokyo (Embassy, Tokyo, Japan) and "
            "of the people who serve there.",
        ),
    ],
)
def test_every_page_has_a_title_and_a_description_in_its_language(
    client, small_atlas, url, title, description
):
    assert _head(_html(client, url)) == (title, description)


def test_editors_description_and_intro_come_first(client, small_atlas):
    atlas = small_atlas.english.atlas
    atlas.intro = "<p>Every <b>official</b> account, on one map.</p>"
    atlas.save_revision().publish()
    assert _head(_html(client, "/en/"))[1] == "Every official account, on one map."
    tokyo = small_atlas.english.tokyo
    tokyo.search_description = "The embassy's channels."
    tokyo.seo_title = "Embassy of the Netherlands in Tokyo"
    tokyo.save_revision().publish()
    assert _head(_html(client, tokyo.url)) == (
        "Embassy of the Netherlands in Tokyo · Social Media Atlas",
        "The embassy&#x27;s channels.",
    )


@pytest.mark.parametrize(
    "url,text", [("/nl/no-such-page/", "Pagina niet gevonden"), ("/en/nope/", "Page not found")]
)
def test_404_page(client, small_atlas, url, text):
    html = _html(client, url, status=404)
    assert text in html
    assert f'action="/{url[1:3]}/search/"' in html
    assert f'<html lang="{url[1:3]}">' in html


def test_500_page_renders_without_context_or_database(django_assert_num_queries):
    from django.template import loader

    with translation.override("nl"), django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "Er is iets misgegaan" in html and '<html lang="nl">' in html
