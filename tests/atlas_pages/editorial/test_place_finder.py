"""The geo widget's offline place finder: the cities come from the project, for the admin only."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_cities_are_served_to_editors_only(client, editor):
    url = reverse("atlas_places")
    assert client.get(url).status_code == 302  # to the login
    client.force_login(editor)
    data = client.get(url).json()
    osaka = next(city for city in data["cities"] if city[:2] == ["Osaka", "JP"])
    assert osaka[2:] == pytest.approx([34.69, 135.50], abs=0.05)
    # The world outlines' ids are ISO numeric codes.
    assert (data["numeric"]["JP"], data["numeric"]["AU"]) == ("392", "036")


def test_the_widget_knows_the_country_and_says_the_coordinate_order(client, editor, tokyo):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(tokyo.pk,))).content.decode()
    assert 'id="atlas-place-finder"' in html
    assert '"country": "JP"' in html
    assert "latitude, then longitude" in html
    assert "The pin is outside Japan" in html
    assert "atlas/js/admin-place-finder.js" in html
