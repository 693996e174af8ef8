"""Review reminders (issue 23, "Owners and reminders"): each contact gets one digest of what of
theirs is due, in their admin language, with absolute links to each account's edit view; once
per due set; an account without a contact of its own goes to its post's; after the grace period
the post's editors are told. Read from Django's mail outbox."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from atlas_pages.editorial import upkeep
from atlas_pages.models import ReminderSent, SocialAccount
from tests.atlas_pages.editorial.test_workflow import snippet_url
from tests.factories import make_account, make_country, make_person, make_post, make_user

pytestmark = pytest.mark.django_db

LINK = re.compile(r"^  (http\S+)$", re.MULTILINE)


def run():
    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    return out.getvalue()


def mails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def reviewed(*accounts, days_ago):
    """The accounts as if last reviewed `days_ago` days ago."""
    SocialAccount.objects.filter(pk__in=[a.pk for a in accounts]).update(
        last_reviewed_at=timezone.now() - timedelta(days=days_ago)
    )


def pass_grace_period(days=None):
    """As if the reminders recorded so far were sent `days` (default: the grace period and a
    day) ago."""
    days = settings.ATLAS_REMINDER_GRACE_DAYS + 1 if days is None else days
    ReminderSent.objects.update(sent_at=F("sent_at") - timedelta(days=days))


def edit_link(account):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + snippet_url(
        SocialAccount, "edit", account.pk
    )


@pytest.fixture
def japan_editors(japan):
    """The press editors of Japan (a country group, as setup_country_editors makes it)."""
    call_command("setup_country_editors", country=["JP"], stdout=StringIO())
    return Group.objects.get(name="Press editors – Japan")


@pytest.fixture
def anna(japan_editors):
    """A Japan editor who reads the admin in English."""
    return make_user("anna", japan_editors, language="en", first_name="Anna", last_name="Smith")


@pytest.fixture
def bram(japan_editors):
    """A Japan editor who reads the admin in Dutch."""
    return make_user("bram", japan_editors, language="nl", first_name="Bram", last_name="Jansen")


@pytest.fixture
def accounts(tokyo):
    return {
        "x": make_account("https://x.com/NLinJapan", post=tokyo),
        "facebook": make_account("https://facebook.com/NLEmbassyTokyo", post=tokyo),
        "instagram": make_account("https://instagram.com/nlintokyo", post=tokyo),
    }


def contact(*objects, user=None, email=""):
    for obj in objects:
        type(obj).objects.filter(pk=obj.pk).update(contact_user=user, contact_email=email)


def test_one_digest_per_contact_listing_all_that_is_due_and_nothing_else(anna, bram, accounts):
    contact(accounts["x"], accounts["facebook"], user=anna)
    contact(accounts["instagram"], user=bram)
    reviewed(accounts["facebook"], days_ago=400)
    reviewed(accounts["instagram"], days_ago=10)  # not due

    output = run()

    assert "1 reminder(s)" in output
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [anna.email]
    assert message.subject == "Atlas: 2 accounts are due for review"
    assert message.body.startswith("Hello Anna Smith,\n")
    assert "NLinJapan (Embassy in Tokyo; never reviewed)" in message.body
    assert "NLEmbassyTokyo (Embassy in Tokyo; last reviewed on" in message.body
    assert "nlintokyo" not in message.body
    assert LINK.findall(message.body) == [
        edit_link(accounts["x"]),
        edit_link(accounts["facebook"]),
    ]
    queue = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + upkeep.queue_url()
    assert f"All accounts due for review: {queue}" in message.body


def test_the_links_open_each_accounts_edit_view(client, anna, accounts):
    contact(accounts["x"], user=anna)
    run()
    (link,) = LINK.findall(mail.outbox[0].body)
    assert link.startswith(("http://", "https://"))
    client.force_login(anna)
    response = client.get(link.removeprefix(settings.WAGTAILADMIN_BASE_URL.rstrip("/")))
    assert response.status_code == 200
    assert 'value="https://x.com/NLinJapan"' in response.content.decode()


def test_once_per_due_set(anna, accounts):
    contact(*accounts.values(), user=anna)
    reviewed(accounts["instagram"], days_ago=10)
    run()
    assert len(mail.outbox) == 1

    run()  # nothing new came due
    assert len(mail.outbox) == 1

    reviewed(accounts["instagram"], days_ago=400)  # comes due
    run()
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "Atlas: 3 accounts are due for review"  # all that is due

    # A review starts a new period: when the account comes due again, it is new again.
    upkeep.mark_reviewed([accounts["x"]], anna)
    run()
    assert len(mail.outbox) == 2
    reviewed(accounts["x"], days_ago=300)
    run()
    assert len(mail.outbox) == 3
    run()
    assert len(mail.outbox) == 3


def test_each_recipient_in_their_own_admin_language(anna, bram, accounts):
    contact(accounts["x"], user=anna)
    contact(accounts["facebook"], accounts["instagram"], user=bram)
    run()

    (english,) = mails_to(anna.email)
    assert english.subject == "Atlas: 1 account is due for review"
    assert "of which you are the contact, are due for review" in english.body
    assert "(Embassy in Tokyo; never reviewed)" in english.body

    (dutch,) = mails_to(bram.email)
    assert dutch.subject == "Atlas: 2 accounts moeten worden beoordeeld"
    assert dutch.body.startswith("Beste Bram Jansen,\n")
    assert "waarvan u de contactpersoon bent" in dutch.body
    assert "(Embassy in Tokyo; nooit beoordeeld)" in dutch.body
    assert "Alle accounts die moeten worden beoordeeld:" in dutch.body


def test_an_account_without_a_contact_goes_to_its_posts(anna, bram, tokyo, accounts):
    contact(tokyo, user=bram)
    contact(accounts["x"], user=anna)  # its own contact comes first
    person = make_person(name="Jane Example", post=tokyo)
    personal = make_account("https://x.com/JaneExampleNL", person=person)  # via person's post

    run()

    assert sorted(m.to for m in mail.outbox) == [[anna.email], [bram.email]]
    (to_bram,) = mails_to(bram.email)
    assert LINK.findall(to_bram.body) == [
        edit_link(personal),
        edit_link(accounts["facebook"]),
        edit_link(accounts["instagram"]),
    ]
    assert "JaneExampleNL (Jane Example; nooit beoordeeld)" in to_bram.body
    (to_anna,) = mails_to(anna.email)
    assert LINK.findall(to_anna.body) == [edit_link(accounts["x"])]


def test_a_team_address_gets_the_sites_default_language(tokyo, accounts):
    assert settings.LANGUAGE_CODE == "nl"
    contact(tokyo, email="Press.Tokyo@example.org")
    run()
    (message,) = mail.outbox
    assert message.to == ["Press.Tokyo@example.org"]
    assert message.subject == "Atlas: 3 accounts moeten worden beoordeeld"
    assert message.body.startswith("Beste collega's,\n")
    assert ReminderSent.objects.filter(recipient="press.tokyo@example.org").count() == 3
    run()
    assert len(mail.outbox) == 1


def test_escalation_to_the_posts_editors_after_the_grace_period(
    anna, bram, japan_editors, atlas, accounts
):
    korea = make_country(atlas, "KR", title="South Korea", lat=36.5, lng=127.8)
    make_post(korea, title="Embassy in Seoul", city="Seoul", lat=37.56, lng=126.97)
    call_command("setup_country_editors", country=["KR"], stdout=StringIO())
    make_user("kim", Group.objects.get(name="Press editors – South Korea"))
    get_user_model().objects.filter(pk=make_user("nomail", japan_editors).pk).update(email="")
    make_user("gone", japan_editors, is_active=False)
    make_user("root", is_superuser=True)  # no group: not written to
    contact(accounts["x"], accounts["facebook"], user=anna)
    reviewed(accounts["instagram"], days_ago=10)  # not due
    run()
    assert [m.to for m in mail.outbox] == [[anna.email]]

    pass_grace_period(days=settings.ATLAS_REMINDER_GRACE_DAYS - 1)
    run()
    assert len(mail.outbox) == 1  # still within the grace period

    pass_grace_period(days=2)
    output = run()
    assert "1 escalation(s)" in output
    escalations = mail.outbox[1:]
    # The Japan editors who can be written to, but not the contact herself (already told).
    assert [m.to for m in escalations] == [[bram.email]]
    (message,) = escalations
    assert message.subject == "Atlas: 2 accounts van uw posten zijn niet op tijd beoordeeld"
    assert LINK.findall(message.body) == [
        edit_link(accounts["x"]),
        edit_link(accounts["facebook"]),
    ]
    assert f"binnen {settings.ATLAS_REMINDER_GRACE_DAYS} dagen" in message.body

    run()  # once per due set
    assert len(mail.outbox) == 2

    upkeep.mark_reviewed([accounts["x"]], anna)  # reviewed: no longer due, no longer escalated
    reviewed(accounts["instagram"], days_ago=400)  # newly due: first its contact... (none)
    run()
    # instagram has no contact: straight to the editors, with what is still due of theirs.
    assert len(mail.outbox) == 4
    to_anna, to_bram = sorted(mail.outbox[2:], key=lambda m: m.to)
    assert to_anna.subject == "Atlas: 1 account of your posts was not reviewed in time"
    assert LINK.findall(to_anna.body) == [edit_link(accounts["instagram"])]
    assert LINK.findall(to_bram.body) == [
        edit_link(accounts["facebook"]),
        edit_link(accounts["instagram"]),
    ]


def test_nothing_when_nothing_is_due(anna, accounts):
    contact(*accounts.values(), user=anna)
    reviewed(*accounts.values(), days_ago=1)
    assert "0 reminder(s) and 0 escalation(s)" in run()
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_drafts_never_published_are_not_reminded_of_but_pending_changes_are(anna, tokyo, accounts):
    draft = SocialAccount(
        platform=accounts["x"].platform,
        url="https://x.com/NLDraftTokyo",
        post=tokyo,
        live=False,
        contact_user=anna,
    )
    draft.full_clean()
    draft.save()
    draft.save_revision(user=anna)
    unpublished = accounts["facebook"]
    unpublished.unpublish()
    changed = SocialAccount.objects.get(pk=accounts["x"].pk)
    changed.display_name = "A pending change"
    changed.save_revision(user=anna)  # live, with a draft waiting
    contact(draft, unpublished, changed, user=anna)
    reviewed(accounts["instagram"], days_ago=1)

    run()

    (message,) = mail.outbox
    assert LINK.findall(message.body) == [edit_link(changed)]
    assert "NLDraftTokyo" not in message.body
    run()
    assert len(mail.outbox) == 1


def test_a_deactivated_contact_falls_back_to_the_post(anna, tokyo, accounts):
    contact(accounts["x"], user=anna)
    contact(tokyo, email="press.tokyo@example.org")
    anna.is_active = False
    anna.save()
    run()
    assert [m.to for m in mail.outbox] == [["press.tokyo@example.org"]]
    assert len(LINK.findall(mail.outbox[0].body)) == 3


def test_the_scheduler_sends_reminders_at_their_own_interval(monkeypatch):
    from atlas_pages.management.commands import run_scheduled_publishing

    called = []
    monkeypatch.setattr(
        run_scheduled_publishing, "call_command", lambda name, **options: called.append(name)
    )
    call_command(
        "run_scheduled_publishing",
        interval=0,
        runs=3,
        activity_interval=0,
        site_links_interval=0,
        identity_interval=0,
        reminder_interval=3600,
        stdout=StringIO(),
    )
    assert (called.count("publish_scheduled"), called.count("send_review_reminders")) == (3, 1)


def test_an_unreachable_mail_server_is_tried_again_next_run(monkeypatch, anna, accounts):
    from atlas_pages.editorial import reminders

    contact(*accounts.values(), user=anna)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(reminders, "send_mail", refuse)
    assert "1 failed" in run()
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    run()
    assert [m.to for m in mail.outbox] == [[anna.email]]
