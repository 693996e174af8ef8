"""Contacts of accounts and posts (issue 23): named in their edit forms (an admin user or a team
address, one of the two), written at once also when only a draft is saved, kept when a revision
is published, and never public: no page, search, export, feed or API shows them."""

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from atlas_pages.models import PostPage, SocialAccount
from atlas_pages.publication import generation
from tests.atlas_pages.editorial.test_workflow import account_form, snippet_url
from tests.factories import make_account, make_user, translate

pytestmark = pytest.mark.django_db

HELP = "Who is asked to review the accounts when they come due"


@pytest.fixture
def account(tokyo):
    return make_account(
        "https://x.com/NLinJapan", post=tokyo, display_name="Embassy of the Netherlands in Japan"
    )


def errors_of(response):
    return response.context["form"].errors


def test_the_account_form_names_a_contact_with_its_help(client, editor, account):
    client.force_login(editor)
    html = client.get(snippet_url(SocialAccount, "edit", account.pk)).content.decode()
    assert "Contact for reviews" in html and HELP in html
    assert 'name="contact_user"' in html and 'name="contact_email"' in html

    dutch = make_user("redacteur", editor.groups.first(), language="nl")
    client.force_login(dutch)
    html = client.get(snippet_url(SocialAccount, "edit", account.pk)).content.decode()
    assert "Contactpersoon voor beoordelingen" in html
    assert "contactpersoon (teamadres)" in html.lower()


def test_a_draft_of_a_live_account_sets_its_contact_at_once(client, editor, moderator, account):
    account.save_revision(user=moderator).publish()
    token = generation.current()
    client.force_login(editor)

    response = client.post(
        snippet_url(SocialAccount, "edit", account.pk),
        account_form(account.post, display_name="A draft", contact_user=moderator.pk),
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.contact_user == moderator and account.contact_email == ""
    assert account.display_name == "Embassy of the Netherlands in Japan"  # the draft waits
    assert account.has_unpublished_changes
    assert generation.current() == token  # nothing public changed

    # Publishing an older revision (saved before the contact was named) keeps the contact.
    account.revisions.order_by("pk").first().publish()
    account.refresh_from_db()
    assert account.contact_user == moderator

    client.post(
        snippet_url(SocialAccount, "edit", account.pk),
        account_form(account.post, contact_user="", contact_email="press.tokyo@example.org"),
    )
    account.refresh_from_db()
    assert (account.contact_user, account.contact_email) == (None, "press.tokyo@example.org")


def test_a_contact_is_a_user_or_a_team_address_not_both(client, editor, moderator, account):
    client.force_login(editor)
    response = client.post(
        snippet_url(SocialAccount, "edit", account.pk),
        account_form(
            account.post, contact_user=moderator.pk, contact_email="press.tokyo@example.org"
        ),
    )
    assert response.status_code == 200
    assert list(errors_of(response)) == ["contact_email"]
    assert (
        "Name one contact: a user or a team address, not both. Clear one of the two."
        in response.content.decode()
    )
    account.refresh_from_db()
    assert account.contact_user is None and account.contact_email == ""


def test_a_contact_user_must_be_an_active_admin_user(client, editor, account):
    outsider = make_user("outsider")  # no access to the admin
    retired = make_user("retired", editor.groups.first(), is_active=False)
    client.force_login(editor)
    for user in (outsider, retired):
        response = client.post(
            snippet_url(SocialAccount, "edit", account.pk),
            account_form(account.post, contact_user=user.pk),
        )
        assert response.status_code == 200
        assert "contact_user" in errors_of(response)
    html = client.get(snippet_url(SocialAccount, "edit", account.pk)).content.decode()
    assert f'<option value="{editor.pk}"' in html
    assert f'<option value="{outsider.pk}"' not in html
    assert f'<option value="{retired.pk}"' not in html
    response = client.post(
        snippet_url(SocialAccount, "edit", account.pk),
        account_form(account.post, contact_email="not an address"),
    )
    assert "contact_email" in errors_of(response)

    # A contact who leaves later stays named (never cleared unseen), and the account saves.
    colleague = make_user("colleague", editor.groups.first())
    SocialAccount.objects.filter(pk=account.pk).update(contact_user=colleague)
    colleague.is_active = False
    colleague.save()
    html = client.get(snippet_url(SocialAccount, "edit", account.pk)).content.decode()
    assert f'<option value="{colleague.pk}" selected>' in html
    response = client.post(
        snippet_url(SocialAccount, "edit", account.pk),
        account_form(account.post, note="Checked", contact_user=colleague.pk),
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.contact_user == colleague


def post_form(post, **extra):
    data = {
        "title": post.title,
        "slug": post.slug,
        "kind": post.kind,
        "city": post.city,
        "address": "",
        "location": post.location,
        "website": "",
        "contact_user": "",
        "contact_email": "",
        "comments": inline_formset([]),
    }
    return nested_form_data({**data, **extra})


def test_a_posts_contact_in_its_edit_view_set_at_once(client, editor, moderator, tokyo):
    tokyo.save_revision(user=moderator).publish()
    english = translate(tokyo, title="Embassy in Tokyo EN")
    token = generation.current()
    client.force_login(editor)
    url = f"/admin/pages/{tokyo.pk}/edit/"
    html = client.get(url).content.decode()
    assert "Contact for reviews" in html and HELP in html

    response = client.post(url, post_form(tokyo, city="Draft city", contact_user=moderator.pk))

    assert response.status_code == 302, errors_of(response)
    post = PostPage.objects.get(pk=tokyo.pk)
    assert post.contact_user == moderator
    assert PostPage.objects.get(pk=english.pk).contact_user == moderator  # one per post
    assert post.city == "Tokyo"  # the draft waits
    assert generation.current() == token
    post.revisions.order_by("pk").first().publish()  # an older revision keeps the contact
    assert PostPage.objects.get(pk=tokyo.pk).contact_user == moderator

    response = client.post(
        url, post_form(tokyo, contact_user=moderator.pk, contact_email="press@example.org")
    )
    assert response.status_code == 200
    assert "contact_email" in errors_of(response)


# Never public ---------------------------------------------------------------------------------

CONTACT_NAME = "Quaxwell"
TEAM_ADDRESS = "quax-team@example.org"
USER_ADDRESS = "quaxwell.contact@example.org"

EVERYTHING = """{
  posts(pagination: {limit: 50}) { results { id name city url accounts { id handle } } }
  accounts(pagination: {limit: 50}) {
    results { id handle name url kind speaksFor status currentUrl person { id name } }
  }
  countries { id name posts { id name } }
}"""


def test_contacts_appear_nowhere_public(client, tokyo, account):
    user = make_user("quax", first_name="Quinn", last_name=CONTACT_NAME)
    user.email = USER_ADDRESS
    user.save()
    tokyo.contact_email = TEAM_ADDRESS
    tokyo.save_revision().publish()
    english = translate(PostPage.objects.get(pk=tokyo.pk), title="Embassy in Tokyo EN")
    SocialAccount.objects.filter(pk=account.pk).update(contact_user=user)
    account.refresh_from_db()
    account.save_revision().publish()
    assert PostPage.objects.get(pk=tokyo.pk).contact_email == TEAM_ADDRESS
    assert PostPage.objects.get(pk=english.pk).contact_email == TEAM_ADDRESS  # copied along

    bodies = {}
    for language in ("nl", "en"):
        for path in (
            f"/{language}/",
            f"/{language}/search/?q=Tokyo",
            f"/{language}/search/?q={CONTACT_NAME}",
            f"/{language}/search/?q={quote(TEAM_ADDRESS)}",
            f"/{language}/open-data/",
            f"/{language}/changes.atom",
        ):
            bodies[path] = client.get(path, follow=True)  # an address goes to the verify page
        verify = "/nl/controleer/" if language == "nl" else "/en/verify/"
        bodies[verify] = client.get(f"{verify}?url={quote(account.url, safe='')}")
        for name in ("accounts.csv", "accounts.json", "posts.geojson"):
            bodies[f"{name} {language}"] = client.get(f"/export/{name}?lang={language}")
        bodies[f"graphql {language}"] = client.post(
            "/graphql/",
            json.dumps(
                {"query": EVERYTHING.replace("(pagination", f'(locale: "{language}", pagination')}
            ),
            content_type="application/json",
        )
    for page in (tokyo, english):
        bodies[page.url] = client.get(page.url)
        bodies[page.get_parent().url] = client.get(page.get_parent().url)

    for where, response in bodies.items():
        assert response.status_code == 200, where
        body = response.content.decode()
        if "?q=" in where:  # the search page repeats what was asked: not a leak
            asked = where.split("?q=")[1]
            for echo in (asked, quote(asked, safe=""), TEAM_ADDRESS if "%40" in asked else asked):
                body = body.replace(echo, "")
            assert "search-result__title" not in body or asked == "Tokyo", where
        for secret in (CONTACT_NAME, TEAM_ADDRESS, USER_ADDRESS, "quax"):
            assert secret.lower() not in body.lower(), f"{secret} in {where}"
    # The surfaces do show the post and its account (so the search above could find them).
    for where in ("/nl/", tokyo.url, "accounts.json nl", "graphql en", "/en/verify/"):
        assert (
            "NLinJapan" in bodies[where].content.decode()
            or "Tokyo" in bodies[where].content.decode()
        ), where
    graphql = json.loads(bodies["graphql en"].content)
    assert "errors" not in graphql
    assert graphql["data"]["accounts"]["results"][0]["handle"] == "NLinJapan"


def test_the_api_schema_has_no_contact():
    """The API's contract (its printed schema) has no field for a post's or account's contact."""
    schema = (Path(__file__).parents[2] / "graphql_api" / "schema.graphql").read_text()
    assert "type Post {" in schema and "type Account {" in schema
    assert not re.search(r"\bcontact(User|Email)?\b\s*[:(]", schema)
