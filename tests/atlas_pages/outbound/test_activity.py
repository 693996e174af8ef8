"""Latest posts and follower counts (atlas_pages.outbound.activity, manage.py fetch_activity),
read from
a local HTTP server in this process that plays Mastodon, Bluesky's AppView, a YouTube feed
and blogs, including slow, failing, huge, malformed and hostile answers: never the internet."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from atlas_pages.models import AccountActivity, Person, SocialAccount
from atlas_pages.outbound import activity
from atlas_pages.publication import generation, public_atlas, records
from atlas_pages.templatetags.atlas_tags import follower_count
from tests import factories
from tests.atlas_pages.editorial.test_workflow import snippet_url

HOSTILE = (
    '<p>Hello <script>alert("x")</script><b>world</b> &amp; &lt;img src=x onerror=alert(1)&gt;</p>'
)


class FakePlatforms(ThreadingHTTPServer):
    """Answers GETs from `routes` (path with query -> function(request) -> (status, headers,
    body)) and keeps every request's path and headers."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes = {}
        self.requests = []
        self.base = f"http://127.0.0.1:{self.server_address[1]}"

    def route(self, path, body=b"", status=200, headers=None):
        """A fixed answer; a dict or list body is sent as JSON."""
        if isinstance(body, dict | list):
            body, headers = json.dumps(body).encode(), {"Content-Type": "application/json"}
        elif isinstance(body, str):
            body = body.encode()
        self.routes[path] = lambda request: (status, headers or {}, body)

    def asked(self, prefix):
        return [(path, headers) for path, headers in self.requests if path.startswith(prefix)]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.requests.append((self.path, dict(self.headers)))
        answer = self.server.routes.get(self.path)
        status, headers, body = answer(self) if answer else (404, {}, b"not found")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the client gave up (a time-out test)
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    server = FakePlatforms()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = True  # the fake platforms live on 127.0.0.1
    settings.ATLAS_ACTIVITY_HOST_INTERVAL = 0
    settings.ATLAS_ACTIVITY_BACKOFF = 0.01
    settings.ATLAS_ACTIVITY_TIMEOUT = 0.5
    settings.ATLAS_ACTIVITY_RETRIES = 2
    settings.ATLAS_ACTIVITY_BLUESKY_APPVIEW = server.base
    settings.ATLAS_ACTIVITY_YOUTUBE_FEED = server.base + "/feeds/videos.xml?channel_id={channel_id}"
    yield server
    server.shutdown()
    server.server_close()


def mastodon(server, handle="consul", followers=1234, statuses=None):
    server.route(
        f"/api/v1/accounts/lookup?acct={handle}", {"id": "42", "followers_count": followers}
    )
    server.route(
        "/api/v1/accounts/42/statuses?limit=5&exclude_replies=true&exclude_reblogs=true",
        statuses
        if statuses is not None
        else [
            {
                "content": HOSTILE,
                "url": "https://social.example/@consul/1",
                "created_at": "2026-12-03T10:00:00.000Z",
            },
            {"content": "<p>Second</p>", "url": "javascript:alert(1)", "created_at": "nonsense"},
        ],
    )


def rss(*titles, link="https://blog.example/"):
    items = "".join(
        f"<item><title>{title}</title><link>{link}{n}</link>"
        f"<pubDate>0{9 - n} Dec 2026 09:00:00 GMT</pubDate></item>"
        for n, title in enumerate(titles)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>{items}</channel></rss>'
    )


def blog(server, path="/blog/", feed=None):
    """A blog page announcing its feed, and the feed (ETag "v1", 304 when it is sent back)."""
    server.route(
        path,
        f'<html><head><link rel="alternate" type="application/rss+xml" href="{path}feed.xml">'
        "</head><body>Blog</body></html>",
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    feed = (feed or rss("New &amp; <b>bold</b>", "Older")).encode()

    def answer(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": '"v1"'}, feed

    server.routes[path + "feed.xml"] = answer
    return f"{server.base}{path}"


def stored(account):
    return AccountActivity.objects.get(account=account)


@pytest.fixture
def bumps(monkeypatch):
    """How many times the publication generation was bumped."""
    calls = []
    original = generation.bump
    monkeypatch.setattr(generation, "bump", lambda **kw: (calls.append(1), original(**kw)))
    return calls


# Reading each source --------------------------------------------------------------------------


@pytest.mark.django_db
def test_mastodon_posts_and_followers_are_stored_as_plain_text(server, tokyo):
    mastodon(server)
    account = factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")

    summary = activity.fetch_all()

    assert (summary.fetched, summary.unchanged, sum(summary.failed.values())) == (1, 0, 0)
    found = stored(account)
    assert found.follower_count == 1234
    assert found.last_error == ""
    assert found.posts == [
        {
            # Markup gone, script content dropped, entities decoded to text (escaped when shown).
            "text": "Hello world & <img src=x onerror=alert(1)>",
            "url": "https://social.example/@consul/1",
            "published_at": "2026-12-03T10:00:00+00:00",
        },
        {"text": "Second", "url": "", "published_at": None},  # no javascript: link, no date
    ]
    [(path, headers)] = server.asked("/api/v1/accounts/lookup")
    assert headers["User-Agent"].startswith("SocialMediaAtlas/")


@pytest.mark.django_db
def test_bluesky_reads_the_public_appview_and_leaves_reposts_out(server, tokyo):
    server.route("/xrpc/app.bsky.actor.getProfile?actor=nl.bsky.social", {"followersCount": 10})
    record = {"text": "Hallo <b>Bluesky</b>", "createdAt": "2026-12-01T08:00:00Z"}
    server.route(
        "/xrpc/app.bsky.feed.getAuthorFeed?actor=nl.bsky.social&limit=5&filter=posts_no_replies",
        {
            "feed": [
                {
                    "post": {
                        "uri": "at://did:plc:abc/app.bsky.feed.post/3kxyz",
                        "author": {"handle": "nl.bsky.social"},
                        "record": record,
                    }
                },
                {
                    "reason": {"$type": "app.bsky.feed.defs#reasonRepost"},
                    "post": {"uri": "at://x/app.bsky.feed.post/1", "record": {"text": "Not ours"}},
                },
            ]
        },
    )
    account = factories.make_account("https://bsky.app/profile/nl.bsky.social", post=tokyo)

    activity.fetch_all()

    found = stored(account)
    assert found.follower_count == 10
    assert found.posts == [
        {
            "text": "Hallo <b>Bluesky</b>",  # plain text as typed: not read as HTML
            "url": "https://bsky.app/profile/nl.bsky.social/post/3kxyz",
            "published_at": "2026-12-01T08:00:00+00:00",
        }
    ]


ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
  <title>NL in Japan</title>
  <entry><title>Older video</title><link rel="alternate" href="https://www.youtube.com/watch?v=a"/>
    <published>2026-11-01T10:00:00+00:00</published></entry>
  <entry><title>Newest video</title><link rel="alternate" href="https://www.youtube.com/watch?v=b"/>
    <published>2026-12-02T10:00:00+00:00</published></entry>
</feed>"""


@pytest.mark.django_db
def test_a_youtube_channel_is_read_from_its_atom_feed_newest_first(server, tokyo):
    server.route(
        "/feeds/videos.xml?channel_id=UCabcdefghijklmnop",
        ATOM,
        headers={"Content-Type": "application/atom+xml"},
    )
    account = factories.make_account(
        "https://www.youtube.com/channel/UCabcdefghijklmnop", post=tokyo
    )

    activity.fetch_all()

    found = stored(account)
    assert found.follower_count is None  # the feed has none: nothing is guessed
    assert [post["text"] for post in found.posts] == ["Newest video", "Older video"]
    assert found.posts[0]["url"] == "https://www.youtube.com/watch?v=b"


@pytest.mark.django_db
def test_a_blog_feed_is_found_once_and_asked_conditionally(server, tokyo, bumps):
    account = factories.make_account(blog(server), post=tokyo, platform_slug="blog")
    bumps.clear()

    first = activity.fetch_all()
    second = activity.fetch_all()

    assert (first.fetched, second.unchanged) == (1, 1)
    found = stored(account)
    assert found.source_ref == f"{server.base}/blog/feed.xml"
    assert [post["text"] for post in found.posts] == ["New & bold", "Older"]
    # The page was read once (autodiscovery); the feed twice, the second time with its ETag.
    assert len(server.asked("/blog/")) == 3
    feed_requests = server.asked("/blog/feed.xml")
    assert [headers.get("If-None-Match") for _path, headers in feed_requests] == [None, '"v1"']
    assert len(bumps) == 1  # the 304 changed nothing the public sees


#: A post typed as plain text: what looks like markup is text; Persian with a zero-width
#: non-joiner inside a word, a family emoji of joiners, and a right-to-left override.
TYPED = "I typed <script>alert(1)</script> &amp; می\u200cخواهم 👩\u200d👧 \u202eevil"
TYPED_KEPT = "I typed <script>alert(1)</script> &amp; می\u200cخواهم 👩\u200d👧 evil"


def bluesky(server, handle="nl.bsky.social", text=TYPED):
    server.route(f"/xrpc/app.bsky.actor.getProfile?actor={handle}", {"followersCount": 10})
    server.route(
        f"/xrpc/app.bsky.feed.getAuthorFeed?actor={handle}&limit=5&filter=posts_no_replies",
        {
            "feed": [
                {
                    "post": {
                        "uri": "at://did:plc:abc/app.bsky.feed.post/3kxyz",
                        "author": {"handle": handle},
                        "record": {"text": text, "createdAt": "2026-12-01T08:00:00Z"},
                    }
                }
            ]
        },
    )


@pytest.mark.django_db
def test_text_typed_as_plain_text_is_kept_as_typed(server, tokyo):
    """Bluesky posts, Atom text titles (YouTube) and Mastodon's content warnings are plain
    text: not read as HTML; only the bidi override goes."""
    bluesky(server)
    sky = factories.make_account("https://bsky.app/profile/nl.bsky.social", post=tokyo)
    title = TYPED.replace("&", "&amp;").replace("<", "&lt;")  # as Atom escapes text
    server.route(
        "/feeds/videos.xml?channel_id=UCabcdefghijklmnop",
        ATOM.replace("Newest video", title),
        headers={"Content-Type": "application/atom+xml"},
    )
    tube = factories.make_account("https://www.youtube.com/channel/UCabcdefghijklmnop", post=tokyo)
    mastodon(server, statuses=[{"spoiler_text": "<b>CW</b> &amp;", "content": "<p>x</p>"}])
    toot = factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")

    activity.fetch_all()

    assert stored(sky).posts[0]["text"] == TYPED_KEPT
    assert stored(tube).posts[0]["text"] == TYPED_KEPT
    assert stored(toot).posts[0]["text"] == "<b>CW</b> &amp;"


@pytest.mark.django_db
def test_posts_are_shown_escaped_in_their_own_direction(server, client, tokyo):
    bluesky(server)
    factories.make_account("https://bsky.app/profile/nl.bsky.social", post=tokyo)
    activity.fetch_all()
    html = client.get(tokyo.url).content.decode()
    shown = (
        '<span class="recent-post__text" dir="auto">I typed &lt;script&gt;alert(1)&lt;/script&gt;'
        " &amp;amp; می\u200cخواهم 👩\u200d👧 evil</span>"
    )
    assert shown in html
    assert "<script>alert(1)" not in html


@pytest.mark.django_db
def test_a_platform_without_an_open_source_is_never_asked(server, tokyo):
    account = factories.make_account("https://x.com/NLinJapan", post=tokyo)
    summary = activity.fetch_all()
    assert (summary.fetched, server.requests) == (0, [])
    assert not AccountActivity.objects.filter(account=account).exists()


# Failures: one bad feed never stops the run ---------------------------------------------------


@pytest.mark.django_db
def test_429_then_200_backs_off_and_succeeds(server, tokyo):
    mastodon(server)
    lookup = "/api/v1/accounts/lookup?acct=consul"
    answers = [(429, {"Retry-After": "0"}, b""), server.routes[lookup](None)]
    server.routes[lookup] = lambda request: answers.pop(0)
    account = factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")

    summary = activity.fetch_all()

    assert summary.fetched == 1
    assert len(server.asked(lookup)) == 2
    assert stored(account).follower_count == 1234


@pytest.mark.django_db
def test_failures_are_counted_by_reason_and_the_rest_is_read(server, tokyo, settings):
    settings.ATLAS_ACTIVITY_MAX_BYTES = 10_000
    mastodon(server)
    good = factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")
    server.route("/broken/", "oops", status=500)
    server.route("/huge/", "<html>" + "x" * 50_000, headers={"Content-Type": "text/html"})
    server.route("/plain/", "<html><body>No feed here</body></html>")
    server.route("/api/v1/accounts/lookup?acct=garbled", "{not json")

    def slow(request):
        time.sleep(1.0)
        return 200, {}, b"late"

    server.routes["/slow/"] = slow
    failing = {
        "broken": factories.make_account(
            f"{server.base}/broken/", post=tokyo, platform_slug="blog"
        ),
        "huge": factories.make_account(f"{server.base}/huge/", post=tokyo, platform_slug="blog"),
        "plain": factories.make_account(f"{server.base}/plain/", post=tokyo, platform_slug="blog"),
        "slow": factories.make_account(f"{server.base}/slow/", post=tokyo, platform_slug="blog"),
        "garbled": factories.make_account(
            f"{server.base}/@garbled", post=tokyo, platform_slug="mastodon"
        ),
    }
    # What was read before stays when a later run fails.
    AccountActivity.objects.create(account=failing["broken"], posts=[{"text": "Kept"}])

    summary = activity.fetch_all()

    assert summary.fetched == 1
    assert dict(summary.failed) == {
        "HTTP 500": 1,
        "too large": 1,
        "no feed": 1,
        "timeout": 1,
        "malformed": 1,
    }
    assert len(server.asked("/broken/")) == 3  # the first try and two retries
    assert stored(good).follower_count == 1234
    assert stored(failing["broken"]).last_error == "HTTP 500"
    assert stored(failing["broken"]).posts == [{"text": "Kept"}]
    assert "fetched 1, unchanged 0, failed 5" in str(summary)


@pytest.mark.django_db
def test_private_addresses_are_refused_unless_allowed(server, tokyo, settings):
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = False
    factories.make_account(blog(server), post=tokyo, platform_slug="blog")
    summary = activity.fetch_all()
    assert (dict(summary.failed), server.requests) == ({"private address": 1}, [])


def test_an_api_token_goes_to_its_own_host_only(monkeypatch):
    monkeypatch.setenv("ATLAS_ACTIVITY_TOKENS", "social.example=abc, other.example = def")
    assert activity.api_tokens() == {"social.example": "abc", "other.example": "def"}


@pytest.mark.django_db
@pytest.mark.parametrize("followers", [10**20, -1, True, 1.5, "12"])
def test_an_absurd_follower_count_is_that_accounts_error_and_the_run_goes_on(
    server, tokyo, followers
):
    mastodon(server, "absurd", followers=followers)
    mastodon(server)
    absurd = factories.make_account(f"{server.base}/@absurd", post=tokyo, platform_slug="mastodon")
    good = factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")

    summary = activity.fetch_all()

    assert (summary.fetched, dict(summary.failed)) == (1, {"malformed": 1})
    assert stored(absurd).last_error.startswith("malformed")
    assert stored(absurd).follower_count is None
    assert stored(good).follower_count == 1234


@pytest.mark.django_db
def test_an_account_that_fails_on_storing_is_its_error_and_the_rest_is_stored(
    server, tokyo, monkeypatch
):
    """Whatever a source lets through that the database refuses stays that account's error."""
    mastodon(server)
    blog_account = factories.make_account(blog(server), post=tokyo, platform_slug="blog")
    good = factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")
    original = activity.read

    def read(job, http):
        outcome = original(job, http)
        if job.account_id == blog_account.pk:
            outcome.reading.follower_count = 10**20  # beyond any database's integer
        return outcome

    monkeypatch.setattr(activity, "read", read)
    summary = activity.fetch_all()

    assert (summary.fetched, dict(summary.failed)) == (1, {"not stored": 1})
    assert stored(good).follower_count == 1234
    found = stored(blog_account)
    assert found.last_error.startswith("not stored")
    assert (found.follower_count, found.posts, found.validators) == (None, [], {})

    monkeypatch.setattr(activity, "read", original)
    assert activity.fetch_all().fetched == 2  # asked in full again: nothing was kept
    assert [post["text"] for post in stored(blog_account).posts] == ["New & bold", "Older"]


@pytest.mark.django_db
def test_a_failing_run_keeps_the_validators_of_the_last_good_one(server, tokyo):
    """A lookup answered before the statuses failed was not stored: the next run asks it in
    full, not conditionally (a 304 would leave its follower count unread)."""
    mastodon(server)
    lookup = "/api/v1/accounts/lookup?acct=consul"
    answer = server.routes[lookup](None)
    server.routes[lookup] = lambda request: (answer[0], {**answer[1], "ETag": '"a"'}, answer[2])
    statuses = "/api/v1/accounts/42/statuses?limit=5&exclude_replies=true&exclude_reblogs=true"
    server.route(statuses, "oops", status=500)
    account = factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")

    activity.fetch_all()
    mastodon(server)
    activity.fetch_all()

    assert [headers.get("If-None-Match") for _path, headers in server.asked(lookup)] == [
        None,
        None,
    ]
    assert stored(account).follower_count == 1234


@pytest.mark.django_db
def test_a_profile_url_that_is_itself_a_feed_is_asked_conditionally(server, tokyo, bumps):
    feed_url = blog(server) + "feed.xml"
    account = factories.make_account(feed_url, post=tokyo, platform_slug="blog")

    first = activity.fetch_all()
    second = activity.fetch_all()

    assert (first.fetched, second.unchanged) == (1, 1)
    assert stored(account).source_ref == feed_url
    feed_requests = server.asked("/blog/feed.xml")
    assert [headers.get("If-None-Match") for _path, headers in feed_requests] == [None, '"v1"']


# Consent -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_personal_accounts_are_read_only_while_consent_stands(server, tokyo, bumps):
    mastodon(server)
    person = factories.make_person(post=tokyo, role=Person.Role.EMPLOYEE)
    account = factories.make_account(
        f"{server.base}/@consul", person=person, platform_slug="mastodon"
    )

    activity.fetch_all()
    assert server.requests == []
    assert not AccountActivity.objects.exists()

    person.consent_given_at = timezone.localdate()
    person.save()
    activity.fetch_all()
    assert stored(account).follower_count == 1234

    bumps.clear()
    person.consent_withdrawn_at = timezone.localdate()
    person.save()  # withdrawn: what was fetched goes at once
    assert not AccountActivity.objects.exists()
    assert bumps


@pytest.mark.django_db
def test_consent_withdrawn_through_a_translation_forgets_at_once(server, tokyo, bumps):
    """Accounts hang on the default-language person; the English one is edited."""
    person = factories.make_person(
        post=tokyo, role=Person.Role.EMPLOYEE, consent_given_at=timezone.localdate()
    )
    english = factories.translate_person(person, "Consul")
    account = factories.make_account(
        f"{server.base}/@consul", person=person, platform_slug="mastodon"
    )
    AccountActivity.objects.create(account=account, posts=[{"text": "Old"}])
    bumps.clear()

    english.consent_withdrawn_at = timezone.localdate()
    english.save()

    assert not AccountActivity.objects.exists()
    assert bumps


@pytest.mark.django_db
def test_a_run_forgets_what_was_read_when_consent_no_longer_stands(server, tokyo, monkeypatch):
    person = factories.make_person(
        post=tokyo, role=Person.Role.EMPLOYEE, consent_given_at=timezone.localdate()
    )
    account = factories.make_account(
        f"{server.base}/@consul", person=person, platform_slug="mastodon"
    )
    AccountActivity.objects.create(account=account, posts=[{"text": "Old"}])
    # Consent that lapses without a save (a rule with dates, say).
    monkeypatch.setattr(Person, "has_consent", property(lambda person: False))
    summary = activity.fetch_all()
    assert summary.forgotten == 1
    assert not AccountActivity.objects.exists()
    assert server.requests == []


# What is shown ------------------------------------------------------------------------------


def test_follower_counts_name_their_day_in_each_language():
    from datetime import UTC, datetime

    followers = records.Followers(1234, datetime(2026, 12, 3, 12, tzinfo=UTC))
    with translation.override("en"):
        assert follower_count(followers) == "1,234 followers, 3 Dec 2026"
    with translation.override("nl"):
        assert follower_count(followers) == "1.234 volgers, 3 dec 2026"


@pytest.mark.django_db
def test_pages_show_activity_escaped_and_new_activity_invalidates_the_cache(
    server, client, tokyo, japan
):
    mastodon(server)
    factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")
    assert client.get(tokyo.url)["X-Atlas-Cache"] == "miss"
    assert client.get(tokyo.url)["X-Atlas-Cache"] == "hit"

    activity.fetch_all()

    response = client.get(tokyo.url)
    assert response["X-Atlas-Cache"] == "miss"
    html = response.content.decode()
    assert "1.234 volgers" in html
    assert "Hello world &amp; &lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html and 'alert("x")' not in html
    assert 'href="javascript:' not in html
    country = client.get(japan.url).content.decode()
    assert "Recent geplaatst" in country
    assert "Hello world &amp;" in country


@pytest.mark.django_db
def test_the_public_atlas_reads_activity_in_its_three_queries(
    server, tokyo, django_assert_num_queries
):
    mastodon(server)
    for handle in ("consul", "other", "third"):
        mastodon(server, handle)
        factories.make_account(f"{server.base}/@{handle}", post=tokyo, platform_slug="mastodon")
    activity.fetch_all()
    public_atlas.load("nl")  # Wagtail's site root paths are cached from here on
    with django_assert_num_queries(3):
        atlas = public_atlas.load("nl")
    assert [account.followers.count for account in atlas.accounts] == [1234] * 3
    assert atlas.accounts[0].latest_posts[0].text.startswith("Hello world")


ACTIVITY_QUERY = """query($code: String!) { country(code: $code) { posts {
  accounts { handle followers { count fetchedAt } recentPosts(limit: 1) { text url publishedAt } }
} } }"""


@pytest.mark.django_db
def test_graphql_gives_followers_and_recent_posts_at_a_constant_cost(
    server, client, tokyo, no_response_cache, django_assert_num_queries
):
    mastodon(server)
    factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")
    activity.fetch_all()
    public_atlas.forget()

    def ask(query=ACTIVITY_QUERY):
        response = client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": {"code": "JP"}}),
            content_type="application/json",
        )
        return response.json()

    public_atlas.public_atlas()  # read once; then each query reads nothing
    with django_assert_num_queries(0):
        body = ask()
    [account] = body["data"]["country"]["posts"][0]["accounts"]
    assert account["followers"]["count"] == 1234
    assert account["recentPosts"] == [
        {
            "text": "Hello world & <img src=x onerror=alert(1)>",
            "url": "https://social.example/@consul/1",
            "publishedAt": "2026-12-03T10:00:00+00:00",
        }
    ]
    negative = ask(ACTIVITY_QUERY.replace("limit: 1", "limit: -1"))
    assert negative["errors"][0]["message"] == "limit must not be negative."


@pytest.mark.django_db
def test_activity_of_hidden_accounts_does_not_leak(server, client, tokyo, japan, django_user_model):
    """A draft account, one in moderation, one of a private post: their activity appears on no
    public surface, nor does the activity of an account on a platform whose source was removed."""
    editor = django_user_model.objects.create_user("editor", password="x")
    draft = factories.make_account("https://bsky.app/profile/draft.example", post=tokyo, live=False)
    moderated = factories.make_account(
        "https://bsky.app/profile/moderated.example", post=tokyo, live=False
    )
    moderated.save_revision(user=editor)
    moderated.get_workflow().start(moderated, editor)
    private_post = factories.make_post(japan, title="Private post", city="Osaka")
    PageViewRestriction.objects.create(page=private_post, restriction_type="password", password="x")
    private = factories.make_account("https://bsky.app/profile/private.example", post=private_post)
    twitter = factories.make_account("https://x.com/NLinJapan", post=tokyo)
    for account in (draft, moderated, private, twitter):
        AccountActivity.objects.create(
            account=account,
            follower_count=777,
            fetched_at="2026-12-01T00:00:00Z",
            posts=[{"text": f"SECRET-{account.handle}", "url": "", "published_at": None}],
        )
    query = """{ accounts(pagination: {limit: 200}) { results {
      followers { count } recentPosts(limit: 20) { text } } }
      search(query: "example") { ... on Account { recentPosts { text } } } }"""
    surfaces = [
        client.post("/graphql/", json.dumps({"query": query}), content_type="application/json"),
        client.get(tokyo.url),
        client.get(japan.url),
    ]
    for response in surfaces:
        text = response.content.decode()
        assert "SECRET-" not in text and "777" not in text


# The command and the scheduler ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_prints_a_summary(server, tokyo):
    mastodon(server)
    factories.make_account(f"{server.base}/@consul", post=tokyo, platform_slug="mastodon")
    server.route("/broken/", "oops", status=500)
    factories.make_account(f"{server.base}/broken/", post=tokyo, platform_slug="blog")
    out, err = StringIO(), StringIO()
    call_command("fetch_activity", stdout=out, stderr=err)
    assert out.getvalue() == "Activity: fetched 1, unchanged 0, failed 1 (HTTP 500 1).\n"


@pytest.mark.django_db  # each run's publishing is one batch (a transaction)
def test_the_scheduler_fetches_activity_at_its_own_interval(monkeypatch):
    runs = []
    monkeypatch.setattr(
        activity, "fetch_all", lambda progress=None: runs.append(1) or activity.Summary()
    )
    from atlas_pages.management.commands import run_scheduled_publishing

    published = []
    original = run_scheduled_publishing.call_command

    def fake_call_command(name, **options):
        if name == "publish_scheduled":
            published.append(1)
        else:
            original(name, **options)

    monkeypatch.setattr(run_scheduled_publishing, "call_command", fake_call_command)
    call_command(
        "run_scheduled_publishing", interval=0, runs=3, activity_interval=3600, stdout=StringIO()
    )
    assert (len(published), len(runs)) == (3, 1)  # publishing every run, activity once an hour


@pytest.mark.django_db
def test_the_home_page_ranks_the_most_followed_with_their_days(server, client, tokyo, atlas):
    for handle, count in (("small", 5), ("big", 5000)):
        mastodon(server, handle, followers=count)
        factories.make_account(f"{server.base}/@{handle}", post=tokyo, platform_slug="mastodon")
    factories.make_account("https://x.com/NLinJapan", post=tokyo)  # no open source: unranked
    html = client.get(atlas.url).content.decode()
    assert "Meest gevolgd" not in html  # nothing read yet: no ranking at all

    activity.fetch_all()

    html = client.get(atlas.url).content.decode()
    ranking = html[html.index('id="most-followed"') :]
    assert ranking.index("big") < ranking.index("small")
    assert "5.000 volgers" in ranking and "NLinJapan" not in ranking
    assert 'Embassy in Tokyo</a> <span class="muted">5.005 volgers, ' in ranking


@pytest.mark.django_db
def test_the_account_edit_view_shows_what_fetching_last_found(client, tokyo):
    """Editors see the last error (and when it was asked) beside the account, in their language;
    a platform without an open source says nothing is fetched."""
    blog_account = factories.make_account(
        "https://blog.example/nlintokyo/", post=tokyo, platform_slug="blog"
    )
    AccountActivity.objects.create(
        account=blog_account, checked_at=timezone.now(), last_error="HTTP 500", follower_count=7
    )
    x_account = factories.make_account("https://x.com/NLinJapan", post=tokyo)
    client.force_login(factories.make_user("chief", is_superuser=True, is_staff=True))

    html = client.get(snippet_url(SocialAccount, "edit", blog_account.pk)).content.decode()
    assert "<dd data-activity-error>HTTP 500</dd>" in html
    assert "<dt>Followers</dt><dd>7</dd>" in html
    html = client.get(snippet_url(SocialAccount, "edit", x_account.pk)).content.decode()
    assert "X (Twitter) offers no open feed: nothing is fetched." in html
    assert "data-activity" not in html

    client.force_login(factories.make_user("hoofd", language="nl", is_superuser=True))
    html = client.get(snippet_url(SocialAccount, "edit", x_account.pk)).content.decode()
    assert "X (Twitter) biedt geen open feed: er wordt niets opgehaald." in html
