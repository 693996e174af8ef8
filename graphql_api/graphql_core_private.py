"""The two private helpers of graphql-core's executor that the plain path (graphql_api.execution)
needs, imported here and nowhere else.

graphql-core exports no public equivalent: ``to_nodes`` gives the field nodes a ``ResolveInfo``
holds, ``invalid_return_type_error`` the error graphql-core reports for an object of the wrong
type; answering with anything else would change the errors clients see. Both are outside
``graphql.execution.executor.__all__``, so an upgrade may move or change them:
tests/graphql_api/test_graphql_core_private.py then fails and says which one.
"""

from graphql.execution.executor import invalid_return_type_error, to_nodes

__all__ = ["invalid_return_type_error", "to_nodes"]
