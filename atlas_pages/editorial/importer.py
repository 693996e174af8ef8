"""Bulk import of social-media accounts from a spreadsheet (CSV or XLSX), for the
``import_accounts`` command and the admin's import view.

One row per account, with the columns of ``COLUMNS`` (header names case-insensitive; spaces and
hyphens count as underscores). The owner is a post or a person:

- ``post``: the id of a post page (in any language; the account hangs on the post, shown in
  every language), or ``CC/slug``: the country's ISO code and the slug of the post's page in
  the default language, e.g. ``JP/ambassade-in-tokio``;
- ``person``: the id of a person (the default-language row: the id in the admin's URL).

The whole file is validated before anything is written and every problem is reported with its
line; then all rows are written in one transaction, or none. A row whose profile is already in
the atlas with the same owner is skipped, so importing a file again changes nothing. Imported
accounts are drafts, with a first revision and a history entry as the admin gives; with
``publish`` (the publish permission) they are published at once.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale
from wagtail.search.backends import get_search_backends

from atlas_pages.editorial import rights
from atlas_pages.editorial.revisions import write_first_revisions
from atlas_pages.models import Person, Platform, PostPage, SocialAccount
from atlas_pages.publication import generation
from atlas_pages.rules import pasted, profile_urls

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

#: The columns of an import file, in the order of the template.
COLUMNS = ("platform", "url", "handle", "post", "person", "language", "display_name", "note")
#: Columns every file must have (their cells may be empty where the rules allow).
REQUIRED_COLUMNS = ("platform", "url", "post", "person")
#: The largest file accepted, in bytes, and the most rows.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
#: Objects per insert, revision and index batch.
BATCH = 1000
#: How a CSV file's bytes may be encoded: Excel writes UTF-8 with a BOM ("CSV UTF-8"),
#: UTF-16 ("Unicode text") or, in Western Europe, Windows-1252 ("CSV").
CSV_ENCODINGS = ("utf-8", "cp1252")
_XLS = b"\xd0\xcf\x11\xe0"
_ZIP = b"PK\x03\x04"

#: A progress reporter: wraps an iterable of `total` items under a description.
Progress = Callable[[Iterable, str, int], Iterable]


def _no_progress(items: Iterable, description: str, total: int) -> Iterable:
    return items


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (its type, size, encoding or columns)."""


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportReport:
    """What an import found (and did): per-row errors, new accounts, rows already there."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: Validated new accounts (unsaved in a dry run or when there are errors).
    new: list[SocialAccount] = field(default_factory=list)
    #: Lines whose profile is already in the atlas with the same owner.
    unchanged: list[int] = field(default_factory=list)
    applied: bool = False
    published: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


# Reading the file -----------------------------------------------------------------------------


def check_size(size: int) -> None:
    """ImportFileError for a file larger than MAX_FILE_BYTES."""
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)s MB); the most is %(most)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "most": MAX_FILE_BYTES // 1024 // 1024}
        )


def read_rows(name: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's rows as (line, {column: text}), empty rows left out; ImportFileError when
    the file is not a CSV or XLSX file we can read, too large, or its columns are wrong."""
    check_size(len(data))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(_XLS):
        raise ImportFileError(
            _("This is an old Excel file (.xls): save it as .xlsx or as CSV UTF-8.")
        )
    if data.startswith(_ZIP):
        if not name.lower().endswith((".xlsx", ".xlsm")):
            raise ImportFileError(_("Only CSV and XLSX files can be imported."))
        table = _xlsx_table(data)
    else:
        if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportFileError(_("Only CSV and XLSX files can be imported."))
        table = _csv_table(data)
    return _rows_by_column(table)


def _xlsx_table(data: bytes) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # only when importing a workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        message = _("The XLSX file cannot be read: %(error)s") % {"error": error}
        raise ImportFileError(message) from None
    try:
        sheet = workbook.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as a number
    return str(value)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("The file's text encoding is not UTF-8 or Windows-1252: save it as “CSV UTF-8”.")
    )


def _csv_table(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not valid UTF-8: save it as “CSV UTF-8”.")) from None
    header = text.split("\n", 1)[0]
    # Excel writes ";" where the decimal separator is a comma (Dutch settings), tabs as text.
    delimiter = max((";", ",", "\t"), key=header.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            yield reader.line_num, values
    except csv.Error as error:
        raise ImportFileError(
            _("Line %(line)s is not valid CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None


def _column_name(text: str) -> str:
    return text.strip().lower().replace(" ", "_").replace("-", "_")


def _rows_by_column(table: Iterator[tuple[int, list[str]]]) -> list[tuple[int, dict[str, str]]]:
    header = next((values for _line, values in table if any(v.strip() for v in values)), [])
    names = [_column_name(value) for value in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    unknown = [
        value for value, name in zip(header, names, strict=True) if name and name not in COLUMNS
    ]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
        raise ImportFileError(
            _("The first row must name the columns (%(columns)s); %(problems)s.")
            % {"columns": ", ".join(COLUMNS), "problems": "; ".join(problems)}
        )
    if len(set(names) - {""}) != len([name for name in names if name]):
        raise ImportFileError(_("A column is named twice in the first row."))
    rows = []
    for line, values in table:
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_("The file has more than %(most)s rows.") % {"most": MAX_ROWS})
        row = {name: "" for name in COLUMNS}
        for name, value in zip(names, values, strict=False):
            if name:
                row[name] = value.strip()
        if len(values) > len(names) and any(value.strip() for value in values[len(names) :]):
            row["_extra"] = "x"
        rows.append((line, row))
    return rows


# Validating -----------------------------------------------------------------------------------

#: Left out of each row's field validation: the platform, post and person are looked up once for
#: all rows (_Atlas), not with a query per row, and the lookup key is derived by clean(). The
#: profiles registered already (validate_unique) are looked up at once too (_against_the_atlas).
_CHECKED_FOR_ALL_ROWS = ("platform", "post", "person", "normalized_url")


class _Atlas:
    """What rows are checked against, read once: platforms, posts, the people the rows name;
    and, for a user, the posts and people within their reach (per-country rights)."""

    def __init__(
        self, rows: list[tuple[int, dict[str, str]]], user: AbstractBaseUser | None = None
    ) -> None:
        self.posts_in_reach = self.people_in_reach = None  # None: no user, no limit
        if user is not None and not rights.edits_whole_atlas(user):
            self.posts_in_reach = set(
                rights.within_reach(PostPage.objects.all(), user, "").values_list("id", flat=True)
            )
            self.people_in_reach = set(
                rights.within_reach(Person.objects.all(), user, "post__").values_list(
                    "id", flat=True
                )
            )
        self.platforms = list(Platform.objects.all())
        self.servers = Platform.known_servers()
        self.directory = pasted.Directory.of(
            [(platform.slug, platform.name, platform.host_list) for platform in self.platforms],
            self.servers,
        )
        self.platforms_by_key = {}
        for platform in self.platforms:
            self.platforms_by_key[platform.slug.lower()] = platform
            self.platforms_by_key[platform.name.lower()] = platform
        default_locale = Locale.get_default()
        posts = list(
            PostPage.objects.values(
                "id", "slug", "translation_key", "locale_id", "country__iso_code"
            )
        )
        by_key = {
            post["translation_key"]: post
            for post in posts
            if post["locale_id"] == default_locale.pk
        }
        #: Any post page id -> the default-language page's id (or its own, if it has none).
        self.post_ids = {
            post["id"]: by_key.get(post["translation_key"], post)["id"] for post in posts
        }
        self.post_paths = {
            f"{str(post['country__iso_code'] or '').upper()}/{post['slug']}": post["id"]
            for post in by_key.values()
        }
        # The owners the rows name (the model's validation reads whom an account speaks for
        # from its person's role).
        named = {int(row["person"]) for _line, row in rows if row["person"].isdigit()}
        self.people = Person.objects.filter(locale=default_locale).in_bulk(named)

    def platform(self, text: str, url: str) -> Platform | str:
        """The platform named (slug or name), or the URL's; else an error message."""
        if text:
            found = self.platforms_by_key.get(text.lower())
            if found is None:
                return _("Unknown platform “%(name)s”; known: %(known)s.") % {
                    "name": text,
                    "known": ", ".join(platform.slug for platform in self.platforms),
                }
            return found
        found = profile_urls.platform_for_url(url, self.platforms, self.servers)
        return found or _("The URL does not tell the platform: fill in the platform column.")

    def profile_url(self, text: str, platform_text: str) -> tuple[str, str]:
        """The profile URL a url cell names (rules.pasted: a post's or a tab's URL gives its
        profile's, @name@server its URL) and why it names none ("" when it does)."""
        as_typed = "https://" + text if "://" not in text else text  # x.com/NLinJapan
        try:
            found = pasted.parse(text, self.directory)
            if found.handle:  # no address: the model's validation says what one looks like
                return as_typed, ""
            named = self.platforms_by_key.get(platform_text.lower())
            if named is not None and not found.platform:
                # The platform column says what it is: a federated server's profile, a blog.
                return named.profile_url(found.url), ""
            return found.url, ""
        except pasted.Invalid:  # the model's validation names the typo
            return as_typed, ""
        except ValueError as refused:
            return text, str(refused)

    def may_add_for_post(self, post_id: int) -> bool:
        return self.posts_in_reach is None or post_id in self.posts_in_reach

    def may_add_for_person(self, person_id: int) -> bool:
        return self.people_in_reach is None or person_id in self.people_in_reach

    def post(self, text: str) -> int | None:
        if text.isdigit():
            return self.post_ids.get(int(text))
        country, _slash, slug = text.partition("/")
        return self.post_paths.get(f"{country.strip().upper()}/{slug.strip().lower()}")

    def person(self, text: str) -> Person | None:
        return self.people.get(int(text)) if text.isdigit() else None


def validate(
    rows: list[tuple[int, dict[str, str]]],
    progress: Progress = _no_progress,
    user: AbstractBaseUser | None = None,
) -> ImportReport:
    """Every row checked against the atlas and the other rows, and (given a user) against the
    posts and people the user may add accounts for (atlas_pages.editorial.rights); nothing
    written."""
    report = ImportReport(rows=len(rows))
    atlas = _Atlas(rows, user)
    candidates: list[tuple[int, SocialAccount]] = []
    first_line_of: dict[str, int] = {}
    for line, row in progress(rows, _("checking"), len(rows)):
        account, errors = _row_account(row, atlas)
        if account.normalized_url:
            first_line = first_line_of.setdefault(account.normalized_url, line)
            if first_line != line:
                errors.append(_("The same profile as line %(line)s.") % {"line": first_line})
        if errors:
            report.errors += [RowError(line, message) for message in errors]
        else:
            candidates.append((line, account))
    _against_the_atlas(candidates, report)
    return report


def _row_account(row: dict[str, str], atlas: _Atlas) -> tuple[SocialAccount, list[str]]:
    """The row's unsaved account and what is wrong with it: what only an import can tell
    (formulas, extra cells, the platform's name, the owner's reference and the user's rights),
    then the model's own validation, field by field, of what the cells hold."""
    own: dict[str, str] = {}  # per column: the import's own error, which the model's then omit
    cells = {}
    for name in COLUMNS:
        cells[name] = "" if row[name].startswith("=") else row[name]
        if row[name].startswith("="):
            own[name] = _("The %(column)s cell holds a formula: import values only.") % {
                "column": name
            }
    url, refused = atlas.profile_url(cells["url"], cells["platform"]) if cells["url"] else ("", "")
    if refused:
        own["url"] = refused
    account = SocialAccount(
        url=url,
        handle=cells["handle"],
        display_name=cells["display_name"],
        language=cells["language"],
        note=cells["note"],
    )
    if cells["post"]:
        post_id = atlas.post(cells["post"])
        if post_id is None:
            own["post"] = _("Unknown post “%(post)s”: give its page id or COUNTRY/slug.") % {
                "post": cells["post"]
            }
        elif not atlas.may_add_for_post(post_id):
            own["post"] = _("You may not add accounts for the post “%(post)s”.") % {
                "post": cells["post"]
            }
        else:
            account.post_id = post_id
    if cells["person"]:
        person = atlas.person(cells["person"])
        if person is None:
            own["person"] = _("Unknown person “%(person)s”: give the person's id.") % {
                "person": cells["person"]
            }
        elif not atlas.may_add_for_person(person.pk):
            own["person"] = _("You may not add accounts for the person “%(person)s”.") % {
                "person": cells["person"]
            }
        else:
            account.person = person
    model_errors = _model_errors(account.clean_fields, exclude=_CHECKED_FOR_ALL_ROWS)
    if url and "url" not in model_errors and "url" not in own:
        platform = atlas.platform(cells["platform"], url)
        if isinstance(platform, str):
            own["platform"] = platform
        else:
            account.platform = platform
    model_errors.update(_model_errors(account.clean))
    errors = list(own.values())
    if row.get("_extra"):
        errors.append(_("The row has more cells than the first row has columns."))
    # The model names the owner on "post" alone: an unknown post or person says it better.
    answered = set(own) | ({"post", "person"} if {"post", "person"} & set(own) else set())
    for name, field_errors in model_errors.items():
        if name in answered:
            continue
        for error in field_errors:
            for message in error:
                errors.append(
                    message
                    if name == NON_FIELD_ERRORS
                    else _("%(column)s: %(message)s") % {"column": name, "message": message}
                )
    return account, errors


def _model_errors(
    check: Callable[..., None], **arguments: object
) -> dict[str, list[ValidationError]]:
    """The model's validation errors by field (NON_FIELD_ERRORS for the others), each a
    ValidationError with its code."""
    try:
        check(**arguments)
    except ValidationError as error:
        return error.update_error_dict({})
    return {}


def _against_the_atlas(candidates: list[tuple[int, SocialAccount]], report: ImportReport) -> None:
    """Rows whose profile is registered already: unchanged when the owner is the same (a
    re-import), else the model's error naming the existing account."""
    existing = {}
    urls = [account.normalized_url for _line, account in candidates]
    for start in range(0, len(urls), 500):
        for found in SocialAccount.objects.filter(
            normalized_url__in=urls[start : start + 500]
        ).select_related("platform", "post", "person"):
            existing[found.normalized_url] = found
    for line, account in candidates:
        found = existing.get(account.normalized_url)
        if found is None:
            report.new.append(account)
        elif (found.post_id, found.person_id) == (account.post_id, account.person_id):
            report.unchanged.append(line)
        else:
            report.errors += [
                RowError(line, message) for message in SocialAccount._duplicate_error(found)
            ]
    report.errors.sort(key=lambda error: error.line)


# Applying -------------------------------------------------------------------------------------


def apply(
    report: ImportReport,
    user: AbstractBaseUser | None = None,
    publish: bool = False,
    progress: Progress = _no_progress,
) -> None:
    """Write a valid report's new accounts, all or none: drafts with a first revision and a
    "created" history entry, or published at once (then a new publication generation)."""
    if not report.ok:
        raise ValueError("an import with errors is not applied")
    now = timezone.now()
    batches = [report.new[start : start + BATCH] for start in range(0, len(report.new), BATCH)]
    with transaction.atomic():
        for batch in progress(batches, _("importing"), len(batches)):
            # What save() derives (the lookup key, handle, form, whom it speaks for) the
            # model's clean() derived while validating: bulk_create skips save().
            for account in batch:
                account.live = publish
                account.has_unpublished_changes = not publish
                if publish:
                    account.first_published_at = account.last_published_at = now
            created = SocialAccount.objects.bulk_create(batch)
            write_first_revisions(created, user=user, publish=publish, now=now)
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(SocialAccount, created)
        if publish and report.new:
            generation.bump()
    report.applied, report.published = True, publish


def import_file(
    name: str,
    data: bytes,
    *,
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
    publish: bool = False,
    progress: Progress = _no_progress,
) -> ImportReport:
    """Read, validate and (unless a dry run or anything is wrong) apply an import file.
    Raises ImportFileError for a file that cannot be read as a whole."""
    report = validate(read_rows(name, data), progress, user)
    if report.ok and not dry_run:
        apply(report, user=user, publish=publish, progress=progress)
    return report
