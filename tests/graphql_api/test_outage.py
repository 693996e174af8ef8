"""An unreachable database is an outage that clients can tell from an empty answer: 503 with
Retry-After, for the GraphQL API a GraphQL-shaped JSON error, for the site a page that needs
no database, in the URL's language."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache, caches
from django.db import connections
from django.db.utils import load_backend

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_response_cache")]

QUERIES = [
    "{ atlas { countryCount } }",
    '{ country(code: "JP") { name posts { name accounts { handle } } } }',
    '{ search(query: "Japan") { __typename } }',
    "{ __typename }",
]


@contextmanager
def database_down():
    """The default connection replaced by one to a database that cannot be reached (tests run
    without the response cache, which would answer from what it holds): a closed
    port for PostgreSQL, a file in a directory that does not exist for SQLite."""
    settings_dict = dict(connections["default"].settings_dict)
    if settings_dict["ENGINE"].endswith("sqlite3"):
        settings_dict["NAME"] = "/nonexistent-directory/atlas.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1")
    unreachable = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    working = connections["default"]
    connections["default"] = unreachable
    try:
        yield
    finally:
        unreachable.close()
        connections["default"] = working


def assert_unavailable(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": [
            {
                "message": "The atlas is temporarily unavailable; please try again in a minute.",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ]
    }


@pytest.mark.parametrize("query", QUERIES[:3])
def test_graphql_answers_503_while_the_database_is_down(client, tokyo, query):
    cache.clear()  # the cost estimate's atlas counts too must come from the database
    with database_down():
        assert_unavailable(client.post("/graphql/", {"query": query}, "application/json"))
        assert_unavailable(client.get("/graphql/", {"query": query}))


@pytest.mark.parametrize("path", ["/graphql/", "/graphql"])
def test_graphql_answers_json_when_the_outage_stops_the_request_before_the_view(
    client, tokyo, settings, path
):
    """With the response cache on, as in production, the middleware reads the database (the
    publication generation's next expiry) before the view: the answer is still the API's
    JSON 503, not the site's HTML page."""
    settings.ATLAS_RESPONSE_CACHE = True
    cache.clear()
    caches["responses"].clear()
    client.raise_request_exception = False  # the test client re-raises what the handler logs
    with database_down():
        assert_unavailable(client.post(path, {"query": QUERIES[0]}, "application/json"))
        assert_unavailable(client.get(path, {"query": QUERIES[0]}))


def test_graphql_answers_from_the_public_atlas_it_has_read_while_the_database_is_down(
    client, tokyo
):
    """Nothing can be published while the database is down: the public atlas read for the
    current publication generation is still the truth, and answers without it."""
    answer = client.post("/graphql/", {"query": QUERIES[1]}, "application/json")
    with database_down():
        during = client.post("/graphql/", {"query": QUERIES[1]}, "application/json")
    assert during.status_code == 200
    assert (
        during.json()
        == answer.json()
        == {
            "data": {
                "country": {
                    "name": "Japan",
                    "posts": [{"name": "Embassy in Tokyo", "accounts": []}],
                }
            }
        }
    )


def test_graphql_recovers_when_the_database_is_back(client, tokyo):
    with database_down():
        client.post("/graphql/", {"query": QUERIES[0]}, "application/json")
    response = client.post("/graphql/", {"query": QUERIES[0]}, "application/json")
    assert response.json() == {"data": {"atlas": {"countryCount": 1}}}


def test_graphql_without_the_database_still_answers_what_needs_none(client, tokyo):
    client.post("/graphql/", {"query": QUERIES[3]}, "application/json")  # counts cached
    with database_down():
        response = client.post("/graphql/", {"query": QUERIES[3]}, "application/json")
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/nl/", "Tijdelijk niet beschikbaar"),
        ("/en/", "Temporarily unavailable"),
        ("/en/japan/", "Temporarily unavailable"),
        ("/nl/search/?q=Japan", "Tijdelijk niet beschikbaar"),
    ],
)
def test_site_answers_a_503_page_while_the_database_is_down(client, tokyo, path, title):
    cache.clear()  # Wagtail's cached site root paths too must come from the database
    client.raise_request_exception = False  # the test client re-raises what the handler logs
    with database_down():
        response = client.get(path)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert f"<h1>{title}</h1>" in response.content.decode()


def test_other_errors_stay_500(client, tokyo, monkeypatch):
    def explode():
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr("atlas_pages.publication.public_atlas.get_search_backend", explode)
    client.raise_request_exception = False
    response = client.get("/en/search/?q=x")
    assert response.status_code == 500
    assert "Retry-After" not in response
