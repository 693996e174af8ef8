"""A release file downloaded over real HTTP (the live server) matches its SHA256SUMS and the
checksum the database keeps. Apart from test_releases.py: a live server needs a transactional
database, which the small atlas's module-wide transaction rules out."""

import hashlib
import urllib.request

import pytest

from atlas_pages.models import OpenDataReleaseFile
from tests.atlas_pages.site.test_releases import DAY, FILES, release
from tests.browser.conftest import _restore_migrated_data
from tests.factories import make_account, make_atlas, make_country, make_post


@pytest.fixture
def tiny_atlas(transactional_db):
    _restore_migrated_data()  # a transactional test that ran before flushed them
    atlas = make_atlas()
    post = make_post(make_country(atlas, "JP", title="Japan"), title="Ambassade in Tokio")
    make_account("https://x.com/NLinJapan", post=post)
    return atlas


def test_a_release_file_downloads_over_http_and_matches_its_checksum(
    tiny_atlas, release_dir, live_server
):
    release("--date", DAY.isoformat(), "--language", "nl")
    sums_url = f"{live_server.url}/releases/2026-07-01/nl/SHA256SUMS"
    with urllib.request.urlopen(sums_url) as response:  # noqa: S310 - the test's own server
        sums = dict(reversed(line.split("  ")) for line in response.read().decode().splitlines())
    assert set(sums) == set(FILES[:-1])
    for name, checksum in sums.items():
        with urllib.request.urlopen(f"{live_server.url}/releases/2026-07-01/nl/{name}") as got:
            assert got.status == 200
            assert hashlib.sha256(got.read()).hexdigest() == checksum, name
    recorded = OpenDataReleaseFile.objects.get(name="accounts.csv")
    assert sums["accounts.csv"] == recorded.sha256
