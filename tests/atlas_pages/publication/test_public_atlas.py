"""The public atlas (the read model): only live, public, unexpired content with public owners,
in three queries."""

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction, Workflow

from atlas_pages.models import Person, SocialAccount
from atlas_pages.publication import generation
from atlas_pages.publication.public_atlas import (
    UNCHECKED_REUSE_SECONDS,
    load,
    load_all,
    public_atlas,
)
from tests.atlas_pages.site.atlas_data import grow
from tests.factories import make_account, make_atlas, make_country, make_person, make_post

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
    from atlas_pages.publication import public_atlas as module

    built = []
    build = module._build
    monkeypatch.setattr(
        module,
        "_build",
        lambda language, rows, base=None: built.append(language) or build(language, rows, base),
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


# Consent, whom an account speaks for, and account status ---------------------------------


@pytest.fixture
def employee(tokyo):
    """An employee at the embassy who consented a year ago, with a personal account."""
    person = make_person(
        name="Piet Employee",
        role=Person.Role.EMPLOYEE,
        post=tokyo,
        consent_given_at=timezone.localdate() - timedelta(days=365),
        job_titles={"en": "Press officer"},
    )
    make_account("https://x.com/PietInJapan", person=person)
    return person


def public_handles(language="nl"):
    return {account.handle for account in public_atlas(language).accounts}


def test_an_accounts_voice_defaults_from_its_owner(tokyo, employee):
    ambassador = make_person(name="Amb", role=Person.Role.AMBASSADOR, post=tokyo)
    minister = make_person(name="Min", role=Person.Role.MINISTER)
    speaks = {
        "post": make_account("https://x.com/NLinJapan", post=tokyo),
        "ambassador": make_account("https://x.com/AmbJP", person=ambassador),
        "minister": make_account("https://x.com/MinBZ", person=minister),
        "employee": employee.accounts.get(),
        "ambassador, personally": make_account(
            "https://x.com/AmbPrivate", person=ambassador, speaks_for="person"
        ),
    }
    assert {label: account.speaks_for for label, account in speaks.items()} == {
        "post": "office",
        "ambassador": "office",
        "minister": "office",
        "employee": "person",
        "ambassador, personally": "person",
    }
    with pytest.raises(ValidationError, match="speaks for the office"):
        make_account("https://x.com/NLinJapan2", post=tokyo, speaks_for="person")


def test_a_personal_account_is_public_only_while_consent_stands(tokyo, employee):
    ambassador = make_person(name="Amb", post=tokyo)  # no consent: speaks for the office
    make_account("https://x.com/AmbJP", person=ambassador)
    make_account("https://x.com/AmbPrivate", person=ambassador, speaks_for="person")
    assert public_handles() == public_handles("en") == {"PietInJapan", "AmbJP"}
    record = load().account(employee.accounts.get().pk)
    assert (record.speaks_for, record.kind) == ("person", "personal")

    Person.objects.filter(pk=employee.pk).update(consent_given_at=None)
    atlas = load()
    assert {a.handle for a in atlas.accounts} == {"AmbJP"}
    # The person is still listed (by role and post); only their own accounts are not.
    assert atlas.person(employee.pk).accounts == []
    assert atlas.account_for_url("https://x.com/PietInJapan") is None
    assert atlas.figures.account_count == 1 and atlas.post(tokyo.pk).account_count == 1
    assert atlas.search("PietInJapan", 10) == []


def test_withdrawing_consent_takes_effect_on_save_everywhere_at_once(
    tokyo, employee, editor, client
):
    """The editor saves the withdrawal (no review, no publish): the person and its
    translation take it, the generation changes, every surface drops the accounts."""
    assert public_handles() == {"PietInJapan"}
    post_page = client.get(tokyo.url)
    assert "PietInJapan" in post_page.content.decode()
    token = generation.current()

    client.force_login(editor)
    edit = reverse(Person.snippet_viewset.get_url_name("edit"), args=(employee.pk,))
    form = client.get(edit).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["consent_withdrawn_at"] = timezone.localdate().isoformat()
    response = client.post(edit, data)  # "Save draft"
    assert response.status_code == 302, response.context["form"].errors
    client.logout()

    employee.refresh_from_db()
    assert employee.has_unpublished_changes and employee.workflow_in_progress is False
    assert set(
        Person.objects.filter(translation_key=employee.translation_key).values_list(
            "consent_withdrawn_at", flat=True
        )
    ) == {timezone.localdate()}
    assert generation.current() != token
    assert public_handles() == public_handles("en") == set()
    assert "PietInJapan" not in client.get(tokyo.url).content.decode()


def test_new_consent_waits_for_publication(employee):
    employee.consent_withdrawn_at = timezone.localdate()
    employee.save_revision()
    assert public_handles() == set()

    employee.refresh_from_db()
    employee.consent_given_at, employee.consent_withdrawn_at = timezone.localdate(), None
    revision = employee.save_revision()
    assert public_handles() == set()  # a draft: nothing public changes
    revision.publish()
    assert public_handles() == {"PietInJapan"}


def test_a_revision_from_before_the_withdrawal_cannot_restore_consent(employee):
    """A revision written while consent stood (a scheduled one, one approved late, a revert)
    is published with the withdrawal kept; the admin refuses such a form outright."""
    employee.job_title = "Scheduled title"
    old = employee.save_revision()
    employee.refresh_from_db()
    employee.consent_withdrawn_at = timezone.localdate()
    employee.save_revision()

    old.refresh_from_db()
    written = dict(old.content)
    old.publish()
    employee.refresh_from_db()
    assert employee.job_title == "Scheduled title"
    assert employee.consent_withdrawn_at == timezone.localdate()
    assert public_handles() == set()
    # The old revision stays as written (the history shows what was true then); what went
    # live is a new revision with the withdrawal kept.
    old.refresh_from_db()
    assert old.content == written and old.content["consent_withdrawn_at"] is None
    live = employee.live_revision
    assert live.pk != old.pk
    assert live.content["consent_withdrawn_at"] == timezone.localdate().isoformat()
    assert live.content["job_title"] == "Scheduled title"

    employee.consent_withdrawn_at = None
    with pytest.raises(ValidationError, match="Consent was withdrawn on"):
        employee.full_clean()


@pytest.mark.parametrize(
    "given, withdrawn, error",
    [
        (1, None, "in the future"),
        (None, 0, "no consent to withdraw"),
        (-1, -2, "before it was given"),
    ],
)
def test_consent_dates_are_checked(atlas, given, withdrawn, error):
    today = timezone.localdate()
    person = Person(
        name="X",
        consent_given_at=None if given is None else today + timedelta(days=given),
        consent_withdrawn_at=None if withdrawn is None else today + timedelta(days=withdrawn),
    )
    with pytest.raises(ValidationError, match=error):
        person.full_clean()


def test_closed_accounts_are_gone_inactive_and_renamed_ones_labelled(client, tokyo):
    make_account("https://x.com/NLinJapanOld", post=tokyo, status="closed")
    make_account("https://x.com/NLinJapanQuiet", post=tokyo, status="inactive")
    make_account(
        "https://x.com/NLinJapanWas",
        post=tokyo,
        status="renamed",
        new_url="https://x.com/NLinJapanNow",
    )
    atlas = load()
    assert {(a.handle, a.status, a.new_url) for a in atlas.accounts} == {
        ("NLinJapanQuiet", "inactive", None),
        ("NLinJapanWas", "renamed", "https://x.com/NLinJapanNow"),
    }
    assert atlas.account_for_url("https://x.com/NLinJapanOld") is None
    # The renamed account is found at both its URLs (as the platform's links reach it).
    was = atlas.account_for_url("https://twitter.com/nlinjapanwas")
    assert was.handle == "NLinJapanWas"
    assert atlas.account_for_url("https://www.x.com/NLinJapanNow/") is was
    assert atlas.post(tokyo.pk).account_count == 2

    page = client.get(tokyo.url).content.decode()
    assert "NLinJapanOld" not in page
    assert 'href="https://x.com/NLinJapanNow"' in page
    assert '<span class="account-tag account-tag--status">hernoemd</span>' in page
    # Since when (status_since, set by clean() to today): "inactief sinds 6 december 2026".
    assert '<span class="account-tag account-tag--status">inactief sinds ' in page


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"status": "renamed"}, "needs its new profile URL"),
        ({"new_url": "https://x.com/Other"}, "Only a renamed account"),
        ({"status": "renamed", "new_url": "https://x.com/nlinjapan/"}, "own URL"),
        ({"status": "renamed", "new_url": "https://www.facebook.com/nl"}, "facebook"),
    ],
)
def test_account_status_is_checked(tokyo, fields, error):
    with pytest.raises(ValidationError, match=f"(?i){error}"):
        make_account("https://x.com/NLinJapan", post=tokyo, **fields)


def test_the_site_says_whom_a_persons_account_speaks_for(client, tokyo, employee):
    ambassador = make_person(name="Amb", post=tokyo)
    make_account("https://x.com/AmbJP", person=ambassador, status="inactive")
    found = client.get("/nl/search/?q=PietInJapan").content.decode()
    assert "PietInJapan · Piet Employee · persoonlijk" in found
    found = client.get("/en/search/?q=AmbJP").content.decode()
    assert "AmbJP · Amb · official · inactive" in found
    page = client.get(tokyo.url).content.decode()
    assert '<span class="account-tag">persoonlijk</span>' in page
    assert '<span class="account-tag">officieel</span>' in page


def test_moments_are_read_as_stored(tokyo):
    """People's and accounts' moments are read as text and parsed (public_atlas._values): the
    same moments as Django reads, to the microsecond, in any time zone they were saved in."""
    person = make_person(post=tokyo)
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    never = make_account("https://x.com/NLinTokyo", post=tokyo)
    moment = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
    Person.objects.filter(pk=person.pk).update(last_published_at=moment)
    SocialAccount.objects.filter(pk=account.pk).update(
        first_published_at=moment.replace(microsecond=0),
        last_published_at=moment.astimezone(ZoneInfo("Asia/Tokyo")),
    )
    SocialAccount.objects.filter(pk=never.pk).update(first_published_at=None)
    atlas = load()
    assert atlas.people[0].last_published_at == moment
    read = {record.id: record for record in atlas.accounts}
    assert read[account.pk].first_published_at == moment.replace(microsecond=0)
    assert read[account.pk].last_published_at == moment
    assert read[account.pk].last_published_at.utcoffset() == timedelta(0)
    assert read[never.pk].first_published_at is None
    for record in atlas.accounts:
        stored = SocialAccount.objects.values("first_published_at", "last_published_at")
        assert stored.get(pk=record.id) == {
            "first_published_at": record.first_published_at,
            "last_published_at": record.last_published_at,
        }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's DateStyle")
def test_moments_are_read_whatever_the_servers_date_style(tokyo):
    make_account("https://x.com/NLinJapan", post=tokyo)
    expected = {(a.id, a.last_published_at) for a in load().accounts}
    with connection.cursor() as cursor:
        cursor.execute("SET DateStyle TO 'SQL, DMY'")  # moments as text: 04/12/2026 20:46:21 UTC
        try:
            assert {(a.id, a.last_published_at) for a in load().accounts} == expected
        finally:
            cursor.execute("SET DateStyle TO DEFAULT")


def test_the_rows_are_let_go_of_once_a_language_is_built_and_taken_again_for_another(
    tokyo, django_assert_num_queries
):
    from atlas_pages.publication import public_atlas as read_model
    from tests.factories import translate

    make_account("https://x.com/NLinJapan", post=tokyo)
    translate(tokyo, title="Embassy in Tokyo")
    dutch = read_model.public_atlas("nl")
    assert read_model._loaded["rows"].at_hand == {}  # a worker holds the atlas, not the rows too
    with django_assert_num_queries(0):  # the groups' rows from the shared cache
        english = read_model.public_atlas("en")
    assert [a.handle for a in dutch.accounts] == [a.handle for a in english.accounts]
    assert [a.handle for a in english.accounts] == ["NLinJapan"]
    assert english.post(tokyo.pk).name == "Embassy in Tokyo"
