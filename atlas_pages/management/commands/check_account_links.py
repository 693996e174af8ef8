"""manage.py check_account_links: the link health of every published account."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atlas_pages.models import LinkCheck
from atlas_pages.outbound import linkcheck


def positive(value: str) -> float:
    number = float(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Check every published account's profile URL over HTTP (timeouts, redirects followed "
        "and recorded, one request at a time per host, a polite interval) and store the latest "
        "result per account for the admin. Idempotent: each run replaces the earlier results. "
        "Defaults come from the ATLAS_LINK_CHECK_* settings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=positive, help="Seconds to wait for an answer.")
        parser.add_argument("--concurrency", type=int, help="Hosts checked at the same time.")
        parser.add_argument(
            "--interval", type=positive, help="Seconds between two requests to one host."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["concurrency"] is not None and options["concurrency"] < 1:
            raise CommandError("--concurrency must be at least 1.")
        settings = linkcheck.Options.from_settings(
            timeout=options["timeout"],
            concurrency=options["concurrency"],
            host_interval=options["interval"],
        )
        accounts = linkcheck.published_accounts()
        outcomes: Counter[str] = Counter()
        for results in linkcheck.check_all(accounts, settings):
            linkcheck.store(results)
            for result in LinkCheck.objects.filter(
                pk__in=[result.account_id for result in results]
            ).select_related("account__platform"):
                outcomes[result.outcome.label] += 1
        summary = ", ".join(f"{label}: {count}" for label, count in sorted(outcomes.items()))
        self.stdout.write(f"{len(accounts)} accounts checked. {summary}".rstrip(". "))
