"""Wagtail's scheduled publishing, run every minute for as long as the process lives; and the
accounts' activity (fetch_activity) every ATLAS_ACTIVITY_INTERVAL seconds beside it, and the
sweep of the posts' websites for links to their accounts (check_site_links) every
ATLAS_SITE_LINKS_INTERVAL seconds, and the accounts' identity check (check_identities) every
ATLAS_IDENTITY_INTERVAL seconds, and the review reminders (send_review_reminders) every
ATLAS_REMINDER_INTERVAL seconds, and the sweep for accounts the atlas does not list yet
(sweep_leads) every ATLAS_LEADS_INTERVAL seconds, and the monthly release of the open data
(release_open_data --monthly, looked for every ATLAS_RELEASE_INTERVAL seconds). Every run also
records the changes log (atlas_pages.publication.changes) when public content changed, so the
history (asOf in the API) is known to the minute whether or not anyone asked for changes."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser, OutputWrapper
from django.db import connection

from atlas_pages.publication import changes, generation


class PeriodicCommand:
    """A management command run every `interval` seconds (0: never) in a thread of its own,
    beside scheduled publishing: never two runs at once; a failed run waits for the next."""

    def __init__(self, name: str, interval: float, stderr: OutputWrapper, **options: Any) -> None:
        self.name = name
        self.interval = interval
        self.stderr = stderr
        self.options = options
        self.thread: threading.Thread | None = None
        self.started_at: float | None = None

    def start_if_due(self, now: float) -> None:
        due = self.started_at is None or now - self.started_at >= self.interval
        if self.interval > 0 and due and not (self.thread and self.thread.is_alive()):
            self.started_at = now
            self.thread = threading.Thread(target=self.run, daemon=True)
            self.thread.start()

    def run(self) -> None:
        try:
            call_command(self.name, verbosity=0, **self.options)
        except Exception as error:  # an unreachable database: the next interval tries again
            self.stderr.write(f"{self.name} failed: {error}")
        finally:
            connection.close()  # this thread's own connection

    def join(self) -> None:
        if self.thread:
            self.thread.join()


class Command(BaseCommand):
    help = (
        "Run `publish_scheduled` every --interval seconds (default 60), so scheduled go-live "
        "and expiry happen on time; `make serve` starts it beside the web server. Under cron "
        "or a systemd timer, run `publish_scheduled` itself every minute instead. Also runs "
        "`fetch_activity` every --activity-interval seconds (ATLAS_ACTIVITY_INTERVAL; 0: "
        "never), in a thread of its own so that publishing stays on time; likewise "
        "`check_site_links` every --site-links-interval seconds (ATLAS_SITE_LINKS_INTERVAL) and "
        "`send_review_reminders` every --reminder-interval seconds (ATLAS_REMINDER_INTERVAL); "
        "and `release_open_data --monthly` every --release-interval seconds "
        "(ATLAS_RELEASE_INTERVAL): the month's release of the open data once it is due. Every run "
        "records the changes log when public content changed (the API's asOf history)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--runs", type=int, default=0, help="Stop after N runs (0: never).")
        parser.add_argument("--activity-interval", type=float, default=None)
        parser.add_argument(
            "--site-links-interval",
            type=float,
            default=None,
            help="Seconds between two check_site_links runs (ATLAS_SITE_LINKS_INTERVAL; 0: never).",
        )
        parser.add_argument(
            "--leads-interval",
            type=float,
            default=None,
            help="Seconds between two sweep_leads runs (ATLAS_LEADS_INTERVAL; 0: never).",
        )
        parser.add_argument(
            "--identity-interval",
            type=float,
            default=None,
            help="Seconds between two check_identities runs (ATLAS_IDENTITY_INTERVAL; 0: never).",
        )
        parser.add_argument(
            "--reminder-interval",
            type=float,
            default=None,
            help=(
                "Seconds between two send_review_reminders runs (ATLAS_REMINDER_INTERVAL; "
                "0: never)."
            ),
        )
        parser.add_argument(
            "--release-interval",
            type=float,
            default=None,
            help=(
                "Seconds between two looks whether the month's open-data release is due "
                "(release_open_data --monthly; ATLAS_RELEASE_INTERVAL; 0: never)."
            ),
        )

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
        site_links_interval = options.get("site_links_interval")
        site_links = PeriodicCommand(
            "check_site_links",
            settings.ATLAS_SITE_LINKS_INTERVAL
            if site_links_interval is None
            else site_links_interval,
            self.stderr,
        )
        identity_interval = options.get("identity_interval")
        identities = PeriodicCommand(
            "check_identities",
            settings.ATLAS_IDENTITY_INTERVAL if identity_interval is None else identity_interval,
            self.stderr,
        )
        reminder_interval = options.get("reminder_interval")
        reminders = PeriodicCommand(
            "send_review_reminders",
            settings.ATLAS_REMINDER_INTERVAL if reminder_interval is None else reminder_interval,
            self.stderr,
        )
        leads_interval = options.get("leads_interval")
        leads = PeriodicCommand(
            "sweep_leads",
            settings.ATLAS_LEADS_INTERVAL if leads_interval is None else leads_interval,
            self.stderr,
        )
        release_interval = options.get("release_interval")
        monthly_release = PeriodicCommand(
            "release_open_data",
            settings.ATLAS_RELEASE_INTERVAL if release_interval is None else release_interval,
            self.stderr,
            monthly=True,
        )
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
            site_links.start_if_due(started)
            identities.start_if_due(started)
            leads.start_if_due(started)
            reminders.start_if_due(started)
            monthly_release.start_if_due(started)
            try:
                # What falls due together lands together: one new generation, not one per item.
                with generation.batch():
                    call_command("publish_scheduled", verbosity=options["verbosity"])
            except Exception as error:  # one failed run (a database restart) must not stop it
                self.stderr.write(f"publish_scheduled failed: {error}")
            try:  # the history is recorded at least once a run, whoever asks for it
                changes.record_now()
            except Exception as error:
                self.stderr.write(f"Recording the changes log failed: {error}")
            done += 1
            if runs and done >= runs:
                if fetcher:
                    fetcher.join()
                site_links.join()
                identities.join()
                leads.join()
                reminders.join()
                monthly_release.join()
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))

    def fetch_activity(self) -> None:
        try:
            call_command("fetch_activity", no_progress=True)
        except Exception as error:  # an unreachable database: the next interval tries again
            self.stderr.write(f"fetch_activity failed: {error}")
        finally:
            connection.close()  # this thread's own connection
