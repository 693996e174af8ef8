"""Wagtail's scheduled publishing, run every minute for as long as the process lives."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Run `publish_scheduled` every --interval seconds (default 60), so scheduled go-live "
        "and expiry happen on time; `make serve` starts it beside the web server. Under cron "
        "or a systemd timer, run `publish_scheduled` itself every minute instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--runs", type=int, default=0, help="Stop after N runs (0: never).")

    def handle(self, *args: Any, interval: float, runs: int, **options: Any) -> None:
        done = 0
        while True:
            started = time.monotonic()
            try:
                call_command("publish_scheduled", verbosity=options["verbosity"])
            except Exception as error:  # one failed run (a database restart) must not stop it
                self.stderr.write(f"publish_scheduled failed: {error}")
            done += 1
            if runs and done >= runs:
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
