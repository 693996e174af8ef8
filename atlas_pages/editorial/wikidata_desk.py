"""Wikidata in the admin: the press desk's queue of proposed Wikidata ids (Reports › Wikidata
matches, filled by `manage.py propose_wikidata_matches`) and the report of Wikidata's account
claims against the public atlas (Reports › Wikidata report, from `manage.py wikidata_report`),
with its QuickStatements batch to copy or download. Profiles Wikidata claims that the atlas
lacks are leads in the press desk's one queue of leads (atlas_pages.editorial.leads_desk).

"Confirm" writes the id into a new draft revision of the country, post or person (its latest
content with the id; published through the usual workflow: nothing is published here) and
takes the subject's other proposals out of the queue; "Reject" is remembered, so the item is
never proposed for that subject again.

Who may do what (tests/atlas_pages/editorial/test_wikidata_desk.py holds the matrix):
- see the queue and the report: whoever keeps accounts (editors, moderators; anonymous and
  plain admin users: no); the queue shows the proposals of the subjects they may edit;
- confirm, reject: whoever may edit the page (a country's or post's) or the person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
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
from wagtail.permissions import policy_registry

from atlas_pages.editorial.permissions import may_keep_accounts
from atlas_pages.editorial.pressdesk import edit_url
from atlas_pages.models import CountryPage, Person, PostPage, WikidataProposal
from atlas_pages.publication import public_atlas, wikidata

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

Status = WikidataProposal.Status
Subject = WikidataProposal.Subject

MODELS: dict[str, type[Model]] = {
    Subject.COUNTRY: CountryPage,
    Subject.POST: PostPage,
    Subject.PERSON: Person,
}
TABS = {
    Status.NEW: gettext_lazy("New"),
    Status.CONFIRMED: gettext_lazy("Confirmed"),
    Status.REJECTED: gettext_lazy("Rejected"),
}


def subject_of(proposal: WikidataProposal) -> Model | None:
    return MODELS[proposal.subject].objects.filter(pk=proposal.object_id).first()


def may_decide(user: User | AnonymousUser, subject: Model | None) -> bool:
    """Whether the user may edit the country, post or person."""
    if subject is None or not user.is_authenticated:
        return False
    if isinstance(subject, Person):
        return policy_registry.get_by_type(Person).user_has_permission_for_instance(
            user, "change", subject
        )
    return subject.permissions_for_user(user).can_edit()


def subject_edit_url(subject: Model) -> str:
    if isinstance(subject, Person):
        return edit_url(subject)
    return reverse("wagtailadmin_pages:edit", args=(subject.pk,))


def queue_url(status: str = Status.NEW) -> str:
    url = reverse("atlas_wikidata_matches")
    return url if status == Status.NEW else f"{url}?{urlencode({'status': status})}"


class KeepersOnlyMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_keep_accounts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MatchQueueView(KeepersOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """The proposals of one status (new by default), best first, of the subjects the user may
    edit."""

    template_name = "atlas_pages/admin/wikidata_matches.html"
    page_title = gettext_lazy("Wikidata matches")
    header_icon = "link"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", Status.NEW)
        if status not in TABS:
            status = Status.NEW
        proposals = WikidataProposal.objects.filter(status=status).select_related("handled_by")
        subjects: dict[tuple[str, int], Model | None] = {}
        for subject, model in MODELS.items():
            ids = [p.object_id for p in proposals if p.subject == subject]
            for obj in model.objects.filter(pk__in=ids):
                subjects[(subject, obj.pk)] = obj
        rows = []
        for proposal in proposals.order_by("subject", "object_id", "-score", "pk"):
            subject = subjects.get((proposal.subject, proposal.object_id))
            if may_decide(self.request.user, subject):
                rows.append(
                    {"proposal": proposal, "subject": subject, "edit": subject_edit_url(subject)}
                )
        context.update(
            status=status,
            tabs=[(key, label, queue_url(key), key == status) for key, label in TABS.items()],
            rows=rows,
        )
        return context


def _proposal(request: HttpRequest, pk: int) -> tuple[WikidataProposal, Model]:
    proposal = get_object_or_404(WikidataProposal, pk=pk)
    subject = subject_of(proposal)
    if subject is None:
        raise Http404
    if not may_keep_accounts(request.user) or not may_decide(request.user, subject):
        raise PermissionDenied
    return proposal, subject


def _handle(proposal: WikidataProposal, user: User, status: str) -> None:
    proposal.status, proposal.handled_at, proposal.handled_by = status, timezone.now(), user
    proposal.save(update_fields=["status", "handled_at", "handled_by"])


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The id written into a new draft revision of the subject (its latest content), the
    subject's other new proposals set aside; the editor is sent to it to publish as usual."""
    proposal, subject = _proposal(request, pk)
    if proposal.status != Status.NEW:
        messages.error(request, _("Only a new proposal can be confirmed."))
        return redirect(queue_url(proposal.status))
    draft = subject.get_latest_revision_as_object()
    draft.wikidata_id = proposal.qid
    try:
        with transaction.atomic():
            draft.save_revision(user=request.user)
            _handle(proposal, request.user, Status.CONFIRMED)
            others = WikidataProposal.objects.filter(
                subject=proposal.subject, object_id=proposal.object_id, status=Status.NEW
            )
            for other in others:
                _handle(other, request.user, Status.REJECTED)
    except ValidationError as error:
        messages.error(
            request,
            _("%(qid)s was not saved: %(reason)s")
            % {"qid": proposal.qid, "reason": " ".join(error.messages)},
        )
        return redirect(queue_url())
    messages.success(
        request,
        _("%(qid)s saved as a draft of “%(name)s”: publish it as usual.")
        % {"qid": proposal.qid, "name": str(subject)},
    )
    return redirect(subject_edit_url(subject))


@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, subject = _proposal(request, pk)
    if proposal.status != Status.NEW:
        messages.error(request, _("Only a new proposal can be rejected."))
        return redirect(queue_url(proposal.status))
    _handle(proposal, request.user, Status.REJECTED)
    messages.success(
        request,
        _("Rejected: %(qid)s will not be proposed for “%(name)s” again.")
        % {"qid": proposal.qid, "name": str(subject)},
    )
    return redirect(queue_url())


def current_report() -> wikidata.Report:
    """The report for today, from the public atlas in the default language."""
    return wikidata.report(public_atlas.public_atlas(), timezone.localdate())


class ReportView(KeepersOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """Stale claims, additions and the QuickStatements batch; ?download=1 the batch as a text
    file."""

    template_name = "atlas_pages/admin/wikidata_report.html"
    page_title = gettext_lazy("Wikidata report")
    header_icon = "link"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("download"):
            report = current_report()
            response = HttpResponse(
                report.quickstatements, content_type="text/plain; charset=utf-8"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="quickstatements-{report.day.isoformat()}.txt"'
            )
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        download_url = f"{reverse('atlas_wikidata_report')}?download=1"
        context.update(report=current_report(), download_url=download_url)
        return context


# Registration (wagtail_hooks.py) --------------------------------------------------------------


def admin_urls() -> list[URLPattern]:
    return [
        path("atlas/wikidata/", MatchQueueView.as_view(), name="atlas_wikidata_matches"),
        path("atlas/wikidata/<int:pk>/confirm/", confirm, name="atlas_wikidata_confirm"),
        path("atlas/wikidata/<int:pk>/reject/", reject, name="atlas_wikidata_reject"),
        path("atlas/wikidata/report/", ReportView.as_view(), name="atlas_wikidata_report"),
    ]
