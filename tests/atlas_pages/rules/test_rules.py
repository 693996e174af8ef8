import pytest

from atlas_pages.rules import places, profile_urls


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/NLinJapan",
        "http://twitter.com/nlinjapan/",
        "https://www.twitter.com/NLinJapan?lang=ja",
        "https://mobile.twitter.com/NLinJapan#x",
        "x.com/nlinjapan",
        "HTTPS://M.X.COM/NLINJAPAN",
    ],
)
def test_aliases_of_one_profile_normalise_alike(url):
    assert profile_urls.normalise_lookup_url(url, [["x.com", "twitter.com"]]) == "x.com/nlinjapan"


@pytest.mark.parametrize("url", ["", "   ", "ftp://x.com/a", "https://", "mailto:a@b.c"])
def test_malformed_urls_are_rejected(url):
    with pytest.raises(ValueError):
        profile_urls.normalise_profile_url(url)


def test_parse_hosts_normalises_editor_input():
    assert profile_urls.parse_hosts("https://www.X.com/, twitter.com\n\nx.com") == [
        "x.com",
        "twitter.com",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SRID=4326;POINT(4.3 52.08)", (52.08, 4.3)),
        ("POINT(-122.4 37.8)", (37.8, -122.4)),
        ("", None),
        (None, None),
    ],
)
def test_parse_point(value, expected):
    assert places.parse_point(value) == expected


@pytest.mark.parametrize("value", ["SRID=4326;POINT(200 10)", "POINT(a b)", "52.0, 4.3"])
def test_parse_point_rejects_bad_values(value):
    with pytest.raises(ValueError):
        places.parse_point(value)


def test_country_names_in_both_languages():
    assert places.country_name("DE", "nl") == "Duitsland"
    assert places.country_name("de", "en") == "Germany"
