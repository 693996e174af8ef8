"""Completeness in the public read model: each public post's cells (listed, confirmed none,
unknown), the figures per post, country, region and overall, the expiry of a confirmation,
the generation it bumps, and what never counts (a draft, a post in moderation, a private post,
a personal account without consent)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import PageViewRestriction

from atlas_pages.editorial.confirmed_none import set_confirmed_none, undo_confirmed_none
from atlas_pages.models import ConfirmedNone, Platform, withdraw_consent
from atlas_pages.publication import generation
from atlas_pages.publication.public_atlas import public_atlas
from atlas_pages.publication.records import CellState
from tests.factories import (
    make_account,
    make_country,
    make_person,
    make_post,
    make_user,
    platform,
    translate,
)

pytestmark = pytest.mark.django_db


def states(post):
    return {cell.platform.slug: cell.state for cell in post.coverage}


@pytest.fixture
def checked(tokyo, japan):
    """Tokyo: a live X account, "none" confirmed on Facebook and Instagram. Osaka: nothing."""
    osaka = make_post(japan, title="Consulate in Osaka", city="Osaka")
    make_account("https://x.com/NLinJapan", post=tokyo)
    editor = make_user("checker")
    set_confirmed_none(tokyo, platform("facebook"), editor, "asked the embassy")
    set_confirmed_none(tokyo, platform("instagram"), editor)
    return {"tokyo": tokyo, "osaka": osaka}


def test_cells_and_figures(checked):
    atlas = public_atlas("nl")
    total = Platform.objects.count()
    tokyo, osaka = atlas.post(checked["tokyo"].pk), atlas.post(checked["osaka"].pk)
    assert [cell.platform.slug for cell in tokyo.coverage] == list(
        Platform.objects.order_by("sort_order", "name").values_list("slug", flat=True)
    )
    found = states(tokyo)
    assert found.pop("twitter") == CellState.LISTED
    assert found.pop("facebook") == found.pop("instagram") == CellState.CONFIRMED_NONE
    assert set(found.values()) == {CellState.UNKNOWN}
    assert set(states(osaka).values()) == {CellState.UNKNOWN}
    assert (tokyo.completeness.known, tokyo.completeness.total) == (3, total)
    assert (
        tokyo.completeness.checked_at == ConfirmedNone.objects.latest("confirmed_at").confirmed_at
    )
    assert (osaka.completeness.known, osaka.completeness.checked_at) == (0, None)
    japan = atlas.country_by_code("JP")
    assert (japan.completeness.known, japan.completeness.total) == (3, 2 * total)
    assert japan.region == "AS"
    overall = atlas.figures.completeness
    assert (overall.known, overall.total, overall.unknown) == (3, 2 * total, 2 * total - 3)
    assert overall.share == pytest.approx(3 / (2 * total))
    assert [(r.code, r.completeness.known) for r in atlas.figures.regions] == [("AS", 3)]
    # No English page: nothing in English.
    assert public_atlas("en").figures.completeness.total == 0


def test_both_languages_agree(checked):
    english = translate(checked["tokyo"], title="Embassy in Tokyo (en)")
    nl, en = public_atlas("nl").post(checked["tokyo"].pk), public_atlas("en").post(english.pk)
    assert states(nl) == states(en)
    assert (en.completeness.known, en.completeness.total) == (3, Platform.objects.count())


def test_an_account_added_makes_the_cell_listed(checked):
    make_account("https://facebook.com/NLinJapan", post=checked["tokyo"])
    tokyo = public_atlas("nl").post(checked["tokyo"].pk)
    assert states(tokyo)["facebook"] == CellState.LISTED
    assert tokyo.completeness.known == 3  # listed now, no longer counted as "none"
    assert tokyo.completeness.checked_at is not None  # Instagram's confirmation


def test_a_confirmation_and_its_undo_start_a_new_generation(checked):
    before = generation.current()
    set_confirmed_none(checked["osaka"], platform("youtube"), None)
    after = generation.current()
    assert after != before
    assert states(public_atlas("nl").post(checked["osaka"].pk))["youtube"] == "confirmed_none"
    undo_confirmed_none(checked["osaka"], platform("youtube"))
    assert generation.current() != after
    assert states(public_atlas("nl").post(checked["osaka"].pk))["youtube"] == "unknown"


def test_a_confirmation_expires_after_the_review_period(checked, settings):
    settings.ATLAS_REVIEW_MAX_AGE_DAYS = 30
    ConfirmedNone.objects.filter(platform__slug="instagram").update(
        confirmed_at=timezone.now() - timedelta(days=20)
    )
    tokyo_id = checked["tokyo"].pk
    assert states(public_atlas("nl").post(tokyo_id))["instagram"] == "confirmed_none"
    generation.current()  # the generation's next expiry is that confirmation's
    with time_machine.travel(timezone.now() + timedelta(days=10, minutes=1)):
        # No save, no publish: the moment itself starts a new generation.
        tokyo = public_atlas("nl").post(tokyo_id)
        assert states(tokyo)["instagram"] == "unknown"
        assert states(tokyo)["facebook"] == "confirmed_none"
        assert tokyo.completeness.known == 2


def test_coverage_is_read_in_one_query_when_first_asked(checked, django_assert_num_queries):
    atlas = public_atlas("nl")
    with django_assert_num_queries(1):
        atlas.figures.completeness  # noqa: B018
    with django_assert_num_queries(0):
        public_atlas("nl").post(checked["osaka"].pk).coverage  # noqa: B018 (same generation)


# Nothing of a post that is not public counts or shows. -------------------------------------


def _draft(japan):
    return make_post(japan, title="Hidden Draft", city="Kyoto", live=False)


def _in_moderation(japan):
    post = make_post(japan, title="Hidden In Moderation", city="Kobe", live=False)
    editor = make_user("submitter")
    post.save_revision(user=editor)
    post.get_workflow().start(post, editor)
    return post


def _private(japan):
    post = make_post(japan, title="Hidden Private", city="Nara")
    PageViewRestriction.objects.create(page=post, restriction_type="password", password="x")
    return post


def _unpublished(japan):
    post = make_post(japan, title="Hidden Unpublished", city="Sendai")
    post.unpublish()
    return post


@pytest.mark.parametrize("make", [_draft, _in_moderation, _private, _unpublished])
def test_a_hidden_post_s_confirmations_never_count(checked, japan, make):
    translate(checked["tokyo"])
    languages = ("nl", "en")
    before = {}
    for language in languages:
        figures = public_atlas(language).figures.completeness
        before[language] = (figures.known, figures.total)
    assert before == {"nl": (3, 2 * Platform.objects.count()), "en": (3, Platform.objects.count())}
    hidden = make(japan)
    translate(hidden, title=f"{hidden.title} (en)", live=False)  # a draft translation too
    set_confirmed_none(hidden, platform("youtube"), None)
    make_account("https://x.com/HiddenPostAccount", post=hidden)
    for language in languages:
        atlas = public_atlas(language)
        assert atlas.post(hidden.pk) is None
        figures = atlas.figures.completeness
        assert (figures.known, figures.total) == before[language]
        assert atlas.country_by_code("JP").completeness.total == before[language][1]


def test_a_personal_account_without_consent_lists_nothing(tokyo):
    employee = make_person(
        name="Eve Employee",
        role="employee",
        post=tokyo,
        consent_given_at=timezone.localdate() - timedelta(days=3),
    )
    make_account("https://bsky.app/profile/eve.example", person=employee, speaks_for="person")
    assert states(public_atlas("nl").post(tokyo.pk))["bluesky"] == "listed"
    employee.consent_withdrawn_at = timezone.localdate()
    withdraw_consent(employee)
    tokyo_record = public_atlas("nl").post(tokyo.pk)
    assert states(tokyo_record)["bluesky"] == "unknown"
    assert tokyo_record.completeness.known == 0


def test_another_country_s_figures_stand_apart(checked, atlas):
    france = make_country(atlas, "FR", title="France", lat=46.6, lng=2.2)
    paris = make_post(france, title="Embassy in Paris", city="Paris", lat=48.86, lng=2.35)
    set_confirmed_none(paris, platform("tiktok"), None)
    atlas_nl = public_atlas("nl")
    assert atlas_nl.country_by_code("FR").completeness.known == 1
    assert atlas_nl.country_by_code("JP").completeness.known == 3
    assert {r.code: r.completeness.known for r in atlas_nl.figures.regions} == {"AS": 3, "EU": 1}
