"""Every root field with its filters, ordering and pagination."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from graphql_api.queries import SEARCH_MAX_LIMIT
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tokyo, vancouver, ambassador):
    """Japan (embassy, ambassador) and Canada (consulate-general, consul-general)."""
    consul = factories.make_person(
        name="Adam Consul", role="consul_general", job_title="Consul-General", post=vancouver
    )
    minister = factories.make_person(name="Zoe Minister", role="minister")
    return {
        "tokyo_x": factories.make_account("https://x.com/NLinJapan", post=tokyo),
        "tokyo_in": factories.make_account(
            "https://www.linkedin.com/company/nl-in-japan", post=tokyo
        ),
        "jane_x": factories.make_account("https://x.com/JaneInJapan", person=ambassador),
        "vancouver_x": factories.make_account("https://x.com/NLinVancouver", post=vancouver),
        "adam_x": factories.make_account("https://x.com/AdamConsul", person=consul),
        "zoe_x": factories.make_account("https://x.com/ZoeMinister", person=minister),
        "consul": consul,
        "minister": minister,
    }


def handles(result):
    return [account["handle"] for account in result["results"]]


def test_countries_by_name_and_by_platform(data, world):
    assert data("{ countries { code accountCount } }")["countries"] == [
        {"code": "CA", "accountCount": 2},
        {"code": "JP", "accountCount": 3},
    ]
    linkedin = data('{ countries(filters: {platform: "linkedin"}) { code } }')["countries"]
    assert linkedin == [{"code": "JP"}]


@pytest.mark.parametrize("code", ["jp", "JP", " Jp "])
def test_country_by_code_case_insensitive(data, world, code):
    assert data("query ($c: String!) { country(code: $c) { name } }", {"c": code}) == {
        "country": {"name": "Japan"}
    }


def test_unknown_country_is_null(data, world):
    assert data('{ country(code: "XX") { name } }') == {"country": None}
    assert data('{ country(code: "not a code at all") { name } }') == {"country": None}


def test_posts_filters_and_pagination(data, world, tokyo, vancouver):
    posts = data(
        "{ posts { totalCount pageInfo { offset limit } results { name country { code } } } }"
    )
    assert posts["posts"] == {
        "totalCount": 2,
        "pageInfo": {"offset": 0, "limit": 50},
        "results": [
            {"name": "Consulate-General in Vancouver", "country": {"code": "CA"}},
            {"name": "Embassy in Tokyo", "country": {"code": "JP"}},
        ],
    }
    by_kind = data("{ posts(filters: {kind: CONSULATE_GENERAL}) { results { city } } }")
    assert by_kind["posts"]["results"] == [{"city": "Vancouver"}]
    by_country = data('{ posts(filters: {country: "jp"}) { totalCount results { city } } }')
    assert by_country["posts"] == {"totalCount": 1, "results": [{"city": "Tokyo"}]}
    page = data("{ posts(pagination: {offset: 1, limit: 1}) { totalCount results { city } } }")
    assert page["posts"] == {"totalCount": 2, "results": [{"city": "Tokyo"}]}


def test_pagination_limit_is_capped(data, world):
    result = data("{ people(pagination: {limit: 100000}) { pageInfo { limit } totalCount } }")
    assert result["people"] == {"pageInfo": {"limit": 200}, "totalCount": 3}


def test_post_person_account_by_id(data, world, tokyo):
    query = """query ($p: ID!, $q: ID!, $a: ID!) {
      post(id: $p) { name people { name } accounts { handle } }
      person(id: $q) { name post { name } accounts { handle kind } }
      account(id: $a) { handle kind country { code } post { city } person { name } }
    }"""
    variables = {"p": tokyo.pk, "q": world["consul"].pk, "a": world["jane_x"].pk}
    assert data(query, variables) == {
        "post": {
            "name": "Embassy in Tokyo",
            "people": [{"name": "Jane Example"}],
            "accounts": [{"handle": "NLinJapan"}, {"handle": "nl-in-japan"}],
        },
        "person": {
            "name": "Adam Consul",
            "post": {"name": "Consulate-General in Vancouver"},
            "accounts": [{"handle": "AdamConsul", "kind": "PERSONAL"}],
        },
        "account": {
            "handle": "JaneInJapan",
            "kind": "PERSONAL",
            "country": {"code": "JP"},
            "post": {"city": "Tokyo"},
            "person": {"name": "Jane Example"},
        },
    }


@pytest.mark.parametrize("bad_id", ["0", "999999", "abc", "-1", "1" * 40, "¹", "٣"])
def test_unknown_or_malformed_ids_are_null(data, world, bad_id):
    query = (
        "query ($i: ID!) { post(id: $i) { name } person(id: $i) { name } account(id: $i) { url } }"
    )
    assert data(query, {"i": bad_id}) == {"post": None, "person": None, "account": None}


def test_accounts_filters(data, world, tokyo, ambassador):
    def accounts(filters):
        return handles(
            data(f"{{ accounts(filters: {filters}) {{ results {{ handle }} }} }}")["accounts"]
        )

    assert accounts('{platform: "linkedin"}') == ["nl-in-japan"]
    assert accounts('{country: "JP"}') == ["JaneInJapan", "NLinJapan", "nl-in-japan"]
    assert accounts(f'{{post: "{tokyo.pk}"}}') == ["JaneInJapan", "NLinJapan", "nl-in-japan"]
    assert accounts(f'{{person: "{ambassador.pk}"}}') == ["JaneInJapan"]
    assert accounts('{person: "abc"}') == []
    assert accounts('{kind: PERSONAL, country: "ca"}') == ["AdamConsul"]
    assert accounts("{kind: ORGANISATION}") == ["NLinJapan", "NLinVancouver", "nl-in-japan"]


def test_account_without_post_has_no_country(data, world):
    result = data(
        "query ($a: ID!) { account(id: $a) { post { name } country { code } person { name } } }",
        {"a": world["zoe_x"].pk},
    )
    assert result == {
        "account": {"post": None, "country": None, "person": {"name": "Zoe Minister"}}
    }


def test_people_filters(data, world, vancouver):
    def people(filters):
        result = data(f"{{ people(filters: {filters}) {{ totalCount results {{ name }} }} }}")
        return [person["name"] for person in result["people"]["results"]]

    assert people("{}") == ["Adam Consul", "Jane Example", "Zoe Minister"]
    assert people('{country: "ca"}') == ["Adam Consul"]
    assert people(f'{{post: "{vancouver.pk}"}}') == ["Adam Consul"]
    assert people("{role: MINISTER}") == ["Zoe Minister"]


def test_platforms_by_name_with_counts(data, world):
    assert data("{ platforms { slug accountCount } }")["platforms"] == [
        {"slug": "linkedin", "accountCount": 1},
        {"slug": "twitter", "accountCount": 5},
    ]


def test_post_platform_counts_include_the_people_serving_there(data, world):
    """Per post: its own accounts and its people's, counted per platform in the platforms'
    order; the minister, who serves at no post, counts for none."""
    query = """{ posts { results { name platformCounts { platform { slug name } count } } } }"""
    posts = {post["name"]: post["platformCounts"] for post in data(query)["posts"]["results"]}
    assert posts == {
        "Embassy in Tokyo": [
            {"platform": {"slug": "twitter", "name": "X (Twitter)"}, "count": 2},
            {"platform": {"slug": "linkedin", "name": "LinkedIn"}, "count": 1},
        ],
        "Consulate-General in Vancouver": [
            {"platform": {"slug": "twitter", "name": "X (Twitter)"}, "count": 2}
        ],
    }


def test_post_without_accounts_has_no_platform_counts(data, tokyo):
    assert data("{ countries { posts { platformCounts { count } } } }") == {
        "countries": [{"posts": [{"platformCounts": []}]}]
    }


def test_atlas_figures_and_last_published_at(data, world, tokyo):
    moment = timezone.now() - timedelta(days=1)
    Page.objects.filter(pk=tokyo.pk).update(last_published_at=moment)
    atlas = data("{ atlas { countryCount postCount accountCount personCount lastPublishedAt } }")
    assert atlas["atlas"] == {
        "countryCount": 2,
        "postCount": 2,
        "accountCount": 6,
        "personCount": 3,
        "lastPublishedAt": moment.isoformat(),
    }


def test_empty_atlas_has_no_last_published_at(data, atlas):
    assert data("{ atlas { countryCount lastPublishedAt } }") == {
        "atlas": {"countryCount": 0, "lastPublishedAt": None}
    }


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/NLinJapan",
        "https://twitter.com/nlinjapan/",
        "http://www.twitter.com/NLinJapan?ref=1#x",
        "mobile.twitter.com/NLinJapan",
        "HTTPS://M.X.COM/NLINJAPAN",
    ],
)
def test_account_by_url_normalises(data, world, url):
    query = "query ($u: String!) { accountByUrl(url: $u) { handle } }"
    assert data(query, {"u": url}) == {"accountByUrl": {"handle": "NLinJapan"}}


@pytest.mark.parametrize("url", ["", "   ", "ftp://x.com/a", "http://[::1", "https://x.com/nobody"])
def test_account_by_url_unknown_or_malformed_is_null(data, world, url):
    query = "query ($u: String!) { accountByUrl(url: $u) { handle } }"
    assert data(query, {"u": url}) == {"accountByUrl": None}


SEARCH = """query ($q: String!, $l: Int! = 20) { search(query: $q, limit: $l) {
  __typename
  ... on Country { code }
  ... on Post { name }
  ... on Person { name }
  ... on Account { handle }
} }"""


def test_search_over_all_types(data, world):
    results = data(SEARCH, {"q": "Vancouver"})["search"]
    assert {"__typename": "Post", "name": "Consulate-General in Vancouver"} in results
    accounts = data(SEARCH, {"q": "NLinVancouver"})["search"]
    assert accounts == [{"__typename": "Account", "handle": "NLinVancouver"}]
    assert data(SEARCH, {"q": "Japan"})["search"][0] == {"__typename": "Country", "code": "JP"}
    assert {"__typename": "Person", "name": "Adam Consul"} in data(SEARCH, {"q": "Adam"})["search"]


def test_search_limit(data, world, gql):
    assert len(data(SEARCH, {"q": "NLinJapan Vancouver Tokyo", "l": 1})["search"]) == 1
    assert data(SEARCH, {"q": "Tokyo", "l": 0})["search"] == []
    assert len(data(SEARCH, {"q": "x", "l": 10_000})["search"]) <= SEARCH_MAX_LIMIT
    assert gql(SEARCH, {"q": "Tokyo", "l": -1})["errors"][0]["message"] == (
        "limit must not be negative."
    )


def test_negative_offset_is_a_clear_error(gql, world):
    for field in ("posts", "accounts", "people"):
        result = gql(f"{{ {field}(pagination: {{offset: -1}}) {{ totalCount }} }}")
        assert result["errors"][0]["message"] == "offset must not be negative."


def test_negative_limit_means_the_maximum(data, world):
    result = data("{ posts(pagination: {limit: -5}) { pageInfo { limit } totalCount } }")
    assert result["posts"] == {"pageInfo": {"limit": 200}, "totalCount": 2}
