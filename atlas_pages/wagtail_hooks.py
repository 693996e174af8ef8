"""The editors' admin: one "Atlas" menu with accounts, people and platforms."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from atlas_pages.filters import PersonFilterSet, SocialAccountFilterSet
from atlas_pages.models import Person, Platform, SocialAccount


class SocialAccountViewSet(SnippetViewSet):
    model = SocialAccount
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

    def get_queryset(self, request):
        return SocialAccount.objects.select_related(
            "platform", "post__country", "person__post__country"
        )


class PersonViewSet(SnippetViewSet):
    model = Person
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

    def get_queryset(self, request):
        return Person.objects.select_related("post")


class PlatformViewSet(SnippetViewSet):
    model = Platform
    icon = "globe"
    menu_label = _("Platforms")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]
    ordering = ["sort_order", "name"]


class AtlasViewSetGroup(SnippetViewSetGroup):
    items = (SocialAccountViewSet, PersonViewSet, PlatformViewSet)
    menu_icon = "site"
    menu_label = _("Atlas")
    menu_name = "atlas"


register_snippet(AtlasViewSetGroup)
