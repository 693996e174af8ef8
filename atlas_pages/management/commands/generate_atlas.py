"""manage.py generate_atlas: a published atlas of any size (see atlas_pages.demo.generator)."""

from __future__ import annotations

import time
from functools import partial
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from atlas_pages.demo.countries import COUNTRIES
from atlas_pages.demo.generator import GeneratorError, Sizes, generate_atlas
from atlas_pages.publication import generation


class _Progress:
    """The command's stdout as tqdm's file: tqdm draws the bar with its own line endings."""

    def __init__(self, stdout: OutputWrapper) -> None:
        self.stdout = stdout

    def write(self, text: str) -> None:
        self.stdout.write(text, ending="")

    def flush(self) -> None:
        self.stdout.flush()


class Command(BaseCommand):
    help = (
        "Generate a published atlas of any size in Dutch and English, for load tests and "
        "benchmarks: the demo's countries and posts (plus consulates in further real cities when "
        "more posts are asked for), and invented people with personal accounts up to the number "
        "of accounts asked for. Refused when the database already holds an atlas: run it on a "
        "new database after `migrate`. The same arguments build the same atlas."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--accounts", type=int, required=True, metavar="N", help="Accounts in all."
        )
        parser.add_argument(
            "--countries",
            type=int,
            metavar="N",
            help=f"Countries, the home country first (default: all the demo's {len(COUNTRIES)}).",
        )
        parser.add_argument(
            "--posts",
            type=int,
            metavar="N",
            help="Posts, at least one per country (default: the demo's posts in those "
            "countries, or accounts/250 when more).",
        )
        parser.add_argument(
            "--people",
            type=int,
            metavar="N",
            help="People (default: the top, a head per post and enough staff for the personal "
            "accounts, about 2 each).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed of the invented data (default 1)."
        )
        parser.add_argument(
            "--no-index",
            action="store_false",
            dest="index",
            help="Do not add people and accounts to the search index (faster); "
            "`manage.py update_index` does it later.",
        )

    def handle(
        self,
        *args: Any,
        accounts: int,
        countries: int | None,
        posts: int | None,
        people: int | None,
        seed: int,
        index: bool,
        **options: Any,
    ) -> None:
        started = time.monotonic()
        progress = partial(
            tqdm, file=_Progress(self.stdout), disable=options["verbosity"] == 0, mininterval=1
        )
        sizes = Sizes(accounts=accounts, countries=countries, posts=posts, people=people)
        try:
            created = generate_atlas(sizes, seed=seed, index=index, progress=progress)
        except GeneratorError as error:
            raise CommandError(str(error)) from error
        generation.bump()  # bulk-created people and accounts send no publish signal
        if options["verbosity"]:
            self.stdout.write(
                "Generated atlas: {created} in {seconds:.1f} s.".format(
                    created=", ".join(f"{count} {name}" for name, count in created.items()),
                    seconds=time.monotonic() - started,
                )
            )
