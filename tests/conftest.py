import pytest
from django.core.cache import caches

from tests import factories


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches: no response or generation of another test."""
    for cache in caches.all():
        cache.clear()
    yield


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
