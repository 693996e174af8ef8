"""The press desk's queue of impersonator reports: who may see it and who may give the verdict
(every role against every action, over real admin requests, read back from the database), the
queue grouped by address with the platform's report link, confirm (a chooser of live accounts
within reach), dismiss, withdraw, and the dashboard's count."""

import pytest
from django.urls import reverse
from django.utils import timezone

from atlas_pages.editorial import impersonators
from atlas_pages.models import ImpersonatorReport, Platform
from atlas_pages.publication import generation
from atlas_pages.rules import profile_urls
from tests.atlas_pages.editorial.test_roles import (  # noqa: F401 (fixtures)
    ROLES,
    as_role,
    country_editors,
    user_in_role,
)
from tests.factories import make_account

pytestmark = pytest.mark.django_db


def address_of(url):
    """The address as the report form stores it (compared as lookups compare it)."""
    hosts = [platform.host_list for platform in Platform.objects.all() if platform.host_list]
    return profile_urls.normalise_lookup_url(url, hosts)


FAKE = "https://x.com/NLinJapan_official"
ADDRESS = "x.com/nlinjapan_official"
Status = ImpersonatorReport.Status

#: Who may do what with the queue (anonymous, editor of the country, of another country,
#: editor, moderator, superuser).
POLICY = {
    "see the queue": (False, True, True, True, True, True),
    "confirm": (False, False, False, False, True, True),
    "dismiss": (False, False, False, False, True, True),
    "withdraw": (False, False, False, False, True, True),
}


def report(url=FAKE, status=Status.NEW, reason="Uses the embassy's logo.", **fields):
    return ImpersonatorReport.objects.create(
        platform=Platform.objects.get(slug="twitter"),
        url=url,
        normalized_url=address_of(url),
        reason=reason,
        reported_at=timezone.now(),
        status=status,
        **fields,
    )


def statuses():
    return set(ImpersonatorReport.objects.values_list("status", flat=True))


def see_the_queue(client, account):
    report()
    response = client.get(reverse("atlas_impersonators"))
    return response.status_code == 200 and FAKE in response.content.decode()


def confirm(client, account):
    report()
    url = reverse("atlas_impersonators_confirm")
    client.post(url, {"address": ADDRESS, "account": account.pk})
    return statuses() == {Status.CONFIRMED}


def dismiss(client, account):
    report()
    client.post(reverse("atlas_impersonators_dismiss"), {"address": ADDRESS})
    return statuses() == {Status.DISMISSED}


def withdraw(client, account):
    report(status=Status.CONFIRMED, impersonates=account)
    client.post(reverse("atlas_impersonators_withdraw"), {"address": ADDRESS})
    return statuses() == {Status.DISMISSED}


ACTIONS = {
    "see the queue": see_the_queue,
    "confirm": confirm,
    "dismiss": dismiss,
    "withdraw": withdraw,
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_the_queue_and_give_the_verdict(as_role, tokyo, role, action):  # noqa: F811
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    client = as_role(role)
    assert ACTIONS[action](client, account) is POLICY[action][ROLES.index(role)]


def test_the_policy_covers_every_action_tested():
    assert set(POLICY) == set(ACTIONS)


def test_the_queue_groups_reports_by_address_newest_first(client, moderator, tokyo):
    report(reason="First: same logo.")
    report(url="https://twitter.com/NLinJapan_Official", reason="Second: asks for money.")
    report(url="https://x.com/OtherFake", reason="Another one.")
    report(url="https://x.com/OldFake", status=Status.DISMISSED)
    client.force_login(moderator)
    html = client.get(reverse("atlas_impersonators")).content.decode()
    groups = impersonators.report_groups(Status.NEW)
    assert [(group.address, group.count) for group in groups] == [
        ("x.com/otherfake", 1),
        (ADDRESS, 2),
    ]
    assert html.index("x.com/OtherFake") < html.index("First: same logo.")
    assert "Second: asks for money." in html and 'data-count="2"' in html
    assert "OldFake" not in html  # dismissed: under its own tab
    assert 'href="https://help.x.com/en/forms/authenticity/impersonation"' in html
    dismissed = client.get(reverse("atlas_impersonators"), {"status": "dismissed"})
    assert "OldFake" in dismissed.content.decode()


def test_an_editor_sees_the_reports_but_not_the_verdict_buttons(client, editor, tokyo):
    report()
    client.force_login(editor)
    html = client.get(reverse("atlas_impersonators")).content.decode()
    assert FAKE in html and 'data-action="confirm"' not in html and "A moderator decides." in html


def test_confirming_names_a_live_account_and_starts_a_new_generation(client, moderator, tokyo):
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    draft = make_account("https://x.com/DraftNL", post=tokyo, live=False)
    report()
    report(url="https://twitter.com/NLinJapan_Official")
    client.force_login(moderator)
    page = client.get(reverse("atlas_impersonators_confirm"), {"address": ADDRESS})
    html = page.content.decode()
    assert f'<option value="{account.pk}">' in html and f'value="{draft.pk}"' not in html
    # A draft cannot be named, even when posted.
    response = client.post(
        reverse("atlas_impersonators_confirm"), {"address": ADDRESS, "account": draft.pk}
    )
    assert response.status_code == 200 and statuses() == {Status.NEW}
    before = generation.current()
    response = client.post(
        reverse("atlas_impersonators_confirm"), {"address": ADDRESS, "account": account.pk}
    )
    assert response.status_code == 302
    confirmed = ImpersonatorReport.objects.all()
    assert {(r.status, r.impersonates_id, r.handled_by_id) for r in confirmed} == {
        (Status.CONFIRMED, account.pk, moderator.pk)
    }
    assert generation.current() != before


def test_an_official_address_cannot_be_confirmed(client, moderator, tokyo):
    account = make_account("https://x.com/NLinJapan", post=tokyo)
    report(url="https://x.com/NLinJapan")
    client.force_login(moderator)
    response = client.post(
        reverse("atlas_impersonators_confirm"),
        {"address": "x.com/nlinjapan", "account": account.pk},
    )
    assert "official account in the atlas" in response.content.decode()
    assert statuses() == {Status.NEW}


def test_dismissing_changes_nothing_public(client, moderator, tokyo):
    report()
    client.force_login(moderator)
    before = generation.current()
    client.post(reverse("atlas_impersonators_dismiss"), {"address": ADDRESS})
    assert statuses() == {Status.DISMISSED}
    assert generation.current() == before


def test_the_verdict_takes_a_post(client, moderator, tokyo):
    report()
    client.force_login(moderator)
    response = client.get(reverse("atlas_impersonators_dismiss"), {"address": ADDRESS})
    assert response.status_code == 405 and statuses() == {Status.NEW}


def test_the_dashboard_counts_new_reports_for_whoever_sees_the_queue(client, moderator, tokyo):
    report()
    report(url="https://twitter.com/NLinJapan_Official")
    report(url="https://x.com/OtherFake")
    report(url="https://x.com/OldFake", status=Status.DISMISSED)
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-new-reports="3"' in html and "3 reports, 2 addresses" in html
    assert reverse("atlas_impersonators") in html  # the menu item and the panel's link


def test_the_queue_speaks_dutch(client, moderator, tokyo):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(moderator)
    profile.preferred_language = "nl"
    profile.save()
    report()
    client.force_login(moderator)
    html = client.get(reverse("atlas_impersonators")).content.decode()
    assert "Meldingen van imitators" in html and "Imitator bevestigen…" in html


def test_a_confirmation_can_name_another_account_or_be_withdrawn(client, moderator, tokyo):
    first = make_account("https://x.com/NLinJapan", post=tokyo)
    second = make_account("https://www.facebook.com/NLinJapan", post=tokyo)
    report(status=Status.CONFIRMED, impersonates=first)
    client.force_login(moderator)
    confirmed = client.get(reverse("atlas_impersonators"), {"status": "confirmed"})
    assert 'data-action="withdraw"' in confirmed.content.decode()
    client.post(reverse("atlas_impersonators_confirm"), {"address": ADDRESS, "account": second.pk})
    assert list(ImpersonatorReport.objects.values_list("impersonates", flat=True)) == [second.pk]
    assert (
        "Known impersonator of NLinJapan"
        in client.get("/en/verify/", {"url": FAKE}).content.decode()
    )
    before = generation.current()
    client.post(reverse("atlas_impersonators_withdraw"), {"address": ADDRESS})
    assert statuses() == {Status.DISMISSED} and generation.current() != before
    assert "Not in the atlas" in client.get("/en/verify/", {"url": FAKE}).content.decode()
