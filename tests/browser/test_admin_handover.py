"""A handover, end to end in a real browser: an ambassador's term has ended; the editor finds
the task under Reports › Handovers, sees the accounts sorted by what happens to them, picks the
successor and carries it out: drafts, submitted for review, nothing published. The moderator
approves the position's account; the public post page shows it with the successor, and never
the departed ambassador's own account."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from atlas_pages.models import Handover, SocialAccount
from tests.browser.conftest import log_in
from tests.browser.test_admin_press_desk import _restore_press_setup
from tests.factories import (
    make_account,
    make_atlas,
    make_country,
    make_person,
    make_post,
    make_user,
)

TODAY = timezone.localdate


def post_page(post):
    response = Client().get(post.get_url())
    assert response.status_code == 200
    return response.content.decode()


def test_an_editor_hands_a_post_over_and_a_moderator_publishes(
    page, live_server, transactional_db, artifacts
):
    _restore_press_setup()
    editor = make_user("editor", Group.objects.get(name="Press editors"))
    make_user("moderator", Group.objects.get(name="Press moderators"))
    tokyo = make_post(make_country(make_atlas(), "JP", title="Japan"))
    departing = make_person(
        name="Anna Departing",
        post=tokyo,
        consent_given_at=TODAY() - timedelta(days=900),
        term_start=TODAY() - timedelta(days=1400),
        term_end=TODAY() - timedelta(days=1),
    )
    position = make_account("https://x.com/AmbassadorJapan", person=departing)
    own = make_account("https://x.com/AnnaOwn", person=departing, speaks_for="person")
    make_account("https://x.com/NLinJapan", post=tokyo)
    successor = make_person(name="Bert Successor", post=tokyo, term_start=TODAY())
    make_person(name="Carl Elsewhere", post=make_post(tokyo.get_parent().specific, slug="osaka"))

    # Narrowed already: the own account is not on the post page; the position's stays.
    html = post_page(tokyo)
    assert "AnnaOwn" not in html and "AmbassadorJapan" in html

    log_in(page, live_server, "editor")
    # Reports › Handovers, from the admin's menu.
    page.get_by_role("button", name="Reports").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Handovers").click()
    row = page.locator(f"[data-handover='{departing.pk}']")
    assert "Anna Departing" in row.inner_text() and "Embassy in Tokyo" in row.inner_text()
    assert "NLinJapan" in row.locator("[data-stays]").inner_text()
    assert "AnnaOwn" in row.locator("[data-leaves]").inner_text()
    assert "AmbassadorJapan" in row.locator("[data-passes]").inner_text()
    # Only people at the post with a current term are offered.
    options = row.locator("select[name=successor] option").all_inner_texts()
    assert "Bert Successor" in options and "Carl Elsewhere" not in options
    page.screenshot(path=str(artifacts / "admin-handover-queue.png"), full_page=True)
    row.locator("select[name=successor]").select_option(label="Bert Successor")
    with page.expect_navigation():
        row.locator("button[data-action=hand-over]").click()
    message = page.locator(".messages").inner_text()
    assert "Handover of Embassy in Tokyo prepared" in message
    assert page.locator("[data-empty-queue]").is_visible()
    assert "Bert Successor" in page.locator("[data-handovers-done]").inner_text()

    # Drafts, submitted for review; nothing published.
    handover = Handover.objects.get(person=departing)
    assert (handover.successor, handover.handled_by) == (successor, editor)
    position.refresh_from_db()
    own.refresh_from_db()
    assert position.person_id == departing.pk and position.workflow_in_progress
    assert position.get_latest_revision_as_object().person_id == successor.pk
    assert own.workflow_in_progress
    people = post_page(tokyo).split('class="people"')[1]
    assert "Bert Successor" in people and "AmbassadorJapan" not in people

    # The moderator approves the position's account from its review screen.
    page.context.clear_cookies()
    log_in(page, live_server, "moderator")
    page.goto(f"{live_server.url}/admin/snippets/atlas_pages/socialaccount/edit/{position.pk}/")
    with page.expect_navigation():
        page.locator("footer [data-workflow-action-name=approve]").first.click()
    assert SocialAccount.objects.get(pk=position.pk).person_id == successor.pk

    html = post_page(tokyo)
    people = html.split('class="people"')[1]
    assert "Bert Successor" in people and "AmbassadorJapan" in people
    assert "AnnaOwn" not in html and "Anna Departing" not in html
    page.goto(f"{live_server.url}{tokyo.url}")
    page.screenshot(path=str(artifacts / "site-after-handover.png"), full_page=True)
