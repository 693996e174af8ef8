"""Who may do what in the admin: every role against every action, through real admin requests.

`POLICY` is the intended policy (README.md, "Roles"); each case performs the action over HTTP as
that role and reads the outcome from the database, so a mismatch either way fails. The content
lives in Japan: a post page, and a person and an account of the embassy in Tokyo. The country
editors' groups come from `manage.py setup_country_editors`, as in production.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from atlas_pages.editorial import rights
from atlas_pages.models import Attestation, ConfirmedNone, Person, Platform, PostPage, SocialAccount
from tests.atlas_pages.editorial.test_workflow import account_form, snippet_url
from tests.factories import make_account, make_country, make_person, make_post, make_user

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "editor of the country",
    "editor of another country",
    "editor",
    "moderator",
    "superuser",
]

#: The intended policy: may this role do this action? (the README's table)
POLICY = {
    #                  anonymous, editor of: the country, another, editor, moderator, superuser
    "view draft":       (False, True,  False, True,  True,  True),
    "edit":             (False, True,  False, True,  True,  True),
    "submit":           (False, True,  False, True,  True,  True),
    "approve":          (False, False, False, False, True,  True),
    "publish":          (False, False, False, False, True,  True),
    "unpublish":        (False, False, False, False, True,  True),
    "delete draft":     (False, True,  False, True,  True,  True),
    "delete live":      (False, False, False, False, True,  True),
    "manage platforms": (False, False, False, False, True,  True),
    "manage users":     (False, False, False, False, False, True),
    "import":           (False, True,  False, True,  True,  True),
    "confirm none":     (False, True,  False, True,  True,  True),
    "undo none":        (False, True,  False, True,  True,  True),
    "attest":           (False, True,  False, True,  True,  True),
}  # fmt: skip


class PageTarget:
    """A post page in Japan."""

    title_field = "title"

    def __init__(self, japan):
        self.japan = japan

    def make(self, live):
        post = make_post(self.japan, "Consulate-general in Osaka", city="Osaka", live=live)
        return post

    def edit_url(self, obj):
        return reverse("wagtailadmin_pages:edit", args=(obj.pk,))

    def form(self, obj, title="Consulate-general in Osaka", **overrides):
        data = {
            "title": title,
            "slug": "osaka",
            "kind": PostPage.Kind.CONSULATE_GENERAL,
            "city": "Osaka",
            "address": "",
            "location": "SRID=4326;POINT(135.5 34.69)",
            "website": "",
            "comments": inline_formset([]),
        }
        return nested_form_data({**data, **overrides})

    def unpublish_url(self, obj):
        return reverse("wagtailadmin_pages:unpublish", args=(obj.pk,))

    def delete_url(self, obj):
        return reverse("wagtailadmin_pages:delete", args=(obj.pk,))

    def approve_url(self, obj):
        task_state = obj.current_workflow_task_state
        args = (obj.pk, "approve", task_state.pk)
        return reverse("wagtailadmin_pages:workflow_action", args=args)


class SnippetTarget:
    """An account of the embassy in Tokyo, or a person serving there."""

    def __init__(self, model, post):
        self.model, self.post = model, post
        self.title_field = "display_name" if model is SocialAccount else "name"

    def make(self, live):
        if self.model is SocialAccount:
            return make_account("https://x.com/NLinJapan", post=self.post, live=live)
        return make_person(name="Jane Example", post=self.post, live=live)

    def edit_url(self, obj):
        return snippet_url(self.model, "edit", obj.pk)

    def form(self, obj, title="Jane Example", **overrides):
        if self.model is SocialAccount:
            return account_form(self.post, display_name=title, **overrides)
        data = {"name": title, "role": "ambassador", "job_title": ""}
        return {**data, "post": self.post.pk, **overrides}

    def unpublish_url(self, obj):
        return snippet_url(self.model, "unpublish", obj.pk)

    def delete_url(self, obj):
        return snippet_url(self.model, "delete", obj.pk)

    def approve_url(self, obj):
        task_state = obj.current_workflow_task_state
        return snippet_url(self.model, "workflow_action", obj.pk, "approve", task_state.pk)


def fresh(obj):
    """The object as stored now, or None once deleted."""
    return type(obj).objects.filter(pk=obj.pk).first()


# Each content action sets up the object it needs (as the setup superuser, through the model
# API), performs the action over HTTP as the role, and answers whether it took effect.


def view_draft(client, target, setup_user):
    obj = target.make(live=False)
    response = client.get(target.edit_url(obj))
    return response.status_code == 200 and str(obj) in response.content.decode()


def edit(client, target, setup_user):
    obj = target.make(live=False)
    client.post(target.edit_url(obj), target.form(obj, title="Renamed"))
    revision = fresh(obj).latest_revision
    return revision is not None and getattr(revision.as_object(), target.title_field) == "Renamed"


def submit(client, target, setup_user):
    obj = target.make(live=False)
    client.post(target.edit_url(obj), target.form(obj, **{"action-submit": "Submit"}))
    return fresh(obj).workflow_in_progress


def approve(client, target, setup_user):
    obj = target.make(live=False)
    obj.save_revision(user=setup_user)
    Workflow.objects.get(name="Press review").start(obj, setup_user)
    client.post(target.approve_url(fresh(obj)), {"comment": ""})
    return fresh(obj).live


def publish(client, target, setup_user):
    obj = target.make(live=False)
    client.post(target.edit_url(obj), target.form(obj, **{"action-publish": "Publish"}))
    return fresh(obj).live


def unpublish(client, target, setup_user):
    obj = target.make(live=True)
    client.post(target.unpublish_url(obj))
    return not fresh(obj).live


def delete_draft(client, target, setup_user):
    obj = target.make(live=False)
    client.post(target.delete_url(obj))
    return fresh(obj) is None


def delete_live(client, target, setup_user):
    obj = target.make(live=True)
    client.post(target.delete_url(obj))
    return fresh(obj) is None


CONTENT_ACTIONS = {
    "view draft": view_draft,
    "edit": edit,
    "submit": submit,
    "approve": approve,
    "publish": publish,
    "unpublish": unpublish,
    "delete draft": delete_draft,
    "delete live": delete_live,
}


def manage_platforms(client):
    """Add, rename and delete a platform: all three or none."""
    spare = Platform.objects.create(slug="spare", name="Spare", sort_order=200)
    twitter = Platform.objects.get(slug="twitter")
    new = {"name": "Pixelfed", "slug": "pixelfed", "hosts": "pixelfed.social", "sort_order": 150}
    renamed = {"name": "Renamed", "slug": "twitter", "hosts": "example.org", "sort_order": 10}
    client.post(snippet_url(Platform, "add"), new)
    client.post(snippet_url(Platform, "edit", twitter.pk), renamed)
    client.post(snippet_url(Platform, "delete", spare.pk))
    done = [
        Platform.objects.filter(slug="pixelfed").exists(),
        Platform.objects.get(slug="twitter").name == "Renamed",
        not Platform.objects.filter(slug="spare").exists(),
    ]
    assert len(set(done)) == 1, f"platforms half managed: {done}"
    return done[0]


def manage_users(client):
    password = "a-Long-and-unusual-passphrase-42"
    client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "first_name": "New",
            "last_name": "Comer",
            "password1": password,
            "password2": password,
            "is_superuser": "on",
        },
    )
    return get_user_model().objects.filter(username="newcomer").exists()


@pytest.fixture
def setup_user(db):
    return make_user("setup", is_superuser=True, is_staff=True)


@pytest.fixture
def country_editors(japan, atlas):
    """The editors of Japan and of Canada, in the groups the command sets up."""
    make_country(atlas, "CA", title="Canada")
    call_command("setup_country_editors", stdout=StringIO())
    return {
        "editor of the country": make_user(
            "japan", Group.objects.get(name="Press editors – Japan")
        ),
        "editor of another country": make_user(
            "canada", Group.objects.get(name="Press editors – Canada")
        ),
    }


@pytest.fixture
def user_in_role(request):
    """The user of a role (None: anonymous)."""

    def user(role):
        if role == "anonymous":
            return None
        if role.startswith("editor of"):
            return request.getfixturevalue("country_editors")[role]
        fixture = {"editor": "editor", "moderator": "moderator", "superuser": "admin_user"}
        return request.getfixturevalue(fixture[role])

    return user


@pytest.fixture
def as_role(client, user_in_role):
    """A test client logged in as the role (or not logged in at all)."""

    def log_in(role):
        if (user := user_in_role(role)) is not None:
            client.force_login(user)
        return client

    return log_in


def expected(action, role):
    return POLICY[action][ROLES.index(role)]


@pytest.mark.parametrize("kind", ["page", "account", "person"])
@pytest.mark.parametrize("action", list(CONTENT_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_content_actions(as_role, setup_user, japan, tokyo, role, action, kind):
    target = {
        "page": PageTarget(japan),
        "account": SnippetTarget(SocialAccount, tokyo),
        "person": SnippetTarget(Person, tokyo),
    }[kind]
    client = as_role(role)
    assert CONTENT_ACTIONS[action](client, target, setup_user) is expected(action, role)


@pytest.mark.parametrize("role", ROLES)
def test_manage_platforms(as_role, db, role):
    assert manage_platforms(as_role(role)) is expected("manage platforms", role)


@pytest.mark.parametrize("role", ROLES)
def test_manage_users(as_role, db, role):
    assert manage_users(as_role(role)) is expected("manage users", role)


@pytest.mark.parametrize("role", ROLES)
def test_import(user_in_role, tokyo, role):
    """The bulk import's right, per row: adding an account owned by this post (its admin view
    is built separately and must check this for every row)."""
    user = user_in_role(role) or AnonymousUser()
    assert rights.may_add_for(user, SocialAccount, tokyo) is expected("import", role)


@pytest.mark.parametrize("role", ROLES)
def test_confirm_none(as_role, tokyo, role):
    """ "Confirmed none" on a post (atlas_pages.editorial.confirmed_none): whoever may edit it."""
    client = as_role(role)
    facebook = Platform.objects.get(slug="facebook")
    client.post(reverse("atlas_confirm_none"), {"post": tokyo.pk, "platform": facebook.pk})
    confirmed = ConfirmedNone.objects.filter(post=tokyo, platform=facebook).exists()
    assert confirmed is expected("confirm none", role)


@pytest.mark.parametrize("role", ROLES)
def test_undo_none(as_role, tokyo, role):
    facebook = Platform.objects.get(slug="facebook")
    ConfirmedNone.objects.create(post=tokyo, platform=facebook, confirmed_at=timezone.now())
    as_role(role).post(reverse("atlas_undo_none"), {"post": tokyo.pk, "platform": facebook.pk})
    undone = not ConfirmedNone.objects.filter(post=tokyo, platform=facebook).exists()
    assert undone is expected("undo none", role)


@pytest.mark.parametrize("role", ROLES)
def test_attest(as_role, tokyo, role):
    """ "These are all our accounts" for a post (atlas_pages.editorial.attestations): whoever
    may edit it."""
    as_role(role).post(reverse("atlas_attest"), {"post": tokyo.pk})
    assert Attestation.objects.filter(post=tokyo).exists() is expected("attest", role)


def test_the_policy_covers_every_action_tested():
    assert set(POLICY) == set(CONTENT_ACTIONS) | {
        "manage platforms",
        "manage users",
        "import",
        "confirm none",
        "undo none",
        "attest",
    }


def test_refused_live_deletion_says_why_and_hides_the_button(client, editor, tokyo):
    """The editor is sent back to the list with the reason, and the edit view offers no delete."""
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    client.force_login(editor)
    for method in (client.get, client.post):
        response = method(snippet_url(SocialAccount, "delete", account.pk), follow=True)
        assert response.redirect_chain == [(snippet_url(SocialAccount, "list"), 302)]
        assert [str(m).strip() for m in response.context["messages"]] == [
            "“X (Twitter): NLinJapan” is published: only a moderator can delete it."
        ]
    assert SocialAccount.objects.filter(pk=account.pk).exists()
    edit_html = client.get(snippet_url(SocialAccount, "edit", account.pk)).content.decode()
    assert snippet_url(SocialAccount, "delete", account.pk) not in edit_html


def test_bulk_delete_skips_live_items_for_editors(client, editor, tokyo):
    live = make_account("https://x.com/NLinJapan", post=tokyo)
    draft = make_account("https://facebook.com/NLEmbassyTokyo", post=tokyo, live=False)
    client.force_login(editor)
    url = (
        reverse("wagtail_bulk_action", args=("atlas_pages", "socialaccount", "delete"))
        + f"?id={live.pk}&id={draft.pk}"
    )
    client.post(url)
    assert list(SocialAccount.objects.all()) == [live]
