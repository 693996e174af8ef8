"""Benchmark: the map's WholeAtlas GraphQL query against a per-object tree walk.

Run on a database with the demo atlas (`make demo`), e.g.
    .venv/bin/python benchmarks/whole_atlas.py [--rounds 5]
It prints the median time and SQL query count of each, and their ratio, measured in one
process: the baseline is what the API would cost with Wagtail's tree API used per object
(get_children per country and post, one query per relation) on the same data.
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

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from atlas_pages.models import AtlasPage  # noqa: E402

CONTRACT = Path(__file__).resolve().parent.parent.parent / "shared" / "contract" / "queries"


def whole_atlas(client, query):
    response = client.post("/graphql/", {"query": query}, content_type="application/json")
    assert response.status_code == 200 and "errors" not in response.json(), response.status_code
    return response.json()


def tree_walk():
    """The naive way: walk the tree and each relation per object (live rows only)."""
    atlas = AtlasPage.objects.live().first()
    result = []
    for country in atlas.get_children().live().specific():
        posts = []
        for post in country.get_children().live().specific():
            accounts = [(a.handle, a.platform.slug) for a in post.accounts.filter(live=True)]
            people = [
                (p.name, [a.handle for a in p.accounts.filter(live=True)])
                for p in post.people.filter(live=True)
            ]
            posts.append((post.title, accounts, people))
        result.append((country.title, posts))
    return result


def measure(function, rounds):
    timings, queries = [], 0
    for _ in range(rounds):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            function()
            timings.append(time.perf_counter() - start)
        queries = len(captured)
    return statistics.median(timings), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    query = (CONTRACT / "whole-atlas.graphql").read_text()
    client = Client(HTTP_HOST="localhost")
    data = whole_atlas(client, query)["data"]
    print(
        f"data: {len(data['countries'])} countries, "
        f"{sum(len(c['posts']) for c in data['countries'])} posts, "
        f"{data['atlas']['accountCount']} accounts"
    )
    api_time, api_queries = measure(lambda: whole_atlas(client, query), args.rounds)
    walk_time, walk_queries = measure(tree_walk, args.rounds)
    print(f"WholeAtlas via /graphql/: {api_time * 1000:8.1f} ms, {api_queries} SQL queries")
    print(f"baseline tree walk:       {walk_time * 1000:8.1f} ms, {walk_queries} SQL queries")
    print(
        f"ratio (baseline / API):   {walk_time / api_time:8.2f}x time, "
        f"{walk_queries / api_queries:.0f}x queries"
    )


if __name__ == "__main__":
    main()
