"""The private helpers of graphql-core's executor that the plain path uses
(graphql_api/graphql_core_private.py) are still where and what they were: an upgrade of
graphql-core that moves or changes one fails here, with its name and what to do."""

import importlib
import inspect

import graphql
import pytest
from graphql import GraphQLError, GraphQLField, GraphQLObjectType, GraphQLString, parse
from graphql.execution.collect_fields import FieldDetails

EXECUTOR = "graphql.execution.executor"
#: Each helper with the parameters the plain path passes it.
HELPERS = {
    "to_nodes": ["field_details_list"],
    "invalid_return_type_error": ["return_type", "result", "field_details_list"],
}
UPGRADE = (
    f"graphql-core {graphql.__version__}: {EXECUTOR}.{{name}} {{what}}; "
    "graphql_api/graphql_core_private.py (and graphql_api/execution.py's plain path) must follow."
)


def field_details() -> list[FieldDetails]:
    """Two occurrences of one field, as the executor groups them under one response key."""
    operation = parse("{ country { name } country { name } }").definitions[0]
    return [FieldDetails(node, None) for node in operation.selection_set.selections]


@pytest.mark.parametrize(("name", "parameters"), HELPERS.items())
def test_graphql_core_still_has_the_helper(name, parameters):
    helper = getattr(importlib.import_module(EXECUTOR), name, None)
    assert callable(helper), UPGRADE.format(name=name, what="is gone")
    found = list(inspect.signature(helper).parameters)
    assert found == parameters, UPGRADE.format(name=name, what=f"now takes {found}")


def test_the_project_imports_them_from_there():
    from graphql_api import graphql_core_private

    executor = importlib.import_module(EXECUTOR)
    for name in HELPERS:
        assert getattr(graphql_core_private, name) is getattr(executor, name), name


def test_to_nodes_gives_the_field_nodes():
    from graphql_api.graphql_core_private import to_nodes

    details = field_details()
    assert to_nodes(details) == [detail.node for detail in details], UPGRADE.format(
        name="to_nodes", what="answers differently"
    )


def test_invalid_return_type_error_is_graphql_cores_error():
    from graphql_api.graphql_core_private import invalid_return_type_error

    country = GraphQLObjectType("Country", {"name": GraphQLField(GraphQLString)})
    details = field_details()
    error = invalid_return_type_error(country, "Japan", details)
    what = UPGRADE.format(name="invalid_return_type_error", what="answers differently")
    assert isinstance(error, GraphQLError), what
    assert error.message == "Expected value of type 'Country' but got: 'Japan'.", what
    assert error.nodes == [detail.node for detail in details], what
