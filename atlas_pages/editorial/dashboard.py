"""The dashboard's panels of the atlas: the press desk (what awaits the user) and the upkeep of
the atlas (accounts awaiting moderation, due for review, with broken links)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from wagtail.admin.ui.components import Component

from atlas_pages.editorial.permissions import may_keep_accounts
from atlas_pages.editorial.pressdesk import dashboard, upkeep_rows


class PressDeskPanel(Component):
    """The dashboard's press desk: what awaits the user, with links to the lists it counts."""

    name = "press_desk"
    template_name = "atlas_pages/admin/press_desk_panel.html"
    order = 50  # before Wagtail's own panels

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        context.update(dashboard(parent_context["request"].user))
        return context


class UpkeepPanel(Component):
    """The dashboard's upkeep of the atlas: accounts awaiting moderation, due for review and
    with broken links, each linking to the list it counts."""

    name = "atlas_upkeep"
    template_name = "atlas_pages/admin/upkeep_panel.html"
    order = 60  # after the press desk

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        context["rows"] = upkeep_rows()
        return context


def add_press_desk_panel(request: HttpRequest, panels: list[Component]) -> None:
    """The `construct_homepage_panels` hook: the press desk for everyone."""
    panels.append(PressDeskPanel())


def add_upkeep_panel(request: HttpRequest, panels: list[Component]) -> None:
    """The `construct_homepage_panels` hook: the upkeep for whoever keeps accounts."""
    if may_keep_accounts(request.user):
        panels.append(UpkeepPanel())
