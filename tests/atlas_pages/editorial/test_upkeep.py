"""Reviewing accounts: "mark reviewed" on one account (its edit view) and in bulk (the account
list), who may do it, the review queue, and that reviewing is bookkeeping (no revision, no new
publication generation, kept when an older revision is published)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from atlas_pages.editorial import upkeep
from atlas_pages.models import LinkCheck, SocialAccount
from atlas_pages.publication import generation
from tests.atlas_pages.editorial.test_workflow import snippet_url
from tests.factories import make_account, make_user

pytestmark = pytest.mark.django_db


def bulk_url(*accounts, next_url="/admin/"):
    url = reverse("wagtail_bulk_action", args=("atlas_pages", "socialaccount", "mark-reviewed"))
    ids = "&".join(f"id={account.pk}" for account in accounts)
    return f"{url}?{ids}&next={next_url}"


@pytest.fixture
def accounts(tokyo):
    return [
        make_account("https://x.com/NLinJapan", post=tokyo),
        make_account("https://facebook.com/NLEmbassyTokyo", post=tokyo),
        make_account("https://instagram.com/nlintokyo", post=tokyo),
    ]


def reviewed(account):
    account = SocialAccount.objects.get(pk=account.pk)
    return account.last_reviewed_at, account.last_reviewed_by


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_mark_one_account_reviewed_from_its_edit_view(client, request, role, accounts):
    user = request.getfixturevalue(role)
    account = accounts[0]
    account.save_revision(user=user).publish()  # a revision to compare with
    revisions = account.revisions.count()
    token = generation.current()
    client.force_login(user)
    edit_url = snippet_url(SocialAccount, "edit", account.pk)
    html = client.get(edit_url).content.decode()
    assert "Never reviewed." in html
    link = re.search(r'href="([^"]+)" data-mark-reviewed', html)[1].replace("&amp;", "&")
    assert link == upkeep.mark_reviewed_url(account, edit_url)
    confirmation = client.get(link)
    assert confirmation.status_code == 200
    assert "Yes, mark reviewed" in confirmation.content.decode()
    response = client.post(link)
    assert response.status_code == 302 and response.url == edit_url
    when, who = reviewed(account)
    assert who == user and timezone.now() - when < timedelta(minutes=1)
    # Bookkeeping: no revision, nothing public changed.
    account.refresh_from_db()
    assert account.revisions.count() == revisions
    assert not account.has_unpublished_changes
    assert generation.current() == token
    html = client.get(edit_url).content.decode()
    assert "Last reviewed on" in html and user.username in html


def test_mark_reviewed_in_bulk(client, moderator, accounts):
    client.force_login(moderator)
    list_url = snippet_url(SocialAccount, "list")
    html = client.get(list_url).content.decode()
    assert "Mark reviewed" in html  # the bulk action in the list's footer, and on each row
    assert f"mark-reviewed/?id={accounts[0].pk}&amp;next=" in html
    url = bulk_url(accounts[0], accounts[1], next_url=list_url)
    assert "2 accounts" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "2 accounts marked as reviewed." in response.content.decode()
    assert reviewed(accounts[0])[1] == moderator
    assert reviewed(accounts[1])[1] == moderator
    assert reviewed(accounts[2]) == (None, None)


def test_select_all_in_the_queue_marks_the_queue_only(client, editor, accounts):
    """The admin's "select all in listing" sends id=all with the listing's filters."""
    upkeep.mark_reviewed(accounts[2:], editor)
    SocialAccount.objects.filter(pk=accounts[2].pk).update(
        last_reviewed_at=timezone.now() - timedelta(days=30)
    )
    client.force_login(editor)
    url = reverse("wagtail_bulk_action", args=("atlas_pages", "socialaccount", "mark-reviewed"))
    response = client.post(f"{url}?review=due&ordering=last_reviewed_at&id=all&next=/admin/")
    assert response.status_code == 302
    assert reviewed(accounts[0])[1] == reviewed(accounts[1])[1] == editor
    assert timezone.now() - reviewed(accounts[2])[0] > timedelta(days=29)  # not in the queue


def test_anonymous_and_users_without_the_right_cannot_mark_reviewed(client, accounts, db):
    url = bulk_url(*accounts)
    response = client.post(url)
    assert response.status_code == 302 and "/login/" in response.url
    # Admin access but no right to edit accounts: nothing to mark.
    from django.contrib.auth.models import Permission

    reader = make_user("reader")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    assert "You may not mark these accounts as reviewed" in client.get(url).content.decode()
    client.post(url)
    assert all(reviewed(account) == (None, None) for account in accounts)


def test_publishing_an_older_revision_keeps_the_review(editor, moderator, accounts):
    account = accounts[0]
    account.display_name = "Embassy"
    revision = account.save_revision(user=editor)  # a change made before the review
    upkeep.mark_reviewed([account], moderator)
    # As the admin and scheduled publishing do: the revision and its object read anew.
    Revision.objects.get(pk=revision.pk).publish(user=moderator)
    account = SocialAccount.objects.get(pk=account.pk)
    assert account.display_name == "Embassy"
    assert account.last_reviewed_by == moderator and account.last_reviewed_at is not None


def queue_handles(client):
    html = client.get(upkeep.queue_url()).content.decode()
    return re.findall(r'<span id="snippet_\d+_title">([^<]+)</span>', html), html


def test_the_review_queue_lists_accounts_never_or_long_ago_reviewed(
    client, editor, accounts, settings
):
    never, old, fresh = accounts
    SocialAccount.objects.filter(pk=old.pk).update(
        last_reviewed_at=timezone.now() - timedelta(days=200)
    )
    SocialAccount.objects.filter(pk=fresh.pk).update(
        last_reviewed_at=timezone.now() - timedelta(days=2)
    )
    LinkCheck.objects.create(
        account=old, url=old.url, checked_at=timezone.now(), status_code=404, final_url=old.url
    )
    client.force_login(editor)
    handles, html = queue_handles(client)
    assert handles == ["NLinJapan", "NLEmbassyTokyo"]  # never reviewed first
    assert 'data-link-outcome="broken"' in html and 'data-link-outcome="unchecked"' in html
    # The age is a setting.
    settings.ATLAS_REVIEW_MAX_AGE_DAYS = 1
    assert queue_handles(client)[0] == ["NLinJapan", "NLEmbassyTokyo", "nlintokyo"]


def upkeep_counts(client):
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    return {
        name: (int(count), url.replace("&amp;", "&"))
        for url, name, count in re.findall(
            r'<a href="([^"]+)" data-upkeep-count="([^"]+)">(\d+)</a>', html
        )
    }


def test_dashboard_counts_upkeep(client, editor, moderator, accounts):
    from tests.atlas_pages.editorial.test_pressdesk import submitted
    from tests.atlas_pages.editorial.test_workflow import account_form
    from tests.factories import platform

    tokyo = accounts[0].post
    submitted(
        client,
        editor,
        SocialAccount,
        account_form(tokyo, platform=platform("youtube").pk, url="https://youtube.com/@nltokyo"),
    )
    upkeep.mark_reviewed(accounts[:1], editor)
    LinkCheck.objects.create(
        account=accounts[1], url=accounts[1].url, checked_at=timezone.now(), error="Timeout (1 s)"
    )
    LinkCheck.objects.create(  # a login wall is not a broken link
        account=accounts[2], url=accounts[2].url, checked_at=timezone.now(), status_code=999
    )
    client.force_login(moderator)
    counts = upkeep_counts(client)
    list_url = snippet_url(SocialAccount, "list")
    assert counts == {
        "in_review": (1, f"{list_url}?status=in_review"),
        "review_due": (3, upkeep.queue_url()),
        "broken_links": (1, f"{list_url}?link=broken"),
        # Accounts taken over or renamed on their platform (editorial.identity_desk).
        "identity": (0, "/admin/atlas/identities/"),
    }
    # Each count links to the list it counts.
    html = client.get(counts["broken_links"][1]).content.decode()
    assert "NLEmbassyTokyo" in html and "NLinJapan" not in html and "nlintokyo" not in html
    html = client.get(counts["in_review"][1]).content.decode()
    assert "nltokyo" in html and "NLinJapan" not in html


def test_review_speaks_dutch(client, accounts):
    dutch = make_user("redacteur", Group.objects.get(name="Press editors"), "nl")
    client.force_login(dutch)
    html = client.get(snippet_url(SocialAccount, "edit", accounts[0].pk)).content.decode()
    for label in ("Nooit beoordeeld.", "Markeer als beoordeeld", "Linkcontrole"):
        assert label in html
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    for label in ("Onderhoud van de atlas", "Accounts met een kapotte link"):
        assert label in html
    html = client.get(upkeep.queue_url()).content.decode()
    assert "Laatst beoordeeld" in html and "Niet gecontroleerd" in html
