"""The editors' busiest admin views cost a fixed number of queries, whatever the atlas's size:
the dashboard (press desk and upkeep), the account list (Atlas > Accounts) and a post's edit
view (its press desk)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from atlas_pages.models import LinkCheck, SocialAccount
from tests.factories import make_account, make_person, make_post

pytestmark = pytest.mark.django_db

#: Queries per view and user, pinned: a new one is a choice, not an accident.
EXPECTED = {
    # +1 each: the count of accounts taken over or renamed (editorial.identity_desk);
    # +1 each: the count of new impersonator reports (editorial.impersonators).
    ("dashboard", "moderator"): 37,
    ("dashboard", "editor"): 31,
    ("accounts", "moderator"): 14,
    ("accounts", "editor"): 14,
    # The post's platforms checked (confirmed_none.PostCoveragePanel): 2.
    # The post's contact: the admin users to choose from (editorial.forms.ContactFormMixin): 1.
    # The post's attestation (attestations.AttestationPanel): its last attestation and the
    # accounts it lists now: 2.
    ("post edit", "moderator"): 43,
    ("post edit", "editor"): 45,
}


def grow(japan, tokyo, editor, size, submit=False):
    """`size` more of everything the views count or list: posts with and without accounts,
    live and draft accounts, people with accounts of their own, broken links; and accounts
    submitted for review if `submit` (Wagtail's "Awaiting your review" costs a query per row:
    WorkflowState.all_tasks_with_status)."""
    start = SocialAccount.objects.count()
    for n in range(start, start + size):
        post = make_post(japan, title=f"Consulate {n}", city=f"City {n}")
        make_post(japan, title=f"Office {n}", city=f"Town {n}")  # without an account
        for owner in (tokyo, post):
            live = make_account(f"https://x.com/live{owner.pk}x{n}", post=owner)
            LinkCheck.objects.create(
                account=live, url=live.url, checked_at=timezone.now(), status_code=404
            )
            draft = make_account(
                f"https://facebook.com/draft{owner.pk}x{n}", post=owner, live=False
            )
            draft.save_revision(user=editor)
            if submit:
                pending = make_account(
                    f"https://instagram.com/pending{owner.pk}x{n}", post=owner, live=False
                )
                pending.save_revision(user=editor)
                pending.get_workflow().start(pending, editor)
            person = make_person(name=f"Person {owner.pk} {n}", post=owner)
            person.save_revision(user=editor)
            make_account(f"https://x.com/person{owner.pk}x{n}", person=person)
    SocialAccount.objects.update(last_reviewed_at=timezone.now() - timedelta(days=400))


def queries(client, user, url):
    client.force_login(user)
    client.get(url)  # the caches of content types, sites and locales are warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("user_name", ["moderator", "editor"])
@pytest.mark.parametrize("view", ["dashboard", "accounts", "post edit"])
def test_admin_views_cost_a_fixed_number_of_queries(
    client, japan, tokyo, editor, moderator, view, user_name
):
    user = {"editor": editor, "moderator": moderator}[user_name]
    url = {
        "dashboard": reverse("wagtailadmin_home"),
        "accounts": reverse(SocialAccount.snippet_viewset.get_url_name("list")),
        "post edit": reverse("wagtailadmin_pages:edit", args=(tokyo.pk,)),
    }[view]
    grow(japan, tokyo, editor, 1, submit=True)
    small = queries(client, user, url)
    grow(japan, tokyo, editor, 4)
    large = queries(client, user, url)
    assert len(small) == len(large), "\n".join(large)
    assert len(large) == EXPECTED[view, user_name], "\n".join(large)
