"""Review reminders: when accounts come due for review (atlas_pages.editorial.upkeep), each
contact gets one e-mail listing everything of theirs that is due, in their admin language;
what stays due for ATLAS_REMINDER_GRACE_DAYS after that goes to the post's editors, again in
one e-mail each. Run by `manage.py send_review_reminders` (the scheduler: every
ATLAS_REMINDER_INTERVAL seconds).

Whose an account is: its own contact, else its post's (the post of its person for a personal
account); a user contact who is inactive or has no e-mail address counts as none. An account
without any contact goes to the post's editors at once: nobody else would hear of it.

Once per due set: every account named in an e-mail is recorded (ReminderSent: account, stage,
recipient, due period), and a recipient is written to again only when something new of theirs
came due. A review starts a new due period. Only live accounts are reminded of: a draft never
published (or an unpublished account) is not in the atlas, so there is nothing to keep current.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, override
from wagtail.models import GroupPagePermission

from atlas_pages.editorial import rights, upkeep
from atlas_pages.editorial.notifications import admin_language
from atlas_pages.editorial.permissions import may_keep_accounts
from atlas_pages.editorial.pressdesk import edit_url
from atlas_pages.models import PostPage, ReminderSent, SocialAccount

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

Stage = ReminderSent.Stage


def grace() -> timedelta:
    """How long a contact has after their reminder before the post's editors are told."""
    return timedelta(days=settings.ATLAS_REMINDER_GRACE_DAYS)


@dataclass(frozen=True)
class Recipient:
    """A user (in their admin language) or a team address (in the site's default language)."""

    #: "user:<pk>", or the address: what ReminderSent records.
    key: str
    email: str
    language: str
    name: str = ""

    @classmethod
    def of_user(cls, user: User) -> Recipient:
        return cls(
            key=f"user:{user.pk}",
            email=user.email,
            language=admin_language(user),
            name=user.get_full_name() or user.get_username(),
        )

    @classmethod
    def of_address(cls, address: str) -> Recipient:
        return cls(key=address.lower(), email=address, language=settings.LANGUAGE_CODE)


def contact_of(account: SocialAccount) -> Recipient | None:
    """The account's contact, else its post's; None when neither names one who can be
    written to."""
    for holder in (account, account.owning_post):
        if holder is None:
            continue
        user = holder.contact_user
        if user is not None and user.is_active and user.email:
            return Recipient.of_user(user)
        if holder.contact_email:
            return Recipient.of_address(holder.contact_email)
    return None


def period_of(account: SocialAccount) -> str:
    """The due period: the review it follows ("" for never reviewed)."""
    return account.last_reviewed_at.isoformat() if account.last_reviewed_at else ""


class Editors:
    """The users with edit rights for a post (atlas_pages.editorial.rights) who keep accounts
    and have an e-mail address: group members with page rights reaching it. Superusers
    without such a group are not written to. Loaded once per run."""

    def __init__(self) -> None:
        groups = GroupPagePermission.objects.filter(permission__codename="change_page").values(
            "group"
        )
        users = (
            get_user_model()
            .objects.filter(is_active=True, groups__in=groups)
            .exclude(email="")
            .distinct()
            .order_by("pk")
        )
        self.users = [user for user in users if may_keep_accounts(user)]
        self.by_post: dict[int | None, list[User]] = {}

    def of(self, post: PostPage | None) -> list[User]:
        key = post.pk if post else None
        if key not in self.by_post:
            self.by_post[key] = [user for user in self.users if rights.may_edit_post(user, post)]
        return self.by_post[key]


@dataclass
class Digest:
    """One e-mail: a recipient and the accounts it names."""

    recipient: Recipient
    stage: str
    accounts: list[SocialAccount] = field(default_factory=list)
    #: Whether any of them has not been named to this recipient in its due period.
    new: bool = False


@dataclass
class Summary:
    reminders: int = 0
    escalations: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.reminders} reminder(s) and {self.escalations} escalation(s) sent, "
            f"{self.failed} failed"
        )


def due_accounts() -> list[SocialAccount]:
    """The live accounts due for review, with what the e-mails name, by post and platform."""
    accounts = upkeep.review_due(SocialAccount.objects.filter(live=True)).select_related(
        "platform", "contact_user", "post__contact_user", "person__post__contact_user"
    )

    def order(account: SocialAccount) -> tuple:
        post = account.owning_post
        where = (post.title, post.pk) if post else ("", 0)
        return (*where, account.platform.sort_order, account.handle.lower(), account.pk)

    return sorted(accounts, key=order)


def plan(now: datetime | None = None) -> list[Digest]:
    """The e-mails this run would send: a digest per contact and per escalated-to editor with
    something new in it (each listing everything of theirs that is due)."""
    now = now or timezone.now()
    accounts = due_accounts()
    sent: dict[tuple[int, str, str], set[str]] = {}
    reminded_at: dict[tuple[int, str], datetime] = {}
    for row in ReminderSent.objects.filter(account__in=[a.pk for a in accounts]).values(
        "account_id", "stage", "recipient", "period", "sent_at"
    ):
        sent.setdefault((row["account_id"], row["stage"], row["period"]), set()).add(
            row["recipient"]
        )
        if row["stage"] == Stage.CONTACT:
            key = (row["account_id"], row["period"])
            reminded_at[key] = min(reminded_at.get(key, row["sent_at"]), row["sent_at"])
    digests: dict[tuple[str, str], Digest] = {}

    def add(recipient: Recipient, stage: str, account: SocialAccount) -> None:
        digest = digests.setdefault(
            (stage, recipient.key), Digest(recipient=recipient, stage=stage)
        )
        digest.accounts.append(account)
        named = sent.get((account.pk, stage, period_of(account)), set())
        digest.new = digest.new or recipient.key not in named

    editors = Editors()
    for account in accounts:
        contact = contact_of(account)
        if contact is not None:
            add(contact, Stage.CONTACT, account)
        reminded = reminded_at.get((account.pk, period_of(account)))
        if contact is None or (reminded is not None and reminded <= now - grace()):
            for user in editors.of(account.owning_post):
                if contact is None or contact.key != f"user:{user.pk}":
                    add(Recipient.of_user(user), Stage.ESCALATION, account)
    return [digest for digest in digests.values() if digest.new]


def send_review_reminders(now: datetime | None = None) -> Summary:
    """Send this run's digests and record what each named; one failing address never stops
    the others (and is tried again next run, since nothing was recorded for it)."""
    now = now or timezone.now()
    summary = Summary()
    for digest in plan(now):
        subject, body = compose(digest)
        try:
            send_mail(subject, body, None, [digest.recipient.email])
        except OSError:  # an unreachable mail server: the next run tries again
            logger.exception("The review reminder to %s was not sent", digest.recipient.key)
            summary.failed += 1
            continue
        record(digest, now)
        if digest.stage == Stage.CONTACT:
            summary.reminders += 1
        else:
            summary.escalations += 1
    return summary


def record(digest: Digest, now: datetime) -> None:
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(
                account=account,
                stage=digest.stage,
                recipient=digest.recipient.key,
                period=period_of(account),
                sent_at=now,
            )
            for account in digest.accounts
        ],
        ignore_conflicts=True,
    )


def compose(digest: Digest) -> tuple[str, str]:
    """The e-mail's subject and text, in the recipient's language."""
    count = len(digest.accounts)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with override(digest.recipient.language):
        if digest.stage == Stage.CONTACT:
            subject = ngettext(
                "Atlas: %(count)d account is due for review",
                "Atlas: %(count)d accounts are due for review",
                count,
            ) % {"count": count}
            intro = gettext(
                "These accounts, of which you are the contact, are due for review. Open each, "
                "check that it is still right (address, owner, status), and choose “Mark "
                "reviewed”:"
            )
        else:
            subject = ngettext(
                "Atlas: %(count)d account of your posts was not reviewed in time",
                "Atlas: %(count)d accounts of your posts were not reviewed in time",
                count,
            ) % {"count": count}
            intro = gettext(
                "These accounts of posts you edit are due for review, and their contact has "
                "not reviewed them within %(days)d days (or they have no contact). Review them, "
                "or name a contact who will:"
            ) % {"days": settings.ATLAS_REMINDER_GRACE_DAYS}
        greeting = (
            gettext("Hello %(name)s,") % {"name": digest.recipient.name}
            if digest.recipient.name
            else gettext("Hello,")
        )
        lines = [greeting, "", intro, ""]
        for account in digest.accounts:
            lines.extend(item_lines(account, base))
        lines.append(
            gettext("All accounts due for review: %(url)s") % {"url": base + upkeep.queue_url()}
        )
        return subject, "\n".join(lines) + "\n"


def item_lines(account: SocialAccount, base: str) -> Iterable[str]:
    owner = account.owner
    if account.last_reviewed_at:
        reviewed = gettext("last reviewed on %(date)s") % {
            "date": date_format(timezone.localtime(account.last_reviewed_at), "DATE_FORMAT")
        }
    else:
        reviewed = gettext("never reviewed")
    yield f"- {account.platform.name} {account.handle} ({owner}; {reviewed})"
    yield f"  {base}{edit_url(account)}"
    yield ""
