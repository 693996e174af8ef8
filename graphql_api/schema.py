"""The public, read-only schema: queries only, over the public atlas, guarded by
graphql_api.limits."""

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from graphql_api.execution import AtlasExecutionContext
from graphql_api.limits import AtlasGuard, log_errors
from graphql_api.queries import Query


class AtlasSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors)


schema = AtlasSchema(
    query=Query, extensions=[AtlasGuard], execution_context_class=AtlasExecutionContext
)
