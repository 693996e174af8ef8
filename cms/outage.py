"""What an outage of the database looks like to clients: a 503 with Retry-After, never a 500
(the site) nor an empty answer (the GraphQL API, graphql_api.views)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

#: Errors of a database that cannot be reached (or is locked, or timed out): an outage.
DATABASE_DOWN = (OperationalError, InterfaceError)
#: Seconds a client is asked to wait before it tries again.
RETRY_AFTER = 30


def server_error(request):
    """The site's 500 handler: an outage of the database answers 503 with Retry-After and a
    page that needs no database (templates/503.html); any other error Django's 500 page."""
    if not isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return django_server_error(request)
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response
