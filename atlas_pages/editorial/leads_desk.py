"""The press desk's queue of leads: profiles a post's website or a central page of the ministry
links to that the atlas does not list yet (found by atlas_pages.outbound.leads, `manage.py
sweep_leads`). "Accept" opens the account's create view with the platform, address, handle and
post filled in (a draft, moderated as usual: nothing is published here); "Reject" is remembered,
so the profile never returns as a lead.

Who may do what (tests/atlas_pages/editorial/test_leads_desk.py holds the matrix), as in the
other press-desk queues (identity checks, impersonator reports):
- see the queue: whoever keeps accounts (editors, moderators), the leads within their reach
  (a lead of a post follows the post, as its accounts do; a lead of the central pages belongs
  to the whole atlas);
- accept, reject: whoever may add an account for the lead's post (rights.may_add_for).
Leads are the press desk's bookkeeping: no public surface reads them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from atlas_pages.editorial import rights
from atlas_pages.editorial.permissions import may_keep_accounts
from atlas_pages.editorial.pressdesk import add_url, edit_url
from atlas_pages.models import Lead, SocialAccount

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

Status = Lead.Status

TABS = {
    Status.NEW: gettext_lazy("New"),
    Status.ACCEPTED: gettext_lazy("Accepted"),
    Status.REJECTED: gettext_lazy("Rejected"),
}


def may_decide(user: User | AnonymousUser, lead: Lead) -> bool:
    return rights.may_add_for(user, SocialAccount, lead.post)


def leads_within_reach(user: User | AnonymousUser, status: str) -> QuerySet[Lead]:
    """The leads of a status the user's rights reach; new ones only while still not listed
    (an account added meanwhile by hand takes its lead out of the queue)."""
    leads = Lead.objects.filter(status=status).select_related("platform", "post", "handled_by")
    if status == Status.NEW:
        listed = SocialAccount.objects.filter(normalized_url=OuterRef("normalized_url"))
        leads = leads.exclude(Exists(listed))
    leads = leads.order_by("-last_seen_at", "platform__sort_order", "handle", "pk")
    return rights.within_reach(leads, user, "post__")


def queue_url(status: str = Status.NEW) -> str:
    url = reverse("atlas_leads")
    return url if status == Status.NEW else f"{url}?{urlencode({'status': status})}"


class LeadQueueView(WagtailAdminTemplateMixin, TemplateView):
    """The leads of one status (new by default), with where each was found."""

    template_name = "atlas_pages/admin/lead_queue.html"
    page_title = gettext_lazy("Leads: accounts not in the atlas")
    header_icon = "search"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_keep_accounts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", Status.NEW)
        if status not in TABS:
            status = Status.NEW
        user = self.request.user
        context.update(
            status=status,
            tabs=[(key, label, queue_url(key), key == status) for key, label in TABS.items()],
            rows=[
                {"lead": lead, "may_decide": may_decide(user, lead)}
                for lead in leads_within_reach(user, status)
            ],
        )
        return context


def _lead(request: HttpRequest, pk: int) -> Lead:
    """The lead, if the user's rights reach it and they may decide on it."""
    lead = get_object_or_404(Lead.objects.select_related("platform", "post"), pk=pk)
    if not rights.may_edit_post(request.user, lead.post):
        raise Http404  # another country's: not even its existence
    if not may_decide(request.user, lead):
        raise PermissionDenied
    return lead


def _handle(lead: Lead, user: User, status: str) -> None:
    lead.status, lead.handled_at, lead.handled_by = status, timezone.now(), user
    lead.save(update_fields=["status", "handled_at", "handled_by"])


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accepted: the account's create view, filled in from the lead (saved there as a draft,
    submitted or published as usual). Accepting again reopens the form."""
    lead = _lead(request, pk)
    if lead.status == Status.REJECTED:
        messages.error(request, _("This lead was rejected."))
        return redirect(queue_url(Status.REJECTED))
    _handle(lead, request.user, Status.ACCEPTED)
    existing = SocialAccount.objects.filter(normalized_url=lead.normalized_url).first()
    if existing is not None:
        messages.info(
            request,
            _("“%(url)s” is in the atlas already: here it is.") % {"url": lead.url},
        )
        return redirect(edit_url(existing))
    params: dict[str, Any] = {
        "platform": lead.platform_id,
        "url": lead.url,
        "handle": lead.handle,
        "next": queue_url(),
    }
    if lead.post_id:
        params["post"] = lead.post_id
    return redirect(add_url(SocialAccount, **params))


@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Not the ministry's (or not to be listed): remembered, the profile never returns."""
    lead = _lead(request, pk)
    if lead.status != Status.NEW:
        messages.error(request, _("Only a new lead can be rejected."))
        return redirect(queue_url(lead.status))
    _handle(lead, request.user, Status.REJECTED)
    messages.success(
        request,
        _("Rejected: “%(url)s” will not be proposed again.") % {"url": lead.url},
    )
    return redirect(queue_url())


# Registration (wagtail_hooks.py) --------------------------------------------------------------


def admin_urls() -> list[URLPattern]:
    return [
        path("atlas/leads/", LeadQueueView.as_view(), name="atlas_leads"),
        path("atlas/leads/<int:pk>/accept/", accept, name="atlas_leads_accept"),
        path("atlas/leads/<int:pk>/reject/", reject, name="atlas_leads_reject"),
    ]
