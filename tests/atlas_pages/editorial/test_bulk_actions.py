"""Bulk actions on the account and people lists: each one does its work only on the objects the
user may act on, by permission and by workflow state."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from atlas_pages.editorial import moderation
from atlas_pages.models import Person, SocialAccount
from atlas_pages.publication.public_atlas import load
from tests.factories import make_account, make_person, make_post

pytestmark = pytest.mark.django_db


def bulk_url(model, action, objects):
    url = reverse("wagtail_bulk_action", args=("atlas_pages", model._meta.model_name, action))
    listing = reverse(model.snippet_viewset.get_url_name("list"))
    return f"{url}?{urlencode([('id', obj.pk) for obj in objects] + [('next', listing)])}"


def run(client, user, model, action, objects, **data):
    client.force_login(user)
    return client.post(bulk_url(model, action, objects), data, follow=True)


@pytest.fixture
def drafts(tokyo):
    return [
        make_account("https://x.com/NLinJapan", post=tokyo, live=False),
        make_account("https://www.instagram.com/nlintokyo/", post=tokyo, live=False),
    ]


def messages_of(response):
    return [str(m).strip() for m in response.context["messages"]]


def test_the_list_offers_the_actions(client, editor, drafts):
    client.force_login(editor)
    html = client.get(reverse(SocialAccount.snippet_viewset.get_url_name("list"))).content
    for action in ("submit_for_review", "move_to_post", "approve", "publish", "unpublish"):
        assert f"/bulk/atlas_pages/socialaccount/{action}/".encode() in html


def test_editor_submits_for_review_and_the_moderator_approves(client, editor, moderator, drafts):
    response = run(client, editor, SocialAccount, "submit_for_review", drafts)
    assert messages_of(response) == ["2 social-media accounts submitted for review."]
    assert all(SocialAccount.objects.get(pk=a.pk).workflow_in_progress for a in drafts)

    # Submitting again does nothing: they are in review already.
    confirm = client.get(bulk_url(SocialAccount, "submit_for_review", drafts)).content.decode()
    assert "You cannot do this to these objects" in confirm

    response = run(client, moderator, SocialAccount, "approve", drafts)
    tokyo = drafts[0].post
    assert messages_of(response) == [
        "2 social-media accounts approved and published; live on: "
        f'<a href="{tokyo.url}">Embassy in Tokyo</a>.'
    ]
    assert {a.handle for a in load().accounts} == {"NLinJapan", "nlintokyo"}


def test_bulk_approval_links_each_page_and_says_what_goes_on(
    client, editor, moderator, drafts, japan
):
    osaka = make_post(japan, title="Consulate-general in Osaka", slug="osaka")
    drafts.append(make_account("https://www.facebook.com/NLinOsaka", post=osaka, live=False))
    run(client, editor, SocialAccount, "submit_for_review", drafts)
    response = run(client, moderator, SocialAccount, "approve", drafts)
    tokyo = drafts[0].post
    assert messages_of(response) == [
        "3 social-media accounts approved and published; live on: "
        f'<a href="{tokyo.url}">Embassy in Tokyo</a>, '
        f'<a href="{osaka.url}">Consulate-general in Osaka</a>.'
    ]

    # Those still in review after their approval (a workflow of more steps) go on.
    later = [make_account(f"https://x.com/Later{n}", post=tokyo, live=False) for n in (1, 2)]
    run(client, editor, SocialAccount, "submit_for_review", later)
    with translation.override("en"):
        message = moderation.approvals_message(later, SocialAccount)
    assert message == "2 social-media accounts approved; they go on to the next review step."


def test_editors_cannot_approve_publish_or_unpublish(client, editor, drafts, tokyo):
    live = make_account("https://www.facebook.com/NLinJapan", post=tokyo)
    run(client, editor, SocialAccount, "submit_for_review", drafts)
    for action, objects in [("approve", drafts), ("publish", drafts), ("unpublish", [live])]:
        page = client.get(bulk_url(SocialAccount, action, objects)).content.decode()
        assert "You cannot do this to these objects" in page
        run(client, editor, SocialAccount, action, objects)
    assert [a.handle for a in load().accounts] == ["NLinJapan"]
    assert SocialAccount.objects.get(pk=live.pk).live


def test_moderator_publishes_and_unpublishes(client, moderator, drafts):
    response = run(client, moderator, SocialAccount, "publish", drafts)
    assert messages_of(response) == ["2 social-media accounts published."]
    assert len(load().accounts) == 2
    response = run(client, moderator, SocialAccount, "unpublish", drafts[:1])
    assert messages_of(response) == ["1 social-media account unpublished."]
    assert [a.handle for a in load().accounts] == ["nlintokyo"]


def test_move_to_another_post_is_a_draft_for_review(client, editor, tokyo, japan):
    osaka = make_post(japan, title="Consulate-general in Osaka", slug="osaka")
    live = make_account("https://x.com/NLinJapan", post=tokyo)
    person = make_person(name="A. Example", post=tokyo)
    personal = make_account("https://x.com/AExample", person=person)

    response = run(client, editor, SocialAccount, "move_to_post", [live], post=osaka.pk)
    assert messages_of(response) == ["1 social-media account moved (as a draft)."]
    live.refresh_from_db()
    assert (live.post_id, live.has_unpublished_changes) == (tokyo.pk, True)
    assert live.get_latest_revision_as_object().post_id == osaka.pk

    run(client, editor, Person, "move_to_post", [person], post=osaka.pk)
    assert Person.objects.get(pk=person.pk).get_latest_revision_as_object().post_id == osaka.pk

    # A person's own account follows the person: it is not moved on its own.
    page = client.get(bulk_url(SocialAccount, "move_to_post", [personal])).content.decode()
    assert "You cannot do this to these objects" in page


def test_move_without_a_post_is_refused(client, editor, tokyo):
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    response = run(client, editor, SocialAccount, "move_to_post", [account], post="")
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not SocialAccount.objects.get(pk=account.pk).has_unpublished_changes


def test_a_bulk_publish_is_one_new_generation(client, moderator, tokyo):
    """Publishes that land together count once (issue 26): twelve accounts published in one
    action start one publication generation, announced once (so the CDN is purged once and
    every process reads the atlas again once), and the public sees all twelve."""
    from atlas_pages.publication import generation

    drafts = [
        make_account(f"https://x.com/NLinJapan{n}", post=tokyo, live=False) for n in range(12)
    ]
    counter = generation.current()
    announced = []
    generation.generation_bumped.connect(
        lambda **kwargs: announced.append(1), weak=False, dispatch_uid="test_batch"
    )
    try:
        run(client, moderator, SocialAccount, "publish", drafts)
    finally:
        generation.generation_bumped.disconnect(dispatch_uid="test_batch")
    assert announced == [1]
    assert generation.current() != counter
    assert SocialAccount.objects.filter(live=True, post=tokyo).count() == 12
    assert len(load().post(tokyo.pk).accounts) == 12


def test_a_bulk_action_that_fails_changes_nothing(moderator, tokyo):
    """All or none: an object that cannot be published leaves the others unpublished too,
    and no generation starts."""
    from atlas_pages.editorial.bulk_actions import EditorialBulkAction
    from atlas_pages.publication import generation

    drafts = [make_account(f"https://x.com/NLinJapan{n}", post=tokyo, live=False) for n in range(3)]
    acted = []

    def act_then_fail(obj, user, **kwargs):
        obj.save_revision(user=user).publish(user=user)
        acted.append(obj)
        if len(acted) == 3:
            raise RuntimeError("the third one fails")

    counter = generation.current()
    with pytest.raises(RuntimeError):
        EditorialBulkAction.execute_action.__func__(
            type("Failing", (), {"act": staticmethod(act_then_fail)}), drafts, moderator
        )
    assert not SocialAccount.objects.filter(live=True, post=tokyo).exists()
    assert generation.current() == counter
