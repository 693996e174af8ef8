"""The Content-Security-Policy: strict on the visitor site, relaxed where others' pages need it.

The site and its maps load only this site's own scripts and styles (settings
`CONTENT_SECURITY_POLICY`). Wagtail's admin writes inline scripts (date and inline-panel widgets)
and style attributes: for its paths `ATLAS_CSP_RELAXED` replaces the directives it names
(GraphiQL, templates/graphql/graphiql.html, needs no inline code). Previews render a site page
for the admin's preview panel, which frames it: they may be framed by this site
(`ATLAS_CSP_PREVIEW`).
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class AtlasCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with `ATLAS_CSP_RELAXED` on the `ATLAS_CSP_RELAXED_PATHS` and
    `ATLAS_CSP_PREVIEW` on Wagtail's previews."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(tuple(settings.ATLAS_CSP_RELAXED_PATHS)):
            replace = settings.ATLAS_CSP_RELAXED
        elif getattr(request, "is_preview", False):  # Wagtail's flag on its preview requests
            replace = settings.ATLAS_CSP_PREVIEW
        else:
            return parts
        # A view's own csp_replace decorator still wins.
        parts.replace = {**replace, **(parts.replace or {})}
        return parts
