"""The strings the admin's scripts render, in a real browser and in each admin language: the
bulk-action bar's count, the map widget's zoom buttons (Wagtail's and Leaflet's own) and the
rich-text editor's toolbar (Draftail's); and the public map's zoom buttons in the page's
language."""

import pytest
from django.contrib.auth.models import Group

from tests.browser.conftest import log_in
from tests.browser.test_admin_press_desk import _restore_press_setup
from tests.factories import make_account, make_atlas, make_country, make_post, make_user

EXPECTED = {
    "nl": {"selected": "2 geselecteerd", "zoom_in": "Inzoomen", "zoom_out": "Uitzoomen"},
    "en": {"selected": "2 snippets selected", "zoom_in": "Zoom in", "zoom_out": "Zoom out"},
}

#: The toolbar of a country's intro (bold, italic, link), each button's name and shortcut as
#: a screen reader reads it ("Link" is Dutch too).
TOOLBAR = {
    "nl": ["Vet\nCtrl + B", "Cursief\nCtrl + I", "Link\nCtrl + K"],
    "en": ["Bold\nCtrl + B", "Italic\nCtrl + I", "Link\nCtrl + K"],
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_bulk_bar_and_zoom_buttons_speak_the_editors_language(page, live_server, language):
    _restore_press_setup()
    make_user("editor", Group.objects.get(name="Press editors"), language=language)
    tokyo = make_post(make_country(make_atlas(), "JP", title="Japan"))
    accounts = [
        make_account("https://x.com/NLinJapan", post=tokyo),
        make_account("https://www.instagram.com/nlintokyo/", post=tokyo),
    ]
    make_account("https://www.facebook.com/NLinJapan", post=tokyo)  # not selected
    expected = EXPECTED[language]
    log_in(page, live_server, "editor")

    page.goto(f"{live_server.url}/admin/snippets/atlas_pages/socialaccount/")
    for account in accounts:
        page.check(f"input[data-bulk-action-checkbox][data-object-id='{account.pk}']")
    count = page.locator("[data-bulk-action-footer] [data-bulk-action-num-objects]")
    page.wait_for_function(
        "([el, text]) => el.textContent.trim() === text",
        arg=[count.element_handle(), expected["selected"]],
    )

    page.goto(f"{live_server.url}/admin/pages/{tokyo.pk}/edit/")
    page.wait_for_selector(".leaflet-container .leaflet-control-zoom-in")
    for name, key in (("in", "zoom_in"), ("out", "zoom_out")):
        button = page.locator(f".leaflet-control-zoom-{name}")
        assert button.get_attribute("title") == expected[key]
        assert button.get_attribute("aria-label") == expected[key]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_rich_text_toolbar_speaks_the_editors_language(page, live_server, language):
    _restore_press_setup()
    make_user("editor", Group.objects.get(name="Press editors"), language=language)
    japan = make_country(make_atlas(), "JP", title="Japan")
    log_in(page, live_server, "editor")

    page.goto(f"{live_server.url}/admin/pages/{japan.pk}/edit/")
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type("Hallo")
    page.keyboard.press("Control+A")  # the selection brings up the inline toolbar
    page.wait_for_selector(".Draftail-Editor .Draftail-ToolbarButton[aria-label]", state="attached")
    labels = page.eval_on_selector_all(
        ".Draftail-Editor .Draftail-ToolbarButton[aria-label]",
        "buttons => buttons.map(button => button.getAttribute('aria-label'))",
    )
    assert [label for label in labels if label in TOOLBAR[language]] == TOOLBAR[language]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_public_map_zoom_buttons_speak_the_pages_language(page, atlas_site, language):
    expected = EXPECTED[language]
    page.goto(f"{atlas_site.url}/{language}/")
    page.locator("#atlas-map").scroll_into_view_if_needed()  # the map starts when in view
    page.wait_for_selector("#atlas-map[data-ready='true']", timeout=15_000)
    for name, key in (("in", "zoom_in"), ("out", "zoom_out")):
        button = page.locator(f".leaflet-control-zoom-{name}")
        assert button.get_attribute("title") == expected[key]
        assert button.get_attribute("aria-label") == expected[key]
