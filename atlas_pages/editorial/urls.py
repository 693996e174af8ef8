"""The admin URLs of the atlas's own views: the place finder's gazetteer, the coverage report
and the bulk import of accounts (under /admin/atlas/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from atlas_pages.editorial import confirmed_none, gazetteer, identity_desk
from atlas_pages.editorial.coverage import CoverageReportView
from atlas_pages.editorial.import_view import ImportAccountsView


def admin_urls() -> list[URLPattern]:
    return [
        path("atlas/places.json", gazetteer.places, name="atlas_places"),
        path("atlas/coverage/", CoverageReportView.as_view(), name="atlas_coverage"),
        path(
            "atlas/coverage/results/",
            CoverageReportView.as_view(results_only=True),
            name="atlas_coverage_results",
        ),
        path(
            "atlas/coverage/confirm-none/", confirmed_none.confirm_none, name="atlas_confirm_none"
        ),
        path("atlas/coverage/undo-none/", confirmed_none.undo_none, name="atlas_undo_none"),
        path("atlas/import-accounts/", ImportAccountsView.as_view(), name="import_accounts"),
        path(
            "atlas/identities/",
            identity_desk.IdentityQueueView.as_view(),
            name="atlas_identity_queue",
        ),
        path(
            "atlas/identities/<int:pk>/still-ours/",
            identity_desk.still_ours,
            name="atlas_identity_still_ours",
        ),
        path(
            "atlas/identities/<int:pk>/close/",
            identity_desk.close_account,
            name="atlas_identity_close",
        ),
    ]
