"""Benchmark: the server time of the editors' busiest admin views on the demo atlas.

Run on a database with the demo atlas and its users (`make demo`), e.g.
    .venv/bin/python benchmarks/admin_views.py [--rounds 10]
For the dashboard, the account list (Atlas > Accounts, first page) and a post's edit view, as a
moderator and as a country editor, it prints the median wall time and CPU time of one GET
through Django's handler (no network, no browser), and its SQL query count and time. Measured
in one process, after two warm-up requests each; the target is under 0.3 s of server time.
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from atlas_pages.models import PostPage, SocialAccount  # noqa: E402

#: The demo's users (manage.py ensure_demo_users): a moderator and a country editor.
USERS = ("moderator", "editor")


def views() -> dict[str, str]:
    post = PostPage.objects.filter(accounts__isnull=False).order_by("pk").first()
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "account list": reverse(SocialAccount.snippet_viewset.get_url_name("list")),
        "post edit": reverse("wagtailadmin_pages:edit", args=(post.pk,)),
    }


def measure(client: Client, url: str, rounds: int) -> tuple[float, float, int, float]:
    for _warm_up in range(2):
        assert client.get(url).status_code == 200, url
    walls, cpus = [], []
    for _round in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    sql = sum(float(query["time"]) for query in queries.captured_queries)
    return statistics.median(walls), statistics.median(cpus), len(queries), sql


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    print(f"{'view':<14}{'user':<11}{'wall (s)':>9}{'CPU (s)':>9}{'queries':>9}{'SQL (s)':>9}")
    with override_settings(ALLOWED_HOSTS=["*"]):
        for name, url in views().items():
            for username in USERS:
                client = Client()
                client.force_login(get_user_model().objects.get(username=username))
                wall, cpu, count, sql = measure(client, url, rounds)
                print(f"{name:<14}{username:<11}{wall:>9.3f}{cpu:>9.3f}{count:>9}{sql:>9.3f}")


if __name__ == "__main__":
    main()
