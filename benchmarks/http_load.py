"""Benchmark: cached public responses over HTTP under a crowd, against a trivial view.

Starts the production server (gunicorn, `cms/gunicorn.conf.py`, production settings plus the
trivial view of `benchmarks/settings.py`) on the database given by DATABASE_URL, with Redis
from REDIS_URL, and drives it with wrk at 64 connections:

- the home page, a country page and the map's GraphQL GET, answered from the response cache;
- the same bytes served by a trivial view through the same server and middleware, asked with
  the same query string: the ceiling a cache hit is compared with (the goal: at least 80% of
  its requests per second);
- a crowd verifying accounts, every request another URL: no response-cache hit at all.

Run: `make bench` (which builds the atlases first), or for one database
    DATABASE_URL=... .venv/bin/python benchmarks/http_load.py
(REDIS_URL defaults to redis://127.0.0.1:6379/2, which it empties first).
It prints one line per target: requests/s, latency p50/p99, errors, and the ratio.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
MAP_QUERY_SOURCE = ROOT / "static" / "atlas" / "js" / "atlas-map.js"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def map_query() -> str:
    """The map's first GraphQL query, as its script sends it."""
    return re.search(r"var QUERY = `(.*?)`;", MAP_QUERY_SOURCE.read_text(), re.S)[1]


def wait_until_up(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server did not come up at {url}")


def fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200, response.status
        return response.read()


WRK_LINE = re.compile(r"Requests/sec:\s+([\d.]+)")
LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
ERRORS = re.compile(r"(Non-2xx or 3xx responses|Socket errors):\s*(.*)")


#: A crowd checking accounts (wrk's Lua API): every request asks for another profile URL, so
#: none is a response-cache hit; the public atlas, read once per generation, answers them all.
VERIFY_CROWD = r"""
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local counter = 0
function request()
  counter = counter + 1
  local query = '{accountByUrl(url:"https://x.com/crowd' .. id .. 'x' .. counter .. '"){handle}}'
  local encoded = string.gsub(query, "[^%w]", function(c)
    return string.format("%%%02X", string.byte(c))
  end)
  return wrk.format("GET", "/graphql/?query=" .. encoded)
end
"""


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> dict:
    """One wrk run with gzip accepted, as browsers do; its rate, latencies and errors."""
    output = subprocess.run(
        [
            "wrk",
            f"-t{min(2, os.cpu_count() or 1)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            *(["-s", str(script)] if script else []),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {"rps": float(WRK_LINE.search(output)[1]), "errors": 0}
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for match in LATENCY.finditer(output):
        result[f"p{match[1]}"] = float(match[2]) * scale[match[3]]
    for match in ERRORS.finditer(output):
        result["errors"] += sum(int(n) for n in re.findall(r"\d+", match[2]))
    result["error_kinds"] = "; ".join(match[0].strip() for match in ERRORS.finditer(output))
    return result


def print_error_kinds(result: dict) -> None:
    """What wrk counted as errors (time-outs, sockets, non-2xx), when it counted any."""
    if result["errors"]:
        print(f"{'':28}errors: {result['error_kinds']}")


def start_server(workers: int, **env: str) -> tuple[subprocess.Popen, str, Path]:
    """The production server on DATABASE_URL with `workers` workers and an emptied Redis
    database (REDIS_URL, default redis://127.0.0.1:6379/2: the generation counter of an
    earlier run on another database must not find that run's entries); its base URL and a
    directory for the trivial view's bodies. Not waited for: see wait_until_up."""
    redis_url = os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/2")
    redis.Redis.from_url(redis_url).flushdb()
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    port = free_port()
    bodies = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "cms/gunicorn.conf.py"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "ATLAS_BENCH_BODIES": str(bodies),
            "PYTHONPATH": str(ROOT),
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return server, f"http://127.0.0.1:{port}", bodies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--label", default=os.environ.get("DATABASE_URL", "sqlite"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make bench` installs Debian's wrk")

    server, base, bodies = start_server(args.workers)
    try:
        wait_until_up(f"{base}/nl/")
        home = gzip.decompress(fetch(f"{base}/nl/"))
        country = re.search(rb'class="country-entry__link" href="(/nl/[a-z0-9-]+/)"', home)
        country = country or re.search(rb'href="(/nl/(?!search/)[a-z0-9-]+/)"', home)
        targets = {
            "home page": "/nl/",
            "country page": country[1].decode() if country else "/nl/",
            "map query (GraphQL GET)": "/graphql/?"
            + urllib.parse.urlencode(
                {"query": map_query(), "variables": json.dumps({"locale": "nl"})}
            ),
        }
        print(f"# {args.label}: wrk, {args.connections} connections, {args.seconds}s each")
        for name, path in targets.items():
            body = fetch(base + path)  # warms the cache: the crowd meets a hit
            slug = re.sub(r"\W+", "-", name)
            (bodies / slug).write_bytes(body)
            cached = wrk(base + path, args.seconds, args.connections)
            # The same request line too (a GET's query string is long): the ceiling is the
            # server's for this very request, less the answering.
            _path, mark, query_string = path.partition("?")
            trivial_url = f"{base}/bench/bytes/{slug}{mark}{query_string}"
            trivial = wrk(trivial_url, args.seconds, args.connections)
            print(
                f"{name:26} {len(body) / 1024:8.1f} KB gzip  "
                f"cached {cached['rps']:8.0f} req/s (p50 {cached.get('p50', 0):.1f} ms, "
                f"p99 {cached.get('p99', 0):.1f} ms, errors {cached['errors']})  "
                f"trivial {trivial['rps']:8.0f} req/s  "
                f"ratio {cached['rps'] / trivial['rps']:.0%}"
            )
            print_error_kinds(cached)
        script = bodies / "verify-crowd.lua"
        script.write_text(VERIFY_CROWD)
        crowd = wrk(base + "/", args.seconds, args.connections, script)
        print(
            f"{'verify, a new URL each':26} {'':8}          "
            f"uncached {crowd['rps']:6.0f} req/s (p50 {crowd.get('p50', 0):.1f} ms, "
            f"p99 {crowd.get('p99', 0):.1f} ms, errors {crowd['errors']})"
        )
        print_error_kinds(crowd)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(bodies, ignore_errors=True)


if __name__ == "__main__":
    main()
