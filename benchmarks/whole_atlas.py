"""Benchmark: the WholeAtlas GraphQL query, uncached and cached, against two baselines.

Run on a database with the demo atlas (`make demo`), e.g.
    .venv/bin/python benchmarks/whole_atlas.py [--rounds 5]
It prints the median time and SQL query count of each side, measured in one process:
- uncached: POST /graphql/ with the response cache off, and the schema executed directly;
- atlas read: the query executed over the public atlas already read (the rest of a
  publication generation), without the response cache;
- cached: the same POST answered from the response cache (a hit);
- graphql-core's floor: graphql-core executing the same document over prebuilt dicts of the
  same data (the answer itself), with the project's schema: what execution alone costs;
- a per-object tree walk with Wagtail's tree API (one query per relation).
Every side is timed from a range of call-stack depths (CPython allocates its frame stack in
chunks, so one call can cost more depending only on how deep it starts) and the medians are
averaged over the depths, so the sides are compared like with like.
"""

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

import django  # noqa: E402

django.setup()

from cms import gc_tuning  # noqa: E402

gc_tuning.tune()  # as the production server does once the application is loaded

import graphql  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from atlas_pages.models import AtlasPage  # noqa: E402
from atlas_pages.publication import generation  # noqa: E402
from graphql_api.schema import schema  # noqa: E402

DEPTHS = range(0, 100, 20)

CONTRACT = Path(__file__).resolve().parent.parent.parent / "shared" / "contract" / "queries"


def whole_atlas(client, query):
    response = client.post("/graphql/", {"query": query}, content_type="application/json")
    answer = response.json()  # decoded once: a client's work, timed alike for every side
    assert response.status_code == 200 and "errors" not in answer, response.status_code
    return answer


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


def at_depth(depth, function):
    return function() if depth == 0 else at_depth(depth - 1, function)


def measure(function, rounds, publish=True):
    """Median time over the rounds, averaged over call-stack depths; SQL queries of a round.
    With ``publish``, each round starts a new publication generation, as a publish does: the
    public atlas is read again and no cached response of an earlier round counts."""
    medians, queries = [], 0
    for depth in DEPTHS:
        timings = []
        for _ in range(rounds):
            if publish:
                generation.bump()
            reset_queries()  # the query log is bounded: count each round from zero
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                at_depth(depth, function)
                timings.append(time.perf_counter() - start)
            queries = len(captured)
        medians.append(statistics.median(timings))
    return statistics.mean(medians), queries


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
    document = graphql.parse(query)
    floor_schema = graphql.build_schema(schema.as_str())

    def floor():
        result = graphql.execute_sync(floor_schema, document, root_value=data)
        assert not result.errors and result.data == data
        return result

    def executed():
        result = schema.execute_sync(query)
        assert not result.errors
        return result

    with override_settings(ATLAS_RESPONSE_CACHE=False):
        # Uncached: every round a new publication generation, so the public atlas is read too.
        api_time, api_queries = measure(lambda: whole_atlas(client, query), args.rounds)
        exec_time, _ = measure(executed, args.rounds)
        # The public atlas read (the rest of a generation), no response cache.
        read_time, read_queries = measure(executed, args.rounds, publish=False)
        home = client.get("/nl/", HTTP_ACCEPT_ENCODING="identity")
        assert home.status_code == 200
    whole_atlas(client, query)  # stored in the response cache
    hit_time, hit_queries = measure(lambda: whole_atlas(client, query), args.rounds, publish=False)
    floor_time, _ = measure(floor, args.rounds)
    walk_time, walk_queries = measure(tree_walk, args.rounds)
    rows = [
        ("uncached POST /graphql/", api_time, api_queries),
        ("uncached schema.execute_sync", exec_time, api_queries),
        ("atlas read, execute_sync", read_time, read_queries),
        ("cached POST /graphql/ (hit)", hit_time, hit_queries),
        ("graphql-core floor (dicts)", floor_time, 0),
        ("tree walk (per object)", walk_time, walk_queries),
    ]
    for name, seconds, queries in rows:
        print(
            f"{name:30} {seconds * 1000:9.1f} ms {queries:6} SQL  "
            f"{seconds / floor_time:6.2f}x floor"
        )
    html, packed = home.content, gzip.compress(home.content)
    print(f"home page /nl/: {len(html) / 1024:.1f} KB HTML, {len(packed) / 1024:.1f} KB gzip")


if __name__ == "__main__":
    main()
