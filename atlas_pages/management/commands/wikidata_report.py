"""Compare Wikidata's account claims of the atlas's items with the atlas: leads, stale claims
and a QuickStatements batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from atlas_pages.outbound import wikidata
from atlas_pages.publication import public_atlas
from atlas_pages.publication import wikidata as wikidata_report


class Command(BaseCommand):
    help = (
        "Read the account claims (X P2002, Facebook P2013, Instagram P2003, YouTube P2397, "
        "LinkedIn P4264, Mastodon P4033, Bluesky P12361) of every post and person with a "
        "Wikidata id from ATLAS_WIKIDATA_SPARQL_URL; file each profile the atlas lacks as a "
        "lead (Reports › Leads; a rejected lead never returns); list the claims of accounts "
        "the published atlas says are closed or renamed, or that differ from its account; "
        "and write the QuickStatements batch that corrects Wikidata with the atlas's public "
        "pages as the reference (--quickstatements FILE; also Reports › Wikidata report)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quickstatements",
            metavar="FILE",
            help="Write the QuickStatements (v1) batch to FILE ('-': standard output).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = wikidata.fetch_claims()
        except wikidata.EndpointError as error:
            raise CommandError(f"Wikidata: {error}") from error
        report = wikidata_report.report(public_atlas.public_atlas(), timezone.localdate())
        if options["verbosity"]:
            self.stdout.write(f"Wikidata: {summary}.")
            for item in report.stale:
                claim = item.claim
                self.stdout.write(
                    f"Stale ({item.reason}): {claim.qid} {claim.pid} {claim.value!r} "
                    f"({item.subject})" + (f", now at {item.now_at}" if item.now_at else "")
                )
        target = options["quickstatements"]
        if target == "-":
            self.stdout.write(report.quickstatements, ending="")
        elif target:
            try:
                Path(target).write_text(report.quickstatements, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{target}: {error.strerror}") from error
            if options["verbosity"]:
                lines = report.quickstatements.count("\n")
                self.stdout.write(f"QuickStatements: {lines} lines written to {target}.")
