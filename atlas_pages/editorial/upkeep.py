"""Keeping the atlas current: when an account was last reviewed by the press desk ("mark
reviewed", also as a bulk action on the account list) and which accounts are due again.

Reviewing is bookkeeping: it writes two columns with a plain UPDATE, so it makes no revision,
sends no save signal and changes nothing the public sees (the publication generation stands).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from atlas_pages.models import LinkCheck, SocialAccount

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def max_age() -> timedelta:
    """How long a review holds (ATLAS_REVIEW_MAX_AGE_DAYS, about six months by default)."""
    return timedelta(days=settings.ATLAS_REVIEW_MAX_AGE_DAYS)


def due_since() -> datetime:
    return timezone.now() - max_age()


def review_due(queryset: QuerySet[SocialAccount]) -> QuerySet[SocialAccount]:
    """Accounts never reviewed, or last reviewed longer ago than the maximum age."""
    return queryset.filter(Q(last_reviewed_at__isnull=True) | Q(last_reviewed_at__lt=due_since()))


def is_due(account: SocialAccount) -> bool:
    return account.last_reviewed_at is None or account.last_reviewed_at < due_since()


def with_broken_link(queryset: QuerySet[SocialAccount]) -> QuerySet[SocialAccount]:
    """Accounts whose latest link check found the profile gone or unreachable."""
    return queryset.filter(
        pk__in=LinkCheck.objects.filter(LinkCheck.broken_condition()).values("account_id")
    )


def mark_reviewed(accounts: Iterable[SocialAccount], user: User) -> int:
    """Record that `user` reviewed the accounts now; the number marked."""
    return SocialAccount.objects.filter(pk__in=[account.pk for account in accounts]).update(
        last_reviewed_at=timezone.now(), last_reviewed_by=user
    )


def queue_url() -> str:
    """The review queue: the account list of accounts due, never reviewed first."""
    url = reverse(SocialAccount.snippet_viewset.get_url_name("list"))
    return f"{url}?{urlencode({'review': 'due', 'ordering': 'last_reviewed_at'})}"


def mark_reviewed_url(account: SocialAccount, next_url: str) -> str:
    """The confirmation of "mark reviewed" for one account (the bulk action with one id)."""
    url = reverse(
        "wagtail_bulk_action",
        args=(SocialAccount._meta.app_label, SocialAccount._meta.model_name, "mark-reviewed"),
    )
    return f"{url}?{urlencode({'id': account.pk, 'next': next_url})}"
