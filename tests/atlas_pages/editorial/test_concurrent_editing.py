"""Two editors on the same page, person or account, through real admin requests: a lock holds
against everyone but its holder, and saves that cross (one after the other from stale forms,
or at the same moment) each keep their revision: nothing is lost silently."""

import re
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail.models import Revision

from atlas_pages.models import Person, SocialAccount
from tests.atlas_pages.editorial.test_roles import PageTarget, SnippetTarget, fresh
from tests.atlas_pages.editorial.test_workflow import snippet_url

KINDS = ["page", "account", "person"]


@pytest.fixture
def target(request, atlas, tokyo):
    if request.param == "page":
        return PageTarget(atlas)
    return SnippetTarget({"account": SocialAccount, "person": Person}[request.param], tokyo)


def lock_url(target, obj, action="lock"):
    if isinstance(target, PageTarget):
        return reverse(f"wagtailadmin_pages:{action}", args=(obj.pk,))
    return snippet_url(target.model, action, obj.pk)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def titles(target, obj):
    """The title each revision of the object holds, oldest first, with its author."""
    revisions = Revision.objects.for_instance(fresh(obj)).order_by("created_at", "pk")
    return [
        (getattr(revision.as_object(), target.title_field), revision.user.username)
        for revision in revisions
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("target", KINDS, indirect=True)
def test_a_lock_holds_against_the_other_editor(target, moderator, editor):
    obj = target.make(live=True)
    holder, other = logged_in(moderator), logged_in(editor)
    assert holder.post(lock_url(target, obj)).status_code == 302
    assert fresh(obj).locked and fresh(obj).locked_by == moderator

    refused = other.post(target.edit_url(obj), target.form(obj, title="From the editor"))
    assert refused.status_code == 200
    assert "could not be saved as it is locked" in str(list(refused.context["messages"])[0])
    assert titles(target, obj) == []  # the editor's change was not stored
    holder.post(target.edit_url(obj), target.form(obj, title="From the holder"))
    assert titles(target, obj) == [("From the holder", "moderator")]

    holder.post(lock_url(target, obj, "unlock"))
    other.post(target.edit_url(obj), target.form(obj, title="From the editor"))
    assert titles(target, obj) == [("From the holder", "moderator"), ("From the editor", "editor")]


def loaded_revision(client, target, obj):
    """What the edit form an editor opens carries: the revision it was loaded from."""
    html = client.get(target.edit_url(obj)).content.decode()
    fields = {}
    for name in ("loaded_revision_id", "loaded_revision_created_at"):
        match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
            rf'value="([^"]*)"[^>]*name="{name}"', html
        )
        fields[name] = match[1] if match else ""
    return fields


@pytest.mark.django_db
@pytest.mark.parametrize("target", KINDS, indirect=True)
def test_a_save_from_a_stale_form_keeps_the_other_revision(target, editor, moderator):
    obj = target.make(live=True)
    obj.save_revision(user=moderator)
    first, second = logged_in(moderator), logged_in(editor)
    first_form, second_form = (
        loaded_revision(first, target, obj),
        loaded_revision(second, target, obj),
    )
    assert first_form["loaded_revision_id"] == second_form["loaded_revision_id"] != ""
    first.post(target.edit_url(obj), {**target.form(obj, title="First"), **first_form})
    # The second editor's autosave from the stale form is refused, not written over the first.
    autosave = second.post(
        target.edit_url(obj),
        {**target.form(obj, title="Second"), **second_form},
        headers={"Accept": "application/json"},
    )
    assert autosave.json()["error_code"] == "invalid_revision"
    # Saving it explicitly adds a revision after the first one, which stays in the history.
    second.post(target.edit_url(obj), {**target.form(obj, title="Second"), **second_form})
    assert titles(target, obj)[-2:] == [("First", "moderator"), ("Second", "editor")]


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="SQLite's in-memory test database has one writer at a time",
)
@pytest.mark.usefixtures("committed")
@pytest.mark.parametrize("target", KINDS, indirect=True)
def test_saves_at_the_same_moment_each_keep_their_revision(target, editor, moderator):
    obj = target.make(live=True)
    editors = {"moderator": logged_in(moderator), "editor": logged_in(editor)}
    start = threading.Barrier(len(editors))
    statuses = {}

    def save(name, client):
        try:
            start.wait()
            response = client.post(target.edit_url(obj), target.form(obj, title=f"By {name}"))
            statuses[name] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=item) for item in editors.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == {"moderator": 302, "editor": 302}
    assert sorted(titles(target, obj)) == [("By editor", "editor"), ("By moderator", "moderator")]
    latest = fresh(obj).latest_revision
    assert (getattr(latest.as_object(), target.title_field), latest.user.username) in titles(
        target, obj
    )
