"""The press desk: a post's edit page lists its accounts and people with their editorial state
and adds one with the post already chosen; the lists find what is in review; the dashboard
counts what awaits the user."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from atlas_pages.models import Person, SocialAccount
from tests.atlas_pages.editorial.test_workflow import account_form, approve, snippet_url
from tests.factories import make_account, make_person, make_post, make_user, platform

pytestmark = pytest.mark.django_db


def post_edit_url(post):
    return reverse("wagtailadmin_pages:edit", args=(post.pk,))


def submitted(client, user, model, form):
    """An object created by `user` through the admin and submitted for review."""
    client.force_login(user)
    response = client.post(snippet_url(model, "add"), {**form, "action-submit": "Submit"})
    assert response.status_code == 302
    return model.objects.latest("pk")


def person_form(post, **overrides):
    data = {"name": "Jane Example", "role": "ambassador", "job_title": ""}
    return {**data, "post": post.pk, **overrides}


@pytest.fixture
def desk(tokyo, editor, client):
    """Tokyo with a live account, a draft, one in review, a scheduled one, and a person."""
    live = make_account("https://x.com/NLinJapan", post=tokyo)
    draft = make_account("https://facebook.com/NLEmbassyTokyo", post=tokyo, live=False)
    pending = submitted(
        client,
        editor,
        SocialAccount,
        account_form(
            tokyo, platform=platform("instagram").pk, url="https://instagram.com/nlintokyo"
        ),
    )
    scheduled = make_account("https://youtube.com/@nlintokyo", post=tokyo, live=False)
    scheduled.go_live_at = timezone.now() + timedelta(days=2)
    scheduled.save_revision().publish()
    person = submitted(client, editor, Person, person_form(tokyo))
    personal = make_account("https://x.com/JaneExample", person=person)
    return {
        "live": live,
        "draft": draft,
        "pending": pending,
        "scheduled": scheduled,
        "person": person,
        "personal": personal,
    }


def rows(html):
    """(link text, status) of each row of the post's desk."""
    return {
        name: status
        for status, name in re.findall(
            r'<tr data-status="([^"]+)">\s*<td><a href="[^"]+">([^<]+)</a>', html
        )
    }


def test_post_edit_page_lists_accounts_and_people_with_their_state(client, editor, tokyo, desk):
    client.force_login(editor)
    response = client.get(post_edit_url(tokyo))
    html = response.content.decode()
    assert response.status_code == 200
    assert rows(html) == {
        "X (Twitter): NLinJapan": "live",
        "Facebook: NLEmbassyTokyo": "draft",
        "Instagram: nlintokyo": "in moderation",
        "YouTube: nlintokyo": "scheduled",
        "X (Twitter): JaneExample": "live",
        "Jane Example": "in moderation",
    }
    # Who last edited, and a way to each edit view.
    assert "editor," in html
    for obj in desk.values():
        assert reverse(type(obj).snippet_viewset.get_url_name("edit"), args=(obj.pk,)) in html


def test_post_desk_costs_a_fixed_number_of_queries(
    client, editor, tokyo, desk, django_assert_max_num_queries
):
    client.force_login(editor)
    client.get(post_edit_url(tokyo))  # warm the caches of content types and sites
    for n in range(5):
        make_account(f"https://linkedin.com/company/nl-tokyo-{n}", post=tokyo)
    from atlas_pages.editorial.pressdesk import post_desk

    with django_assert_max_num_queries(8):
        desk_context = post_desk(tokyo)
    assert len(desk_context["accounts"]) == 10


def test_new_post_says_to_save_first(client, editor, japan):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=("atlas_pages", "postpage", japan.pk))
    html = client.get(url).content.decode()
    assert "Save the post first" in html


@pytest.mark.parametrize("model", [SocialAccount, Person])
def test_add_link_chooses_the_post_and_comes_back_to_it(client, editor, tokyo, model):
    client.force_login(editor)
    html = client.get(post_edit_url(tokyo)).content.decode()
    attribute = "data-add-account" if model is SocialAccount else "data-add-person"
    add_url = re.search(rf'href="([^"]+)" {attribute}', html)[1].replace("&amp;", "&")
    assert add_url == (
        f"{snippet_url(model, 'add')}?post={tokyo.pk}&next=%2Fadmin%2Fpages%2F{tokyo.pk}%2Fedit%2F"
    )
    response = client.get(add_url)
    assert chosen_post(response) == str(tokyo.pk)
    # Without the parameter (or with a bad one) nothing is chosen.
    assert chosen_post(client.get(snippet_url(model, "add"))) == ""
    assert chosen_post(client.get(snippet_url(model, "add") + "?post=x")) == ""
    # The form keeps `next`; once submitted, the editor is back on the post.
    form_action = re.search(r'id="w-editor-form"\s+action="([^"]+)"', response.content.decode())
    assert (
        form_action[1]
        .replace("&amp;", "&")
        .endswith(f"next=%2Fadmin%2Fpages%2F{tokyo.pk}%2Fedit%2F")
    )
    data = account_form(tokyo) if model is SocialAccount else person_form(tokyo)
    response = client.post(add_url, {**data, "action-submit": "Submit"})
    assert response.status_code == 302
    assert response.url == post_edit_url(tokyo)
    # Saving a draft stays on the new object's edit view, as without `next`.
    data = (
        account_form(tokyo, url="https://x.com/Other")
        if model is SocialAccount
        else person_form(tokyo, name="Other")
    )
    response = client.post(add_url, data)
    assert "/edit/" in response.url and response.url != post_edit_url(tokyo)


def chosen_post(response):
    """The page chooser's value for the owner post ("" when none is chosen)."""
    field = re.search(r'<input type="hidden" name="post"[^>]*>', response.content.decode())[0]
    value = re.search(r'value="(\d*)"', field)
    return value[1] if value else ""


@pytest.mark.parametrize(
    ("model", "shown", "hidden"),
    [
        (SocialAccount, ["nlintokyo"], ["NLinJapan", "NLEmbassyTokyo", "JaneExample"]),
        (Person, ["Jane Example"], ["John Live"]),
    ],
)
def test_in_review_filter_and_status_column(client, editor, tokyo, desk, model, shown, hidden):
    make_person(name="John Live", post=tokyo)
    client.force_login(editor)
    url = reverse(model.snippet_viewset.get_url_name("list"))
    html = client.get(url, {"status": "in_review"}).content.decode()
    assert "In review" in html  # the filter's choice
    for name in shown:
        assert name in html
    for name in hidden:
        assert name not in html
    # The status column names the state of each row, in as many queries for more rows.
    html = client.get(url).content.decode()
    assert "in moderation" in html
    if model is SocialAccount:
        assert "scheduled" in html
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(3):
        if model is SocialAccount:
            make_account(f"https://linkedin.com/company/nl-{n}", post=tokyo, live=False)
        else:
            make_person(name=f"Person {n}", post=tokyo, live=False)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def press_desk(client):
    """{row heading: {link text: link}} of the dashboard's press desk, and its posts cell."""
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    table = re.search(r"<table[^>]*data-press-desk>(.*?)</table>", html, re.S)[1]
    desk = {}
    for heading, cells in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S):
        links = re.findall(r'<a href="([^"]+)"[^>]*>\s*([^<]+?)\s*</a>', cells)
        desk[heading] = {text: url.replace("&amp;", "&") for url, text in links}
    return desk


def test_dashboard_for_an_editor(client, editor, moderator, tokyo, desk, japan):
    osaka = make_post(japan, title="Consulate-General in Osaka", city="Osaka")
    approve(client, desk["person"], moderator)  # published now
    client.force_login(editor)
    desk_rows = press_desk(client)
    assert "Awaiting my review" not in desk_rows
    account_list = reverse(SocialAccount.snippet_viewset.get_url_name("list"))
    people_list = reverse(Person.snippet_viewset.get_url_name("list"))
    assert desk_rows["My drafts"] == {
        "1 social-media accounts": f"{account_list}?status=draft&mine=true",
        "0 people": f"{people_list}?status=draft&mine=true",
    }
    assert desk_rows["Published in the last 7 days"] == {
        "0 social-media accounts": f"{account_list}?recent=true",
        "1 people": f"{people_list}?recent=true",
    }
    assert desk_rows["Posts with no account"] == {
        "Consulate-General in Osaka": reverse("wagtailadmin_pages:edit", args=(osaka.pk,))
    }
    # The counts' links list what they count.
    html = client.get(desk_rows["My drafts"]["1 social-media accounts"]).content.decode()
    assert "nlintokyo" in html and "NLEmbassyTokyo" not in html
    html = client.get(desk_rows["Published in the last 7 days"]["1 people"]).content.decode()
    assert "Jane Example" in html


def test_dashboard_for_a_moderator(client, moderator, desk):
    client.force_login(moderator)
    desk_rows = press_desk(client)
    account_list = reverse(SocialAccount.snippet_viewset.get_url_name("list"))
    people_list = reverse(Person.snippet_viewset.get_url_name("list"))
    assert desk_rows["Awaiting my review"] == {
        "1 social-media accounts": f"{account_list}?status=in_review",
        "1 people": f"{people_list}?status=in_review",
    }
    assert desk_rows["My drafts"] == {
        "0 social-media accounts": f"{account_list}?status=draft&mine=true",
        "0 people": f"{people_list}?status=draft&mine=true",
    }


def test_the_press_desk_speaks_dutch(client, tokyo, desk):
    from django.contrib.auth.models import Group

    moderator = make_user("moderator_nl", Group.objects.get(name="Press moderators"), "nl")
    client.force_login(moderator)
    html = client.get(post_edit_url(tokyo)).content.decode()
    for label in ("Accounts en personen", "Een account aan deze post toevoegen", "Laatst bewerkt"):
        assert label in html
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    for label in ("Persdesk", "Wacht op mijn beoordeling", "Posten zonder account"):
        assert label in html
    url = reverse(SocialAccount.snippet_viewset.get_url_name("list"))
    assert "Ter beoordeling" in client.get(url).content.decode()
    response = client.post(
        snippet_url(SocialAccount, "add"),
        account_form(tokyo, platform=platform("facebook").pk, url="https://x.com/NLinJapan"),
    )
    assert "Dit is een profiel op X (Twitter), niet op Facebook" in response.content.decode()
    response = client.post(snippet_url(SocialAccount, "add"), account_form(tokyo))
    assert "Dit profiel is al geregistreerd: <a href=" in response.content.decode()
