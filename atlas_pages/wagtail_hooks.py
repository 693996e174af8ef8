"""The editors' admin: one "Atlas" menu with accounts, people and platforms.

Who may do what: editors draft and submit, moderators approve, publish, unpublish, delete
what is live and manage platforms (groups and permissions: migrations 0002 and 0004; the
live-deletion rule: `EditorialPermissionPolicy`). README.md has the whole matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui import menus
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, LiveStatusTagColumn
from wagtail.admin.utils import get_valid_next_url_from_request, set_query_params
from wagtail.models import Locale
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
    WorkflowActionView,
)

from atlas_pages.editorial import gazetteer, moderation, rights, upkeep
from atlas_pages.editorial.bulk_actions import BULK_ACTIONS
from atlas_pages.editorial.coverage import CoverageReportView
from atlas_pages.editorial.filters import PersonFilterSet, SocialAccountFilterSet
from atlas_pages.editorial.import_view import ADD_PERMISSION, ImportAccountsView
from atlas_pages.editorial.pressdesk import dashboard, upkeep_rows, with_editorial_state
from atlas_pages.models import EditorialSnippet, Person, Platform, PostPage, SocialAccount
from atlas_pages.site import languages, page_contexts

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.views import View


class EditorialPermissionPolicy(ModelPermissionPolicy):
    """People and accounts: a user works only on those of the posts within their reach
    (`atlas_pages.editorial.rights`, per-country editing); deleting one the public sees takes the
    right
    to publish it, as Wagtail's rule for pages does; a draft never published is the editor's
    to delete."""

    def __init__(self, model: type[EditorialSnippet], *post_lookups: str) -> None:
        super().__init__(model)
        #: How the model reaches its owning post, e.g. "post__" or "person__post__".
        self.post_lookups = post_lookups

    def user_has_permission_for_instance(
        self, user: User, action: str, instance: EditorialSnippet
    ) -> bool:
        if not rights.may_edit_post(user, instance.owning_post):
            return False
        if action == "delete" and instance.live and not self.user_has_permission(user, "publish"):
            return False
        return super().user_has_permission_for_instance(user, action, instance)

    def instances_user_has_any_permission_for(
        self, user: User, actions: Iterable[str]
    ) -> QuerySet[EditorialSnippet]:
        instances = super().instances_user_has_any_permission_for(user, actions)
        return rights.within_reach(instances, user, *self.post_lookups)


# Registered before the viewsets below, which would otherwise create the default policy.
register_permission_policy(Person, EditorialPermissionPolicy(Person, "post__"), exact_class=True)
register_permission_policy(
    SocialAccount,
    EditorialPermissionPolicy(SocialAccount, "post__", "person__post__"),
    exact_class=True,
)


@hooks.register("before_delete_snippet")
def refuse_deletion_without_instance_permission(
    request: HttpRequest, instances: list[EditorialSnippet]
) -> HttpResponse | None:
    """Wagtail's single-object delete view checks only the model-wide "delete" permission;
    hold it (and bulk deletion) to the per-object rule of the model's permission policy."""
    for instance in instances:
        policy = policy_registry.get(instance)
        if policy.user_has_permission_for_instance(request.user, "delete", instance):
            continue
        if not policy.user_has_permission_for_instance(request.user, "change", instance):
            return permission_denied(request)  # another country's
        messages.error(
            request,
            _("“%(object)s” is published: only a moderator can delete it.") % {"object": instance},
        )
        return redirect(instance.snippet_viewset.get_url_name("list"))
    return None


class WithinReachViewSet(SnippetViewSet):
    """People and accounts: the list shows those within the user's reach, and every view of
    one object (edit, delete, history, preview, workflow...) refuses the others."""

    def within_reach(
        self, request: HttpRequest, queryset: QuerySet[EditorialSnippet]
    ) -> QuerySet[EditorialSnippet]:
        lookups = policy_registry.get_by_type(self.model).post_lookups
        return with_editorial_state(rights.within_reach(queryset, request.user, *lookups))

    def object_of(self, url_kwargs: dict[str, Any]) -> EditorialSnippet | None:
        """The object a view's URL names, if any (a malformed id is left to the view: 404)."""
        if "pk" not in url_kwargs:
            return None
        try:
            return self.model.objects.filter(pk=unquote(str(url_kwargs["pk"]))).first()
        except (ValueError, ValidationError):
            return None

    def construct_view(self, view_class: type[View], **kwargs: Any) -> Callable:
        view = super().construct_view(view_class, **kwargs)

        @wraps(view)
        def within_reach(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            instance = self.object_of(kwargs)
            if instance and not rights.may_edit_post(request.user, instance.owning_post):
                return permission_denied(request)
            return view(request, *args, **kwargs)

        return within_reach


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


class LinkCheckColumn(Column):
    """The latest link check's outcome (ok, redirected, broken, unverifiable, not checked)."""

    cell_template_name = "atlas_pages/admin/link_check_cell.html"


class SocialAccountIndexView(IndexView):
    def get_list_more_buttons(self, instance: SocialAccount) -> list[menus.MenuItem]:
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", instance
        ):
            url = upkeep.mark_reviewed_url(instance, self.request.get_full_path())
            buttons.append(menus.MenuItem(_("Mark reviewed"), url, icon_name="tick", priority=50))
        return buttons

    def order_queryset(self, queryset: QuerySet[SocialAccount]) -> QuerySet[SocialAccount]:
        # The review queue: never reviewed first, on every database.
        if self.ordering == "last_reviewed_at":
            return queryset.order_by(F("last_reviewed_at").asc(nulls_first=True), "pk")
        return super().order_queryset(queryset)


class ReviewEditView(EditView):
    """The review screen: after "approve", a message that says what happened."""

    def get_success_message(self, instance: EditorialSnippet | None = None) -> str:
        if self.action == "workflow-action" and self.workflow_action == "approve":
            obj = instance or self.object
            return moderation.approval_message(type(obj).objects.get(pk=obj.pk))
        return super().get_success_message(instance)


class ReviewActionView(WorkflowActionView):
    """Approve from the dashboard's queue: the same message as on the review screen."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().post(request, *args, **kwargs)
        if self.action_name == "approve":
            obj = type(self.object).objects.get(pk=self.object.pk)
            messages.success(request, moderation.approval_message(obj))
        return response


class SocialAccountViewSet(WithinReachViewSet):
    model = SocialAccount
    add_view_class = OwnerPrefillCreateView
    index_view_class = SocialAccountIndexView
    edit_view_class = ReviewEditView
    workflow_action_view_class = ReviewActionView
    icon = "link"
    menu_label = _("Accounts")
    list_display = [
        "handle",
        Column(
            "platform", label=_("Platform"), accessor="form_label", sort_key="platform__sort_order"
        ),
        Column("owner", label=_("Owner")),
        Column("country", label=_("Country"), accessor="country_name"),
        Column("speaks_for", label=_("Speaks for"), accessor="get_speaks_for_display"),
        Column("account_status", label=_("Account status"), accessor="get_status_display"),
        LiveStatusTagColumn(),
        DateColumn("last_reviewed_at", label=_("Last reviewed"), sort_key="last_reviewed_at"),
        LinkCheckColumn("link_check", label=_("Link")),
    ]
    list_per_page = 50
    filterset_class = SocialAccountFilterSet
    ordering = ["platform__sort_order", "handle"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SocialAccount]:
        return self.within_reach(
            request,
            SocialAccount.objects.select_related(
                "platform", "post__country", "person__post__country", "link_check"
            ),
        )


class PeopleToChooseMixin:
    """Accounts belong to the person, not to a translation: the default language only; and
    to people within the user's reach (per-country rights)."""

    request: HttpRequest

    def get_object_list(self) -> QuerySet[Person]:
        people = Person.objects.filter(locale=Locale.get_default())
        return rights.within_reach(people, self.request.user, "post__")


class PersonChooseView(PeopleToChooseMixin, ChooseView):
    pass


class PersonChooseResultsView(PeopleToChooseMixin, ChooseResultsView):
    pass


class PersonChooserViewSet(SnippetChooserViewSet):
    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView


class PersonViewSet(WithinReachViewSet):
    model = Person
    chooser_viewset_class = PersonChooserViewSet
    add_view_class = OwnerPrefillCreateView
    edit_view_class = ReviewEditView
    workflow_action_view_class = ReviewActionView
    icon = "user"
    menu_label = _("People")
    list_display = [
        "name",
        "role",
        "job_title",
        Column("post", label=_("Post")),
        BooleanColumn("has_consent", label=_("Consent")),
        LiveStatusTagColumn(),
    ]
    list_per_page = 50
    filterset_class = PersonFilterSet
    ordering = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return self.within_reach(request, Person.objects.select_related("post"))


class PlatformViewSet(SnippetViewSet):
    model = Platform
    icon = "globe"
    menu_label = _("Platforms")
    list_display = ["name", "slug", "activity_source", "sort_order", "link_check_conclusive"]
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


#: The primary button of a person's or account's edit view, the first of these it offers: on
#: review "approve (and publish)"; for an editor "submit for review" (which saves too), not
#: hidden in the dropdown.
PRIMARY_ACTIONS = ("approve", "action-submit")


@hooks.register("construct_snippet_action_menu")
def primary_action_first(
    menu_items: list[Any], request: HttpRequest, context: Mapping[str, Any]
) -> None:
    for name in PRIMARY_ACTIONS:
        found = [item for item in menu_items if getattr(item, "name", "") == name]
        if found:
            for item in found:
                menu_items.remove(item)
            menu_items[:0] = found
            return


@hooks.register("register_admin_urls")
def place_finder_urls() -> list[URLPattern]:
    return [path("atlas/places.json", gazetteer.places, name="atlas_places")]


# The site: what the atlas's pages show, and each language served from its own tree only.
hooks.register("construct_page_context", page_contexts.add_page_context)
hooks.register("before_serve_page", languages.page_in_url_language)


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


def may_keep_accounts(user: User) -> bool:
    """Editors and moderators (and superusers): whoever may edit or publish accounts."""
    return policy_registry.get_by_type(SocialAccount).user_has_any_permission(
        user, ["change", "publish"]
    )


@hooks.register("construct_homepage_panels")
def add_upkeep_panel(request: HttpRequest, panels: list[Component]) -> None:
    if may_keep_accounts(request.user):
        panels.append(UpkeepPanel())


@hooks.register("register_admin_urls")
def register_coverage_urls() -> list[URLPattern]:
    return [
        path("atlas/coverage/", CoverageReportView.as_view(), name="atlas_coverage"),
        path(
            "atlas/coverage/results/",
            CoverageReportView.as_view(results_only=True),
            name="atlas_coverage_results",
        ),
    ]


class AccountKeepersMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_keep_accounts(request.user)


@hooks.register("register_reports_menu_item")
def register_coverage_menu_item() -> MenuItem:
    return AccountKeepersMenuItem(
        _("Coverage"), reverse("atlas_coverage"), name="atlas-coverage", icon_name="table", order=50
    )


@hooks.register("register_reports_menu_item")
def register_review_queue_menu_item() -> MenuItem:
    return AccountKeepersMenuItem(
        _("Review queue"),
        upkeep.queue_url(),
        name="atlas-review-queue",
        icon_name="tasks",
        order=60,
    )


for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


# Bulk import of accounts (atlas_pages.editorial.importer), for whoever may add accounts.
@hooks.register("register_admin_urls")
def import_accounts_urls() -> list[URLPattern]:
    return [
        path("atlas/import-accounts/", ImportAccountsView.as_view(), name="import_accounts"),
    ]


class ImportAccountsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(ADD_PERMISSION)


@hooks.register("register_admin_menu_item")
def import_accounts_menu_item() -> MenuItem:
    return ImportAccountsMenuItem(
        _("Import accounts"), reverse("import_accounts"), icon_name="upload", order=210
    )
