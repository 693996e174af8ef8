"""Wagtail's workflow e-mails, each written in its recipient's admin language.

Wagtail renders a notification in the recipient's chosen admin language, but falls back to
the language active while sending (the sender's) for a recipient who chose none, and renders
the HTML part outside its override. These notifiers take Wagtail's places on its signals, and
the page editor's comment notifications go through send_notification below."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import override
from wagtail.admin import mail
from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.admin.views.pages import edit as page_edit_views
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted
from wagtail.users.models import UserProfile


def admin_language(user: AbstractBaseUser) -> str:
    """The language the user's admin is in: their choice, else the site's default."""
    return UserProfile.get_for_user(user).preferred_language or settings.LANGUAGE_CODE


class RecipientLanguageMixin:
    """Sends each recipient's e-mail (subject, text and HTML) in their admin language."""

    def send_emails(
        self,
        template_set: dict[str, str],
        context: dict[str, Any],
        recipients: Iterable[AbstractBaseUser],
        **kwargs: Any,
    ) -> bool:
        sent = True
        for recipient in recipients:
            with override(admin_language(recipient)):
                sent = super().send_emails(template_set, context, [recipient], **kwargs) and sent
        return sent


class TaskSubmissionNotifier(RecipientLanguageMixin, GroupApprovalTaskStateSubmissionEmailNotifier):
    pass


class WorkflowSubmissionNotifier(RecipientLanguageMixin, WorkflowStateSubmissionEmailNotifier):
    pass


class WorkflowApprovalNotifier(RecipientLanguageMixin, WorkflowStateApprovalEmailNotifier):
    pass


class WorkflowRejectionNotifier(RecipientLanguageMixin, WorkflowStateRejectionEmailNotifier):
    pass


def send_notification(
    recipient_users: Iterable[AbstractBaseUser], notification: str, extra_context: dict[str, Any]
) -> bool:
    """Wagtail's send_notification (comment notifications of the page editor), each recipient's
    e-mail in their admin language."""
    sent = True
    for recipient in recipient_users:
        with override(admin_language(recipient)):
            sent = mail.send_notification([recipient], notification, extra_context) and sent
    return sent


#: Signal, sender, Wagtail's dispatch_uid (wagtail/admin/signal_handlers.py) and our notifier.
NOTIFIERS = (
    (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        TaskSubmissionNotifier(),
    ),
    (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
        WorkflowSubmissionNotifier(),
    ),
    (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        WorkflowRejectionNotifier(),
    ),
    (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        WorkflowApprovalNotifier(),
    ),
)


def connect_signals() -> None:
    """Puts our notifiers in Wagtail's places: under Wagtail's dispatch_uid, so that whichever
    app connects first, each notification is sent once. The page editor sends its comment
    notifications by a function it imported, not a signal: its name there is ours (Wagtail
    has no setting for it)."""
    for signal, sender, dispatch_uid, notifier in NOTIFIERS:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(notifier, sender=sender, dispatch_uid=dispatch_uid)
    page_edit_views.send_notification = send_notification
