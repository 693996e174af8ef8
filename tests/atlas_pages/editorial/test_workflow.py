"""The editorial workflow through the admin: editors submit, moderators approve and publish."""

import pytest
from django.urls import reverse
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from atlas_pages.models import CountryPage, Person, SocialAccount
from atlas_pages.publication.public_atlas import load
from tests.factories import platform

pytestmark = pytest.mark.django_db


def snippet_url(model, name, *args):
    return reverse(model.snippet_viewset.get_url_name(name), args=args)


def country_form(**overrides):
    data = {
        "title": "Canada",
        "slug": "canada",
        "iso_code": "CA",
        "location": "SRID=4326;POINT(-106.3 56.1)",
        "intro": rich_text(""),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def account_form(post, **overrides):
    data = {
        "platform": platform("twitter").pk,
        "url": "https://x.com/NLinJapan",
        "handle": "",
        "display_name": "Embassy of the Netherlands in Japan",
        "language": "ja",
        "post": post.pk,
        "person": "",
        "note": "",
    }
    data.update(overrides)
    return data


def approve(client, obj, user):
    """The moderator approves the object's current task, as the admin's button does."""
    client.force_login(user)
    task_state = obj.current_workflow_task_state
    if isinstance(obj, Page):
        url = reverse("wagtailadmin_pages:workflow_action", args=(obj.pk, "approve", task_state.pk))
    else:
        url = snippet_url(type(obj), "workflow_action", obj.pk, "approve", task_state.pk)
    return client.post(url, {"comment": ""})


class TestPages:
    def add_url(self, atlas):
        return reverse("wagtailadmin_pages:add", args=("atlas_pages", "countrypage", atlas.pk))

    def test_editor_submission_is_not_live_until_a_moderator_approves(
        self, client, atlas, editor, moderator
    ):
        client.force_login(editor)
        response = client.post(self.add_url(atlas), country_form(**{"action-submit": "Submit"}))
        assert response.status_code == 302
        canada = CountryPage.objects.get(iso_code="CA")
        assert not canada.live
        assert canada.workflow_in_progress
        assert canada.current_workflow_state.workflow.name == "Press review"
        assert canada.pk not in {c.id for c in load().countries}

        response = approve(client, canada, moderator)
        assert response.status_code == 302
        canada.refresh_from_db()
        assert canada.live
        assert (canada.lat, canada.lng) == (56.1, -106.3)
        assert canada.pk in {c.id for c in load().countries}

    def test_editor_cannot_publish(self, client, atlas, editor):
        client.force_login(editor)
        client.post(self.add_url(atlas), country_form(**{"action-publish": "Publish"}))
        canada = CountryPage.objects.get(iso_code="CA")
        assert not canada.live

    def test_moderator_can_publish(self, client, atlas, moderator):
        client.force_login(moderator)
        client.post(self.add_url(atlas), country_form(**{"action-publish": "Publish"}))
        assert CountryPage.objects.get(iso_code="CA").live

    def test_empty_title_takes_the_iso_name(self, client, atlas, moderator):
        client.force_login(moderator)
        response = client.post(
            self.add_url(atlas), country_form(title="", slug="", **{"action-publish": "Publish"})
        )
        assert response.status_code == 302, response.context["form"].errors
        country = CountryPage.objects.get(iso_code="CA")
        assert (country.title, country.slug) == ("Canada", "canada")

    def test_duplicate_country_shows_a_clear_message(self, client, atlas, japan, moderator):
        client.force_login(moderator)
        response = client.post(
            self.add_url(atlas), country_form(iso_code="JP", slug="japan-2", title="Japan 2")
        )
        assert response.status_code == 200
        assert "The country JP already has a page." in response.content.decode()


class TestSnippets:
    def test_editor_submission_is_not_live_until_a_moderator_approves(
        self, client, tokyo, editor, moderator
    ):
        client.force_login(editor)
        response = client.post(
            snippet_url(SocialAccount, "add"), account_form(tokyo, **{"action-submit": "Submit"})
        )
        assert response.status_code == 302
        account = SocialAccount.objects.get()
        assert (account.live, account.handle) == (False, "NLinJapan")
        assert account.workflow_in_progress
        assert not load().accounts

        approve(client, account, moderator)
        account.refresh_from_db()
        assert account.live
        assert [a.id for a in load().accounts] == [account.pk]

    def test_editor_cannot_publish(self, client, tokyo, editor):
        client.force_login(editor)
        client.post(
            snippet_url(SocialAccount, "add"),
            account_form(tokyo, **{"action-publish": "Publish"}),
        )
        assert not SocialAccount.objects.filter(live=True).exists()

    def test_an_edit_in_moderation_keeps_the_live_version_public(
        self, client, tokyo, moderator, editor
    ):
        client.force_login(moderator)
        client.post(
            snippet_url(SocialAccount, "add"),
            account_form(tokyo, **{"action-publish": "Publish"}),
        )
        account = SocialAccount.objects.get()
        assert account.live
        client.force_login(editor)
        client.post(
            snippet_url(SocialAccount, "edit", account.pk),
            account_form(tokyo, display_name="Changed", **{"action-submit": "Submit"}),
        )
        account.refresh_from_db()
        assert account.has_unpublished_changes
        assert load().accounts[0].name == ("Embassy of the Netherlands in Japan")

    def test_duplicate_profile_is_refused_with_a_clear_message(self, client, tokyo, moderator):
        client.force_login(moderator)
        client.post(snippet_url(SocialAccount, "add"), account_form(tokyo))
        response = client.post(
            snippet_url(SocialAccount, "add"),
            account_form(tokyo, url="https://twitter.com/nlinjapan/"),
        )
        assert response.status_code == 200
        assert "This profile is already registered: <a" in response.content.decode()
        assert SocialAccount.objects.count() == 1

    def test_person_preview_renders_the_person(self, client, tokyo, moderator):
        client.force_login(moderator)
        person = Person.objects.create(name="Jane Example", job_title="Ambassador", post=tokyo)
        response = client.get(snippet_url(Person, "preview_on_edit", person.pk))
        assert response.status_code == 200
        response = client.post(
            snippet_url(Person, "preview_on_edit", person.pk),
            {
                "name": "Jane Preview",
                "role": "ambassador",
                "job_title": "Ambassador",
                "post": tokyo.pk,
            },
        )
        assert response.json()["is_valid"] is True
        response = client.get(snippet_url(Person, "preview_on_edit", person.pk))
        assert "Jane Preview" in response.content.decode()
        assert AdminURLFinder(moderator).get_edit_url(person)
