"""E-mail from the admin: password reset and workflow notifications are sent, from the
configured sender (settings: DEFAULT_FROM_EMAIL, EMAIL_* from the environment)."""

import pytest
from django.core import mail
from django.urls import reverse

from atlas_pages.models import SocialAccount
from tests.atlas_pages.editorial.test_workflow import account_form, snippet_url

pytestmark = pytest.mark.django_db


def test_password_reset_mails_a_link_from_the_configured_sender(client, editor, settings):
    settings.DEFAULT_FROM_EMAIL = "Atlas <atlas@example.org>"
    response = client.post(reverse("wagtailadmin_password_reset"), {"email": editor.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [editor.email]
    assert message.from_email == "Atlas <atlas@example.org>"
    assert "/admin/password_reset/confirm/" in message.body


def test_a_submission_notifies_the_moderators(client, tokyo, editor, moderator, settings):
    client.force_login(editor)
    client.post(
        snippet_url(SocialAccount, "add"), account_form(tokyo, **{"action-submit": "Submit"})
    )
    assert SocialAccount.objects.get().workflow_in_progress
    recipients = {address for message in mail.outbox for address in message.to}
    assert moderator.email in recipients
    assert editor.email not in recipients
    assert {m.from_email for m in mail.outbox} == {settings.WAGTAILADMIN_NOTIFICATION_FROM_EMAIL}
