"""The /graphql/ endpoint: GET (cacheable) and JSON POST, GraphiQL only where a setting allows."""

import json

from cross_web import HTTPException
from django.conf import settings
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView

from graphql_api.schema import schema


@method_decorator(csrf_exempt, name="dispatch")  # read-only, no cookie-based authentication
class AtlasGraphQLView(GraphQLView):
    multipart_uploads_enabled = False

    def __init__(self, **kwargs):
        kwargs.setdefault("schema", schema)
        super().__init__(**kwargs)

    @property
    def graphql_ide(self):
        return "graphiql" if getattr(settings, "ATLAS_GRAPHIQL", False) else None

    @graphql_ide.setter
    def graphql_ide(self, value):
        """The setting decides, per request; the constructor's default is ignored."""

    def parse_json(self, data):
        try:
            parsed = json.loads(data)
        except (TypeError, ValueError, RecursionError) as error:
            raise HTTPException(400, "Unable to parse request body as JSON") from error
        if not isinstance(parsed, dict):
            raise HTTPException(400, "Expected one JSON object (batching is off).")
        return parsed


graphql_view = AtlasGraphQLView.as_view()
