"""The admin URLs of the atlas's own views: the place finder's gazetteer, the coverage report
and the bulk import of accounts (under /admin/atlas/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from atlas_pages.editorial import gazetteer
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
        path("atlas/import-accounts/", ImportAccountsView.as_view(), name="import_accounts"),
    ]
