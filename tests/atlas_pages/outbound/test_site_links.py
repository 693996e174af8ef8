"""manage.py check_site_links against a local HTTP server (never the internet): an embassy's
website that links its accounts in the header, the footer and the body, relatively too, with
share buttons and a dead link; a robots.txt that keeps one path closed; a website gone."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from atlas_pages.models import AccountEvidence, AccountIdentity, SocialAccount
from atlas_pages.outbound import site_links
from atlas_pages.publication import generation
from tests.factories import make_account, make_country, make_person, make_post, translate

pytestmark = pytest.mark.django_db

ROBOTS = """User-agent: *
Disallow: /private/

User-agent: BadBot
Disallow: /
"""

EMBASSY_PAGE = """<!doctype html>
<html lang="en"><head>
  <meta charset="utf-8"><title>Embassy of the Kingdom of the Netherlands in Tokyo</title>
  <link rel="stylesheet" href="/css/site.css">
  <link rel="me" href="https://mastodon.example/@nltokyo">
</head><body>
<header class="site-header">
  <a href="/nl/">Home</a>
  <nav class="social"><a href="https://x.com/NLinJapan" class="icon-x">X</a></nav>
</header>
<main>
  <h1>Embassy in Tokyo</h1>
  <p>Follow the ambassador on <a href="https://www.linkedin.com/in/jane-example/?locale=ja_JP">LinkedIn</a>
  and our <a href="../blog/">blog</a>.</p>
  <p>Our former account <a href="https://twitter.com/OldEmbassyTokyo">@OldEmbassyTokyo</a> is no
  longer in use (a dead link). See also <a href="https://x.com/NLinCanada">our colleagues in
  Ottawa</a> and an account not yet published: <a href="https://youtube.com/@nltokyo">YouTube</a>.</p>
  <div class="share">
    <a href="https://twitter.com/intent/tweet?url=https%3A%2F%2Fx.com%2FNLinJapan">Tweet</a>
    <a href="https://www.facebook.com/sharer/sharer.php?u=https://facebook.com/NLEmbassyTokyo">Share</a>
    <a href="https://www.linkedin.com/shareArticle?mini=true&url=https://x.com/NLinJapan">Share</a>
    <a href="https://mastodon.example/share?text=Embassy">Toot</a>
    <a href="mailto:tok@minbuza.nl">Mail</a>
  </div>
</main>
<footer>
  <ul>
    <li><a href="https://www.facebook.com/NLEmbassyTokyo/#about">Facebook</a></li>
    <li><a href="//www.instagram.com/nlintokyo">Instagram</a></li>
    <li><a href="https://www.youtube.com/@NLinTokyoTV/videos">YouTube</a></li>
    <li><a href="/missing">A page that is gone</a></li>
  </ul>
</footer>
</body></html>
"""

OTTAWA_PAGE = '<html><body><a href="https://x.com/NLinCanada">X</a></body></html>'


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.pages = {
            "/robots.txt": ("text/plain", ROBOTS),
            "/nl/tokyo/": ("text/html; charset=utf-8", EMBASSY_PAGE),
            "/private/ottawa": ("text/html", OTTAWA_PAGE),
            "/en/tokyo/": ("text/html", '<a href="https://x.com/nlinjapan">X</a>'),
            "/files/report.pdf": ("application/pdf", "%PDF-1.4"),
        }

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.server.requests.append((self.path, self.headers.get("User-Agent", "")))
        if self.path == "/old-site":
            self.send_response(301)
            self.send_header("Location", "/nl/tokyo/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        content_type, text = self.server.pages.get(self.path, ("text/html", ""))
        body = text.encode()
        self.send_response(200 if self.path in self.server.pages else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server(settings):
    server = Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = True  # the fake websites live on 127.0.0.1
    settings.ATLAS_LINK_CHECK_HOST_INTERVAL = 0
    settings.ATLAS_LINK_CHECK_TIMEOUT = 2
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def embassy(server, japan):
    """The embassy in Tokyo with its website on the local server, its accounts and people."""
    tokyo = make_post(japan, website=f"{server.base}/nl/tokyo/")
    ambassador = make_person(post=tokyo)
    accounts = {
        "x": make_account("https://x.com/NLinJapan", post=tokyo),
        "facebook": make_account("https://facebook.com/NLEmbassyTokyo", post=tokyo),
        "instagram": make_account("https://instagram.com/nlintokyo", post=tokyo),
        "blog": make_account(f"{server.base}/nl/blog", post=tokyo, platform_slug="blog"),
        "mastodon": make_account(
            "https://mastodon.example/@nltokyo", post=tokyo, platform_slug="mastodon"
        ),
        "ambassador": make_account("https://linkedin.com/in/jane-example", person=ambassador),
        "youtube": make_account("https://youtube.com/@NLinTokyoTV", post=tokyo),
        "not_linked": make_account("https://flickr.com/photos/nltokyo", post=tokyo),
    }
    draft = make_account("https://youtube.com/@nltokyo", post=tokyo)
    SocialAccount.objects.filter(pk=draft.pk).update(live=False)
    accounts["draft"] = draft
    return tokyo, accounts


def evidence():
    """{handle: page} of the SITE_LINK evidence recorded."""
    return {
        item.account.handle: item.detail
        for item in AccountEvidence.objects.filter(kind=AccountEvidence.Kind.SITE_LINK)
    }


def run():
    out = StringIO()
    call_command("check_site_links", stdout=out)
    return out.getvalue()


def test_the_links_of_an_embassy_page():
    links = site_links.extract_links(EMBASSY_PAGE, "https://www.example.nl/nl/tokyo/")
    assert links == [
        "https://mastodon.example/@nltokyo",  # <link rel="me"> in the head
        "https://www.example.nl/nl/",
        "https://x.com/NLinJapan",
        "https://www.linkedin.com/in/jane-example/?locale=ja_JP",
        "https://www.example.nl/nl/blog/",  # relative
        "https://twitter.com/OldEmbassyTokyo",
        "https://x.com/NLinCanada",
        "https://youtube.com/@nltokyo",
        "https://www.facebook.com/NLEmbassyTokyo/",  # without its fragment
        "https://www.instagram.com/nlintokyo",  # protocol-relative
        "https://www.youtube.com/@NLinTokyoTV/videos",
        "https://www.example.nl/missing",
    ]  # no share buttons, no stylesheet, no mailto


@pytest.mark.parametrize(
    ("url", "share"),
    [
        ("https://twitter.com/intent/tweet?text=hi", True),
        ("https://x.com/intent/post?url=x", True),
        ("https://twitter.com/share?url=x", True),
        ("https://www.facebook.com/sharer/sharer.php?u=x", True),
        ("https://m.facebook.com/sharer.php?u=x", True),
        ("https://www.linkedin.com/sharing/share-offsite/?url=x", True),
        ("https://bsky.app/intent/compose?text=x", True),
        ("https://api.whatsapp.com/send?text=x", True),
        ("https://mastodon.social/share?text=x", True),
        ("https://x.com/NLinJapan", False),
        ("https://www.facebook.com/NLEmbassyTokyo", False),
        ("https://www.linkedin.com/company/netherlands-embassy", False),
        ("https://bsky.app/profile/nlintokyo.bsky.social", False),
        ("https://x.com/ShareTheLove", False),
    ],
)
def test_share_buttons_are_not_profiles(url, share):
    assert site_links.is_share_link(url) is share


def test_a_page_s_base_element_resolves_its_relative_links():
    html = '<html><head><base href="https://cdn.example/en/"></head><a href="blog">b</a></html>'
    assert site_links.extract_links(html, "https://www.example.nl/") == [
        "https://cdn.example/en/blog"
    ]


def test_the_sweep_records_the_accounts_the_post_s_website_links_to(server, embassy, atlas):
    tokyo, accounts = embassy
    ottawa = make_post(make_country(atlas, "CA", title="Canada"), "Embassy in Ottawa")
    make_account("https://x.com/NLinCanada", post=ottawa)  # linked, but another post's
    token = generation.current()
    output = run()
    page = f"{server.base}/nl/tokyo/"
    assert evidence() == {
        "NLinJapan": page,
        "NLEmbassyTokyo": page,
        "nlintokyo": page,
        "blog": page,
        "nltokyo": page,
        "jane-example": page,  # the ambassador's, from the post's website
        "NLinTokyoTV": page,  # a tab of the YouTube channel
    }  # not Flickr (not linked), not the draft, not another post's account, not a share button
    assert "1 sites, 7 accounts linked from their post's website (7 new)" in output
    item = AccountEvidence.objects.get(account=accounts["x"], kind=AccountEvidence.Kind.SITE_LINK)
    assert timezone.now() - item.confirmed_at < timedelta(minutes=1)
    assert item.confirmed_by is None
    # The public line changed: caches see a new generation.
    assert generation.current() != token
    # robots.txt asked first, by the sweep's own User-Agent; the links themselves never fetched.
    paths = [path for path, _agent in server.requests]
    assert paths == ["/robots.txt", "/nl/tokyo/"]
    assert all(
        agent.startswith("SocialMediaAtlas-SiteLinks/1.0") for _path, agent in server.requests
    )


def test_an_address_taken_over_is_not_confirmed_by_a_link(server, embassy):
    tokyo, accounts = embassy
    AccountIdentity.objects.create(
        account=accounts["x"], identity="1", takeover_at=timezone.now(), takeover_identity="2"
    )
    run()
    assert "NLinJapan" not in evidence() and "NLEmbassyTokyo" in evidence()


def test_a_second_sweep_the_same_day_changes_nothing_public(server, embassy):
    run()
    rows = AccountEvidence.objects.count()
    token = generation.current()
    assert "(0 new)" in run()
    assert AccountEvidence.objects.count() == rows  # one row per account and kind
    assert generation.current() == token


def test_an_older_confirmation_is_renewed(server, embassy):
    tokyo, accounts = embassy
    long_ago = timezone.now() - timedelta(days=40)
    AccountEvidence.objects.create(
        account=accounts["x"],
        kind=AccountEvidence.Kind.SITE_LINK,
        detail="https://old.example/",
        confirmed_at=long_ago,
    )
    token = generation.current()
    assert "(6 new)" in run()
    item = AccountEvidence.objects.get(account=accounts["x"], kind=AccountEvidence.Kind.SITE_LINK)
    assert item.detail == f"{server.base}/nl/tokyo/" and item.confirmed_at > long_ago
    assert generation.current() != token


def test_robots_txt_closed_paths_and_dead_websites_are_not_read(server, japan, atlas):
    canada = make_country(atlas, "CA", title="Canada")
    ottawa = make_post(canada, "Embassy in Ottawa", website=f"{server.base}/private/ottawa")
    osaka = make_post(japan, "Consulate in Osaka", website=f"{server.base}/gone")
    kobe = make_post(japan, "Office in Kobe", website=f"{server.base}/files/report.pdf")
    make_account("https://x.com/NLinCanada", post=ottawa)
    make_account("https://x.com/NLinOsaka", post=osaka)
    make_account("https://x.com/NLinKobe", post=kobe)
    make_post(japan, "Office without accounts", website=f"{server.base}/nl/tokyo/")
    token = generation.current()
    output = run()
    assert evidence() == {}
    assert "3 sites, 0 accounts" in output
    assert "not read: 404: 1, not HTML: 1, robots.txt: 1" in output
    assert "/private/ottawa" not in [path for path, _agent in server.requests]
    assert generation.current() == token


def test_a_moved_website_and_a_translation_s_own_address(server, embassy):
    """A website that redirects is recorded at its final address; a translation of the post
    with another website is read too."""
    tokyo, accounts = embassy
    tokyo.website = f"{server.base}/old-site"
    tokyo.save_revision().publish()
    translate(tokyo, title="Embassy in Tokyo (en)", website=f"{server.base}/en/tokyo/")
    run()
    recorded = evidence()
    assert recorded["NLinJapan"] in {f"{server.base}/nl/tokyo/", f"{server.base}/en/tokyo/"}
    assert recorded["NLEmbassyTokyo"] == f"{server.base}/nl/tokyo/"


def test_a_site_that_cannot_say_what_robots_may_do_is_not_read(server, embassy):
    del server.pages["/robots.txt"]  # a 404: no robots.txt, everything allowed
    run()
    assert len(evidence()) == 7
    AccountEvidence.objects.all().delete()

    class Failing(Handler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/robots.txt":
                self.send_error(503)
                return
            super().do_GET()

    server.RequestHandlerClass = Failing
    assert "robots.txt: 1" in run()
    assert evidence() == {}


def test_private_addresses_are_refused_unless_allowed(server, embassy, settings):
    settings.ATLAS_OUTBOUND_PRIVATE_HOSTS = False
    run()
    assert evidence() == {} and server.requests == []


def test_the_scheduler_sweeps_at_its_own_interval(monkeypatch):
    from atlas_pages.management.commands import run_scheduled_publishing

    calls = []

    def fake_call_command(name, **options):
        calls.append(name)

    monkeypatch.setattr(run_scheduled_publishing, "call_command", fake_call_command)
    call_command(
        "run_scheduled_publishing",
        interval=0,
        runs=3,
        activity_interval=0,
        site_links_interval=3600,
        stdout=StringIO(),
    )
    assert (calls.count("publish_scheduled"), calls.count("check_site_links")) == (3, 1)
