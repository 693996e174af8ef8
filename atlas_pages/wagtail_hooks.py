"""The editors' admin: one "Atlas" menu with accounts, people and platforms.

Who may do what: editors draft and submit, moderators approve, publish, unpublish, delete
what is live and manage platforms (groups and permissions: migrations 0002 and 0004; the
live-deletion rule: `EditorialPermissionPolicy`). README.md has the whole matrix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn
from wagtail.admin.utils import get_valid_next_url_from_request, set_query_params
from wagtail.models import Locale
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from atlas_pages import languages, page_contexts
from atlas_pages.filters import PersonFilterSet, SocialAccountFilterSet
from atlas_pages.models import EditorialSnippet, Person, Platform, PostPage, SocialAccount
from atlas_pages.pressdesk import dashboard, with_editorial_state

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class EditorialPermissionPolicy(ModelPermissionPolicy):
    """People and accounts: deleting one the public sees takes the right to publish it,
    as Wagtail's rule for pages does; a draft never published is the editor's to delete."""

    def user_has_permission_for_instance(
        self, user: User, action: str, instance: EditorialSnippet
    ) -> bool:
        if action == "delete" and instance.live and not self.user_has_permission(user, "publish"):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


# Registered before the viewsets below, which would otherwise create the default policy.
for model in (Person, SocialAccount):
    register_permission_policy(model, EditorialPermissionPolicy(model), exact_class=True)


@hooks.register("before_delete_snippet")
def refuse_deletion_without_instance_permission(
    request: HttpRequest, instances: list[EditorialSnippet]
) -> HttpResponseRedirect | None:
    """Wagtail's single-object delete view checks only the model-wide "delete" permission;
    hold it (and bulk deletion) to the per-object rule of the model's permission policy."""
    for instance in instances:
        policy = policy_registry.get(instance)
        if not policy.user_has_permission_for_instance(request.user, "delete", instance):
            messages.error(
                request,
                _("“%(object)s” is published: only a moderator can delete it.")
                % {"object": instance},
            )
            return redirect(instance.snippet_viewset.get_url_name("list"))
    return None


class OwnerPrefillCreateView(CreateView):
    """The create view with the post already chosen when linked from a post (`?post=<id>`),
    back to the post (`?next=`) once the new object is submitted or published."""

    def get_add_url(self) -> str:
        # The form posts here: keep `next` for the redirect after saving.
        next_url = get_valid_next_url_from_request(self.request)
        url = super().get_add_url()
        return set_query_params(url, {"next": next_url}) if next_url else url

    def get_success_url(self) -> str:
        next_url = get_valid_next_url_from_request(self.request)
        if next_url and self.action not in {"create", "edit", "cancel-workflow"}:
            return next_url
        return super().get_success_url()

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        post_id = self.request.GET.get("post", "")
        if post_id.isdigit() and PostPage.objects.filter(pk=post_id).exists():
            initial["post"] = int(post_id)
        return initial


class SocialAccountViewSet(SnippetViewSet):
    model = SocialAccount
    add_view_class = OwnerPrefillCreateView
    icon = "link"
    menu_label = _("Accounts")
    list_display = [
        "handle",
        Column("platform", label=_("Platform"), sort_key="platform__sort_order"),
        Column("owner", label=_("Owner")),
        Column("country", label=_("Country"), accessor="country_name"),
        LiveStatusTagColumn(),
    ]
    list_per_page = 50
    filterset_class = SocialAccountFilterSet
    ordering = ["platform__sort_order", "handle"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SocialAccount]:
        return with_editorial_state(
            SocialAccount.objects.select_related(
                "platform", "post__country", "person__post__country"
            )
        )


class PersonChooserViewSet(SnippetChooserViewSet):
    def get_object_list(self) -> QuerySet[Person]:
        """Accounts belong to the person, not to a translation: the default language only."""
        return Person.objects.filter(locale=Locale.get_default())


class PersonViewSet(SnippetViewSet):
    model = Person
    chooser_viewset_class = PersonChooserViewSet
    add_view_class = OwnerPrefillCreateView
    icon = "user"
    menu_label = _("People")
    list_display = [
        "name",
        "role",
        "job_title",
        Column("post", label=_("Post")),
        LiveStatusTagColumn(),
    ]
    list_per_page = 50
    filterset_class = PersonFilterSet
    ordering = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return with_editorial_state(Person.objects.select_related("post"))


class PlatformViewSet(SnippetViewSet):
    model = Platform
    icon = "globe"
    menu_label = _("Platforms")
    list_display = ["name", "slug", "activity_source", "sort_order"]
    search_fields = ["name", "slug"]
    ordering = ["sort_order", "name"]


class AtlasViewSetGroup(SnippetViewSetGroup):
    items = (SocialAccountViewSet, PersonViewSet, PlatformViewSet)
    menu_icon = "site"
    menu_label = _("Atlas")
    menu_name = "atlas"


register_snippet(AtlasViewSetGroup)


class PressDeskPanel(Component):
    """The dashboard's press desk: what awaits the user, with links to the lists it counts."""

    name = "press_desk"
    template_name = "atlas_pages/admin/press_desk_panel.html"
    order = 50  # before Wagtail's own panels

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        context.update(dashboard(parent_context["request"].user))
        return context


@hooks.register("construct_homepage_panels")
def add_press_desk_panel(request: HttpRequest, panels: list[Component]) -> None:
    panels.append(PressDeskPanel())


# The site: what the atlas's pages show, and each language served from its own tree only.
hooks.register("construct_page_context", page_contexts.add_page_context)
hooks.register("before_serve_page", languages.page_in_url_language)
