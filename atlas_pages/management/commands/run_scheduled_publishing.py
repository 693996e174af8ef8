"""Wagtail's scheduled publishing, run every minute for as long as the process lives; and the
accounts' activity (fetch_activity) every ATLAS_ACTIVITY_INTERVAL seconds beside it."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = (
        "Run `publish_scheduled` every --interval seconds (default 60), so scheduled go-live "
        "and expiry happen on time; `make serve` starts it beside the web server. Under cron "
        "or a systemd timer, run `publish_scheduled` itself every minute instead. Also runs "
        "`fetch_activity` every --activity-interval seconds (ATLAS_ACTIVITY_INTERVAL; 0: "
        "never), in a thread of its own so that publishing stays on time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--runs", type=int, default=0, help="Stop after N runs (0: never).")
        parser.add_argument("--activity-interval", type=float, default=None)

    def handle(
        self,
        *args: Any,
        interval: float,
        runs: int,
        activity_interval: float | None,
        **options: Any,
    ) -> None:
        if activity_interval is None:
            activity_interval = settings.ATLAS_ACTIVITY_INTERVAL
        done = 0
        fetcher: threading.Thread | None = None
        fetched_at = None
        while True:
            started = time.monotonic()
            due = fetched_at is None or started - fetched_at >= activity_interval
            if activity_interval > 0 and due and not (fetcher and fetcher.is_alive()):
                fetched_at = started
                fetcher = threading.Thread(target=self.fetch_activity, daemon=True)
                fetcher.start()
            try:
                call_command("publish_scheduled", verbosity=options["verbosity"])
            except Exception as error:  # one failed run (a database restart) must not stop it
                self.stderr.write(f"publish_scheduled failed: {error}")
            done += 1
            if runs and done >= runs:
                if fetcher:
                    fetcher.join()
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))

    def fetch_activity(self) -> None:
        try:
            call_command("fetch_activity", no_progress=True)
        except Exception as error:  # an unreachable database: the next interval tries again
            self.stderr.write(f"fetch_activity failed: {error}")
        finally:
            connection.close()  # this thread's own connection
