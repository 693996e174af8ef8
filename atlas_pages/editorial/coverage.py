"""Coverage: which post has which account on which platform (posts × platforms), for the
press desk. An admin report with filters (region, country, post kind, posts with no account)
and a spreadsheet export; its cost is a fixed number of queries whatever the atlas's size."""

from __future__ import annotations

import csv
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import django_filters
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BaseColumn, Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import policy_registry

from atlas_pages.editorial import confirmed_none, pressdesk
from atlas_pages.models import CountryPage, Platform, PostPage, SocialAccount, coverage_platforms
from atlas_pages.rules.regions import REGIONS, countries_in, region_of
from atlas_pages.rules.spreadsheets import neutralise

if TYPE_CHECKING:
    from wagtail.permission_policies import ModelPermissionPolicy


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
    #: Whether it lists the post on its platform (live and public by its own rules).
    lists: bool = False

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
        .values_list(
            "pk",
            "handle",
            "platform_id",
            "live",
            "in_moderation",
            "post_key",
            *confirmed_none.LISTING_COLUMNS,
        )
    )
    coverage: dict[uuid.UUID, dict[int, list[CoveredAccount]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for pk, handle, platform_id, live, in_review, post_key, *listing in rows:
        if in_review:
            state = AccountState.IN_REVIEW
        else:
            state = AccountState.LIVE if live else AccountState.DRAFT
        lists = confirmed_none.account_lists(*listing)
        coverage[post_key][platform_id].append(CoveredAccount(pk, handle, state, lists))
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


@dataclass(frozen=True, slots=True)
class CoverageCell:
    """One post × platform cell: its accounts (each with its workflow state), and whether the
    post is listed there, confirmed to have none, or unknown."""

    accounts: list[CoveredAccount]
    state: str
    confirmation: confirmed_none.Confirmation | None

    @property
    def state_label(self) -> str:
        return str(confirmed_none.CellState.LABELS[self.state])

    def __iter__(self) -> Iterator[CoveredAccount]:
        return iter(self.accounts)

    def __str__(self) -> str:
        """The spreadsheet's cell."""
        text = "; ".join(str(account) for account in self.accounts)
        if self.state == confirmed_none.CellState.CONFIRMED_NONE:
            day = self.confirmation.confirmed_at.date().isoformat()
            none = _("none (confirmed %(date)s)") % {"date": day}
            return f"{text}; {none}" if text else str(none)
        if self.state == confirmed_none.CellState.UNKNOWN and not text:
            return str(_("unknown"))
        return text


def cell_of(
    accounts: list[CoveredAccount], confirmation: confirmed_none.Confirmation | None
) -> CoverageCell:
    listed = any(account.lists for account in accounts)
    return CoverageCell(accounts, confirmed_none.state_of(listed, confirmation), confirmation)


class PlatformColumn(Column):
    """A post's cell on one platform: its accounts, each linked and marked with its state, and
    listed / confirmed none / unknown with "Confirm none" or "Undo" (one click each)."""

    cell_template_name = "atlas_pages/admin/coverage_cell.html"

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        super().__init__(
            f"platform_{platform.slug}",
            label=platform.name,
            accessor=lambda post: post.cells[platform.id],
        )

    def get_cell_context_data(self, instance: PostPage, parent_context: dict) -> dict[str, Any]:
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        if request is not None and getattr(instance, "may_confirm", False):
            next_url = f"{reverse('atlas_coverage')}?{request.GET.urlencode()}"
            context["csrf_token_value"] = get_token(request)
            context["confirm_url"] = confirmed_none.action_url(
                "atlas_confirm_none", instance, self.platform, next_url
            )
            context["undo_url"] = confirmed_none.action_url(
                "atlas_undo_none", instance, self.platform, next_url
            )
        return context


class KnownColumn(Column):
    """How many of the post's cells are known (listed or confirmed none)."""

    cell_template_name = "atlas_pages/admin/coverage_known_cell.html"

    def __init__(self) -> None:
        super().__init__("known", label=_("Known"), accessor="figures")


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
        return list(coverage_platforms())

    @cached_property
    def states(
        self,
    ) -> tuple[set[tuple[uuid.UUID, int]], dict[uuid.UUID, dict[int, confirmed_none.Confirmation]]]:
        """Of every post the filters leave (not only this page): the cells an account lists,
        and the confirmations of "none" (two queries)."""
        keys = self.object_list.values("translation_key")
        return confirmed_none.listed_pairs(keys), confirmed_none.confirmations(keys)

    def figures_by_country(self) -> tuple[confirmed_none.Figures, list[tuple[str, Any]]]:
        """Known cells overall and per country, of every post the filters leave (one query)."""
        listed, confirmations = self.states
        overall = confirmed_none.Figures()
        by_country: dict[str, confirmed_none.Figures] = {}
        rows = self.object_list.values_list("translation_key", "country__title")
        for key, country in rows:
            figures = by_country.setdefault(country or "", confirmed_none.Figures())
            for platform in self.platforms:
                known = (
                    confirmed_none.state_of(
                        (key, platform.pk) in listed, confirmations.get(key, {}).get(platform.pk)
                    )
                    != confirmed_none.CellState.UNKNOWN
                )
                for counted in (figures, overall):
                    counted.total += 1
                    counted.known += known
        return overall, sorted(by_country.items())

    def get_queryset(self) -> QuerySet[PostPage]:
        return posts_in_default_language()

    @cached_property
    def columns(self) -> list[BaseColumn]:
        return [
            TitleColumn("title", label=_("Post"), url_name="wagtailadmin_pages:edit"),
            Column("country", label=_("Country"), accessor="country.title"),
            Column("region", label=_("Region"), accessor="region_label"),
            Column("kind", label=_("Kind"), accessor="get_kind_display"),
            KnownColumn(),
            *(PlatformColumn(platform) for platform in self.platforms),
        ]

    def decorate_paginated_queryset(self, object_list: list[PostPage]) -> list[PostPage]:
        posts = list(object_list)
        coverage = accounts_by_post([post.translation_key for post in posts])
        _listed, confirmations = self.states
        user = self.request.user
        for post in posts:
            post.coverage = coverage.get(post.translation_key, {})
            confirmed = confirmations.get(post.translation_key, {})
            post.cells = {
                platform.id: cell_of(post.coverage.get(platform.id, []), confirmed.get(platform.id))
                for platform in self.platforms
            }
            known = sum(
                cell.state != confirmed_none.CellState.UNKNOWN for cell in post.cells.values()
            )
            post.figures = confirmed_none.Figures(known, len(self.platforms))
            post.may_confirm = confirmed_none.may_confirm(user, post)
            post.account_count = sum(len(accounts) for accounts in post.coverage.values())
            region = region_of(post.country.iso_code if post.country else "")
            post.region_label = str(REGIONS.get(region, ""))
        return posts

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        context["posts_without_accounts"] = self.object_list.exclude(_has_accounts()).count()
        context["overall"], context["countries"] = self.figures_by_country()
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
        return ["title", "country", "region", "kind", "account_count", "known"] + [
            platform.slug for platform in self.platforms
        ]

    def get_heading(self, queryset: QuerySet[PostPage], field: str) -> str:
        headings = {
            "title": _("Post"),
            "country": _("Country"),
            "region": _("Region"),
            "kind": _("Kind"),
            "account_count": _("Accounts"),
            "known": _("Known"),
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
            "known": str(item.figures),
        }
        for platform in self.platforms:
            row[platform.slug] = str(item.cells[platform.id])
        return row

    def stream_csv(self, queryset: list[PostPage]) -> Iterator[str]:
        # The response streams after the view has returned: in the admin's language still.
        return _in_language(super().stream_csv(queryset), translation.get_language())

    def write_csv_row(self, writer: csv.DictWriter, row_dict: dict[str, object]) -> str:
        return super().write_csv_row(
            writer, {field: neutralise(value) for field, value in row_dict.items()}
        )
