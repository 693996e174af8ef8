"""The map's one GraphQL request is valid against the project's schema and answers it."""

import json
import re
from pathlib import Path

import pytest
from graphql import parse, validate

from graphql_api.schema import schema

MAP_SCRIPT = Path(__file__).resolve().parents[2] / "static" / "atlas" / "js" / "atlas-map.js"


def _map_query():
    return re.search(r"var QUERY = `(.*?)`;", MAP_SCRIPT.read_text(), re.S)[1]


def test_map_query_is_valid_against_the_schema():
    assert validate(schema._schema, parse(_map_query())) == []


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
    # As the script sends it: a GET with the page's language as $locale.
    variables = json.dumps({"locale": locale})
    response = client.get("/graphql/", {"query": _map_query(), "variables": variables})
    assert response.status_code == 200
    data = response.json()["data"]
    posts = [post for country in data["countries"] for post in country["posts"]]
    assert sorted(post["name"] for post in posts) == names
    assert all(post["url"].startswith(f"/{locale}/") for post in posts)
    assert {country["url"] for country in data["countries"]} == {
        f"/{locale}/canada/",
        f"/{locale}/japan/",
    }
    assert {platform["slug"] for platform in data["platforms"]} == {
        "twitter",
        "facebook",
        "linkedin",
        "mastodon",
    }
