import pytest
from django.contrib.auth.models import Group

from tests.factories import make_user


@pytest.fixture
def editor(db):
    return make_user("editor", Group.objects.get(name="Press editors"))


@pytest.fixture
def moderator(db):
    return make_user("moderator", Group.objects.get(name="Press moderators"))


@pytest.fixture
def admin_user(db):
    return make_user("admin", is_superuser=True, is_staff=True)


@pytest.fixture(autouse=True)
def english_messages():
    """Assert validation messages in English; the Dutch catalogue has its own tests."""
    from django.utils import translation

    with translation.override("en"):
        yield
