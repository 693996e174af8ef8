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
