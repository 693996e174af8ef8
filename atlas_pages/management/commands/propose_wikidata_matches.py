"""Propose Wikidata ids for the countries, posts and people that have none."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from atlas_pages.outbound import wikidata


class Command(BaseCommand):
    help = (
        "Ask Wikidata's SPARQL endpoint (ATLAS_WIKIDATA_SPARQL_URL) for candidate items of "
        "the countries (ISO code, P297), posts (embassies and consulates operated by "
        "ATLAS_WIKIDATA_OPERATORS, with country, place and coordinates) and people (name, "
        "positions held) that have no Wikidata id, score them and keep the best as proposals "
        "for an editor to confirm or reject (Reports › Wikidata matches). A rejected proposal "
        "never returns. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = wikidata.propose()
        except wikidata.EndpointError as error:
            raise CommandError(f"Wikidata: {error}") from error
        if options["verbosity"]:
            self.stdout.write(f"Wikidata matches: {summary}.")
