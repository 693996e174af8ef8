"""The public, read-only schema: queries only, optimised, guarded by graphql_api.limits."""

import strawberry
from strawberry_django.optimizer import DjangoOptimizerExtension

from graphql_api.limits import AtlasGuard, log_errors
from graphql_api.queries import Query


class AtlasSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None):
        log_errors(errors)


schema = AtlasSchema(
    query=Query,
    extensions=[
        AtlasGuard,
        # Whole rows are loaded (no .only()): the tables are narrow, and page URLs and
        # derived properties then never trigger a deferred-field query per object.
        lambda: DjangoOptimizerExtension(enable_only_optimization=False),
    ],
)
