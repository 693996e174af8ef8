"""The press desk's queue of impersonator reports (sent by visitors: atlas_pages.site.report),
and its verdict: "confirm impersonator" (naming the official account it pretends to be) or
"dismiss"; a confirmation can be withdrawn.

Reports are grouped by address, newest first, each with the platform's own report link.
Who may do what (tests/atlas_pages/editorial/test_impersonators.py holds the matrix):
- see the queue: whoever keeps accounts (editors, moderators, superusers), since spotting an
  impersonator of one's own post is part of keeping its accounts;
- confirm, dismiss, withdraw: whoever may publish accounts (moderators, superusers), since a
  confirmation is a public statement (the verify page, the API and the open data name it), and
  only accounts within the user's reach can be named (per-country rights).

A confirmation or its withdrawal changes public content: it starts a new publication
generation at once (``public_content_changed``), as a withdrawal of consent does. A new or
dismissed report changes nothing public.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from atlas_pages.editorial import rights
from atlas_pages.editorial.permissions import may_keep_accounts
from atlas_pages.models import ImpersonatorReport, Platform, SocialAccount
from atlas_pages.models.signals import public_content_changed
from atlas_pages.rules import report_links

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

Status = ImpersonatorReport.Status


# Who may do what ------------------------------------------------------------------------------


def may_judge(user: User | AnonymousUser) -> bool:
    """Confirm, dismiss or withdraw: the right to publish accounts."""
    return user.is_authenticated and policy_registry.get_by_type(SocialAccount).user_has_permission(
        user, "publish"
    )


def confirmable_accounts(user: User | AnonymousUser) -> QuerySet[SocialAccount]:
    """The accounts a report may name: live ones within the user's reach."""
    live = SocialAccount.objects.filter(live=True).select_related("platform", "post", "person")
    reach = rights.within_reach(live, user, "post__", "person__post__")
    return reach.order_by("platform__sort_order", "platform__name", "handle", "pk")


# The queue ------------------------------------------------------------------------------------


@dataclass
class ReportGroup:
    """The reports of one address."""

    address: str
    url: str
    platform: Platform | None
    reports: list[ImpersonatorReport] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reports)

    @property
    def last_reported_at(self) -> datetime:
        return self.reports[0].reported_at

    @property
    def first_reported_at(self) -> datetime:
        return self.reports[-1].reported_at

    @property
    def report_link(self) -> report_links.ReportLink | None:
        return report_links.report_link(self.platform.slug, self.url) if self.platform else None

    @property
    def impersonates(self) -> SocialAccount | None:
        return next((report.impersonates for report in self.reports if report.impersonates), None)


def report_groups(status: str) -> list[ReportGroup]:
    """The reports of a status grouped by address, the most recently reported address first,
    each group's reports newest first (one query)."""
    reports = (
        ImpersonatorReport.objects.filter(status=status)
        .select_related("platform", "impersonates__platform", "handled_by")
        .order_by("-reported_at", "-pk")
    )
    groups: dict[str, ReportGroup] = {}
    for report in reports:
        group = groups.get(report.normalized_url)
        if group is None:
            group = groups[report.normalized_url] = ReportGroup(
                address=report.normalized_url, url=report.url, platform=report.platform
            )
        group.reports.append(report)
        if group.platform is None:
            group.platform = report.platform
    return list(groups.values())


def new_report_counts() -> dict[str, int]:
    """New reports and the addresses they name (one query)."""
    return ImpersonatorReport.objects.filter(status=Status.NEW).aggregate(
        reports=Count("pk"), addresses=Count("normalized_url", distinct=True)
    )


# The verdict ----------------------------------------------------------------------------------


def _handle(address: str, statuses: list[str], user: User, **changes: Any) -> int:  # noqa: ANN401
    """Set the reports of an address in these statuses; the number changed."""
    reports = ImpersonatorReport.objects.filter(normalized_url=address, status__in=statuses)
    return reports.update(handled_at=timezone.now(), handled_by=user, **changes)


def confirm(address: str, account: SocialAccount, user: User) -> int:
    """The address pretends to be `account`: its new (and confirmed) reports say so, and the
    public surfaces state it from the next request on."""
    with transaction.atomic():
        changed = _handle(
            address,
            [Status.NEW, Status.CONFIRMED],
            user,
            status=Status.CONFIRMED,
            impersonates=account,
        )
        if changed:
            public_content_changed.send(sender=ImpersonatorReport)
    return changed


def dismiss(address: str, user: User) -> int:
    """Not an impersonator (or not one we state): its new reports leave the queue. Nothing
    public changes."""
    return _handle(address, [Status.NEW], user, status=Status.DISMISSED)


def withdraw(address: str, user: User) -> int:
    """A confirmation made in error: the address is no longer stated as an impersonator."""
    with transaction.atomic():
        changed = _handle(address, [Status.CONFIRMED], user, status=Status.DISMISSED)
        if changed:
            public_content_changed.send(sender=ImpersonatorReport)
    return changed


# Views ----------------------------------------------------------------------------------------

TABS = {
    Status.NEW: gettext_lazy("New"),
    Status.CONFIRMED: gettext_lazy("Confirmed"),
    Status.DISMISSED: gettext_lazy("Dismissed"),
}


def queue_url(status: str = Status.NEW) -> str:
    url = reverse("atlas_impersonators")
    return url if status == Status.NEW else f"{url}?{urlencode({'status': status})}"


class QueueView(WagtailAdminTemplateMixin, TemplateView):
    """The reports of one status (new by default), grouped by address."""

    template_name = "atlas_pages/admin/impersonator_queue.html"
    page_title = gettext_lazy("Impersonator reports")
    header_icon = "warning"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_keep_accounts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", Status.NEW)
        if status not in TABS:
            status = Status.NEW
        context.update(
            status=status,
            tabs=[(key, label, queue_url(key), key == status) for key, label in TABS.items()],
            rows=report_groups(status),
            may_judge=may_judge(self.request.user),
        )
        return context


class ConfirmForm(forms.Form):
    address = forms.CharField(widget=forms.HiddenInput)
    account = forms.ModelChoiceField(
        queryset=SocialAccount.objects.none(),
        label=gettext_lazy("The official account it pretends to be"),
        help_text=gettext_lazy(
            "Published accounts only. The verify page, the API and the open data will name it."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = confirmable_accounts(user)
        self.fields["account"].label_from_instance = _account_label

    def clean_address(self) -> str:
        address = self.cleaned_data["address"]
        if not ImpersonatorReport.objects.filter(
            normalized_url=address, status__in=[Status.NEW, Status.CONFIRMED]
        ).exists():
            raise forms.ValidationError(_("No report of this address awaits a verdict."))
        if SocialAccount.objects.filter(normalized_url=address, live=True).exists():
            raise forms.ValidationError(
                _("This address is an official account in the atlas: it cannot be an impersonator.")
            )
        return address


def _account_label(account: SocialAccount) -> str:
    owner = account.person or account.post
    return f"{account.platform.name}: {account.handle} ({owner})" if owner else str(account)


class ConfirmView(WagtailAdminTemplateMixin, FormView):
    """Choose the official account the address pretends to be, and confirm."""

    template_name = "atlas_pages/admin/impersonator_confirm.html"
    form_class = ConfirmForm
    page_title = gettext_lazy("Confirm an impersonator")
    header_icon = "warning"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_judge(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"address": self.request.GET.get("address", "")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        address = self.request.POST.get("address") or self.request.GET.get("address", "")
        found = [
            group
            for status in (Status.NEW, Status.CONFIRMED)
            for group in report_groups(status)
            if group.address == address
        ]
        context.update(group=found[0] if found else None, queue_url=queue_url())
        return context

    def form_valid(self, form: ConfirmForm) -> HttpResponse:
        account = form.cleaned_data["account"]
        confirm(form.cleaned_data["address"], account, self.request.user)
        messages.success(
            self.request,
            _(
                "Confirmed: the verify page now names this address as an impersonator of "
                "%(account)s."
            )
            % {"account": _account_label(account)},
        )
        return redirect(queue_url())


def _verdict_view(action: Any, allowed_status: str, message: Promise) -> Any:  # noqa: ANN401
    """A POST-only view applying `action` to the posted address, back to the queue."""

    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        if not may_judge(request.user):
            raise PermissionDenied
        address = request.POST.get("address", "")
        if action(address, request.user):
            messages.success(request, str(message))
        else:
            messages.error(request, _("No report of this address awaits that action."))
        return redirect(queue_url(allowed_status))

    return view


dismiss_view = _verdict_view(
    dismiss, Status.NEW, gettext_lazy("Dismissed: the reports of this address left the queue.")
)
withdraw_view = _verdict_view(
    withdraw,
    Status.CONFIRMED,
    gettext_lazy("Withdrawn: the address is no longer named as an impersonator."),
)


# Registration (wagtail_hooks.py) --------------------------------------------------------------


def admin_urls() -> list[URLPattern]:
    return [
        path("atlas/impersonators/", QueueView.as_view(), name="atlas_impersonators"),
        path(
            "atlas/impersonators/confirm/",
            ConfirmView.as_view(),
            name="atlas_impersonators_confirm",
        ),
        path("atlas/impersonators/dismiss/", dismiss_view, name="atlas_impersonators_dismiss"),
        path("atlas/impersonators/withdraw/", withdraw_view, name="atlas_impersonators_withdraw"),
    ]


class ImpersonatorReportsPanel(Component):
    """The dashboard's count of new impersonator reports, linking to the queue."""

    name = "atlas_impersonators"
    template_name = "atlas_pages/admin/impersonator_panel.html"
    order = 65  # after the upkeep of the atlas

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        context.update(counts=new_report_counts(), queue_url=queue_url())
        return context


def add_reports_panel(request: HttpRequest, panels: list[Component]) -> None:
    """The `construct_homepage_panels` hook: for whoever may see the queue."""
    if may_keep_accounts(request.user):
        panels.append(ImpersonatorReportsPanel())
