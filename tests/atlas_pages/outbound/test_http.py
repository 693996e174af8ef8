"""The atlas's one HTTP client (atlas_pages.outbound.http) against a local HTTP server in the
test process (never the internet): the private-address guard, on every redirect hop, the
size cap, back-off and Retry-After, the User-Agent and API tokens."""

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import requests

from atlas_pages.outbound import http


class Server(ThreadingHTTPServer):
    """Answers each path from `answers` (path -> a list of (status, headers, body), given in
    turn, the last one repeated) and keeps every request's path and headers."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.answers: dict[str, list[tuple[int, dict, bytes]]] = {}
        self.requests: list[tuple[str, dict]] = []
        self.base = f"http://127.0.0.1:{self.server_address[1]}"

    def paths(self) -> list[str]:
        return [path for path, _headers in self.requests]


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.server.requests.append((self.path, dict(self.headers)))
        answers = self.server.answers.get(self.path) or [(404, {}, b"")]
        status, headers, body = answers.pop(0) if len(answers) > 1 else answers[0]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    server = Server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def private_allowed(settings):
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = True  # the test server lives on 127.0.0.1


def client(**options: object) -> http.Client:
    values = {
        "user_agent": "SocialMediaAtlas-Test/1.0",
        "timeout": 2.0,
        "host_interval": 0,
        "max_bytes": 10_000,
        "max_redirects": 3,
    }
    return http.Client(**{**values, **options})


# The private-address guard ------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "172.16.0.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # shared (carrier-grade NAT)
        "0.0.0.0",
        "240.0.0.1",  # reserved
        "224.0.0.1",  # multicast
        "::1",
        "fe80::1%eth0",
        "fc00::1",
        "::ffff:127.0.0.1",
    ],
)
def test_addresses_off_the_public_internet_are_not_public(address):
    assert not http.is_public(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are(address):
    assert http.is_public(address)


@pytest.mark.parametrize(
    "url", ["{base}/page", "http://localhost:{port}/page", "http://10.0.0.1/", "http://[::1]:1/"]
)
def test_urls_resolving_to_private_addresses_are_refused_before_any_request(server, settings, url):
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = False
    server.answers["/page"] = [(200, {}, b"secret")]
    url = url.format(base=server.base, port=server.server_address[1])
    with pytest.raises(http.PrivateAddress):
        client().get(url)
    assert server.requests == []


@pytest.mark.parametrize("target", ["http://10.0.0.1/admin", "http://[::1]:{port}/"])
def test_each_redirect_hop_passes_the_guard(server, settings, monkeypatch, target):
    """A public site (played by 127.0.0.1) that redirects to a private address is left there."""
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = False
    monkeypatch.setattr(http, "is_public", lambda address: address == "127.0.0.1")
    target = target.format(port=server.server_address[1])
    server.answers["/hop"] = [(302, {"Location": target}, b"")]
    with pytest.raises(http.PrivateAddress):
        client().get(f"{server.base}/hop")
    assert server.paths() == ["/hop"]


def test_only_http_urls_are_asked(private_allowed):
    for url in ("file:///etc/passwd", "gopher://example.org/", "http:///nohost"):
        with pytest.raises(requests.exceptions.InvalidURL):
            client().get(url)


# Redirects, size, back-off --------------------------------------------------------------------


def test_redirects_are_followed_and_recorded(server, private_allowed):
    server.answers["/old"] = [(301, {"Location": "/new"}, b"")]
    server.answers["/new"] = [(200, {"Content-Type": "text/plain"}, b"here")]
    fetched = client().get(f"{server.base}/old")
    assert (fetched.status, fetched.url, fetched.body) == (200, f"{server.base}/new", b"here")
    assert fetched.redirects == [(301, "/new")]
    assert fetched.headers["content-type"] == "text/plain"


def test_a_redirect_loop_ends(server, private_allowed):
    server.answers["/loop"] = [(302, {"Location": "/loop"}, b"")]
    with pytest.raises(requests.TooManyRedirects):
        client(max_redirects=3).get(f"{server.base}/loop")
    assert len(server.requests) == 4  # the first request and three redirects


def test_a_body_beyond_the_size_cap_is_not_read(server, private_allowed):
    server.answers["/small"] = [(200, {}, b"x" * 1000)]
    server.answers["/huge"] = [(200, {}, b"x" * 50_000)]
    assert client(max_bytes=1000).get(f"{server.base}/small").body == b"x" * 1000
    with pytest.raises(http.TooLarge):
        client(max_bytes=1000).get(f"{server.base}/huge")
    # A check that does not need the body does not read it.
    assert client(max_bytes=0).get(f"{server.base}/huge", read_body=False).status == 200


def test_429_and_5xx_are_retried_after_back_off_or_retry_after(
    server, private_allowed, monkeypatch
):
    waits = []
    monkeypatch.setattr(http, "time", SimpleNamespace(sleep=waits.append, monotonic=time.monotonic))
    server.answers["/busy"] = [
        (503, {}, b""),
        (429, {"Retry-After": "30"}, b""),  # longer than the back-off: waited for
        (503, {"Retry-After": "3600"}, b""),  # capped
        (200, {}, b"done"),
    ]
    fetched = client(retries=3, backoff=2.0).get(f"{server.base}/busy")
    assert (fetched.status, fetched.body) == (200, b"done")
    assert len(server.requests) == 4
    assert waits == [2.0, 30.0, http.MAX_BACKOFF_SECONDS]


def test_429_then_success_waits_as_retry_after_asks(server, private_allowed):
    server.answers["/busy"] = [(429, {"Retry-After": "1"}, b""), (200, {}, b"done")]
    started = time.monotonic()
    fetched = client(retries=1, backoff=0.01).get(f"{server.base}/busy")
    assert (fetched.status, fetched.body) == (200, b"done")
    assert time.monotonic() - started >= 1.0


def test_the_last_answer_is_returned_when_retries_run_out(server, private_allowed):
    server.answers["/down"] = [(500, {}, b"oops")]
    fetched = client(retries=2, backoff=0.01).get(f"{server.base}/down")
    assert fetched.status == 500
    assert len(server.requests) == 3


def test_a_connection_that_fails_is_not_retried(private_allowed):
    with pytest.raises(requests.ConnectionError):
        client(retries=3, backoff=10).get("http://127.0.0.1:1/")  # a closed port


# Manners --------------------------------------------------------------------------------------


def test_the_user_agent_is_sent_and_a_token_only_to_its_own_host(server, private_allowed):
    port = server.server_address[1]
    server.answers["/here"] = [(302, {"Location": f"http://localhost:{port}/there"}, b"")]
    server.answers["/there"] = [(200, {}, b"")]
    client(tokens={"127.0.0.1": "secret"}).get(f"{server.base}/here", {"Accept": "text/html"})
    [(_here, first), (_there, second)] = server.requests
    assert first["User-Agent"] == second["User-Agent"] == "SocialMediaAtlas-Test/1.0"
    assert first["Accept"] == "text/html"
    assert first["Authorization"] == "Bearer secret"
    assert "Authorization" not in second  # localhost is another host


def test_requests_to_one_host_are_paced_across_threads():
    waits = []
    pacer = http.HostPacer(10.0, sleep=waits.append)
    threads = [threading.Thread(target=pacer.wait, args=("a.example",)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pacer.wait("b.example")
    assert sorted(round(wait) for wait in waits) == [10, 20]  # b.example waits for no one


# One deadline per request ---------------------------------------------------------------------


class Dripping(ThreadingHTTPServer):
    """Sends its headers at once, then its body a byte every `interval` seconds, for as long
    as `drip_seconds` (or until the client hangs up, or the test stops it)."""

    daemon_threads = True

    def __init__(self, drip_seconds: float, interval: float) -> None:
        super().__init__(("127.0.0.1", 0), DripHandler)
        self.size = round(drip_seconds / interval)
        self.interval = interval
        self.stop = threading.Event()
        self.base = f"http://127.0.0.1:{self.server_address[1]}"


class DripHandler(BaseHTTPRequestHandler):
    server: Dripping

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        """/drip: the headers at once, then the body a byte at a time; /drip-headers: a header
        a byte at a time; /drip-chunks: a chunked body whose length line drips."""
        if self.path == "/drip-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self.drip(b"X-Slow: " + b"x" * self.server.size)
            return
        self.send_response(200)
        if self.path == "/drip-chunks":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.drip(b"0" * self.server.size)
            return
        self.send_header("Content-Length", str(self.server.size))
        self.end_headers()
        self.drip(b"x" * self.server.size)

    def drip(self, data: bytes) -> None:
        try:
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                if self.server.stop.wait(self.server.interval):
                    return
        except OSError:  # the client hung up: what the test wants
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def dripping():
    servers = []

    def start(drip_seconds: float, interval: float) -> Dripping:
        server = Dripping(drip_seconds, interval)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop.set()
        server.shutdown()
        server.server_close()


def test_a_body_dripping_past_the_deadline_ends_at_the_deadline(dripping, private_allowed):
    """Each byte comes well within a read time-out; the request as a whole must not."""
    server = dripping(drip_seconds=30, interval=0.2)
    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        client(timeout=1.0, max_bytes=1_000_000).get(f"{server.base}/drip")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-chunks"])
def test_headers_or_a_chunk_line_dripping_past_the_deadline_end_at_the_deadline(
    dripping, private_allowed, path
):
    server = dripping(drip_seconds=30, interval=0.2)
    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        client(timeout=1.0, max_bytes=1_000_000).get(f"{server.base}{path}")
    assert time.monotonic() - started < 3


def test_a_slow_body_within_the_deadline_is_read(dripping, private_allowed):
    server = dripping(drip_seconds=0.3, interval=0.05)
    assert client(timeout=2.0).get(f"{server.base}/drip").body == b"x" * 6


def test_the_deadline_starts_again_after_a_back_off(server, private_allowed):
    """Waiting as Retry-After asks is not time the answer took."""
    server.answers["/busy"] = [(429, {"Retry-After": "1"}, b""), (200, {}, b"done")]
    fetched = client(timeout=0.5, retries=1, backoff=0.01).get(f"{server.base}/busy")
    assert (fetched.status, fetched.body) == (200, b"done")


def test_a_compressed_body_is_read_decompressed(server, private_allowed):
    server.answers["/zipped"] = [(200, {"Content-Encoding": "gzip"}, gzip.compress(b"text"))]
    assert client().get(f"{server.base}/zipped").body == b"text"


def test_a_name_rebound_to_a_private_address_after_the_check_is_refused(
    server, settings, monkeypatch
):
    """DNS rebinding: the name resolves to a public address when the guard asks and to
    127.0.0.1 when the connection is made: the address connected to is checked too, and
    nothing is sent."""
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = False
    server.answers["/secret"] = [(200, {}, b"secret")]
    port = server.server_address[1]
    real_getaddrinfo = http.socket.getaddrinfo
    answers = iter(["93.184.215.14"])  # the guard's look-up; every later one is rebound

    def rebinding_getaddrinfo(host, *args, **kwargs):
        if host == "rebinding.example":
            address = next(answers, "127.0.0.1")
            return real_getaddrinfo(address, *args, **kwargs)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(http.socket, "getaddrinfo", rebinding_getaddrinfo)
    with pytest.raises(http.PrivateAddress):
        client().get(f"http://rebinding.example:{port}/secret")
    assert server.requests == []
