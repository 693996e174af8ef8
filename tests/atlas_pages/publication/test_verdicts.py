"""The read model's verdict for an address ("Is this account official?"): official (active,
inactive with its date, a renamed account at its new address), the old address of a renamed
account, a closed account, an address that changed hands, not listed; the account's status
dates, identity and evidence; formerly official accounts kept apart from every list; all still
in three queries."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from atlas_pages.models import AccountEvidence, AccountIdentity, SocialAccount
from atlas_pages.models.signals import public_content_changed
from atlas_pages.publication.public_atlas import load, public_atlas
from atlas_pages.publication.records import VerdictKind
from tests.factories import make_account, make_person, make_post, make_user

pytestmark = pytest.mark.django_db

RENAMED_ON = date(2026, 3, 1)
TAKEN_OVER_AT = datetime(2026, 5, 20, 12, 0, tzinfo=timezone.get_fixed_timezone(0))


def _renamed(tokyo, old="https://x.com/NLinJapanOld", new="https://x.com/NLinJapan"):
    return make_account(old, post=tokyo, status="renamed", new_url=new, status_since=RENAMED_ON)


def _taken_over(account, at=TAKEN_OVER_AT):
    """What the identity check does on a takeover: flag it and announce the narrowing."""
    AccountIdentity.objects.update_or_create(
        account=account,
        defaults={"identity": "did:plc:old", "takeover_at": at, "takeover_identity": "did:plc:x"},
    )
    public_content_changed.send(sender=AccountIdentity)


def test_an_active_account_is_official(tokyo):
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    verdict = load("en").verdict_for_url("https://twitter.com/nlinjapan/")
    assert (verdict.kind, verdict.account.id, verdict.official) == ("official", account.pk, True)
    assert verdict.current_url == "https://x.com/NLinJapan"
    assert verdict.until is None and verdict.account.status_since is None
    # The post has no English page: the answer names the account alone.
    assert verdict.message == "Official: X (Twitter) NLinJapan."
    dutch = load("nl").verdict_for_url("https://x.com/NLinJapan")
    assert dutch.message == "Officieel: X (Twitter) NLinJapan (Embassy in Tokyo)."


def test_an_inactive_account_is_official_and_says_since_when(tokyo):
    make_account("https://x.com/NLinJapan", post=tokyo, status="inactive")
    account = SocialAccount.objects.get()
    assert account.status_since == timezone.localdate()  # set by clean()
    SocialAccount.objects.update(status_since=date(2025, 11, 2))
    verdict = load("en").verdict_for_url("https://x.com/NLinJapan")
    assert verdict.official and verdict.account.status == "inactive"
    assert verdict.since == verdict.account.status_since == date(2025, 11, 2)
    assert verdict.message == "Official: X (Twitter) NLinJapan, inactive since 2 November 2025."
    dutch = load("nl").verdict_for_url("https://x.com/NLinJapan").message
    assert (
        dutch
        == "Officieel: X (Twitter) NLinJapan (Embassy in Tokyo), inactief sinds 2 november 2025."
    )


def test_an_imported_status_without_a_date_falls_back_to_the_last_publication(tokyo):
    make_account("https://x.com/NLinJapan", post=tokyo)
    published = timezone.now() - timedelta(days=40)
    # An import writes rows without clean(): no status date.
    SocialAccount.objects.update(status="closed", status_since=None, last_published_at=published)
    verdict = load().verdict_for_url("https://x.com/NLinJapan")
    assert verdict.kind == "closed"
    assert verdict.until == timezone.localdate(published)


def test_the_old_address_of_a_renamed_account_is_never_plainly_official(tokyo):
    account = _renamed(tokyo)
    atlas = load("en")
    old = atlas.verdict_for_url("https://x.com/NLinJapanOld")
    assert (old.kind, old.official, old.account.id) == (VerdictKind.RENAMED, False, account.pk)
    assert old.until == RENAMED_ON
    assert old.current_url == "https://x.com/NLinJapan"
    assert old.message == (
        "This address belonged to X (Twitter) NLinJapanOld until 1 March 2026; the account is "
        "now at https://x.com/NLinJapan. The old name may now belong to someone else."
    )
    assert load("nl").verdict_for_url("https://x.com/NLinJapanOld").message == (
        "Dit adres was van X (Twitter) NLinJapanOld (Embassy in Tokyo) tot 1 maart 2026; het "
        "account staat nu op https://x.com/NLinJapan. De oude naam kan nu van iemand anders zijn."
    )


def test_a_renamed_account_is_official_at_its_new_address(tokyo):
    account = _renamed(tokyo)
    atlas = load("en")
    new = atlas.verdict_for_url("x.com/nlinjapan")
    assert (new.kind, new.official, new.account.id) == ("official", True, account.pk)
    assert new.current_url == "https://x.com/NLinJapan"
    assert new.account.former_url == "https://x.com/NLinJapanOld"
    assert new.account.current_handle == "NLinJapan"
    assert "formerly at https://x.com/NLinJapanOld" in new.message
    # Listed once, at its new address.
    assert [a.current_url for a in atlas.accounts] == ["https://x.com/NLinJapan"]


def test_a_closed_account_was_official_and_is_listed_nowhere(tokyo):
    kept = make_account("https://x.com/NLinJapan", post=tokyo)
    closed = make_account(
        "https://www.facebook.com/NLinJapan", post=tokyo, status="closed", display_name="Old"
    )
    SocialAccount.objects.filter(pk=closed.pk).update(status_since=date(2025, 6, 30))
    atlas = load("en")
    verdict = atlas.verdict_for_url("https://facebook.com/nlinjapan")
    assert (verdict.kind, verdict.official, verdict.account.id) == ("closed", False, closed.pk)
    assert verdict.until == date(2025, 6, 30) and verdict.current_url is None
    assert verdict.message == (
        "Facebook NLinJapan was official until 30 June 2025; it is no longer the ministry's."
    )
    # Never in a list, a count, the platforms, a post's accounts, a lookup by id, or search.
    assert [a.id for a in atlas.accounts] == [kept.pk]
    assert atlas.figures.account_count == 1
    assert [p.slug for p in atlas.platforms] == ["twitter"]
    dutch = load("nl")  # the post's page is Dutch only
    assert [a.id for a in dutch.post(tokyo.pk).accounts] == [kept.pk]
    assert dutch.post(tokyo.pk).account_count == 1
    assert atlas.account(closed.pk) is None
    assert atlas.account_for_url("https://www.facebook.com/NLinJapan") is None
    assert closed.pk not in [hit.id for hit in atlas.search("Old", 10)]


def test_a_closed_account_is_found_by_its_handle(tokyo):
    closed = make_account("https://www.facebook.com/NLinJapan", post=tokyo, status="closed")
    [verdict] = load().verdicts([], "@nlinjapan", "facebook")
    assert (verdict.kind, verdict.account.id) == ("closed", closed.pk)
    assert load().verdicts([], "nlinjapan", "twitter")[0].kind == "not_listed"


def test_an_address_that_changed_hands_is_never_official_and_leaves_the_lists_at_once(tokyo):
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    before = public_atlas("en")
    assert before.verdict_for_url(account.url).official
    assert public_atlas("en") is before  # kept for the generation
    _taken_over(account)
    assert public_atlas("en") is not before  # the announcement started a new one
    # The next read, with no publish and no moderation.
    atlas = public_atlas("en")
    verdict = atlas.verdict_for_url(account.url)
    assert (verdict.kind, verdict.official, verdict.account.id) == (
        "changed_hands",
        False,
        account.pk,
    )
    assert verdict.until == date(2026, 5, 20) and verdict.current_url is None
    assert verdict.message == (
        "This address was X (Twitter) NLinJapan until 20 May 2026; it may now belong to "
        "someone else."
    )
    assert atlas.accounts == [] and atlas.figures.account_count == 0
    assert atlas.account_for_url(account.url) is None
    assert public_atlas("nl").post(tokyo.pk).accounts == []


def test_a_renamed_account_taken_over_at_its_old_address_stays_listed_at_the_new(tokyo):
    account = _renamed(tokyo)
    _taken_over(account)
    atlas = public_atlas("en")
    old = atlas.verdict_for_url("https://x.com/NLinJapanOld")
    assert (old.kind, old.official) == ("changed_hands", False)
    assert old.until == RENAMED_ON  # it left before the takeover was seen
    new = atlas.verdict_for_url("https://x.com/NLinJapan")
    assert (new.kind, new.account.id) == ("official", account.pk)
    assert [a.id for a in atlas.accounts] == [account.pk]


def test_not_listed(tokyo):
    make_account("https://x.com/NLinJapan", post=tokyo)
    for address in ("https://x.com/NLinJapanFake", "https://example.org/@x", "not a url", ""):
        verdict = load("en").verdict_for_url(address)
        assert (verdict.kind, verdict.account, verdict.official) == ("not_listed", None, False)
        assert verdict.message == "Not in the atlas: this is not a listed official account."


def test_evidence_and_identity_are_read_never_who_confirmed(tokyo):
    account = make_account("https://x.com/NLinJapan", post=tokyo, platform_identity="12345")
    editor = make_user("confirming-editor")
    moment = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.get_fixed_timezone(0))
    for kind, detail in (
        ("site_link", "https://www.netherlandsworldwide.nl/countries/japan"),
        ("editor", "called the embassy; spoke to confirming-editor"),
        ("platform_verified", "verified badge"),
    ):
        AccountEvidence.objects.create(
            account=account, kind=kind, detail=detail, confirmed_at=moment, confirmed_by=editor
        )
    AccountIdentity.objects.create(account=account, identity="x:99999")
    [record] = load("en").accounts
    assert record.identity == "12345"  # the editor's entry wins over the check's reading
    assert [(e.kind, e.summary, e.source, e.confirmed_at) for e in record.evidence] == [
        (
            "site_link",
            "linked from netherlandsworldwide.nl",
            "https://www.netherlandsworldwide.nl/countries/japan",
            moment,
        ),
        ("platform_verified", "verified by X (Twitter)", "verified badge", moment),
        ("editor", "confirmed by an editor", "", moment),
    ]
    dutch = load("nl").accounts[0]
    assert [e.summary for e in dutch.evidence] == [
        "gelinkt vanaf netherlandsworldwide.nl",
        "geverifieerd door X (Twitter)",
        "bevestigd door een redacteur",
    ]
    SocialAccount.objects.update(platform_identity="")
    assert load().accounts[0].identity == "x:99999"


def test_still_three_queries_with_evidence_identity_and_former_accounts(tokyo):
    moment = timezone.now()
    for n in range(4):
        account = make_account(f"https://x.com/Account{n}", post=tokyo)
        AccountIdentity.objects.create(account=account, identity=f"id{n}")
        for kind in AccountEvidence.Kind:
            AccountEvidence.objects.create(account=account, kind=kind, confirmed_at=moment)
    make_account("https://x.com/Closed", post=tokyo, status="closed")
    load()  # Wagtail's site root paths (for the URLs) cached, as on a running server
    with CaptureQueriesContext(connection) as queries:
        atlas = load()
    assert len(queries) == 3
    # One record per account whatever its evidence (no row multiplied by the joins).
    assert len(atlas.accounts) == 4
    assert all(len(account.evidence) == 4 for account in atlas.accounts)


def _closed(url, **owner):
    return make_account(url, status="closed", **owner)


def test_a_closed_account_of_a_hidden_owner_is_simply_not_listed(japan, tokyo):
    """Consent and the publication rule win over history: never "was official"."""
    draft_post = make_post(japan, title="Draft Consulate", city="Osaka", live=False)
    private_post = make_post(japan, title="Private Office", city="Sapporo")
    PageViewRestriction.objects.create(page=private_post, restriction_type="password", password="x")
    withdrawn = make_person(
        name="Withdrawn Employee",
        role="employee",
        post=tokyo,
        consent_given_at=date(2025, 1, 1),
        consent_withdrawn_at=date(2026, 1, 1),
    )
    draft_person = make_person(name="Draft Person", post=tokyo, live=False)
    hidden = [
        _closed("https://x.com/ClosedOfDraftPost", post=draft_post),
        _closed("https://x.com/ClosedOfPrivatePost", post=private_post),
        _closed("https://x.com/ClosedOfWithdrawn", person=withdrawn),
        _closed("https://x.com/ClosedOfDraftPerson", person=draft_person),
    ]
    draft = SocialAccount(
        platform=hidden[0].platform, url="https://x.com/ClosedDraft", post=tokyo, status="closed"
    )
    draft.full_clean()
    draft.live = False
    draft.save()
    in_moderation = SocialAccount(
        platform=hidden[0].platform, url="https://x.com/ClosedInReview", post=tokyo, status="closed"
    )
    in_moderation.full_clean()
    in_moderation.live = False
    in_moderation.save()
    in_moderation.save_revision()
    in_moderation.get_workflow().start(in_moderation, make_user("editor"))
    assert in_moderation.workflow_in_progress
    for account in [*hidden, draft, in_moderation]:
        for language in ("nl", "en"):
            verdict = load(language).verdict_for_url(account.url)
            assert (verdict.kind, verdict.account) == ("not_listed", None), account.url
        assert load().verdicts([], account.handle, "twitter")[0].kind == "not_listed"
