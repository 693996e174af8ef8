"""The editors' admin of the atlas's snippets: one "Atlas" menu with accounts, people and
platforms, each with its list, its panels and its form (registered in wagtail_hooks.py).

People and accounts are shown and edited only within the user's reach (per-country rights,
atlas_pages.editorial.rights); the review screen and the dashboard's queue say what "approve"
did; a person or account added from a post's edit page has the post chosen and goes back to it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.functional import cached_property, lazy
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    PublishingPanel,
)
from wagtail.admin.ui import menus
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, LiveStatusTagColumn
from wagtail.admin.utils import get_valid_next_url_from_request, set_query_params
from wagtail.admin.widgets import AdminPageChooser
from wagtail.admin.widgets.button import Button
from wagtail.models import Locale
from wagtail.permissions import policy_registry
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
    WorkflowActionView,
)
from wagtail.snippets.widgets import AdminSnippetChooser

from atlas_pages.editorial import consent, moderation, rights, upkeep
from atlas_pages.editorial.consent import ConsentPanel
from atlas_pages.editorial.filters import PersonFilterSet, SocialAccountFilterSet
from atlas_pages.editorial.forms import PersonForm, SocialAccountForm
from atlas_pages.editorial.panels import AccountUpkeepPanel, WikidataPanel
from atlas_pages.editorial.pressdesk import with_editorial_state
from atlas_pages.editorial.verification_kit import AccountVerificationPanel
from atlas_pages.models import EditorialSnippet, Person, Platform, PostPage, SocialAccount
from atlas_pages.models import panels as model_panels

if TYPE_CHECKING:
    from django.db.models import Model
    from django.views import View


class AtlasSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose breadcrumbs start with "Home" in the language of each screen:
    Wagtail's own translates it once, when the admin's URLs are loaded, and every user then
    reads that first language."""

    @property
    def breadcrumbs_items(self) -> list[dict[str, Any]]:
        home, *rest = super().breadcrumbs_items
        return [{**home, "label": _("Home")}, *rest]


class WithinReachViewSet(AtlasSnippetViewSet):
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
        # An account prefilled from a lead (atlas_pages.editorial.leads_desk): its platform,
        # address and handle; the form checks them as if typed.
        platform_id = self.request.GET.get("platform", "")
        if platform_id.isdigit() and Platform.objects.filter(pk=platform_id).exists():
            initial["platform"] = int(platform_id)
        for name in ("url", "handle"):
            if value := self.request.GET.get(name, "").strip()[:500]:
                initial[name] = value
        return initial


def _interpolate(message: str, values: dict[str, Any]) -> str:
    return str(message) % {name: str(value) for name, value in values.items()}


#: A %-message filled in when it is printed, in the language active then.
interpolate_lazy = lazy(_interpolate, str)


class PostChooser(AdminPageChooser):
    """Wagtail's page chooser for a post, its "Choose a page (Post)" in the language of each
    screen: Wagtail's own joins the words when the form class is built, once per process when
    the admin's URLs are loaded, and every user then reads that first language."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(target_models=[PostPage], **kwargs)
        name = capfirst(PostPage._meta.verbose_name)
        self.choose_one_text = format_lazy("{} ({})", _("Choose a page"), name)


class SnippetChooser(AdminSnippetChooser):
    """Wagtail's snippet chooser, its "Choose platform" in the language of each screen (Wagtail's
    own fills the words in once, as PostChooser says)."""

    def __init__(self, model: type[Model], **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        values = {"object": model._meta.verbose_name}
        self.choose_one_text = interpolate_lazy(_("Choose %(object)s"), values)
        self.choose_another_text = interpolate_lazy(_("Choose another %(object)s"), values)
        self.link_to_chosen_text = interpolate_lazy(_("Edit this %(object)s"), values)


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


class PersonEditView(ReviewEditView):
    """A person's edit view, with "Withdraw consent" in the header's menu while consent
    stands: outside the form, so it works while the form is locked (a scheduled publication,
    another editor's lock)."""

    @cached_property
    def header_more_buttons(self) -> list[Button]:
        buttons = list(super().header_more_buttons)
        stored = Person.objects.filter(pk=self.object.pk).first()
        if stored and stored.has_consent and consent.may_withdraw(self.request.user, stored):
            buttons.append(
                Button(
                    _("Withdraw consent"),
                    url=reverse("atlas_withdraw_consent", args=[stored.pk]),
                    icon_name="user",
                    attrs={"data-withdraw-consent": ""},
                    priority=5,
                )
            )
        return buttons


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
    edit_handler = ObjectList(
        [
            FieldRowPanel(
                [FieldPanel("platform", widget=SnippetChooser(Platform)), "form", "language"]
            ),
            "url",
            FieldRowPanel(["handle", "display_name"]),
            MultiFieldPanel(
                [
                    FieldPanel("post", widget=PostChooser()),
                    FieldPanel("person", widget=SnippetChooser(Person)),
                    "speaks_for",
                ],
                heading=_("Owner: a post or a person"),
            ),
            FieldRowPanel(["status", "status_since", "new_url"]),
            "platform_identity",
            "note",
            MultiFieldPanel(
                ["contact_user", "contact_email"],
                heading=_("Contact for reviews"),
                help_text=model_panels.CONTACT_HELP,
            ),
            PublishingPanel(),
            AccountUpkeepPanel(heading=_("Review and link check")),
            AccountVerificationPanel(heading=_("Verification and evidence")),
        ],
        base_form_class=SocialAccountForm,
    )

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
    edit_view_class = PersonEditView
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
    edit_handler = ObjectList(
        [
            "name",
            "role",
            "job_title",
            WikidataPanel("wikidata_id"),
            # Required for press officers of one country also on a draft (editorial.rights).
            FieldPanel("post", required_on_save=True, widget=PostChooser()),
            MultiFieldPanel(
                [FieldRowPanel(["term_start", "term_end"])], heading=_("Term of office")
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(["consent_given_at", "consent_withdrawn_at"]),
                    # Works while the form is locked or a publication is scheduled.
                    ConsentPanel(),
                ],
                heading=_("Consent to list personal accounts"),
            ),
            PublishingPanel(),
        ],
        base_form_class=PersonForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return self.within_reach(request, Person.objects.select_related("post"))


class PlatformViewSet(AtlasSnippetViewSet):
    model = Platform
    icon = "globe"
    menu_label = _("Platforms")
    # The fields without a verbose name (Platform.name, sort_order, hosts) named here, in the
    # catalogue (a verbose name would need a migration).
    list_display = [
        Column("name", label=_("Name"), sort_key="name"),
        Column("slug", label=_("Slug"), sort_key="slug"),
        Column(
            "activity_source",
            label=Platform._meta.get_field("activity_source").verbose_name,
            accessor="get_activity_source_display",
            sort_key="activity_source",
        ),
        Column("sort_order", label=_("Sort order"), sort_key="sort_order"),
        BooleanColumn(
            "link_check_conclusive",
            label=Platform._meta.get_field("link_check_conclusive").verbose_name,
            sort_key="link_check_conclusive",
        ),
    ]
    panels = [
        FieldPanel("name", heading=_("Name")),
        FieldPanel("slug", heading=_("Slug")),
        FieldPanel("hosts", heading=_("Hosts")),
        "profile_path",
        FieldPanel("sort_order", heading=_("Sort order")),
        "link_check_conclusive",
        "activity_source",
    ]
    search_fields = ["name", "slug"]
    ordering = ["sort_order", "name"]


class AtlasViewSetGroup(SnippetViewSetGroup):
    items = (SocialAccountViewSet, PersonViewSet, PlatformViewSet)
    menu_icon = "site"
    menu_label = _("Atlas")
    menu_name = "atlas"
