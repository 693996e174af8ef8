"""Production: secrets and hosts come from the environment; no secret key, no start."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, SECRET_KEY, STORAGES, env_bool, env_int

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

# WhiteNoise serves the collected static files (Leaflet, world geometry, icons): no CDN.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    **STORAGES,  # the releases' storage as configured in base
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# HTTPS only. Behind a reverse proxy that terminates TLS, the proxy must set
# X-Forwarded-Proto (and strip a client's own); the redirect and HSTS then follow it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Submitting the domain to browsers' preload lists is the domain owner's decision.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# No page is framed by another site; Wagtail's previews allow their own admin (and the CSP's
# frame-ancestors says the same, cms/csp.py).
X_FRAME_OPTIONS = "DENY"

# E-mail must be configured: without it password reset and workflow notifications cannot be
# sent (atlas.W001 says so at every start-up check, README.md lists the variables).
ATLAS_REQUIRE_EMAIL = True
# A transaction makes one generation, at its commit (see base.py): a generation started before
# the commit made every process read the rows as they were.
ATLAS_BUMP_BEFORE_COMMIT = False
