"""The work a query causes is estimated before it runs, with every list multiplied by the rows
it is expected to return, and held to a budget that grows with the atlas: the front ends'
queries always fit, fifteen copies of the country tree in aliases never do."""

import functools
import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from graphql import build_schema, parse

from atlas_pages.models import CountryPage
from graphql_api import limits
from graphql_api.schema import schema
from tests import factories
from tests.atlas_pages.site.test_map_query import COUNTRY_QUERY, MAP_QUERY
from tests.graphql_api.conftest import contract_query

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_response_cache")]

#: The contract's queries with the variables the front ends send.
CONTRACT = {
    "whole-atlas": None,
    "country": {"code": "JP"},
    "verify": {"url": "https://x.com/NLinJapan"},
    "accounts-by-platform": {"platform": "linkedin", "country": "AU", "offset": 0},
}
#: An atlas of 100,000 accounts (the ministry's own is about a tenth of that).
LARGE = limits.AtlasSizes(countries=200, posts=1_500, people=12_000, accounts=100_000, platforms=12)
#: The demo atlas (manage.py load_demo_atlas), and a small one.
DEMO = limits.AtlasSizes(countries=124, posts=184, people=45, accounts=899, platforms=13)
SMALL = limits.AtlasSizes(countries=2, posts=2, people=2, accounts=4, platforms=1)
#: What `manage.py generate_atlas --accounts 100000` builds (many people, few posts).
GENERATED = limits.AtlasSizes(
    countries=124, posts=401, people=49_201, accounts=100_000, platforms=13
)
SIZES = [SMALL, DEMO, LARGE, GENERATED]


def country_tree_aliases(copies=15):
    """The issue's amplification: the country tree, `copies` times in aliases, within the
    document limits (fields, aliases, depth, tokens)."""
    tree = (
        "countries { name posts { name accounts { handle url } "
        "people { name accounts { handle url } } } }"
    )
    return "{ " + " ".join(f"c{n}: {tree}" for n in range(copies)) + " }"


@functools.cache
def graphql_schema():
    return build_schema(schema.as_str())


def estimate(query, sizes, variables=None):
    return limits.estimate_cost(graphql_schema(), parse(query), variables, sizes)


@pytest.mark.parametrize("sizes", SIZES)
@pytest.mark.parametrize("name", CONTRACT)
def test_every_contract_query_fits_the_budget_at_every_size(name, sizes):
    cost = estimate(contract_query(name), sizes, CONTRACT[name])
    assert 0 < cost <= limits.budget(sizes)


@pytest.mark.parametrize("sizes", SIZES)
@pytest.mark.parametrize("query", [MAP_QUERY, COUNTRY_QUERY])
def test_the_maps_own_queries_fit_the_budget_at_every_size(query, sizes):
    variables = {"locale": "en", "code": "JP"}
    assert 0 < estimate(query, sizes, variables) <= limits.budget(sizes)


@pytest.mark.parametrize("sizes", [DEMO, LARGE, GENERATED])
def test_fifteen_country_trees_exceed_the_budget(sizes):
    assert estimate(country_tree_aliases(15), sizes) > limits.budget(sizes)


def test_the_estimate_follows_list_sizes():
    one = "{ countries { posts { accounts { handle } } } }"
    assert estimate(one, SMALL) == 1 + 2 * (1 + 1 * (1 + 1 * 1))  # 4 accounts, 4 owners
    bigger = limits.AtlasSizes(countries=10, posts=100, people=0, accounts=1_000)
    assert estimate(one, bigger) == 1 + 10 * (1 + 10 * (1 + 10 * 1))
    page = "query ($n: Int!) { accounts(pagination: {limit: $n}) { totalCount results { url } } }"
    assert estimate(page, LARGE, {"n": 20}) == 1 + 1 + (1 + 20)
    assert estimate(page, LARGE, {"n": 10_000}) == 1 + 1 + (1 + 200)  # the cap applies
    assert estimate('{ search(query: "x", limit: 5) { __typename } }', LARGE) == 1 + 5


#: An account's follower history across a page of accounts, `days` of it.
HISTORY_PAGE = """query ($days: Int!) { accounts(pagination: {limit: 200}) {
  results { followerHistory(days: $days) { day count } } } }"""


def test_follower_history_costs_its_days():
    """A year of a country's accounts fits; ten years of 200 accounts' does not (the monthly
    release has every account's history)."""
    country = '{ country(code: "JP") { posts { accounts { followerHistory { day count } } } } }'
    assert estimate(country, DEMO) <= limits.budget(DEMO)
    assert estimate(HISTORY_PAGE, DEMO, {"days": 3660}) > limits.budget(DEMO)
    assert estimate(HISTORY_PAGE, DEMO, {"days": 30}) < estimate(HISTORY_PAGE, DEMO, {"days": 365})


def test_coverage_costs_a_cell_per_platform():
    with_coverage = "{ countries { posts { coverage { platform { slug } state } } } }"
    without = "{ countries { posts { id } } }"
    cells = DEMO.posts * (DEMO.platforms + limits.COVERAGE_SPARE_PLATFORMS)
    assert estimate(with_coverage, DEMO) - estimate(without, DEMO) >= cells
    assert estimate(with_coverage, DEMO) <= limits.budget(DEMO)
    regions = "{ atlas { regions { code completeness { known total } } } }"
    assert estimate(regions, DEMO) <= 10 * 7


def test_every_list_field_of_the_schema_has_an_estimate():
    for type_ in graphql_schema().type_map.values():
        for name, field in getattr(type_, "fields", {}).items():
            of = getattr(field.type, "of_type", field.type)
            if type_.name.startswith("__") or not str(of).startswith("["):
                continue
            item = str(of).strip("[]!")
            # One per platform (and form) or kind of evidence at most; `search` and an account's
            # recent posts: their `limit`; its follower history: its `days`.
            bounded = item in ("PlatformCount", "FormCount", "RecentPost", "Evidence")
            bounded = bounded or item == "FollowerPoint"
            # A post's coverage: one cell per platform; the regions: one per continent.
            bounded = bounded or item in ("CoverageCell", "RegionCompleteness")
            bounded = bounded or name == "search"
            assert LARGE.of(item) is not None or bounded


@pytest.fixture
def small_world(tokyo):
    """Two countries, two posts, two people, four accounts."""
    canada = factories.make_country(tokyo.get_parent(), "CA", title="Canada")
    ottawa = factories.make_post(canada, title="Embassy in Ottawa", city="Ottawa")
    for n, post in enumerate((tokyo, ottawa)):
        person = factories.make_person(name=f"Person {n}", post=post)
        factories.make_account(f"https://x.com/post{n}", post=post)
        factories.make_account(f"https://x.com/person{n}", person=person)
    cache.clear()


def post(client, query, variables=None):
    body = {"query": query, **({"variables": variables} if variables else {})}
    return client.post("/graphql/", json.dumps(body), content_type="application/json")


#: A budget that the small world's whole atlas fits, but not fifteen times over.
SMALL_BUDGET = {"ATLAS_GRAPHQL_COST_BASE": 0, "ATLAS_GRAPHQL_COST_PER_OBJECT": 30}


@override_settings(**SMALL_BUDGET)
def test_the_contract_queries_run_and_the_amplification_is_refused(client, small_world):
    for name, variables in CONTRACT.items():
        result = post(client, contract_query(name), variables).json()
        assert "errors" not in result, (name, result)
    refused = post(client, country_tree_aliases(15))
    assert refused.status_code == 200
    error = refused.json()["errors"][0]
    assert refused.json().get("data") is None
    assert error["message"].startswith("The query is too costly: an estimated cost of ")
    assert error["message"].endswith(
        "values exceeds the budget of 300. Ask for fewer lists, or page through them."
    )
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["budget"] == 300 < error["extensions"]["cost"]


@override_settings(**SMALL_BUDGET)
def test_the_cost_is_refused_before_any_sql_runs(client, small_world, django_assert_num_queries):
    # The public atlas (its counts), read once per publication generation: with the
    # generation's next expiry 1 and Wagtail's site root paths 2, 6 queries.
    with django_assert_num_queries(6):
        assert "errors" in post(client, country_tree_aliases(15)).json()
    with django_assert_num_queries(0):  # then cached: no query at all
        assert "errors" in post(client, country_tree_aliases(15)).json()


def test_the_answer_is_held_to_the_budget_when_the_data_defies_the_estimate(client, small_world):
    """Japan gets seven of the eight posts; the estimate expects four per country."""
    japan = CountryPage.objects.get(iso_code="JP")
    for n in range(6):
        factories.make_post(japan, title=f"Consulate {n}", city=f"City {n}")
    cache.clear()
    tree = 'country(code: "JP") { posts { name city slug accounts { url } } }'
    query = "{ " + " ".join(f"c{n}: {tree}" for n in range(8)) + " }"
    sizes = limits.AtlasSizes(countries=2, posts=8, people=2, accounts=4, platforms=1)
    assert estimate(query, sizes) == 8 * (1 + 1 + 4 * (3 + 1 + 1))  # 176
    with override_settings(ATLAS_GRAPHQL_COST_BASE=0, ATLAS_GRAPHQL_COST_PER_OBJECT=12):
        result = post(client, query).json()  # a budget of 12 * 16 objects = 192
    assert result == {
        "data": None,
        "errors": [
            {
                "message": "The query is too costly: an answer of 248 values exceeds the budget "
                "of 192. Ask for fewer lists, or page through them.",
                "extensions": {"code": "QUERY_TOO_COSTLY", "cost": 248, "budget": 192},
            }
        ],
    }


def test_the_answer_size_counts_every_field_of_every_object_once():
    answer = {
        "a": 1,
        "b": None,
        "c": [],
        "d": [{"x": 1, "y": [1, 2]}, {"x": None, "y": []}, None],
        "e": {"f": {"g": "h"}},
        "i": [[{"j": 1}]],
    }
    assert limits.answer_size(answer) == 6 + 2 * 2 + 1 + 1 + 1
    assert limits.answer_size({}) == 0
    assert limits.answer_size(None) == 0
