"""The site in two languages: URLs per language, the language switcher, hreflang links,
drafts of translations, and the interface's own texts in Dutch and English."""

import json
import re

import pytest

from tests.atlas_pages.site.atlas_data import DRAFT_ENGLISH_TITLE
from tests.factories import make_country

pytestmark = pytest.mark.django_db

DUTCH_TOKYO = "/nl/japan/ambassade-in-tokio/"
ENGLISH_TOKYO = "/en/japan/embassy-in-tokyo/"
DUTCH_VANCOUVER = "/nl/canada/consulaat-generaal-in-vancouver/"


def _html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def _switcher(html):
    """The language switcher: {language: link} for the other languages, and the current one."""
    nav = re.search(r'<nav class="language-switcher" aria-label="[^"]+">(.*?)</nav>', html, re.S)
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav[1]))
    current = re.findall(r'<span aria-current="page" lang="(\w+)">', nav[1])
    return {language: url for url, language in links.items()}, current


def _hreflang(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


@pytest.mark.parametrize(
    "accept,target", [("en-GB,en;q=0.9", "/en/"), ("nl-NL", "/nl/"), ("de", "/nl/"), ("", "/nl/")]
)
def test_root_redirects_to_the_visitors_language(client, small_atlas, accept, target):
    response = client.get("/", headers={"accept-language": accept} if accept else {})
    assert response.status_code == 302
    assert response["Location"] == target
    assert "Accept-Language" in response["Vary"]


def test_unprefixed_page_urls_redirect_to_their_language(client, small_atlas):
    response = client.get("/japan/", headers={"accept-language": "nl"})
    assert (response.status_code, response["Location"]) == (302, "/nl/japan/")


def test_api_admin_and_static_stay_unprefixed(client, small_atlas):
    assert client.get("/graphql/", {"query": "{ platforms { slug } }"}).status_code == 200
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/nl/graphql/").status_code == 404
    assert client.get("/en/admin/").status_code == 404
    # Their own 404s stay 404s: not redirected to a /nl/ page path.
    assert client.get("/graphql/", HTTP_ACCEPT="text/html").status_code == 404
    assert client.get("/documents/999/missing.pdf").status_code == 404


@pytest.mark.parametrize(
    "url,other,language",
    [
        ("/nl/", "/en/", "nl"),
        ("/en/", "/nl/", "en"),
        ("/nl/japan/", "/en/japan/", "nl"),
        (DUTCH_TOKYO, ENGLISH_TOKYO, "nl"),
        (ENGLISH_TOKYO, DUTCH_TOKYO, "en"),
    ],
)
def test_switcher_lands_on_the_same_page_in_the_other_language(
    client, small_atlas, url, other, language
):
    html = _html(client, url)
    links, current = _switcher(html)
    assert current == [language]
    assert list(links.values()) == [other]
    # ... and that page switches back.
    back, _ = _switcher(_html(client, other))
    assert list(back.values()) == [url]


@pytest.mark.parametrize("url", ["/nl/", DUTCH_TOKYO, ENGLISH_TOKYO, "/en/canada/"])
def test_hreflang_links_are_absolute_for_each_public_translation(client, small_atlas, url):
    links = _hreflang(_html(client, url))
    assert set(links) == {"nl", "en", "x-default"}
    assert all(href.startswith("http://localhost/") for href in links.values())
    assert links["x-default"] == links["nl"]
    assert links[url[1:3]] == "http://localhost" + url


def test_draft_english_translation_of_a_live_dutch_page(client, small_atlas):
    draft = small_atlas.english.vancouver
    assert not draft.live
    # The English URL does not serve it ...
    _html(client, "/en/canada/consulaat-generaal-in-vancouver/", status=404)
    # ... the Dutch page neither links to it nor announces it ...
    html = _html(client, DUTCH_VANCOUVER)
    links, _ = _switcher(html)
    assert links == {"en": "/en/"}  # the English home page instead
    assert _hreflang(html) == {
        "nl": "http://localhost" + DUTCH_VANCOUVER,
        "x-default": "http://localhost" + DUTCH_VANCOUVER,
    }
    # ... and its title appears nowhere.
    for url in ["/nl/", "/en/", "/nl/canada/", "/en/canada/", DUTCH_VANCOUVER]:
        assert DRAFT_ENGLISH_TITLE not in _html(client, url), url
    for query in ["Vancouver", "unapproved"]:
        assert DRAFT_ENGLISH_TITLE not in _html(client, f"/en/search/?q={query}")


def test_an_untranslated_page_switches_to_the_other_home_page(client, small_atlas):
    make_country(small_atlas.atlas, "FR", title="Frankrijk")
    links, _ = _switcher(_html(client, "/nl/frankrijk/"))
    assert links == {"en": "/en/"}
    _html(client, "/en/frankrijk/", status=404)


def test_a_dutch_page_is_not_served_under_the_english_prefix(client, small_atlas):
    # With the English home page unpublished Wagtail routes /en/ in the Dutch tree: 404, not
    # Dutch content under an English address.
    small_atlas.english.atlas.unpublish()
    _html(client, "/en/", status=404)
    _html(client, "/en/japan/", status=404)
    links, _ = _switcher(_html(client, "/nl/japan/"))
    assert links == {}  # no public English page to switch to
    assert set(_hreflang(_html(client, "/nl/japan/"))) == {"nl", "x-default"}


def test_search_page_switcher_keeps_the_query(client, small_atlas):
    html = _html(client, "/nl/search/?q=Tokio")
    links, current = _switcher(html)
    assert current == ["nl"]
    assert links == {"en": "/en/search/?q=Tokio"}
    assert _hreflang(html)["en"] == "http://localhost/en/search/?q=Tokio"
    links, _ = _switcher(_html(client, "/en/search/?q=caf%C3%A9%20%26%20co"))
    assert links == {"nl": "/nl/search/?q=caf%C3%A9+%26+co"}


@pytest.mark.parametrize(
    "language,texts,absent",
    [
        ("nl", ["Zoeken", "Landen A–Z", "Wereldkaart", "Direct naar de inhoud"], "Skip to content"),
        ("en", ["Search", "Countries A–Z", "World map", "Skip to content"], "Zoeken"),
    ],
)
def test_interface_texts_in_the_page_language(client, small_atlas, language, texts, absent):
    html = _html(client, f"/{language}/")
    for text in texts:
        assert text in html, text
    assert absent not in html


@pytest.mark.parametrize(
    "language,zoom_in,zoom_out", [("nl", "Inzoomen", "Uitzoomen"), ("en", "Zoom in", "Zoom out")]
)
def test_map_strings_in_the_page_language(client, small_atlas, language, zoom_in, zoom_out):
    """The map script's texts (json_script "atlas-strings"), Leaflet's zoom buttons included:
    Leaflet's own titles are English."""
    html = _html(client, f"/{language}/")
    blob = re.search(r'<script id="atlas-strings" type="application/json">(.*?)</script>', html)
    strings = json.loads(blob[1])
    assert (strings["zoomIn"], strings["zoomOut"]) == (zoom_in, zoom_out)
    assert strings["close"] == {"nl": "Sluiten", "en": "Close"}[language]


def test_search_page_texts_in_dutch(client, small_atlas):
    html = _html(client, "/nl/search/?q=Atlantis")
    assert '<html lang="nl">' in html
    assert "0 resultaten voor “Atlantis”" in html
    assert "Niets in de atlas komt overeen met uw zoekopdracht" in html


def test_english_post_uses_its_own_title_and_city(client, small_atlas):
    html = _html(client, "/en/japan/")
    assert "Embassy · Tokyo" in html and "Tokio" not in html


def test_translation_published_later_appears_in_the_switcher(client, small_atlas):
    draft = small_atlas.english.vancouver
    draft.title = "Consulate-General in Vancouver"
    draft.slug = "consulate-general-in-vancouver"
    draft.save_revision().publish()
    links, _ = _switcher(_html(client, DUTCH_VANCOUVER))
    assert links == {"en": "/en/canada/consulate-general-in-vancouver/"}
    assert "Consulate-General in Vancouver" in _html(client, "/en/canada/")
