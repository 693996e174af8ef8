"""PostgreSQL going away under the production server: gunicorn with the production settings
reaches the test database through a TCP relay that the test stops and starts, as a database
restart looks to the app. While it is down the API answers 503 with Retry-After; once it is
back, the same worker answers again, and a restart between two requests costs none of them
(CONN_HEALTH_CHECKS: the kept connection is checked before use)."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests import factories

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="a database server to restart: PostgreSQL only",
    ),
    pytest.mark.usefixtures("committed"),
]

ROOT = Path(settings.BASE_DIR)
#: Search reads the database on every request (what the public atlas already read may be
#: answered from memory).
QUERY = '{ search(query: "Japan") { __typename } }'


class Relay:
    """A TCP relay to the database server: `stop` closes its port and every connection through
    it (the server is gone), `start` opens the same port again (the server is back)."""

    def __init__(self, host, port):
        self.target = (host, port)
        self.port = free_port()
        self.sockets = []
        self.listener = None

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self):
        for sock in [self.listener, *self.sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept or recv
            except OSError:
                pass
            sock.close()
        self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ask(base):
    """POST the query; (status, Retry-After, decoded body)."""
    request = urllib.request.Request(
        f"{base}/graphql/",
        json.dumps({"query": QUERY}).encode(),
        {"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers["Retry-After"], json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Retry-After"], json.loads(error.read())


@pytest.fixture
def server(atlas):
    factories.make_country(atlas, "JP", title="Japan")
    database = connection.settings_dict
    relay = Relay(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))
    relay.start()
    user = database["USER"] or "postgres"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
        "DATABASE_URL": f"postgres://{user}{password}@127.0.0.1:{relay.port}/{database['NAME']}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "ATLAS_RESPONSE_CACHE": "0",  # every answer from the database
        "ATLAS_API_RATE_LIMIT": "",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    for name in ("REDIS_URL", "CACHE_URL"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "cms/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                ask(base)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        yield base, relay, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        relay.stop()


def workers(process):
    found = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True)
    return found.stdout.split()


UP = (200, None, {"data": {"search": [{"__typename": "Country"}]}})


def test_a_restart_between_requests_costs_no_request(server):
    base, relay, process = server
    assert ask(base) == UP
    before = workers(process)
    relay.stop()
    relay.start()
    assert [ask(base) for _ in range(3)] == [UP] * 3
    assert workers(process) == before


def test_503_while_down_then_the_same_worker_answers_again(server):
    base, relay, process = server
    assert ask(base) == UP
    before = workers(process)
    relay.stop()
    down = [ask(base) for _ in range(3)]
    assert [status for status, _, _ in down] == [503] * 3
    assert all(int(retry_after) > 0 for _, retry_after, _ in down)
    assert {body["errors"][0]["extensions"]["code"] for _, _, body in down} == {
        "SERVICE_UNAVAILABLE"
    }
    relay.start()
    assert [ask(base) for _ in range(3)] == [UP] * 3
    assert workers(process) == before
