"""Django's LocaleMiddleware, except for the routes outside the language prefixes."""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware

#: First path segments of the unprefixed routes (cms/urls.py): never a page path.
UNPREFIXED = ("/admin/", "/documents/", "/graphql", "/static/", "/media/", "/export/")


class AtlasLocaleMiddleware(LocaleMiddleware):
    """A 404 under /graphql/, /static/ and the other unprefixed routes stays a 404: Django's
    middleware would redirect it to /nl/graphql/..., a page path that cannot exist."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED):
            return response
        return super().process_response(request, response)
