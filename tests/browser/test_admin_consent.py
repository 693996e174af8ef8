"""The people's rights come first, in a real browser: an editor withdraws a person's consent
while the person's next publication is scheduled (Wagtail locks the form until the schedule is
cancelled) and another editor holds the lock. The withdrawal applies at once, the schedule and
the lock are kept, and the scheduled revision goes live later with the withdrawal kept."""

from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from atlas_pages.models import Person
from tests.browser.conftest import log_in
from tests.browser.test_admin_scheduling import demo_logins  # noqa: F401
from tests.factories import (
    make_account,
    make_atlas,
    make_country,
    make_person,
    make_post,
    make_user,
)


def publicly_listed(post, handle):
    response = Client().get(post.get_url())
    assert response.status_code == 200
    return handle in response.content.decode()


def test_an_editor_withdraws_consent_while_a_publication_is_scheduled_and_locked(
    page,
    live_server,
    demo_logins,  # noqa: F811
    artifacts,
):
    tokyo = make_post(make_country(make_atlas(), "JP", title="Japan"))
    person = make_person(
        name="Piet Employee",
        post=tokyo,
        role=Person.Role.EMPLOYEE,
        consent_given_at=timezone.localdate() - timedelta(days=30),
    )
    make_account("https://x.com/PietInJapan", person=person)
    assert publicly_listed(tokyo, "PietInJapan")

    # A new job title scheduled for tomorrow (written while consent stood), and the person
    # locked by a colleague.
    go_live = timezone.now().replace(microsecond=0) + timedelta(days=1)
    person.job_title = "Scheduled title"
    person.go_live_at = go_live
    person.save_revision().publish()
    person.refresh_from_db()
    assert person.scheduled_revision is not None
    colleague = make_user("colleague")
    Person.objects.filter(pk=person.pk).update(
        locked=True, locked_by=colleague, locked_at=timezone.now()
    )

    log_in(page, live_server, "editor", "atlas-editor-demo")
    page.goto(f"{live_server.url}/admin/snippets/atlas_pages/person/edit/{person.pk}/")
    # The form is locked: its own save would be refused.
    assert page.locator("text=locked").first.is_visible()
    page.screenshot(path=str(artifacts / "admin-consent-locked.png"), full_page=True)
    # "Withdraw consent" in the header's menu: outside the locked form.
    page.click("header [data-w-dropdown-target=toggle], header .w-dropdown__toggle")
    with page.expect_navigation():
        page.click("[data-withdraw-consent]")
    assert page.locator("h1").first.inner_text().startswith("Withdraw consent")
    with page.expect_navigation():
        page.click("button[data-action=withdraw-consent]")
    message = page.locator(".messages").inner_text()
    assert "consent withdrawn on" in message and "Piet Employee" in message
    page.screenshot(path=str(artifacts / "admin-consent-withdrawn.png"), full_page=True)

    # Applied at once; the schedule and the lock as they were.
    person.refresh_from_db()
    assert person.consent_withdrawn_at == timezone.localdate()
    assert not publicly_listed(tokyo, "PietInJapan")
    assert person.scheduled_revision is not None
    assert (person.locked, person.locked_by) == (True, colleague)
    assert page.locator("[data-withdraw-consent]").count() == 0
    assert "Consent withdrawn on" in page.locator("[data-consent-panel]").inner_text()

    # The scheduled revision goes live with the withdrawal kept.
    withdrawn_on = person.consent_withdrawn_at
    with time_machine.travel(go_live + timedelta(minutes=5)):
        call_command("publish_scheduled", stdout=StringIO())
        person.refresh_from_db()
        assert person.job_title == "Scheduled title"
        assert person.consent_withdrawn_at == withdrawn_on
        assert not publicly_listed(tokyo, "PietInJapan")
