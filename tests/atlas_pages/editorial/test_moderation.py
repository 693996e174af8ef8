"""Moderation with context: the queue, the e-mails and the review screen say where an account
belongs; "approve and publish" is the primary action and its message says what happened; the
press workflow's and groups' names follow the admin's language."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import Workflow

from atlas_pages.editorial import moderation
from atlas_pages.models import SocialAccount
from tests.atlas_pages.editorial.test_workflow import account_form, snippet_url
from tests.factories import make_account, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(client, tokyo, editor):
    """An account the editor submitted for review."""
    client.force_login(editor)
    client.post(
        snippet_url(SocialAccount, "add"), account_form(tokyo, **{"action-submit": "Submit"})
    )
    client.logout()
    return SocialAccount.objects.get()


def test_the_queue_shows_platform_post_and_country(client, moderator, pending):
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "X (Twitter) · Embassy in Tokyo · Japan" in html
    report = client.get(reverse("wagtailadmin_reports:workflow")).content.decode()
    assert "X (Twitter) · Embassy in Tokyo · Japan" in report


def test_the_email_has_context_and_a_working_preview_link(client, moderator, pending, settings):
    [message] = [m for m in mail.outbox if moderator.email in m.to]
    assert "X (Twitter) · Embassy in Tokyo · Japan" in message.body
    preview = re.search(r"preview the .*? here: (\S+)", message.body).group(1)
    path = preview.removeprefix(settings.WAGTAILADMIN_BASE_URL)
    assert "/workflow/preview/" in path
    client.force_login(moderator)
    response = client.get(path)
    assert response.status_code == 200
    # The preview: how the account appears on the post page and in the map panel.
    html = response.content.decode()
    assert "Embassy in Tokyo" in html  # the page's heading: in the site's default language
    assert "data-preview-post-page" in html
    assert "<mark>NLinJapan</mark>" in html
    assert "data-preview-map-panel" in html


def test_approve_and_publish_is_the_primary_action(client, moderator, pending):
    client.force_login(moderator)
    html = client.get(snippet_url(SocialAccount, "edit", pending.pk)).content.decode()
    footer = html[html.index("<footer") :]
    first_button = re.search(r"<button[^>]*>(.*?)</button>", footer, re.S).group(1)
    assert "Approve and Publish" in " ".join(first_button.split())


def test_approving_on_the_review_screen_says_where_it_is_live(client, moderator, pending):
    client.force_login(moderator)
    form = account_form(
        pending.post, **{"action-workflow-action": "1", "workflow-action-name": "approve"}
    )
    response = client.post(snippet_url(SocialAccount, "edit", pending.pk), form, follow=True)
    pending.refresh_from_db()
    assert pending.live
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith(
        "“X (Twitter): NLinJapan” approved and published; live on the "
        f'<a href="{pending.post.url}">Embassy in Tokyo</a> page.'
    )
    # The link as the admin renders it, not escaped.
    assert f'<a href="{pending.post.url}">Embassy in Tokyo</a>' in response.content.decode()


def test_the_approval_message_escapes_the_names(tokyo):
    tokyo.title = "Embassy <in> Tokyo"
    tokyo.save()
    account = make_account("https://x.com/NLinJapan", post=tokyo, display_name="<b>")
    message = moderation.approval_message(account)
    assert f'live on the <a href="{tokyo.url}">Embassy &lt;in&gt; Tokyo</a> page.' in message
    assert "<b>" not in message


def test_approving_from_the_queue_says_the_same(client, moderator, pending):
    client.force_login(moderator)
    task_state = pending.current_workflow_task_state
    url = snippet_url(SocialAccount, "workflow_action", pending.pk, "approve", task_state.pk)
    response = client.post(url, {"comment": ""}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert "“X (Twitter): NLinJapan” approved and published" in messages[0]


@pytest.mark.parametrize(
    ("language", "workflow", "group"),
    [("nl", "Persbeoordeling", "Persmoderatoren"), ("en", "Press review", "Press moderators")],
)
def test_workflow_and_group_names_in_the_admins_language(
    client, pending, language, workflow, group
):
    admin = make_user("chief", language=language, is_superuser=True, is_staff=True)
    client.force_login(admin)
    edit = client.get(snippet_url(SocialAccount, "edit", pending.pk)).content.decode()
    assert workflow in edit
    workflows = client.get(reverse("wagtailadmin_workflows:index")).content.decode()
    assert workflow in workflows
    groups = client.get(reverse("wagtailusers_groups:index")).content.decode()
    assert group in groups


def test_a_workflow_saved_in_the_dutch_admin_keeps_its_english_key(client):
    from django.utils import translation

    workflow = Workflow.objects.get(name="Press review")
    with translation.override("nl"):
        assert str(workflow.name) == "Persbeoordeling"
        workflow.name = str(workflow.name)  # as a form posts it back
        workflow.save()
    assert Workflow.objects.filter(name="Press review").exists()
    assert Group.objects.filter(name="Press editors").exists()


def test_the_dutch_email_names_the_stage_in_dutch(client, tokyo, editor, moderator):
    profile = moderator.wagtail_userprofile
    profile.preferred_language = "nl"
    profile.save()
    client.force_login(editor)
    client.post(
        snippet_url(SocialAccount, "add"), account_form(tokyo, **{"action-submit": "Submit"})
    )
    [message] = [m for m in mail.outbox if moderator.email in m.to]
    assert "Goedkeuring persmoderatoren" in message.body


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_the_editor_s_email_on_the_outcome_has_context(
    client, moderator, pending, editor, action, settings
):
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = True  # the HTML part too
    mail.outbox.clear()
    client.force_login(moderator)
    task_state = pending.current_workflow_task_state
    url = snippet_url(SocialAccount, "workflow_action", pending.pk, action, task_state.pk)
    client.post(url, {"comment": ""}, follow=True)
    [message] = [m for m in mail.outbox if editor.email in m.to]
    assert "X (Twitter) · Embassy in Tokyo · Japan" in message.body
    [html] = [body for body, kind in message.alternatives if kind == "text/html"]
    assert "X (Twitter) · Embassy in Tokyo · Japan" in html
