"""Open data, complete and stable (issue 24): every column the API knows about an account, in
the CSV and the JSON; language-neutral keys that join the Dutch and English files row for row;
absolute links on the site's own address; and the published schemas (datapackage.json, the JSON
Schemas) that every file passes, checked with the frictionless and jsonschema libraries on a
demo-sized atlas and on the small one."""

import csv
import io
import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import frictionless
import pytest
import time_machine
from django.utils import timezone
from wagtail.models import Site

from atlas_pages.publication import public_atlas
from atlas_pages.site import open_data
from graphql_api.schema import schema
from tests.atlas_pages.site.atlas_data import CONSENTED, HIDDEN_TEXTS
from tests.factories import make_account, make_person

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "en")
DATA_FILES = list(open_data.EXPORTS)
SCHEMA_FILES = list(open_data.SCHEMAS)
#: What no file of one language may differ in from the other's: all but names and titles.
NEUTRAL_ACCOUNT_COLUMNS = [
    "id", "platform", "form", "handle", "name", "url", "status", "status_since", "new_url",
    "current_url", "current_handle", "former_url", "platform_identity", "language", "kind",
    "speaks_for", "person_id", "person_key", "person_name", "person_role", "post_key",
    "country_code", "country_key", "followers", "listed_since", "last_published_at",
]  # fmt: skip
NEUTRAL_POST_COLUMNS = [
    "post_key", "kind", "address", "website", "country_code", "country_key", "account_count",
    "person_count",
]  # fmt: skip
#: The Account fields of the API and the column that carries each; the ones left out, and why.
API_COLUMNS = {
    "id": "id", "platform": "platform", "handle": "handle", "url": "url", "name": "name",
    "language": "language", "person": "person_id", "kind": "kind", "speaksFor": "speaks_for",
    "status": "status", "newUrl": "new_url", "statusSince": "status_since",
    "currentUrl": "current_url", "currentHandle": "current_handle", "formerUrl": "former_url",
    "platformIdentity": "platform_identity", "evidence": "evidence", "form": "form",
    "formLabel": "form_label", "post": "post_id", "country": "country_code",
    "followers": "followers", "formerlyAt": "formerly_at_post_id",
}  # fmt: skip
NOT_EXPORTED = {
    # The platforms' own posts (their text is theirs, not the atlas's open data), the follower
    # history (a file of its own in the monthly release) and when posts were last read.
    "recentPosts", "followerHistory", "activityFetchedAt",
}  # fmt: skip


def _get(client, name, language):
    response = client.get(f"/export/{name}", {"lang": language})
    assert response.status_code == 200, (name, response.content[:300])
    return response


def _json(client, name, language):
    return json.loads(_get(client, name, language).content)


def _csv(client, name, language):
    text = _get(client, name, language).content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return reader.fieldnames, list(reader)


def _local_package(client, language, folder: Path):
    """The served data package with each file downloaded beside it (its path made relative),
    as someone would save them; the path of datapackage.json."""
    package = _json(client, "datapackage.json", language)
    root = open_data.site_root(public_atlas.public_atlas(language))
    for resource in package["resources"]:
        url = resource["path"]
        assert url.startswith(root + "/export/"), url  # absolute, on the site's address
        parts = urlsplit(url)
        response = client.get(f"{parts.path}?{parts.query}")
        assert response.status_code == 200, url
        name = parts.path.rsplit("/", 1)[1]
        (folder / name).write_bytes(response.content)
        resource["path"] = name
    path = folder / "datapackage.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def _validate(path: Path):
    report = frictionless.validate(str(path))
    problems = [
        (task.name, error.message) for task in report.tasks for error in task.errors[:3]
    ] + [error.message for error in report.errors]
    return report, problems


# The small atlas: every kind of account, and what must not show ------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_small_atlas_files_pass_their_schemas(client, small_atlas, tmp_path, language):
    make_account("https://x.com/Formula", post=small_atlas.tokyo, display_name="=1+1")
    report, problems = _validate(_local_package(client, language, tmp_path))
    assert report.valid, problems


def test_every_column_in_csv_and_json_and_every_api_field_has_one(client, small_atlas):
    names = [column.name for column in open_data.ACCOUNT_COLUMNS]
    for language in LANGUAGES:
        fields, _rows = _csv(client, "accounts.csv", language)
        assert fields == names
        for record in _json(client, "accounts.json", language)["accounts"]:
            assert list(record) == names
        impersonator_fields, _rows = _csv(client, "impersonators.csv", language)
        assert impersonator_fields == [c.name for c in open_data.IMPERSONATOR_COLUMNS]
    account_type = schema._schema.type_map["Account"]
    assert set(account_type.fields) == set(API_COLUMNS) | NOT_EXPORTED
    assert set(API_COLUMNS.values()) <= set(names)
    # The data package and the JSON Schema describe exactly these columns.
    package = _json(client, "datapackage.json", "en")
    by_name = {resource["name"]: resource for resource in package["resources"]}
    for resource in ("accounts-csv", "accounts-json"):
        assert [f["name"] for f in by_name[resource]["schema"]["fields"]] == names
    json_schema = _json(client, "accounts.schema.json", "en")
    assert json_schema["properties"]["accounts"]["items"]["required"] == names


API_ACCOUNTS = """query Accounts($locale: String) {
  accounts(locale: $locale, pagination: {limit: 200}) {
    results {
      id speaksFor status newUrl statusSince currentUrl currentHandle formerUrl
      platformIdentity form formLabel kind
      person { id } evidence { kind source confirmedAt }
    }
  }
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_new_columns_equal_the_api(client, small_atlas, language):
    renamed = small_atlas.accounts.tokyo_x
    renamed.status, renamed.new_url = "renamed", "https://x.com/NLinJapanNew"
    renamed.save_revision().publish()
    response = client.post(
        "/graphql/",
        json.dumps({"query": API_ACCOUNTS, "variables": {"locale": language}}),
        content_type="application/json",
    )
    api = {int(a["id"]): a for a in response.json()["data"]["accounts"]["results"]}
    records = _json(client, "accounts.json", language)["accounts"]
    assert set(api) == {record["id"] for record in records}
    for record in records:
        account = api[record["id"]]
        assert (
            record["speaks_for"], record["status"], record["new_url"], record["status_since"],
            record["current_url"], record["current_handle"], record["former_url"],
            record["platform_identity"] or "", record["form"], record["form_label"],
        ) == (
            account["speaksFor"], account["status"], account["newUrl"], account["statusSince"],
            account["currentUrl"], account["currentHandle"], account["formerUrl"],
            account["platformIdentity"], account["form"], account["formLabel"],
        )  # fmt: skip
    by_handle = {record["handle"]: record for record in records}
    moved = by_handle["NLinJapan"]
    assert (moved["status"], moved["new_url"], moved["current_url"], moved["former_url"]) == (
        "RENAMED",
        "https://x.com/NLinJapanNew",
        "https://x.com/NLinJapanNew",
        "https://x.com/NLinJapan",
    )
    assert moved["current_handle"] == "NLinJapanNew"
    assert by_handle["nl-in-japan"]["form"] == "PAGE"


def test_official_and_personal_accounts_are_told_apart(client, small_atlas):
    """An ambassador's official account is a person's (kind PERSONAL, kept as it was) and
    speaks for the office; a post's account too; only a person's own one speaks for them."""
    consul = make_person(
        name="Kees Consul", role="consul", post=small_atlas.tokyo, consent_given_at=CONSENTED
    )
    personal = make_account("https://x.com/KeesPrivate", person=consul, speaks_for="person")
    for language in LANGUAGES:
        by_handle = {r["handle"]: r for r in _json(client, "accounts.json", language)["accounts"]}
        ambassador = by_handle["JaneTanakaNL"]
        assert (ambassador["kind"], ambassador["speaks_for"]) == ("PERSONAL", "OFFICE")
        assert (by_handle["NLinJapan"]["kind"], by_handle["NLinJapan"]["speaks_for"]) == (
            "ORGANISATION",
            "OFFICE",
        )
        own = by_handle[personal.handle]
        assert (own["kind"], own["speaks_for"]) == ("PERSONAL", "PERSON")
        _fields, rows = _csv(client, "accounts.csv", language)
        assert {r["handle"]: r["speaks_for"] for r in rows}["JaneTanakaNL"] == "OFFICE"


def test_the_small_atlas_joins_on_its_keys(client, small_atlas):
    """The same accounts in both files, keyed by id, with the same person, post and country
    keys; a post without an English page keeps its key (post_id is empty)."""
    files = {
        language: {r["id"]: r for r in _json(client, "accounts.json", language)["accounts"]}
        for language in LANGUAGES
    }
    assert set(files["nl"]) == set(files["en"])
    for account_id, dutch in files["nl"].items():
        english = files["en"][account_id]
        for column in ("person_id", "person_key", "post_key", "country_key", "country_code"):
            assert dutch[column] == english[column], (column, dutch["handle"])
    by_handle = {r["handle"]: r for r in files["en"].values()}
    vancouver = by_handle["NLinVancouver"]
    assert vancouver["post_id"] is None
    assert vancouver["post_key"] == str(small_atlas.vancouver.translation_key)
    assert by_handle["NLinJapan"]["post_key"] == str(small_atlas.tokyo.translation_key)
    assert by_handle["NLinJapan"]["country_key"] == str(small_atlas.japan.translation_key)
    ambassador = by_handle["JaneTanakaNL"]
    assert ambassador["person_key"] == str(small_atlas.ambassador.translation_key)
    assert ambassador["person_id"] == small_atlas.ambassador.pk
    features = {
        language: {
            f["properties"]["post_key"]: f["id"]
            for f in _json(client, "posts.geojson", language)["features"]
        }
        for language in LANGUAGES
    }
    assert set(features["en"]) < set(features["nl"])  # Vancouver: Dutch only
    assert features["nl"][str(small_atlas.tokyo.translation_key)] == small_atlas.tokyo.pk


def test_the_base_url_is_the_sites_root(client, small_atlas):
    """Links are made from the Site's root URL: move the site, and the files follow."""
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "atlas.example.org", 443
    site.save()
    public_atlas.forget()
    records = _json(client, "accounts.json", "en")["accounts"]
    urls = [r["post_url"] for r in records if r["post_url"]]
    assert urls and all(url.startswith("https://atlas.example.org/en/") for url in urls)
    package = _json(client, "datapackage.json", "en")
    assert {r["path"].split("/export/")[0] for r in package["resources"]} == {
        "https://atlas.example.org"
    }


# Serving the schemas --------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_schemas_are_served_in_each_language_and_leak_nothing(client, small_atlas, language):
    for name in SCHEMA_FILES:
        response = _get(client, name, language)
        expected = "application/json" if name == "datapackage.json" else "application/schema+json"
        assert response["Content-Type"] == expected
        assert response["Content-Language"] == language
        body = response.content.decode()
        for hidden in HIDDEN_TEXTS:
            assert hidden not in body, (name, hidden)
        for shown in ("NLinJapan", "Jane Tanaka", "Embassy in Tokyo", "Ambassade in Tokio"):
            assert shown not in body, (name, shown)  # columns, never content
    package = _json(client, "datapackage.json", language)
    assert package["name"] == f"social-media-atlas-{language}"
    assert package["licenses"] == [
        {
            "name": "CC0-1.0",
            "title": "CC0 1.0",
            "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        }
    ]
    description = {"nl": "Gepubliceerde", "en": "published"}[language]
    kind = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "kind")
    assert description.lower() in package["description"].lower()
    assert kind["constraints"]["enum"] == ["ORGANISATION", "PERSONAL"]


def test_the_schemas_are_cached_and_follow_a_publish(client, small_atlas):
    first = _get(client, "datapackage.json", "en")
    again = _get(client, "datapackage.json", "en")
    assert (first["X-Atlas-Cache"], again["X-Atlas-Cache"]) == ("miss", "hit")
    assert "Content-Disposition" not in first  # read in place, by tools
    # A second later at least: "created" is stated to the second.
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=True):
        small_atlas.accounts.draft.save_revision().publish()
        after = _get(client, "datapackage.json", "en")
    assert after["X-Atlas-Cache"] == "miss"
    assert json.loads(after.content)["created"] != json.loads(first.content)["created"]


def test_data_package_for_a_release(small_atlas):
    """What the monthly release calls: its own paths, only the files named."""
    atlas = public_atlas.public_atlas("nl")
    package = open_data.data_package(
        atlas, "nl", paths={"accounts.csv": "accounts.csv", "posts.geojson": "posts.geojson"}
    )
    assert [(r["name"], r["path"]) for r in package["resources"]] == [
        ("accounts-csv", "accounts.csv"),
        ("posts-geojson", "posts.geojson"),
    ]
    frictionless.Package(package)  # a valid descriptor (raises otherwise)
    with pytest.raises(ValueError, match="not 'en'"):
        open_data.data_package(atlas, "en")
    with pytest.raises(ValueError, match="people.csv"):
        open_data.data_package(atlas, paths={"people.csv": "people.csv"})


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_data_page_links_the_schemas_and_documents_the_keys(client, small_atlas, language):
    html = client.get(f"/{language}/open-data/").content.decode()
    for name in SCHEMA_FILES:
        assert f'href="/export/{name}?lang={language}"' in html
    for column in (*open_data.ACCOUNT_COLUMNS, *open_data.EVIDENCE_COLUMNS):
        assert f"<code>{column.name}</code>" in html
    heading = {"nl": "Schema's en vaste sleutels", "en": "Schemas and stable keys"}[language]
    assert f"<h2>{heading}</h2>" in html
    assert "post_key, person_key" in html
