"""E-mail from the admin: password reset and workflow notifications are sent, from the
configured sender (settings: DEFAULT_FROM_EMAIL, EMAIL_* from the environment), each in its
recipient's admin language."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import PageSubscription
from wagtail.test.utils.form_data import inline_formset

from atlas_pages.models import SocialAccount
from tests.atlas_pages.editorial.test_place_warning import post_form
from tests.atlas_pages.editorial.test_workflow import account_form, approve, snippet_url
from tests.factories import make_user

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


def submit_account(client, post, sender):
    client.force_login(sender)
    client.post(
        snippet_url(SocialAccount, "add"), account_form(post, **{"action-submit": "Submit"})
    )
    return SocialAccount.objects.get()


def mail_to(user):
    [message] = [message for message in mail.outbox if message.to == [user.email]]
    return message


@pytest.mark.parametrize("html", [False, True])
def test_each_recipient_reads_the_notification_in_their_admin_language(
    client, tokyo, settings, html
):
    """Not the sender's: an English editor's submission reaches a Dutch moderator in Dutch,
    and one who chose no language in the site's default (Dutch), the HTML part too."""
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = html
    moderators = Group.objects.get(name="Press moderators")
    dutch = make_user("dutch", moderators, language="nl")
    unset = make_user("unset", moderators, language="")
    english = make_user("english", moderators, language="en")
    submit_account(client, tokyo, make_user("sender", Group.objects.get(name="Press editors")))

    for user in (dutch, unset):
        message = mail_to(user)
        assert "ingediend ter goedkeuring" in message.subject
        assert "Hallo" in message.body and "submitted" not in message.body
        if html:
            [(content, _mimetype)] = message.alternatives
            assert "ingediend ter goedkeuring" in content and "submitted" not in content
    message = mail_to(english)
    assert "submitted for approval" in message.subject and "Hallo" not in message.body


def test_the_editor_reads_the_approval_in_their_own_language(client, tokyo):
    """An English moderator approves: the editor who chose no language is told in the site's
    default, Dutch."""
    editor = make_user("unset", Group.objects.get(name="Press editors"), language="")
    moderator = make_user("english", Group.objects.get(name="Press moderators"), language="en")
    account = submit_account(client, tokyo, editor)
    mail.outbox.clear()
    approve(client, account, moderator)
    assert "goedgekeurd" in mail_to(editor).subject


@pytest.mark.parametrize("html", [False, True])
def test_comment_notifications_reach_each_subscriber_in_their_admin_language(
    client, tokyo, settings, html
):
    """An English editor comments on a post page: a subscriber who chose no language reads
    it in the site's default (Dutch), an English one in English, the HTML part too."""
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = html
    editors = Group.objects.get(name="Press editors")
    sender = make_user("sender", editors, language="en")
    unset = make_user("unset", editors, language="")
    english = make_user("english", editors, language="en")
    for user in (unset, english):
        PageSubscription.objects.create(page=tokyo, user=user, comment_notifications=True)
    client.force_login(sender)
    comment = {
        "contentpath": "title",
        "text": "Check the address",
        "position": "",
        "resolved": "",
        "replies": inline_formset([]),
    }
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(tokyo.pk,)),
        post_form(tokyo, tokyo.location, comments=inline_formset([comment])),
    )
    assert response.status_code == 302
    assert tokyo.wagtail_admin_comments.get().text == "Check the address"

    dutch_message, english_message = mail_to(unset), mail_to(english)
    assert dutch_message.subject == "sender heeft opmerkingen bij ‘Embassy in Tokyo’ gewijzigd"
    assert "has updated comments" in english_message.subject
    if html:
        [(content, _mimetype)] = dutch_message.alternatives
        assert "Nieuwe opmerkingen" in content and "New comments" not in content
