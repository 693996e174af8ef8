"""manage.py check_account_links against a local HTTP server in the test process (never the
internet): 200, 301, 404, 410, a slow answer beyond the timeout, a reset connection, a login
wall (999) and a platform whose 200 proves nothing."""

import socket
import struct
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from atlas_pages.models import LinkCheck, Platform, SocialAccount
from atlas_pages.outbound import linkcheck
from atlas_pages.publication import generation
from tests.atlas_pages.editorial.test_workflow import snippet_url
from tests.factories import make_account

pytestmark = pytest.mark.django_db

#: What the server answers per path: (status, extra headers).
ANSWERS = {
    "/ok": (200, {}),
    "/moved": (301, {"Location": "/ok"}),
    "/missing": (404, {}),
    "/gone": (410, {}),
    "/wall": (999, {}),
    "/looks-fine": (200, {}),
}


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()
        self.release_slow = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        server = self.server
        with server.lock:
            server.requests.append((self.path, self.headers.get("User-Agent", "")))
        if self.path == "/slow":
            # Answers only after the test is over, far beyond the checker's timeout (the
            # checker has given up on it by then: not counted as in flight).
            server.release_slow.wait(10)
            self.close_connection = True
            return
        with server.lock:
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        # In flight until the answer is about to be sent: once the client has it, it may ask
        # again before this thread would get back here (a race in the count, not in the client).
        self.answer(done=self.done)

    def done(self) -> None:
        with self.server.lock:
            self.server.in_flight -= 1

    def answer(self, done: Callable[[], None]) -> None:
        if self.path == "/reset":
            done()
            # Close with RST instead of an answer (SO_LINGER 0).
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        status, headers = ANSWERS[self.path]
        done()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server():
    server = Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release_slow.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def link_settings(settings):
    settings.ATLAS_LINK_CHECK_TIMEOUT = 0.5
    settings.ATLAS_LINK_CHECK_HOST_INTERVAL = 0
    settings.ATLAS_LINK_CHECK_CONCURRENCY = 4
    settings.ATLAS_LINK_CHECK_CONTACT_URL = "https://atlas.example.org/contact"
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = True  # the test server lives on 127.0.0.1
    return settings


@pytest.fixture
def accounts(server, tokyo):
    """A blog account per answer; /looks-fine on a platform whose 200 proves nothing."""
    walled = Platform.objects.create(
        slug="walled", name="Walled", sort_order=200, link_check_conclusive=False
    )
    made = {}
    for path in ("/ok", "/moved", "/missing", "/gone", "/slow", "/reset", "/wall"):
        made[path] = make_account(f"{server.base}{path}", post=tokyo, platform_slug="blog")
    made["/looks-fine"] = make_account(
        f"{server.base}/looks-fine", post=tokyo, platform_slug=walled.slug
    )
    made["draft"] = make_account(
        f"{server.base}/ok/draft", post=tokyo, platform_slug="blog", live=False
    )
    return made


def test_check_account_links_stores_the_latest_result_per_account(server, accounts, link_settings):
    token = generation.current()
    out = StringIO()
    call_command("check_account_links", stdout=out)
    checks = {
        path: LinkCheck.objects.select_related("account__platform").get(account=account)
        for path, account in accounts.items()
        if path != "draft"
    }
    # Only published accounts are checked.
    assert not LinkCheck.objects.filter(account=accounts["draft"]).exists()
    summary = {path: (check.status_code, check.outcome) for path, check in checks.items()}
    assert summary == {
        "/ok": (200, "ok"),
        "/moved": (200, "redirected"),
        "/missing": (404, "broken"),
        "/gone": (410, "broken"),
        "/slow": (None, "broken"),
        "/reset": (None, "broken"),
        "/wall": (999, "unverifiable"),
        "/looks-fine": (200, "unverifiable"),
    }
    assert checks["/moved"].redirects == [[301, "/ok"]]
    assert checks["/moved"].final_url == f"{server.base}/ok"
    assert checks["/slow"].error == "Timeout (0.5 s)"
    assert checks["/reset"].error.startswith("ConnectionError")
    assert checks["/ok"].elapsed is not None and checks["/ok"].checked_at is not None
    assert "8 accounts checked" in out.getvalue()
    # A real User-Agent with the contact URL; one request at a time to the one host.
    agents = {agent for _path, agent in server.requests}
    assert agents == {"SocialMediaAtlas-LinkCheck/1.0 (+https://atlas.example.org/contact)"}
    assert server.most_in_flight == 1
    # Bookkeeping: nothing public changed.
    assert generation.current() == token
    # Run again: one row per account, replaced.
    call_command("check_account_links", stdout=StringIO())
    assert LinkCheck.objects.count() == 8


def test_requests_to_one_host_are_spaced_and_hosts_run_side_by_side(link_settings):
    waits = []
    # Closed ports on two local host names: refused at once.
    urls = [(1, "http://127.0.0.1:1/a"), (2, "http://127.0.0.1:1/b"), (3, "http://localhost:1/c")]
    options = linkcheck.Options.from_settings(host_interval=1.5, timeout=0.1)
    results = [r for group in linkcheck.check_all(urls, options, sleep=waits.append) for r in group]
    assert sorted(result.account_id for result in results) == [1, 2, 3]
    # Between 127.0.0.1's two requests only (less the moment the first one took).
    assert waits == [pytest.approx(1.5, abs=0.2)]
    assert all(result.error.startswith("ConnectionError") for result in results)


def test_results_in_the_admin(client, editor, server, accounts, link_settings):
    call_command("check_account_links", stdout=StringIO())
    client.force_login(editor)
    list_url = snippet_url(SocialAccount, "list")
    html = client.get(list_url).content.decode()
    for outcome in ("ok", "redirected", "broken", "unverifiable", "unchecked"):
        assert f'data-link-outcome="{outcome}"' in html
    html = client.get(f"{list_url}?link=broken").content.decode()
    assert html.count('data-link-outcome="broken"') == 4
    assert 'data-link-outcome="ok"' not in html
    edit = client.get(snippet_url(SocialAccount, "edit", accounts["/moved"].pk)).content.decode()
    assert "301 → /ok" in edit and f"{server.base}/ok" in edit
    edit = client.get(snippet_url(SocialAccount, "edit", accounts["/looks-fine"].pk))
    assert "open the profile to be sure" in edit.content.decode()


def test_the_account_list_costs_the_same_with_more_checks(
    client, editor, server, accounts, link_settings, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    url = reverse(SocialAccount.snippet_viewset.get_url_name("list"))
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    call_command("check_account_links", stdout=StringIO())
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
