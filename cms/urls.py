from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from atlas_pages import views as atlas_views
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

# The visitor site, per language: /nl/... (the default) and /en/...; / redirects to the
# visitor's language, other unprefixed page paths are redirected by LocaleMiddleware. Search,
# then the page tree of the URL's language (atlas_views.serve_page: Wagtail's view, routed per
# language) and Wagtail's other front-end routes (password-protected pages, login).
#: First path segments of the unprefixed routes above: never a page path, so that their 404s
#: stay 404s instead of LocaleMiddleware redirecting them to /nl/...
UNPREFIXED = ("admin", "documents", "graphql", "static", "media")
page_pattern = wagtail_urls.serve_pattern.replace("^", f"^(?!(?:{'|'.join(UNPREFIXED)})/)", 1)
wagtail_other_urls = [url for url in wagtail_urls.urlpatterns if url.name != "wagtail_serve"]
urlpatterns += [path("", atlas_views.root_redirect, name="root")]
urlpatterns += i18n_patterns(
    path("search/", atlas_views.search, name="search"),
    path("", include(wagtail_other_urls)),
    re_path(page_pattern, atlas_views.serve_page, name="wagtail_serve"),
    prefix_default_language=True,
)

#: An unreachable database is an outage (503, Retry-After), not a server error.
handler500 = outage.server_error
