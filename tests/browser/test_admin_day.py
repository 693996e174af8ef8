"""The editor's and the moderator's day in a real browser, in both admin languages, from a
post to a live account on the map: the editor adds an account from the post, makes an error
and fixes it from the message, submits, and finds it pending; the moderator reviews it with its
context and approves and publishes it; a visitor finds it on the map. No request leaves the
machine (see conftest)."""

import pytest
from django.contrib.auth.models import Group

from atlas_pages.models import SocialAccount
from tests.browser.conftest import log_in
from tests.browser.test_admin_press_desk import _restore_press_setup
from tests.browser.test_three_questions import map_ready, tap_country
from tests.factories import (
    make_account,
    make_atlas,
    make_country,
    make_post,
    make_user,
    platform,
)

TEXTS = {
    "en": {
        "wrong_platform": "This is a profile on Instagram, not on X (Twitter)",
        "use": "Use Instagram",
        "in_review": "in moderation",
        "queue_context": "Instagram · Embassy in Tokyo · Japan",
        "message": "approved and published; live on the Embassy in Tokyo page.",
    },
    "nl": {
        "wrong_platform": "Dit is een profiel op Instagram, niet op X (Twitter)",
        "use": "Instagram kiezen",
        "in_review": "ter goedkeuring",
        "queue_context": "Instagram · Embassy in Tokyo · Japan",
        "message": "goedgekeurd en gepubliceerd; live op de pagina van Embassy in Tokyo.",
    },
}


def choose_platform(page, name):
    """Wagtail's snippet chooser: its modal, the platform's row."""
    page.click("#id_platform-chooser [data-chooser-action-choose]")
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name=name, exact=True).click()
    modal.wait_for(state="hidden")
    assert page.locator("#id_platform-chooser [data-chooser-title]").inner_text() == name


@pytest.mark.parametrize("language", ["en", "nl"])
def test_from_a_post_to_a_live_account_on_the_map(
    page, more_pages, live_server, language, artifacts
):
    text = TEXTS[language]
    _restore_press_setup()
    make_user("editor", Group.objects.get(name="Press editors"), language=language)
    make_user("moderator", Group.objects.get(name="Press moderators"), language=language)
    atlas = make_atlas()
    japan = make_country(atlas, "JP", title="Japan")
    tokyo = make_post(japan)
    make_account("https://x.com/NLinJapan", post=tokyo)
    clicks, loads = 0, []

    # The editor, from the post's edit page: "add an account" opens the form, the post chosen.
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/pages/{tokyo.pk}/edit/")
    page.on("load", lambda p: loads.append(p.url))
    page.click("[data-add-account]")
    clicks += 1
    page.wait_for_url("**/socialaccount/add/?post=*")

    # An error: X chosen for an Instagram profile. The message names the right platform and
    # offers it; one click chooses it, and the submit goes through.
    choose_platform(page, "X (Twitter)")
    page.fill("input[name=url]", "https://www.instagram.com/nlintokyo/")
    page.click("footer button[name=action-submit]")
    clicks += 1
    page.wait_for_load_state()
    error = page.locator("[data-field-wrapper]:has(input[name=url])")
    assert text["wrong_platform"] in error.inner_text()
    page.screenshot(path=str(artifacts / f"admin-day-error-{language}.png"))
    error.get_by_role("button", name=text["use"]).click()
    assert page.locator("#id_platform-chooser [data-chooser-title]").inner_text() == "Instagram"
    assert page.locator("input[name=platform]").input_value() == str(platform("instagram").pk)
    assert text["wrong_platform"] not in error.inner_text()  # the error is fixed
    page.click("footer button[name=action-submit]")
    page.wait_for_url(f"**/admin/pages/{tokyo.pk}/edit/")
    clicks += 2  # the offered platform; submit again
    # Add, the refused submit, the accepted one: three page loads, back on the post.
    assert [url.removeprefix(live_server.url) for url in loads] == [
        f"/admin/snippets/atlas_pages/socialaccount/add/?post={tokyo.pk}"
        f"&next=%2Fadmin%2Fpages%2F{tokyo.pk}%2Fedit%2F",
        f"/admin/snippets/atlas_pages/socialaccount/add/?next=%2Fadmin%2Fpages%2F{tokyo.pk}%2Fedit%2F",
        f"/admin/pages/{tokyo.pk}/edit/",
    ]

    account = SocialAccount.objects.get(handle="nlintokyo")
    assert (account.platform.slug, account.post_id) == ("instagram", tokyo.pk)
    assert (account.live, account.workflow_in_progress) == (False, True)
    row = page.locator("[data-post-desk] tr", has_text="Instagram: nlintokyo")
    assert text["in_review"] in row.inner_text().lower()

    # ... and finds it pending in the account list, with the "in review" filter.
    page.goto(f"{live_server.url}/admin/snippets/atlas_pages/socialaccount/?status=in_review")
    listing = page.locator("table.listing tbody")
    assert "nlintokyo" in listing.inner_text()
    assert "NLinJapan" not in listing.inner_text()  # live, not pending

    # The moderator: the queue row says where the account belongs.
    review = more_pages()
    log_in(review, live_server, "moderator")
    queue_row = review.locator("[id^=awaiting-review] tr", has_text="nlintokyo")
    assert text["queue_context"] in queue_row.inner_text()
    queue_row.locator("a", has_text="nlintokyo").first.click()
    clicks += 1
    review.wait_for_url(f"**/socialaccount/edit/{account.pk}/")

    # The preview shows the account among the post's live ones, as the post page will.
    review.click("[data-side-panel-toggle=preview]")
    preview = review.frame_locator("#w-preview-iframe")
    preview.get_by_role("heading", name="Instagram: nlintokyo").wait_for()
    assert "NLinJapan" in preview.locator("body").inner_text()
    review.screenshot(path=str(artifacts / f"admin-day-review-{language}.png"))

    # "Approve and publish" is the primary action; the message says where it went live.
    with review.expect_navigation():
        review.locator("footer [data-workflow-action-name=approve]").first.click()
    clicks += 1
    assert text["message"] in review.locator(".messages").inner_text()
    account.refresh_from_db()
    assert account.live

    # Add an account to a post and get it published: add, submit, open, approve, and the
    # error's fix (the offered platform, submit again): six clicks.
    assert clicks == 6

    # A visitor finds it on the map: one tap on Japan.
    page.goto(f"{live_server.url}{atlas.url}")
    map_ready(page)
    panel = tap_country(page, "JP")
    # Stored as the profile's URL (rules.pasted: no trailing slash), linked as stored.
    assert panel.locator(f"a[href='{account.url}']").count() == 1
    assert account.url == "https://www.instagram.com/nlintokyo"
