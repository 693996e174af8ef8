"""Public responses from the cache: HTTP semantics, who bypasses it, and a cache that is down."""

import gzip
import hashlib
import json
import logging
import threading

import brotli
import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory
from wagtail.models import PageViewRestriction

from atlas_pages.models import SocialAccount
from atlas_pages.publication import generation, public_atlas, shared_cache
from cms import response_cache
from cms.response_cache import cache_key_source, page_key
from tests.factories import make_account, make_country, make_hidden_account, make_post, make_user

pytestmark = pytest.mark.django_db

COUNTRY = "query C($c: String!) { country(code: $c) { code } }"
QUERY = "query Whole { countries { code name posts { name accounts { handle } } } }"


@pytest.fixture
def account(tokyo):
    return make_account("https://x.com/NLinJapan", post=tokyo)


def get_api(client, query=QUERY, **headers):
    return client.get("/graphql/", {"query": query}, headers=headers)


def test_graphql_get_is_answered_from_the_cache_without_sql(
    client, account, django_assert_num_queries
):
    first = get_api(client)
    assert first["X-Atlas-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get_api(client)
    assert second["X-Atlas-Cache"] == "hit"
    assert second.json() == first.json()
    assert second.json()["data"]["countries"][0]["posts"][0]["accounts"] == [
        {"handle": "NLinJapan"}
    ]


def test_post_of_the_same_document_shares_the_entry(client, account):
    get_api(client)
    response = client.post(
        "/graphql/", json.dumps({"query": QUERY}), content_type="application/json"
    )
    assert response["X-Atlas-Cache"] == "hit"
    variables, other = (
        client.post(
            "/graphql/",
            json.dumps({"query": COUNTRY, "variables": {"c": code}}),
            content_type="application/json",
        )
        for code in ("jp", "ca")
    )
    assert variables["X-Atlas-Cache"] == other["X-Atlas-Cache"] == "miss"
    assert variables.json() == {"data": {"country": {"code": "JP"}}}
    assert other.json() == {"data": {"country": None}}


def test_http_caching_headers_and_304(client, account):
    response = get_api(client)
    etag = response["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert "stale-while-revalidate=" in response["Cache-Control"]
    # The body depends on the document only: not on the language or cookies of the client
    # (CORS headers depend on the Origin).
    vary = {name.strip().lower() for name in response["Vary"].split(",")}
    assert vary <= {"accept-encoding", "origin"}
    not_modified = get_api(client, **{"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    other = get_api(client, **{"If-None-Match": '"other"'})
    assert other.status_code == 200


def test_compressed_encodings_have_their_own_etags(client, tokyo):
    for number in range(10):  # a body worth compressing
        make_account(f"https://x.com/NLinJapan{number}", post=tokyo)
    plain = get_api(client)
    zipped = get_api(client, **{"Accept-Encoding": "gzip, deflate"})
    best = get_api(client, **{"Accept-Encoding": "gzip, deflate, br"})
    refused = get_api(client, **{"Accept-Encoding": "br;q=0, gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert best["Content-Encoding"] == "br"
    assert brotli.decompress(best.content) == plain.content
    assert refused["Content-Encoding"] == "gzip"
    assert len({plain["ETag"], zipped["ETag"], best["ETag"]}) == 3
    assert int(zipped["Content-Length"]) == len(zipped.content)


def test_pages_are_cached_for_anonymous_visitors(client, tokyo, django_assert_num_queries):
    assert client.get(tokyo.url)["X-Atlas-Cache"] == "miss"
    with django_assert_num_queries(0):
        hit = client.get(tokyo.url)
    assert hit["X-Atlas-Cache"] == "hit"
    assert hit["Content-Language"] == "nl"
    assert tokyo.title in hit.content.decode()


def test_logged_in_editors_bypass_the_cache(client, tokyo):
    editor = make_user("editor", is_superuser=True)
    client.force_login(editor)
    response = client.get(tokyo.url)
    assert response.status_code == 200
    assert "X-Atlas-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")
    client.logout()
    client.cookies.clear()
    assert client.get(tokyo.url)["X-Atlas-Cache"] == "miss"  # nothing was stored for them


def test_the_admin_redirects_and_errors_are_not_cached(client, tokyo):
    assert "X-Atlas-Cache" not in client.get("/admin/login/")
    assert "X-Atlas-Cache" not in client.get("/")  # redirect by Accept-Language
    client.get("/nl/no-such-page/")
    assert "X-Atlas-Cache" not in client.get("/nl/no-such-page/")
    bad = get_api(client, query="{ countries { nope } }")
    assert "errors" in bad.json()
    assert "X-Atlas-Cache" not in get_api(client, query="{ countries { nope } }")


def test_cache_switched_off(client, tokyo, settings):
    settings.ATLAS_RESPONSE_CACHE = False
    client.get(tokyo.url)
    assert "X-Atlas-Cache" not in client.get(tokyo.url)


def test_a_down_cache_serves_uncached_and_logs_once(client, account, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="atlas_pages.publication.shared_cache"):
        pages = [client.get("/nl/") for _ in range(3)]
        api = [get_api(client) for _ in range(3)]
    assert [response.status_code for response in pages + api] == [200] * 6
    assert all("X-Atlas-Cache" not in response for response in pages + api)
    assert api[0].json()["data"]["countries"][0]["posts"][0]["accounts"] == [
        {"handle": "NLinJapan"}
    ]
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1


# Against the real Redis that production uses (the `real_redis` fixture, tests/conftest.py):
# the generation lives there and nowhere else, so every app process sharing it sees a publish
# on its very next request.


def test_processes_sharing_redis_see_a_publish_at_once(client, tokyo, real_redis):
    from atlas_pages.models import SocialAccount

    account = make_account("https://x.com/NLinJapan", post=tokyo, live=False)
    assert get_api(client)["X-Atlas-Cache"] == "miss"
    assert get_api(client)["X-Atlas-Cache"] == "hit"
    token = generation.current()
    # Another process: its own connection to the same Redis finds the same entry.
    other = caches.create_connection("responses")
    assert other.get(generation.COUNTER_KEY) is not None
    SocialAccount.objects.get(pk=account.pk).save_revision().publish()
    assert other.get(generation.COUNTER_KEY) != int(token)
    response = get_api(client)
    assert response["X-Atlas-Cache"] == "miss"
    assert "NLinJapan" in response.content.decode()


def _lock_of(path_and_query):
    """The key and lock of the entry a GET of this path uses."""
    source = cache_key_source(RequestFactory().get(path_and_query))
    digest = hashlib.sha256(f"{generation.current()}\n{source}".encode()).hexdigest()
    return f"atlas:response:{digest}", f"atlas:computing:{digest}"


def _forget(path_and_query):
    """No entry of the page in either cache: neither this generation's nor the kept one."""
    source = cache_key_source(RequestFactory().get(path_and_query))
    key, _lock = _lock_of(path_and_query)
    shared_cache.response_cache().delete_many([key, page_key(source)])
    response_cache.forget()


def test_a_crowd_after_a_publish_waits_for_one_computation(
    client, tokyo, django_assert_num_queries
):
    """While one request computes a page, the others wait for its entry instead of computing
    it again: here the lock is held and the entry arrives from "another request" later."""
    reference = client.get(tokyo.url)
    key, lock = _lock_of(tokyo.url)
    entry = shared_cache.response_cache().get(key)
    _forget(tokyo.url)  # as on another process, which has no copy yet
    shared_cache.response_cache().add(lock, 1, 30)
    timer = threading.Timer(0.3, shared_cache.response_cache().set, (key, entry))
    timer.start()
    with django_assert_num_queries(0):
        waited = client.get(tokyo.url)
    timer.join()
    assert waited["X-Atlas-Cache"] == "hit"
    assert waited.content == reference.content


def test_a_request_computes_itself_when_the_other_gives_up(client, tokyo):
    client.get(tokyo.url)
    key, lock = _lock_of(tokyo.url)
    _forget(tokyo.url)
    shared_cache.response_cache().add(lock, 1, 30)
    threading.Timer(0.2, shared_cache.response_cache().delete, (lock,)).start()
    response = client.get(tokyo.url)
    assert response["X-Atlas-Cache"] == "miss"
    assert tokyo.title in response.content.decode()
    assert shared_cache.response_cache().get(lock) is None


def test_a_process_answers_from_its_own_copy_until_the_generation_changes(
    client, tokyo, django_assert_num_queries
):
    client.get(tokyo.url)
    key, _lock = _lock_of(tokyo.url)
    shared_cache.response_cache().delete(key)  # gone from the shared cache: the copy still holds
    with django_assert_num_queries(0):
        assert client.get(tokyo.url)["X-Atlas-Cache"] == "hit"
    make_account("https://x.com/NLinJapan", post=tokyo)  # a publish there: a new key and version
    assert client.get(tokyo.url)["X-Atlas-Cache"] == "miss"


# A country's or post's page is kept across publishes elsewhere while its version stays the same
# (atlas_pages.publication.page_versions; that a kept version renders the same is tested there).


@pytest.fixture(params=["local memory", "redis"])
def two_countries(request, atlas, tokyo):
    """Tokyo (an account) and Ottawa, their pages answered once, on both kinds of cache."""
    if request.param == "redis":
        request.getfixturevalue("real_redis")
    ottawa = make_post(make_country(atlas, "CA", title="Canada"), title="Embassy in Ottawa")
    make_account("https://x.com/NLinJapan", post=tokyo)
    for page in (tokyo, tokyo.get_parent(), ottawa):
        assert Client().get(page.url)["X-Atlas-Cache"] == "miss"
    return tokyo, ottawa


def test_a_publish_elsewhere_keeps_the_answer_of_an_unchanged_page(
    client, two_countries, django_assert_num_queries
):
    tokyo, ottawa = two_countries
    before = client.get(tokyo.url).content
    response_cache.forget()  # as on another process
    make_account("https://x.com/NLinCanada", post=ottawa)  # a publish in Canada
    public_atlas.public_atlas("nl")  # the new generation read
    with django_assert_num_queries(1):  # its coverage (read once, when first asked for)
        kept = client.get(tokyo.url)
    assert kept["X-Atlas-Cache"] == "hit"
    assert kept.content == before
    with django_assert_num_queries(0):
        assert client.get(tokyo.get_parent().url)["X-Atlas-Cache"] == "hit"
    changed = client.get(ottawa.url)
    assert changed["X-Atlas-Cache"] == "miss"
    assert "NLinCanada" in changed.content.decode()


def test_other_processes_keep_a_page_without_reading_the_atlas(
    client, two_countries, settings, django_assert_num_queries
):
    """The first process to need a page's version in a generation shares it: another process
    answers the unchanged page from it without reading that generation's atlas, and does not
    keep a page that changed."""
    settings.ATLAS_STALE_SECONDS = 0  # no earlier answer stands in: kept or rendered only
    tokyo, ottawa = two_countries
    before = client.get(tokyo.url).content
    make_account("https://x.com/NLinCanada", post=ottawa)  # a publish in Canada
    assert client.get(tokyo.url)["X-Atlas-Cache"] == "hit"  # this process works the version out
    token = generation.current()
    public_atlas.forget()  # as on another process, which has not read this generation
    response_cache.forget()
    with django_assert_num_queries(0):
        kept = client.get(tokyo.url)
    assert kept["X-Atlas-Cache"] == "hit"
    assert kept.content == before
    assert not public_atlas.ready(token, "nl")
    changed = client.get(ottawa.url)
    assert changed["X-Atlas-Cache"] == "miss"
    assert "NLinCanada" in changed.content.decode()


def test_a_change_to_the_page_is_never_answered_from_before(client, two_countries):
    tokyo, ottawa = two_countries
    SocialAccount.objects.get(handle="NLinJapan").unpublish()
    response = client.get(tokyo.url)
    assert response["X-Atlas-Cache"] == "miss"
    assert "NLinJapan" not in response.content.decode()
    PageViewRestriction.objects.create(page=tokyo, restriction_type="login")
    assert client.get(tokyo.url).status_code != 200
    assert client.get(ottawa.url)["X-Atlas-Cache"] == "hit"


@pytest.mark.parametrize("hidden", ["draft", "in moderation"])
def test_a_kept_page_shows_no_draft_and_nothing_in_moderation(client, two_countries, hidden):
    tokyo, ottawa = two_countries
    make_hidden_account("https://x.com/HiddenInTokyo", tokyo, hidden)
    make_account("https://x.com/NLinCanada", post=ottawa)  # a publish elsewhere
    kept = client.get(tokyo.url)
    assert kept["X-Atlas-Cache"] == "hit"
    assert "HiddenInTokyo" not in kept.content.decode()
