"""Status, history and evidence on every public surface (issue 22): the verify page answers
each verdict in both languages (official with its status, the old address of a renamed
account, a closed account, an address that changed hands, not listed) with the evidence; the
post, country and person lists show the status; the open data and the feed carry it; hidden
owners and withdrawn consent never answer "was official"; a takeover narrows at once."""

import csv
import io
import json
import re
from datetime import date, datetime

import pytest
from django.utils import timezone
from wagtail.models import Workflow

from atlas_pages.models import AccountEvidence, AccountIdentity, SocialAccount
from atlas_pages.models.signals import public_content_changed
from tests.factories import make_account, make_user

pytestmark = pytest.mark.django_db

VERIFY_PATH = {"en": "/en/verify/", "nl": "/nl/controleer/"}
OFFICIAL = {"en": "Yes: this is an official account.", "nl": "Ja: dit is een officieel account."}
NOT_LISTED = {
    "en": "Not in the atlas: this is not a listed official account.",
    "nl": "Niet in de atlas: dit is geen vermeld officieel account.",
}
RENAMED = {
    "en": "Not any more: this address belonged to an official account until 1 March 2026.",
    "nl": "Niet meer: dit adres was tot 1 maart 2026 van een officieel account.",
}
RENAMED_WARNING = {
    "en": "After a rename the old name is free, and it may now belong to someone else",
    "nl": "Na een naamswijziging is de oude naam vrij en kan die nu van iemand anders zijn",
}
NOW_AT = {"en": "The account has been renamed and is now at:", "nl": "Het account is hernoemd"}
CLOSED = {
    "en": "No longer official: this account was official until 30 June 2025; it is no longer "
    "the ministry's.",
    "nl": "Niet meer officieel: dit account was officieel tot 30 juni 2025; het is niet meer van "
    "het ministerie.",
}
CHANGED_HANDS = {
    "en": "Not official: this address has changed hands.",
    "nl": "Niet officieel: dit adres is van eigenaar gewisseld.",
}
CHANGED_HANDS_SINCE = {
    "en": "This address was the account of Embassy in Tokyo until 20 May 2026; it may now "
    "belong to someone else.",
    "nl": "Dit adres was tot 20 mei 2026 het account van Ambassade in Tokio; het kan nu van "
    "iemand anders zijn.",
}
INACTIVE_SINCE = {"en": "inactive since 2 November 2025", "nl": "inactief sinds 2 november 2025"}
LANGUAGES = ["en", "nl"]


def _verify(client, language="en", **params):
    response = client.get(VERIFY_PATH[language], params)
    assert response.status_code == 200
    return response.content.decode()


def _answer(html):
    return html.split('<section class="verify-answer"', 1)[1].split("</section>", 1)[0]


def _verdicts(html):
    """(account id, verdict) of each account the answer names."""
    found = re.findall(r'data-account="(\d+)" data-verdict="(\w+)"', html)
    return [(int(pk), verdict) for pk, verdict in found]


def _set(account, **fields):
    """An editor's change, published (a live account saved directly counts as published)."""
    for name, value in fields.items():
        setattr(account, name, value)
    account.full_clean()
    account.save()
    return account


def _rename(small_atlas):
    account = _set(
        small_atlas.accounts.tokyo_x,
        status="renamed",
        new_url="https://x.com/NLinJapanNew",
        status_since=date(2026, 3, 1),
    )
    return account


def _take_over(account):
    """The identity check's flag and its announcement (atlas_pages.outbound.identity)."""
    AccountIdentity.objects.update_or_create(
        account=account,
        defaults={
            "identity": "1111",
            "takeover_at": datetime(2026, 5, 20, 12, tzinfo=timezone.get_fixed_timezone(0)),
            "takeover_identity": "2222",
        },
    )
    public_content_changed.send(sender=AccountIdentity)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_active_account_says_it_is_active(client, small_atlas, language):
    html = _verify(client, language, url="https://x.com/NLinJapan")
    assert OFFICIAL[language] in html
    assert _verdicts(html) == [(small_atlas.accounts.tokyo_x.pk, "official")]
    assert {"en": "<dd>active</dd>", "nl": "<dd>actief</dd>"}[language] in _answer(html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_inactive_account_is_official_with_its_date(client, small_atlas, language):
    account = _set(small_atlas.accounts.tokyo_x, status="inactive")
    SocialAccount.objects.filter(pk=account.pk).update(status_since=date(2025, 11, 2))
    public_content_changed.send(sender=SocialAccount)
    html = _verify(client, language, url="https://x.com/NLinJapan")
    assert OFFICIAL[language] in html
    assert INACTIVE_SINCE[language] in _answer(html)
    # The post page's list says it too.
    post = {"en": "/en/japan/embassy-in-tokyo/", "nl": "/nl/japan/ambassade-in-tokio/"}[language]
    assert INACTIVE_SINCE[language] in client.get(post).content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_old_address_of_a_renamed_account(client, small_atlas, language):
    account = _rename(small_atlas)
    html = _verify(client, language, url="https://x.com/NLinJapan")
    answer = _answer(html)
    assert OFFICIAL[language] not in html and NOT_LISTED[language] not in html
    assert RENAMED[language] in answer and RENAMED_WARNING[language] in answer
    assert NOW_AT[language] in answer
    assert 'href="https://x.com/NLinJapanNew"' in answer
    assert 'href="https://x.com/NLinJapan"' not in answer  # the old address is not vouched for
    assert _verdicts(html) == [(account.pk, "renamed")]
    # The same by its old handle.
    html = _verify(client, language, handle="@NLinJapan", platform="twitter")
    assert _verdicts(html) == [(account.pk, "renamed")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_renamed_account_at_its_new_address_is_official_and_says_its_former(
    client, small_atlas, language
):
    account = _rename(small_atlas)
    html = _verify(client, language, url="https://x.com/nlinjapannew")
    answer = _answer(html)
    assert OFFICIAL[language] in html
    assert _verdicts(html) == [(account.pk, "official")]
    # The current address first, then the former one.
    assert answer.index('href="https://x.com/NLinJapanNew"') < answer.index(
        "https://x.com/NLinJapan<"
    )
    assert {"en": "Formerly at", "nl": "Voorheen op"}[language] in answer


@pytest.mark.parametrize("language", LANGUAGES)
def test_lists_show_a_renamed_account_at_its_current_address(client, small_atlas, language):
    _rename(small_atlas)
    post = {"en": "/en/japan/embassy-in-tokyo/", "nl": "/nl/japan/ambassade-in-tokio/"}[language]
    country = {"en": "/en/japan/", "nl": "/nl/japan/"}[language]
    formerly = {"en": "formerly https://x.com/NLinJapan", "nl": "voorheen https://x.com/NLinJapan"}
    for path in (post, country):
        html = client.get(path).content.decode()
        link = re.search(r'href="https://x.com/NLinJapanNew" rel="[^"]*">NLinJapanNew</a>', html)
        assert link, path
        assert formerly[language] in html, path


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_closed_account_was_official(client, small_atlas, language):
    account = _set(small_atlas.accounts.tokyo_x, status="closed")
    SocialAccount.objects.filter(pk=account.pk).update(status_since=date(2025, 6, 30))
    public_content_changed.send(sender=SocialAccount)
    html = _verify(client, language, url="https://twitter.com/NLinJapan")
    answer = _answer(html)
    assert CLOSED[language] in answer
    assert OFFICIAL[language] not in html and NOT_LISTED[language] not in html
    assert _verdicts(html) == [(account.pk, "closed")]
    assert 'href="https://x.com/NLinJapan"' not in answer  # no link to whoever is there now
    # Listed nowhere.
    post = {"en": "/en/japan/embassy-in-tokyo/", "nl": "/nl/japan/ambassade-in-tokio/"}[language]
    assert "NLinJapan<" not in client.get(post).content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_address_that_changed_hands_is_never_official_from_the_next_request(
    client, small_atlas, language
):
    account = small_atlas.accounts.tokyo_x
    assert OFFICIAL[language] in _verify(client, language, url=account.url)  # and cached
    _take_over(account)
    html = _verify(client, language, url=account.url)
    answer = _answer(html)
    assert OFFICIAL[language] not in html
    assert CHANGED_HANDS[language] in answer and CHANGED_HANDS_SINCE[language] in answer
    assert _verdicts(html) == [(account.pk, "changed_hands")]
    assert 'href="https://x.com/NLinJapan"' not in answer
    # Gone from the lists at once: no publish, no moderation.
    post = {"en": "/en/japan/embassy-in-tokyo/", "nl": "/nl/japan/ambassade-in-tokio/"}[language]
    assert "NLinJapan<" not in client.get(post).content.decode()


def test_a_renamed_account_that_changed_hands_stays_listed_at_its_new_address(client, small_atlas):
    account = _rename(small_atlas)
    _take_over(account)
    html = _verify(client, "en", url="https://x.com/NLinJapan")
    assert CHANGED_HANDS["en"] in html and _verdicts(html) == [(account.pk, "changed_hands")]
    assert 'href="https://x.com/NLinJapanNew"' in _answer(html)
    html = _verify(client, "en", url="https://x.com/NLinJapanNew")
    assert OFFICIAL["en"] in html and _verdicts(html) == [(account.pk, "official")]
    assert "NLinJapanNew</a>" in client.get("/en/japan/embassy-in-tokyo/").content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_evidence_is_shown_never_who_confirmed(client, small_atlas, language):
    account = small_atlas.accounts.tokyo_x
    editor = make_user("secret-editor-name", first_name="Secretia")
    moment = datetime(2026, 11, 2, 9, tzinfo=timezone.get_fixed_timezone(0))
    AccountEvidence.objects.create(
        account=account,
        kind="site_link",
        detail="https://www.netherlandsworldwide.nl/countries/japan",
        confirmed_at=moment,
        confirmed_by=editor,
    )
    AccountEvidence.objects.create(
        account=account, kind="editor", detail="secret-editor-name", confirmed_at=moment
    )
    SocialAccount.objects.filter(pk=account.pk).update(platform_identity="1234567")
    public_content_changed.send(sender=AccountEvidence)
    answer = _answer(_verify(client, language, url=account.url))
    line = {
        "en": ('linked from netherlandsworldwide.nl, <time datetime="2026-11-02">2 November 2026'),
        "nl": (
            'gelinkt vanaf netherlandsworldwide.nl, <time datetime="2026-11-02">2 november 2026'
        ),
    }
    assert {"en": "<dt>Confirmed</dt>", "nl": "<dt>Bevestigd</dt>"}[language] in answer
    assert line[language] in answer
    assert {"en": "confirmed by an editor", "nl": "bevestigd door een redacteur"}[language] in (
        answer
    )
    assert "<code>1234567</code>" in answer
    assert "secret-editor-name" not in answer and "Secretia" not in answer
    # The lists mark it confirmed, with the lines in a tooltip.
    post = {"en": "/en/japan/embassy-in-tokyo/", "nl": "/nl/japan/ambassade-in-tokio/"}[language]
    html = client.get(post).content.decode()
    assert "account-tag--confirmed" in html and "netherlandsworldwide.nl, 2026-11-02" in html


def _close(account):
    """The account closed, as published rows (the owner's visibility is the test)."""
    SocialAccount.objects.filter(pk=account.pk).update(
        status="closed", status_since=date(2025, 1, 1)
    )
    public_content_changed.send(sender=SocialAccount)
    return account


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("hidden", ["of_draft_post", "of_private_post", "of_draft_person", "draft"])
def test_a_closed_account_of_a_hidden_owner_never_answers_was_official(
    client, small_atlas, hidden, language
):
    account = _close(getattr(small_atlas.accounts, hidden))
    html = _verify(client, language, url=account.url)
    assert NOT_LISTED[language] in html and _verdicts(html) == []
    answer = _answer(html)
    # Nothing of the hidden owner (the address asked about may be echoed, e.g. in a link).
    for text in ("Consulaat-generaal in Osaka", "Privékantoor Sapporo", "Hidden Draftperson"):
        assert text not in answer


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_closed_account_in_moderation_never_answers_was_official(client, small_atlas, language):
    account = make_account(
        "https://x.com/ClosedInReview", post=small_atlas.tokyo, live=False, status="closed"
    )
    account.save_revision()
    Workflow.objects.get(name="Press review").start(account, make_user("editor"))
    assert account.workflow_in_progress
    html = _verify(client, language, url=account.url)
    assert NOT_LISTED[language] in html and _verdicts(html) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_withdrawn_personal_account_is_simply_not_in_the_atlas(client, small_atlas, language):
    """Consent wins over history: closed or not, never "was official"."""
    from tests.factories import make_person

    employee = make_person(
        name="Withdrawn Employee",
        role="employee",
        post=small_atlas.tokyo,
        consent_given_at=date(2025, 1, 1),
    )
    personal = make_account("https://x.com/WithdrawnEmployee", person=employee)
    closed = make_account("https://x.com/WithdrawnClosed", person=employee, status="closed")
    assert _verdicts(_verify(client, language, url=personal.url)) == [(personal.pk, "official")]
    assert _verdicts(_verify(client, language, url=closed.url)) == [(closed.pk, "closed")]
    employee.consent_withdrawn_at = date(2026, 1, 1)
    employee.save()
    public_content_changed.send(sender=type(employee))
    for account in (personal, closed):
        html = _verify(client, language, url=account.url)
        assert NOT_LISTED[language] in html and _verdicts(html) == []
        assert "Withdrawn Employee" not in _answer(html)


# Open data and the feed ----------------------------------------------------------------


def test_the_open_data_carries_status_history_identity_and_evidence(client, small_atlas):
    renamed = _rename(small_atlas)
    inactive = _set(small_atlas.accounts.ottawa_facebook, status="inactive")
    SocialAccount.objects.filter(pk=inactive.pk).update(
        status_since=date(2025, 11, 2), platform_identity="998877"
    )
    moment = datetime(2026, 11, 2, 9, tzinfo=timezone.get_fixed_timezone(0))
    AccountEvidence.objects.create(
        account=renamed,
        kind="rel_me",
        detail="https://atlas.example/en/japan/",
        confirmed_at=moment,
    )
    closed = _set(small_atlas.accounts.tokyo_linkedin, status="closed")
    public_content_changed.send(sender=SocialAccount)
    document = json.loads(client.get("/export/accounts.json", {"lang": "en"}).content)
    rows = {row["id"]: row for row in document["accounts"]}
    assert closed.pk not in rows
    assert {
        key: rows[renamed.pk][key]
        for key in ("status", "status_since", "url", "current_url", "former_url", "evidence")
    } == {
        "status": "RENAMED",
        "status_since": "2026-03-01",
        "url": "https://x.com/NLinJapan",
        "current_url": "https://x.com/NLinJapanNew",
        "former_url": "https://x.com/NLinJapan",
        "evidence": [
            {
                "kind": "REL_ME",
                "summary": "links back to the atlas",
                "source": "https://atlas.example/en/japan/",
                "confirmed_at": "2026-11-02T09:00:00+00:00",
            }
        ],
    }
    assert {
        key: rows[inactive.pk][key]
        for key in ("status", "status_since", "current_url", "former_url", "platform_identity")
    } == {
        "status": "INACTIVE",
        "status_since": "2025-11-02",
        "current_url": "https://www.facebook.com/NLinCanada",
        "former_url": None,
        "platform_identity": "998877",
    }
    body = client.get("/export/accounts.csv", {"lang": "nl"}).content.decode("utf-8-sig")
    csv_rows = {int(row["id"]): row for row in csv.DictReader(io.StringIO(body, newline=""))}
    assert csv_rows[renamed.pk]["evidence"] == (
        "REL_ME 2026-11-02T09:00:00+00:00 https://atlas.example/en/japan/"
    )
    assert csv_rows[inactive.pk]["status"] == "INACTIVE"
    # The data page documents the new columns.
    page = client.get("/en/open-data/").content.decode()
    for column in ("status_since", "current_url", "former_url", "platform_identity", "evidence"):
        assert f"<code>{column}</code>" in page or f">{column}<" in page, column


def test_the_feed_says_the_status(client, small_atlas):
    client.get("/en/changes.atom")  # the atlas as it was, recorded
    _set(small_atlas.accounts.ottawa_facebook, status="inactive")
    _rename(small_atlas)
    body = client.get("/en/changes.atom").content.decode()
    today = timezone.localdate()
    assert f"Facebook: NLinCanada (Embassy in Ottawa) · inactive since {today:%-d %B %Y}" in body
    assert (
        "X (Twitter): NLinJapanNew (Embassy in Tokyo) · renamed, formerly https://x.com/NLinJapan"
        in (body)
    )
