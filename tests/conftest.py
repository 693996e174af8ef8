import pytest

from tests import factories


@pytest.fixture
def atlas(db):
    return factories.make_atlas()


@pytest.fixture
def japan(atlas):
    return factories.make_country(atlas, "JP", title="Japan")


@pytest.fixture
def tokyo(japan):
    return factories.make_post(japan)
