"""The test suite: fast hashing, in-memory cache and e-mail, the database from DATABASE_URL."""

from .base import *  # noqa: F403
from .base import SECRET_KEY

SECRET_KEY = SECRET_KEY or "django-insecure-test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "responses": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "r"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
}
# Close connections after each request: the browser tests' server thread must not hold one
# open when pytest drops the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# No API rate limit: a test may send many requests from one address (tests/cms/test_rate_limit.py
# turns it on).
ATLAS_API_RATE_LIMIT = None
# No activity fetching from the scheduler's loop (tests call fetch_activity themselves).
ATLAS_ACTIVITY_INTERVAL = 0
# No sweep of the posts' websites either (tests call check_site_links themselves).
ATLAS_SITE_LINKS_INTERVAL = 0
# No identity check either (tests call check_identities themselves).
ATLAS_IDENTITY_INTERVAL = 0
# No review reminders either (tests call send_review_reminders themselves).
ATLAS_REMINDER_INTERVAL = 0
# No open-data releases either (tests call release_open_data themselves).
ATLAS_RELEASE_INTERVAL = 0
# No sweep for leads either (tests call sweep_leads themselves).
ATLAS_LEADS_INTERVAL = 0
# Every answer fresh after any publish (tests of the previous generation standing in turn it on:
# tests/cms/test_stale_while_rebuilding.py).
ATLAS_STALE_SECONDS = 0
# No full collection after each new generation: a test process holds far more objects than a
# worker (whose start-up objects are frozen), and builds thousands of tiny atlases
# (tests/cms/test_stale_while_rebuilding.py turns it on).
ATLAS_COLLECT_PREVIOUS_GENERATION = False
