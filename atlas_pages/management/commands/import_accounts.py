"""manage.py import_accounts FILE: accounts from a CSV or XLSX file
(atlas_pages.editorial.importer)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from atlas_pages.editorial import importer
from atlas_pages.management.commands.generate_atlas import _Progress


class Command(BaseCommand):
    help = (
        "Import social-media accounts from a CSV or XLSX file, one row per account with the "
        f"columns {', '.join(importer.COLUMNS)} (see atlas_pages/editorial/importer.py). "
        "Every row is "
        "checked first and each problem reported with its line; then all rows are written in "
        "one transaction, or none. Rows already in the atlas with the same owner are skipped, "
        "so a second run changes nothing. New accounts are drafts unless --publish."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file only; write nothing."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the new accounts at once."
        )
        parser.add_argument("--user", help="Username recorded as the author of the revisions.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(
        self,
        file: str,
        dry_run: bool,
        publish: bool,
        user: str | None,
        no_progress: bool,
        **options: Any,
    ) -> None:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        author = None
        if user:
            author = get_user_model().objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"No user named {user}.")

        def progress(items: Iterable, description: str, total: int) -> Iterable:
            if no_progress:
                return items
            return tqdm(items, desc=description, total=total, file=_Progress(self.stderr))

        try:
            report = importer.import_file(
                path.name, data, user=author, dry_run=dry_run, publish=publish, progress=progress
            )
        except importer.ImportFileError as error:
            raise CommandError(str(error)) from None
        for error in report.errors:
            self.stdout.write(f"line {error.line}: {error.message}")
        summary = (
            f"{report.rows} rows: {len(report.new)} new, {len(report.unchanged)} already in the "
            f"atlas, {len(report.errors)} errors."
        )
        if not report.ok:
            raise CommandError(f"{summary} Nothing was imported.")
        if report.applied:
            state = "published" if report.published else "drafts"
            self.stdout.write(f"{summary} Imported {len(report.new)} accounts ({state}).")
        else:
            self.stdout.write(f"{summary} Dry run: nothing was written.")
