"""Open data on a demo-sized atlas (issue 24): every file passes its own data package and JSON
Schema (frictionless, jsonschema), the Dutch and English files join row for row on their keys,
and the links are on the address `make run` serves."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.conf import settings
from django.db import transaction
from wagtail.models import Site

from atlas_pages.demo import load_demo_atlas
from atlas_pages.demo.loader import demo_address
from atlas_pages.publication import public_atlas
from atlas_pages.site import open_data
from tests.atlas_pages.site.test_open_data_schema import (
    LANGUAGES,
    NEUTRAL_ACCOUNT_COLUMNS,
    NEUTRAL_POST_COLUMNS,
    _csv,
    _json,
    _local_package,
    _validate,
)

pytestmark = pytest.mark.django_db


# The demo-sized atlas -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    """Three countries of the demo atlas (Japan, Canada, Australia: every platform, form,
    status and kind of account the demo has), built once for the module and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_atlas(["JP", "CA", "AU"])
        public_atlas.forget()
        yield
        transaction.set_rollback(True)
    public_atlas.forget()


@pytest.fixture
def demo(_demo_once, db):
    public_atlas.forget()
    yield
    public_atlas.forget()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_file_of_the_demo_passes_its_data_package(client, demo, tmp_path, language):
    path = _local_package(client, language, tmp_path)
    report, problems = _validate(path)
    assert report.valid, problems
    rows = {task.name: task.stats.get("rows") for task in report.tasks}
    atlas = public_atlas.public_atlas(language)
    assert rows == {
        "accounts-csv": len(atlas.accounts),
        "accounts-json": len(atlas.accounts),
        "posts-geojson": len(atlas.posts),
        "impersonators-csv": None,  # a header, no rows
        "impersonators-json": None,  # an empty JSON list: described as JSON, not as a table
        "follower-history-csv": None,  # no activity read in the demo: a header, no rows
    }
    assert len(atlas.accounts) > 50 and len(atlas.posts) > 5  # demo-sized
    fields = {task.name: task.stats.get("fields") for task in report.tasks}
    assert fields["accounts-csv"] == fields["accounts-json"] == len(open_data.ACCOUNT_COLUMNS)


def test_a_file_that_breaks_its_schema_fails(client, demo, tmp_path):
    """The validation can fail: a status outside the vocabulary, a CSV id that is no number."""
    path = _local_package(client, "en", tmp_path)
    accounts = json.loads((tmp_path / "accounts.json").read_text())
    accounts["accounts"][3]["status"] = "CLOSED"
    (tmp_path / "accounts.json").write_text(json.dumps(accounts))
    csv_path = tmp_path / "accounts.csv"
    csv_text = csv_path.read_bytes().decode("utf-8-sig")
    first_id = str(accounts["accounts"][0]["id"])
    csv_path.write_bytes(csv_text.replace(f"\r\n{first_id},", "\r\nx,", 1).encode("utf-8-sig"))
    report, _problems = _validate(path)
    invalid = {task.name: [error.type for error in task.errors] for task in report.tasks}
    assert invalid["accounts-json"] == ["constraint-error"]
    assert invalid["accounts-csv"] == ["type-error", "primary-key"]  # "x": no id
    assert invalid["posts-geojson"] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demos_json_files_pass_their_json_schemas(client, demo, language):
    for name, schema_name in [
        ("accounts.json", "accounts.schema.json"),
        ("posts.geojson", "posts.schema.json"),
        ("impersonators.json", "impersonators.schema.json"),
    ]:
        document = _json(client, name, language)
        json_schema = _json(client, schema_name, language)
        validator_class = jsonschema.validators.validator_for(json_schema)
        validator_class.check_schema(json_schema)
        validator = validator_class(json_schema, format_checker=jsonschema.FormatChecker())
        errors = [error.message for error in validator.iter_errors(document)]
        assert errors == [], (name, errors[:3])
    # One missing column, one unknown: both refused.
    document = _json(client, "accounts.json", language)
    del document["accounts"][0]["speaks_for"]
    document["accounts"][1]["extra"] = 1
    json_schema = _json(client, "accounts.schema.json", language)
    messages = sorted(
        error.message
        for error in jsonschema.Draft202012Validator(json_schema).iter_errors(document)
    )
    assert len(messages) == 2 and "'speaks_for' is a required property" in messages


def test_the_demo_joins_across_languages_row_for_row(client, demo):
    """The whole demo is in both languages: the same accounts and posts, on the same keys,
    with the same language-neutral values."""
    accounts = {
        language: {row["id"]: row for row in _json(client, "accounts.json", language)["accounts"]}
        for language in LANGUAGES
    }
    assert set(accounts["nl"]) == set(accounts["en"])
    for account_id, dutch in accounts["nl"].items():
        english = accounts["en"][account_id]
        assert {c: dutch[c] for c in NEUTRAL_ACCOUNT_COLUMNS} == {
            c: english[c] for c in NEUTRAL_ACCOUNT_COLUMNS
        }
        assert dutch["post_key"] is not None or dutch["person_id"] is not None
    posts = {
        language: {
            feature["properties"]["post_key"]: feature
            for feature in _json(client, "posts.geojson", language)["features"]
        }
        for language in LANGUAGES
    }
    assert set(posts["nl"]) == set(posts["en"]) and len(posts["nl"]) > 5
    for key, dutch in posts["nl"].items():
        english = posts["en"][key]
        assert dutch["geometry"] == english["geometry"]
        assert {c: dutch["properties"][c] for c in NEUTRAL_POST_COLUMNS} == {
            c: english["properties"][c] for c in NEUTRAL_POST_COLUMNS
        }
        assert dutch["id"] != english["id"]  # the page ids differ: the key is what joins
    # An account's post_key is a post's.
    keys = set(posts["nl"])
    assert {row["post_key"] for row in accounts["nl"].values()} - {None} <= keys
    # The CSV joins on the same keys.
    for language in LANGUAGES:
        _fields, rows = _csv(client, "accounts.csv", language)
        assert {int(row["id"]) for row in rows} == set(accounts["nl"])


def test_the_demos_links_are_on_the_address_make_run_serves(client, demo):
    """The demo's Site names the address of `make run` (WAGTAILADMIN_BASE_URL, by default
    http://127.0.0.1:8000), and every link of the files starts with it."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert Site.objects.get(is_default_site=True).root_url == base
    for language in LANGUAGES:
        assert open_data.site_root(public_atlas.public_atlas(language)) == base
        for row in _json(client, "accounts.json", language)["accounts"]:
            if row["post_url"] is not None:
                assert row["post_url"].startswith(f"{base}/{language}/"), row["post_url"]
        for feature in _json(client, "posts.geojson", language)["features"]:
            assert feature["properties"]["url"].startswith(f"{base}/{language}/")
        package = _json(client, "datapackage.json", language)
        assert package["homepage"] == f"{base}/{language}/open-data/"
        assert "localhost" not in json.dumps(package)


def test_the_demo_address_is_the_one_make_run_serves():
    """The default of WAGTAILADMIN_BASE_URL (cms/settings/base.py) and the Makefile's run
    target name the same address, and the demo loader reads it."""
    root = Path(settings.BASE_DIR)
    makefile = (root / "Makefile").read_text()
    port = re.search(r"^PORT \?= (\d+)$", makefile, re.MULTILINE).group(1)
    host = re.search(r"^run:.*\n\t.*runserver ([\w.]+):\$\(PORT\)$", makefile, re.MULTILINE)
    base = (root / "cms" / "settings" / "base.py").read_text()
    default = re.search(r'"WAGTAILADMIN_BASE_URL", "([^"]+)"', base).group(1)
    assert default == f"http://{host.group(1)}:{port}"
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    assert demo_address() == (parts.hostname, parts.port or 80)
