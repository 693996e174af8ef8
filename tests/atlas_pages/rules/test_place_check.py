"""The map pin's check on save (atlas_pages.rules.places.check_place): at sea, outside the
page's country, and the coordinates the other way round, on the same world outlines the admin's
map script uses."""

import pytest

from atlas_pages.rules import places


@pytest.mark.parametrize(
    ("lat", "lng", "country"),
    [
        (35.66, 139.74, "JP"),  # Tokyo
        (52.08, 4.31, "NL"),  # The Hague, on the coast
        (-33.87, 151.21, "AU"),  # Sydney, on the coast
        (45.42, -75.70, "CA"),  # Ottawa
    ],
)
def test_a_point_in_its_country_is_fine(lat, lng, country):
    assert places.check_place(lat, lng, country) is None


def test_a_point_at_sea():
    problem = places.check_place(30.0, -40.0, "JP")  # the middle of the Atlantic
    assert problem.kind == "at_sea"
    assert problem.swapped is None


def test_a_point_in_another_country():
    problem = places.check_place(48.86, 2.35, "JP")  # Paris
    assert problem.kind == "outside"
    assert problem.swapped is None


def test_the_coordinates_the_other_way_round_are_suggested():
    problem = places.check_place(4.31, 52.08, "NL")  # lat/lng swapped: off Somalia
    assert problem.kind == "at_sea" and problem.swapped == (52.08, 4.31)
    problem = places.check_place(-75.70, 45.42, "CA")  # swapped: in Antarctica
    assert problem.kind == "outside" and problem.swapped == (45.42, -75.70)


def test_without_a_country_only_the_sea_counts():
    assert places.check_place(48.86, 2.35, "") is None
    assert places.check_place(30.0, -40.0, "").kind == "at_sea"
