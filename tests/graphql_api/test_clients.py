"""What standard clients meet at the endpoint: introspection where it is on (GraphiQL's docs,
gql, GraphQL Code Generator), GraphiQL from local assets, Apollo's persisted queries, the URL
without its slash, and errors that are always GraphQL-shaped JSON."""

import json
import re
from urllib.parse import urlencode

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from graphql import build_client_schema, get_introspection_query

from tests.graphql_api.test_hardening import MISSPELLED

pytestmark = pytest.mark.django_db

INTROSPECTION_QUERIES = {
    "default": get_introspection_query(),
    "everything": get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    ),
}


def post(client, body, path="/graphql/", content_type="application/json"):
    return client.post(path, body if isinstance(body, str) else json.dumps(body), content_type)


@override_settings(ATLAS_GRAPHQL_INTROSPECTION=True)
@pytest.mark.parametrize("name", INTROSPECTION_QUERIES)
def test_the_standard_introspection_query_passes_the_limits(client, name):
    response = post(client, {"query": INTROSPECTION_QUERIES[name]})
    assert response.status_code == 200
    result = response.json()
    assert "errors" not in result, result
    schema = build_client_schema(result["data"])  # what clients build from it
    assert "countries" in schema.query_type.fields


@override_settings(ATLAS_GRAPHQL_INTROSPECTION=True)
def test_a_deep_query_is_still_refused_with_introspection_on(client):
    nested = "{ posts { results { country { posts { country { posts { country { posts { country "
    nested += "{ posts { name } } } } } } } } } } }"
    message = post(client, {"query": nested}).json()["errors"][0]["message"]
    assert message.startswith("The query is too deep: depth 11")


@override_settings(ATLAS_GRAPHQL_INTROSPECTION=False)
def test_introspection_off_still_refuses_the_standard_query(client):
    result = post(client, {"query": INTROSPECTION_QUERIES["default"]}).json()
    assert result["errors"] and result.get("data") is None
    assert "introspection" in result["errors"][0]["message"]


# GraphiQL --------------------------------------------------------------------------------------


@override_settings(ATLAS_GRAPHIQL=True)
def test_graphiql_loads_only_local_assets_and_they_are_served(client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(urls) >= 6  # icon, two style sheets, four scripts
    for url in urls:
        assert url.startswith("/static/"), url  # no CDN, no other host
        assert finders.find(url.removeprefix("/static/")), url
    for library in ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js"):
        assert any(url.endswith(library) for url in urls)
    assert "unpkg" not in html and "jsdelivr" not in html
    assert "<script>" not in html  # no inline script


# Apollo, the URL, and errors in GraphQL's shape ---------------------------------------------------


def test_an_automatic_persisted_query_gets_the_standard_answer(client):
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": "a" * 64}}
    expected = {
        "errors": [
            {
                "message": "PersistedQueryNotSupported",
                "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"},
            }
        ]
    }
    response = client.get("/graphql/?" + urlencode({"extensions": json.dumps(extensions)}))
    assert response["Content-Type"] == "application/json"
    assert response.json() == expected
    assert post(client, {"extensions": extensions}).json() == expected


def test_apollos_retry_with_the_query_runs_it(client, tokyo):
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": "a" * 64}}
    body = {"query": "{ countries { code } }", "extensions": extensions}
    assert post(client, body).json() == {"data": {"countries": [{"code": "JP"}]}}


def test_the_url_without_its_slash_answers_the_same(client, tokyo):
    body = {"query": "{ countries { code } }"}
    assert post(client, body, path="/graphql").json() == {"data": {"countries": [{"code": "JP"}]}}
    response = client.get("/graphql?" + urlencode(body))
    assert response.json() == {"data": {"countries": [{"code": "JP"}]}}


@pytest.mark.parametrize(
    ("method", "body", "content_type", "status", "message"),
    [
        ("post", "{", "application/json", 400, "Unable to parse request body as JSON"),
        ("post", "query=x", "text/plain", 400, "Unsupported content type"),
        ("post", '{"variables": {}}', "application/json", 400, "No GraphQL query found"),
        ("get", None, None, 400, "No GraphQL query found"),
        ("put", "{}", "application/json", 405, "GraphQL only supports GET and POST"),
        ("delete", None, None, 405, "GraphQL only supports GET and POST"),
    ],
)
@pytest.mark.parametrize("path", ["/graphql/", "/graphql"])
def test_refused_requests_get_graphql_shaped_json(
    client, path, method, body, content_type, status, message
):
    send = getattr(client, method)
    response = send(path, body, content_type=content_type) if body else send(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    result = response.json()
    assert list(result) == ["errors"]
    assert message in result["errors"][0]["message"]
    if status == 405:
        assert response["Allow"] == "GET, POST"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_too_large_gets_graphql_shaped_json(client):
    response = post(client, {"query": "{ __typename }", "variables": {"x": "y" * 2000}})
    assert response.status_code == 413
    assert response.json() == {"errors": [{"message": "The request body is too large."}]}


@override_settings(ATLAS_GRAPHIQL=False)
def test_graphiql_off_is_a_json_404(client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"message": "Not Found"}]}


# What errors reveal without introspection -----------------------------------------------------

#: Schema names that these documents do not contain, and that a client without introspection
#: must not learn from an error (the spec's scalars, String and others, are no secret).
HIDDEN = ["PostKind", "PostFilter", "Country", "CountryFilter", "Post"]


@pytest.mark.parametrize(
    "query",
    [
        *MISSPELLED,
        '{ country(code: "jp") }',  # a selection of subfields is needed
        "{ countries(filters: {nme: 1}) { code } }",
        "{ posts(filters: {kind: 3}) { totalCount } }",
        "{ country { code } }",  # a required argument
    ],
)
def test_validation_errors_name_nothing_the_client_did_not_send(client, query, atlas):
    with override_settings(ATLAS_GRAPHQL_INTROSPECTION=True):
        named = json.dumps(post(client, {"query": query}).json())
    with override_settings(ATLAS_GRAPHQL_INTROSPECTION=False):
        result = post(client, {"query": query}).json()
    assert result["errors"]
    text = json.dumps(result)
    for name in HIDDEN:
        if f"'{name}'" in named and name not in query:
            assert f"'{name}'" not in text, text
    assert "Did you mean" not in text


@override_settings(ATLAS_GRAPHQL_INTROSPECTION=False)
def test_a_hidden_name_is_said_to_be_hidden(client, atlas):
    query = "{ posts(filters: {kind: EMBASY}) { totalCount } }"
    assert post(client, {"query": query}).json()["errors"][0]["message"] == (
        "Value 'EMBASY' does not exist in '(hidden)' enum."
    )
    query = "query ($k: PostKind) { posts(filters: {kind: $k}) { totalCount } }"
    result = post(client, {"query": query, "variables": {"k": "EMBASY"}}).json()
    assert result["errors"][0]["message"] == (  # the client named PostKind itself
        "Variable '$k' has invalid value: Value 'EMBASY' does not exist in 'PostKind' enum."
    )
