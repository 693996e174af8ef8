"""Local development: DEBUG on, a throw-away secret key, GraphiQL and introspection on."""

from .base import *  # noqa: F403
from .base import SECRET_KEY

DEBUG = True
SECRET_KEY = SECRET_KEY or "django-insecure-dev-only-key-not-for-production"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# GraphQL API: GraphiQL and introspection on for local development.
ATLAS_GRAPHIQL = True
ATLAS_GRAPHQL_INTROSPECTION = True
# End GraphQL API
