"""Production: secrets and hosts come from the environment; no secret key, no start."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, SECRET_KEY, env_bool

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

# WhiteNoise serves the collected static files (Leaflet, world geometry, icons): no CDN.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"

# GraphQL API: no GraphiQL and no introspection unless the environment explicitly asks.
ATLAS_GRAPHIQL = env_bool("ATLAS_GRAPHIQL", False)
ATLAS_GRAPHQL_INTROSPECTION = env_bool("ATLAS_GRAPHQL_INTROSPECTION", False)
# End GraphQL API
