"""Terms of office in the public atlas: an ended term narrows at once (on save, even as a draft,
and by the passing of its last day, without anyone saving), the person's own accounts leave the
post but stay findable as "formerly at" it, the position's accounts stay with the post."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from atlas_pages.models import Person
from atlas_pages.publication import generation
from atlas_pages.publication.public_atlas import load, public_atlas
from atlas_pages.publication.records import VerdictKind
from tests.factories import make_account, make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def ambassador(tokyo):
    """An ambassador at the embassy, consenting, with a position account and an own one."""
    person = make_person(
        name="Anna Departing",
        post=tokyo,
        job_title="Ambassadeur in Tokio",
        consent_given_at=TODAY() - timedelta(days=900),
        term_start=TODAY() - timedelta(days=1400),
    )
    make_account("https://x.com/AmbassadorJapan", person=person)  # speaks for the office
    make_account("https://x.com/AnnaOwn", person=person, speaks_for="person")
    make_account("https://x.com/NLinJapan", post=tokyo)
    return person


def handles(records):
    return {record.handle for record in records}


def test_a_current_term_changes_nothing(tokyo, ambassador):
    ambassador.term_end = TODAY() + timedelta(days=30)
    ambassador.save_revision().publish()
    atlas = load()
    post = atlas.post(tokyo.pk)
    assert [person.id for person in post.people] == [ambassador.pk]
    assert handles(post.people[0].accounts) == {"AmbassadorJapan", "AnnaOwn"}
    assert handles(post.accounts) == {"NLinJapan"}
    assert post.account_count == 3
    record = atlas.person(ambassador.pk)
    assert (record.term_end, record.term_ended, record.formerly_at) == (
        TODAY() + timedelta(days=30),
        False,
        None,
    )


def test_an_ended_term_saved_as_a_draft_narrows_at_once(tokyo, ambassador):
    token = generation.current()
    ambassador.term_end = TODAY()
    ambassador.save_revision()  # a draft: nobody reviews or publishes
    assert Person.objects.get(pk=ambassador.pk).term_end == TODAY()
    assert generation.current() != token
    atlas = public_atlas("nl")  # the post has no English page here
    post = atlas.post(tokyo.pk)
    # Not among the post's people; the position's account is the post's now.
    assert post.people == []
    assert handles(post.accounts) == {"NLinJapan", "AmbassadorJapan"}
    assert post.account_count == 2
    assert post.country.account_count == 2
    position = atlas.account_for_url("https://x.com/AmbassadorJapan")
    assert position.person is None and position.post is post
    # The person: public, formerly at the post.
    person = atlas.person(ambassador.pk)
    assert (person.post, person.post_key, person.formerly_at) == (None, None, post)
    assert person.term_ended and person not in atlas.leadership
    # Their own account: findable (address, id, search, the person), under no post.
    own = atlas.account_for_url("https://x.com/AnnaOwn")
    assert (own.post, own.country, own.post_key, own.formerly_at) == (None, None, None, post)
    assert atlas.account(own.id) is own and handles(person.accounts) == {"AnnaOwn"}
    assert own in atlas.search("AnnaOwn", 10)
    verdict = atlas.verdict_for_url("https://x.com/AnnaOwn")
    assert verdict.kind == VerdictKind.OFFICIAL
    assert post.name in verdict.message


def test_the_passing_of_the_last_day_narrows_without_anyone_saving(tokyo, ambassador):
    ambassador.term_end = TODAY() + timedelta(days=1)
    ambassador.save_revision().publish()
    assert load().post(tokyo.pk).people
    token = generation.current()
    # The generation knows the moment: the start of the last day.
    assert generation.next_expiry() == timezone.make_aware(
        timezone.datetime.combine(TODAY() + timedelta(days=1), timezone.datetime.min.time())
    )
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1)):
        assert generation.current() != token
        atlas = public_atlas()
        assert atlas.post(tokyo.pk).people == []
        assert atlas.account_for_url("https://x.com/AnnaOwn").formerly_at is not None


def test_a_later_or_cleared_end_waits_for_publication(tokyo, ambassador):
    ambassador.term_end = TODAY() - timedelta(days=1)
    ambassador.save_revision()
    assert load().post(tokyo.pk).people == []
    ambassador.refresh_from_db()
    ambassador.term_end = None
    revision = ambassador.save_revision()
    assert load().post(tokyo.pk).people == []  # a draft widens nothing
    revision.publish()
    assert [p.id for p in load().post(tokyo.pk).people] == [ambassador.pk]


def test_an_ended_term_at_the_top_leaves_the_leadership_only(atlas):
    minister = make_person(name="Min", role=Person.Role.MINISTER, term_end=TODAY())
    make_account("https://x.com/MinBZ", person=minister)
    public = load()
    assert public.leadership == []
    assert public.account_for_url("https://x.com/MinBZ").person.id == minister.pk


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [(10, 20, "cannot end before it starts"), (20, 10, None), (None, 5, None), (5, None, None)],
)
def test_term_dates_are_checked(atlas, start, end, error):
    """Days before today; the end never before the start."""
    person = Person(
        name="P",
        term_start=TODAY() - timedelta(days=start) if start is not None else None,
        term_end=TODAY() - timedelta(days=end) if end is not None else None,
    )
    if error:
        with pytest.raises(ValidationError, match=error):
            person.clean()
    else:
        person.clean()


def test_terms_are_kept_equal_across_translations(tokyo, ambassador):
    from tests.factories import translate_person

    english = translate_person(ambassador, "Ambassador in Tokyo")
    ambassador.term_start = TODAY() - timedelta(days=100)
    ambassador.save_revision().publish()
    english.refresh_from_db()
    assert english.term_start == TODAY() - timedelta(days=100)
