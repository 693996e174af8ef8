"""File the profiles the posts' websites and the ministry's central pages link to that the atlas
does not list yet: leads for the press desk."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from atlas_pages.outbound import leads


class Command(BaseCommand):
    help = (
        "Read each live post's website (PostPage.website) and the ministry's central pages "
        "(ATLAS_LEAD_SOURCES) where their robots.txt allows, and file each social-media "
        "profile they link to that no account in the atlas has (live or draft) as a lead in "
        "the press desk's queue (Reports › Leads). Share buttons are not profiles; a rejected "
        "lead never returns. Safe to run again: one lead per profile. The scheduler runs it "
        "every ATLAS_LEADS_INTERVAL s."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = leads.sweep()
        if options["verbosity"]:
            self.stdout.write(f"Leads: {summary}.")
