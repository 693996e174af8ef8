"""The demo atlas's mix of known and unknown cells: some posts fully checked, some partly,
some not at all; loading it again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from atlas_pages.models import ConfirmedNone
from atlas_pages.publication.public_atlas import public_atlas

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_realistic_mix():
    call_command("load_demo_atlas", "--small", stdout=StringIO())
    for language in ("nl", "en"):
        atlas = public_atlas(language)
        figures = [post.completeness for post in atlas.posts]
        complete = [f for f in figures if f.complete]
        partly = [f for f in figures if 0 < f.known < f.total]
        unchecked = [f for f in figures if f.known == 0]
        # Posts with accounts but no check are "partly" known: the accounts are listed.
        assert complete and partly, language
        assert all(f.checked_at is not None for f in complete)
        assert len(complete) + len(partly) + len(unchecked) == len(figures)
        overall = atlas.figures.completeness
        assert 0 < overall.known < overall.total
        assert "EU" in {region.code for region in atlas.figures.regions}
    count = ConfirmedNone.objects.count()
    assert count > 0
    call_command("load_demo_atlas", "--small", stdout=StringIO())
    assert ConfirmedNone.objects.count() == count
