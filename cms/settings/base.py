"""Settings shared by every environment; what differs per machine comes from the environment."""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "atlas_pages",
    "graphql_api",
    "wagtailgeowidget",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_countries",
    "corsheaders",
    "csp",
    "axes",
    "strawberry_django",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.csp.AtlasCSPMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Inside CORS (its headers depend on the caller's Origin), before anything per-visitor.
    "cms.response_cache.PublicResponseCacheMiddleware",
    # Inside CORS (a browser client can read the 429) and inside the response cache: a cached
    # answer costs what refusing it would, so only work is counted.
    "cms.rate_limit.ApiRateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.locale.AtlasLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its refusal.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL selects the database; the embedded default is a SQLite file beside the project.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        # A kept connection is checked before a request uses it: after a database restart the
        # next request reconnects instead of failing on the broken connection.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL (or CACHE_URL with a redis:// scheme) selects Redis, shared by every app process;
# local memory otherwise (one process only). "default" serves Django and Wagtail and ignores a
# down Redis (a miss, not an error); "responses" holds the publication generation and the
# cached public responses (atlas_pages.publication.shared_cache handles its failures: one
# circuit breaker for the response cache and the rate limit).
CACHE_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    _redis_options = {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "atlas",
            "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": True},
        },
        "responses": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "atlas-responses",
            "OPTIONS": _redis_options,
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "responses": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "responses",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

AUTHENTICATION_BACKENDS = [
    # Refuses a login while its username and address are locked out, before checking it.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for the cool-off, even with the right password; other
# users and other addresses are unaffected. Attempts live in the database (the default handler),
# so throttling does not depend on the cache.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# No banner on every start of a process (management commands, workers).
AXES_VERBOSE = False
# The address is REMOTE_ADDR only: a client-supplied X-Forwarded-For must not pick a fresh
# address per attempt (read only if django-ipware is installed). Behind a proxy every client
# shares its address, so a lockout then holds for the username from anywhere (README.md).
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch is the ministry's default language; English is the second content language.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
# English dates in the ministry's order (cms/formats/en); Dutch ones are Django's own.
FORMAT_MODULE_PATH = ["cms.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from the npm registry (package.json) and are served by the project
# itself: no page of the site or the admin requests a third-party host.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
    ("vendor/topojson-client", NODE_MODULES / "topojson-client" / "dist"),
    ("vendor/world-atlas", NODE_MODULES / "world-atlas"),
    ("vendor/react", NODE_MODULES / "react" / "umd"),
    ("vendor/react-dom", NODE_MODULES / "react-dom" / "umd"),
]
# GraphiQL (where ATLAS_GRAPHIQL allows it, templates/graphql/graphiql.html): its package's
# directory cannot be served whole, so single files of it are (cms/staticfiles.py).
ATLAS_STATIC_PACKAGE_FILES = {
    "vendor/graphiql": [
        NODE_MODULES / "graphiql" / name
        for name in (
            "graphiql.min.js",
            "graphiql.min.js.map",
            "graphiql.min.css",
            "graphiql.min.css.map",
        )
    ],
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "cms.staticfiles.PackageFilesFinder",
]
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # The dated releases of the open data (atlas_pages/publication/releases.py), kept for good:
    # a directory by default; any Django storage (an S3-compatible one from django-storages)
    # in production. The site serves them itself (/releases/...), so no public URL is needed.
    "releases": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("ATLAS_RELEASES_ROOT", str(MEDIA_ROOT / "releases")),
        },
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Social Media Atlas"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx"]
# The admin requests no third-party host: no avatars from Gravatar, no release check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

# The geo widget's map has no tile server by default (no third-party requests); a tile layer
# can be configured for an installation that has one it may use.
GEO_WIDGET_DEFAULT_LOCATION = {"lat": 52.0799, "lng": 4.3113}
GEO_WIDGET_ZOOM = 5
# A plain local tile unless ATLAS_TILE_LAYER names a tile server the installation may use.
GEO_WIDGET_LEAFLET_TILE_LAYER = os.environ.get(
    "ATLAS_TILE_LAYER", STATIC_URL + "atlas/img/ocean-tile.png"
)
GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS = {
    "attribution": os.environ.get("ATLAS_TILE_ATTRIBUTION", ""),
}

# E-mail (password reset, workflow notifications): an SMTP server from the environment.
# Where ATLAS_REQUIRE_EMAIL is on (production), a missing EMAIL_HOST is check atlas.W001.
ATLAS_REQUIRE_EMAIL = False
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "atlas@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# Content-Security-Policy (django-csp; cms/csp.py): the site runs only its own static scripts
# and styles, no inline code. A configured tile server may serve map images.
TILE_ORIGIN = (
    "{0.scheme}://{0.netloc}".format(urlsplit(GEO_WIDGET_LEAFLET_TILE_LAYER)).replace("{s}", "*")
    if GEO_WIDGET_LEAFLET_TILE_LAYER.startswith(("http://", "https://"))
    else None
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *([TILE_ORIGIN] if TILE_ORIGIN else [])],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Wagtail's admin (inline widget scripts and style attributes; it frames its own views) gets
# these directives instead. GraphiQL runs under the site's policy (templates/graphql/).
ATLAS_CSP_RELAXED_PATHS = ["/admin/"]
ATLAS_CSP_RELAXED = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "frame-ancestors": [SELF],
}
# Wagtail's previews of site pages, people and accounts: the admin's preview panel frames them.
ATLAS_CSP_PREVIEW = {"frame-ancestors": [SELF]}

# Front ends on other origins that may call the GraphQL API.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/graphql/?$"
CORS_ALLOW_METHODS = ["GET", "POST", "OPTIONS"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per saved page or background task drowns what matters.
        name: {"handlers": ["console"], "level": "WARNING", "propagate": False}
        for name in ("django", "wagtail", "django_tasks", "modelsearch")
    },
}

# Trust and reach (atlas_pages/site/verify.py, atlas_pages/site/open_data.py) ----------------------
# Where the verify page sends someone who found an account that is not in the atlas (an
# impersonator?): a contact page and/or an address; neither set: only the platform's advice.
ATLAS_CONTACT_URL = os.environ.get("ATLAS_CONTACT_URL", "")
ATLAS_CONTACT_EMAIL = os.environ.get("ATLAS_CONTACT_EMAIL", "")
# The licence of the open data (/export/...), as named on the data page and in the JSON.
ATLAS_DATA_LICENCE = os.environ.get("ATLAS_DATA_LICENCE", "CC0 1.0")
ATLAS_DATA_LICENCE_URL = os.environ.get(
    "ATLAS_DATA_LICENCE_URL", "https://creativecommons.org/publicdomain/zero/1.0/"
)
# Dated releases of the open data (manage.py release_open_data): the scheduler
# (run_scheduled_publishing) looks every ATLAS_RELEASE_INTERVAL seconds (0: never) whether this
# month's release is due, from day ATLAS_RELEASE_DAY of the month on. Who publishes the data, as
# the DCAT catalogue (/export/catalog.jsonld, .rdf) names it; its contact point is
# ATLAS_CONTACT_EMAIL, else ATLAS_CONTACT_URL, else the data page.
ATLAS_RELEASE_INTERVAL = env_int("ATLAS_RELEASE_INTERVAL", 3600)
ATLAS_RELEASE_DAY = env_int("ATLAS_RELEASE_DAY", 1)
ATLAS_DATA_PUBLISHER = os.environ.get("ATLAS_DATA_PUBLISHER", "Ministry of Foreign Affairs")
ATLAS_DATA_PUBLISHER_URL = os.environ.get("ATLAS_DATA_PUBLISHER_URL", "")

# Response cache (cms/response_cache.py, atlas_pages/publication/generation.py) -------------
ATLAS_RESPONSE_CACHE = env_bool("ATLAS_RESPONSE_CACHE", True)
# Browsers and CDNs may reuse a response for a minute, then revalidate (a 304 when nothing
# changed), and serve it stale while revalidating; a publish is seen within max-age at most
# (at once where WAGTAILFRONTENDCACHE purges the CDN).
ATLAS_CACHE_MAX_AGE = int(os.environ.get("ATLAS_CACHE_MAX_AGE", 60))
ATLAS_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("ATLAS_CACHE_STALE_WHILE_REVALIDATE", 600))
# Each process keeps copies of the entries it used lately (never stale: a key names its
# generation), up to this many bytes.
ATLAS_CACHE_LOCAL_BYTES = int(os.environ.get("ATLAS_CACHE_LOCAL_BYTES", 32 * 1024 * 1024))
# How long visitors wait for another request computing the same response after a publish.
ATLAS_CACHE_LOCK_TIMEOUT = 20
# After a publish that only adds or changes public content, for how many seconds the previous
# generation's answer may be served while this process reads the new one in the background
# (atlas_pages.publication.generation, "Widening and narrowing"); 0: never.
ATLAS_STALE_SECONDS = float(os.environ.get("ATLAS_STALE_SECONDS", 5))
# Whether a change inside a transaction also starts a new generation at once, before the commit
# (atlas_pages.publication.generation.bump): for code that reads the public atlas in the same
# transaction after changing it, as the tests do (each runs in one). Production reads it only
# after the commit, so there a transaction makes one generation, at its commit (production.py).
ATLAS_BUMP_BEFORE_COMMIT = True
# The public atlas's rows are read from the database by one process per generation and shared
# with the others through the shared cache (atlas_pages.publication.public_atlas): how long a
# process waits for another's read before reading itself, and how long a snapshot is kept.
ATLAS_SNAPSHOT_WAIT = float(os.environ.get("ATLAS_SNAPSHOT_WAIT", 10))
ATLAS_SNAPSHOT_TIMEOUT = int(os.environ.get("ATLAS_SNAPSHOT_TIMEOUT", 3600))
# Once a new generation's atlas is built in every language, one full garbage collection frees
# the previous one (its records link each other; with the production server's GC thresholds,
# cms/gc_tuning.py, it would linger for about fifty publishes).
ATLAS_COLLECT_PREVIOUS_GENERATION = env_bool("ATLAS_COLLECT_PREVIOUS_GENERATION", True)
# How long an entry stays in the shared cache; a new generation makes it unreachable earlier.
ATLAS_CACHE_TIMEOUT = int(os.environ.get("ATLAS_CACHE_TIMEOUT", 24 * 3600))

# Latest posts and follower counts (atlas_pages/outbound/activity.py, fetch_activity) --------
# Posts kept per account; seconds between two scheduled fetches (run_scheduled_publishing;
# 0: never); accounts read at once; seconds between two requests to one host; time-out of a
# request (s); retries after a 429 or 5xx, waiting BACKOFF seconds, doubled each time.
ATLAS_ACTIVITY_POSTS = 5
ATLAS_ACTIVITY_INTERVAL = int(os.environ.get("ATLAS_ACTIVITY_INTERVAL", 3600))
ATLAS_ACTIVITY_CONCURRENCY = int(os.environ.get("ATLAS_ACTIVITY_CONCURRENCY", 4))
ATLAS_ACTIVITY_HOST_INTERVAL = float(os.environ.get("ATLAS_ACTIVITY_HOST_INTERVAL", 1.0))
ATLAS_ACTIVITY_TIMEOUT = 10.0
ATLAS_ACTIVITY_RETRIES = 3
ATLAS_ACTIVITY_BACKOFF = 2.0
ATLAS_ACTIVITY_MAX_BYTES = 2 * 1024 * 1024
ATLAS_ACTIVITY_USER_AGENT = os.environ.get(
    "ATLAS_ACTIVITY_USER_AGENT",
    "SocialMediaAtlas/1.0 (reads public feeds and open APIs server-side)",
)
ATLAS_ACTIVITY_BLUESKY_APPVIEW = "https://public.api.bsky.app"
ATLAS_ACTIVITY_YOUTUBE_FEED = "https://www.youtube.com/feeds/videos.xml?channel_id={channel_id}"
# The identity check (atlas_pages/outbound/identity.py, check_identities): seconds between two
# scheduled runs (run_scheduled_publishing; 0: never); where YouTube channel pages are read.
# It uses the activity fetch's client settings above (pacing, time-out, size, concurrency).
ATLAS_IDENTITY_INTERVAL = env_int("ATLAS_IDENTITY_INTERVAL", 24 * 3600)
ATLAS_IDENTITY_YOUTUBE_BASE = "https://www.youtube.com"
# The ministry's own domains: a Bluesky handle under one of them (name.netherlandsworldwide.nl)
# is the ministry's, and is recorded as verified by the platform.
ATLAS_MINISTRY_DOMAINS = env_list("ATLAS_MINISTRY_DOMAINS", "netherlandsworldwide.nl")
# Everything the atlas fetches (atlas_pages/outbound/http.py) refuses hosts that resolve to
# private or loopback addresses; tests allow them (their fake servers live on 127.0.0.1).
ATLAS_OUTBOUND_PRIVATE_HOSTS = False

# GraphQL API (graphql_api/) --------------------------------------------------------------
# GraphiQL in the browser and schema introspection: off unless the environment turns them on.
ATLAS_GRAPHIQL = env_bool("ATLAS_GRAPHIQL", False)
ATLAS_GRAPHQL_INTROSPECTION = env_bool("ATLAS_GRAPHQL_INTROSPECTION", False)
# The limits on a query's size and cost (ATLAS_GRAPHQL_MAX_TOKENS, _MAX_DEPTH, _MAX_ALIASES,
# _MAX_FIELDS, _COST_BASE, _COST_PER_OBJECT) have their defaults in graphql_api/limits.py
# (DEFAULTS); a setting here overrides one.
STRAWBERRY_DJANGO = {
    "PAGINATION_DEFAULT_LIMIT": 50,
    "PAGINATION_MAX_LIMIT": 200,  # larger limits are clamped to this
}
# Requests per client address to /graphql (cms/rate_limit.py): "COUNT/PERIOD" with a period
# of s, m, h or d ("600/m", "10000/h"); empty for no limit. Counted in the shared cache; when
# that is down the API is served without limits. The client is REMOTE_ADDR (IPv6 per /64):
# behind a reverse proxy, use the PROXY protocol (gunicorn --proxy-protocol) or name the header
# the proxy sets to the client's address, overwriting any the client sent (e.g. HTTP_X_REAL_IP).
ATLAS_API_RATE_LIMIT = os.environ.get("ATLAS_API_RATE_LIMIT", "600/m").strip() or None
if ATLAS_API_RATE_LIMIT and not re.fullmatch(r"\d+/\d*[smhd]", ATLAS_API_RATE_LIMIT):
    raise ImproperlyConfigured(f"ATLAS_API_RATE_LIMIT={ATLAS_API_RATE_LIMIT!r}: e.g. 600/m")
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = os.environ.get("ATLAS_CLIENT_IP_HEADER") or None
# End GraphQL API --------------------------------------------------------------------------

# Keeping the atlas current (atlas_pages/editorial/upkeep.py, atlas_pages/outbound/linkcheck.py)
# An account's review is due again after this many days (about six months).
ATLAS_REVIEW_MAX_AGE_DAYS = env_int("ATLAS_REVIEW_MAX_AGE_DAYS", 182)
# A post's attestation "these are all our accounts" is due again after this many days
# (atlas_pages/editorial/attestations.py).
ATLAS_ATTESTATION_MAX_AGE_DAYS = env_int("ATLAS_ATTESTATION_MAX_AGE_DAYS", 365)
# manage.py send_review_reminders (atlas_pages/editorial/reminders.py): days a contact has after
# their reminder before the post's editors are told, and seconds between two scheduled runs
# (run_scheduled_publishing; 0: never).
ATLAS_REMINDER_GRACE_DAYS = env_int("ATLAS_REMINDER_GRACE_DAYS", 14)
ATLAS_REMINDER_INTERVAL = env_int("ATLAS_REMINDER_INTERVAL", 24 * 3600)
# manage.py check_account_links: seconds to wait for an answer, hosts checked side by side,
# seconds between two requests to one host, and the page its User-Agent names for contact.
ATLAS_LINK_CHECK_TIMEOUT = float(os.environ.get("ATLAS_LINK_CHECK_TIMEOUT", 10))
ATLAS_LINK_CHECK_CONCURRENCY = env_int("ATLAS_LINK_CHECK_CONCURRENCY", 8)
ATLAS_LINK_CHECK_HOST_INTERVAL = float(os.environ.get("ATLAS_LINK_CHECK_HOST_INTERVAL", 2))
ATLAS_LINK_CHECK_CONTACT_URL = os.environ.get("ATLAS_LINK_CHECK_CONTACT_URL", WAGTAILADMIN_BASE_URL)
# manage.py check_site_links (atlas_pages/outbound/site_links.py): seconds between two scheduled
# sweeps of the posts' websites for links to their accounts (run_scheduled_publishing; 0: never),
# and the most bytes of a page read. Timeout, pacing and contact are the link check's.
ATLAS_SITE_LINKS_INTERVAL = int(os.environ.get("ATLAS_SITE_LINKS_INTERVAL", 24 * 3600))
ATLAS_SITE_LINKS_MAX_BYTES = 2 * 1024 * 1024
# manage.py sweep_leads (atlas_pages/outbound/leads.py): the ministry's central pages (URLs,
# comma-separated) read besides the posts' websites for profiles the atlas does not list yet,
# and seconds between two scheduled sweeps (run_scheduled_publishing; 0: never). It reads
# through the site-links sweep's client (its size cap; the link check's time-out and pacing).
ATLAS_LEAD_SOURCES = env_list("ATLAS_LEAD_SOURCES")
ATLAS_LEADS_INTERVAL = env_int("ATLAS_LEADS_INTERVAL", 7 * 24 * 3600)
# Wikidata (atlas_pages/outbound/wikidata.py: propose_wikidata_matches, wikidata_report): the
# SPARQL endpoint asked (through the one outbound client, with a User-Agent naming the atlas and
# its contact, as Wikidata's policy asks), the items that operate the ministry's embassies and
# consulates (P137), e.g. Q55 (the Netherlands), comma-separated, and a time-out (s)
ATLAS_WIKIDATA_SPARQL_URL = os.environ.get(
    "ATLAS_WIKIDATA_SPARQL_URL", "https://query.wikidata.org/sparql"
)
ATLAS_WIKIDATA_OPERATORS = env_list("ATLAS_WIKIDATA_OPERATORS", "Q55")
# The ministry's country (ISO 3166-1 alpha-2): a person's citizenship (P27) counts for a match.
ATLAS_WIKIDATA_COUNTRY_CODE = os.environ.get("ATLAS_WIKIDATA_COUNTRY_CODE", "NL")
ATLAS_WIKIDATA_TIMEOUT = float(os.environ.get("ATLAS_WIKIDATA_TIMEOUT", 60))
# Seconds between two queries, and retries of a 429 or 5xx answer (5 s, doubled each time).
ATLAS_WIKIDATA_HOST_INTERVAL = 1.0
ATLAS_WIKIDATA_RETRIES = 3
