"""The visitor site's own addresses, besides Wagtail's page tree: search, verify, the open-data
page and files, the changes feed, and the redirect of / to the visitor's language.

``urlpatterns`` go under each language prefix (/nl/..., /en/...): cms/urls.py includes them in
``i18n_patterns`` before Wagtail's catch-all. ``unprefixed_urlpatterns`` stay outside the
prefixes: the root and the open-data files (one address per file, the language in ?lang=).
"""

from __future__ import annotations

from django.urls import path, re_path
from django.utils.translation import gettext_lazy as _

from atlas_pages.site import (
    catalogue,
    languages,
    open_data,
    reconcile,
    releases,
    report,
    search,
    verify,
)
from atlas_pages.site.feeds import ChangesFeed

EXPORT_NAMES = "|".join(name.replace(".", r"\.") for name in open_data.FILES)

unprefixed_urlpatterns = [
    path("", languages.root_redirect, name="root"),
    re_path(rf"^export/(?P<name>{EXPORT_NAMES})$", open_data.export, name="export"),
    # The DCAT-AP catalogue (atlas_pages/site/catalogue.py), cached with the other files.
    re_path(r"^export/catalog\.(?P<suffix>jsonld|rdf)$", catalogue.catalogue, name="catalogue"),
    # Dated releases, served from the releases storage (atlas_pages/site/releases.py).
    re_path(
        r"^releases/(?P<day>\d{4}-\d{2}-\d{2})/(?P<language>[a-z-]{2,8})/(?P<name>[\w.-]{1,100})$",
        releases.release_file,
        name="release_file",
    ),
]

urlpatterns = [
    path("search/", search.search, name="search"),
    # Translated paths: /nl/controleer/, /en/verify/.
    path(_("verify/"), verify.verify, name="verify"),
    # Reporting an impersonator: /nl/melden/, /en/report/ (atlas_pages/site/report.py).
    path(_("report/"), report.report, name="report_impersonator"),
    path(_("report/thanks/"), report.thanks, name="report_impersonator_thanks"),
    path("open-data/", open_data.open_data_page, name="open_data"),
    # The reconciliation service OpenRefine speaks (atlas_pages/site/reconcile.py).
    path("reconcile/", reconcile.reconcile, name="reconcile"),
    path("reconcile/preview/", reconcile.preview, name="reconcile_preview"),
    path("reconcile/view/<str:account_id>/", reconcile.view, name="reconcile_view"),
    path("changes.atom", ChangesFeed(), name="changes_feed"),
]
