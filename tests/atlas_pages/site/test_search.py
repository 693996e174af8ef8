"""The search page in both languages: countries, posts, people and accounts; only public ones;
links to the pages of the search's language."""

import re

import pytest

from tests.atlas_pages.site.atlas_data import HIDDEN_TEXTS
from tests.graphql_api.test_search_input import AROUND_JAPAN, NASTY

pytestmark = pytest.mark.django_db


def _results(client, query, language="en"):
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return html, re.findall(r'<p class="search-result__title"><a href="([^"]+)">([^<]+)</a>', html)


def test_empty_query_shows_the_form_only(client, small_atlas):
    html, results = _results(client, "")
    assert 'name="q"' in html and results == []
    assert "results for" not in html


def test_no_results(client, small_atlas):
    html, results = _results(client, "Atlantis")
    assert results == []
    assert "0 results for “Atlantis”" in html
    assert "Nothing in the atlas matches your search" in html


@pytest.mark.parametrize("language", ["nl", "en"])
def test_country_in_the_search_language(client, small_atlas, language):
    _, results = _results(client, "Canada", language)
    assert results == [(f"/{language}/canada/", "Canada")]


def test_post_by_city_in_each_language(client, small_atlas):
    _, results = _results(client, "Tokio", "nl")
    assert ("/nl/japan/ambassade-in-tokio/", "Ambassade in Tokio") in results
    _, results = _results(client, "Tokyo", "en")
    assert ("/en/japan/embassy-in-tokyo/", "Embassy in Tokyo") in results
    # Pages of the other language are not found.
    _, results = _results(client, "Tokio", "en")
    assert results == []


def test_post_detail_in_the_search_language(client, small_atlas):
    html, _ = _results(client, "Vancouver", "nl")
    assert "Consulaat-generaal</p>" in html and "Vancouver, Canada" in html


def test_person_links_to_their_post_in_the_language_or_the_atlas(client, small_atlas):
    html, results = _results(client, "Tanaka")
    assert ("/en/japan/embassy-in-tokyo/", "Jane Tanaka") in results
    assert "Ambassador to Japan" in html
    html, results = _results(client, "Tanaka", "nl")
    assert ("/nl/japan/ambassade-in-tokio/", "Jane Tanaka") in results
    assert "Ambassadeur in Japan" in html
    _, results = _results(client, "Minister")
    assert ("/en/", "Minister Example") in results


def test_account_by_handle_and_display_name(client, small_atlas):
    _, by_handle = _results(client, "NLinCanada")
    assert ("/en/canada/embassy-in-ottawa/", "NLinCanada") in by_handle
    html, by_name = _results(client, "NL in Japan")
    assert ("/en/japan/embassy-in-tokyo/", "NL in Japan") in by_name
    assert "NLinJapan · Embassy in Tokyo" in html  # the owner in the search's language


def test_account_of_a_post_without_public_translation_links_to_the_home_page(client, small_atlas):
    _, results = _results(client, "NLinVancouver")
    assert ("/en/", "NLinVancouver") in results
    _, results = _results(client, "NLinVancouver", "nl")
    assert ("/nl/canada/consulaat-generaal-in-vancouver/", "NLinVancouver") in results


def test_prefix_of_a_handle_finds_it(client, small_atlas):
    _, results = _results(client, "NLinVanc", "nl")
    assert ("/nl/canada/consulaat-generaal-in-vancouver/", "NLinVancouver") in results


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "query", ["Osaka", "NLinOsaka", "Sapporo", "DraftAccountNL", "Hidden", "unapproved"]
)
def test_hidden_content_is_not_found(client, small_atlas, query, language):
    html, results = _results(client, query, language)
    assert results == []
    for text in HIDDEN_TEXTS:
        assert f">{text}<" not in html


def test_query_is_escaped(client, small_atlas):
    html, _ = _results(client, "<script>x</script>")
    assert "<script>x</script>" not in html


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("query", NASTY)
def test_search_syntax_is_text(client, small_atlas, query, language):
    html, results = _results(client, query, language)  # asserts HTTP 200
    assert 'name="q"' in html


@pytest.mark.parametrize("query", AROUND_JAPAN)
def test_syntax_around_a_word_still_finds_it(client, small_atlas, query):
    _, results = _results(client, query)
    assert results[0] == ("/en/japan/", "Japan")


def test_syntax_only_finds_nothing(client, small_atlas):
    html, results = _results(client, '"')
    assert results == []
    assert "0 results for “&quot;”" in html
