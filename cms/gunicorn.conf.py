"""gunicorn's settings for `make serve` and production (`gunicorn -c cms/gunicorn.conf.py`).

Each value can be overridden from the environment; behind a reverse proxy, bind to a local
address and let the proxy terminate TLS (see README, "Production").
"""

import multiprocessing
import os

from gunicorn.arbiter import Arbiter

wsgi_app = "cms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a cached answer is a few cache reads, and a worker per core (plus one) keeps
# the cores busy while another worker waits on PostgreSQL or Redis.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Load the app once, before forking: workers start fast and share its memory.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so slow leaks in any library cannot grow without bound.
max_requests = 20_000
max_requests_jitter = 2_000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for stdout
# benchmarks/publishing.py logs which worker answered each request ("%(p)s %(U)s%(q)s").
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT", '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
)
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server: Arbiter) -> None:
    """The application is loaded (preload_app) and the workers are not forked yet."""
    from cms import gc_tuning

    gc_tuning.tune()
    _read_public_atlas()


def _read_public_atlas() -> None:
    """The public atlas read once here, before forking, so every worker starts with it: else a
    crowd's first requests each wait for their worker's read (at 30,000 accounts, wrk's 2 s
    time-out hit the first request of every connection). Read after the GC freeze above, so
    that the next publication's atlas replaces it. With the database or Redis not up yet, each
    worker reads it on its first request instead."""
    import logging

    from django.db import connections

    from atlas_pages.publication import public_atlas

    try:
        for atlas in public_atlas.public_atlases()[1].values():
            atlas.page_versions()  # the workers' first builds take them over
    except Exception:
        logging.getLogger("gunicorn.error").warning(
            "The public atlas was not read before forking the workers", exc_info=True
        )
    finally:
        connections.close_all()  # no database connection crosses the fork
