"""Check who is behind each account's address: takeovers flagged at once, renames prepared as
drafts for the press desk, and the press desk told."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from atlas_pages.editorial import identity_desk
from atlas_pages.outbound import identity


class Command(BaseCommand):
    help = (
        "Read each live account's identity where its platform shows it openly (Mastodon's "
        "account URI, Bluesky's DID, YouTube's channel id, a feed's id). Another identity at "
        "the address is a takeover: flagged at once, the public atlas stops calling it "
        "official. The known identity at a new address is a rename: a draft is prepared for "
        "the press desk to approve. The press desk is e-mailed about both. One failing "
        "account never stops the run; the summary counts failures by reason."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = identity.check_all()
        drafts = identity_desk.prepare_renames(summary.renames)
        identity_desk.notify(takeovers=summary.takeovers, renames=summary.renames)
        if options["verbosity"]:
            self.stdout.write(f"Identities: {summary}; rename drafts prepared {drafts}.")
