"""Benchmark: what one publish of one account costs the processes, without a server.

In one process on DATABASE_URL (e.g. a generated atlas of 30,000 accounts) and REDIS_URL: the
atlas read and built once, then ``--publishes`` publishes of one account's display name through
Wagtail's own API, each followed by what the processes do for it:

- the reader: the first process to ask reads the new generation's rows and shares them
  (public_atlas._rows_of: the changed rows, and the groups they were in and are in now);
- a worker: another process loads the shared manifest and builds the new atlas in both
  languages from the one it built last (public_atlas._build: the changed country's group).

Median seconds of each, for an account of a typical country and one of the largest (the country
with the most accounts), with garbage collection paused as the server pauses it.

Run: DATABASE_URL=sqlite:////tmp/atlas-bench-30000.sqlite3 \
    .venv/bin/python benchmarks/publish_cost.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--publishes", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db.models import Count, F
    from django.db.models.functions import Coalesce

    from atlas_pages import models
    from atlas_pages.publication import generation
    from atlas_pages.publication import public_atlas as read_model

    for alias in settings.CACHES:
        caches[alias].clear()
    languages = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    read_model.public_atlases()
    live = models.SocialAccount.objects.filter(live=True)
    # Each country's accounts: its posts' and those of the people serving there.
    by_country = (
        live.annotate(country=Coalesce(F("post__country"), F("person__post__country")))
        .exclude(country=None)
        .values("country")
        .annotate(count=Count("id"))
        .order_by("-count", "country")
    )
    largest, typical = by_country[0], by_country[len(by_country) // 2]
    print(f"# {os.environ.get('DATABASE_URL', 'sqlite')}: {live.count()} accounts")
    for label, country in (("typical country", typical), ("largest country", largest)):
        account = live.filter(post__country=country["country"]).order_by("id").first()
        reads, builds = [], []
        for number in range(args.publishes):
            account.display_name = f"Published {number} {time.time_ns()}"
            account.save_revision().publish()
            token = generation.current()
            earlier = dict(read_model._latest)
            with read_model.collection_paused():
                started = time.perf_counter()
                read_model._rows_of(token)  # the reader
                read = time.perf_counter()
                rows = read_model._rows_of(token)  # a worker: the shared manifest
                built = {
                    language: read_model._build(language, rows, base=earlier.get(language))
                    for language in languages
                }
                done = time.perf_counter()
            read_model._latest.update(built)
            reads.append(read - started)
            builds.append(done - read)
        reader, worker = statistics.median(reads), statistics.median(builds)
        print(
            f"{label:16} ({country['count']:5} accounts)  reader {reader:6.3f} s  "
            f"worker {worker:6.3f} s  (median of {args.publishes})"
        )


if __name__ == "__main__":
    main()
