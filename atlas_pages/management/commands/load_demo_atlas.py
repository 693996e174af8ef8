"""manage.py load_demo_atlas: the demo data set (see atlas_pages.demo)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from wagtail.models import Locale

from atlas_pages.demo import SMALL, load_demo_atlas
from atlas_pages.models import CountryPage, Person, PostPage, SocialAccount
from atlas_pages.publication import generation


class Command(BaseCommand):
    help = (
        "Load the demo atlas: a published, invented network of a Dutch foreign ministry "
        "(countries, posts, people and their social-media accounts) under the default site, "
        "its pages in Dutch and English. "
        "Idempotent: what exists already is kept, only what is missing is created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        size = parser.add_mutually_exclusive_group()
        size.add_argument(
            "--small",
            action="store_true",
            help=f"Only the first {SMALL} countries (the home country included), for tests.",
        )
        size.add_argument("--countries", type=int, metavar="N", help="Only the first N countries.")

    def handle(
        self, *args: Any, small: bool = False, countries: int | None = None, **options: Any
    ) -> None:
        started = time.monotonic()
        created = load_demo_atlas(countries=SMALL if small else countries)
        generation.bump()  # bulk-created people and accounts send no publish signal
        pages = ", ".join(
            f"{locale.language_code}: {CountryPage.objects.filter(locale=locale).count()} "
            f"countries and {PostPage.objects.filter(locale=locale).count()} posts"
            for locale in Locale.objects.order_by("pk")
        )
        self.stdout.write(
            "Demo atlas ({pages}), {people} people, {accounts} accounts "
            "(added: {new}) in {seconds:.1f} s.".format(
                pages=pages,
                people=Person.objects.filter(locale=Locale.get_default()).count(),
                accounts=SocialAccount.objects.count(),
                new=", ".join(f"{count} {name}" for name, count in created.items()) or "none",
                seconds=time.monotonic() - started,
            )
        )
