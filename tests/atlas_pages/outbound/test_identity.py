"""The identity check (atlas_pages.outbound.identity, manage.py check_identities), against a
local HTTP server in this process that plays a Mastodon server, Bluesky's public API, YouTube's
channel pages and a blog's feed, and that renames accounts and hands them over between runs:
never the internet."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from atlas_pages.models import (
    AccountEvidence,
    AccountIdentity,
    KnownServer,
    SocialAccount,
)
from atlas_pages.outbound import identity
from atlas_pages.publication import generation
from tests import factories
from tests.atlas_pages.editorial.test_workflow import snippet_url
from tests.atlas_pages.outbound.test_activity import server  # noqa: F401 (the fake platforms)

pytestmark = pytest.mark.django_db

CHANNEL = "UCabcdefghijklmnopqrstuv"
OTHER_CHANNEL = "UCzzzzzzzzzzzzzzzzzzzzzz"
KNOWN_DID = "did:plc:embassy"
OTHER_DID = "did:plc:squatter"


def mastodon(fake, handle="consul", uri=None, moved=None, fields=()):
    """The server's lookup of `handle` (and its nodeinfo: Mastodon 4.3.1)."""
    account = {
        "id": "42",
        "acct": handle,
        "uri": uri or f"{fake.base}/users/{handle}",
        "url": f"{fake.base}/@{handle}",
        "fields": list(fields),
    }
    if moved:
        account["moved"] = {"id": "43", "uri": f"{fake.base}/users/new", "url": moved}
    fake.route(f"/api/v1/accounts/lookup?acct={handle}", account)
    fake.route(
        "/.well-known/nodeinfo",
        {
            "links": [
                {
                    "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                    "href": f"{fake.base}/nodeinfo/2.0",
                }
            ]
        },
    )
    fake.route("/nodeinfo/2.0", {"software": {"name": "mastodon", "version": "4.3.1"}})


def bluesky(fake, handle="nl.bsky.social", did=KNOWN_DID, profiles=None):
    """`handle` resolves to `did` (None: to nothing); `profiles` maps a DID to its handle."""
    path = f"/xrpc/com.atproto.identity.resolveHandle?handle={handle}"
    if did:
        fake.route(path, {"did": did})
    else:
        fake.route(path, {"error": "InvalidRequest", "message": "Unable to resolve"}, 400)
    for each, each_handle in (profiles or {}).items():
        fake.route(
            f"/xrpc/app.bsky.actor.getProfile?actor={each.replace(':', '%3A')}",
            {"did": each, "handle": each_handle},
        )


def youtube_page(channel, handle=None):
    vanity = f'<link itemprop="url" href="http://www.youtube.com/@{handle}">' if handle else ""
    return (
        f'<html><head><link rel="canonical" href="https://www.youtube.com/channel/{channel}">'
        f"{vanity}</head><body></body></html>"
    )


def atom(feed_id):
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{feed_id}</id><title>Blog</title>"
        "<entry><title>Post</title><id>e1</id></entry></feed>"
    )


@pytest.fixture
def platforms(server, settings):  # noqa: F811 (the fixture imported above)
    settings.ATLAS_IDENTITY_YOUTUBE_BASE = server.base
    settings.ATLAS_MINISTRY_DOMAINS = ["netherlandsworldwide.nl"]
    return server


@pytest.fixture
def accounts(platforms, tokyo):
    """One account per open platform, each answering its first identity."""
    fake = platforms
    mastodon(fake)
    bluesky(fake)
    fake.route("/@NLinJapan", youtube_page(CHANNEL), headers={"Content-Type": "text/html"})
    fake.route("/blog/", atom("urn:uuid:blog-1"), headers={"Content-Type": "application/atom+xml"})
    return {
        "mastodon": factories.make_account(
            f"{fake.base}/@consul", post=tokyo, platform_slug="mastodon"
        ),
        "bluesky": factories.make_account("https://bsky.app/profile/nl.bsky.social", post=tokyo),
        "youtube": factories.make_account("https://www.youtube.com/@NLinJapan", post=tokyo),
        "blog": factories.make_account(f"{fake.base}/blog/", post=tokyo, platform_slug="blog"),
    }


def check():
    out = StringIO()
    call_command("check_identities", stdout=out)
    return out.getvalue()


def record(account):
    return AccountIdentity.objects.get(account=account)


def revisions(account):
    return account.revisions.order_by("pk")


# The first run: trust on first use ------------------------------------------------------------


def test_the_first_run_records_each_identity_and_the_mastodon_server(accounts, platforms):
    output = check()

    assert output == (
        "Identities: checked 4, failed 0, takeovers 0, renames 0, servers recognised 1; "
        "rename drafts prepared 0.\n"
    )
    found = {name: record(account) for name, account in accounts.items()}
    assert {name: (r.identity, r.source) for name, r in found.items()} == {
        "mastodon": (f"{platforms.base}/users/consul", "mastodon"),
        "bluesky": (KNOWN_DID, "bluesky"),
        "youtube": (CHANNEL, "youtube"),
        "blog": ("urn:uuid:blog-1", "feed"),
    }
    assert all(r.first_seen_at and r.checked_at and not r.takeover_at for r in found.values())
    known = KnownServer.objects.get()
    assert (known.host, known.platform.slug, known.software) == (
        "127.0.0.1",
        "mastodon",
        "mastodon 4.3.1",
    )
    assert not any(account.revisions.exists() for account in accounts.values())
    assert mail.outbox == []


def test_a_server_that_is_not_mastodon_is_not_recorded_as_one(platforms, tokyo):
    """A blog whose profiles look like /@name answers the lookup with a web page (or a 404)."""
    platforms.route(
        "/api/v1/accounts/lookup?acct=writer",
        "<html><body>Medium</body></html>",
        headers={"Content-Type": "text/html"},
    )
    platforms.route("/api/v1/accounts/lookup?acct=gone", "not here", status=404)
    writer = factories.make_account(
        f"{platforms.base}/@writer", post=tokyo, platform_slug="mastodon"
    )
    gone = factories.make_account(f"{platforms.base}/@gone", post=tokyo, platform_slug="mastodon")

    summary = identity.check_all()

    assert KnownServer.objects.count() == 0
    assert record(writer).last_error == "malformed: not JSON"
    assert record(writer).identity == ""
    assert record(gone).last_error == "not found: the server has no such account"
    assert dict(summary.failed) == {"malformed": 1, "not found": 1}


# Renames and takeovers between runs -----------------------------------------------------------


def hand_over_and_rename(fake):
    """What changed on the platforms between two runs."""
    # Mastodon: the account moved (the old one says where).
    mastodon(fake, moved=f"{fake.base}/@consulaat")
    # Bluesky: the old handle now resolves to someone else; the embassy's DID has a new one.
    bluesky(fake, did=OTHER_DID, profiles={KNOWN_DID: "nlinjapan.bsky.social"})
    # YouTube: the old handle is gone; the channel is now @NLinJapanOfficial.
    fake.route("/@NLinJapan", "gone", status=404)
    fake.route(
        f"/channel/{CHANNEL}",
        youtube_page(CHANNEL, "NLinJapanOfficial"),
        headers={"Content-Type": "text/html"},
    )
    # The blog's address now serves another feed.
    fake.route(
        "/blog/", atom("urn:uuid:someone-else"), headers={"Content-Type": "application/atom+xml"}
    )


def test_renames_become_one_draft_each_and_takeovers_are_flagged_in_one_run(
    accounts, platforms, moderator
):
    check()
    hand_over_and_rename(platforms)
    before = generation.current()

    output = check()

    assert "takeovers 2, renames 3" in output and "rename drafts prepared 3" in output
    assert generation.current() != before  # the public atlas narrowed at once
    # Renamed: a draft for the press desk; the live account is unchanged, nothing published.
    expected = {
        "mastodon": f"{platforms.base}/@consulaat",
        "bluesky": "https://bsky.app/profile/nlinjapan.bsky.social",
        "youtube": "https://youtube.com/@NLinJapanOfficial",
    }
    for name, new_url in expected.items():
        account = SocialAccount.objects.get(pk=accounts[name].pk)
        assert account.status == SocialAccount.Status.ACTIVE and account.live
        assert account.has_unpublished_changes
        [revision] = revisions(account)
        draft = revision.as_object()
        assert (draft.status, draft.new_url, draft.status_since) == (
            SocialAccount.Status.RENAMED,
            new_url,
            timezone.localdate(),
        )
        assert record(account).moved_to == new_url
    # Taken over: flagged with what answers now; the known identity stays.
    bsky, blog = record(accounts["bluesky"]), record(accounts["blog"])
    assert (bsky.identity, bsky.takeover_identity) == (KNOWN_DID, OTHER_DID)
    assert (blog.identity, blog.takeover_identity) == ("urn:uuid:blog-1", "urn:uuid:someone-else")
    assert bsky.takeover_at and blog.takeover_at
    assert record(accounts["mastodon"]).takeover_at is None
    assert record(accounts["youtube"]).takeover_at is None
    assert len(mail.outbox) == 1  # the moderator, once, about all of it
    flagged_at = bsky.takeover_at

    # The next run finds the same: no new draft, no new flag, no new e-mail.
    before = generation.current()
    output = check()

    assert "takeovers 0, renames 0" in output and "rename drafts prepared 0" in output
    assert all(revisions(accounts[name]).count() == 1 for name in expected)
    assert record(accounts["bluesky"]).takeover_at == flagged_at
    assert generation.current() == before
    assert len(mail.outbox) == 1


def test_a_mastodon_handle_held_by_another_account_is_a_takeover_not_its_move(accounts, platforms):
    check()
    # The name was freed and registered again; the new holder has moved on in turn.
    mastodon(
        platforms,
        uri=f"{platforms.base}/users/impostor",
        moved=f"{platforms.base}/@elsewhere",
    )

    summary = identity.check_all()

    found = record(accounts["mastodon"])
    assert summary.takeovers == [accounts["mastodon"].pk] and summary.renames == []
    assert (found.identity, found.takeover_identity, found.moved_to) == (
        f"{platforms.base}/users/consul",
        f"{platforms.base}/users/impostor",
        "",
    )


def test_an_identity_entered_by_an_editor_wins_over_the_first_seen(platforms, tokyo):
    bluesky(platforms, did=OTHER_DID, profiles={KNOWN_DID: "nl.bsky.social"})
    account = factories.make_account(
        "https://bsky.app/profile/nl.bsky.social", post=tokyo, platform_identity=KNOWN_DID
    )

    summary = identity.check_all()

    found = record(account)
    assert (found.identity, found.source) == (KNOWN_DID, AccountIdentity.Source.EDITOR)
    assert found.takeover_identity == OTHER_DID and summary.takeovers == [account.pk]
    assert found.moved_to == ""  # the DID's handle is still the account's: no rename


def test_renamed_and_closed_accounts_and_closed_platforms_are_not_checked(platforms, tokyo):
    factories.make_account(
        "https://bsky.app/profile/old.bsky.social",
        post=tokyo,
        status=SocialAccount.Status.RENAMED,
        new_url="https://bsky.app/profile/new.bsky.social",
    )
    factories.make_account("https://x.com/NLinJapan", post=tokyo)

    assert identity.check_all().checked == 0
    assert platforms.requests == []


# Errors ---------------------------------------------------------------------------------------


def test_errors_are_the_account_s_own_and_the_run_goes_on(accounts, platforms, settings):
    check()
    platforms.route("/api/v1/accounts/lookup?acct=consul", "down", status=500)
    platforms.route("/@NLinJapan", "<html>no channel here</html>")
    platforms.route("/blog/", b"\x00\x01 not a feed", headers={"Content-Type": "text/plain"})
    settings.ATLAS_ACTIVITY_RETRIES = 0

    output = check()

    assert output.startswith("Identities: checked 4, failed 3 (")
    assert record(accounts["mastodon"]).last_error == "HTTP 500"
    assert record(accounts["youtube"]).last_error == "not found: the page names no channel"
    assert record(accounts["blog"]).last_error.startswith("no feed")
    # What was known stays; the account that answered is checked as usual.
    assert record(accounts["mastodon"]).identity == f"{platforms.base}/users/consul"
    assert record(accounts["bluesky"]).last_error == ""
    assert not AccountIdentity.objects.filter(takeover_at__isnull=False).exists()


def test_a_failure_to_store_one_account_is_counted_and_the_rest_is_stored(accounts, monkeypatch):
    original = identity._recognise

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(identity, "_recognise", broken)
    summary = identity.check_all()
    monkeypatch.setattr(identity, "_recognise", original)

    assert dict(summary.failed) == {"not stored (RuntimeError)": 1}
    assert not AccountIdentity.objects.filter(account=accounts["mastodon"]).exists()
    assert record(accounts["bluesky"]).identity == KNOWN_DID


# Evidence -------------------------------------------------------------------------------------


def test_mastodon_s_verified_link_to_the_atlas_is_evidence(platforms, tokyo, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://atlas.example"
    mastodon(
        platforms,
        fields=[
            {
                "name": "Elsewhere",
                "value": '<a href="https://blog.example/">blog</a>',
                "verified_at": "2026-11-01T10:00:00.000Z",
            },
            {
                "name": "Atlas",
                "value": '<a href="https://atlas.example/ja/tokyo/" rel="me">atlas</a>',
                "verified_at": "2026-11-02T10:00:00.000Z",
            },
            {"name": "Unverified", "value": '<a href="https://atlas.example/x/">x</a>'},
        ],
    )
    account = factories.make_account(
        f"{platforms.base}/@consul", post=tokyo, platform_slug="mastodon"
    )
    before = generation.current()

    identity.check_all()

    evidence = AccountEvidence.objects.get(account=account)
    assert (evidence.kind, evidence.detail) == ("rel_me", "https://atlas.example/ja/tokyo/")
    assert evidence.confirmed_at.isoformat() == "2026-11-02T10:00:00+00:00"
    assert generation.current() != before

    before = generation.current()
    identity.check_all()
    assert AccountEvidence.objects.count() == 1
    assert generation.current() == before  # nothing new to show


def test_a_bluesky_handle_under_the_ministry_s_domain_is_verified_by_the_platform(platforms, tokyo):
    bluesky(platforms, handle="tokyo.netherlandsworldwide.nl")
    bluesky(platforms, handle="netherlandsworldwide.nl.evil.example", did="did:plc:evil")
    ours = factories.make_account(
        "https://bsky.app/profile/tokyo.netherlandsworldwide.nl", post=tokyo
    )
    lookalike = factories.make_account(
        "https://bsky.app/profile/netherlandsworldwide.nl.evil.example", post=tokyo
    )

    identity.check_all()

    evidence = AccountEvidence.objects.get()
    assert (evidence.account, evidence.kind, evidence.detail) == (
        ours,
        "platform_verified",
        "handle under netherlandsworldwide.nl",
    )
    assert not AccountEvidence.objects.filter(account=lookalike).exists()


# The scheduler and the admin ------------------------------------------------------------------


def test_the_scheduler_checks_identities_at_their_own_interval(monkeypatch):
    from atlas_pages.management.commands import run_scheduled_publishing

    called = []

    def fake_call_command(name, **options):
        called.append(name)

    monkeypatch.setattr(run_scheduled_publishing, "call_command", fake_call_command)
    call_command(
        "run_scheduled_publishing",
        interval=0,
        runs=3,
        activity_interval=0,
        site_links_interval=0,
        identity_interval=3600,
        stdout=StringIO(),
    )
    assert (called.count("publish_scheduled"), called.count("check_identities")) == (3, 1)


def test_the_account_edit_view_shows_the_identity_and_where_to_find_one(
    client, accounts, platforms
):
    check()
    client.force_login(factories.make_user("chief", is_superuser=True, is_staff=True))

    html = client.get(snippet_url(SocialAccount, "edit", accounts["bluesky"].pk)).content.decode()
    assert f"<dd data-identity-value>{KNOWN_DID}</dd>" in html
    assert "Bluesky handle resolution" in html

    x_account = factories.make_account("https://x.com/NLinJapan", post=accounts["blog"].post)
    html = client.get(snippet_url(SocialAccount, "edit", x_account.pk)).content.decode()
    assert "X (Twitter) shows no identity openly" in html

    client.force_login(factories.make_user("hoofd", language="nl", is_superuser=True))
    html = client.get(snippet_url(SocialAccount, "edit", x_account.pk)).content.decode()
    assert "X (Twitter) toont geen identiteit openlijk" in html
