"""Scheduling an account in a real browser, as the demo logins do it: the editor sets when it goes
live and when it expires and submits it; the moderator approves; `publish_scheduled` at the
go-live moment puts it on the site, and at the expiry moment takes it off. The clock is moved
(time-machine) instead of waited for."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from atlas_pages.models import SocialAccount
from tests.browser.conftest import log_in
from tests.browser.test_admin_press_desk import _restore_press_setup
from tests.factories import make_account, make_atlas, make_country, make_post

FIELD_FORMAT = "%Y-%m-%d %H:%M"  # the admin's date-time fields


@pytest.fixture
def demo_logins(transactional_db):
    _restore_press_setup()
    call_command("ensure_demo_users", "--force", stdout=StringIO())


def publicly_listed(post, handle):
    """Whether the post's public page lists the account, asked at the current (moved) time."""
    response = Client().get(post.get_url())
    assert response.status_code == 200
    return handle in response.content.decode()


def close_date_pickers(page, elsewhere):
    """Click beside the date fields until their pickers (xdsoft's) are closed: an open one
    covers the dialog's buttons, and one click does not always close it."""
    pickers = page.locator(".xdsoft_datetimepicker:visible")
    for _ in range(20):
        elsewhere.click()
        page.wait_for_timeout(150)
        if pickers.count() == 0:
            return
    assert pickers.count() == 0, "a date picker stays open"


def test_editor_schedules_an_account_the_moderator_approves_it(
    page, more_pages, live_server, demo_logins, artifacts
):
    tokyo = make_post(make_country(make_atlas(), "JP", title="Japan"))
    account = make_account("https://x.com/NLinJapan", post=tokyo, live=False)
    go_live = timezone.localtime().replace(second=0, microsecond=0) + timedelta(days=1)
    expire = go_live + timedelta(days=2)
    edit_url = f"{live_server.url}/admin/snippets/atlas_pages/socialaccount/edit/{account.pk}/"

    # The editor sets the schedule (the status panel's "Set schedule") and submits.
    log_in(page, live_server, "editor", "atlas-editor-demo")
    page.goto(edit_url)
    page.click("[data-side-panel-toggle=status]")
    page.click("text=Set schedule")
    dialog = page.locator("#schedule-publishing-dialog")
    dialog.locator("input[name=go_live_at]").fill(go_live.strftime(FIELD_FORMAT))
    dialog.locator("input[name=expire_at]").fill(expire.strftime(FIELD_FORMAT))
    close_date_pickers(page, dialog.locator("h2", has_text="Set publishing schedule"))
    page.screenshot(path=str(artifacts / "admin-schedule-dialog.png"))
    with page.expect_navigation():  # the schedule is saved with the draft
        dialog.locator("button", has_text="Save schedule").click()
    with page.expect_navigation():  # "Submit to Press review": the primary button
        page.click("footer button[name=action-submit]")
    account.refresh_from_db()
    assert (account.live, account.workflow_in_progress) == (False, True)
    draft = account.latest_revision.as_object()
    assert (draft.go_live_at, draft.expire_at) == (go_live, expire)

    # The moderator approves: the account is scheduled, not yet public.
    moderator_page = more_pages()
    log_in(moderator_page, live_server, "moderator", "atlas-moderator-demo")
    moderator_page.goto(edit_url)
    moderator_page.click("footer .w-dropdown__toggle")
    with moderator_page.expect_navigation():
        moderator_page.click(
            "footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
        )
    account.refresh_from_db()
    assert (account.live, account.workflow_in_progress) == (False, False)
    assert account.scheduled_revision is not None
    assert not publicly_listed(tokyo, "NLinJapan")

    # At the go-live moment the account is on the site; at the expiry moment it is off.
    with time_machine.travel(go_live + timedelta(minutes=1)):
        call_command("publish_scheduled", stdout=StringIO())
        assert SocialAccount.objects.get(pk=account.pk).live
        assert publicly_listed(tokyo, "NLinJapan")
    with time_machine.travel(expire + timedelta(minutes=1)):
        call_command("publish_scheduled", stdout=StringIO())
        assert SocialAccount.objects.get(pk=account.pk).expired
        assert not publicly_listed(tokyo, "NLinJapan")
