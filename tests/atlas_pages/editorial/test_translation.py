"""Dutch and English pages share their language-neutral facts; titles stay translated."""

import pytest
from wagtail.models import Locale

from atlas_pages.models import CountryPage, PostPage
from atlas_pages.rules.places import format_point
from tests.factories import translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(db):
    return Locale.objects.get(language_code="en")


def test_publishing_the_dutch_page_updates_the_facts_of_the_english_one(english, japan, tokyo):
    en_tokyo = translate(tokyo, "Embassy in Tokyo (EN)")
    tokyo.location = format_point(35.7, 139.8)
    tokyo.kind = PostPage.Kind.CONSULATE
    tokyo.title = "Ambassade in Tokio"
    tokyo.save_revision().publish()

    en_tokyo.refresh_from_db()
    assert (en_tokyo.lat, en_tokyo.lng, en_tokyo.kind) == (35.7, 139.8, "consulate")
    assert en_tokyo.title == "Embassy in Tokyo (EN)"
    assert en_tokyo.country.locale == english


def test_a_stale_translation_cannot_overwrite_the_facts(english, japan):
    en_japan = translate(japan, "Japan")
    en_japan.location = format_point(0, 0)
    en_japan.save_revision().publish()
    en_japan.refresh_from_db()
    assert (en_japan.lat, en_japan.lng) == (japan.lat, japan.lng)
    assert CountryPage.objects.filter(iso_code="JP").count() == 2
