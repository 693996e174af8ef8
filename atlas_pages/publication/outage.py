"""What counts as an outage of the database, and how long clients are asked to wait: one rule
for the site's 503 page (cms/outage.py) and the GraphQL API's 503 (graphql_api/views.py)."""

from django.db import InterfaceError, OperationalError

#: Errors of a database that cannot be reached (or is locked, or timed out): an outage.
DATABASE_DOWN = (OperationalError, InterfaceError)
#: Seconds a client is asked to wait before it tries again (the Retry-After header).
RETRY_AFTER = 30
