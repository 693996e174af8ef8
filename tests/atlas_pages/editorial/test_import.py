"""Bulk import of accounts (atlas_pages.editorial.importer): the command and the admin view."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from atlas_pages.editorial import importer
from atlas_pages.models import SocialAccount
from atlas_pages.publication import public_atlas
from tests import factories

HEADER = "platform,url,handle,post,person,language,display_name,note\n"


@pytest.fixture
def owners(tokyo):
    person = factories.make_person(name="Jane Example", post=tokyo)
    return tokyo, person


def valid_csv(tokyo, person):
    return (
        HEADER
        + f"twitter,https://x.com/NLinJapan,,{tokyo.pk},,ja,Embassy in Tokyo,\n"
        + f",https://www.facebook.com/NLinJapan/,,JP/{tokyo.slug},,,,from the list\n"
        + f"x (twitter),twitter.com/JaneInJapan,,,{person.pk},en,Jane,\n"
    )


def run(tmp_path, content, name="accounts.csv", *args):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = io.StringIO()
    try:
        call_command("import_accounts", str(path), "--no-progress", *args, stdout=out)
    except CommandError as error:
        raise CommandError(f"{error}\n{out.getvalue()}") from None
    return out.getvalue()


def failure(tmp_path, content, name="accounts.csv"):
    with pytest.raises(CommandError) as raised:
        run(tmp_path, content, name)
    return str(raised.value)


def test_valid_file_imports_drafts_with_a_revision_and_history(tmp_path, owners):
    tokyo, person = owners
    output = run(tmp_path, valid_csv(tokyo, person))
    assert (
        "3 rows: 3 new, 0 already in the atlas, 0 errors. Imported 3 accounts (drafts)." in output
    )
    accounts = {account.normalized_url: account for account in SocialAccount.objects.all()}
    assert set(accounts) == {"x.com/nlinjapan", "facebook.com/nlinjapan", "x.com/janeinjapan"}
    embassy = accounts["x.com/nlinjapan"]
    assert (embassy.handle, embassy.language, embassy.display_name) == (
        "NLinJapan",
        "ja",
        "Embassy in Tokyo",
    )
    assert accounts["facebook.com/nlinjapan"].post_id == tokyo.pk
    assert accounts["facebook.com/nlinjapan"].note == "from the list"
    assert accounts["x.com/janeinjapan"].person_id == person.pk
    for account in accounts.values():
        assert not account.live and account.has_unpublished_changes
        assert account.latest_revision.content["url"] == account.url
        assert account.status_string == "draft"
    assert (
        Revision.objects.filter(object_id__in=[str(a.pk) for a in accounts.values()]).count() == 3
    )
    assert ModelLogEntry.objects.filter(action="wagtail.create").count() == 3
    assert public_atlas.load().accounts == []  # drafts: nothing public

    # Importing the same file again changes nothing.
    output = run(tmp_path, valid_csv(tokyo, person))
    assert "3 rows: 0 new, 3 already in the atlas, 0 errors." in output
    assert SocialAccount.objects.count() == 3
    assert Revision.objects.count() == 3


def test_publish_at_once(tmp_path, owners):
    tokyo, person = owners
    run(tmp_path, valid_csv(tokyo, person), "accounts.csv", "--publish")
    assert {account.handle for account in public_atlas.load().accounts} == {
        "NLinJapan",
        "JaneInJapan",
    }
    assert len(public_atlas.load().accounts) == 3
    assert all(account.live_revision_id for account in SocialAccount.objects.all())


def test_every_problem_is_reported_per_line_and_nothing_is_written(tmp_path, owners):
    tokyo, person = owners
    factories.make_account("https://x.com/Taken", person=person)
    content = (
        HEADER
        + f"twitter,https://x.com/Good,,{tokyo.pk},,,,\n"  # 2: valid, but the file is not
        + f"myspace,https://myspace.com/a,,{tokyo.pk},,,,\n"  # 3
        + "twitter,https://x.com/NoPost,,99999,,,,\n"  # 4
        + f"twitter,not a url,,{tokyo.pk},,,,\n"  # 5
        + f"twitter,https://www.facebook.com/Wrong,,{tokyo.pk},,,,\n"  # 6
        + f"twitter,https://x.com/good/,,{tokyo.pk},,,,\n"  # 7: line 2 again
        + f"twitter,https://x.com/Taken,,{tokyo.pk},,,,\n"  # 8: registered to another owner
        + f"twitter,https://x.com/Both,,{tokyo.pk},{person.pk},,,\n"  # 9
        + f'twitter,https://x.com/Formula,,{tokyo.pk},,,"=HYPERLINK(""x"")",\n'  # 10
        + f"twitter,https://x.com/Lang,,{tokyo.pk},,not a tag,,\n"  # 11
        + "twitter,https://x.com/NoPerson,,,12345,,,\n"  # 12
    )
    message = failure(tmp_path, content)
    assert "11 rows: 1 new, 0 already in the atlas, 10 errors. Nothing was imported." in message
    assert SocialAccount.objects.count() == 1
    path = tmp_path / "accounts.csv"
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_accounts", str(path), "--no-progress", stdout=out)
    lines = out.getvalue()
    for expected in (
        "line 3: Unknown platform “myspace”",
        "line 4: Unknown post “99999”",
        "line 5: url: This is not a valid web address: a profile URL looks like",
        "line 6: url: This is a profile on Facebook, not on X (Twitter):",
        "line 7: The same profile as line 2.",
        "line 8: This profile is already registered: X (Twitter): Taken, of Jane Example (live).",
        "line 9: post: Choose exactly one owner: a post or a person",
        "line 10: The display_name cell holds a formula: import values only.",
        "line 11: language: “not a tag” is not a BCP 47 language tag",
        "line 12: Unknown person “12345”",
    ):
        assert expected in lines


def test_a_failure_while_writing_leaves_nothing(tmp_path, owners, monkeypatch):
    tokyo, person = owners

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "write_first_revisions", broken)
    with pytest.raises(RuntimeError):
        run(tmp_path, valid_csv(tokyo, person))
    assert SocialAccount.objects.count() == 0


def test_dry_run_writes_nothing(tmp_path, owners):
    tokyo, person = owners
    output = run(tmp_path, valid_csv(tokyo, person), "accounts.csv", "--dry-run")
    assert "3 new" in output and "Dry run: nothing was written." in output
    assert SocialAccount.objects.count() == 0


@pytest.mark.parametrize(
    ("encode", "city"),
    [
        pytest.param(lambda text: text.encode("utf-8"), "Tōkyō", id="utf-8"),
        pytest.param(lambda text: text.encode("utf-8-sig"), "Tōkyō", id="utf-8 with BOM"),
        pytest.param(
            lambda text: text.replace(",", ";").encode("cp1252"), "Tokio", id="Excel cp1252 ;"
        ),
        pytest.param(
            lambda text: text.replace(",", ";").encode("utf-8-sig"), "Tōkyō", id="Excel UTF-8 ;"
        ),
        pytest.param(
            lambda text: text.replace(",", "\t").encode("utf-16"), "Tōkyō", id="Excel UTF-16"
        ),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), "Tōkyō", id="CRLF"),
    ],
)
def test_encodings(tmp_path, owners, encode, city):
    tokyo, person = owners
    text = HEADER + f"twitter,https://x.com/NLinJapan,,{tokyo.pk},,nl,Ambassade in {city} é,\n"
    run(tmp_path, encode(text))
    assert SocialAccount.objects.get().display_name == f"Ambassade in {city} é"


def test_undecodable_and_wrong_files(tmp_path, owners, monkeypatch):
    assert "encoding" in failure(tmp_path, HEADER.encode() + b"twitter,\x81\x8d\xff,,,,,,\n")
    assert "Only CSV and XLSX" in failure(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00", "map.png")
    assert "old Excel file (.xls)" in failure(tmp_path, b"\xd0\xcf\x11\xe0" + b"\x00" * 50, "a.xls")
    assert "Only CSV and XLSX" in failure(tmp_path, b"PK\x03\x04rest", "archive.zip")
    assert "cannot be read" in failure(tmp_path, b"PK\x03\x04rest", "broken.xlsx")
    assert "empty" in failure(tmp_path, b"")
    assert "missing columns: post, person" in failure(tmp_path, "platform,url,displayname\n")
    assert "unknown columns: displayname" in failure(tmp_path, "platform,url,displayname\n")
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 100)
    assert "too large" in failure(tmp_path, HEADER + "x" * 200)


def xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx(tmp_path, owners):
    tokyo, person = owners
    english = factories.translate(tokyo, title="Embassy in Tokyo")
    header = HEADER.strip().split(",")
    header[6] = "Display Name"  # header names are forgiving
    content = xlsx(
        [
            header,
            ["twitter", "https://x.com/NLinJapan", None, tokyo.pk, None, "ja", "Ambassade", None],
            [None, None, None, None, None, None, None, None],  # empty rows are skipped
            [
                "X (Twitter)",
                "https://x.com/Other",
                None,
                float(english.pk),
                None,
                None,
                "Tōkyō",
                None,
            ],
        ]
    )
    output = run(tmp_path, content, "accounts.xlsx")
    assert "2 rows: 2 new" in output
    # An English page id names the post: the account hangs on the post in the default language.
    assert set(SocialAccount.objects.values_list("post_id", flat=True)) == {tokyo.pk}
    assert SocialAccount.objects.get(handle="Other").display_name == "Tōkyō"

    formula = xlsx([header, ["twitter", '=CONCAT("https://x.com/","A")', None, tokyo.pk]])
    message = failure(tmp_path, formula, "formula.xlsx")
    assert "1 errors" in message and "line 2: The url cell holds a formula" in message


# The admin view --------------------------------------------------------------------------------


def upload(client, content, name="accounts.csv", **fields):
    file = SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)
    return client.post(reverse("import_accounts"), {"file": file, **fields})


@pytest.fixture
def editor(client, db):
    user = factories.make_user("editor", Group.objects.get(name="Press editors"))
    client.force_login(user)
    return user


def test_editor_checks_then_imports_drafts(client, editor, owners):
    tokyo, person = owners
    page = client.get(reverse("import_accounts"))
    assert page.status_code == 200
    assert b'name="publish"' not in page.content  # editors cannot publish
    checked = upload(client, valid_csv(tokyo, person), check="")
    assert b"data-import-checked" in checked.content
    assert SocialAccount.objects.count() == 0
    done = upload(client, valid_csv(tokyo, person), publish="on", **{"import": ""})
    assert b"data-import-done" in done.content
    assert SocialAccount.objects.filter(live=False).count() == 3
    assert Revision.objects.filter(user=editor).count() == 3


def test_moderator_may_publish_at_once(client, owners):
    tokyo, person = owners
    moderator = factories.make_user("moderator", Group.objects.get(name="Press moderators"))
    client.force_login(moderator)
    assert b'name="publish"' in client.get(reverse("import_accounts")).content
    upload(client, valid_csv(tokyo, person), publish="on", **{"import": ""})
    assert SocialAccount.objects.filter(live=True).count() == 3


def test_errors_in_the_admin_in_dutch(client, owners):
    tokyo, person = owners
    user = factories.make_user("redacteur", Group.objects.get(name="Press editors"), language="nl")
    client.force_login(user)
    response = upload(client, HEADER + "myspace,https://myspace.com/a,,,,,,\n", **{"import": ""})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Onbekend platform „myspace”" in text
    assert "niets geïmporteerd" in text
    response = upload(client, b"\x89PNG\x00", "kaart.png", **{"import": ""})
    assert "Alleen CSV- en XLSX-bestanden" in response.content.decode()


def test_no_permission_no_import(client, db):
    client.force_login(factories.make_user("reader", is_staff=True))
    assert client.get(reverse("import_accounts")).status_code in (302, 403)


def test_admin_refuses_a_file_too_large(client, editor, owners, monkeypatch):
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 100)
    response = upload(client, HEADER + "x" * 200, check="")
    assert response.status_code == 422
    assert b"data-import-error" in response.content and b"too large" in response.content


def test_a_country_editor_imports_only_for_the_country_s_posts_and_people(client, owners, tmp_path):
    """The rights matrix's "import": per row, the post or person must be within reach."""
    tokyo, person = owners
    canada = factories.make_country(tokyo.get_parent().get_parent(), "CA", title="Canada")
    ottawa = factories.make_post(canada, "Embassy in Ottawa", city="Ottawa")
    call_command("setup_country_editors", stdout=io.StringIO())
    client.force_login(
        factories.make_user("japan", Group.objects.get(name="Press editors – Japan"))
    )
    other = HEADER + f"twitter,https://x.com/NLinCanada,,{ottawa.pk},,,,\n"
    refused = upload(client, valid_csv(tokyo, person) + other.removeprefix(HEADER), check="")
    assert refused.status_code == 422
    assert f"You may not add accounts for the post “{ottawa.pk}”".encode() in refused.content
    done = upload(client, valid_csv(tokyo, person), **{"import": ""})
    assert b"data-import-done" in done.content
    assert SocialAccount.objects.count() == 3


def test_imported_accounts_say_whom_they_speak_for_and_their_form(tmp_path, owners):
    tokyo, person = owners  # an ambassador: her account speaks for the office
    employee = factories.make_person(name="Piet", role="employee", post=tokyo)
    rows = (
        f"linkedin,https://www.linkedin.com/groups/12345/,,{tokyo.pk},,,Alumni,\n"
        f"twitter,https://x.com/PietInJapan,,,{employee.pk},,,\n"
        f"twitter,https://x.com/JaneInJapan,,,{person.pk},,,\n"
    )
    run(tmp_path, HEADER + rows)
    found = {a.handle: (a.speaks_for, a.form) for a in SocialAccount.objects.all()}
    assert found["PietInJapan"] == ("person", "profile")
    assert found["JaneInJapan"] == ("office", "profile")
    assert [
        value for handle, value in found.items() if handle not in ("PietInJapan", "JaneInJapan")
    ] == [("office", "group")]


def test_rows_are_checked_by_the_model_s_own_validation(tmp_path, owners):
    """Each row's account is validated by SocialAccount's own rules; the messages name the
    column, and a URL typed without its scheme is stored with https://."""
    tokyo, person = owners
    rows = (
        f"twitter,https://x.com/Long,{'h' * 201},{tokyo.pk},,,,\n"  # 2
        f"twitter,https://x.com/,,{tokyo.pk},,,,\n"  # 3: the platform's home, no profile
        f"twitter,,,{tokyo.pk},,,,\n"  # 4
        "twitter,https://x.com/NoOwner,,,,,,\n"  # 5
    )
    message = failure(tmp_path, HEADER + rows)
    assert "4 rows: 0 new, 0 already in the atlas, 4 errors." in message
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_accounts", str(tmp_path / "accounts.csv"), "--no-progress", stdout=out)
    lines = out.getvalue()
    assert "line 2: handle: Ensure this value has at most 200 characters" in lines
    # The platform's own address is no profile: said before the model's "no handle".
    assert "line 3: This is the address of X (Twitter) itself, not of a profile" in lines
    assert "line 4: url: This field cannot be blank." in lines
    assert "line 5: post: Choose exactly one owner" in lines

    run(tmp_path, HEADER + f"twitter,x.com/NLinJapan,,{tokyo.pk},,,,\n")
    assert SocialAccount.objects.get().url == "https://x.com/NLinJapan"
