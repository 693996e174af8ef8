"""Wagtail's scheduled publishing, run every minute for as long as the process lives."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run `publish_scheduled` every --interval seconds (default 60), so scheduled go-live "
        "and expiry happen on time; `make serve` starts it beside the web server. Under cron "
        "or a systemd timer, run `publish_scheduled` itself every minute instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--runs", type=int, default=0, help="Stop after N runs (0: never).")

    def handle(self, *args, interval, runs, **options):
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
