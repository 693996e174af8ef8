"""The /graphql/ endpoint: GET (cacheable) and JSON POST, GraphiQL only where a setting allows.

Every answer is JSON in GraphQL's shape, errors included: a refused request (bad JSON, an
unsupported content type or method, no query) gets ``{"errors": [{"message": ...}]}`` with its
HTTP status, an outage of the database a 503 with ``Retry-After`` (cms.outage answers the same
when the outage stops the request before this view), and an automatic persisted query (Apollo's
hash without a query) the standard PersistedQueryNotSupported, so that the client sends the
query itself.
"""

import json
from typing import Any

import orjson
from cross_web import HTTPException, SyncHTTPRequestAdapter
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.http.ides import GraphQL_IDE
from strawberry.types import ExecutionResult

from atlas_pages.publication.outage import DATABASE_DOWN, RETRY_AFTER
from graphql_api.limits import UNAVAILABLE, UNAVAILABLE_CODE, is_outage
from graphql_api.schema import schema


class GraphQLHTTPError(Exception):
    """A request refused with an HTTP status and a GraphQL-shaped error."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.headers = status, message, code, headers or {}

    def response(self) -> JsonResponse:
        error = {"message": self.message}
        if self.code:
            error["extensions"] = {"code": self.code}
        response = JsonResponse({"errors": [error]}, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def unavailable() -> GraphQLHTTPError:
    """The refusal of a request while the database is down: the client is to retry."""
    return GraphQLHTTPError(503, UNAVAILABLE, UNAVAILABLE_CODE, {"Retry-After": str(RETRY_AFTER)})


@method_decorator(csrf_exempt, name="dispatch")  # read-only, no cookie-based authentication
class AtlasGraphQLView(GraphQLView):
    multipart_uploads_enabled = False

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("schema", schema)
        super().__init__(**kwargs)

    @property
    def graphql_ide(self) -> GraphQL_IDE | None:
        return "graphiql" if settings.ATLAS_GRAPHIQL else None

    @graphql_ide.setter
    def graphql_ide(self, value: GraphQL_IDE | None) -> None:
        """The setting decides, per request; the constructor's default is ignored."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return super().dispatch(request, *args, **kwargs)
        except GraphQLHTTPError as error:
            return error.response()
        except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE
            return GraphQLHTTPError(413, "The request body is too large.").response()
        except DATABASE_DOWN:  # raised outside execution (e.g. while reading the request)
            return unavailable().response()

    def run(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """strawberry's run, its plain-text HTTP errors turned into GraphQL-shaped JSON."""
        try:
            return super().run(request, *args, **kwargs)
        except HTTPException as error:
            headers = {"Allow": "GET, POST"} if error.status_code == 405 else None
            raise GraphQLHTTPError(error.status_code, error.reason, headers=headers) from error

    def parse_json(self, data: str | bytes) -> dict[str, Any]:
        try:
            parsed = json.loads(data)
        except (TypeError, ValueError, RecursionError) as error:
            raise HTTPException(400, "Unable to parse request body as JSON") from error
        if not isinstance(parsed, dict):
            raise HTTPException(400, "Expected one JSON object (batching is off).")
        return parsed

    def parse_http_body(self, request: SyncHTTPRequestAdapter) -> GraphQLRequestData:
        data = super().parse_http_body(request)
        if not data.query and "persistedQuery" in (data.extensions or {}):
            # Apollo's automatic persisted queries: a hash the server does not keep. This
            # standard answer makes the client send the whole query instead.
            raise GraphQLHTTPError(
                400, "PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED"
            )
        return data

    def encode_json(self, data: object) -> bytes:
        """UTF-8 JSON, as strawberry's but with orjson: most of an uncached big answer's
        encoding time saved (the whole atlas at 3,000 accounts: 7.4 ms to 0.9)."""
        return orjson.dumps(data)

    def process_result(self, request: HttpRequest, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors and any(is_outage(error) for error in result.errors):
            raise unavailable()  # not an empty answer: the client must retry
        return process_result(result)


graphql_view = AtlasGraphQLView.as_view()
