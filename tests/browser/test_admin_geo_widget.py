"""The editor's geo widget in a real browser: a working map, served entirely by the site."""

import pytest
from django.contrib.auth import get_user_model

from tests.browser.conftest import _restore_migrated_data, log_in
from tests.factories import make_atlas, make_country, make_post


@pytest.fixture
def editor_page(page, live_server, transactional_db):
    """The browser page (which refuses any request off this machine), logged in to the admin."""
    _restore_migrated_data()
    get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    log_in(page, live_server, "chief")
    return page


def test_post_location_widget_draws_the_world_and_moves_the_marker(
    editor_page, live_server, artifacts
):
    atlas = make_atlas()
    tokyo = make_post(make_country(atlas, "JP", title="Japan"))
    page = editor_page
    page.goto(f"{live_server.url}/admin/pages/{tokyo.pk}/edit/")

    page.wait_for_selector(".leaflet-container .leaflet-marker-icon")
    # The world's outlines come from the project's copy of world-atlas, not a tile server.
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
    page.screenshot(path=str(artifacts / "admin-geo-widget.png"))
