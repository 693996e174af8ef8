"""The atlas as it was (GraphQL `asOf`, atlas_pages.publication.history): a history made at
frozen moments (publish, change, rename, close, remove), recorded by the scheduler's runs and
released by the release command; the asOf answers over real HTTP POSTs equal the releases of
those days. No draft, item in moderation or private page leaks into the past; a withdrawal of
consent reaches the past too; a moment before the history is a clear error."""

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Workflow

from atlas_pages.models import PublicChange, PublicSnapshot, SocialAccount, withdraw_consent
from atlas_pages.publication import history
from atlas_pages.publication import releases as stored
from atlas_pages.site import open_data
from tests import factories

ACCOUNTS = """
query Accounts($asOf: DateTime, $locale: String) {
  accounts(asOf: $asOf, locale: $locale, pagination: {limit: 200}) {
    totalCount
    results {
      id url status newUrl handle name speaksFor
      post { id name } person { id name } country { code }
    }
  }
}
"""
ROOTS = """
query Roots($asOf: DateTime, $locale: String) {
  atlas(asOf: $asOf, locale: $locale) { accountCount postCount personCount lastPublishedAt }
  countries(asOf: $asOf, locale: $locale) { code name accountCount posts { id } }
  posts(asOf: $asOf, locale: $locale) { results { id name city accounts { id } } }
  people(asOf: $asOf, locale: $locale) { results { id name jobTitle accounts { id } } }
}
"""
#: The days of the history: one step each, recorded and released at noon (UTC).
DAYS = [date(2027, 1, 5), date(2027, 2, 5), date(2027, 3, 5)]
#: When the questions are asked: after the history.
ASKED = "2027-04-01 12:00 +00:00"
#: Columns of accounts.json a past answer does not hold (read from the platforms, or the
#: evidence's re-confirmations) or holds as the log's moment (last_published_at).
NOT_IN_THE_PAST = {
    "followers",
    "followers_fetched_at",
    "activity_fetched_at",
    "evidence",
    "last_published_at",
}


def noon(day):
    return f"{day.isoformat()} 12:00 +00:00"


def as_of(day):
    return f"{day.isoformat()}T12:00:00+00:00"


@pytest.fixture
def release_dir(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "releases": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "releases")},
        },
    }


def scheduler_run():
    """One run of the scheduler, as `make serve` runs it (its other jobs off)."""
    intervals = ("activity", "site_links", "identity", "reminder", "leads", "release")
    call_command(
        "run_scheduled_publishing",
        runs=1,
        interval=0,
        **{f"{name}_interval": 0 for name in intervals},
    )


def step(day):
    """The end of a day's step: the scheduler records, then the day is released."""
    scheduler_run()
    call_command("release_open_data", "--date", day.isoformat(), stdout=StringIO())


def released_accounts(day, language="nl"):
    file = stored.find_file(day, language, "accounts.json")
    with stored.open_file(file) as handle:
        return json.loads(handle.read())["accounts"]


def summary_of_release(rows):
    return sorted(
        (str(row["id"]), row["url"], row["status"], row["new_url"], row["handle"]) for row in rows
    )


def summary_of_answer(results):
    return sorted(
        (row["id"], row["url"], row["status"], row["newUrl"], row["handle"]) for row in results
    )


@pytest.fixture
def made_history(release_dir, atlas, japan, tokyo):
    """Three days of history; returns the objects by name."""
    found = {"tokyo": tokyo}
    with time_machine.travel(noon(DAYS[0]), tick=False):
        factories.translate(japan, title="Japan")
        found["tokyo_en"] = factories.translate(tokyo, title="Embassy in Tokyo (en)")
        osaka = factories.make_post(japan, title="Consulate in Osaka", city="Osaka")
        found["osaka"] = osaka
        found["ambassador"] = factories.make_person(
            name="Jane Example",
            post=tokyo,
            job_title="Ambassador",
            consent_given_at=DAYS[0],
        )
        found["main"] = factories.make_account("https://x.com/NLinJapan", post=tokyo)
        found["video"] = factories.make_account("https://www.youtube.com/@NLinJapan", post=tokyo)
        found["osaka_x"] = factories.make_account("https://x.com/NLinOsaka", post=osaka)
        found["personal"] = factories.make_account(
            "https://x.com/JaneInJapan",
            person=found["ambassador"],
            speaks_for=SocialAccount.SpeaksFor.PERSON,
        )
        # Never public: a draft and an account in moderation.
        draft = factories.make_account("https://x.com/DraftAccount", post=tokyo, live=False)
        draft.save_revision()
        in_review = factories.make_account("https://x.com/InReviewAccount", post=tokyo, live=False)
        in_review.save_revision()
        Workflow.objects.get(name="Press review").start(in_review, user=None)
        step(DAYS[0])
    with time_machine.travel(noon(DAYS[1]), tick=False):
        main = found["main"]
        main.display_name = "Netherlands in Japan"
        main.save_revision().publish()
        video = found["video"]
        video.status = SocialAccount.Status.RENAMED
        video.new_url = "https://www.youtube.com/@NLinJapanOfficial"
        video.save_revision().publish()
        found["new"] = factories.make_account("https://x.com/NLinJapanNews", post=tokyo)
        # A draft change of a public account, and a draft made after the first day.
        main.display_name = "Draft display name"
        main.save_revision()
        later_draft = factories.make_account("https://x.com/LaterDraft", post=tokyo, live=False)
        later_draft.save_revision()
        step(DAYS[1])
    with time_machine.travel(noon(DAYS[2]), tick=False):
        main = SocialAccount.objects.get(pk=found["main"].pk)
        main.status = SocialAccount.Status.CLOSED
        main.save_revision().publish()
        found["new_id"] = found["new"].pk
        found["new"].delete()
        # Osaka goes private: public on the days before, not from now on.
        PageViewRestriction.objects.create(page=osaka, restriction_type="password", password="x")
        step(DAYS[2])
    return found


@pytest.fixture
def asked():
    with time_machine.travel(ASKED, tick=False):
        yield


SECRETS = ("DraftAccount", "InReviewAccount", "LaterDraft", "Draft display name")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_as_of_answers_equal_the_releases_of_those_days(data, made_history, asked, language):
    for day in DAYS:
        released = released_accounts(day, language)
        answer = data(ACCOUNTS, {"asOf": as_of(day), "locale": language})["accounts"]
        assert answer["totalCount"] == len(released)
        assert summary_of_answer(answer["results"]) == summary_of_release(released)
        assert not any(secret in json.dumps(answer) for secret in SECRETS)
        # The whole accounts.json of the past atlas is the release's, but for what the log
        # does not keep (activity, evidence, publication moments).
        past = json.loads(open_data.accounts_json(history.atlas_as_of(as_of_moment(day), language)))
        assert [_kept(row) for row in past["accounts"]] == [_kept(row) for row in released]


def as_of_moment(day):
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _kept(row):
    return {key: value for key, value in row.items() if key not in NOT_IN_THE_PAST}


@pytest.mark.django_db
def test_each_step_of_the_history(data, made_history, asked):
    found = made_history
    # The scheduler recorded each day without anyone asking; an unchanged object once.
    taken = set(PublicSnapshot.objects.filter(contents=True).values_list("taken_at", flat=True))
    assert {as_of_moment(day) for day in DAYS} <= taken
    tokyo_rows = PublicChange.objects.filter(kind="post", object_id=found["tokyo"].pk)
    assert list(tokyo_rows.values_list("action", flat=True)) == ["added"]
    ids = {name: str(found[name].pk) for name in ("main", "video", "osaka_x", "personal")}
    first, second, third = (
        {row["id"]: row for row in data(ACCOUNTS, {"asOf": as_of(day)})["accounts"]["results"]}
        for day in DAYS
    )
    assert set(first) == set(ids.values())
    assert first[ids["main"]]["name"] == ""
    assert first[ids["video"]]["status"] == "ACTIVE"
    # Changed, renamed, added; a draft change is not in the past either.
    assert second[ids["main"]]["name"] == "Netherlands in Japan"
    assert second[ids["video"]]["status"] == "RENAMED"
    assert second[ids["video"]]["newUrl"] == "https://www.youtube.com/@NLinJapanOfficial"
    assert str(found["new_id"]) in second
    # Closed, deleted, and the post made private: gone from then on.
    assert set(third) == {ids["video"], ids["personal"]}
    # Between two recordings: the earlier one's atlas; just before the first day: an error.
    between = data(ACCOUNTS, {"asOf": "2027-02-04T23:59:59Z"})["accounts"]["results"]
    assert {row["id"] for row in between} == set(first)
    roots = data(ROOTS, {"asOf": as_of(DAYS[0])})
    assert roots["atlas"]["accountCount"] == 4
    assert roots["atlas"]["postCount"] == 2
    assert roots["atlas"]["lastPublishedAt"] == "2027-01-05T12:00:00+00:00"
    assert [country["code"] for country in roots["countries"]] == ["JP"]
    assert roots["countries"][0]["accountCount"] == 4
    posts = {post["name"]: post for post in roots["posts"]["results"]}
    assert set(posts) == {"Consulate in Osaka", "Embassy in Tokyo"}
    assert [a["id"] for a in posts["Consulate in Osaka"]["accounts"]] == [ids["osaka_x"]]
    [jane] = roots["people"]["results"]
    assert jane["accounts"] == [{"id": ids["personal"]}]
    later = data(ROOTS, {"asOf": as_of(DAYS[2])})
    assert [post["name"] for post in later["posts"]["results"]] == ["Embassy in Tokyo"]
    # English: the posts' translations, in their own ids.
    english = data(ROOTS, {"asOf": as_of(DAYS[0]), "locale": "en"})
    assert str(found["tokyo_en"].pk) in {post["id"] for post in english["posts"]["results"]}


@pytest.mark.django_db
def test_a_moment_from_now_on_is_the_current_atlas(data, made_history, asked):
    now = data(ACCOUNTS, {})["accounts"]
    assert data(ACCOUNTS, {"asOf": "2100-01-01T00:00:00Z"})["accounts"] == now
    assert data(ACCOUNTS, {"asOf": None})["accounts"] == now


@pytest.mark.django_db
def test_before_the_history_is_a_clear_error(gql, made_history, asked):
    for moment in ("2027-01-05T11:59:59Z", "0001-01-01T00:00:00+01:00"):
        result = gql(ACCOUNTS, {"asOf": moment})
        assert result["data"] is None
        [error] = result["errors"]
        assert "before the atlas's history begins (2027-01-05T12:00:00+00:00)" in error["message"]
    result = gql(ACCOUNTS, {"asOf": "not a moment"})
    assert result["errors"] and result.get("data") is None
    result = gql(ACCOUNTS, {"asOf": as_of(DAYS[0]), "locale": "xx"})
    assert "Unknown locale 'xx'" in result["errors"][0]["message"]


@pytest.mark.django_db
def test_nothing_recorded_yet_is_an_error_too(gql, tokyo):
    factories.make_account("https://x.com/NLinJapan", post=tokyo)
    # Asking records the present; a moment before it is not known.
    result = gql(ACCOUNTS, {"asOf": "2020-01-01T00:00:00Z"})
    assert "before the atlas's history begins" in result["errors"][0]["message"]
    assert PublicSnapshot.objects.filter(contents=True).count() == 1


@pytest.mark.django_db
def test_a_withdrawal_of_consent_reaches_the_past(data, made_history):
    found = made_history
    personal = str(found["personal"].pk)
    with time_machine.travel("2027-03-20 12:00 +00:00", tick=False):
        jane = found["ambassador"]
        jane.consent_withdrawn_at = date(2027, 3, 20)
        withdraw_consent(jane)
    with time_machine.travel(ASKED, tick=False):
        for day in DAYS:
            answer = data(ACCOUNTS, {"asOf": as_of(day)})["accounts"]["results"]
            assert personal not in {row["id"] for row in answer}
            people = data(ROOTS, {"asOf": as_of(day)})["people"]["results"]
            # The person stays as she was public (as today's atlas keeps her), without them.
            assert [(p["name"], p["accounts"]) for p in people] == [("Jane Example", [])]
        # Her official accounts would stay; the log itself still holds what was public.
        assert PublicChange.objects.filter(object_id=found["personal"].pk).exists()


QUERY_COUNT_AS_OF = 3  # where the history begins, its rows up to the moment, people's consent


@pytest.mark.django_db
def test_query_count_of_an_as_of_answer(
    data, made_history, asked, django_assert_num_queries, no_response_cache
):
    # The first question of a generation reads the present and records it (as the feed does).
    data(ACCOUNTS, {"asOf": "2027-01-10T00:00:00Z"})
    for day in DAYS:
        # Every root of one request as of one moment: one rebuild.
        with django_assert_num_queries(QUERY_COUNT_AS_OF):
            data(ROOTS, {"asOf": as_of(day)})
        with django_assert_num_queries(0):  # the same moment in the same generation
            data(ACCOUNTS, {"asOf": as_of(day)})


@pytest.mark.django_db
def test_an_as_of_answer_is_cached_with_the_generation(data, made_history, asked):
    first = data(ACCOUNTS, {"asOf": as_of(DAYS[1])})
    history.forget()  # not the past atlas kept by the process: the response cache answers
    with CaptureQueriesContext(connection) as queries:
        assert data(ACCOUNTS, {"asOf": as_of(DAYS[1])}) == first
    assert len(queries) == 0
    # A publish starts a new generation: the answer is made again, and the past is the same.
    video = SocialAccount.objects.get(pk=made_history["video"].pk)
    video.display_name = "Renamed today"
    video.save_revision().publish()
    with CaptureQueriesContext(connection) as queries:
        assert data(ACCOUNTS, {"asOf": as_of(DAYS[1])}) == first
    assert len(queries) > 0
    now = data(ACCOUNTS, {})["accounts"]["results"]
    assert "Renamed today" in {account["name"] for account in now}


@pytest.mark.django_db
def test_a_log_from_before_the_history_gets_a_baseline(gql, data, tokyo):
    """A log recorded before contents were kept (fingerprints only): the next step records
    every public object's content, and the history begins there."""
    account = factories.make_account("https://x.com/NLinJapan", post=tokyo)
    with time_machine.travel("2027-01-01 12:00 +00:00", tick=False):
        PublicSnapshot.objects.create(
            generation=1,
            previous_generation=0,
            taken_at=as_of_moment(date(2027, 1, 1)),
            fingerprints={"nl": {f"account:{account.pk}": "an old fingerprint"}, "en": {}},
        )
        PublicChange.objects.create(
            generation=1,
            language="nl",
            kind="account",
            object_id=account.pk,
            action="added",
            at=as_of_moment(date(2027, 1, 1)),
        )
    with time_machine.travel("2027-01-02 12:00 +00:00", tick=False):
        scheduler_run()
    with time_machine.travel(ASKED, tick=False):
        before = gql(ACCOUNTS, {"asOf": "2027-01-01T12:00:00Z"})
        assert "before the atlas's history begins (2027-01-02T12:00:00" in str(before["errors"])
        rows = PublicChange.objects.filter(generation__gt=1, language="nl")
        assert {(row.kind, row.action) for row in rows} == {
            ("account", "changed"),
            ("post", "added"),
        }
        assert all(row.content for row in rows)
        answer = data(ACCOUNTS, {"asOf": "2027-01-02T12:00:00Z"})["accounts"]["results"]
        assert [row["url"] for row in answer] == ["https://x.com/NLinJapan"]
