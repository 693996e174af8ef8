"""The suite runs in two processes (pytest-xdist, ``make test``): what each needs of its own."""

import os

#: The tests' Redis databases start at 9 (the caches) and 12 (the rate limit): three apart.
MAX_WORKERS = 3


def redis_database(first: int) -> int:
    """A Redis database number of this test process's own: ``first`` without pytest-xdist or
    for its first worker, one further on per worker, so that one's flush does not empty
    another's cache."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    if worker >= MAX_WORKERS:
        raise RuntimeError(f"at most {MAX_WORKERS} test workers share one Redis (PYTEST_WORKERS)")
    return first + worker
