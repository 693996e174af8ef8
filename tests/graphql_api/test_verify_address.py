"""`verifyAddress(url:)` and the status, history, identity and evidence of `Account` over real
HTTP POSTs to /graphql/: each verdict in both locales, `accountByUrl` never answering an
address that changed hands, no SQL per request, no leaks."""

from datetime import date, datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction, Workflow

from atlas_pages.models import AccountEvidence, AccountIdentity, SocialAccount
from atlas_pages.models.signals import public_content_changed
from tests import factories

pytestmark = pytest.mark.django_db

VERIFY = """
query Verify($url: String!, $locale: String) {
  verifyAddress(url: $url, locale: $locale) {
    kind official until currentUrl message
    account {
      id handle url status statusSince currentUrl formerUrl newUrl platformIdentity
      evidence { kind summary source confirmedAt }
      post { name }
    }
  }
}
"""
BY_URL = """
query ByUrl($url: String!) { accountByUrl(url: $url) { id status newUrl currentUrl } }
"""
MOMENT = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(0))


@pytest.fixture
def verify(data):
    def run(url, locale=None):
        return data(VERIFY, {"url": url, "locale": locale})["verifyAddress"]

    return run


@pytest.fixture
def by_url(data):
    def run(url):
        return data(BY_URL, {"url": url})["accountByUrl"]

    return run


def _take_over(account):
    AccountIdentity.objects.update_or_create(
        account=account,
        defaults={"identity": "1", "takeover_at": datetime(2026, 5, 20, 12, tzinfo=MOMENT.tzinfo)},
    )
    public_content_changed.send(sender=AccountIdentity)


def test_an_official_account_with_its_evidence_and_identity(verify, tokyo):
    account = factories.make_account("https://x.com/NLinJapan", post=tokyo)
    SocialAccount.objects.filter(pk=account.pk).update(platform_identity="783214")
    AccountEvidence.objects.create(
        account=account,
        kind="site_link",
        detail="https://www.netherlandsworldwide.nl/countries/japan",
        confirmed_at=MOMENT,
        confirmed_by=factories.make_user("hidden-editor"),
    )
    public_content_changed.send(sender=AccountEvidence)
    assert verify("https://twitter.com/nlinjapan") == {
        "kind": "OFFICIAL",
        "official": True,
        "until": None,
        "currentUrl": "https://x.com/NLinJapan",
        "message": "Officieel: X (Twitter) NLinJapan (Embassy in Tokyo).",
        "account": {
            "id": str(account.pk),
            "handle": "NLinJapan",
            "url": "https://x.com/NLinJapan",
            "status": "ACTIVE",
            "statusSince": None,
            "currentUrl": "https://x.com/NLinJapan",
            "formerUrl": None,
            "newUrl": None,
            "platformIdentity": "783214",
            "evidence": [
                {
                    "kind": "SITE_LINK",
                    "summary": "gelinkt vanaf netherlandsworldwide.nl",
                    "source": "https://www.netherlandsworldwide.nl/countries/japan",
                    "confirmedAt": "2026-11-02T09:00:00+00:00",
                }
            ],
            "post": {"name": "Embassy in Tokyo"},
        },
    }
    english = verify("https://x.com/NLinJapan", "en")
    assert english["account"]["evidence"][0]["summary"] == "linked from netherlandsworldwide.nl"
    assert english["message"] == "Official: X (Twitter) NLinJapan."  # no English post page


def test_an_inactive_account_is_official_with_its_date(verify, tokyo):
    factories.make_account("https://x.com/NLinJapan", post=tokyo, status="inactive")
    SocialAccount.objects.update(status_since=date(2025, 11, 2))
    public_content_changed.send(sender=SocialAccount)
    answer = verify("https://x.com/NLinJapan", "en")
    assert (answer["kind"], answer["official"]) == ("OFFICIAL", True)
    assert (answer["account"]["status"], answer["account"]["statusSince"]) == (
        "INACTIVE",
        "2025-11-02",
    )
    assert answer["message"] == "Official: X (Twitter) NLinJapan, inactive since 2 November 2025."


def test_a_renamed_account_at_its_old_and_new_addresses(verify, by_url, tokyo):
    account = factories.make_account(
        "https://x.com/NLinJapanOld",
        post=tokyo,
        status="renamed",
        new_url="https://x.com/NLinJapan",
        status_since=date(2026, 3, 1),
    )
    old = verify("https://x.com/NLinJapanOld", "en")
    assert {key: old[key] for key in ("kind", "official", "until", "currentUrl")} == {
        "kind": "RENAMED",
        "official": False,
        "until": "2026-03-01",
        "currentUrl": "https://x.com/NLinJapan",
    }
    assert old["message"].startswith("This address belonged to X (Twitter) NLinJapanOld until ")
    assert "The old name may now belong to someone else." in old["message"]
    new = verify("https://x.com/NLinJapan", "nl")
    assert (new["kind"], new["official"], new["account"]["id"]) == (
        "OFFICIAL",
        True,
        str(account.pk),
    )
    assert {key: new["account"][key] for key in ("currentUrl", "formerUrl", "statusSince")} == {
        "currentUrl": "https://x.com/NLinJapan",
        "formerUrl": "https://x.com/NLinJapanOld",
        "statusSince": "2026-03-01",
    }
    # accountByUrl keeps its meaning: the account at either address, status RENAMED.
    expected = {
        "id": str(account.pk),
        "status": "RENAMED",
        "newUrl": "https://x.com/NLinJapan",
        "currentUrl": "https://x.com/NLinJapan",
    }
    assert by_url("https://x.com/NLinJapanOld") == by_url("https://x.com/NLinJapan") == expected


def test_a_closed_account_was_official(verify, by_url, tokyo):
    account = factories.make_account("https://x.com/NLinJapan", post=tokyo, status="closed")
    SocialAccount.objects.update(status_since=date(2025, 6, 30))
    public_content_changed.send(sender=SocialAccount)
    answer = verify("https://x.com/NLinJapan", "en")
    assert {key: answer[key] for key in ("kind", "official", "until", "currentUrl")} == {
        "kind": "CLOSED",
        "official": False,
        "until": "2025-06-30",
        "currentUrl": None,
    }
    assert answer["account"]["id"] == str(account.pk)
    assert answer["message"] == (
        "X (Twitter) NLinJapan was official until 30 June 2025; it is no longer the ministry's."
    )
    assert by_url("https://x.com/NLinJapan") is None  # as before: closed is not published


def test_an_address_that_changed_hands_is_never_official(verify, by_url, tokyo, data):
    account = factories.make_account("https://x.com/NLinJapan", post=tokyo)
    assert verify("https://x.com/NLinJapan")["official"] is True
    _take_over(account)
    answer = verify("https://x.com/NLinJapan", "nl")
    assert (answer["kind"], answer["official"], answer["until"], answer["currentUrl"]) == (
        "CHANGED_HANDS",
        False,
        "2026-05-20",
        None,
    )
    assert answer["message"] == (
        "Dit adres was tot 20 mei 2026 X (Twitter) NLinJapan (Embassy in Tokyo); het kan nu van "
        "iemand anders zijn."
    )
    assert by_url("https://x.com/NLinJapan") is None
    listed = data("{ accounts { totalCount } atlas { accountCount } }")
    assert listed == {"accounts": {"totalCount": 0}, "atlas": {"accountCount": 0}}


def test_a_renamed_account_that_changed_hands_at_its_old_address(verify, by_url, tokyo):
    account = factories.make_account(
        "https://x.com/NLinJapanOld",
        post=tokyo,
        status="renamed",
        new_url="https://x.com/NLinJapan",
    )
    _take_over(account)
    assert verify("https://x.com/NLinJapanOld")["kind"] == "CHANGED_HANDS"
    assert by_url("https://x.com/NLinJapanOld") is None  # never for a changed-hands address
    assert verify("https://x.com/NLinJapan")["kind"] == "OFFICIAL"
    assert by_url("https://x.com/NLinJapan")["id"] == str(account.pk)


def test_not_listed(verify, tokyo):
    factories.make_account("https://x.com/NLinJapan", post=tokyo)
    for url in ("https://x.com/SomeoneElse", "no url at all", "https://", "x" * 5000):
        assert verify(url, "en") == {
            "kind": "NOT_LISTED",
            "official": False,
            "until": None,
            "currentUrl": None,
            "message": "Not in the atlas: this is not a listed official account.",
            "account": None,
        }


def test_hidden_accounts_never_answer_was_official(verify, japan, tokyo):
    """A closed account of a draft post, of a private post, of a person whose consent is
    withdrawn, and one in moderation: not listed, in both locales."""
    draft_post = factories.make_post(japan, title="Draft Consulate", city="Osaka", live=False)
    private_post = factories.make_post(japan, title="Private Office", city="Sapporo")
    PageViewRestriction.objects.create(page=private_post, restriction_type="password", password="x")
    employee = factories.make_person(
        name="Withdrawn Employee",
        role="employee",
        post=tokyo,
        consent_given_at=date(2025, 1, 1),
        consent_withdrawn_at=date(2026, 1, 1),
    )
    closed = {"status": "closed"}
    hidden = [
        factories.make_account("https://x.com/ClosedA", post=draft_post, **closed),
        factories.make_account("https://x.com/ClosedB", post=private_post, **closed),
        factories.make_account("https://x.com/ClosedC", person=employee, **closed),
        factories.make_account("https://x.com/ClosedD", person=employee),
    ]
    in_review = factories.make_account(
        "https://x.com/ClosedE", post=tokyo, live=False, status="closed"
    )
    in_review.save_revision()
    Workflow.objects.get(name="Press review").start(in_review, user=None)
    for account in [*hidden, in_review]:
        for locale in ("nl", "en"):
            answer = verify(account.url, locale)
            assert (answer["kind"], answer["account"]) == ("NOT_LISTED", None), account.url


def test_no_sql_per_request(verify, tokyo, django_assert_num_queries):
    factories.make_account("https://x.com/NLinJapan", post=tokyo, status="closed")
    verify("https://x.com/NLinJapan")  # the atlas read for this generation
    with django_assert_num_queries(0):
        for n in range(3):
            assert verify(f"https://x.com/Someone{n}")["kind"] == "NOT_LISTED"
        assert verify("https://x.com/NLinJapan")["kind"] == "CLOSED"
