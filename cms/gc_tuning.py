"""Garbage collection tuned for a web process, once the application is loaded.

CPython collects its youngest generation every 700 allocations (net). Reading the public atlas
after a publish and answering a big query allocate hundreds of thousands of objects, so with
the defaults the uncached whole atlas at 3,000 accounts ran 72 young, 6 middle and a third of
a full collection per request: about 110 ms of its 450 (measured with gc.callbacks). Freezing
what loading the application left takes it out of the collector's sight for good (and keeps
its memory pages shared between the forked workers), and a larger young generation collects a
request's garbage in one pass: under one collection and 10-25 ms per request.
"""

import gc

#: Allocations (net) between collections of the youngest generation; CPython's default is 700.
YOUNG_GENERATION_THRESHOLD = 50_000
#: Young collections per middle one, middle ones per full one (CPython: 10 and 10).
OLDER_GENERATION_THRESHOLDS = (20, 100)


def tune() -> None:
    """Collect once, freeze the survivors, and set the thresholds (gunicorn calls this in the
    master once the application is loaded, before the workers fork)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *OLDER_GENERATION_THRESHOLDS)
