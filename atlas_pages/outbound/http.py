"""The one HTTP client for everything the atlas fetches from other sites (activity, link
checks): the one place to audit what the server asks of the internet, and how politely.

Every GET goes through ``Client.get``: a ``requests`` session whose ``HTTPAdapter`` retries
429 and 5xx answers with urllib3's ``Retry`` (exponential back-off, ``Retry-After`` honoured,
both capped), one total deadline per request (connecting, the headers and every read of the
body: a server dripping its answer byte by byte is as slow as one that does not answer), a
pause between two requests to one host (across threads), a size cap on the body (streamed,
stopped at the cap), the caller's User-Agent, API tokens sent to their own host only, and
redirects followed here, hop by hop, so that each hop passes the guard: no request to a host
that resolves to a loopback, private, link-local, reserved or multicast address (server-side
request forgery), unless ``ATLAS_OUTBOUND_PRIVATE_HOSTS`` allows it (tests, whose servers live
on 127.0.0.1). The guard asks once more of the address actually connected to: a name that
resolved to a public address for the check and to a private one for the connection (DNS
rebinding) is refused before a byte is sent.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    DecodeError,
    InvalidHeader,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.response import BaseHTTPResponse
from urllib3.util import Retry
from urllib3.util import Timeout as Urllib3Timeout

#: The longest wait before a retry, whatever a Retry-After header asks.
MAX_BACKOFF_SECONDS = 60
#: The answers retried: too many requests, and server errors.
RETRIED_STATUSES = frozenset({429, *range(500, 600)})
#: The most bytes of a body read at a time (each read takes what has arrived, up to this).
CHUNK_BYTES = 64 * 1024

#: When this thread's latest attempt at a request started: a retry's attempt starts after its
#: back-off, which is not time the answer took.
_attempt = threading.local()


class PrivateAddress(requests.RequestException):
    """A URL whose host resolves to an address off the public internet: never asked."""


class TooLarge(requests.RequestException):
    """An answer whose body is longer than the size cap."""


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local,
    reserved, shared or multicast; an IPv4 address mapped into IPv6 counts as itself)."""
    ip = ipaddress.ip_address(address.split("%")[0])  # without an IPv6 zone (fe80::1%eth0)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def refuse_private(host: str, port: int | None = None) -> None:
    """Raise ``PrivateAddress`` unless every address `host` resolves to is public
    (``ConnectionError`` when the name does not resolve)."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port)}
    except OSError as error:
        raise requests.ConnectionError(f"{host}: {error}") from error
    if not all(is_public(address) for address in addresses):
        raise PrivateAddress(host)


class _PrivatePeer(Exception):  # noqa: N818 (not an OSError: urllib3 would retry or wrap that)
    """Connected to an address off the public internet; ``Client.get`` says PrivateAddress."""


class _Watch:
    """One request's deadline over whatever its connection waits for (the headers, a chunk's
    length line, the body): per-read time-outs alone let a server that drips a byte at a time
    hold a request for as long as it drips. At the deadline the socket is shut, which ends any
    read at once; each attempt (a retry, a redirect hop) connects anew and is watched anew."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self.timer: threading.Timer | None = None

    def watch(self, sock: socket.socket) -> None:
        """Watch the connection of this thread's current attempt (from when it started)."""
        self.stop()
        remaining = max(_attempt.started + self.seconds - time.monotonic(), 0)
        self.timer = threading.Timer(remaining, self._expire, (sock,))
        self.timer.daemon = True
        self.timer.start()

    def _expire(self, sock: socket.socket) -> None:
        if sock.fileno() == -1:  # closed: its attempt is over
            return
        self.fired = True
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()


def _guarded(sock: socket.socket) -> socket.socket:
    """A new connection's socket, watched by its request's deadline, unless the address it
    reached is not public (then closed; DNS rebinding)."""
    if not settings.ATLAS_OUTBOUND_PRIVATE_HOSTS:
        address = sock.getpeername()[0]
        if not is_public(address):
            sock.close()
            raise _PrivatePeer(address)
    if watch := getattr(_attempt, "watch", None):
        watch.watch(sock)
    return sock


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _guarded(super()._new_conn())


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _guarded(super()._new_conn())


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """requests' adapter whose connections check the address they reached (DNS rebinding) and
    are watched by their request's deadline."""

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }


class HostPacer:
    """At most one request per host every `interval` seconds, across threads."""

    def __init__(self, interval: float, sleep: Callable[[float], object] = time.sleep) -> None:
        self.interval = interval
        self.sleep = sleep
        self.lock = threading.Lock()
        self.next_at: dict[str, float] = {}

    def wait(self, host: str) -> None:
        with self.lock:
            now = time.monotonic()
            at = max(now, self.next_at.get(host, 0.0))
            self.next_at[host] = at + self.interval
        if at > now:
            self.sleep(at - now)


class Backoff(Retry):
    """urllib3's retries, waiting as the atlas always has: `backoff_factor` seconds before the
    first retry, doubled at each next one, longer when Retry-After asks, never more than
    MAX_BACKOFF_SECONDS. (urllib3's own schedule retries the first time at once.)"""

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        wait = self.backoff_factor * 2 ** max(0, len(self.history) - 1)
        if response is not None:
            try:
                wait = max(wait, self.get_retry_after(response) or 0)
            except InvalidHeader:  # an unreadable Retry-After: the back-off alone
                pass
        time.sleep(min(wait, MAX_BACKOFF_SECONDS))
        _attempt.started = time.monotonic()


@dataclass
class Fetched:
    """What a GET answered, after the redirects it followed."""

    status: int
    url: str
    headers: Mapping[str, str]
    body: bytes
    #: Each redirect followed: (status, Location as sent).
    redirects: list[tuple[int, str]]


class Client:
    """GET with the atlas's manners (see the module). One client serves many threads: each
    thread has its own session (requests' sessions are not shared by threads), the pacing is
    shared."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float,
        host_interval: float,
        max_bytes: int,
        max_redirects: int,
        retries: int = 0,
        backoff: float = 0.0,
        tokens: Mapping[str, str] | None = None,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.tokens = dict(tokens or {})
        self.private_allowed = settings.ATLAS_OUTBOUND_PRIVATE_HOSTS
        self.pacer = HostPacer(host_interval, sleep)
        # Only answers are retried: a connection that fails, or a read that times out, is
        # reported at once (and as itself: a time-out stays a Timeout).
        self.retry = Backoff(
            total=retries,
            connect=0,
            read=False,
            other=0,
            status=retries,
            status_forcelist=RETRIED_STATUSES,
            allowed_methods={"GET"},
            backoff_factor=backoff,
            raise_on_status=False,
            retry_after_max=MAX_BACKOFF_SECONDS,
        )
        self.local = threading.local()

    def _session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            session = requests.Session()
            session.headers["User-Agent"] = self.user_agent
            adapter = GuardedAdapter(max_retries=self.retry)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self.local.session = session
        return self.local.session

    def _host(self, url: str) -> str:
        """The lower-case host of an http(s) URL, once the guard lets it be asked."""
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError as error:  # a port out of range
            raise requests.exceptions.InvalidURL(url[:100]) from error
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise requests.exceptions.InvalidURL(url[:100])
        host = parts.hostname.lower()
        if not self.private_allowed:
            refuse_private(host, port)
        return host

    def get(
        self, url: str, headers: Mapping[str, str] | None = None, *, read_body: bool = True
    ) -> Fetched:
        """The answer to a GET of `url`, whatever its status, its body read (within the size
        cap) unless `read_body` is false. Raises requests' exceptions (a ``Timeout``,
        ``TooManyRedirects``, ``ConnectionError``...), ``PrivateAddress`` and ``TooLarge``."""
        watch = _attempt.watch = _Watch(self.timeout)
        try:
            fetched = self._get(url, headers, read_body)
        except requests.RequestException as error:
            if watch.fired and not isinstance(error, requests.Timeout):
                raise requests.exceptions.ReadTimeout("the answer took too long") from error
            raise
        finally:
            watch.stop()
            _attempt.watch = None
        if watch.fired:  # a body cut short by the deadline
            raise requests.exceptions.ReadTimeout("the answer took too long")
        return fetched

    def _get(self, url: str, headers: Mapping[str, str] | None, read_body: bool) -> Fetched:
        session = self._session()
        target, redirects = url, []
        while True:
            host = self._host(target)
            # A new connection per request: each is watched by its own deadline (_Watch).
            sent = {"Connection": "close", **(headers or {})}
            if token := self.tokens.get(host):
                sent["Authorization"] = f"Bearer {token}"
            self.pacer.wait(host)
            _attempt.started = time.monotonic()
            # `total`: connecting and waiting for the headers share the deadline.
            try:
                response = session.get(
                    target,
                    headers=sent,
                    timeout=Urllib3Timeout(total=self.timeout),
                    stream=True,
                    allow_redirects=False,
                )
            except _PrivatePeer as error:
                raise PrivateAddress(f"{host} ({error})") from None
            deadline = _attempt.started + self.timeout
            location = response.headers.get("Location") if response.is_redirect else None
            if not location:
                break
            response.close()
            redirects.append((response.status_code, location))
            if len(redirects) > self.max_redirects:
                raise requests.TooManyRedirects(f"more than {self.max_redirects} redirects")
            target = urljoin(response.url, location)
        with response:
            return Fetched(
                status=response.status_code,
                url=response.url,
                headers=response.headers,
                body=self._read(response, deadline) if read_body else b"",
                redirects=redirects,
            )

    def _read(self, response: requests.Response, deadline: float) -> bytes:
        """The body, stopped at the size cap, by the request's `deadline` (``time.monotonic``):
        each read takes what has arrived and waits no longer than what remains."""
        raw = response.raw
        sock = getattr(raw.connection, "sock", None)
        chunks, size = [], 0
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise requests.exceptions.ReadTimeout("the answer took too long")
                if sock is not None:
                    sock.settimeout(remaining)
                chunk = raw.read1(CHUNK_BYTES, decode_content=True)
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > self.max_bytes:
                    raise TooLarge(f"more than {self.max_bytes} bytes")
                chunks.append(chunk)
        # What requests' iter_content would have made of urllib3's errors.
        except ReadTimeoutError as error:
            raise requests.exceptions.ReadTimeout(str(error)) from error
        except ProtocolError as error:
            raise requests.exceptions.ChunkedEncodingError(str(error)) from error
        except DecodeError as error:
            raise requests.exceptions.ContentDecodingError(str(error)) from error
        except SSLError as error:
            raise requests.exceptions.SSLError(str(error)) from error
