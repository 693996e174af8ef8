"""The admin panels of the page models, named here and built by the admin: the models import
neither the admin nor the atlas's editorial layer (as wagtail/models/panels.py does for Page).

Each function returns a `PanelPlaceholder`, which Wagtail's admin turns into the real panel when
it binds the page's panels to the model (wagtail.admin.panels.model_utils.expand_panel_list)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.models import PanelPlaceholder

#: Panels may be placeholders, field names or (in the admin) panels.
PanelDefinition = PanelPlaceholder | str

#: The help of a post's or an account's contact (ContactMixin), in both their edit forms.
CONTACT_HELP = _(
    "Who is asked to review the accounts when they come due: an admin user or a team address "
    "(one of the two). An account without a contact of its own goes to its post's. Never "
    "shown to the public."
)


def field_row(children: list[PanelDefinition], **kwargs: Any) -> PanelPlaceholder:
    """Fields side by side (Wagtail's FieldRowPanel)."""
    return PanelPlaceholder("wagtail.admin.panels.FieldRowPanel", [children], kwargs)


def multi_field(children: list[PanelDefinition], **kwargs: Any) -> PanelPlaceholder:
    """Fields grouped under a heading (Wagtail's MultiFieldPanel)."""
    return PanelPlaceholder("wagtail.admin.panels.MultiFieldPanel", [children], kwargs)


def location(field_name: str, **kwargs: Any) -> PanelPlaceholder:
    """A point on the map with the offline place finder (atlas_pages.editorial.panels)."""
    return PanelPlaceholder("atlas_pages.editorial.panels.LocationPanel", [field_name], kwargs)


def post_desk(**kwargs: Any) -> PanelPlaceholder:
    """A post's accounts and people with their editorial state (atlas_pages.editorial.panels)."""
    return PanelPlaceholder("atlas_pages.editorial.panels.PostDeskPanel", [], kwargs)


def post_coverage(**kwargs: Any) -> PanelPlaceholder:
    """A post's platforms, listed, confirmed none or unknown, with "Confirm none" and "Undo"
    (atlas_pages.editorial.confirmed_none)."""
    return PanelPlaceholder("atlas_pages.editorial.confirmed_none.PostCoveragePanel", [], kwargs)


def post_attestation(**kwargs: Any) -> PanelPlaceholder:
    """A post's last attestation "these are all our accounts" and the button to attest anew
    (atlas_pages.editorial.attestations)."""
    return PanelPlaceholder("atlas_pages.editorial.attestations.AttestationPanel", [], kwargs)


def wikidata(field_name: str, **kwargs: Any) -> PanelPlaceholder:
    """A Wikidata id with a link to its item (atlas_pages.editorial.panels)."""
    return PanelPlaceholder("atlas_pages.editorial.panels.WikidataPanel", [field_name], kwargs)
