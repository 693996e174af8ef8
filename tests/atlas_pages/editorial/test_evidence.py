"""An editor's confirmation ("Confirm as the ministry's": on the account's edit view and as a bulk
action), who may give it (the permission matrix), and the verification kit on the edit view:
per platform, the exact atlas page, the evidence recorded so far, in both languages."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from atlas_pages.editorial import evidence
from atlas_pages.models import AccountEvidence, AccountIdentity, Person, SocialAccount
from atlas_pages.publication import generation
from tests.atlas_pages.editorial.test_rights import setup_editors
from tests.atlas_pages.editorial.test_workflow import snippet_url
from tests.factories import make_account, make_country, make_person, make_post, make_user

pytestmark = pytest.mark.django_db


def confirm_bulk_url(*accounts, next_url="/admin/"):
    url = reverse(
        "wagtail_bulk_action", args=("atlas_pages", "socialaccount", evidence.CONFIRM_ACTION)
    )
    ids = "&".join(f"id={account.pk}" for account in accounts)
    return f"{url}?{ids}&next={next_url}"


def editor_evidence(account):
    """(who, when) of the account's EDITOR evidence, or None."""
    item = AccountEvidence.objects.filter(account=account, kind=AccountEvidence.Kind.EDITOR).first()
    return (item.confirmed_by, item.confirmed_at) if item else None


@pytest.fixture
def ottawa(atlas):
    return make_post(make_country(atlas, "CA", title="Canada"), "Embassy in Ottawa", city="Ottawa")


@pytest.fixture
def accounts(tokyo, ottawa):
    minister = make_person("Minister Example", role=Person.Role.MINISTER)
    return {
        "tokyo": make_account("https://x.com/NLinJapan", post=tokyo),
        "tokyo_fb": make_account("https://facebook.com/NLEmbassyTokyo", post=tokyo),
        "ottawa": make_account("https://x.com/NLinCanada", post=ottawa),
        "minister": make_account("https://x.com/MinisterExample", person=minister),
    }


def test_confirm_one_account_from_its_edit_view(client, editor, accounts):
    account = accounts["tokyo"]
    account.save_revision(user=editor).publish()
    revisions = account.revisions.count()
    token = generation.current()
    client.force_login(editor)
    edit_url = snippet_url(SocialAccount, "edit", account.pk)
    html = client.get(edit_url).content.decode()
    assert "No evidence recorded yet." in html
    link = re.search(r'href="([^"]+)" data-confirm-official', html)[1].replace("&amp;", "&")
    assert link == evidence.confirm_url(account, edit_url)
    confirmation = unescape(client.get(link).content.decode())
    assert "Confirm that these accounts are the ministry's?" in confirmation
    assert "NLinJapan" in confirmation
    response = client.post(link)
    assert response.status_code == 302 and response.url == edit_url
    who, when = editor_evidence(account)
    assert who == editor and timezone.now() - when < timedelta(minutes=1)
    # Bookkeeping: no revision, no draft; but the public evidence line changed.
    account.refresh_from_db()
    assert account.revisions.count() == revisions and not account.has_unpublished_changes
    assert generation.current() != token
    html = client.get(edit_url).content.decode()
    assert 'data-evidence-kind="editor"' in html and "Confirmed by an editor" in html
    assert editor.username in html


def test_confirm_in_bulk_renews_the_confirmation(client, moderator, editor, accounts):
    earlier = timezone.now() - timedelta(days=90)
    AccountEvidence.objects.create(
        account=accounts["tokyo"],
        kind=AccountEvidence.Kind.EDITOR,
        confirmed_at=earlier,
        confirmed_by=editor,
    )
    client.force_login(moderator)
    html = unescape(client.get(snippet_url(SocialAccount, "list")).content.decode())
    assert "Confirm as the ministry's" in html  # the bulk action in the list's footer
    url = confirm_bulk_url(accounts["tokyo"], accounts["tokyo_fb"])
    response = client.post(url, follow=True)
    assert "2 accounts confirmed as the ministry's." in unescape(response.content.decode())
    assert editor_evidence(accounts["tokyo"])[0] == moderator  # one row per kind, renewed
    assert editor_evidence(accounts["tokyo"])[1] > earlier
    assert editor_evidence(accounts["tokyo_fb"])[0] == moderator
    assert editor_evidence(accounts["ottawa"]) is None
    assert AccountEvidence.objects.count() == 2


def reader():
    user = make_user("reader")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def japan_editor():
    setup_editors()
    return make_user("japan", Group.objects.get(name="Press editors – Japan"))


#: Who may confirm which account: whoever may change it, within their country's reach.
MATRIX = [
    ("superuser", {"tokyo": True, "ottawa": True, "minister": True}),
    ("moderator", {"tokyo": True, "ottawa": True, "minister": True}),
    ("editor", {"tokyo": True, "ottawa": True, "minister": True}),
    ("japan_editor", {"tokyo": True, "ottawa": False, "minister": False}),
    ("reader", {"tokyo": False, "ottawa": False, "minister": False}),
]


@pytest.mark.parametrize(("role", "allowed"), MATRIX)
def test_who_may_confirm(client, request, accounts, role, allowed):
    users = {
        "superuser": lambda: make_user("root", is_superuser=True, is_staff=True),
        "moderator": lambda: request.getfixturevalue("moderator"),
        "editor": lambda: request.getfixturevalue("editor"),
        "japan_editor": japan_editor,
        "reader": reader,
    }
    user = users[role]()
    client.force_login(user)
    for name, may in allowed.items():
        account = accounts[name]
        page = unescape(client.get(confirm_bulk_url(account)).content.decode())
        assert ("You may not confirm these accounts" in page) is not may, (role, name)
        client.post(confirm_bulk_url(account))
        confirmed = editor_evidence(account)
        assert (confirmed is not None and confirmed[0] == user) is may, (role, name)


def test_anonymous_visitors_cannot_confirm(client, accounts):
    response = client.post(confirm_bulk_url(accounts["tokyo"]))
    assert response.status_code == 302 and "/login/" in response.url
    assert not AccountEvidence.objects.exists()


def kit(client, account):
    html = client.get(snippet_url(SocialAccount, "edit", account.pk)).content.decode()
    match = re.search(r"<section data-verification-kit=.*?</section>", html, re.S)
    return unescape(re.sub(r"\s+", " ", match[0]))


def test_the_mastodon_kit_names_the_post_page(client, editor, tokyo):
    account = make_account(
        "https://social.example/@nlintokyo", post=tokyo, platform_slug="mastodon"
    )
    client.force_login(editor)
    text = kit(client, account)
    url = tokyo.get_full_url()
    assert f"<code data-atlas-url>{url}</code>" in text
    assert f"add a field (label e.g. “Atlas”) with the value {url}" in text
    assert 'links back to the account with rel="me"' in text
    assert "data-not-linked-yet" not in text


def test_the_bluesky_kit_tells_how_to_move_under_the_ministry_s_domain(
    client, editor, tokyo, settings
):
    settings.ATLAS_MINISTRY_DOMAINS = ["netherlandsworldwide.nl"]
    account = make_account("https://bsky.app/profile/nlintokyo.bsky.social", post=tokyo)
    AccountIdentity.objects.create(account=account, identity="did:plc:abc123")
    client.force_login(editor)
    text = kit(client, account)
    assert "The handle nlintokyo.bsky.social is not under a domain of the ministry" in text
    assert "a DNS TXT record named _atproto.nlintokyo.netherlandsworldwide.nl" in text
    assert "with the value did=did:plc:abc123" in text
    assert "https://nlintokyo.netherlandsworldwide.nl/.well-known/atproto-did" in text
    domain_handle = make_account(
        "https://bsky.app/profile/tokyo.netherlandsworldwide.nl", post=tokyo
    )
    text = kit(client, domain_handle)
    assert "is under the ministry's domain netherlandsworldwide.nl" in text
    assert "_atproto" not in text


def test_other_platforms_put_the_page_in_the_bio_and_ask_the_website(client, editor, tokyo):
    tokyo.website = "https://www.netherlandsworldwide.nl/countries/japan"
    tokyo.save_revision().publish()
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    client.force_login(editor)
    text = kit(client, account)
    assert f"Put {tokyo.get_full_url()} in the profile's website or bio field" in text
    assert "Ask the post's website (https://www.netherlandsworldwide.nl/countries/japan)" in text


def test_the_kit_says_what_keeps_the_page_from_linking_the_account(client, editor, tokyo):
    employee = make_person(
        "Kees Example", role=Person.Role.EMPLOYEE, post=tokyo, consent_given_at=None
    )
    personal = make_account("https://x.com/KeesExample", person=employee)
    client.force_login(editor)
    text = kit(client, personal)
    assert f"<code data-atlas-url>{tokyo.get_full_url()}</code>" in text  # the person's post
    assert "only while its owner's consent stands" in text
    draft = make_account("https://instagram.com/nlintokyo", post=tokyo)
    SocialAccount.objects.filter(pk=draft.pk).update(live=False)
    assert "The account is not published yet" in kit(client, draft)
    employee.consent_given_at = date(2026, 1, 1)
    employee.save()
    assert "consent" not in kit(client, personal)
    PageViewRestriction.objects.create(page=tokyo, restriction_type="password", password="x")
    assert "The atlas page is private" in kit(client, personal)


def test_an_account_of_the_ministry_s_top_links_to_the_home_page(client, editor, atlas):
    minister = make_person("Minister Example", role=Person.Role.MINISTER)
    account = make_account("https://x.com/MinisterExample", person=minister)
    client.force_login(editor)
    assert f"<code data-atlas-url>{atlas.get_full_url()}</code>" in kit(client, account)


def test_the_kit_speaks_dutch(client, tokyo):
    dutch = make_user("redacteur", Group.objects.get(name="Press editors"), "nl")
    account = make_account(
        "https://social.example/@nlintokyo", post=tokyo, platform_slug="mastodon"
    )
    evidence.confirm_by_editor([account], dutch)
    client.force_login(dutch)
    text = kit(client, account)
    assert "Controleer de koppeling op het platform" in text
    assert "Bevestigd door een redacteur" in text
    assert "Bevestigen als account van het ministerie" in text
    assert "voeg een veld toe" in text


def test_select_all_in_a_filtered_list_confirms_that_list_only(client, moderator, accounts):
    """The admin's "select all in listing" sends id=all with the listing's filters."""
    from atlas_pages.editorial import upkeep

    upkeep.mark_reviewed([accounts["ottawa"], accounts["minister"]], moderator)
    client.force_login(moderator)
    url = reverse(
        "wagtail_bulk_action", args=("atlas_pages", "socialaccount", evidence.CONFIRM_ACTION)
    )
    response = client.post(f"{url}?review=due&id=all&next=/admin/")
    assert response.status_code == 302
    confirmed = set(
        AccountEvidence.objects.filter(kind=AccountEvidence.Kind.EDITOR).values_list(
            "account__handle", flat=True
        )
    )
    assert confirmed == {"NLinJapan", "NLEmbassyTokyo"}
