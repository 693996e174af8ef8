"""The production server's garbage-collection tuning (cms/gc_tuning.py), applied by gunicorn's
configuration in the master once the application is loaded."""

import gc
import runpy
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from atlas_pages.publication import public_atlas
from cms import gc_tuning

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "cms" / "gunicorn.conf.py"


@pytest.fixture
def restored_gc():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_tune_freezes_what_is_loaded_and_widens_the_young_generation(restored_gc):
    gc.unfreeze()
    gc_tuning.tune()
    assert gc.get_freeze_count() > 10_000  # Django, Wagtail and the project
    assert gc.get_threshold() == (50_000, 20, 100)
    # A request's garbage then comes and goes without a collection.
    collections = gc.get_stats()[0]["collections"]
    garbage = [[index] for index in range(10_000)]
    del garbage
    assert gc.get_stats()[0]["collections"] == collections


@pytest.mark.django_db
def test_gunicorn_tunes_and_reads_the_public_atlas_before_forking_the_workers(restored_gc, tokyo):
    config = runpy.run_path(str(GUNICORN_CONF))
    assert config["preload_app"] is True  # when_ready runs in the master, with the app loaded
    gc.unfreeze()
    config["when_ready"](server=None)
    assert gc.get_threshold() == (50_000, 20, 100)
    assert gc.get_freeze_count() > 10_000
    # Every worker starts with the public atlas of every language (read after the freeze).
    token, atlases = public_atlas.public_atlases()
    assert public_atlas._loaded["generation"] == token and set(atlases) == {"nl", "en"}
    with CaptureQueriesContext(connection) as queries:
        public_atlas.public_atlas("en").post(tokyo.pk)
    assert len(queries) == 0
    # With the versions of its pages worked out: a worker's first build takes them over.
    for atlas in atlases.values():
        pages = [("country", country.id) for country in atlas.countries]
        pages += [("post", post.id) for post in atlas.posts]
        assert set(atlas._page_versions) == set(pages)
    assert ("post", tokyo.pk) in public_atlas.public_atlas(
        tokyo.locale.language_code
    )._page_versions


def test_without_a_database_the_workers_read_the_atlas_themselves(restored_gc, caplog):
    config = runpy.run_path(str(GUNICORN_CONF))
    config["when_ready"](server=None)  # no database access here: the read fails
    assert "The public atlas was not read before forking" in caplog.text


@pytest.mark.django_db
def test_the_atlas_is_read_and_built_without_collections(tokyo, monkeypatch):
    enabled_while_building = []
    build = public_atlas._build

    def watched_build(language, rows, base=None):
        enabled_while_building.append(gc.isenabled())
        return build(language, rows, base)

    monkeypatch.setattr(public_atlas, "_build", watched_build)
    assert gc.isenabled()
    public_atlas.public_atlases()
    assert enabled_while_building == [False, False]
    assert gc.isenabled()


def test_pausing_collections_nests_and_restores_what_was():
    with public_atlas.collection_paused():
        with public_atlas.collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    gc.disable()
    try:
        with public_atlas.collection_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
