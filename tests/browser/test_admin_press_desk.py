"""The editor's way from a post to a new account in a real browser: the post's edit page lists
its accounts, "add an account" opens the form with the post chosen, and the account goes to
review. No request leaves the machine (see conftest)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from atlas_pages.models import SocialAccount
from tests.browser.conftest import _restore_migrated_data, log_in
from tests.factories import make_account, make_atlas, make_country, make_post, make_user


def _restore_press_setup():
    """The groups and the "Press review" workflow, which a transactional test's flush removes."""
    _restore_migrated_data()
    for name, function in [
        ("0002_editorial_setup", "setup"),
        ("0004_platforms_for_moderators", "platforms_for_moderators"),
    ]:
        getattr(importlib.import_module(f"atlas_pages.migrations.{name}"), function)(apps, None)


@pytest.fixture
def editor_page(page, live_server, transactional_db):
    _restore_press_setup()
    make_user("editor", Group.objects.get(name="Press editors"))
    log_in(page, live_server, "editor")
    return page


def test_editor_adds_an_account_from_the_post(editor_page, live_server, artifacts):
    page = editor_page
    tokyo = make_post(make_country(make_atlas(), "JP", title="Japan"))
    make_account("https://x.com/NLinJapan", post=tokyo)
    loads = []
    page.on("load", lambda p: loads.append(p.url))

    page.goto(f"{live_server.url}/admin/pages/{tokyo.pk}/edit/")
    desk = page.locator("[data-post-desk]")
    assert "X (Twitter): NLinJapan" in desk.inner_text()

    page.click("[data-add-account]")
    page.wait_for_url("**/socialaccount/add/?post=*")
    # The post is chosen: the page chooser shows its title.
    assert page.locator("input[name=post]").input_value() == str(tokyo.pk)
    assert (
        "Embassy in Tokyo"
        in page.locator("[data-field-wrapper]:has(input[name=post])").inner_text()
    )

    # The platform is left empty: the URL tells it.
    page.fill("input[name=url]", "https://www.instagram.com/nlintokyo/")
    # "Submit to Press review" is the primary button (it saves too), not in the dropdown.
    page.click("footer button[name=action-submit]")
    page.wait_for_url(f"**/admin/pages/{tokyo.pk}/edit/")

    account = SocialAccount.objects.get(handle="nlintokyo")
    assert (account.platform.slug, account.post_id) == ("instagram", tokyo.pk)
    assert (account.live, account.workflow_in_progress) == (False, True)

    # Back on the post, the new account is listed, in review.
    row = page.locator("[data-post-desk] tr", has_text="Instagram: nlintokyo")
    assert "in moderation" in row.inner_text().lower()
    # From the post and back with an account in review: two clicks (add; submit) and two
    # page loads.
    paths = [url.removeprefix(live_server.url) for url in loads]
    back = f"/admin/pages/{tokyo.pk}/edit/"
    assert paths == [
        back,
        f"/admin/snippets/atlas_pages/socialaccount/add/?post={tokyo.pk}"
        f"&next={back.replace('/', '%2F')}",
        back,
    ]
    page.locator("[data-post-desk]").screenshot(path=str(artifacts / "admin-press-desk.png"))
