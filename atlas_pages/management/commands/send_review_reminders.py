"""manage.py send_review_reminders: the review reminders and their escalation."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from atlas_pages.editorial import reminders


class Command(BaseCommand):
    help = (
        "E-mail each contact one digest of their accounts due for review (an account without "
        "a contact of its own goes to its post's contact), in their admin language (a team "
        "address: the site's default language), with links to each account's edit view. "
        "Accounts still due ATLAS_REMINDER_GRACE_DAYS after the reminder, or without any "
        "contact, go to the post's editors, one digest each. Idempotent: a recipient is written "
        "to again only when something new of theirs came due. The scheduler runs it every "
        "ATLAS_REMINDER_INTERVAL seconds."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = reminders.send_review_reminders()
        if options["verbosity"]:
            self.stdout.write(f"Review reminders: {summary}.")
