from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from atlas_pages.site import urls as site_urls
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

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The visitor site (atlas_pages/site/urls.py). Outside the language prefixes: / redirects to
# the visitor's language, and the open-data files. Per language, /nl/... (the default) and
# /en/...: the site's own pages, then Wagtail's page tree with Django's i18n_patterns, as
# Wagtail's i18n documentation sets it up (atlas_pages.site.languages keeps each language in its
# own tree); other unprefixed paths are redirected by LocaleMiddleware.
urlpatterns += [path("", include(site_urls.unprefixed_urlpatterns))]
urlpatterns += i18n_patterns(
    path("", include(site_urls)),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

#: An unreachable database is an outage (503, Retry-After), not a server error.
handler500 = outage.server_error
