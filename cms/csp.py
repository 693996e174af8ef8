"""The Content-Security-Policy: strict on the visitor site, relaxed where others' pages need it.

The site and its maps load only this site's own scripts and styles (settings
`CONTENT_SECURITY_POLICY`). Wagtail's admin writes inline scripts (date and inline-panel widgets)
and style attributes, and frames its own previews; strawberry's GraphiQL page is one inline
script and style: for those paths `ATLAS_CSP_RELAXED` replaces the directives it names.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class AtlasCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with `ATLAS_CSP_RELAXED` on the `ATLAS_CSP_RELAXED_PATHS`."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(tuple(settings.ATLAS_CSP_RELAXED_PATHS)):
            # A view's own csp_replace decorator still wins.
            parts.replace = {**settings.ATLAS_CSP_RELAXED, **(parts.replace or {})}
        return parts
