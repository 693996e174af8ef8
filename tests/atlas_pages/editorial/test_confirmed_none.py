"""Confirmed none, from the admin: one click on the coverage report or the post's edit view,
one click to undo; refused where an account lists the post, for bad input and for editors of
another country; expired after the review period; three states visibly apart."""

import html as html_lib
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from atlas_pages.models import ConfirmedNone, Platform
from tests.factories import make_account, make_country, make_post, make_user, platform

pytestmark = pytest.mark.django_db

REPORT = "/admin/atlas/coverage/"


@pytest.fixture
def posts(tokyo, japan):
    osaka = make_post(japan, title="Consulate in Osaka", city="Osaka")
    make_account("https://x.com/NLinJapan", post=tokyo)
    return {"tokyo": tokyo, "osaka": osaka}


def report_cell(html, title, slug):
    """The state of one cell of the report and the URLs of its forms (None when absent)."""
    row = next(
        r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if f">{title}<" in r or title in r
    )
    cell = re.search(rf'<td data-platform="platform_{slug}">(.*?)</td>', row, re.S)[1]
    state = re.search(r'data-cell-state="([^"]+)"', cell)[1]
    action = re.search(r'<form method="post" action="([^"]+)"', cell)
    return state, html_lib.unescape(action[1]) if action else None


def test_one_click_from_the_coverage_report_and_undo(client, editor, posts):
    client.force_login(editor)
    html = client.get(f"{REPORT}?region=AS").content.decode()
    assert report_cell(html, "Embassy in Tokyo", "twitter") == ("listed", None)
    state, confirm = report_cell(html, "Consulate in Osaka", "facebook")
    assert state == "unknown" and "confirm-none" in confirm
    response = client.post(confirm, follow=True)
    assert response.redirect_chain[-1][0] == f"{REPORT}?region=AS"
    found = ConfirmedNone.objects.get()
    assert (found.post, found.platform.slug, found.confirmed_by) == (
        posts["osaka"].page_ptr.specific,
        "facebook",
        editor,
    )
    html = response.content.decode()
    state, undo = report_cell(html, "Consulate in Osaka", "facebook")
    assert state == "confirmed_none" and "undo-none" in undo
    assert "none ✓" in html and 'data-known="1"' in html
    client.post(undo)
    assert not ConfirmedNone.objects.exists()
    html = client.get(REPORT).content.decode()
    assert report_cell(html, "Consulate in Osaka", "facebook")[0] == "unknown"


def test_one_click_from_the_post_s_edit_view_and_undo(client, editor, posts):
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=(posts["osaka"].pk,))
    html = client.get(edit_url).content.decode()
    panel = re.search(r"<section class=\"post-coverage\".*?</section>", html, re.S)[0]
    row = re.search(
        r'<tr data-platform="youtube" data-cell-state="unknown">(.*?)</tr>', panel, re.S
    )
    confirm = html_lib.unescape(re.search(r'formaction="([^"]+)"[^>]*data-confirm-none', row[1])[1])
    # The button submits the page's form to its own URL: the page's fields come along.
    response = client.post(confirm, {"title": "Changed, never saved", "slug": "x"})
    assert response.status_code == 302 and response.url == edit_url
    assert ConfirmedNone.objects.get().platform.slug == "youtube"
    posts["osaka"].refresh_from_db()
    assert posts["osaka"].title == "Consulate in Osaka"  # the form's fields were not saved
    html = client.get(edit_url).content.decode()
    assert '<tr data-platform="youtube" data-cell-state="confirmed_none">' in html
    assert 'data-known="1"' in html
    undo = html_lib.unescape(re.search(r'formaction="([^"]+)"[^>]*data-undo-none', html)[1])
    client.post(undo)
    assert not ConfirmedNone.objects.exists()
    tokyo_html = client.get(reverse("wagtailadmin_pages:edit", args=(posts["tokyo"].pk,)))
    assert '<tr data-platform="twitter" data-cell-state="listed">' in tokyo_html.content.decode()


def _post(client, post, slug, **extra):
    url = reverse("atlas_confirm_none")
    data = {"post": post.pk if post else "x", "platform": platform(slug).pk, **extra}
    return client.post(url, data, follow=True)


def test_a_listed_cell_cannot_be_confirmed_none(client, editor, posts):
    client.force_login(editor)
    response = _post(client, posts["tokyo"], "twitter")
    assert not ConfirmedNone.objects.exists()
    assert "has an account on X (Twitter): it is listed, not none." in response.content.decode()


def test_an_account_added_makes_the_cell_listed(client, editor, posts):
    client.force_login(editor)
    _post(client, posts["osaka"], "facebook")
    assert report_cell(client.get(REPORT).content.decode(), "Consulate in Osaka", "facebook")[
        0
    ] == ("confirmed_none")
    make_account("https://facebook.com/NLinOsaka", post=posts["osaka"])
    html = client.get(REPORT).content.decode()
    assert report_cell(html, "Consulate in Osaka", "facebook") == ("listed", None)
    # A draft account lists nothing: the confirmation still counts.
    make_account("https://instagram.com/nlinosaka", post=posts["osaka"], live=False)
    _post(client, posts["osaka"], "instagram")
    html = client.get(REPORT).content.decode()
    assert report_cell(html, "Consulate in Osaka", "instagram")[0] == "confirmed_none"


@pytest.mark.parametrize(
    "data",
    [
        {"post": "x"},
        {"post": "999999"},
        {"platform": "999999"},
        {"platform": ""},
        {"note": "n" * 501},
    ],
)
def test_bad_input_changes_nothing(client, editor, posts, data):
    client.force_login(editor)
    url = reverse("atlas_confirm_none")
    form = {"post": posts["osaka"].pk, "platform": platform("facebook").pk, **data}
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    assert not ConfirmedNone.objects.exists()
    assert "nothing was changed" in response.content.decode()
    assert client.get(url).status_code == 405


def test_next_must_stay_on_the_site(client, editor, posts):
    client.force_login(editor)
    response = client.post(
        reverse("atlas_confirm_none"),
        {
            "post": posts["osaka"].pk,
            "platform": platform("flickr").pk,
            "next": "https://evil.example/",
        },
    )
    assert response.url == reverse("atlas_coverage")
    assert ConfirmedNone.objects.get().platform.slug == "flickr"


def test_editors_of_another_country_are_refused(client, posts, atlas):
    canada = make_country(atlas, "CA", title="Canada")
    ottawa = make_post(canada, "Embassy in Ottawa", city="Ottawa")
    call_command("setup_country_editors", verbosity=0)
    client.force_login(make_user("japan", Group.objects.get(name="Press editors – Japan")))
    facebook = platform("facebook").pk
    for name in ("atlas_confirm_none", "atlas_undo_none"):
        response = client.post(reverse(name), {"post": ottawa.pk, "platform": facebook})
        # Wagtail's refusal: back to the dashboard with "you do not have permission".
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert not ConfirmedNone.objects.exists()
    ConfirmedNone.objects.create(
        post=ottawa, platform=platform("facebook"), confirmed_at=timezone.now()
    )
    client.post(reverse("atlas_undo_none"), {"post": ottawa.pk, "platform": facebook})
    assert ConfirmedNone.objects.filter(post=ottawa).exists()  # not undone by them either
    # Their own country's post: fine.
    client.post(reverse("atlas_confirm_none"), {"post": posts["osaka"].pk, "platform": facebook})
    assert ConfirmedNone.objects.filter(post=posts["osaka"]).exists()


def test_a_confirmation_expires_after_the_review_period(client, editor, posts, settings):
    settings.ATLAS_REVIEW_MAX_AGE_DAYS = 30
    client.force_login(editor)
    _post(client, posts["osaka"], "facebook", note="asked the consul")
    ConfirmedNone.objects.update(confirmed_at=timezone.now() - timedelta(days=31))
    html = client.get(REPORT).content.decode()
    state, action = report_cell(html, "Consulate in Osaka", "facebook")
    assert state == "unknown" and "confirm-none" in action  # to be checked again
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(posts["osaka"].pk,)))
    assert "expired" in edit.content.decode()
    _post(client, posts["osaka"], "facebook")  # checked again: renewed, still one row
    found = ConfirmedNone.objects.get()
    assert found.confirmed_at > timezone.now() - timedelta(minutes=1) and not found.expired


def test_figures_per_post_country_and_overall(client, editor, posts):
    client.force_login(editor)
    total = Platform.objects.count()
    _post(client, posts["osaka"], "facebook")
    _post(client, posts["tokyo"], "facebook")
    html = client.get(REPORT).content.decode()
    assert f'data-completeness-overall data-known="3" data-total="{2 * total}"' in html
    assert f'data-completeness-country="Japan" data-known="3" data-total="{2 * total}"' in html
    assert f"3 of {2 * total} known" in html
    response = client.get(f"{REPORT}?export=csv")
    rows = b"".join(response.streaming_content).decode()
    assert "none (confirmed " in rows and "unknown" in rows
    assert f"2 of {total} known" in rows


def test_the_admin_speaks_dutch(client, posts):
    client.force_login(make_user("redacteur", Group.objects.get(name="Press editors"), "nl"))
    html = client.get(REPORT).content.decode()
    for text in ("Volledigheid", "Bekend", "Geen", "Nog niemand heeft het gecontroleerd"):
        assert text in html
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(posts["osaka"].pk,)))
    assert "Gecontroleerde platforms" in edit.content.decode()
    assert "Bevestig: geen" in edit.content.decode()
