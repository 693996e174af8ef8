"""The press desk's queue of handovers (Reports › Handovers): when a head of post's term of
office ends (an ambassador, consul-general, consul or head of post with ``term_end`` on or
before today), the post is handed over. The task is computed from the people, not stored: each
ended head-of-post term at a post without a ``Handover`` record for that end (a later end is a
new task). The record says it was carried out: by whom, when, to which successor.

What a handover does with the departing person's accounts:
- the post's own accounts stay (nothing to do);
- the person's own accounts (speaking for the person) leave with the person: the read model
  already lists them under no post from the term's last day on ("formerly at <post>",
  atlas_pages.publication.public_atlas); the handover prepares a draft revision of each that
  records the unlinking in its note, for the moderator to publish (or to remove the account);
- the position's accounts (speaking for the office, e.g. @AmbassadorJapan) pass to the
  successor: a draft revision of each with the successor as its person.
Nothing is published here: the drafts are submitted for review, the usual workflow. An ended
term narrows what is public by itself (Person.save_revision, the read model); a handover only
prepares drafts.

The successor is a person at the same post (any of its languages) whose term is current
(started, or no start recorded, and not ended), not the departing person.

Who may (tests/atlas_pages/editorial/test_handovers.py holds the matrix): see the queue,
whoever keeps accounts (editors and moderators; the tasks of posts within their reach);
carry one out, whoever may change the person and each of their accounts (within reach).
Anonymous visitors and users without those rights may do neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale
from wagtail.permissions import policy_registry

from atlas_pages.editorial import rights
from atlas_pages.editorial.permissions import may_keep_accounts
from atlas_pages.editorial.pressdesk import edit_url
from atlas_pages.models import Handover, Person, SocialAccount

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def ended_terms(today: Any = None) -> QuerySet[Person]:  # noqa: ANN401 (a date)
    """Heads of post (default-language rows) at a post whose term has ended and whose handover
    for that end has not been carried out: the queue's tasks, oldest end first."""
    today = today or timezone.localdate()
    handled = Handover.objects.filter(person=OuterRef("pk"), term_end=OuterRef("term_end"))
    return (
        Person.objects.filter(
            locale=Locale.get_default(),
            role__in=Person.HEAD_OF_POST_ROLES,
            post__isnull=False,
            term_end__lte=today,
        )
        .exclude(Exists(handled))
        .select_related("post")
        .order_by("term_end", "name", "pk")
    )


def successors(person: Person) -> QuerySet[Person]:
    """Who may take over: people at the same post (any language of it) in office today."""
    today = timezone.localdate()
    return (
        Person.objects.filter(
            locale=Locale.get_default(), post__translation_key=person.post.translation_key
        )
        .exclude(pk=person.pk)
        .filter(Q(term_start__isnull=True) | Q(term_start__lte=today))
        .filter(Q(term_end__isnull=True) | Q(term_end__gt=today))
        .order_by("name", "pk")
    )


def _speaks_for(account: SocialAccount) -> str:
    return account.speaks_for or account.default_speaks_for()


@dataclass
class Task:
    """One ended term: the person, their post, and their accounts sorted by what happens."""

    person: Person
    stays: list[SocialAccount] = field(default_factory=list)
    leaves: list[SocialAccount] = field(default_factory=list)
    passes: list[SocialAccount] = field(default_factory=list)

    @classmethod
    def of(cls, person: Person) -> Task:
        task = cls(person=person)
        post = person.post
        task.stays = list(
            SocialAccount.objects.filter(post__translation_key=post.translation_key)
            .exclude(status=SocialAccount.Status.CLOSED)
            .select_related("platform")
            .order_by("platform__sort_order", "handle")
        )
        for account in (
            SocialAccount.objects.filter(person=person)
            .exclude(status=SocialAccount.Status.CLOSED)
            .select_related("platform", "person")
            .order_by("platform__sort_order", "handle")
        ):
            if _speaks_for(account) == SocialAccount.SpeaksFor.OFFICE:
                task.passes.append(account)
            else:
                task.leaves.append(account)
        return task

    @property
    def post(self) -> Any:  # noqa: ANN401 (a PostPage)
        return self.person.post

    @property
    def edit_url(self) -> str:
        return edit_url(self.person)


def may_carry_out(user: User | AnonymousUser, task: Task) -> bool:
    """Whoever may change the person and each account handed over (within their reach)."""
    if not may_keep_accounts(user) or not rights.may_edit_post(user, task.post):
        return False
    people = policy_registry.get_by_type(Person)
    accounts = policy_registry.get_by_type(SocialAccount)
    return people.user_has_permission_for_instance(user, "change", task.person) and all(
        accounts.user_has_permission_for_instance(user, "change", account)
        for account in (*task.leaves, *task.passes)
    )


def _draft(account: SocialAccount) -> SocialAccount:
    """The account as last edited (its latest draft, else as stored): the handover's change goes
    on top of it, so no draft in progress is lost."""
    if account.has_unpublished_changes and account.latest_revision_id:
        return account.get_latest_revision_as_object()
    return account


def _submit(account: SocialAccount, draft: SocialAccount, user: User) -> None:
    """Save the draft as a new revision and submit it for review (the usual workflow; one in
    progress takes the new revision as it is)."""
    draft.save_revision(user=user, log_action=True)
    workflow = account.get_workflow()
    if workflow is not None and not account.workflow_in_progress:
        workflow.start(draft, user)


def carry_out(task: Task, successor: Person | None, user: User) -> Handover:
    """Prepare the drafts, submit them for review and record the handover, in one transaction
    (all or nothing): each position account's person becomes the successor, each own account's
    note records its unlinking from the post; new revisions, never published here."""
    person, post = task.person, task.post
    day = date_format(person.term_end)
    with transaction.atomic():
        for account in task.passes:
            draft = _draft(account)
            draft.person = successor
            _submit(account, draft, user)
        for account in task.leaves:
            draft = _draft(account)
            line = _(
                "Formerly at %(post)s: unlinked at the handover after %(person)s's term ended "
                "on %(date)s."
            ) % {"post": post.title, "person": person.name, "date": day}
            draft.note = f"{draft.note}\n{line}".strip()
            _submit(account, draft, user)
        return Handover.objects.create(
            person=person,
            term_end=person.term_end,
            successor=successor,
            handled_at=timezone.now(),
            handled_by=user,
        )


class HandoverForm(forms.Form):
    successor = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=gettext_lazy("Successor"),
        empty_label=gettext_lazy("— choose the successor —"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose a person at this post whose term is current: that one is not."
            )
        },
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task
        self.fields["successor"].queryset = successors(task.person)

    def clean_successor(self) -> Person | None:
        successor = self.cleaned_data.get("successor")
        if successor is None and self.task.passes:
            raise forms.ValidationError(
                _("The position's accounts pass to a successor: choose one.")
            )
        return successor


def queue_url() -> str:
    return reverse("atlas_handovers")


class HandoverQueueView(WagtailAdminTemplateMixin, TemplateView):
    """The ended head-of-post terms within the user's reach not yet handed over, each with its
    accounts by what happens to them, the successors to choose from and the button."""

    template_name = "atlas_pages/admin/handover_queue.html"
    page_title = gettext_lazy("Handovers: ended terms of heads of post")
    header_icon = "user"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_keep_accounts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = []
        for person in rights.within_reach(ended_terms(), user, "post__"):
            task = Task.of(person)
            rows.append(
                {
                    "task": task,
                    "may_carry_out": may_carry_out(user, task),
                    "form": HandoverForm(task=task, auto_id=f"handover-{person.pk}-%s"),
                }
            )
        handled = rights.within_reach(
            Handover.objects.select_related("person", "person__post", "successor", "handled_by"),
            user,
            "person__post__",
        )[:20]
        context.update(rows=rows, handled=handled)
        return context


def handover(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry out one handover (POST): the drafts, then back to the queue."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    person = get_object_or_404(ended_terms().filter(pk=pk))
    if not rights.may_edit_post(request.user, person.post):
        raise Http404  # another country's: not even its existence
    task = Task.of(person)
    if not may_carry_out(request.user, task):
        raise PermissionDenied
    form = HandoverForm(request.POST, task=task)
    if not form.is_valid():
        for error in form.errors.get("successor", []):
            messages.error(request, f"{person}: {error}")
        return redirect(queue_url())
    successor = form.cleaned_data["successor"]
    carry_out(task, successor, request.user)
    messages.success(
        request,
        _(
            "Handover of %(post)s prepared: %(passed)d position account(s) to %(successor)s and "
            "%(left)d own account(s) unlinked, as drafts for review. Nothing is published "
            "until a moderator publishes them."
        )
        % {
            "post": task.post.title,
            "passed": len(task.passes),
            "successor": successor or "—",
            "left": len(task.leaves),
        },
    )
    return redirect(queue_url())


# Registration (wagtail_hooks.py) --------------------------------------------------------------


def admin_urls() -> list[URLPattern]:
    return [
        path("atlas/handovers/", HandoverQueueView.as_view(), name="atlas_handovers"),
        path("atlas/handovers/<int:pk>/", handover, name="atlas_handover"),
    ]
