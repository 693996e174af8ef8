"""The public atlas (the read model): only live, public, unexpired content with public owners,
in three queries."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Workflow

from atlas_pages.models import SocialAccount
from atlas_pages.public_atlas import (
    UNCHECKED_REUSE_SECONDS,
    load,
    load_all,
    public_atlas,
)
from tests.factories import make_account, make_atlas, make_country, make_person, make_post
from tests.site.atlas_data import grow

pytestmark = pytest.mark.django_db


def ids(records):
    return [record.id for record in records]


def test_live_pages_and_snippets_are_public(tokyo):
    person = make_person(post=tokyo)
    org = make_account("https://x.com/NLinJapan", post=tokyo)
    personal = make_account("https://x.com/JaneInJapan", person=person)
    assert ids(load().posts) == [tokyo.pk]
    assert ids(load().people) == [person.pk]
    assert set(ids(load().accounts)) == {org.pk, personal.pk}
    assert [p.slug for p in load().platforms] == ["twitter"]


def test_unpublished_post_hides_its_accounts_and_people(tokyo):
    person = make_person(post=tokyo)
    make_account("https://x.com/NLinJapan", post=tokyo)
    make_account("https://x.com/JaneInJapan", person=person)
    tokyo.unpublish()
    assert not load().posts
    assert not load().people
    assert not load().accounts


def test_unpublished_country_hides_posts_below(japan, tokyo):
    japan.unpublish()
    tokyo.refresh_from_db()
    assert tokyo.live
    assert not load().posts


def test_view_restriction_on_an_ancestor_hides_the_subtree(japan, tokyo):
    PageViewRestriction.objects.create(page=japan, restriction_type="password", password="x")
    assert not load().countries
    assert not load().posts


def test_expired_page_is_gone_before_the_scheduler_runs(atlas, japan, tokyo):
    japan.expire_at = timezone.now() - timedelta(minutes=1)
    japan.save()
    assert not load().countries
    assert not load().posts


def test_draft_snippet_is_invisible(tokyo):
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    account.live = False
    account.save()
    assert not load().accounts
    assert not load().platforms


def test_draft_changes_to_a_live_snippet_leave_the_live_version(tokyo):
    account = make_account("https://x.com/NLinJapan", post=tokyo, display_name="Embassy")
    account.display_name = "Draft name"
    account.save_revision()
    [public] = load().accounts
    assert public.name == "Embassy"


def test_people_at_the_top_have_no_post(atlas):
    minister = make_person(name="Minister", role="minister")
    assert ids(load().people) == [minister.pk]


def test_other_country_unaffected(atlas, japan, tokyo):
    canada = make_country(atlas, "CA", title="Canada", lat=56, lng=-106)
    vancouver = make_post(canada, title="Consulate-General in Vancouver", city="Vancouver")
    japan.unpublish()
    assert ids(load().posts) == [vancouver.pk]


def test_pages_are_listed_in_one_content_language(japan, tokyo):
    from wagtail.models import Locale

    english = Locale.objects.get(language_code="en")
    en_tokyo = tokyo.copy_for_translation(english, copy_parents=True)
    en_tokyo.save_revision().publish()
    make_account("https://x.com/NLinJapan", post=tokyo)
    assert ids(load().posts) == [tokyo.pk]
    assert ids(load("en").posts) == [en_tokyo.pk]
    assert [country.code for country in load("en").countries] == ["JP"]
    assert len(load("en").accounts) == 1
    assert load("en").accounts[0].post.id == en_tokyo.pk
    with pytest.raises(LookupError):
        load("fr")


def test_an_item_in_moderation_stays_hidden_and_a_live_one_keeps_its_live_version(tokyo):
    """Submitted to the press review: a new account is not public until approved; a live
    account with a change in review shows its live version."""
    workflow = Workflow.objects.get(name="Press review")
    live = make_account("https://x.com/NLinJapan", post=tokyo, display_name="Embassy")
    live.display_name = "Changed in review"
    live.save_revision()
    workflow.start(live, user=None)
    new = make_account("https://x.com/NewInReview", post=tokyo, live=False)
    new.save_revision()
    workflow.start(new, user=None)
    assert SocialAccount.objects.get(pk=new.pk).workflow_in_progress
    [public] = load().accounts
    assert (public.id, public.name) == (live.pk, "Embassy")


@pytest.mark.parametrize("size", [1, 4])
def test_three_plain_queries_however_large_the_atlas(size):
    """Pages, people, accounts: each one SELECT without a subquery (the publication rule is
    applied to the rows, not repeated in SQL per row), whatever the atlas holds."""
    atlas = grow(make_atlas(), ["JP", "CA", "FR", "DE"][:size], size)
    load_all()  # Wagtail's site root paths (for the URLs) cached, as on a running server
    with CaptureQueriesContext(connection) as captured:
        atlases = load_all()
    assert len(captured) == 3
    assert all(query["sql"].upper().count("SELECT") == 1 for query in captured)
    assert {language: len(found.posts) for language, found in atlases.items()} == {
        "nl": size * size,
        "en": size * size,
    }
    assert atlas.locale.language_code == "en"


def test_while_the_cache_is_down_an_atlas_is_reused_for_seconds_not_per_request(
    tokyo, redis_down, monkeypatch, django_assert_num_queries
):
    """No generation to check against: one read per process per few seconds, and then a
    change shows."""
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    # The atlas 3, Wagtail's site root paths 2 (its cache is down too).
    with django_assert_num_queries(5):
        assert ids(public_atlas().posts) == [tokyo.pk]
    tokyo.unpublish()  # no bump reaches anyone: the cache is down
    clock[0] += UNCHECKED_REUSE_SECONDS - 1
    with django_assert_num_queries(0):
        assert ids(public_atlas().posts) == [tokyo.pk]
    clock[0] += 2
    with django_assert_num_queries(5):
        assert public_atlas().posts == []


def test_each_language_is_built_when_first_asked_for_from_one_read(
    japan, tokyo, monkeypatch, django_assert_num_queries
):
    """A request in Dutch does not pay for the English atlas; English, asked for later in the
    same generation, is built from the rows already read (no query)."""
    from atlas_pages import public_atlas as module

    built = []
    build = module._build
    monkeypatch.setattr(
        module, "_build", lambda language, rows: built.append(language) or build(language, rows)
    )
    public_atlas("nl")
    assert built == ["nl"]
    with django_assert_num_queries(0):
        public_atlas("nl")
        public_atlas("en")
    assert built == ["nl", "en"]


def test_a_renamed_page_is_found_at_its_new_url_after_the_publish(japan, tokyo):
    """Page paths are remembered between reads; a new slug is a new path."""
    assert load().post(tokyo.pk).url == "/nl/japan/embassy-in-tokyo/"
    tokyo.slug = "embassy-tokio"
    tokyo.save_revision().publish()
    assert load().post(tokyo.pk).url == "/nl/japan/embassy-tokio/"
