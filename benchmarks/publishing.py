"""Benchmark: publishing under a crowd, with the production server.

Starts the production server (as benchmarks/http_load.py does: gunicorn, production settings,
Redis from REDIS_URL, emptied) on DATABASE_URL, e.g. a generated atlas of 30,000 accounts, and
measures what a publish costs and whether visitors notice it:

- crowd: wrk at 64 connections on the country pages in turn (every country page of the atlas,
  cached), first alone, then while this process publishes a change of one account every
  --every seconds through Wagtail's own API (a new display name: a widening publish);
  requests/s, p50, p99 and errors of each, in --rounds rounds of both in turn, and the ratio of
  their sums (goal: >= 80%, p99 <= 250 ms, 0 errors);
- freshness: after each of --publishes publishes (at least --every s apart), a probe of 8
  connections, each asking at most every 0.05 s (so that the cores stay free), asks an uncached
  GraphQL query naming the account (a new document each time, so every request is answered by
  its worker's atlas, not the response cache) until every worker has answered with the new
  name: the first fresh answer and all workers fresh, in seconds after the publish's commit
  (median and worst; which worker answered is read from gunicorn's access log);
- CPU per publish: the workers' CPU time (user + system, /proc; a recycled worker's counted
  through the master) over the freshness phase (the probe asks from each publish until every
  worker answered fresh, then waits for the next) less that of as many of the probe's answers
  without publishes, per publish;
- memory per worker after the publishes: private (Private_Clean + Private_Dirty) and PSS,
  /proc/<pid>/smaps_rollup, the largest and the mean.

Run: `make bench-publishing` (a generated atlas of BENCH_PUBLISHING_ACCOUNTS accounts), or
    DATABASE_URL=sqlite:////tmp/atlas-bench-30000.sqlite3 .venv/bin/python benchmarks/publishing.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.http_load import fetch, start_server, wait_until_up, wrk  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")

#: wrk's Lua: the country pages in turn, each connection starting elsewhere.
ROTATING = r"""
local paths = {%s}
local counter = 0
function setup(thread)
  thread:set("offset", math.random(#paths))
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter + offset) %% #paths + 1])
end
"""


def workers_of(master: int) -> list[int]:
    """The gunicorn workers: the master's children (they are recycled now and then)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.append(int(stat.parent.name))
    return sorted(children)


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def server_cpu(master: int) -> float:
    """The CPU time of the workers, those running and those gone: gunicorn recycles a worker
    after about 20,000 requests, a crowd's minute, and a worker's time passes to the master
    when it is reaped (cutime, cstime). Summed over the workers of one moment, a recycled
    worker's time vanished or appeared, and the figure per publish came out anywhere from
    -5 to 14 s."""
    fields = Path(f"/proc/{master}/stat").read_text().rsplit(")", 1)[1].split()
    reaped = (int(fields[13]) + int(fields[14])) / TICKS  # cutime, cstime
    return reaped + cpu_seconds(workers_of(master))


def settle(pids: list[int], limit: float = 30.0) -> None:
    """Wait until the workers' CPU over a second is that of the probe alone: three seconds in
    a row within 10% of each other (or ``limit`` seconds)."""
    deadline, last = time.monotonic() + limit, []
    while time.monotonic() < deadline:
        cpu = cpu_seconds(pids)
        time.sleep(1)
        last = [*last[-2:], cpu_seconds(pids) - cpu]
        if len(last) == 3 and max(last) <= min(last) * 1.1 + 0.02:
            return


def memory_mb(pid: int) -> tuple[float, float]:
    """Private and proportional memory of a process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        values[name] = int(value.split()[0])
    private = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return private / 1024, values.get("Pss", 0) / 1024


class Publisher:
    """Publishes a new display name of one account, as an editor's publish does."""

    def __init__(self) -> None:
        import django

        django.setup()
        from atlas_pages.models import SocialAccount

        self.account = SocialAccount.objects.filter(live=True, post__isnull=False).first()
        self.number = 0

    def publish(self) -> str:
        from django.db import connection

        self.number += 1
        name = f"Published {self.number} {time.time_ns()}"
        self.account.display_name = name
        self.account.save_revision().publish()
        connection.close()
        return name


class Probe:
    """Connections asking the account's name with a new document each time; each answer is
    logged with the moment it came and whether it named `expected`."""

    def __init__(
        self, base: str, account_url: str, connections: int = 8, interval: float = 0.05
    ) -> None:
        self.base, self.account_url, self.connections = base, account_url, connections
        #: Each connection asks at most once per interval: the probe leaves the cores free, so
        #: the CPU a publish costs is measured, not the probe's answers it displaces.
        self.interval = interval
        self.expected = ""
        self.answers: list[tuple[str, float, bool]] = []  # nonce, moment, fresh
        self.stop = threading.Event()
        #: Set while no publish is awaited: the probe then asks nothing (see main).
        self.paused = threading.Event()
        self.lock = threading.Lock()
        self.counter = 0

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._ask, daemon=True) for _ in range(self.connections)]
        for thread in threads:
            thread.start()
        return threads

    def _ask(self) -> None:
        while not self.stop.wait(self.interval):
            if self.paused.is_set():
                continue
            with self.lock:
                self.counter += 1
                nonce = f"n{self.counter}x{time.monotonic_ns()}"
            query = f"{{{nonce}: accountByUrl(url: {json.dumps(self.account_url)}) {{ name }}}}"
            url = f"{self.base}/graphql/?" + urllib.parse.urlencode({"query": query})
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    body = json.loads(response.read())
            except OSError:
                continue
            name = ((body.get("data") or {}).get(nonce) or {}).get("name", "")
            with self.lock:
                self.answers.append((nonce, time.monotonic(), name == self.expected))

    def wait_for_every_worker(
        self, master: int, published_at: float, access_log: Path, limit: float = 60.0
    ) -> dict[int, float]:
        """Seconds from the publish to each worker's first fresh answer, once every worker
        has answered fresh (or `limit` seconds passed: then the workers still stale count as
        never, float("inf"))."""
        while True:
            time.sleep(0.2)
            access = answered_by(access_log)
            fresh_at: dict[int, float] = {}
            with self.lock:
                answers = list(self.answers)
            for nonce, moment, fresh in answers:
                pid = access.get(nonce)
                if fresh and moment >= published_at and pid is not None:
                    fresh_at.setdefault(pid, moment - published_at)
            missing = set(workers_of(master)) - set(fresh_at)
            if not missing:
                return fresh_at
            if time.monotonic() - published_at > limit:
                return {**fresh_at, **dict.fromkeys(missing, float("inf"))}


def answered_by(access_log: Path) -> dict[str, int]:
    """Which worker answered each probe (by its nonce), from gunicorn's access log."""
    found = {}
    for line in access_log.read_text().splitlines():
        pid, _space, path = line.partition(" ")
        match = re.search(r"%7Bn(\d+x\d+)%3A", path) or re.search(r"\{n(\d+x\d+):", path)
        if match:
            found[f"n{match[1]}"] = int(pid.strip("<>"))  # gunicorn writes "<pid>"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--every", type=float, default=5.0)
    parser.add_argument("--publishes", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--probe-connections", type=int, default=8)
    parser.add_argument("--probe-interval", type=float, default=0.05)
    parser.add_argument("--label", default=os.environ.get("DATABASE_URL", "sqlite"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make bench` installs Debian's wrk")

    logs = Path(tempfile.mkdtemp(prefix="atlas-bench-publishing-"))
    access_log = logs / "access.log"
    server, base, bodies = start_server(
        args.workers,
        GUNICORN_ACCESS_LOG=str(access_log),
        GUNICORN_ACCESS_LOG_FORMAT="%(p)s %(U)s?%(q)s",
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    try:
        wait_until_up(f"{base}/nl/", timeout=300)
        home = gzip.decompress(fetch(f"{base}/nl/")).decode()
        country_link = r'class="country-entry__name" href="(/nl/[^"]+/)"'
        countries = sorted(set(re.findall(country_link, home)))
        if not countries:
            raise SystemExit("no country pages on the home page")
        for path in countries:  # the crowd meets cached pages
            fetch(base + path)
        script = logs / "rotating.lua"
        script.write_text(ROTATING % ", ".join(json.dumps(path) for path in countries))
        publisher = Publisher()
        print(
            f"# {args.label}: {args.workers} workers, {len(countries)} country pages, "
            f"wrk at {args.connections} connections for {args.seconds} s, "
            f"a publish every {args.every:g} s"
        )

        published = []

        def publish_every() -> None:
            deadline = time.monotonic() + args.seconds
            while time.monotonic() + args.every < deadline:
                time.sleep(args.every)
                published.append(publisher.publish())

        # Rounds of each in turn: the machine's own speed drifts between runs by more than a
        # publish costs the crowd, so one run of each compared the drift as much as the cost.
        runs: dict[str, list[dict]] = {"crowd alone": [], "crowd + publishing": []}
        for _round in range(args.rounds):
            runs["crowd alone"].append(wrk(base + "/", args.seconds, args.connections, script))
            thread = threading.Thread(target=publish_every)
            thread.start()
            runs["crowd + publishing"].append(
                wrk(base + "/", args.seconds, args.connections, script)
            )
            thread.join()
        for label, results in runs.items():
            for result in results:
                print(
                    f"{label:22} {result['rps']:8.0f} req/s  p50 {result.get('p50', 0):7.1f} ms  "
                    f"p99 {result.get('p99', 0):7.1f} ms  errors {result['errors']}"
                    + (f" ({result['error_kinds']})" if result["errors"] else "")
                )
        total = {label: sum(result["rps"] for result in results) for label, results in runs.items()}
        ratio = total["crowd + publishing"] / total["crowd alone"]
        print(
            f"{'ratio':22} {ratio:8.0%}  ({len(published)} publishes; of the sums of "
            f"{args.rounds} rounds; each round's: "
            + ", ".join(
                f"{during['rps'] / alone['rps']:.0%}"
                for alone, during in zip(*runs.values(), strict=True)
            )
            + ")"
        )

        # Freshness and CPU: the probe alone, then the probe with publishes.
        account_url = publisher.account.url
        probe = Probe(base, account_url, args.probe_connections, args.probe_interval)
        probe.expected = publisher.account.display_name
        threads = probe.run()
        # Every worker has read the atlas of the last publish, and what the crowd left to do
        # (collections, answers built in the background) is done, before the probe is timed
        # alone.
        probe.wait_for_every_worker(server.pid, time.monotonic(), access_log)
        settle(workers_of(server.pid))
        phase = args.publishes * args.every
        cpu, count = server_cpu(server.pid), len(probe.answers)
        time.sleep(phase)
        cpu_alone, answers_alone = server_cpu(server.pid) - cpu, len(probe.answers) - count
        first, every_worker = [], []
        cpu, count = server_cpu(server.pid), len(probe.answers)
        for _ in range(args.publishes):
            name = publisher.publish()
            probe.expected, published_at = name, time.monotonic()
            probe.paused.clear()
            fresh_at = probe.wait_for_every_worker(server.pid, published_at, access_log)
            # Until the next publish the probe waits: the fewer of its answers are counted
            # here, the less their cost's noise (against the probe alone) weighs in the CPU
            # per publish (asking throughout, it outweighed a publish's cost).
            probe.paused.set()
            if fresh_at:
                first.append(min(fresh_at.values()))
            every_worker.append(max(fresh_at.values()) if fresh_at else float("inf"))
            time.sleep(max(0.0, published_at + args.every - time.monotonic()))
        cpu_publishing = server_cpu(server.pid) - cpu
        answers_publishing = len(probe.answers) - count
        probe.stop.set()
        for thread in threads:
            thread.join(timeout=35)
        per_answer = cpu_alone / max(answers_alone, 1)
        per_publish = (cpu_publishing - per_answer * answers_publishing) / args.publishes
        if not first:
            fresh = sum(1 for _nonce, _moment, is_fresh in probe.answers if is_fresh)
            raise SystemExit(
                f"no fresh answer after any publish ({len(probe.answers)} answers, {fresh} "
                f"fresh, {len(answered_by(access_log))} in the access log)"
            )
        print(
            f"{'first fresh answer':22} median {statistics.median(first):6.2f} s  "
            f"worst {max(first):6.2f} s"
        )
        print(
            f"{'all workers fresh':22} median {statistics.median(every_worker):6.2f} s  "
            f"worst {max(every_worker):6.2f} s"
        )
        print(f"{'CPU per publish':22} {per_publish:6.2f} s  (all workers, less the probe's)")
        memory = [memory_mb(pid) for pid in workers_of(server.pid)]
        print(
            f"{'memory per worker':22} private max {max(m[0] for m in memory):6.0f} MB, "
            f"mean {statistics.mean(m[0] for m in memory):6.0f} MB; "
            f"PSS max {max(m[1] for m in memory):6.0f} MB"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(bodies, ignore_errors=True)
        shutil.rmtree(logs, ignore_errors=True)


if __name__ == "__main__":
    main()
