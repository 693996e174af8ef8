from types import SimpleNamespace

import pytest
from django.db import models, transaction

from tests.atlas_pages.site.atlas_data import build_small_atlas


@pytest.fixture(scope="module")
def _small_atlas_once(django_db_setup, django_db_blocker):
    """The small atlas, built once per test module inside a transaction that is rolled back
    after the module; each test runs in a savepoint inside it (pytest-django's `db`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_small_atlas()
        transaction.set_rollback(True)


def _fresh(value):
    """A copy of the built objects read again from the database: what a test changes in
    memory or in the database (rolled back) does not leak into the next test."""
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**{name: _fresh(item) for name, item in vars(value).items()})
    if isinstance(value, models.Model):
        return type(value).objects.get(pk=value.pk)
    return value


@pytest.fixture
def small_atlas(_small_atlas_once, db):
    return _fresh(_small_atlas_once)


@pytest.fixture
def release_dir(settings, tmp_path):
    """The releases storage in a directory of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "releases": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "releases")},
        },
    }
    return tmp_path / "releases"
