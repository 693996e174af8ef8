"""Wikidata in the admin, over real admin requests: who may see the queue of proposed ids and
the report, and confirm or reject (every role against every action, read back from the
database); "Confirm" writing the id into a draft revision (nothing published until a moderator
publishes it as usual), "Reject" remembered; the report's batch shown and downloaded."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from atlas_pages.models import CountryPage, Person, PostPage, WikidataClaim, WikidataProposal
from tests.atlas_pages.editorial.test_roles import (  # noqa: F401 (fixtures)
    ROLES,
    country_editors,
    user_in_role,
)
from tests.factories import make_account, make_person, make_user

pytestmark = pytest.mark.django_db

Status = WikidataProposal.Status
#: The roles of the press desk's other queues, and a logged-in admin user without a group.
ALL_ROLES = [*ROLES, "plain user"]

#: Who may do what (anonymous, editor of the country, of another country, editor, moderator,
#: superuser, plain user), for a proposal for the embassy in Tokyo.
POLICY = {
    "see the queue":    (False, True,  False, True,  True,  True,  False),
    "confirm":          (False, True,  False, True,  True,  True,  False),
    "reject":           (False, True,  False, True,  True,  True,  False),
    "see the report":   (False, True,  True,  True,  True,  True,  False),
    "download the batch": (False, True, True, True,  True,  True,  False),
}  # fmt: skip


@pytest.fixture
def as_role(client, user_in_role):  # noqa: F811
    def log_in(role):
        if role == "plain user":
            user = make_user("plain", is_staff=True)
            user.groups.clear()
            client.force_login(user)
        elif (user := user_in_role(role)) is not None:
            client.force_login(user)
        return client

    return log_in


def propose(subject, obj, qid="Q11878930", score=90):
    return WikidataProposal.objects.create(
        subject=subject,
        object_id=obj.pk,
        qid=qid,
        label="Embassy of the Netherlands in Tokyo",
        score=score,
        reasons=["country", "type"],
        proposed_at=timezone.now(),
    )


def status_of(proposal):
    proposal.refresh_from_db()
    return proposal.status


def see_the_queue(client, tokyo):
    propose("post", tokyo)
    response = client.get(reverse("atlas_wikidata_matches"))
    return response.status_code == 200 and "Q11878930" in response.content.decode()


def confirm(client, tokyo):
    proposal = propose("post", tokyo)
    client.post(reverse("atlas_wikidata_confirm", args=(proposal.pk,)))
    latest = PostPage.objects.get(pk=tokyo.pk).get_latest_revision_as_object()
    return status_of(proposal) == Status.CONFIRMED and latest.wikidata_id == "Q11878930"


def reject(client, tokyo):
    proposal = propose("post", tokyo)
    client.post(reverse("atlas_wikidata_reject", args=(proposal.pk,)))
    return status_of(proposal) == Status.REJECTED


def public_embassy_with_stale_claim(tokyo):
    PostPage.objects.filter(pk=tokyo.pk).update(wikidata_id="Q11878930")
    make_account("https://x.com/NLinJapan", post=tokyo)
    WikidataClaim.objects.create(
        qid="Q11878930", pid="P2002", value="SomeoneElse", fetched_at=timezone.now()
    )


def see_the_report(client, tokyo):
    public_embassy_with_stale_claim(tokyo)
    response = client.get(reverse("atlas_wikidata_report"))
    return response.status_code == 200 and 'Q11878930|P2002|"NLinJapan"' in (
        response.content.decode().replace("&quot;", '"')
    )


def download_the_batch(client, tokyo):
    public_embassy_with_stale_claim(tokyo)
    response = client.get(reverse("atlas_wikidata_report"), {"download": "1"})
    return (
        response.status_code == 200
        and response["Content-Type"] == "text/plain; charset=utf-8"
        and "attachment" in response["Content-Disposition"]
        and response.content.decode().startswith('Q11878930|P2002|"NLinJapan"|S854|')
    )


ACTIONS = {
    "see the queue": see_the_queue,
    "confirm": confirm,
    "reject": reject,
    "see the report": see_the_report,
    "download the batch": download_the_batch,
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_see_and_decide(as_role, tokyo, role, action):
    client = as_role(role)
    assert ACTIONS[action](client, tokyo) is POLICY[action][ALL_ROLES.index(role)]


def test_the_policy_covers_every_action_tested():
    assert set(POLICY) == set(ACTIONS)


def test_confirming_saves_a_draft_and_sets_the_other_proposals_aside(client, editor, tokyo):
    chosen, other = propose("post", tokyo), propose("post", tokyo, qid="Q4", score=60)
    client.force_login(editor)
    response = client.post(reverse("atlas_wikidata_confirm", args=(chosen.pk,)))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=(tokyo.pk,))
    page = PostPage.objects.get(pk=tokyo.pk)
    assert page.wikidata_id == "" and page.has_unpublished_changes  # a draft: not published
    assert page.get_latest_revision().user == editor
    assert (status_of(chosen), status_of(other)) == (Status.CONFIRMED, Status.REJECTED)
    # Published as usual, the id is the page's.
    page.get_latest_revision().publish()
    assert PostPage.objects.get(pk=tokyo.pk).wikidata_id == "Q11878930"


def test_confirming_a_person_and_a_country(client, moderator, tokyo, japan):
    jane = make_person(post=tokyo)
    for subject, obj in (("person", jane), ("country", japan)):
        proposal = propose(subject, obj, qid="Q17" if subject == "country" else "Q98765432")
        client.force_login(moderator)
        client.post(reverse("atlas_wikidata_confirm", args=(proposal.pk,)))
        assert status_of(proposal) == Status.CONFIRMED
    assert Person.objects.get(pk=jane.pk).get_latest_revision_as_object().wikidata_id == (
        "Q98765432"
    )
    assert CountryPage.objects.get(pk=japan.pk).get_latest_revision_as_object().wikidata_id == (
        "Q17"
    )


def test_an_id_in_use_is_refused_with_a_message_and_nothing_changes(client, editor, tokyo, japan):
    from tests.factories import make_post

    make_post(japan, "Consulate in Osaka", city="Osaka", wikidata_id="Q11878930")
    proposal = propose("post", tokyo)
    revisions = PostPage.objects.get(pk=tokyo.pk).revisions.count()
    client.force_login(editor)
    response = client.post(reverse("atlas_wikidata_confirm", args=(proposal.pk,)), follow=True)
    assert response.status_code == 200
    assert "Q11878930 was not saved" in response.content.decode()
    assert status_of(proposal) == Status.NEW
    assert PostPage.objects.get(pk=tokyo.pk).revisions.count() == revisions


def test_a_rejection_is_remembered_and_a_get_changes_nothing(client, editor, tokyo):
    proposal = propose("post", tokyo)
    client.force_login(editor)
    for name in ("atlas_wikidata_confirm", "atlas_wikidata_reject"):
        assert client.get(reverse(name, args=(proposal.pk,))).status_code == 405
    client.post(reverse("atlas_wikidata_reject", args=(proposal.pk,)))
    response = client.post(reverse("atlas_wikidata_confirm", args=(proposal.pk,)), follow=True)
    assert "Only a new proposal can be confirmed" in response.content.decode()
    assert status_of(proposal) == Status.REJECTED
    rejected = client.get(reverse("atlas_wikidata_matches"), {"status": "rejected"})
    assert "Q11878930" in rejected.content.decode()


def test_the_menu_shows_the_queue_and_report_to_whoever_keeps_accounts(client, editor):
    client.force_login(editor)
    body = client.get("/admin/").content.decode()
    assert reverse("atlas_wikidata_matches") in body and reverse("atlas_wikidata_report") in body
    plain = make_user("plain", is_staff=True)
    plain.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(plain)
    page = client.get("/admin/")
    assert page.status_code == 200  # in the admin, without the right to keep accounts
    assert reverse("atlas_wikidata_matches") not in page.content.decode()
