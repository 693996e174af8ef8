"""Benchmark: answering every country page again after a publish in one country.

Run on a generated atlas, e.g.
    DATABASE_URL=sqlite:////tmp/atlas-bench-30000.sqlite3 .venv/bin/python benchmarks/kept_pages.py
In one process, on the response cache of the settings (local memory unless REDIS_URL is set):
every country page is answered once (cached), one account's display name is published (a new
publication generation), and every country page is asked for again; the time of that second
round and how many pages were rendered, once with the pages of unchanged countries kept
(cms.response_cache.kept_page) and once with every page rendered anew (the behaviour before),
alternately for --rounds rounds. The atlas is read before each second round, so the times are
those of the answers alone.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from atlas_pages.models import SocialAccount  # noqa: E402
from atlas_pages.publication import public_atlas  # noqa: E402
from cms import response_cache  # noqa: E402


def ask_all(client: Client, urls: list[str]) -> tuple[float, int]:
    """Seconds to answer every URL, and how many were rendered (not from the cache)."""
    rendered = 0
    started = time.perf_counter()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        rendered += response["X-Atlas-Cache"] == "miss"
    return time.perf_counter() - started, rendered


def never_kept(*args: object, **kwargs: object) -> None:
    """kept_page as if no page were kept: every page rendered anew."""
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--language", default=settings.LANGUAGE_CODE)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.ATLAS_STALE_SECONDS = 0  # every answer from the new generation, none stale
    client = Client()
    urls = [country.url for country in public_atlas.public_atlas(args.language).countries]
    account = SocialAccount.objects.filter(live=True, post__isnull=False).first()
    keep = response_cache.kept_page
    results = {"kept": [], "rendered anew": []}
    for round_number in range(args.rounds):
        for side in results:
            response_cache.kept_page = keep if side == "kept" else never_kept
            ask_all(client, urls)  # every page cached
            account.name = f"Benchmark {round_number} {side}"
            account.save_revision().publish()  # a new generation; one country changed
            public_atlas.public_atlas(args.language)  # read the atlas before timing
            results[side].append(ask_all(client, urls))
    response_cache.kept_page = keep
    print(f"# {len(urls)} country pages ({args.language}) after a publish in one country")
    for side, found in results.items():
        seconds = statistics.median(seconds for seconds, _rendered in found)
        rendered = statistics.median(rendered for _seconds, rendered in found)
        print(f"{side:14} {seconds:7.2f} s  rendered {rendered:5.0f}")
    kept, anew = (statistics.median(s for s, _r in results[side]) for side in results)
    print(f"{'ratio':14} {kept / anew:7.1%} of the time")


if __name__ == "__main__":
    main()
