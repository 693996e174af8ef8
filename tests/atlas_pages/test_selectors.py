"""The publication rule: only live, public, unexpired content with public owners."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from atlas_pages import selectors
from tests.factories import make_account, make_country, make_person, make_post

pytestmark = pytest.mark.django_db


def test_live_pages_and_snippets_are_public(tokyo):
    person = make_person(post=tokyo)
    org = make_account("https://x.com/NLinJapan", post=tokyo)
    personal = make_account("https://x.com/JaneInJapan", person=person)
    assert list(selectors.public_posts()) == [tokyo]
    assert list(selectors.public_people()) == [person]
    assert set(selectors.public_accounts()) == {org, personal}
    assert [p.slug for p in selectors.public_platforms()] == ["twitter"]


def test_unpublished_post_hides_its_accounts_and_people(tokyo):
    person = make_person(post=tokyo)
    make_account("https://x.com/NLinJapan", post=tokyo)
    make_account("https://x.com/JaneInJapan", person=person)
    tokyo.unpublish()
    assert not selectors.public_posts().exists()
    assert not selectors.public_people().exists()
    assert not selectors.public_accounts().exists()


def test_unpublished_country_hides_posts_below(japan, tokyo):
    japan.unpublish()
    tokyo.refresh_from_db()
    assert tokyo.live
    assert not selectors.public_posts().exists()


def test_view_restriction_on_an_ancestor_hides_the_subtree(japan, tokyo):
    PageViewRestriction.objects.create(page=japan, restriction_type="password", password="x")
    assert not selectors.public_countries().exists()
    assert not selectors.public_posts().exists()


def test_expired_page_is_gone_before_the_scheduler_runs(atlas, japan, tokyo):
    japan.expire_at = timezone.now() - timedelta(minutes=1)
    japan.save()
    assert not selectors.public_countries().exists()
    assert not selectors.public_posts().exists()


def test_draft_snippet_is_invisible(tokyo):
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    account.live = False
    account.save()
    assert not selectors.public_accounts().exists()
    assert not selectors.public_platforms().exists()


def test_draft_changes_to_a_live_snippet_leave_the_live_version(tokyo):
    account = make_account("https://x.com/NLinJapan", post=tokyo, display_name="Embassy")
    account.display_name = "Draft name"
    account.save_revision()
    public = selectors.public_accounts().get()
    assert public.display_name == "Embassy"


def test_people_at_the_top_have_no_post(atlas):
    minister = make_person(name="Minister", role="minister")
    assert list(selectors.public_people()) == [minister]


def test_other_country_unaffected(atlas, japan, tokyo):
    canada = make_country(atlas, "CA", title="Canada", lat=56, lng=-106)
    vancouver = make_post(canada, title="Consulate-General in Vancouver", city="Vancouver")
    japan.unpublish()
    assert list(selectors.public_posts()) == [vancouver]


def test_pages_are_listed_in_one_content_language(japan, tokyo):
    from wagtail.models import Locale

    english = Locale.objects.get(language_code="en")
    en_tokyo = tokyo.copy_for_translation(english, copy_parents=True)
    en_tokyo.save_revision().publish()
    make_account("https://x.com/NLinJapan", post=tokyo)
    assert list(selectors.public_posts()) == [tokyo]
    assert [p.pk for p in selectors.public_posts("en")] == [en_tokyo.pk]
    assert selectors.public_countries("en").get().iso_code == "JP"
    assert selectors.public_accounts().count() == 1
    with pytest.raises(LookupError):
        selectors.public_posts("fr")
