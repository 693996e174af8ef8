"""Every page costs a constant number of SQL queries, however large the atlas, and the same
in Dutch and English."""

import pytest

from tests.factories import make_account, make_atlas, make_country, make_person, make_post
from tests.site.atlas_data import translate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_response_cache")]

#: Queries of one page render (Wagtail's routing and site lookup included), in either language.
HOME_QUERIES = 17
COUNTRY_QUERIES = 12
POST_QUERIES = 14
COUNTRIES = ["JP", "CA", "FR", "DE"]


def _grow(atlas, countries, posts_per_country):
    """A Dutch atlas and its English translation; people and accounts on the Dutch posts."""
    english_atlas = translate(atlas, title="Atlas")
    english = {}
    for code in countries:
        country = make_country(atlas, code, title=code)
        english[code] = translate(country)
        for index in range(posts_per_country):
            post = make_post(country, title=f"Post {code} {index}", city=f"Plaats {index}")
            translate(post, title=f"Post {code} {index} (en)", city=f"City {index}")
            make_account(f"https://x.com/{code}post{index}", post=post)
            make_account(f"https://www.facebook.com/{code}post{index}", post=post)
            person = make_person(name=f"Head {code} {index}", post=post)
            make_account(f"https://x.com/{code}head{index}", person=person)
    return english_atlas


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
    _grow(make_atlas(), countries, posts_per_country)
    make_account("https://x.com/TheMinister", person=make_person(name="Minister", role="minister"))
    html = _count(client, django_assert_num_queries, f"/{language}/", HOME_QUERIES)
    posts = len(countries) * posts_per_country
    assert html.count('class="post-summary"') == posts
    # Every post shows its (Dutch source's) two accounts and its head of post's account.
    assert html.count('class="account-link"') == 3 * posts + 1


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("posts_per_country", [1, 3])
def test_country_and_post_page_query_counts_are_constant(
    client, django_assert_num_queries, posts_per_country, language
):
    _grow(make_atlas(), ["JP"], posts_per_country)
    html = _count(client, django_assert_num_queries, f"/{language}/jp/", COUNTRY_QUERIES)
    assert html.count('class="account-link"') == 3 * posts_per_country
    url = f"/{language}/jp/post-jp-0/"  # translations keep the Dutch slug unless edited
    html = _count(client, django_assert_num_queries, url, POST_QUERIES)
    assert html.count('class="account-link"') == 3
