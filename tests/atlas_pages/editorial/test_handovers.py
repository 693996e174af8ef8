"""The press desk's handovers, over real admin requests: an ended head-of-post term is a task
in the queue (Reports › Handovers) with the person's accounts by what happens to them; carrying
it out prepares drafts (the position's account to the successor, the own accounts' unlinking)
and publishes nothing; who may do it, as a matrix (every role against every action, read back
from the database); bad input changes nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from atlas_pages.editorial import handovers
from atlas_pages.models import Handover, Person, SocialAccount
from atlas_pages.publication.public_atlas import load
from tests.atlas_pages.editorial.test_roles import (  # noqa: F401 (fixtures)
    ROLES,
    as_role,
    country_editors,
    user_in_role,
)
from tests.factories import make_account, make_person, make_post, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate

#: Who may do what with the queue: the roles of test_roles (anonymous, editor of the country,
#: of another country, editor, moderator, superuser) and a plain user (admin access, no group).
MATRIX_ROLES = [*ROLES, "plain user"]
POLICY = {
    "see the queue": (False, True, False, True, True, True, False),
    "carry out": (False, True, False, True, True, True, False),
}  # fmt: skip


@pytest.fixture
def departing(tokyo):
    """An ambassador whose term ended yesterday: a position account and an own account."""
    person = make_person(
        name="Anna Departing",
        post=tokyo,
        consent_given_at=TODAY() - timedelta(days=900),
        term_start=TODAY() - timedelta(days=1400),
        term_end=TODAY() - timedelta(days=1),
    )
    make_account("https://x.com/AmbassadorJapan", person=person)
    make_account("https://x.com/AnnaOwn", person=person, speaks_for="person")
    make_account("https://x.com/NLinJapan", post=tokyo)
    return person


@pytest.fixture
def successor(tokyo):
    return make_person(name="Bert Successor", post=tokyo, term_start=TODAY())


def revisions_of(account):
    return Revision.objects.for_instance(account).count()


def see_the_queue(client, departing, successor):
    response = client.get(reverse("atlas_handovers"))
    return response.status_code == 200 and "Anna Departing" in response.content.decode()


def carry_out(client, departing, successor):
    client.post(reverse("atlas_handover", args=(departing.pk,)), {"successor": successor.pk})
    return Handover.objects.filter(person=departing, successor=successor).exists()


ACTIONS = {"see the queue": see_the_queue, "carry out": carry_out}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_who_may_see_the_queue_and_carry_out(
    as_role,  # noqa: F811
    client,
    departing,
    successor,
    role,
    action,
):
    if role == "plain user":
        user = make_user("plain")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
    else:
        client = as_role(role)
    assert ACTIONS[action](client, departing, successor) is POLICY[action][MATRIX_ROLES.index(role)]


def test_the_policy_covers_every_action_tested():
    assert set(POLICY) == set(ACTIONS)


def test_the_queue_sorts_the_accounts_by_what_happens(client, editor, departing, successor):
    client.force_login(editor)
    html = client.get(reverse("atlas_handovers")).content.decode()
    stays, leaves, passes = (
        html.split(f"data-{name}>")[1].split("</td>")[0] for name in ("stays", "leaves", "passes")
    )
    assert "NLinJapan" in stays and "AnnaOwn" in leaves and "AmbassadorJapan" in passes
    assert "AmbassadorJapan" not in stays + leaves
    # Only the successor with a current term is offered.
    task = handovers.Task.of(departing)
    assert list(handovers.successors(departing)) == [successor]
    assert [a.handle for a in task.passes] == ["AmbassadorJapan"]
    # A menu item under Reports.
    assert reverse("atlas_handovers") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_only_ended_head_of_post_terms_not_handled_are_tasks(tokyo, departing, successor):
    make_person(name="Employee", role=Person.Role.EMPLOYEE, post=tokyo, term_end=TODAY())
    make_person(name="Future", post=tokyo, term_end=TODAY() + timedelta(days=3))
    make_person(name="Minister", role=Person.Role.MINISTER, term_end=TODAY())
    assert list(handovers.ended_terms()) == [departing]
    Handover.objects.create(
        person=departing, term_end=departing.term_end, handled_at=timezone.now()
    )
    assert list(handovers.ended_terms()) == []
    # A later term that ends again is a new task.
    Person.objects.filter(pk=departing.pk).update(term_end=TODAY())
    assert list(handovers.ended_terms()) == [Person.objects.get(pk=departing.pk)]


def test_carrying_out_prepares_drafts_and_publishes_nothing(
    client, editor, moderator, tokyo, departing, successor
):
    position = SocialAccount.objects.get(handle="AmbassadorJapan")
    own = SocialAccount.objects.get(handle="AnnaOwn")
    before = load()
    client.force_login(editor)
    response = client.post(
        reverse("atlas_handover", args=(departing.pk,)), {"successor": successor.pk}, follow=True
    )
    assert "Handover of Embassy in Tokyo prepared" in response.content.decode()
    handover = Handover.objects.get(person=departing)
    assert (handover.successor, handover.handled_by, handover.term_end) == (
        successor,
        editor,
        departing.term_end,
    )
    # Drafts: the live rows are as they were, the latest revisions carry the change.
    position.refresh_from_db()
    own.refresh_from_db()
    assert position.person_id == departing.pk and position.has_unpublished_changes
    assert own.has_unpublished_changes and "Formerly at Embassy in Tokyo" not in own.note
    assert position.workflow_in_progress and own.workflow_in_progress  # submitted for review
    assert position.get_latest_revision_as_object().person_id == successor.pk
    assert "Formerly at Embassy in Tokyo" in own.get_latest_revision_as_object().note
    assert {a.handle: a.person and a.person.id for a in load().accounts} == {
        a.handle: a.person and a.person.id for a in before.accounts
    }
    # The task left the queue.
    html = client.get(reverse("atlas_handovers")).content.decode()
    assert "data-handover=" not in html and "Bert Successor" in html

    # A moderator approves: the successor holds the position's account.
    position.current_workflow_task.on_action(
        position.current_workflow_task_state, moderator, "approve"
    )
    atlas = load()
    post = atlas.post(tokyo.pk)
    successor_record = atlas.person(successor.pk)
    assert [a.handle for a in successor_record.accounts] == ["AmbassadorJapan"]
    assert [p.id for p in post.people] == [successor.pk]
    assert "AnnaOwn" not in {a.handle for a in post.accounts}


@pytest.mark.parametrize("pick", ["nobody", "another post's person", "the departing", "ended"])
def test_a_wrong_successor_changes_nothing(client, editor, japan, departing, successor, pick):
    other = make_post(japan, title="Consulate in Osaka", slug="osaka")
    chosen = {
        "nobody": "",
        "another post's person": make_person(name="Elsewhere", post=other).pk,
        "the departing": departing.pk,
        "ended": make_person(
            name="Also gone", post=departing.post, term_end=TODAY() - timedelta(days=30)
        ).pk,
    }[pick]
    accounts = list(SocialAccount.objects.order_by("pk"))
    counts = [revisions_of(account) for account in accounts]
    client.force_login(editor)
    response = client.post(
        reverse("atlas_handover", args=(departing.pk,)), {"successor": chosen}, follow=True
    )
    assert response.status_code == 200
    assert "Anna Departing:" in response.content.decode()  # the message says what is wrong
    assert not Handover.objects.filter(person=departing).exists()
    assert [revisions_of(account) for account in accounts] == counts


def test_a_get_changes_nothing_and_another_country_cannot_reach_it(
    as_role,  # noqa: F811
    departing,
    successor,
):
    client = as_role("editor of another country")
    url = reverse("atlas_handover", args=(departing.pk,))
    assert client.post(url, {"successor": successor.pk}).status_code == 404
    assert client.get(url).status_code == 405
    assert not Handover.objects.exists()


def _person_form(client, person):
    edit = reverse(Person.snippet_viewset.get_url_name("edit"), args=(person.pk,))
    form = client.get(edit).context["form"]
    return edit, {name: form[name].value() or "" for name in form.fields}


def test_the_term_in_the_admin_form_ends_at_once_and_is_checked(client, editor, tokyo):
    person = make_person(name="Anna Departing", post=tokyo)
    make_account("https://x.com/AmbassadorJapan", person=person)
    client.force_login(editor)
    edit, data = _person_form(client, person)
    assert {"term_start", "term_end"} <= set(data)

    # The end before the start: a clear error, nothing stored.
    data.update(term_start=TODAY().isoformat(), term_end=(TODAY() - timedelta(days=1)).isoformat())
    response = client.post(edit, data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["term_end"]
    assert Person.objects.get(pk=person.pk).term_end is None

    # Ended today, saved as a draft: stored at once, the task is in the queue.
    data.update(term_start="", term_end=TODAY().isoformat())
    assert client.post(edit, data).status_code == 302
    stored = Person.objects.get(pk=person.pk)
    assert stored.term_end == TODAY() and stored.has_unpublished_changes
    assert list(handovers.ended_terms()) == [stored]
    assert load().post(tokyo.pk).people == []
