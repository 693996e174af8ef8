"""What the endpoint refuses, how it fails, and what its errors may reveal."""

import json
import time
from urllib.parse import urlencode

import pytest
from django.test import override_settings
from graphql import build_schema, parse, validate
from strawberry.extensions.query_depth_limiter import create_validator

from graphql_api import limits
from graphql_api.schema import schema

pytestmark = pytest.mark.django_db


def crafted_fragments(levels=24):
    """Each fragment spreads the previous one twice: 2**levels fields once expanded."""
    lines = ["fragment F0 on Query { platforms { slug } }"]
    for n in range(1, levels + 1):
        lines.append(f"fragment F{n} on Query {{ ...F{n - 1} ...F{n - 1} }}")
    lines.append(f"query Crafted {{ ...F{levels} }}")
    return "\n".join(lines)


def get(client, query, **headers):
    return client.get("/graphql/?" + urlencode({"query": query}), **headers)


def test_get_runs_a_query_from_the_query_string(client, atlas):
    response = get(client, "{ countries { code } }")
    assert response.status_code == 200
    assert response.json() == {"data": {"countries": []}}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("query={ countries { code } }", "application/x-www-form-urlencoded"),
        ('{"query": "{ countries { code } }"}', "text/plain"),
        ('{"query": "{ countries {', "application/json"),
        ('{"query": 42}', "application/json"),
        ('[{"query": "{ countries { code } }"}]', "application/json"),
        ('"{ countries { code } }"', "application/json"),
        ("[" * 100_000, "application/json"),
        ('{"query": "{ countries { code } }", "variables": [1]}', "application/json"),
    ],
)
def test_bad_requests_are_rejected_with_400_not_executed(client, body, content_type, atlas):
    response = client.post("/graphql/", body, content_type=content_type)
    assert response.status_code == 400
    assert b"countries" not in response.content


def test_multipart_post_is_rejected(client, atlas):
    response = client.post("/graphql/", {"query": "{ countries { code } }"})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Unsupported content type"}]}


@pytest.mark.parametrize(
    "query",
    [
        "{ countries { code }",  # syntax error
        "{ nonsense }",
        "mutation { anything }",
        "{ country(code: 3) { code } }",
        "query ($c: String!) { country(code: $c) { code } }",  # missing variable
    ],
)
def test_bad_documents_get_graphql_errors_never_500(client, query, atlas):
    response = client.post(
        "/graphql/", json.dumps({"query": query}), content_type="application/json"
    )
    assert response.status_code in {200, 400}
    result = response.json()
    assert result["errors"][0]["message"]
    assert result.get("data") is None


@override_settings(ATLAS_GRAPHIQL=True)
def test_graphiql_where_the_setting_allows(client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


@override_settings(ATLAS_GRAPHIQL=False)
def test_no_graphiql_by_default(client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404


@override_settings(CORS_ALLOWED_ORIGINS=["https://map.example.org"])
def test_cors_allows_a_configured_origin(client, atlas):
    origin = {"HTTP_ORIGIN": "https://map.example.org"}
    response = get(client, "{ countries { code } }", **origin)
    assert response["Access-Control-Allow-Origin"] == "https://map.example.org"
    preflight = client.options("/graphql/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST", **origin)
    assert preflight["Access-Control-Allow-Origin"] == "https://map.example.org"
    other = get(client, "{ countries { code } }", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


INTROSPECTION = "{ __schema { queryType { name } } }"


@override_settings(ATLAS_GRAPHQL_INTROSPECTION=False)
def test_introspection_off(gql):
    result = gql(INTROSPECTION)
    assert "introspection" in result["errors"][0]["message"]
    assert "data" not in result or result["data"] is None
    assert gql("{ __typename }") == {"data": {"__typename": "Query"}}


@override_settings(ATLAS_GRAPHQL_INTROSPECTION=True)
def test_introspection_on(gql):
    assert gql(INTROSPECTION) == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


MISSPELLED = [
    "{ countrys { code } }",  # field
    "{ posts(filter: {}) { totalCount } }",  # argument
    "{ posts(filters: {kind: EMBASY}) { totalCount } }",  # enum value
    "query ($f: PostFiltr) { posts(filters: $f) { totalCount } }",  # type
    "{ posts(filters: {knd: EMBASSY}) { totalCount } }",  # input field
]


@pytest.mark.parametrize("query", MISSPELLED)
def test_no_suggestions_leak_with_introspection_off(gql, query, atlas):
    with override_settings(ATLAS_GRAPHQL_INTROSPECTION=True):
        assert "Did you mean" in json.dumps(gql(query))
    with override_settings(ATLAS_GRAPHQL_INTROSPECTION=False):
        result = gql(query)
        assert result["errors"]
        assert "Did you mean" not in json.dumps(result)


def test_variable_enum_value_has_no_suggestion(gql, atlas):
    query = "query ($k: PostKind) { posts(filters: {kind: $k}) { totalCount } }"
    result = gql(query, {"k": "EMBASY"})
    assert result["errors"]
    assert "Did you mean" not in json.dumps(result)


def test_unexpected_errors_are_masked_and_logged(gql, atlas, monkeypatch, caplog):
    def explode(self, query, limit):
        raise RuntimeError("secret database detail")

    monkeypatch.setattr("atlas_pages.publication.public_atlas.PublicAtlas.search", explode)
    with caplog.at_level("ERROR", logger="graphql_api"):
        result = gql('{ search(query: "Japan") { __typename } }')
    assert result["errors"][0]["message"] == "Unexpected error."
    assert "secret" not in json.dumps(result)
    assert "Traceback" not in json.dumps(result)
    assert "secret database detail" in caplog.text


def test_too_many_tokens(gql):
    query = "{ " + " ".join(["__typename"] * 2500) + " }"
    message = gql(query)["errors"][0]["message"]
    assert "more than 2000 tokens" in message


def test_too_deep(gql):
    nested = "{ posts { results { country { posts { country { posts { country { posts { country "
    nested += "{ posts { name } } } } } } } } } } }"
    message = gql(nested)["errors"][0]["message"]
    assert message.startswith("The query is too deep: depth 11")


def test_too_many_aliases(gql):
    query = "{ " + " ".join(f"a{n}: __typename" for n in range(21)) + " }"
    assert gql(query)["errors"][0]["message"] == (
        "The query is too complex: aliases 21 exceeds the limit of 20."
    )


def test_too_much_work_through_repeated_fragments(gql):
    started = time.perf_counter()
    result = gql(crafted_fragments())
    elapsed = time.perf_counter() - started
    assert result["errors"][0]["message"].startswith("The query is too complex: fields")
    assert "data" not in result or result["data"] is None
    assert elapsed < 1.0


def test_measuring_is_linear_where_re_walking_is_exponential():
    """The crafted document costs strawberry's depth limiter time in proportion to its
    expansion (2**levels); the memoised measure does not grow with it."""
    document = parse(crafted_fragments(levels=14))
    started = time.perf_counter()
    validate(build_schema(schema.as_str()), document, [create_validator(100, None, None)])
    rewalking = time.perf_counter() - started
    started = time.perf_counter()
    cost = limits.measure(document)
    measuring = time.perf_counter() - started
    assert cost.fields == 2 * 2**14
    assert measuring * 20 < rewalking


def test_a_well_formed_query_within_limits_still_runs(gql, atlas):
    query = "fragment P on Platform { slug } { a: platforms { ...P } b: platforms { ...P } }"
    assert gql(query) == {"data": {"a": [], "b": []}}
