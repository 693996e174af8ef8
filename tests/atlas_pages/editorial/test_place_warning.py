"""The map pin's check on save (issue 25): a post or country whose pin is at sea or outside its
country is refused once with a warning on the location, which suggests the coordinates the
other way round when those fit; saved again with "Keep this location" ticked, it saves as
placed. A pin that fits, or none, saves at once."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from atlas_pages.models import CountryPage, PostPage
from atlas_pages.rules.places import PlaceProblem, format_point
from tests.factories import make_country, make_post

pytestmark = pytest.mark.django_db

AT_SEA = format_point(30.0, -40.0)  # the middle of the Atlantic
PARIS = format_point(48.86, 2.35)
OSAKA = format_point(34.69, 135.5)


def post_form(post: PostPage, location: str, **extra: str) -> dict:
    data = {
        "title": post.title,
        "slug": post.slug,
        "kind": post.kind,
        "city": post.city,
        "address": "",
        "location": location,
        "website": "",
        "comments": inline_formset([]),
    }
    return nested_form_data({**data, **extra})


def edit_url(page: PostPage | CountryPage) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def draft_location(page: PostPage) -> str:
    return PostPage.objects.get(pk=page.pk).get_latest_revision_as_object().location


def warnings(html: str) -> str:
    """The form's field errors (the page's script settings hold the map's own warnings)."""
    return " ".join(re.findall(r'<p class="error-message">\s*(.*?)\s*</p>', html, re.S))


def keep_box(html: str) -> str | None:
    """The "Keep this location" checkbox's tag, when the form shows it."""
    match = re.search(r'<input[^>]*name="keep_location"[^>]*>', html)
    return match[0] if match else None


def test_a_pin_at_sea_is_refused_once_then_kept_when_ticked(client, editor, tokyo):
    client.force_login(editor)
    response = client.post(edit_url(tokyo), post_form(tokyo, AT_SEA))
    assert response.status_code != 302
    html = response.content.decode()
    assert "The pin is at sea: check the location." in warnings(html)
    assert "Keep this location" in html
    box = keep_box(html)
    assert box and 'type="checkbox"' in box and "checked" not in box
    assert draft_location(tokyo) == format_point(35.66, 139.74)  # nothing saved

    response = client.post(edit_url(tokyo), post_form(tokyo, AT_SEA, keep_location=AT_SEA))
    assert response.status_code == 302
    assert draft_location(tokyo) == AT_SEA


def test_publishing_goes_through_it_too(client, admin_user, tokyo):
    client.force_login(admin_user)
    form = post_form(tokyo, PARIS, **{"action-publish": "Publish"})
    html = client.post(edit_url(tokyo), form).content.decode()
    assert "The pin is outside Japan: check the location." in warnings(html)
    assert PostPage.objects.get(pk=tokyo.pk).location != PARIS

    response = client.post(edit_url(tokyo), {**form, "keep_location": PARIS})
    assert response.status_code == 302
    assert PostPage.objects.get(pk=tokyo.pk).location == PARIS


def test_the_coordinates_the_other_way_round_are_suggested(client, editor, atlas):
    netherlands = make_country(atlas, "NL", title="Netherlands", lat=52.1, lng=5.3)
    the_hague = make_post(netherlands, title="Directorate", city="The Hague", lat=52.08, lng=4.31)
    client.force_login(editor)
    swapped = format_point(4.31, 52.08)  # typed longitude, latitude: off Somalia
    html = client.post(edit_url(the_hague), post_form(the_hague, swapped)).content.decode()
    assert "The pin is at sea: did you mean 52.08, 4.31 (latitude, longitude)?" in warnings(html)
    assert keep_box(html)


def test_a_pin_in_the_country_or_none_saves_at_once(client, editor, tokyo):
    client.force_login(editor)
    assert keep_box(client.get(edit_url(tokyo)).content.decode()) is None
    response = client.post(edit_url(tokyo), post_form(tokyo, OSAKA))
    assert response.status_code == 302
    assert draft_location(tokyo) == OSAKA
    response = client.post(edit_url(tokyo), post_form(tokyo, ""))
    assert response.status_code == 302
    assert draft_location(tokyo) == ""


def test_the_tick_keeps_the_pin_it_was_given_for_only(client, editor, tokyo):
    """A pin moved after the warning (to another wrong place) is checked again."""
    client.force_login(editor)
    response = client.post(edit_url(tokyo), post_form(tokyo, PARIS, keep_location=AT_SEA))
    assert response.status_code != 302
    html = response.content.decode()
    assert "The pin is outside Japan" in warnings(html)
    assert "checked" not in keep_box(html)
    assert draft_location(tokyo) != PARIS


def test_a_ticked_box_stays_ticked_when_the_form_is_refused_for_something_else(
    client, editor, tokyo
):
    client.force_login(editor)
    form = post_form(tokyo, AT_SEA, keep_location=AT_SEA, title="")
    html = client.post(edit_url(tokyo), form).content.decode()
    assert "The pin is at sea" not in warnings(html)  # kept: no warning
    assert "checked" in keep_box(html)


def test_a_new_post_is_checked_against_its_parent_country(client, admin_user, japan):
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:add", args=("atlas_pages", "postpage", japan.pk))
    new = PostPage(title="Consulate in Paris", slug="paris", city="Paris", kind="consulate")
    html = client.post(url, post_form(new, PARIS)).content.decode()
    assert "The pin is outside Japan" in warnings(html)
    assert not PostPage.objects.filter(slug="paris").exists()
    response = client.post(url, post_form(new, PARIS, keep_location=PARIS))
    assert response.status_code == 302
    assert PostPage.objects.get(slug="paris").location == PARIS


def country_form(**overrides: str) -> dict:
    data = {
        "title": "Canada",
        "slug": "canada",
        "iso_code": "CA",
        "location": format_point(56.1, -106.3),
        "intro": rich_text(""),
        "comments": inline_formset([]),
    }
    return nested_form_data({**data, **overrides})


def test_a_country_is_checked_against_its_own_code(client, admin_user, atlas):
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:add", args=("atlas_pages", "countrypage", atlas.pk))
    html = client.post(url, country_form(location=PARIS)).content.decode()
    assert "The pin is outside Canada: check the location." in warnings(html)
    assert not CountryPage.objects.filter(iso_code="CA").exists()
    response = client.post(url, country_form(location=PARIS, keep_location=PARIS))
    assert response.status_code == 302
    canada = CountryPage.objects.get(iso_code="CA")

    response = client.post(edit_url(canada), country_form(location=format_point(45.42, -75.70)))
    assert response.status_code == 302  # Ottawa


def test_the_warning_in_dutch():
    from atlas_pages.editorial.forms import place_warning

    with translation.override("nl"):
        at_sea = str(place_warning(PlaceProblem("at_sea", (52.08, 4.31)), "Nederland"))
        outside = str(place_warning(PlaceProblem("outside"), "Japan"))
    assert at_sea.startswith("De speld staat in zee: bedoelde u 52.08, 4.31 (breedtegraad, ")
    assert outside.startswith("De speld staat buiten Japan: controleer de locatie.")
    assert "Deze locatie behouden" in outside


def test_a_kept_pin_is_not_questioned_again(client, admin_user, tokyo):
    """Once kept, the pin stays: saving the page's other fields, or publishing the draft, does
    not ask again."""
    client.force_login(admin_user)
    client.post(edit_url(tokyo), post_form(tokyo, AT_SEA, keep_location=AT_SEA))
    form = post_form(tokyo, AT_SEA, city="Tokio", **{"action-publish": "Publish"})
    assert client.post(edit_url(tokyo), form).status_code == 302
    published = PostPage.objects.get(pk=tokyo.pk)
    assert (published.city, published.location) == ("Tokio", AT_SEA)
