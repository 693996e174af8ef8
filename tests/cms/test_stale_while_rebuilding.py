"""No visitor waits for the atlas to be read again after a publish that only widened what is
public: the previous generation's answer stands in, for ATLAS_STALE_SECONDS at most, while the
process reads the new atlas in the background; never once it is read, and never after a change
that narrowed what is public (atlas_pages.publication.generation, "Widening and narrowing")."""

import time

import pytest
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import PageViewRestriction

from atlas_pages.models import Person, SocialAccount
from atlas_pages.models.signals import public_content_changed
from atlas_pages.publication import generation, public_atlas, shared_cache
from cms import response_cache
from tests.factories import (
    make_account,
    make_country,
    make_hidden_account,
    make_person,
    make_post,
)

STALE_SECONDS = 5


@pytest.fixture
def stale_allowed(settings):
    settings.ATLAS_STALE_SECONDS = STALE_SECONDS


@pytest.fixture
def warms(monkeypatch):
    """The generations this process was asked to read in the background, to answer a request
    itself or as the builder of the generation (not started here: the test reads it itself, as
    the thread would, when it chooses)."""
    asked = []
    monkeypatch.setattr(
        public_atlas, "warm_in_background", lambda token, language=None: asked.append(token)
    )
    monkeypatch.setattr(
        response_cache, "start_builder", lambda token, language: asked.append(token)
    )
    return asked


@pytest.fixture
def listed(tokyo, stale_allowed):
    """A page with one account, answered once (its entry cached) and the atlas read."""
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    public_atlas.public_atlases()
    return account


def page(client, tokyo):
    response = client.get(tokyo.url)
    assert response.status_code == 200
    return response["X-Atlas-Cache"], response.content.decode()


def publish_new_account(tokyo):
    account = make_account("https://x.com/NewInTokyo", post=tokyo, live=False)
    SocialAccount.objects.get(pk=account.pk).save_revision().publish()
    return account


def test_a_widening_publish_is_answered_from_the_previous_generation_until_read(
    client, tokyo, listed, warms
):
    assert page(client, tokyo)[0] == "miss"
    publish_new_account(tokyo)
    token = generation.current()
    assert generation.stand_ins(token)

    state, body = page(client, tokyo)
    assert state == "stale"
    assert "NLinJapan" in body and "NewInTokyo" not in body
    assert warms == [token]  # the new atlas is being read meanwhile
    response = client.get(tokyo.url)
    assert response["Cache-Control"] == "public, max-age=0"  # a CDN does not keep it

    public_atlas.public_atlases()  # what the background read does
    assert public_atlas.ready(token)
    state, body = page(client, tokyo)
    assert state == "miss" and "NewInTokyo" in body
    assert page(client, tokyo)[0] == "hit"  # never the previous one again


def test_the_previous_answer_stands_in_for_a_bounded_time_only(client, tokyo, listed, warms):
    page(client, tokyo)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        publish_new_account(tokyo)
        traveller.shift(STALE_SECONDS - 1)
        assert page(client, tokyo)[0] == "stale"
        traveller.shift(2)
        state, body = page(client, tokyo)
    assert state == "miss" and "NewInTokyo" in body


def test_a_chain_of_widening_publishes_stands_in_with_the_newest_answer_there_is(
    client, tokyo, listed, warms
):
    page(client, tokyo)
    publish_new_account(tokyo)
    account = SocialAccount.objects.get(handle="NewInTokyo")
    account.display_name = "New in Tokyo"
    account.save_revision().publish()
    assert len(generation.stand_ins(generation.current())) >= 2
    state, body = page(client, tokyo)
    assert state == "stale" and "NewInTokyo" not in body


def test_a_widening_publish_stands_in_on_redis(client, tokyo, listed, warms, real_redis):
    """As production runs it: django-redis increments the counter through Lua, whose numbers
    are doubles, so the counter must stay exact there (it once started in nanoseconds and came
    back rounded: no stand-in was ever found)."""
    assert page(client, tokyo)[0] == "miss"
    publish_new_account(tokyo)
    assert generation.stand_ins(generation.current())
    state, body = page(client, tokyo)
    assert state == "stale" and "NewInTokyo" not in body


def test_a_counter_of_an_earlier_release_starts_again_below_the_exact_limit(
    db, real_redis, stale_allowed
):
    shared_cache.response_cache().set(generation.COUNTER_KEY, time.time_ns(), None)
    before = generation.current()
    assert int(before) < generation.MAX_EXACT_COUNTER
    generation.bump(widening=True)
    after = generation.current()
    assert int(after) == int(before) + 1
    assert generation.stand_ins(after) == [before]


def withdraw_consent(tokyo):
    person = Person.objects.get(name="Jane Example")
    person.consent_withdrawn_at = timezone.localdate()
    person.save_revision().publish()


def make_private(tokyo):
    PageViewRestriction.objects.create(page=tokyo, restriction_type="login")


def unpublish_account(tokyo):
    SocialAccount.objects.get(handle="NLinJapan").unpublish()


def close_account(tokyo):
    account = SocialAccount.objects.get(handle="NLinJapan")
    account.status = SocialAccount.Status.CLOSED
    account.status_since = timezone.localdate()
    account.save_revision().publish()


def move_account_to_a_person(tokyo):
    account = SocialAccount.objects.get(handle="NLinJapan")
    account.person = Person.objects.get(name="Jane Example")
    account.post = None
    account.save_revision().publish()


def announce(tokyo):
    public_content_changed.send(sender=Person)


@pytest.mark.parametrize(
    "narrowing",
    [
        withdraw_consent,
        make_private,
        unpublish_account,
        close_account,
        move_account_to_a_person,
        announce,
    ],
)
def test_nothing_stands_in_after_a_change_that_may_narrow(client, tokyo, listed, warms, narrowing):
    make_person(post=tokyo, consent_given_at=timezone.localdate())
    make_account("https://x.com/JaneInTokyo", person=Person.objects.get(name="Jane Example"))
    public_atlas.public_atlases()
    page(client, tokyo)
    before = int(generation.current())
    narrowing(tokyo)
    # Answers computed after the change may stand in for later widening ones; none before it.
    assert all(int(earlier) > before for earlier in generation.stand_ins(generation.current()))
    response = client.get(tokyo.url)
    assert response.get("X-Atlas-Cache") != "stale"
    assert warms == []


def test_a_publish_that_keeps_what_decides_visibility_widens(tokyo, listed):
    account = SocialAccount.objects.get(handle="NLinJapan")
    account.display_name = "Netherlands in Japan"
    account.save_revision().publish()
    assert generation.stand_ins(generation.current())


def test_a_batch_widens_only_if_every_change_in_it_widens(tokyo, listed):
    with generation.batch():
        publish_new_account(tokyo)
    assert generation.stand_ins(generation.current())
    with generation.batch():
        publish_new_account_two = make_account("https://x.com/Second", post=tokyo, live=False)
        SocialAccount.objects.get(pk=publish_new_account_two.pk).save_revision().publish()
        SocialAccount.objects.get(handle="NLinJapan").unpublish()
    assert generation.stand_ins(generation.current()) == []


def test_the_setting_at_zero_turns_it_off(client, tokyo, listed, warms, settings):
    page(client, tokyo)
    settings.ATLAS_STALE_SECONDS = 0
    publish_new_account(tokyo)
    assert generation.stand_ins(generation.current()) == []
    assert page(client, tokyo)[0] == "miss"


# The rows are read from the database once per generation, whatever the number of processes.


def test_a_second_process_loads_the_first_ones_rows_without_reading_the_database(
    tokyo, listed, django_assert_num_queries
):
    generation.bump()
    token, atlases = public_atlas.public_atlases()
    public_atlas.forget()  # another process: nothing read yet
    with django_assert_num_queries(0):
        other_token, others = public_atlas.public_atlases()
    assert other_token == token
    for language, atlas in atlases.items():
        assert [account.url for account in others[language].accounts] == [
            account.url for account in atlas.accounts
        ]


def test_a_process_waits_for_the_one_reading_then_takes_its_rows(
    tokyo, listed, django_assert_num_queries
):
    generation.bump()
    token = generation.current()
    rows = public_atlas._Rows.read()
    reading = public_atlas.READING_KEY.format(token)
    from atlas_pages.publication import shared_cache

    shared_cache.call_cache("add", reading, 1, 60)
    public_atlas.forget()
    import threading

    def finish_reading():
        rows.share(token)

    threading.Timer(0.3, finish_reading).start()
    started = time.monotonic()
    with django_assert_num_queries(0):
        public_atlas.public_atlases()
    assert time.monotonic() - started >= 0.25


# The background read itself, in a thread of its own (committed rows: a transactional test).


@pytest.mark.background_reads
@pytest.mark.django_db(transaction=True)
def test_the_builder_reads_the_generation_and_answers_the_changed_page(client, settings):
    from tests import factories
    from tests.browser.conftest import _restore_migrated_data

    _restore_migrated_data()
    settings.ATLAS_STALE_SECONDS = STALE_SECONDS
    tokyo = factories.make_post(factories.make_country(factories.make_atlas(), "JP"))
    make_account("https://x.com/NLinJapan", post=tokyo)
    public_atlas.public_atlases()
    page(client, tokyo)
    with transaction.atomic():
        publish_new_account(tokyo)
    token = generation.current()
    assert page(client, tokyo)[0] == "stale"
    language = tokyo.locale.language_code
    builder = response_cache.BUILDER_KEY.format(token, language)
    deadline = time.monotonic() + 20
    while shared_cache.response_cache().get(builder) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert public_atlas.ready(token, language)
    assert not public_atlas.ready(token)  # only the page's language is built
    state, body = page(client, tokyo)
    assert state == "hit" and "NewInTokyo" in body  # answered by the builder


# One process builds a widening generation (per language) and answers what changed; the others
# answer from the cache meanwhile without reading the atlas.


@pytest.fixture
def two_pages(client, tokyo, listed, atlas):
    """Tokyo's page and Ottawa's, answered once in the current generation."""
    ottawa = make_post(make_country(atlas, "CA", title="Canada"), title="Embassy in Ottawa")
    for post in (tokyo, ottawa):
        assert page(client, post)[0] == "miss"
    return tokyo, ottawa


def answer_as_the_builder(token, language):
    """What the builder's thread does, here in the test's thread: the requests it answers must
    not close the test's database connection when they end (in production they close that
    thread's own), as Django's test client does not."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response_cache.build_and_answer(token, language)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def builder_done(token, language):
    """What the builder's thread does when it ends: it lets go of the generation."""
    shared_cache.call_cache("delete", response_cache.BUILDER_KEY.format(token, language))


def count_cache_calls(monkeypatch):
    """The calls on the shared cache from now on, by method, in order."""
    calls = []
    call_cache = shared_cache.call_cache

    def counted(method, *args, **kwargs):
        calls.append(method)
        return call_cache(method, *args, **kwargs)

    monkeypatch.setattr(shared_cache, "call_cache", counted)
    return calls


def as_another_process():
    """Forget what this process read and answered (the shared cache stays)."""
    public_atlas.forget()
    response_cache.forget()


@pytest.mark.parametrize("hidden", ["draft", "in moderation"])
def test_one_process_builds_a_generation_and_the_others_answer_from_the_cache(
    client, two_pages, warms, django_assert_num_queries, hidden, monkeypatch
):
    tokyo, ottawa = two_pages
    make_hidden_account("https://x.com/DraftInTokyo", tokyo, hidden)
    _state, ottawa_before = page(client, ottawa)
    publish_new_account(tokyo)
    token = generation.current()
    assert page(client, tokyo)[0] == "stale"
    assert warms == [token]  # this process is the builder
    as_another_process()
    assert page(client, tokyo)[0] == "stale"
    assert page(client, ottawa)[0] == "stale"
    assert warms == [token]  # the others leave it to the builder

    answer_as_the_builder(token, tokyo.locale.language_code)  # the builder's thread
    as_another_process()
    unchanged = response_cache.cache_key_source(RequestFactory().get(ottawa.url))
    reads = count_cache_calls(monkeypatch)
    with django_assert_num_queries(0):
        assert page(client, ottawa) == ("hit", ottawa_before)  # unchanged: kept
    assert reads == ["get_many", "get_many"]  # the generation; the answer, under its key
    assert shared_cache.response_cache().get(response_cache._entry_key(token, unchanged))
    with django_assert_num_queries(0):
        state, body = page(client, tokyo)  # changed: answered by the builder
    assert state == "hit"
    assert "NewInTokyo" in body and "DraftInTokyo" not in body
    assert not public_atlas.ready(token, tokyo.locale.language_code)
    assert warms == [token]


def test_a_stale_answer_costs_one_read_besides_the_generation(
    client, two_pages, warms, monkeypatch
):
    """A process that answered a page before and knows who builds the new generation answers
    it stale with one read of the shared cache besides the generation's: the new entry, the
    page and that page's version, together."""
    tokyo, _ottawa = two_pages
    assert page(client, tokyo)[0] == "hit"  # in the generation before the publish
    with generation.batch():  # one generation, as at a publish's commit in production
        publish_new_account(tokyo)
    token = generation.current()
    other_builder = response_cache.BUILDER_KEY.format(token, tokyo.locale.language_code)
    shared_cache.call_cache("add", other_builder, 1, STALE_SECONDS)
    assert page(client, tokyo)[0] == "stale"
    reads = count_cache_calls(monkeypatch)
    assert page(client, tokyo)[0] == "stale"
    assert reads == ["get_many", "get_many"]
    assert warms == []  # another process builds


def test_a_request_the_builder_did_not_answer_is_read_for(client, two_pages, warms, monkeypatch):
    """The builder answers the requests a page was last answered for; another one (here the
    page's first address, beyond what is remembered) makes its process read the atlas."""
    monkeypatch.setattr(response_cache, "MAX_SOURCES_PER_PAGE", 1)
    tokyo, _ottawa = two_pages
    other_address = tokyo.url + "?from=newsletter"
    assert client.get(other_address)["X-Atlas-Cache"] == "miss"  # remembered instead
    publish_new_account(tokyo)
    token = generation.current()
    assert page(client, tokyo)[0] == "stale"
    answer_as_the_builder(token, tokyo.locale.language_code)  # still the builder
    builder_done(token, tokyo.locale.language_code)
    as_another_process()
    assert client.get(other_address)["X-Atlas-Cache"] == "hit"
    assert page(client, tokyo)[0] == "stale"
    assert warms == [token, token]  # the builder, then this process for that address


def test_while_the_builder_works_the_others_leave_the_changed_page_to_it(client, two_pages, warms):
    """The builder shares a changed page's version as it starts rendering it: meanwhile
    another process finds the version but no answer, and answers from the previous generation
    without reading the atlas (all four other workers did, after every publish); once the
    builder is done, a request it did not answer is read for."""
    tokyo, _ottawa = two_pages
    publish_new_account(tokyo)
    token, language = generation.current(), tokyo.locale.language_code
    assert page(client, tokyo)[0] == "stale"
    assert warms == [token]  # this process is the builder
    response_cache.page_version(token, (language, "post", tokyo.id))  # its render begins
    as_another_process()
    assert page(client, tokyo)[0] == "stale"
    assert page(client, tokyo)[0] == "stale"
    assert warms == [token]  # left to the builder
    builder_done(token, language)  # without answering this request
    assert page(client, tokyo)[0] == "stale"
    assert warms == [token, token]


def test_the_previous_generation_is_freed_once_the_new_one_is_built(tokyo, listed, settings):
    """Its records link each other, so only a full collection frees them; the read model runs
    one once every language of the new generation is built (a worker grew per publish)."""
    import gc
    import weakref

    settings.ATLAS_COLLECT_PREVIOUS_GENERATION = True
    _token, atlases = public_atlas.public_atlases()
    previous = [weakref.ref(atlas) for atlas in atlases.values()]
    del atlases
    gc.disable()  # no collection but the read model's own
    try:
        generation.bump()
        public_atlas.public_atlases()
        assert [ref() for ref in previous] == [None] * len(previous)
    finally:
        gc.enable()


def test_the_memory_a_build_freed_is_given_back_once_it_is_built(tokyo, listed, monkeypatch):
    """glibc keeps freed heap for later allocations: after each build (the rows fetched, the
    records replaced) it is given back, once per language built."""
    trims = []
    monkeypatch.setattr(public_atlas, "_malloc_trim", trims.append)
    generation.bump()
    public_atlas.public_atlas("nl")
    assert trims == [0]
    public_atlas.public_atlas("nl")  # built already
    assert trims == [0]


def test_a_request_meeting_another_computing_the_page_is_answered_from_the_previous_one(
    client, tokyo, listed, warms, monkeypatch
):
    """After a widening publish, a process that has read the new atlas but finds the page
    being computed by another request answers the previous generation's answer, instead of
    waiting for it; after a narrowing one it waits (and never answers the earlier page)."""
    page(client, tokyo)
    publish_new_account(tokyo)
    public_atlas.public_atlases()  # read: the page is computed, not stood in for
    computing_elsewhere(tokyo)
    state, body = page(client, tokyo)
    assert state == "stale" and "NewInTokyo" not in body

    unpublish_account(tokyo)  # narrowing: nothing stands in; it waits for the other request
    public_atlas.public_atlases()
    waited = []
    monkeypatch.setattr(response_cache, "wait_for_entry", lambda key, lock: waited.append(key))
    key = computing_elsewhere(tokyo)
    state, body = page(client, tokyo)
    assert waited == [key] and state == "miss" and "NLinJapan" not in body


def computing_elsewhere(page) -> str:
    """The current generation's entry of a page marked as being computed by another request
    (its lock held); the entry's key."""
    from django.test import RequestFactory

    source = response_cache.cache_key_source(RequestFactory().get(page.url))
    key = response_cache._entry_key(generation.current(), source)
    shared_cache.call_cache("add", key.replace("atlas:response:", "atlas:computing:", 1), 1, 60)
    return key
