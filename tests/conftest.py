import os
from importlib import import_module

import pytest
import redis
from django.apps import apps
from django.core.cache import caches
from wagtail.models import Locale, Page

from atlas_pages.publication import changes, generation, history, public_atlas, shared_cache
from atlas_pages.templatetags import atlas_tags
from cms import response_cache
from tests import factories
from tests.workers import redis_database


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches: no response or generation of another test."""
    for cache in caches.all():
        cache.clear()
    response_cache.forget()
    atlas_tags.forget_summaries()
    public_atlas.forget()
    generation.forget()
    changes.forget()
    history.forget()
    yield


@pytest.fixture(autouse=True)
def _no_background_reads(request, monkeypatch):
    """No thread of its own reads the atlas after a publish (a process's background read, a
    generation's builder) unless a test asks for it (``@pytest.mark.background_reads``, with
    committed rows): a test's rows are in its transaction, which such a thread does not see, so
    it would build the atlas of the committed rows (none) and answer from it."""
    if request.node.get_closest_marker("background_reads") is None:
        monkeypatch.setattr(public_atlas, "warm_in_background", lambda token, language=None: None)
        monkeypatch.setattr(response_cache, "start_builder", lambda token, language: None)


@pytest.fixture
def no_response_cache(settings):
    """For tests that measure what a view itself costs, not what a cache hit saves."""
    settings.ATLAS_RESPONSE_CACHE = False


@pytest.fixture
def atlas(db):
    return factories.make_atlas()


@pytest.fixture
def japan(atlas):
    return factories.make_country(atlas, "JP", title="Japan")


@pytest.fixture
def tokyo(japan):
    return factories.make_post(japan)


#: A Redis database the tests may empty (CI starts Redis; elsewhere its tests are skipped).
REDIS_URL = os.environ.get("ATLAS_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{redis_database(9)}")


def _redis_reachable():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def real_redis(settings):
    """Both caches on a real, emptied Redis database, as production runs them."""
    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL} in CI")
        pytest.skip(f"no Redis at {REDIS_URL}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    location = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}
    settings.CACHES = {
        "default": {**location, "KEY_PREFIX": "atlas"},
        "responses": {**location, "KEY_PREFIX": "atlas-responses"},
    }
    shared_cache.reset_health()
    yield
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture
def committed(transactional_db):
    """Committed rows, which other threads and processes see. A transactional test's flush
    also removes what the data migrations made (page tree root, locales, platforms, groups,
    workflow): made again here by the migrations' own functions."""
    setup = import_module("atlas_pages.migrations.0002_editorial_setup")
    for code in setup.LOCALES:  # the root page needs its locale
        Locale.objects.get_or_create(language_code=code)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    setup.setup(apps, None)
    import_module("atlas_pages.migrations.0004_platforms_for_moderators").platforms_for_moderators(
        apps, None
    )


UNREACHABLE_REDIS = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            **UNREACHABLE_REDIS,
            "OPTIONS": {**UNREACHABLE_REDIS["OPTIONS"], "IGNORE_EXCEPTIONS": True},
        },
        "responses": UNREACHABLE_REDIS,
    }
    shared_cache.reset_health()
    yield
    shared_cache.reset_health()
