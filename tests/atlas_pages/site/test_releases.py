"""Dated releases of the open data (manage.py release_open_data, atlas_pages/site/releases.py):
the files of every language with their data package and SHA-256 checksums, in the releases
storage; written once per day; listed on the data page at once; downloadable over HTTP and
checked by checksum; only public content; released monthly by the scheduler."""

import hashlib
import json
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command

from atlas_pages.models import OpenDataRelease, OpenDataReleaseFile, Person, SocialAccount
from atlas_pages.models import withdraw_consent as withdraw
from atlas_pages.publication import releases as stored
from tests.atlas_pages.site.atlas_data import HIDDEN_TEXTS
from tests.factories import make_account, make_person

FILES = [
    "accounts.csv",
    "accounts.json",
    "posts.geojson",
    "follower-history.csv",
    "accounts.schema.json",
    "posts.schema.json",
    "datapackage.json",
    "SHA256SUMS",
]
DAY = date(2026, 7, 1)


def release(*args):
    out = StringIO()
    call_command("release_open_data", *args, stdout=out)
    return out.getvalue()


def stored_bytes(file):
    with stored.open_file(file) as handle:
        return handle.read()


@pytest.mark.django_db
def test_a_release_holds_every_language_with_checksums(client, small_atlas, release_dir):
    output = release("--date", DAY.isoformat())
    assert "Released 2026-07-01 (nl): 8 files" in output
    assert "Released 2026-07-01 (en): 8 files" in output
    releases = OpenDataRelease.objects.order_by("language")
    assert [(r.date, r.language) for r in releases] == [(DAY, "en"), (DAY, "nl")]
    for release_row in releases:
        files = list(release_row.files.all())
        assert [file.name for file in files] == FILES
        sums = {}
        for file in files:
            content = stored_bytes(file)
            assert file.size == len(content)
            assert file.sha256 == hashlib.sha256(content).hexdigest()
            assert (release_dir / file.path).read_bytes() == content  # the storage's directory
            sums[file.name] = file.sha256
        # SHA256SUMS in sha256sum's format, naming every other file.
        text = stored_bytes(files[-1]).decode()
        assert text == "".join(f"{sums[name]}  {name}\n" for name in FILES[:-1])
        # The data files are the site's own, as /export/ serves them now.
        for name in FILES[:4]:
            live = client.get(f"/export/{name}", {"lang": release_row.language}).content
            assert stored_bytes(release_row.files.get(name=name)) == live, name
        # The data package describes the files beside it.
        package = json.loads(stored_bytes(release_row.files.get(name="datapackage.json")))
        assert [resource["path"] for resource in package["resources"]] == FILES[:4]
    # Dutch names in the Dutch release, English in the English one.
    nl = stored_bytes(OpenDataReleaseFile.objects.get(release__language="nl", name="posts.geojson"))
    en = stored_bytes(OpenDataReleaseFile.objects.get(release__language="en", name="posts.geojson"))
    assert b"Ambassade in Tokio" in nl and b"Embassy in Tokyo" in en


@pytest.mark.django_db
def test_a_day_is_released_once(small_atlas, release_dir):
    release("--date", DAY.isoformat())
    before = {(f.release_id, f.name): (f.path, f.sha256) for f in OpenDataReleaseFile.objects.all()}
    contents = {path: (release_dir / path).read_bytes() for path, _sha in before.values()}
    make_account("https://x.com/AddedLater", post=small_atlas.tokyo)  # the atlas moves on
    output = release("--date", DAY.isoformat())
    assert output.count("was already released") == 2
    after = {(f.release_id, f.name): (f.path, f.sha256) for f in OpenDataReleaseFile.objects.all()}
    assert after == before
    assert {path: (release_dir / path).read_bytes() for path in contents} == contents
    # A new day is a new release, with what is public now.
    release("--date", "2026-07-02")
    newer = OpenDataReleaseFile.objects.get(
        release__date=date(2026, 7, 2), release__language="nl", name="accounts.csv"
    )
    assert b"AddedLater" in stored_bytes(newer)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-13-01"], "is not a date"),
        (["--date", "yesterday"], "is not a date"),
        (["--date", "2999-01-01"], "is in the future"),
        (["--language", "xx"], "Unknown language xx"),
    ],
)
def test_bad_input_is_refused_with_nothing_written(small_atlas, release_dir, args, message):
    with pytest.raises(CommandError, match=message):
        release(*args)
    assert not OpenDataRelease.objects.exists()
    assert not release_dir.exists() or not any(release_dir.rglob("*.*"))


class FailingStorage(FileSystemStorage):
    """A storage that fails on its third file (a full disk, an unreachable bucket)."""

    saved = 0

    def _save(self, name, content):
        FailingStorage.saved += 1
        if FailingStorage.saved == 3:
            raise OSError("No space left on device")
        return super()._save(name, content)


@pytest.mark.django_db
def test_a_failed_write_leaves_no_release(small_atlas, settings, tmp_path):
    FailingStorage.saved = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "releases": {
            "BACKEND": f"{__name__}.FailingStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    with pytest.raises(OSError, match="No space left"):
        release("--date", DAY.isoformat(), "--language", "nl")
    assert not OpenDataRelease.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]  # nothing half-written
    release("--date", DAY.isoformat(), "--language", "nl")  # the next run writes it whole
    assert OpenDataRelease.objects.get().files.count() == len(FILES)


@pytest.mark.django_db
def test_the_data_page_lists_a_new_release_at_once(client, small_atlas, release_dir):
    first = client.get("/en/open-data/")
    assert first["X-Atlas-Cache"] == "miss" and b"No release yet." in first.content
    assert client.get("/en/open-data/")["X-Atlas-Cache"] == "hit"
    assert b"Nog geen uitgave." in client.get("/nl/open-data/").content
    release("--date", DAY.isoformat())
    response = client.get("/en/open-data/")
    assert response["X-Atlas-Cache"] == "miss"  # a release starts a new generation
    html = response.content.decode()
    assert 'id="release-2026-07-01"' in html and "1 July 2026" in html
    for file in OpenDataReleaseFile.objects.select_related("release"):
        url = f"/releases/2026-07-01/{file.release.language}/{file.name}"
        assert f'href="{url}"' in html
        assert f'<code class="open-data__checksum">{file.sha256}</code>' in html
        assert f'<data value="{file.size}">' in html
    assert 'href="/export/catalog.jsonld"' in html and 'href="/export/catalog.rdf"' in html
    dutch = client.get("/nl/open-data/").content.decode()
    assert "Gedateerde uitgaven" in dutch and "1 juli 2026" in dutch


@pytest.mark.django_db
def test_a_release_file_is_served_with_its_checksum(client, small_atlas, release_dir):
    release("--date", DAY.isoformat(), "--language", "en")
    file = OpenDataReleaseFile.objects.get(name="accounts.csv")
    response = client.get("/releases/2026-07-01/en/accounts.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == file.sha256
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["ETag"] == f'"{file.sha256}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert (
        'filename="social-media-atlas-2026-07-01-en-accounts.csv"'
        in response["Content-Disposition"]
    )
    for missing in (
        "/releases/2026-07-02/en/accounts.csv",  # no such release
        "/releases/2026-07-01/nl/accounts.csv",  # not in that language
        "/releases/2026-07-01/en/impersonators.csv",  # not a release file
        "/releases/2026-13-45/en/accounts.csv",  # not a date
        "/releases/2026-07-01/en/..%2Fsecret",
    ):
        assert client.get(missing).status_code == 404, missing
    (release_dir / file.path).unlink()  # the storage lost it: not found, no server error
    assert client.get("/releases/2026-07-01/en/accounts.csv").status_code == 404


@pytest.mark.django_db
def test_a_release_file_costs_one_query(
    client, small_atlas, release_dir, django_assert_num_queries
):
    release("--date", DAY.isoformat(), "--language", "en")
    with django_assert_num_queries(1):
        response = client.get("/releases/2026-07-01/en/posts.geojson")
        assert response.status_code == 200


@pytest.fixture
def consent_withdrawn(small_atlas):
    """A person's own account, listed while consent stood, then withdrawn."""
    employee = make_person(
        "Anna Withdrawn",
        role=Person.Role.EMPLOYEE,
        post=small_atlas.tokyo,
        consent_given_at=date(2026, 1, 5),
    )
    make_account("https://x.com/AnnaWithdrawnNL", person=employee)
    employee.consent_withdrawn_at = date(2026, 2, 1)
    withdraw(employee)
    return "AnnaWithdrawnNL"


@pytest.mark.django_db
def test_a_release_holds_only_public_content(small_atlas, release_dir, consent_withdrawn):
    moderated = make_account("https://x.com/InModerationNL", post=small_atlas.tokyo)
    moderated.save_revision()
    SocialAccount.objects.filter(pk=moderated.pk).update(live=False)
    release("--date", DAY.isoformat())
    hidden = [*HIDDEN_TEXTS, "InModerationNL", consent_withdrawn]
    files = OpenDataReleaseFile.objects.all()
    assert files.count() == 2 * len(FILES)
    for file in files:
        text = stored_bytes(file).decode("utf-8-sig")
        for secret in hidden:
            assert secret not in text, f"{file} shows {secret}"
    public = stored_bytes(files.get(release__language="nl", name="accounts.csv"))
    assert b"NLinJapan" in public  # the check can fail: public accounts are there


@pytest.mark.django_db
def test_monthly_releases_once_a_month_from_its_day(small_atlas, release_dir, settings):
    settings.ATLAS_RELEASE_DAY = 3
    with time_machine.travel("2026-08-02 12:00 +00:00", tick=False):
        assert "No release due in 2026-08." in release("--monthly")
        assert not OpenDataRelease.objects.exists()
    with time_machine.travel("2026-08-03 12:00 +00:00", tick=False):
        release("--monthly")
    assert sorted(OpenDataRelease.objects.values_list("date", "language")) == [
        (date(2026, 8, 3), "en"),
        (date(2026, 8, 3), "nl"),
    ]
    with time_machine.travel("2026-08-20 12:00 +00:00", tick=False):
        assert "No release due" in release("--monthly")
    with time_machine.travel("2026-09-03 12:00 +00:00", tick=False):
        release("--monthly")
    assert OpenDataRelease.objects.filter(date=date(2026, 9, 3)).count() == 2


@pytest.mark.django_db
def test_the_scheduler_looks_for_the_monthly_release(monkeypatch):
    from atlas_pages.management.commands import run_scheduled_publishing

    called = []
    monkeypatch.setattr(
        run_scheduled_publishing,
        "call_command",
        lambda name, **options: called.append((name, options.get("monthly"))),
    )
    call_command(
        "run_scheduled_publishing",
        interval=0,
        runs=3,
        activity_interval=0,
        site_links_interval=0,
        identity_interval=0,
        reminder_interval=0,
        release_interval=3600,
        stdout=StringIO(),
    )
    assert called.count(("release_open_data", True)) == 1
    assert called.count(("publish_scheduled", None)) == 3
