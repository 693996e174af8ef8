"""An editor's confirmation that an account is the ministry's: "Confirm as the ministry's" on an
account's edit view (the verification kit's button) and as a bulk action of the account list.

Whoever may change the account (the model's "change" permission, within their country's reach:
atlas_pages.editorial.rights) may confirm it. Confirming is bookkeeping, not revision content:
it records who and when (AccountEvidence EDITOR, one row per account, renewed by each
confirmation) with no revision and no review. It changes what the public sees (the evidence
line of the verify page and the API), so it announces public_content_changed: caches follow.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from atlas_pages.editorial.bulk_actions import EditorialBulkAction, MarkReviewedBulkAction
from atlas_pages.models import AccountEvidence, EditorialSnippet, SocialAccount
from atlas_pages.models.signals import public_content_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: The bulk action's name in its URL.
CONFIRM_ACTION = "confirm-official"


def confirm_by_editor(accounts: Iterable[SocialAccount], user: User) -> int:
    """Record that `user` confirmed the accounts as the ministry's now; the number confirmed."""
    now = timezone.now()
    count = 0
    for account in accounts:
        AccountEvidence.objects.update_or_create(
            account=account,
            kind=AccountEvidence.Kind.EDITOR,
            defaults={"detail": "", "confirmed_at": now, "confirmed_by": user},
        )
        count += 1
    if count:
        public_content_changed.send(sender=AccountEvidence)
    return count


def confirm_url(account: SocialAccount, next_url: str) -> str:
    """The confirmation page of "Confirm as the ministry's" for one account (the bulk action
    with one id), back to `next_url` afterwards."""
    url = reverse(
        "wagtail_bulk_action",
        args=(SocialAccount._meta.app_label, SocialAccount._meta.model_name, CONFIRM_ACTION),
    )
    return f"{url}?{urlencode({'id': account.pk, 'next': next_url})}"


class ConfirmOfficialBulkAction(EditorialBulkAction):
    """ "Confirm as the ministry's" on the selected accounts, for everyone who may change them
    (an editor's lock does not stand in the way: no content changes)."""

    display_name = _("Confirm as the ministry's")
    action_type = CONFIRM_ACTION
    aria_label = _("Confirm the selected accounts as the ministry's")
    # After the workflow's actions (approve, publish), which the bar shows first; in "More".
    action_priority = 60
    question = _(
        "Confirm that these accounts are the ministry's? Your name and today's date are "
        "recorded as evidence; the accounts' content stays as it is."
    )
    no_access = _("You may not confirm these accounts:")
    models: ClassVar[list[type[EditorialSnippet]]] = [SocialAccount]

    #: "Select all in listing" takes the listing's filters along, as "Mark reviewed" does.
    get_all_objects_in_listing_query = MarkReviewedBulkAction.get_all_objects_in_listing_query

    def check_perm(self, obj: SocialAccount) -> bool:
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    @classmethod
    def execute_action(
        cls, objects: list[SocialAccount], user: User | None = None, **kwargs: Any
    ) -> tuple[int, int]:
        return confirm_by_editor(objects, user), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d account confirmed as the ministry's.",
            "%(count)d accounts confirmed as the ministry's.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
