"""A yearly attestation per post (atlas_pages.editorial.attestations): "these are all our
accounts" in one click from the post's edit view or from Reports › "Attestations due"; who and
when kept, with the accounts attested; a new row each time (the history); due again after
ATLAS_ATTESTATION_MAX_AGE_DAYS; only within the editor's reach; never shown to the public."""

import html as html_lib
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from atlas_pages.editorial.attestations import attest
from atlas_pages.models import Attestation
from tests.factories import make_account, make_country, make_person, make_post, make_user

pytestmark = pytest.mark.django_db

QUEUE = "/admin/atlas/attestations/"


@pytest.fixture
def posts(tokyo, japan):
    osaka = make_post(japan, title="Consulate in Osaka", city="Osaka")
    make_account("https://x.com/NLinJapan", post=tokyo)
    make_account("https://facebook.com/NLinJapan", post=tokyo)
    make_account("https://instagram.com/nlinjapan_draft", post=tokyo, live=False)  # a draft
    return {"tokyo": tokyo, "osaka": osaka}


def queue_rows(html):
    """(post title, last attestation text) of each row of the queue, in order."""
    rows = re.findall(r'<tr data-post="\d+">(.*?)</tr>', html, re.S)
    found = []
    for row in rows:
        title = re.search(r"<a href=\"[^\"]+\">([^<]+)</a>", row)[1]
        last = re.sub(r"<[^>]+>", "", re.findall(r"<td>(.*?)</td>", row, re.S)[1]).strip()
        found.append((html_lib.unescape(title), last))
    return found


def test_attest_from_the_post_s_edit_view(client, editor, posts):
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=(posts["tokyo"].pk,))
    html = client.get(edit_url).content.decode()
    panel = re.search(r"<section class=\"post-attestation\".*?</section>", html, re.S)[0]
    assert 'data-attestation-state="never"' in panel and "Never attested." in panel
    assert "https://x.com/NLinJapan" in panel and "nlinjapan_draft" not in panel
    attest_url = html_lib.unescape(re.search(r'formaction="([^"]+)"[^>]*data-attest', panel)[1])
    # The button submits the page's form to its own URL: the page's fields come along, unsaved.
    response = client.post(
        attest_url,
        {"title": "Changed, never saved", "slug": "x", "attestation_note": "asked the ambassador"},
    )
    assert (response.status_code, response.url) == (302, edit_url)
    found = Attestation.objects.get()
    assert (found.post, found.attested_by, found.note) == (
        posts["tokyo"].page_ptr.specific,
        editor,
        "asked the ambassador",
    )
    assert found.accounts == ["https://facebook.com/NLinJapan", "https://x.com/NLinJapan"]
    assert found.attested_at > timezone.now() - timedelta(minutes=1) and not found.expired
    posts["tokyo"].refresh_from_db()
    assert posts["tokyo"].title == "Embassy in Tokyo"  # the form's fields were not saved
    html = client.get(edit_url).content.decode()
    assert 'data-attestation-state="current"' in html
    assert "Last attested by editor" in html and "asked the ambassador" in html


def test_attest_from_the_queue(client, editor, posts):
    client.force_login(editor)
    response = client.get(QUEUE)
    html = response.content.decode()
    assert queue_rows(html) == [("Consulate in Osaka", "never"), ("Embassy in Tokyo", "never")]
    edit_url = reverse("wagtailadmin_pages:edit", args=(posts["osaka"].pk,))
    assert f'href="{edit_url}"' in html
    form = re.search(rf'<tr data-post="{posts["osaka"].pk}">.*?<form action="([^"]+)"', html, re.S)
    assert 'name="csrfmiddlewaretoken"' in html
    response = client.post(html_lib.unescape(form[1]), follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "Consulate in Osaka: attested that its 0 listed accounts" in response.content.decode()
    assert queue_rows(response.content.decode()) == [("Embassy in Tokyo", "never")]
    found = Attestation.objects.get()
    assert (found.post.pk, found.attested_by, found.accounts) == (posts["osaka"].pk, editor, [])


def test_the_queue_oldest_first_and_expiry(client, editor, posts, settings):
    settings.ATLAS_ATTESTATION_MAX_AGE_DAYS = 30
    third = make_post(posts["osaka"].get_parent(), title="Consulate in Sapporo", city="Sapporo")
    for post, days in ((posts["tokyo"], 40), (posts["osaka"], 31), (third, 29)):
        found = attest(post, editor)
        Attestation.objects.filter(pk=found.pk).update(
            attested_at=timezone.now() - timedelta(days=days)
        )
    client.force_login(editor)
    rows = queue_rows(client.get(QUEUE).content.decode())
    assert [title for title, _last in rows] == ["Embassy in Tokyo", "Consulate in Osaka"]
    assert all(last.endswith("by editor") for _title, last in rows)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(posts["osaka"].pk,)))
    assert 'data-attestation-state="expired"' in edit.content.decode()
    settings.ATLAS_ATTESTATION_MAX_AGE_DAYS = 365  # the default year: all current
    assert queue_rows(client.get(QUEUE).content.decode()) == []


def test_history_is_kept(client, editor, moderator, posts):
    attest(posts["tokyo"], editor)
    Attestation.objects.update(attested_at=timezone.now() - timedelta(days=400))
    make_account("https://youtube.com/@NLinJapan", post=posts["tokyo"])
    client.force_login(moderator)
    client.post(reverse("atlas_attest"), {"post": posts["tokyo"].pk})
    newest, oldest = Attestation.objects.order_by("-attested_at")
    assert (oldest.attested_by, len(oldest.accounts)) == (editor, 2)
    assert (newest.attested_by, len(newest.accounts)) == (moderator, 3)
    assert oldest.expired and not newest.expired
    html = client.get(reverse("wagtailadmin_pages:edit", args=(posts["tokyo"].pk,))).content
    assert "Last attested by moderator" in html.decode()


def test_a_person_s_accounts_count_with_consent_only(client, editor, posts):
    person = make_person(name="Jane Example", post=posts["osaka"], role="ambassador")
    make_account("https://x.com/AmbJane", person=person, speaks_for="person")
    found = attest(posts["osaka"], editor)
    assert found.accounts == []  # a personal account without consent is not listed


def test_queue_and_attesting_within_reach_only(client, posts, atlas):
    canada = make_country(atlas, "CA", title="Canada")
    ottawa = make_post(canada, "Embassy in Ottawa", city="Ottawa")
    call_command("setup_country_editors", verbosity=0)
    client.force_login(make_user("japan", Group.objects.get(name="Press editors – Japan")))
    titles = [title for title, _last in queue_rows(client.get(QUEUE).content.decode())]
    assert titles == ["Consulate in Osaka", "Embassy in Tokyo"]  # not Ottawa
    response = client.post(reverse("atlas_attest"), {"post": ottawa.pk})
    # Wagtail's refusal: back to the dashboard with "you do not have permission".
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert not Attestation.objects.exists()
    client.post(reverse("atlas_attest"), {"post": posts["osaka"].pk})
    assert Attestation.objects.get().post.pk == posts["osaka"].pk


@pytest.mark.parametrize(
    "data", [{"post": "x"}, {"post": "999999"}, {"post": ""}, {"attestation_note": "n" * 501}]
)
def test_bad_input_changes_nothing(client, editor, posts, data):
    client.force_login(editor)
    response = client.post(
        reverse("atlas_attest"), {"post": posts["osaka"].pk, **data}, follow=True
    )
    assert response.status_code == 200
    assert "nothing was changed" in response.content.decode()
    assert not Attestation.objects.exists()


def test_a_get_never_changes_anything(client, editor, posts):
    client.force_login(editor)
    url = f"{reverse('atlas_attest')}?post={posts['osaka'].pk}"
    assert client.get(url).status_code == 405
    client.get(QUEUE)
    client.get(reverse("wagtailadmin_pages:edit", args=(posts["osaka"].pk,)))
    assert not Attestation.objects.exists()


def test_next_must_stay_on_the_site(client, editor, posts):
    client.force_login(editor)
    response = client.post(
        reverse("atlas_attest"), {"post": posts["osaka"].pk, "next": "https://evil.example/"}
    )
    assert response.url == QUEUE
    assert Attestation.objects.count() == 1


def test_the_queue_is_for_account_keepers_only(client, posts):
    client.force_login(make_user("nobody", is_staff=True))
    assert client.get(QUEUE).status_code in (302, 403)
    client.logout()
    assert client.get(QUEUE).status_code == 302  # to the login


def test_the_queue_in_dutch(client, posts):
    dutch = make_user("nl_editor", Group.objects.get(name="Press editors"), language="nl")
    client.force_login(dutch)
    html = client.get(QUEUE).content.decode()
    assert "Verklaringen te vernieuwen" in html
    assert "Dit zijn al onze accounts" in html and "nooit" in html
    assert "These are all our accounts" not in html


@pytest.mark.parametrize("size", [1, 5])
def test_the_queue_costs_a_fixed_number_of_queries(
    client, editor, japan, tokyo, size, django_assert_num_queries
):
    for n in range(size):
        post = make_post(japan, title=f"Consulate {n}", city=f"City {n}")
        make_account(f"https://x.com/consulate{n}", post=post)
        if n % 2:
            attest(post, editor)
            Attestation.objects.filter(post=post).update(
                attested_at=timezone.now() - timedelta(days=400)
            )
    client.force_login(editor)
    client.get(QUEUE)  # the caches of content types, sites and locales are warm
    # The session and the user, the user's and its groups' permissions, the admin profile,
    # page permissions and their pages, the locales, collection permissions (Wagtail's menu)
    # and the posts due with their last attestation, when and by whom (one query).
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)
    assert len(queue_rows(response.content.decode())) == size + 1


#: The queue's queries (pinned: a new one is a choice, not an accident).
QUEUE_QUERIES = 10


def test_who_attested_is_never_public(client, posts):
    attester = make_user("hanneke_attester", Group.objects.get(name="Press editors"))
    attest(posts["tokyo"], attester, note="private note")
    for url in (posts["tokyo"].url, posts["tokyo"].get_parent().url, "/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert "hanneke_attester" not in page and "private note" not in page
    # The admin shows it (the test looks in the right place).
    client.force_login(attester)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(posts["tokyo"].pk,)))
    assert "hanneke_attester" in edit.content.decode()
