"""Follower history (issue 24): one point per account and day from the activity fetch, in the
API (Account.followerHistory) and as a small chart on the post page; forgotten with the rest
of the activity when consent is withdrawn; never shown for what is not public."""

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from atlas_pages.models import AccountActivity, FollowerCount, Person
from atlas_pages.outbound import activity
from atlas_pages.publication import public_atlas
from tests import factories
from tests.atlas_pages.outbound.test_activity import bumps, mastodon, server  # noqa: F401

pytestmark = pytest.mark.django_db

HISTORY_QUERY = """query($code: String!, $days: Int!) { country(code: $code) { posts {
  accounts { handle followerHistory(days: $days) { day count } }
} } }"""


def _fetch_on(monkeypatch, day, hour=12):
    """One run of fetch_activity at noon of `day` (days from today, in the atlas's time zone)."""
    # From the real clock (the module is patched: django.utils.timezone itself), in local
    # time: near midnight UTC and local time fall on different days.
    local_now = datetime.now(timezone.get_current_timezone())
    moment = local_now.replace(hour=hour, minute=0) + timedelta(days=day)
    monkeypatch.setattr(activity.timezone, "now", lambda: moment)
    return activity.fetch_all()


def _ask(client, days=365, code="JP"):
    response = client.post(
        "/graphql/",
        json.dumps({"query": HISTORY_QUERY, "variables": {"code": code, "days": days}}),
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()


def _histories(body):
    return {
        account["handle"]: [(point["day"], point["count"]) for point in account["followerHistory"]]
        for post in body["data"]["country"]["posts"]
        for account in post["accounts"]
    }


def _day(offset):
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def test_one_point_a_day_the_day_s_last_reading(server, tokyo, monkeypatch):  # noqa: F811
    account = factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")
    mastodon(server, followers=1000)
    _fetch_on(monkeypatch, -2)
    mastodon(server, followers=1100)
    _fetch_on(monkeypatch, -2, hour=18)  # the same day again: its count replaces the first
    mastodon(server, followers=1250)
    _fetch_on(monkeypatch, 0)
    history = list(FollowerCount.objects.filter(account=account).values_list("day", "count"))
    today = timezone.localdate()
    assert history == [(today - timedelta(days=2), 1100), (today, 1250)]


def test_a_failed_reading_adds_no_point(server, tokyo, monkeypatch):  # noqa: F811
    factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")
    _fetch_on(monkeypatch, 0)  # nothing routed: 404, an error
    assert AccountActivity.objects.get().last_error
    assert not FollowerCount.objects.exists()


def test_the_api_gives_the_history_of_the_days_asked_for(
    server,  # noqa: F811
    client,
    tokyo,
    monkeypatch,
    no_response_cache,
    django_assert_num_queries,
):
    factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")
    for offset, followers in ((-40, 900), (-3, 1000), (0, 1234)):
        mastodon(server, followers=followers)
        _fetch_on(monkeypatch, offset)
    monkeypatch.undo()
    public_atlas.forget()
    public_atlas.public_atlas()  # read once; then the history is one query per account asked
    with django_assert_num_queries(1):
        body = _ask(client)
    assert _histories(body) == {"consul": [(_day(-40), 900), (_day(-3), 1000), (_day(0), 1234)]}
    assert _histories(_ask(client, days=4)) == {"consul": [(_day(-3), 1000), (_day(0), 1234)]}
    assert _histories(_ask(client, days=1)) == {"consul": [(_day(0), 1234)]}
    refused = _ask(client, days=0)
    assert refused["errors"][0]["message"] == "days must be at least 1."


def test_an_account_without_an_open_source_has_no_history(client, tokyo, no_response_cache):
    """An X account's history is not read, whatever the table holds."""
    account = factories.make_account("https://x.com/NLinJapan", post=tokyo)
    FollowerCount.objects.create(account=account, day=timezone.localdate(), count=5)
    assert _histories(_ask(client)) == {"NLinJapan": []}


def _with_history(account, counts=(100, 120, 150)):
    today = timezone.localdate()
    AccountActivity.objects.create(
        account=account, follower_count=counts[-1], fetched_at=timezone.now()
    )
    for offset, count in enumerate(reversed(counts)):
        FollowerCount.objects.create(
            account=account, day=today - timedelta(days=offset * 10), count=count
        )


def test_the_post_page_draws_the_history_in_its_language(client, tokyo, no_response_cache):
    account = factories.make_account(
        "https://mastodon.social/@nlinjapan", post=tokyo, platform_slug="mastodon"
    )
    _with_history(account, counts=(1000, 1200, 1500))
    single = factories.make_account(
        "https://mastodon.social/@single", post=tokyo, platform_slug="mastodon"
    )
    _with_history(single, counts=(7,))
    html = client.get(tokyo.url).content.decode()
    assert html.count('class="follower-chart"') == 1  # one day is no line
    first = timezone.localdate() - timedelta(days=20)
    label = (
        f'aria-label="Volgers: 1.000 op {first.day} {_dutch_month(first)} {first.year}, 1.500 op '
    )
    assert label in html
    assert "<polyline" in html


def _dutch_month(day):
    return ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"][
        day.month - 1
    ]


def test_withdrawn_consent_forgets_the_history(server, tokyo, bumps):  # noqa: F811
    person = factories.make_person(
        post=tokyo, role=Person.Role.EMPLOYEE, consent_given_at=timezone.localdate()
    )
    account = factories.make_account(
        f"{server.base}/@consul", person=person, platform_slug="mastodon"
    )
    _with_history(account)
    person.consent_withdrawn_at = timezone.localdate()
    person.save()
    assert not FollowerCount.objects.exists()


def test_the_history_of_hidden_accounts_does_not_leak(
    client, tokyo, japan, django_user_model, no_response_cache
):
    """A draft account, one in moderation, one of a private post and one of a person whose
    consent was withdrawn: their history is on no page and in no answer."""
    editor = django_user_model.objects.create_user("editor", password="x")
    shown = factories.make_account(
        "https://mastodon.social/@shown", post=tokyo, platform_slug="mastodon"
    )
    draft = factories.make_account(
        "https://mastodon.social/@draft", post=tokyo, platform_slug="mastodon", live=False
    )
    moderated = factories.make_account(
        "https://mastodon.social/@moderated", post=tokyo, platform_slug="mastodon", live=False
    )
    moderated.save_revision(user=editor)
    moderated.get_workflow().start(moderated, editor)
    private_post = factories.make_post(japan, title="Private post", city="Osaka")
    PageViewRestriction.objects.create(page=private_post, restriction_type="password", password="x")
    private = factories.make_account(
        "https://mastodon.social/@private", post=private_post, platform_slug="mastodon"
    )
    person = factories.make_person(post=tokyo, role=Person.Role.EMPLOYEE)  # no consent
    personal = factories.make_account(
        "https://mastodon.social/@personal", person=person, platform_slug="mastodon"
    )
    for account in (shown, draft, moderated, private, personal):
        _with_history(account, counts=(111, 222, 333))
    public_atlas.forget()
    histories = _histories(_ask(client))
    assert set(histories) == {"shown"}
    assert len(histories["shown"]) == 3
    html = client.get(tokyo.url).content.decode()
    assert html.count('class="follower-chart"') == 1


def test_the_open_data_file_holds_the_public_history_only(client, tokyo, japan, django_user_model):
    """follower-history.csv: one row per public account and day, none of a draft account, one
    in moderation, one of a private post or of a person without consent."""
    shown = factories.make_account(
        "https://mastodon.social/@shown", post=tokyo, platform_slug="mastodon"
    )
    draft = factories.make_account(
        "https://mastodon.social/@draft", post=tokyo, platform_slug="mastodon", live=False
    )
    private_post = factories.make_post(japan, title="Private post", city="Osaka")
    PageViewRestriction.objects.create(page=private_post, restriction_type="password", password="x")
    private = factories.make_account(
        "https://mastodon.social/@private", post=private_post, platform_slug="mastodon"
    )
    person = factories.make_person(post=tokyo, role=Person.Role.EMPLOYEE)  # no consent
    personal = factories.make_account(
        "https://mastodon.social/@personal", person=person, platform_slug="mastodon"
    )
    for account in (shown, draft, private, personal):
        _with_history(account, counts=(111, 222))
    public_atlas.forget()
    response = client.get("/export/follower-history.csv", {"lang": "en"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    today = timezone.localdate()
    assert lines == [
        "account_id,day,followers",
        f"{shown.pk},{today - timedelta(days=10)},111",
        f"{shown.pk},{today},222",
    ]
