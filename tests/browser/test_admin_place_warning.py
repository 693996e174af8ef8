"""The map pin's check on save in a real browser (issue 25): an editor saves a post whose pin
is at sea, reads the warning with the suggested coordinates, ticks "Keep this location" and
saves again."""

from django.contrib.auth import get_user_model

from atlas_pages.models import PostPage
from tests.browser.conftest import _restore_migrated_data, log_in
from tests.factories import make_atlas, make_country, make_post


def test_an_editor_is_warned_of_a_pin_at_sea_and_keeps_it(
    page, live_server, transactional_db, artifacts
):
    _restore_migrated_data()
    get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    netherlands = make_country(make_atlas(), "NL", title="Netherlands", lat=52.1, lng=5.3)
    the_hague = make_post(netherlands, title="Directorate", city="The Hague", lat=52.08, lng=4.31)
    log_in(page, live_server, "chief")
    page.goto(f"{live_server.url}/admin/pages/{the_hague.pk}/edit/")
    page.wait_for_selector(".leaflet-container .leaflet-marker-icon")
    keep = page.get_by_label("Keep this location")
    assert keep.count() == 0  # a pin that fits: no box

    # The editor types longitude, latitude: the pin lands off Somalia.
    latlng = page.locator("input.leaflet-field-location")
    latlng.fill("4.31, 52.08")
    latlng.press("Enter")
    hidden = page.locator("input[name=location]")
    page.wait_for_function("el => el.value.includes('52.08 4.31')", arg=hidden.element_handle())
    page.locator("footer button.action-save").first.click()

    errors = page.locator("[data-field-errors] .error-message")
    errors.first.wait_for()
    warning = errors.first.inner_text()
    assert "The pin is at sea: did you mean 52.08, 4.31 (latitude, longitude)?" in warning
    assert "Keep this location" in warning
    assert PostPage.objects.get(pk=the_hague.pk).get_latest_revision_as_object().lat == 52.08
    keep.scroll_into_view_if_needed()
    assert not keep.is_checked()
    page.screenshot(path=str(artifacts / "admin-place-warning.png"))

    # Kept as placed: ticked, the draft saves.
    keep.check()
    page.locator("footer button.action-save").first.click()
    page.locator(".messages").get_by_text("has been updated").wait_for()
    assert page.locator("[data-field-errors] .error-message").count() == 0
    draft = PostPage.objects.get(pk=the_hague.pk).get_latest_revision_as_object()
    assert (draft.lat, draft.lng) == (4.31, 52.08)
