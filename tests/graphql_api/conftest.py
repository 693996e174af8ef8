import json
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings
from graphql import (
    ArgumentNode,
    NamedTypeNode,
    NameNode,
    VariableDefinitionNode,
    VariableNode,
    parse,
    print_ast,
)

from tests import factories

CONTRACT = Path(settings.BASE_DIR).parent / "shared" / "contract"


def contract_query(name):
    """A front end's query, exactly as the contract keeps it."""
    return (CONTRACT / "queries" / f"{name}.graphql").read_text()


@pytest.fixture
def gql(client):
    """POST a query as JSON; return the decoded response body (asserting HTTP 200)."""

    def run(query, variables=None, status=200, **headers):
        body = {"query": query}
        if variables is not None:
            body["variables"] = variables
        response = client.post(
            "/graphql/", json.dumps(body), content_type="application/json", **headers
        )
        assert response.status_code == status, response.content
        return response.json()

    return run


@pytest.fixture
def data(gql):
    """gql returning `data`, asserting there are no errors."""

    def run(query, variables=None):
        result = gql(query, variables)
        assert "errors" not in result, result["errors"]
        return result["data"]

    return run


@pytest.fixture
def vancouver(atlas):
    canada = factories.make_country(atlas, "CA", title="Canada", lat=56.1, lng=-106.3)
    return factories.make_post(
        canada,
        title="Consulate-General in Vancouver",
        city="Vancouver",
        kind="consulate_general",
        lat=49.28,
        lng=-123.12,
    )


@pytest.fixture
def ambassador(tokyo):
    return factories.make_person(
        name="Jane Example", role="ambassador", job_title="Ambassador to Japan", post=tokyo
    )


def with_locale(query, variable="locale"):
    """A contract query with a `$locale: String` variable passed to each root field that takes
    one (all but platforms)."""
    value = VariableNode(name=NameNode(value=variable))
    argument = ArgumentNode(name=NameNode(value="locale"), value=value)
    definition = VariableDefinitionNode(
        variable=value, type=NamedTypeNode(name=NameNode(value="String")), directives=()
    )

    def localised(operation):
        fields = tuple(
            field
            if field.name.value == "platforms"
            else replace(field, arguments=(*(field.arguments or ()), argument))
            for field in operation.selection_set.selections
        )
        return replace(
            operation,
            variable_definitions=(*(operation.variable_definitions or ()), definition),
            selection_set=replace(operation.selection_set, selections=fields),
        )

    document = parse(query)
    return print_ast(replace(document, definitions=tuple(map(localised, document.definitions))))
