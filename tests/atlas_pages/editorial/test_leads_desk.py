"""The press desk's queue of leads, over real admin requests: who may see it and decide (every
role against every action, read back from the database), "Accept" opening the account's create
view filled in from the lead (a draft saved there is listed: the lead never returns), "Reject"
remembered (the sweep never files the profile again), and no public surface showing a lead."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from atlas_pages.editorial import leads_desk
from atlas_pages.models import Lead, Platform, SocialAccount
from tests.atlas_pages.editorial.test_roles import (  # noqa: F401 (fixtures)
    ROLES,
    as_role,
    country_editors,
    user_in_role,
)
from tests.atlas_pages.editorial.test_workflow import account_form, snippet_url
from tests.atlas_pages.outbound.test_leads import UNLISTED, embassy, run, server  # noqa: F401
from tests.factories import make_account

pytestmark = pytest.mark.django_db

Status = Lead.Status
PROFILE = "https://www.instagram.com/nlintokyo"
KEY = "instagram.com/nlintokyo"

#: Who may do what with the queue (anonymous, editor of the country, of another country,
#: editor, moderator, superuser), for a lead found on the website of a post in Japan; a lead
#: of the ministry's central pages belongs to the whole atlas.
POLICY = {
    "see the queue": (False, True, False, True, True, True),
    "accept": (False, True, False, True, True, True),
    "reject": (False, True, False, True, True, True),
    "see a central lead": (False, False, False, True, True, True),
}  # fmt: skip


def lead(post, url=PROFILE, key=KEY, handle="nlintokyo", slug="instagram", **fields):
    now = timezone.now()
    return Lead.objects.create(
        platform=Platform.objects.get(slug=slug),
        url=url,
        normalized_url=key,
        handle=handle,
        found_on="https://www.example.nl/nl/tokyo/",
        post=post,
        first_seen_at=now,
        last_seen_at=now,
        **fields,
    )


def status_of(key=KEY):
    return Lead.objects.get(normalized_url=key).status


def see_the_queue(client, tokyo):
    lead(tokyo)
    response = client.get(reverse("atlas_leads"))
    return response.status_code == 200 and PROFILE in response.content.decode()


def accept(client, tokyo):
    item = lead(tokyo)
    response = client.post(reverse("atlas_leads_accept", args=(item.pk,)))
    opened = response.status_code == 302 and response["Location"].startswith(
        snippet_url(SocialAccount, "add")
    )
    return opened and status_of() == Status.ACCEPTED


def reject(client, tokyo):
    item = lead(tokyo)
    client.post(reverse("atlas_leads_reject", args=(item.pk,)))
    return status_of() == Status.REJECTED


def see_a_central_lead(client, tokyo):
    lead(None, url="https://x.com/MinBZ", key="x.com/minbz", handle="MinBZ", slug="twitter")
    response = client.get(reverse("atlas_leads"))
    return response.status_code == 200 and "https://x.com/MinBZ" in response.content.decode()


ACTIONS = {
    "see the queue": see_the_queue,
    "accept": accept,
    "reject": reject,
    "see a central lead": see_a_central_lead,
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_the_queue_and_decide(as_role, tokyo, role, action):  # noqa: F811
    client = as_role(role)
    assert ACTIONS[action](client, tokyo) is POLICY[action][ROLES.index(role)]


def test_the_policy_covers_every_action_tested():
    assert set(POLICY) == set(ACTIONS)


def test_another_country_s_editor_cannot_act_on_a_lead_by_its_number(as_role, tokyo):  # noqa: F811
    item = lead(tokyo)
    client = as_role("editor of another country")
    for name in ("atlas_leads_accept", "atlas_leads_reject"):
        assert client.post(reverse(name, args=(item.pk,))).status_code == 404
    assert status_of() == Status.NEW


def test_a_get_changes_nothing(client, editor, tokyo):
    item = lead(tokyo)
    client.force_login(editor)
    for name in ("atlas_leads_accept", "atlas_leads_reject"):
        assert client.get(reverse(name, args=(item.pk,))).status_code == 405
    assert status_of() == Status.NEW


def test_accepting_opens_a_prefilled_draft_and_the_lead_never_returns(
    client,
    editor,
    server,  # noqa: F811
    embassy,  # noqa: F811
):
    run()
    client.force_login(editor)
    html = client.get(reverse("atlas_leads")).content.decode()
    for _slug, key, _handle, _post in UNLISTED:
        assert f'data-lead="{key}"' in html
    item = Lead.objects.get(normalized_url=KEY)
    response = client.post(reverse("atlas_leads_accept", args=(item.pk,)), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith(snippet_url(SocialAccount, "add"))
    form = response.context["form"]
    assert form["platform"].value() == Platform.objects.get(slug="instagram").pk
    assert form["url"].value() == PROFILE
    assert form["handle"].value() == "nlintokyo"
    assert form["post"].value() == embassy.pk
    item.refresh_from_db()
    assert (item.status, item.handled_by) == (Status.ACCEPTED, editor)
    assert item.handled_at is not None
    # The editor saves the draft as filled in.
    add = response.redirect_chain[-1][0]
    data = account_form(
        embassy, platform=form["platform"].value(), url=form["url"].value(), handle="nlintokyo"
    )
    saved = client.post(add, data)
    assert saved.status_code == 302, saved.context["form"].errors
    account = SocialAccount.objects.get(normalized_url=KEY)
    assert (account.live, account.post_id, account.platform.slug) == (
        False,
        embassy.pk,
        "instagram",
    )
    # The next sweep: listed now, the lead stays accepted and is no longer in the queue.
    assert "(0 new leads)" in run()
    assert status_of() == Status.ACCEPTED
    assert f'data-lead="{KEY}"' not in client.get(reverse("atlas_leads")).content.decode()
    accepted = client.get(leads_desk.queue_url(Status.ACCEPTED)).content.decode()
    assert f'data-lead="{KEY}"' in accepted and "by editor" in accepted


def test_rejecting_is_remembered_and_the_profile_never_returns(
    client,
    moderator,
    server,  # noqa: F811
    embassy,  # noqa: F811
):
    run()
    client.force_login(moderator)
    item = Lead.objects.get(normalized_url="flickr.com/photos/nltokyo")
    response = client.post(reverse("atlas_leads_reject", args=(item.pk,)), follow=True)
    assert "will not be proposed again" in response.content.decode()
    assert 'data-lead="flickr.com/photos/nltokyo"' not in response.content.decode()
    assert "(0 new leads)" in run()
    assert run().count("6 profiles not in the atlas")  # still found, still not listed
    item.refresh_from_db()
    assert (item.status, item.handled_by) == (Status.REJECTED, moderator)
    assert Lead.objects.filter(normalized_url=item.normalized_url).count() == 1
    queue = client.get(reverse("atlas_leads")).content.decode()
    assert 'data-lead="flickr.com/photos/nltokyo"' not in queue
    rejected = client.get(leads_desk.queue_url(Status.REJECTED)).content.decode()
    assert 'data-lead="flickr.com/photos/nltokyo"' in rejected
    # A rejected lead cannot be accepted by a stale form.
    client.post(reverse("atlas_leads_accept", args=(item.pk,)))
    assert status_of("flickr.com/photos/nltokyo") == Status.REJECTED


def test_a_profile_added_by_hand_leaves_the_queue(client, editor, tokyo):
    lead(tokyo)
    make_account(PROFILE, post=tokyo, live=False)
    client.force_login(editor)
    assert f'data-lead="{KEY}"' not in client.get(reverse("atlas_leads")).content.decode()


def test_the_menu_shows_the_queue_to_whoever_keeps_accounts(client, editor, tokyo):
    client.force_login(editor)
    assert reverse("atlas_leads") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_queue_speaks_dutch(client, editor, tokyo):
    lead(tokyo)
    lead(None, url="https://x.com/MinBZ", key="x.com/minbz", handle="MinBZ", slug="twitter")
    editor.wagtail_userprofile.preferred_language = "nl"
    editor.wagtail_userprofile.save()
    client.force_login(editor)
    html = client.get(reverse("atlas_leads")).content.decode()
    assert "Tips: accounts die nog niet in de atlas staan" in html and "Gevonden op" in html
    assert "De centrale pagina's van het ministerie" in html
    assert "Found on" not in html


@pytest.mark.parametrize("count", [1, 6])
def test_the_queue_costs_a_fixed_number_of_queries(
    client, editor, tokyo, django_assert_num_queries, count
):
    """Session, user, permissions (2), profile, page permissions, the leads (one query with
    platform, post and who handled them), locales, collections, the menu's pages: 10,
    whatever the number of leads."""
    for n in range(count):
        lead(tokyo, url=f"https://x.com/Lead{n}", key=f"x.com/lead{n}", slug="twitter")
    client.force_login(editor)
    client.get(reverse("atlas_leads"))
    with django_assert_num_queries(10):
        html = client.get(reverse("atlas_leads")).content.decode()
    assert html.count('data-action="accept"') == count


def test_no_public_surface_shows_a_lead(client, tokyo, japan):
    """Leads are the press desk's: the post's and country's pages, search, the verify page, the
    API and the open data never name one."""
    lead(tokyo)
    lead(None, url="https://x.com/MinBZ", key="x.com/minbz", handle="MinBZ", slug="twitter")
    make_account("https://x.com/NLinJapan", post=tokyo)
    bodies = {
        "post": client.get(tokyo.url).content.decode(),
        "country": client.get(japan.url).content.decode(),
        "search": client.get("/nl/search/", {"q": "Tokyo"}).content.decode(),
        "accounts.csv": client.get("/export/accounts.csv").content.decode(),
        "accounts.json": client.get("/export/accounts.json").content.decode(),
    }
    assert "NLinJapan" in bodies["post"] and "NLinJapan" in bodies["accounts.csv"]
    for where, body in bodies.items():
        assert "nlintokyo" not in body.lower() and "minbz" not in body.lower(), where
    verify = client.get("/nl/controleer/", {"url": PROFILE}).content.decode()
    assert "data-account=" not in verify  # not listed: no account shown for the address
    listed = client.get("/nl/controleer/", {"url": "https://x.com/NLinJapan"}).content.decode()
    assert "data-account=" in listed
    response = client.post(
        "/graphql/",
        json.dumps(
            {
                "query": "query($url: String!) { verifyAddress(url: $url) { kind account { id } } "
                'search(query: "nlintokyo") { __typename } }',
                "variables": {"url": PROFILE},
            }
        ),
        content_type="application/json",
    )
    data = response.json()["data"]
    assert data["verifyAddress"] == {"kind": "NOT_LISTED", "account": None}
    assert data["search"] == []


def test_bad_input_is_refused_without_an_error(client, editor, tokyo):
    item = lead(tokyo)
    client.force_login(editor)
    response = client.get(reverse("atlas_leads"), {"status": "<script>"})
    assert response.status_code == 200 and f'data-lead="{KEY}"' in response.content.decode()
    assert client.post(reverse("atlas_leads_accept", args=(item.pk + 999,))).status_code == 404
    # The create view ignores a platform that does not exist, and keeps the rest.
    add = snippet_url(SocialAccount, "add")
    form = client.get(add, {"platform": "999999", "url": PROFILE, "post": "x"}).context["form"]
    assert (form["platform"].value(), form["url"].value(), form["post"].value()) == (
        None,
        PROFILE,
        None,
    )
