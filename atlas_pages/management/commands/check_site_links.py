"""Record which accounts the posts' official websites link to: evidence they are the post's."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from atlas_pages.outbound import site_links


class Command(BaseCommand):
    help = (
        "Read each live post's website (PostPage.website) where its robots.txt allows, and "
        "record for each of the post's live accounts (and its people's) that the site links "
        "to that it was seen there, when (AccountEvidence: linked from the post's official "
        "website). Share buttons are not profiles. Safe to run again: one record per account, "
        "kept up to date. Run daily (the scheduler does, every ATLAS_SITE_LINKS_INTERVAL s)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = site_links.sweep()
        if options["verbosity"]:
            self.stdout.write(f"Site links: {summary}.")
