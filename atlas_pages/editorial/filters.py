"""Filters of the admin's account and people lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from atlas_pages.editorial import pressdesk, upkeep
from atlas_pages.models import (
    CountryPage,
    EditorialSnippet,
    Person,
    Platform,
    PostPage,
    SocialAccount,
)

LIVE_CHOICES = [
    ("live", _("Live")),
    ("draft", _("Draft or unpublished changes")),
    ("in_review", _("In review")),
]


def filter_live_status(
    queryset: QuerySet[EditorialSnippet], name: str, value: str
) -> QuerySet[EditorialSnippet]:
    if value == "live":
        return queryset.filter(live=True, has_unpublished_changes=False)
    if value == "draft":
        return pressdesk.drafts(queryset)
    if value == "in_review":
        return pressdesk.in_review(queryset)
    return queryset


def countries(request: HttpRequest | None) -> QuerySet[CountryPage]:
    """The countries an account's post may be in: the default language's (accounts belong to
    the post, not to a translation), not each country once per language."""
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    return CountryPage.objects.filter(locale__language_code=default).order_by("title")


class EditorialFilterSetMixin(django_filters.FilterSet):
    """The editorial state filters both lists share (and the dashboard's counts link to)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=LIVE_CHOICES, method=filter_live_status
    )
    mine = django_filters.BooleanFilter(label=_("Last edited by me"), method="filter_mine")
    recent = django_filters.BooleanFilter(
        label=_("Published in the last 7 days"), method="filter_recent"
    )

    def filter_mine(
        self, queryset: QuerySet[EditorialSnippet], name: str, value: bool | None
    ) -> QuerySet[EditorialSnippet]:
        return pressdesk.edited_by(queryset, self.request.user) if value else queryset

    def filter_recent(
        self, queryset: QuerySet[EditorialSnippet], name: str, value: bool | None
    ) -> QuerySet[EditorialSnippet]:
        return pressdesk.published_recently(queryset) if value else queryset


class SocialAccountFilterSet(EditorialFilterSetMixin, WagtailFilterSet):
    platform = django_filters.ModelChoiceFilter(queryset=Platform.objects.all())
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=countries,
        method="filter_country",
    )
    post_kind = django_filters.ChoiceFilter(
        label=_("Post kind"), choices=PostPage.Kind.choices, method="filter_post_kind"
    )
    #: Not "status": that is the editorial state (EditorialFilterSetMixin).
    account_status = django_filters.ChoiceFilter(
        label=_("Account status"), choices=SocialAccount.Status.choices, field_name="status"
    )
    owner_type = django_filters.ChoiceFilter(
        label=_("Owner"), choices=SocialAccount.Kind.choices, method="filter_owner_type"
    )
    review = django_filters.ChoiceFilter(
        label=_("Review"),
        choices=[("due", _("Due (never or long ago)"))],
        method="filter_review",
    )
    link = django_filters.ChoiceFilter(
        label=_("Link check"),
        choices=[("broken", _("Broken link")), ("unchecked", _("Not checked"))],
        method="filter_link",
    )

    def filter_country(
        self, queryset: QuerySet[SocialAccount], name: str, value: CountryPage
    ) -> QuerySet[SocialAccount]:
        return queryset.filter(Q(post__country=value) | Q(person__post__country=value))

    def filter_post_kind(
        self, queryset: QuerySet[SocialAccount], name: str, value: str
    ) -> QuerySet[SocialAccount]:
        return queryset.filter(Q(post__kind=value) | Q(person__post__kind=value))

    def filter_owner_type(
        self, queryset: QuerySet[SocialAccount], name: str, value: str
    ) -> QuerySet[SocialAccount]:
        return queryset.filter(person__isnull=value == SocialAccount.Kind.ORGANISATION)

    def filter_review(
        self, queryset: QuerySet[SocialAccount], name: str, value: str
    ) -> QuerySet[SocialAccount]:
        return upkeep.review_due(queryset) if value == "due" else queryset

    def filter_link(
        self, queryset: QuerySet[SocialAccount], name: str, value: str
    ) -> QuerySet[SocialAccount]:
        if value == "broken":
            return upkeep.with_broken_link(queryset)
        if value == "unchecked":
            return queryset.filter(link_check__isnull=True)
        return queryset

    class Meta:
        model = SocialAccount
        fields = ["platform", "form", "language", "speaks_for"]


class PersonFilterSet(EditorialFilterSetMixin, WagtailFilterSet):
    """People in the default language unless another locale (or all) is chosen: one row per
    person, its translations under their own locale."""

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and "locale" not in data:
            data = data.copy()
            data["locale"] = Locale.get_default().language_code
        super().__init__(data, *args, **kwargs)

    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=CountryPage.objects.order_by("title"),
        field_name="post__country",
    )
    post_kind = django_filters.ChoiceFilter(
        label=_("Post kind"), choices=PostPage.Kind.choices, field_name="post__kind"
    )

    consent = django_filters.BooleanFilter(label=_("Consent stands"), method="filter_consent")

    def filter_consent(
        self, queryset: QuerySet[Person], name: str, value: bool | None
    ) -> QuerySet[Person]:
        if value is None:
            return queryset
        stands = Q(consent_given_at__isnull=False, consent_withdrawn_at__isnull=True)
        return queryset.filter(stands) if value else queryset.exclude(stands)

    class Meta:
        model = Person
        fields = ["role"]
