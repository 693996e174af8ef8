"""The atlas's admin menu items: the coverage report and the press desk's queues (under
Reports: review, identity checks, attestations due, impersonator reports, leads, handovers)
for whoever keeps accounts, and the bulk import of accounts for whoever may add them."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from atlas_pages.editorial import identity_desk, upkeep
from atlas_pages.editorial.import_view import ADD_PERMISSION
from atlas_pages.editorial.permissions import may_keep_accounts


class AccountKeepersMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_keep_accounts(request.user)


class ImportAccountsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(ADD_PERMISSION)


def coverage_menu_item() -> MenuItem:
    return AccountKeepersMenuItem(
        _("Coverage"), reverse("atlas_coverage"), name="atlas-coverage", icon_name="table", order=50
    )


def review_queue_menu_item() -> MenuItem:
    return AccountKeepersMenuItem(
        _("Review queue"),
        upkeep.queue_url(),
        name="atlas-review-queue",
        icon_name="tasks",
        order=60,
    )


def identity_queue_menu_item() -> MenuItem:
    """Accounts taken over or renamed on their platform (atlas_pages.editorial.identity_desk)."""
    return AccountKeepersMenuItem(
        _("Identity checks"),
        identity_desk.queue_url(),
        name="atlas-identity-queue",
        icon_name="warning",
        order=70,
    )


def import_accounts_menu_item() -> MenuItem:
    return ImportAccountsMenuItem(
        _("Import accounts"), reverse("import_accounts"), icon_name="upload", order=210
    )


def attestations_menu_item() -> MenuItem:
    """Posts without a current attestation (atlas_pages.editorial.attestations)."""
    return AccountKeepersMenuItem(
        _("Attestations due"),
        reverse("atlas_attestations_due"),
        name="atlas-attestations-due",
        icon_name="tick",
        order=65,
    )


def impersonators_menu_item() -> MenuItem:
    """Reported impersonators (atlas_pages.editorial.impersonators)."""
    return AccountKeepersMenuItem(
        _("Impersonator reports"),
        reverse("atlas_impersonators"),
        name="atlas-impersonators",
        icon_name="warning",
        order=70,
    )


def leads_menu_item() -> MenuItem:
    """Profiles found on the posts' websites and not listed (atlas_pages.editorial.leads_desk)."""
    return AccountKeepersMenuItem(
        _("Leads"), reverse("atlas_leads"), name="atlas-leads", icon_name="search", order=75
    )


def handovers_menu_item() -> MenuItem:
    """Ended terms of heads of post to hand over (atlas_pages.editorial.handovers)."""
    return AccountKeepersMenuItem(
        _("Handovers"),
        reverse("atlas_handovers"),
        name="atlas-handovers",
        icon_name="user",
        order=77,
    )


def wikidata_matches_menu_item() -> MenuItem:
    """Proposed Wikidata ids to confirm or reject (atlas_pages.editorial.wikidata_desk)."""
    return AccountKeepersMenuItem(
        _("Wikidata matches"),
        reverse("atlas_wikidata_matches"),
        name="atlas-wikidata-matches",
        icon_name="link",
        order=80,
    )


def wikidata_report_menu_item() -> MenuItem:
    """Wikidata's account claims against the atlas (atlas_pages.editorial.wikidata_desk)."""
    return AccountKeepersMenuItem(
        _("Wikidata report"),
        reverse("atlas_wikidata_report"),
        name="atlas-wikidata-report",
        icon_name="link",
        order=81,
    )
