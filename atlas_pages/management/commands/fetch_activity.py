"""Read the latest posts and follower counts of the accounts from their platforms' open sources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from atlas_pages.outbound import activity


class Command(BaseCommand):
    help = (
        "Read each live account's latest posts and follower count from its platform's open "
        "source (Platform.activity_source: Mastodon, Bluesky, YouTube or RSS/Atom feeds), "
        "personal accounts only while consent stands, and store them as plain text. One "
        "failing account never stops the run; the summary counts failures by reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar (e.g. under cron)."
        )

    def handle(self, *args: Any, no_progress: bool, **options: Any) -> None:
        bar = None

        def progress(total: int) -> Callable[[], Any]:
            nonlocal bar
            bar = tqdm(
                total=total,
                unit="account",
                file=self.stderr,
                disable=no_progress or options["verbosity"] == 0,
            )
            return bar.update

        try:
            summary = activity.fetch_all(progress)
        finally:
            if bar is not None:
                bar.close()
        if options["verbosity"]:
            self.stdout.write(f"Activity: {summary}.")
