"""The production server's garbage-collection tuning (cms/gc_tuning.py), applied by gunicorn's
configuration in the master once the application is loaded."""

import gc
import runpy
from pathlib import Path

import pytest

from cms import gc_tuning

GUNICORN_CONF = Path(__file__).resolve().parent.parent / "cms" / "gunicorn.conf.py"


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


def test_gunicorn_tunes_before_forking_the_workers(restored_gc):
    config = runpy.run_path(str(GUNICORN_CONF))
    assert config["preload_app"] is True  # when_ready runs in the master, with the app loaded
    gc.unfreeze()
    config["when_ready"](server=None)
    assert gc.get_threshold() == (50_000, 20, 100)
    assert gc.get_freeze_count() > 10_000
