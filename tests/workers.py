"""The suite runs in two processes (pytest-xdist, ``make test``): what each needs of its own."""

import os


def redis_database(first: int) -> int:
    """A Redis database number of this test process's own: ``first`` without pytest-xdist or
    for its first worker, one further on per worker, so that one's flush does not empty
    another's cache."""
    return first + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
