"""The map's two GraphQL requests, taken from its script as it sends them: the first (what the
map draws: posts, places, per-platform counts) and the country query (the accounts and people
of a selected place). Valid against the project's schema and answering in the page's language
with public content only; their SQL query counts and the first one's size, constant however
many accounts, are in test_query_counts."""

import json
import re
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate
from graphql.language import FieldNode, Visitor, visit

from graphql_api.schema import schema
from tests.graphql_api.conftest import contract_query

MAP_SCRIPT = Path(__file__).resolve().parents[3] / "static" / "atlas" / "js" / "atlas-map.js"


def _script_query(name):
    return re.search(rf"var {name} = `(.*?)`;", MAP_SCRIPT.read_text(), re.S)[1]


MAP_QUERY = _script_query("QUERY")
COUNTRY_QUERY = _script_query("COUNTRY_QUERY")


def get_map_data(client, query, **variables):
    """As the script sends it: a GET with the page's language as $locale."""
    response = client.get("/graphql/", {"query": query, "variables": json.dumps(variables)})
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def _field_paths(document):
    """Every field of a query as a path of names from its root, e.g. "country.posts.url"."""
    paths, stack = set(), []

    class Paths(Visitor):
        def enter_field(self, node: FieldNode, *args):
            stack.append(node.name.value)
            paths.add(".".join(stack))

        def leave_field(self, node: FieldNode, *args):
            stack.pop()

    visit(parse(document), Paths())
    return paths


@pytest.mark.parametrize("query", [MAP_QUERY, COUNTRY_QUERY])
def test_the_map_queries_are_valid_against_the_schema(query):
    assert validate(build_schema(schema.as_str()), parse(query)) == []


def test_the_first_request_carries_no_accounts():
    fields = _field_paths(MAP_QUERY)
    assert "countries.posts.formCounts.count" in fields
    assert not [field for field in fields if "accounts" in field or "people" in field]


def test_the_country_query_has_the_contracts_shape():
    """The contract's country query, with the page's locale, post ids and display names."""
    assert _field_paths(contract_query("country")) <= _field_paths(COUNTRY_QUERY)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "locale,names",
    [
        ("nl", ["Ambassade in Ottawa", "Ambassade in Tokio", "Consulaat-generaal in Vancouver"]),
        ("en", ["Embassy in Ottawa", "Embassy in Tokyo"]),  # Vancouver's English is a draft
    ],
)
def test_map_query_answers_in_the_page_language_with_public_posts_only(
    client, small_atlas, locale, names
):
    data = get_map_data(client, MAP_QUERY, locale=locale)
    posts = {post["name"]: post for country in data["countries"] for post in country["posts"]}
    assert sorted(posts) == names
    assert all(post["url"].startswith(f"/{locale}/") for post in posts.values())
    assert {country["url"] for country in data["countries"]} == {
        f"/{locale}/canada/",
        f"/{locale}/japan/",
    }
    counts = {
        name: {
            (item["platform"]["slug"], item["form"]): item["count"] for item in post["formCounts"]
        }
        for name, post in posts.items()
    }
    tokyo, ottawa = names[1], names[0]
    # The embassy's two accounts and its ambassador's, not the draft account; Ottawa's
    # draft person's account does not count either.
    assert counts[tokyo] == {("twitter", "PROFILE"): 2, ("linkedin", "PAGE"): 1}
    assert counts[ottawa] == {("facebook", "PAGE"): 1}
    if locale == "nl":
        assert counts["Consulaat-generaal in Vancouver"] == {("mastodon", "PROFILE"): 1}


@pytest.mark.django_db
@pytest.mark.parametrize("locale", ["nl", "en"])
def test_country_query_gives_the_accounts_and_people_of_a_selected_country(
    client, small_atlas, locale
):
    country = get_map_data(client, COUNTRY_QUERY, code="JP", locale=locale)["country"]
    english = locale == "en"
    assert country["url"] == f"/{locale}/japan/"
    [tokyo] = country["posts"]  # not the draft Osaka nor the private Sapporo post
    post = small_atlas.english.tokyo if english else small_atlas.tokyo
    assert tokyo["id"] == str(post.pk)
    assert [account["url"] for account in tokyo["accounts"]] == [
        "https://x.com/NLinJapan",
        "https://www.linkedin.com/company/nl-in-japan",
    ]  # not the draft account
    assert tokyo["people"] == [
        {
            "name": "Jane Tanaka",
            "role": "AMBASSADOR",
            "jobTitle": "Ambassador to Japan" if english else "Ambassadeur in Japan",
            "accounts": [
                {
                    "handle": "JaneTanakaNL",
                    "url": "https://x.com/JaneTanakaNL",
                    "name": "",
                    "form": "PROFILE",
                    "formLabel": "X (Twitter)",
                    "platform": {"slug": "twitter", "name": "X (Twitter)"},
                    # What the panel labels (inactive since, renamed and formerly at).
                    "status": "ACTIVE",
                    "statusSince": None,
                    "currentHandle": "JaneTanakaNL",
                    "currentUrl": "https://x.com/JaneTanakaNL",
                    "formerUrl": None,
                    # X has no open source: nothing read, nothing shown.
                    "followers": None,
                    "recentPosts": [],
                }
            ],
        }
    ]
