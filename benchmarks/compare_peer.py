"""Benchmark: our uncached GraphQL API against Wagtail's REST API v2 serving the same data.

Run on a database with an atlas (`make demo`, or one of `generate_atlas`), e.g.
    .venv/bin/python benchmarks/compare_peer.py [--rounds 5]
In one process and interleaved round by round (so load on the machine hits every side alike),
each timed from a range of call-stack depths like benchmarks/whole_atlas.py:
- ours: the WholeAtlas contract query, POST /graphql/, response cache off, each call after a
  publish (a new publication generation: the public atlas is read from the database again);
- docs-style peer: /api/v2/pages/ for the countries and for the posts with their accounts and
  people (``api_fields`` with serializers, as Wagtail's docs show it);
- tuned peer: the same with ``select_related``/``prefetch_related`` (benchmarks/rest_peer.py).
It prints the median times, SQL queries and accounts listed, and each peer's time over ours.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ["ATLAS_RESPONSE_CACHE"] = "0"

import django  # noqa: E402

django.setup()

from cms import gc_tuning  # noqa: E402

gc_tuning.tune()  # as the production server does once the application is loaded

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from atlas_pages.publication import generation  # noqa: E402

CONTRACT = Path(__file__).resolve().parent.parent.parent / "shared" / "contract" / "queries"
DEPTHS = range(0, 100, 20)
COUNTRIES = "?type=atlas_pages.CountryPage&fields=iso_code,lat,lng&locale=nl&limit=100000"
POSTS = "?type=atlas_pages.PostPage&fields=kind,city,lat,lng,accounts,people&locale=nl&limit=100000"


def at_depth(depth, function):
    return function() if depth == 0 else at_depth(depth - 1, function)


def ours(client, query):
    generation.bump()  # what a publish does: nothing of an earlier call is reused
    response = client.post("/graphql/", {"query": query}, content_type="application/json")
    answer = response.json()  # decoded once, as each peer's answers are
    assert response.status_code == 200 and "errors" not in answer, response.content[:300]
    countries = answer["data"]["countries"]
    return sum(
        len(post["accounts"]) + sum(len(person["accounts"]) for person in post["people"])
        for country in countries
        for post in country["posts"]
    )


def peer(client, prefix):
    found = []
    for query in (COUNTRIES, POSTS):
        response = client.get(f"{prefix}pages/{query}")
        assert response.status_code == 200, response.content[:300]
        found.append(response.json()["items"])
    return sum(
        len(post["accounts"]) + sum(len(person["accounts"]) for person in post["people"])
        for post in found[1]
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    query = (CONTRACT / "whole-atlas.graphql").read_text()
    client = Client(HTTP_HOST="localhost")
    sides = {
        "ours (uncached GraphQL)": lambda: ours(client, query),
        "peer as in Wagtail's docs": lambda: peer(client, "/bench/api/docs/"),
        "peer tuned (prefetches)": lambda: peer(client, "/bench/api/tuned/"),
    }
    timings = {name: {depth: [] for depth in DEPTHS} for name in sides}
    queries, accounts = {}, {}
    for _ in range(args.rounds):
        for depth in DEPTHS:
            for name, side in sides.items():  # interleaved: every side meets the same load
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    accounts[name] = at_depth(depth, side)
                    timings[name][depth].append(time.perf_counter() - start)
                queries[name] = len(captured)
    means = {
        name: statistics.mean(statistics.median(times) for times in by_depth.values())
        for name, by_depth in timings.items()
    }
    base = means["ours (uncached GraphQL)"]
    for name, seconds in means.items():
        print(
            f"{name:28} {seconds * 1000:9.1f} ms {queries[name]:6} SQL "
            f"{accounts[name]:7} accounts listed  {seconds / base:5.2f}x ours"
        )


if __name__ == "__main__":
    main()
