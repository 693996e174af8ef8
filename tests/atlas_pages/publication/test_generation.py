"""Every event that changes public content starts a new publication generation, so the very
next request sees the change although the response before it was cached."""

import contextlib
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from atlas_pages.models import Person, Platform, SocialAccount
from atlas_pages.models.signals import public_content_changed
from atlas_pages.publication import generation
from tests.factories import make_account, make_country, make_person, make_post, translate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["local memory", "redis"])
def response_cache_backend(request):
    """Every invalidation test runs on the local cache and on Redis, as in production."""
    if request.param == "redis":
        request.getfixturevalue("real_redis")
    return request.param


QUERY = "{ countries { code name posts { name accounts { handle platform { name } } } } }"


def api(client):
    response = client.get("/graphql/", {"query": QUERY})
    assert response.status_code == 200
    return response


def cached_twice(client, url):
    """The page, answered a second time from the cache (so a later change must bump)."""
    first = client.get(url)
    second = client.get(url)
    assert second["X-Atlas-Cache"] == "hit"
    assert first.content == second.content
    return second.content.decode()


def test_a_draft_saved_on_a_live_page_keeps_the_generation(tokyo):
    before = generation.current()
    tokyo.title = "Nieuwe titel"
    tokyo.save_revision()
    assert generation.current() == before


def test_page_publish_and_unpublish(client, atlas, japan):
    assert "Ambassade in Seoul" not in cached_twice(client, "/nl/")
    korea = make_country(atlas, "KR", title="Zuid-Korea", live=False)
    korea.save_revision().publish()
    assert "Zuid-Korea" in client.get("/nl/").content.decode()
    cached_twice(client, "/nl/")
    Page.objects.get(pk=korea.pk).unpublish()
    assert "Zuid-Korea" not in client.get("/nl/").content.decode()


def test_page_delete(client, japan, tokyo):
    assert tokyo.title in cached_twice(client, japan.url)
    Page.objects.get(pk=tokyo.pk).delete()
    assert tokyo.title not in client.get(japan.url).content.decode()


def test_page_move(client, atlas, japan, tokyo):
    korea = make_country(atlas, "KR", title="Zuid-Korea")
    assert tokyo.title not in cached_twice(client, korea.url)
    tokyo.move(korea, pos="last-child")
    assert tokyo.title in client.get(korea.url).content.decode()


def test_page_copy_kept_live(client, japan, tokyo):
    assert "Consulaat in Osaka" not in cached_twice(client, japan.url)
    tokyo.copy(update_attrs={"title": "Consulaat in Osaka", "slug": "osaka"}, keep_live=True)
    assert "Consulaat in Osaka" in client.get(japan.url).content.decode()


def test_view_restriction_added_and_removed(client, japan, tokyo):
    assert tokyo.title in cached_twice(client, japan.url)
    restriction = PageViewRestriction.objects.create(
        page=tokyo, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert tokyo.title not in client.get(japan.url).content.decode()
    cached_twice(client, japan.url)
    restriction.delete()
    assert tokyo.title in client.get(japan.url).content.decode()


def test_snippet_publish_unpublish_and_delete(client, tokyo):
    account = SocialAccount(
        platform=Platform.objects.get(slug="twitter"),
        url="https://x.com/NLinJapan",
        post=tokyo,
        live=False,
    )
    account.full_clean()
    account.save()
    assert "NLinJapan" not in api(client).content.decode()
    assert api(client)["X-Atlas-Cache"] == "hit"
    account.save_revision().publish()
    assert "NLinJapan" in api(client).content.decode()
    api(client)
    account = SocialAccount.objects.get(pk=account.pk)
    account.unpublish()
    assert "NLinJapan" not in api(client).content.decode()
    account.save_revision().publish()
    assert "NLinJapan" in api(client).content.decode()
    SocialAccount.objects.get(pk=account.pk).delete()
    assert "NLinJapan" not in api(client).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_publish_outside_a_transaction_makes_one_generation(settings):
    """The admin's publish button, a workflow's approval or a script publish outside a
    transaction; Wagtail's publish saves, then says so, and each change committed on its own:
    two generations per publish, and every process read the atlas twice."""
    from tests import factories
    from tests.browser.conftest import _restore_migrated_data

    _restore_migrated_data()
    settings.ATLAS_BUMP_BEFORE_COMMIT = False  # as in production
    country = factories.make_country(factories.make_atlas(), "JP")
    tokyo = factories.make_post(country)
    account = make_account("https://x.com/NLinJapan", post=tokyo, live=False)
    person = make_person(name="Jane Example", post=tokyo, live=False)
    steps = [
        lambda: account.save_revision().publish(),
        lambda: SocialAccount.objects.get(pk=account.pk).unpublish(),
        lambda: person.save_revision().publish(),
        lambda: tokyo.save_revision().publish(),
        lambda: Page.objects.get(pk=tokyo.pk).specific.unpublish(),
        lambda: country.save_revision().publish(),
    ]
    for step in steps:
        before = int(generation.current())
        step()
        assert int(generation.current()) == before + 1


def test_person_publish_and_delete(client, tokyo):
    person = make_person(name="Jane Example", post=tokyo, live=False)
    assert "Jane Example" not in cached_twice(client, tokyo.url)
    person.save_revision().publish()
    assert "Jane Example" in client.get(tokyo.url).content.decode()
    Person.objects.get(pk=person.pk).delete()
    assert "Jane Example" not in client.get(tokyo.url).content.decode()


def test_platform_change(client, tokyo):
    make_account("https://x.com/NLinJapan", post=tokyo)
    assert "X (Twitter)" in api(client).content.decode()
    assert api(client)["X-Atlas-Cache"] == "hit"
    platform = Platform.objects.get(slug="twitter")
    platform.name = "Twitter/X"
    platform.save()
    assert "Twitter/X" in api(client).content.decode()


def test_scheduled_go_live_when_publish_scheduled_runs(client, atlas, japan):
    korea = make_country(atlas, "KR", title="Zuid-Korea", live=False)
    korea.go_live_at = timezone.now() + timedelta(seconds=1)
    korea.save_revision().publish()  # a go-live moment in the future: scheduled, not live
    assert "Zuid-Korea" not in cached_twice(client, "/nl/")
    time.sleep(max(0.0, (korea.go_live_at - timezone.now()).total_seconds()) + 0.1)
    call_command("publish_scheduled")
    assert "Zuid-Korea" in client.get("/nl/").content.decode()


def test_expiry_is_seen_before_publish_scheduled_runs(client, japan, tokyo):
    tokyo.expire_at = timezone.now() + timedelta(seconds=1.5)
    tokyo.save_revision().publish()
    assert tokyo.title in cached_twice(client, japan.url)
    time.sleep(max(0.0, (tokyo.expire_at - timezone.now()).total_seconds()) + 0.1)
    assert tokyo.title not in client.get(japan.url).content.decode()


def test_translation_sync_reaches_the_other_language(client, atlas, japan, tokyo):
    translate(atlas, title="Atlas")
    translate(japan, title="Japan")
    english = translate(tokyo, title="Embassy in Tokyo")
    url = english.get_url()
    assert "Lange Voorhout 1" not in cached_twice(client, url)
    tokyo.address = "Lange Voorhout 1"
    tokyo.save_revision().publish()  # the Dutch publish pushes the address to the English page
    assert "Lange Voorhout 1" in client.get(url).content.decode()


def test_a_post_in_another_country_is_listed(client, atlas, japan):
    korea = make_country(atlas, "KR", title="Zuid-Korea")
    assert "Seoul" not in cached_twice(client, korea.url)
    post = make_post(korea, title="Ambassade in Seoul", city="Seoul", live=False)
    post.save_revision().publish()
    assert "Ambassade in Seoul" in client.get(korea.url).content.decode()


def test_a_change_the_models_announce_starts_a_new_generation(client, tokyo):
    """A withdrawal of consent takes effect on save, without a publish: the models announce it
    (public_content_changed), and the generation listens."""
    make_person(name="Jane Example", post=tokyo)
    assert "Jane Example" in cached_twice(client, tokyo.url)
    before = generation.current()
    Person.objects.update(name="Jane Withdrawn")  # a bulk update sends no save signal
    public_content_changed.send(sender=Person)
    assert generation.current() != before
    assert "Jane Withdrawn" in client.get(tokyo.url).content.decode()


def test_a_bump_announces_the_new_generation():
    announced = []

    def listener(sender, signal, **kwargs):
        announced.append((sender, signal))

    generation.generation_bumped.connect(listener)
    try:
        generation.bump()
    finally:
        generation.generation_bumped.disconnect(listener)
    assert announced == [(None, generation.generation_bumped)]


@pytest.fixture
def purge_server():
    """A stand-in CDN on 127.0.0.1 that records the PURGE requests Wagtail sends it."""
    purged = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            purged.append(f"{self.headers['Host']}{self.path}")
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, purged
    server.shutdown()


def test_a_change_purges_the_cdn_where_one_is_configured(
    settings, purge_server, tokyo, japan, django_capture_on_commit_callbacks
):
    server, purged = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    account = make_account("https://x.com/NLinJapan", post=tokyo, live=False)
    with django_capture_on_commit_callbacks(execute=True):
        account.save_revision().publish()
    assert {"localhost/nl/", "localhost/nl/japan/", "localhost/nl/japan/embassy-in-tokyo/"} <= {
        url.replace(":80", "") for url in purged
    }
    assert any(url.endswith("/graphql/") for url in purged)


def test_the_cdn_purge_follows_each_new_generation(settings, django_capture_on_commit_callbacks):
    """Connected on start (AtlasPagesConfig.ready()); queued after the generation's own commit
    callback, so the purge reads the atlas of the new generation, which requests then reuse."""
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:1",
        }
    }
    with django_capture_on_commit_callbacks() as callbacks:
        generation.bump()
    assert isinstance(callbacks[0], generation._CommitBump)
    assert [callback.__name__ for callback in callbacks[1:]] == ["_purge_if_changed"]


@pytest.mark.parametrize(
    ("changes", "stands_in"),
    [((True, True), True), ((True, False), False), ((False, True), False)],
    ids=["widening twice", "then narrowing", "narrowing first"],
)
def test_a_transaction_makes_one_generation_at_its_commit_without_bumping_before(
    settings, django_capture_on_commit_callbacks, changes, stands_in
):
    """As in production (ATLAS_BUMP_BEFORE_COMMIT off): a publish saves and then says so, two
    changes in one transaction, and other processes should read the rows once, after the commit;
    the generation widens only if every change did."""
    settings.ATLAS_BUMP_BEFORE_COMMIT = False
    settings.ATLAS_STALE_SECONDS = 5
    before = generation.current()
    with django_capture_on_commit_callbacks() as callbacks:
        for widening in changes:
            generation.bump(widening=widening)
    assert generation.current() == before  # nothing before the commit
    bumps = [callback for callback in callbacks if isinstance(callback, generation._CommitBump)]
    assert len(bumps) == 1
    bumps[0]()
    after = generation.current()
    assert int(after) == int(before) + 1
    assert generation.stand_ins(after) == ([before] if stands_in else [])


def test_a_commit_bump_rolled_back_with_its_savepoint_leaves_the_next_change_its_own(
    settings, django_capture_on_commit_callbacks
):
    from django.db import transaction

    settings.ATLAS_BUMP_BEFORE_COMMIT = False
    with django_capture_on_commit_callbacks() as callbacks:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            generation.bump(widening=True)
            raise RuntimeError("rolled back")
        generation.bump(widening=False)
    bumps = [callback for callback in callbacks if isinstance(callback, generation._CommitBump)]
    assert [bump.widening for bump in bumps] == [False]


def test_no_purge_without_a_frontend_cache(settings, tokyo, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {}
    with django_capture_on_commit_callbacks() as callbacks:
        make_account("https://x.com/NLinJapan", post=tokyo, live=False).save_revision().publish()
    assert all(callback.__name__ != "_purge_if_changed" for callback in callbacks)


def test_many_changes_in_one_transaction_purge_once(
    settings, purge_server, tokyo, django_capture_on_commit_callbacks
):
    server, purged = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("NLinJapan", "NLinJapanEN"):
            make_account(f"https://x.com/{name}", post=tokyo, live=False).save_revision().publish()
    assert [url.replace(":80", "") for url in purged].count("localhost/nl/") == 1
