"""Public responses cached per publication generation, with HTTP caching a CDN understands.

Cached: the visitor site's pages (GET under a language prefix), the open-data files
(``/export/``) and GraphQL queries (GET, and
a JSON POST of the same document shares the GET's entry), for anonymous clients only. A
request with a session cookie or an Authorization header (editors, previews, the admin) is
never answered from nor stored in the cache, and neither is a response that sets a cookie,
is not a 200, or (GraphQL) carries errors.

An entry is stored once per generation (``atlas_pages.publication.generation``) in its gzip
and brotli encodings (the plain body is decompressed for the few clients that want it), so a
hit costs two cache reads and no database work, whatever the atlas's size;
each process also keeps the entries it used lately, so a hit there is one read (the token).
A country's or post's page is also stored under its page's version (a digest of what it is
rendered from, atlas_pages.publication.page_versions): a later generation in which that version
is the same answers with it, so a publish in Japan does not render Argentina again.
Responses get a strong ETag per encoding (``304`` on ``If-None-Match``), ``Cache-Control``
with a short max-age plus ``stale-while-revalidate``, and ``Vary: Accept-Encoding`` only:
the body depends on nothing else (the language is in the URL or the ``locale`` argument).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import json
import logging
import math
import re
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from django import db
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from atlas_pages.publication import generation, public_atlas, shared_cache

try:  # brotli is optional: gzip alone serves every client
    import brotli
except ImportError:  # pragma: no cover - installed from pyproject.toml
    brotli = None

logger = logging.getLogger(__name__)

#: Response headers not replayed from the cache: per request, or recomputed per encoding.
UNSTORED_HEADERS = {
    "set-cookie",
    "vary",
    "etag",
    "cache-control",
    "content-length",
    "content-encoding",
    "date",
    "expires",
}
#: First path segments of public routes outside the language prefixes: the open-data files.
UNPREFIXED_PUBLIC = {"export"}
#: The attributes django-csp's view decorators set on a response (csp.decorators).
CSP_MARKS = tuple(
    f"_csp_{kind}{suffix}"
    for kind in ("exempt", "update", "replace", "config")
    for suffix in ("", "_ro")
)
#: The smallest body worth compressing.
MIN_COMPRESS_SIZE = 200
_ENCODING_TOKEN = re.compile(r"\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*")


@dataclass
class CachedResponse:
    """One public response, in each encoding a client may ask for.

    A body worth compressing is kept in gzip and brotli only, and decompressed for a client
    that accepts neither (few do): the plain body is ten times the others, and with it the
    country pages of 30,000 accounts filled most of a process's copies
    (ATLAS_CACHE_LOCAL_BYTES), so after a publish each process fetched them from the shared
    cache again and again."""

    status: int
    headers: dict[str, str]
    bodies: dict[str, bytes] = field(default_factory=dict)  # encoding ("gzip", ...) -> bytes
    digest: str = ""
    #: A view's own Content-Security-Policy (django-csp's decorators mark the response; the
    #: CSP middleware, outside this cache, reads the marks): kept, so a hit gets it too.
    csp_marks: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, response: HttpResponse) -> CachedResponse:
        body = response.content
        bodies = {"identity": body}
        if len(body) >= MIN_COMPRESS_SIZE:
            bodies = {"gzip": gzip.compress(body, compresslevel=6, mtime=0)}
            if brotli is not None:
                bodies["br"] = brotli.compress(body, quality=6)
        headers = {
            name: value for name, value in response.items() if name.lower() not in UNSTORED_HEADERS
        }
        marks = {name: getattr(response, name) for name in CSP_MARKS if hasattr(response, name)}
        digest = hashlib.sha256(body).hexdigest()[:32]
        return cls(response.status_code, headers, bodies, digest, marks)

    def etag(self, encoding: str) -> str:
        return f'"{self.digest}"' if encoding == "identity" else f'"{self.digest}-{encoding}"'

    def body(self, encoding: str) -> bytes:
        if encoding == "identity" and "identity" not in self.bodies:
            return gzip.decompress(self.bodies["gzip"])
        return self.bodies[encoding]

    def respond(self, request: HttpRequest, state: str) -> HttpResponse:
        """The response in the client's encoding; ``state`` (hit, miss, stale) goes in
        X-Atlas-Cache. A stale one (an earlier generation's, standing in) is not to be kept."""
        encoding = preferred_encoding(request.headers.get("Accept-Encoding", ""), self.bodies)
        etag = self.etag(encoding)
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
        else:
            body = self.body(encoding)
            response = HttpResponse(body, status=self.status)
            for name, value in self.headers.items():
                response[name] = value
            if encoding != "identity":
                response["Content-Encoding"] = encoding
            response["Content-Length"] = str(len(body))
        for name, value in self.csp_marks.items():
            setattr(response, name, value)
        response["ETag"] = etag
        response["Cache-Control"] = cache_control() if state != "stale" else "public, max-age=0"
        response["X-Atlas-Cache"] = state
        if "gzip" in self.bodies:
            patch_vary_headers(response, ["Accept-Encoding"])
        return response


class LocalEntries:
    """The entries this process has stored or read, by key, least recently used out first.

    A key names its generation, so a copy here is never stale: a hit then costs one read of the
    generation from the shared cache instead of moving the whole entry across the network.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, CachedResponse] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> CachedResponse | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: CachedResponse) -> None:
        size = sum(len(body) for body in entry.bodies.values())
        if size > self.max_bytes:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = entry
            self.size += size
            while self.size > self.max_bytes:
                _key, old = self.entries.popitem(last=False)
                self.size -= sum(len(body) for body in old.bodies.values())

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


#: This process's copies of shared entries (settings.ATLAS_CACHE_LOCAL_BYTES at most).
local_entries = LocalEntries(settings.ATLAS_CACHE_LOCAL_BYTES)


def cache_control() -> str:
    return (
        f"public, max-age={settings.ATLAS_CACHE_MAX_AGE}, "
        f"stale-while-revalidate={settings.ATLAS_CACHE_STALE_WHILE_REVALIDATE}"
    )


def preferred_encoding(accept_encoding: str, available: Collection[str]) -> str:
    """The best encoding the client accepts among those stored: brotli, gzip, identity."""
    accepted = {}
    for part in accept_encoding.split(","):
        match = _ENCODING_TOKEN.fullmatch(part)
        if match:
            try:
                accepted[match[1].lower()] = float(match[2]) if match[2] else 1.0
            except ValueError:
                continue
    for encoding in ("br", "gzip"):
        if encoding in available and accepted.get(encoding, accepted.get("*", 0)) > 0:
            return encoding
    return "identity"


def _post_document(request: HttpRequest) -> dict | None:
    """The query, variables, operation name and extensions of a GraphQL POST; None when it is
    not a plain query the cache may answer (the view then answers it, errors included)."""
    if request.method == "POST" and request.content_type == "application/json":
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError, RequestDataTooBig):  # the view answers these
            return None
        if not isinstance(document, dict):
            return None
        return _plain_query(
            {
                name: document.get(name)
                for name in ("query", "variables", "operationName", "extensions")
            }
        )
    return None


def _parameters_document(params: QueryDict) -> dict | None:
    """The document of a GraphQL GET's query parameters."""
    try:
        variables = json.loads(params["variables"]) if params.get("variables") else None
        extensions = json.loads(params["extensions"]) if params.get("extensions") else None
    except (ValueError, RecursionError):
        return None
    return _plain_query(
        {
            "query": params.get("query"),
            "variables": variables,
            "operationName": params.get("operationName"),
            "extensions": extensions,
        }
    )


def _plain_query(document: dict) -> dict | None:
    if not isinstance(document["query"], str) or not document["query"].strip():
        return None
    return document


def cache_key_source(request: HttpRequest) -> str | None:
    """What a public response depends on, or None when this request must not use the cache."""
    if not settings.ATLAS_RESPONSE_CACHE:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers:
        return None  # an editor (or any authenticated client) sees their own view
    host = request.get_host()
    if request.path in _graphql_paths(get_urlconf(), get_script_prefix()):
        if "text/html" in request.headers.get("Accept", ""):
            return None  # a browser, which may be shown GraphiQL instead of JSON
        if request.method in ("GET", "HEAD"):
            query_string = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
            document = _get_document_source(query_string, request.encoding)
        else:
            document = _document_source(_post_document(request))
        if document is None:
            return None
        return "graphql\n" + host + "\n" + document
    if request.method not in ("GET", "HEAD"):
        return None
    first_segment = request.path.split("/", 2)[1]
    if first_segment not in dict(settings.LANGUAGES) and first_segment not in UNPREFIXED_PUBLIC:
        return None  # only the visitor site (/nl/..., /en/...): not the admin or redirects
    return "page\n" + host + "\n" + request.get_full_path()


@functools.lru_cache(maxsize=16)
def _graphql_paths(urlconf: str | None, script_prefix: str) -> frozenset[str]:
    path = reverse("graphql")
    return frozenset({path, path.rstrip("/")})


def _document_source(document: dict | None) -> str | None:
    """A GraphQL request's document as the cache key names it: the same for a GET and a POST."""
    return None if document is None else json.dumps(document, sort_keys=True)


@functools.lru_cache(maxsize=1024)
def _get_document_source(query_string: bytes, encoding: str | None) -> str | None:
    """The key of a GraphQL GET, remembered by its query string: a crowd sends the same few
    (the front end's queries), and parsing them is most of what a hit costs."""
    return _document_source(_parameters_document(QueryDict(query_string, encoding=encoding)))


def storable(response: HttpResponse, is_graphql: bool) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control_header = response.get("Cache-Control", "")
    if "private" in cache_control_header or "no-store" in cache_control_header:
        return False
    if is_graphql:
        content_type = response.get("Content-Type", "")
        return content_type.startswith("application/json") and b'"errors"' not in response.content
    return True


class PublicResponseCacheMiddleware:
    """Answers public requests from the cache of the current publication generation.

    After a publish every entry is new: of many visitors asking for the same thing at once,
    one computes it while the others wait for its entry (a lock in the shared cache), so a
    crowd costs one computation per page, not one per visitor ("dogpile" protection). After a
    publish that only widened what is public, a process that has not read the new atlas yet
    answers from the previous generation's entry (for ATLAS_STALE_SECONDS at most) and reads
    it in the background, so no visitor waits for that read; so does one that finds another
    request computing the new entry, so no visitor waits for that either.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = cache_key_source(request)
        token = generation.current() if source is not None else None
        if token is None:  # private, not cacheable, or the cache is down: serve uncached
            return self.get_response(request)
        key = _entry_key(token, source)
        lock = key.replace("atlas:response:", "atlas:computing:", 1)
        entry = local_entries.get(key)
        is_page = source.startswith("page\n")
        where = None  # the page this source was last answered with, when it is a page's
        versions = {}  # the versions of pages in this generation read so far (page_version)
        if entry is None:
            # A page's entry, its page and that page's version in one read: a new generation
            # needs all three (the page as this process last found it; it is checked).
            keys = [key, page_key(source)] if is_page else [key]
            known = _pages_of.get(source) if is_page else None
            if known is not None:
                keys.append(_version_in_generation_key(token, known))
            found = shared_cache.call_cache("get_many", keys) or {}
            entry, where = found.get(key), found.get(keys[1]) if is_page else None
            if where is not None and where == known:
                versions[keys[2]] = found.get(keys[2])
            elif where is not None:
                _remember_page(source, where)
            if entry is not None:
                local_entries.put(key, entry)
        if entry is not None:
            return entry.respond(request, "hit")
        language = page_language(request) if is_page else None
        if not public_atlas.ready(token, language):
            # This process would read the atlas first. A page another process found unchanged
            # in this generation is answered without it; after a widening publish, the
            # previous generation's answer stands in while it reads in the background (a
            # page's language only; a query or a file may need every language).
            version = page_version(token, where, read_atlas=False, versions=versions)
            entry = kept_answer(token, key, source, version)
            if entry is not None:
                return entry.respond(request, "hit")
            stale = stand_in(token, source)
            if stale is not None:
                if not is_page or language is None:  # an open-data file: every language
                    public_atlas.warm_in_background(token, language)
                elif become_builder(token, language):
                    start_builder(token, language)
                elif version is not None and not builder_at_work(token, language):
                    # The builder is done and did not answer this request: this process reads.
                    # (While it works, the version of a page it is rendering is known already.)
                    public_atlas.warm_in_background(token, language)
                return stale.respond(request, "stale")
        if is_page:
            entry = kept_answer(token, key, source, page_version(token, where, versions=versions))
            if entry is not None:
                return entry.respond(request, "hit")
        if not shared_cache.call_cache("add", lock, 1, settings.ATLAS_CACHE_LOCK_TIMEOUT):
            # Another request computes it. After a widening publish the previous generation's
            # answer stands in meanwhile: rendering a country of 3,000 accounts takes a second
            # or two, and a sync worker waiting for it serves nobody else.
            stale = stand_in(token, source)
            if stale is not None:
                return stale.respond(request, "stale")
            entry = wait_for_entry(key, lock)
            if entry is not None:
                local_entries.put(key, entry)
                return entry.respond(request, "hit")
        try:
            response = self.get_response(request)
            if not storable(response, source.startswith("graphql")):
                return response
            entry = CachedResponse.of(response)
            stored = {key: entry}
            page = getattr(request, "atlas_page", None)  # a country's or post's page
            if page is not None:
                where = (page.language, page.kind, page.page_id)
                _remember_page(source, where)
                stored[_page_version_key(page.version, source)] = entry
                stored[page_key(source)] = where
                stored[_version_in_generation_key(token, where)] = page.version
                sources = shared_cache.call_cache("get", _sources_key(where)) or []
                if [source, request.scheme] not in sources:
                    sources = [*sources, [source, request.scheme]][-MAX_SOURCES_PER_PAGE:]
                    stored[_sources_key(where)] = sources
            shared_cache.call_cache("set_many", stored, settings.ATLAS_CACHE_TIMEOUT)
            local_entries.put(key, entry)
        finally:
            shared_cache.call_cache("delete", lock)
        return entry.respond(request, "miss")


def stand_in(token: str, source: str) -> CachedResponse | None:
    """An answer of an earlier generation that may stand in for this one's now
    (generation.stand_ins), the newest there is; None when there is none."""
    earlier = generation.stand_ins(token)
    if not earlier:
        return None
    keys = [_entry_key(previous, source) for previous in earlier]
    found = {key: local_entries.get(key) for key in keys}
    if found[keys[0]] is None:  # the newest is not in this process: the shared cache may have it
        missing = [key for key in keys if found[key] is None]
        found.update(shared_cache.call_cache("get_many", missing) or {})
    return next((found[key] for key in keys if found[key] is not None), None)


def page_language(request: HttpRequest) -> str | None:
    """The content language of a page of the site (its first path segment: /nl/...); None for
    the open-data files, which hold every language."""
    segment = request.path.split("/", 2)[1]
    return segment if segment in dict(settings.WAGTAIL_CONTENT_LANGUAGES) else None


def page_version(
    token: str,
    where: tuple[str, str, int] | None,
    read_atlas: bool = True,
    versions: dict[str, str | None] | None = None,
) -> str | None:
    """The version (atlas_pages.publication.page_versions) in generation ``token`` of the page
    ``where`` (language, kind, id: page_key's), "" when it is not public then; None when
    ``where`` is None, or the version is not known yet and ``read_atlas`` is False.
    ``versions``: what this request read of the shared versions already (None: not there).

    A page's version in a generation is worked out once, by the first process to need it, and
    shared: the others answer the page without reading the generation's atlas."""
    if where is None:
        return None
    version_key = _version_in_generation_key(token, where)
    if versions is not None and version_key in versions:
        version = versions[version_key]
    else:
        version = shared_cache.call_cache("get", version_key)
    if version is None and read_atlas:
        language, kind, page_id = where
        version = public_atlas.public_atlas(language).page_version(kind, page_id) or ""
        shared_cache.call_cache("set", version_key, version, settings.ATLAS_CACHE_TIMEOUT)
    return version


def kept_answer(token: str, key: str, source: str, version: str | None) -> CachedResponse | None:
    """A country's or post's page as answered in an earlier generation under its ``version``
    (page_version) in generation ``token``: a publish elsewhere does not render it again.
    Stored under this generation's ``key`` too. None when the page was not answered before, is
    not public now (version ""), has changed or its version is not known (None)."""
    if not version:
        return None
    entry_key = _page_version_key(version, source)
    entry = local_entries.get(entry_key)
    if entry is None:
        entry = shared_cache.call_cache("get", entry_key)
        if entry is None:
            return None
        local_entries.put(entry_key, entry)
    # Under this generation's key too (an answer that may stand in for a later one), by the
    # first process only: each process stored every page's answer again after every publish.
    if not shared_cache.call_cache("has_key", key):
        shared_cache.call_cache("set", key, entry, settings.ATLAS_CACHE_TIMEOUT)
    local_entries.put(key, entry)
    return entry


#: The page each source was last answered with, as this process last read it (page_key's): a
#: stale answer reads the page's version with the entry and the page, one read instead of two.
_pages_of: dict[str, tuple[str, str, int]] = {}
MAX_PAGES_REMEMBERED = 20_000


def _remember_page(source: str, where: tuple[str, str, int]) -> None:
    if len(_pages_of) >= MAX_PAGES_REMEMBERED:
        _pages_of.clear()
    _pages_of[source] = where


def page_key(source: str) -> str:
    """Where the page a request's source was last answered with is named (language, kind, id)."""
    return "atlas:page-of:" + hashlib.sha256(source.encode()).hexdigest()


def _version_in_generation_key(token: str, where: tuple[str, str, int]) -> str:
    """Where the version of a page (language, kind, id) in generation ``token`` is shared ("":
    the page is not public then)."""
    language, kind, page_id = where
    return f"atlas:page-version:{token}:{language}:{kind}:{page_id}"


def _page_version_key(version: str, source: str) -> str:
    return "atlas:response:page:" + hashlib.sha256(f"{version}\n{source}".encode()).hexdigest()


def _entry_key(token: str, source: str) -> str:
    return "atlas:response:" + hashlib.sha256(f"{token}\n{source}".encode()).hexdigest()


# After a widening publish, one process per generation and language reads the new atlas (the
# builder) and answers what changed on the pages of countries and posts; the others answer
# those pages from the cache meanwhile (kept, stale or answered by the builder) and read the
# atlas only for what the builder does not answer.

#: ``BUILDER_KEY.format(token, language)``: held by the builder of a generation's language
#: while it works, ATLAS_STALE_SECONDS at most (no earlier answer stands in after that).
BUILDER_KEY = "atlas:builder:{}:{}"
#: How many of the requests a page was answered for (host, path and query) the builder answers
#: again after a change (the most recent ones).
MAX_SOURCES_PER_PAGE = 8


def become_builder(token: str, language: str) -> bool:
    """Whether this process is the one to build generation ``token`` in ``language`` (the
    first to ask); False once another one is (remembered: a stale answer asks no more)."""
    if (token, language) in _builders_elsewhere:
        return False
    timeout = max(1, math.ceil(settings.ATLAS_STALE_SECONDS))
    if shared_cache.call_cache("add", BUILDER_KEY.format(token, language), 1, timeout) is not False:
        return True
    if len(_builders_elsewhere) >= MAX_BUILDERS_REMEMBERED:
        _builders_elsewhere.clear()
    _builders_elsewhere.add((token, language))
    return False


def builder_at_work(token: str, language: str) -> bool:
    """Whether a builder of generation ``token`` in ``language`` still works (it answers the
    changed pages it knows of: another process reading the atlas for them would waste it)."""
    return bool(shared_cache.call_cache("has_key", BUILDER_KEY.format(token, language)))


#: The generations and languages another process was found building. Only a stale answer asks,
#: and none is served after the builder's time (ATLAS_STALE_SECONDS): remembering it for longer
#: changes nothing, and a builder that ends early has answered what it found changed.
_builders_elsewhere: set[tuple[str, str]] = set()
MAX_BUILDERS_REMEMBERED = 64


def forget() -> None:
    """Forget this process's copies of entries and the builders it found (tests: as on a new
    process)."""
    local_entries.clear()
    _builders_elsewhere.clear()
    _pages_of.clear()


def start_builder(token: str, language: str) -> None:
    """Build once this request's response is sent (its visitor does not wait for it). A sync
    worker takes no other request meanwhile, so the crowd goes to the other workers and the
    build has the worker to itself: built in a thread beside the worker's requests, it shared
    the interpreter with them, took four times as long under a crowd, and the stand-ins' time
    ran out before it answered the largest country's page."""
    _after_response.work = [*getattr(_after_response, "work", []), (token, language)]


#: The builds this thread starts once its response is sent (request_finished).
_after_response = threading.local()


@receiver(request_finished)
def _build_after_response(**kwargs: object) -> None:
    work, _after_response.work = getattr(_after_response, "work", []), []
    for token, language in work:
        _builder(token, language)


def _builder(token: str, language: str) -> None:
    try:
        build_and_answer(token, language)
    except Exception:  # the processes read the atlas themselves then; not unseen
        logger.exception("Answering the pages of a new generation failed")
    finally:
        shared_cache.call_cache("delete", BUILDER_KEY.format(token, language))
        db.connection.close()  # as at the end of a request (this is after its end)


def build_and_answer(token: str, language: str) -> None:
    """The builder's work: read generation ``token``'s atlas in ``language``, share the
    version of every country's and post's page, store the answers of the unchanged ones under
    the generation's keys, and answer the requests each changed page was last answered for
    (through this application, as a visitor's request is), so the other processes find every
    such page in the cache without reading the atlas: each answers it with one read, as any
    hit (before, each process looked its version and its kept answer up: five reads a page)."""
    atlas = public_atlas.public_atlas(language)
    if not public_atlas.ready(token, language):
        return  # a newer generation came meanwhile: its own builder answers
    versions = {(atlas.language, *page): version for page, version in atlas.page_versions().items()}
    pages = list(versions)
    found = shared_cache.call_cache("get_many", [_sources_key(where) for where in pages]) or {}
    requests = {where: found.get(_sources_key(where), []) for where in pages}
    kept = [
        _page_version_key(version, source)
        for where, version in versions.items()
        if version
        for source, _scheme in requests[where]
    ]
    answers = (shared_cache.call_cache("get_many", kept) if kept else None) or {}
    stored, changed = {}, []
    for where, version in versions.items():
        missing = []
        for source, scheme in requests[where]:
            answer = answers.get(_page_version_key(version, source)) if version else None
            if answer is not None:
                stored[_entry_key(token, source)] = answer
            else:
                missing.append((source, scheme))
        if missing and not atlas.version_kept(where[1], where[2]):
            changed += missing
        else:  # unchanged; a request not answered under it before is answered when asked
            stored[_version_in_generation_key(token, where)] = version
    shared_cache.call_cache("set_many", stored, settings.ATLAS_CACHE_TIMEOUT)
    for source, scheme in changed:  # each stores its answer and its page's version
        answer_as_a_visitor(source, scheme)


def answer_as_a_visitor(source: str, scheme: str) -> None:
    """A GET of a page's ``source`` (cache_key_source) through the application, anonymous, as
    a visitor's; the response cache stores its answer."""
    _kind, host, full_path = source.split("\n", 2)
    path, _, query = full_path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),  # as a WSGI server gives it
        "QUERY_STRING": query,
        "HTTP_HOST": host,
        "SERVER_NAME": host.rsplit(":", 1)[0],
        "SERVER_PORT": "443" if scheme == "https" else "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",  # this process
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    if settings.SECURE_PROXY_SSL_HEADER and scheme == "https":
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value
    # The application the server runs (loaded before the workers fork): a handler of its own
    # loaded the middleware again, and WhiteNoise's scan of the static files cost each
    # worker's first build 0.7 s.
    from cms.wsgi import application

    response = application(environ, lambda status, headers, exc_info=None: None)
    response.close()


def _sources_key(where: tuple[str, str, int]) -> str:
    """Where the requests a page was answered for are listed ([source, scheme], newest last)."""
    language, kind, page_id = where
    return f"atlas:page-sources:{language}:{kind}:{page_id}"


def wait_for_entry(key: str, lock: str) -> CachedResponse | None:
    """The entry another request is computing, once it is stored; None when that request
    gave up (its response was not cacheable), took too long, or the cache went away: then
    this request computes it itself."""
    deadline = time.monotonic() + settings.ATLAS_CACHE_LOCK_TIMEOUT
    while time.monotonic() < deadline:
        time.sleep(0.02)
        found = shared_cache.call_cache("get_many", [key, lock])
        if not found or key in found:
            return (found or {}).get(key)
    return None
