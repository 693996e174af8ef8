"""The press desk's queue of accounts taken over or renamed on their platform
(atlas_pages.editorial.identity_desk): who sees it, who may act, what the actions do, and the
e-mail in each reader's language. The check itself is tests/atlas_pages/outbound/test_identity.py.

Who may act on an account of a post in Japan (anon: anonymous; none: staff without rights;
JP/CA: a press editor of Japan/Canada; "login": sent to log in; "–": refused, not listed):

| action                        | anon  | none  | JP  | CA | editor | moderator | superuser |
| ----------------------------- | ----- | ----- | --- | -- | ------ | --------- | --------- |
| see it in the queue           | login | login | yes | –  | yes    | yes       | yes       |
| "Close the account" (a draft) | login | login | yes | –  | yes    | yes       | yes       |
| "Still ours" (official again) | login | login | –   | –  | –      | yes       | yes       |
"""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from atlas_pages.editorial import identity_desk
from atlas_pages.models import AccountIdentity, SocialAccount
from atlas_pages.publication import generation
from tests.atlas_pages.editorial.test_workflow import snippet_url
from tests.factories import make_account, make_country, make_post, make_user

pytestmark = pytest.mark.django_db

QUEUE = "/admin/atlas/identities/"


@pytest.fixture
def ottawa(atlas):
    return make_post(make_country(atlas, "CA", title="Canada"), "Embassy in Ottawa", city="Ottawa")


@pytest.fixture
def taken_over(tokyo, ottawa):
    """A Bluesky account of Tokyo whose handle now resolves to someone else."""
    call_command("setup_country_editors", stdout=StringIO())
    account = make_account("https://bsky.app/profile/nl.bsky.social", post=tokyo)
    AccountIdentity.objects.create(
        account=account,
        identity="did:plc:embassy",
        source=AccountIdentity.Source.BLUESKY,
        first_seen_at=timezone.now(),
        checked_at=timezone.now(),
        takeover_at=timezone.now(),
        takeover_identity="did:plc:squatter",
    )
    return account


USERS = {
    "nobody": {},
    "japan": {"group": "Press editors – Japan"},
    "canada": {"group": "Press editors – Canada"},
    "editor": {"group": "Press editors"},
    "moderator": {"group": "Press moderators"},
    "superuser": {"is_superuser": True},
}


def login(client, name):
    if name == "anonymous":
        return client
    fields = dict(USERS[name])
    group = Group.objects.get(name=fields.pop("group")) if "group" in fields else None
    client.force_login(make_user(name, group, is_staff=name == "nobody", **fields))
    return client


def still_ours_url(account):
    return reverse("atlas_identity_still_ours", args=(account.pk,))


def close_url(account):
    return reverse("atlas_identity_close", args=(account.pk,))


def outcome(response, done_url):
    """What an action's answer means: done, refused (Wagtail's admin answers a refusal with a
    redirect to the dashboard and a message), or a login asked for."""
    location = response["Location"] if response.status_code == 302 else ""
    if location.startswith("/admin/login/"):
        return "login"
    if location == done_url:
        return "done"
    assert location == "/admin/", (response.status_code, location)
    return "refused"


@pytest.mark.parametrize(
    ("user", "listed", "close", "accept"),
    [
        ("anonymous", "login", "login", "login"),
        ("nobody", "login", "login", "login"),
        ("japan", True, "done", "refused"),
        ("canada", False, "refused", "refused"),
        ("editor", True, "done", "refused"),
        ("moderator", True, "done", "done"),
        ("superuser", True, "done", "done"),
    ],
)
def test_who_sees_the_queue_and_who_may_act(client, taken_over, user, listed, close, accept):
    client = login(client, user)
    response = client.get(QUEUE)
    if isinstance(listed, bool):
        assert response.status_code == 200
        html = response.content.decode()
        assert (f'data-identity-row="{taken_over.pk}"' in html) is listed
        assert ("data-still-ours" in html) is (listed and accept == "done")
        assert ("data-close-account" in html) is (listed and close == "done")
    else:
        assert outcome(response, QUEUE) == listed
    edit = snippet_url(SocialAccount, "edit", taken_over.pk)
    assert outcome(client.post(close_url(taken_over)), edit) == close
    assert taken_over.revisions.exists() is (close == "done")
    assert outcome(client.post(still_ours_url(taken_over)), QUEUE) == accept
    flag = AccountIdentity.objects.get(account=taken_over).takeover_at
    assert (flag is None) is (accept == "done")


def test_still_ours_accepts_the_new_identity_and_the_address_is_official_again(client, taken_over):
    login(client, "moderator")
    before = generation.current()

    response = client.post(still_ours_url(taken_over), follow=True)

    found = AccountIdentity.objects.get(account=taken_over)
    assert (found.identity, found.takeover_at, found.takeover_identity) == (
        "did:plc:squatter",
        None,
        "",
    )
    assert generation.current() != before  # the public atlas widens again at once
    assert "data-identity-queue-empty" in response.content.decode()


def test_still_ours_replaces_an_identity_the_editor_entered(client, taken_over):
    SocialAccount.objects.filter(pk=taken_over.pk).update(platform_identity="did:plc:embassy")
    login(client, "moderator")
    client.post(still_ours_url(taken_over))
    assert SocialAccount.objects.get(pk=taken_over.pk).platform_identity == "did:plc:squatter"


def test_close_prepares_one_closed_draft_and_publishes_nothing(client, taken_over):
    login(client, "japan")
    client.post(close_url(taken_over))
    client.post(close_url(taken_over))  # twice: still one draft

    account = SocialAccount.objects.get(pk=taken_over.pk)
    assert account.status == SocialAccount.Status.ACTIVE and account.live
    [revision] = account.revisions.all()
    draft = revision.as_object()
    assert (draft.status, draft.status_since) == ("closed", timezone.localdate())
    assert revision.user.username == "japan"
    # The flag stands until the closure is published.
    assert AccountIdentity.objects.get(account=taken_over).takeover_at is not None


def test_a_get_changes_nothing(client, taken_over):
    login(client, "moderator")
    assert client.get(still_ours_url(taken_over)).status_code == 405
    assert AccountIdentity.objects.get(account=taken_over).takeover_at is not None


def test_a_rename_is_listed_with_its_draft_until_it_is_published(client, tokyo):
    account = make_account("https://bsky.app/profile/old.bsky.social", post=tokyo)
    AccountIdentity.objects.create(
        account=account, identity="did:plc:x", moved_to="https://bsky.app/profile/new.bsky.social"
    )
    assert identity_desk.prepare_renames([account.pk]) == 1
    assert identity_desk.prepare_renames([account.pk]) == 0  # once
    login(client, "moderator")
    html = client.get(QUEUE).content.decode()
    assert "Renamed on the platform: now at https://bsky.app/profile/new.bsky.social" in html
    assert "data-still-ours" not in html

    SocialAccount.objects.get(pk=account.pk).get_latest_revision().publish()

    html = client.get(QUEUE).content.decode()
    assert "data-identity-queue-empty" in html
    assert SocialAccount.objects.get(pk=account.pk).new_url.endswith("/new.bsky.social")


def test_the_dashboard_counts_what_awaits_a_decision(client, taken_over):
    login(client, "japan")
    html = client.get("/admin/").content.decode()
    assert f'<a href="{QUEUE}" data-upkeep-count="identity">1</a>' in html
    login(client, "canada")
    html = client.get("/admin/").content.decode()
    assert f'<a href="{QUEUE}" data-upkeep-count="identity">0</a>' in html


def test_the_press_desk_is_mailed_in_each_reader_s_language(taken_over):
    """Those who reach the account, each in their admin language; not another country's."""
    moderators = Group.objects.get(name="Press moderators")
    make_user("dutch", moderators, language="nl")
    make_user("english", Group.objects.get(name="Press editors – Japan"), language="en")
    make_user("canadian", Group.objects.get(name="Press editors – Canada"), language="en")

    assert identity_desk.notify(takeovers=[taken_over.pk], renames=[]) == 2

    by_user = {message.to[0].split("@")[0]: message for message in mail.outbox}
    assert set(by_user) == {"dutch", "english"}
    assert by_user["english"].subject == "Atlas identity check: 1 taken over, 0 renamed"
    assert "known as did:plc:embassy, now did:plc:squatter" in by_user["english"].body
    assert by_user["dutch"].subject == "Identiteitscontrole atlas: 1 overgenomen, 0 hernoemd"
    assert "bekend als did:plc:embassy, nu did:plc:squatter" in by_user["dutch"].body
    assert f"http://127.0.0.1:8000{QUEUE}" in by_user["dutch"].body
