"""The moderator's day in a real browser, in both admin languages: the queue says where an
account belongs, "approve and publish" is the primary action, the message says where it went
live, and the post page shows it. No request leaves the machine (see conftest)."""

import re

import pytest
from django.contrib.auth.models import Group

from atlas_pages.models import SocialAccount
from tests.browser.conftest import log_in
from tests.browser.test_admin_press_desk import _restore_press_setup
from tests.factories import make_atlas, make_country, make_post, make_user, platform

EXPECTED = {
    "en": {
        "workflow": "Press review",
        "primary": "Approve and Publish",
        "message": "approved and published; live on the Embassy in Tokyo page.",
    },
    "nl": {
        "workflow": "Persbeoordeling",
        "primary": "Goedkeuren en publiceren",
        "message": "goedgekeurd en gepubliceerd; live op de pagina van Embassy in Tokyo.",
    },
}


def _submitted_account(editor):
    """What the editor's day ends with (tests/browser/test_admin_press_desk.py walks it)."""
    tokyo = make_post(make_country(make_atlas(), "JP", title="Japan"))
    return tokyo, _submit(editor, tokyo, "twitter", "https://x.com/NLinJapan")


def _submit(editor, post, platform_slug, url):
    """A new account of the post, submitted for review by the editor."""
    account = SocialAccount(platform=platform(platform_slug), url=url, post=post)
    account.live = False
    account.full_clean()
    account.save()
    account.save_revision(user=editor)
    account.get_workflow().start(account, editor)
    return account


@pytest.mark.parametrize("language", ["en", "nl"])
def test_moderator_reviews_with_context_and_approves_and_publishes(
    page, live_server, transactional_db, language, artifacts
):
    _restore_press_setup()
    editor = make_user("editor", Group.objects.get(name="Press editors"))
    make_user("moderator", Group.objects.get(name="Press moderators"), language=language)
    tokyo, account = _submitted_account(editor)
    expected = EXPECTED[language]

    log_in(page, live_server, "moderator")
    loads, clicks = [], 0
    page.on("load", lambda p: loads.append(p.url))

    # The queue row says which post, country and platform.
    row = page.locator("[id^=awaiting-review] tr", has_text="NLinJapan")
    assert "X (Twitter) · Embassy in Tokyo · Japan" in row.inner_text()

    # The review screen: the workflow in the admin's language; approving is the primary action.
    row.locator("a", has_text="NLinJapan").first.click()
    clicks += 1
    page.wait_for_url(f"**/socialaccount/edit/{account.pk}/")
    assert expected["workflow"] in page.content()
    primary = page.locator("footer [data-workflow-action-name=approve]").first
    assert primary.inner_text().strip() == expected["primary"]
    assert primary.is_visible()  # not hidden in the dropdown
    page.screenshot(path=str(artifacts / f"admin-review-{language}.png"))
    primary.click()
    clicks += 1
    page.wait_for_url(re.compile(r"/socialaccount/$"))  # back to the list
    message = page.locator(".messages").inner_text()
    assert "NLinJapan" in message
    assert expected["message"] in message

    account.refresh_from_db()
    assert account.live
    # Open, approve: two clicks and two page loads (before: open, the save menu, approve).
    assert clicks == 2
    assert len(loads) == 2

    # Live on the post's page (with its small map).
    page.goto(f"{live_server.url}{tokyo.url}")
    assert "NLinJapan" in page.locator(".accounts").inner_text()
    page.wait_for_selector("#place-map .atlas-marker")


def test_place_finder_moves_the_pin_offline_and_warns_at_sea_or_abroad(
    page, live_server, transactional_db, artifacts
):
    from tests.browser.conftest import _restore_migrated_data

    _restore_migrated_data()
    make_user("chief", is_superuser=True, is_staff=True)
    tokyo = make_post(make_country(make_atlas(), "JP", title="Japan"))
    log_in(page, live_server, "chief")
    page.goto(f"{live_server.url}/admin/pages/{tokyo.pk}/edit/")
    page.wait_for_selector(".leaflet-container .leaflet-marker-icon")
    assert "latitude, then longitude" in page.locator("[data-place-help]").inner_text()
    hidden = page.locator("input[name=location]")
    warning = page.locator("[data-place-warning]")

    # The city field moves the pin, from the project's own list of cities.
    page.fill("input[name=city]", "Osaka")
    page.locator("input[name=city]").dispatch_event("change")
    page.wait_for_function("el => el.value.includes('34.69')", arg=hidden.element_handle())
    assert "POINT(135.5" in hidden.input_value()
    assert warning.is_hidden()

    latlng = page.locator("input.leaflet-field-location")
    latlng.fill("34.0, 150.0")  # 1,000 km east of Japan
    page.wait_for_function("el => !el.hidden", arg=warning.element_handle())
    assert "at sea" in warning.inner_text()
    latlng.fill("52.08, 4.31")  # The Hague
    page.wait_for_function(
        "el => el.textContent.includes('outside Japan')", arg=warning.element_handle()
    )
    page.screenshot(path=str(artifacts / "admin-place-finder.png"))


def test_moderator_approves_two_accounts_at_once_from_the_list(page, live_server, artifacts):
    """The bulk action bar of the "in review" list: select, "Approve", confirm; both go live."""
    _restore_press_setup()
    editor = make_user("editor", Group.objects.get(name="Press editors"))
    make_user("moderator", Group.objects.get(name="Press moderators"))
    tokyo, first = _submitted_account(editor)
    second = _submit(editor, tokyo, "instagram", "https://www.instagram.com/nlintokyo/")

    log_in(page, live_server, "moderator")
    page.goto(f"{live_server.url}/admin/snippets/atlas_pages/socialaccount/?status=in_review")
    for account in (first, second):
        page.check(f"input[data-bulk-action-checkbox][data-object-id='{account.pk}']")
    footer = page.locator("[data-bulk-action-footer]")
    footer.get_by_role("link", name="Approve the selected items").click()
    page.wait_for_url("**/bulk/atlas_pages/socialaccount/approve/**")
    assert set(page.locator("[data-bulk-items] li").all_inner_texts()) == {
        "X (Twitter): NLinJapan X (Twitter) · Embassy in Tokyo · Japan",
        "Instagram: nlintokyo Instagram · Embassy in Tokyo · Japan",
    }
    page.screenshot(path=str(artifacts / "admin-bulk-approve.png"))
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url(re.compile(r"/socialaccount/"))
    # Said as what happened (published), with a link to where they went live.
    messages = page.locator(".messages")
    assert (
        "2 social-media accounts approved and published; live on: Embassy in Tokyo."
        in messages.inner_text()
    )
    assert messages.get_by_role("link", name="Embassy in Tokyo").count() == 1
    for account in (first, second):
        account.refresh_from_db()
        assert (account.live, account.workflow_in_progress) == (True, False)
