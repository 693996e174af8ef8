"""Open data: /export/accounts.csv, /export/accounts.json and /export/posts.geojson in each
language (?lang=), published content only, valid formats (CSV round-trips through the csv
module, GeoJSON follows RFC 7946, JSON equals the API's answer for the same content), cached
per publication generation; and the data page that documents them (/nl/open-data/,
/en/open-data/)."""

import csv
import io
import json

import pytest

from atlas_pages.site import open_data
from tests.atlas_pages.site.atlas_data import HIDDEN_TEXTS
from tests.factories import make_account, make_user

pytestmark = pytest.mark.django_db

EXPORTS = ["accounts.csv", "accounts.json", "posts.geojson"]


def _get(client, name, language=None):
    response = client.get(f"/export/{name}", {"lang": language} if language else {})
    assert response.status_code == 200, response.content[:300]
    return response


def _csv_rows(response):
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads it as UTF-8
    text = body.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == [column.name for column in open_data.ACCOUNT_COLUMNS]
    return list(reader)


def _json(client, language=None):
    return json.loads(_get(client, "accounts.json", language).content)


def _geojson(client, language=None):
    return json.loads(_get(client, "posts.geojson", language).content)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", EXPORTS)
def test_only_published_content_in_every_export(client, small_atlas, name, language):
    body = _get(client, name, language).content.decode("utf-8-sig")
    for hidden in HIDDEN_TEXTS:
        assert hidden not in body, f"{name} ({language}) shows {hidden}"


def test_accounts_in_moderation_or_unpublished_are_not_exported(client, small_atlas):
    in_review = make_account("https://x.com/InReviewNL", post=small_atlas.tokyo, live=False)
    in_review.save_revision()
    in_review.get_workflow().start(in_review, make_user("editor"))
    withdrawn = small_atlas.accounts.ottawa_facebook
    withdrawn.unpublish()
    for name in EXPORTS:
        body = _get(client, name, "en").content.decode("utf-8-sig")
        assert "InReviewNL" not in body and "NLinCanada" not in body, name


def _as_csv_cell(value):
    """A JSON value as the CSV gives it: evidence (a list) as "KIND date source; ..."."""
    if isinstance(value, list):
        return "; ".join(
            " ".join(part for part in (e["kind"], e["confirmed_at"], e["source"]) if part)
            for e in value
        )
    return "" if value is None else str(value)


def test_csv_round_trips_and_equals_the_json(client, small_atlas):
    for language in ("nl", "en"):
        rows = _csv_rows(_get(client, "accounts.csv", language))
        records = _json(client, language)["accounts"]
        expected = [
            {name: _as_csv_cell(value) for name, value in record.items()} for record in records
        ]
        assert rows == expected
    handles = {row["handle"] for row in rows}
    assert handles == {
        "NLinJapan", "nl-in-japan", "JaneTanakaNL", "NLinCanada", "NLinVancouver",
        "MinisterExample",
    }  # fmt: skip


def test_csv_cells_that_would_be_formulas_are_neutralised(client, small_atlas):
    for n, formula in enumerate(["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tx"]):
        make_account(f"https://x.com/Formula{n}", post=small_atlas.tokyo, display_name=formula)
    rows = _csv_rows(_get(client, "accounts.csv"))
    names = {row["handle"]: row["name"] for row in rows}
    assert [names[f"Formula{n}"] for n in range(5)] == [
        "'=HYPERLINK(1)", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx",
    ]  # fmt: skip
    # The JSON keeps the values as they are.
    records = {record["handle"]: record["name"] for record in _json(client)["accounts"]}
    assert records["Formula0"] == "=HYPERLINK(1)"


API_ACCOUNTS = """query Accounts($locale: String) {
  accounts(locale: $locale, pagination: {limit: 200}) {
    totalCount
    results {
      id handle name url language kind
      platform { slug name }
      person { id name role jobTitle }
      post { id name url }
      country { code name }
    }
  }
}"""


@pytest.mark.parametrize("language", ["nl", "en"])
def test_json_matches_the_api(client, small_atlas, language):
    response = client.post(
        "/graphql/",
        json.dumps({"query": API_ACCOUNTS, "variables": {"locale": language}}),
        content_type="application/json",
    )
    api = response.json()["data"]["accounts"]
    document = _json(client, language)
    records = document["accounts"]
    assert len(records) == api["totalCount"] == 6
    for record, account in zip(records, api["results"], strict=True):
        person, post, country = account["person"], account["post"], account["country"]
        assert record == {
            **record,
            "id": int(account["id"]),
            "platform": account["platform"]["slug"],
            "platform_name": account["platform"]["name"],
            "handle": account["handle"],
            "name": account["name"],
            "url": account["url"],
            "language": account["language"],
            "kind": account["kind"],
            "person_id": int(person["id"]) if person else None,
            "person_name": person["name"] if person else None,
            "person_role": person["role"] if person else None,
            "person_job_title": person["jobTitle"] if person else None,
            "post_id": int(post["id"]) if post else None,
            "post_name": post["name"] if post else None,
            "post_url": "http://localhost" + post["url"] if post else None,
            "country_name": country["name"] if country else None,
        }
        if country:
            assert record["country_code"] == country["code"]
    assert document["language"] == language
    assert document["licence"] == "CC0 1.0"


def test_json_in_each_language(client, small_atlas):
    by_handle = {r["handle"]: r for r in _json(client)["accounts"]}  # the default: Dutch
    assert by_handle["JaneTanakaNL"]["person_job_title"] == "Ambassadeur in Japan"
    assert by_handle["NLinJapan"]["post_name"] == "Ambassade in Tokio"
    by_handle = {r["handle"]: r for r in _json(client, "en")["accounts"]}
    assert by_handle["JaneTanakaNL"]["person_job_title"] == "Ambassador to Japan"
    assert by_handle["NLinJapan"]["post_name"] == "Embassy in Tokyo"
    # Vancouver has no English page: its account is listed, without a post in English.
    assert by_handle["NLinVancouver"]["post_id"] is None
    assert by_handle["NLinVancouver"]["country_code"] == "CA"


def _check_rfc7946(document):
    """The rules of RFC 7946 that a reader relies on."""
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document  # § 4: WGS 84 only, no crs member
    assert isinstance(document["features"], list)
    for feature in document["features"]:
        assert feature["type"] == "Feature"  # § 3.2
        assert set(feature) >= {"type", "geometry", "properties"}
        assert isinstance(feature["properties"], dict)
        assert isinstance(feature.get("id", 0), str | int | float)
        geometry = feature["geometry"]
        if geometry is not None:
            assert geometry["type"] == "Point" and "crs" not in geometry
            lng, lat = geometry["coordinates"]  # § 3.1.1: longitude, latitude
            assert -180 <= lng <= 180 and -90 <= lat <= 90


@pytest.mark.parametrize("language", ["nl", "en"])
def test_posts_geojson_follows_rfc_7946(client, small_atlas, language):
    response = _get(client, "posts.geojson", language)
    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(response.content)
    _check_rfc7946(document)
    by_city = {f["properties"]["city"]: f for f in document["features"]}
    ottawa = by_city["Ottawa"]
    assert ottawa["geometry"]["coordinates"] == [-75.69, 45.42]  # longitude first
    assert ottawa["properties"]["country_code"] == "CA"
    assert ottawa["properties"]["account_count"] == 1
    expected = {"nl": {"Ottawa", "Tokio", "Vancouver"}, "en": {"Ottawa", "Tokyo"}}[language]
    assert set(by_city) == expected
    assert [column.name for column in open_data.POST_COLUMNS] == list(ottawa["properties"])


def test_languages_and_bad_language(client, small_atlas):
    default = _get(client, "accounts.csv")
    assert default.content == _get(client, "accounts.csv", "nl").content
    assert default["Content-Language"] == "nl"
    assert "Ambassade in Tokio" in default.content.decode("utf-8-sig")
    english = _get(client, "accounts.csv", "en")
    assert english["Content-Language"] == "en"
    assert "Embassy in Tokyo" in english.content.decode("utf-8-sig")
    response = client.get("/export/accounts.csv", {"lang": "xx"})
    assert response.status_code == 400
    assert b"use lang= one of nl, en" in response.content
    assert client.get("/export/people.csv").status_code == 404


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("accounts.csv", "text/csv; charset=utf-8"),
        ("accounts.json", "application/json"),
        ("posts.geojson", "application/geo+json"),
    ],
)
def test_headers_and_cache(client, small_atlas, name, content_type):
    first = _get(client, name, "en")
    assert first["Content-Type"] == content_type
    stem, extension = name.split(".")
    expected = f'attachment; filename="social-media-atlas-{stem}-en.{extension}"'
    assert first["Content-Disposition"] == expected
    again = _get(client, name, "en")
    assert (first["X-Atlas-Cache"], again["X-Atlas-Cache"]) == ("miss", "hit")
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Language"] == "en"


def test_a_publish_changes_the_exports(client, small_atlas):
    before = _get(client, "accounts.csv").content
    assert _get(client, "accounts.csv")["X-Atlas-Cache"] == "hit"
    draft = small_atlas.accounts.draft
    draft.save_revision().publish()
    after = _get(client, "accounts.csv")
    assert after["X-Atlas-Cache"] == "miss"
    assert b"DraftAccountNL" not in before and b"DraftAccountNL" in after.content


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_data_page(client, small_atlas, settings, language):
    settings.ATLAS_DATA_LICENCE = "CC BY 4.0"
    settings.ATLAS_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
    small_atlas.tokyo.save_revision().publish()  # a last change in both languages
    response = client.get(f"/{language}/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "CC BY 4.0" in html and 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    for name in EXPORTS:
        assert f'href="/export/{name}?lang={language}"' in html
    for column in (*open_data.ACCOUNT_COLUMNS, *open_data.POST_COLUMNS):
        assert f"<code>{column.name}</code>" in html
    assert "<time datetime=" in html  # the last change
    title = {"nl": "Open data", "en": "Open data"}[language]
    assert f"<h1>{title}</h1>" in html
    assert {"nl": "Laatste wijziging:", "en": "Last change:"}[language] in html
    for hidden in HIDDEN_TEXTS:
        assert hidden not in html
