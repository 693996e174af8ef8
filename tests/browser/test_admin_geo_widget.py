"""The editor's geo widget in a real browser: a working map, served entirely by the site."""

import os
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import sync_playwright

from tests.factories import make_atlas, make_country, make_post

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def editor_page(live_server, transactional_db):
    get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.requests_seen = []
        page.on("request", lambda request: page.requests_seen.append(request.url))
        page.errors_seen = []
        page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("input[name=username]", "chief")
        page.fill("input[name=password]", "pw")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        yield page
        browser.close()


def test_post_location_widget_draws_the_world_and_moves_the_marker(editor_page, live_server):
    atlas = make_atlas()
    tokyo = make_post(make_country(atlas, "JP", title="Japan"))
    page = editor_page
    page.goto(f"{live_server.url}/admin/pages/{tokyo.pk}/edit/")

    page.wait_for_selector(".leaflet-container .leaflet-marker-icon")
    # The world's outlines come from the project's copy of world-atlas.
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length > 100")

    latlng = page.locator("input.leaflet-field-location")
    assert latlng.input_value().startswith("35.66")
    latlng.fill("52.08, 4.31")
    latlng.press("Enter")
    hidden = page.locator("input[name=location]")
    page.wait_for_function(
        "el => el.value.includes('52.08')", arg=hidden.element_handle(), timeout=5000
    )
    assert "POINT(4.31 52.08)" in hidden.input_value().replace("4.310", "4.31")

    hosts = {urlsplit(url).hostname for url in page.requests_seen if url.startswith("http")}
    assert hosts == {urlsplit(live_server.url).hostname}
    assert page.errors_seen == []
    os.makedirs("test-artifacts", exist_ok=True)
    page.screenshot(path="test-artifacts/admin-geo-widget.png", full_page=False)
