"""Per-client rate limiting of the public API (cms/rate_limit.py): a 429 a GraphQL client can
read, counted per address in the shared cache for every request that makes the server work
(not for answers from the response cache), and never a hard dependency on that cache."""

import logging
import os
import subprocess
import sys
import time

import pytest
import redis
import time_machine
from django.core.cache import caches

from atlas_pages.publication import shared_cache
from tests.workers import redis_database

pytestmark = pytest.mark.django_db

QUERY = "{ countries { code } }"
LIMIT = 3
#: A Redis database of these tests only (CI starts Redis; elsewhere the real-Redis tests skip).
REDIS_URL = os.environ.get(
    "ATLAS_TEST_RATE_LIMIT_REDIS_URL", f"redis://127.0.0.1:6379/{redis_database(12)}"
)


@pytest.fixture
def limited(settings, japan):
    """A limit of LIMIT requests a minute, with the clock stopped: a minute's window ends at a
    moment of its own per client, and one ending between two requests of a test let its last
    request through (a CI run met one)."""
    settings.ATLAS_API_RATE_LIMIT = f"{LIMIT}/m"
    settings.ATLAS_RESPONSE_CACHE = False  # every request does work (see the test of hits)
    shared_cache.reset_health()
    with time_machine.travel(time.time(), tick=False):
        yield
    shared_cache.reset_health()


def ask(client, method="get", path="/graphql/", address="192.0.2.1"):
    if method == "get":
        return client.get(path, {"query": QUERY}, REMOTE_ADDR=address)
    return client.post(path, {"query": QUERY}, "application/json", REMOTE_ADDR=address)


def ask_for(client, query, address="192.0.2.1"):
    return client.get("/graphql/", {"query": query}, REMOTE_ADDR=address)


def assert_limited(response):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Content-Type"] == "application/json"
    seconds = response["Retry-After"]
    assert response.json() == {
        "errors": [
            {
                "message": f"Too many requests; please try again in {seconds} seconds.",
                "extensions": {"code": "RATE_LIMITED"},
            }
        ]
    }


@pytest.mark.usefixtures("limited")
def test_a_client_over_the_limit_gets_429_with_retry_after(client):
    # GET and POST, with and without the slash: one count per client.
    requests = [("get", "/graphql/"), ("post", "/graphql/"), ("post", "/graphql")]
    answers = [ask(client, method, path) for method, path in requests]
    assert [response.status_code for response in answers] == [200] * LIMIT
    assert answers[-1].json() == {"data": {"countries": [{"code": "JP"}]}}
    for method, path in [*requests, ("get", "/graphql")]:
        assert_limited(ask(client, method, path))


@pytest.mark.usefixtures("limited")
def test_other_clients_are_unaffected(client):
    for _ in range(LIMIT + 1):
        ask(client, address="192.0.2.1")
    assert ask(client, address="192.0.2.1").status_code == 429
    assert [ask(client, address="192.0.2.2").status_code for _ in range(LIMIT)] == [200] * LIMIT
    assert ask(client, address="192.0.2.2").status_code == 429
    # IPv6 clients are counted per /64 (one subscriber's network), other networks apart.
    for host in range(LIMIT):
        assert ask(client, address=f"2001:db8:0:1::{host + 1}").status_code == 200
    assert ask(client, address="2001:db8:0:1::ff").status_code == 429
    assert ask(client, address="2001:db8:0:2::1").status_code == 200


@pytest.mark.usefixtures("limited")
def test_answers_from_the_response_cache_are_not_counted(client, settings):
    """A hit costs less than counting it; a request that makes the server work counts."""
    settings.ATLAS_RESPONSE_CACHE = True
    answers = [ask(client) for _ in range(LIMIT + 5)]
    assert [response["X-Atlas-Cache"] for response in answers] == ["miss"] + ["hit"] * (LIMIT + 4)
    for count in range(LIMIT - 1):  # each a new document: a miss
        assert ask_for(client, f"{{ c{count}: countries {{ code }} }}").status_code == 200
    assert_limited(ask_for(client, "{ other: countries { code } }"))


@pytest.mark.usefixtures("limited")
def test_the_site_is_not_limited(client):
    for _ in range(LIMIT + 1):
        ask(client)
    assert client.get("/nl/", REMOTE_ADDR="192.0.2.1").status_code == 200


def test_no_limit_when_switched_off(client, settings, japan):
    settings.ATLAS_API_RATE_LIMIT = None
    assert {ask(client).status_code for _ in range(20)} == {200}


UNREACHABLE_REDIS = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
}


@pytest.mark.parametrize("ignore_exceptions", [True, False], ids=["as-production", "raising"])
def test_a_down_cache_serves_unlimited_and_logs_once(
    client, limited, settings, caplog, ignore_exceptions
):
    options = {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2}
    if ignore_exceptions:  # the default cache, as cms/settings/base.py configures it
        options["IGNORE_EXCEPTIONS"] = True
        settings.CACHES = {**settings.CACHES, "default": {**UNREACHABLE_REDIS, "OPTIONS": options}}
    else:  # a cache that raises, as the response cache's alias does
        settings.RATELIMIT_USE_CACHE = "responses"
        settings.CACHES = {
            **settings.CACHES,
            "responses": {**UNREACHABLE_REDIS, "OPTIONS": options},
        }
        shared_cache.reset_health()
    logger = "atlas_pages.publication.shared_cache"  # the one circuit breaker of the cache
    with caplog.at_level(logging.WARNING, logger=logger):
        answers = [ask(client) for _ in range(LIMIT * 3)]
    shared_cache.reset_health()
    assert [response.status_code for response in answers] == [200] * (LIMIT * 3)
    assert answers[-1].json() == {"data": {"countries": [{"code": "JP"}]}}
    ours = [record.getMessage() for record in caplog.records if record.name == logger]
    assert len(ours) == 1
    assert ours[0].startswith("Shared cache unreachable, serving uncached and without rate limits")


def test_an_outage_seen_by_the_count_is_one_for_the_response_cache_too(
    client, limited, settings, caplog
):
    """One circuit breaker for the shared cache: both aliases are the one Redis, so once the
    count fails, the responses go uncached too, and the outage is logged once."""
    settings.ATLAS_RESPONSE_CACHE = True
    options = {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2, "IGNORE_EXCEPTIONS": True}
    settings.CACHES = {**settings.CACHES, "default": {**UNREACHABLE_REDIS, "OPTIONS": options}}
    with caplog.at_level(logging.WARNING, logger="atlas_pages.publication.shared_cache"):
        answers = [ask(client) for _ in range(LIMIT + 1)]
    assert [response.status_code for response in answers] == [200] * (LIMIT + 1)
    # The first was looked up in the response cache before the count failed behind it.
    assert [response.get("X-Atlas-Cache") for response in answers] == ["miss"] + [None] * LIMIT
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1


def test_limiting_resumes_when_the_cache_is_back(client, limited, settings, monkeypatch):
    monkeypatch.setattr(shared_cache, "RETRY_AFTER_FAILURE", 0.0)  # try the cache again at once
    working = settings.CACHES
    down = {**UNREACHABLE_REDIS, "OPTIONS": {"IGNORE_EXCEPTIONS": True}}
    settings.CACHES = {**working, "default": down}
    assert [ask(client).status_code for _ in range(LIMIT + 1)] == [200] * (LIMIT + 1)
    settings.CACHES = working
    assert [ask(client).status_code for _ in range(LIMIT + 1)] == [200] * LIMIT + [429]


def test_a_malformed_limit_stops_the_start():
    env = {**os.environ, "ATLAS_API_RATE_LIMIT": "600 per minute"}
    result = subprocess.run(
        [sys.executable, "-c", "import cms.settings.base"], env=env, capture_output=True
    )
    assert result.returncode != 0
    assert b"ATLAS_API_RATE_LIMIT='600 per minute'" in result.stderr


# On the real Redis that production uses: the count lives there, shared by every process.


@pytest.fixture
def rate_limit_redis(settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL} in CI")
        pytest.skip(f"no Redis at {REDIS_URL}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    location = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}
    settings.CACHES = {
        "default": {**location, "KEY_PREFIX": "atlas", "OPTIONS": {"IGNORE_EXCEPTIONS": True}},
        "responses": {**location, "KEY_PREFIX": "atlas-responses"},
    }
    yield
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.mark.usefixtures("limited", "rate_limit_redis")
def test_on_redis_processes_share_one_count(client):
    assert [ask(client).status_code for _ in range(LIMIT)] == [200] * LIMIT
    # Another process: its own connection to the same Redis holds the same count.
    other = caches.create_connection("default")
    keys = list(redis.Redis.from_url(REDIS_URL).scan_iter("atlas:*:rl:*"))
    assert len(keys) == 1
    assert other.get(keys[0].decode().split(":", 2)[2]) == LIMIT
    assert_limited(ask(client))
    assert ask(client, address="192.0.2.2").status_code == 200
    assert 0 < redis.Redis.from_url(REDIS_URL).ttl(keys[0]) <= 60 + 5
