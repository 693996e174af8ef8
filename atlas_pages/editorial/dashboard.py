"""The dashboard's panels of the atlas: the press desk (what awaits the user) and the upkeep of
the atlas (accounts awaiting moderation, due for review, with broken links); and Wagtail's
moderation panels, with the context of each account or person loaded for all at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import (
    UserObjectsInWorkflowModerationPanel,
    WorkflowObjectsToModeratePanel,
)

from atlas_pages.editorial import identity_desk
from atlas_pages.editorial.permissions import may_keep_accounts
from atlas_pages.editorial.pressdesk import dashboard, upkeep_rows, with_desk_context


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
        context["rows"].append(identity_desk.dashboard_row(parent_context["request"].user))
        return context


class ObjectsToModeratePanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "Awaiting your review", whose rows name each object's post, country and
    platform (templates/wagtailadmin/home/workflow_objects_to_moderate.html)."""

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        with_desk_context([state["obj"] for state in context["states"]])
        return context


class ObjectsInModerationPanel(UserObjectsInWorkflowModerationPanel):
    """Wagtail's "Your pages and snippets in a workflow", whose edit links ask for each
    object's post (the user's rights follow it)."""

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        with_desk_context([state.content_object for state in context["workflow_states"]])
        return context


#: Wagtail's moderation panels and what replaces each.
MODERATION_PANELS = {
    WorkflowObjectsToModeratePanel: ObjectsToModeratePanel,
    UserObjectsInWorkflowModerationPanel: ObjectsInModerationPanel,
}


def add_press_desk_panel(request: HttpRequest, panels: list[Component]) -> None:
    """The `construct_homepage_panels` hook: the press desk for everyone, and Wagtail's
    moderation panels in their press desk's form."""
    panels[:] = [
        MODERATION_PANELS[type(panel)]() if type(panel) in MODERATION_PANELS else panel
        for panel in panels
    ]
    panels.append(PressDeskPanel())


def add_upkeep_panel(request: HttpRequest, panels: list[Component]) -> None:
    """The `construct_homepage_panels` hook: the upkeep for whoever keeps accounts."""
    if may_keep_accounts(request.user):
        panels.append(UpkeepPanel())
