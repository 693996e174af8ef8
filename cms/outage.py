"""What an outage of the database looks like to clients: a 503 with Retry-After, never a 500
(the site) nor an empty answer (the GraphQL API, graphql_api.views); which errors are an outage
is atlas_pages.publication.outage's to say."""

import sys

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.views.defaults import server_error as django_server_error

from atlas_pages.publication.outage import DATABASE_DOWN, RETRY_AFTER
from graphql_api.views import graphql_view, unavailable


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's 500 handler: an outage of the database answers 503 with Retry-After, at
    /graphql/ in the API's JSON shape, elsewhere with a page that needs no database
    (templates/503.html); any other error Django's 500 page."""
    if not isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return django_server_error(request)
    if is_graphql(request):
        # The outage stopped the request before the view could answer it (e.g. in the
        # response cache's middleware): the client still gets its code, not a page.
        return unavailable().response()
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def is_graphql(request: HttpRequest) -> bool:
    """Whether the request is for the GraphQL endpoint (with or without its slash)."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.func is graphql_view
