"""manage.py release_open_data: a dated release of the open data (atlas_pages/site/releases.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from atlas_pages.publication import releases as stored
from atlas_pages.site import releases


class Command(BaseCommand):
    help = (
        "Release the open data as it is now: accounts.csv, accounts.json, posts.geojson, their "
        "data package and JSON Schemas and a SHA256SUMS, per language, in the releases storage "
        "(STORAGES['releases']), listed on the data page and in the DCAT catalogue. Dated today "
        "unless --date says otherwise; a day already released is left as it was. --monthly "
        "releases only when this month has no release yet and its day ATLAS_RELEASE_DAY has "
        "come (the scheduler runs it so)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="The release's date (YYYY-MM-DD, not in the future; default: today).",
        )
        parser.add_argument(
            "--language",
            action="append",
            help="Only this content language (repeatable; default: every one).",
        )
        parser.add_argument(
            "--monthly",
            action="store_true",
            help="Release only the languages this month has no release of, from its release day.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        day = self._day(options["date"], today)
        known = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
        languages = options["language"] or known
        unknown = sorted(set(languages) - set(known))
        if unknown:
            raise CommandError(
                f"Unknown language {', '.join(unknown)}: use one of {', '.join(known)}."
            )
        if options["monthly"]:
            due = stored.languages_due(day)
            languages = [code for code in languages if code in due]
            if not languages:
                self.stdout.write(f"No release due in {day:%Y-%m}.")
                return
        for release, made in releases.release(day, languages):
            files = list(release.files.all())
            if made:
                size = sum(file.size for file in files)
                self.stdout.write(
                    f"Released {release.date} ({release.language}): {len(files)} files, "
                    f"{size} bytes."
                )
            else:
                self.stdout.write(f"{release.date} ({release.language}) was already released.")

    def _day(self, value: str | None, today: date) -> date:
        if value is None:
            return today
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--date {value!r} is not a date: use YYYY-MM-DD.") from None
        if day > today:
            raise CommandError(f"--date {day} is in the future: a release holds what is now.")
        return day
