"""The press desk's side of the identity check (atlas_pages.outbound.identity): accounts whose
address changed hands (flagged) and accounts renamed on their platform (a draft prepared), in a
queue with its actions, and the e-mail that tells the press desk, in each reader's language.

Who may act, on the accounts within their reach (atlas_pages.editorial.rights):
- see the queue: whoever keeps accounts (editors and moderators);
- "Close the account": whoever may edit the account (it prepares a draft, moderated as usual);
- "Still ours": whoever may publish the account (moderators), since accepting the new identity
  makes the address official again at once, as a publish would.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Revision
from wagtail.permissions import policy_registry

from atlas_pages.editorial import rights
from atlas_pages.editorial.notifications import admin_language
from atlas_pages.editorial.permissions import may_keep_accounts
from atlas_pages.editorial.pressdesk import edit_url
from atlas_pages.models import AccountIdentity, SocialAccount
from atlas_pages.models.signals import public_content_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

#: The statuses the identity check watches; a closed or renamed account leaves the queue.
WATCHED = (SocialAccount.Status.ACTIVE, SocialAccount.Status.INACTIVE)


# Drafts ---------------------------------------------------------------------------------------


def prepare_status_draft(
    account: SocialAccount, status: str, new_url: str = "", user: User | None = None
) -> Revision:
    """A draft of the account (on its latest revision) with the new status, since today:
    saved as a revision for the press desk to submit or publish as usual, never published
    here. Raises ValidationError when the account cannot take it."""
    draft = account.get_latest_revision_as_object()
    draft.status = status
    draft.new_url = new_url
    draft.status_since = timezone.localdate()
    return draft.save_revision(user=user, log_action=True)


def _has_draft(account: SocialAccount, status: str, new_url: str = "") -> bool:
    """Whether the account's latest version already says this."""
    latest = account.get_latest_revision_as_object()
    return latest.status == status and latest.new_url == new_url


def prepare_renames(account_ids: Iterable[int]) -> int:
    """A "renamed to ..." draft for each account the check found renamed (moved_to); how many
    were prepared. One that cannot be prepared is recorded as the identity's error."""
    prepared = 0
    records = AccountIdentity.objects.filter(account__in=list(account_ids)).select_related(
        "account__platform"
    )
    for record in records:
        account = record.account
        if not record.moved_to or _has_draft(
            account, SocialAccount.Status.RENAMED, record.moved_to
        ):
            continue
        try:
            with transaction.atomic():
                prepare_status_draft(account, SocialAccount.Status.RENAMED, record.moved_to)
            prepared += 1
        except ValidationError as error:
            problems = "; ".join(
                message for messages in error.message_dict.values() for message in messages
            )
            record.last_error = f"rename draft not prepared: {problems}"[:500]
            record.save(update_fields=["last_error"])
    return prepared


# The queue ------------------------------------------------------------------------------------


def flagged(user: User) -> QuerySet[AccountIdentity]:
    """The identity records the press desk must act on, within the user's reach: a takeover
    flagged, or a rename found that the account does not say yet."""
    records = (
        AccountIdentity.objects.filter(account__status__in=WATCHED)
        .exclude(takeover_at__isnull=True, moved_to="")
        .select_related("account__platform", "account__post", "account__person")
        .order_by("-takeover_at", "account__handle")
    )
    return rights.within_reach(records, user, "account__post__", "account__person__post__")


def dashboard_row(user: User) -> dict[str, Any]:
    """The dashboard's upkeep line: how many accounts within reach await a decision."""
    return {
        "name": "identity",
        "label": _("Accounts taken over or renamed on their platform"),
        "count": flagged(user).count(),
        "url": queue_url(),
    }


def may_accept(user: User, account: SocialAccount) -> bool:
    return _policy().user_has_permission_for_instance(user, "publish", account)


def may_close(user: User, account: SocialAccount) -> bool:
    return _policy().user_has_permission_for_instance(user, "change", account)


def _policy() -> Any:  # noqa: ANN401 (the accounts' permission policy)
    return policy_registry.get_by_type(SocialAccount)


def queue_url() -> str:
    return reverse("atlas_identity_queue")


class IdentityQueueView(WagtailAdminTemplateMixin, TemplateView):
    """Accounts taken over or renamed on their platform, with what the check found and the
    actions the user may take."""

    template_name = "atlas_pages/admin/identity_queue.html"
    page_title = _("Identity checks")
    header_icon = "warning"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_keep_accounts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = [
            {
                "record": record,
                "account": record.account,
                "edit_url": edit_url(record.account),
                "may_accept": record.takeover_at and may_accept(user, record.account),
                "may_close": record.takeover_at and may_close(user, record.account),
            }
            for record in flagged(user)
        ]
        return context


def _flagged_account(request: HttpRequest, pk: int) -> AccountIdentity:
    record = get_object_or_404(
        AccountIdentity.objects.select_related("account__platform"),
        account_id=pk,
        takeover_at__isnull=False,
    )
    if not rights.may_edit_post(request.user, record.account.owning_post):
        raise PermissionDenied  # another country's
    return record


@require_POST
def still_ours(request: HttpRequest, pk: int) -> HttpResponse:
    """The new identity is the ministry's after all: it becomes the known one, the flag is
    cleared and the address is official again."""
    record = _flagged_account(request, pk)
    account = record.account
    if not may_accept(request.user, account):
        raise PermissionDenied
    accept_identity(record)
    messages.success(
        request,
        _("“%(account)s”: the new identity is accepted as the account's.") % {"account": account},
    )
    return redirect(queue_url())


def accept_identity(record: AccountIdentity) -> None:
    """Store the identity found instead as the known one and clear the flag (a widening of
    what the public sees: announced at once)."""
    with transaction.atomic():
        if record.account.platform_identity:
            # The editor's identity would flag the address again at the next check.
            SocialAccount.objects.filter(pk=record.account_id).update(
                platform_identity=record.takeover_identity
            )
        record.identity = record.takeover_identity
        record.first_seen_at = timezone.now()
        record.takeover_at, record.takeover_identity = None, ""
        record.save()
        public_content_changed.send(sender=AccountIdentity)


@require_POST
def close_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare a draft of the account with status closed, and open it for review."""
    record = _flagged_account(request, pk)
    account = record.account
    if not may_close(request.user, account):
        raise PermissionDenied
    if not _has_draft(account, SocialAccount.Status.CLOSED):
        prepare_status_draft(account, SocialAccount.Status.CLOSED, user=request.user)
    messages.success(
        request,
        _("A draft closing “%(account)s” is prepared: submit or publish it.")
        % {"account": account},
    )
    return redirect(edit_url(account))


# Telling the press desk -----------------------------------------------------------------------


def press_desk() -> list[User]:
    """Whoever keeps accounts, with an e-mail address (loaded once per run: each user's
    permissions are then read once)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return [user for user in users if may_keep_accounts(user)]


def notify(takeovers: Iterable[int], renames: Iterable[int]) -> int:
    """E-mail each member of the press desk what this run found within their reach, in their
    admin language; how many e-mails were sent."""
    found = {"takeovers": list(takeovers), "renames": list(renames)}
    if not any(found.values()):
        return 0
    records = {
        record.account_id: record
        for record in AccountIdentity.objects.filter(
            account__in=found["takeovers"] + found["renames"]
        ).select_related("account__platform", "account__post", "account__person__post")
    }
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    desk = press_desk()
    by_user: dict[Any, dict[str, list[dict[str, Any]]]] = {}
    for kind, ids in found.items():
        for account_id in ids:
            record = records.get(account_id)
            if record is None:
                continue
            item = {
                "record": record,
                "account": record.account,
                "url": base + edit_url(record.account),
            }
            for user in desk:
                if not rights.may_edit_post(user, record.account.owning_post):
                    continue
                by_user.setdefault(user, {"takeovers": [], "renames": []})[kind].append(item)
    sender = getattr(settings, "WAGTAILADMIN_NOTIFICATION_FROM_EMAIL", None)
    sent = 0
    for user, items in by_user.items():
        with override(admin_language(user)):
            subject = gettext(
                "Atlas identity check: %(takeovers)d taken over, %(renames)d renamed"
            ) % {
                "takeovers": len(items["takeovers"]),
                "renames": len(items["renames"]),
            }
            body = render_to_string(
                "atlas_pages/admin/identity_mail.txt",
                {**items, "user": user, "queue_url": base + queue_url()},
            )
        try:
            sent += send_mail(subject, body, sender, [user.email])
        except OSError:  # an unreachable mail server: the queue still shows it all
            logger.exception("The identity check's e-mail to %s was not sent", user.pk)
    return sent
