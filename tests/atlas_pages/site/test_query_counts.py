"""Every page, and the map's requests, cost a constant number of SQL queries, however large the
atlas, and the same in Dutch and English; the home page and the map's first request do not
grow with accounts."""

import json
import re

import pytest

from atlas_pages.publication import generation
from tests.atlas_pages.site.atlas_data import add_accounts, grow
from tests.atlas_pages.site.test_map_query import COUNTRY_QUERY, MAP_QUERY, get_map_data
from tests.factories import make_account, make_atlas, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_response_cache")]

#: Queries of one page render, the public atlas already read (it is read once per publication
#: generation: 3 queries, pinned in tests/atlas_pages/publication/test_public_atlas.py):
#: Wagtail's serving
#: of the page (site, active locale, the route's pages, the view-restriction check) and the
#: page's locale. English adds Wagtail's lookup of the English root page.
HOME_QUERIES = {"nl": 6, "en": 7}
COUNTRY_QUERIES = {"nl": 8, "en": 9}
POST_QUERIES = {"nl": 10, "en": 11}
#: The map's first request, and a selected country, after a publish: the public atlas 3 and
#: the generation's next expiry 1 (once per generation). With the atlas read, no query at all.
MAP_QUERIES = 4
MAP_COUNTRY_QUERIES = 4
COUNTRIES = ["JP", "CA", "FR", "DE"]


def new_generation():
    """What a publish does: a new publication generation, the public atlas to be read again."""
    generation.bump()


def _count(client, django_assert_num_queries, url, queries):
    client.get(url)  # warm the caches of site root paths, as on a running server
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("countries,posts_per_country", [(COUNTRIES[:1], 1), (COUNTRIES, 2)])
def test_home_page_query_count_is_constant(
    client, django_assert_num_queries, countries, posts_per_country, language
):
    grow(make_atlas(), countries, posts_per_country)
    make_account("https://x.com/TheMinister", person=make_person(name="Minister", role="minister"))
    html = _count(client, django_assert_num_queries, f"/{language}/", HOME_QUERIES[language])
    assert html.count('class="country-entry"') == len(countries)
    posts = len(countries) * posts_per_country
    assert len(re.findall(rf'<li><a href="/{language}/\w+/post-\w+-\d+/">', html)) == posts
    # Only the ministry's top, who serve at no post, show their accounts on the home page.
    assert html.count('class="account-link"') == 1


def _digits_as_zero(text):
    return re.sub(r"\d+", "0", text)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_home_page_does_not_grow_with_accounts(client, language):
    """Ten times the accounts, a new person at every post: the home page differs only in its
    figures (the A–Z list links countries and posts; accounts are on their pages)."""
    atlas = make_atlas()
    grow(atlas, COUNTRIES, 2)
    before = client.get(f"/{language}/").content.decode()
    add_accounts(atlas, 27)
    after = client.get(f"/{language}/").content.decode()
    assert re.search(r"<dd>24</dd>", before) and re.search(r"<dd>240</dd>", after)
    assert len(after) - len(before) <= 2  # the figure's digits: 24 → 240
    assert _digits_as_zero(after) == _digits_as_zero(before)
    assert "x.com" not in after and "facebook.com" not in after


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("posts_per_country", [1, 3])
def test_country_and_post_page_query_counts_are_constant(
    client, django_assert_num_queries, posts_per_country, language
):
    grow(make_atlas(), ["JP"], posts_per_country)
    html = _count(client, django_assert_num_queries, f"/{language}/jp/", COUNTRY_QUERIES[language])
    assert html.count('class="account-link"') == 3 * posts_per_country
    url = f"/{language}/jp/post-jp-0/"  # translations keep the Dutch slug unless edited
    html = _count(client, django_assert_num_queries, url, POST_QUERIES[language])
    assert html.count('class="account-link"') == 3


@pytest.mark.parametrize("countries,posts_per_country", [(["JP"], 1), (["JP", "CA", "FR"], 3)])
def test_the_map_queries_run_a_constant_number_of_queries(
    client, django_assert_num_queries, countries, posts_per_country
):
    grow(make_atlas(), countries, posts_per_country)
    get_map_data(client, MAP_QUERY)  # Wagtail's site root paths cached, as on a running server
    for locale in ("nl", "en"):
        new_generation()
        with django_assert_num_queries(MAP_QUERIES):
            data = get_map_data(client, MAP_QUERY, locale=locale)
        posts = [post for country in data["countries"] for post in country["posts"]]
        assert len(posts) == len(countries) * posts_per_country
        # Each post: its x.com and facebook accounts, and its head of post's x.com account.
        assert all(
            post["formCounts"]
            == [
                {"platform": {"slug": "twitter"}, "form": "PROFILE", "count": 2},
                {"platform": {"slug": "facebook"}, "form": "PAGE", "count": 1},
            ]
            for post in posts
        )
        new_generation()
        with django_assert_num_queries(MAP_COUNTRY_QUERIES):
            country = get_map_data(client, COUNTRY_QUERY, code="JP", locale=locale)["country"]
        assert len(country["posts"]) == posts_per_country
        assert all(len(post["accounts"]) == 2 for post in country["posts"])


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_the_first_request_does_not_grow_with_accounts(client, locale):
    """Ten times the accounts: the answer differs only in its counts."""
    atlas = make_atlas()
    grow(atlas, ["JP", "CA"], 2)

    def answer():
        response = client.get(
            "/graphql/", {"query": MAP_QUERY, "variables": json.dumps({"locale": locale})}
        )
        return response.content.decode()

    before = answer()
    add_accounts(atlas, 27)
    after = answer()
    assert after != before
    assert re.sub(r"\d+", "0", after) == re.sub(r"\d+", "0", before)
