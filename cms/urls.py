from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from atlas_pages.site import languages, open_data, verify
from atlas_pages.site import search as atlas_views
from atlas_pages.site.feeds import ChangesFeed
from cms import outage
from graphql_api.views import graphql_view  # GraphQL API

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

# GraphQL API (graphql_api/): above Wagtail's catch-all. Without the slash too: a client's
# POST cannot follow APPEND_SLASH's redirect.
urlpatterns += [
    path("graphql/", graphql_view, name="graphql"),
    path("graphql", graphql_view),
]
# End GraphQL API

# Open data (atlas_pages/site/open_data.py): one address per file, the language in ?lang=.
EXPORT_NAMES = "|".join(name.replace(".", r"\.") for name in open_data.EXPORTS)
urlpatterns += [re_path(rf"^export/(?P<name>{EXPORT_NAMES})$", open_data.export, name="export")]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The visitor site, per language: /nl/... (the default) and /en/...; / redirects to the
# visitor's language, other unprefixed paths are redirected by LocaleMiddleware. Search, then
# Wagtail's page tree with Django's i18n_patterns, as Wagtail's i18n documentation sets it up
# (atlas_pages.site.languages keeps each language in its own tree).
urlpatterns += [path("", languages.root_redirect, name="root")]
urlpatterns += i18n_patterns(
    path("search/", atlas_views.search, name="search"),
    # Translated paths: /nl/controleer/, /en/verify/.
    path(_("verify/"), verify.verify, name="verify"),
    path("open-data/", open_data.open_data_page, name="open_data"),
    path("changes.atom", ChangesFeed(), name="changes_feed"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

#: An unreachable database is an outage (503, Retry-After), not a server error.
handler500 = outage.server_error
